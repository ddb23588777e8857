#include "mkimage/udf/udf_cs0.h"

#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_utf8.h"

/* The next character of s: a code point, or for a byte that is not UTF-8 the Latin-1
 * character of that value (the name is then shown as its bytes would read in Latin-1). */
static uint32_t next_cp(const char *s, size_t len, size_t *pos)
{
	size_t at = *pos;
	uint32_t cp = dm_utf8_next(s, len, pos);
	if (cp == DM_UTF8_INVALID)
		cp = (uint8_t)s[at];
	return cp;
}

udf_cs0_status udf_cs0_encode(uint8_t *out, size_t max, const char *s, size_t len,
			      size_t *out_len)
{
	/* First pass: the compression the name needs and whether CS0 holds it. */
	int wide = 0;
	size_t units = 0, pos = 0;
	while (pos < len) {
		uint32_t cp = next_cp(s, len, &pos);
		if (cp == 0xFEFF || cp == 0xFFFE)
			return UDF_CS0_FORBIDDEN;
		if (cp > 0xFF)
			wide = 1;
		units += cp > 0xFFFF ? 2 : 1;
	}
	size_t need = 1 + units * (wide ? 2u : 1u);
	*out_len = need;
	if (need > max)
		return UDF_CS0_TOO_LONG;
	size_t k = 0;
	out[k++] = wide ? 16 : 8;
	pos = 0;
	while (pos < len) {
		uint32_t cp = next_cp(s, len, &pos);
		if (!wide) {
			out[k++] = (uint8_t)cp;
		} else if (cp > 0xFFFF) {
			cp -= 0x10000;
			dm_put_be16(out + k, (uint16_t)(0xD800 + (cp >> 10)));
			dm_put_be16(out + k + 2, (uint16_t)(0xDC00 + (cp & 0x3FF)));
			k += 4;
		} else {
			dm_put_be16(out + k, (uint16_t)cp);
			k += 2;
		}
	}
	return UDF_CS0_OK;
}

/* The characters of s that a dstring of size bytes holds, as code points CS0 can store
 * (others become '_'), into cps; returns how many, and whether 16 bits are needed. */
static size_t dstring_chars(size_t size, const char *s, uint32_t *cps, int *wide)
{
	size_t len = s ? strlen(s) : 0, pos = 0, n = 0, bytes = 1;
	*wide = 0;
	if (size < 2)
		return 0;
	/* Decide the compression over the whole text first: a cut name keeps one width. */
	while (pos < len) {
		uint32_t cp = next_cp(s, len, &pos);
		if (cp == 0xFEFF || cp == 0xFFFE)
			cp = '_';
		if (cp > 0xFF)
			*wide = 1;
	}
	pos = 0;
	while (pos < len) {
		uint32_t cp = next_cp(s, len, &pos);
		if (cp == 0xFEFF || cp == 0xFFFE)
			cp = '_';
		size_t w = *wide ? (cp > 0xFFFF ? 4u : 2u) : 1u;
		if (bytes + w > size - 1)
			break;
		bytes += w;
		cps[n++] = cp;
	}
	return n;
}

size_t udf_dstring_room(size_t size, const char *s)
{
	uint32_t cps[256];
	int wide;
	if (size > 256)
		size = 256;
	return dstring_chars(size, s, cps, &wide);
}

void udf_put_dstring(uint8_t *field, size_t size, const char *s)
{
	uint32_t cps[256];
	int wide;
	memset(field, 0, size);
	if (size > 256)
		size = 256; /* the length byte holds at most 255 */
	size_t n = dstring_chars(size, s, cps, &wide);
	if (n == 0)
		return; /* 1/7.2.12: an empty dstring is all zeros */
	size_t k = 0;
	field[k++] = wide ? 16 : 8;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		if (!wide) {
			field[k++] = (uint8_t)cp;
		} else if (cp > 0xFFFF) {
			cp -= 0x10000;
			dm_put_be16(field + k, (uint16_t)(0xD800 + (cp >> 10)));
			dm_put_be16(field + k + 2, (uint16_t)(0xDC00 + (cp & 0x3FF)));
			k += 4;
		} else {
			dm_put_be16(field + k, (uint16_t)cp);
			k += 2;
		}
	}
	field[size - 1] = (uint8_t)k;
}

