/* From a checked manifest model to the image tree. Items that have a source take their
 * attributes from it (lstat, or the archive's headers); attributes the item gives win.
 * Items without a source (directories, inline files, symlinks, specials) default to
 * 0755/0644/0777/0644, owner 0:0 and the default time. Times are clamped to the epoch. */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkimage/source/manifest.h"
#include "mkimage/source/source_archive.h"
#include "mkimage/source/source_dir.h"

typedef struct builder {
	const mk_manifest *m;
	mk_tree *t;
	const mk_mbuild_opts *o;
	dm_ctx *ctx;
	struct idnode {
		const char *id;
		mk_node *node;   /* NULL until the <file> is added */
	} *ids;              /* every <file> id, sorted */
	size_t nids;
} builder;

static int idnode_cmp(const void *a, const void *b)
{
	return strcmp(((const struct idnode *)a)->id, ((const struct idnode *)b)->id);
}

static struct idnode *find_id(const builder *b, const char *id)
{
	struct idnode key = {id, NULL};
	return b->nids ? bsearch(&key, b->ids, b->nids, sizeof(key), idnode_cmp) : NULL;
}

/* Count (ids NULL) or collect the ids of the <file> items. */
static size_t collect_ids(const mk_mitem *it, struct idnode *ids, size_t n)
{
	for (; it; it = it->next) {
		if (it->kind == MK_M_FILE && it->id) {
			if (ids)
				ids[n] = (struct idnode){it->id, NULL};
			n++;
		}
		n = collect_ids(it->child, ids, n);
	}
	return n;
}

static int64_t clamp(const builder *b, int64_t t)
{
	return (b->o->clamp_time >= 0 && t > b->o->clamp_time) ? b->o->clamp_time : t;
}

static dm_status fail_at(builder *b, const mk_mitem *it, dm_status st, const char *fmt, ...) DM_PRINTF(4, 5);
static dm_status fail_at(builder *b, const mk_mitem *it, dm_status st, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dm_fail(b->ctx, st, "%s:%d: %s", b->m->path, it->line, msg);
}

/* Attributes: those of the source (st, may be NULL), then the item's own. */
static void set_attrs(builder *b, mk_node *n, const mk_mitem *it, const struct stat *st, uint32_t type_bits,
		      uint32_t def_perm)
{
	if (st) {
		n->mode = (uint32_t)st->st_mode;
		n->uid = st->st_uid;
		n->gid = st->st_gid;
		n->mtime = st->st_mtim.tv_sec;
		n->atime = st->st_atim.tv_sec;
		n->ctime = st->st_ctim.tv_sec;
	} else {
		n->mode = def_perm;
		n->mtime = n->atime = n->ctime = b->o->default_time;
	}
	if (it->set & MK_MA_MODE)
		n->mode = it->mode;
	n->mode = (n->mode & 07777) | type_bits;
	if (it->set & MK_MA_UID)
		n->uid = it->uid;
	if (it->set & MK_MA_GID)
		n->gid = it->gid;
	if (it->set & MK_MA_MTIME)
		n->mtime = it->mtime;
	n->mtime = clamp(b, n->mtime);
	if (b->o->clamp_time >= 0) /* as directory sources: reading moves atime, chmod ctime */
		n->atime = n->ctime = n->mtime;
	if (!st && !(it->set & MK_MA_ATIME))
		n->atime = n->mtime;
	if (!st && !(it->set & MK_MA_CTIME))
		n->ctime = n->mtime;
	if (it->set & MK_MA_ATIME)
		n->atime = clamp(b, it->atime);
	if (it->set & MK_MA_CTIME)
		n->ctime = clamp(b, it->ctime);
	n->flags |= it->node_flags;
}

typedef struct filter_ctx {
	const mk_mitem *it;
} filter_ctx;

/* include/exclude: a pattern with a '/' matches the path below the tree, one without
 * matches the last component. Excludes win; includes select files (directories are
 * always descended into unless excluded). */
