#include "mkimage/source/manifest.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define MAX_DIAGS 100

const char *mk_manifest_schema_path(void)
{
	const char *env = getenv("DISCMASTER_SCHEMA");
	return env && *env ? env : NULL;
}

void mk_diags_free(mk_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	d->lines = NULL;
	d->n = 0;
}

/* ---- problems -------------------------------------------------------------------------- */

typedef struct loader {
	const char *name;        /* the manifest, as named in messages */
	const char *base;        /* real path of its directory, or NULL: no source checks */
	mk_diags *diags;
	mk_manifest *m;
	size_t nerr;
	struct idref {
		const char *id;
		int line;
		size_t pos;      /* document order */
	} *ids;
	size_t nids, capids;
} loader;

static void add_diag(loader *l, int line, const char *fmt, ...) DM_PRINTF(3, 4);
static void add_diag(loader *l, int line, const char *fmt, ...)
{
	l->nerr++;
	if (l->diags->n >= MAX_DIAGS)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	char **lines = realloc(l->diags->lines, (l->diags->n + 1) * sizeof(*lines));
	if (!lines)
		return;
	l->diags->lines = lines;
	size_t cap = strlen(l->name) + len + 32;
	char *s = malloc(cap);
	if (!s)
		return;
	snprintf(s, cap, "%s:%d: %s", l->name, line, msg);
	lines[l->diags->n++] = s;
}

static int line_of(xmlNodePtr n);

/* libxml2's parser and validator errors. */
static void xml_error(void *user, xmlErrorPtr e)
{
	loader *l = user;
	if (!e || e->level == XML_ERR_WARNING)
		return;
	int line = e->line;
	xmlNodePtr node = e->node;
	if ((line <= 0 || line >= 65535) && node && node->type == XML_ELEMENT_NODE)
		line = line_of(node); /* the validator's line comes from the node */
	add_diag(l, line > 0 ? line : 0, "%s", e->message ? e->message : "XML error");
}

/* ---- attribute helpers ----------------------------------------------------------------- */

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* An attribute of one of the schema's token types (booleans, numbers, NCName ids, the
 * enumerations): XML Schema takes such values with the whitespace around them collapsed
 * (XML Schema part 2, 4.3.6 whiteSpace), so " true " validates and must mean true. The
 * value is trimmed in place: it is still freed with xmlFree(). */
static char *trim(char *v)
{
	if (!v)
		return NULL;
	size_t b = strspn(v, " \t\r\n"), e = strlen(v);
	while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == '\r' || v[e - 1] == '\n'))
		e--;
	memmove(v, v + b, e - b);
	v[e - b] = '\0';
	return v;
}

static char *tprop(xmlNodePtr n, const char *name)
{
	return trim(prop(n, name));
}

static int is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* An element's line. Past line 65535 libxml2 keeps none in element nodes (XML_PARSE_BIG_LINES
 * stores big lines in text nodes only, in psvi) and xmlGetLineNo() guesses from the
 * children or the next sibling, one line late for an empty element followed by a newline.
 * The text before an element was taken when the parser met the element's '<': its line is
 * the element's. */
static int line_of(xmlNodePtr n)
{
	if (n->type == XML_ELEMENT_NODE && n->line == 65535 && n->prev && n->prev->type == XML_TEXT_NODE &&
	    n->prev->psvi)
		return (int)(ptrdiff_t)n->prev->psvi;
	return (int)xmlGetLineNo(n);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into a new NUL-terminated buffer; -1 when not even-length hex. */
static long unhex(const char *s, char **out)
{
	size_t n = strlen(s);
	if (n % 2)
		return -1;
	char *b = malloc(n / 2 + 1);
	if (!b)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return -1;
		}
		b[i / 2] = (char)(hi << 4 | lo);
	}
	b[n / 2] = '\0';
	*out = b;
	return (long)(n / 2);
}

/* An attribute given plainly (name) or as hex bytes (name-hex): *out and *len, or 0 when
 * neither is given; -1 after reporting a problem. */
