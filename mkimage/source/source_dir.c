#include "mkimage/source/source_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A growing path buffer used only for messages and symlink reads. */
typedef struct pathbuf {
	char *s;
	size_t len, cap;
} pathbuf;

static int path_push(pathbuf *p, const char *name, size_t len)
{
	size_t need = p->len + 1 + len + 1;
	if (need > p->cap) {
		size_t cap = p->cap ? p->cap : 256;
		while (cap < need)
			cap *= 2;
		char *s = realloc(p->s, cap);
		if (!s)
			return -1;
		p->s = s;
		p->cap = cap;
	}
	if (p->len && p->s[p->len - 1] != '/')
		p->s[p->len++] = '/';
	memcpy(p->s + p->len, name, len);
	p->len += len;
	p->s[p->len] = '\0';
	return 0;
}

/* The ancestors of the directory being scanned, for loop detection with --follow-links. */
typedef struct ancestor {
	const struct ancestor *up;
	dev_t dev;
	ino_t ino;
} ancestor;

typedef struct scan {
	mk_tree *t;
	const mk_scan_opts *o;
	dm_ctx *ctx;
	pathbuf path;
	size_t root_len;         /* length of the source's own path in path */
	uint64_t entries;        /* for progress */
} scan;

static int64_t clamp(const mk_scan_opts *o, int64_t t)
{
	return (o->clamp_time >= 0 && t > o->clamp_time) ? o->clamp_time : t;
}

static void set_attrs(const mk_scan_opts *o, mk_node *n, const struct stat *st)
{
	n->mode = st->st_mode;
	n->uid = st->st_uid;
	n->gid = st->st_gid;
	n->mtime = clamp(o, st->st_mtim.tv_sec);
	if (o->clamp_time >= 0) {
		/* Reading the tree moves atime, and ctime moves with any chmod or link: for a
		 * reproducible image both are recorded as the (clamped) mtime. */
		n->atime = n->ctime = n->mtime;
	} else {
		n->atime = st->st_atim.tv_sec;
		n->ctime = st->st_ctim.tv_sec;
	}
}

static mk_type type_of(mode_t m)
{
	if (S_ISDIR(m)) return MK_DIR;
	if (S_ISLNK(m)) return MK_SYMLINK;
	if (S_ISBLK(m)) return MK_BLKDEV;
	if (S_ISCHR(m)) return MK_CHRDEV;
	if (S_ISFIFO(m)) return MK_FIFO;
	if (S_ISSOCK(m)) return MK_SOCKET;
	return MK_FILE;
}

static dm_status scan_dir(scan *s, mk_node *dir, int dfd, const ancestor *up);

/* Stat `name` in dfd; with follow_links a dangling symlink stays a symlink. */
static int stat_entry(scan *s, int dfd, const char *name, struct stat *st)
{
	if (s->o->follow_links) {
		if (fstatat(dfd, name, st, 0) == 0)
			return 0;
		if (errno != ENOENT && errno != ELOOP)
			return -1;
	}
	return fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW);
}

/* Add one entry (already stat'ed), called `name` in dfd, as img_name below dir. The path
 * buffer holds its source path. */
