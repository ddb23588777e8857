/* The manifest of an image tree (mkimage --print-manifest): every item with its attributes,
 * files with their absolute source path and SHA-256, hard links as <hardlink to="ID">, and
 * the settings, so that mkimage -m rebuilds the same image byte for byte (under the same
 * SOURCE_DATE_EPOCH). Names, targets and paths that XML cannot carry as text (not UTF-8,
 * control characters) are written as hex bytes (name-hex, target-hex, src-hex). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_sha256.h"
#include "common/dm_utf8.h"
#include "mkimage/source/data_source.h"
#include "mkimage/source/manifest.h"

/* Whether bytes can be an XML attribute value as text (escaped). */
static int xml_safe(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		uint32_t cp = dm_utf8_next(s, len, &pos);
		if (cp == DM_UTF8_INVALID || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	}
	return 1;
}

static void put_escaped(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\t': fputs("&#9;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\r': fputs("&#13;", f); break;
		default: fputc(s[i], f); break;
		}
	}
}

/* name="..." or name-hex="...". */
static void put_bytes_attr(FILE *f, const char *attr, const char *s, size_t len)
{
	if (xml_safe(s, len)) {
		fprintf(f, " %s=\"", attr);
		put_escaped(f, s, len);
		fputc('"', f);
		return;
	}
	fprintf(f, " %s-hex=\"", attr);
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", (uint8_t)s[i]);
	fputc('"', f);
}

static void put_str_attr(FILE *f, const char *attr, const char *s)
{
	if (s)
		put_bytes_attr(f, attr, s, strlen(s));
}

static void indent(FILE *f, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", f);
}

static void put_attrs(FILE *f, const mk_node *n)
{
	char t[40];
	fprintf(f, " mode=\"%04o\" uid=\"%u\" gid=\"%u\"", n->mode & 07777, n->uid, n->gid);
	mk_manifest_format_time(n->mtime, t, sizeof(t));
	fprintf(f, " mtime=\"%s\"", t);
	if (n->atime != n->mtime) {
		mk_manifest_format_time(n->atime, t, sizeof(t));
		fprintf(f, " atime=\"%s\"", t);
	}
	if (n->ctime != n->mtime) {
		mk_manifest_format_time(n->ctime, t, sizeof(t));
		fprintf(f, " ctime=\"%s\"", t);
	}
	if (n->flags & MK_HIDDEN)
		fputs(" hidden=\"true\"", f);
	/* The filesystems showing the item, when not all do: a boot image from disk is hidden
	 * from UDF (boot.c), a manifest item may name any of them. */
	if (n->flags & (MK_NOT_ISO | MK_NOT_JOLIET | MK_NOT_UDF)) {
		static const struct {
			uint8_t off;
			const char *names;
		} fs[] = {{MK_NOT_ISO, "iso9660 rockridge"}, {MK_NOT_JOLIET, "joliet"}, {MK_NOT_UDF, "udf"}};
		const char *sep = "";
		fputs(" fs=\"", f);
		for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
			if (!(n->flags & fs[i].off)) {
				fprintf(f, "%s%s", sep, fs[i].names);
				sep = " ";
			}
		fputc('"', f);
	}
}

typedef struct printer {
	FILE *f;
	mk_tree *t;
	mk_reader *rd;
	dm_ctx *ctx;
	char *path;
} printer;

