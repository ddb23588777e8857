#include "mkimage/udf/udf_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_utf8.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"

/* UDF 3.2.1.1: unique IDs 1-15 are reserved; the root directory has 0. */
#define FIRST_UNIQUE_ID 16u
/* Metadata partition allocation and alignment unit, in blocks: 32 blocks (64 KiB) is
 * a whole ECC block on BD and two on DVD (UDF 2.60 2.2.10). */
#define META_UNIT 32u

static const struct {
	unsigned rev;
	const char *name;
} revs[] = {
	{UDF_REV_102, "1.02"}, {UDF_REV_150, "1.50"}, {UDF_REV_200, "2.00"},
	{UDF_REV_201, "2.01"}, {UDF_REV_250, "2.50"}, {UDF_REV_260, "2.60"},
};

int udf_rev_valid(unsigned rev)
{
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++)
		if (revs[i].rev == rev)
			return 1;
	return 0;
}

int udf_rev_parse(const char *s, unsigned *rev)
{
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++)
		if (!strcmp(s, revs[i].name)) {
			*rev = revs[i].rev;
			return 1;
		}
	return 0;
}

const char *udf_rev_name(unsigned rev)
{
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++)
		if (revs[i].rev == rev)
			return revs[i].name;
	return "?";
}

static uint32_t blocks_of(uint64_t bytes) { return (uint32_t)((bytes + UDF_BLOCK - 1) / UDF_BLOCK); }

typedef struct builder {
	udf_plan *p;
	dm_ctx *ctx;
	uint32_t cap_icbs, cap_ents, cap_data;
	mk_data **hkeys;         /* hard-linked data -> icb, open addressing */
	uint32_t *hvals;
	uint32_t hcap, hcount;
	uint64_t cur;            /* next free block of the metadata space */
	uint64_t next_uid;
} builder;

static dm_status nomem(builder *b)
{
	return dm_fail(b->ctx, DM_ERR_NOMEM, "out of memory planning the UDF layout");
}

static dm_status fail_item(builder *b, const mk_node *n, dm_status st, const char *what)
{
	char path[1024];
	mk_node_image_path(n, path, sizeof(path));
	return dm_fail(b->ctx, st, "%s: %s", path[0] ? path : "/", what);
}

static int long_ads(const builder *b) { return udf_rev_metadata(b->p->opts.rev); }

static dm_status cs0_error(builder *b, const mk_node *n, udf_cs0_status st, size_t need,
			   const char *what)
{
	char msg[400];
	switch (st) {
	case UDF_CS0_TOO_LONG:
		snprintf(msg, sizeof(msg),
			 "the %s needs %zu bytes in OSTA CS0; UDF allows 255 (a name of 254 Latin-1 or "
			 "127 other characters)",
			 what, need);
		return fail_item(b, n, DM_ERR_UNSUPPORTED, msg);
	default:
		snprintf(msg, sizeof(msg), "the %s holds U+FEFF or U+FFFE, which UDF forbids (UDF 2.1.1)",
			 what);
		return fail_item(b, n, DM_ERR_UNSUPPORTED, msg);
	}
}

static dm_status new_icb(builder *b, mk_node *n, uint8_t type, uint32_t *idx)
{
	udf_plan *p = b->p;
	if (p->nicbs == b->cap_icbs) {
		uint32_t cap = b->cap_icbs ? b->cap_icbs * 2 : 256;
		udf_icb *a = realloc(p->icbs, (size_t)cap * sizeof(*a));
		if (!a)
			return nomem(b);
		p->icbs = a;
		b->cap_icbs = cap;
	}
	udf_icb *c = &p->icbs[p->nicbs];
	memset(c, 0, sizeof(*c));
	c->node = n;
	c->type = type;
	c->nlink = 1;
	c->lbn = (uint32_t)b->cur++;
	c->unique_id = p->nicbs == 0 ? 0 : b->next_uid++;
	*idx = p->nicbs++;
	if (type == UDF_FT_DIR)
		p->dirs++;
	else
		p->files++;
	return DM_OK;
}

