/* Sense decoding and messages, and scsi_run()'s retry policy over a scripted mock
 * transport. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/drive/emu_recorder.h"
#include "common/drive/mmc_cmds.h"
#include "common/drive/scsi_transport.h"

static void test_decode(void)
{
	uint8_t s[18];
	scsi_sense_info i;
	CU_ASSERT_EQUAL(scsi_sense_build_fixed(s, 5, 0x21, 0x02), 18);
	CU_ASSERT_EQUAL(s[0], 0x70);
	CU_ASSERT_EQUAL(s[7], 10);
	CU_ASSERT_TRUE(scsi_sense_decode(s, 18, &i));
	CU_ASSERT_EQUAL(i.key, 5);
	CU_ASSERT_EQUAL(i.asc, 0x21);
	CU_ASSERT_EQUAL(i.ascq, 0x02);
	/* Descriptor format (0x72): key byte 1, ASC/ASCQ bytes 2-3. */
	uint8_t d[8] = { 0x72, 0x03, 0x11, 0x00, 0, 0, 0, 0 };
	CU_ASSERT_TRUE(scsi_sense_decode(d, 8, &i));
	CU_ASSERT_EQUAL(i.key, 3);
	CU_ASSERT_EQUAL(i.asc, 0x11);
	/* Garbage: response code 0, too short, NULL. */
	uint8_t g[18] = { 0 };
	CU_ASSERT_FALSE(scsi_sense_decode(g, 18, &i));
	CU_ASSERT_FALSE(scsi_sense_decode(s, 3, &i));
	CU_ASSERT_FALSE(scsi_sense_decode(NULL, 18, &i));
	CU_ASSERT_FALSE(i.valid);
}

static void test_classify(void)
{
	static const struct {
		uint8_t key, asc, ascq;
		scsi_sense_class want;
	} cases[] = {
		{ 2, 0x04, 0x01, SCSI_CLASS_BECOMING_READY },
		{ 2, 0x04, 0x08, SCSI_CLASS_IN_PROGRESS },
		{ 2, 0x04, 0x07, SCSI_CLASS_IN_PROGRESS },
		{ 2, 0x3a, 0x00, SCSI_CLASS_NO_MEDIUM },
		{ 2, 0x3a, 0x01, SCSI_CLASS_NO_MEDIUM },
		{ 2, 0x24, 0x00, SCSI_CLASS_ERROR },   /* tgt's "invalid field": no waiting */
		{ 2, 0x04, 0x00, SCSI_CLASS_ERROR },   /* not ready, cause not reportable */
		{ 6, 0x28, 0x00, SCSI_CLASS_UNIT_ATTENTION },
		{ 6, 0x29, 0x00, SCSI_CLASS_UNIT_ATTENTION },
		{ 5, 0x20, 0x00, SCSI_CLASS_INVALID_OPCODE },
		{ 5, 0x21, 0x02, SCSI_CLASS_ERROR },
		{ 0, 0x00, 0x00, SCSI_CLASS_NONE },
		{ 1, 0x17, 0x00, SCSI_CLASS_NONE },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		scsi_sense_info i = { 1, cases[k].key, cases[k].asc, cases[k].ascq };
		CU_ASSERT_EQUAL(scsi_sense_classify(&i), cases[k].want);
	}
	scsi_sense_info none = { 0 };
	CU_ASSERT_EQUAL(scsi_sense_classify(&none), SCSI_CLASS_NONE);
}

static void test_messages(void)
{
	char m[256];
	scsi_sense_info i = { 1, 5, 0x30, 0x05 };
	scsi_sense_message(&i, m, sizeof(m));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "5/30/05"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "blank disc"));
	scsi_sense_info nm = { 1, 2, 0x3a, 0x00 };
	scsi_sense_message(&nm, m, sizeof(m));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "insert"));
	scsi_sense_info nwa = { 1, 5, 0x21, 0x02 };
	scsi_sense_message(&nwa, m, sizeof(m));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "next writable address"));
	scsi_sense_info inv = { 0 };
	scsi_sense_message(&inv, m, sizeof(m));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "without usable sense"));
	/* A tiny buffer is never overrun. */
	char tiny[8];
	scsi_sense_message(&i, tiny, sizeof(tiny));
	CU_ASSERT_EQUAL(strlen(tiny), 7);
}

