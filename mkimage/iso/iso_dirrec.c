#include "mkimage/iso/iso_dirrec.h"

#include <string.h>
#include <time.h>

#include "common/dm_endian.h"

/* 1900-01-01 and 2155-12-31 23:59:59 UTC: the range of the 7-byte form (9.1.5). */
#define T_MIN (-2208988800LL)
#define T_MAX (5869583999LL)

static void utc(int64_t t, struct tm *tm)
{
	if (t < T_MIN)
		t = T_MIN;
	if (t > T_MAX)
		t = T_MAX;
	time_t tt = (time_t)t;
	gmtime_r(&tt, tm);
}

void iso_put_date7(uint8_t *p, int64_t t)
{
	struct tm tm;
	utc(t, &tm);
	p[0] = (uint8_t)tm.tm_year; /* years since 1900 */
	p[1] = (uint8_t)(tm.tm_mon + 1);
	p[2] = (uint8_t)tm.tm_mday;
	p[3] = (uint8_t)tm.tm_hour;
	p[4] = (uint8_t)tm.tm_min;
	p[5] = (uint8_t)tm.tm_sec;
	p[6] = 0; /* GMT offset in 15-minute units: we write UTC */
}

static void put_digits(uint8_t *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (uint8_t)('0' + v % 10);
}

void iso_put_date17(uint8_t *p, int64_t t)
{
	struct tm tm;
	/* 8.4.26.1 allows years 1-9999; the 7-byte range is plenty and keeps both consistent. */
	utc(t, &tm);
	uint8_t buf[16];
	put_digits(buf, tm.tm_year + 1900, 4);
	put_digits(buf + 4, tm.tm_mon + 1, 2);
	put_digits(buf + 6, tm.tm_mday, 2);
	put_digits(buf + 8, tm.tm_hour, 2);
	put_digits(buf + 10, tm.tm_min, 2);
	put_digits(buf + 12, tm.tm_sec, 2);
	put_digits(buf + 14, 0, 2); /* hundredths */
	memcpy(p, buf, 16);
	p[16] = 0;
}

void iso_put_date17_unset(uint8_t *p)
{
	memset(p, '0', 16);
	p[16] = 0;
}

size_t iso_put_dirrec(uint8_t *p, uint32_t lba, uint32_t size, int64_t mtime, uint8_t flags,
		      const uint8_t *id, uint8_t id_len, const uint8_t *su, size_t su_len)
{
	size_t pad = (id_len & 1u) ? 0 : 1; /* 9.1.12: pad so the SU field starts even */
	size_t su_even = su_len + (su_len & 1u);
	size_t len = 33 + id_len + pad + su_even;
	memset(p, 0, len);
	p[0] = (uint8_t)len;          /* 9.1.1 length of directory record */
	p[1] = 0;                     /* 9.1.2 extended attribute record length */
	dm_put_both32(p + 2, lba);    /* 9.1.3 location of extent */
	dm_put_both32(p + 10, size);  /* 9.1.4 data length */
	iso_put_date7(p + 18, mtime); /* 9.1.5 recording date and time */
	p[25] = flags;                /* 9.1.6 file flags */
	p[26] = 0;                    /* 9.1.7 file unit size (not interleaved) */
	p[27] = 0;                    /* 9.1.8 interleave gap size */
	dm_put_both16(p + 28, 1);     /* 9.1.9 volume sequence number */
	p[32] = id_len;               /* 9.1.10 length of file identifier */
	memcpy(p + 33, id, id_len);   /* 9.1.11 file identifier */
	if (su_len)
		memcpy(p + 33 + id_len + pad, su, su_len); /* 9.1.13 system use */
	return len;
}

size_t iso_put_ptrec(uint8_t *p, int big_endian, uint32_t lba, uint16_t parent, const uint8_t *id,
		     uint8_t id_len)
{
	size_t len = 8u + id_len + (id_len & 1u);
	memset(p, 0, len);
	p[0] = id_len; /* 9.4.1 length of directory identifier */
	p[1] = 0;      /* 9.4.2 extended attribute record length */
	if (big_endian) {
		dm_put_be32(p + 2, lba);
		dm_put_be16(p + 6, parent);
	} else {
		dm_put_le32(p + 2, lba);
		dm_put_le16(p + 6, parent);
	}
	memcpy(p + 8, id, id_len);
	return len;
}
