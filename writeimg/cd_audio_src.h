/* An audio track's source, read as CD-DA sectors: 2352 bytes of 44.1 kHz 16-bit stereo,
 * little-endian, left channel first (the order on the disc and of a cue's BINARY file).
 * WAV and FLAC are decoded through libsndfile; raw files are read as they are, or
 * byte-swapped when big-endian (a cue's MOTOROLA; wodim's default for raw files without
 * -swab).
 *
 * Anything else - another rate, channel count, sample format or container - is refused at
 * open with a message naming the file and what it is. A file shorter than its header says
 * (truncated) is refused at open where the container allows it (WAV: the data chunk size;
 * WAV and FLAC: the last announced sample frame must decode) and in any case when a read
 * comes short. A last partial sector is padded with silence, and a note says so.
 *
 * A source is opened once and read front to back by whole sectors; cd_audio_src_seek
 * restarts it anywhere (a cue's WAVE file holding several tracks). */
#ifndef CD_AUDIO_SRC_H
#define CD_AUDIO_SRC_H

#include <stdint.h>

#include "common/dm_error.h"

#define CD_AUDIO_RATE 44100
#define CD_AUDIO_FRAMES_PER_SECTOR 588 /* 2352 / 4: stereo 16-bit sample frames */

typedef enum cd_audio_kind {
	CD_AUDIO_DETECT,  /* WAV or FLAC by content, else raw by name: .raw .pcm .cdda .bin */
	CD_AUDIO_SNDFILE, /* WAV or FLAC only (a cue's WAVE file) */
	CD_AUDIO_RAW_LE,  /* raw, little-endian: CD-DA order (a cue's BINARY) */
	CD_AUDIO_RAW_BE   /* raw, big-endian (a cue's MOTOROLA), swapped while read */
} cd_audio_kind;

typedef struct cd_audio_src cd_audio_src;

/* Open and check path. *out is owned by the caller: cd_audio_src_free. */
dm_status cd_audio_src_open(const char *path, cd_audio_kind kind, cd_audio_src **out,
			    dm_ctx *ctx);
/* CD_AUDIO_SNDFILE, CD_AUDIO_RAW_LE or CD_AUDIO_RAW_BE, once detected. */
cd_audio_kind cd_audio_src_kind(const cd_audio_src *src);
/* "WAV", "FLAC", "raw little-endian", "raw big-endian". */
const char *cd_audio_src_format(const cd_audio_src *src);
const char *cd_audio_src_path(const cd_audio_src *src);
/* Tags the file carries (WAV LIST/INFO, FLAC Vorbis comments), as it has them, or NULL. */
typedef enum cd_audio_tag { CD_AUDIO_TAG_TITLE, CD_AUDIO_TAG_ARTIST, CD_AUDIO_TAG_ALBUM } cd_audio_tag;
const char *cd_audio_src_tag(const cd_audio_src *src, cd_audio_tag tag);
/* Stereo sample frames the source announces (WAV/FLAC header; raw: its size / 4). */
uint64_t cd_audio_src_frames(const cd_audio_src *src);
/* Sectors of 2352 bytes: frames / 588 rounded up. */
uint32_t cd_audio_src_sectors(const cd_audio_src *src);
/* Sample frames of silence that complete the last sector (0 to 587). */
uint32_t cd_audio_src_pad_frames(const cd_audio_src *src);

/* Read the next n sectors (n * 2352 bytes) into buf. Reading past the last sector is an
 * error (DM_ERR_INVALID); a source that ends before the frames it announced is DM_ERR_IO,
 * "truncated", with both counts. */
dm_status cd_audio_src_read(cd_audio_src *src, uint8_t *buf, uint32_t n, dm_ctx *ctx);
/* Continue reading at sector (0 .. sectors). */
dm_status cd_audio_src_seek(cd_audio_src *src, uint32_t sector, dm_ctx *ctx);
/* Decode the whole source once (a pre-flight check before a burn, where a truncated FLAC
 * would otherwise only show mid-disc), then seek back to sector 0. */
dm_status cd_audio_src_check(cd_audio_src *src, dm_ctx *ctx);
void cd_audio_src_free(cd_audio_src *src);

#endif
