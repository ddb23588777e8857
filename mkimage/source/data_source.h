/* Reading file content at emit time, whatever it comes from (tree.h, mk_dsrc_kind): the
 * node's source path (the common case, copied in the kernel where it can be), bytes the
 * tree holds (manifest inline content), a member of an archive read through libarchive,
 * never unpacked to disk, or content generated from the finished plan (the El Torito boot
 * catalog). A generator may also edit a source's content on its way into the image (a boot
 * info table): only mk_reader_emit() applies that edit; the other readers give the
 * source's own bytes, which is what a manifest's SHA-256 describes.
 *
 * Archives are read forward only. A reader keeps the archive it last used open and moves
 * to each requested member by skipping headers; the planner orders file data so that each
 * archive's members come in header order (iso_plan.c, order_data), so one pass reads every
 * member exactly once. A request for an earlier member, or another archive, reopens it.
 *
 * Every read checks the size the plan was made with (a source that changed is refused) and,
 * when the tree records one, the SHA-256 of the bytes read (a mismatch is refused; the
 * caller aborts the sink, so nothing is written).
 *
 * Ownership: a reader borrows the tree, which must outlive it. */
#ifndef MK_DATA_SOURCE_H
#define MK_DATA_SOURCE_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_sha256.h"
#include "mkimage/sink.h"
#include "mkimage/tree.h"

typedef struct mk_reader mk_reader;

mk_reader *mk_reader_new(const mk_tree *t);
void mk_reader_free(mk_reader *r);

/* Where d's content comes from, for messages: a path, "ARCHIVE:MEMBER" or "inline content
 * of /image/path". */
void mk_reader_describe(const mk_reader *r, const mk_data *d, char *buf, size_t cap);

/* Write d's size bytes, as the image holds them, into sink (no padding). */
dm_status mk_reader_emit(mk_reader *r, const mk_data *d, mk_sink *sink, dm_ctx *ctx);

/* All of d's content into out (size bytes: small files a filesystem embeds in its own
 * structures, as UDF does), with the same checks. */
dm_status mk_reader_read_all(mk_reader *r, const mk_data *d, uint8_t *out, dm_ctx *ctx);

/* The SHA-256 of d's content (--print-manifest, and checking sums before an image goes to
 * a pipe, where a late refusal could not take back what was written). */
dm_status mk_reader_sha256(mk_reader *r, const mk_data *d, uint8_t out[DM_SHA256_LEN], dm_ctx *ctx);

/* Check the SHA-256 of every file that has one, reading them in data order (arr, n). */
dm_status mk_reader_check_all(mk_reader *r, mk_data *const *arr, uint32_t n, dm_ctx *ctx);

#endif
