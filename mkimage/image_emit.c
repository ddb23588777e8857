#include "mkimage/image_emit.h"

#include <stdlib.h>

#include "common/dm_media_sizes.h"
#include "mkimage/boot/boot.h"
#include "mkimage/iso/iso_emit.h"
#include "mkimage/source/data_source.h"
#include "mkimage/udf/udf_emit.h"

#define SECTOR DM_SECTOR

typedef struct emitter {
	const image_plan *p;
	mk_sink *s;
	dm_ctx *ctx;
	mk_reader *rd;
	char path[8192];
} emitter;

/* Zeros up to sector lba; an internal error when the image is already past it. */
static dm_status zeros_to(emitter *e, uint64_t lba, const char *what)
{
	uint64_t at = mk_sink_offset(e->s), want = lba * SECTOR;
	if (at > want)
		return dm_fail(e->ctx, DM_ERR_INTERNAL,
			       "internal error: %s should start at LBA %llu but the image is at byte %llu",
			       what, (unsigned long long)lba, (unsigned long long)at);
	return mk_sink_zeros(e->s, want - at, e->ctx);
}

static void report(emitter *e, const char *item)
{
	dm_progress pr = {"writing", item, mk_sink_offset(e->s) / SECTOR, e->p->total_sectors,
			  "sectors", -1, -1};
	dm_report(e->ctx, &pr);
}

/* One file's bytes, padded to a whole sector. Where they come from (a path, inline or
 * generated content, an archive member) and the checks that they are still what the plan
 * was made from are data_source.c's. */
static dm_status emit_data(emitter *e, const mk_data *d)
{
	mk_reader_describe(e->rd, d, e->path, sizeof(e->path));
	dm_status r = zeros_to(e, d->lba, e->path);
	if (!r && mk_sink_offset(e->s) != (uint64_t)d->lba * SECTOR)
		r = dm_fail(e->ctx, DM_ERR_INTERNAL, "internal error: %s misplaced", e->path);
	if (r)
		return r;
	report(e, e->path);
	r = mk_reader_emit(e->rd, d, e->s, e->ctx);
	if (!r && d->size % SECTOR)
		r = mk_sink_zeros(e->s, SECTOR - d->size % SECTOR, e->ctx);
	return r;
}

/* The file-data region, for every kind of image: each file once, where image_plan.c put it. */
static dm_status emit_all_data(emitter *e)
{
	dm_status r = DM_OK;
	for (uint32_t i = 0; i < e->p->ndata && !r; i++) {
		if (dm_cancelled(e->ctx))
			return dm_fail(e->ctx, DM_ERR_INTERRUPTED, "interrupted");
		r = emit_data(e, e->p->data[i]);
	}
	return r;
}

/* The UDF volume structures before the partition: VRS, both sequences, the LVID. */
static dm_status emit_udf_head(emitter *e)
{
	const udf_plan *u = e->p->udf;
	dm_status r;
	if ((r = zeros_to(e, u->vrs_lba, "the UDF recognition sequence")) ||
	    (r = udf_emit_vrs(u, e->s, e->ctx)) ||
	    (r = zeros_to(e, u->vol.main_vds, "the main UDF volume descriptor sequence")) ||
	    (r = udf_emit_vds(u, 0, e->s, e->ctx)) ||
	    (r = zeros_to(e, u->vol.reserve_vds, "the reserve UDF volume descriptor sequence")) ||
	    (r = udf_emit_vds(u, 1, e->s, e->ctx)) ||
	    (r = zeros_to(e, u->vol.lvid_lba, "the UDF integrity sequence")))
		return r;
	return udf_emit_lvid(u, e->s, e->ctx);
}