static int bytes_attr(loader *l, xmlNodePtr n, const char *name, char **out, size_t *len)
{
	char hexname[64];
	snprintf(hexname, sizeof(hexname), "%s-hex", name);
	char *v = prop(n, name), *h = prop(n, hexname);
	int r = 0;
	if (v && h) {
		add_diag(l, line_of(n), "give %s or %s, not both", name, hexname);
		r = -1;
	} else if (v) {
		*out = strdup(v);
		*len = strlen(v);
		r = *out ? 1 : -1;
	} else if (h) {
		long k = unhex(h, out);
		if (k < 0) {
			add_diag(l, line_of(n), "%s '%s' is not hexadecimal bytes", hexname, h);
			r = -1;
		} else {
			*len = (size_t)k;
			r = 1;
		}
	}
	xmlFree(v);
	xmlFree(h);
	return r;
}

static int parse_u32(const char *s, int base, uint32_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, base);
	if (errno || end == s || *end || x > 0xFFFFFFFFull || s[0] == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int mk_manifest_parse_time(const char *s, int64_t *t)
{
	if (!s || !*s)
		return -1;
	if (strchr(s, 'T')) {
		int y, mo, d, h, mi, se;
		char z;
		int n = 0;
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi, &se, &z, &n) != 7 || z != 'Z' ||
		    s[n] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
			return -1;
		*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*t = v;
	return 0;
}

void mk_manifest_format_time(int64_t t, char *buf, size_t cap)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days */
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ---- sources --------------------------------------------------------------------------- */

/* Resolve an item's source: relative to the manifest's directory, and then inside it
 * (after '..' and symlinks are resolved); absolute paths are taken as given, as on the
 * command line. Returns a new string, or NULL after reporting. */
static char *resolve_src(loader *l, int line, const char *src, size_t len, const char *what)
{
	if (len == 0 || memchr(src, '\0', len)) {
		add_diag(l, line, "%s source is empty or holds a NUL byte", what);
		return NULL;
	}
	char *path;
	if (src[0] == '/' || !l->base) {
		path = strdup(src);
	} else {
		size_t bl = strlen(l->base);
		path = malloc(bl + 1 + len + 1);
		if (path) {
			memcpy(path, l->base, bl);
			path[bl] = '/';
			memcpy(path + bl + 1, src, len + 1);
		}
	}
	if (!path || !l->base)
		return path;
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		add_diag(l, line, "%s source '%s' (%s): %s", what, src, path, strerror(errno));
		free(path);
		return NULL;
	}
	if (src[0] != '/') {
		size_t bl = strlen(l->base);
		int inside = !strcmp(l->base, "/") ||
			     (!strncmp(real, l->base, bl) && (real[bl] == '/' || real[bl] == '\0'));
		if (!inside) {
			add_diag(l, line,
				 "%s source '%s' resolves to %s, outside the manifest's directory %s (name it "
				 "with an absolute path to mean it)",
				 what, src, real, l->base);
			free(path);
			return NULL;
		}
	}
	return path;
}

/* ---- items ----------------------------------------------------------------------------- */

static void free_item(mk_mitem *it)
{
	while (it) {
		mk_mitem *next = it->next;
		free_item(it->child);
		free(it->name);
		free(it->src);
		free(it->target);
		free(it->id);
		free(it->to);
		free(it->bytes);
		for (size_t i = 0; i < it->ninclude; i++)
			free(it->include[i]);
		for (size_t i = 0; i < it->nexclude; i++)
			free(it->exclude[i]);
		free(it->include);
		free(it->exclude);
		free(it);
		it = next;
	}
}

void mk_manifest_free(mk_manifest *m)
{
	if (!m)
		return;
	free_item(m->root);
	free(m->path);
	free(m->base);
	for (size_t i = 0; i < m->nsets; i++) {
		free(m->sets[i].node);
		free(m->sets[i].attr);
		free(m->sets[i].value);
	}
	free(m->sets);
	free(m);
}

static int check_name(loader *l, int line, const char *name, size_t len)
{
	if (len == 0) {
		add_diag(l, line, "an empty name");
		return -1;
	}
	if (memchr(name, '\0', len)) {
		add_diag(l, line, "the name holds a NUL byte");
		return -1;
	}
	if (memchr(name, '/', len)) {
		add_diag(l, line, "the name '%s' holds a '/' (make a <dir> for each level)", name);
		return -1;
	}
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
		add_diag(l, line, "'%s' cannot be a name", name);
		return -1;
	}
	if (len > 255) {
		add_diag(l, line, "the name is %zu bytes long; at most 255 fit", len);
		return -1;
	}
	return 0;
}