static uint32_t hash_ptr(const void *ptr, uint32_t cap)
{
	uint64_t v = (uint64_t)(uintptr_t)ptr;
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (uint32_t)v & (cap - 1);
}

static dm_status hash_put(builder *b, mk_data *d, uint32_t idx)
{
	if ((b->hcount + 1) * 2 > b->hcap) {
		uint32_t cap = b->hcap ? b->hcap * 2 : 64;
		mk_data **k = calloc(cap, sizeof(*k));
		uint32_t *v = calloc(cap, sizeof(*v));
		if (!k || !v) {
			free(k);
			free(v);
			return nomem(b);
		}
		for (uint32_t i = 0; i < b->hcap; i++) {
			if (!b->hkeys[i])
				continue;
			uint32_t h = hash_ptr(b->hkeys[i], cap);
			while (k[h])
				h = (h + 1) & (cap - 1);
			k[h] = b->hkeys[i];
			v[h] = b->hvals[i];
		}
		free(b->hkeys);
		free(b->hvals);
		b->hkeys = k;
		b->hvals = v;
		b->hcap = cap;
	}
	uint32_t h = hash_ptr(d, b->hcap);
	while (b->hkeys[h])
		h = (h + 1) & (b->hcap - 1);
	b->hkeys[h] = d;
	b->hvals[h] = idx;
	b->hcount++;
	return DM_OK;
}

static int hash_get(const builder *b, const mk_data *d, uint32_t *idx)
{
	if (!b->hcap)
		return 0;
	uint32_t h = hash_ptr(d, b->hcap);
	while (b->hkeys[h]) {
		if (b->hkeys[h] == d) {
			*idx = b->hvals[h];
			return 1;
		}
		h = (h + 1) & (b->hcap - 1);
	}
	return 0;
}

/* Allocation descriptors of an allocation of size bytes must fit in the FE (ea_len bytes
 * of attributes before them): UDF 2.3.6 keeps a file entry in one block. */
static dm_status check_ads(builder *b, const mk_node *n, uint64_t size, size_t ea_len)
{
	size_t per = long_ads(b) ? 16 : 8;
	uint64_t need = (uint64_t)udf_extent_count(size) * per;
	if (need > udf_fe_room(b->p->opts.rev, ea_len)) {
		char msg[200];
		snprintf(msg, sizeof(msg), "%llu bytes need %u extents, more than one UDF file entry holds",
			 (unsigned long long)size, udf_extent_count(size));
		return fail_item(b, n, DM_ERR_UNSUPPORTED, msg);
	}
	return DM_OK;
}

static dm_status add_data(builder *b, mk_data *d)
{
	udf_plan *p = b->p;
	if (p->ndata == b->cap_data) {
		uint32_t cap = b->cap_data ? b->cap_data * 2 : 1024;
		mk_data **a = realloc(p->data, (size_t)cap * sizeof(*a));
		if (!a)
			return nomem(b);
		p->data = a;
		b->cap_data = cap;
	}
	p->data[p->ndata++] = d;
	return DM_OK;
}

static int cmp_old_fe(const void *k, const void *e)
{
	const mk_node *a = k, *b = ((const udf_old_fe *)e)->node;
	return a < b ? -1 : a > b;
}

/* A previous session's entry for n that still describes it: n is the node imported (not
 * replaced by a source) and, for a file, its data is the same old extent. */
