/* Blanking and formatting: the IDiscFormat2Erase side of a recorder. Library code: it
 * reports through dm_ctx and never prints. */
#ifndef WI_ERASE_H
#define WI_ERASE_H

#include <stddef.h>

#include "common/drive/media_probe.h"
#include "writeimg/wi_options.h"

typedef struct wi_erase_result {
	int started;          /* 0: refused before any command that changes the disc */
	char state[512];      /* the disc afterwards (success, failure or interruption) */
} wi_erase_result;

/* --blank: BLANK a CD-RW or DVD-RW (fast: minimal blank, full: the whole disc, MMC-6
 * 6.2.3) with progress; on an overwritable disc (DVD+RW, BD-RE, DVD-RAM, restricted
 * overwrite DVD-RW) clear its volume (the first 64 KiB), formatting it first when it is
 * not formatted. Refusals (r->started 0) are DM_ERR_MEDIA: no disc, a write-once disc,
 * --blank=full of an overwritable disc. */
dm_status wi_blank(scsi_transport *t, wi_blank_kind kind, wi_erase_result *r, dm_ctx *ctx);

/* --format: FORMAT UNIT with the descriptor READ FORMAT CAPACITIES offers for the disc
 * (DVD+RW 26h, BD-RE 30h, DVD-RAM 00h, DVD-RW 15h quick / 00h full, MMC-6 6.5.4.2),
 * with progress, then the volume cleared so the disc reads as empty. Refusals as for
 * wi_blank (CD-R, CD-RW, DVD±R, BD-R). */
dm_status wi_format(scsi_transport *t, wi_format_kind kind, wi_erase_result *r, dm_ctx *ctx);

/* The start both share (wi_erase.c): r reset, "validating media" reported, the disc
 * probed into d, named in nb (32 bytes; *name points to the name) and described in
 * r->state; an empty drive refused: "no disc in the drive: nothing to VERB". */
dm_status wi_erase_probe(scsi_transport *t, const char *verb, media_disc *d, char nb[32],
			 const char **name, wi_erase_result *r, dm_ctx *ctx);
/* Refuse a write-protected disc: "the NAME is write-protected: it cannot be DONE". */
dm_status wi_erase_writable(const media_disc *d, const char *name, const char *done,
			    dm_ctx *ctx);

/* Longest wait for a BLANK or FORMAT UNIT (a full blank of a CD-RW at 1x takes 80 min). */
#define WI_ERASE_MAX_MS (3u * 3600u * 1000u)

#endif
