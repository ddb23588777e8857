/* Directory sources: fill the image tree from the filesystem (lstat, readdir, readlink).
 * Symlinks are stored, not followed, unless follow_links is set; then a symlink to one of
 * its own ancestors is reported as a loop. */
#ifndef MK_SOURCE_DIR_H
#define MK_SOURCE_DIR_H

#include <stddef.h>
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

/* Where the image goes, so that a source holding it (the image would contain itself) or
 * being it (the image would replace what it is made from) is refused before anything is
 * read: the output's directory and each of its parents up to "/", by device and inode (any
 * path to them, through symlinks or "..", is recognised), and the output file itself when
 * it exists. mk_out_place_free() frees what mk_out_place_get() allocated. */
typedef struct mk_out_id {
	uint64_t dev, ino;
} mk_out_id;
typedef struct mk_out_place {
	mk_out_id *chain;       /* the output's directory, then its parents */
	size_t n;
	int exists;             /* the output file exists: file identifies it */
	mk_out_id file;
} mk_out_place;
dm_status mk_out_place_get(mk_out_place *p, const char *output, dm_ctx *ctx);
void mk_out_place_free(mk_out_place *p);
/* 1 when src is a directory holding the output, at any depth (reading it recursively would
 * meet the output). */
int mk_out_inside(const mk_out_place *p, const char *src);
/* 1 when src is the output file (the same inode: also through a symlink or a hard link). */
int mk_out_is(const mk_out_place *p, const char *src);

#endif
