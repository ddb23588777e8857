/* CD-ROM sector encoding (dm_cd_sector.h): EDC and RSPC parity per ECMA-130 annex A. */
#include "common/dm_cd_sector.h"

#include <string.h>

/* GF(2^8) of the RSPC: primitive polynomial x^8+x^4+x^3+x^2+1, alpha = 02h (annex A). */
static uint8_t gf_alpha(uint8_t a)
{
	return (uint8_t)(a & 0x80 ? (a << 1) ^ 0x11d : a << 1);
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;
	for (; b; b >>= 1, a = gf_alpha(a))
		if (b & 1)
			r ^= a;
	return r;
}

/* 1 / (alpha + 1) = 1 / 03h in this field. */
#define GF_INV_ALPHA1 0xf4

uint32_t dm_cd_edc(const uint8_t *data, size_t len)
{
	/* The polynomial reflected (bit i of the constant is the coefficient of x^(31-i)). */
	uint32_t crc = 0;
	for (size_t i = 0; i < len; i++) {
		crc ^= data[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (crc & 1 ? 0xd8018001u : 0);
	}
	return crc;
}

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

void dm_cd_sector_header(int32_t lba, uint8_t mode, uint8_t out[16])
{
	int64_t f = (int64_t)lba + 150;
	if (f < 0)
		f += 450000; /* lead-in addresses (MMC-6 table 632's MSF 90:00:00 and above) */
	memset(out, 0xff, 12);
	out[0] = 0;
	out[11] = 0;
	out[12] = bcd((unsigned)(f / 4500 % 100));
	out[13] = bcd((unsigned)(f / 75 % 60));
	out[14] = bcd((unsigned)(f % 75));
	out[15] = mode;
}

/* One RSPC code word of n data bytes taken at byte offsets pos(k) of the 2,340 bytes from
 * the header on, followed by two parity bytes. The check matrix (ECMA-130 annex A) asks
 * sum(V_k) = 0 and sum(alpha^(n+1-k) V_k) = 0 over k = 0..n+1; with S0, S1 the sums over
 * the data, the parity P0 (weight alpha) and P1 (weight 1) solve P0 + P1 = S0 and
 * alpha P0 + P1 = S1. */
static void rspc_word(uint8_t *base, const unsigned *pos, unsigned n, unsigned p0, unsigned p1)
{
	uint8_t s0 = 0, acc = 0;
	for (unsigned k = 0; k < n; k++) { /* Horner: acc = sum V_k alpha^(n-k) */
		s0 ^= base[pos[k]];
		acc = gf_alpha((uint8_t)(acc ^ base[pos[k]]));
	}
	uint8_t s1 = gf_alpha(acc);
	uint8_t x = gf_mul((uint8_t)(s0 ^ s1), GF_INV_ALPHA1);
	base[p0] = x;
	base[p1] = (uint8_t)(s0 ^ x);
}

/* The 2,340 bytes from the header are 1,170 16-bit words; each byte of a word (its
 * "MSB" and "LSB" planes) is coded separately. P: 43 columns of 24 words (word 43m+c),
 * parity words 1032+c and 1075+c. Q: 26 diagonals of 43 words (word (44m+43d) mod 1118),
 * parity words 1118+d and 1144+d. */
void dm_cd_sector_ecc(uint8_t sector[DM_CD_RAW])
{
	uint8_t *b = sector + 12;
	unsigned pos[43];
	for (unsigned plane = 0; plane < 2; plane++) {
		for (unsigned c = 0; c < 43; c++) {
			for (unsigned m = 0; m < 24; m++)
				pos[m] = 2 * (43 * m + c) + plane;
			rspc_word(b, pos, 24, 2 * (1032 + c) + plane, 2 * (1075 + c) + plane);
		}
	}
	for (unsigned plane = 0; plane < 2; plane++) {
		for (unsigned d = 0; d < 26; d++) {
			for (unsigned m = 0; m < 43; m++)
				pos[m] = 2 * ((44 * m + 43 * d) % 1118) + plane;
			rspc_word(b, pos, 43, 2 * (1118 + d) + plane, 2 * (1144 + d) + plane);
		}
	}
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void dm_cd_sector_mode1(int32_t lba, const uint8_t user[DM_CD_USER], uint8_t out[DM_CD_RAW])
{
	dm_cd_sector_header(lba, 1, out);
	memcpy(out + 16, user, DM_CD_USER);
	put_le32(out + 2064, dm_cd_edc(out, 2064));
	memset(out + 2068, 0, 8);
	dm_cd_sector_ecc(out);
}

void dm_cd_sector_mode2_form1(int32_t lba, const uint8_t subheader[4],
			      const uint8_t user[DM_CD_USER], uint8_t out[DM_CD_RAW])
{
	uint8_t hdr[4];
	dm_cd_sector_header(lba, 2, out);
	memcpy(out + 16, subheader, 4);
	memcpy(out + 20, subheader, 4);
	out[18] &= (uint8_t)~0x20; /* form 1 */
	out[22] = out[18];
	memcpy(out + 24, user, DM_CD_USER);
	put_le32(out + 2072, dm_cd_edc(out + 16, 2056));
	/* The parity of a Mode 2 sector is computed with a zero header (ECMA-130 annex A
	 * note): the address may be rewritten without re-coding the sector. */
	memcpy(hdr, out + 12, 4);
	memset(out + 12, 0, 4);
	dm_cd_sector_ecc(out);
	memcpy(out + 12, hdr, 4);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int dm_cd_sector_check(const uint8_t sector[DM_CD_RAW])
{
	uint8_t copy[DM_CD_RAW];
	memcpy(copy, sector, DM_CD_RAW);
	if (sector[15] == 1) {
		if (get_le32(sector + 2064) != dm_cd_edc(sector, 2064))
			return 0;
	} else if (sector[15] == 2 && !(sector[18] & 0x20)) {
		if (get_le32(sector + 2072) != dm_cd_edc(sector + 16, 2056))
			return 0;
		memset(copy + 12, 0, 4);
	} else {
		return 0;
	}
	dm_cd_sector_ecc(copy);
	return memcmp(copy + 2076, sector + 2076, DM_CD_RAW - 2076) == 0;
}
