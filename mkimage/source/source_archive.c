#include "mkimage/source/source_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

dm_status mk_archive_open(struct archive **out, const char *path, dm_ctx *ctx)
{
	*out = NULL;
	struct archive *a = archive_read_new();
	if (!a)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory opening %s", path);
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	if (archive_read_open_filename(a, path, 64 << 10) != ARCHIVE_OK) {
		const char *m = archive_error_string(a);
		dm_status st = dm_fail(ctx, DM_ERR_IO, "cannot open archive %s: %s", path, m ? m : "unknown error");
		archive_read_free(a);
		return st;
	}
	*out = a;
	return DM_OK;
}

/* Member paths seen so far (normalized) -> node, for parents and hard links. Open
 * addressing over a power-of-two table; lives only during the scan. A slot keeps its key's
 * length and hash, so probes and growth never rescan keys, and the key itself is the
 * member part of the node's source string ("ARCHIVE:PATH", set_src), which the tree's arena
 * keeps: nothing is copied per path. The hash (FNV-1a) runs byte by byte, so the hashes
 * of all of a path's prefixes come out of one pass over it (dir_for): a member N
 * directories deep costs O(its length), not O(N x length). */
typedef struct path_slot {
	const char *path; /* NULL: free */
	size_t len;
	uint64_t hash;
	mk_node *node;
} path_slot;

typedef struct scan {
	mk_tree *t;
	mk_node *dest;
	const mk_archive_opts *o;
	const char *apath;
	size_t apath_len;
	uint32_t archive;
	path_slot *slots;
	size_t cap, used;
	dm_ctx *ctx;
} scan;

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static uint64_t hash_path(const char *p, size_t len)
{
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * FNV_PRIME;
	return h;
}

static path_slot *find_slot(scan *s, const char *p, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (s->cap - 1);
	while (s->slots[i].path &&
	       (s->slots[i].hash != hash || s->slots[i].len != len || memcmp(s->slots[i].path, p, len)))
		i = (i + 1) & (s->cap - 1);
	return &s->slots[i];
}

static int grow(scan *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	path_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	path_slot *old = s->slots;
	size_t oldcap = s->cap;
	s->slots = slots;
	s->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].path)
			continue;
		size_t j = (size_t)old[i].hash & (cap - 1);
		while (slots[j].path)
			j = (j + 1) & (cap - 1);
		slots[j] = old[i];
	}
	free(old);
	return 0;
}

static mk_node *lookup_hashed(scan *s, const char *p, size_t len, uint64_t hash)
{
	return s->cap ? find_slot(s, p, len, hash)->node : NULL;
}

static mk_node *lookup(scan *s, const char *p, size_t len)
{
	return lookup_hashed(s, p, len, hash_path(p, len));
}

/* Remember node n (whose source set_src has set) under its member path, the first len
 * bytes of what follows "ARCHIVE:" in n->src; a path seen before now names n. */
