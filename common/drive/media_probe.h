/* Asking a drive what it is and what disc it holds: the facts behind `writeimg --info`
 * and the pre-flight checks, gathered with the commands of mmc_cmds.h and interpreted
 * through the media model (media_model.h). No decisions here, only facts. */
#ifndef MEDIA_PROBE_H
#define MEDIA_PROBE_H

#include "common/drive/media_model.h"
#include "common/drive/mmc_cmds.h"

typedef struct media_drive {
	mmc_inquiry_info inquiry;
	mmc_config config;         /* all features (RT 0) */
	int have_caps;
	mmc_caps caps;             /* MODE SENSE page 2Ah */
	mmc_write_speeds speeds;   /* GET PERFORMANCE type 3; n = 0 when not reported */
	int have_buffer;
	mmc_buffer_capacity buffer;
} media_drive;

typedef struct media_disc {
	int present;
	uint16_t profile;
	const media_profile *model; /* NULL for an unknown profile */
	int writable_by_drive;      /* the profile's write feature is current */
	int write_protected;
	mmc_disc_info disc;
	int have_track;
	mmc_track_info track;       /* last track of the last session */
	uint32_t total_blocks;      /* capacity of the disc's user area */
	uint32_t free_blocks;       /* what a new write can use */
	int nwa_valid;
	uint32_t nwa;               /* where a new write starts */
	uint32_t recorded_blocks;   /* READ CAPACITY: last LBA + 1, 0 when blank */
	int cd_sao;                 /* CD Mastering (002Eh) is current with its SAO bit
				     * (MMC-6 5.3.23): the drive takes a cue sheet */
	int formatted;              /* random-access discs: READ FORMAT CAPACITIES says
				     * formatted (others: 1) */
	int have_msinfo;            /* media_msinfo.h's answer, when asked and known: */
	uint32_t ms_start, ms_next; /* the last session's start, the next session's address */
} media_disc;

/* INQUIRY, GET CONFIGURATION, page 2Ah, write speeds, buffer. Only INQUIRY and GET
 * CONFIGURATION must succeed; the rest are left empty when the drive rejects them. */
dm_status media_probe_drive(scsi_transport *t, media_drive *out, dm_ctx *ctx);
/* INQUIRY: DM_ERR_MEDIA unless the device is an optical drive (SPC-4 peripheral device
 * type 05h). Every job that may write asks this first: a hard disk's /dev/sgN that
 * answers GET CONFIGURATION must never be written. */
dm_status media_check_optical(scsi_transport *t, dm_ctx *ctx);

/* TEST UNIT READY (waiting while the drive becomes ready), then the disc's profile,
 * status, tracks and capacity. No disc: DM_OK with present = 0. */
dm_status media_probe_disc(scsi_transport *t, media_disc *out, dm_ctx *ctx);

#endif
