/* mkimage/manifest: the model a manifest loads into, and the problems it reports, from
 * documents in memory (no sources on disk: base directory NULL), plus the tree it builds
 * and the time forms. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mkimage/boot/boot.h"
#include "mkimage/source/manifest.h"
#include "mkimage/settings.h"

static mk_manifest *load(const char *xml, mk_diags *d, dm_status *st)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_manifest *m = NULL;
	*st = mk_manifest_parse(&m, xml, strlen(xml), "t.xml", NULL, TEST_SCHEMA, d, &ctx);
	return m;
}

/* The settings part, read through the settings table (mkimage/settings.c). */
static mk_settings settings_of(const mk_manifest *m)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_settings s;
	CU_ASSERT_EQUAL(mk_settings_from_manifest(&s, m, &ctx), DM_OK);
	return s;
}

static void test_settings(void)
{
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load("<image version='1' epoch='2020-09-13T12:26:40Z'>"
			      "<filesystems>joliet rockridge</filesystems><iso level='1' joliet-long='true'/>"
			      "<udf revision='2.50'/>"
			      "<volume id='V' system='S' set='X' publisher='P' preparer='Q' application='A'/>"
			      "<media>bd-dl</media><root/></image>",
			      &d, &st);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	mk_settings set = settings_of(m);
	CU_ASSERT_EQUAL(set.fs, MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE);
	CU_ASSERT_EQUAL(set.iso_level, 1);
	CU_ASSERT_EQUAL(set.joliet_long, 1);
	CU_ASSERT_EQUAL(set.udf_rev, 0x0250);
	CU_ASSERT_EQUAL(set.epoch, 1600000000);
	CU_ASSERT_STRING_EQUAL(set.volume_id, "V");
	CU_ASSERT_STRING_EQUAL(set.application, "A");
	CU_ASSERT_STRING_EQUAL(set.media, "bd-dl");
	mk_manifest_free(m);
	/* Nothing given: everything unset, for the command line to fill. */
	m = load("<image version='1'><root/></image>", &d, &st);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	set = settings_of(m);
	CU_ASSERT_EQUAL(set.given, 0);
	CU_ASSERT_EQUAL(set.fs, 0);
	CU_ASSERT_EQUAL(set.epoch, -1);
	CU_ASSERT_PTR_NULL(set.volume_id);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

static void test_items(void)
{
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load("<image version='1'><root mode='700'>\n"
			      "<dir name='d' uid='5' hidden='true' fs='joliet'>\n"
			      "<file name='a' id='x' weight='-3'>hi</file>\n"
			      "<hardlink name='b' to='x'/>\n"
			      "<file name-hex='ff41' encoding='base64'>AAEC</file>\n"
			      "</dir>\n"
			      "<symlink name='s' target-hex='2f6574' mtime='5'/>\n"
			      "<special name='c' type='char' major='1' minor='3'/>\n"
			      "<tree src='t' base='true'><include pattern='*.c'/><exclude pattern='x/*'/></tree>\n"
			      "<archive src='a.zip' weight='2'/>\n"
			      "</root></image>",
			      &d, &st);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	mk_mitem *root = m->root, *dir = root->child;
	CU_ASSERT_EQUAL(root->mode, 0700);
	CU_ASSERT_EQUAL(dir->kind, MK_M_DIR);
	CU_ASSERT_EQUAL(dir->line, 2);
	CU_ASSERT_EQUAL(dir->uid, 5);
	CU_ASSERT_EQUAL(dir->set, MK_MA_UID);
	CU_ASSERT_EQUAL(dir->node_flags, MK_HIDDEN | MK_NOT_ISO | MK_NOT_UDF);
	mk_mitem *a = dir->child, *b = a->next, *c = b->next;
	CU_ASSERT_EQUAL(a->kind, MK_M_FILE);
	CU_ASSERT(a->inline_content);
	CU_ASSERT_EQUAL(a->nbytes, 2);
	CU_ASSERT_NSTRING_EQUAL(a->bytes, "hi", 2);
	CU_ASSERT_EQUAL(a->weight, -3);
	CU_ASSERT_STRING_EQUAL(a->id, "x");
	CU_ASSERT_EQUAL(b->kind, MK_M_HARDLINK);
	CU_ASSERT_STRING_EQUAL(b->to, "x");
	CU_ASSERT_EQUAL(c->name_len, 2);
	CU_ASSERT_EQUAL((uint8_t)c->name[0], 0xff);
	CU_ASSERT_EQUAL(c->nbytes, 3);
	CU_ASSERT_EQUAL(c->bytes[2], 2);
	mk_mitem *s = dir->next, *sp = s->next, *t = sp->next, *ar = t->next;
	CU_ASSERT_EQUAL(s->kind, MK_M_SYMLINK);
	CU_ASSERT_EQUAL(s->target_len, 3);
	CU_ASSERT_NSTRING_EQUAL(s->target, "/et", 3);
	CU_ASSERT_EQUAL(s->mtime, 5);
	CU_ASSERT_EQUAL(sp->special, MK_CHRDEV);
	CU_ASSERT_EQUAL(sp->rdev, 0x103);
	CU_ASSERT_EQUAL(t->kind, MK_M_TREE);
	CU_ASSERT(t->base);
	CU_ASSERT_EQUAL(t->ninclude, 1);
	CU_ASSERT_STRING_EQUAL(t->exclude[0], "x/*");
	CU_ASSERT_EQUAL(ar->kind, MK_M_ARCHIVE);
	CU_ASSERT_EQUAL(ar->weight, 2);
	CU_ASSERT_STRING_EQUAL(ar->src, "a.zip");
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* The schema's types (booleans, numbers, ids, the enumerations) take their values with the
 * whitespace around them collapsed, as XML Schema datatypes do: what validates means what
 * it says. */
static void test_whitespace(void)
{
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load("<image version=' 1 '>\n"
			      "<iso level=' 2 ' joliet-long=' true '/><udf revision=' 2.50 '/>\n"
			      "<boot><bios image='/b' emulation=' hdd ' info-table=' false '/></boot>\n"
			      "<media>\n  dvd\n</media>\n"
			      "<root>\n"
			      "<dir name='d' hidden=' true ' uid=' 5 ' gid=' 6 '/>\n"
			      "<special name='c' type=' char ' major=' 1 ' minor=' 3 '/>\n"
			      "<file name='f' id=' x ' encoding=' base64 ' weight=' 7 '>AAEC</file>\n"
			      "<hardlink name='h' to=' x '/>\n"
			      "<tree src='t' base=' true '/>\n"
			      "</root></image>",
			      &d, &st);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "\n%s", d.lines[i]);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	mk_settings set = settings_of(m);
	CU_ASSERT_EQUAL(set.iso_level, 2);
	CU_ASSERT_EQUAL(set.joliet_long, 1);
	CU_ASSERT_EQUAL(set.udf_rev, 0x0250);
	CU_ASSERT_EQUAL(set.boot[0].emul, MK_BOOT_EMUL_HDD);
	CU_ASSERT_STRING_EQUAL(set.media, "dvd");
	mk_mitem *dir = m->root->child, *sp = dir->next, *f = sp->next, *h = f->next, *t = h->next;
	CU_ASSERT(dir->node_flags & MK_HIDDEN);
	CU_ASSERT_EQUAL(dir->uid, 5);
	CU_ASSERT_EQUAL(dir->gid, 6);
	CU_ASSERT_EQUAL(sp->special, MK_CHRDEV);
	CU_ASSERT_EQUAL(sp->rdev, 0x103);
	CU_ASSERT_STRING_EQUAL(f->id, "x");
	CU_ASSERT_EQUAL(f->nbytes, 3);
	CU_ASSERT_EQUAL(f->weight, 7);
	CU_ASSERT_STRING_EQUAL(h->to, "x");
	CU_ASSERT(t->base);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* Each bad document and the exact problems it gives. */
static void test_problems(void)
{
	static const struct {
		const char *xml;
		const char *want[3];
	} cases[] = {
		{"<image version='1'><root>\n<file name='a/b'>x</file></root></image>",
		 {"t.xml:2: the name 'a/b' holds a '/' (make a <dir> for each level)"}},
		{"<image version='1'><root>\n<dir name='..'/></root></image>", {"t.xml:2: '..' cannot be a name"}},
		{"<image version='1'><root>\n<dir name='.'/></root></image>", {"t.xml:2: '.' cannot be a name"}},
		{"<image version='1'><root>\n<file name-hex='6100'>x</file></root></image>",
		 {"t.xml:2: the name holds a NUL byte"}},
		{"<image version='1'><root>\n<file name='x'>a</file>\n<dir name='x'/></root></image>",
		 {"t.xml:3: the name 'x' is given twice in one directory (lines 2 and 3)"}},
		{"<image version='1'><root>\n<hardlink name='x' to='nope'/></root></image>",
		 {"t.xml:2: hard link to 'nope': no <file> has that id"}},
		{"<image version='1'><root>\n<file name='a' id='i'>1</file>\n<file name='b' id='i'>2</file>"
		 "</root></image>",
		 {"t.xml:3: id 'i' is given twice (first at line 2)"}},
		{"<image version='1'><root>\n<file name='a' id='j'>1</file>\n<file name='b' id='i'>2</file>\n"
		 "<file name='c' id='j'>3</file>\n<file name='d' id='i'>4</file>\n<file name='e' id='j'>5</file>"
		 "</root></image>",
		 {"t.xml:4: id 'j' is given twice (first at line 2)",
		  "t.xml:5: id 'i' is given twice (first at line 3)",
		  "t.xml:6: id 'j' is given twice (first at line 2)"}},
		{"<!DOCTYPE image>\n<image version='1'/>", {"t.xml:1: a manifest may not have a DOCTYPE"}},
		{"<image version='1'><root><file name='a'>", {"t.xml:1: "}},
		{"<image version='2'/>", {"t.xml:1: Element image failed to validate attributes"}},
		{"<image version='1'><root>\n<boot/></root></image>",
		 {"t.xml:2: Did not expect element boot there"}},
		/* A base tree without a name takes its source's last component: never '.', '..'
		 * or nothing. */
		{"<image version='1'><root>\n<tree src='.' base='true'/></root></image>",
		 {"t.xml:2: <tree src=\".\" base=\"true\"> would make a directory named '.' (the source's "
		  "last component): give it a name"}},
		{"<image version='1'><root>\n<tree src='a/..' base='true'/></root></image>",
		 {"t.xml:2: <tree src=\"a/..\" base=\"true\"> would make a directory named '..'"}},
		{"<image version='1'><root>\n<tree src='/' base='true'/></root></image>",
		 {"t.xml:2: <tree src=\"/\" base=\"true\"> would make a directory named ''"}},
		/* Three of one name: each later one named with the first. */
		{"<image version='1'><root>\n<file name='x'>a</file>\n<dir name='y'/>\n<dir name='x'/>\n"
		 "<symlink name='x' target='y'/></root></image>",
		 {"t.xml:4: the name 'x' is given twice in one directory (lines 2 and 4)",
		  "t.xml:5: the name 'x' is given twice in one directory (lines 2 and 5)"}},
		/* A symlink target is a path: it cannot hold a NUL (it would be cut there). */
		{"<image version='1'><root>\n<symlink name='s' target-hex='610062'/></root></image>",
		 {"t.xml:2: the symlink target holds a NUL byte"}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_diags d = {0};
		dm_status st;
		mk_manifest *m = load(cases[i].xml, &d, &st);
		CU_ASSERT_EQUAL(st, DM_ERR_INVALID);
		CU_ASSERT_PTR_NULL(m);
		size_t want = 0;
		while (want < 3 && cases[i].want[want])
			want++;
		CU_ASSERT_EQUAL(d.n >= want, 1);
		for (size_t k = 0; k < want && k < d.n; k++) {
			if (strncmp(d.lines[k], cases[i].want[k], strlen(cases[i].want[k])))
				fprintf(stderr, "\ncase %zu: got '%s', want '%s'\n", i, d.lines[k], cases[i].want[k]);
			CU_ASSERT_EQUAL(strncmp(d.lines[k], cases[i].want[k], strlen(cases[i].want[k])), 0);
		}
		mk_diags_free(&d);
	}
}

static void test_times(void)
{
	int64_t t;
	CU_ASSERT_EQUAL(mk_manifest_parse_time("2020-09-13T12:26:40Z", &t), 0);
	CU_ASSERT_EQUAL(t, 1600000000);
	CU_ASSERT_EQUAL(mk_manifest_parse_time("1969-12-31T23:59:59Z", &t), 0);
	CU_ASSERT_EQUAL(t, -1);
	CU_ASSERT_EQUAL(mk_manifest_parse_time("-86400", &t), 0);
	CU_ASSERT_EQUAL(t, -86400);
	CU_ASSERT_NOT_EQUAL(mk_manifest_parse_time("2020-09-13 12:26:40", &t), 0);
	CU_ASSERT_NOT_EQUAL(mk_manifest_parse_time("12x", &t), 0);
	char buf[40];
	static const int64_t round[] = {0, -1, 1600000000, 951782400 /* 2000-02-29 */, -62135596800};
	for (size_t i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
		mk_manifest_format_time(round[i], buf, sizeof(buf));
		CU_ASSERT_EQUAL(mk_manifest_parse_time(buf, &t), 0);
		CU_ASSERT_EQUAL(t, round[i]);
	}
	mk_manifest_format_time(951782400, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "2000-02-29T00:00:00Z");
}

/* The model becomes the tree: inline data, hard links, flags, defaults and clamping. */
static void test_build(void)
{
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load("<image version='1'><root>"
			      "<dir name='d' fs='iso9660'><file name='a' id='x' mtime='2000'>hey</file>"
			      "<hardlink name='b' to='x'/></dir>"
			      "<symlink name='s' target='d/a' hidden='true'/></root></image>",
			      &d, &st);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	mk_tree *t = mk_tree_new();
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_mbuild_opts o = {.clamp_time = 1000, .default_time = 500};
	CU_ASSERT_EQUAL_FATAL(mk_manifest_build(m, t, &o, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	mk_node *dir = mk_tree_root(t)->child, *a = dir->child, *b = a->next, *s = dir->next;
	CU_ASSERT_STRING_EQUAL(dir->name, "d");
	CU_ASSERT_EQUAL(dir->flags & (MK_NOT_ISO | MK_NOT_JOLIET), MK_NOT_JOLIET);
	CU_ASSERT_EQUAL(dir->mode, 040755);
	CU_ASSERT_EQUAL(dir->mtime, 500);
	CU_ASSERT_EQUAL(a->mtime, 1000); /* clamped */
	CU_ASSERT_EQUAL(a->mode, 0100644);
	CU_ASSERT_PTR_EQUAL(a->data, b->data);
	CU_ASSERT_EQUAL(a->data->nlink, 2);
	CU_ASSERT_EQUAL(a->data->size, 3);
	const mk_dsrc *ds = mk_tree_dsrc(t, a->data);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(ds->kind, MK_DSRC_INLINE);
	CU_ASSERT_NSTRING_EQUAL(ds->bytes, "hey", 3);
	CU_ASSERT_STRING_EQUAL(s->target, "d/a");
	CU_ASSERT(s->flags & MK_HIDDEN);
	mk_tree_free(t);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* The checks scale: a directory of many items, many ids and hard links (what
 * --print-manifest writes for a big tree) load and build in about linear time. */
static void test_large(void)
{
	enum { N = 50000 };
	size_t cap = (size_t)N * 120 + 256, len = 0;
	char *xml = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	len += (size_t)snprintf(xml + len, cap - len, "<image version='1'><root><dir name='a'>\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(xml + len, cap - len, "<file name='f%06d' id='i%d'>x</file>\n", i, i);
	len += (size_t)snprintf(xml + len, cap - len, "</dir><dir name='b'>\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(xml + len, cap - len, "<hardlink name='f%06d' to='i%d'/>\n", i, N - 1 - i);
	len += (size_t)snprintf(xml + len, cap - len, "</dir></root></image>");
	CU_ASSERT_FATAL(len < cap);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load(xml, &d, &st);
	free(xml);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	mk_tree *t = mk_tree_new();
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_mbuild_opts o = {.clamp_time = -1, .default_time = 0};
	CU_ASSERT_EQUAL_FATAL(mk_manifest_build(m, t, &o, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* Quadratic checks take minutes here; linear ones about a second, under sanitizers. */
	if (secs >= 15)
		fprintf(stderr, "\n%d items and %d hard links took %.1f s\n", N, N, secs);
	CU_ASSERT(secs < 15);
	mk_node *b = mk_tree_root(t)->child->next;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->child);
	CU_ASSERT_EQUAL(b->child->data->nlink, 2); /* b/f000000 is a link to a/f049999 */
	mk_tree_free(t);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* Problems past line 65535, where libxml2 keeps no line in element nodes: each names its
 * own line. */
static void test_big_lines(void)
{
	enum { N = 70000 };
	size_t cap = (size_t)N * 40 + 512, len = 0;
	char *xml = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	len += (size_t)snprintf(xml + len, cap - len, "<image version='1'><root>\n"); /* line 1 */
	for (int i = 0; i < N; i++)                                                    /* 2..N+1 */
		len += (size_t)snprintf(xml + len, cap - len, "<file name='f%06d'/>\n", i);
	len += (size_t)snprintf(xml + len, cap - len,
				"<symlink name='f000007' target='x'/>\n"     /* N+2: f000007 is at line 9 */
				"<hardlink name='h' to='nothing'/>\n"        /* N+3 */
				"<dir name='d'><file name='x'/><file name='x'>.</file></dir>\n" /* N+4 */
				"</root></image>\n");
	CU_ASSERT_FATAL(len < cap);
	mk_diags d = {0};
	dm_status st;
	mk_manifest *m = load(xml, &d, &st);
	CU_ASSERT_EQUAL(st, DM_ERR_INVALID);
	CU_ASSERT_PTR_NULL(m);
	char want[3][128];
	snprintf(want[0], sizeof(want[0]), "t.xml:%d: the name 'x' is given twice in one directory (lines %d and %d)",
		 N + 4, N + 4, N + 4);
	snprintf(want[1], sizeof(want[1]),
		 "t.xml:%d: the name 'f000007' is given twice in one directory (lines 9 and %d)", N + 2, N + 2);
	snprintf(want[2], sizeof(want[2]), "t.xml:%d: hard link to 'nothing': no <file> has that id", N + 3);
	CU_ASSERT_EQUAL_FATAL(d.n, 3);
	for (size_t k = 0; k < 3; k++) {
		if (strcmp(d.lines[k], want[k]))
			fprintf(stderr, "\ngot '%s', want '%s'\n", d.lines[k], want[k]);
		CU_ASSERT_STRING_EQUAL(d.lines[k], want[k]);
	}
	mk_diags_free(&d);
	/* The schema's problems too. */
	len = 0;
	len += (size_t)snprintf(xml + len, cap - len, "<image version='1'><root>\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(xml + len, cap - len, "<file name='f%06d'/>\n", i);
	len += (size_t)snprintf(xml + len, cap - len, "<file name='bad' mode='999'/>\n</root></image>\n");
	m = load(xml, &d, &st);
	CU_ASSERT_EQUAL(st, DM_ERR_INVALID);
	snprintf(want[0], sizeof(want[0]), "t.xml:%d: Invalid attribute mode for element file", N + 2);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	if (strcmp(d.lines[0], want[0]))
		fprintf(stderr, "\ngot '%s', want '%s'\n", d.lines[0], want[0]);
	CU_ASSERT_STRING_EQUAL(d.lines[0], want[0]);
	mk_diags_free(&d);
	free(xml);
}

/* The schema built into mkimage is spec/manifest.rng byte for byte, and validates as the
 * file does (schema NULL: the built-in one). */
static void test_builtin_schema(void)
{
	FILE *f = fopen(TEST_SCHEMA, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	static char file[1 << 16];
	size_t n = fread(file, 1, sizeof(file), f);
	fclose(f);
	CU_ASSERT_EQUAL(n, mk_manifest_rng_len);
	CU_ASSERT_EQUAL(memcmp(file, mk_manifest_rng, n), 0);
	CU_ASSERT_EQUAL(mk_manifest_rng[mk_manifest_rng_len], 0);
	static const char *const docs[] = {
		"<image version='1'><root/></image>",
		"<image version='1'><root><nosuch/></root></image>",
		"<image version='1'><iso level='4'/><root/></image>",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		dm_ctx c1, c2;
		dm_ctx_init(&c1);
		dm_ctx_init(&c2);
		mk_diags d1 = {0}, d2 = {0};
		mk_manifest *m1 = NULL, *m2 = NULL;
		dm_status s1 = mk_manifest_parse(&m1, docs[i], strlen(docs[i]), "t.xml", NULL, NULL, &d1, &c1);
		dm_status s2 = mk_manifest_parse(&m2, docs[i], strlen(docs[i]), "t.xml", NULL, TEST_SCHEMA,
						 &d2, &c2);
		CU_ASSERT_EQUAL(s1, s2);
		CU_ASSERT_EQUAL(s1 == DM_OK, i == 0);
		CU_ASSERT_EQUAL(d1.n, d2.n);
		for (size_t k = 0; k < d1.n && k < d2.n; k++)
			CU_ASSERT_STRING_EQUAL(d1.lines[k], d2.lines[k]);
		mk_manifest_free(m1);
		mk_manifest_free(m2);
		mk_diags_free(&d1);
		mk_diags_free(&d2);
	}
}

static CU_TestInfo manifest_tests[] = {
	{"the built-in schema", test_builtin_schema},
	{"settings", test_settings},
	{"items and attributes", test_items},
	{"problems, with their lines", test_problems},
	{"values with whitespace around them", test_whitespace},
	{"time forms", test_times},
	{"model to tree", test_build},
	{"many items, ids and hard links", test_large},
	{"lines past 65535", test_big_lines},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"manifest", NULL, NULL, NULL, NULL, manifest_tests},
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