void udf_put_charspec(uint8_t *p)
{
	static const char info[] = "OSTA Compressed Unicode";
	memset(p, 0, 64);
	p[0] = 0; /* CS0 */
	memcpy(p + 1, info, sizeof(info) - 1);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's decomposition:
 * 400-year eras of 146097 days, years starting in March). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void udf_put_timestamp(uint8_t *p, int64_t t)
{
	/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years 1/7.3.2 allows. */
	const int64_t min = -62135596800LL, max = 253402300799LL;
	if (t < min)
		t = min;
	if (t > max)
		t = max;
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	/* 1/7.3.1: type 1 (local time) in the top 4 bits, offset from UTC in minutes (0)
	 * as a 12-bit two's complement number below. */
	dm_put_le16(p + 0, 0x1000);
	dm_put_le16(p + 2, (uint16_t)y);
	p[4] = (uint8_t)m;
	p[5] = (uint8_t)d;
	p[6] = (uint8_t)(secs / 3600);
	p[7] = (uint8_t)(secs / 60 % 60);
	p[8] = (uint8_t)(secs % 60);
	p[9] = 0;  /* centiseconds */
	p[10] = 0; /* hundreds of microseconds */
	p[11] = 0; /* microseconds */
}

void udf_put_regid(uint8_t *p, const char *id, const uint8_t suffix[8])
{
	memset(p, 0, 32);
	size_t n = strlen(id);
	memcpy(p + 1, id, n > 23 ? 23 : n);
	if (suffix)
		memcpy(p + 24, suffix, 8);
}

void udf_put_domain_id(uint8_t *p, unsigned rev)
{
	uint8_t suffix[8] = {0};
	dm_put_le16(suffix, (uint16_t)rev);
	suffix[2] = 0; /* domain flags: neither hard nor soft write protect (UDF 2.1.5.3) */
	udf_put_regid(p, "*OSTA UDF Compliant", suffix);
}

void udf_put_udf_id(uint8_t *p, const char *id, unsigned rev)
{
	uint8_t suffix[8] = {0};
	dm_put_le16(suffix, (uint16_t)rev);
	suffix[2] = UDF_OS_CLASS_UNIX;
	suffix[3] = UDF_OS_ID_LINUX;
	udf_put_regid(p, id, suffix);
}

void udf_put_impl_id(uint8_t *p)
{
	uint8_t suffix[8] = {UDF_OS_CLASS_UNIX, UDF_OS_ID_LINUX, 0, 0, 0, 0, 0, 0};
	udf_put_regid(p, UDF_IMPL_ID, suffix);
}

void udf_put_app_id(uint8_t *p, const char *id)
{
	udf_put_regid(p, id ? id : "", NULL);
}

long udf_cs0_decode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	if (!len)
		return 0;
	unsigned id = in[0];
	if ((id != 8 && id != 16) || (id == 16 && (len - 1) % 2))
		return -1;
	size_t n = 0;
	for (size_t i = 1; i < len;) {
		uint32_t cp;
		if (id == 8) {
			cp = in[i++];
		} else {
			cp = (uint32_t)in[i] << 8 | in[i + 1];
			i += 2;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < len) {
				uint32_t lo = (uint32_t)in[i] << 8 | in[i + 1];
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				return -1;
		}
		if (cp == 0 || cp == '/' || n + 5 > cap)
			return -1;
		n += dm_utf8_put(out + n, cp);
	}
	out[n] = '\0';
	return (long)n;
}
