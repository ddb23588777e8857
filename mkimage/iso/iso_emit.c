#include "mkimage/iso/iso_emit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "mkimage/boot/boot.h"
#include "mkimage/iso/iso_dirrec.h"
#include "mkimage/iso/iso_vd.h"

typedef struct emitter {
	const iso_plan *p;
	mk_sink *sink;
	dm_ctx *ctx;
	uint8_t *ce;             /* the directory's continuation sectors, filled while it is written */
	rr_result *rr;
	/* The partition's copy of the metadata (-partition_offset, iso_plan.h): written `copy`
	 * sectors after the plan's places, every LBA in it relative to the partition's start
	 * `rel`; the continuation areas' places as that copy records them. 0, 0, NULL: the
	 * image's own. */
	uint32_t copy, rel;
	rr_area_loc *locs;
} emitter;

/* An LBA as the copy being written records it: of its own metadata, or of file data. */
static uint32_t meta_lba(const emitter *e, uint32_t lba)
{
	return lba + e->copy - e->rel;
}

static uint32_t data_lba(const emitter *e, uint32_t lba)
{
	return lba - e->rel;
}

static const uint8_t dot_id[1] = {0}, dotdot_id[1] = {1};

static dm_status check_offset(emitter *e, uint64_t lba, const char *what)
{
	uint64_t at = mk_sink_offset(e->sink);
	lba += e->copy;
	if (at != lba * ISO_SECTOR)
		return dm_fail(e->ctx, DM_ERR_INTERNAL,
			       "internal error: %s should start at LBA %llu but the image is at byte %llu",
			       what, (unsigned long long)lba, (unsigned long long)at);
	return DM_OK;
}

static dm_status put_sector(emitter *e, const uint8_t *sec)
{
	return mk_sink_write(e->sink, sec, ISO_SECTOR, e->ctx);
}

/* A descriptor of the image made one of the partition's: its volume space from the
 * partition's start, its path tables and root in the partition's copy (ECMA-119 8.4.8,
 * 8.4.14, 8.4.16, 8.4.18). */
static void partition_vd(uint8_t *sec, const emitter *e)
{
	dm_put_both32(sec + 80, dm_get_le32(sec + 80) - e->rel);
	dm_put_le32(sec + 140, meta_lba(e, dm_get_le32(sec + 140)));
	dm_put_be32(sec + 148, meta_lba(e, dm_get_be32(sec + 148)));
	dm_put_both32(sec + 156 + 2, meta_lba(e, dm_get_le32(sec + 156 + 2)));
}

/* -partition_offset: the partition's own descriptor set at its block 16 (iso_plan.h). */
static dm_status emit_partition_descriptors(emitter *e)
{
	const iso_plan *p = e->p;
	uint8_t sec[ISO_SECTOR];
	dm_status r = mk_sink_zeros(e->sink, (uint64_t)(p->part_vd_lba - p->term_lba - 1) * ISO_SECTOR,
				    e->ctx);
	if (r || (r = check_offset(e, p->part_vd_lba, "the partition's primary volume descriptor")))
		return r;
	emitter rel = *e;
	rel.copy = p->part_copy;
	rel.rel = p->opts.partition_offset;
	iso_vd_primary(sec, p);
	partition_vd(sec, &rel);
	if ((r = put_sector(e, sec)))
		return r;
	if (p->opts.joliet) {
		iso_vd_joliet(sec, p);
		partition_vd(sec, &rel);
		if ((r = put_sector(e, sec)))
			return r;
	}
	iso_vd_terminator(sec);
	return put_sector(e, sec);
}

static dm_status emit_descriptors(emitter *e)
{
	uint8_t sec[ISO_SECTOR];
	/* The system area (6.2.1): zeros, or a hybrid image's partition table (hybrid.h). */
	const mk_boot *b = e->p->opts.boot;
	dm_status r;
	if (b && b->system_area) {
		r = mk_sink_write(e->sink, b->system_area, HYB_SYSTEM_AREA, e->ctx);
	} else if (e->p->part_vd_lba) {
		/* -partition_offset alone: xorriso's MBR, one CDh partition from the offset to
		 * the volume's end (hybrid.h). */
		uint64_t start = (uint64_t)e->p->opts.partition_offset * 4;
		hyb_put_offset_mbr(sec, start, (uint64_t)e->p->total_sectors * 4 - start);
		memset(sec + 512, 0, ISO_SECTOR - 512);
		if (!(r = put_sector(e, sec)))
			r = mk_sink_zeros(e->sink, 15 * ISO_SECTOR, e->ctx);
	} else {
		r = mk_sink_zeros(e->sink, 16 * ISO_SECTOR, e->ctx);
	}
	if (r || (r = check_offset(e, e->p->pvd_lba, "the primary volume descriptor")))
		return r;
	iso_vd_primary(sec, e->p);
	if ((r = put_sector(e, sec)))
		return r;
	if (e->p->opts.boot) {
		elt_put_boot_record(sec, mk_boot_catalog_lba(e->p->opts.boot));
		if ((r = put_sector(e, sec)))
			return r;
	}
	if (e->p->opts.joliet) {
		iso_vd_joliet(sec, e->p);
		if ((r = put_sector(e, sec)))
			return r;
	}
	iso_vd_terminator(sec);
	if ((r = put_sector(e, sec)) || !e->p->part_vd_lba)
		return r;
	return emit_partition_descriptors(e);
}

