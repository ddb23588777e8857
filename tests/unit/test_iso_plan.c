/* mkimage/iso_plan + iso_emit: layout decisions and the bytes they lead to, on in-memory
 * trees written to a memory sink (no files are read: the trees hold no file data). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/dm_endian.h"
#include "mkimage/iso_emit.h"
#include "mkimage/iso_plan.h"
#include "mkimage/sink.h"
#include "mkimage/tree.h"

#include <CUnit/CUnit.h>

static mk_node *add(mk_tree *t, mk_node *dir, const char *name, mk_type type)
{
	mk_node *n = mk_tree_add(t, dir, name, strlen(name), type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	n->mode = type == MK_DIR ? (S_IFDIR | 0755) : (S_IFREG | 0644);
	n->mtime = n->atime = n->ctime = 1700000000;
	if (type == MK_FILE) {
		n->data = mk_tree_data(t, 0, 0, 1);
		n->data->node = n;
	}
	return n;
}

static iso_opts opts(int joliet, int rr)
{
	iso_opts o = {.level = 3, .joliet = joliet, .rockridge = rr, .joliet_max = 64,
		      .volume_time = 1700000000, .volume_id = "TESTVOL", .system_id = "LINUX",
		      .application = "APP"};
	return o;
}

static void test_layout_small(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	add(t, root, "readme.txt", MK_FILE);
	mk_node *d = add(t, root, "docs", MK_DIR);
	add(t, d, "a", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	iso_plan *p;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_EQUAL(p->pvd_lba, 16);
	CU_ASSERT_EQUAL(p->svd_lba, 17);
	CU_ASSERT_EQUAL(p->term_lba, 18);
	CU_ASSERT_EQUAL(p->primary.pt_l_lba, 19);
	CU_ASSERT_EQUAL(p->primary.pt_m_lba, 20);
	CU_ASSERT_EQUAL(p->joliet.pt_l_lba, 21);
	CU_ASSERT_EQUAL(p->joliet.pt_m_lba, 22);
	CU_ASSERT_EQUAL(p->primary.ndirs, 2);
	/* Root "." holds SP + ER so Rock Ridge needs a continuation area, right after the
	 * root directory's extent; then DOCS; then the Joliet directories. */
	CU_ASSERT(p->nareas >= 1);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->lba, 23);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->ce_lba, 24);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->ce_sectors, 1);
	CU_ASSERT_EQUAL(p->areas[0].lba, 24);
	CU_ASSERT_EQUAL(p->ce_sectors, 1);
	CU_ASSERT_EQUAL(p->primary.dirs[1]->lba, 25);
	CU_ASSERT_EQUAL(p->joliet.dirs[0]->lba, 26);
	CU_ASSERT_EQUAL(p->total_sectors, 28); /* no file has data */
	/* path table: root (8 + 1 + 1 pad) + DOCS (8 + 4) */
	CU_ASSERT_EQUAL(p->primary.pt_size, 10 + 12);

	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(iso_emit(p, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	CU_ASSERT_EQUAL_FATAL(len, 28u * 2048u);
	const uint8_t *pvd = img + 16 * 2048;
	CU_ASSERT_EQUAL(pvd[0], 1);
	CU_ASSERT_EQUAL(memcmp(pvd + 1, "CD001", 5), 0);
	CU_ASSERT_EQUAL(memcmp(pvd + 40, "TESTVOL ", 8), 0);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 80), 28);
	CU_ASSERT_EQUAL(dm_get_be32(pvd + 84), 28);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 140), 19);
	CU_ASSERT_EQUAL(dm_get_be32(pvd + 148), 20);
	CU_ASSERT_EQUAL(pvd[156], 34);                 /* root record */
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 158), 23);
	CU_ASSERT_EQUAL(memcmp(pvd + 813, "2023111422132000", 16), 0);
	const uint8_t *svd = img + 17 * 2048;
	CU_ASSERT_EQUAL(svd[0], 2);
	CU_ASSERT_EQUAL(memcmp(svd + 88, "%/E", 3), 0);
	CU_ASSERT_EQUAL(svd[40], 0);
	CU_ASSERT_EQUAL(svd[41], 'T');
	CU_ASSERT_EQUAL(img[18 * 2048], 255);
	/* L and M path tables: root entry first, parent 1. */
	const uint8_t *l = img + 19 * 2048, *m = img + 20 * 2048;
	CU_ASSERT_EQUAL(l[0], 1);
	CU_ASSERT_EQUAL(dm_get_le32(l + 2), 23);
	CU_ASSERT_EQUAL(dm_get_le16(l + 6), 1);
	CU_ASSERT_EQUAL(dm_get_be32(m + 2), 23);
	CU_ASSERT_EQUAL(l[10], 4);
	CU_ASSERT_EQUAL(memcmp(l + 18, "DOCS", 4), 0);
	/* Root directory: "." with SP first in its system use area. */
	const uint8_t *root_dir = img + 23 * 2048;
	CU_ASSERT_EQUAL(root_dir[32], 1);
	CU_ASSERT_EQUAL(root_dir[33], 0);
	CU_ASSERT_EQUAL(memcmp(root_dir + 34, "SP", 2), 0);
	mk_sink_abort(s);
	iso_plan_free(p);
	mk_tree_free(t);
}