/* fs="iso9660 joliet ..." into MK_NOT_* flags (the ones it does not list). */
static int fs_flags(loader *l, xmlNodePtr n, uint8_t *flags)
{
	char *v = prop(n, "fs");
	if (!v)
		return 0;
	int iso = 0, joliet = 0, udf = 0;
	for (char *save = NULL, *tok = strtok_r(v, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!strcmp(tok, "iso9660") || !strcmp(tok, "rockridge"))
			iso = 1; /* Rock Ridge is carried by the primary hierarchy's records */
		else if (!strcmp(tok, "joliet"))
			joliet = 1;
		else if (!strcmp(tok, "udf"))
			udf = 1;
		else {
			add_diag(l, line_of(n), "fs: unknown filesystem '%s'", tok);
			xmlFree(v);
			return -1;
		}
	}
	xmlFree(v);
	if (!iso)
		*flags |= MK_NOT_ISO;
	if (!joliet)
		*flags |= MK_NOT_JOLIET;
	if (!udf)
		*flags |= MK_NOT_UDF;
	return 0;
}

static int bool_attr(xmlNodePtr n, const char *name)
{
	char *v = tprop(n, name);
	int r = v && (!strcmp(v, "true") || !strcmp(v, "1"));
	xmlFree(v);
	return r;
}

static int common_attrs(loader *l, xmlNodePtr n, mk_mitem *it)
{
	static const struct {
		const char *name;
		unsigned bit;
	} nums[] = {{"mode", MK_MA_MODE}, {"uid", MK_MA_UID}, {"gid", MK_MA_GID}};
	int bad = 0;
	for (size_t i = 0; i < 3; i++) {
		char *v = tprop(n, nums[i].name);
		if (!v)
			continue;
		uint32_t x;
		if (parse_u32(v, i == 0 ? 8 : 10, &x) < 0 || (i == 0 && x > 07777)) {
			add_diag(l, line_of(n), "%s '%s' is not %s", nums[i].name, v,
				 i == 0 ? "an octal mode of at most 7777" : "a number");
			bad = 1;
		} else {
			it->set |= nums[i].bit;
			if (i == 0)
				it->mode = x;
			else if (i == 1)
				it->uid = x;
			else
				it->gid = x;
		}
		xmlFree(v);
	}
	static const struct {
		const char *name;
		unsigned bit;
	} times[] = {{"mtime", MK_MA_MTIME}, {"atime", MK_MA_ATIME}, {"ctime", MK_MA_CTIME}};
	for (size_t i = 0; i < 3; i++) {
		char *v = prop(n, times[i].name);
		if (!v)
			continue;
		int64_t t;
		if (mk_manifest_parse_time(v, &t) < 0) {
			add_diag(l, line_of(n), "%s '%s' is not seconds since 1970 nor YYYY-MM-DDThh:mm:ssZ",
				 times[i].name, v);
			bad = 1;
		} else {
			it->set |= times[i].bit;
			*(i == 0 ? &it->mtime : i == 1 ? &it->atime : &it->ctime) = t;
		}
		xmlFree(v);
	}
	if (bool_attr(n, "hidden"))
		it->node_flags |= MK_HIDDEN;
	if (fs_flags(l, n, &it->node_flags) < 0)
		bad = 1;
	char *w = tprop(n, "weight");
	if (w) {
		char *end;
		errno = 0;
		long v = strtol(w, &end, 10);
		if (errno || end == w || *end || v < INT32_MIN || v > INT32_MAX) {
			add_diag(l, line_of(n), "weight '%s' is not a 32-bit number", w);
			bad = 1;
		}
		it->weight = (int32_t)v;
		xmlFree(w);
	}
	return bad ? -1 : 0;
}

static int add_pattern(char ***arr, size_t *n, const char *p)
{
	char **a = realloc(*arr, (*n + 1) * sizeof(*a));
	if (!a)
		return -1;
	*arr = a;
	if (!(a[*n] = strdup(p)))
		return -1;
	(*n)++;
	return 0;
}

