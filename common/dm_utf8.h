/* UTF-8 decoding for names. Names on Linux are bytes; these helpers say which bytes form
 * valid UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
#ifndef DM_UTF8_H
#define DM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define DM_UTF8_INVALID 0xFFFFFFFFu

/* Decode one code point at s[*pos] (len bytes in all) and advance *pos. An invalid or
 * truncated sequence consumes exactly one byte and yields DM_UTF8_INVALID. */
uint32_t dm_utf8_next(const char *s, size_t len, size_t *pos);
/* 1 when all len bytes are valid UTF-8. */
int dm_utf8_valid(const char *s, size_t len);
/* Encode cp into out (4 bytes room); returns the number of bytes. */
size_t dm_utf8_put(char *out, uint32_t cp);

#endif
