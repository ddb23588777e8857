/* What writeimg knows about each kind of disc, as tables keyed by the MMC-6 profile
 * number (MMC-6 5.3.1 table 91) and feature code (5.3), not as if-chains: a new medium is
 * one row. */
#ifndef MEDIA_MODEL_H
#define MEDIA_MODEL_H

#include <stdint.h>

typedef enum media_family { MEDIA_CD, MEDIA_DVD, MEDIA_BD, MEDIA_OTHER } media_family;

/* How the disc takes data. */
typedef enum media_recording {
	MEDIA_READ_ONLY,   /* pressed or closed */
	MEDIA_SEQUENTIAL,  /* write-once or sequential: at the next writable address only */
	MEDIA_RANDOM       /* overwritable anywhere (DVD+RW, BD-RE, DVD-RAM) */
} media_recording;

/* Where the free space of a blank or appendable disc comes from. */
typedef enum media_capacity_source {
	MEDIA_CAP_TRACK_FREE,      /* READ TRACK INFORMATION free blocks of the invisible track */
	MEDIA_CAP_FORMAT_CAPACITY, /* READ FORMAT CAPACITIES current (formatted) capacity */
	MEDIA_CAP_READ_CAPACITY    /* READ CAPACITY: nothing free */
} media_capacity_source;

typedef struct media_profile {
	uint16_t code;
	const char *name;          /* "DVD+R" */
	media_family family;
	media_recording recording;
	int erasable;              /* can be blanked or reformatted */
	media_capacity_source capacity;
	uint16_t ecc_blocks;       /* sectors per ECC block: writes are padded to multiples */
	uint16_t write_feature;    /* feature that must be current for writing, 0: none */
	uint16_t alt_write_feature;
	int mode_page05;           /* write parameters page must be set (CD, DVD-R) */
	int write_type;            /* page 05 write type when mode_page05 (MMC_WT_*) */
	int reserve_track;         /* the writer reserves a track of the image's size first */
	int close_final;           /* CLOSE function finishing the disc (0: session + page 05) */
	int close_multi;           /* CLOSE function leaving it appendable */
	uint32_t kbs_1x;           /* 1x speed in kB/s (kB = 1000 bytes) */
} media_profile;

/* The row for a profile, or NULL when it is not one this code knows. */
const media_profile *media_profile_find(uint16_t code);
/* "DVD+R", or "profile 0xNNNN" in buf for an unknown code. */
const char *media_profile_name(uint16_t code, char *buf, unsigned len);
/* Every known profile, for iteration (NULL-code terminated). */
const media_profile *media_profiles(void);

/* How a disc is erased or prepared (MMC-6 6.2 BLANK, 6.5 FORMAT UNIT), and its layers. */
typedef struct media_erase {
	uint16_t code;
	int blank;                 /* BLANK applies (CD-RW, DVD-RW) */
	uint8_t format_quick;      /* FORMAT UNIT type for --format=quick, 0xff: none */
	uint8_t subtype_quick;
	uint8_t format_full;       /* and for --format=full */
	uint8_t subtype_full;
	int needs_format;          /* unformatted, it must be formatted before a write */
	uint8_t layer_structure;   /* dual layer: READ/SEND DISC STRUCTURE format, 0: single */
} media_erase;
#define MEDIA_NO_FORMAT 0xffu
/* The row for a profile; a row of "nothing applies" for any other code. */
const media_erase *media_erase_find(uint16_t code);

/* MMC-6 5.3 feature names ("DVD+R Write"), NULL when unknown. */
const char *media_feature_name(uint16_t code);

/* "blank" / "appendable" / "complete" / "other" (READ DISC INFORMATION disc status). */
const char *media_disc_status_name(int status);

#endif