static const udf_old_fe *old_fe(const builder *b, const mk_node *n)
{
	const udf_opts *o = &b->p->opts;
	if (!o->n_old_fes || !(n->flags & MK_OLD) || udf_rev_metadata(o->rev))
		return NULL;
	const udf_old_fe *e = bsearch(n, o->old_fes, o->n_old_fes, sizeof(*e), cmp_old_fe);
	if (!e)
		return NULL;
	if (n->type == MK_FILE && (!mk_data_is_old(b->p->tree, n->data) ||
				   n->data->lba != e->data_lba || n->data->size != e->data_size ||
				   (n->data->nlink ? n->data->nlink : 1) != e->nlink))
		return NULL;
	return e;
}

/* An icb for a previous session's entry: no block of the metadata space. */
static dm_status reuse_icb(builder *b, mk_node *n, uint8_t type, const udf_old_fe *e, uint32_t *idx)
{
	uint64_t cur = b->cur;
	dm_status st = new_icb(b, n, type, idx);
	if (st)
		return st;
	udf_icb *c = &b->p->icbs[*idx];
	b->cur = cur;
	b->next_uid--;
	c->lbn = e->lbn;
	c->unique_id = e->unique_id;
	c->reused = 1;
	b->p->reused++;
	return DM_OK;
}

/* The file entry of a non-directory: created, or (a further hard link) found. */
static dm_status leaf_icb(builder *b, mk_node *n, uint32_t *idx)
{
	udf_plan *p = b->p;
	unsigned rev = p->opts.rev;
	dm_status st;
	const udf_old_fe *old = old_fe(b, n);
	switch (n->type) {
	case MK_FILE: {
		mk_data *d = n->data;
		if (d->nlink > 1 && hash_get(b, d, idx))
			return DM_OK;
		if (old) {
			if ((st = reuse_icb(b, n, UDF_FT_FILE, old, idx)))
				return st;
			p->icbs[*idx].nlink = (uint16_t)(d->nlink ? d->nlink : 1);
			return d->nlink > 1 ? hash_put(b, d, *idx) : DM_OK;
		}
		if (d->nlink > 0xFFFF)
			return fail_item(b, n, DM_ERR_UNSUPPORTED,
					 "more than 65535 hard links, which a UDF file entry cannot count");
		if ((st = new_icb(b, n, UDF_FT_FILE, idx)))
			return st;
		udf_icb *c = &p->icbs[*idx];
		c->nlink = (uint16_t)(d->nlink ? d->nlink : 1);
		if (p->opts.embed && d->size && d->size <= udf_fe_room(rev, 0)) {
			c->embedded = 1; /* 4/14.6.8: allocation descriptor type 3 */
		} else if (d->size) {
			if ((st = check_ads(b, n, d->size, 0)))
				return st;
			/* A previous session's data is on the disc already. */
			if (!mk_data_is_old(p->tree, d) && (st = add_data(b, d)))
				return st;
		}
		if (d->nlink > 1)
			return hash_put(b, d, *idx);
		return DM_OK;
	}
	case MK_SYMLINK: {
		if (old)
			return reuse_icb(b, n, UDF_FT_SYMLINK, old, idx);
		if ((st = new_icb(b, n, UDF_FT_SYMLINK, idx)))
			return st;
		int bad;
		size_t len = strlen(n->target);
		size_t need = udf_put_symlink(NULL, 0, n->target, len, &bad);
		if (bad)
			return cs0_error(b, n, (udf_cs0_status)bad, 256, "symlink target component");
		udf_icb *c = &p->icbs[*idx];
		c->tail_len = (uint32_t)need;
		if (need <= udf_fe_room(rev, 0)) {
			c->embedded = 1;
		} else {
			c->tail_lbn = (uint32_t)b->cur;
			b->cur += blocks_of(need);
		}
		return DM_OK;
	}
	case MK_BLKDEV:
		return old ? reuse_icb(b, n, UDF_FT_BLKDEV, old, idx) : new_icb(b, n, UDF_FT_BLKDEV, idx);
	case MK_CHRDEV:
		return old ? reuse_icb(b, n, UDF_FT_CHRDEV, old, idx) : new_icb(b, n, UDF_FT_CHRDEV, idx);
	case MK_FIFO:
		return old ? reuse_icb(b, n, UDF_FT_FIFO, old, idx) : new_icb(b, n, UDF_FT_FIFO, idx);
	case MK_SOCKET:
		return old ? reuse_icb(b, n, UDF_FT_SOCKET, old, idx) : new_icb(b, n, UDF_FT_SOCKET, idx);
	default:
		return fail_item(b, n, DM_ERR_INTERNAL, "unknown node type");
	}
}