/* Ids are checked once all are known (check_ids): a sorted list, not a search per id, so
 * that a manifest of many hard links loads in n log n. */
static int remember_id(loader *l, const char *id, int line)
{
	if (l->nids == l->capids) {
		size_t cap = l->capids ? l->capids * 2 : 16;
		struct idref *a = realloc(l->ids, cap * sizeof(*a));
		if (!a)
			return -1;
		l->ids = a;
		l->capids = cap;
	}
	l->ids[l->nids] = (struct idref){id, line, l->nids};
	l->nids++;
	return 0;
}

static int idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static mk_mitem *parse_items(loader *l, xmlNodePtr first);
static const char *item_name(const mk_mitem *it, size_t *len);

static mk_mitem *parse_item(loader *l, xmlNodePtr n)
{
	mk_mitem *it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->line = line_of(n);
	int line = it->line;
	const char *el = (const char *)n->name;
	static const char *const kinds[] = {"dir", "file", "symlink", "hardlink", "special", "tree", "archive"};
	for (uint8_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(el, kinds[k]))
			it->kind = k;
	common_attrs(l, n, it);
	int has_name = bytes_attr(l, n, "name", &it->name, &it->name_len);
	if (has_name > 0)
		check_name(l, line, it->name, it->name_len);
	else if (has_name == 0 && it->kind != MK_M_TREE && it->kind != MK_M_ARCHIVE)
		add_diag(l, line, "<%s> needs a name", el);

	char *src = NULL;
	size_t src_len = 0;
	int has_src = bytes_attr(l, n, "src", &src, &src_len);
	if (has_src > 0)
		it->src = resolve_src(l, line, src, src_len, el);
	switch (it->kind) {
	case MK_M_DIR:
		it->child = parse_items(l, n->children);
		break;
	case MK_M_FILE: {
		char *sha = prop(n, "sha256");
		if (sha) {
			char *raw;
			if (strlen(sha) != 64 || unhex(sha, &raw) != 32) {
				add_diag(l, line, "sha256 '%s' is not 64 hexadecimal digits", sha);
			} else {
				memcpy(it->sha256, raw, 32);
				it->has_sha256 = 1;
				free(raw);
			}
			xmlFree(sha);
		}
		char *id = tprop(n, "id");
		if (id) {
			it->id = strdup(id);
			xmlFree(id);
			if (it->id)
				remember_id(l, it->id, line);
		}
		if (has_src == 0) {
			/* Inline content: the element's text, or base64 with encoding="base64". */
			xmlChar *text = xmlNodeGetContent(n);
			char *enc = tprop(n, "encoding");
			it->inline_content = 1;
			if (enc && !strcmp(enc, "base64")) {
				static const char b64[] =
					"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
				size_t tl = text ? strlen((char *)text) : 0;
				it->bytes = malloc(tl / 4 * 3 + 3);
				uint32_t acc = 0;
				int bits = 0, bad = 0;
				for (size_t i = 0; i < tl && it->bytes; i++) {
					int c = text[i];
					if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
						continue;
					if (c == '=')
						break;
					const char *p = c ? strchr(b64, c) : NULL;
					if (!p) {
						bad = 1;
						break;
					}
					acc = acc << 6 | (uint32_t)(p - b64);
					bits += 6;
					if (bits >= 8) {
						bits -= 8;
						it->bytes[it->nbytes++] = (uint8_t)(acc >> bits);
					}
				}
				if (bad)
					add_diag(l, line, "the content is not base64");
			} else {
				it->nbytes = text ? strlen((char *)text) : 0;
				it->bytes = malloc(it->nbytes + 1);
				if (it->bytes && it->nbytes)
					memcpy(it->bytes, text, it->nbytes);
			}
			xmlFree(enc);
			xmlFree(text);
		}
		break;
	}
	case MK_M_SYMLINK:
		if (bytes_attr(l, n, "target", &it->target, &it->target_len) == 0)
			add_diag(l, line, "<symlink> needs a target");
		else if (it->target && memchr(it->target, '\0', it->target_len))
			add_diag(l, line, "the symlink target holds a NUL byte");
		else if (it->target && it->target_len > 4096)
			add_diag(l, line, "the symlink target is longer than 4096 bytes");
		break;
	case MK_M_HARDLINK: {
		char *to = tprop(n, "to");
		if (to)
			it->to = strdup(to);
		xmlFree(to);
		break;
	}
	case MK_M_SPECIAL: {
		char *type = tprop(n, "type");
		it->special = !type ? MK_FIFO : !strcmp(type, "socket") ? MK_SOCKET
			      : !strcmp(type, "char") ? MK_CHRDEV : !strcmp(type, "block") ? MK_BLKDEV : MK_FIFO;
		xmlFree(type);
		char *ma = tprop(n, "major"), *mi = tprop(n, "minor");
		uint32_t major = 0, minor = 0;
		if ((ma && parse_u32(ma, 10, &major)) || (mi && parse_u32(mi, 10, &minor)))
			add_diag(l, line, "major and minor must be numbers");
		/* glibc's makedev layout, which is what lstat() gives directory sources. */
		it->rdev = ((uint64_t)(major & 0xfffff000u) << 32) | ((uint64_t)(major & 0xfffu) << 8) |
			   ((uint64_t)(minor & 0xffffff00u) << 12) | (minor & 0xffu);
		xmlFree(ma);
		xmlFree(mi);
		break;
	}
	case MK_M_TREE:
		it->base = (uint8_t)bool_attr(n, "base");
		if (!it->base && has_name > 0)
			add_diag(l, line, "a <tree> without base=\"true\" adds the contents only: it takes no name");
		for (xmlNodePtr c = n->children; c; c = c->next) {
			if (!is(c, "include") && !is(c, "exclude"))
				continue;
			char *p = prop(c, "pattern");
			if (p && (is(c, "include") ? add_pattern(&it->include, &it->ninclude, p)
						   : add_pattern(&it->exclude, &it->nexclude, p)) < 0)
				add_diag(l, line_of(c), "out of memory");
			xmlFree(p);
		}
		break;
	default:
		break;
	}
	if ((it->kind == MK_M_TREE || it->kind == MK_M_ARCHIVE) && has_src == 0)
		add_diag(l, line, "<%s> needs a src", el);
	if (it->kind == MK_M_TREE && it->base && has_name == 0 && it->src) {
		/* Named as its source's last component, which must be a name too. */
		size_t len;
		const char *name = item_name(it, &len);
		if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
			add_diag(l, line,
				 "<tree src=\"%s\" base=\"true\"> would make a directory named '%.*s' (the source's "
				 "last component): give it a name",
				 src, (int)len, name);
	}
	if (has_src > 0 && !it->src)
		; /* already reported */
	else if (it->src && l->base) {
		struct stat st;
		if (stat(it->src, &st) < 0)
			add_diag(l, line, "%s source %s: %s", el, it->src, strerror(errno));
		else if (it->kind == MK_M_TREE && !S_ISDIR(st.st_mode))
			add_diag(l, line, "tree source %s is not a directory", it->src);
		else if ((it->kind == MK_M_FILE || it->kind == MK_M_ARCHIVE) && !S_ISREG(st.st_mode))
			add_diag(l, line, "%s source %s is not a regular file", el, it->src);
	}
	free(src);
	return it;
}

