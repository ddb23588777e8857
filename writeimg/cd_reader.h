/* The bytes a writer sends for any sector of a layout: walks the extents, reads BINARY
 * files as they are, swaps MOTOROLA audio to little-endian, decodes WAVE files
 * (cd_audio_src), and gives zeros for generated sectors and past a file's last byte (a
 * padded last sector). A sector is 2352 bytes, or 2048 in a MODE1/2048 track (what the
 * cue sheet's data form says the host sends). Files are opened when first needed and kept
 * open until cd_reader_free. */
#ifndef CD_READER_H
#define CD_READER_H

#include <stdint.h>

#include "common/dm_error.h"
#include "writeimg/cd_layout.h"

typedef struct cd_reader cd_reader;

/* layout must outlive the reader. */
dm_status cd_reader_new(const cd_layout *layout, cd_reader **out, dm_ctx *ctx);
/* n sectors from lba, all in one track, into buf (n * cd_mode_file_bytes of that track). */
dm_status cd_reader_read(cd_reader *r, int32_t lba, uint32_t n, uint8_t *buf, dm_ctx *ctx);
void cd_reader_free(cd_reader *r);

#endif
