#include "mkimage/iso/iso_plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkimage/iso/iso_names.h"

/* During sizing, directories have no LBA yet; CL and PL entries still need to be counted,
 * so every directory starts with this provisional (nonzero) address. */
#define LBA_PROVISIONAL 0xFFFFFFFFu

uint32_t iso_extent_count(uint64_t size)
{
	if (size == 0)
		return 1;
	return (uint32_t)((size + ISO_EXTENT_MAX - 1) / ISO_EXTENT_MAX);
}

static uint64_t sectors(uint64_t bytes)
{
	return (bytes + ISO_SECTOR - 1) / ISO_SECTOR;
}

/* State while building one hierarchy. */
typedef struct builder {
	iso_plan *p;
	iso_hier *h;
	dm_ctx *ctx;
	iso_dir **all;           /* every directory, in creation order */
	uint32_t nall, capall;
	iso_dir *moved;          /* rr_moved, when relocating */
	iso_rec *moved_recs;
	uint32_t nmoved, capmoved;
} builder;

static int included(const iso_hier *h, const mk_node *n)
{
	/* Items a manifest leaves out of this hierarchy (IMAPI's per-item FsiFileSystems). */
	if (n->flags & (h->joliet ? MK_NOT_JOLIET : MK_NOT_ISO))
		return 0;
	/* Plain ISO 9660 and Joliet can only say "file" or "directory" (ECMA-119 9.1.6). */
	if (n->type == MK_FILE || n->type == MK_DIR)
		return 1;
	return h->rr;
}

static iso_dir *new_dir(builder *b, mk_node *node, iso_dir *parent, uint16_t depth)
{
	iso_dir *d = dm_arena_alloc(b->p->arena, sizeof(*d));
	if (!d)
		return NULL;
	if (b->nall == b->capall) {
		uint32_t cap = b->capall ? b->capall * 2 : 64;
		iso_dir **all = realloc(b->all, cap * sizeof(*all));
		if (!all)
			return NULL;
		b->all = all;
		b->capall = cap;
	}
	b->all[b->nall++] = d;
	d->node = node;
	d->parent = parent ? parent : d;
	d->depth = depth;
	d->lba = LBA_PROVISIONAL;
	d->nlink = 2;
	for (const mk_node *c = node->child; c; c = c->next)
		if (c->type == MK_DIR && included(b->h, c))
			d->nlink++;
	return d;
}

static dm_status nomem(builder *b)
{
	return dm_fail(b->ctx, DM_ERR_NOMEM, "out of memory planning the ISO 9660 layout");
}

static dm_status too_deep(builder *b, const mk_node *n)
{
	char path[1024];
	mk_node_image_path(n, path, sizeof(path));
	return dm_fail(b->ctx, DM_ERR_UNSUPPORTED,
		       "directory %s is more than %d levels deep, which strict ISO 9660 cannot record "
		       "without Rock Ridge: add rockridge to --fs, or leave out --rr-relocate",
		       path, ISO_MAX_LEVELS);
}

