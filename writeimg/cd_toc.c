#include "writeimg/cd_toc.h"

#include <string.h>

#include "common/dm_endian.h"
#include "writeimg/cd_cuesheet.h"
#include "writeimg/cd_msf.h"
#include "writeimg/cd_text.h"

#define ADR_POSITION 0x10 /* ADR 1 in byte 1's high nibble */
#define POINT_FIRST 0xA0
#define POINT_LAST 0xA1
#define POINT_LEADOUT 0xA2
#define TRACK_LEADOUT 0xAA

static size_t finish(const uint8_t *buf, size_t len, uint8_t *out, size_t max)
{
	memcpy(out, buf, len < max ? len : max);
	return len;
}

static void put_address(uint8_t *p, int32_t lba, int msf)
{
	if (msf) {
		p[0] = 0;
		cd_lba_to_msf(lba, &p[1], &p[2], &p[3]);
	} else {
		dm_put_be32(p, (uint32_t)lba);
	}
}

static uint8_t control(const cd_layout *l, unsigned i)
{
	return cd_track_control(&l->tracks[i]);
}

size_t cd_toc_format0(const cd_layout *l, int msf, unsigned start_track, uint8_t *out, size_t max)
{
	uint8_t buf[4 + (CD_TRACKS_MAX + 1) * 8];
	unsigned first = l->tracks[0].number, last = l->tracks[l->ntracks - 1].number;
	if (start_track > last && start_track != TRACK_LEADOUT)
		return 0;
	buf[2] = (uint8_t)first;
	buf[3] = (uint8_t)last;
	uint8_t *p = buf + 4;
	for (unsigned i = 0; i < l->ntracks; i++) {
		if (start_track == TRACK_LEADOUT || l->tracks[i].number < start_track)
			continue;
		p[0] = 0;
		p[1] = ADR_POSITION | control(l, i);
		p[2] = (uint8_t)l->tracks[i].number;
		p[3] = 0;
		put_address(p + 4, l->tracks[i].index[1], msf);
		p += 8;
	}
	p[0] = 0;
	p[1] = ADR_POSITION | control(l, l->ntracks - 1);
	p[2] = TRACK_LEADOUT;
	p[3] = 0;
	put_address(p + 4, l->leadout, msf);
	p += 8;
	size_t len = (size_t)(p - buf);
	dm_put_be16(buf, (uint16_t)(len - 2));
	return finish(buf, len, out, max);
}

size_t cd_toc_format1(const cd_layout *l, int msf, uint8_t *out, size_t max)
{
	uint8_t buf[12] = { 0x00, 0x0a, 1, 1, 0 };
	buf[5] = ADR_POSITION | control(l, 0);
	buf[6] = (uint8_t)l->tracks[0].number;
	put_address(buf + 8, l->tracks[0].index[1], msf);
	return finish(buf, sizeof(buf), out, max);
}

static uint8_t *full_entry(uint8_t *p, uint8_t ctl, uint8_t point, uint8_t pm, uint8_t ps,
			   uint8_t pf)
{
	memset(p, 0, 11);
	p[0] = 1; /* session */
	p[1] = ADR_POSITION | ctl;
	p[3] = point;
	p[8] = pm;
	p[9] = ps;
	p[10] = pf;
	return p + 11;
}

size_t cd_toc_format2(const cd_layout *l, uint8_t *out, size_t max)
{
	uint8_t buf[4 + (CD_TRACKS_MAX + 3) * 11];
	buf[2] = 1;
	buf[3] = 1;
	uint8_t disc_type = 0x00;
	for (unsigned i = 0; i < l->ntracks; i++)
		if (l->tracks[i].mode == CD_MODE2_2352)
			disc_type = 0x20;
	unsigned n = l->ntracks - 1;
	uint8_t *p = buf + 4, m, s, f;
	p = full_entry(p, control(l, 0), POINT_FIRST, (uint8_t)l->tracks[0].number, disc_type, 0);
	p = full_entry(p, control(l, n), POINT_LAST, (uint8_t)l->tracks[n].number, 0, 0);
	cd_lba_to_msf(l->leadout, &m, &s, &f);
	p = full_entry(p, control(l, n), POINT_LEADOUT, m, s, f);
	for (unsigned i = 0; i < l->ntracks; i++) {
		cd_lba_to_msf(l->tracks[i].index[1], &m, &s, &f);
		p = full_entry(p, control(l, i), (uint8_t)l->tracks[i].number, m, s, f);
	}
	size_t len = (size_t)(p - buf);
	dm_put_be16(buf, (uint16_t)(len - 2));
	return finish(buf, len, out, max);
}

size_t cd_toc_format5(const uint8_t *packs, unsigned count, uint8_t *out, size_t max)
{
	size_t len = 4 + (size_t)count * CD_TEXT_PACK_SIZE;
	uint8_t head[4] = { 0 };
	dm_put_be16(head, (uint16_t)(len - 2));
	memcpy(out, head, max < 4 ? max : 4);
	if (max > 4 && count)
		memcpy(out + 4, packs, len - 4 < max - 4 ? len - 4 : max - 4);
	return len;
}
