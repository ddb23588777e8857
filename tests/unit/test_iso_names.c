/* ISO 9660 and Joliet identifiers: mapping, truncation, collisions, order independence and
 * the ECMA-119 9.3 ordering, checked byte for byte. */
#include "mkimage/iso/iso_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include <CUnit/CUnit.h>

/* Ten characters whose position shows where a name was cut. */
#define D10 "0123456789"
#define D50 D10 D10 D10 D10 D10
#define L10 "abcdefghij"
#define L50 L10 L10 L10 L10 L10

static dm_ctx ctx;

static void set_req(iso_name_req *r, const char *src, size_t len, int is_dir)
{
	memset(r, 0, sizeof(*r));
	r->src = src;
	r->src_len = len ? len : strlen(src);
	r->is_dir = is_dir;
}

/* Expected Joliet identifiers are written as u"" literals and compared as UCS-2BE bytes. */
static size_t ucs2be(const char16_t *s, uint8_t *out)
{
	size_t n = 0;
	for (; *s; s++) {
		out[n++] = (uint8_t)(*s >> 8);
		out[n++] = (uint8_t)*s;
	}
	return n;
}

static void print_id(const uint8_t *id, size_t len, int unit)
{
	for (size_t i = 0; i + (size_t)unit <= len; i += (size_t)unit) {
		unsigned u = unit == 2 ? (unsigned)(id[i] << 8 | id[i + 1]) : id[i];
		if (u >= 0x20 && u < 0x7F)
			fputc((int)u, stderr);
		else
			fprintf(stderr, "\\u%04X", u);
	}
}

static int iso_id_is(const iso_name_req *r, const char *expect)
{
	size_t el = strlen(expect);
	if (r->id_len == el && memcmp(r->id, expect, el) == 0)
		return 1;
	fprintf(stderr, "\n  \"%.*s\": got \"", (int)r->src_len, r->src);
	print_id(r->id, r->id_len, 1);
	fprintf(stderr, "\", want \"%s\"\n", expect);
	return 0;
}

static int joliet_id_is(const iso_name_req *r, const char16_t *expect)
{
	uint8_t want[2 * JOLIET_ID_MAX];
	size_t wl = ucs2be(expect, want);
	if (r->id_len == wl && memcmp(r->id, want, wl) == 0)
		return 1;
	fprintf(stderr, "\n  \"%.*s\": got \"", (int)r->src_len, r->src);
	print_id(r->id, r->id_len, 2);
	fprintf(stderr, "\", want \"");
	print_id(want, wl, 2);
	fprintf(stderr, "\"\n");
	return 0;
}

/* ---- single names ---- */

typedef struct iso_case {
	const char *src;
	size_t len; /* 0: strlen */
	int is_dir;
	int level;
	const char *expect;
} iso_case;