/* Fill d's records from its node's children, recursing into directories. */
static dm_status populate(builder *b, iso_dir *d)
{
	iso_hier *h = b->h;
	uint32_t n = 0;
	for (const mk_node *c = d->node->child; c; c = c->next)
		n += (uint32_t)included(h, c);
	int with_moved = (b->moved && d->depth == 1);
	d->recs = dm_arena_alloc(b->p->arena, (n + (uint32_t)with_moved) * sizeof(iso_rec) + 1);
	if (!d->recs)
		return nomem(b);
	if (with_moved) {
		iso_rec *r = &d->recs[d->nrecs++];
		r->node = b->moved->node;
		r->dir = b->moved;
	}
	for (mk_node *c = d->node->child; c; c = c->next) {
		if (!included(h, c))
			continue;
		iso_rec *r = &d->recs[d->nrecs++];
		r->node = c;
		/* Rock Ridge counts the links it shows: a manifest may leave some out (fs=). */
		if (c->type == MK_FILE && !h->joliet && b->p->links)
			b->p->links[c->data->serial]++;
		if (c->type != MK_DIR)
			continue;
		uint32_t depth = d->depth + 1u;
		iso_dir *parent = d;
		/* ECMA-119 6.8.2.1 allows 8 levels; deeper ones stay in place unless relocation
		 * is asked for (xorriso's deep_paths: GRUB, libcdio and pycdlib ignore CL). */
		if (depth > ISO_MAX_LEVELS && !h->joliet && b->p->opts.rr_relocate) {
			if (!h->rr)
				return too_deep(b, c);
			/* RRIP 4.1.5: the directory moves under rr_moved; a file with CL stays here. */
			parent = b->moved;
			depth = b->moved->depth + 1u;
			r->kind = ISO_REC_PLACEHOLDER;
		}
		if (depth > 0xFFFF)
			return too_deep(b, c);
		iso_dir *nd = new_dir(b, c, parent, (uint16_t)depth);
		if (!nd)
			return nomem(b);
		r->dir = nd;
		if (r->kind == ISO_REC_PLACEHOLDER) {
			nd->real_parent = d;
			nd->reloc = b->nmoved + 1;
			if (b->nmoved == b->capmoved) {
				uint32_t cap = b->capmoved ? b->capmoved * 2 : 16;
				iso_rec *mr = realloc(b->moved_recs, cap * sizeof(*mr));
				if (!mr)
					return nomem(b);
				b->moved_recs = mr;
				b->capmoved = cap;
			}
			iso_rec *m = &b->moved_recs[b->nmoved++];
			memset(m, 0, sizeof(*m));
			m->node = c;
			m->dir = nd;
			m->kind = ISO_REC_RELOCATED;
		}
		dm_status st = populate(b, nd);
		if (st)
			return st;
	}
	return DM_OK;
}

static int cmp_iso(const void *a, const void *b)
{
	const iso_name_req *x = *(const iso_name_req *const *)a, *y = *(const iso_name_req *const *)b;
	return iso_id_cmp(x->id, x->id_len, y->id, y->id_len, 1);
}

static int cmp_joliet(const void *a, const void *b)
{
	const iso_name_req *x = *(const iso_name_req *const *)a, *y = *(const iso_name_req *const *)b;
	return iso_id_cmp(x->id, x->id_len, y->id, y->id_len, 2);
}

/* Scratch of name_dir(), kept between directories. */
typedef struct name_scratch {
	iso_name_req *reqs;
	iso_name_req **ord;
	iso_rec *recs;
	size_t cap;
} name_scratch;

/* The name a record is given from: rr_moved's Rock Ridge name is hidden (".rr_moved"); its
 * ISO name is RR_MOVED. */
static void rec_source(const iso_plan *p, const iso_rec *r, const char **src, size_t *len)
{
	if (r->node == p->rr_moved) {
		*src = "rr_moved";
		*len = 8;
	} else {
		*src = r->node->name;
		*len = r->node->name_len;
	}
}

static int rec_is_dir(const iso_rec *r)
{
	return r->node->type == MK_DIR && r->kind != ISO_REC_PLACEHOLDER;
}

/* Name d's records and sort them in ECMA-119 9.3 order. Only the lengths of the identifiers
 * and their counters are kept, and the identifiers of directories (for the path table). */
