#include "mkimage/image_plan.h"

#include <stdlib.h>

/* Where the UDF volume structures go in a pure UDF image: the two descriptor sequences
 * 16 sectors (a DVD ECC block) apart, so one bad block cannot take both (UDF 2.2.3). */
enum { PURE_VRS = 16, PURE_MAIN = 32, PURE_RESERVE = 48, PURE_LVID = 64 };
#define AVDP_LBA 256u

static uint64_t sectors(uint64_t bytes) { return (bytes + ISO_SECTOR - 1) / ISO_SECTOR; }

/* The one step that places file data, for every kind of image: each file once (hard links
 * share it), contiguous from sector `first` on, in the order of ip->data; a file of several
 * ISO 9660 extents is one run of sectors (ECMA-119 6.5.1). Both filesystems then point at
 * the same sectors. *end gets the first sector after the data. */
static dm_status place_data(image_plan *ip, uint64_t first, uint64_t *end, dm_ctx *ctx)
{
	uint64_t cur = first;
	for (uint32_t i = 0; i < ip->ndata; i++) {
		ip->data[i]->lba = cur > 0xFFFFFFFFu ? 0 : (uint32_t)cur;
		cur += sectors(ip->data[i]->size);
	}
	/* Without ISO 9660 the UDF planner names the overshoot (udf_plan_finish). */
	if (ip->iso && cur > 0xFFFFFFFFu)
		return dm_fail(ctx, DM_ERR_NOSPACE,
			       "the image would have %llu sectors; ISO 9660 can address at most 4294967295",
			       (unsigned long long)cur);
	if (ip->iso)
		ip->iso->data_lba = (uint32_t)first;
	*end = cur;
	return DM_OK;
}

static dm_status plan_iso_only(image_plan *ip, dm_ctx *ctx)
{
	dm_status st = iso_plan_build(&ip->iso, ip->tree, &ip->opts.iso_o, ctx);
	if (st)
		return st;
	iso_plan *iso = ip->iso;
	ip->data = iso->data;
	ip->ndata = iso->ndata;
	uint64_t end;
	if ((st = place_data(ip, iso->meta_end, &end, ctx)))
		return st;
	iso->total_sectors = ip->total_sectors = (uint32_t)end;
	return DM_OK;
}

static dm_status plan_udf_only(image_plan *ip, dm_ctx *ctx)
{
	/* Tiny files go inside their FE only when asked (--udf-embed): libcdio and the UDF
	 * 1.02 readers of DVD players cannot read data embedded in an ICB. */
	const udf_opts uo = ip->opts.udf_o;
	dm_status st = udf_plan_build(&ip->udf, ip->tree, &uo, ctx);
	if (st)
		return st;
	udf_plan *u = ip->udf;
	/* A later session: everything from its start (base); the partition is the previous
	 * session's, grown (udf_where). */
	uint32_t b = ip->opts.iso_o.base;
	udf_where w = {b + PURE_VRS, b + PURE_MAIN, b + PURE_RESERVE, b + PURE_LVID, b + AVDP_LBA + 1,
		       0, b + AVDP_LBA};
	if (ip->opts.udf_part_start) {
		w.part_start = ip->opts.udf_part_start;
		w.space_start = b + AVDP_LBA + 1;
	}
	udf_plan_place(u, &w);
	ip->data = u->data;
	ip->ndata = u->ndata;
	uint64_t end;
	if ((st = place_data(ip, (uint64_t)u->part_start + u->data_lbn, &end, ctx)) ||
	    (st = udf_plan_finish(u, end, ctx)))
		return st;
	ip->total_sectors = u->total_sectors;
	return DM_OK;
}

