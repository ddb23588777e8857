/* The pure decoders of what a drive says about a CD's tracks (wi_cdread.h): the Q
 * sub-channel's position and the CD-TEXT packs of the lead-in. Kept apart from the
 * commands so the MMC fuzz target (tests/fuzz/fuzz_mmc_parsers.c) feeds them any bytes. */
#include "writeimg/wi_cdread.h"

#include "writeimg/cd_msf.h"
#include "writeimg/cd_subq.h"
#include "writeimg/cd_text.h"

int wi_cd_q_position(const uint8_t q[12], unsigned *tno, unsigned *index)
{
	if ((q[0] & 0x0f) != 1)
		return 0;
	if ((q[10] || q[11]) && !cd_subq_crc_ok(q))
		return 0;
	*tno = cd_unbcd(q[1]);
	*index = cd_unbcd(q[2]);
	return 1;
}

static char *text_slot(wi_cd_tracks *tr, unsigned type, unsigned track)
{
	if (track == 0)
		return type == 0x80 ? tr->title : tr->performer;
	for (unsigned i = 0; i < tr->n; i++)
		if (tr->t[i].number == track)
			return type == 0x80 ? tr->t[i].title : tr->t[i].performer;
	return NULL;
}

void wi_cd_text_decode(const uint8_t *packs, unsigned count, wi_cd_tracks *tr)
{
	for (unsigned type = 0x80; type <= 0x81; type++) {
		int started = 0;
		unsigned track = 0;
		size_t len = 0;
		char *slot = NULL;
		for (unsigned i = 0; i < count; i++) {
			const uint8_t *p = packs + (size_t)i * CD_TEXT_PACK_SIZE;
			if (p[0] != type || (p[3] & 0x70) || (p[3] & 0x80) || !cd_text_pack_crc_ok(p))
				continue;
			if (!started) {
				started = 1;
				track = p[1];
				slot = text_slot(tr, type, track);
				len = 0;
			}
			for (unsigned k = 4; k < 16; k++) {
				if (p[k] == 0) {
					if (slot)
						slot[len] = '\0';
					slot = text_slot(tr, type, ++track);
					len = 0;
				} else if (slot && len + 1 < 96) {
					slot[len++] = (char)p[k];
					slot[len] = '\0';
				}
			}
		}
	}
}
