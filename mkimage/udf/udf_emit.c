#include "mkimage/udf/udf_emit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mkimage/source/data_source.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_vol.h"

static dm_status at(mk_sink *s, uint64_t lba, const char *what, dm_ctx *ctx)
{
	uint64_t off = mk_sink_offset(s);
	if (off != lba * UDF_BLOCK)
		return dm_fail(ctx, DM_ERR_INTERNAL,
			       "internal error: %s should start at LBA %llu but the image is at byte %llu",
			       what, (unsigned long long)lba, (unsigned long long)off);
	return DM_OK;
}

dm_status udf_emit_vrs(const udf_plan *p, mk_sink *s, dm_ctx *ctx)
{
	uint8_t blk[UDF_BLOCK];
	const char *ids[3] = {"BEA01", udf_nsr_id(p->opts.rev), "TEA01"};
	dm_status r = at(s, p->vrs_lba, "the UDF volume recognition sequence", ctx);
	for (int i = 0; i < 3 && !r; i++) {
		udf_put_vrs(blk, ids[i]);
		r = mk_sink_write(s, blk, UDF_BLOCK, ctx);
	}
	return r;
}

dm_status udf_emit_vds(const udf_plan *p, int reserve, mk_sink *s, dm_ctx *ctx)
{
	uint8_t blk[UDF_BLOCK];
	uint32_t lba = reserve ? p->vol.reserve_vds : p->vol.main_vds;
	dm_status r = at(s, lba, "a UDF volume descriptor sequence", ctx);
	for (unsigned i = 0; i < UDF_VDS_DESCRIPTORS && !r; i++) {
		udf_put_vds_desc(blk, i, lba + i, &p->vol);
		r = mk_sink_write(s, blk, UDF_BLOCK, ctx);
	}
	return r;
}

dm_status udf_emit_lvid(const udf_plan *p, mk_sink *s, dm_ctx *ctx)
{
	uint8_t blk[UDF_BLOCK];
	dm_status r = at(s, p->vol.lvid_lba, "the UDF logical volume integrity descriptor", ctx);
	if (r)
		return r;
	udf_put_lvid(blk, p->vol.lvid_lba, &p->vol);
	if ((r = mk_sink_write(s, blk, UDF_BLOCK, ctx)))
		return r;
	udf_put_td(blk, p->vol.lvid_lba + 1, &p->vol);
	return mk_sink_write(s, blk, UDF_BLOCK, ctx);
}

dm_status udf_emit_avdp(const udf_plan *p, int i, mk_sink *s, dm_ctx *ctx)
{
	uint8_t blk[UDF_BLOCK];
	dm_status r = at(s, p->avdp[i], "a UDF anchor", ctx);
	if (r)
		return r;
	udf_put_avdp(blk, p->avdp[i], &p->vol);
	return mk_sink_write(s, blk, UDF_BLOCK, ctx);
}

/* ---- the metadata space ---------------------------------------------------------------- */

typedef struct emitter {
	const udf_plan *p;
	mk_sink *s;
	dm_ctx *ctx;
	uint8_t *buf;            /* directory FIDs or a long symlink target */
	size_t cap;
	uint32_t first;          /* sector of block 0 of the metadata space being written */
	mk_reader *rd;           /* tiny files embedded in their FE */
	FILE *tee;               /* with a metadata partition: the space's bytes for the mirror */
} emitter;

/* Everything the metadata space writes goes through these two, so that the mirror can be
 * a copy of the bytes written (not a second reading of the sources, which could differ). */
static dm_status tee_fail(emitter *e)
{
	return dm_fail_errno(e->ctx, DM_ERR_IO, errno ? errno : EIO,
			     "cannot keep the UDF metadata for its mirror in a temporary file");
}

static dm_status out(emitter *e, const void *data, size_t len)
{
	dm_status r = mk_sink_write(e->s, data, len, e->ctx);
	if (!r && e->tee && fwrite(data, 1, len, e->tee) != len)
		r = tee_fail(e);
	return r;
}

static dm_status out_zeros(emitter *e, size_t len)
{
	static const uint8_t zeros[UDF_BLOCK];
	dm_status r = mk_sink_zeros(e->s, len, e->ctx);
	for (size_t n; !r && e->tee && len; len -= n) {
		n = len < sizeof(zeros) ? len : sizeof(zeros);
		if (fwrite(zeros, 1, n, e->tee) != n)
			r = tee_fail(e);
	}
	return r;
}