/* A transport that answers from a script: each step a status and sense triple. */
typedef struct step {
	int status;
	uint8_t key, asc, ascq;
} step;

typedef struct mock {
	scsi_transport base;
	const step *script;
	size_t n, pos;
	int fail_transport;
	const uint8_t *data;   /* what a data-in command with GOOD status gets, or NULL */
	size_t data_len;
} mock;

static dm_status mock_execute(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir,
			      uint8_t *buf, size_t len, unsigned timeout_ms, scsi_result *r,
			      dm_ctx *ctx)
{
	mock *m = t->impl;
	memset(r, 0, sizeof(*r));
	CU_ASSERT(timeout_ms > 0);
	if (m->fail_transport)
		return dm_fail(ctx, DM_ERR_IO, "connection lost");
	const step *s = m->pos < m->n ? &m->script[m->pos] : &m->script[m->n - 1];
	m->pos++;
	r->status = s->status;
	if (s->status == SCSI_ST_CHECK_CONDITION)
		r->sense_len = scsi_sense_build_fixed(r->sense, s->key, s->asc, s->ascq);
	r->resid = len;
	if (s->status == SCSI_ST_GOOD && dir == SCSI_DIR_IN && m->data) {
		size_t n = m->data_len < len ? m->data_len : len;
		memcpy(buf, m->data, n);
		r->resid = len - n;
	}
	return DM_OK;
}

static void mock_close(scsi_transport *t) { (void)t; }
static const char *mock_describe(scsi_transport *t) { (void)t; return "mock"; }
static const scsi_transport_ops mock_ops = { mock_execute, mock_close, mock_describe, NULL };

static void mock_init(mock *m, const step *script, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->base.ops = &mock_ops;
	m->base.impl = m;
	m->base.ready_wait_ms = 400;
	m->base.ua_retries = 3;
	m->script = script;
	m->n = n;
}

static void test_retry_policy(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mock m;
	/* Becoming ready twice, then ready. */
	static const step becoming[] = { { 2, 2, 0x04, 0x01 }, { 2, 2, 0x04, 0x01 }, { 0 } };
	mock_init(&m, becoming, 3);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_OK);
	CU_ASSERT_EQUAL(m.pos, 3);
	/* UNIT ATTENTION at once retried, up to ua_retries. */
	static const step ua[] = { { 2, 6, 0x28, 0x00 }, { 2, 6, 0x29, 0x00 }, { 0 } };
	mock_init(&m, ua, 3);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_OK);
	static const step ua_forever[] = { { 2, 6, 0x28, 0x00 } };
	mock_init(&m, ua_forever, 1);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(m.pos, 4);
	/* 2/24/00 is not waited for (spec/drive-notes.md, tgt quirk 6). */
	static const step invalid[] = { { 2, 2, 0x24, 0x00 }, { 0 } };
	mock_init(&m, invalid, 2);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(m.pos, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "TEST UNIT READY"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "2/24/00"));
	/* Long write in progress: the wait is bounded by ready_wait_ms. */
	static const step busy[] = { { 2, 2, 0x04, 0x08 } };
	mock_init(&m, busy, 1);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_SCSI);
	CU_ASSERT(m.pos >= 3 && m.pos <= 10);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "still after"));
	/* Cancellation stops the wait. */
	volatile int stop = 1;
	ctx.cancel = &stop;
	mock_init(&m, busy, 1);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_INTERRUPTED);
	ctx.cancel = NULL;
	/* BUSY status and an odd status. */
	static const step busy_status[] = { { SCSI_ST_BUSY, 0, 0, 0 }, { 0, 0, 0, 0 } };
	mock_init(&m, busy_status, 2);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_OK);
	static const step odd[] = { { 0x18, 0, 0, 0 } };
	mock_init(&m, odd, 1);
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_SCSI);
	/* A transport failure names the command. */
	mock_init(&m, odd, 1);
	m.fail_transport = 1;
	CU_ASSERT_EQUAL(mmc_test_unit_ready(&m.base, &ctx), DM_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "TEST UNIT READY: connection lost"));
}

