/* The emulated recorder CDB by CDB through its transport (emu_open + execute, no retry
 * policy in between), table-driven over every medium: exact answers (profiles, features,
 * disc and track information, format capacities, TOC and ATIP bytes), the sense triples of
 * commands that do not fit the medium, format and blank with progress, rewrite, layer
 * break, cue-sheet SAO, speeds, faults, and the one-file disc across reopens. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "common/drive/emu_media.h"
#include "common/drive/emu_recorder.h"
#include "common/drive/emu_state.h"

static char dir[64];
static unsigned counter;
static uint8_t data[64 * 2048];

static int setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_emu_media.XXXXXX");
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 2048);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *fresh(char *buf, size_t len)
{
	snprintf(buf, len, "%s/m%u.img", dir, counter++);
	return buf;
}

static scsi_transport *open_spec(const char *medium, const char *path, const char *settings)
{
	char spec[512];
	snprintf(spec, sizeof(spec), "emu:%s:%s%s%s", medium, path, settings ? "?" : "",
		 settings ? settings : "");
	scsi_transport *t = NULL;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (emu_open(spec, &t, &ctx) != DM_OK)
		fprintf(stderr, "\n%s: %s\n", spec, ctx.msg);
	CU_ASSERT_PTR_NOT_NULL(t);
	return t;
}

/* The outcome of one command: status, sense triple, bytes in. */
typedef struct res {
	int rc;            /* 0 GOOD, 1 CHECK CONDITION, -1 transport failure */
	unsigned sense;    /* key << 16 | asc << 8 | ascq */
	unsigned progress; /* sense-key specific progress, when SKSV */
	int sksv;
	size_t got;
} res;

static res run(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir_,
	       uint8_t *buf, size_t len)
{
	scsi_result r;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	res out = { 0, 0, 0, 0, 0 };
	if (t->ops->execute(t, cdb, cdb_len, dir_, buf, len, 1000, &r, &ctx) != DM_OK) {
		out.rc = -1;
		return out;
	}
	if (r.status != 0) {
		out.rc = 1;
		out.sense = (unsigned)(r.sense[2] & 0x0f) << 16 | (unsigned)r.sense[12] << 8 |
			    r.sense[13];
	}
	out.got = len - r.resid;
	return out;
}

#define SK(k, a, q) ((unsigned)(k) << 16 | (unsigned)(a) << 8 | (q))

static res cmd_in(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, uint8_t *buf,
		  size_t len)
{
	return run(t, cdb, cdb_len, SCSI_DIR_IN, buf, len);
}

static res tur(scsi_transport *t)
{
	uint8_t c[6] = { 0 };
	return run(t, c, 6, SCSI_DIR_NONE, NULL, 0);
}

static res request_sense(scsi_transport *t, uint8_t *s)
{
	uint8_t c[6] = { 0x03, 0, 0, 0, 18, 0 };
	res r = cmd_in(t, c, 6, s, 18);
	r.sense = SK(s[2] & 0x0f, s[12], s[13]);
	r.sksv = (s[15] & 0x80) != 0;
	r.progress = dm_get_be16(s + 16);
	return r;
}

static res write10(scsi_transport *t, uint32_t lba, uint16_t n)
{
	uint8_t c[10] = { 0x2a };
	dm_put_be32(c + 2, lba);
	dm_put_be16(c + 7, n);
	return run(t, c, 10, SCSI_DIR_OUT, data, (size_t)n * 2048);
}

static res read10(scsi_transport *t, uint32_t lba, uint16_t n, uint8_t *buf)
{
	uint8_t c[10] = { 0x28 };
	dm_put_be32(c + 2, lba);
	dm_put_be16(c + 7, n);
	return cmd_in(t, c, 10, buf, (size_t)n * 2048);
}

