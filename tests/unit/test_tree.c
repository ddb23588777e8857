/* mkimage/tree: building, sorting, merging and paths, on an in-memory tree. */
#include <stdint.h>
#include <string.h>

#include "mkimage/tree.h"

#include <CUnit/CUnit.h>

static mk_node *add(mk_tree *t, mk_node *dir, const char *name, mk_type type)
{
	mk_node *n = mk_tree_add(t, dir, name, strlen(name), type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	if (type == MK_FILE)
		n->data = mk_tree_data(t, 0, 0, 1);
	return n;
}

static size_t count_children(const mk_node *dir)
{
	size_t n = 0;
	for (const mk_node *c = dir->child; c; c = c->next)
		n++;
	return n;
}

static void test_sort(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	const char *names[] = {"b", "a", "B", "\xC3\xA9", "aa", "A"};
	for (size_t i = 0; i < 6; i++)
		add(t, root, names[i], MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	const char *want[] = {"A", "B", "a", "aa", "b", "\xC3\xA9"}; /* bytewise */
	size_t i = 0;
	for (mk_node *c = root->child; c; c = c->next, i++)
		CU_ASSERT_STRING_EQUAL(c->name, want[i]);
	CU_ASSERT_EQUAL(i, 6);
	CU_ASSERT_EQUAL(count_children(root), 6);
	mk_tree_free(t);
}

static void test_duplicate_refused(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	add(t, root, "x", MK_FILE);
	add(t, root, "x", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(mk_tree_finish(t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/x"));
	mk_tree_free(t);

	/* A file and a directory of one name are refused too. */
	t = mk_tree_new();
	root = mk_tree_root(t);
	add(t, root, "y", MK_FILE);
	add(t, root, "y", MK_DIR);
	CU_ASSERT_EQUAL(mk_tree_finish(t, &ctx), DM_ERR_INVALID);
	mk_tree_free(t);
}

static void test_merge_dirs(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	mk_node *d1 = add(t, root, "d", MK_DIR);
	d1->flags |= MK_SYNTHETIC;
	mk_node *d2 = add(t, root, "d", MK_DIR);
	d2->mode = 040700;
	add(t, d1, "one", MK_FILE);
	add(t, d2, "two", MK_FILE);
	add(t, d2, "0", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(count_children(root), 1);
	mk_node *d = root->child;
	CU_ASSERT_EQUAL(count_children(d), 3);
	CU_ASSERT_EQUAL(d->mode, 040700); /* the real directory's attributes win */
	const char *want[] = {"0", "one", "two"};
	size_t i = 0;
	for (mk_node *c = d->child; c; c = c->next, i++) {
		CU_ASSERT_STRING_EQUAL(c->name, want[i]);
		CU_ASSERT_PTR_EQUAL(c->parent, d);
	}
	mk_tree_free(t);
}

static void test_paths(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	mk_node *a = add(t, root, "a", MK_DIR);
	a->src = "/src/top";
	a->flags |= MK_SRC_FULL;
	mk_node *b = add(t, a, "b", MK_DIR);
	mk_node *f = add(t, b, "f.txt", MK_FILE);
	char buf[256];
	CU_ASSERT_EQUAL(mk_node_src_path(f, buf, sizeof(buf)), strlen("/src/top/b/f.txt"));
	CU_ASSERT_STRING_EQUAL(buf, "/src/top/b/f.txt");
	CU_ASSERT_EQUAL(mk_node_src_path(f, buf, 8), 0); /* does not fit */
	mk_node_image_path(f, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "/a/b/f.txt");
	mk_node_image_path(root, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "/");
	/* A synthetic node has no source. */
	mk_node *s = add(t, root, "made", MK_DIR);
	s->flags |= MK_SYNTHETIC;
	CU_ASSERT_EQUAL(mk_node_src_path(s, buf, sizeof(buf)), 0);
	mk_tree_free(t);
}

/* Names live inside their nodes: each keeps its bytes and length, whatever its neighbours. */
static void test_names_in_nodes(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	CU_ASSERT_STRING_EQUAL(root->name, "");
	CU_ASSERT_EQUAL(root->name_len, 0);
	char name[256];
	mk_node *nodes[256];
	for (size_t len = 1; len < 256; len++) {
		for (size_t i = 0; i < len; i++)
			name[i] = (char)('a' + (len + i) % 26);
		nodes[len] = mk_tree_add(t, root, name, len, len % 3 ? MK_FILE : MK_DIR);
		CU_ASSERT_PTR_NOT_NULL_FATAL(nodes[len]);
		CU_ASSERT_EQUAL(((uintptr_t)nodes[len]) % 8, 0);
		CU_ASSERT_PTR_NULL(nodes[len]->child);
		CU_ASSERT_EQUAL(nodes[len]->mtime, 0);
		nodes[len]->mtime = -1; /* fields written after the name never reach the next name */
		nodes[len]->flags = 0xFF;
	}
	for (size_t len = 1; len < 256; len++) {
		CU_ASSERT_EQUAL(nodes[len]->name_len, len);
		CU_ASSERT_EQUAL(strlen(nodes[len]->name), len);
		for (size_t i = 0; i < len; i++)
			CU_ASSERT_EQUAL_FATAL(nodes[len]->name[i], (char)('a' + (len + i) % 26));
	}
	mk_node *own = mk_node_new(mk_tree_arena(t), "own", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(own);
	CU_ASSERT_STRING_EQUAL(own->name, "own");
	CU_ASSERT_PTR_NULL(own->parent);
	CU_ASSERT_EQUAL(own->type, 0);
	mk_tree_free(t);
}

static void test_hardlinks(void)
{
	mk_tree *t = mk_tree_new();
	mk_data *a = mk_tree_data(t, 5, 77, 3);
	mk_data *b = mk_tree_data(t, 5, 77, 3);
	mk_data *c = mk_tree_data(t, 6, 77, 3);
	mk_data *d = mk_tree_data(t, 5, 77, 1); /* a single-link file is never shared */
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_EQUAL(a->nlink, 2);
	CU_ASSERT_PTR_NOT_EQUAL(a, c);
	CU_ASSERT_PTR_NOT_EQUAL(a, d);
	/* Many linked inodes: the table grows and keeps them apart. */
	for (uint64_t i = 0; i < 5000; i++)
		CU_ASSERT_EQUAL_FATAL(mk_tree_data(t, 9, i, 2)->nlink, 1);
	for (uint64_t i = 0; i < 5000; i++)
		CU_ASSERT_EQUAL_FATAL(mk_tree_data(t, 9, i, 2)->nlink, 2);
	mk_tree_free(t);
}

static void test_stats(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	mk_node *f1 = mk_tree_add(t, root, "f1", 2, MK_FILE);
	mk_node *f2 = mk_tree_add(t, root, "f2", 2, MK_FILE);
	f1->data = f2->data = mk_tree_data(t, 1, 1, 2);
	f2->data = mk_tree_data(t, 1, 1, 2);
	f1->data->node = f1;
	f1->data->size = 100;
	mk_tree_add(t, root, "l", 1, MK_SYMLINK);
	mk_tree_add(t, root, "p", 1, MK_FIFO);
	mk_tree_add(t, root, "d", 1, MK_DIR);
	mk_tree_stats st;
	mk_tree_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.files, 2);
	CU_ASSERT_EQUAL(st.hardlinks, 1);
	CU_ASSERT_EQUAL(st.bytes, 100);
	CU_ASSERT_EQUAL(st.dirs, 2);
	CU_ASSERT_EQUAL(st.symlinks, 1);
	CU_ASSERT_EQUAL(st.specials, 1);
	CU_ASSERT(mk_tree_memory(t) > 0);
	mk_tree_free(t);
}

static CU_TestInfo tree_tests[] = {
	{"children sorted bytewise", test_sort},
	{"duplicate names refused", test_duplicate_refused},
	{"directories from two sources merge", test_merge_dirs},
	{"source and image paths", test_paths},
	{"names live in their nodes", test_names_in_nodes},
	{"hard links share data", test_hardlinks},
	{"stats", test_stats},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"tree", NULL, NULL, NULL, NULL, tree_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
