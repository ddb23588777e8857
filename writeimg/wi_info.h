/* `writeimg --info`: the drive and its disc, as text or JSON. */
#ifndef WI_INFO_H
#define WI_INFO_H

#include <stdio.h>

#include "common/drive/media_probe.h"
#include "writeimg/wi_cdread.h"

/* tracks: a CD's track list (wi_cd_tracks_read), NULL when there is none to show. */
void wi_info_print(FILE *out, const char *drive, const media_drive *dr, const media_disc *disc,
		   const wi_cd_tracks *tracks, int json);

#endif