static res disc_info(scsi_transport *t, uint8_t *r)
{
	uint8_t c[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
	memset(r, 0, 34);
	return cmd_in(t, c, 10, r, 34);
}

static res track_info(scsi_transport *t, unsigned number, uint8_t *r)
{
	uint8_t c[10] = { 0x52, 1, 0, 0, 0, 0, 0, 0, 48, 0 };
	dm_put_be32(c + 2, number);
	memset(r, 0, 48);
	return cmd_in(t, c, 10, r, 48);
}

static res close_ts(scsi_transport *t, int fn, unsigned track)
{
	uint8_t c[10] = { 0x5b, 0, (uint8_t)fn, 0, 0, 0, 0, 0, 0, 0 };
	dm_put_be16(c + 4, (uint16_t)track);
	return run(t, c, 10, SCSI_DIR_NONE, NULL, 0);
}

static res sync_cache(scsi_transport *t)
{
	uint8_t c[10] = { 0x35 };
	return run(t, c, 10, SCSI_DIR_NONE, NULL, 0);
}

static res format_unit(scsi_transport *t, uint8_t type, int immed)
{
	uint8_t p[12] = { 0, (uint8_t)(immed ? 0x02 : 0), 0, 8, 0xff, 0xff, 0xff, 0xff,
			  (uint8_t)(type << 2), 0, 0, 0 };
	uint8_t c[6] = { 0x04, 0x11, 0, 0, 0, 0 };
	return run(t, c, 6, SCSI_DIR_OUT, p, sizeof(p));
}

static res blank(scsi_transport *t, int type, int immed)
{
	uint8_t c[12] = { 0xa1, (uint8_t)((immed ? 0x10 : 0) | type) };
	return run(t, c, 12, SCSI_DIR_NONE, NULL, 0);
}

static res format_caps(scsi_transport *t, uint8_t *r, uint16_t alloc)
{
	uint8_t c[10] = { 0x23 };
	dm_put_be16(c + 7, alloc);
	memset(r, 0, alloc);
	return cmd_in(t, c, 10, r, alloc);
}

static res mode_select_05(scsi_transport *t, int write_type, int test, int multi)
{
	uint8_t p[8 + 52] = { 0 };
	p[8] = 0x05;
	p[9] = 0x32;
	p[10] = (uint8_t)(0x40 | (test ? 0x10 : 0) | write_type);
	p[11] = (uint8_t)((multi ? 0xc0 : 0x00) | 0x04);
	p[12] = 0x08;
	uint8_t c[10] = { 0x55, 0x10 };
	dm_put_be16(c + 7, sizeof(p));
	return run(t, c, 10, SCSI_DIR_OUT, p, sizeof(p));
}

/* ---- the table ----------------------------------------------------------------------- */

static const struct medium_case {
	const char *name;
	uint16_t profile;
	uint32_t capacity;
	int kind;              /* 0 write-once, 1 sequential erasable, 2 overwritable */
	int needs_format;
	uint16_t current[6];   /* features that must be current (0 ends) */
	uint16_t absent[4];    /* features that must not be current */
	uint8_t formats[4];    /* format types a blank disc offers (0xff ends) */
	int fmt_len;           /* READ FORMAT CAPACITIES list length of a blank disc */
	uint8_t bad_wt;        /* a page 05h write type the medium refuses */
} media[] = {
	{ "cd-r", 0x09, 359847, 0, 0, { 0x1e, 0x21, 0x2d, 0x2e, 0 }, { 0x1f, 0x23, 0x2f, 0 },
	  { 0xff }, 8, 0 },
	{ "cd-rw", 0x0a, 359847, 1, 0, { 0x1e, 0x21, 0x27, 0x2d, 0x2e, 0x37 },
	  { 0x23, 0x2a, 0 }, { 0xff }, 8, 0 },
	{ "dvd-r", 0x11, 2298496, 0, 0, { 0x1f, 0x21, 0x2f, 0 }, { 0x2d, 0x2b, 0x33, 0 },
	  { 0xff }, 8, 1 },
	{ "dvd-rw", 0x14, 2298496, 1, 0, { 0x1f, 0x21, 0x23, 0x2f, 0 }, { 0x26, 0x2c, 0 },
	  { 0x10, 0x15, 0xff }, 24, 1 },
	{ "dvd+r", 0x1b, 2295104, 0, 0, { 0x1f, 0x2b, 0 }, { 0x21, 0x2f, 0x2a, 0 }, { 0xff }, 8,
	  2 },
	{ "dvd+rw", 0x1a, 2295104, 2, 0, { 0x1f, 0x23, 0x2a, 0 }, { 0x21, 0x2b, 0 },
	  { 0x26, 0xff }, 16, 2 },
	{ "dvd+r-dl", 0x2b, 4173824, 0, 0, { 0x1f, 0x2b, 0x3b, 0 }, { 0x33, 0x2f, 0 }, { 0xff },
	  8, 2 },
	{ "dvd-r-dl", 0x15, 4171712, 0, 0, { 0x1f, 0x21, 0x2f, 0x33, 0 }, { 0x2b, 0 }, { 0xff },
	  8, 1 },
	{ "dvd-ram", 0x12, 2236704, 2, 0, { 0x1f, 0x20, 0x23, 0x24, 0 }, { 0x21, 0x2f, 0 },
	  { 0x00, 0x01, 0xff }, 24, 2 },
	{ "bd-r", 0x41, 12219392, 0, 0, { 0x21, 0x40, 0x41, 0x38, 0 }, { 0x1f, 0x24, 0 },
	  { 0x00, 0x32, 0xff }, 24, 2 },
	{ "bd-re", 0x43, 11826176, 2, 1, { 0x20, 0x23, 0x24, 0x40, 0x41, 0 }, { 0x21, 0x1f, 0 },
	  { 0x00, 0x30, 0x31, 0xff }, 32, 2 },
};
#define N_MEDIA (sizeof(media) / sizeof(media[0]))

/* Find feature code in a GET CONFIGURATION answer: -1 absent, else its current bit. */
static int feature_current(const uint8_t *b, size_t n, uint16_t code)
{
	size_t pos = 8, end = 4 + dm_get_be32(b);
	if (end > n)
		end = n;
	while (pos + 4 <= end) {
		if (dm_get_be16(b + pos) == code)
			return b[pos + 2] & 1;
		pos += 4 + b[pos + 3];
	}
	return -1;
}

/* The feature descriptor with this code, or NULL. */
static const uint8_t *feature_at(const uint8_t *b, size_t n, uint16_t code)
{
	for (size_t pos = 8; pos + 4 <= n && pos + 4 <= 4 + dm_get_be32(b); pos += 4 + b[pos + 3])
		if (dm_get_be16(b + pos) == code)
			return b + pos;
	return NULL;
}

static void test_configuration(void)
{
	static uint8_t b[2048];
	for (size_t i = 0; i < N_MEDIA; i++) {
		const struct medium_case *m = &media[i];
		char path[128];
		scsi_transport *t = open_spec(m->name, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		uint8_t c[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0 };
		res r = cmd_in(t, c, 10, b, sizeof(b));
		CU_ASSERT_EQUAL(r.rc, 0);
		CU_ASSERT_EQUAL(dm_get_be16(b + 6), m->profile);
		/* Profile list (feature 0000h): our profile listed and current, alone. */
		CU_ASSERT_EQUAL(dm_get_be16(b + 8), 0x0000);
		int found = 0, currents = 0;
		for (size_t k = 0; k < b[11]; k += 4) {
			if (dm_get_be16(b + 12 + k) == m->profile && (b[14 + k] & 1))
				found = 1;
			currents += b[14 + k] & 1;
		}
		CU_ASSERT_EQUAL(found, 1);
		CU_ASSERT_EQUAL(currents, 1);
		for (size_t k = 0; k < 6 && m->current[k]; k++) {
			if (feature_current(b, r.got, m->current[k]) != 1)
				fprintf(stderr, "\n%s: feature %04x not current\n", m->name,
					m->current[k]);
			CU_ASSERT_EQUAL(feature_current(b, r.got, m->current[k]), 1);
		}
		for (size_t k = 0; k < 4 && m->absent[k]; k++)
			CU_ASSERT_NOT_EQUAL(feature_current(b, r.got, m->absent[k]), 1);
		/* CD TAO and SAO: BUF, test write; Mode 1 and Mode 2 form 1 blocks. */
		const uint8_t *f = feature_at(b, r.got, 0x002d);
		if (m->profile <= 0x0a && f) {
			CU_ASSERT_EQUAL(f[4], 0x46);
			CU_ASSERT_EQUAL(dm_get_be16(f + 6), 0x0500);
			f = feature_at(b, r.got, 0x002e);
			CU_ASSERT(f && (f[4] & 0x20));       /* SAO */
		}
		/* Feature lengths are multiples of 4 (MMC-6 5.3). */
		for (size_t pos = 8; pos + 4 <= r.got; pos += 4 + b[pos + 3])
			CU_ASSERT_EQUAL(b[pos + 3] % 4, 0);
		scsi_close(t);
	}
}

static void test_blank_disc_info(void)
{
	for (size_t i = 0; i < N_MEDIA; i++) {
		const struct medium_case *m = &media[i];
		char path[128];
		scsi_transport *t = open_spec(m->name, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		uint8_t di[34], ti[48];
		CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be16(di), 32);
		int status = m->kind == 2 && !m->needs_format && m->profile == 0x12 ? 2 : 0;
		CU_ASSERT_EQUAL(di[2] & 3, status);
		CU_ASSERT_EQUAL((di[2] >> 4) & 1, m->kind != 0);
		CU_ASSERT_EQUAL(di[4], 1); /* sessions */
		if (m->profile <= 0x0a) {
			/* CD: last possible lead-out 79:59:74 as MSF, lead-in 97:26:66. */
			CU_ASSERT_EQUAL(dm_get_be32(di + 20), 0x004f3b4a);
			CU_ASSERT_EQUAL(dm_get_be32(di + 16), 0x00611a42);
		} else {
			CU_ASSERT_EQUAL(dm_get_be32(di + 20), m->capacity);
		}
		if (m->kind != 2) {
			CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
			CU_ASSERT_EQUAL(ti[2], 1);
			CU_ASSERT_EQUAL(ti[6] & 0x40, 0x40);           /* blank */
			CU_ASSERT_EQUAL(ti[7] & 1, 1);                 /* NWA_V */
			CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 0);      /* NWA */
			CU_ASSERT_EQUAL(dm_get_be32(ti + 16), m->capacity);
		}
		/* READ FORMAT CAPACITIES: growisofs asks for 12 bytes and wants the list
		 * length a multiple of 8 (16 or more where it formats). */
		uint8_t fc[64];
		res r = format_caps(t, fc, 12);
		CU_ASSERT_EQUAL(r.rc, 0);
		CU_ASSERT_EQUAL(fc[3], m->fmt_len);
		CU_ASSERT_EQUAL(fc[3] % 8, 0);
		CU_ASSERT_EQUAL(format_caps(t, fc, (uint16_t)(4 + fc[3])).rc, 0);
		size_t k = 0;
		for (; k < 4 && m->formats[k] != 0xff; k++)
			CU_ASSERT_EQUAL(fc[12 + 8 * k + 4] >> 2, m->formats[k]);
		CU_ASSERT_EQUAL(fc[3], 8 + 8 * k);
		CU_ASSERT_EQUAL(dm_get_be32(fc + 8) & 0xffffff, 2048);
		scsi_close(t);
	}
}

/* Make a disc writable as a burner would: FORMAT UNIT (IMMED, polled) where needed. */
static void prepare(scsi_transport *t, const struct medium_case *m)
{
	if (!m->needs_format)
		return;
	CU_ASSERT_EQUAL(format_unit(t, m->formats[0], 1).rc, 0);
	uint8_t s[18];
	unsigned last = 0, polls = 0;
	res r;
	while ((r = tur(t)).rc == 1 && polls++ < 100) {
		CU_ASSERT_EQUAL(r.sense, SK(2, 0x04, 0x04));
		res q = request_sense(t, s);
		if (q.sense == SK(2, 0x04, 0x04)) {
			CU_ASSERT_EQUAL(q.sksv, 1);
			CU_ASSERT(q.progress >= last);
			last = q.progress;
		}
	}
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT(polls >= 2 && polls < 100);
	CU_ASSERT(last > 0);
}

static void test_write_cycle(void)
{
	static uint8_t back[32 * 2048];
	for (size_t i = 0; i < N_MEDIA; i++) {
		const struct medium_case *m = &media[i];
		char path[128];
		fresh(path, sizeof(path));
		scsi_transport *t = open_spec(m->name, path, NULL);
		if (!t)
			continue;
		if (m->needs_format)
			CU_ASSERT_EQUAL(write10(t, 0, 32).sense, SK(5, 0x30, 0x10));
		prepare(t, m);
		if (m->profile == 0x11 || m->profile == 0x14 || m->profile == 0x15)
			CU_ASSERT_EQUAL(mode_select_05(t, 0, 0, 1).rc, 0); /* incremental */
		CU_ASSERT_EQUAL(write10(t, 0, 32).rc, 0);
		if (m->kind != 2) {
			CU_ASSERT_EQUAL(write10(t, 64, 32).sense, SK(5, 0x21, 0x02));
			CU_ASSERT_EQUAL(write10(t, 32, 32).rc, 0);
		} else {
			CU_ASSERT_EQUAL(write10(t, 1024, 32).rc, 0);   /* anywhere */
			CU_ASSERT_EQUAL(write10(t, 32, 32).rc, 0);
		}
		CU_ASSERT_EQUAL(read10(t, 32, 32, back).rc, 0);
		CU_ASSERT_EQUAL(memcmp(back, data, sizeof(back)), 0);
		CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
		if (m->kind != 2) {
			CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
			int fn = m->profile == 0x1b || m->profile == 0x2b || m->profile == 0x41 ? 6 : 2;
			if (fn == 2)
				CU_ASSERT_EQUAL(mode_select_05(t, m->profile <= 0x0a ? 1 : 0, 0, 0).rc, 0);
			CU_ASSERT_EQUAL(close_ts(t, fn, 0).rc, 0);
		}
		scsi_close(t);

		/* A new run sees the same disc (one file) and its data. */
		t = open_spec("", path, NULL);
		if (!t)
			continue;
		uint8_t di[34], ti[48], cap[8];
		CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
		CU_ASSERT_EQUAL(di[2] & 3, 2); /* complete (formatted, for overwritable) */
		uint8_t rc[10] = { 0x25 };
		CU_ASSERT_EQUAL(cmd_in(t, rc, 10, cap, 8).rc, 0);
		if (m->kind != 2) {
			CU_ASSERT_EQUAL(dm_get_be32(cap), 63);
			CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
			CU_ASSERT_EQUAL(dm_get_be32(ti + 24), 64);  /* track size */
			CU_ASSERT_EQUAL(ti[7] & 1, 0);              /* closed: no NWA */
			CU_ASSERT_EQUAL(write10(t, 64, 16).sense, SK(5, 0x30, 0x05));
		}
		CU_ASSERT_EQUAL(read10(t, 0, 32, back).rc, 0);
		CU_ASSERT_EQUAL(memcmp(back, data, sizeof(back)), 0);
		/* Rewrite: blank (CD-RW, DVD-RW, IMMED with progress) or overwrite. */
		if (m->kind == 1) {
			CU_ASSERT_EQUAL(blank(t, 1, 1).rc, 0);
			uint8_t s[18];
			res q = request_sense(t, s);
			CU_ASSERT_EQUAL(q.sense, SK(2, 0x04, 0x07));
			CU_ASSERT_EQUAL(q.sksv, 1);
			unsigned polls = 0;
			while (tur(t).rc == 1 && polls < 100)
				polls++;
			CU_ASSERT(polls < 100);
			CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
			CU_ASSERT_EQUAL(di[2] & 3, 0);
			CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
		} else if (m->kind == 2) {
			CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
		} else {
			CU_ASSERT_EQUAL(blank(t, 0, 0).sense, SK(5, 0x30, 0x06));
		}
		scsi_close(t);
	}
}

/* Commands that do not fit the medium or its state, and the sense real drives give. */
static void test_misfits(void)
{
	static const struct misfit {
		const char *medium;
		uint8_t cdb[12];
		size_t cdb_len;
		unsigned sense;
	} cases[] = {
		{ "cd-r", { 0xa1, 0x00 }, 12, SK(5, 0x30, 0x06) },            /* BLANK a CD-R */
		{ "dvd+r", { 0xa1, 0x01 }, 12, SK(5, 0x30, 0x06) },
		{ "cd-rw", { 0xa1, 0x05 }, 12, SK(5, 0x24, 0x00) },           /* unknown blank type */
		{ "cd-r", { 0x5b, 0, 6 }, 10, SK(5, 0x24, 0x00) },            /* finalize on CD */
		{ "dvd-r", { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 }, 10, SK(5, 0x20, 0x00) }, /* cue on DVD */
		{ "cd-r", { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 }, 10, SK(5, 0x2c, 0x00) },  /* cue, TAO */
		{ "dvd+r", { 0xad, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 }, 12, SK(5, 0x30, 0x02) },
		{ "cd-r", { 0xad, 0, 0, 0, 0, 0, 0, 0x00, 0, 12, 0, 0 }, 12, SK(5, 0x30, 0x02) },
		{ "dvd+r", { 0x43, 0, 4, 0, 0, 0, 0, 0, 28, 0 }, 10, SK(5, 0x24, 0x00) }, /* ATIP */
		{ "cd-r", { 0x43, 0, 0, 0, 0, 0, 0, 0, 28, 0 }, 10, SK(5, 0x24, 0x00) },  /* TOC blank */
		{ "dvd+r", { 0xac, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0x07, 0 }, 12, SK(5, 0x24, 0x00) },
		{ "bd-r", { 0xbe }, 12, SK(5, 0x20, 0x00) },                  /* READ CD */
		{ "dvd+r", { 0x5a, 0, 0xc5, 0, 0, 0, 0, 0, 64, 0 }, 10, SK(5, 0x39, 0x00) },
		{ "bd-re", { 0x53, 0, 0, 0, 0, 0, 0, 0, 16, 0 }, 10, SK(5, 0x30, 0x05) }, /* RESERVE */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[128];
		scsi_transport *t = open_spec(cases[i].medium, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		uint8_t buf[64] = { 0 };
		res r = run(t, cases[i].cdb, cases[i].cdb_len,
			    cases[i].cdb[0] == 0x5d ? SCSI_DIR_OUT : SCSI_DIR_IN, buf,
			    cases[i].cdb[0] == 0x5d ? 32 : (cases[i].cdb[0] == 0xa1 ||
							   cases[i].cdb[0] == 0x5b ||
							   cases[i].cdb[0] == 0x53 ? 0 : 28));
		if (r.sense != cases[i].sense)
			fprintf(stderr, "\ncase %zu (%s %02x): sense %06x\n", i, cases[i].medium,
				cases[i].cdb[0], r.sense);
		CU_ASSERT_EQUAL(r.rc, 1);
		CU_ASSERT_EQUAL(r.sense, cases[i].sense);
		scsi_close(t);
	}
	/* Page 05h: write types and test writing checked against the medium. */
	for (size_t i = 0; i < N_MEDIA; i++) {
		char path[128];
		scsi_transport *t = open_spec(media[i].name, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		CU_ASSERT_EQUAL(mode_select_05(t, media[i].bad_wt, 0, 1).sense, SK(5, 0x26, 0x00));
		int test_ok = media[i].profile <= 0x0a || media[i].profile == 0x11 ||
			      media[i].profile == 0x14 || media[i].profile == 0x15;
		int wt = media[i].profile <= 0x0a ? 1 : 0;
		CU_ASSERT_EQUAL(mode_select_05(t, wt, 1, 1).rc, test_ok ? 0 : 1);
		scsi_close(t);
	}
	/* A BD-R formatted (SRM with spares) is still blank and still lists its formats,
	 * as growisofs checks; once written it cannot be formatted again. */
	{
		char p2[128];
		scsi_transport *b = open_spec("bd-r", fresh(p2, sizeof(p2)), NULL);
		CU_ASSERT_EQUAL(format_unit(b, 0x00, 0).rc, 0);
		uint8_t fc[64], dinf[34];
		CU_ASSERT_EQUAL(format_caps(b, fc, 12).rc, 0);
		CU_ASSERT_EQUAL(fc[3], 24);
		CU_ASSERT_EQUAL(fc[8] & 3, 2);
		CU_ASSERT_EQUAL(dm_get_be32(fc + 4), 11826176);
		CU_ASSERT_EQUAL(disc_info(b, dinf).rc, 0);
		CU_ASSERT_EQUAL(dinf[2] & 3, 0);
		CU_ASSERT_EQUAL(write10(b, 0, 32).rc, 0);
		CU_ASSERT_EQUAL(format_unit(b, 0x00, 0).sense, SK(5, 0x30, 0x06));
		scsi_close(b);
	}
	/* DVD-R DAO wants a reservation first: 5/2C/00. */
	char path[128];
	scsi_transport *t = open_spec("dvd-r", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(mode_select_05(t, 2, 0, 0).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(5, 0x2c, 0x00));
	uint8_t rsv[10] = { 0x53, 0, 0, 0, 0, 0, 0, 0, 32, 0 };
	CU_ASSERT_EQUAL(run(t, rsv, 10, SCSI_DIR_NONE, NULL, 0).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 32).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0); /* the reserved track full: session closed */
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 2);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);   /* a burner's CLOSE after DAO: no-op */
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	scsi_close(t);
}

static void test_layer_break(void)
{
	for (int k = 0; k < 2; k++) {
		const char *name = k ? "dvd-r-dl" : "dvd+r-dl";
		uint32_t cap = k ? 4171712 : 4173824;
		char path[128];
		scsi_transport *t = open_spec(name, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		uint8_t r[12], c[12] = { 0xad, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be16(r), 10);
		CU_ASSERT_EQUAL(r[4] & 0x80, 0);                 /* can still be set */
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), cap / 2 / 16 * 16);
		/* growisofs' SEND DVD STRUCTURE 20h: a smaller layer 0. */
		uint8_t p[12] = { 0, 10 };
		dm_put_be32(p + 8, 1000000);
		uint8_t s[12] = { 0xbf, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 };
		dm_put_be32(p + 8, cap); /* larger than layer 0: refused */
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).sense, SK(5, 0x26, 0x00));
		dm_put_be32(p + 8, 1000000);
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).rc, 0);
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(r[4] & 0x80, 0x80);
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), 1000000);
		uint8_t di[34];
		CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(di + 20), 2000000);
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).sense, SK(5, 0x2c, 0x00));
		/* DVD-R DL: shifted middle area and jump interval answer too. */
		c[7] = 0x21;
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, k ? 0 : 1);
		scsi_close(t);
		/* The layer break persists. */
		t = open_spec(name, path, NULL);
		c[7] = 0x20;
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), 1000000);
		scsi_close(t);
	}
}

