/* The tray as an action of its own: --eject and --load (MMC-6 6.44 START STOP UNIT). */
#ifndef WI_TRAY_H
#define WI_TRAY_H

#include "common/drive/scsi_transport.h"

/* Allow removal (PREVENT ALLOW 0), then open the tray (LoEj 1, Start 0), and tell the
 * operating system the medium went away (transport op media_changed). */
dm_status wi_eject(scsi_transport *t, dm_ctx *ctx);
/* Close the tray (LoEj 1, Start 1) and wait until the drive has read the disc (or
 * found none): *present says which. */
dm_status wi_load(scsi_transport *t, int *present, dm_ctx *ctx);

#endif
