/* Archive sources: the members of a tar (any compression), cpio, zip, 7z, ISO image or any
 * other archive libarchive reads become items of the image tree below a destination
 * directory. Nothing is unpacked: the scan reads headers only (skipping the data), and the
 * emitter streams each member's data from the archive later (data_source.c).
 *
 * Member names: a leading "/" and "./" are dropped, "." components are skipped; ".."
 * components and names longer than 255 bytes are errors. Parent directories a member needs
 * but the archive does not list are made with mode 0755 and the default time. A hard link
 * member shares the data of its target. A member whose header gives no size (rare: some
 * streamed zip entries) is read through once during the scan to learn it; it is read again
 * when the image is written. */
#ifndef MK_SOURCE_ARCHIVE_H
#define MK_SOURCE_ARCHIVE_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/tree.h"

struct archive;

typedef struct mk_archive_opts {
	int64_t clamp_time;      /* >= 0: later times become this (SOURCE_DATE_EPOCH) */
	int64_t default_time;    /* time of the directories mkimage makes */
	int32_t weight;          /* sort weight of every member's data */
	uint8_t node_flags;      /* MK_HIDDEN / MK_NOT_* given to every member */
} mk_archive_opts;

/* Add the members of the archive at path below dest. */
dm_status mk_source_archive(mk_tree *t, mk_node *dest, const char *path, const mk_archive_opts *o,
			    dm_ctx *ctx);

/* Open an archive with every format and filter libarchive has (the scan and the emitter
 * use this one function, so they see the same headers in the same order). */
dm_status mk_archive_open(struct archive **out, const char *path, dm_ctx *ctx);

#endif
