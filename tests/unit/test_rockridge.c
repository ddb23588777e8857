/* CUnit suite for mkimage/iso/rockridge.c: exact bytes of each entry at its offset, the CE
 * layout, and, through a small SUSP walker and four models of how readers (Linux isofs,
 * libarchive, libisofs, pycdlib) rebuild names and symlink targets, that what is written
 * reads back the same everywhere. */
#include "mkimage/iso/rockridge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <CUnit/CUnit.h>

#include "common/dm_endian.h"

#define ROOM_MAX 221 /* 255 - (33 + 1): a record with a one-byte identifier, no pad */

/* ---- helpers: building ------------------------------------------------------------- */

static rr_result g_res;           /* the real build (with locations) */
static rr_result g_sizes;         /* the sizing build (locs == NULL) */
static rr_area_loc g_locs[RR_MAX_AREAS];
static dm_ctx g_ctx;

static rr_attrs file_attrs(void)
{
	rr_attrs a;
	memset(&a, 0, sizeof(a));
	a.mode = 0100644;
	a.nlink = 1;
	a.uid = 1000;
	a.gid = 100;
	a.serial = 42;
	a.mtime = 951827696; /* 2000-02-29 12:34:56 */
	a.atime = 0;         /* 1970-01-01 00:00:00 */
	a.ctime = -1;        /* 1969-12-31 23:59:59 */
	return a;
}

static rr_attrs link_attrs(const char *target)
{
	rr_attrs a = file_attrs();
	a.mode = 0120777;
	a.target = target;
	a.target_len = strlen(target);
	return a;
}

static rr_attrs root_attrs(void)
{
	rr_attrs a = file_attrs();
	a.mode = 040755;
	a.nlink = 3;
	a.is_root_dot = 1;
	return a;
}

/* Is byte i of buf inside the block/offset/length fields of a CE entry at one of ce[]? */
static int in_ce_fields(const uint8_t *buf, size_t len, size_t i)
{
	size_t off = 0;
	while (off + 4 <= len && buf[off + 2] >= 4) {
		if (buf[off] == 'C' && buf[off + 1] == 'E' && i >= off + 4 && i < off + 28)
			return 1;
		off += buf[off + 2];
	}
	return 0;
}

/* Build for sizes, then with locations (area i at LBA 1000 + i, centred in its sector);
 * check that both agree on every length and every byte but the CE fields, which are zero
 * in the sizing build. Returns the status of the sizing build. */
static dm_status build(const rr_attrs *a, size_t room)
{
	dm_ctx_init(&g_ctx);
	dm_status st = rr_build(a, room, NULL, &g_sizes, &g_ctx);
	if (st != DM_OK)
		return st;
	CU_ASSERT_PTR_NULL(g_sizes.area_bytes[0]);
	memset(g_locs, 0, sizeof(g_locs));
	for (size_t i = 0; i < g_sizes.n_areas; i++) {
		g_locs[i].lba = 1000 + (uint32_t)i;
		g_locs[i].offset = (uint32_t)((RR_SECTOR - g_sizes.area_len[i]) / 2);
	}
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	dm_status st2 = rr_build(a, room, g_locs, &g_res, &ctx);
	CU_ASSERT_EQUAL(st2, DM_OK);
	if (st2 != DM_OK)
		return st2;
	CU_ASSERT_EQUAL(g_res.inline_len, g_sizes.inline_len);
	CU_ASSERT_EQUAL(g_res.n_areas, g_sizes.n_areas);
	int same = memcmp(g_res.area_len, g_sizes.area_len, sizeof(g_res.area_len)) == 0;
	CU_ASSERT(same);
	/* Every byte equal but the CE fields; those are zero in the sizing build. */
	int diff_ok = 1;
	for (size_t i = 0; i < sizeof(g_res.inline_bytes); i++) {
		int ce = in_ce_fields(g_res.inline_bytes, g_res.inline_len, i);
		if (ce ? g_sizes.inline_bytes[i] != 0
		       : g_sizes.inline_bytes[i] != g_res.inline_bytes[i])
			diff_ok = 0;
	}
	for (size_t k = 0; k < RR_MAX_AREAS; k++) {
		const uint8_t *r = g_res.storage + k * RR_SECTOR, *s = g_sizes.storage + k * RR_SECTOR;
		size_t len = k < g_res.n_areas ? g_res.area_len[k] : 0;
		for (size_t i = 0; i < RR_SECTOR; i++) {
			int ce = in_ce_fields(r, len, i);
			if (ce ? s[i] != 0 : s[i] != r[i])
				diff_ok = 0;
		}
		if (k < g_res.n_areas) {
			CU_ASSERT_PTR_EQUAL(g_res.area_bytes[k], g_res.storage + k * RR_SECTOR);
		} else {
			CU_ASSERT_PTR_NULL(g_res.area_bytes[k]);
		}
	}
	CU_ASSERT(diff_ok);
	/* The padding byte for an even record length fits the room. */
	CU_ASSERT(g_res.inline_len + (g_res.inline_len & 1) <= room);
	return DM_OK;
}

static const uint8_t *area(size_t i)
{
	return g_res.storage + i * RR_SECTOR;
}

/* ---- helpers: walking the SUSP entries --------------------------------------------- */

typedef struct su_entry {
	char sig[3];
	const uint8_t *p;
	size_t len;
	int area;    /* -1: in the record; else the continuation area */
	size_t off;  /* offset in the record's SU field or in the area */
} su_entry;

#define MAX_ENTRIES 512
static su_entry g_ent[MAX_ENTRIES];
static size_t g_n;

/* Walk the record's entries and the CE chain; 1 when well formed: every entry has an
 * upper-case signature, version 1, a length of at least 4 that stays within its area,
 * the entries fill each area exactly, a CE (28 bytes) is the last entry of its area and
 * points to the next area (location and length as given), and the chain ends with the
 * last area. With check_locs == 0 the CE fields must be zero. */