static const iso_case iso_cases[] = {
	{ "readme.txt", 0, 0, 1, "README.TXT;1" },
	{ "Makefile", 0, 0, 1, "MAKEFILE.;1" },
	{ "verylongname.text", 0, 0, 1, "VERYLONG.TEX;1" },
	{ "x.html", 0, 0, 1, "X.HTM;1" },
	{ "hello world!.c", 0, 0, 1, "HELLO_WO.C;1" },
	{ "hello world!.c", 0, 0, 2, "HELLO_WORLD_.C;1" },
	{ "abc123_XYZ.Ext", 0, 0, 1, "ABC123_X.EXT;1" },
	{ "abc123_XYZ.Ext", 0, 0, 3, "ABC123_XYZ.EXT;1" },
	{ "A-B+C=D", 0, 0, 2, "A_B_C_D.;1" },
	{ "tab\there", 0, 0, 2, "TAB_HERE.;1" },
	{ "abc.txtGARBAGE", 7, 0, 1, "ABC.TXT;1" }, /* src_len, not the NUL, ends the name */
	/* multiple dots: the last one separates */
	{ "archive.tar.gz", 0, 0, 1, "ARCHIVE_.GZ;1" },
	{ "archive.tar.gz", 0, 0, 2, "ARCHIVE_TAR.GZ;1" },
	{ "a.b.c.d", 0, 0, 1, "A_B_C.D;1" },
	{ "foo.", 0, 0, 1, "FOO.;1" },
	{ "foo.tar.", 0, 0, 2, "FOO_TAR.;1" },
	/* dotfiles: a leading '.' is not a separator */
	{ ".bashrc", 0, 0, 1, "_BASHRC.;1" },
	{ ".gitignore", 0, 0, 1, "_GITIGNO.;1" },
	{ ".gitignore", 0, 0, 2, "_GITIGNORE.;1" },
	{ "..foo", 0, 0, 1, "_.FOO;1" },
	{ ".config", 0, 1, 1, "_CONFIG" },
	/* UTF-8: one '_' per code point; invalid bytes one '_' each */
	{ "na\xc3\xafve.txt", 0, 0, 1, "NA_VE.TXT;1" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt", 0, 0, 1, "___.TXT;1" },
	{ "\xf0\x9f\x98\x80.md", 0, 0, 1, "_.MD;1" },
	{ "\xff\xfe" "ab.txt", 0, 0, 1, "__AB.TXT;1" },
	{ "a\xc3.txt", 0, 0, 1, "A_.TXT;1" },         /* sequence cut by the '.' */
	{ "\xe2\x82x", 0, 0, 1, "__X.;1" },           /* 3-byte sequence missing its last byte */
	{ "\xc0\xafz", 0, 0, 2, "__Z.;1" },           /* overlong '/' */
	/* directories: no extension, no version */
	{ "my.dir", 0, 1, 1, "MY_DIR" },
	{ "verylongdirectory", 0, 1, 1, "VERYLONG" },
	{ "verylongdirectory", 0, 1, 2, "VERYLONGDIRECTORY" },
	{ D10 D10 D10 D10, 0, 1, 2, D10 D10 D10 "0" },
	{ D10 D10 D10 D10, 0, 1, 3, D10 D10 D10 "0" },
	/* level 2/3 truncation: NAME + "." + EXT <= 30 */
	{ D10 D10 D10 D10 ".txt", 0, 0, 2, D10 D10 "012345.TXT;1" },
	{ D10 D10 D10 D10 ".txt", 0, 0, 3, D10 D10 "012345.TXT;1" },
	{ D10 D10 "012345.txt", 0, 0, 2, D10 D10 "012345.TXT;1" },   /* exactly 30 */
	{ D10 D10 "0123456.txt", 0, 0, 2, D10 D10 "012345.TXT;1" },  /* 31: name gives way */
	{ D10 D10 D10 ".extension", 0, 0, 2, D10 D10 "0.EXTENSIO;1" }, /* ext keeps 8 */
	{ D10 D10 ".abcdefghijkl", 0, 0, 2, D10 D10 ".ABCDEFGHI;1" },  /* ext takes the rest */
	{ "x.abcdefghijklmnopqrstuvwxyz0123", 0, 0, 2, "X.ABCDEFGHIJKLMNOPQRSTUVWXYZ01;1" },
	{ D10 D10 D10 ".", 0, 0, 2, D10 D10 "012345678.;1" },
};

static void test_iso_map(void)
{
	for (size_t i = 0; i < sizeof(iso_cases) / sizeof(iso_cases[0]); i++) {
		const iso_case *c = &iso_cases[i];
		iso_name_req r;
		set_req(&r, c->src, c->len, c->is_dir);
		CU_ASSERT_EQUAL_FATAL(iso_names_assign(&r, 1, c->level, &ctx), DM_OK);
		CU_ASSERT(iso_id_is(&r, c->expect));
		CU_ASSERT(r.id_len <= (c->level == 1 ? 14 : 32));
	}
}

/* mkisofs -N and -U (ISO_NAMES_*): the names xorriso -as mkisofs makes of the same sources
 * (checked with isoinfo -f on its images). */
static const iso_case flag_cases[] = {
	{ "readme.txt", 0, 0, 1 | ISO_NAMES_NO_VERSION, "README.TXT" },
	{ "noext", 0, 0, 1 | ISO_NAMES_NO_VERSION, "NOEXT." },
	{ "archive.tar.gz", 0, 0, 2 | ISO_NAMES_NO_VERSION, "ARCHIVE_TAR.GZ" },
	{ "my.dir", 0, 1, 1 | ISO_NAMES_NO_VERSION, "MY_DIR" },
	{ "Hello.World.txt", 0, 0, 1 | ISO_NAMES_UNTRANSLATED, "Hello.World.txt" },
	{ "noext", 0, 0, 1 | ISO_NAMES_UNTRANSLATED, "noext" },
	{ ".hidden", 0, 0, 1 | ISO_NAMES_UNTRANSLATED, ".hidden" },
	{ "a+b=c,d~e.Tar.gz", 0, 0, 1 | ISO_NAMES_UNTRANSLATED, "a+b=c,d~e.Tar.gz" },
	{ "Mixed.Case.dir", 0, 1, 3 | ISO_NAMES_UNTRANSLATED, "Mixed.Case.dir" },
	{ "semi;colon\x01na\xc3\xafve", 0, 0, 1 | ISO_NAMES_UNTRANSLATED, "semi_colon_na_ve" },
	/* 37 characters; a long name keeps its short extension (xorriso's own cut) */
	{ "aVeryLongFileNameThatGoesOnAndOn.data.txt", 0, 0, 1 | ISO_NAMES_UNTRANSLATED,
	  "aVeryLongFileNameThatGoesOnAndOn..txt" },
	{ D10 D10 D10 D10, 0, 0, 1 | ISO_NAMES_UNTRANSLATED, D10 D10 D10 "0123456" },
};

static void test_iso_flags(void)
{
	for (size_t i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		const iso_case *c = &flag_cases[i];
		iso_name_req r;
		uint8_t again[ISO_ID_MAX];
		set_req(&r, c->src, c->len, c->is_dir);
		CU_ASSERT_EQUAL_FATAL(iso_names_assign(&r, 1, c->level, &ctx), DM_OK);
		CU_ASSERT(iso_id_is(&r, c->expect));
		CU_ASSERT(r.id_len <= 37);
		/* made again the same (iso_plan.c keeps only the counter) */
		size_t n = iso_name_make(c->src, strlen(c->src), c->is_dir, c->level, 0, again);
		CU_ASSERT(n == r.id_len && memcmp(again, r.id, n) == 0);
	}
	/* -U keeps case, so "A" and "a" are two names; -N names collide like plain ones:
	 * "a" (file) and "A" (directory) with a counter */
	iso_name_req r[2];
	set_req(&r[0], "Readme", 0, 0);
	set_req(&r[1], "README", 0, 0);
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, 2, 1 | ISO_NAMES_UNTRANSLATED, &ctx), DM_OK);
	CU_ASSERT(iso_id_is(&r[0], "Readme") && iso_id_is(&r[1], "README"));
	set_req(&r[0], "a", 0, 0);
	set_req(&r[1], "A", 0, 1);
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, 2, 1 | ISO_NAMES_NO_VERSION, &ctx), DM_OK);
	CU_ASSERT(iso_id_is(&r[0], "A1.") && iso_id_is(&r[1], "A"));
	/* a bad level stays refused with flags */
	CU_ASSERT_EQUAL(iso_names_assign(r, 1, 4 | ISO_NAMES_NO_VERSION, &ctx), DM_ERR_INVALID);
}

typedef struct joliet_case {
	const char *src;
	size_t len;
	int is_dir;
	unsigned max;
	const char16_t *expect;
} joliet_case;

