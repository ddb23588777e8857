#include "mkimage/tree.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Hard-link table: open addressing on (dev, ino), only for sources with st_nlink > 1. */
typedef struct link_slot {
	uint64_t dev, ino;
	mk_data *data;           /* NULL: empty slot */
} link_slot;

typedef struct link_table {
	link_slot *slots;
	size_t cap, used;
} link_table;

struct mk_tree {
	dm_arena *arena;
	mk_node *root;
	link_table links;
	mk_dsrc *dsrc;           /* side table of data sources (manifests, archives) */
	uint32_t ndsrc, capdsrc;
	char **archives;
	uint32_t narchives;
};

mk_tree *mk_tree_new(void)
{
	mk_tree *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->arena = dm_arena_new();
	if (!t->arena) {
		free(t);
		return NULL;
	}
	t->root = mk_node_new(t->arena, "", 0);
	if (!t->root) {
		mk_tree_free(t);
		return NULL;
	}
	t->root->type = MK_DIR;
	t->root->mode = S_IFDIR | 0755;
	t->root->flags = MK_SYNTHETIC;
	return t;
}

void mk_tree_free(mk_tree *t)
{
	if (!t)
		return;
	free(t->links.slots);
	free(t->dsrc);
	for (uint32_t i = 0; i < t->narchives; i++)
		free(t->archives[i]);
	free(t->archives);
	dm_arena_free(t->arena);
	free(t);
}

mk_node *mk_tree_root(mk_tree *t)
{
	return t->root;
}

dm_arena *mk_tree_arena(mk_tree *t)
{
	return t->arena;
}

mk_node *mk_node_new(dm_arena *arena, const char *name, size_t len)
{
	/* The name follows the fixed fields directly: offsetof, not sizeof, which would add
	 * the structure's tail padding. */
	mk_node *n = dm_arena_alloc(arena, offsetof(mk_node, name) + len + 1);
	if (!n)
		return NULL;
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	n->name_len = (uint16_t)len;
	return n;
}

mk_node *mk_tree_add(mk_tree *t, mk_node *dir, const char *name, size_t len, mk_type type)
{
	mk_node *n = mk_node_new(t->arena, name, len);
	if (!n)
		return NULL;
	n->type = (uint8_t)type;
	n->parent = dir;
	/* Prepend: mk_tree_finish() sorts anyway. */
	n->next = dir->child;
	dir->child = n;
	return n;
}

