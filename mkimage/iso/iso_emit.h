/* The ISO 9660 emitter: encodes the structures of a finished plan into a sink, in LBA
 * order. It decides nothing about layout; when what it writes disagrees with the plan it
 * stops with an internal error rather than write a wrong image. The image emitter
 * (image_emit.c) calls it between the other filesystem's structures and writes the file
 * data itself, once for every kind of image. */
#ifndef MK_ISO_EMIT_H
#define MK_ISO_EMIT_H

#include "common/dm_error.h"
#include "mkimage/iso/iso_plan.h"
#include "mkimage/sink.h"

/* The system area and volume descriptors (sectors 0 to the terminator), and the path
 * tables, directories and continuation areas (from the first path table). */
dm_status iso_emit_head(const iso_plan *p, mk_sink *sink, dm_ctx *ctx);
dm_status iso_emit_meta(const iso_plan *p, mk_sink *sink, dm_ctx *ctx);

#endif