static const joliet_case joliet_cases[] = {
	{ "Hello World.txt", 0, 0, 64, u"Hello World.txt" },
	{ "Makefile", 0, 0, 64, u"Makefile" },
	{ "My Documents", 0, 1, 64, u"My Documents" },
	{ "lib.d", 0, 1, 64, u"lib.d" },
	{ ".bashrc", 0, 0, 64, u".bashrc" },
	{ "trailing.", 0, 0, 64, u"trailing." },
	{ "a.b.c", 0, 0, 64, u"a.b.c" },
	/* forbidden characters */
	{ "a*b/c:d;e?f\\g.txt", 0, 0, 64, u"a_b_c_d_e_f_g.txt" },
	{ "tab\there\x1f\x7f", 0, 0, 64, u"tab_here_\x7f" },
	{ "a\0b", 3, 0, 64, u"a_b" },
	/* UTF-8 */
	{ "na\xc3\xafve.txt", 0, 0, 64, u"na\u00efve.txt" },
	{ "\xe6\x97\xa5\xe6\x9c\xac.txt", 0, 0, 64, u"\u65e5\u672c.txt" },
	{ "\xef\xbf\xbd", 0, 0, 64, u"\ufffd" },
	{ "\xf0\x9f\x98\x80 smile.txt", 0, 0, 64, u"_ smile.txt" },  /* outside the BMP */
	{ "\xffx", 0, 0, 64, u"_x" },
	{ "\xed\xa0\x80", 0, 0, 64, u"___" },                     /* encoded surrogate */
	{ "\xe2\x82x", 0, 0, 64, u"__x" },
	/* truncation keeps a short extension */
	{ D50 D50 ".txt", 0, 0, 64, u"" D50 D10 ".txt" },
	{ D50 D50 ".txt", 0, 0, 103, u"" D50 D10 D10 D10 D10 "012345678.txt" },
	{ D50 D10 "0123", 0, 0, 64, u"" D50 D10 "0123" },                 /* exactly 64 */
	{ D50 D10 "01234", 0, 0, 64, u"" D50 D10 "0123" },
	{ D50 D50 "0123", 0, 0, 103, u"" D50 D50 "012" },
	{ D50 D10 ".abcdefghijklmnop", 0, 0, 64, u"" D10 D10 D10 D10 "0123456.abcdefghijklmnop" },
	/* an "extension" over 16 characters is not kept: the whole name is cut */
	{ D50 ".abcdefghijklmnopqrst", 0, 0, 64, u"" D50 ".abcdefghijklm" },
	{ D50 D50 ".d", 0, 1, 64, u"" D50 D10 "01.d" },
	{ "." D50 D50, 0, 0, 64, u"." D50 D10 "012" },
};

static void test_joliet_map(void)
{
	for (size_t i = 0; i < sizeof(joliet_cases) / sizeof(joliet_cases[0]); i++) {
		const joliet_case *c = &joliet_cases[i];
		iso_name_req r;
		set_req(&r, c->src, c->len, c->is_dir);
		CU_ASSERT_EQUAL_FATAL(joliet_names_assign(&r, 1, c->max, &ctx), DM_OK);
		CU_ASSERT(joliet_id_is(&r, c->expect));
	}
}

/* Exact bytes, without the u"" helper. */
static void test_joliet_bytes(void)
{
	static const uint8_t semi[] = { 0, 'a', 0, '_' }; /* no ";1" in Joliet */
	static const uint8_t eacute[] = { 0x00, 0xE9, 0x4E, 0x00 };
	static const uint8_t emoji[] = { 0, '_' };
	iso_name_req r;

	set_req(&r, "a;", 0, 0);
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(&r, 1, 64, &ctx), DM_OK);
	CU_ASSERT(r.id_len == sizeof(semi) && memcmp(r.id, semi, sizeof(semi)) == 0);

	set_req(&r, "\xc3\xa9\xe4\xb8\x80", 0, 1);
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(&r, 1, 64, &ctx), DM_OK);
	CU_ASSERT(r.id_len == sizeof(eacute) && memcmp(r.id, eacute, sizeof(eacute)) == 0);

	set_req(&r, "\xf0\x9f\x98\x80", 0, 0);
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(&r, 1, 103, &ctx), DM_OK);
	CU_ASSERT(r.id_len == sizeof(emoji) && memcmp(r.id, emoji, sizeof(emoji)) == 0);
}

/* 100 two-byte characters: cut after whole characters, 64 or 103 of them. */
static void test_joliet_long_utf8(void)
{
	char src[200];
	for (size_t i = 0; i < 100; i++)
		memcpy(src + 2 * i, "\xc3\xa9", 2);
	static const unsigned maxes[] = { 64, 103 };
	for (size_t m = 0; m < 2; m++) {
		iso_name_req r;
		set_req(&r, src, sizeof(src), 0);
		CU_ASSERT_EQUAL_FATAL(joliet_names_assign(&r, 1, maxes[m], &ctx), DM_OK);
		size_t chars = maxes[m] < 100 ? maxes[m] : 100;
		CU_ASSERT_EQUAL(r.id_len, 2 * chars); /* no ";1" */
		for (size_t i = 0; i < chars; i++)
			CU_ASSERT(r.id[2 * i] == 0x00 && r.id[2 * i + 1] == 0xE9);
	}
}

/* ---- collisions among siblings ---- */

typedef struct entry {
	const char *src;
	int is_dir;
	const char *expect;         /* ISO */
	const char16_t *jexpect;    /* Joliet */
} entry;

typedef struct group_case {
	int level;      /* ISO level; 0: Joliet */
	unsigned max;   /* Joliet */
	entry e[4];     /* ends at src == NULL */
} group_case;