static dm_status name_dir(builder *b, iso_dir *d, name_scratch *ns)
{
	if (d->nrecs == 0)
		return DM_OK;
	if (d->nrecs > ns->cap) {
		iso_name_req *r = realloc(ns->reqs, d->nrecs * sizeof(*r));
		if (r)
			ns->reqs = r;
		iso_name_req **o = realloc(ns->ord, d->nrecs * sizeof(*o));
		if (o)
			ns->ord = o;
		iso_rec *c = realloc(ns->recs, d->nrecs * sizeof(*c));
		if (c)
			ns->recs = c;
		if (!r || !o || !c)
			return nomem(b);
		ns->cap = d->nrecs;
	}
	iso_name_req *q = ns->reqs;
	for (uint32_t i = 0; i < d->nrecs; i++) {
		const iso_rec *r = &d->recs[i];
		rec_source(b->p, r, &q[i].src, &q[i].src_len);
		q[i].is_dir = rec_is_dir(r);
	}
	dm_status st = b->h->joliet ? joliet_names_assign(q, d->nrecs, b->p->opts.joliet_max, b->ctx)
				    : iso_names_assign(q, d->nrecs, b->p->opts.level | b->p->opts.iso_names, b->ctx);
	if (st) {
		char path[1024];
		mk_node_image_path(d->node, path, sizeof(path));
		return dm_fail_prefix(b->ctx, "naming the entries of %s: ", path);
	}
	uint32_t ncounters = 0;
	for (uint32_t i = 0; i < d->nrecs; i++) {
		ns->ord[i] = &q[i];
		ncounters += q[i].counter != 0;
	}
	qsort(ns->ord, d->nrecs, sizeof(*ns->ord), b->h->joliet ? cmp_joliet : cmp_iso);
	if (ncounters) {
		d->counters = dm_arena_alloc(b->p->arena, ncounters * sizeof(*d->counters));
		if (!d->counters)
			return nomem(b);
	}
	memcpy(ns->recs, d->recs, d->nrecs * sizeof(*ns->recs));
	for (uint32_t k = 0; k < d->nrecs; k++) {
		const iso_name_req *r = ns->ord[k];
		iso_rec *rec = &d->recs[k];
		*rec = ns->recs[r - q];
		rec->id_len = r->id_len;
		if (r->counter)
			d->counters[d->ncounters++] = (iso_counter){k, r->counter};
		if (rec->dir && rec->kind != ISO_REC_PLACEHOLDER) {
			uint8_t *id = dm_arena_bytes(b->p->arena, r->id_len);
			if (!id)
				return nomem(b);
			memcpy(id, r->id, r->id_len);
			rec->dir->id = id;
			rec->dir->id_len = r->id_len;
		}
	}
	return DM_OK;
}

/* The group that decides where a directory's extent goes: the root, then rr_moved, then
 * the relocated subtrees, the last relocated first, then everything else. libarchive
 * connects a CL placeholder to its RE directory when it meets the placeholder, in disc
 * order, and can only do so for nested relocations if the inner subtree's placeholder is
 * met before the outer one's (its "Failed to connect 'CL' pointer to 'RE'"); parents still
 * precede their children, which every streaming reader needs. */
static uint32_t extent_group(const iso_dir *d, const iso_dir *moved, uint32_t nmoved)
{
	if (d->depth == 1)
		return 0;
	if (d == moved)
		return 1;
	for (const iso_dir *a = d; a->depth > 1; a = a->parent)
		if (a->reloc)
			return 2 + (nmoved - a->reloc);
	return 2 + nmoved;
}

/* by_lba: the path-table order, stably regrouped by extent_group() (a counting sort).
 * Without relocation the two orders are the same. */
static int extent_order(iso_hier *h, const iso_dir *moved, uint32_t nmoved)
{
	uint32_t groups = 3 + nmoved;
	uint32_t *start = calloc((size_t)groups + 1, sizeof(*start));
	uint32_t *group = malloc((size_t)h->ndirs * sizeof(*group) + 1);
	if (!start || !group) {
		free(start);
		free(group);
		return -1;
	}
	for (uint32_t i = 0; i < h->ndirs; i++) {
		group[i] = extent_group(h->dirs[i], moved, nmoved);
		start[group[i] + 1]++;
	}
	for (uint32_t g = 0; g < groups; g++)
		start[g + 1] += start[g];
	for (uint32_t i = 0; i < h->ndirs; i++)
		h->by_lba[start[group[i]]++] = h->dirs[i];
	free(start);
	free(group);
	return 0;
}

/* Path-table order (ECMA-119 6.9.1): breadth first, children in record order. */
static dm_status number_dirs(builder *b)
{
	iso_hier *h = b->h;
	h->dirs = malloc((size_t)b->nall * sizeof(*h->dirs));
	if (!h->dirs)
		return nomem(b);
	uint32_t n = 0;
	h->dirs[n++] = b->all[0];
	for (uint32_t i = 0; i < n; i++) {
		iso_dir *d = h->dirs[i];
		d->number = i + 1;
		for (uint32_t k = 0; k < d->nrecs; k++) {
			iso_rec *r = &d->recs[k];
			if (r->dir && r->kind != ISO_REC_PLACEHOLDER)
				h->dirs[n++] = r->dir;
		}
	}
	h->ndirs = n;
	h->by_lba = malloc((size_t)n * sizeof(*h->by_lba));
	if (!h->by_lba || extent_order(h, b->moved, b->nmoved) < 0)
		return nomem(b);
	if (n > 0xFFFF)
		return dm_fail(b->ctx, DM_ERR_UNSUPPORTED,
			       "%u directories: an ISO 9660 path table can number at most 65535", n);
	h->pt_size = 0;
	for (uint32_t i = 0; i < n; i++)
		h->pt_size += 8u + h->dirs[i]->id_len + (h->dirs[i]->id_len & 1u);
	return DM_OK;
}

