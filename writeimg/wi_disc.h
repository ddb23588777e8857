/* Facts about the disc that several jobs (write, blank, format, check, read) share: what
 * a rewritable disc holds, a one-line account of the disc's state for reports, waiting
 * for a drive working on an IMMED command with progress, and clearing a volume. */
#ifndef WI_DISC_H
#define WI_DISC_H

#include <stddef.h>
#include <stdint.h>

#include "common/drive/media_probe.h"
#include "writeimg/wi_image.h"

/* "blank", "appendable", ...: the disc in words with its size, for reports:
 * "a blank CD-RW (359847 sectors free)", "no disc". Never fails: a disc that cannot be
 * read is said so. Failures inside are deferred (ctx's first message stays). */
void wi_disc_state(scsi_transport *t, char *buf, size_t len, dm_ctx *ctx);
/* Same from a probe done already. */
void wi_disc_describe(const media_disc *d, char *buf, size_t len);

/* Whether an overwritable (random) disc holds data: its first sectors read and
 * identified (ISO 9660 / UDF), *id says what; id->all_zero when they are all zero (a
 * formatted disc nobody wrote, or one whose volume was cleared). */
dm_status wi_disc_volume(scsi_transport *t, const media_disc *d, wi_image_id *id, dm_ctx *ctx);

/* Zero the first 32 sectors (64 KiB: the ISO 9660 and UDF recognition area, as xorriso's
 * fast blank of an overwritable disc does) so the disc reads as empty. */
dm_status wi_disc_clear_volume(scsi_transport *t, dm_ctx *ctx);

/* Poll a drive busy with an IMMED BLANK or FORMAT UNIT until it is ready again,
 * reporting progress under `action` as a share of `sectors` (the disc's, so the line
 * reads like a write's); at most max_ms. DM_ERR_INTERRUPTED when ctx is cancelled (the
 * drive goes on by itself). */
dm_status wi_wait_immed(scsi_transport *t, const char *action, uint64_t sectors,
			unsigned max_ms, dm_ctx *ctx);

#endif
