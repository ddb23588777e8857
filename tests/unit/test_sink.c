/* mkimage/sink (file sinks: nothing at the output path, nor beside it, until commit) and
 * mkimage/source/data_source (a source that stopped being a regular file is refused, not
 * waited on). In a temporary directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkimage/sink.h"
#include "mkimage/source/data_source.h"
#include "mkimage/tree.h"

#include <CUnit/CUnit.h>

static char dir[64];
static char out[128];

static int setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/test_sink.XXXXXX", t && *t && strlen(t) < 40 ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(out, sizeof(out), "%s/out.img", dir);
	return 0;
}

static int teardown(void)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		char p[512];
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
				unlink(p);
			}
		closedir(d);
	}
	return rmdir(dir);
}

/* Names in dir, other than . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Where O_TMPFILE works, a sink being written has no name in the directory at all (so a
 * kill leaves nothing); elsewhere only its temporary name. Never the output's name. */
static void test_nothing_until_commit(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_sink *s;
	CU_ASSERT_EQUAL_FATAL(mk_sink_open_file(&s, out, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_write(s, "image", 5, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_zeros(s, 3u << 20, &ctx), DM_OK); /* past the writer's buffers */
	CU_ASSERT(access(out, F_OK) < 0 && errno == ENOENT);
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
	if (fd >= 0) {
		close(fd);
		CU_ASSERT_EQUAL(entries(), 0);
	} else {
		CU_ASSERT_EQUAL(entries(), 1);
	}
	CU_ASSERT_EQUAL_FATAL(mk_sink_commit(s, &ctx), DM_OK);
	struct stat st;
	CU_ASSERT_EQUAL_FATAL(stat(out, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 5 + (3 << 20));
	CU_ASSERT_EQUAL(entries(), 1);
	unlink(out);
}

static void test_abort_leaves_nothing(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_sink *s;
	CU_ASSERT_EQUAL_FATAL(mk_sink_open_file(&s, out, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_zeros(s, 1u << 20, &ctx), DM_OK);
	mk_sink_abort(s);
	CU_ASSERT_EQUAL(entries(), 0);
}

/* The output's directory gone before commit: refused with its path, nothing made. */
static void test_directory_removed(void)
{
	char sub[160], path[200];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(path, sizeof(path), "%s/x.img", sub);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0755), 0);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_sink *s;
	CU_ASSERT_EQUAL_FATAL(mk_sink_open_file(&s, path, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_write(s, "x", 1, &ctx), DM_OK);
	int fd = open(sub, O_TMPFILE | O_WRONLY, 0600);
	if (fd < 0) { /* a named temporary file: remove it with the directory */
		mk_sink_abort(s);
		rmdir(sub);
		return;
	}
	close(fd);
	CU_ASSERT_EQUAL_FATAL(rmdir(sub), 0);
	CU_ASSERT_NOT_EQUAL(mk_sink_commit(s, &ctx), DM_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, path));
	CU_ASSERT(access(sub, F_OK) < 0);
}

/* The checksums patch the image and read it back through the sink before commit. */
static uint8_t reread_buf[16];
static size_t reread_len;

static void reread_fn(void *user, const uint8_t *data, size_t len)
{
	(void)user;
	if (reread_len + len <= sizeof(reread_buf))
		memcpy(reread_buf + reread_len, data, len);
	reread_len += len;
}

static void test_reread_before_commit(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_sink *s;
	CU_ASSERT_EQUAL_FATAL(mk_sink_open_file(&s, out, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_write(s, "abcdef", 6, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_sink_patch(s, 1, "X", 1, &ctx), DM_OK);
	reread_len = 0;
	CU_ASSERT_EQUAL(mk_sink_reread(s, reread_fn, NULL, &ctx), DM_OK);
	CU_ASSERT_EQUAL(reread_len, 6);
	CU_ASSERT_EQUAL(memcmp(reread_buf, "aXcdef", 6), 0);
	mk_sink_abort(s);
	CU_ASSERT_EQUAL(entries(), 0);
}

static CU_TestInfo sink_tests[] = {
	{"no file at or beside the output until commit", test_nothing_until_commit},
	{"abort leaves nothing", test_abort_leaves_nothing},
	{"output directory removed before commit", test_directory_removed},
	{"read back before commit", test_reread_before_commit},
	CU_TEST_INFO_NULL,
};

/* A source replaced by a FIFO after the scan: refused at once (it used to block in open()
 * until a writer came, which none ever does). */
static void test_fifo_source_refused(void)
{
	char fifo[160];
	snprintf(fifo, sizeof(fifo), "%s/src", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	mk_tree *t = mk_tree_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	mk_node *n = mk_tree_add(t, mk_tree_root(t), "f", 1, MK_FILE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	n->src = fifo;
	n->flags |= MK_SRC_FULL;
	n->data = mk_tree_data(t, 0, 0, 1);
	n->data->node = n;
	n->data->size = 10;
	mk_reader *r = mk_reader_new(t);
	mk_sink *s = mk_sink_open_null();
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	alarm(60); /* a hang would otherwise stop the suite for ever */
	CU_ASSERT_EQUAL(mk_reader_emit(r, n->data, s, &ctx), DM_ERR_CHANGED);
	alarm(0);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, fifo));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "no longer a regular file"));
	mk_sink_abort(s);
	mk_reader_free(r);
	mk_tree_free(t);
	unlink(fifo);
}

static CU_TestInfo data_source_tests[] = {
	{"a source replaced by a FIFO is refused", test_fifo_source_refused},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"sink", setup, teardown, NULL, NULL, sink_tests},
	{"data_source", setup, teardown, NULL, NULL, data_source_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
