/* SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf") and a
 * million-'a' message, fed whole and in odd pieces; each test runs with every
 * implementation (portable C, and SHA-NI where the CPU has it), and the two are compared
 * on random data of many lengths. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_sha256.h"

/* The implementation the tests below use. */
static dm_sha256_impl impl = DM_SHA256_AUTO;

static void digest_of(const void *data, size_t len, size_t piece, char hex[65])
{
	dm_sha256 s;
	uint8_t d[DM_SHA256_LEN];
	const uint8_t *p = data;
	CU_ASSERT_FATAL(dm_sha256_init_impl(&s, impl));
	if (!piece)
		piece = len ? len : 1;
	for (size_t off = 0; off < len; off += piece)
		dm_sha256_update(&s, p + off, len - off < piece ? len - off : piece);
	dm_sha256_final(&s, d);
	dm_sha256_hex(d, hex);
}

static void test_vectors(void)
{
	static const struct {
		const char *msg;
		const char *hex;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	char hex[65];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t pieces[] = { 0, 1, 3, 63, 64, 65 };
		for (size_t j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
			digest_of(v[i].msg, strlen(v[i].msg), pieces[j], hex);
			CU_ASSERT_STRING_EQUAL(hex, v[i].hex);
		}
	}
}

static void test_million_a(void)
{
	static uint8_t a[1000000];
	char hex[65];
	memset(a, 'a', sizeof(a));
	digest_of(a, sizeof(a), 0, hex);
	CU_ASSERT_STRING_EQUAL(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	digest_of(a, sizeof(a), 4099, hex);
	CU_ASSERT_STRING_EQUAL(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Message lengths around the padding boundary (55, 56, 64 bytes) against each other:
 * one update and byte-by-byte updates must agree. */
static void test_boundaries(void)
{
	uint8_t m[130];
	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 7 + 1);
	for (size_t len = 50; len <= 130; len++) {
		char h1[65], h2[65];
		digest_of(m, len, 0, h1);
		digest_of(m, len, 1, h2);
		CU_ASSERT_STRING_EQUAL(h1, h2);
	}
}

/* The portable and SHA-NI implementations agree on random data of every length up to
 * 300 bytes and on longer ones around multiples of 64, fed whole and in random pieces. */
static void test_shani_against_portable(void)
{
	dm_sha256 probe;
	if (!dm_sha256_init_impl(&probe, DM_SHA256_SHANI)) {
		fprintf(stderr, " (this CPU has no SHA extensions: SHA-NI comparison skipped) ");
		return;
	}
	enum { MAX = 70000 };
	uint8_t *m = malloc(MAX);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	srand(12345);
	for (size_t i = 0; i < MAX; i++)
		m[i] = (uint8_t)(rand() >> 7);
	size_t lens[400], n = 0;
	for (size_t len = 0; len <= 300; len++)
		lens[n++] = len;
	for (size_t k = 5; k < 1000 && n < 390; k = k * 3 + 1) {
		lens[n++] = 64 * k - 1;
		lens[n++] = 64 * k;
		lens[n++] = 64 * k + 1;
	}
	lens[n++] = MAX;
	unsigned mismatches = 0;
	for (size_t i = 0; i < n && lens[i] <= MAX; i++) {
		char hc[65], hs[65];
		size_t piece = (size_t)rand() % 200 + 1;
		impl = DM_SHA256_PORTABLE;
		digest_of(m, lens[i], 0, hc);
		impl = DM_SHA256_SHANI;
		digest_of(m, lens[i], piece, hs);
		if (strcmp(hc, hs) != 0 && mismatches++ < 5)
			fprintf(stderr, "\n  length %zu (pieces of %zu): portable %s, SHA-NI %s", lens[i],
				piece, hc, hs);
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	impl = DM_SHA256_AUTO;
	free(m);
}

/* What dm_sha256_init picks: SHA-NI exactly where the CPU has it. */
static void test_auto_choice(void)
{
	dm_sha256 probe;
	int have = dm_sha256_init_impl(&probe, DM_SHA256_SHANI);
	CU_ASSERT_EQUAL(have, dm_sha256_shani_usable() && dm_sha256_blocks_shani != NULL);
	CU_ASSERT_STRING_EQUAL(dm_sha256_impl_name(), have ? "sha-ni" : "portable");
	CU_ASSERT(dm_sha256_init_impl(&probe, DM_SHA256_PORTABLE));
}

static int use_portable(void)
{
	impl = DM_SHA256_PORTABLE;
	return 0;
}

static int use_shani(void)
{
	dm_sha256 probe;
	if (!dm_sha256_init_impl(&probe, DM_SHA256_SHANI)) {
		fprintf(stderr, "\n(this CPU has no SHA extensions: the SHA-NI vectors are skipped; "
			"the portable ones ran)\n");
		impl = DM_SHA256_PORTABLE;
		return 0;
	}
	impl = DM_SHA256_SHANI;
	return 0;
}

static int use_auto(void)
{
	impl = DM_SHA256_AUTO;
	return 0;
}

static CU_TestInfo sha_tests[] = {
	{ "FIPS 180-4 vectors", test_vectors },
	{ "one million 'a'", test_million_a },
	{ "padding boundaries", test_boundaries },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo cross_tests[] = {
	{ "SHA-NI against portable C on random data", test_shani_against_portable },
	{ "the implementation chosen", test_auto_choice },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "dm_sha256 portable C", use_portable, use_auto, NULL, NULL, sha_tests },
	{ "dm_sha256 SHA-NI", use_shani, use_auto, NULL, NULL, sha_tests },
	{ "dm_sha256 both", NULL, NULL, NULL, NULL, cross_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