static int cmp_ent(const void *x, const void *y)
{
	const udf_ent *a = x, *b = y;
	size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
	int c = memcmp(a->id, b->id, n);
	return c ? c : (int)a->id_len - (int)b->id_len;
}

/* Two source names can give one CS0 name only through bytes that are not UTF-8 (read as
 * Latin-1); a directory with such a name is checked for duplicates. */
static dm_status check_dups(builder *b, mk_node *dir, uint32_t first, uint32_t n)
{
	udf_ent *tmp = malloc((size_t)n * sizeof(*tmp));
	if (!tmp)
		return nomem(b);
	memcpy(tmp, b->p->ents + first, (size_t)n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_ent);
	dm_status st = DM_OK;
	for (uint32_t i = 1; i < n && !st; i++)
		if (!cmp_ent(&tmp[i - 1], &tmp[i]))
			st = fail_item(b, dir, DM_ERR_UNSUPPORTED,
				       "two entries have the same UDF name once their bytes that are not "
				       "UTF-8 are read as Latin-1; rename one");
	free(tmp);
	return st;
}

/* Whether c has an entry: not left out by a manifest (fs= without udf), and a file or a
 * directory unless symlinks and special files are asked for. */
static int included(const builder *b, const mk_node *c)
{
	if (c->flags & MK_NOT_UDF)
		return 0;
	return b->p->opts.special || c->type == MK_FILE || c->type == MK_DIR;
}

static dm_status build_dir(builder *b, mk_node *dir, uint32_t parent, uint32_t *out)
{
	udf_plan *p = b->p;
	uint32_t idx;
	dm_status st = new_icb(b, dir, UDF_FT_DIR, &idx);
	if (st)
		return st;
	*out = idx;
	p->icbs[idx].parent = p->nicbs == 1 ? idx : parent;
	uint32_t n = 0;
	for (const mk_node *c = dir->child; c; c = c->next)
		n += (uint32_t)included(b, c);
	if (p->nents + n > b->cap_ents) {
		uint32_t cap = b->cap_ents ? b->cap_ents : 1024;
		while (cap < p->nents + n)
			cap *= 2;
		udf_ent *a = realloc(p->ents, (size_t)cap * sizeof(*a));
		if (!a)
			return nomem(b);
		p->ents = a;
		b->cap_ents = cap;
	}
	uint32_t first = p->nents;
	p->nents += n;
	uint64_t bytes = udf_fid_len(0); /* the parent FID (UDF 2.3.4: first in every directory) */
	uint32_t k = 0, subdirs = 0;
	int odd_names = 0;
	for (const mk_node *c = dir->child; c; c = c->next) {
		if (!included(b, c))
			continue;
		uint8_t id[256];
		size_t id_len;
		udf_cs0_status cs = udf_cs0_encode(id, 255, c->name, c->name_len, &id_len);
		if (cs)
			return cs0_error(b, c, cs, id_len, "name");
		if (!dm_utf8_valid(c->name, c->name_len))
			odd_names = 1;
		uint8_t *copy = dm_arena_bytes(p->arena, id_len);
		if (!copy)
			return nomem(b);
		memcpy(copy, id, id_len);
		p->ents[first + k].id = copy;
		p->ents[first + k].id_len = (uint8_t)id_len;
		bytes += udf_fid_len(id_len);
		if (c->type == MK_DIR)
			subdirs++;
		k++;
	}
	if (odd_names && (st = check_dups(b, dir, first, n)))
		return st;
	if ((st = check_ads(b, dir, bytes, 0)))
		return st;
	udf_icb *me = &p->icbs[idx];
	me->first_ent = first;
	me->nents = n;
	me->tail_lbn = (uint32_t)b->cur;
	me->tail_len = (uint32_t)bytes;
	if (bytes > 0xFFFFFFFFu)
		return fail_item(b, dir, DM_ERR_UNSUPPORTED, "too many entries for one UDF directory");
	/* 4/14.9.6: the FIDs naming it: its entry in the parent (or, for the root, its own
	 * parent FID) and the parent FID of each subdirectory. */
	if (subdirs + 1 > 0xFFFF)
		return fail_item(b, dir, DM_ERR_UNSUPPORTED, "more than 65534 subdirectories");
	me->nlink = (uint16_t)(subdirs + 1);
	b->cur += blocks_of(bytes);
	k = 0;
	for (mk_node *c = dir->child; c; c = c->next) {
		if (!included(b, c))
			continue;
		uint32_t ci;
		st = c->type == MK_DIR ? build_dir(b, c, idx, &ci) : leaf_icb(b, c, &ci);
		if (st)
			return st;
		p->ents[first + k++].icb = ci;
	}
	return DM_OK;
}

