/* MD5 against the RFC 1321 A.5 test suite, fed whole and in odd pieces, and a copied
 * context giving the digest of a prefix (what --implant-md5's fragment sums need). */
#include <CUnit/Basic.h>
#include <string.h>

#include "common/dm_md5.h"

static void digest_of(const void *data, size_t len, size_t piece, char hex[33])
{
	dm_md5 s;
	uint8_t d[DM_MD5_LEN];
	const uint8_t *p = data;
	dm_md5_init(&s);
	if (!piece)
		piece = len ? len : 1;
	for (size_t off = 0; off < len; off += piece)
		dm_md5_update(&s, p + off, len - off < piece ? len - off : piece);
	dm_md5_final(&s, d);
	dm_md5_hex(d, hex);
}

static void test_rfc1321(void)
{
	static const struct {
		const char *msg, *hex;
	} v[] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		 "d174ab98d277d9f5a5611c2c9f419d9f"},
		{"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
		 "0",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	char hex[33];
	static const size_t pieces[] = {0, 1, 3, 55, 63, 64, 65};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (size_t j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
			digest_of(v[i].msg, strlen(v[i].msg), pieces[j], hex);
			CU_ASSERT_STRING_EQUAL(hex, v[i].hex);
		}
}

/* Lengths around the padding boundary: one update and byte-by-byte updates agree. */
static void test_boundaries(void)
{
	uint8_t buf[130];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	for (size_t len = 50; len <= sizeof(buf); len++) {
		char a[33], b[33];
		digest_of(buf, len, 0, a);
		digest_of(buf, len, 1, b);
		CU_ASSERT_STRING_EQUAL(a, b);
	}
}

static void test_copy_prefix(void)
{
	dm_md5 s, copy;
	uint8_t d[DM_MD5_LEN];
	char hex[33];
	dm_md5_init(&s);
	dm_md5_update(&s, "abc", 3);
	copy = s;
	dm_md5_final(&copy, d);
	dm_md5_hex(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "900150983cd24fb0d6963f7d28e17f72");
	dm_md5_update(&s, "defghijklmnopqrstuvwxyz", 23);
	dm_md5_final(&s, d);
	dm_md5_hex(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "c3fcd3d76192e4007dfb496cca67e13b");
}

static CU_TestInfo md5_tests[] = {
	{"RFC 1321 A.5 vectors, in pieces", test_rfc1321},
	{"padding boundaries", test_boundaries},
	{"a copied context digests the prefix", test_copy_prefix},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"dm_md5", NULL, NULL, NULL, NULL, md5_tests},
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
