/* Where the last session of a disc starts and where the next one goes: the two numbers
 * `cdrecord -msinfo` prints and `mkisofs -C` takes, and the reader interface mkimage
 * --previous uses to read a disc so far (media_msinfo_get() + mmc_read10()).
 *
 * Sequential media (CD-R/RW, DVD±R, BD-R), as cdrecord and growisofs compute them:
 *   START  the first track of the last complete session (READ DISC INFORMATION gives the
 *          sessions and the invisible track; READ TRACK INFORMATION of each track before
 *          the invisible one, walking back while it belongs to that session: the same
 *          address READ TOC format 1 reports on a CD, MMC-6 6.26.2.3)
 *   NEXT   the next writable address of the invisible track (MMC-6 6.27.3.12), which on
 *          a CD includes the lead-out and lead-in of the closed sessions
 * Overwritable media (DVD+RW, BD-RE, DVD-RAM): one growing session, as growisofs -M
 *   START  0
 *   NEXT   the volume space size of the ISO 9660 primary descriptor at LBA 16 (ECMA-119
 *          8.4.8), rounded up to the medium's ECC block (16 sectors)
 * A blank, closed, unknown or read-only disc is refused with DM_ERR_MEDIA. */
#ifndef MEDIA_MSINFO_H
#define MEDIA_MSINFO_H

#include "common/drive/media_probe.h"

typedef struct media_msinfo {
	uint32_t start;            /* the last session's first sector */
	uint32_t next;             /* where the next session goes */
	unsigned session;          /* the last complete session's number (1 for grown media) */
	int grown;                 /* overwritable: the next session grows the only one */
} media_msinfo;

/* d is media_probe_disc()'s answer for the disc in t. */
dm_status media_msinfo_get(scsi_transport *t, const media_disc *d, media_msinfo *out, dm_ctx *ctx);

#endif