static dm_status emit_path_tables(emitter *e, const iso_hier *h)
{
	size_t bytes = (h->pt_size + ISO_SECTOR - 1) / ISO_SECTOR * ISO_SECTOR;
	uint8_t *buf = malloc(bytes ? bytes : 1);
	if (!buf)
		return dm_fail(e->ctx, DM_ERR_NOMEM, "out of memory writing path tables");
	dm_status r = check_offset(e, h->pt_l_lba, "a path table");
	for (int big = 0; big < 2 && !r; big++) {
		memset(buf, 0, bytes);
		size_t pos = 0;
		for (uint32_t i = 0; i < h->ndirs; i++) {
			const iso_dir *d = h->dirs[i];
			pos += iso_put_ptrec(buf + pos, big, meta_lba(e, d->lba), (uint16_t)d->parent->number,
					     d->id, d->id_len);
		}
		r = mk_sink_write(e->sink, buf, bytes, e->ctx);
	}
	free(buf);
	return r;
}

/* The Rock Ridge bytes of one record; continuation areas go into the CE region. */
static dm_status rr_bytes(emitter *e, const iso_dir *d, const iso_rec *rec, int dot, size_t room,
			  uint32_t first_area, const uint8_t **su, size_t *su_len)
{
	rr_attrs a;
	iso_rr_attrs(e->p, d, rec, dot, &a);
	if (a.cl_lba)
		a.cl_lba = meta_lba(e, a.cl_lba);
	if (a.pl_lba)
		a.pl_lba = meta_lba(e, a.pl_lba);
	/* With no areas at all the plan has no table; nothing is then looked up. */
	const rr_area_loc *locs = e->p->nareas ? (e->locs ? e->locs : e->p->areas) + first_area : NULL;
	dm_status r = rr_build(&a, room, locs, e->rr, e->ctx);
	if (r)
		return r;
	for (size_t i = 0; i < e->rr->n_areas; i++) {
		const rr_area_loc *loc = &e->p->areas[first_area + i];
		size_t at = (size_t)(loc->lba - d->ce_lba) * ISO_SECTOR + loc->offset;
		memcpy(e->ce + at, e->rr->area_bytes[i], e->rr->area_len[i]);
	}
	*su = e->rr->inline_bytes;
	*su_len = e->rr->inline_len;
	return DM_OK;
}

/* Append a record at *pos, moving to the next sector when it would cross one (6.8.1.1). */
static void place(uint8_t *buf, size_t *pos, size_t len, uint8_t **at)
{
	if (*pos % ISO_SECTOR + len > ISO_SECTOR)
		*pos = (*pos + ISO_SECTOR - 1) / ISO_SECTOR * ISO_SECTOR;
	*at = buf + *pos;
	*pos += len;
}