static int match(const char *pat, const char *rel)
{
	if (strchr(pat, '/'))
		return fnmatch(pat, rel, FNM_PATHNAME | FNM_PERIOD) == 0;
	const char *base = strrchr(rel, '/');
	return fnmatch(pat, base ? base + 1 : rel, FNM_PERIOD) == 0;
}

static int tree_filter(void *user, const char *rel, int is_dir)
{
	const mk_mitem *it = ((filter_ctx *)user)->it;
	for (size_t i = 0; i < it->nexclude; i++)
		if (match(it->exclude[i], rel))
			return 0;
	if (is_dir || it->ninclude == 0)
		return 1;
	for (size_t i = 0; i < it->ninclude; i++)
		if (match(it->include[i], rel))
			return 1;
	return 0;
}

static dm_status nomem(builder *b)
{
	return dm_fail(b->ctx, DM_ERR_NOMEM, "out of memory building the tree of %s", b->m->path);
}

static dm_status set_src(builder *b, mk_node *n, const char *src)
{
	n->src = dm_arena_strndup(mk_tree_arena(b->t), src, strlen(src));
	if (!n->src)
		return nomem(b);
	n->flags |= MK_SRC_FULL;
	return DM_OK;
}

static dm_status add_items(builder *b, mk_node *dir, const mk_mitem *it);

static dm_status add_file(builder *b, mk_node *dir, const mk_mitem *it)
{
	mk_node *n = mk_tree_add(b->t, dir, it->name, it->name_len, MK_FILE);
	if (!n)
		return nomem(b);
	mk_data *d;
	mk_dsrc *ds = NULL;
	if (it->inline_content) {
		set_attrs(b, n, it, NULL, S_IFREG, 0644);
		d = mk_tree_data(b->t, 0, 0, 1);
		if (!d || !(ds = mk_tree_dsrc_add(b->t, d)))
			return nomem(b);
		uint8_t *bytes = dm_arena_bytes(mk_tree_arena(b->t), it->nbytes ? it->nbytes : 1);
		if (!bytes)
			return nomem(b);
		memcpy(bytes, it->bytes, it->nbytes);
		ds->kind = MK_DSRC_INLINE;
		ds->bytes = bytes;
		d->size = it->nbytes;
	} else {
		struct stat st;
		if (stat(it->src, &st) < 0)
			return dm_fail_errno(b->ctx, DM_ERR_IO, errno, "%s:%d: cannot use %s", b->m->path, it->line,
					     it->src);
		if (!S_ISREG(st.st_mode))
			return fail_at(b, it, DM_ERR_INVALID, "%s is not a regular file", it->src);
		if (b->o->have_exclude && (uint64_t)st.st_dev == b->o->exclude_dev &&
		    (uint64_t)st.st_ino == b->o->exclude_ino)
			return fail_at(b, it, DM_ERR_INVALID, "%s is the output file", it->src);
		set_attrs(b, n, it, &st, S_IFREG, 0644);
		dm_status r = set_src(b, n, it->src);
		if (r)
			return r;
		d = mk_tree_data(b->t, 0, 0, 1);
		if (!d)
			return nomem(b);
		d->size = (uint64_t)st.st_size;
		if (it->has_sha256 || it->weight) {
			if (!(ds = mk_tree_dsrc_add(b->t, d)))
				return nomem(b);
			ds->kind = MK_DSRC_PATH;
		}
	}
	d->node = n;
	n->data = d;
	if (ds) {
		ds->weight = it->weight;
		if (it->has_sha256) {
			uint8_t *sum = dm_arena_bytes(mk_tree_arena(b->t), 32);
			if (!sum)
				return nomem(b);
			memcpy(sum, it->sha256, 32);
			ds->sha256 = sum;
		}
	}
	struct idnode *idn = it->id ? find_id(b, it->id) : NULL;
	if (idn)
		idn->node = n;
	return DM_OK;
}