static dm_status grow(emitter *e, size_t need)
{
	if (need <= e->cap)
		return DM_OK;
	uint8_t *b = realloc(e->buf, need);
	if (!b)
		return dm_fail(e->ctx, DM_ERR_NOMEM, "out of memory writing UDF directories");
	e->buf = b;
	e->cap = need;
	return DM_OK;
}

static void base_fe(const emitter *e, const udf_icb *c, udf_fe_info *fe)
{
	const mk_node *n = c->node;
	memset(fe, 0, sizeof(*fe));
	fe->rev = e->p->opts.rev;
	fe->file_type = c->type;
	fe->mode = n->mode;
	fe->uid = n->uid;
	fe->gid = n->gid;
	fe->nlink = c->nlink;
	fe->atime = n->atime;
	fe->mtime = n->mtime;
	fe->ctime = n->ctime;
	fe->unique_id = c->unique_id;
	fe->serial = e->p->vol.serial;
	fe->location = c->lbn;
}

static dm_status put_blocks(emitter *e, const uint8_t *data, size_t len)
{
	dm_status r = out(e, data, len);
	if (!r && len % UDF_BLOCK)
		r = out_zeros(e, UDF_BLOCK - len % UDF_BLOCK);
	return r;
}

static dm_status emit_dir(emitter *e, const udf_icb *c, uint8_t *blk)
{
	const udf_plan *p = e->p;
	uint16_t part = udf_meta_part(p);
	dm_status r = grow(e, c->tail_len);
	if (r)
		return r;
	/* The FIDs: the parent first (UDF 2.3.4), then the entries in name order. */
	const udf_icb *up = &p->icbs[c->parent];
	size_t pos = udf_put_fid(e->buf, p->opts.rev, p->vol.serial, c->tail_lbn,
				 UDF_FID_DIR | UDF_FID_PARENT, NULL, 0, up->lbn, part, up->unique_id);
	for (uint32_t k = 0; k < c->nents; k++) {
		const udf_ent *en = &p->ents[c->first_ent + k];
		const udf_icb *t = &p->icbs[en->icb];
		uint8_t chars = t->type == UDF_FT_DIR ? UDF_FID_DIR : 0;
		pos += udf_put_fid(e->buf + pos, p->opts.rev, p->vol.serial,
				   c->tail_lbn + (uint32_t)(pos / UDF_BLOCK), chars, en->id, en->id_len,
				   t->lbn, part, t->unique_id);
	}
	if (pos != c->tail_len)
		return dm_fail(e->ctx, DM_ERR_INTERNAL,
			       "internal error: UDF directory %s has %zu bytes of FIDs, %u planned",
			       c->node->name, pos, c->tail_len);
	uint8_t ad[UDF_BLOCK];
	udf_fe_info fe;
	base_fe(e, c, &fe);
	fe.ad_type = UDF_AD_SHORT;
	fe.size = c->tail_len;
	fe.blocks = (c->tail_len + UDF_BLOCK - 1) / UDF_BLOCK;
	fe.ad = ad;
	fe.ad_len = (uint32_t)udf_put_extents(ad, c->tail_len, c->tail_lbn, part, 0);
	udf_put_fe(blk, &fe);
	if ((r = out(e, blk, UDF_BLOCK)) ||
	    (r = at(e->s, (uint64_t)e->first + c->tail_lbn, "UDF directory FIDs", e->ctx)))
		return r;
	return put_blocks(e, e->buf, pos);
}