static int remember(scan *s, mk_node *n, size_t len, uint64_t hash)
{
	if ((s->used + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	const char *key = n->src + s->apath_len + 1;
	path_slot *sl = find_slot(s, key, len, hash);
	if (!sl->path) {
		sl->path = key;
		sl->len = len;
		sl->hash = hash;
		s->used++;
	}
	sl->node = n;
	return 0;
}

/* Normalize a member name into out: no leading "/", no "." or empty components. Returns
 * the length, or -1 with a '..' component, -2 with a component longer than 255 bytes. */
static long normalize(const char *in, char *out, size_t cap)
{
	size_t len = 0;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -1;
		if (n > 255)
			return -2;
		if (len + n + 2 > cap)
			return -2;
		if (len)
			out[len++] = '/';
		memcpy(out + len, p, n);
		len += n;
		p += n;
	}
	out[len] = '\0';
	return (long)len;
}

static int64_t clamp(const mk_archive_opts *o, int64_t t)
{
	return (o->clamp_time >= 0 && t > o->clamp_time) ? o->clamp_time : t;
}

static void set_attrs(scan *s, mk_node *n, struct archive_entry *e)
{
	n->mode = (uint32_t)archive_entry_mode(e);
	n->uid = (uint32_t)archive_entry_uid(e);
	n->gid = (uint32_t)archive_entry_gid(e);
	n->mtime = clamp(s->o, archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : s->o->default_time);
	if (s->o->clamp_time >= 0) {
		n->atime = n->ctime = n->mtime; /* as directory sources do, for reproducibility */
	} else {
		n->atime = archive_entry_atime_is_set(e) ? archive_entry_atime(e) : n->mtime;
		n->ctime = archive_entry_ctime_is_set(e) ? archive_entry_ctime(e) : n->mtime;
	}
	n->flags |= s->o->node_flags;
}

/* The node's source for messages: "ARCHIVE:MEMBER" (member: ml bytes). */
static int set_src(scan *s, mk_node *n, const char *member, size_t ml)
{
	size_t al = s->apath_len;
	char *src = dm_arena_bytes(mk_tree_arena(s->t), al + 1 + ml + 1);
	if (!src)
		return -1;
	memcpy(src, s->apath, al);
	src[al] = ':';
	memcpy(src + al + 1, member, ml);
	src[al + 1 + ml] = '\0';
	n->src = src;
	n->flags |= MK_SRC_FULL;
	return 0;
}

/* Most components a normalized path shorter than PATH_MAX_LEN holds ("a/b/...": one byte
 * and a slash each). */
#define PATH_MAX_LEN 4096
#define PATH_MAX_DEPTH (PATH_MAX_LEN / 2)

/* The directory for path (made, with its parents, when the archive has not listed it);
 * NULL when a prefix names a member that is not a directory (*blocked: that member), or
 * out of memory (*blocked: NULL). One pass hashes every prefix; the deepest one already
 * known is the start, the rest are made below it in order: a loop, not recursion, as a
 * path may be 2000 directories deep (recursing with a path buffer per level overflowed an
 * 8 MiB stack there: tests/fuzz/archive-corpus/deep-2040.tar.gz). */
static mk_node *dir_for(scan *s, const char *path, size_t len, mk_node **blocked)
{
	*blocked = NULL;
	if (len == 0)
		return s->dest;
	size_t ends[PATH_MAX_DEPTH];
	uint64_t hashes[PATH_MAX_DEPTH];
	size_t depth = 0;
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || path[i] == '/') {
			if (depth == PATH_MAX_DEPTH)
				return NULL; /* not for normalize()'s paths */
			ends[depth] = i;
			hashes[depth++] = h;
		}
		if (i < len)
			h = (h ^ (uint8_t)path[i]) * FNV_PRIME;
	}
	/* The deepest known prefix: a directory to build below, or the end. */
	mk_node *parent = s->dest;
	size_t known = depth;
	while (known > 0) {
		mk_node *n = lookup_hashed(s, path, ends[known - 1], hashes[known - 1]);
		if (n) {
			if (n->type != MK_DIR) {
				*blocked = n;
				return NULL;
			}
			parent = n;
			break;
		}
		known--;
	}
	for (size_t d = known; d < depth; d++) {
		size_t start = d ? ends[d - 1] + 1 : 0;
		mk_node *n = mk_tree_add(s->t, parent, path + start, ends[d] - start, MK_DIR);
		if (!n)
			return NULL;
		n->mode = S_IFDIR | 0755;
		n->mtime = n->atime = n->ctime = s->o->default_time;
		n->flags |= s->o->node_flags;
		if (set_src(s, n, path, ends[d]) < 0 || remember(s, n, ends[d], hashes[d]) < 0)
			return NULL;
		parent = n;
	}
	return parent;
}

static mk_type type_of(mode_t m)
{
	switch (m & AE_IFMT) {
	case AE_IFDIR: return MK_DIR;
	case AE_IFLNK: return MK_SYMLINK;
	case AE_IFBLK: return MK_BLKDEV;
	case AE_IFCHR: return MK_CHRDEV;
	case AE_IFIFO: return MK_FIFO;
	case AE_IFSOCK: return MK_SOCKET;
	default: return MK_FILE;
	}
}

/* The st_mode type bits of a node type: a member's mode may carry none, or bits no type
 * has (cpio takes them from the header as they come); the node's own type wins, so Rock
 * Ridge's PX and UDF's file type agree with what the node is. */
static uint32_t type_bits(mk_type t)
{
	switch (t) {
	case MK_DIR: return S_IFDIR;
	case MK_SYMLINK: return S_IFLNK;
	case MK_BLKDEV: return S_IFBLK;
	case MK_CHRDEV: return S_IFCHR;
	case MK_FIFO: return S_IFIFO;
	case MK_SOCKET: return S_IFSOCK;
	default: return S_IFREG;
	}
}

static dm_status nomem(scan *s)
{
	return dm_fail(s->ctx, DM_ERR_NOMEM, "out of memory reading archive %s", s->apath);
}