mk_node *mk_tree_find(mk_node *dir, const char *name, size_t len)
{
	for (mk_node *c = dir->child; c; c = c->next)
		if (c->name_len == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

static size_t link_hash(uint64_t dev, uint64_t ino, size_t cap)
{
	uint64_t h = (dev * 0x9E3779B97F4A7C15ull) ^ (ino * 0xC2B2AE3D27D4EB4Full);
	h ^= h >> 29;
	return (size_t)(h & (cap - 1));
}

static int link_grow(link_table *lt)
{
	size_t cap = lt->cap ? lt->cap * 2 : 256;
	link_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < lt->cap; i++) {
		const link_slot *o = &lt->slots[i];
		if (!o->data)
			continue;
		size_t h = link_hash(o->dev, o->ino, cap);
		while (slots[h].data)
			h = (h + 1) & (cap - 1);
		slots[h] = *o;
	}
	free(lt->slots);
	lt->slots = slots;
	lt->cap = cap;
	return 0;
}

mk_data *mk_tree_data(mk_tree *t, uint64_t dev, uint64_t ino, uint32_t src_nlink)
{
	link_table *lt = &t->links;
	size_t h = 0;
	if (src_nlink > 1) {
		if (lt->used * 2 >= lt->cap && link_grow(lt) < 0)
			return NULL;
		h = link_hash(dev, ino, lt->cap);
		for (; lt->slots[h].data; h = (h + 1) & (lt->cap - 1)) {
			link_slot *sl = &lt->slots[h];
			if (sl->dev == dev && sl->ino == ino) {
				sl->data->nlink++;
				return sl->data;
			}
		}
	}
	mk_data *d = dm_arena_alloc(t->arena, sizeof(*d));
	if (!d)
		return NULL;
	d->nlink = 1;
	if (src_nlink > 1) {
		lt->slots[h] = (link_slot){dev, ino, d};
		lt->used++;
	}
	return d;
}

mk_dsrc *mk_tree_dsrc_add(mk_tree *t, mk_data *d)
{
	if (d->src)
		return &t->dsrc[d->src - 1];
	if (t->ndsrc == t->capdsrc) {
		uint32_t cap = t->capdsrc ? t->capdsrc * 2 : 64;
		mk_dsrc *a = realloc(t->dsrc, cap * sizeof(*a));
		if (!a)
			return NULL;
		t->dsrc = a;
		t->capdsrc = cap;
	}
	mk_dsrc *r = &t->dsrc[t->ndsrc++];
	memset(r, 0, sizeof(*r));
	d->src = t->ndsrc;
	return r;
}

const mk_dsrc *mk_tree_dsrc(const mk_tree *t, const mk_data *d)
{
	return d->src ? &t->dsrc[d->src - 1] : NULL;
}

int mk_tree_has_dsrc(const mk_tree *t)
{
	return t->ndsrc != 0;
}

int mk_data_is_old(const mk_tree *t, const mk_data *d)
{
	return d->src && t->dsrc[d->src - 1].kind == MK_DSRC_OLD;
}

uint32_t mk_tree_archive_add(mk_tree *t, const char *path)
{
	char **a = realloc(t->archives, (t->narchives + 1) * sizeof(*a));
	if (!a)
		return UINT32_MAX;
	t->archives = a;
	if (!(a[t->narchives] = strdup(path)))
		return UINT32_MAX;
	return t->narchives++;
}

const char *mk_tree_archive_path(const mk_tree *t, uint32_t archive)
{
	return archive < t->narchives ? t->archives[archive] : NULL;
}

static int name_cmp(const void *pa, const void *pb)
{
	const mk_node *a = *(mk_node *const *)pa, *b = *(mk_node *const *)pb;
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

/* Move src's children under dst (both directories at the same path). A child whose
 * source path was relative to src gets its full path first: it no longer lives under
 * src's source. */
static dm_status merge_dirs(dm_arena *arena, mk_node *dst, mk_node *src, dm_ctx *ctx)
{
	mk_node *last = NULL;
	char path[4096];
	for (mk_node *c = src->child; c; c = c->next) {
		if (!(c->flags & (MK_SRC_FULL | MK_SYNTHETIC))) {
			size_t len = mk_node_src_path(c, path, sizeof(path));
			if (!len) /* no source (made in memory), or too long: reading it will say */
				continue;
			if (!(c->src = dm_arena_strndup(arena, path, len)))
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory merging directories");
			c->flags |= MK_SRC_FULL;
		}
	}
	for (mk_node *c = src->child; c; c = c->next) {
		c->parent = dst;
		last = c;
	}
	if (last) {
		last->next = dst->child;
		dst->child = src->child;
	}
	/* The real directory's attributes win over a graft's synthetic parent. */
	if ((dst->flags & MK_SYNTHETIC) && !(src->flags & MK_SYNTHETIC)) {
		dst->mode = src->mode;
		dst->uid = src->uid;
		dst->gid = src->gid;
		dst->mtime = src->mtime;
		dst->atime = src->atime;
		dst->ctime = src->ctime;
		dst->src = src->src;
		dst->flags = src->flags;
	}
	return DM_OK;
}

static dm_status duplicate_error(mk_node *a, mk_node *b, dm_ctx *ctx)
{
	char img[1024], sa[1024], sb[1024];
	mk_node_image_path(a, img, sizeof(img));
	if ((a->flags & MK_OLD) && (b->flags & MK_OLD))
		return dm_fail(ctx, DM_ERR_INVALID, "the previous session has the name %s twice: "
			       "its directory is damaged", img);
	if (!mk_node_src_path(a, sa, sizeof(sa)))
		strcpy(sa, "(made by mkimage)");
	if (!mk_node_src_path(b, sb, sizeof(sb)))
		strcpy(sb, "(made by mkimage)");
	return dm_fail(ctx, DM_ERR_INVALID, "two sources give the same name %s in the image: %s and %s",
		       img, sa, sb);
}

/* Sort one directory's children, merging or refusing duplicates. */
static dm_status finish_dir(dm_arena *arena, mk_node *dir, mk_node ***scratch, size_t *scratch_cap,
			    dm_ctx *ctx)
{
	size_t n = 0;
	for (mk_node *c = dir->child; c; c = c->next)
		n++;
	if (n > *scratch_cap) {
		mk_node **s = realloc(*scratch, n * sizeof(*s));
		if (!s)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory sorting a directory of %zu entries", n);
		*scratch = s;
		*scratch_cap = n;
	}
	mk_node **arr = *scratch;
	size_t i = 0;
	for (mk_node *c = dir->child; c; c = c->next)
		arr[i++] = c;
	if (n > 1) /* arr is NULL for an empty directory */
		qsort(arr, n, sizeof(*arr), name_cmp);
	size_t out = 0;
	for (i = 0; i < n; i++) {
		if (out && name_cmp(&arr[out - 1], &arr[i]) == 0) {
			mk_node *a = arr[out - 1], *b = arr[i];
			int old = (a->flags & MK_OLD) != (b->flags & MK_OLD);
			if (old && (a->type != MK_DIR || b->type != MK_DIR)) {
				/* A source replaces what the previous session had there. */
				if (a->flags & MK_OLD)
					arr[out - 1] = b;
				continue;
			}
			if (a->type != MK_DIR || b->type != MK_DIR)
				return duplicate_error(a, b, ctx);
			if (old && (a->flags & MK_OLD)) {
				/* Merge the old directory into the new one: its attributes win. */
				arr[out - 1] = b;
				dm_status st = merge_dirs(arena, b, a, ctx);
				if (st)
					return st;
				continue;
			}
			/* a's merged children are sorted when the walk reaches a */
			dm_status st = merge_dirs(arena, a, b, ctx);
			if (st)
				return st;
			continue;
		}
		arr[out++] = arr[i];
	}
	dir->child = NULL;
	for (i = out; i-- > 0;) {
		arr[i]->next = dir->child;
		dir->child = arr[i];
	}
	return DM_OK;
}

dm_status mk_tree_finish(mk_tree *t, dm_ctx *ctx)
{
	mk_node **scratch = NULL;
	size_t cap = 0;
	dm_status st = DM_OK;
	/* Pre-order: a directory is finished (sorted, merged) before its children are visited. */
	for (mk_node *n = t->root; n; n = mk_tree_next(n))
		if (n->type == MK_DIR && (st = finish_dir(t->arena, n, &scratch, &cap, ctx)))
			break;
	free(scratch);
	return st;
}

mk_node *mk_tree_next(const mk_node *n)
{
	if (n->child)
		return n->child;
	while (n && !n->next)
		n = n->parent;
	return n ? n->next : NULL;
}

size_t mk_node_src_path(const mk_node *n, char *buf, size_t cap)
{
	/* Walk up to the nearest node with a full source path, then append components. */
	const mk_node *chain[4096];
	size_t depth = 0;
	const mk_node *p = n;
	while (p && !(p->flags & MK_SRC_FULL)) {
		if ((p->flags & MK_SYNTHETIC) || depth == sizeof(chain) / sizeof(chain[0]))
			return 0;
		chain[depth++] = p;
		p = p->parent;
	}
	if (!p || !p->src)
		return 0;
	size_t len = strlen(p->src);
	if (len + 1 > cap)
		return 0;
	memcpy(buf, p->src, len + 1);
	while (depth--) {
		const mk_node *c = chain[depth];
		if (len + 1 + c->name_len + 1 > cap)
			return 0;
		buf[len++] = '/';
		memcpy(buf + len, c->name, c->name_len);
		len += c->name_len;
		buf[len] = '\0';
	}
	return len;
}

size_t mk_node_image_path(const mk_node *n, char *buf, size_t cap)
{
	if (cap == 0)
		return 0;
	if (!n->parent) {
		snprintf(buf, cap, "/");
		return 1;
	}
	/* Compute the length first, then fill from the end. */
	size_t len = 0;
	for (const mk_node *p = n; p->parent; p = p->parent)
		len += 1u + p->name_len;
	if (len + 1 > cap) {
		snprintf(buf, cap, ".../%s", n->name);
		return strlen(buf);
	}
	size_t pos = len;
	buf[pos] = '\0';
	for (const mk_node *p = n; p->parent; p = p->parent) {
		pos -= p->name_len;
		memcpy(buf + pos, p->name, p->name_len);
		buf[--pos] = '/';
	}
	return len;
}

void mk_tree_stats_get(const mk_tree *t, mk_tree_stats *st)
{
	memset(st, 0, sizeof(*st));
	const mk_node *n = t->root;
	while (n) {
		switch (n->type) {
		case MK_DIR: st->dirs++; break;
		case MK_FILE:
			st->files++;
			if (n->data->node != n)
				st->hardlinks++;
			else
				st->bytes += n->data->size;
			break;
		case MK_SYMLINK: st->symlinks++; break;
		default: st->specials++; break;
		}
		n = mk_tree_next(n);
	}
}

size_t mk_tree_memory(const mk_tree *t)
{
	return dm_arena_used(t->arena) + t->links.cap * sizeof(link_slot) +
	       (size_t)t->capdsrc * sizeof(mk_dsrc);
}
