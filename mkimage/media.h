/* Media capacities (--media, <media>): the image must fit, or mkimage stops before writing
 * anything, saying by how many sectors it is over (IMAPI's FreeMediaBlocks check); and the
 * defaults a media type brings (IMAPI's ChooseImageDefaultsForMediaType). */
#ifndef MK_MEDIA_H
#define MK_MEDIA_H

#include <stdint.h>

#include "common/dm_error.h"

typedef struct mk_media {
	const char *name;        /* "cd74", ..., or NULL for a number of sectors */
	const char *what;        /* for messages: "a 74-minute CD-R" */
	uint64_t sectors;        /* 2048-byte sectors a blank disc of this type holds */
	int udf_bridge;          /* default filesystems add UDF (Blu-ray readers expect it) */
} mk_media;

/* "cd74", "cd80", "dvd", "dvd-dl", "bd", "bd-dl", "bd-tl", "bd-ql" or a number of sectors. */
dm_status mk_media_parse(const char *s, mk_media *m, dm_ctx *ctx);

/* DM_ERR_NOSPACE, naming the overshoot, when total_sectors do not fit. */
dm_status mk_media_check(const mk_media *m, uint64_t total_sectors, dm_ctx *ctx);

/* The filesystems (MK_FS_* of options.h) for this media when the user chose none: the
 * hook where a media type picks its defaults. */
unsigned mk_media_default_fs(const mk_media *m, unsigned fs);

#endif