/* The name an item takes in its directory, for the duplicate check (tree with base: the
 * name or the source's last component; contents-only trees and archives take none). */
static const char *item_name(const mk_mitem *it, size_t *len)
{
	if (it->name) {
		*len = it->name_len;
		return it->name;
	}
	if (it->kind == MK_M_TREE && it->base && it->src) {
		const char *s = it->src + strlen(it->src);
		while (s > it->src && s[-1] == '/')
			s--;
		const char *e = s;
		while (s > it->src && s[-1] != '/')
			s--;
		*len = (size_t)(e - s);
		return s;
	}
	return NULL;
}

/* An item's name, for sorting the names of one directory. */
typedef struct named {
	const char *name;
	size_t len, pos;         /* pos: document order */
	const mk_mitem *it;
} named;

static int named_cmp(const void *a, const void *b)
{
	const named *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->name, y->name, x->len);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Duplicate names in one directory: each later item is reported with the line of the
 * first, in document order. Sorted, not compared pairwise: a directory of many items (as
 * --print-manifest writes them) is checked in n log n. */
static void check_duplicates(loader *l, const mk_mitem *head)
{
	size_t n = 0;
	for (const mk_mitem *it = head; it; it = it->next)
		n++;
	if (n < 2)
		return;
	named *arr = malloc(n * sizeof(*arr));
	const mk_mitem **first = calloc(n, sizeof(*first));
	const named **bypos = malloc(n * sizeof(*bypos));
	if (!arr || !first || !bypos) {
		add_diag(l, head->line, "out of memory checking names");
		goto out;
	}
	size_t k = 0;
	for (const mk_mitem *it = head; it; it = it->next) {
		size_t len;
		const char *name = item_name(it, &len);
		if (name) {
			arr[k] = (named){name, len, k, it};
			k++;
		}
	}
	qsort(arr, k, sizeof(*arr), named_cmp);
	for (size_t i = 0, g = 0; i < k; i++) {
		if (arr[g].len != arr[i].len || memcmp(arr[g].name, arr[i].name, arr[i].len))
			g = i; /* a new name */
		else if (i != g)
			first[arr[i].pos] = arr[g].it;
		bypos[arr[i].pos] = &arr[i];
	}
	for (size_t p = 0; p < k; p++) {
		const named *b = bypos[p];
		if (first[p])
			add_diag(l, b->it->line, "the name '%.*s' is given twice in one directory (lines %d and %d)",
				 (int)b->len, b->name, first[p]->line, b->it->line);
	}
out:
	free(arr);
	free(first);
	free(bypos);
}