/* The absolute source path of a file. */
static dm_status abs_src(printer *p, const mk_node *n, char *out, size_t cap)
{
	if (!mk_node_src_path(n, p->path, 8192))
		return dm_fail(p->ctx, DM_ERR_INVALID, "source path of %s is too long", n->name);
	if (p->path[0] == '/') {
		snprintf(out, cap, "%s", p->path);
		return DM_OK;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return dm_fail_errno(p->ctx, DM_ERR_IO, errno, "cannot get the current directory");
	if ((size_t)snprintf(out, cap, "%s/%s", strcmp(cwd, "/") ? cwd : "", p->path) >= cap)
		return dm_fail(p->ctx, DM_ERR_INVALID, "source path of %s is too long", n->name);
	return DM_OK;
}

static dm_status put_node(printer *p, const mk_node *n, unsigned depth)
{
	FILE *f = p->f;
	indent(f, depth);
	switch (n->type) {
	case MK_DIR:
		fputs("<dir", f);
		put_bytes_attr(f, "name", n->name, n->name_len);
		put_attrs(f, n);
		if (!n->child) {
			fputs("/>\n", f);
			return DM_OK;
		}
		fputs(">\n", f);
		for (const mk_node *c = n->child; c; c = c->next) {
			dm_status r = put_node(p, c, depth + 1);
			if (r)
				return r;
		}
		indent(f, depth);
		fputs("</dir>\n", f);
		return DM_OK;
	case MK_FILE: {
		mk_data *d = n->data;
		/* The first link in document order is the <file>; lba marks it printed (no image
		 * is planned while a manifest is printed). */
		if (d->lba) {
			fputs("<hardlink", f);
			put_bytes_attr(f, "name", n->name, n->name_len);
			fprintf(f, " to=\"f%u\"", d->serial);
			put_attrs(f, n);
			fputs("/>\n", f);
			return DM_OK;
		}
		d->lba = 1;
		fputs("<file", f);
		put_bytes_attr(f, "name", n->name, n->name_len);
		if (d->nlink > 1)
			fprintf(f, " id=\"f%u\"", d->serial);
		const mk_dsrc *ds = mk_tree_dsrc(p->t, d);
		uint8_t sum[DM_SHA256_LEN];
		char hex[65];
		dm_status r = mk_reader_sha256(p->rd, d, sum, p->ctx);
		if (r)
			return r;
		dm_sha256_hex(sum, hex);
		if (ds && ds->kind == MK_DSRC_INLINE) {
			fprintf(f, " sha256=\"%s\"", hex);
			put_attrs(f, n);
			fputs(" encoding=\"base64\">", f);
			static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
			for (uint64_t i = 0; i < d->size; i += 3) {
				uint32_t v = (uint32_t)ds->bytes[i] << 16;
				if (i + 1 < d->size)
					v |= (uint32_t)ds->bytes[i + 1] << 8;
				if (i + 2 < d->size)
					v |= ds->bytes[i + 2];
				fputc(b64[v >> 18 & 63], f);
				fputc(b64[v >> 12 & 63], f);
				fputc(i + 1 < d->size ? b64[v >> 6 & 63] : '=', f);
				fputc(i + 2 < d->size ? b64[v & 63] : '=', f);
			}
			fputs("</file>\n", f);
			return DM_OK;
		}
		if (ds && ds->kind == MK_DSRC_MEMBER) {
			/* Archive members have no path of their own: their content goes inline. */
			return dm_fail(p->ctx, DM_ERR_UNSUPPORTED,
				       "--print-manifest of archive members is not supported: add the archive "
				       "with an <archive> item");
		}
		char src[8192];
		if ((r = abs_src(p, d->node, src, sizeof(src))))
			return r;
		put_str_attr(f, "src", src);
		fprintf(f, " sha256=\"%s\"", hex);
		if (ds && ds->weight)
			fprintf(f, " weight=\"%d\"", ds->weight);
		put_attrs(f, n);
		fputs("/>\n", f);
		return DM_OK;
	}
	case MK_SYMLINK:
		fputs("<symlink", f);
		put_bytes_attr(f, "name", n->name, n->name_len);
		put_str_attr(f, "target", n->target);
		put_attrs(f, n);
		fputs("/>\n", f);
		return DM_OK;
	default: {
		static const char *const types[] = {[MK_BLKDEV] = "block", [MK_CHRDEV] = "char",
						    [MK_FIFO] = "fifo", [MK_SOCKET] = "socket"};
		fputs("<special", f);
		put_bytes_attr(f, "name", n->name, n->name_len);
		fprintf(f, " type=\"%s\"", types[n->type]);
		if (n->type == MK_BLKDEV || n->type == MK_CHRDEV) {
			/* glibc's dev_t layout (gnu_dev_major / gnu_dev_minor). */
			unsigned major = (unsigned)(((n->rdev >> 32) & 0xfffff000u) | ((n->rdev >> 8) & 0xfffu));
			unsigned minor = (unsigned)(((n->rdev >> 12) & 0xffffff00u) | (n->rdev & 0xffu));
			fprintf(f, " major=\"%u\" minor=\"%u\"", major, minor);
		}
		put_attrs(f, n);
		fputs("/>\n", f);
		return DM_OK;
	}
	}
}

/* Serial numbers give hard-linked files their ids: number them in tree order. */
static void number_data(mk_tree *t)
{
	uint32_t serial = 1;
	mk_node *n = mk_tree_root(t);
	for (mk_node *m = n; m;) {
		if (m->type == MK_FILE)
			m->data->serial = m->data->lba = 0;
		m = mk_tree_next(m);
	}
	while (n) {
		if (n->type == MK_FILE && !n->data->serial)
			n->data->serial = serial++;
		n = mk_tree_next(n);
	}
}

void mk_manifest_put_attr(FILE *f, const char *name, const char *s)
{
	put_str_attr(f, name, s);
}

void mk_manifest_put_text(FILE *f, const char *s, size_t len)
{
	put_escaped(f, s, len);
}

dm_status mk_manifest_print(FILE *f, mk_tree *t, void (*settings)(FILE *out, const void *user),
			    const void *user, dm_ctx *ctx)
{
	printer p = {f, t, mk_reader_new(t), ctx, malloc(8192)};
	if (!p.rd || !p.path) {
		mk_reader_free(p.rd);
		free(p.path);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	number_data(t);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<!-- written by mkimage (print-manifest); see mkimage-manifest(5) -->\n", f);
	settings(f, user);
	const mk_node *root = mk_tree_root(t);
	fputs("  <root", f);
	put_attrs(f, root);
	fputs(root->child ? ">\n" : "/>\n", f);
	dm_status r = DM_OK;
	for (const mk_node *c = root->child; c && !r; c = c->next)
		r = put_node(&p, c, 2);
	if (root->child)
		fputs("  </root>\n", f);
	fputs("</image>\n", f);
	mk_reader_free(p.rd);
	free(p.path);
	if (!r && (fflush(f) || ferror(f)))
		r = dm_fail(ctx, DM_ERR_IO, "cannot write the manifest");
	return r;
}