/* Continuation areas are packed into sectors in the order they are planned; an area never
 * crosses a sector (Linux isofs refuses one that does). Each directory's areas get sectors
 * of their own right after its extent, because libarchive reads continuation areas only
 * where its stream stands after reading a directory. Positions are relative to that
 * directory's first continuation sector until iso_plan_build() knows where it is. */
typedef struct area_alloc {
	uint32_t sector, offset, cap;
} area_alloc;

static dm_status place_areas(iso_plan *p, area_alloc *aa, const rr_result *res, uint32_t *first,
			     dm_ctx *ctx)
{
	*first = p->nareas;
	for (size_t i = 0; i < res->n_areas; i++) {
		if (p->nareas == aa->cap) {
			uint32_t cap = aa->cap ? aa->cap * 2 : 64;
			rr_area_loc *a = realloc(p->areas, cap * sizeof(*a));
			if (!a)
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning continuation areas");
			p->areas = a;
			aa->cap = cap;
		}
		if (aa->offset + res->area_len[i] > ISO_SECTOR) {
			aa->sector++;
			aa->offset = 0;
		}
		p->areas[p->nareas].lba = aa->sector;
		p->areas[p->nareas].offset = aa->offset;
		p->nareas++;
		aa->offset += (uint32_t)res->area_len[i];
	}
	return DM_OK;
}

static dm_status size_su(iso_plan *p, const iso_dir *d, const iso_rec *rec, int dot, size_t room,
			 area_alloc *aa, uint8_t *su_len, uint8_t *n_areas, uint32_t *area, dm_ctx *ctx)
{
	rr_attrs a;
	iso_rr_attrs(p, d, rec, dot, &a);
	dm_status st = rr_build(&a, room, NULL, p->rr_scratch, ctx);
	if (st) {
		char path[1024];
		mk_node_image_path(rec ? rec->node : d->node, path, sizeof(path));
		return dm_fail_prefix(ctx, "Rock Ridge entries of %s: ", path);
	}
	size_t len = p->rr_scratch->inline_len;
	*su_len = (uint8_t)(len + (len & 1u));
	*n_areas = (uint8_t)p->rr_scratch->n_areas;
	return place_areas(p, aa, p->rr_scratch, area, ctx);
}

/* Record sizes, System Use sizes and directory sizes of one hierarchy. */
static dm_status size_dirs(iso_plan *p, iso_hier *h, area_alloc *aa, dm_ctx *ctx)
{
	for (uint32_t i = 0; i < h->ndirs; i++) {
		iso_dir *d = h->dirs[i];
		aa->sector = 0;
		aa->offset = 0;
		d->area_first = p->nareas;
		if (h->rr) {
			dm_status st = size_su(p, d, NULL, 1, 255 - 34, aa, &d->dot.su_len, &d->dot.n_areas,
					       &d->dot.area, ctx);
			if (!st)
				st = size_su(p, d, NULL, 2, 255 - 34, aa, &d->dotdot.su_len,
					     &d->dotdot.n_areas, &d->dotdot.area, ctx);
			if (st)
				return st;
		}
		uint64_t pos = iso_rec_len(1, d->dot.su_len);
		uint32_t len = iso_rec_len(1, d->dotdot.su_len);
		pos += len;
		for (uint32_t k = 0; k < d->nrecs; k++) {
			iso_rec *r = &d->recs[k];
			if (h->rr) {
				size_t room = 255 - iso_rec_len(r->id_len, 0);
				dm_status st = size_su(p, d, r, 0, room, aa, &r->su_len, &r->n_areas, &r->area, ctx);
				if (st)
					return st;
			}
			len = iso_rec_len(r->id_len, r->su_len);
			uint32_t n = (r->node->type == MK_FILE && r->kind == ISO_REC_NORMAL)
					     ? iso_extent_count(r->node->data->size) : 1;
			for (uint32_t e = 0; e < n; e++) {
				/* ECMA-119 6.8.1.1: a record never crosses a sector boundary. */
				if (pos % ISO_SECTOR + len > ISO_SECTOR)
					pos = sectors(pos) * ISO_SECTOR;
				pos += len;
			}
		}
		uint64_t size = sectors(pos) * ISO_SECTOR;
		if (size > 0xFFFFFFFFu) {
			char path[1024];
			mk_node_image_path(d->node, path, sizeof(path));
			return dm_fail(ctx, DM_ERR_UNSUPPORTED, "directory %s is too large for ISO 9660", path);
		}
		d->size = (uint32_t)size;
		d->area_count = p->nareas - d->area_first;
		d->ce_sectors = d->area_count ? aa->sector + 1 : 0;
		p->ce_sectors += d->ce_sectors;
	}
	return DM_OK;
}

