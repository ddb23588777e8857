/* Directory sources: fill the image tree from the filesystem (lstat, readdir, readlink).
 * Symlinks are stored, not followed, unless follow_links is set; then a symlink to one of
 * its own ancestors is reported as a loop. */
#ifndef MK_SOURCE_DIR_H
#define MK_SOURCE_DIR_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/tree.h"

typedef struct mk_scan_opts {
	int follow_links;
	int64_t clamp_time;     /* >= 0: times later than this become this (SOURCE_DATE_EPOCH) */
	int64_t default_time;   /* time of directories mkimage makes itself (graft parents) */
	int have_exclude;       /* never add the file (exclude_dev, exclude_ino): our output */
	uint64_t exclude_dev, exclude_ino;
	const char *exclude_path; /* for the message when the output is met in a source */
	/* Manifest trees: every node added gets node_flags (MK_HIDDEN, MK_NOT_*), and, when
	 * filter is set, an entry is added only if filter(user, path below the tree, is_dir)
	 * says so (a directory left out is not descended into). */
	uint8_t node_flags;
	int (*filter)(void *user, const char *rel, int is_dir);
	void *filter_user;
} mk_scan_opts;

/* Add the contents of directory `src` below `dest` (the root for a plain SOURCE). The first
 * directory added to a synthetic directory gives it its attributes. */
dm_status mk_source_add_contents(mk_tree *t, mk_node *dest, const char *src, const mk_scan_opts *o,
				 dm_ctx *ctx);

/* Graft `src` (file, directory, anything) at `dest_path` ("a/b/name") in the image, making
 * the parent directories that do not exist yet. */
dm_status mk_source_graft(mk_tree *t, const char *dest_path, const char *src, const mk_scan_opts *o,
			  dm_ctx *ctx);

#endif
