/* udfread_list IMAGE OUT.json: list and read every file of a UDF image through libudfread
 * (an independent reader: VLC's and Kodi's) and write a manifest for
 * tests/integration/compare_tree.py (tests/udf_list.h): each entry's path, type (dir, file,
 * or other for what libudfread cannot show), and for files the size and SHA-256 of the
 * bytes read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <udfread/udfread.h>

#include "tests/udf_list.h"

static int next(void *dir, const char **name, ul_type *type)
{
	static struct udfread_dirent ent;
	if (!udfread_readdir(dir, &ent))
		return 0;
	*name = ent.d_name;
	*type = ent.d_type == UDF_DT_DIR ? UL_DIR : ent.d_type == UDF_DT_REG ? UL_FILE : UL_OTHER;
	return 1;
}

/* Directories and files are opened by name inside their directory, not by path: libudfread
 * splits paths at '\\' too, so names holding one would not be found. */
static int open_dir(void *dir, const char *name, void **sub)
{
	*sub = udfread_opendir_at(dir, name);
	return *sub ? 0 : -1;
}

static void close_dir(void *dir)
{
	udfread_closedir(dir);
}

static void *open_file(void *dir, const char *name, int64_t *size)
{
	UDFFILE *f = udfread_file_openat(dir, name);
	if (f)
		*size = udfread_file_size(f);
	return f;
}

static ssize_t read_file(void *f, uint8_t *buf, size_t cap)
{
	ssize_t n = udfread_file_read(f, buf, cap);
	return n < 0 ? -1 : n;
}

static void close_file(void *f)
{
	udfread_file_close(f);
}

int main(int argc, char **argv)
{
	static const ul_reader r = {"udfread_list", "libudfread", 0, next, open_dir, close_dir,
				    open_file, read_file, close_file};
	if (argc != 3) {
		fprintf(stderr, "usage: udfread_list IMAGE OUT.json\n");
		return 2;
	}
	udfread *udf = udfread_init();
	if (!udf || udfread_open(udf, argv[1]) < 0) {
		fprintf(stderr, "udfread_list: libudfread cannot open %s as UDF\n", argv[1]);
		return 1;
	}
	UDFDIR *root = udfread_opendir(udf, "/");
	if (!root) {
		fprintf(stderr, "udfread_list: cannot open the root directory\n");
		return 1;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out)
		return 2;
	const char *volid = udfread_get_volume_id(udf);
	int errors = ul_walk(&r, root, volid ? volid : "", out);
	udfread_close(udf);
	return errors ? 1 : 0;
}
