#include "common/dm_utf8.h"

uint32_t dm_utf8_next(const char *str, size_t len, size_t *pos)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = *pos;
	unsigned c = s[i];
	uint32_t cp, min;
	size_t n;

	if (c < 0x80) {
		*pos = i + 1;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 1; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3; cp = c & 0x07; min = 0x10000;
	} else {
		*pos = i + 1;
		return DM_UTF8_INVALID;
	}
	if (i + n >= len) { /* truncated sequence */
		*pos = i + 1;
		return DM_UTF8_INVALID;
	}
	for (size_t k = 1; k <= n; k++) {
		unsigned b = s[i + k];
		if ((b & 0xC0) != 0x80) {
			*pos = i + 1;
			return DM_UTF8_INVALID;
		}
		cp = (cp << 6) | (b & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*pos = i + 1;
		return DM_UTF8_INVALID;
	}
	*pos = i + n + 1;
	return cp;
}

int dm_utf8_valid(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len)
		if (dm_utf8_next(s, len, &pos) == DM_UTF8_INVALID)
			return 0;
	return 1;
}

size_t dm_utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}
