/* udfread_list IMAGE OUT.json: list and read every file of a UDF image through libudfread
 * (an independent reader: VLC's and Kodi's) and write a manifest for
 * tests/integration/compare_tree.py: each entry's path, type (dir, file, or other for what
 * libudfread cannot show), and for files the size and SHA-256 of the bytes read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <udfread/udfread.h>

#include "common/dm_sha256.h"

static FILE *out;
static int first = 1, errors;

static void json_str(const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
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

/* Files and directories are opened by name inside their directory, not by path: libudfread
 * splits paths at '\\' too, so names holding one would not be found. */
static void read_file(UDFDIR *dir, const char *name, const char *path)
{
	UDFFILE *f = udfread_file_openat(dir, name);
	if (!f) {
		fprintf(stderr, "udfread_list: cannot open %s\n", path);
		errors++;
		entry(path + 1, "file", -1, NULL);
		return;
	}
	int64_t size = udfread_file_size(f);
	dm_sha256 h;
	dm_sha256_init(&h);
	static char buf[1 << 20];
	int64_t total = 0;
	for (;;) {
		ssize_t n = udfread_file_read(f, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "udfread_list: read error in %s\n", path);
			errors++;
			break;
		}
		if (n == 0)
			break;
		dm_sha256_update(&h, buf, (size_t)n);
		total += n;
	}
	udfread_file_close(f);
	uint8_t d[DM_SHA256_LEN];
	char hex[2 * DM_SHA256_LEN + 1];
	dm_sha256_final(&h, d);
	dm_sha256_hex(d, hex);
	if (total != size) {
		fprintf(stderr, "udfread_list: %s: read %lld bytes of %lld\n", path, (long long)total,
			(long long)size);
		errors++;
	}
	entry(path + 1, "file", size, hex);
}

static void walk(UDFDIR *d, const char *path)
{
	if (!d) {
		fprintf(stderr, "udfread_list: cannot open directory %s\n", path);
		errors++;
		return;
	}
	struct udfread_dirent ent;
	while (udfread_readdir(d, &ent)) {
		if (!strcmp(ent.d_name, ".") || !strcmp(ent.d_name, ".."))
			continue;
		size_t len = strlen(path) + strlen(ent.d_name) + 2;
		char *child = malloc(len);
		if (!child)
			exit(2);
		snprintf(child, len, "%s%s%s", path, strcmp(path, "/") ? "/" : "", ent.d_name);
		if (ent.d_type == UDF_DT_DIR) {
			entry(child + 1, "dir", -1, NULL);
			UDFDIR *sub = udfread_opendir_at(d, ent.d_name);
			if (!sub) {
				fprintf(stderr, "udfread_list: cannot open directory %s\n", child);
				errors++;
			} else {
				walk(sub, child);
				udfread_closedir(sub);
			}
		} else if (ent.d_type == UDF_DT_REG) {
			read_file(d, ent.d_name, child);
		} else {
			entry(child + 1, "other", -1, NULL);
		}
		free(child);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: udfread_list IMAGE OUT.json\n");
		return 2;
	}
	udfread *udf = udfread_init();
	if (!udf || udfread_open(udf, argv[1]) < 0) {
		fprintf(stderr, "udfread_list: libudfread cannot open %s as UDF\n", argv[1]);
		return 1;
	}
	out = fopen(argv[2], "w");
	if (!out)
		return 2;
	fprintf(out, "{\"reader\": \"libudfread\", \"volume_id\": ");
	json_str(udfread_get_volume_id(udf) ? udfread_get_volume_id(udf) : "");
	fprintf(out, ", \"entries\": [");
	UDFDIR *root = udfread_opendir(udf, "/");
	if (!root) {
		fprintf(stderr, "udfread_list: cannot open the root directory\n");
		return 1;
	}
	walk(root, "/");
	udfread_closedir(root);
	fprintf(out, "\n]}\n");
	fclose(out);
	udfread_close(udf);
	return errors ? 1 : 0;
}
