/* A bridge's UDF file entries for the next session (import.h, mk_import_udf_match): the
 * tree comes from ISO 9660 (import_iso.c); the UDF tree of the same session is read into a
 * scratch tree and matched with it path by path, so that the next session's UDF points at
 * the old file entries of the files both trees agree on (same type; for files the same
 * extent, size and link count) instead of writing a sector per file again. What they do
 * not agree on simply gets a new entry. Only without a metadata partition (udf_plan.h). */
#include "mkimage/source/import.h"

#include <stdlib.h>
#include <string.h>

#include "mkimage/udf/udf_plan.h"

static int name_cmp(const void *pa, const void *pb)
{
	const mk_node *a = *(mk_node *const *)pa, *b = *(mk_node *const *)pb;
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);
	return c ? c : (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

static int fe_cmp(const void *k, const void *e)
{
	const mk_node *a = k, *b = ((const udf_old_fe *)e)->node;
	return a < b ? -1 : a > b;
}

static int node_cmp(const void *x, const void *y)
{
	const mk_node *a = ((const udf_old_fe *)x)->node, *b = ((const udf_old_fe *)y)->node;
	return a < b ? -1 : a > b;
}

typedef struct matcher {
	const mk_tree *ut;            /* the UDF scratch tree */
	const udf_old_fe *ufes;       /* its entries, sorted by (scratch) node */
	size_t n_ufes;
	udf_old_fe *out;              /* entries for the ISO tree's nodes */
	size_t n, cap;
	mk_node **a, **b;             /* scratch arrays of children */
	size_t acap, bcap;
} matcher;

/* dir's children into *arr, sorted by name; -1 when out of memory. */
static int children(mk_node *dir, mk_node ***arr, size_t *cap, size_t *n)
{
	size_t k = 0;
	for (mk_node *c = dir->child; c; c = c->next)
		k++;
	if (k > *cap) {
		mk_node **a = realloc(*arr, k * sizeof(*a));
		if (!a)
			return -1;
		*arr = a;
		*cap = k;
	}
	k = 0;
	for (mk_node *c = dir->child; c; c = c->next)
		(*arr)[k++] = c;
	if (k > 1)
		qsort(*arr, k, sizeof(**arr), name_cmp);
	*n = k;
	return 0;
}

/* The pair (i in the ISO tree, u in the UDF one) of one path. */
static int pair(matcher *m, const mk_tree *it, const mk_node *i, const mk_node *u)
{
	if (i->type != u->type || i->type == MK_DIR)
		return 0;
	const udf_old_fe *e = bsearch(u, m->ufes, m->n_ufes, sizeof(*e), fe_cmp);
	if (!e)
		return 0;
	if (i->type == MK_FILE) {
		const mk_data *d = i->data;
		if (!mk_data_is_old(it, d) || d->lba != e->data_lba || d->size != e->data_size ||
		    (d->nlink ? d->nlink : 1) != e->nlink)
			return 0;
	} else if (i->type == MK_SYMLINK ? strcmp(i->target, u->target) : i->rdev != u->rdev) {
		return 0;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		udf_old_fe *o = realloc(m->out, cap * sizeof(*o));
		if (!o)
			return -1;
		m->out = o;
		m->cap = cap;
	}
	m->out[m->n] = *e;
	m->out[m->n++].node = i;
	return 0;
}

/* Walk the two trees together, directories by their sorted children (an explicit stack of
 * directory pairs: no recursion on untrusted depth). */
static int walk(matcher *m, const mk_tree *it, mk_node *iroot, mk_node *uroot)
{
	size_t cap = 64, top = 0;
	mk_node **stack = malloc(cap * 2 * sizeof(*stack));
	if (!stack)
		return -1;
	stack[top++] = iroot;
	stack[top++] = uroot;
	int rc = 0;
	while (top && !rc) {
		mk_node *u = stack[--top], *i = stack[--top];
		size_t na, nb;
		if (children(i, &m->a, &m->acap, &na) || children(u, &m->b, &m->bcap, &nb)) {
			rc = -1;
			break;
		}
		for (size_t x = 0, y = 0; x < na && y < nb && !rc;) {
			int c = name_cmp(&m->a[x], &m->b[y]);
			if (c < 0) {
				x++;
			} else if (c > 0) {
				y++;
			} else {
				mk_node *ci = m->a[x++], *cu = m->b[y++];
				if (ci->type == MK_DIR && cu->type == MK_DIR) {
					if (top + 2 > cap * 2) {
						mk_node **s = realloc(stack, cap * 4 * sizeof(*s));
						if (!s) {
							rc = -1;
							break;
						}
						stack = s;
						cap *= 2;
					}
					stack[top++] = ci;
					stack[top++] = cu;
				} else {
					rc = pair(m, it, ci, cu);
				}
			}
		}
	}
	free(stack);
	return rc;
}

dm_status mk_import_udf_match(mk_tree *t, const mk_prev_reader *r, uint32_t start,
			      mk_import_info *info, dm_ctx *ctx)
{
	mk_tree *ut = mk_tree_new();
	if (!ut)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	mk_import_info ui;
	dm_status st = mk_import_udf(ut, r, start, &ui, ctx);
	if (st || !ui.udf_n_old_fes) {
		mk_tree_free(ut);
		return st;
	}
	matcher m = {.ut = ut, .ufes = ui.udf_old_fes, .n_ufes = ui.udf_n_old_fes};
	if (walk(&m, t, mk_tree_root(t), mk_tree_root(ut)) < 0) {
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	} else if (m.n) {
		qsort(m.out, m.n, sizeof(*m.out), node_cmp);
		udf_old_fe *o = dm_arena_alloc(mk_tree_arena(t), m.n * sizeof(*o));
		if (!o) {
			st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		} else {
			memcpy(o, m.out, m.n * sizeof(*o));
			info->udf_old_fes = o;
			info->udf_n_old_fes = m.n;
		}
	}
	free(m.out);
	free(m.a);
	free(m.b);
	mk_tree_free(ut);
	return st;
}