static dm_status add_item(builder *b, mk_node *dir, const mk_mitem *it)
{
	mk_node *n;
	switch (it->kind) {
	case MK_M_DIR:
		if (!(n = mk_tree_add(b->t, dir, it->name, it->name_len, MK_DIR)))
			return nomem(b);
		set_attrs(b, n, it, NULL, S_IFDIR, 0755);
		return add_items(b, n, it->child);
	case MK_M_FILE:
		return add_file(b, dir, it);
	case MK_M_SYMLINK:
		if (!(n = mk_tree_add(b->t, dir, it->name, it->name_len, MK_SYMLINK)))
			return nomem(b);
		set_attrs(b, n, it, NULL, S_IFLNK, 0777);
		if (!(n->target = dm_arena_strndup(mk_tree_arena(b->t), it->target, it->target_len)))
			return nomem(b);
		return DM_OK;
	case MK_M_SPECIAL: {
		static const uint32_t bits[] = {[MK_FIFO] = S_IFIFO, [MK_SOCKET] = S_IFSOCK,
						[MK_CHRDEV] = S_IFCHR, [MK_BLKDEV] = S_IFBLK};
		if (!(n = mk_tree_add(b->t, dir, it->name, it->name_len, (mk_type)it->special)))
			return nomem(b);
		set_attrs(b, n, it, NULL, bits[it->special], 0644);
		if (it->special == MK_CHRDEV || it->special == MK_BLKDEV)
			n->rdev = it->rdev;
		return DM_OK;
	}
	case MK_M_HARDLINK: {
		const struct idnode *idn = find_id(b, it->to);
		mk_node *target = idn ? idn->node : NULL;
		if (!target)
			return fail_at(b, it, DM_ERR_INVALID, "hard link to '%s' before that file", it->to);
		if (!(n = mk_tree_add(b->t, dir, it->name, it->name_len, MK_FILE)))
			return nomem(b);
		n->mode = target->mode;
		n->uid = target->uid;
		n->gid = target->gid;
		n->mtime = target->mtime;
		n->atime = target->atime;
		n->ctime = target->ctime;
		n->src = target->src;
		n->flags = (uint8_t)(target->flags & MK_SRC_FULL);
		if (it->set & MK_MA_MODE)
			n->mode = S_IFREG | it->mode;
		if (it->set & MK_MA_UID)
			n->uid = it->uid;
		if (it->set & MK_MA_GID)
			n->gid = it->gid;
		if (it->set & MK_MA_MTIME)
			n->mtime = n->atime = n->ctime = clamp(b, it->mtime);
		if (it->set & MK_MA_ATIME)
			n->atime = clamp(b, it->atime);
		if (it->set & MK_MA_CTIME)
			n->ctime = clamp(b, it->ctime);
		n->flags |= it->node_flags;
		n->data = target->data;
		n->data->nlink++;
		return DM_OK;
	}
	case MK_M_TREE: {
		filter_ctx fc = {it};
		mk_scan_opts so = {
			.clamp_time = b->o->clamp_time,
			.default_time = b->o->default_time,
			.have_exclude = b->o->have_exclude,
			.exclude_dev = b->o->exclude_dev,
			.exclude_ino = b->o->exclude_ino,
			.exclude_path = b->o->exclude_path,
			.node_flags = it->node_flags,
			.filter = (it->ninclude || it->nexclude) ? tree_filter : NULL,
			.filter_user = &fc,
		};
		mk_node *dest = dir;
		if (it->base) {
			size_t len;
			const char *name = it->name;
			len = it->name_len;
			if (!name) {
				const char *e = it->src + strlen(it->src);
				while (e > it->src + 1 && e[-1] == '/')
					e--;
				const char *s = e;
				while (s > it->src && s[-1] != '/')
					s--;
				name = s;
				len = (size_t)(e - s);
			}
			if (!(dest = mk_tree_add(b->t, dir, name, len, MK_DIR)))
				return nomem(b);
			/* Synthetic: the scan gives it the source directory's attributes. */
			dest->flags = MK_SYNTHETIC;
			dest->mode = S_IFDIR | 0755;
		}
		dm_status r = mk_source_add_contents(b->t, dest, it->src, &so, b->ctx);
		if (r)
			return dm_fail_prefix(b->ctx, "%s:%d: ", b->m->path, it->line);
		if (it->base) {
			/* The item's own attributes win over the directory's. */
			mk_mitem copy = *it;
			if (copy.set) {
				struct stat st;
				st.st_mode = dest->mode;
				st.st_uid = dest->uid;
				st.st_gid = dest->gid;
				st.st_mtim.tv_sec = dest->mtime;
				st.st_atim.tv_sec = dest->atime;
				st.st_ctim.tv_sec = dest->ctime;
				set_attrs(b, dest, &copy, &st, S_IFDIR, 0755);
			}
			dest->flags |= it->node_flags;
		}
		return DM_OK;
	}
	case MK_M_ARCHIVE: {
		mk_archive_opts ao = {
			.clamp_time = b->o->clamp_time,
			.default_time = b->o->default_time,
			.weight = it->weight,
			.node_flags = it->node_flags,
		};
		dm_status r = mk_source_archive(b->t, dir, it->src, &ao, b->ctx);
		if (r)
			return dm_fail_prefix(b->ctx, "%s:%d: ", b->m->path, it->line);
		return DM_OK;
	}
	}
	return DM_OK;
}