static const group_case group_cases[] = {
	/* case folding: "A.TXT" < "A.txt" < "a.txt" bytewise */
	{ 1, 0, { { "a.txt", 0, "A2.TXT;1", NULL }, { "A.TXT", 0, "A.TXT;1", NULL },
		  { "A.txt", 0, "A1.TXT;1", NULL } } },
	{ 2, 0, { { "README", 0, "README.;1", NULL }, { "Readme", 0, "README1.;1", NULL } } },
	/* truncation */
	{ 1, 0, { { "longname_b.txt", 0, "LONGNAM1.TXT;1", NULL },
		  { "longname_a.txt", 0, "LONGNAME.TXT;1", NULL } } },
	{ 1, 0, { { "directory2", 1, "DIRECTO1", NULL }, { "directory1", 1, "DIRECTOR", NULL } } },
	/* a counter name that is another entry's plain name, sorting first or last */
	{ 1, 0, { { "longnameb.txt", 0, "LONGNAM2.TXT;1", NULL },
		  { "longnamea.txt", 0, "LONGNAME.TXT;1", NULL },
		  { "longnam1.txt", 0, "LONGNAM1.TXT;1", NULL } } },
	{ 1, 0, { { "longnam1.txt", 0, "LONGNAM1.TXT;1", NULL },
		  { "LONGNAMEB.TXT", 0, "LONGNAM2.TXT;1", NULL },
		  { "LONGNAMEA.TXT", 0, "LONGNAME.TXT;1", NULL } } },
	/* a file and a directory of the same name share one namespace */
	{ 1, 0, { { "a", 0, "A1.;1", NULL }, { "A", 1, "A", NULL } } },
	{ 1, 0, { { "A", 0, "A.;1", NULL }, { "a", 1, "A1", NULL } } },
	{ 1, 0, { { "a.b", 1, "A_B", NULL }, { "A.B", 0, "A.B;1", NULL } } },
	/* dotfile against its mapped form */
	{ 1, 0, { { "_bashrc", 0, "_BASHRC1.;1", NULL }, { ".bashrc", 0, "_BASHRC.;1", NULL } } },
	/* level 2: the extension gives way to the counter */
	{ 2, 0, { { "x.abcdefghijklmnopqrstuvwxyz01", 0,
		    "X1.ABCDEFGHIJKLMNOPQRSTUVWXYZ0;1", NULL },
		  { "X.abcdefghijklmnopqrstuvwxyz01", 0,
		    "X.ABCDEFGHIJKLMNOPQRSTUVWXYZ01;1", NULL } } },
	/* Joliet: mapping collisions; a literal '_' does not win over an earlier source */
	{ 0, 64, { { "a?b", 0, NULL, u"a_b1" }, { "a:b", 0, NULL, u"a_b" },
		   { "a_b", 0, NULL, u"a_b2" } } },
	/* Joliet keeps case */
	{ 0, 64, { { "Readme", 0, NULL, u"Readme" }, { "README", 0, NULL, u"README" } } },
	{ 0, 64, { { "x?", 1, NULL, u"x_1" }, { "x:", 0, NULL, u"x_" } } },
	/* Joliet truncation keeps ".txt" and makes room for the counter */
	{ 0, 64, { { D50 D10 "BBBB.txt", 0, NULL, u"" D50 "0123456781.txt" },
		   { D50 D10 "AAAA.txt", 0, NULL, u"" D50 D10 ".txt" } } },
	{ 0, 103, { { D50 D50 "B.txt", 0, NULL, u"" D50 D10 D10 D10 D10 "012345671.txt" },
		    { D50 D50 "A.txt", 0, NULL, u"" D50 D10 D10 D10 D10 "012345678.txt" } } },
	/* Joliet: no room for the counter beside a long extension, which is merged */
	{ 0, 64, { { "?." D50 "0123456789ab", 0, NULL, u"_." D50 "0123456789a1" },
		   { ":." D50 "0123456789ab", 0, NULL, u"_." D50 "0123456789ab" } } },
};

static void test_collisions(void)
{
	for (size_t i = 0; i < sizeof(group_cases) / sizeof(group_cases[0]); i++) {
		const group_case *g = &group_cases[i];
		iso_name_req r[4];
		size_t n = 0;
		for (; n < 4 && g->e[n].src; n++)
			set_req(&r[n], g->e[n].src, 0, g->e[n].is_dir);
		dm_status st = g->level ? iso_names_assign(r, n, g->level, &ctx)
					: joliet_names_assign(r, n, g->max, &ctx);
		CU_ASSERT_EQUAL_FATAL(st, DM_OK);
		for (size_t k = 0; k < n; k++) {
			CU_ASSERT(r[k].src == g->e[k].src); /* the caller's order is kept */
			int ok = g->level ? iso_id_is(&r[k], g->e[k].expect)
					  : joliet_id_is(&r[k], g->e[k].jexpect);
			CU_ASSERT(ok);
		}
	}
}

/* Twelve names: the counter grows to two digits and takes another character. */
static void test_counter_digits(void)
{
	static const char *const want[12] = {
		"LONGNAME.TXT;1", "LONGNAM1.TXT;1", "LONGNAM2.TXT;1", "LONGNAM3.TXT;1",
		"LONGNAM4.TXT;1", "LONGNAM5.TXT;1", "LONGNAM6.TXT;1", "LONGNAM7.TXT;1",
		"LONGNAM8.TXT;1", "LONGNAM9.TXT;1", "LONGNA10.TXT;1", "LONGNA11.TXT;1",
	};
	char names[12][32];
	iso_name_req r[12];
	for (size_t i = 0; i < 12; i++) {
		/* input in reverse order */
		snprintf(names[i], sizeof(names[i]), "longname_%02zu.txt", 11 - i);
		set_req(&r[i], names[i], 0, 0);
	}
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, 12, 1, &ctx), DM_OK);
	for (size_t i = 0; i < 12; i++)
		CU_ASSERT(iso_id_is(&r[i], want[11 - i]));

	/* A counter that reproduces the plain name is skipped: all are cut to <60>".txt" and
	 * the name part ends in "...789", so counter 9 would give the plain name again. */
	static const char16_t *const jwant[12] = {
		u"" D50 D10 ".txt", u"" D50 "0123456781.txt", u"" D50 "0123456782.txt",
		u"" D50 "0123456783.txt", u"" D50 "0123456784.txt", u"" D50 "0123456785.txt",
		u"" D50 "0123456786.txt", u"" D50 "0123456787.txt", u"" D50 "0123456788.txt",
		u"" D50 "0123456710.txt", u"" D50 "0123456711.txt", u"" D50 "0123456712.txt",
	};
	char jnames[12][80];
	for (size_t i = 0; i < 12; i++) {
		snprintf(jnames[i], sizeof(jnames[i]), D50 D10 "%02zu.txt", i);
		set_req(&r[i], jnames[i], 0, 0);
	}
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(r, 12, 64, &ctx), DM_OK);
	for (size_t i = 0; i < 12; i++)
		CU_ASSERT(joliet_id_is(&r[i], jwant[i]));
}