static dm_status add_entry(scan *s, mk_node *dir, int dfd, const char *name, const char *img_name,
			   size_t len, const struct stat *st, const ancestor *up, const char *full_src)
{
	dm_ctx *ctx = s->ctx;
	if (s->o->have_exclude && (uint64_t)st->st_dev == s->o->exclude_dev &&
	    (uint64_t)st->st_ino == s->o->exclude_ino)
		return dm_fail(ctx, DM_ERR_INVALID, "the output %s is inside the source tree (at %s)",
			       s->o->exclude_path ? s->o->exclude_path : "file", s->path.s);
	if (len > 255)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: name longer than 255 bytes", s->path.s);

	mk_type type = type_of(st->st_mode);
	mk_node *n = mk_tree_add(s->t, dir, img_name, len, type);
	if (!n)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory adding %s", s->path.s);
	if (full_src) {
		n->src = dm_arena_strndup(mk_tree_arena(s->t), full_src, strlen(full_src));
		if (!n->src)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory adding %s", s->path.s);
		n->flags |= MK_SRC_FULL;
	}
	set_attrs(s->o, n, st);
	n->flags |= s->o->node_flags;

	switch (type) {
	case MK_FILE: {
		mk_data *d = mk_tree_data(s->t, st->st_dev, st->st_ino, (uint32_t)st->st_nlink);
		if (!d)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory adding %s", s->path.s);
		if (!d->node) {
			d->node = n;
			d->size = (uint64_t)st->st_size;
		}
		n->data = d;
		break;
	}
	case MK_SYMLINK: {
		char buf[4097];
		ssize_t r = readlinkat(dfd, name, buf, sizeof(buf));
		if (r < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read symlink %s", s->path.s);
		if ((size_t)r >= sizeof(buf))
			return dm_fail(ctx, DM_ERR_INVALID, "%s: symlink target longer than 4096 bytes",
				       s->path.s);
		n->target = dm_arena_strndup(mk_tree_arena(s->t), buf, (size_t)r);
		if (!n->target)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory adding %s", s->path.s);
		break;
	}
	case MK_BLKDEV:
	case MK_CHRDEV:
		n->rdev = st->st_rdev;
		break;
	case MK_DIR: {
		for (const ancestor *a = up; a; a = a->up)
			if (a->dev == st->st_dev && a->ino == st->st_ino)
				return dm_fail(ctx, DM_ERR_INVALID,
					       "%s: symlink loop (the directory contains itself)", s->path.s);
		int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (s->o->follow_links ? 0 : O_NOFOLLOW);
		int fd = openat(dfd, name, flags);
		if (fd < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open directory %s", s->path.s);
		ancestor me = {up, st->st_dev, st->st_ino};
		dm_status r = scan_dir(s, n, fd, &me);
		close(fd);
		return r;
	}
	default:
		break;
	}
	return DM_OK;
}

static dm_status scan_dir(scan *s, mk_node *dir, int dfd, const ancestor *up)
{
	dm_ctx *ctx = s->ctx;
	int fd2 = dup(dfd);
	if (fd2 < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read directory %s", s->path.s);
	DIR *d = fdopendir(fd2);
	if (!d) {
		close(fd2);
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read directory %s", s->path.s);
	}
	size_t base = s->path.len;
	dm_status r = DM_OK;
	dm_progress pr = {"scanning", s->path.s, s->entries, 0, "entries", -1, -1};
	dm_report(ctx, &pr);
	if (dm_cancelled(ctx)) {
		closedir(d);
		return dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while scanning %s", s->path.s);
	}
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			if (errno)
				r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read directory %s", s->path.s);
			break;
		}
		const char *name = e->d_name;
		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		size_t len = strlen(name);
		s->entries++;
		if (path_push(&s->path, name, len) < 0) {
			r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			break;
		}
		struct stat st;
		if (stat_entry(s, dfd, name, &st) < 0) {
			r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot stat %s", s->path.s);
			break;
		}
		if (s->o->filter && !s->o->filter(s->o->filter_user, s->path.s + s->root_len + 1,
						   S_ISDIR(st.st_mode))) {
			s->path.len = base;
			s->path.s[base] = '\0';
			continue;
		}
		/* Top-level entries of a source carry their full path: the directory they go into
		 * may gather entries from several sources. */
		r = add_entry(s, dir, dfd, name, name, len, &st, up, up && up->up == NULL ? s->path.s : NULL);
		s->path.len = base;
		s->path.s[base] = '\0';
		if (r)
			break;
	}
	closedir(d);
	return r;
}

/* Make (or find) the directory chain for dest_path's parent; *leaf gets the last component. */
static dm_status graft_parents(mk_tree *t, const char *dest_path, const mk_scan_opts *o, mk_node **parent,
			       const char **leaf, size_t *leaf_len, dm_ctx *ctx)
{
	mk_node *dir = mk_tree_root(t);
	const char *p = dest_path;
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *next = end;
		while (next && *next == '/')
			next++;
		int last = !end || *next == '\0';
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return dm_fail(ctx, DM_ERR_INVALID, "graft destination '%s': empty, '.' or '..' component",
				       dest_path);
		if (len > 255)
			return dm_fail(ctx, DM_ERR_INVALID, "graft destination '%s': a component is longer than 255 bytes",
				       dest_path);
		if (last) {
			*parent = dir;
			*leaf = p;
			*leaf_len = len;
			return DM_OK;
		}
		mk_node *c = mk_tree_find(dir, p, len);
		if (c && c->type != MK_DIR)
			return dm_fail(ctx, DM_ERR_INVALID, "graft destination '%s': '%.*s' is not a directory",
				       dest_path, (int)len, p);
		if (!c) {
			c = mk_tree_add(t, dir, p, len, MK_DIR);
			if (!c)
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			c->flags |= MK_SYNTHETIC;
			c->mode = 040755;
			c->mtime = c->atime = c->ctime = o->default_time;
		}
		dir = c;
		p = next;
	}
}