static dm_status build_hier(iso_plan *p, iso_hier *h, int needs_reloc, dm_ctx *ctx)
{
	builder b = {.p = p, .h = h, .ctx = ctx};
	dm_status st = DM_OK;
	iso_dir *root = new_dir(&b, mk_tree_root(p->tree), NULL, 1);
	if (!root) {
		st = nomem(&b);
		goto out;
	}
	static const uint8_t root_id[1] = {0};
	root->id = root_id;
	root->id_len = 1;
	if (needs_reloc && h->rr) {
		root->nlink++;
		b.moved = new_dir(&b, p->rr_moved, root, 2);
		if (!b.moved) {
			st = nomem(&b);
			goto out;
		}
	}
	st = populate(&b, root);
	if (st)
		goto out;
	if (b.moved) {
		b.moved->recs = dm_arena_alloc(p->arena, (b.nmoved + 1) * sizeof(iso_rec));
		if (!b.moved->recs) {
			st = nomem(&b);
			goto out;
		}
		if (b.nmoved)
			memcpy(b.moved->recs, b.moved_recs, b.nmoved * sizeof(iso_rec));
		b.moved->nrecs = b.nmoved;
	}
	name_scratch ns = {0};
	for (uint32_t i = 0; i < b.nall && !st; i++)
		st = name_dir(&b, b.all[i], &ns);
	free(ns.reqs);
	free(ns.ord);
	free(ns.recs);
	if (!st)
		st = number_dirs(&b);
out:
	free(b.all);
	free(b.moved_recs);
	return st;
}

size_t iso_rec_id(const iso_plan *p, const iso_hier *h, const iso_dir *d, const iso_rec *rec,
		  uint8_t *out)
{
	if (rec->dir && rec->kind != ISO_REC_PLACEHOLDER) {
		memcpy(out, rec->dir->id, rec->dir->id_len);
		return rec->dir->id_len;
	}
	uint32_t counter = 0, at = (uint32_t)(rec - d->recs);
	for (uint32_t lo = 0, hi = d->ncounters; lo < hi;) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->counters[mid].rec < at) {
			lo = mid + 1;
		} else {
			if (d->counters[mid].rec == at)
				counter = d->counters[mid].counter;
			hi = mid;
		}
	}
	const char *src;
	size_t len;
	rec_source(p, rec, &src, &len);
	return h->joliet ? joliet_name_make(src, len, rec_is_dir(rec), p->opts.joliet_max, counter, out)
			 : iso_name_make(src, len, rec_is_dir(rec), p->opts.level | p->opts.iso_names, counter, out);
}