static mk_mitem *parse_items(loader *l, xmlNodePtr first)
{
	mk_mitem *head = NULL, **tail = &head;
	for (xmlNodePtr n = first; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || is(n, "include") || is(n, "exclude"))
			continue;
		mk_mitem *it = parse_item(l, n);
		if (!it) {
			add_diag(l, line_of(n), "out of memory");
			break;
		}
		*tail = it;
		tail = &it->next;
	}
	check_duplicates(l, head);
	return head;
}

/* Ids given twice (sorts l->ids: check_links searches them). */
static void check_ids(loader *l)
{
	if (l->nids < 2)
		return;
	const struct idref **first = calloc(l->nids, sizeof(*first));
	const struct idref **bypos = malloc(l->nids * sizeof(*bypos));
	if (!first || !bypos) {
		add_diag(l, l->ids[0].line, "out of memory checking ids");
	} else {
		qsort(l->ids, l->nids, sizeof(*l->ids), idref_cmp);
		for (size_t i = 0, g = 0; i < l->nids; i++) {
			if (strcmp(l->ids[g].id, l->ids[i].id))
				g = i;
			else if (i != g)
				first[l->ids[i].pos] = &l->ids[g];
			bypos[l->ids[i].pos] = &l->ids[i];
		}
		for (size_t p = 0; p < l->nids; p++)
			if (first[p])
				add_diag(l, bypos[p]->line, "id '%s' is given twice (first at line %d)", bypos[p]->id,
					 first[p]->line);
	}
	free(first);
	free(bypos);
}

static void check_links(loader *l, const mk_mitem *it)
{
	for (; it; it = it->next) {
		if (it->kind == MK_M_HARDLINK) {
			const char *to = it->to ? it->to : "";
			const struct idref *found = NULL;
			size_t lo = 0, hi = l->nids;
			while (lo < hi && !found) {
				size_t mid = lo + (hi - lo) / 2;
				int c = strcmp(to, l->ids[mid].id);
				if (c == 0)
					found = &l->ids[mid];
				else if (c < 0)
					hi = mid;
				else
					lo = mid + 1;
			}
			if (!found)
				add_diag(l, it->line, "hard link to '%s': no <file> has that id", to);
		}
		check_links(l, it->child);
	}
}

/* ---- settings -------------------------------------------------------------------------- */

/* The settings part is handed up as it is written: every element below <image> but <root>
 * (one level of children, as <boot><bios/></boot>), its attributes and its text. What they
 * mean is the settings table's business (mkimage/settings.c); the schema checked shapes. */
