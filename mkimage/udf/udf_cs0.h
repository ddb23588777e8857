/* OSTA CS0 strings and the small ECMA-167 part 1 types every UDF descriptor uses:
 * d-characters in OSTA Compressed Unicode (UDF 2.60 2.1.1), dstrings (ECMA-167 1/7.2.12,
 * UDF 2.1.3), the CS0 charspec (UDF 2.1.2), timestamps (ECMA-167 1/7.3, UDF 2.1.4) and
 * entity identifiers (regid, ECMA-167 1/7.4, UDF 2.1.5). Pure functions on byte buffers. */
#ifndef MK_UDF_CS0_H
#define MK_UDF_CS0_H

#include <stddef.h>
#include <stdint.h>

/* What udf_cs0_encode() found. */
typedef enum udf_cs0_status {
	UDF_CS0_OK = 0,
	UDF_CS0_TOO_LONG,    /* more bytes than allowed */
	UDF_CS0_FORBIDDEN    /* U+FEFF or U+FFFE (UDF 2.1.1) */
} udf_cs0_status;

/* Encode the name s (len bytes, UTF-8) as OSTA Compressed Unicode into out: the
 * compression ID, then the characters, 8 bits each when every one is below U+0100 (ID 8),
 * else 16 bits big-endian (ID 16). Bytes that are not UTF-8 stand for the Latin-1
 * character of the same value. Characters above U+FFFF are written as UTF-16 surrogate
 * pairs (two 16-bit units) in every revision: UDF 2.60 with DCN-5157 says so, and Windows
 * and Linux's udf driver write and read them so for every revision. At most max bytes (the compression ID included) are written; *out_len is the length the
 * whole name needs, also when it is too long. */
udf_cs0_status udf_cs0_encode(uint8_t *out, size_t max, const char *s, size_t len,
			      size_t *out_len);

/* Decode an OSTA CS0 string (compression ID 8 or 16, then the characters; UTF-16
 * surrogate pairs joined) to UTF-8 into out (at most 4 * len bytes needed, plus the NUL).
 * Returns the length, or -1 for another compression ID, an odd 16-bit string, a lone
 * surrogate, U+0000 or '/' (which no name may hold). len 0 gives 0. */
long udf_cs0_decode(const uint8_t *in, size_t len, char *out, size_t cap);

/* A dstring field of size bytes (1/7.2.12): CS0 characters, zero padding, the length of
 * the used part in the last byte; an empty or NULL string gives all zeros. Text that does
 * not fit is cut at a character; characters CS0 cannot hold become '_'. */
void udf_put_dstring(uint8_t *field, size_t size, const char *s);

/* How many characters of s a dstring of size bytes holds (for option checks). */
size_t udf_dstring_room(size_t size, const char *s);

/* The charspec "CS0, OSTA Compressed Unicode" (64 bytes, UDF 2.1.2). */
void udf_put_charspec(uint8_t *p);

/* A 12-byte timestamp (1/7.3) of t seconds since 1970 in UTC: type 1 (local time) with a
 * time zone offset of 0 minutes (UDF 2.1.4.1). Years outside 1-9999 are clamped. */
void udf_put_timestamp(uint8_t *p, int64_t t);

/* Entity identifiers (32 bytes, 1/7.4): flags 0, the identifier, the 8-byte suffix. */
void udf_put_regid(uint8_t *p, const char *id, const uint8_t suffix[8]);
/* The domain identifier "*OSTA UDF Compliant" with the revision and no write-protect
 * flags in the suffix (UDF 2.1.5.3). */
void udf_put_domain_id(uint8_t *p, unsigned rev);
/* A UDF identifier ("*UDF LV Info", "*UDF Metadata Partition"): the revision, then OS
 * class and identifier (UDF 2.1.5.3, 6.3: UNIX, Linux). */
void udf_put_udf_id(uint8_t *p, const char *id, unsigned rev);
/* Our implementation identifier (UDF 2.1.5.2: developer id, OS class, OS identifier). */
void udf_put_impl_id(uint8_t *p);
/* An application identifier: the text, cut to 23 bytes, no suffix. */
void udf_put_app_id(uint8_t *p, const char *id);

#define UDF_IMPL_ID "*discmaster"
#define UDF_OS_CLASS_UNIX 4  /* UDF 6.3 */
#define UDF_OS_ID_LINUX 5

#endif