void iso_rr_attrs(const iso_plan *p, const iso_dir *d, const iso_rec *rec, int dot, rr_attrs *a)
{
	memset(a, 0, sizeof(*a));
	const mk_node *n;
	uint32_t nlink = 1;
	if (rec) {
		n = rec->node;
		a->name = n->name;
		a->name_len = n->name_len;
		if (rec->dir)
			nlink = rec->dir->nlink;
		if (rec->kind == ISO_REC_PLACEHOLDER)
			a->cl_lba = rec->dir->lba;
		else if (rec->kind == ISO_REC_RELOCATED)
			a->re = 1;
	} else if (dot == 1) {
		n = d->node;
		nlink = d->nlink;
		a->is_root_dot = d->depth == 1;
	} else {
		const iso_dir *up = d->real_parent ? d->real_parent : d->parent;
		n = up->node;
		nlink = up->nlink;
		if (d->real_parent)
			a->pl_lba = d->real_parent->lba;
	}
	a->mode = n->mode;
	a->uid = n->uid;
	a->gid = n->gid;
	a->mtime = n->mtime;
	a->atime = n->atime;
	a->ctime = n->ctime;
	if (n->type == MK_BLKDEV || n->type == MK_CHRDEV)
		a->rdev = n->rdev;
	if (n->type == MK_FILE) {
		a->nlink = p->links ? p->links[n->data->serial] : 1;
		a->serial = n->data->serial;
	} else {
		a->nlink = nlink;
		a->serial = n->serial;
	}
	if (n->type == MK_SYMLINK) {
		a->target = n->target;
		a->target_len = strlen(n->target);
	}
}

/* The order of file data on the disc. Without data source records (a directory source) it
 * is tree order. With them: higher sort weights first; within one weight, files in tree
 * order, then archive members by archive and header index, so that the emitter reads each
 * archive in one forward pass (data_source.h). Members take their archive's weight, so an
 * archive is never split by another archive. */
typedef struct data_key {
	mk_data *d;
	int32_t weight;
	uint32_t archive;        /* 0: not a member; else 1 + archive number */
	uint32_t member;
	uint32_t ordinal;        /* tree order */
} data_key;

static int cmp_data(const void *a, const void *b)
{
	const data_key *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->archive != y->archive)
		return x->archive < y->archive ? -1 : 1;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

static dm_status order_data(iso_plan *p, dm_ctx *ctx)
{
	if (!mk_tree_has_dsrc(p->tree) || p->ndata < 2)
		return DM_OK;
	data_key *k = malloc((size_t)p->ndata * sizeof(*k));
	if (!k)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory ordering file data");
	for (uint32_t i = 0; i < p->ndata; i++) {
		const mk_dsrc *s = mk_tree_dsrc(p->tree, p->data[i]);
		k[i] = (data_key){p->data[i], s ? s->weight : 0, 0, 0, i};
		if (s && s->kind == MK_DSRC_MEMBER) {
			k[i].archive = s->archive + 1;
			k[i].member = s->member;
		}
	}
	qsort(k, p->ndata, sizeof(*k), cmp_data);
	for (uint32_t i = 0; i < p->ndata; i++)
		p->data[i] = k[i].d;
	free(k);
	return DM_OK;
}

/* Serial numbers, data order and the relocation check, in one walk of the tree. *next_serial
 * gets the first serial not given (rr_moved's, when it is made). */
