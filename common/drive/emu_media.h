/* The discs the emulated recorder can hold, per MMC-6: one row per medium with its
 * profile, capacity, how it records, which write types, format types, CLOSE functions and
 * speeds it takes, and the features that are current with it. Answers built from the
 * table: GET CONFIGURATION (MMC-6 5.2, 5.3), MODE SENSE page 2Ah, the speed lists. */
#ifndef EMU_MEDIA_H
#define EMU_MEDIA_H

#include <stddef.h>
#include <stdint.h>

enum emu_kind { EMU_CD, EMU_DVD, EMU_BD };
/* How a medium records (MMC-6 4.5, 4.6, 4.7):
 * WORM: write-once, sequential (CD-R, DVD±R, DVD±R DL, BD-R SRM);
 * SEQ_RW: sequential, erased by BLANK (CD-RW; DVD-RW until formatted);
 * OVERWRITE: random access inside the formatted capacity (DVD+RW, BD-RE, DVD-RAM and a
 * DVD-RW in restricted overwrite). */
enum emu_rec { EMU_WORM, EMU_SEQ_RW, EMU_OVERWRITE };

/* Write types of MODE page 05h (MMC-6 7.5.4.4) as bits. */
enum { EMU_WT_PACKET = 1 << 0, EMU_WT_TAO = 1 << 1, EMU_WT_SAO = 1 << 2, EMU_WT_RAW = 1 << 3,
       EMU_WT_LJ = 1 << 4 };

/* One formattable descriptor of READ FORMAT CAPACITIES (MMC-6 6.24.3.3). */
typedef struct emu_format {
	uint8_t type;        /* format type (00h, 01h, 10h, 13h, 15h, 26h, 30h, 31h, 32h) */
	uint32_t blocks;     /* capacity it gives; 0: the medium's capacity */
	uint32_t param;      /* type dependent parameter */
	uint8_t erases;      /* a full format: the data are gone afterwards */
	uint8_t when;        /* 1: unformatted disc only, 2: formatted only, 3: both */
} emu_format;

#define EMU_MAX_FORMATS 5

typedef struct emu_medium {
	const char *name;       /* as written in emu:NAME:FILE ("dvd+r") */
	const char *title;      /* for messages ("DVD+R DL") */
	uint16_t profile;
	uint16_t ro_profile;    /* DVD-RW: profile once formatted to restricted overwrite */
	uint8_t kind;           /* enum emu_kind */
	uint8_t rec;            /* enum emu_rec */
	uint8_t layers;
	uint8_t needs_format;   /* writes refused (5/30/10) until FORMAT UNIT */
	uint8_t born_formatted; /* a new disc is already formatted (DVD-RAM) */
	uint8_t test_write;     /* page 05h Test Write allowed */
	uint8_t write_types;    /* EMU_WT_* page 05h accepts */
	uint8_t close_fns;      /* bit n: CLOSE TRACK/SESSION function n allowed */
	uint32_t capacity;      /* user blocks of a blank disc (dm_media_sizes) */
	uint32_t area;          /* blocks the disc file reserves (largest capacity) */
	uint16_t ecc_blocks;    /* tracks of a new session start at multiples of this */
	uint32_t session_gap;   /* blocks between a closed session and the next (CD lead-out +
				 * lead-in + pre-gap; 0 for DVD/BD: simplified) */
	uint32_t first_gap;     /* same after the first session (CD: 11400) */
	const uint32_t *speeds_kbs; /* write speeds, fastest first, 0-terminated */
	emu_format formats[EMU_MAX_FORMATS]; /* type 0xff ends the list */
} emu_medium;

/* The medium called name ("cd-r", "dvd+rw", "bd-re", "none"), or NULL. "none" has
 * profile 0: an empty drive. */
const emu_medium *emu_medium_find(const char *name);
/* Names of every medium, comma-separated (for messages). */
const char *emu_medium_names(void);
/* The i-th medium of the table (NULL past the end): tests walk every medium. */
const emu_medium *emu_medium_at(size_t i);

/* The profile a disc answers with: DVD-RW reports 13h once formatted. */
uint16_t emu_medium_profile(const emu_medium *m, int formatted);

/* GET CONFIGURATION answer (MMC-6 5.2) for a drive whose current profile is `profile` (0:
 * no disc), honouring RT and the starting feature; `last_lba` for feature 0020h. Writes at
 * most cap bytes, returns the full length. */
size_t emu_build_configuration(uint16_t profile, uint32_t last_lba, int rt, uint16_t start,
			       uint8_t *buf, size_t cap);
/* MODE SENSE page 2Ah (MMC-3 layout) with the medium's write speeds and the current one;
 * returns its length. */
size_t emu_build_caps_page(const emu_medium *m, uint32_t cur_kbs, uint8_t *page, size_t cap);
/* The supported write speed a request of `kbs` gets: the fastest one not above it (the
 * slowest if all are), as drives round SET CD SPEED and SET STREAMING. */
uint32_t emu_medium_speed(const emu_medium *m, uint32_t kbs);

#define EMU_BUFFER_BYTES (4u << 20)

#endif