static void put_cue(uint8_t *e, uint8_t ctl_adr, uint8_t tno, uint8_t index, uint8_t form,
		    unsigned m, unsigned s, unsigned f)
{
	e[0] = ctl_adr;
	e[1] = tno;
	e[2] = index;
	e[3] = form;
	e[4] = 0;
	e[5] = (uint8_t)m;
	e[6] = (uint8_t)s;
	e[7] = (uint8_t)f;
}

static void test_cue_sheet_sao(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	/* Lead-in, track 1 pre-gap at 00:00:00 and data at 00:02:00 (LBA 0), lead-out at
	 * 00:03:25 (LBA 100): Mode 1, 2048-byte blocks (data form 10h). */
	uint8_t cue[32];
	put_cue(cue, 0x41, 0, 0, 0x10, 0, 0, 0);
	put_cue(cue + 8, 0x41, 1, 0, 0x10, 0, 0, 0);
	put_cue(cue + 16, 0x41, 1, 1, 0x10, 0, 2, 0);
	put_cue(cue + 24, 0x41, 0xaa, 1, 0x10, 0, 3, 25);
	uint8_t c[10] = { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 };
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).sense, SK(5, 0x2c, 0x00)); /* TAO */
	CU_ASSERT_EQUAL(mode_select_05(t, 2, 0, 0).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(5, 0x2c, 0x00)); /* SAO without a cue */
	/* A sheet with the lead-out before the track: 5/26/00. */
	uint8_t bad[32];
	memcpy(bad, cue, 32);
	put_cue(bad + 24, 0x41, 0xaa, 1, 0x10, 0, 1, 0);
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, 32).sense, SK(5, 0x26, 0x00));
	memcpy(bad, cue, 32);
	bad[19] = 0x00; /* audio: not modelled */
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, 32).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
	/* The writes the sheet announces, from the pre-gap at -150. */
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-100, 10).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-150, 50).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-100, 60).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-40, 50).rc, 0);    /* crosses into the data */
	CU_ASSERT_EQUAL(write10(t, 10, 64).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 74, 30).sense, SK(5, 0x21, 0x00)); /* past the lead-out */
	CU_ASSERT_EQUAL(write10(t, 74, 26).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	uint8_t back[2048];
	CU_ASSERT_EQUAL(read10(t, 10, 1, back).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data, 2048), 0);
	CU_ASSERT_EQUAL(read10(t, 0, 1, back).rc, 0);          /* the part after the pre-gap */
	CU_ASSERT_EQUAL(memcmp(back, data + 40 * 2048, 2048), 0);
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 2); /* multi-session 0: complete */
	/* TOC: track 1 at 0, lead-out at 100; MSF form 00:02:00 and 00:03:25. */
	uint8_t toc[20], tc[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 20, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, tc, 10, toc, 20).rc, 0);
	static const uint8_t want[20] = { 0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0,
					  0, 0x14, 0xaa, 0, 0, 0, 0, 100 };
	CU_ASSERT_EQUAL(memcmp(toc, want, 20), 0);
	tc[1] = 0x02;
	CU_ASSERT_EQUAL(cmd_in(t, tc, 10, toc, 20).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 8), 0x00000200);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 16), 0x00000319);
	/* Session info, full TOC (A0, A1, A2, track 1). */
	uint8_t fs[64], f1[10] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, f1, 10, fs, 12).rc, 0);
	CU_ASSERT_EQUAL(fs[3], 1);
	CU_ASSERT_EQUAL(fs[6], 1);
	uint8_t f2[10] = { 0x43, 0, 2, 0, 0, 0, 0, 0, 64, 0 };
	res r = cmd_in(t, f2, 10, fs, 64);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(fs), 2 + 4 * 11);
	CU_ASSERT_EQUAL(fs[4 + 3], 0xa0);
	CU_ASSERT_EQUAL(fs[4 + 8], 1);
	CU_ASSERT_EQUAL(fs[4 + 22 + 3], 0xa2);
	CU_ASSERT_EQUAL(fs[4 + 22 + 8], 0);     /* lead-out 00:03:25 */
	CU_ASSERT_EQUAL(fs[4 + 22 + 9], 3);
	CU_ASSERT_EQUAL(fs[4 + 22 + 10], 25);
	CU_ASSERT_EQUAL(fs[4 + 33 + 3], 1);
	CU_ASSERT_EQUAL(fs[4 + 33 + 9], 2);     /* track 1 at 00:02:00 */
	/* ATIP: CD-R (disc type 0), lead-in 97:26:66, lead-out 79:59:74. */
	uint8_t at[28], f4[10] = { 0x43, 0, 4, 0, 0, 0, 0, 0, 28, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, f4, 10, at, 28).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(at), 26);
	CU_ASSERT_EQUAL(at[6] & 0x40, 0);
	CU_ASSERT_EQUAL(at[8], 97);
	CU_ASSERT_EQUAL(at[9], 26);
	CU_ASSERT_EQUAL(at[10], 66);
	CU_ASSERT_EQUAL(at[12], 79);
	CU_ASSERT_EQUAL(at[13], 59);
	CU_ASSERT_EQUAL(at[14], 74);
	scsi_close(t);
	/* A pre-gap the drive generates (data form 14h): the host starts at LBA 0. */
	t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(mode_select_05(t, 2, 0, 1).rc, 0);
	cue[11] = 0x14;
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-150, 16).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write10(t, 0, 64).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 64, 36).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 1); /* multi-session 3: appendable */
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(ti + 24), 100);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);      /* next session after 11,400 */
	CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 100 + 11400);
	scsi_close(t);
	/* CD-RW's ATIP says so (disc type 1). */
	t = open_spec("cd-rw", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(cmd_in(t, f4, 10, at, 28).rc, 0);
	CU_ASSERT_EQUAL(at[6] & 0x40, 0x40);
	scsi_close(t);
}