static dm_status walk_tree(iso_plan *p, int *needs_reloc, uint32_t *next_serial, dm_ctx *ctx)
{
	uint32_t serial = 1, ndata = 0, nfiles = 0;
	int shared = 0;
	mk_node *n;
	/* Hard links share a data record: clear its marks so a second plan of the same tree
	 * (a dry run, then the real one) sees each record once again. Counting the file nodes
	 * on the way sizes the data list once (a bound: hard links have one entry). */
	for (n = mk_tree_root(p->tree); n;) {
		if (n->type == MK_FILE) {
			n->data->serial = 0;
			nfiles++;
		}
		n = mk_tree_next(n);
	}
	p->data = malloc((size_t)nfiles * sizeof(*p->data) + 1);
	if (!p->data)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning file data");
	n = mk_tree_root(p->tree);
	unsigned depth = 1;
	*needs_reloc = 0;
	/* A node (and its subtree) that no hierarchy shows gets no serial and no data. */
	uint8_t gone = (uint8_t)(MK_NOT_ISO | (p->opts.joliet ? MK_NOT_JOLIET : 0) |
				 (p->opts.with_udf ? MK_NOT_UDF : 0));
	while (n) {
		if ((n->flags & gone) == gone) {
			while (n && !n->next) {
				n = n->parent;
				depth--;
			}
			if (n)
				n = n->next;
			continue;
		}
		if (n->type == MK_FILE) {
			mk_data *d = n->data;
			if (!d->serial) {
				d->serial = serial++;
				if (d->size && !mk_data_is_old(p->tree, d))
					p->data[ndata++] = d;
			} else {
				shared = 1;
			}
			p->files++;
			if (d->size >= ((uint64_t)1 << 32) && p->opts.level < 3) {
				char path[1024];
				mk_node_image_path(n, path, sizeof(path));
				return dm_fail(ctx, DM_ERR_UNSUPPORTED,
					       "%s is %llu bytes: files of 4 GiB and more need --iso-level 3 "
					       "(multi-extent files)",
					       path, (unsigned long long)d->size);
			}
		} else {
			n->serial = serial++;
			if (n->type == MK_DIR) {
				p->dirs++;
				if (depth > ISO_MAX_LEVELS)
					*needs_reloc = 1;
			}
		}
		if (n->child) {
			n = n->child;
			depth++;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			depth--;
		}
		if (n)
			n = n->next;
	}
	p->ndata = ndata;
	*next_serial = serial;
	/* Link counts are counted only when some file has several links in the image; each
	 * other file shows exactly one (its own record), and 4 bytes per file are saved. */
	if (shared) {
		p->links = calloc((size_t)serial + 1, sizeof(*p->links));
		if (!p->links)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning link counts");
	}
	return order_data(p, ctx);
}

static dm_status make_rr_moved(iso_plan *p, uint32_t serial, dm_ctx *ctx)
{
	mk_node *root = mk_tree_root(p->tree);
	/* A hidden name, unique among the root's entries. */
	static const char *const names[] = {".rr_moved", ".rr_moved.1", ".rr_moved.2", ".rr_moved.3"};
	const char *name = names[0];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		name = names[i];
		if (!mk_tree_find(root, name, strlen(name)))
			break;
	}
	mk_node *m = mk_node_new(p->arena, name, strlen(name));
	if (!m)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	m->type = MK_DIR;
	m->mode = S_IFDIR | 0555;
	m->parent = root;
	m->flags = MK_SYNTHETIC;
	m->serial = serial;
	m->mtime = m->atime = m->ctime = p->opts.volume_time;
	p->rr_moved = m;
	return DM_OK;
}

dm_status iso_plan_build(iso_plan **out, mk_tree *tree, const iso_opts *opts, dm_ctx *ctx)
{
	return iso_plan_build_at(out, tree, opts, 0, 0, ctx);
}

