/* A track read back from a disc, saved as a WAV file (44100 Hz, 16-bit, stereo) through
 * libsndfile, sample for sample what the disc holds (--read-audio). The file is written
 * under a temporary name in the same directory and renamed when finished, so a failed
 * read never leaves a half file under the real name. */
#ifndef CD_WAV_OUT_H
#define CD_WAV_OUT_H

#include <stdint.h>

#include "common/dm_error.h"

typedef struct cd_wav_out cd_wav_out;

dm_status cd_wav_out_new(const char *path, cd_wav_out **out, dm_ctx *ctx);
/* n sectors of CD-DA (2352 bytes each, little-endian, left first). */
dm_status cd_wav_out_write(cd_wav_out *w, const uint8_t *sectors, uint32_t n, dm_ctx *ctx);
/* Complete the file and give it its name; w is freed, whatever the result. */
dm_status cd_wav_out_finish(cd_wav_out *w, dm_ctx *ctx);
/* Drop the temporary file; w is freed. */
void cd_wav_out_abort(cd_wav_out *w);

#endif