static mk_tree *deep_tree(int levels)
{
	mk_tree *t = mk_tree_new();
	mk_node *d = mk_tree_root(t);
	for (int i = 0; i < levels; i++) {
		char name[16];
		snprintf(name, sizeof(name), "d%d", i + 2);
		d = add(t, d, name, MK_DIR);
	}
	add(t, d, "leaf", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(mk_tree_finish(t, &ctx), DM_OK);
	return t;
}

static void test_relocation(void)
{
	/* Root is level 1; d2..d9 reach level 9, one too deep. */
	mk_tree *t = deep_tree(8);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	iso_opts o = opts(1, 1);
	iso_plan *p;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_TRUE(p->have_rr_moved);
	CU_ASSERT_STRING_EQUAL(p->rr_moved.name, ".rr_moved");
	/* Root holds RR_MOVED and d2; d9 sits in RR_MOVED at level 3. */
	int found = 0;
	for (uint32_t i = 0; i < p->primary.ndirs; i++) {
		const iso_dir *d = p->primary.dirs[i];
		CU_ASSERT(d->depth <= ISO_MAX_LEVELS);
		if (!strcmp(d->node->name, "d9")) {
			found = 1;
			CU_ASSERT_EQUAL(d->depth, 3);
			CU_ASSERT_PTR_EQUAL(d->parent->node, &p->rr_moved);
			CU_ASSERT_STRING_EQUAL(d->real_parent->node->name, "d8");
		}
	}
	CU_ASSERT_TRUE(found);
	/* Joliet keeps the real hierarchy. */
	CU_ASSERT_EQUAL(p->joliet.ndirs, 9);
	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL(iso_emit(p, s, &ctx), DM_OK);
	mk_sink_abort(s);
	iso_plan_free(p);

	/* Without Rock Ridge the same tree is refused, naming the directory. */
	o = opts(1, 0);
	CU_ASSERT_EQUAL(iso_plan_build(&p, t, &o, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/d2/d3/d4/d5/d6/d7/d8/d9"));
	mk_tree_free(t);

	/* Eight levels need nothing moved. */
	t = deep_tree(7);
	o = opts(0, 0);
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_FALSE(p->have_rr_moved);
	iso_plan_free(p);
	mk_tree_free(t);
}

static void test_big_directory(void)
{
	/* 3000 entries: records never cross a sector, and the directory size is whole sectors. */
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	for (int i = 0; i < 3000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "file-%05d.dat", i);
		add(t, root, name, MK_FILE);
	}
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(0, 1);
	iso_plan *p;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	const iso_dir *r = p->primary.dirs[0];
	CU_ASSERT_EQUAL(r->size % 2048, 0);
	CU_ASSERT(r->size > 40 * 2048);
	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(iso_emit(p, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	/* Walk the records sector by sector: each ends inside its sector, all are found. */
	uint32_t count = 0;
	for (uint32_t sec = 0; sec < r->size / 2048; sec++) {
		const uint8_t *b = img + (size_t)(r->lba + sec) * 2048;
		size_t pos = 0;
		while (pos < 2048 && b[pos]) {
			CU_ASSERT_FATAL(pos + b[pos] <= 2048);
			CU_ASSERT_EQUAL(b[pos] % 2, 0);
			count++;
			pos += b[pos];
		}
	}
	CU_ASSERT_EQUAL(count, 3002);
	mk_sink_abort(s);
	iso_plan_free(p);
	mk_tree_free(t);
}

static void test_extent_count(void)
{
	CU_ASSERT_EQUAL(iso_extent_count(0), 1);
	CU_ASSERT_EQUAL(iso_extent_count(1), 1);
	CU_ASSERT_EQUAL(iso_extent_count(ISO_EXTENT_MAX), 1);
	CU_ASSERT_EQUAL(iso_extent_count((uint64_t)ISO_EXTENT_MAX + 1), 2);
	CU_ASSERT_EQUAL(iso_extent_count(5ull << 30), 2);
	CU_ASSERT_EQUAL(iso_extent_count(9ull << 30), 3);
}

static void test_large_file_needs_level3(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *f = add(t, mk_tree_root(t), "big", MK_FILE);
	f->data->size = 5ull << 30;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	o.level = 2;
	iso_plan *p;
	CU_ASSERT_EQUAL(iso_plan_build(&p, t, &o, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--iso-level 3"));
	o.level = 3;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_EQUAL(f->data->lba, p->data_lba);
	CU_ASSERT_EQUAL(p->total_sectors, p->data_lba + (uint32_t)((5ull << 30) / 2048u));
	iso_plan_free(p);
	mk_tree_free(t);
}

static CU_TestInfo plan_tests[] = {
	{"layout and descriptors of a small tree", test_layout_small},
	{"deep directories relocated or refused", test_relocation},
	{"directory over many sectors", test_big_directory},
	{"extent count", test_extent_count},
	{"4 GiB files need level 3", test_large_file_needs_level3},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"iso_plan", NULL, NULL, NULL, NULL, plan_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