/* ---- properties over many names ---- */

/* The part of an identifier that must be unique (see the header). */
static size_t test_key_len(const iso_name_req *r, int joliet)
{
	size_t len = r->id_len;
	if (joliet)
		return len; /* Joliet names carry no version */
	if (len >= 2 && r->id[len - 2] == ';' && r->id[len - 1] == '1')
		len -= 2;
	if (len && r->id[len - 1] == '.')
		len--;
	return len;
}

static int key_joliet;

static int key_cmp(const void *pa, const void *pb)
{
	const iso_name_req *a = *(const iso_name_req *const *)pa;
	const iso_name_req *b = *(const iso_name_req *const *)pb;
	size_t la = test_key_len(a, key_joliet), lb = test_key_len(b, key_joliet);
	int c = memcmp(a->id, b->id, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

static size_t count_duplicates(iso_name_req *r, size_t n, int joliet)
{
	iso_name_req **p = malloc(n * sizeof(*p));
	size_t dups = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (size_t i = 0; i < n; i++)
		p[i] = &r[i];
	key_joliet = joliet;
	qsort(p, n, sizeof(*p), key_cmp);
	for (size_t i = 1; i < n; i++)
		if (key_cmp(&p[i - 1], &p[i]) == 0)
			dups++;
	free(p);
	return dups;
}

static int is_dchar(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Within the limits of ECMA-119 7.5, 7.6 and 10.1-10.3 as the header reads them. */
static int iso_id_valid(const iso_name_req *r, int level)
{
	size_t len = r->id_len, dot = 0, dots = 0;
	if (r->is_dir) {
		for (size_t i = 0; i < len; i++)
			if (!is_dchar(r->id[i]))
				return 0;
		return len >= 1 && len <= (level == 1 ? 8u : 31u);
	}
	if (len < 3 || r->id[len - 2] != ';' || r->id[len - 1] != '1')
		return 0;
	len -= 2;
	for (size_t i = 0; i < len; i++) {
		if (r->id[i] == '.') {
			dot = i;
			dots++;
		} else if (!is_dchar(r->id[i])) {
			return 0;
		}
	}
	if (dots != 1 || len == 1)
		return 0;
	if (level == 1)
		return dot <= 8 && len - dot - 1 <= 3;
	return len <= 30;
}

static int joliet_id_valid(const iso_name_req *r, unsigned max)
{
	size_t units = r->id_len / 2;
	if (r->id_len % 2)
		return 0;
	if (!units)
		return 0;
	for (size_t i = 0; i < units; i++) {
		unsigned u = (unsigned)(r->id[2 * i] << 8 | r->id[2 * i + 1]);
		if (u < 0x20 || u == '*' || u == '/' || u == ':' || u == ';' || u == '?' ||
		    u == '\\' || (u >= 0xD800 && u <= 0xDFFF))
			return 0;
	}
	return units >= 1 && units <= max;
}

/* 10,000 sources with one plain identifier. */
static void test_many_collisions(void)
{
	enum { N = 10000 };
	char (*names)[128] = malloc(N * sizeof(*names));
	iso_name_req *r = malloc(N * sizeof(*r));
	CU_ASSERT_FATAL(names && r);

	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "longname%05zu.txt", i);
		set_req(&r[i], names[i], 0, 0);
	}
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, N, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_duplicates(r, N, 0), 0);
	size_t bad = 0;
	for (size_t i = 0; i < N; i++)
		bad += !iso_id_valid(&r[i], 1);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(iso_id_is(&r[0], "LONGNAME.TXT;1"));
	CU_ASSERT(iso_id_is(&r[1], "LONGNAM1.TXT;1"));
	CU_ASSERT(iso_id_is(&r[10], "LONGNA10.TXT;1"));
	CU_ASSERT(iso_id_is(&r[N - 1], "LONG9999.TXT;1"));

	/* level 2: the same names fit, so make them collide by case instead */
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "%s", "x");
		for (size_t b = 0; b < 14; b++)
			names[i][1 + b] = (char)(i >> b & 1 ? 'A' : 'a');
		names[i][15] = '\0';
		strcat(names[i], ".data");
		set_req(&r[i], names[i], 0, i % 7 == 0);
	}
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, N, 2, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_duplicates(r, N, 0), 0);
	bad = 0;
	for (size_t i = 0; i < N; i++)
		bad += !iso_id_valid(&r[i], 2);
	CU_ASSERT_EQUAL(bad, 0);

	/* Joliet, 64 characters: all cut to the same 60 + ".txt" */
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), L50 L50 "%05zu.txt", i);
		set_req(&r[i], names[i], 0, 0);
	}
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(r, N, 64, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_duplicates(r, N, 1), 0);
	bad = 0;
	for (size_t i = 0; i < N; i++)
		bad += !joliet_id_valid(&r[i], 64);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(joliet_id_is(&r[0], u"" L50 L10 ".txt"));
	CU_ASSERT(joliet_id_is(&r[1], u"" L50 "abcdefghi" "1.txt"));
	CU_ASSERT(joliet_id_is(&r[10], u"" L50 "abcdefgh" "10.txt"));
	CU_ASSERT(joliet_id_is(&r[N - 1], u"" L50 "abcdef" "9999.txt"));

	free(names);
	free(r);
}