static dm_status add_items(builder *b, mk_node *dir, const mk_mitem *it)
{
	for (; it; it = it->next) {
		dm_status r = add_item(b, dir, it);
		if (r)
			return r;
	}
	return DM_OK;
}

dm_status mk_manifest_build(const mk_manifest *m, mk_tree *t, const mk_mbuild_opts *o, dm_ctx *ctx)
{
	builder b = {.m = m, .t = t, .o = o, .ctx = ctx};
	mk_node *root = mk_tree_root(t);
	dm_status r = DM_OK;
	if (m->root && (b.nids = collect_ids(m->root->child, NULL, 0))) {
		if (!(b.ids = malloc(b.nids * sizeof(*b.ids))))
			return nomem(&b);
		collect_ids(m->root->child, b.ids, 0);
		qsort(b.ids, b.nids, sizeof(*b.ids), idnode_cmp);
	}
	if (m->root) {
		set_attrs(&b, root, m->root, NULL, S_IFDIR, 0755);
		root->flags &= (uint8_t)~(MK_SYNTHETIC | MK_NOT_ISO | MK_NOT_JOLIET | MK_NOT_UDF | MK_HIDDEN);
		r = add_items(&b, root, m->root->child);
	}
	free(b.ids);
	return r;
}

static dm_status check_output(const mk_manifest *m, const mk_mitem *it, const char *output,
			      const mk_out_place *p, dm_ctx *ctx)
{
	for (; it; it = it->next) {
		if (it->kind == MK_M_TREE && it->src && mk_out_inside(p, it->src))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s:%d: the output %s is inside the tree source %s: the image would contain "
				       "itself; write it elsewhere",
				       m->path, it->line, output, it->src);
		if ((it->kind == MK_M_FILE || it->kind == MK_M_ARCHIVE) && it->src && mk_out_is(p, it->src))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s:%d: the output %s is the %s source %s: the image would replace what it is "
				       "made from; write it elsewhere",
				       m->path, it->line, output, it->kind == MK_M_FILE ? "file" : "archive", it->src);
		dm_status r = check_output(m, it->child, output, p, ctx);
		if (r)
			return r;
	}
	return DM_OK;
}

dm_status mk_manifest_check_output(const mk_manifest *m, const char *output, const mk_out_place *p,
				   dm_ctx *ctx)
{
	return m->root ? check_output(m, m->root->child, output, p, ctx) : DM_OK;
}
