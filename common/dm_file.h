/* Small text inputs (cue sheets, CD-TEXT files) read whole, with a size bound so that a
 * wrong path (a disc image, a device) is refused instead of read into memory. */
#ifndef DM_FILE_H
#define DM_FILE_H

#include <stddef.h>

#include "common/dm_error.h"

/* Read path (at most max bytes) into a new buffer *buf (free() it) of *len bytes.
 * Errors name the path: "cannot open WHAT PATH", "reading READ_WHAT PATH" (READ_WHAT may be
 * "" for "reading PATH"), and over max bytes "PATH is larger than LIMIT: not a WHAT". */
dm_status dm_file_read_small(const char *path, size_t max, const char *what,
			     const char *read_what, const char *limit, char **buf, size_t *len,
			     dm_ctx *ctx);

#endif