static int walk(const rr_result *res, int check_locs)
{
	const uint8_t *buf = res->inline_bytes;
	size_t len = res->inline_len;
	int cur = -1;
	g_n = 0;
	for (;;) {
		size_t off = 0;
		int next = 0;
		while (off < len) {
			if (len - off < 4)
				return 0;
			const uint8_t *p = buf + off;
			if (p[0] < 'A' || p[0] > 'Z' || p[1] < 'A' || p[1] > 'Z')
				return 0;
			if (p[2] < 4 || p[2] > len - off || p[3] != 1)
				return 0;
			if (g_n == MAX_ENTRIES)
				return 0;
			su_entry *e = &g_ent[g_n++];
			e->sig[0] = (char)p[0];
			e->sig[1] = (char)p[1];
			e->sig[2] = 0;
			e->p = p;
			e->len = p[2];
			e->area = cur;
			e->off = off;
			off += p[2];
			if (strcmp(e->sig, "CE") == 0) {
				size_t to = (size_t)(cur + 1);
				if (e->len != 28 || off != len || to >= res->n_areas)
					return 0;
				if (dm_get_le32(p + 4) != dm_get_be32(p + 8) ||
				    dm_get_le32(p + 12) != dm_get_be32(p + 16) ||
				    dm_get_le32(p + 20) != dm_get_be32(p + 24))
					return 0;
				if (check_locs) {
					if (dm_get_le32(p + 4) != g_locs[to].lba ||
					    dm_get_le32(p + 12) != g_locs[to].offset ||
					    dm_get_le32(p + 20) != res->area_len[to])
						return 0;
				} else {
					for (size_t i = 4; i < 28; i++)
						if (p[i] != 0)
							return 0;
				}
				next = 1;
			}
		}
		if (!next)
			break;
		cur++;
		buf = res->storage + (size_t)cur * RR_SECTOR;
		len = res->area_len[cur];
		if (len == 0 || len > RR_SECTOR)
			return 0;
	}
	return (size_t)(cur + 1) == res->n_areas;
}

static const su_entry *find(const char *sig, size_t nth)
{
	for (size_t i = 0; i < g_n; i++)
		if (strcmp(g_ent[i].sig, sig) == 0 && nth-- == 0)
			return &g_ent[i];
	return NULL;
}

static size_t count(const char *sig)
{
	size_t n = 0;
	for (size_t i = 0; i < g_n; i++)
		n += strcmp(g_ent[i].sig, sig) == 0;
	return n;
}

/* The NM content, checking the CONTINUE flags (set on all but the last entry). */
static int nm_name(char *out, size_t cap, size_t *out_len)
{
	size_t n = 0, k = count("NM");
	for (size_t i = 0; i < k; i++) {
		const su_entry *e = find("NM", i);
		if (e->len < 5 || (e->p[4] & 1) != (i + 1 < k) || (e->p[4] & ~1) != 0)
			return 0;
		if (n + e->len - 5 > cap)
			return 0;
		memcpy(out + n, e->p + 5, e->len - 5);
		n += e->len - 5;
	}
	*out_len = n;
	return 1;
}

/* ---- helpers: four readers' ways of rebuilding a symlink target ---------------------- */

typedef struct sbuf {
	char s[20000];
	size_t n;
	int bad;
} sbuf;

