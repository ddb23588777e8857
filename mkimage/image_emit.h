/* The image emitter: writes a finished image_plan into a sink in one pass, in LBA order,
 * for every kind of image (ISO 9660, UDF, bridge): the ISO 9660 and UDF structures through
 * iso_emit.c and udf_emit.c, zeros between them, and the file-data region, every file once
 * (its one data loop; the content through data_source.h, generated content included). */
#ifndef MK_IMAGE_EMIT_H
#define MK_IMAGE_EMIT_H

#include "common/dm_error.h"
#include "mkimage/image_plan.h"
#include "mkimage/sink.h"

dm_status image_emit(const image_plan *p, mk_sink *sink, dm_ctx *ctx);

#endif