static uint32_t rng_state;

static uint32_t rng(void)
{
	/* xorshift32: a fixed sequence, so a failure can be reproduced */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static int src_cmp(const void *pa, const void *pb)
{
	const iso_name_req *a = pa, *b = pb;
	size_t n = a->src_len < b->src_len ? a->src_len : b->src_len;
	int c = memcmp(a->src, b->src, n);
	return c ? c : (a->src_len > b->src_len) - (a->src_len < b->src_len);
}

/* Names from a few pieces that fold, map or cut to the same identifiers, deduplicated. */
static size_t make_colliding_names(char (*names)[48], iso_name_req *r, size_t want)
{
	static const char *const pieces[] = {
		"a", "A", ".", "b", "_", "\xc3\xa9", "\xff", "longname", "x", "1", ":", "?",
	};
	for (size_t i = 0; i < want; i++) {
		size_t len = 0, parts = 1 + rng() % 6;
		for (size_t p = 0; p < parts; p++) {
			const char *s = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(names[i] + len, s, strlen(s));
			len += strlen(s);
		}
		set_req(&r[i], names[i], len, 0);
	}
	qsort(r, want, sizeof(*r), src_cmp);
	size_t n = 0;
	for (size_t i = 0; i < want; i++)
		if (n == 0 || src_cmp(&r[n - 1], &r[i]) != 0)
			r[n++] = r[i];
	/* whether an entry is a directory depends on its name only */
	for (size_t i = 0; i < n; i++)
		r[i].is_dir = (r[i].src_len * 7 + (unsigned char)r[i].src[0]) % 5 == 0;
	return n;
}

/* Modes 0-2: ISO levels 1-3; 3-5: Joliet with jmax[mode - 3] characters. */
static const unsigned jmax[] = { 64, 103, 8 };

static dm_status run_mode(iso_name_req *r, size_t n, int mode)
{
	return mode < 3 ? iso_names_assign(r, n, mode + 1, &ctx)
			: joliet_names_assign(r, n, jmax[mode - 3], &ctx);
}

static void test_order_independence(void)
{
	enum { WANT = 3000 };
	char (*names)[48] = malloc(WANT * sizeof(*names));
	iso_name_req *ref = malloc(WANT * sizeof(*ref));
	iso_name_req *r = malloc(WANT * sizeof(*r));
	CU_ASSERT_FATAL(names && ref && r);
	rng_state = 12345;
	size_t n = make_colliding_names(names, ref, WANT);
	CU_ASSERT(n > 1000);

	for (int mode = 0; mode < 6; mode++) {
		CU_ASSERT_EQUAL_FATAL(run_mode(ref, n, mode), DM_OK);
		CU_ASSERT_EQUAL(count_duplicates(ref, n, mode >= 3), 0);
		size_t bad = 0;
		for (size_t i = 0; i < n; i++)
			bad += mode < 3 ? !iso_id_valid(&ref[i], mode + 1)
					: !joliet_id_valid(&ref[i], jmax[mode - 3]);
		CU_ASSERT_EQUAL(bad, 0);
		for (int round = 0; round < 4; round++) {
			memcpy(r, ref, n * sizeof(*r));
			for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
				size_t j = rng() % (i + 1);
				iso_name_req t = r[i];
				r[i] = r[j];
				r[j] = t;
			}
			for (size_t i = 0; i < n; i++)
				r[i].id_len = 0;
			CU_ASSERT_EQUAL_FATAL(run_mode(r, n, mode), DM_OK);
			qsort(r, n, sizeof(*r), src_cmp);
			size_t diff = 0;
			for (size_t i = 0; i < n; i++)
				diff += r[i].id_len != ref[i].id_len ||
					memcmp(r[i].id, ref[i].id, ref[i].id_len) != 0;
			CU_ASSERT_EQUAL(diff, 0);
		}
	}
	free(names);
	free(ref);
	free(r);
}

/* How many of r's identifiers iso_name_make() / joliet_name_make() do not make again from
 * their counters (mode as run_mode()). */
static size_t remake_mismatches(const iso_name_req *r, size_t n, int mode)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t id[JOLIET_ID_MAX];
		size_t len = mode < 3 ? iso_name_make(r[i].src, r[i].src_len, r[i].is_dir, mode + 1,
						      r[i].counter, id)
				      : joliet_name_make(r[i].src, r[i].src_len, r[i].is_dir,
							 jmax[mode - 3], r[i].counter, id);
		if (len != r[i].id_len || memcmp(id, r[i].id, len) != 0)
			bad++;
	}
	return bad;
}

/* An identifier is made again, byte for byte, from its source name and counter: a plan may
 * keep the counter instead of the identifier. */
