/* wi_burn's steps for growing a DVD+RW, BD-RE, DVD-RAM or restricted-overwrite DVD-RW
 * (--multisession there), as growisofs -M: see wi_session.h. */
#ifndef WI_GROW_H
#define WI_GROW_H

#include "writeimg/wi_burn.h"

/* Where the image goes: r->grow and r->start_lba (NEXT, as --msinfo) when the disc holds
 * an ISO 9660 volume, nothing set when it is empty (the image is its first session);
 * DM_ERR_MEDIA for a disc holding anything else (UDF, unknown data) or full. */
dm_status wi_grow_target(scsi_transport *t, const wi_burn_opts *o, wi_burn_result *r,
			 dm_ctx *ctx);
/* After the image is on the disc at r->start_lba: its descriptors (img's head) to LBA 16,
 * its re-tagged UDF anchor to 256, flushed; r->grow_committed then. */
dm_status wi_grow_commit(scsi_transport *t, const wi_image *img, wi_burn_result *r,
			 dm_ctx *ctx);
/* --verify: LBA 16 (and 256) hold what wi_grow_commit copied; r->verified -1 if not. */
dm_status wi_grow_verify(scsi_transport *t, const wi_image *img, wi_burn_result *r,
			 dm_ctx *ctx);

#endif