static dm_status add_member(scan *s, struct archive *a, struct archive_entry *e, uint32_t index)
{
	dm_ctx *ctx = s->ctx;
	const char *raw = archive_entry_pathname(e);
	char path[PATH_MAX_LEN];
	long len = normalize(raw ? raw : "", path, sizeof(path));
	if (len == -1)
		return dm_fail(ctx, DM_ERR_INVALID, "archive %s: member '%s' has a '..' component", s->apath, raw);
	if (len < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "archive %s: member '%s': a name is longer than 255 bytes",
			       s->apath, raw);
	mk_type type = type_of(archive_entry_filetype(e));
	const char *hl = archive_entry_hardlink(e);
	if (len == 0) {
		/* "./" or "/": the destination itself; its attributes are the archive's. */
		if (type == MK_DIR && (s->dest->flags & MK_SYNTHETIC)) {
			set_attrs(s, s->dest, e);
			s->dest->flags &= (uint8_t)~MK_SYNTHETIC;
		}
		return DM_OK;
	}
	const char *slash = strrchr(path, '/');
	mk_node *blocked;
	mk_node *parent = dir_for(s, path, slash ? (size_t)(slash - path) : 0, &blocked);
	if (!parent) {
		if (blocked)
			return dm_fail(ctx, DM_ERR_INVALID, "archive %s: '%s' is below a member that is not a directory",
				       s->apath, path);
		return nomem(s);
	}
	const char *leaf = slash ? slash + 1 : path;
	size_t leaf_len = (size_t)len - (size_t)(leaf - path);

	mk_node *old = lookup(s, path, (size_t)len);
	if (old && old->type == MK_DIR && type == MK_DIR && !hl) {
		/* A directory listed after members below it (or twice): it gets its attributes. */
		set_attrs(s, old, e);
		return DM_OK;
	}
	mk_node *n;
	if (hl) {
		char tpath[PATH_MAX_LEN];
		long tl = normalize(hl, tpath, sizeof(tpath));
		mk_node *target = tl > 0 ? lookup(s, tpath, (size_t)tl) : NULL;
		if (!target || target->type != MK_FILE)
			return dm_fail(ctx, DM_ERR_INVALID, "archive %s: hard link '%s' to '%s', which is not an earlier file",
				       s->apath, path, hl);
		n = mk_tree_add(s->t, parent, leaf, leaf_len, MK_FILE);
		if (!n)
			return nomem(s);
		set_attrs(s, n, e);
		n->mode = (n->mode & 07777) | S_IFREG;
		n->data = target->data;
		n->data->nlink++;
		/* cpio's newc keeps the data with the last link: take it if the target had none. */
		if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 && target->data->size == 0) {
			mk_dsrc *ds = mk_tree_dsrc_add(s->t, n->data);
			if (!ds)
				return nomem(s);
			n->data->size = (uint64_t)archive_entry_size(e);
			ds->member = index;
		}
	} else {
		n = mk_tree_add(s->t, parent, leaf, leaf_len, type);
		if (!n)
			return nomem(s);
		set_attrs(s, n, e);
		n->mode = (n->mode & 07777) | type_bits(type);
		switch (type) {
		case MK_FILE: {
			mk_data *d = mk_tree_data(s->t, 0, 0, 1);
			mk_dsrc *ds = d ? mk_tree_dsrc_add(s->t, d) : NULL;
			if (!ds)
				return nomem(s);
			d->node = n;
			n->data = d;
			ds->kind = MK_DSRC_MEMBER;
			ds->archive = s->archive;
			ds->member = index;
			ds->weight = s->o->weight;
			if (archive_entry_size_is_set(e)) {
				d->size = (uint64_t)archive_entry_size(e);
			} else {
				/* No size in the header: count the bytes (see source_archive.h). */
				char buf[65536];
				la_ssize_t r;
				while ((r = archive_read_data(a, buf, sizeof(buf))) > 0)
					d->size += (uint64_t)r;
				if (r < 0)
					return dm_fail(ctx, DM_ERR_IO, "archive %s: reading %s: %s", s->apath, path,
						       archive_error_string(a));
			}
			break;
		}
		case MK_SYMLINK: {
			const char *target = archive_entry_symlink(e);
			n->target = dm_arena_strndup(mk_tree_arena(s->t), target ? target : "",
						     target ? strlen(target) : 0);
			if (!n->target)
				return nomem(s);
			break;
		}
		case MK_BLKDEV:
		case MK_CHRDEV:
			n->rdev = (uint64_t)archive_entry_rdev(e);
			break;
		default:
			break;
		}
	}
	if (set_src(s, n, path, (size_t)len) < 0 || remember(s, n, (size_t)len, hash_path(path, (size_t)len)) < 0)
		return nomem(s);
	return DM_OK;
}

dm_status mk_source_archive(mk_tree *t, mk_node *dest, const char *path, const mk_archive_opts *o,
			    dm_ctx *ctx)
{
	struct archive *a;
	dm_status st = mk_archive_open(&a, path, ctx);
	if (st)
		return st;
	scan s = {.t = t, .dest = dest, .o = o, .apath = path, .apath_len = strlen(path), .ctx = ctx};
	s.archive = mk_tree_archive_add(t, path);
	if (s.archive == UINT32_MAX)
		st = nomem(&s);
	for (uint32_t index = 0; !st; index++) {
		struct archive_entry *e;
		int rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc < ARCHIVE_WARN) {
			const char *m = archive_error_string(a);
			st = dm_fail(ctx, DM_ERR_INVALID, "archive %s: %s", path, m ? m : "cannot read a header");
			break;
		}
		if (index == UINT32_MAX) {
			st = dm_fail(ctx, DM_ERR_UNSUPPORTED, "archive %s has too many members", path);
			break;
		}
		st = add_member(&s, a, e, index);
		if (!st && index % 1024 == 0) {
			dm_progress pr = {"scanning", path, index, 0, "members", -1, -1};
			dm_report(ctx, &pr);
			if (dm_cancelled(ctx))
				st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while reading %s", path);
		}
	}
	archive_read_free(a);
	free(s.slots);
	return st;
}
