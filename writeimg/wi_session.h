/* A session image against the address it goes to, and growing an overwritable disc.
 *
 * An ISO 9660 image is made for one address: a first session for LBA 0, a session made
 * by mkimage --previous (or mkisofs -C) for the next session's start N, its directories
 * and files addressed from N and its volume space size N + its own size (ECMA-119 6.8.2,
 * 8.4.8). Written anywhere else its root points at the wrong sectors: writeimg refuses.
 *
 * Growing (DVD+RW, BD-RE, DVD-RAM, restricted-overwrite DVD-RW, as growisofs -M): the
 * disc has one session from LBA 0; the new image, made for N (the old volume's end
 * rounded up to the ECC block), is written at N, and then its volume descriptors (from
 * its sector 16 up to the ISO terminator and any ECMA-167 extended area after it) are
 * copied to LBA 16, where every reader looks, LAST: until that copy the disc shows its
 * old tree intact. Pure planning here; wi_burn does the I/O. */
#ifndef WI_SESSION_H
#define WI_SESSION_H

#include <stdint.h>

#include "common/dm_error.h"
#include "writeimg/wi_image.h"

/* The address the image was made for, and how that is known. */
typedef struct wi_made_for {
	int known;              /* 0: raw data, or nothing in the image tells */
	uint32_t lba;
	const char *how;        /* "its root directory", ... for messages */
} wi_made_for;
void wi_session_made_for(const wi_image_id *id, uint64_t image_blocks, wi_made_for *out);

/* DM_OK when the image may go to LBA target (blank: the disc holds nothing yet), else
 * DM_ERR_MEDIA naming both addresses and the mkimage command that makes the right image
 * (drive: the drive as the user named it). An image that does not tell (raw data) is
 * let through with a warning when target is not 0. */
dm_status wi_session_check(const wi_image_id *id, uint64_t image_blocks, uint32_t target,
			   int blank, const char *drive, dm_ctx *ctx);

/* What a grow copies to the fixed places of the disc. */
typedef struct wi_grow_copy {
	unsigned descriptors;   /* sectors from the image's 16 (its LBA N + 16) to LBA 16 */
	int anchor;             /* a UDF anchor at the image's 256 goes to LBA 256 */
	uint8_t avdp[2048];     /* that anchor with its location field set to 256 */
} wi_grow_copy;
/* Plan the copy from the image's first bytes (head, at least 17 sectors) made for n.
 * DM_ERR_MEDIA when the image has no ISO 9660 descriptors to copy or its anchor does not
 * name n + 256. */
dm_status wi_grow_plan(const uint8_t *head, size_t len, uint32_t n, wi_grow_copy *out,
		       dm_ctx *ctx);

#endif
