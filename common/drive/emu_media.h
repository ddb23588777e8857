/* The discs the emulated recorder can hold, per MMC-6: profile, default capacity, how
 * they record, and which features are current with them. Used by emu_recorder.c to
 * answer GET CONFIGURATION, MODE SENSE page 2Ah and GET PERFORMANCE. */
#ifndef EMU_MEDIA_H
#define EMU_MEDIA_H

#include <stddef.h>
#include <stdint.h>

typedef struct emu_medium {
	const char *name;       /* as written in emu:NAME:FILE ("dvd+r") */
	uint16_t profile;
	uint32_t capacity;      /* default user blocks of a blank disc */
	int sequential;         /* write-once or sequential; else random (overwritable) */
	int erasable;           /* BLANK (CD-RW) or reformat (DVD+RW, BD-RE) */
	uint16_t ecc_blocks;    /* tracks of a new session start at multiples of this */
	uint32_t session_gap;   /* blocks between a closed session and the next (CD lead-out +
				 * lead-in + pre-gap; 0 for DVD/BD: simplified) */
	uint32_t first_gap;     /* same after the first session (CD: 11400) */
	const uint32_t *speeds_kbs; /* write speeds, fastest first, 0-terminated */
} emu_medium;

/* The medium called name ("cd-r", "dvd+rw", "bd-re", "none"), or NULL. "none" has
 * profile 0: an empty drive. */
const emu_medium *emu_medium_find(const char *name);
const emu_medium *emu_medium_by_profile(uint16_t profile);
/* Names of every medium, comma-separated (for messages). */
const char *emu_medium_names(void);

/* GET CONFIGURATION answer (MMC-6 5.2) for a drive holding `m` (NULL: no disc), honouring
 * RT and the starting feature. Writes at most cap bytes, returns the full length. */
size_t emu_build_configuration(const emu_medium *m, int rt, uint16_t start, uint8_t *buf,
			       size_t cap);
/* MODE SENSE page 2Ah (MMC-3 layout) with the medium's write speeds; returns its length. */
size_t emu_build_caps_page(const emu_medium *m, uint8_t *page, size_t cap);

#define EMU_BUFFER_BYTES (4u << 20)

#endif
