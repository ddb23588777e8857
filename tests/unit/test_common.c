/* common/: endian encoders, UTF-8, arena, error context. */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/dm_arena.h"
#include "common/dm_endian.h"
#include "common/dm_error.h"
#include "common/dm_keyset.h"
#include "common/dm_utf8.h"

#include <CUnit/CUnit.h>

static void test_both_endian(void)
{
	uint8_t b[8];
	dm_put_both32(b, 0x01020304);
	static const uint8_t want32[8] = {4, 3, 2, 1, 1, 2, 3, 4};
	CU_ASSERT_EQUAL(memcmp(b, want32, 8), 0);
	dm_put_both16(b, 0x0A0B);
	static const uint8_t want16[4] = {0x0B, 0x0A, 0x0A, 0x0B};
	CU_ASSERT_EQUAL(memcmp(b, want16, 4), 0);
	dm_put_le64(b, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(b[0], 0x88);
	CU_ASSERT_EQUAL(b[7], 0x11);
	CU_ASSERT_EQUAL(dm_get_le64(b), 0x1122334455667788ull);
	dm_put_be64(b, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(b[0], 0x11);
	CU_ASSERT_EQUAL(dm_get_be64(b), 0x1122334455667788ull);
	dm_put_be32(b, 0xDEADBEEF);
	CU_ASSERT_EQUAL(dm_get_be32(b), 0xDEADBEEF);
	CU_ASSERT_EQUAL(dm_get_le32(b), 0xEFBEADDE);
}

static void test_utf8(void)
{
	static const struct {
		const char *s;
		size_t len;
		int valid;
	} cases[] = {
		{"abc", 3, 1},
		{"\xC3\xA9", 2, 1},            /* é */
		{"\xE2\x82\xAC", 3, 1},        /* € */
		{"\xF0\x9F\x98\x80", 4, 1},    /* U+1F600 */
		{"\xC0\xAF", 2, 0},            /* overlong '/' */
		{"\xED\xA0\x80", 3, 0},        /* surrogate */
		{"\xF4\x90\x80\x80", 4, 0},    /* above U+10FFFF */
		{"\xE2\x82", 2, 0},            /* truncated */
		{"\x80", 1, 0},                /* stray continuation */
		{"a\xFF" "b", 3, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_EQUAL(dm_utf8_valid(cases[i].s, cases[i].len), cases[i].valid);
	size_t pos = 0;
	CU_ASSERT_EQUAL(dm_utf8_next("\xF0\x9F\x98\x80", 4, &pos), 0x1F600u);
	CU_ASSERT_EQUAL(pos, 4);
	pos = 0;
	CU_ASSERT_EQUAL(dm_utf8_next("\xE2\x82", 2, &pos), DM_UTF8_INVALID);
	CU_ASSERT_EQUAL(pos, 1); /* an invalid sequence consumes one byte */
	char out[4];
	uint32_t cps[] = {0x41, 0xE9, 0x20AC, 0x1F600};
	size_t lens[] = {1, 2, 3, 4};
	for (size_t i = 0; i < 4; i++) {
		size_t n = dm_utf8_put(out, cps[i]);
		CU_ASSERT_EQUAL(n, lens[i]);
		pos = 0;
		CU_ASSERT_EQUAL(dm_utf8_next(out, n, &pos), cps[i]);
	}
}

static void test_arena(void)
{
	dm_arena *a = dm_arena_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	char *s = dm_arena_strndup(a, "hello world", 5);
	CU_ASSERT_STRING_EQUAL(s, "hello");
	/* Many small objects and one larger than a block. */
	for (int i = 0; i < 100000; i++) {
		uint64_t *p = dm_arena_alloc(a, 24);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL((uintptr_t)p % 8, 0);
		CU_ASSERT_EQUAL(p[0] | p[1] | p[2], 0);
		p[0] = (uint64_t)i;
	}
	uint8_t *big = dm_arena_alloc(a, 3u << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	big[(3u << 20) - 1] = 1;
	CU_ASSERT(dm_arena_used(a) >= (3u << 20) + 100000u * 24u);
	CU_ASSERT_STRING_EQUAL(s, "hello");
	dm_arena_free(a);
}

static int warned;
static void on_msg(void *user, dm_level level, const char *text)
{
	(void)user;
	warned += level == DM_LEVEL_WARNING && strcmp(text, "careful: 7") == 0;
}

static void test_error(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(dm_fail(&ctx, DM_ERR_IO, "cannot open %s", "x.iso"), DM_ERR_IO);
	CU_ASSERT_STRING_EQUAL(ctx.msg, "cannot open x.iso");
	dm_fail_errno(&ctx, DM_ERR_IO, 2, "cannot open %s", "y");
	CU_ASSERT_STRING_EQUAL(ctx.msg, "cannot open y: No such file or directory");
	dm_fail_prefix(&ctx, "writing %s: ", "z");
	CU_ASSERT_STRING_EQUAL(ctx.msg, "writing z: cannot open y: No such file or directory");
	CU_ASSERT_EQUAL(ctx.status, DM_ERR_IO);
	ctx.on_message = on_msg;
	dm_warn(&ctx, "careful: %d", 7);
	CU_ASSERT_EQUAL(warned, 1);
	CU_ASSERT_EQUAL(ctx.warnings, 1);
	volatile int stop = 0;
	ctx.cancel = &stop;
	CU_ASSERT_FALSE(dm_cancelled(&ctx));
	stop = 1;
	CU_ASSERT_TRUE(dm_cancelled(&ctx));
}

/* A failure during clean-up does not replace the cause; both are kept (issue 16). */
static void test_error_deferred(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	dm_fail(&ctx, DM_ERR_SCSI, "WRITE(10) at LBA 512: write error");
	dm_defer(&ctx);
	CU_ASSERT_EQUAL(dm_fail(&ctx, DM_ERR_IO, "CLOSE TRACK: not ready"), DM_ERR_IO);
	dm_fail_prefix(&ctx, "closing: ");
	CU_ASSERT_STRING_EQUAL(dm_last_msg(&ctx), "closing: CLOSE TRACK: not ready");
	dm_defer(&ctx); /* nested */
	char why[64];
	CU_ASSERT_EQUAL(dm_tolerate(&ctx, dm_fail(&ctx, DM_ERR_SCSI, "PREVENT: no"), why,
				    sizeof(why)), DM_ERR_SCSI);
	CU_ASSERT_STRING_EQUAL(why, "PREVENT: no");
	CU_ASSERT_EQUAL(ctx.n_more, 1);
	CU_ASSERT_EQUAL(ctx.defer, 1);
	dm_undefer(&ctx);
	CU_ASSERT_EQUAL(ctx.status, DM_ERR_SCSI);
	CU_ASSERT_STRING_EQUAL(ctx.msg, "WRITE(10) at LBA 512: write error");
	CU_ASSERT_STRING_EQUAL(ctx.more[0], "closing: CLOSE TRACK: not ready");
	CU_ASSERT_STRING_EQUAL(dm_last_msg(&ctx), ctx.msg); /* not deferring: the first */
	/* more than fit: counted, not kept */
	dm_defer(&ctx);
	for (int i = 0; i < DM_MORE_MAX + 2; i++)
		dm_fail(&ctx, DM_ERR_IO, "step %d", i);
	dm_undefer(&ctx);
	CU_ASSERT_EQUAL(ctx.n_more, DM_MORE_MAX);
	CU_ASSERT_EQUAL(ctx.more_lost, 3);
	dm_clear(&ctx);
	CU_ASSERT_EQUAL(ctx.status, DM_OK);
	CU_ASSERT_EQUAL(ctx.n_more, 0);
	CU_ASSERT_STRING_EQUAL(dm_status_name(DM_ERR_INTERNAL), "internal error");
	/* A tolerated failure that left no message takes nothing older with it. */
	dm_defer(&ctx);
	dm_fail(&ctx, DM_ERR_IO, "kept");
	dm_defer(&ctx);
	CU_ASSERT_EQUAL(dm_tolerate(&ctx, DM_ERR_SCSI, why, sizeof(why)), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(ctx.n_more, 1);
	CU_ASSERT_STRING_EQUAL(ctx.more[0], "kept");
	dm_undefer(&ctx);
	CU_ASSERT_EQUAL(ctx.defer, 0);
}

/* DM_ERR_INTERNAL is an assertion: with assertions (no NDEBUG) the process stops with the
 * message on standard error; without them it is returned like any error. */
static void test_internal_error(void)
{
	CU_ASSERT_STRING_EQUAL(dm_status_name(DM_ERR_INTERNAL), "internal error");
	int fds[2];
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		dm_status st = dm_fail(&ctx, DM_ERR_INTERNAL, "plan says LBA %d", 42);
		_exit(st == DM_ERR_INTERNAL && ctx.status == DM_ERR_INTERNAL ? 0 : 1);
	}
	close(fds[1]);
	char buf[256] = {0};
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	int status = 0;
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
#ifdef NDEBUG
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_EQUAL(n, 0);
#else
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CU_ASSERT(n > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "plan says LBA 42"));
#endif
}

/* The importers' loop guard: each key once, across growth, 0 and the extremes too. */
static void test_keyset(void)
{
	dm_keyset s = {0};
	for (uint64_t k = 0; k < 5000; k++)
		CU_ASSERT_EQUAL(dm_keyset_add(&s, k * 2048), 0);
	CU_ASSERT_EQUAL(s.n, 5000);
	CU_ASSERT(s.cap >= 10000);
	for (uint64_t k = 0; k < 5000; k++)
		CU_ASSERT_EQUAL(dm_keyset_add(&s, k * 2048), 1);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, 1), 0);
	/* keys apart only in their high half (UDF: partition << 32 | block) */
	CU_ASSERT_EQUAL(dm_keyset_add(&s, (uint64_t)1 << 32), 0);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, (uint64_t)2 << 32), 0);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, (uint64_t)1 << 32), 1);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, UINT64_MAX), 0);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, UINT64_MAX - 1), 0);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, UINT64_MAX), 1);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, UINT64_MAX - 1), 1);
	dm_keyset_free(&s);
	CU_ASSERT_EQUAL(dm_keyset_add(&s, 0), 0); /* usable again after free */
	dm_keyset_free(&s);
}

static CU_TestInfo common_tests[] = {
	{"both-endian encoders", test_both_endian},
	{"utf-8 decoding", test_utf8},
	{"arena", test_arena},
	{"key set", test_keyset},
	{"error context", test_error},
	{"deferred messages", test_error_deferred},
	{"internal errors stop debug builds", test_internal_error},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"common", NULL, NULL, NULL, NULL, common_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
