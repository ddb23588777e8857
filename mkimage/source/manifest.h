/* The XML manifest (spec/manifest.md, schema spec/manifest.rng): a complete description of
 * an image. Loading is three steps, each refusing what it cannot accept with the problem's
 * "FILE:LINE: message":
 *
 *   1. libxml2 parses the file (no network, no DTD, no entity expansion: a manifest can
 *      make mkimage read nothing but the files its items name);
 *   2. the document is validated against the RELAX NG schema (built in, or a file);
 *   3. the model is built and checked: names ('/', NUL, '.', '..', duplicates in one
 *      directory, naming both lines), sources (they exist; a relative one resolves against
 *      the manifest's directory and may not leave it, through '..' or symlinks), hard link
 *      ids, SHA-256 sums.
 *
 * The model (mk_manifest) holds the settings part as written and an item tree; manifest_build.c turns it into
 * an image tree, manifest_print.c writes the manifest of an image tree.
 *
 * Ownership: mk_manifest_free() frees the model and everything in it; mk_diags_free() the
 * problems found. */
#ifndef MK_MANIFEST_H
#define MK_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/dm_error.h"
#include "mkimage/source/source_dir.h"
#include "mkimage/tree.h"

/* The schema's path: $DISCMASTER_SCHEMA when set, else NULL: the built-in schema. */
const char *mk_manifest_schema_path(void);

/* spec/manifest.rng, built in (manifest_rng.c, made at build time): its bytes, and their
 * count (a NUL follows them). */
extern const unsigned char mk_manifest_rng[];
extern const size_t mk_manifest_rng_len;

/* Problems found in a manifest, each "FILE:LINE: message". */
typedef struct mk_diags {
	char **lines;
	size_t n;
} mk_diags;
void mk_diags_free(mk_diags *d);

/* The settings part as written: one row for each element below <image> other than <root>
 * (and for each child of one, as "boot/bios"), with attr NULL and its text (NULL when it has
 * element children or none), then one row for each of its attributes; <image epoch=> is node
 * "". Rows of one element share elem. What they mean is mkimage/settings.c's business. */
typedef struct mk_mset {
	char *node;
	char *attr;
	char *value;
	int line;
	unsigned elem;
} mk_mset;

typedef enum mk_mkind {
	MK_M_DIR,
	MK_M_FILE,
	MK_M_SYMLINK,
	MK_M_HARDLINK,
	MK_M_SPECIAL,
	MK_M_TREE,
	MK_M_ARCHIVE
} mk_mkind;

/* Which attributes an item gives. */
enum {
	MK_MA_MODE = 1u << 0,
	MK_MA_UID = 1u << 1,
	MK_MA_GID = 1u << 2,
	MK_MA_MTIME = 1u << 3,
	MK_MA_ATIME = 1u << 4,
	MK_MA_CTIME = 1u << 5,
};

typedef struct mk_mitem {
	struct mk_mitem *next, *child;
	uint8_t kind;            /* mk_mkind */
	uint8_t special;         /* MK_M_SPECIAL: MK_FIFO, MK_SOCKET, MK_CHRDEV, MK_BLKDEV */
	uint8_t node_flags;      /* MK_HIDDEN, MK_NOT_ISO, MK_NOT_JOLIET */
	uint8_t base;            /* MK_M_TREE: add the directory itself, not only its contents */
	uint8_t inline_content;  /* MK_M_FILE: bytes holds the content */
	uint8_t has_sha256;
	unsigned set;            /* MK_MA_* */
	int line;
	char *name;              /* bytes, name_len long (NUL-terminated) */
	size_t name_len;
	char *src;               /* resolved source path (file, tree, archive) */
	char *target;            /* symlink target, target_len bytes */
	size_t target_len;
	char *id, *to;           /* a file's id; a hard link's target id */
	uint8_t *bytes;          /* inline content */
	size_t nbytes;
	uint8_t sha256[32];
	int32_t weight;
	uint32_t mode, uid, gid;
	int64_t mtime, atime, ctime;
	uint64_t rdev;
	char **include, **exclude; /* MK_M_TREE: fnmatch patterns */
	size_t ninclude, nexclude;
} mk_mitem;

typedef struct mk_manifest {
	char *path;              /* the manifest, for messages */
	char *base;              /* its directory, real path: relative sources resolve here */
	mk_mset *sets;           /* the settings part, in document order */
	size_t nsets;
	mk_mitem *root;          /* kind MK_M_DIR, name "" */
} mk_manifest;

/* Load, validate and check the manifest at path against the schema (a file, or NULL: the
 * built-in one). On failure the
 * problems are in diags and ctx says how many. */
dm_status mk_manifest_load(mk_manifest **out, const char *path, const char *schema, mk_diags *diags,
			   dm_ctx *ctx);
/* The same from memory (tests, fuzzing); name is used in messages, base_dir resolves
 * relative sources (NULL: sources are not checked on disk). */
dm_status mk_manifest_parse(mk_manifest **out, const char *buf, size_t len, const char *name,
			    const char *base_dir, const char *schema, mk_diags *diags, dm_ctx *ctx);
void mk_manifest_free(mk_manifest *m);

/* Build the image tree from the model (manifest_build.c). */
typedef struct mk_mbuild_opts {
	int64_t clamp_time;      /* >= 0: later times become this */
	int64_t default_time;    /* times of items that give none and have no source */
	int have_exclude;        /* never add this file: the output */
	uint64_t exclude_dev, exclude_ino;
	const char *exclude_path;
} mk_mbuild_opts;
dm_status mk_manifest_build(const mk_manifest *m, mk_tree *t, const mk_mbuild_opts *o, dm_ctx *ctx);

/* Refuse writing the image to `output` (at place p) when the manifest reads it: a <tree>
 * source holding it (the image would contain itself) or a <file> or <archive> source that
 * is it (the image would replace what it is made from). The first such item is the
 * "FILE:LINE: message" in ctx. */
dm_status mk_manifest_check_output(const mk_manifest *m, const char *output, const mk_out_place *p,
				   dm_ctx *ctx);

/* A file on disk named by the manifest at line (as <hybrid mbr-code>): resolved as sources
 * are, against the manifest's directory. *out is the caller's to free. */
dm_status mk_manifest_resolve_file(const mk_manifest *m, int line, const char *src, const char *what,
				   char **out, dm_ctx *ctx);

/* Write the manifest of a finished tree, with the SHA-256 of every file (read now):
 * settings(out, user) writes <image ...> and its settings elements (mkimage/settings.c),
 * this the XML declaration before and <root> after (manifest_print.c). */
dm_status mk_manifest_print(FILE *out, mk_tree *t, void (*settings)(FILE *out, const void *user),
			    const void *user, dm_ctx *ctx);

/* XML output helpers: ` name="s"` (name-hex="..." when s is not XML-safe), and escaped text. */
void mk_manifest_put_attr(FILE *f, const char *name, const char *s);
void mk_manifest_put_text(FILE *f, const char *s, size_t len);

/* Time values of the manifest: seconds ("1600000000", "-5") or UTC ISO 8601
 * ("2020-09-13T12:26:40Z"). Returns 0 on success. */
int mk_manifest_parse_time(const char *s, int64_t *t);
/* UTC ISO 8601 of t into buf (at least 32 bytes). */
void mk_manifest_format_time(int64_t t, char *buf, size_t cap);

#endif