/* The partition and what follows: UDF metadata, the file data, the last two anchors. */
static dm_status emit_udf_tail(emitter *e)
{
	const udf_plan *u = e->p->udf;
	dm_status r;
	const mk_boot *b = e->p->iso ? e->p->iso->opts.boot : NULL;
	const uint8_t *gpt = b && b->hybrid == HYB_GPT ? b->tail : NULL;
	if ((r = zeros_to(e, u->space_start, "the UDF partition")) ||
	    (r = udf_emit_meta(u, e->s, e->ctx)) || (r = emit_all_data(e)) ||
	    (r = zeros_to(e, u->avdp[1], "the UDF anchor at N - 256")) ||
	    (r = udf_emit_avdp(u, 1, e->s, e->ctx)))
		return r;
	/* A hybrid GPT's backup takes the last sectors instead of the anchor at N (hybrid.h):
	 * the anchors at 256 and N - 256 remain. */
	if (gpt)
		return (r = zeros_to(e, u->avdp[2] + 1 - HYB_GPT_TAIL, "the backup GPT"))
			       ? r
			       : mk_sink_write(e->s, gpt, (size_t)HYB_GPT_TAIL * SECTOR, e->ctx);
	if ((r = zeros_to(e, u->avdp[2], "the UDF anchor at N")))
		return r;
	return udf_emit_avdp(u, 2, e->s, e->ctx);
}

static dm_status emit_udf_only(emitter *e)
{
	dm_status r;
	if ((r = emit_udf_head(e)) ||
	    (r = zeros_to(e, e->p->udf->avdp[0], "the UDF anchor at 256 (of the session)")) ||
	    (r = udf_emit_avdp(e->p->udf, 0, e->s, e->ctx)))
		return r;
	return emit_udf_tail(e);
}

static dm_status emit_iso_only(emitter *e)
{
	dm_status r;
	if ((r = iso_emit_head(e->p->iso, e->s, e->ctx)) || (r = iso_emit_meta(e->p->iso, e->s, e->ctx)))
		return r;
	return emit_all_data(e);
}

static dm_status emit_bridge(emitter *e)
{
	const iso_plan *iso = e->p->iso;
	const udf_plan *u = e->p->udf;
	dm_status r;
	if ((r = iso_emit_head(iso, e->s, e->ctx)) || (r = emit_udf_head(e)))
		return r;
	/* The ISO metadata is either all before the anchor at 256 or all after it. */
	int before = iso->primary.pt_l_lba < u->avdp[0];
	if (before && ((r = zeros_to(e, iso->primary.pt_l_lba, "the ISO 9660 path tables")) ||
		       (r = iso_emit_meta(iso, e->s, e->ctx))))
		return r;
	if ((r = zeros_to(e, u->avdp[0], "the UDF anchor at 256 (of the session)")) ||
	    (r = udf_emit_avdp(u, 0, e->s, e->ctx)))
		return r;
	if (!before && ((r = zeros_to(e, iso->primary.pt_l_lba, "the ISO 9660 path tables")) ||
			(r = iso_emit_meta(iso, e->s, e->ctx))))
		return r;
	return emit_udf_tail(e);
}

/* After both filesystems: a hybrid image's tail (hybrid.h). */
static dm_status emit_tail(const image_plan *p, mk_sink *sink, dm_ctx *ctx)
{
	const mk_boot *b = p->iso ? p->iso->opts.boot : NULL;
	if (!p->tail_sectors)
		return DM_OK;
	if (!b || mk_boot_tail_sectors(b) != p->tail_sectors)
		return dm_fail(ctx, DM_ERR_INTERNAL, "internal error: %u tail sectors planned, none to write",
			       p->tail_sectors);
	return mk_boot_emit_tail(b, sink, ctx);
}

dm_status image_emit(const image_plan *p, mk_sink *sink, dm_ctx *ctx)
{
	emitter *e = calloc(1, sizeof(*e));
	if (!e)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	e->p = p;
	e->s = sink;
	e->ctx = ctx;
	e->rd = mk_reader_new(p->tree);
	if (!e->rd) {
		free(e);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	dm_status r = !p->udf ? emit_iso_only(e) : p->iso ? emit_bridge(e) : emit_udf_only(e);
	if (!r)
		r = emit_tail(p, sink, ctx);
	if (!r && mk_sink_offset(sink) != (uint64_t)p->total_sectors * SECTOR)
		r = dm_fail(ctx, DM_ERR_INTERNAL, "internal error: the image ends at byte %llu, not at "
			    "sector %u", (unsigned long long)mk_sink_offset(sink), p->total_sectors);
	if (!r)
		report(e, NULL);
	mk_reader_free(e->rd);
	free(e);
	return r;
}