static dm_status emit_leaf(emitter *e, const udf_icb *c, uint8_t *blk)
{
	const udf_plan *p = e->p;
	const mk_node *n = c->node;
	uint8_t ad[UDF_BLOCK], ea[UDF_DEV_EA_LEN];
	udf_fe_info fe;
	base_fe(e, c, &fe);
	fe.ad = ad;
	dm_status r;
	switch (c->type) {
	case UDF_FT_FILE: {
		const mk_data *d = n->data;
		fe.size = d->size;
		if (c->embedded) {
			fe.ad_type = UDF_AD_EMBEDDED;
			if ((r = mk_reader_read_all(e->rd, d, ad, e->ctx)))
				return r;
			fe.ad_len = (uint32_t)d->size;
		} else if (udf_rev_metadata(p->opts.rev)) {
			/* Data lives in the physical partition, the FE in the metadata one: long_ad
			 * with partition reference 0 (UDF 2.2.13). */
			fe.ad_type = UDF_AD_LONG;
			fe.blocks = (d->size + UDF_BLOCK - 1) / UDF_BLOCK;
			fe.ad_len = d->size ? (uint32_t)udf_put_extents(ad, d->size, udf_data_lbn(p, d),
									 UDF_PART_PHYS, 1)
					    : 0;
		} else {
			fe.ad_type = UDF_AD_SHORT;
			fe.blocks = (d->size + UDF_BLOCK - 1) / UDF_BLOCK;
			fe.ad_len = d->size ? (uint32_t)udf_put_extents(ad, d->size, udf_data_lbn(p, d),
									 UDF_PART_PHYS, 0)
					    : 0;
		}
		break;
	}
	case UDF_FT_SYMLINK: {
		int bad;
		size_t len = strlen(n->target);
		fe.size = c->tail_len;
		if ((r = grow(e, c->tail_len + 1)))
			return r;
		udf_put_symlink(e->buf, e->cap, n->target, len, &bad);
		if (c->embedded) {
			fe.ad_type = UDF_AD_EMBEDDED;
			memcpy(ad, e->buf, c->tail_len);
			fe.ad_len = c->tail_len;
		} else {
			fe.ad_type = UDF_AD_SHORT;
			fe.blocks = (c->tail_len + UDF_BLOCK - 1) / UDF_BLOCK;
			fe.ad_len = (uint32_t)udf_put_extents(ad, c->tail_len, c->tail_lbn,
							      udf_meta_part(p), 0);
		}
		break;
	}
	case UDF_FT_BLKDEV:
	case UDF_FT_CHRDEV:
		udf_put_dev_ea(ea, p->opts.rev, p->vol.serial, c->lbn, major(n->rdev), minor(n->rdev));
		fe.ea = ea;
		fe.ea_len = UDF_DEV_EA_LEN;
		fe.ad_type = UDF_AD_SHORT;
		break;
	default:
		fe.ad_type = UDF_AD_SHORT; /* FIFOs and sockets: no data */
		break;
	}
	udf_put_fe(blk, &fe);
	if ((r = out(e, blk, UDF_BLOCK)))
		return r;
	if (c->type == UDF_FT_SYMLINK && !c->embedded)
		return put_blocks(e, e->buf, c->tail_len);
	return DM_OK;
}

/* The metadata space: blocks fsd .. fsd + meta_blocks - 1 of the partition that holds it,
 * whose block 0 is sector first (fsd is 0 but in a later session's physical partition). */
static dm_status emit_space(emitter *e, uint32_t first, uint32_t fsd)
{
	const udf_plan *p = e->p;
	uint8_t blk[UDF_BLOCK];
	e->first = first;
	dm_status r = at(e->s, (uint64_t)first + fsd, "the UDF file set descriptor", e->ctx);
	if (r)
		return r;
	udf_put_fsd(blk, fsd, &p->vol);
	if ((r = out(e, blk, UDF_BLOCK)))
		return r;
	udf_put_td(blk, fsd + 1, &p->vol);
	if ((r = out(e, blk, UDF_BLOCK)))
		return r;
	for (uint32_t i = 0; i < p->nicbs && !r; i++) {
		const udf_icb *c = &p->icbs[i];
		if (dm_cancelled(e->ctx))
			return dm_fail(e->ctx, DM_ERR_INTERRUPTED, "interrupted");
		if (c->reused) /* a previous session's entry, on the disc already */
			continue;
		if ((r = at(e->s, (uint64_t)first + c->lbn, "a UDF file entry", e->ctx)))
			return r;
		r = c->type == UDF_FT_DIR ? emit_dir(e, c, blk) : emit_leaf(e, c, blk);
	}
	if (!r)
		r = at(e->s, (uint64_t)first + fsd + p->meta_blocks, "the end of the UDF metadata",
		       e->ctx);
	return r;
}