dm_status udf_plan_build(udf_plan **out, mk_tree *tree, const udf_opts *opts, dm_ctx *ctx)
{
	*out = NULL;
	if (!udf_rev_valid(opts->rev))
		return dm_fail(ctx, DM_ERR_INVALID, "UDF revision %x.%02x is not one mkimage writes",
			       opts->rev >> 8, opts->rev & 0xFF);
	udf_plan *p = calloc(1, sizeof(*p));
	if (!p)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	p->opts = *opts;
	p->tree = tree;
	p->arena = dm_arena_new();
	builder b = {.p = p, .ctx = ctx, .cur = 2,
		     .next_uid = opts->first_unique_id > FIRST_UNIQUE_ID ? opts->first_unique_id
									 : FIRST_UNIQUE_ID};
	dm_status st;
	uint32_t root;
	if (!p->arena)
		st = nomem(&b);
	else
		st = build_dir(&b, mk_tree_root(tree), 0, &root);
	free(b.hkeys);
	free(b.hvals);
	if (!st && b.cur > 0xFFFFFFFFu)
		st = dm_fail(ctx, DM_ERR_NOSPACE, "the UDF metadata needs %llu blocks, more than a "
			     "partition addresses", (unsigned long long)b.cur);
	if (st) {
		udf_plan_free(p);
		return st;
	}
	p->meta_blocks = (uint32_t)b.cur;
	p->next_unique_id = b.next_uid;
	*out = p;
	return DM_OK;
}

/* A 64-bit value for the volume set identifier (UDF 2.2.2.5), from what identifies this
 * volume: the same options and SOURCE_DATE_EPOCH give the same value (FNV-1a). */
static uint64_t volset_unique(const udf_opts *o)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *s = o->volume_id ? o->volume_id : "";
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	for (int i = 0; i < 8; i++)
		h = (h ^ (uint8_t)((uint64_t)o->volume_time >> (8 * i))) * 0x100000001b3ULL;
	return h;
}