static void test_remake(void)
{
	enum { WANT = 3000, N = 10000 };
	char (*names)[48] = malloc(WANT * sizeof(*names));
	char (*long_names)[128] = malloc(N * sizeof(*long_names));
	iso_name_req *r = malloc(N * sizeof(*r));
	CU_ASSERT_FATAL(names && long_names && r);
	rng_state = 4242;
	size_t n = make_colliding_names(names, r, WANT);
	for (int mode = 0; mode < 6; mode++) {
		CU_ASSERT_EQUAL_FATAL(run_mode(r, n, mode), DM_OK);
		size_t with_counter = 0;
		for (size_t i = 0; i < n; i++)
			with_counter += r[i].counter != 0;
		CU_ASSERT(with_counter > 0);
		CU_ASSERT_EQUAL(remake_mismatches(r, n, mode), 0);
	}
	/* counters of up to five digits, on names cut to make room for them */
	for (size_t i = 0; i < N; i++) {
		snprintf(long_names[i], sizeof(long_names[i]), "%s%05zu.txt",
			 i % 3 ? L50 L50 : "longname", i);
		set_req(&r[i], long_names[i], 0, i % 5 == 0);
	}
	for (int mode = 0; mode < 6; mode++) {
		CU_ASSERT_EQUAL_FATAL(run_mode(r, N, mode), DM_OK);
		CU_ASSERT_EQUAL(remake_mismatches(r, N, mode), 0);
	}
	CU_ASSERT(r[N - 1].counter >= 1000);
	/* the groups with expected bytes above */
	for (size_t i = 0; i < sizeof(group_cases) / sizeof(group_cases[0]); i++) {
		const group_case *g = &group_cases[i];
		size_t k = 0;
		for (; k < 4 && g->e[k].src; k++)
			set_req(&r[k], g->e[k].src, 0, g->e[k].is_dir);
		int mode = g->level ? g->level - 1 : (g->max == 64 ? 3 : 4);
		CU_ASSERT_EQUAL_FATAL(run_mode(r, k, mode), DM_OK);
		CU_ASSERT_EQUAL(remake_mismatches(r, k, mode), 0);
	}
	/* what the assign functions never produce is refused, not made up */
	uint8_t id[JOLIET_ID_MAX];
	CU_ASSERT_EQUAL(iso_name_make("a", 1, 0, 4, 0, id), 0);
	CU_ASSERT_EQUAL(iso_name_make("", 0, 0, 1, 0, id), 0);
	CU_ASSERT_EQUAL(joliet_name_make("a", 1, 0, 0, 0, id), 0);
	CU_ASSERT_EQUAL(iso_name_make("a.txt", 5, 0, 1, 12345678, id), 0); /* 8 digits: no room */
	CU_ASSERT_EQUAL(iso_name_make("a.txt", 5, 0, 1, 7, id), 8);
	CU_ASSERT_EQUAL(memcmp(id, "A7.TXT;1", 8), 0);
	free(names);
	free(long_names);
	free(r);
}

/* 100,000 entries with many near-collisions: must stay fast (a quadratic scheme would take
 * minutes here) and give unique, valid names. */
