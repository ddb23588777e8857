/* Where image bytes go: a file (written to a temporary file in the target directory and
 * renamed only by mk_sink_commit(), so a failure never leaves a partial image), an open
 * descriptor (stdout, a device), memory (tests) or nowhere (sizes only). Writes are
 * buffered and, for files and descriptors, done by a writer thread while the caller reads
 * the next file. A regular file is written to the disk as it is made and the page cache is
 * not filled with it (its pages are dropped once written; nothing waits), and large file
 * contents are shared with their source (a reflink) where the output filesystem can and
 * the image puts them on a block boundary. */
#ifndef MK_SINK_H
#define MK_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/dm_error.h"

typedef struct mk_sink mk_sink;

/* An observer sees every byte in order (checksums); with one, no reflinks are made. */
typedef void (*mk_sink_observer)(void *user, const uint8_t *data, size_t len);

dm_status mk_sink_open_file(mk_sink **out, const char *path, dm_ctx *ctx);
dm_status mk_sink_open_fd(mk_sink **out, int fd, const char *name, dm_ctx *ctx);
mk_sink *mk_sink_open_memory(void);
mk_sink *mk_sink_open_null(void);

void mk_sink_set_observer(mk_sink *s, mk_sink_observer fn, void *user);

dm_status mk_sink_write(mk_sink *s, const void *data, size_t len, dm_ctx *ctx);
dm_status mk_sink_zeros(mk_sink *s, uint64_t len, dm_ctx *ctx);
/* Copy up to len bytes from fd (at its current offset, 0 for a reflink to be tried); *copied
 * says how many there were (fewer at end of file) and *more whether the file holds bytes
 * beyond len. */
dm_status mk_sink_copy_fd(mk_sink *s, int fd, uint64_t len, uint64_t *copied, int *more,
			  const char *what, dm_ctx *ctx);
uint64_t mk_sink_offset(const mk_sink *s);
/* Make mk_sink_offset() count from origin bytes (an image that starts at a disc address
 * other than 0, as a later session does): the emitters' checks then compare disc offsets.
 * Call before writing; mk_sink_patch() offsets stay those of the output. */
void mk_sink_set_origin(mk_sink *s, uint64_t origin);

/* The temporary file's identity, so sources never include it. 0 when not a file sink. */
int mk_sink_identity(const mk_sink *s, dev_t *dev, ino_t *ino);

/* Memory sinks: the bytes written so far. */
const uint8_t *mk_sink_memory(const mk_sink *s, size_t *len);

/* Overwrite len bytes at offset, which were written already (the implanted MD5 goes into
 * the primary volume descriptor after the whole image has streamed past). Works for file
 * sinks (the temporary file, or a seekable device) and memory sinks; DM_ERR_UNSUPPORTED
 * for descriptors (a pipe cannot be rewound). */
dm_status mk_sink_patch(mk_sink *s, uint64_t offset, const void *data, size_t len, dm_ctx *ctx);
/* Read back everything written so far (file and memory sinks) and hand it to fn in order. */
dm_status mk_sink_reread(mk_sink *s, mk_sink_observer fn, void *user, dm_ctx *ctx);

/* Flush and, for a file, make it the output (rename). Frees the sink either way. */
dm_status mk_sink_commit(mk_sink *s, dm_ctx *ctx);
/* Drop everything written (remove the temporary file) and free the sink. */
void mk_sink_abort(mk_sink *s);

#endif
