/* ISO 9660 volume descriptors (ECMA-119 8.4, 8.5, 8.3) and the Joliet supplementary volume
 * descriptor (Joliet specification: escape sequence %/E, UCS-2 level 3). */
#ifndef MK_ISO_VD_H
#define MK_ISO_VD_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/iso/iso_plan.h"

/* Check the volume descriptor strings before any work: lengths and characters. */
dm_status iso_vd_check(const iso_opts *o, dm_ctx *ctx);

void iso_vd_primary(uint8_t *sec, const iso_plan *p);
void iso_vd_joliet(uint8_t *sec, const iso_plan *p);
void iso_vd_terminator(uint8_t *sec);

#endif