static dm_status emit_dir(emitter *e, const iso_hier *h, const iso_dir *d, uint8_t *buf)
{
	const uint8_t *su = NULL;
	size_t su_len = 0, pos = 0;
	uint8_t *at;
	dm_status r;
	memset(buf, 0, d->size);

	if (h->rr && (r = rr_bytes(e, d, NULL, 1, 255 - 34, d->dot.area, &su, &su_len)))
		return r;
	place(buf, &pos, iso_rec_len(1, su_len), &at);
	iso_put_dirrec(at, meta_lba(e, d->lba), d->size, d->node->mtime, ISO_FLAG_DIR, dot_id, 1, su,
		       su_len);

	const iso_dir *up = d->parent;
	if (h->rr && (r = rr_bytes(e, d, NULL, 2, 255 - 34, d->dotdot.area, &su, &su_len)))
		return r;
	place(buf, &pos, iso_rec_len(1, su_len), &at);
	iso_put_dirrec(at, meta_lba(e, up->lba), up->size, up->node->mtime, ISO_FLAG_DIR, dotdot_id, 1,
		       su, su_len);

	for (uint32_t k = 0; k < d->nrecs; k++) {
		const iso_rec *rec = &d->recs[k];
		const mk_node *n = rec->node;
		uint8_t id[ISO_REC_ID_MAX];
		uint8_t id_len = (uint8_t)iso_rec_id(e->p, h, d, rec, id);
		su_len = 0;
		if (h->rr && (r = rr_bytes(e, d, rec, 0, 255 - iso_rec_len(rec->id_len, 0), rec->area, &su,
					   &su_len)))
			return r;
		size_t len = iso_rec_len(rec->id_len, su_len);
		/* ECMA-119 9.1.6 bit 0, Existence: a manifest's hidden="true". */
		uint8_t hidden = (n->flags & MK_HIDDEN) ? ISO_FLAG_HIDDEN : 0;
		if (rec->dir && rec->kind != ISO_REC_PLACEHOLDER) {
			place(buf, &pos, len, &at);
			iso_put_dirrec(at, meta_lba(e, rec->dir->lba), rec->dir->size, n->mtime, ISO_FLAG_DIR | hidden,
				       id, id_len, su, su_len);
		} else if (n->type == MK_FILE && rec->kind == ISO_REC_NORMAL) {
			/* ECMA-119 6.5.1: a file of several extents has one record per extent, all but
			 * the last flagged multi-extent; the data is contiguous. */
			uint64_t left = n->data->size;
			/* An empty file points at the start of the file data, not at 0: libarchive
			 * refuses a continuation area (a long name) that lies after a regular
			 * file's extent. */
			uint32_t lba = data_lba(e, left ? n->data->lba : e->p->data_lba);
			do {
				uint32_t part = left > ISO_EXTENT_MAX ? ISO_EXTENT_MAX : (uint32_t)left;
				left -= part;
				place(buf, &pos, len, &at);
				iso_put_dirrec(at, lba, part, n->mtime,
					       (uint8_t)((left ? ISO_FLAG_MULTI_EXTENT : 0) | hidden), id,
					       id_len, su, su_len);
				lba += ISO_EXTENT_MAX / ISO_SECTOR;
			} while (left);
		} else {
			/* Symlinks, devices, FIFOs, sockets and relocation placeholders: no data. */
			place(buf, &pos, len, &at);
			iso_put_dirrec(at, 0, 0, n->mtime, hidden, id, id_len, su, su_len);
		}
	}
	if (pos > d->size) {
		char path[1024];
		mk_node_image_path(d->node, path, sizeof(path));
		return dm_fail(e->ctx, DM_ERR_INTERNAL,
			       "internal error: directory %s needs %zu bytes, %u were planned", path, pos,
			       d->size);
	}
	return mk_sink_write(e->sink, buf, d->size, e->ctx);
}

static dm_status emit_dirs(emitter *e, const iso_hier *h)
{
	dm_status r = check_offset(e, h->dirs_lba, "the directories");
	uint32_t max = 0;
	for (uint32_t i = 0; i < h->ndirs; i++)
		if (h->dirs[i]->size > max)
			max = h->dirs[i]->size;
	uint32_t max_ce = 0;
	for (uint32_t i = 0; i < h->ndirs; i++)
		if (h->dirs[i]->ce_sectors > max_ce)
			max_ce = h->dirs[i]->ce_sectors;
	uint8_t *buf = malloc(max);
	e->ce = malloc(((size_t)max_ce + 1) * ISO_SECTOR);
	if (!buf || !e->ce) {
		free(buf);
		free(e->ce);
		e->ce = NULL;
		return dm_fail(e->ctx, DM_ERR_NOMEM, "out of memory writing directories");
	}
	for (uint32_t i = 0; i < h->ndirs && !r; i++) {
		const iso_dir *d = h->by_lba[i];
		size_t ce_bytes = (size_t)d->ce_sectors * ISO_SECTOR;
		memset(e->ce, 0, ce_bytes);
		r = emit_dir(e, h, d, buf);
		if (!r && ce_bytes && !(r = check_offset(e, d->ce_lba, "continuation areas")))
			r = mk_sink_write(e->sink, e->ce, ce_bytes, e->ctx);
	}
	free(buf);
	free(e->ce);
	e->ce = NULL;
	return r;
}

dm_status iso_emit_head(const iso_plan *p, mk_sink *sink, dm_ctx *ctx)
{
	emitter e = {p, sink, ctx, NULL, NULL, 0, 0, NULL};
	return emit_descriptors(&e);
}

static dm_status emit_meta_copy(emitter *e)
{
	const iso_plan *p = e->p;
	dm_status r;
	if ((r = emit_path_tables(e, &p->primary)) ||
	    (p->opts.joliet && (r = emit_path_tables(e, &p->joliet))) ||
	    (r = emit_dirs(e, &p->primary)))
		return r;
	return p->opts.joliet ? emit_dirs(e, &p->joliet) : DM_OK;
}

dm_status iso_emit_meta(const iso_plan *p, mk_sink *sink, dm_ctx *ctx)
{
	emitter e = {p, sink, ctx, NULL, NULL, 0, 0, NULL};
	e.rr = malloc(sizeof(*e.rr));
	dm_status r = DM_OK;
	if (!e.rr) {
		r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((r = emit_meta_copy(&e)) || !p->part_copy)
		goto out;
	/* -partition_offset: the same again, addressed from the partition's start. */
	e.copy = p->part_copy;
	e.rel = p->opts.partition_offset;
	if (p->nareas && !(e.locs = malloc(p->nareas * sizeof(*e.locs)))) {
		r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < p->nareas; i++) {
		e.locs[i] = p->areas[i];
		e.locs[i].lba = meta_lba(&e, p->areas[i].lba);
	}
	r = emit_meta_copy(&e);
out:
	free(e.locs);
	free(e.rr);
	return r;
}
