/* The --cd-text FILE format (spec/cd-text.md): UTF-8 text, one `key = value` a line,
 * blank lines and lines starting with # ignored. Keys: album.FIELD and track.N.FIELD,
 * FIELD one of title, performer, songwriter, composer, arranger, message; N the track
 * number (1 or 01). Values are converted to ISO 8859-1 (CD-TEXT block 0's character
 * set) and override what the cue sheet or the audio files' tags gave. */
#ifndef CD_TEXT_FILE_H
#define CD_TEXT_FILE_H

#include <stddef.h>

#include "common/dm_error.h"
#include "writeimg/cd_layout.h"

/* Read path and set layout's text. Errors name the file and line. */
dm_status cd_text_file_load(const char *path, cd_layout *layout, dm_ctx *ctx);
/* The same over len bytes; name for messages. */
dm_status cd_text_file_parse(const char *text, size_t len, const char *name,
			     cd_layout *layout, dm_ctx *ctx);

#endif