/* The FE of the metadata file or its mirror (UDF 2.2.13.1, 2.2.13.2). */
static dm_status emit_meta_fe(emitter *e, uint8_t type, uint32_t lbn, uint32_t extent_lbn)
{
	const udf_plan *p = e->p;
	uint8_t blk[UDF_BLOCK], ad[8];
	udf_fe_info fe;
	memset(&fe, 0, sizeof(fe));
	fe.rev = p->opts.rev;
	fe.file_type = type;
	fe.ad_type = UDF_AD_SHORT;
	fe.nlink = 1;
	fe.size = (uint64_t)p->meta_extent * UDF_BLOCK;
	fe.blocks = p->meta_extent;
	fe.atime = fe.mtime = fe.ctime = p->opts.volume_time;
	fe.serial = p->vol.serial;
	fe.location = lbn;
	fe.ad = ad;
	fe.ad_len = (uint32_t)udf_put_extents(ad, fe.size, extent_lbn, UDF_PART_PHYS, 0);
	udf_put_fe(blk, &fe);
	return mk_sink_write(e->s, blk, UDF_BLOCK, e->ctx);
}

static dm_status start_tee(emitter *e)
{
	errno = 0;
	if (!(e->tee = tmpfile()))
		return tee_fail(e);
	return DM_OK;
}

/* The mirror (UDF 2.2.13.2) holds the same blocks as the metadata file: the bytes kept
 * while those were written, then the same padding. */
static dm_status emit_mirror(emitter *e, uint64_t lba, uint64_t pad)
{
	uint64_t want = (uint64_t)e->p->meta_blocks * UDF_BLOCK, got = 0;
	dm_status r = at(e->s, lba, "the UDF metadata mirror", e->ctx);
	uint8_t *buf = r ? NULL : malloc(1u << 20);
	if (!r && !buf)
		r = dm_fail(e->ctx, DM_ERR_NOMEM, "out of memory");
	errno = 0;
	if (!r && (fflush(e->tee) != 0 || fseek(e->tee, 0, SEEK_SET) != 0))
		r = tee_fail(e);
	while (!r && got < want) {
		size_t n = fread(buf, 1, want - got < (1u << 20) ? (size_t)(want - got) : (1u << 20), e->tee);
		if (n == 0)
			r = tee_fail(e);
		else
			r = mk_sink_write(e->s, buf, n, e->ctx);
		got += n;
	}
	free(buf);
	return r ? r : mk_sink_zeros(e->s, pad, e->ctx);
}

dm_status udf_emit_meta(const udf_plan *p, mk_sink *s, dm_ctx *ctx)
{
	emitter *e = calloc(1, sizeof(*e));
	if (!e)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	e->p = p;
	e->s = s;
	e->ctx = ctx;
	e->rd = mk_reader_new(p->tree);
	dm_status r = e->rd ? at(s, p->space_start, "the UDF partition", ctx)
			    : dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	if (!r && !udf_rev_metadata(p->opts.rev)) {
		r = emit_space(e, p->part_start, p->space_start - p->part_start);
	} else if (!r) {
		uint64_t meta = (uint64_t)p->part_start + p->meta_lbn;
		uint64_t pad = (uint64_t)(p->meta_extent - p->meta_blocks) * UDF_BLOCK;
		if (!(r = emit_meta_fe(e, UDF_FT_META, p->vol.meta_file, p->meta_lbn)) &&
		    !(r = emit_meta_fe(e, UDF_FT_META_MIRROR, p->vol.meta_mirror, p->mirror_lbn)) &&
		    !(r = mk_sink_zeros(s, (meta - p->space_start - 2) * UDF_BLOCK, ctx)) &&
		    !(r = start_tee(e)) && !(r = emit_space(e, (uint32_t)meta, 0)) &&
		    !(r = mk_sink_zeros(s, pad, ctx)))
			r = emit_mirror(e, p->part_start + p->mirror_lbn, pad);
	}
	if (e->tee)
		fclose(e->tee);
	if (!r)
		r = at(s, (uint64_t)p->part_start + p->data_lbn, "the UDF file data", ctx);
	mk_reader_free(e->rd);
	free(e->buf);
	free(e);
	return r;
}
