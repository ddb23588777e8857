/* The plan of a CD written Disc-At-Once or Track-At-Once: tracks (mode, flags, indexes,
 * pregap, length, ISRC, CD-TEXT), the files their data comes from, and extents - runs of
 * sectors in LBA order, each from one file or generated (silence, zero data) - so a writer
 * walks the extents and never decides layout. Built from a cue sheet (cd_cue.h) or from a
 * list of audio files (cd_layout_from_audio); pure data, owned by the caller
 * (cd_layout_free).
 *
 * Addresses are LBAs: the first track's pregap starts at LBA -150 (MSF 00:00:00; MMC-6
 * 6.33.3.17, Red Book: the first track's pregap is at least 2 seconds). */
#ifndef CD_LAYOUT_H
#define CD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_msf.h"

typedef enum cd_mode {
	CD_MODE_AUDIO,  /* CD-DA, 2352 bytes of 16-bit stereo */
	CD_MODE1_2048,  /* Mode 1 user data; the drive adds sync, header, EDC/ECC */
	CD_MODE1_2352,  /* Mode 1 raw sectors as they are on the disc */
	CD_MODE2_2352   /* Mode 2 raw sectors (CD-ROM XA form 1/2, as cdrdao assumes) */
} cd_mode;

/* The cue keyword ("AUDIO", "MODE1/2048", ...) and bytes per sector in a file. */
const char *cd_mode_name(cd_mode mode);
unsigned cd_mode_file_bytes(cd_mode mode);

/* Q sub-channel control bits a cue's FLAGS sets (Red Book; the CONTROL field of READ TOC and READ SUB-CHANNEL). The data bit
 * (04h) follows from the mode. */
#define CD_FLAG_PRE 0x01 /* audio with pre-emphasis */
#define CD_FLAG_DCP 0x02 /* digital copy permitted */
#define CD_FLAG_DATA 0x04
#define CD_FLAG_4CH 0x08 /* four-channel audio */

/* CD-TEXT fields, in the order of their pack types 80h.. (MMC-6 Annex J). */
typedef enum cd_text_field {
	CD_TEXT_TITLE,
	CD_TEXT_PERFORMER,
	CD_TEXT_SONGWRITER,
	CD_TEXT_COMPOSER,
	CD_TEXT_ARRANGER,
	CD_TEXT_MESSAGE,
	CD_TEXT_NFIELDS
} cd_text_field;

typedef enum cd_file_kind {
	CD_FILE_BINARY,   /* bytes as they go to the disc (audio little-endian) */
	CD_FILE_MOTOROLA, /* the same with audio big-endian: swapped */
	CD_FILE_WAVE      /* WAV or FLAC, decoded (cd_audio_src) */
} cd_file_kind;

typedef struct cd_file {
	char *path;       /* as opened (a cue's relative name resolved) */
	cd_file_kind kind;
	uint64_t bytes;   /* BINARY/MOTOROLA: the size; WAVE: decoded, 4 per sample frame */
	unsigned line;    /* the cue line naming it; 0 for --audio */
} cd_file;

typedef struct cd_extent {
	int32_t lba;
	uint32_t sectors;
	int file;           /* index in files, -1: generated (digital silence, zero data) */
	uint64_t offset;    /* byte offset in the file (WAVE: in decoded CD-DA bytes) */
	uint64_t bytes;     /* bytes from the file; the rest of the last sector is zero */
	unsigned track;     /* index in tracks */
	int drive_generates; /* a whole generated pregap: the host sends nothing for it */
} cd_extent;

typedef struct cd_track {
	unsigned number;     /* 1..99 */
	cd_mode mode;
	uint8_t flags;       /* CD_FLAG_PRE | CD_FLAG_DCP | CD_FLAG_4CH (never DATA) */
	int scms;            /* serial copy management: the cue sheet's alternate copy bit */
	int32_t index[CD_INDEXES_MAX + 1]; /* LBA of index 0 (pregap start) .. nindex */
	unsigned nindex;     /* the last index number, >= 1 */
	uint32_t pregap;     /* sectors from index 0 to index 1 (0: none) */
	uint32_t length;     /* sectors from index 1 to the next track's index 0 / lead-out */
	uint32_t postgap;    /* the last sectors of length, generated (a cue's POSTGAP) */
	char isrc[13];       /* "" or 12 characters */
	char *text[CD_TEXT_NFIELDS]; /* CD-TEXT, ISO 8859-1 bytes, or NULL */
	unsigned line;       /* the cue line of TRACK; 0 for --audio */
} cd_track;

typedef struct cd_layout {
	cd_track tracks[CD_TRACKS_MAX];
	unsigned ntracks;
	cd_file *files;
	unsigned nfiles;
	cd_extent *extents;
	unsigned nextents;
	unsigned extents_cap; /* allocated */
	int32_t leadout;     /* LBA where the lead-out starts */
	char mcn[14];        /* "" or 13 digits (a cue's CATALOG) */
	char *text[CD_TEXT_NFIELDS]; /* album CD-TEXT */
} cd_layout;

cd_layout *cd_layout_new(void);
void cd_layout_free(cd_layout *layout);

/* Tracks from audio files, one each, in order (--audio). gap: sectors of silence before
 * each track after the first (150: the Track-At-Once default; 0: gapless); the first
 * track always has its 150. Every file is opened to learn its length (cd_audio_src) and
 * the result is checked (cd_layout_check). */
dm_status cd_layout_from_audio(const char *const *paths, unsigned n, uint32_t gap,
			       cd_layout **out, dm_ctx *ctx);

/* What every layout must satisfy, with origin (the cue's path, or NULL) and the cue line
 * where there is one: 1 to 99 tracks,
 * each at least 4 seconds (300 sectors, index 1 to its end), the lead-out before 99:59:74.
 * A track whose mode differs from the previous one's (audio to data, data to audio) with a
 * pregap under 2 seconds is a warning: players and drives expect 2 seconds there. */
dm_status cd_layout_check(cd_layout *layout, const char *origin, dm_ctx *ctx);

/* Whether the layout fits a medium whose lead-out can start at LBA last_leadout at the
 * latest (ATIP's last possible lead-out start; MMC-6 READ DISC INFORMATION): refused with
 * both sizes (sectors and mm:ss:ff, pregaps included) before anything is written. */
dm_status cd_layout_check_fits(const cd_layout *layout, int32_t last_leadout, dm_ctx *ctx);

/* Append an extent (merged with the previous one when contiguous and alike); for the
 * planners. */
dm_status cd_layout_add_extent(cd_layout *layout, const cd_extent *e, dm_ctx *ctx);
/* Add a file; *index receives its position in files. path is copied. */
dm_status cd_layout_add_file(cd_layout *layout, const char *path, cd_file_kind kind,
			     uint64_t bytes, unsigned line, unsigned *index, dm_ctx *ctx);

/* A text rendering of the whole plan, one line per track, extent and the lead-out (tests,
 * --dry-run). Returns a malloc'd string or NULL when out of memory. */
char *cd_layout_describe(const cd_layout *layout);

#endif
