/* `writeimg --info`: the drive and its disc, as text or JSON. */
#ifndef WI_INFO_H
#define WI_INFO_H

#include <stdio.h>

#include "common/drive/media_probe.h"

void wi_info_print(FILE *out, const char *drive, const media_drive *dr, const media_disc *disc,
		   int json);

#endif