static void test_large_directory(void)
{
	enum { N = 100000 };
	char (*names)[24] = malloc(N * sizeof(*names));
	iso_name_req *r = malloc(N * sizeof(*r));
	CU_ASSERT_FATAL(names && r);
	rng_state = 777;
	for (size_t i = 0; i < N; i++) {
		int len = snprintf(names[i], sizeof(names[i]), "%s%zu.%s", i % 2 ? "File" : "file",
				   i / 2, i % 3 ? "txt" : "TXT");
		set_req(&r[i], names[i], (size_t)len, 0);
	}
	CU_ASSERT_EQUAL_FATAL(iso_names_assign(r, N, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_duplicates(r, N, 0), 0);
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(r, N, 64, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_duplicates(r, N, 1), 0);
	free(names);
	free(r);
}

/* ---- ECMA-119 9.3 ordering ---- */

typedef struct cmp_case {
	const char *a;
	size_t alen; /* 0: strlen */
	const char *b;
	size_t blen;
	int sign;
} cmp_case;

static const cmp_case iso_cmp_cases[] = {
	{ "A.B;1", 0, "AB.;1", 0, -1 },      /* "A " < "AB" */
	{ "A.;1", 0, "A.B;1", 0, -1 },       /* extension " " < "B" */
	{ "A.TXT;1", 0, "A1.TXT;1", 0, -1 },
	{ "Z.A;1", 0, "A.Z;1", 0, 1 },       /* name before extension */
	{ "A1.;1", 0, "A_.;1", 0, -1 },
	{ "ABC", 0, "AB", 0, 1 },            /* directories: "ABC" > "AB " */
	{ "AB.C;1", 0, "ABC", 0, -1 },       /* "AB " < "ABC" */
	{ "FOO.TXT;2", 0, "FOO.TXT;1", 0, -1 }, /* higher version first */
	{ "FOO.TXT;10", 0, "FOO.TXT;9", 0, -1 }, /* as numbers */
	{ "A.;1", 0, "A", 0, -1 },           /* not produced by assign; still ordered */
	{ "README.TXT;1", 0, "README.TXT;1", 0, 0 },
	{ "\x00", 1, "\x01", 1, -1 },
	{ "\x01", 1, "A", 0, -1 },
	{ "\x00", 1, "0.;1", 0, -1 },
	{ "\x00", 1, "\x00", 1, 0 },
};

static const struct {
	const char16_t *a, *b;
	int sign;
} joliet_cmp_cases[] = {
	{ u"a.txt;1", u"a b.txt;1", -1 },
	{ u"a;1", u"a!;1", -1 },               /* "a " < "a!" */
	{ u"B;1", u"a;1", -1 },                /* no case folding */
	{ u"z;1", u"\u00e9;1", -1 },
	{ u"\u00ff;1", u"\u0100;1", -1 },      /* code units, not bytes */
	{ u"\u4e00.txt;1", u"a.txt;1", 1 },
	{ u"a.b.c;1", u"a.b;1", 1 },           /* extension "b.c" > "b  " */
	{ u"a.b", u"a;1", 1 },                 /* a directory's "." is part of its name */
	{ u"x;2", u"x;1", -1 },
	{ u"Makefile;1", u"Makefile;1", 0 },
	{ u"a", u"a ", -1 },                   /* equal under 9.3: decided by the bytes */
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_id_cmp(void)
{
	for (size_t i = 0; i < sizeof(iso_cmp_cases) / sizeof(iso_cmp_cases[0]); i++) {
		const cmp_case *c = &iso_cmp_cases[i];
		size_t al = c->alen ? c->alen : strlen(c->a), bl = c->blen ? c->blen : strlen(c->b);
		const uint8_t *a = (const uint8_t *)c->a, *b = (const uint8_t *)c->b;
		CU_ASSERT_EQUAL(sign(iso_id_cmp(a, al, b, bl, 1)), c->sign);
		CU_ASSERT_EQUAL(sign(iso_id_cmp(b, bl, a, al, 1)), -c->sign);
		CU_ASSERT_EQUAL(iso_id_cmp(a, al, a, al, 1), 0);
	}
	for (size_t i = 0; i < sizeof(joliet_cmp_cases) / sizeof(joliet_cmp_cases[0]); i++) {
		uint8_t a[JOLIET_ID_MAX], b[JOLIET_ID_MAX];
		size_t al = ucs2be(joliet_cmp_cases[i].a, a), bl = ucs2be(joliet_cmp_cases[i].b, b);
		int want = joliet_cmp_cases[i].sign;
		CU_ASSERT_EQUAL(sign(iso_id_cmp(a, al, b, bl, 2)), want);
		CU_ASSERT_EQUAL(sign(iso_id_cmp(b, bl, a, al, 2)), -want);
	}
	/* "." and ".." are one byte in Joliet too */
	static const uint8_t dot[1] = { 0 }, dotdot[1] = { 1 }, a[4] = { 0, 'a', 0, ';' };
	CU_ASSERT(iso_id_cmp(dot, 1, dotdot, 1, 2) < 0);
	CU_ASSERT(iso_id_cmp(dotdot, 1, a, 4, 2) < 0);
	CU_ASSERT(iso_id_cmp(a, 4, dot, 1, 2) > 0);
}

static int sort_unit;

static int id_qsort_cmp(const void *pa, const void *pb)
{
	const iso_name_req *a = pa, *b = pb;
	return iso_id_cmp(a->id, a->id_len, b->id, b->id_len, sort_unit);
}

/* Over assigned identifiers the order is strict: sorting leaves no two equal neighbours
 * and is consistent in both directions. */
static void test_id_cmp_total(void)
{
	enum { WANT = 2000 };
	char (*names)[48] = malloc(WANT * sizeof(*names));
	iso_name_req *r = malloc(WANT * sizeof(*r));
	CU_ASSERT_FATAL(names && r);
	rng_state = 4242;
	size_t n = make_colliding_names(names, r, WANT);
	for (int mode = 0; mode < 5; mode += 4) { /* ISO level 1, Joliet 103 */
		CU_ASSERT_EQUAL_FATAL(run_mode(r, n, mode), DM_OK);
		sort_unit = mode < 3 ? 1 : 2;
		qsort(r, n, sizeof(*r), id_qsort_cmp);
		size_t bad = 0;
		for (size_t i = 1; i < n; i++)
			bad += id_qsort_cmp(&r[i - 1], &r[i]) >= 0 ||
			       id_qsort_cmp(&r[i], &r[i - 1]) <= 0;
		CU_ASSERT_EQUAL(bad, 0);
	}
	free(names);
	free(r);
}

/* ---- errors ---- */

static void test_errors(void)
{
	iso_name_req r[11];
	char names[11][4];

	CU_ASSERT_EQUAL(iso_names_assign(NULL, 0, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(joliet_names_assign(NULL, 0, 64, &ctx), DM_OK);

	set_req(&r[0], "ok", 0, 0);
	set_req(&r[1], "", 0, 0);
	r[1].src_len = 0;
	CU_ASSERT_EQUAL(iso_names_assign(r, 2, 1, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "entry 1"));
	CU_ASSERT_EQUAL(joliet_names_assign(r, 2, 64, &ctx), DM_ERR_INVALID);

	CU_ASSERT_EQUAL(iso_names_assign(r, 1, 0, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(iso_names_assign(r, 1, 4, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(joliet_names_assign(r, 1, 0, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(joliet_names_assign(r, 1, 104, &ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(joliet_names_assign(r, 1, 103, &ctx), DM_OK);

	/* Two characters leave room for "a" plus one digit: ten names fit, eleven do not. */
	for (size_t i = 0; i < 11; i++) {
		snprintf(names[i], sizeof(names[i]), "aa%c", i < 10 ? (char)('0' + i) : 'A');
		set_req(&r[i], names[i], 0, 0);
	}
	CU_ASSERT_EQUAL_FATAL(joliet_names_assign(r, 10, 2, &ctx), DM_OK);
	CU_ASSERT(joliet_id_is(&r[0], u"aa"));
	CU_ASSERT(joliet_id_is(&r[9], u"a9"));
	CU_ASSERT_EQUAL(count_duplicates(r, 10, 1), 0);
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(joliet_names_assign(r, 11, 2, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(ctx.status, DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "\"aaA\""));
}

static int suite_init(void)
{
	dm_ctx_init(&ctx);
	return 0;
}

static CU_TestInfo names_tests[] = {
	{ "ISO 9660 mapping and truncation", test_iso_map },
	{ "ISO 9660 names with -N and -U", test_iso_flags },
	{ "Joliet mapping and truncation", test_joliet_map },
	{ "Joliet exact bytes", test_joliet_bytes },
	{ "Joliet cut after whole characters", test_joliet_long_utf8 },
	{ "sibling collisions", test_collisions },
	{ "counter grows to two digits", test_counter_digits },
	{ "10,000 colliding siblings", test_many_collisions },
	{ "input order does not matter", test_order_independence },
	{ "identifiers made again from counters", test_remake },
	{ "100,000 entries", test_large_directory },
	{ "ECMA-119 9.3 order", test_id_cmp },
	{ "9.3 order is total on assigned ids", test_id_cmp_total },
	{ "errors", test_errors },
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{ "iso_names", suite_init, NULL, NULL, NULL, names_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
