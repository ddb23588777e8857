/* udfcdio_list IMAGE OUT.json: list and read every file of a UDF image through libcdio's
 * libudf (what cd-info, VLC's older access and many rippers use) and write a manifest for
 * tests/integration/compare_tree.py, as tests/udfread_list.c does for libudfread: each
 * entry's path, type (dir, file, or other), and for files the size and SHA-256 of the bytes
 * read. libudf reads a file block by block from its allocation descriptors; data embedded
 * in the file entry it cannot read ("Don't know how to data in ICB handle yet"), which is
 * why mkimage embeds nothing unless --udf-embed says so. libudf knows no metadata partition:
 * UDF 1.02 to 2.01 only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cdio/udf.h>

#include "common/dm_sha256.h"
#include "common/dm_utf8.h"

static FILE *out;
static int first = 1, errors;

/* libudf gives names recorded with 16-bit CS0 in UTF-8 (through iconv), and those recorded
 * with 8-bit CS0 as their bytes, which are Latin-1: bytes that are not UTF-8 are written
 * as the Latin-1 characters they are. */
static void json_str(const char *s)
{
	size_t len = strlen(s), pos = 0;
	fputc('"', out);
	while (pos < len) {
		size_t at = pos;
		uint32_t cp = dm_utf8_next(s, len, &pos);
		unsigned char c = (unsigned char)s[at];
		if (cp == DM_UTF8_INVALID) {
			pos = at + 1;
			fprintf(out, "\\u%04x", c);
		} else if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c < 0x20) {
			fprintf(out, "\\u%04x", c);
		} else {
			fwrite(s + at, 1, pos - at, out);
		}
	}
	fputc('"', out);
}

static void entry(const char *path, const char *type, long long size, const char *sha)
{
	fputs(first ? "\n  " : ",\n  ", out);
	first = 0;
	fputs("{\"path\": ", out);
	json_str(path);
	fprintf(out, ", \"type\": \"%s\"", type);
	if (size >= 0)
		fprintf(out, ", \"size\": %lld", size);
	if (sha)
		fprintf(out, ", \"sha256\": \"%s\"", sha);
	fputc('}', out);
}

static void read_file(udf_dirent_t *f, const char *path)
{
	uint64_t size = udf_get_file_length(f), left = size;
	dm_sha256 h;
	dm_sha256_init(&h);
	static uint8_t buf[16 * UDF_BLOCKSIZE];
	while (left) {
		uint64_t want = (left + UDF_BLOCKSIZE - 1) / UDF_BLOCKSIZE;
		if (want > 16)
			want = 16;
		ssize_t n = udf_read_block(f, buf, (size_t)want);
		if (n <= 0) {
			fprintf(stderr, "udfcdio_list: %s: read error after %llu of %llu bytes\n", path,
				(unsigned long long)(size - left), (unsigned long long)size);
			errors++;
			entry(path, "file", -1, NULL);
			return;
		}
		size_t got = (uint64_t)n < left ? (size_t)n : (size_t)left;
		dm_sha256_update(&h, buf, got);
		left -= got;
	}
	uint8_t d[DM_SHA256_LEN];
	char hex[2 * DM_SHA256_LEN + 1];
	dm_sha256_final(&h, d);
	dm_sha256_hex(d, hex);
	entry(path, "file", (long long)size, hex);
}

/* d is a directory's first entry (from udf_get_root or udf_opendir); udf_readdir moves it
 * along its FIDs and frees it at the end. */
static void walk(udf_dirent_t *d, const char *path)
{
	while (udf_readdir(d)) {
		const char *name = udf_get_filename(d);
		if (!name || !*name || !strcmp(name, ".") || !strcmp(name, ".."))
			continue; /* the parent's FID has an empty name */
		size_t len = strlen(path) + strlen(name) + 2;
		char *child = malloc(len);
		if (!child)
			exit(2);
		snprintf(child, len, "%s%s%s", path, *path ? "/" : "", name);
		mode_t mode = udf_get_posix_filemode(d);
		if (udf_is_dir(d)) {
			entry(child, "dir", -1, NULL);
			udf_dirent_t *sub = udf_opendir(d);
			if (sub)
				walk(sub, child); /* an empty directory gives NULL */
		} else if (S_ISREG(mode)) {
			read_file(d, child);
		} else {
			entry(child, "other", -1, NULL);
		}
		free(child);
	}
}

int main(int argc, char **argv)
{
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
	out = fopen(argv[2], "w");
	if (!out)
		return 2;
	char volid[256] = "";
	udf_get_volume_id(udf, volid, sizeof(volid));
	fprintf(out, "{\"reader\": \"libudf (libcdio)\", \"volume_id\": ");
	json_str(volid);
	fprintf(out, ", \"entries\": [");
	walk(root, "");
	fprintf(out, "\n]}\n");
	fclose(out);
	udf_close(udf);
	return errors ? 1 : 0;
}