static void test_speeds(void)
{
	static const struct {
		const char *medium;
		int streaming;       /* SET STREAMING, else SET CD SPEED */
		uint32_t ask, get;
	} cases[] = {
		{ "cd-r", 0, 0xffff, 8467 },        /* fastest */
		{ "cd-r", 0, 99 * 176, 8467 },      /* 99x: clamped to 48x */
		{ "cd-r", 0, 4234, 4234 },          /* 24x exactly */
		{ "cd-rw", 0, 5000, 4234 },         /* between: the one below */
		{ "dvd+r", 1, 5540, 5540 },         /* 4x */
		{ "dvd+r", 1, 1000, 5540 },         /* below the slowest: the slowest */
		{ "bd-re", 1, 100000, 17980 },
		{ "dvd-ram", 1, 4200, 4155 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[128];
		scsi_transport *t = open_spec(cases[i].medium, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		if (cases[i].streaming) {
			uint8_t p[28] = { 0 };
			dm_put_be32(p + 8, 1000);                  /* end LBA */
			dm_put_be32(p + 20, cases[i].ask);         /* write size, kB */
			dm_put_be32(p + 24, 1000);                 /* write time, ms */
			uint8_t c[12] = { 0xb6, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0 };
			CU_ASSERT_EQUAL(run(t, c, 12, SCSI_DIR_OUT, p, 28).rc, 0);
		} else {
			uint8_t c[12] = { 0xbb, 0, 0xff, 0xff };
			dm_put_be16(c + 4, (uint16_t)cases[i].ask);
			CU_ASSERT_EQUAL(run(t, c, 12, SCSI_DIR_NONE, NULL, 0).rc, 0);
		}
		/* Read back: page 2Ah current write speed, GET PERFORMANCE type 00h write. */
		uint8_t b[128], ms[10] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, ms, 10, b, 128).rc, 0);
		CU_ASSERT_EQUAL(b[8], 0x2a);
		CU_ASSERT_EQUAL(dm_get_be16(b + 8 + 28), cases[i].get);
		uint8_t gp[12] = { 0xac, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, gp, 12, b, 24).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(b + 20), cases[i].get);
		/* Write speed descriptors (type 03h): the fastest first. */
		gp[1] = 0;
		gp[10] = 0x03;
		CU_ASSERT_EQUAL(cmd_in(t, gp, 12, b, 24).rc, 0);
		CU_ASSERT(dm_get_be32(b + 8 + 12) >= cases[i].get);
		scsi_close(t);
	}
}

