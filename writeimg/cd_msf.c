#include "writeimg/cd_msf.h"

#include <stdio.h>

/* MMC-6's LBA to MSF table: lead-in addresses (MSF 90:00:00 and above) are LBA = frames - 450150,
 * so 90:00:00 is LBA -45150 and 99:59:74 is LBA -151. */
#define CD_LEADIN_WRAP 450150

int32_t cd_msf_to_lba(unsigned m, unsigned s, unsigned f)
{
	int32_t v = (int32_t)((m * 60 + s) * CD_FRAMES_PER_SEC + f);
	if (m >= 90)
		return v - CD_LEADIN_WRAP;
	return v - CD_PREGAP_FIRST;
}

void cd_frames_to_msf(uint32_t frames, uint8_t *m, uint8_t *s, uint8_t *f)
{
	*m = (uint8_t)(frames / (60 * CD_FRAMES_PER_SEC));
	*s = (uint8_t)(frames / CD_FRAMES_PER_SEC % 60);
	*f = (uint8_t)(frames % CD_FRAMES_PER_SEC);
}

void cd_lba_to_msf(int32_t lba, uint8_t *m, uint8_t *s, uint8_t *f)
{
	int32_t v = lba >= -CD_PREGAP_FIRST ? lba + CD_PREGAP_FIRST : lba + CD_LEADIN_WRAP;
	cd_frames_to_msf((uint32_t)v, m, s, f);
}

static int digits(const char *p, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(p[i] - '0');
	}
	return 0;
}

int cd_msf_parse(const char *text, uint32_t *frames)
{
	int mlen = 0;
	while (text[mlen] >= '0' && text[mlen] <= '9')
		mlen++;
	if (mlen < 1 || mlen > 3 || text[mlen] != ':')
		return -1;
	const char *p = text + mlen + 1;
	unsigned m, s, f;
	if (digits(text, mlen, &m) || digits(p, 2, &s) || p[2] != ':' || digits(p + 3, 2, &f) ||
	    p[5] != '\0')
		return -1;
	if (s >= 60 || f >= CD_FRAMES_PER_SEC)
		return -1;
	*frames = (m * 60 + s) * CD_FRAMES_PER_SEC + f;
	return 0;
}

void cd_msf_format(uint32_t frames, char *out, size_t size)
{
	snprintf(out, size, "%02u:%02u:%02u", frames / (60 * CD_FRAMES_PER_SEC),
		 frames / CD_FRAMES_PER_SEC % 60, frames % CD_FRAMES_PER_SEC);
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

int cd_isrc_valid(const char *isrc)
{
	for (int i = 0; i < 12; i++) {
		char c = isrc[i];
		int ok = i < 2 ? is_upper(c) : i < 5 ? is_upper(c) || is_digit(c) : is_digit(c);
		if (!ok)
			return 0;
	}
	return isrc[12] == '\0';
}

int cd_mcn_valid(const char *mcn)
{
	for (int i = 0; i < 13; i++)
		if (!is_digit(mcn[i]))
			return 0;
	return mcn[13] == '\0';
}

uint16_t cd_crc16(const uint8_t *data, size_t len)
{
	uint16_t crc = 0;
	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)(data[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
	}
	return (uint16_t)~crc;
}
