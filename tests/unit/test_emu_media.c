/* The emulated recorder CDB by CDB through its transport (emu_open + execute, no retry
 * policy in between), table-driven over every medium: profiles and features, disc and
 * track information, format capacities, write/close/reopen/rewrite with format and blank
 * progress, the sense of commands that do not fit, DVD-RW's two modes. test_emu_cdb.c
 * has the command families (layer break, cue sheets, speeds, faults, the disc file). */
#include "tests/unit/emu_cdb_util.h"

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
	uint8_t bad_wt;        /* a page 05h write type the medium refuses (5: reserved, where
				* no write type applies and a drive takes 0-4) */
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
	  5 },
	{ "dvd+rw", 0x1a, 2295104, 2, 0, { 0x1f, 0x23, 0x2a, 0 }, { 0x21, 0x2b, 0 },
	  { 0x26, 0xff }, 16, 5 },
	{ "dvd+r-dl", 0x2b, 4173824, 0, 0, { 0x1f, 0x2b, 0x3b, 0 }, { 0x33, 0x2f, 0 }, { 0xff },
	  8, 5 },
	{ "dvd-r-dl", 0x15, 4171712, 0, 0, { 0x1f, 0x21, 0x2f, 0x33, 0 }, { 0x2b, 0 }, { 0xff },
	  8, 1 },
	{ "dvd-ram", 0x12, 2236704, 2, 0, { 0x1f, 0x20, 0x23, 0x24, 0 }, { 0x21, 0x2f, 0 },
	  { 0x00, 0x01, 0xff }, 24, 5 },
	{ "bd-r", 0x41, 12219392, 0, 0, { 0x21, 0x40, 0x41, 0x38, 0 }, { 0x1f, 0x24, 0 },
	  { 0x00, 0x32, 0xff }, 24, 5 },
	{ "bd-re", 0x43, 11826176, 2, 1, { 0x20, 0x23, 0x24, 0x40, 0x41, 0 }, { 0x21, 0x1f, 0 },
	  { 0x00, 0x30, 0x31, 0xff }, 32, 5 },
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
		/* CD TAO and SAO: BUF, test write; raw (CD-DA), Mode 1, Mode 2 and Mode 2
		 * form 1 blocks; CD Read: C2 flags and CD-Text. */
		const uint8_t *f = feature_at(b, r.got, 0x002d);
		if (m->profile <= 0x0a && f) {
			CU_ASSERT_EQUAL(f[4], 0x46);
			CU_ASSERT_EQUAL(dm_get_be16(f + 6), 0x0701);
			f = feature_at(b, r.got, 0x001e);
			CU_ASSERT(f && f[4] == 0x03);
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
		/* op_polls: the IMMED format and blank last a number of polls (the tight loops
		 * below see their progress), not their few modelled ms. */
		scsi_transport *t = open_spec(m->name, path, "op_polls=6");
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
		t = open_spec("", path, "op_polls=6");
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
		{ "bd-r", { 0xbe }, 12, SK(5, 0x30, 0x02) },                  /* READ CD, BD */
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

static CU_TestInfo tests[] = {
	{ "GET CONFIGURATION per medium", test_configuration },
	{ "blank disc: disc/track info, format capacities", test_blank_disc_info },
	{ "write, close, reopen, rewrite per medium", test_write_cycle },
	{ "sense of commands that do not fit", test_misfits },
	{ "DVD-RW sequential and restricted overwrite", test_dvd_rw_modes },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "emu_media", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