static void test_faults(void)
{
	char path[128];
	uint8_t di[34], ti[48];
	/* Power lost after 2 WRITEs: no answer at all; the disc keeps a damaged track. */
	fresh(path, sizeof(path));
	scsi_transport *t = open_spec("dvd+r", path, "power_loss_after_writes=2");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 16, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 32, 16).rc, -1);
	CU_ASSERT_EQUAL(tur(t).rc, -1);
	scsi_close(t);
	t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0x20);         /* Damage */
	CU_ASSERT_EQUAL(ti[7] & 1, 0);               /* no NWA */
	CU_ASSERT_EQUAL(dm_get_be32(ti + 28), 31);   /* last recorded */
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 0x0f, 0x05);          /* appendable, session incomplete */
	CU_ASSERT_EQUAL(write10(t, 32, 16).sense, SK(5, 0x21, 0x02));
	scsi_close(t);
	/* Underrun: 3/0C/09 on the third WRITE. */
	t = open_spec("cd-r", fresh(path, sizeof(path)), "underrun_after_writes=2");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 16, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 32, 16).sense, SK(3, 0x0c, 0x09));
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0x20);
	scsi_close(t);
	/* DVD+RW format interrupted: 3/31/01; background format incomplete, writable. */
	fresh(path, sizeof(path));
	t = open_spec("dvd+rw", path, "format_interrupt=1");
	CU_ASSERT_EQUAL(format_unit(t, 0x26, 0).sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 1);
	CU_ASSERT_EQUAL(write10(t, 100, 16).rc, 0);
	scsi_close(t);
	t = open_spec("dvd+rw", path, NULL);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 1);
	CU_ASSERT_EQUAL(format_unit(t, 0x26, 0).rc, 0);   /* resumed: complete */
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 3);
	scsi_close(t);
	/* BD-RE format interrupted (IMMED): the poll at half way fails, the format is
	 * corrupted until formatted again. */
	t = open_spec("bd-re", fresh(path, sizeof(path)), "format_interrupt=1&op_polls=4");
	CU_ASSERT_EQUAL(format_unit(t, 0x30, 1).rc, 0);
	res r;
	unsigned polls = 0;
	while ((r = tur(t)).sense == SK(2, 0x04, 0x04) && polls < 10)
		polls++;
	CU_ASSERT_EQUAL(polls, 1);
	CU_ASSERT_EQUAL(r.sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(tur(t).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(3, 0x31, 0x00));
	scsi_close(t);
	/* CD-RW blank interrupted: complete with a damaged session; blank again. */
	fresh(path, sizeof(path));
	t = open_spec("cd-rw", path, "blank_interrupt=1");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	CU_ASSERT_EQUAL(blank(t, 1, 0).sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2], 0x10 | 2 << 2 | 2);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(5, 0x30, 0x05));
	scsi_close(t);
	t = open_spec("cd-rw", path, NULL);
	CU_ASSERT_EQUAL(blank(t, 1, 0).rc, 0);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 0);
	scsi_close(t);
}