dm_status iso_plan_build_at(iso_plan **out, mk_tree *tree, const iso_opts *opts, uint32_t meta_lba,
			    uint32_t avoid_lba, dm_ctx *ctx)
{
	*out = NULL;
	iso_plan *p = calloc(1, sizeof(*p));
	if (!p)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	p->opts = *opts;
	p->tree = tree;
	p->arena = dm_arena_new();
	p->rr_scratch = malloc(sizeof(rr_result));
	dm_status st = DM_OK;
	if (!p->arena || !p->rr_scratch) {
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto fail;
	}
	int needs_reloc;
	uint32_t next_serial;
	st = walk_tree(p, &needs_reloc, &next_serial, ctx);
	if (st)
		goto fail;
	needs_reloc = needs_reloc && opts->rr_relocate;
	if (needs_reloc && opts->rockridge) {
		if ((st = make_rr_moved(p, next_serial, ctx)))
			goto fail;
		p->have_rr_moved = 1;
	}

	p->primary.rr = opts->rockridge;
	st = build_hier(p, &p->primary, needs_reloc, ctx);
	if (!st && opts->joliet) {
		p->joliet.joliet = 1;
		st = build_hier(p, &p->joliet, 0, ctx);
	}
	area_alloc aa = {0, 0, 0};
	if (!st)
		st = size_dirs(p, &p->primary, &aa, ctx);
	if (!st && opts->joliet)
		st = size_dirs(p, &p->joliet, &aa, ctx);
	if (st)
		goto fail;

	/* Assign sectors, in the order of the map in iso_plan.h. */
	uint64_t cur = (uint64_t)opts->base + 16;
	p->pvd_lba = (uint32_t)cur++;
	if (opts->boot) /* El Torito 1.0 2.0: the boot record follows the primary descriptor */
		p->boot_lba = (uint32_t)cur++;
	if (opts->joliet)
		p->svd_lba = (uint32_t)cur++;
	p->term_lba = (uint32_t)cur++;
	if (opts->partition_offset) {
		/* The partition's descriptors: primary, Joliet, terminator (iso_plan.h). */
		if (opts->base || opts->with_udf || opts->partition_offset < 16) {
			st = dm_fail(ctx, DM_ERR_INVALID, "-partition_offset %u: only from 16 on, in a "
				     "first session without UDF", opts->partition_offset);
			goto fail;
		}
		p->part_vd_lba = opts->partition_offset + 16;
		cur = (uint64_t)p->part_vd_lba + 2 + (opts->joliet ? 1 : 0);
		if (!meta_lba)
			meta_lba = (uint32_t)cur;
	}
	iso_hier *hs[2] = {&p->primary, opts->joliet ? &p->joliet : NULL};
	if (meta_lba) {
		uint64_t need = p->ce_sectors;
		for (int i = 0; i < 2; i++) {
			if (!hs[i])
				continue;
			need += 2 * sectors(hs[i]->pt_size);
			for (uint32_t k = 0; k < hs[i]->ndirs; k++)
				need += hs[i]->dirs[k]->size / ISO_SECTOR;
		}
		cur = meta_lba;
		if (avoid_lba && cur <= avoid_lba && cur + need > avoid_lba)
			cur = (uint64_t)avoid_lba + 1;
	}
	for (int i = 0; i < 2; i++) {
		if (!hs[i])
			continue;
		hs[i]->pt_l_lba = (uint32_t)cur;
		cur += sectors(hs[i]->pt_size);
		hs[i]->pt_m_lba = (uint32_t)cur;
		cur += sectors(hs[i]->pt_size);
	}
	for (int i = 0; i < 2; i++) {
		if (!hs[i])
			continue;
		hs[i]->dirs_lba = (uint32_t)cur;
		hs[i]->dirs_sectors = 0;
		for (uint32_t k = 0; k < hs[i]->ndirs; k++) {
			iso_dir *d = hs[i]->by_lba[k];
			d->lba = (uint32_t)cur;
			cur += d->size / ISO_SECTOR;
			hs[i]->dirs_sectors += d->size / ISO_SECTOR;
			d->ce_lba = (uint32_t)cur;
			cur += d->ce_sectors;
			for (uint32_t a = d->area_first; a < d->area_first + d->area_count; a++)
				p->areas[a].lba += d->ce_lba;
		}
	}
	/* The partition's copy of all that follows it (iso_emit.c writes it). */
	if (opts->partition_offset) {
		uint64_t first = hs[0]->pt_l_lba;
		p->part_copy = (uint32_t)(cur - first);
		cur += p->part_copy;
		if (cur > 0xFFFFFFFFu) {
			st = dm_fail(ctx, DM_ERR_NOSPACE, "-partition_offset: the directories do not "
				     "fit twice in 4294967295 sectors");
			goto fail;
		}
	}
	/* The file data is the image planner's to place (image_plan.c), in p->data's order. */
	p->meta_end = (uint32_t)cur;
	*out = p;
	return DM_OK;
fail:
	iso_plan_free(p);
	return st;
}

size_t iso_plan_memory(const iso_plan *p)
{
	return dm_arena_used(p->arena) +
	       ((size_t)p->primary.ndirs + p->joliet.ndirs) * sizeof(iso_dir *) +
	       (size_t)p->nareas * sizeof(rr_area_loc) + (size_t)p->ndata * sizeof(mk_data *);
}

void iso_plan_free(iso_plan *p)
{
	if (!p)
		return;
	free(p->primary.dirs);
	free(p->joliet.dirs);
	free(p->primary.by_lba);
	free(p->links);
	free(p->joliet.by_lba);
	free(p->areas);
	free(p->data);
	free(p->rr_scratch);
	dm_arena_free(p->arena);
	free(p);
}
