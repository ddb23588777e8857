/* The walk of tests/udf_list.h. */
#include "tests/udf_list.h"

#include <stdlib.h>
#include <string.h>

#include "common/dm_sha256.h"
#include "common/dm_utf8.h"

typedef struct walker {
	const ul_reader *r;
	FILE *out;
	int first, errors;
} walker;

/* A JSON string; with latin1, bytes that are not UTF-8 become the Latin-1 characters they
 * are. */
static void json_str(walker *w, const char *s)
{
	size_t len = strlen(s), pos = 0;
	fputc('"', w->out);
	while (pos < len) {
		size_t at = pos;
		unsigned char c = (unsigned char)s[at];
		if (!w->r->latin1) {
			pos++;
			if (c == '"' || c == '\\')
				fprintf(w->out, "\\%c", c);
			else if (c < 0x20)
				fprintf(w->out, "\\u%04x", c);
			else
				fputc(c, w->out);
			continue;
		}
		uint32_t cp = dm_utf8_next(s, len, &pos);
		if (cp == DM_UTF8_INVALID) {
			pos = at + 1;
			fprintf(w->out, "\\u%04x", c);
		} else if (c == '"' || c == '\\') {
			fprintf(w->out, "\\%c", c);
		} else if (c < 0x20) {
			fprintf(w->out, "\\u%04x", c);
		} else {
			fwrite(s + at, 1, pos - at, w->out);
		}
	}
	fputc('"', w->out);
}

static void entry(walker *w, const char *path, const char *type, long long size, const char *sha)
{
	fputs(w->first ? "\n  " : ",\n  ", w->out);
	w->first = 0;
	fputs("{\"path\": ", w->out);
	json_str(w, path);
	fprintf(w->out, ", \"type\": \"%s\"", type);
	if (size >= 0)
		fprintf(w->out, ", \"size\": %lld", size);
	if (sha)
		fprintf(w->out, ", \"sha256\": \"%s\"", sha);
	fputc('}', w->out);
}

static void read_file(walker *w, void *dir, const char *name, const char *path)
{
	int64_t size = 0;
	void *f = w->r->open_file(dir, name, &size);
	if (!f) {
		fprintf(stderr, "%s: cannot open %s\n", w->r->prog, path);
		w->errors++;
		entry(w, path, "file", -1, NULL);
		return;
	}
	dm_sha256 h;
	dm_sha256_init(&h);
	static uint8_t buf[1 << 20];
	int64_t total = 0;
	ssize_t n;
	while ((n = w->r->read(f, buf, sizeof(buf))) > 0) {
		dm_sha256_update(&h, buf, (size_t)n);
		total += n;
	}
	w->r->close_file(f);
	if (n < 0) {
		fprintf(stderr, "%s: %s: read error after %lld of %lld bytes\n", w->r->prog, path,
			(long long)total, (long long)size);
		w->errors++;
		entry(w, path, "file", -1, NULL);
		return;
	}
	uint8_t d[DM_SHA256_LEN];
	char hex[2 * DM_SHA256_LEN + 1];
	dm_sha256_final(&h, d);
	dm_sha256_hex(d, hex);
	if (total != size) {
		fprintf(stderr, "%s: %s: read %lld bytes of %lld\n", w->r->prog, path, (long long)total,
			(long long)size);
		w->errors++;
	}
	entry(w, path, "file", (long long)size, hex);
}

/* path: the directory's, relative to the root ("" for the root). */
static void walk(walker *w, void *dir, const char *path)
{
	const char *name;
	ul_type type;
	while (w->r->next(dir, &name, &type)) {
		if (!name || !*name || !strcmp(name, ".") || !strcmp(name, ".."))
			continue; /* the parent's FID has an empty name (libudf) */
		size_t len = strlen(path) + strlen(name) + 2;
		char *child = malloc(len);
		if (!child)
			exit(2);
		snprintf(child, len, "%s%s%s", path, *path ? "/" : "", name);
		if (type == UL_DIR) {
			entry(w, child, "dir", -1, NULL);
			void *sub = NULL;
			if (w->r->opendir(dir, name, &sub) < 0) {
				fprintf(stderr, "%s: cannot open directory %s\n", w->r->prog, child);
				w->errors++;
			} else if (sub) {
				walk(w, sub, child);
			}
		} else if (type == UL_FILE) {
			read_file(w, dir, name, child);
		} else {
			entry(w, child, "other", -1, NULL);
		}
		free(child);
	}
	if (w->r->closedir)
		w->r->closedir(dir);
}

int ul_walk(const ul_reader *r, void *root, const char *volume_id, FILE *out)
{
	walker w = {r, out, 1, 0};
	fprintf(out, "{\"reader\": \"%s\", \"volume_id\": ", r->reader);
	json_str(&w, volume_id);
	fprintf(out, ", \"entries\": [");
	walk(&w, root, "");
	fprintf(out, "\n]}\n");
	if (fclose(out) != 0) {
		fprintf(stderr, "%s: cannot write the manifest\n", r->prog);
		w.errors++;
	}
	return w.errors;
}