static void test_tolerated_answers(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mock m;
	/* RESERVE TRACK rejected as an invalid opcode is "not supported", not an error. */
	static const step invalid_op[] = { { 2, 5, 0x20, 0x00 } };
	mock_init(&m, invalid_op, 1);
	int unsupported = 0;
	CU_ASSERT_EQUAL(mmc_reserve_track(&m.base, 1404, &unsupported, &ctx), DM_OK);
	CU_ASSERT_EQUAL(unsupported, 1);
	static const step other[] = { { 2, 5, 0x21, 0x00 } };
	mock_init(&m, other, 1);
	CU_ASSERT_EQUAL(mmc_reserve_track(&m.base, 1404, &unsupported, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(unsupported, 0);
	/* No medium is an answer for mmc_media_present. */
	static const step none[] = { { 2, 2, 0x3a, 0x00 } };
	mock_init(&m, none, 1);
	int present = 1;
	CU_ASSERT_EQUAL(mmc_media_present(&m.base, &present, &ctx), DM_OK);
	CU_ASSERT_EQUAL(present, 0);
	/* WRITE(10) failures name the LBA. */
	static const step nwa[] = { { 2, 5, 0x21, 0x02 } };
	mock_init(&m, nwa, 1);
	uint8_t buf[2048] = { 0 };
	CU_ASSERT_EQUAL(mmc_write10(&m.base, 100, 1, buf, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "WRITE(10) at LBA 100 (1 sectors)"));
	/* A data-in command whose answer does not arrive is a parse failure. */
	static const step good[] = { { 0 } };
	mock_init(&m, good, 1);
	mmc_capacity cap;
	CU_ASSERT_EQUAL(mmc_read_capacity(&m.base, &cap, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "READ CAPACITY"));
}

static void test_backoff(void)
{
	CU_ASSERT_EQUAL(scsi_backoff_ms(0), 50);
	CU_ASSERT_EQUAL(scsi_backoff_ms(1), 100);
	CU_ASSERT_EQUAL(scsi_backoff_ms(4), 800);
	CU_ASSERT_EQUAL(scsi_backoff_ms(5), 1000);
	CU_ASSERT_EQUAL(scsi_backoff_ms(100), 1000);
}

static void test_open_errors(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	scsi_transport *t = (scsi_transport *)1;
	CU_ASSERT_EQUAL(scsi_open("", &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NULL(t);
	/* SG_IO: a missing device is an error that says what to do. */
	CU_ASSERT_EQUAL(scsi_open("/dev/nonexistent-sr9", &t, &ctx), DM_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/dev/nonexistent-sr9"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--list"));
	/* A regular file is no SCSI device either. */
	CU_ASSERT_EQUAL(scsi_open("/dev/null", &t, &ctx), DM_ERR_IO);
	/* iSCSI: a malformed URL, and a portal nobody listens on. */
	CU_ASSERT_EQUAL(scsi_open("iscsi://", &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(scsi_open("iscsi://127.0.0.1:1/iqn.2026-11.test:none/1", &t, &ctx),
			DM_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "cannot connect"));
	/* Emulator specs: before the emulator registers, "emu:" is a device path like any. */
	CU_ASSERT_EQUAL(scsi_open("emu:floppy:/tmp/x", &t, &ctx), DM_ERR_IO);
	CU_ASSERT_EQUAL_FATAL(scsi_register(&emu_transport_kind, &ctx), DM_OK);
	CU_ASSERT_EQUAL(scsi_register(&emu_transport_kind, &ctx), DM_OK); /* again: nothing */
	CU_ASSERT_EQUAL(scsi_open("emu:floppy:/tmp/x", &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "dvd+r"));
	CU_ASSERT_EQUAL(scsi_open("emu:dvd+r", &t, &ctx), DM_ERR_INVALID);
}

#include "common/drive/media_probe.h"

/* A device that is not an optical drive is refused before anything that writes. */
static void test_optical_only(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mock m;
	static const step good[] = { { 0 } };
	uint8_t inq[36] = { 0x00, 0x00, 0x05, 0x02, 31 };
	memcpy(inq + 8, "ATA     ", 8);
	memcpy(inq + 16, "SOME DISK       ", 16);
	mock_init(&m, good, 1);
	m.data = inq;
	m.data_len = sizeof(inq);
	CU_ASSERT_EQUAL(media_check_optical(&m.base, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "not an optical drive"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "00h"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "SOME DISK"));
	CU_ASSERT_EQUAL(m.pos, 1); /* INQUIRY only */
	inq[0] = 0x05;
	mock_init(&m, good, 1);
	m.data = inq;
	m.data_len = sizeof(inq);
	CU_ASSERT_EQUAL(media_check_optical(&m.base, &ctx), DM_OK);
}

/* Polling a drive busy with an IMMED command: TEST UNIT READY, then REQUEST SENSE for
 * the progress the TEST UNIT READY sense lacked. */
static void test_poll_progress(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mock m;
	static const step busy_then_sense[] = { { 2, 2, 0x04, 0x04 }, { 0 } };
	uint8_t sense[18] = { 0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x04, 0x04, 0, 0x80, 0x40,
			      0x00 };
	mock_init(&m, busy_then_sense, 2);
	m.data = sense;
	m.data_len = sizeof(sense);
	int busy, progress;
	CU_ASSERT_EQUAL(mmc_poll_progress(&m.base, &busy, &progress, &ctx), DM_OK);
	CU_ASSERT_EQUAL(busy, 1);
	CU_ASSERT_EQUAL(progress, 0x4000);
	CU_ASSERT_EQUAL(m.pos, 2);
	CU_ASSERT_EQUAL(m.base.ready_wait_ms, 400); /* restored */
	CU_ASSERT_EQUAL(ctx.status, DM_OK);         /* a busy drive is no failure */
	CU_ASSERT_EQUAL(ctx.n_more, 0);
	static const step ready[] = { { 0 } };
	mock_init(&m, ready, 1);
	CU_ASSERT_EQUAL(mmc_poll_progress(&m.base, &busy, &progress, &ctx), DM_OK);
	CU_ASSERT_EQUAL(busy, 0);
	CU_ASSERT_EQUAL(progress, -1);
	static const step failed[] = { { 2, 3, 0x31, 0x00 } };
	mock_init(&m, failed, 1);
	CU_ASSERT_EQUAL(mmc_poll_progress(&m.base, &busy, &progress, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "3/31/00"));
	CU_ASSERT_EQUAL(m.pos, 1);
}

/* A registered kind takes the drives named with its prefix; prefixes are unique. */
static unsigned fake_opens;
static dm_status fake_open(const char *drive, scsi_transport **out, dm_ctx *ctx)
{
	fake_opens++;
	*out = NULL;
	return dm_fail(ctx, DM_ERR_UNSUPPORTED, "fake transport for %s", drive);
}

static void test_register(void)
{
	static const scsi_transport_kind fake = { "fake:", fake_open };
	static const scsi_transport_kind fake2 = { "fake:", fake_open };
	static const scsi_transport_kind any = { NULL, fake_open };
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	scsi_transport *t;
	CU_ASSERT_EQUAL(scsi_open("fake:x", &t, &ctx), DM_ERR_IO); /* SG_IO's: no such device */
	CU_ASSERT_EQUAL(fake_opens, 0);
	CU_ASSERT_EQUAL_FATAL(scsi_register(&fake, &ctx), DM_OK);
	CU_ASSERT_EQUAL(scsi_open("fake:x", &t, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(fake_opens, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "fake:x"));
	/* iSCSI and device paths still go where they went. */
	CU_ASSERT_EQUAL(scsi_open("iscsi://", &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(scsi_open("/dev/nonexistent-sr9", &t, &ctx), DM_ERR_IO);
	CU_ASSERT_EQUAL(fake_opens, 1);
	CU_ASSERT_EQUAL(scsi_register(&fake2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "fake:"));
	CU_ASSERT_EQUAL(scsi_register(&any, &ctx), DM_ERR_INVALID); /* a second fallback */
}

static CU_TestInfo sense_tests[] = {
	{ "decode fixed and descriptor sense", test_decode },
	{ "classes for the retry policy", test_classify },
	{ "messages", test_messages },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo run_tests[] = {
	{ "retry policy", test_retry_policy },
	{ "tolerated answers", test_tolerated_answers },
	{ "backoff", test_backoff },
	{ "open errors of every transport", test_open_errors },
	{ "only optical drives", test_optical_only },
	{ "IMMED progress polling", test_poll_progress },
	{ "registered transports", test_register },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "scsi_sense", NULL, NULL, NULL, NULL, sense_tests },
	{ "scsi_run", NULL, NULL, NULL, NULL, run_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
