/* READ TOC/PMA/ATIP responses for a disc written from a layout (MMC-6 READ TOC/PMA/ATIP,
 * formats 0 TOC, 1 session information, 2 full TOC, 5 CD-TEXT): what the emulated CD
 * recorder answers after a Disc-At-Once or Track-At-Once burn, and what a reader of a
 * real disc is checked against. One closed session.
 *
 * Formats 0 and 1 give each track's start (index 1) as an LBA or, with msf, as binary
 * MSF; their descriptors' byte 1 is ADR in the high nibble, CONTROL in the low one (the
 * other way round from the Q sub-channel's CTL/ADR). Format 2 gives the lead-in's points
 * A0h (first track, disc type in PSEC: 00h CD-DA/CD-ROM, 20h CD-ROM XA), A1h (last
 * track), A2h (the lead-out), then every track, in binary MSF.
 *
 * Each function returns the response's full length and stores at most max bytes of it
 * (a short allocation length gets the beginning, as MMC wants). */
#ifndef CD_TOC_H
#define CD_TOC_H

#include <stddef.h>
#include <stdint.h>

#include "writeimg/cd_layout.h"

/* Format 0 from track start_track on (0 or 1: all; AAh: the lead-out alone). 0 when
 * start_track is past the last track and not AAh (MMC: INVALID FIELD IN CDB). */
size_t cd_toc_format0(const cd_layout *layout, int msf, unsigned start_track, uint8_t *out,
		      size_t max);
size_t cd_toc_format1(const cd_layout *layout, int msf, uint8_t *out, size_t max);
size_t cd_toc_format2(const cd_layout *layout, uint8_t *out, size_t max);
/* Format 5: the packs cd_text_encode made (count 0: a header alone). */
size_t cd_toc_format5(const uint8_t *packs, unsigned count, uint8_t *out, size_t max);

#endif