void udf_plan_place(udf_plan *p, const udf_where *w)
{
	const udf_opts *o = &p->opts;
	udf_vol_info *v = &p->vol;
	memset(v, 0, sizeof(*v));
	v->rev = o->rev;
	v->time = o->volume_time;
	v->serial = 1;
	v->volume_id = o->volume_id;
	v->volset_id = o->volset_id;
	v->volset_unique = volset_unique(o);
	v->application = o->application;
	v->publisher = o->publisher;
	v->preparer = o->preparer;
	v->main_vds = w->main_vds;
	v->reserve_vds = w->reserve_vds;
	v->vds_blocks = UDF_VDS_DESCRIPTORS;
	v->lvid_lba = w->lvid;
	v->part_start = w->part_start;
	v->files = p->files;
	v->dirs = p->dirs;
	v->next_unique_id = p->next_unique_id;
	p->vrs_lba = w->vrs;
	p->part_start = w->part_start;
	p->space_start = w->space_start ? w->space_start : w->part_start;
	p->avdp[0] = w->anchor ? w->anchor : 256;
	/* Block of the partition where this session's space starts (0 but in later sessions). */
	uint32_t shift = p->space_start - p->part_start;
	v->fsd_lbn = 0;
	if (!udf_rev_metadata(o->rev)) {
		p->meta_lbn = shift;
		p->meta_extent = p->meta_blocks;
		p->data_lbn = shift + p->meta_blocks;
		v->fsd_part = v->root_part = UDF_PART_PHYS;
		v->fsd_lbn = shift;
		if (shift) /* the space's blocks move with it: the FEs, FIDs and symlink targets */
			for (uint32_t i = 0; i < p->nicbs; i++) {
				udf_icb *c = &p->icbs[i];
				if (c->reused) /* already a block of the partition */
					continue;
				c->lbn += shift;
				if (c->type == UDF_FT_DIR || (c->type == UDF_FT_SYMLINK && !c->embedded))
					c->tail_lbn += shift;
			}
	} else {
		/* The metadata file and its mirror (UDF 2.2.13): FEs at blocks 0 and 1 (of the
		 * session's space), their extents aligned to and sized in allocation units;
		 * read-only, so no bitmap. The metadata partition's own blocks start at 0. */
		uint64_t start = (uint64_t)p->space_start + 2;
		start = (start + META_UNIT - 1) / META_UNIT * META_UNIT;
		p->meta_lbn = (uint32_t)(start - w->part_start);
		p->meta_extent = (p->meta_blocks + META_UNIT - 1) / META_UNIT * META_UNIT;
		p->mirror_lbn = p->meta_lbn + p->meta_extent;
		p->data_lbn = p->mirror_lbn + p->meta_extent;
		v->metadata = 1;
		v->meta_file = shift;
		v->meta_mirror = shift + 1;
		v->meta_bitmap = 0xFFFFFFFFu;
		v->meta_blocks = p->meta_extent;
		v->meta_alloc_unit = META_UNIT;
		v->meta_align_unit = META_UNIT;
		v->meta_duplicate = 1;
		v->fsd_part = v->root_part = UDF_PART_META;
	}
	v->root_lbn = p->icbs[0].lbn;
}

dm_status udf_plan_finish(udf_plan *p, uint64_t part_end, dm_ctx *ctx)
{
	/* ECMA-167 3/8.4.2.1: anchors at 256, N - 256 and N; N is the last sector. */
	uint64_t last = part_end + 256;
	if (last > 0xFFFFFFFFu || part_end - p->part_start > 0xFFFFFFFFu)
		return dm_fail(ctx, DM_ERR_NOSPACE,
			       "the image would have %llu sectors; UDF addresses at most 4294967295",
			       (unsigned long long)(last + 1));
	p->vol.part_len = (uint32_t)(part_end - p->part_start);
	p->avdp[1] = (uint32_t)part_end;
	p->avdp[2] = (uint32_t)last;
	p->total_sectors = (uint32_t)(last + 1);
	return DM_OK;
}

size_t udf_plan_memory(const udf_plan *p)
{
	return dm_arena_used(p->arena) + (size_t)p->nicbs * sizeof(udf_icb) +
	       (size_t)p->nents * sizeof(udf_ent) + (size_t)p->ndata * sizeof(mk_data *);
}

void udf_plan_free(udf_plan *p)
{
	if (!p)
		return;
	free(p->icbs);
	free(p->ents);
	free(p->data);
	dm_arena_free(p->arena);
	free(p);
}
