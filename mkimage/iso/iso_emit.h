/* The ISO 9660 emitter: walks a finished plan in LBA order and streams the image into a
 * sink in one pass. It decides nothing about layout; when what it writes disagrees with the
 * plan it stops with an internal error rather than write a wrong image. */
#ifndef MK_ISO_EMIT_H
#define MK_ISO_EMIT_H

#include "common/dm_error.h"
#include "mkimage/iso/iso_plan.h"
#include "mkimage/sink.h"

dm_status iso_emit(const iso_plan *p, mk_sink *sink, dm_ctx *ctx);

/* The parts of iso_emit(), for an image that holds ISO 9660 beside another filesystem
 * (image_emit.c): the system area and volume descriptors (sectors 0 to the terminator),
 * and the path tables, directories and continuation areas (from the first path table). */
dm_status iso_emit_head(const iso_plan *p, mk_sink *sink, dm_ctx *ctx);
dm_status iso_emit_meta(const iso_plan *p, mk_sink *sink, dm_ctx *ctx);

#endif
