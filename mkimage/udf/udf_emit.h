/* The UDF emitter: encodes the structures a finished udf_plan places, each range in LBA
 * order, into a sink. It decides nothing about layout: the image emitter (image_emit.c)
 * calls these in the order of the sector map, writes the zeros between them and the file
 * data, and every function first checks that the sink is where the plan says. */
#ifndef MK_UDF_EMIT_H
#define MK_UDF_EMIT_H

#include "common/dm_error.h"
#include "mkimage/sink.h"
#include "mkimage/udf/udf_plan.h"

/* BEA01, NSR02/NSR03, TEA01 at plan->vrs_lba (3 sectors). */
dm_status udf_emit_vrs(const udf_plan *p, mk_sink *s, dm_ctx *ctx);
/* The main (reserve = 0) or reserve volume descriptor sequence (6 sectors). */
dm_status udf_emit_vds(const udf_plan *p, int reserve, mk_sink *s, dm_ctx *ctx);
/* The integrity sequence: LVID and a terminating descriptor (2 sectors). */
dm_status udf_emit_lvid(const udf_plan *p, mk_sink *s, dm_ctx *ctx);
/* Anchor i (0: sector 256, 1: N - 256, 2: N). */
dm_status udf_emit_avdp(const udf_plan *p, int i, mk_sink *s, dm_ctx *ctx);
/* The partition from its start up to the first block of file data: the metadata space
 * (and with a metadata partition, the metadata file FEs, the metadata extent and its
 * mirror). Tiny files embedded in their FE are read here. */
dm_status udf_emit_meta(const udf_plan *p, mk_sink *s, dm_ctx *ctx);

#endif