/* DVD-RW: sequential (14h) until FORMAT UNIT 15h makes it restricted overwrite (13h);
 * BLANK brings it back. */
static void test_dvd_rw_modes(void)
{
	char path[128];
	scsi_transport *t = open_spec("dvd-rw", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(format_unit(t, 0x26, 0).sense, SK(5, 0x26, 0x00));
	CU_ASSERT_EQUAL(format_unit(t, 0x15, 0).rc, 0);
	uint8_t b[1024], c[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0x04, 0, 0 };
	res r = cmd_in(t, c, 10, b, sizeof(b));
	CU_ASSERT_EQUAL(dm_get_be16(b + 6), 0x13);
	CU_ASSERT_EQUAL(feature_current(b, r.got, 0x26), 1);
	CU_ASSERT_EQUAL(feature_current(b, r.got, 0x20), 1);
	CU_ASSERT_EQUAL(write10(t, 5000, 16).rc, 0);
	uint8_t fc[64];
	CU_ASSERT_EQUAL(format_caps(t, fc, 64).rc, 0);
	CU_ASSERT_EQUAL(fc[8] & 3, 2);                    /* formatted */
	CU_ASSERT_EQUAL(fc[3], 8 + 3 * 8);
	CU_ASSERT_EQUAL(fc[12 + 4] >> 2, 0x00);           /* growisofs' obligatory one */
	CU_ASSERT_EQUAL(fc[20 + 4] >> 2, 0x10);
	CU_ASSERT_EQUAL(fc[28 + 4] >> 2, 0x13);           /* grow: formatted only */
	CU_ASSERT_EQUAL(blank(t, 0, 0).rc, 0);
	r = cmd_in(t, c, 10, b, sizeof(b));
	CU_ASSERT_EQUAL(dm_get_be16(b + 6), 0x14);
	CU_ASSERT_EQUAL(write10(t, 5000, 16).sense, SK(5, 0x21, 0x02));
	scsi_close(t);
}

static void test_one_file(void)
{
	char path[128], old[160];
	fresh(path, sizeof(path));
	scsi_transport *t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	scsi_close(t);
	struct stat sb;
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	off_t trailer = sb.st_size - (off_t)EMU_TRAILER_BYTES;
	CU_ASSERT_EQUAL(trailer, (off_t)2295104 * 2048);
	/* The newest slot damaged: the other one holds the state before it. */
	FILE *f = fopen(path, "r+b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	uint8_t s0[40], s1[40];
	fseeko(f, trailer, SEEK_SET);
	CU_ASSERT_EQUAL(fread(s0, 1, 40, f), 40);
	fseeko(f, trailer + EMU_TRAILER_SLOT, SEEK_SET);
	CU_ASSERT_EQUAL(fread(s1, 1, 40, f), 40);
	CU_ASSERT_EQUAL(memcmp(s0, "DMEMUDSC", 8), 0);
	CU_ASSERT_EQUAL(memcmp(s1, "DMEMUDSC", 8), 0);
	int newest = dm_get_be32(s1 + 16) > dm_get_be32(s0 + 16);
	fseeko(f, trailer + newest * EMU_TRAILER_SLOT + 40, SEEK_SET);
	fputc('#', f);
	fclose(f);
	t = open_spec("", path, NULL);
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[7] & 1, 1); /* the slot before the close: track still open */
	scsi_close(t);
	/* Both slots damaged: a clear error, the file untouched. */
	f = fopen(path, "r+b");
	fseeko(f, trailer + 40, SEEK_SET);
	fputc('#', f);
	fseeko(f, trailer + EMU_TRAILER_SLOT + 40, SEEK_SET);
	fputc('#', f);
	fclose(f);
	char spec[256];
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s", path);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	scsi_transport *t2 = NULL;
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "not an emulated disc"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, path));
	struct stat sb2;
	CU_ASSERT_EQUAL(stat(path, &sb2), 0);
	CU_ASSERT_EQUAL(sb2.st_size, sb.st_size);
	/* A FILE.emu of an older version: refused with what to do. */
	fresh(path, sizeof(path));
	snprintf(old, sizeof(old), "%s.emu", path);
	f = fopen(old, "w");
	fputs("medium=dvd+r\n", f);
	fclose(f);
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s", path);
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "older"));
	/* emu::FILE of nothing: name the medium. */
	fresh(path, sizeof(path));
	snprintf(spec, sizeof(spec), "emu::%s", path);
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	/* Faults with persist=1 stay with the disc. */
	fresh(path, sizeof(path));
	t = open_spec("dvd+r", path, "write_error_lba=0&persist=1");
	scsi_close(t);
	t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(3, 0x0c, 0x00));
	scsi_close(t);
}

