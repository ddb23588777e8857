/* The TCMU command ring decoder (tests/guest/tcmu_ring.c) over a region built here the
 * way the kernel fills it: entries decoded, data gathered and scattered, answers written
 * in place, the tail moved and wrapped, and every offset the kernel could get wrong
 * refused. */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "tests/guest/tcmu_ring.h"

#define REGION 65536u
#define CMDR_OFF 128u
#define CMDR_SIZE 8192u
#define DATA_OFF (CMDR_OFF + CMDR_SIZE)

static uint8_t region[REGION] __attribute__((aligned(4096)));

static void put16(size_t off, uint16_t v) { memcpy(region + off, &v, 2); }
static void put32(size_t off, uint32_t v) { memcpy(region + off, &v, 4); }
static void put64(size_t off, uint64_t v) { memcpy(region + off, &v, 8); }
static uint32_t get32(size_t off) { uint32_t v; memcpy(&v, region + off, 4); return v; }

static void mailbox(uint16_t version, uint16_t flags)
{
	memset(region, 0, sizeof(region));
	put16(0, version);
	put16(2, flags);
	put32(4, CMDR_OFF);
	put32(8, CMDR_SIZE);
}

static void set_head(uint32_t h) { put32(12, h); }
static void set_tail(uint32_t t) { put32(64, t); }

typedef struct iov { uint64_t off, len; } iov;

/* A command entry at ring offset tail; returns its length. */
static uint32_t entry(uint32_t tail, uint16_t id, const uint8_t *cdb, size_t cdb_len,
		      const iov *v, uint32_t n)
{
	size_t e = CMDR_OFF + tail;
	uint32_t base = (uint32_t)(48 + 16 * n);
	uint32_t len = base + (uint32_t)((cdb_len + 7) / 8 * 8);
	put32(e, len | 1);
	put16(e + 4, id);
	put32(e + 8, n);
	put64(e + 24, e + base);
	for (uint32_t i = 0; i < n; i++) {
		put64(e + 48 + 16 * i, v[i].off);
		put64(e + 56 + 16 * i, v[i].len);
	}
	memcpy(region + e + base, cdb, cdb_len);
	return len;
}

static void test_init(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	tcmu_ring r;
	mailbox(2, 0xf);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_OK);
	CU_ASSERT_EQUAL(r.cmdr_off, CMDR_OFF);
	mailbox(1, 0);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_ERR_UNSUPPORTED);
	mailbox(2, 0);
	put32(8, REGION); /* the ring runs past the region */
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, 16, &ctx), DM_ERR_INVALID);
}

static void test_command(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	tcmu_ring r;
	tcmu_entry e;
	mailbox(2, 0xf);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_OK);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 0); /* empty */
	static const uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 16, 0, 0, 2, 0 };
	iov v[2] = { { DATA_OFF, 3000 }, { DATA_OFF + 8192, 1096 } };
	memset(region + DATA_OFF, 'a', 3000);
	memset(region + DATA_OFF + 8192, 'b', 1096);
	uint32_t len = entry(0, 77, w10, sizeof(w10), v, 2);
	set_head(len);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	CU_ASSERT_EQUAL(e.op, TCMU_RING_OP_CMD);
	CU_ASSERT_EQUAL(e.cmd_id, 77);
	CU_ASSERT_EQUAL(e.cdb_len, 10);
	CU_ASSERT_EQUAL(memcmp(e.cdb, w10, 10), 0);
	CU_ASSERT_EQUAL(e.iov_cnt, 2);
	CU_ASSERT_EQUAL(e.data_len, 4096);
	uint8_t buf[4096];
	tcmu_ring_gather(&r, &e, buf);
	CU_ASSERT_EQUAL(buf[0], 'a');
	CU_ASSERT_EQUAL(buf[2999], 'a');
	CU_ASSERT_EQUAL(buf[3000], 'b');
	CU_ASSERT_EQUAL(buf[4095], 'b');
	/* Data-in: a short answer fills the first buffer and part of the second. */
	memset(buf, 'z', sizeof(buf));
	tcmu_ring_scatter(&r, &e, buf, 3100);
	CU_ASSERT_EQUAL(region[DATA_OFF + 2999], 'z');
	CU_ASSERT_EQUAL(region[DATA_OFF + 8192 + 99], 'z');
	CU_ASSERT_EQUAL(region[DATA_OFF + 8192 + 100], 'b');
	/* The answer overlays the request; READ_LEN is flagged when the kernel takes it. */
	uint8_t sense[18] = { 0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24 };
	tcmu_ring_respond(&r, &e, 2, sense, sizeof(sense), 3100);
	CU_ASSERT_EQUAL(region[CMDR_OFF + 8], 2);
	CU_ASSERT_EQUAL(get32(CMDR_OFF + 12), 3100);
	CU_ASSERT_EQUAL(region[CMDR_OFF + 16 + 12], 0x24);
	CU_ASSERT_EQUAL(region[CMDR_OFF + 7] & 2, 2);
	tcmu_ring_consume(&r, &e);
	CU_ASSERT_EQUAL(get32(64), len);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 0);
	/* Without the READ_LEN capability the length is not written. */
	mailbox(2, 0x1);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_OK);
	len = entry(0, 78, w10, sizeof(w10), v, 1);
	set_head(len);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	tcmu_ring_respond(&r, &e, 0, NULL, 0, 10);
	CU_ASSERT_EQUAL(region[CMDR_OFF + 7] & 2, 0);
	/* An unknown operation is flagged for the kernel. */
	put32(CMDR_OFF, 16 | 5);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	CU_ASSERT_EQUAL(e.op, 5);
	tcmu_ring_unknown_op(&r, &e);
	CU_ASSERT_EQUAL(region[CMDR_OFF + 7] & 1, 1);
}