static void add_set(loader *l, const char *node, const char *attr, const char *value, int line,
		    unsigned elem)
{
	mk_manifest *m = l->m;
	if (m->nsets % 16 == 0) {
		mk_mset *n = realloc(m->sets, (m->nsets + 16) * sizeof(*n));
		if (!n) {
			add_diag(l, line, "out of memory");
			return;
		}
		m->sets = n;
	}
	mk_mset *e = &m->sets[m->nsets];
	e->node = strdup(node);
	e->attr = attr ? strdup(attr) : NULL;
	e->value = value ? strdup(value) : NULL;
	e->line = line;
	e->elem = elem;
	if (!e->node || (attr && !e->attr) || (value && !e->value)) {
		free(e->node);
		free(e->attr);
		free(e->value);
		add_diag(l, line, "out of memory");
		return;
	}
	m->nsets++;
}

static void add_element_sets(loader *l, xmlNodePtr n, const char *node, unsigned *elem)
{
	unsigned id = (*elem)++;
	int has_children = 0;
	for (xmlNodePtr c = n->children; c; c = c->next)
		has_children |= c->type == XML_ELEMENT_NODE;
	xmlChar *text = has_children ? NULL : xmlNodeGetContent(n);
	char *t = text ? trim((char *)text) : NULL;
	add_set(l, node, NULL, t && *t ? t : NULL, line_of(n), id);
	xmlFree(text);
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		char *v = prop(n, (const char *)a->name);
		if (v)
			add_set(l, node, (const char *)a->name, v, line_of(n), id);
		xmlFree(v);
	}
	/* Top-level elements' children, and <boot><hybrid>'s (its <partition>s). */
	if (!has_children || (strchr(node, '/') && strcmp(node, "boot/hybrid")))
		return;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", node, (const char *)c->name);
		add_element_sets(l, c, path, elem);
	}
}

static void parse_settings(loader *l, xmlNodePtr img)
{
	unsigned elem = 0;
	char *ep = prop(img, "epoch");
	if (ep)
		add_set(l, "", "epoch", ep, line_of(img), elem++);
	xmlFree(ep);
	for (xmlNodePtr n = img->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n, "root")) {
			mk_mitem *root = calloc(1, sizeof(*root));
			if (!root)
				return;
			root->kind = MK_M_DIR;
			root->line = line_of(n);
			root->name = strdup("");
			common_attrs(l, n, root);
			root->child = parse_items(l, n->children);
			l->m->root = root;
		} else {
			add_element_sets(l, n, (const char *)n->name, &elem);
		}
	}
}

dm_status mk_manifest_resolve_file(const mk_manifest *m, int line, const char *src, const char *what,
				   char **out, dm_ctx *ctx)
{
	mk_diags d = {0};
	loader l = {.name = m->path, .base = m->base, .diags = &d};
	*out = resolve_src(&l, line, src, strlen(src), what);
	dm_status r = DM_OK;
	if (d.n)
		r = dm_fail(ctx, DM_ERR_INVALID, "%s", d.lines[0]);
	else if (!*out)
		r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	mk_diags_free(&d);
	if (r) {
		free(*out);
		*out = NULL;
	}
	return r;
}

/* ---- loading --------------------------------------------------------------------------- */

static dm_status finish(loader *l, dm_status st, mk_manifest **out, dm_ctx *ctx)
{
	free(l->ids);
	if (!st && l->nerr == 0) {
		*out = l->m;
		return DM_OK;
	}
	mk_manifest_free(l->m);
	if (st)
		return st;
	if (l->nerr == 1 && l->diags->n == 1)
		return dm_fail(ctx, DM_ERR_INVALID, "%s", l->diags->lines[0]);
	return dm_fail(ctx, DM_ERR_INVALID, "%s: %zu problems", l->name, l->nerr);
}

/* libxml2's unstructured messages ("I/O warning ...") would go to stderr. */
static void silent(void *user, const char *fmt, ...)
{
	(void)user;
	(void)fmt;
}

