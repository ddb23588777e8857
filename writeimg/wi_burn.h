/* Writing an image to the disc in a drive: pre-flight checks, write, finalize, verify.
 * Library code: it reports through dm_ctx (messages, progress) and never prints. */
#ifndef WI_BURN_H
#define WI_BURN_H

#include <stdint.h>

#include "common/dm_sha256.h"
#include "common/drive/media_probe.h"
#include "writeimg/wi_image.h"
#include "writeimg/wi_modes.h"
#include "writeimg/wi_session.h"

typedef struct wi_burn_opts {
	int speed_x;            /* 0: the drive's default; -1: maximum; else a multiple of 1x */
	int verify;
	int eject;
	int multisession;       /* add a session to an appendable disc, leave it appendable */
	unsigned chunk_blocks;  /* sectors per WRITE(10); 0: 16 (32 KiB), BD 32 */
	wi_write_mode mode;     /* --mode (WI_WM_AUTO: the medium's default) */
	int64_t layer_break;    /* --layer-break, -1: the default */
	int erased;             /* the disc was blanked or formatted in this run already */
	int close;              /* --close: no session can follow this one (write-once media) */
	const char *drive;      /* the drive as the user named it, for messages */
} wi_burn_opts;

typedef enum wi_stage {
	WI_STAGE_PREFLIGHT,     /* nothing written yet */
	WI_STAGE_WRITING,
	WI_STAGE_FINALIZING,
	WI_STAGE_VERIFYING,
	WI_STAGE_DONE
} wi_stage;

typedef struct wi_burn_result {
	wi_stage stage;         /* where it stopped (WI_STAGE_DONE: success) */
	media_disc disc;        /* the disc before writing */
	uint32_t start_lba;
	uint64_t image_blocks;  /* sectors the image fills (the last one zero-padded) */
	uint64_t blocks_written;
	int verified;           /* 1 matched, -1 differed, 0 not verified */
	char image_sha256[2 * DM_SHA256_LEN + 1];
	char disc_sha256[2 * DM_SHA256_LEN + 1];
	char disc_state[1024];   /* after a failure or interruption during writing: the disc;
				  * after a refusal: what the disc is */
	double write_seconds;
	wi_mode_plan plan;       /* the write mode chosen */
	uint32_t layer_break;    /* DL: where layer 1 begins, 0: none */
	int formatted_first;     /* a blank DVD+RW / BD-RE was formatted before writing */
	uint32_t speed_kbs;      /* the write speed the drive reports it set, 0: not told */
	int grow;                /* overwritable disc grown: the image went to start_lba and its
				  * descriptors to LBA 16 (wi_session.h) */
	uint64_t old_volume;     /* grow: the volume's size before (sectors) */
	wi_grow_copy grow_copy;  /* grow: what goes to LBA 16 (and 256) */
	int grow_copying;        /* grow: the copy to LBA 16 was begun */
	int grow_committed;      /* grow: the descriptors at LBA 16 are the new session's */
	int closed;              /* --close: the disc was closed after the session */
} wi_burn_result;

/* Check the disc, write img, finalize, optionally verify and eject. On failure the
 * status says what failed, r->stage when, and r->disc_state what the disc holds now. A
 * refusal of the disc before writing is DM_ERR_MEDIA or DM_ERR_NOSPACE at
 * WI_STAGE_PREFLIGHT; a verify mismatch is DM_ERR_MEDIA at WI_STAGE_VERIFYING. */
dm_status wi_burn(scsi_transport *t, wi_image *img, const wi_burn_opts *o, wi_burn_result *r,
		  dm_ctx *ctx);

/* The pre-flight decision alone (exposed for tests): DM_OK when `disc` can take an image
 * of image_blocks sectors with these options, with the write mode in *plan; otherwise
 * the refusal in ctx. holds_data: an overwritable disc holds a volume or data (writing
 * would lose it). */
dm_status wi_preflight(const media_disc *disc, uint64_t image_blocks, const wi_burn_opts *o,
		       int holds_data, wi_mode_plan *plan, dm_ctx *ctx);

/* SET CD SPEED / SET STREAMING for speed_x (0: nothing), and the speed the drive set
 * (kB/s, 0: not told), noted through ctx. */
uint32_t wi_burn_set_speed(scsi_transport *t, const media_disc *d, int speed_x, dm_ctx *ctx);
/* After a write: eject, let the operating system see the change, load again unless
 * leave_out. Failures are warnings. */
void wi_burn_reload(scsi_transport *t, int leave_out, dm_ctx *ctx);

/* MODE SELECT page 05h for a write in plan's mode (CD, DVD-R); open: the multi-session
 * field allows a next session (MMC-6 7.5.4.3), else the disc is closed with the session. */
/* The current page 05h (MODE SENSE(10) into buf), refused when shorter than 16 bytes. */
dm_status wi_sense_page05(scsi_transport *t, uint8_t buf[256], const uint8_t **page, size_t *len,
			  dm_ctx *ctx);
dm_status wi_set_write_params(scsi_transport *t, const media_disc *d, const wi_mode_plan *plan,
			      int open, dm_ctx *ctx);

typedef struct wi_close_result {
	media_disc disc;         /* the disc before */
	int started;             /* the CLOSE command was sent */
	char state[512];         /* the disc afterwards (or as it is, when refused) */
} wi_close_result;
/* --close alone: close an appendable write-once disc (CD-R/RW, DVD-R/RW sequential,
 * DVD+R, BD-R) without writing, so no session can be added. Refusals (blank, closed
 * already, overwritable) are DM_ERR_MEDIA with r->started 0. */
dm_status wi_close_disc(scsi_transport *t, wi_close_result *r, dm_ctx *ctx);

/* "4.70 GB" style size of n sectors, into buf. */
const char *wi_size_str(uint64_t sectors, char *buf, size_t len);

#endif
