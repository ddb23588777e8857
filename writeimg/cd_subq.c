#include "writeimg/cd_subq.h"

#include <string.h>

#include "common/dm_endian.h"
#include "writeimg/cd_msf.h"

/* Sectors between MCN/ISRC frames; the MCN and ISRC take different slots. */
#define ADR_PERIOD 100
#define MCN_SLOT 10
#define ISRC_SLOT 60

static void seal(uint8_t q[CD_SUBQ_SIZE])
{
	dm_put_be16(q + 10, cd_crc16(q, 10));
}

int cd_subq_crc_ok(const uint8_t q[CD_SUBQ_SIZE])
{
	return dm_get_be16(q + 10) == cd_crc16(q, 10);
}

static void put_msf_bcd(uint8_t *p, uint32_t frames)
{
	uint8_t m, s, f;
	cd_frames_to_msf(frames, &m, &s, &f);
	p[0] = cd_bcd(m);
	p[1] = cd_bcd(s);
	p[2] = cd_bcd(f);
}

static uint8_t aframe(int32_t lba)
{
	uint8_t m, s, f;
	cd_lba_to_msf(lba, &m, &s, &f);
	return cd_bcd(f);
}

void cd_subq_position(uint8_t ctl, unsigned tno, unsigned index, int32_t rel, int32_t lba,
		      uint8_t q[CD_SUBQ_SIZE])
{
	memset(q, 0, CD_SUBQ_SIZE);
	q[0] = (uint8_t)(ctl << 4 | 1);
	q[1] = cd_bcd(tno);
	q[2] = cd_bcd(index);
	put_msf_bcd(q + 3, (uint32_t)(rel < 0 ? -rel : rel));
	uint8_t m, s, f;
	cd_lba_to_msf(lba, &m, &s, &f);
	q[7] = cd_bcd(m);
	q[8] = cd_bcd(s);
	q[9] = cd_bcd(f);
	seal(q);
}

void cd_subq_mcn(uint8_t ctl, const char *mcn, int32_t lba, uint8_t q[CD_SUBQ_SIZE])
{
	memset(q, 0, CD_SUBQ_SIZE);
	q[0] = (uint8_t)(ctl << 4 | 2);
	for (int i = 0; i < 13; i++)
		q[1 + i / 2] |= (uint8_t)((mcn[i] - '0') << (i % 2 ? 0 : 4));
	q[9] = aframe(lba);
	seal(q);
}

/* ISRC characters in Q (Red Book): '0'-'9' are 00h-09h, 'A'-'Z' 11h-2Ah. */
static unsigned isrc_code(char c)
{
	return c >= 'A' ? (unsigned)(c - 'A') + 0x11 : (unsigned)(c - '0');
}

void cd_subq_isrc(uint8_t ctl, const char *isrc, int32_t lba, uint8_t q[CD_SUBQ_SIZE])
{
	memset(q, 0, CD_SUBQ_SIZE);
	q[0] = (uint8_t)(ctl << 4 | 3);
	/* 64 bits from byte 1: 5 x 6 bits, 2 zero bits, 7 x 4 bits, 4 zero bits. */
	uint64_t bits = 0;
	for (int i = 0; i < 5; i++)
		bits = bits << 6 | isrc_code(isrc[i]);
	bits <<= 2;
	for (int i = 5; i < 12; i++)
		bits = bits << 4 | (unsigned)(isrc[i] - '0');
	bits <<= 4;
	dm_put_be64(q + 1, bits);
	q[9] = aframe(lba);
	seal(q);
}

void cd_subq_for_lba(const cd_layout *l, int32_t lba, uint8_t q[CD_SUBQ_SIZE], int *p)
{
	unsigned ti = 0;
	while (ti + 1 < l->ntracks && lba >= l->tracks[ti + 1].index[0])
		ti++;
	const cd_track *t = &l->tracks[ti];
	uint8_t ctl = (uint8_t)(t->flags | (t->mode == CD_MODE_AUDIO ? 0 : CD_FLAG_DATA));
	unsigned x = 0;
	while (x < t->nindex && lba >= t->index[x + 1])
		x++;
	if (t->pregap == 0 && x == 0)
		x = 1;
	*p = x == 0;
	int32_t slot = (lba + CD_PREGAP_FIRST) % ADR_PERIOD;
	if (l->mcn[0] && slot == MCN_SLOT)
		cd_subq_mcn(ctl, l->mcn, lba, q);
	else if (t->isrc[0] && x > 0 && slot == ISRC_SLOT)
		cd_subq_isrc(ctl, t->isrc, lba, q);
	else
		cd_subq_position(ctl, t->number, x, lba - t->index[1], lba, q);
}

void cd_subq_to_pw(const uint8_t q[CD_SUBQ_SIZE], int p, uint8_t out[CD_SUBCH_RAW_SIZE])
{
	for (int i = 0; i < CD_SUBCH_RAW_SIZE; i++)
		out[i] = (uint8_t)((p ? 0x80 : 0) | (((q[i / 8] >> (7 - i % 8)) & 1) << 6));
}

int cd_subq_from_pw(const uint8_t in[CD_SUBCH_RAW_SIZE], uint8_t q[CD_SUBQ_SIZE])
{
	memset(q, 0, CD_SUBQ_SIZE);
	int ones = 0;
	for (int i = 0; i < CD_SUBCH_RAW_SIZE; i++) {
		if (in[i] & 0x40)
			q[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		ones += (in[i] & 0x80) != 0;
	}
	return ones * 2 > CD_SUBCH_RAW_SIZE; /* P is all ones or all zeros; take the majority */
}