static void sb_add(sbuf *b, const void *p, size_t n)
{
	if (b->n + n >= sizeof(b->s)) {
		b->bad = 1;
		return;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void sb_str(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Linux fs/isofs/rock.c get_symlink_chunk(): a '/' after every component that is neither
 * ROOT nor continued, and after the last one of an entry only when the entry continues. */
static void read_linux(sbuf *b)
{
	for (size_t i = 0; i < g_n; i++) {
		const su_entry *e = &g_ent[i];
		if (strcmp(e->sig, "SL") != 0)
			continue;
		int slen = (int)e->len - 5;
		const uint8_t *c = e->p + 5;
		while (slen > 1) {
			int root = 0;
			if (c[1] + 2 > slen) {
				b->bad = 1;
				return;
			}
			switch (c[0] & ~1) {
			case 0: sb_add(b, c + 2, c[1]); break;
			case 2: sb_str(b, "."); break;
			case 4: sb_str(b, ".."); break;
			case 8: root = 1; sb_str(b, "/"); break;
			default: b->bad = 1; return;
			}
			slen -= c[1] + 2;
			const uint8_t *old = c;
			c += old[1] + 2;
			if (slen < 2) {
				if (!root && (e->p[4] & 1) && !(old[0] & 1))
					sb_str(b, "/");
				break;
			}
			if (!root && !(old[0] & 1))
				sb_str(b, "/");
		}
	}
}

/* libarchive parse_rockridge_SL1(): the separator restarts empty with every SL entry. */
static void read_libarchive(sbuf *b)
{
	int continues = 0;
	for (size_t i = 0; i < g_n; i++) {
		const su_entry *e = &g_ent[i];
		if (strcmp(e->sig, "SL") != 0)
			continue;
		if (!continues || b->n < 1) {
			b->n = 0;
			b->s[0] = 0;
		}
		continues = 0;
		const uint8_t *d = e->p + 4;
		int dl = (int)e->len - 4;
		if (dl < 1)
			continue;
		if (d[0] == 1)
			continues = 1;
		else if (d[0] != 0) {
			b->bad = 1;
			return;
		}
		d++;
		dl--;
		const char *sep = "";
		while (dl >= 2) {
			uint8_t flag = d[0], nlen = d[1];
			d += 2;
			dl -= 2;
			sb_str(b, sep);
			sep = "/";
			switch (flag) {
			case 0: sb_add(b, d, nlen); break;
			case 1: sb_add(b, d, nlen); sep = ""; break;
			case 2: sb_str(b, "."); break;
			case 4: sb_str(b, ".."); break;
			case 8: sb_str(b, "/"); sep = ""; break;
			default: b->bad = 1; return;
			}
			d += nlen;
			dl -= nlen;
		}
	}
}

/* libisofs read_rr_SL(): a new component gets a '/' unless the text ends with one. */
static void read_libisofs(sbuf *b)
{
	int cont = 0;
	for (size_t i = 0; i < g_n; i++) {
		const su_entry *e = &g_ent[i];
		if (strcmp(e->sig, "SL") != 0)
			continue;
		for (size_t pos = 0; pos + 5 < e->len; pos += 2 + e->p[5 + pos + 1]) {
			const uint8_t *c = e->p + 5 + pos;
			const char *comp;
			size_t len;
			if (c[0] & 2) {
				comp = ".";
				len = 1;
			} else if (c[0] & 4) {
				comp = "..";
				len = 2;
			} else if (c[0] & 8) {
				comp = "/";
				len = 1;
			} else if (c[0] & ~1) {
				b->bad = 1;
				return;
			} else {
				comp = (const char *)c + 2;
				len = c[1];
			}
			if (cont == 1) {
				if (!(b->n > 0 && b->s[b->n - 1] == '/'))
					sb_str(b, "/");
				sb_add(b, comp, len);
			} else if (cont == 2) {
				sb_add(b, comp, len);
			} else {
				b->n = 0;
				b->s[0] = 0;
				sb_add(b, comp, len);
			}
			cont = (c[0] & 1) ? 2 : 1;
		}
		if (cont != 2)
			cont = (e->p[4] & 1) ? 1 : 0;
	}
}

/* pycdlib RRSLRecord.name() and RockRidge.symlink_path(). */
static void read_pycdlib(sbuf *b)
{
	static sbuf saved;
	int have_out = 0;
	saved.n = 0;
	saved.s[0] = 0;
	for (size_t i = 0; i < g_n; i++) {
		const su_entry *e = &g_ent[i];
		if (strcmp(e->sig, "SL") != 0)
			continue;
		/* name(): components joined by '/', ROOT restarting the list. */
		static sbuf rec;
		rec.n = 0;
		rec.s[0] = 0;
		int continued = 0, nparts = 0, last_cont = 0;
		for (size_t pos = 0; pos + 5 < e->len; pos += 2 + e->p[5 + pos + 1]) {
			const uint8_t *c = e->p + 5 + pos;
			const char *name = (const char *)c + 2;
			size_t nlen = c[1];
			if (c[0] & 2) {
				name = ".";
				nlen = 1;
			} else if (c[0] & 4) {
				name = "..";
				nlen = 2;
			} else if (c[0] & 8) {
				rec.n = 0;
				rec.s[0] = 0;
				nparts = 0;
				continued = 0;
				nlen = 0;
			}
			if (!continued) {
				if (nparts++ > 0)
					sb_str(&rec, "/");
			}
			sb_add(&rec, name, nlen);
			continued = c[0] & 1;
			last_cont = continued;
		}
		/* symlink_path(): records joined by '/' unless the last component continues. */
		sb_add(&saved, rec.s, rec.n);
		if (!last_cont) {
			if (have_out++)
				sb_str(b, "/");
			sb_add(b, saved.s, saved.n);
			saved.n = 0;
			saved.s[0] = 0;
		}
	}
	if (saved.n != 0)
		b->bad = 1;
}

/* What every reader should give back: runs of '/' as one, a trailing '/' kept. */
static void canonical(const char *t, size_t n, sbuf *b)
{
	b->n = 0;
	b->s[0] = 0;
	b->bad = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] != '/' || b->n == 0 || b->s[b->n - 1] != '/')
			sb_add(b, t + i, 1);
}

/* Check the SL entries of the last build: lengths, flags, the CONTINUE rule, and that the
 * four readers give back the canonical target. */
static int check_target(const char *t, size_t n)
{
	static sbuf want, got;
	size_t k = count("SL");
	if (k == 0)
		return 0;
	for (size_t i = 0; i < k; i++) {
		const su_entry *e = find("SL", i);
		int more = i + 1 < k;
		if (e->len < 7 || e->len > 255 || e->p[4] != (more ? 1 : 0))
			return 0;
		/* Components fill the entry exactly; a continued entry's last one continues. */
		size_t pos = 5, last = 0;
		while (pos < e->len) {
			if (pos + 2 > e->len || pos + 2 + e->p[pos + 1] > e->len)
				return 0;
			uint8_t f = e->p[pos];
			if (f != 0 && f != 1 && f != 2 && f != 4 && f != 8)
				return 0;
			if ((f & 0x0e) && e->p[pos + 1] != 0)
				return 0;
			if (e->p[pos + 1] > 248)
				return 0;
			last = pos;
			pos += 2 + e->p[pos + 1];
		}
		if (more && !(e->p[last] & 1))
			return 0;
		if (!more && (e->p[last] & 1))
			return 0;
	}
	canonical(t, n, &want);
	void (*readers[])(sbuf *) = { read_linux, read_libarchive, read_libisofs, read_pycdlib };
	for (size_t r = 0; r < 4; r++) {
		got.n = 0;
		got.s[0] = 0;
		got.bad = 0;
		readers[r](&got);
		/* pycdlib reads a target of "/" alone as "" (its ROOT handling). */
		const char *w = want.s;
		size_t wn = want.n;
		if (r == 3 && want.n == 1 && want.s[0] == '/')
			w = "", wn = 0;
		if (got.bad || got.n != wn || memcmp(got.s, w, wn) != 0) {
			fprintf(stderr, "\nreader %zu: got \"%.*s\" want \"%.*s\"\n", r,
				(int)(got.n > 300 ? 300 : got.n), got.s, (int)(wn > 300 ? 300 : wn), w);
			return 0;
		}
	}
	return 1;
}

/* ---- entries ------------------------------------------------------------------------ */

static const uint8_t px_file[44] = {
	'P', 'X', 44, 1,
	0xA4, 0x81, 0, 0, 0, 0, 0x81, 0xA4, /* mode 0100644 */
	1, 0, 0, 0, 0, 0, 0, 1,             /* links */
	0xE8, 3, 0, 0, 0, 0, 3, 0xE8,       /* uid 1000 */
	100, 0, 0, 0, 0, 0, 0, 100,         /* gid 100 */
	42, 0, 0, 0, 0, 0, 0, 42,           /* serial 42 */
};

static const uint8_t tf_file[26] = {
	'T', 'F', 26, 1, 0x0E,
	100, 2, 29, 12, 34, 56, 0, /* modify 2000-02-29 12:34:56 */
	70, 1, 1, 0, 0, 0, 0,      /* access 1970-01-01 00:00:00 */
	69, 12, 31, 23, 59, 59, 0, /* attributes 1969-12-31 23:59:59 */
};

static void test_px_tf(void)
{
	rr_attrs a = file_attrs();
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	CU_ASSERT_EQUAL(g_res.inline_len, 70);
	CU_ASSERT_EQUAL(g_res.n_areas, 0);
	CU_ASSERT(memcmp(g_res.inline_bytes, px_file, 44) == 0);
	CU_ASSERT(memcmp(g_res.inline_bytes + 44, tf_file, 26) == 0);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT_EQUAL(g_n, 2);
	/* Nothing after the entries. */
	for (size_t i = 70; i < sizeof(g_res.inline_bytes); i++)
		CU_ASSERT_EQUAL(g_res.inline_bytes[i], 0);
}

static void test_tf_dates(void)
{
	static const struct {
		int64_t t;
		uint8_t want[7];
	} cases[] = {
		{ INT64_MIN, { 0, 1, 1, 0, 0, 0, 0 } },
		{ INT64_C(-2208988801), { 0, 1, 1, 0, 0, 0, 0 } },   /* clamped */
		{ INT64_C(-2208988800), { 0, 1, 1, 0, 0, 0, 0 } },   /* 1900-01-01 */
		{ INT64_C(-2203891200), { 0, 3, 1, 0, 0, 0, 0 } },   /* 1900-03-01: no 02-29 */
		{ INT64_C(-2077725172), { 4, 2, 29, 6, 7, 8, 0 } },  /* 1904-02-29 06:07:08 */
		{ INT64_C(-86400), { 69, 12, 31, 0, 0, 0, 0 } },
		{ 0, { 70, 1, 1, 0, 0, 0, 0 } },
		{ INT64_C(2147483648), { 138, 1, 19, 3, 14, 8, 0 } }, /* 2038-01-19 03:14:08 */
		{ INT64_C(4107542399), { 200, 2, 28, 23, 59, 59, 0 } },
		{ INT64_C(4107542400), { 200, 3, 1, 0, 0, 0, 0 } },  /* 2100 is no leap year */
		{ INT64_C(5869583999), { 255, 12, 31, 23, 59, 59, 0 } }, /* 2155-12-31 23:59:59 */
		{ INT64_C(5869584000), { 255, 12, 31, 23, 59, 59, 0 } }, /* clamped */
		{ INT64_MAX, { 255, 12, 31, 23, 59, 59, 0 } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rr_attrs a = file_attrs();
		a.mtime = cases[i].t;
		a.atime = cases[i].t;
		a.ctime = cases[i].t;
		CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
		const uint8_t *tf = g_res.inline_bytes + 44;
		CU_ASSERT(memcmp(tf, "TF\x1a\x01\x0e", 5) == 0);
		for (size_t k = 0; k < 3; k++)
			CU_ASSERT(memcmp(tf + 5 + 7 * k, cases[i].want, 7) == 0);
	}
}

static void test_sp_er_root(void)
{
	static const char des[] = "THE IEEE P1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM "
				  "SEMANTICS.";
	static const char src[] = "PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, "
				  "USA FOR THE P1282 SPECIFICATION.";
	rr_attrs a = root_attrs();
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	const uint8_t *p = g_res.inline_bytes;
	static const uint8_t sp[7] = { 'S', 'P', 7, 1, 0xBE, 0xEF, 0 };
	CU_ASSERT(memcmp(p, sp, 7) == 0);
	CU_ASSERT(memcmp(p + 7, "PX", 2) == 0);
	CU_ASSERT(memcmp(p + 7 + 12, "\x03\0\0\0\0\0\0\x03", 8) == 0); /* 3 links */
	CU_ASSERT(memcmp(p + 51, "TF", 2) == 0);
	/* ER (185 bytes) does not fit with SP, PX and TF: CE at 77, ER in the area. */
	CU_ASSERT(memcmp(p + 77, "CE\x1c\x01", 4) == 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 105);
	CU_ASSERT_EQUAL_FATAL(g_res.n_areas, 1);
	CU_ASSERT_EQUAL(g_res.area_len[0], 185);
	const uint8_t *ce = p + 77;
	uint32_t off = (RR_SECTOR - 185) / 2;
	static const uint8_t lba_both[8] = { 0xE8, 3, 0, 0, 0, 0, 3, 0xE8 };
	CU_ASSERT(memcmp(ce + 4, lba_both, 8) == 0); /* LBA 1000 */
	CU_ASSERT_EQUAL(dm_get_le32(ce + 12), off);
	CU_ASSERT_EQUAL(dm_get_be32(ce + 16), off);
	CU_ASSERT_EQUAL(dm_get_le32(ce + 20), 185);
	CU_ASSERT_EQUAL(dm_get_be32(ce + 24), 185);
	const uint8_t *er = area(0);
	static const uint8_t er_head[8] = { 'E', 'R', 185, 1, 10, 73, 94, 1 };
	CU_ASSERT(memcmp(er, er_head, 8) == 0);
	CU_ASSERT(memcmp(er + 8, "IEEE_P1282", 10) == 0);
	CU_ASSERT(memcmp(er + 18, des, 73) == 0);
	CU_ASSERT(memcmp(er + 91, src, 94) == 0);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT_EQUAL(count("NM"), 0);
	CU_ASSERT_EQUAL(count("SP"), 1);
	CU_ASSERT_EQUAL(count("ER"), 1);
}

static void test_nm(void)
{
	rr_attrs a = file_attrs();
	a.name = "hello.txt";
	a.name_len = 9;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	static const uint8_t nm[14] = { 'N', 'M', 14, 1, 0, 'h', 'e', 'l', 'l', 'o', '.', 't',
					'x', 't' };
	CU_ASSERT_EQUAL(g_res.inline_len, 84);
	CU_ASSERT(memcmp(g_res.inline_bytes + 70, nm, 14) == 0);
	CU_ASSERT(walk(&g_res, 1));

	/* "." and ".." records: no NM. */
	a.name = NULL;
	a.name_len = 0;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT_EQUAL(count("NM"), 0);
}

static void test_nm_long(void)
{
	char name[256];
	for (size_t i = 0; i < 255; i++)
		name[i] = (char)('a' + i % 26);
	name[255] = 0;
	rr_attrs a = file_attrs();
	a.name = name;
	a.name_len = 255;

	/* room 208 (a 12-byte ISO name): PX, TF (70 bytes), then NM cut at 180 to leave room
	 * for the CE; the rest of the name in the area. */
	CU_ASSERT_EQUAL_FATAL(build(&a, 208), DM_OK);
	CU_ASSERT_EQUAL(g_res.inline_len, 208);
	const uint8_t *p = g_res.inline_bytes;
	CU_ASSERT(memcmp(p + 70, "NM\x6e\x01\x01", 5) == 0); /* 110 bytes, CONTINUE */
	CU_ASSERT(memcmp(p + 75, name, 105) == 0);
	CU_ASSERT(memcmp(p + 180, "CE\x1c\x01", 4) == 0);
	CU_ASSERT_EQUAL_FATAL(g_res.n_areas, 1);
	CU_ASSERT_EQUAL(g_res.area_len[0], 155);
	CU_ASSERT(memcmp(area(0), "NM\x9b\x01\x00", 5) == 0); /* 155 bytes, last */
	CU_ASSERT(memcmp(area(0) + 5, name + 105, 150) == 0);
	CU_ASSERT(walk(&g_res, 1));
	char got[300];
	size_t n = 0;
	CU_ASSERT(nm_name(got, sizeof(got), &n));
	CU_ASSERT(n == 255 && memcmp(got, name, 255) == 0);

	/* All in the area when the record has only room for the CE. */
	CU_ASSERT_EQUAL_FATAL(build(&a, 28), DM_OK);
	CU_ASSERT_EQUAL(g_res.inline_len, 28);
	CU_ASSERT(memcmp(g_res.inline_bytes, "CE\x1c\x01", 4) == 0);
	CU_ASSERT_EQUAL(g_res.n_areas, 1);
	CU_ASSERT_EQUAL(g_res.area_len[0], 70 + 255 + 5 + 5);
	CU_ASSERT(memcmp(area(0), px_file, 44) == 0);
	CU_ASSERT(memcmp(area(0) + 70, "NM\xff\x01\x01", 5) == 0); /* 250 name bytes */
	CU_ASSERT(memcmp(area(0) + 325, "NM\x0a\x01\x00", 5) == 0);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT(nm_name(got, sizeof(got), &n));
	CU_ASSERT(n == 255 && memcmp(got, name, 255) == 0);
}

/* Single-entry symlinks: the SL entry right after PX and TF. */
static void test_sl_simple(void)
{
	static const struct {
		const char *target;
		size_t body_len;
		const char *body; /* the components */
	} cases[] = {
		{ "/", 2, "\x08\x00" },
		{ "///", 2, "\x08\x00" },
		{ "/usr/lib", 12, "\x08\x00\x00\x03usr\x00\x03lib" },
		{ "a/b", 6, "\x00\x01" "a\x00\x01" "b" },
		{ "a//b", 6, "\x00\x01" "a\x00\x01" "b" },
		{ "a/b/", 8, "\x00\x01" "a\x00\x01" "b\x00\x00" },
		{ "a/b///", 8, "\x00\x01" "a\x00\x01" "b\x00\x00" },
		{ "//x", 5, "\x08\x00\x00\x01x" },
		{ "../x", 5, "\x04\x00\x00\x01x" },
		{ "./x", 5, "\x02\x00\x00\x01x" },
		{ ".", 2, "\x02\x00" },
		{ "..", 2, "\x04\x00" },
		{ "/..", 4, "\x08\x00\x04\x00" },
		{ "../../lib/", 11, "\x04\x00\x04\x00\x00\x03lib\x00\x00" },
		{ "...", 5, "\x00\x03..." },
		{ ".hidden/.x", 13, "\x00\x07.hidden\x00\x02.x" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rr_attrs a = link_attrs(cases[i].target);
		CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
		const uint8_t *sl = g_res.inline_bytes + 70;
		CU_ASSERT_EQUAL(g_res.inline_len, 70 + 5 + cases[i].body_len);
		CU_ASSERT_EQUAL(g_res.n_areas, 0);
		CU_ASSERT(sl[0] == 'S' && sl[1] == 'L' && sl[3] == 1 && sl[4] == 0);
		CU_ASSERT_EQUAL(sl[2], 5 + cases[i].body_len);
		CU_ASSERT(memcmp(sl + 5, cases[i].body, cases[i].body_len) == 0);
		CU_ASSERT(walk(&g_res, 1));
		CU_ASSERT(check_target(cases[i].target, strlen(cases[i].target)));
	}
}

static void test_sl_long_component(void)
{
	char t[601];
	memset(t, 'x', 600);
	t[600] = 0;
	rr_attrs a = link_attrs(t);
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	/* In the record: PX, TF, a first piece of 115 bytes (all that is left before the CE). */
	const uint8_t *p = g_res.inline_bytes;
	CU_ASSERT(memcmp(p + 70, "SL\x7a\x01\x01\x01\x73", 7) == 0);
	CU_ASSERT(memcmp(p + 192, "CE\x1c\x01", 4) == 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 220);
	/* In the area: a full piece of 248 bytes, then the last 237. */
	CU_ASSERT_EQUAL_FATAL(g_res.n_areas, 1);
	CU_ASSERT_EQUAL(g_res.area_len[0], 255 + 244);
	CU_ASSERT(memcmp(area(0), "SL\xff\x01\x01\x01\xf8", 7) == 0);
	CU_ASSERT(memcmp(area(0) + 255, "SL\xf4\x01\x00\x00\xed", 7) == 0);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT(check_target(t, 600));

	/* "/" + 300 bytes + "/b": the long component cut at 248 inside one SL entry's reach. */
	char u[310];
	u[0] = '/';
	memset(u + 1, 'y', 300);
	memcpy(u + 301, "/b", 3);
	a = link_attrs(u);
	CU_ASSERT_EQUAL_FATAL(build(&a, 28), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	/* Area: PX, TF, SL [ROOT, 246-byte piece] (255), SL [54-byte rest, "b"] (64). */
	CU_ASSERT(memcmp(area(0) + 70, "SL\xff\x01\x01\x08\x00\x01\xf6", 9) == 0);
	CU_ASSERT(memcmp(area(0) + 70 + 255, "SL\x40\x01\x00\x00\x36", 7) == 0);
	CU_ASSERT(memcmp(area(0) + 70 + 255 + 61, "\x00\x01" "b", 3) == 0);
	CU_ASSERT(check_target(u, strlen(u)));
}

/* An SL entry continued between components ends with an empty CONTINUE component. */
static void test_sl_boundary_marker(void)
{
	/* 125 components "ab" (4 bytes each): 62 fit an entry with 2 bytes kept free. */
	char t[700];
	size_t n = 0;
	for (int i = 0; i < 125; i++) {
		memcpy(t + n, i ? "/ab" : "ab", i ? 3 : 2);
		n += i ? 3 : 2;
	}
	t[n] = 0;
	rr_attrs a = link_attrs(t);
	CU_ASSERT_EQUAL_FATAL(build(&a, 28), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	const su_entry *sl = find("SL", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sl);
	CU_ASSERT_EQUAL(sl->len, 5 + 62 * 4 + 2);
	CU_ASSERT_EQUAL(sl->p[4], 1);
	CU_ASSERT(memcmp(sl->p + 5 + 62 * 4, "\x01\x00", 2) == 0);
	CU_ASSERT(check_target(t, n));

	/* Same with "..": no text to cut, so the marker is the only way. */
	n = 0;
	for (int i = 0; i < 200; i++) {
		memcpy(t + n, i ? "/.." : "..", i ? 3 : 2);
		n += i ? 3 : 2;
	}
	t[n] = 0;
	a = link_attrs(t);
	CU_ASSERT_EQUAL_FATAL(build(&a, 28), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	sl = find("SL", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sl);
	CU_ASSERT_EQUAL(sl->len, 255);
	CU_ASSERT(memcmp(sl->p + 5 + 123 * 2, "\x04\x00\x01\x00", 4) == 0);
	CU_ASSERT(check_target(t, n));
}

static void fill_target(char *t, size_t n, unsigned seed)
{
	/* Components of 1 to 40 bytes; deterministic. */
	unsigned x = seed;
	size_t i = 0;
	if (seed & 1)
		t[i++] = '/';
	while (i < n) {
		x = x * 1103515245u + 12345u;
		size_t len = 1 + (x >> 16) % 40;
		for (size_t k = 0; k < len && i < n; k++)
			t[i++] = (char)('a' + (x >> (k % 16)) % 26);
		if (i < n - 1)
			t[i++] = '/';
		else if (i == n - 1)
			t[i++] = 'z';
	}
	t[n] = 0;
}

static void test_sl_4000(void)
{
	static char t[4096];
	fill_target(t, 4000, 7);
	rr_attrs a = link_attrs(t);
	a.name = "link";
	a.name_len = 4;
	CU_ASSERT_EQUAL_FATAL(build(&a, 200), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT(g_res.n_areas >= 2);
	for (size_t i = 0; i < g_res.n_areas; i++)
		CU_ASSERT(g_res.area_len[i] > 0 && g_res.area_len[i] <= RR_SECTOR);
	/* PX, TF and NM stay in the record. */
	CU_ASSERT_EQUAL(g_ent[0].area, -1);
	CU_ASSERT_EQUAL(strcmp(g_ent[0].sig, "PX"), 0);
	CU_ASSERT_EQUAL(strcmp(g_ent[1].sig, "TF"), 0);
	CU_ASSERT_EQUAL(strcmp(g_ent[2].sig, "NM"), 0);
	CU_ASSERT_EQUAL(g_ent[2].area, -1);
	CU_ASSERT(check_target(t, 4000));
	/* Every area but the last is full but for less than an SL entry's minimum. */
	for (size_t i = 0; i + 1 < g_res.n_areas; i++)
		CU_ASSERT(g_res.area_len[i] > RR_SECTOR - 10);

	/* Worst cases of 4095 bytes: one-byte components, "..", one component. */
	const char *pats[] = { "a/", "../", "x" };
	for (size_t k = 0; k < 3; k++) {
		size_t pl = strlen(pats[k]);
		for (size_t i = 0; i < 4095; i++)
			t[i] = pats[k][i % pl];
		t[4095] = 0;
		static char name[256];
		memset(name, 'n', 255);
		a = link_attrs(t);
		a.name = name;
		a.name_len = 255;
		CU_ASSERT_EQUAL_FATAL(build(&a, 28), DM_OK);
		CU_ASSERT(walk(&g_res, 1));
		CU_ASSERT(g_res.n_areas <= 4);
		CU_ASSERT(check_target(t, 4095));
	}
}

static void test_pn(void)
{
	static const struct {
		uint32_t mode;
		unsigned major, minor;
	} cases[] = {
		{ 0020620, 4, 64 },     /* char: tty */
		{ 0060660, 8, 1 },      /* block: sda1 */
		{ 0020666, 1, 3 },      /* null */
		{ 0060660, 0, 255 },
		{ 0060660, 4095, 255 },
		{ 0060660, 259, 70000 }, /* beyond the old 8:8 form */
		{ 0020600, 5000, 3 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rr_attrs a = file_attrs();
		a.mode = cases[i].mode;
		a.rdev = makedev(cases[i].major, cases[i].minor);
		CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
		CU_ASSERT(walk(&g_res, 1));
		const su_entry *pn = find("PN", 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pn);
		CU_ASSERT_EQUAL(pn->off, 70); /* after PX and TF */
		CU_ASSERT(memcmp(pn->p, "PN\x14\x01", 4) == 0);
		uint32_t high = dm_get_le32(pn->p + 4), low = dm_get_le32(pn->p + 12);
		CU_ASSERT_EQUAL(dm_get_be32(pn->p + 8), high);
		CU_ASSERT_EQUAL(dm_get_be32(pn->p + 16), low);
		/* libarchive and libisofs: dev_t = high << 32 | low. */
		uint64_t dev = (uint64_t)high << 32 | low;
		CU_ASSERT_EQUAL(major(dev), cases[i].major);
		CU_ASSERT_EQUAL(minor(dev), cases[i].minor);
		/* Linux isofs: the old 8:8 form in low when high is 0. */
		if (cases[i].major < 4096 && cases[i].minor < 256) {
			unsigned kmaj, kmin;
			if ((low & ~0xffu) && high == 0) {
				kmaj = low >> 8;
				kmin = low & 0xff;
			} else {
				kmaj = high;
				kmin = low;
			}
			CU_ASSERT_EQUAL(kmaj, cases[i].major);
			CU_ASSERT_EQUAL(kmin, cases[i].minor);
		}
	}
	/* sda1 exactly. */
	rr_attrs a = file_attrs();
	a.mode = 0060660;
	a.rdev = makedev(8, 1);
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	static const uint8_t pn[20] = { 'P', 'N', 20, 1, 0, 0, 0, 0, 0, 0, 0, 0,
					1, 8, 0, 0, 0, 0, 8, 1 };
	CU_ASSERT(memcmp(g_res.inline_bytes + 70, pn, 20) == 0);
	/* No PN for other types, whatever rdev says. */
	a.mode = 0100644;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT_EQUAL(count("PN"), 0);
}

static void test_cl_pl_re(void)
{
	rr_attrs a = file_attrs();
	a.mode = 040755;
	a.name = "deep";
	a.name_len = 4;
	a.cl_lba = 1234;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	static const uint8_t cl[12] = { 'C', 'L', 12, 1, 0xD2, 4, 0, 0, 0, 0, 4, 0xD2 };
	CU_ASSERT(memcmp(g_res.inline_bytes + 70, cl, 12) == 0);
	CU_ASSERT(memcmp(g_res.inline_bytes + 82, "NM\x09\x01\x00" "deep", 9) == 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 91);

	a.cl_lba = 0;
	a.name = NULL;
	a.pl_lba = 0x01020304;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	static const uint8_t pl[12] = { 'P', 'L', 12, 1, 4, 3, 2, 1, 1, 2, 3, 4 };
	CU_ASSERT(memcmp(g_res.inline_bytes + 70, pl, 12) == 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 82);

	a.pl_lba = 0;
	a.re = 1;
	a.name = "deep";
	a.name_len = 4;
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	CU_ASSERT(memcmp(g_res.inline_bytes + 70, "RE\x04\x01NM", 6) == 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 83);
	CU_ASSERT(walk(&g_res, 1));
}

/* Every entry at once, to see the order. */
static void test_order(void)
{
	rr_attrs a = root_attrs();
	a.mode = 0020644;
	a.rdev = makedev(1, 3);
	a.name = "everything";
	a.name_len = 10;
	a.target = "/a/b";
	a.target_len = 4;
	a.cl_lba = 5;
	a.pl_lba = 6;
	a.re = 1;
	const char *want[] = { "SP", "PX", "TF", "PN", "CL", "PL", "RE", "NM", "SL", "ER" };
	size_t rooms[] = { 36, 64, 100, 151, ROOM_MAX, 254, 255 };
	for (size_t r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++) {
		CU_ASSERT_EQUAL_FATAL(build(&a, rooms[r]), DM_OK);
		CU_ASSERT_FATAL(walk(&g_res, 1));
		size_t k = 0;
		for (size_t i = 0; i < g_n; i++) {
			if (strcmp(g_ent[i].sig, "CE") == 0)
				continue;
			CU_ASSERT_FATAL(k < 10);
			CU_ASSERT_STRING_EQUAL(g_ent[i].sig, want[k]);
			k++;
		}
		CU_ASSERT_EQUAL(k, 10);
		CU_ASSERT_EQUAL(g_ent[0].area, -1);
		CU_ASSERT_EQUAL(g_ent[0].off, 0);
	}
}

/* ---- layout ------------------------------------------------------------------------- */

static void test_ce_chain(void)
{
	static char t[4096];
	fill_target(t, 4095, 3);
	rr_attrs a = link_attrs(t);
	CU_ASSERT_EQUAL_FATAL(build(&a, ROOM_MAX), DM_OK);
	CU_ASSERT(walk(&g_res, 1));
	CU_ASSERT(g_res.n_areas >= 2);
	/* Each area but the last ends with a CE to the next, as given in the locations. */
	for (size_t i = 0; i + 1 < g_res.n_areas; i++) {
		const uint8_t *ce = area(i) + g_res.area_len[i] - 28;
		CU_ASSERT(memcmp(ce, "CE\x1c\x01", 4) == 0);
		CU_ASSERT_EQUAL(dm_get_le32(ce + 4), 1001 + i);
		CU_ASSERT_EQUAL(dm_get_be32(ce + 8), 1001 + i);
		CU_ASSERT_EQUAL(dm_get_le32(ce + 12), g_locs[i + 1].offset);
		CU_ASSERT_EQUAL(dm_get_le32(ce + 20), g_res.area_len[i + 1]);
		CU_ASSERT(g_res.area_len[i] <= RR_SECTOR);
	}
	CU_ASSERT(check_target(t, 4095));
	/* The sizing build walks too, with zero CE fields. */
	CU_ASSERT(walk(&g_sizes, 0));
}

static void test_room_and_padding(void)
{
	/* For every room, the record's SU bytes plus an eventual pad byte fit the room, and
	 * everything reads back. */
	static char t[700];
	fill_target(t, 650, 11);
	for (size_t room = 28; room <= 255; room++) {
		for (int kind = 0; kind < 3; kind++) {
			rr_attrs a = kind == 0 ? file_attrs() : kind == 1 ? link_attrs(t) : root_attrs();
			char name[200];
			memset(name, 'q', sizeof(name));
			if (kind != 2) {
				a.name = name;
				a.name_len = 1 + room % 199;
			}
			if (kind == 2 && room < 36) {
				dm_ctx_init(&g_ctx);
				CU_ASSERT_EQUAL(rr_build(&a, room, NULL, &g_sizes, &g_ctx),
						DM_ERR_INVALID);
				continue;
			}
			CU_ASSERT_EQUAL_FATAL(build(&a, room), DM_OK);
			CU_ASSERT(g_res.inline_len <= room);
			CU_ASSERT(g_res.inline_len + (g_res.inline_len & 1) <= room);
			CU_ASSERT_FATAL(walk(&g_res, 1));
			char got[300];
			size_t n = 0;
			if (kind != 2) {
				CU_ASSERT(nm_name(got, sizeof(got), &n));
				CU_ASSERT(n == a.name_len && memcmp(got, name, n) == 0);
			}
			if (kind == 1)
				CU_ASSERT(check_target(t, 650));
			if (kind == 2)
				CU_ASSERT(memcmp(g_res.inline_bytes, "SP\x07\x01\xbe\xef\x00", 7) == 0);
		}
	}
	/* An odd room: a 221-byte room holds at most 220 bytes. */
	rr_attrs a = file_attrs();
	char name[200];
	memset(name, 'r', sizeof(name));
	a.name = name;
	a.name_len = 146; /* 70 + 151 = 221: one too many */
	CU_ASSERT_EQUAL_FATAL(build(&a, 221), DM_OK);
	CU_ASSERT_EQUAL(g_res.n_areas, 1);
	a.name_len = 145; /* 220 */
	CU_ASSERT_EQUAL_FATAL(build(&a, 221), DM_OK);
	CU_ASSERT_EQUAL(g_res.n_areas, 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 220);
	a.name_len = 144; /* 219, odd: the pad makes 220 */
	CU_ASSERT_EQUAL_FATAL(build(&a, 221), DM_OK);
	CU_ASSERT_EQUAL(g_res.n_areas, 0);
	CU_ASSERT_EQUAL(g_res.inline_len, 219);
}

static void test_sizes_and_determinism(void)
{
	static char t[3000];
	fill_target(t, 2999, 5);
	rr_attrs a = link_attrs(t);
	a.name = "determinism";
	a.name_len = 11;
	CU_ASSERT_EQUAL_FATAL(build(&a, 150), DM_OK); /* build() compares both calls */
	static rr_result again;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(rr_build(&a, 150, g_locs, &again, &ctx), DM_OK);
	CU_ASSERT_EQUAL(again.inline_len, g_res.inline_len);
	CU_ASSERT(memcmp(again.inline_bytes, g_res.inline_bytes, sizeof(again.inline_bytes)) == 0);
	CU_ASSERT(memcmp(again.area_len, g_res.area_len, sizeof(again.area_len)) == 0);
	CU_ASSERT(memcmp(again.storage, g_res.storage, sizeof(again.storage)) == 0);
	/* The result does not depend on what was in it before. */
	memset(&again, 0xA5, sizeof(again));
	CU_ASSERT_EQUAL_FATAL(rr_build(&a, 150, g_locs, &again, &ctx), DM_OK);
	CU_ASSERT(memcmp(again.inline_bytes, g_res.inline_bytes, sizeof(again.inline_bytes)) == 0);
	CU_ASSERT(memcmp(again.storage, g_res.storage, sizeof(again.storage)) == 0);
	/* Sizing build: CE fields zero, same walk. */
	CU_ASSERT(walk(&g_sizes, 0));
}

/* Many deterministic pseudo-random names, targets and rooms. */
static void test_many(void)
{
	static char t[5000], name[300];
	unsigned x = 12345;
	int bad = 0;
	for (int it = 0; it < 1500 && !bad; it++) {
		x = x * 1103515245u + 12345u;
		size_t tlen = 1 + (x >> 8) % 4095;
		for (size_t i = 0; i < tlen; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = (x >> 16) % 16;
			t[i] = r < 3 ? '/' : r < 6 ? '.' : (char)('a' + r);
		}
		if (it % 7 == 0) /* long runs without '/' */
			memset(t + tlen / 3, 'L', tlen / 2);
		t[tlen] = 0;
		size_t nlen = 1 + (x >> 4) % 255;
		for (size_t i = 0; i < nlen; i++)
			name[i] = (char)('A' + (i * 7 + it) % 26);
		size_t room = 28 + (x >> 20) % 228;
		rr_attrs a = link_attrs(t);
		a.name = name;
		a.name_len = nlen;
		a.mode = (x & 1) ? 0120777 : 0060600;
		a.rdev = makedev(x % 300, x % 256);
		if (build(&a, room) != DM_OK || !walk(&g_res, 1) || !check_target(t, tlen)) {
			bad = 1;
		} else {
			char got[300];
			size_t n = 0;
			if (!nm_name(got, sizeof(got), &n) || n != nlen || memcmp(got, name, n) != 0)
				bad = 1;
		}
		if (bad)
			fprintf(stderr, "\nfailed: iteration %d, room %zu, name %zu, target %zu\n", it,
				room, nlen, tlen);
	}
	CU_ASSERT(!bad);
}

/* ---- errors ------------------------------------------------------------------------- */

static void expect_fail(const rr_attrs *a, size_t room, const rr_area_loc *locs, dm_status want,
			const char *text)
{
	static rr_result r;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(rr_build(a, room, locs, &r, &ctx), want);
	CU_ASSERT_EQUAL(ctx.status, want);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, text));
}

static void test_errors(void)
{
	rr_attrs a = link_attrs("");
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_INVALID, "empty symlink target");
	a = link_attrs("a");
	a.target = "a\0b";
	a.target_len = 3;
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_INVALID, "NUL");
	a = file_attrs();
	a.name = "a/b";
	a.name_len = 3;
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_INVALID, "contains '/'");
	a.name = "a\0b";
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_INVALID, "NUL");
	a.name = "";
	a.name_len = 0;
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_INVALID, "empty NM name");
	a = file_attrs();
	expect_fail(&a, 256, NULL, DM_ERR_INVALID, "more than a directory record holds");
	/* PX and TF need 70 bytes: with 27 there is no room for the CE. */
	expect_fail(&a, 27, NULL, DM_ERR_INVALID, "too few for a CE entry");
	a = root_attrs();
	expect_fail(&a, 34, NULL, DM_ERR_INVALID, "too few for SP");
	/* More than RR_MAX_AREAS areas. */
	static char t[20001];
	for (size_t i = 0; i < 20000; i++)
		t[i] = i % 2 ? '/' : 'a';
	t[20000] = 0;
	a = link_attrs(t);
	expect_fail(&a, ROOM_MAX, NULL, DM_ERR_UNSUPPORTED, "more than 8 continuation areas");
	/* An area that would cross its sector. */
	a = root_attrs();
	rr_area_loc loc = { 77, 2048 - 184 };
	expect_fail(&a, ROOM_MAX, &loc, DM_ERR_INVALID, "crosses the end of its sector");
	loc.offset = 2048 - 185; /* exactly to the end: fine */
	static rr_result r;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(rr_build(&a, ROOM_MAX, &loc, &r, &ctx), DM_OK);
}

static CU_TestInfo entry_tests[] = {
	{ "PX and TF", test_px_tf },
	{ "TF dates and clamping", test_tf_dates },
	{ "SP and ER in the root", test_sp_er_root },
	{ "NM", test_nm },
	{ "NM of 255 bytes", test_nm_long },
	{ "SL single entry", test_sl_simple },
	{ "SL long component", test_sl_long_component },
	{ "SL continued between components", test_sl_boundary_marker },
	{ "SL of 4000 and 4095 bytes", test_sl_4000 },
	{ "PN", test_pn },
	{ "CL, PL, RE", test_cl_pl_re },
	{ "entry order", test_order },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo layout_tests[] = {
	{ "CE chain", test_ce_chain },
	{ "room and padding", test_room_and_padding },
	{ "sizes and determinism", test_sizes_and_determinism },
	{ "many names and targets", test_many },
	{ "errors", test_errors },
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{ "rockridge entries", NULL, NULL, NULL, NULL, entry_tests },
	{ "rockridge layout", NULL, NULL, NULL, NULL, layout_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
