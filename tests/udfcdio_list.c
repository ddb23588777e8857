/* udfcdio_list IMAGE OUT.json: list and read every file of a UDF image through libcdio's
 * libudf (what cd-info, VLC's older access and many rippers use) and write a manifest for
 * tests/integration/compare_tree.py (tests/udf_list.h), as tests/udfread_list.c does for
 * libudfread: each entry's path, type (dir, file, or other), and for files the size and
 * SHA-256 of the bytes read. libudf reads a file block by block from its allocation
 * descriptors; data embedded in the file entry it cannot read ("Don't know how to data in
 * ICB handle yet"), which is why mkimage embeds nothing unless --udf-embed says so. libudf
 * knows no metadata partition: UDF 1.02 to 2.01 only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cdio/udf.h>

#include "tests/udf_list.h"

/* A directory is its current entry (from udf_get_root or udf_opendir); udf_readdir moves
 * it along its FIDs and frees it at the end. */
static int next(void *dir, const char **name, ul_type *type)
{
	udf_dirent_t *d = dir;
	if (!udf_readdir(d))
		return 0;
	*name = udf_get_filename(d);
	*type = udf_is_dir(d) ? UL_DIR : S_ISREG(udf_get_posix_filemode(d)) ? UL_FILE : UL_OTHER;
	return 1;
}

static int open_dir(void *dir, const char *name, void **sub)
{
	(void)name;
	*sub = udf_opendir(dir); /* an empty directory gives NULL */
	return 0;
}

/* libudf reads whole blocks, 16 at a time, from the file's allocation descriptors: a file
 * is its entry and the bytes left. */
typedef struct cdio_file {
	udf_dirent_t *d;
	uint64_t left;
} cdio_file;

static void *open_file(void *dir, const char *name, int64_t *size)
{
	(void)name;
	cdio_file *f = malloc(sizeof(*f));
	if (!f)
		exit(2);
	f->d = dir;
	f->left = udf_get_file_length(dir);
	*size = (int64_t)f->left;
	return f;
}

static ssize_t read_file(void *file, uint8_t *buf, size_t cap)
{
	cdio_file *f = file;
	if (!f->left)
		return 0;
	uint64_t want = (f->left + UDF_BLOCKSIZE - 1) / UDF_BLOCKSIZE;
	if (want > 16)
		want = 16;
	if (want > cap / UDF_BLOCKSIZE)
		want = cap / UDF_BLOCKSIZE;
	ssize_t n = udf_read_block(f->d, buf, (size_t)want);
	if (n <= 0)
		return -1;
	size_t got = (uint64_t)n < f->left ? (size_t)n : (size_t)f->left;
	f->left -= got;
	return (ssize_t)got;
}

static void close_file(void *f)
{
	free(f);
}

int main(int argc, char **argv)
{
	static const ul_reader r = {"udfcdio_list", "libudf (libcdio)", 1, next, open_dir, NULL,
				    open_file, read_file, close_file};
	if (argc != 3) {
		fprintf(stderr, "usage: udfcdio_list IMAGE OUT.json\n");
		return 2;
	}
	udf_t *udf = udf_open(argv[1]);
	if (!udf) {
		fprintf(stderr, "udfcdio_list: libudf cannot open %s\n", argv[1]);
		return 1;
	}
	udf_dirent_t *root = udf_get_root(udf, true, 0);
	if (!root) {
		fprintf(stderr, "udfcdio_list: libudf finds no root directory in %s (it reads FEs, not "
			"the EFEs of UDF 2.00 and later)\n", argv[1]);
		udf_close(udf);
		return 1;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out)
		return 2;
	char volid[256] = "";
	udf_get_volume_id(udf, volid, sizeof(volid));
	int errors = ul_walk(&r, root, volid, out);
	udf_close(udf);
	return errors ? 1 : 0;
}
