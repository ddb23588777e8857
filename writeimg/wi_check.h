/* A disc against an image, and a disc back into an image: --check and --read. */
#ifndef WI_CHECK_H
#define WI_CHECK_H

#include <stdint.h>

#include "common/drive/media_probe.h"
#include "writeimg/wi_image.h"

/* Where the recorded data of a disc lies: on a write-once or sequential disc the last
 * session holding data (its first track's start to its last recorded sector, MMC-6
 * 6.27.3); on an overwritable disc the ISO 9660 / UDF volume from LBA 0 (its size from
 * the volume descriptors: the drive does not know what was written). */
typedef struct wi_extent {
	uint32_t start;
	uint64_t blocks;
	unsigned session;          /* sequential discs: the session it is */
	wi_image_id id;            /* what its first sectors are */
} wi_extent;
dm_status wi_disc_extent(scsi_transport *t, const media_disc *d, wi_extent *x, dm_ctx *ctx);

typedef struct wi_check_result {
	wi_extent extent;
	int equal;                 /* 1: the disc holds the image */
	int64_t first_diff_lba;    /* -1: none (or the disc ends first: short) */
	int short_disc;            /* the recorded data ends before the image does */
	uint64_t blocks_compared;
} wi_check_result;
/* Compare img with the disc's recorded data from the extent's start. DM_OK with
 * r->equal 0 when they differ (the caller says where: r->first_diff_lba); refusals
 * (no disc, blank disc) are DM_ERR_MEDIA. */
dm_status wi_check(scsi_transport *t, wi_image *img, wi_check_result *r, dm_ctx *ctx);

typedef struct wi_read_result {
	wi_extent extent;
	uint64_t bytes;
	char sha256[65];
} wi_read_result;
/* Copy the disc's recorded data to the file out (written beside it and renamed: no
 * partial file at out, ever). */
dm_status wi_read_disc(scsi_transport *t, const char *out, wi_read_result *r, dm_ctx *ctx);

#endif
