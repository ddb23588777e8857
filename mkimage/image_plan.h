/* The image planner: owns the sector map of the whole image. It calls the ISO 9660
 * planner and the UDF planner, puts their structures on one map (the fixed places: the
 * ISO descriptors at 16, the UDF recognition sequence right after the ISO terminator,
 * the UDF anchors at 256, N - 256 and N) and is the one place that places file data: every
 * file once, where both filesystems point, for every kind of image. No I/O; image_emit.c
 * writes the result in LBA order.
 *
 *   ISO 9660 only   iso_plan's map (iso_plan.h), the file data right after its metadata
 *   UDF only        16-18 VRS, 32 main VDS, 48 reserve VDS, 64 LVID + TD, 256 AVDP,
 *                   257 partition: UDF metadata, then file data; AVDP at N - 256, AVDP at N
 *   bridge          16.. ISO descriptors and terminator, then the VRS, the UDF VDSs and LVID;
 *                   the ISO path tables, directories and continuation areas (before 256 when
 *                   they fit, else from 257); 256 AVDP; the UDF partition: UDF metadata,
 *                   then the file data both describe; AVDP at N - 256, AVDP at N
 *
 * Ownership: the plan references the tree and owns the ISO and UDF plans. */
#ifndef MK_IMAGE_PLAN_H
#define MK_IMAGE_PLAN_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/iso/iso_plan.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_plan.h"

typedef struct image_opts {
	int iso;                 /* write ISO 9660 (with Joliet and Rock Ridge as iso says) */
	int udf;                 /* write UDF */
	iso_opts iso_o;
	udf_opts udf_o;
	uint32_t tail_sectors;   /* sectors after both filesystems (a hybrid GPT's backup) */
	uint32_t udf_part_start; /* a later session (iso_o.base): the previous session's UDF
				    partition start, kept so that old files' addresses stay
				    valid; 0: a first session */
} image_opts;

typedef struct image_plan {
	image_opts opts;
	mk_tree *tree;
	iso_plan *iso;           /* NULL without ISO 9660 */
	udf_plan *udf;           /* NULL without UDF */
	mk_data **data;          /* file data in disc order (the ISO or the UDF plan's list),
				    placed here (mk_data.lba) */
	uint32_t ndata;
	uint32_t total_sectors;  /* the whole image, tail_sectors included */
	uint32_t tail_sectors;
} image_plan;

dm_status image_plan_build(image_plan **out, mk_tree *tree, const image_opts *opts, dm_ctx *ctx);
void image_plan_free(image_plan *p);
size_t image_plan_memory(const image_plan *p);

#endif
