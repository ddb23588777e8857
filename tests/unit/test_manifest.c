/* mkimage/manifest: the model a manifest loads into, and the problems it reports, from
 * documents in memory (no sources on disk: base directory NULL), plus the tree it builds
 * and the time forms. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "mkimage/manifest.h"
#include "mkimage/options.h"

static mk_manifest *load(const char *xml, mk_diags *d, dm_status *st)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_manifest *m = NULL;
	*st = mk_manifest_parse(&m, xml, strlen(xml), "t.xml", NULL, TEST_SCHEMA, d, &ctx);
	return m;
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
	CU_ASSERT_EQUAL(m->set.fs, MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE);
	CU_ASSERT_EQUAL(m->set.iso_level, 1);
	CU_ASSERT_EQUAL(m->set.joliet_long, 1);
	CU_ASSERT_EQUAL(m->set.udf_rev, 0x0250);
	CU_ASSERT_EQUAL(m->set.epoch, 1600000000);
	CU_ASSERT_STRING_EQUAL(m->set.volume_id, "V");
	CU_ASSERT_STRING_EQUAL(m->set.application, "A");
	CU_ASSERT_STRING_EQUAL(m->set.media, "bd-dl");
	mk_manifest_free(m);
	/* Nothing given: everything unset, for the command line to fill. */
	m = load("<image version='1'><root/></image>", &d, &st);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	CU_ASSERT_EQUAL(m->set.fs, 0);
	CU_ASSERT_EQUAL(m->set.iso_level, -1);
	CU_ASSERT_EQUAL(m->set.epoch, -1);
	CU_ASSERT_PTR_NULL(m->set.volume_id);
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
		{"<!DOCTYPE image>\n<image version='1'/>", {"t.xml:1: a manifest may not have a DOCTYPE"}},
		{"<image version='1'><root><file name='a'>", {"t.xml:1: "}},
		{"<image version='2'/>", {"t.xml:1: Element image failed to validate attributes"}},
		{"<image version='1'><root>\n<boot/></root></image>",
		 {"t.xml:2: Did not expect element boot there"}},
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

static CU_TestInfo manifest_tests[] = {
	{"settings", test_settings},
	{"items and attributes", test_items},
	{"problems, with their lines", test_problems},
	{"time forms", test_times},
	{"model to tree", test_build},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"manifest", NULL, NULL, NULL, NULL, manifest_tests},
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
