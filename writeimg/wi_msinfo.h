/* writeimg --msinfo: the last session's start and the next session's address of the disc
 * in a drive, "START,NEXT" as `cdrecord -msinfo` prints them (media_msinfo.h says how they
 * are found), for mkimage --previous --session-start and mkisofs -C. */
#ifndef WI_MSINFO_H
#define WI_MSINFO_H

#include <stdio.h>

#include "common/drive/media_msinfo.h"

/* Probe the disc and find both addresses. DM_ERR_MEDIA / DM_ERR_NOSPACE: the disc has no
 * session to add to (blank, closed, full); the message says why. */
dm_status wi_msinfo_get(scsi_transport *t, media_msinfo *out, dm_ctx *ctx);

/* Fill d's msinfo fields for --info when the disc has them; quiet otherwise. */
void wi_msinfo_fill(scsi_transport *t, media_disc *d);

void wi_msinfo_print(FILE *out, const media_msinfo *ms);

#endif