static dm_status plan_bridge(image_plan *ip, dm_ctx *ctx)
{
	/* The ISO descriptors are at 16 (PVD), the boot record, Joliet, then the terminator; the UDF
	 * recognition sequence follows the terminator (ECMA-167 2/8.3: it may follow other
	 * volume structure descriptors, as in ECMA-119 + ECMA-167 bridge discs). */
	const iso_opts *io = &ip->opts.iso_o;
	uint32_t b = io->base;
	uint32_t term = b + 17u + (io->boot ? 1u : 0u) + (io->joliet ? 1u : 0u);
	uint32_t vrs = term + 1, main_vds = vrs + 3;
	uint32_t reserve = b + (main_vds - b + UDF_VDS_DESCRIPTORS + 15u) / 16u * 16u;
	uint32_t lvid = reserve + UDF_VDS_DESCRIPTORS;
	iso_opts bridged = *io;
	bridged.with_udf = 1; /* files only UDF shows are in the data list too */
	dm_status st = iso_plan_build_at(&ip->iso, ip->tree, &bridged, lvid + 2, b + AVDP_LBA, ctx);
	if (st)
		return st;
	udf_opts uo = ip->opts.udf_o;
	uo.embed = 0; /* the ISO records need every file's data in sectors: share them */
	if ((st = udf_plan_build(&ip->udf, ip->tree, &uo, ctx)))
		return st;
	iso_plan *iso = ip->iso;
	udf_plan *u = ip->udf;
	if (iso->term_lba != term)
		return dm_fail(ctx, DM_ERR_INTERNAL, "internal error: ISO terminator at %u, expected %u",
			       iso->term_lba, term);
	/* The partition starts after the ISO metadata, or after the anchor at 256. */
	uint32_t part_start = iso->meta_end > b + AVDP_LBA ? iso->meta_end : b + AVDP_LBA + 1;
	udf_where w = {vrs, main_vds, reserve, lvid, part_start, 0, b + AVDP_LBA};
	if (ip->opts.udf_part_start) { /* a later session: the previous partition, grown */
		w.part_start = ip->opts.udf_part_start;
		w.space_start = part_start;
	}
	udf_plan_place(u, &w);
	/* The data: once, inside the UDF partition, in the ISO plan's order (tree order, the
	 * same files: a bridge embeds nothing in UDF file entries). */
	ip->data = iso->data;
	ip->ndata = iso->ndata;
	uint64_t end;
	if ((st = place_data(ip, (uint64_t)u->part_start + u->data_lbn, &end, ctx)) ||
	    (st = udf_plan_finish(u, end, ctx)))
		return st;
	iso->total_sectors = u->total_sectors; /* the volume space covers everything (8.4.8) */
	ip->total_sectors = u->total_sectors;
	return DM_OK;
}

dm_status image_plan_build(image_plan **out, mk_tree *tree, const image_opts *opts, dm_ctx *ctx)
{
	*out = NULL;
	image_plan *ip = calloc(1, sizeof(*ip));
	if (!ip)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	ip->opts = *opts;
	ip->tree = tree;
	dm_status st;
	if (opts->iso && opts->udf) {
		st = plan_bridge(ip, ctx);
	} else if (opts->udf) {
		st = plan_udf_only(ip, ctx);
	} else {
		st = plan_iso_only(ip, ctx);
	}
	if (!st && (uint64_t)ip->total_sectors + opts->tail_sectors > UINT32_MAX)
		st = dm_fail(ctx, DM_ERR_INVALID, "the image would exceed %u sectors", UINT32_MAX);
	if (st) {
		image_plan_free(ip);
		return st;
	}
	ip->tail_sectors = opts->tail_sectors;
	ip->total_sectors += opts->tail_sectors;
	*out = ip;
	return DM_OK;
}

void image_plan_free(image_plan *p)
{
	if (!p)
		return;
	iso_plan_free(p->iso);
	udf_plan_free(p->udf);
	free(p);
}

size_t image_plan_memory(const image_plan *p)
{
	return (p->iso ? iso_plan_memory(p->iso) : 0) + (p->udf ? udf_plan_memory(p->udf) : 0);
}