static dm_status validate(loader *l, xmlDocPtr doc, const char *schema, dm_ctx *ctx)
{
	xmlRelaxNGParserCtxtPtr pc =
		schema ? xmlRelaxNGNewParserCtxt(schema)
		       : xmlRelaxNGNewMemParserCtxt((const char *)mk_manifest_rng, (int)mk_manifest_rng_len);
	const char *sname = schema ? schema : "(built in)";
	if (!pc)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory loading the schema %s", sname);
	/* The schema's own errors are ours, not the manifest's: they go into one message. */
	mk_diags sd = {0};
	loader sl = {.name = sname, .diags = &sd};
	xmlRelaxNGSetParserStructuredErrors(pc, xml_error, &sl);
	xmlSetGenericErrorFunc(NULL, silent);
	xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlRelaxNGFreeParserCtxt(pc);
	if (!rng) {
		struct stat st_;
		int missing = schema && stat(schema, &st_) < 0;
		dm_status st = dm_fail(ctx, DM_ERR_IO, "cannot load the manifest schema %s%s%s%s",
				       sname, missing ? ": " : sd.n ? ": " : "",
				       missing ? strerror(errno) : sd.n ? sd.lines[0] : "",
				       schema ? " (named by DISCMASTER_SCHEMA)" : "");
		mk_diags_free(&sd);
		return st;
	}
	mk_diags_free(&sd);
	xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
	if (!vc) {
		xmlRelaxNGFree(rng);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory validating %s", l->name);
	}
	xmlRelaxNGSetValidStructuredErrors(vc, xml_error, l);
	int rc = xmlRelaxNGValidateDoc(vc, doc);
	if (rc != 0 && l->nerr == 0)
		add_diag(l, 0, "the document does not match the schema");
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(rng);
	return DM_OK;
}

dm_status mk_manifest_parse(mk_manifest **out, const char *buf, size_t len, const char *name,
			    const char *base_dir, const char *schema, mk_diags *diags, dm_ctx *ctx)
{
	*out = NULL;
	loader l = {.name = name, .base = base_dir, .diags = diags};
	l.m = calloc(1, sizeof(*l.m));
	if (!l.m || !(l.m->path = strdup(name)) || (base_dir && !(l.m->base = strdup(base_dir)))) {
		mk_manifest_free(l.m);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	if (len > INT_MAX)
		return finish(&l, dm_fail(ctx, DM_ERR_INVALID, "%s is too large", name), out, ctx);

	/* No network, no DTD loading, no entity substitution (XXE), big line numbers. */
	xmlParserCtxtPtr pctx = xmlNewParserCtxt();
	if (!pctx)
		return finish(&l, dm_fail(ctx, DM_ERR_NOMEM, "out of memory"), out, ctx);
	xmlSetStructuredErrorFunc(&l, xml_error);
	xmlSetGenericErrorFunc(NULL, silent);
	xmlDocPtr doc = xmlCtxtReadMemory(pctx, buf, (int)len, name, NULL,
					  XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(pctx);
	if (!doc) {
		if (l.nerr == 0)
			add_diag(&l, 0, "not an XML document");
		return finish(&l, DM_OK, out, ctx);
	}
	dm_status st = DM_OK;
	if (doc->intSubset || doc->extSubset) {
		xmlNodePtr dtd = (xmlNodePtr)(doc->intSubset ? doc->intSubset : doc->extSubset);
		add_diag(&l, line_of(dtd) > 0 ? line_of(dtd) : 1, "a manifest may not have a DOCTYPE");
	} else {
		st = validate(&l, doc, schema, ctx);
		if (!st && l.nerr == 0) {
			xmlNodePtr img = xmlDocGetRootElement(doc);
			parse_settings(&l, img);
			check_ids(&l);
			if (l.m->root)
				check_links(&l, l.m->root->child);
		}
	}
	xmlFreeDoc(doc);
	return finish(&l, st, out, ctx);
}

dm_status mk_manifest_load(mk_manifest **out, const char *path, const char *schema, mk_diags *diags,
			   dm_ctx *ctx)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open manifest %s", path);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *b = cap > (size_t)INT_MAX ? NULL : realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return dm_fail(ctx, DM_ERR_NOMEM, "manifest %s is too large", path);
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return dm_fail(ctx, DM_ERR_IO, "cannot read manifest %s", path);
	}
	/* Relative sources resolve against the manifest's own directory (its real path). */
	char *dir = strdup(path), real[PATH_MAX];
	if (!dir) {
		free(buf);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
	dm_status st;
	if (!realpath(d, real))
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot resolve the directory of %s", path);
	else
		st = mk_manifest_parse(out, buf, len, path, real, schema, diags, ctx);
	free(dir);
	free(buf);
	return st;
}