/* What the kernel's SCSI scan asks first: INQUIRY and its VPD pages. */
static void test_inquiry(void)
{
	char path[128];
	scsi_transport *t = open_spec("dvd+r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	uint8_t r[96], c[6] = { 0x12, 0, 0, 0, 96, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[0], 0x05);                 /* CD/DVD device */
	CU_ASSERT_EQUAL(r[1], 0x80);                 /* removable */
	CU_ASSERT_EQUAL(memcmp(r + 8, "DISCMSTR", 8), 0);
	c[1] = 1;
	res q = cmd_in(t, c, 6, r, 96);
	CU_ASSERT_EQUAL(q.rc, 0);
	CU_ASSERT_EQUAL(q.got, 7);
	static const uint8_t vpd0[7] = { 0x05, 0x00, 0, 3, 0x00, 0x80, 0x83 };
	CU_ASSERT_EQUAL(memcmp(r, vpd0, 7), 0);
	c[2] = 0x80;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[1], 0x80);
	CU_ASSERT_EQUAL(memcmp(r + 4, "EMU00001", 8), 0);
	c[2] = 0x83;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[5] & 0x0f, 1);
	c[2] = 0xb0;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).sense, SK(5, 0x24, 0x00));
	c[1] = 0;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).sense, SK(5, 0x24, 0x00));
	/* WRITE AND VERIFY(10) writes like WRITE(10); SEND OPC INFORMATION is taken. */
	uint8_t wv[10] = { 0x2e, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	CU_ASSERT_EQUAL(run(t, wv, 10, SCSI_DIR_OUT, data, 16 * 2048).rc, 0);
	uint8_t opc[10] = { 0x54, 1 };
	CU_ASSERT_EQUAL(run(t, opc, 10, SCSI_DIR_NONE, NULL, 0).rc, 0);
	uint8_t back[2048];
	CU_ASSERT_EQUAL(read10(t, 15, 1, back).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data + 15 * 2048, 2048), 0);
	scsi_close(t);
}

static CU_TestInfo tests[] = {
	{ "INQUIRY, VPD pages, WRITE AND VERIFY, SEND OPC", test_inquiry },
	{ "GET CONFIGURATION per medium", test_configuration },
	{ "blank disc: disc/track info, format capacities", test_blank_disc_info },
	{ "write, close, reopen, rewrite per medium", test_write_cycle },
	{ "sense of commands that do not fit", test_misfits },
	{ "DL layer break", test_layer_break },
	{ "CD SAO cue sheet, TOC, ATIP", test_cue_sheet_sao },
	{ "speeds clamped and read back", test_speeds },
	{ "faults: power loss, underrun, interrupted format/blank", test_faults },
	{ "DVD-RW sequential and restricted overwrite", test_dvd_rw_modes },
	{ "one file: trailer slots, corruption, old sidecar", test_one_file },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "emu_media", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