dm_status mk_source_add_contents(mk_tree *t, mk_node *dest, const char *src, const mk_scan_opts *o,
				 dm_ctx *ctx)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use source %s", src);
	if (!S_ISDIR(st.st_mode))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "source %s is not a directory (graft a file with DEST=%s)", src, src);
	int fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open source %s", src);
	if (dest->flags & MK_SYNTHETIC) {
		set_attrs(o, dest, &st);
		dest->flags &= (uint8_t)~MK_SYNTHETIC;
		dest->flags |= MK_SRC_FULL;
		dest->src = dm_arena_strndup(mk_tree_arena(t), src, strlen(src));
	}
	scan s = {.t = t, .o = o, .ctx = ctx};
	dm_status r = DM_OK;
	if (path_push(&s.path, src, strlen(src)) < 0)
		r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	/* Below "/" the separator is the root's own '/'. */
	s.root_len = s.path.len && s.path.s[s.path.len - 1] == '/' ? s.path.len - 1 : s.path.len;
	ancestor top = {NULL, st.st_dev, st.st_ino};
	if (!r)
		r = scan_dir(&s, dest, fd, &top);
	close(fd);
	free(s.path.s);
	return r;
}

dm_status mk_source_graft(mk_tree *t, const char *dest_path, const char *src, const mk_scan_opts *o,
			  dm_ctx *ctx)
{
	mk_node *parent = NULL;
	const char *leaf = NULL;
	size_t leaf_len = 0;
	dm_status r = graft_parents(t, dest_path, o, &parent, &leaf, &leaf_len, ctx);
	if (r)
		return r;
	/* The source's own directory is opened so add_entry works relative to it. */
	char *copy = strdup(src);
	if (!copy)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	char *slash = strrchr(copy, '/');
	const char *dirpath = ".", *base = copy;
	while (slash && slash > copy && slash[1] == '\0') { /* "dir/" -> "dir" */
		*slash = '\0';
		slash = strrchr(copy, '/');
	}
	if (slash) {
		*slash = '\0';
		dirpath = slash == copy ? "/" : copy;
		base = slash + 1;
	}
	int dfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use source %s", src);
		free(copy);
		return r;
	}
	scan s = {.t = t, .o = o, .ctx = ctx};
	struct stat st;
	if (path_push(&s.path, src, strlen(src)) < 0)
		r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	else if (fstatat(dfd, base[0] ? base : ".", &st, o->follow_links ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
		r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use source %s", src);
	else {
		/* A graft keeps the full source path; the leaf may be renamed by DEST. */
		ancestor top = {NULL, 0, 0};
		r = add_entry(&s, parent, dfd, base[0] ? base : ".", leaf, leaf_len, &st, &top, src);
	}
	close(dfd);
	free(s.path.s);
	free(copy);
	return r;
}

/* ---- where the output goes ---------------------------------------------------------------- */

dm_status mk_out_place_get(mk_out_place *p, const char *output, dm_ctx *ctx)
{
	*p = (mk_out_place){0};
	char *dir = strdup(output), real[PATH_MAX];
	if (!dir)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
	if (!realpath(d, real)) {
		dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use output directory %s", d);
		free(dir);
		return r;
	}
	free(dir);
	/* "/a/b" gives /a/b, /a and /: one entry per '/' in the real path. */
	size_t len = strlen(real), n = 0;
	for (size_t i = 0; i < len; i++)
		n += real[i] == '/';
	if (!(p->chain = calloc(n + 1, sizeof(*p->chain))))
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	for (;;) {
		struct stat st;
		if (stat(real, &st) < 0) {
			dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use output directory %s", real);
			mk_out_place_free(p);
			return r;
		}
		p->chain[p->n++] = (mk_out_id){(uint64_t)st.st_dev, (uint64_t)st.st_ino};
		char *last = strrchr(real, '/');
		if (!last || len == 1)
			break;
		len = last == real ? 1 : (size_t)(last - real);
		real[len] = '\0';
	}
	struct stat st;
	if (stat(output, &st) == 0) {
		p->exists = 1;
		p->file = (mk_out_id){(uint64_t)st.st_dev, (uint64_t)st.st_ino};
	}
	return DM_OK;
}

void mk_out_place_free(mk_out_place *p)
{
	free(p->chain);
	*p = (mk_out_place){0};
}

int mk_out_inside(const mk_out_place *p, const char *src)
{
	struct stat st;
	if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->chain[i].dev == (uint64_t)st.st_dev && p->chain[i].ino == (uint64_t)st.st_ino)
			return 1;
	return 0;
}

int mk_out_is(const mk_out_place *p, const char *src)
{
	struct stat st;
	return p->exists && stat(src, &st) == 0 && p->file.dev == (uint64_t)st.st_dev &&
	       p->file.ino == (uint64_t)st.st_ino;
}