static void test_wrap(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	tcmu_ring r;
	tcmu_entry e;
	mailbox(2, 0xf);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_OK);
	/* A pad to the ring's end, then a command at its start. */
	uint32_t tail = CMDR_SIZE - 64;
	set_tail(tail);
	put32(CMDR_OFF + tail, 64 | 0);
	static const uint8_t tur[6] = { 0 };
	uint32_t len = entry(0, 1, tur, 6, NULL, 0);
	set_head(len);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	CU_ASSERT_EQUAL(e.op, TCMU_RING_OP_PAD);
	tcmu_ring_consume(&r, &e);
	CU_ASSERT_EQUAL(get32(64), 0);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	CU_ASSERT_EQUAL(e.op, TCMU_RING_OP_CMD);
	CU_ASSERT_EQUAL(e.cdb_len, 6);
	CU_ASSERT_EQUAL(e.data_len, 0);
}

/* Each broken entry is refused with a message, never read past. */
static void test_refused(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	tcmu_ring r;
	tcmu_entry e;
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	mailbox(2, 0xf);
	CU_ASSERT_EQUAL(tcmu_ring_init(&r, region, REGION, &ctx), DM_OK);
	/* head outside the ring, or not aligned */
	set_head(CMDR_SIZE + 8);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	set_head(12);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	/* a data buffer inside the command ring, or past the region */
	iov in_ring = { CMDR_OFF, 36 }, past = { REGION - 10, 36 }, huge = { DATA_OFF, ~0ull };
	set_head(entry(0, 1, inq, 6, &in_ring, 1));
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "outside the data area"));
	entry(0, 1, inq, 6, &past, 1);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	entry(0, 1, inq, 6, &huge, 1);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	/* the CDB offset outside its entry */
	uint32_t len = entry(0, 1, inq, 6, NULL, 0);
	set_head(len);
	put64(CMDR_OFF + 24, DATA_OFF);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "CDB offset"));
	/* more iovecs than the entry holds */
	entry(0, 1, inq, 6, NULL, 0);
	put32(CMDR_OFF + 8, 1000000);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	/* an entry longer than what is left of the ring, and one of no length */
	put32(CMDR_OFF, (CMDR_SIZE + 8) | 1);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	put32(CMDR_OFF, 0 | 1);
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), -1);
	/* a 32-byte variable-length CDB is handed over cut, for the handler to refuse */
	uint8_t var[32] = { 0x7f, 0, 0, 0, 0, 0, 0, 24 };
	set_head(entry(0, 1, var, sizeof(var), NULL, 0));
	CU_ASSERT_EQUAL(tcmu_ring_next(&r, &e, &ctx), 1);
	CU_ASSERT_EQUAL(e.cdb_len, 16);
	CU_ASSERT_EQUAL(tcmu_cdb_len(e.cdb), 32);
}

static void test_cdb_len(void)
{
	static const uint8_t ops[][2] = { { 0x00, 6 }, { 0x12, 6 }, { 0x28, 10 }, { 0x5d, 10 },
					  { 0x88, 16 }, { 0xa8, 12 }, { 0xbb, 12 }, { 0xd8, 10 } };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		uint8_t cdb[16] = { ops[i][0] };
		CU_ASSERT_EQUAL(tcmu_cdb_len(cdb), ops[i][1]);
	}
}

static CU_TestInfo ring_tests[] = {
	{ "mailbox", test_init },
	{ "a command: decode, gather, scatter, answer, consume", test_command },
	{ "padding and wrap-around", test_wrap },
	{ "broken entries are refused", test_refused },
	{ "CDB lengths", test_cdb_len },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "tcmu_ring", NULL, NULL, NULL, NULL, ring_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
