/* The image tree: what goes into an image, independent of any filesystem format. Sources
 * (a directory, later a manifest or an archive) fill it; the planners of each filesystem
 * read it. Nodes live in one arena with their names inside them, so a file costs about
 * 120 bytes plus its name (the node, 84 + name + NUL, rounded to 8; its data record, 32).
 * File content is never held: a node says where to read it from.
 *
 * Ownership: the mk_tree owns every node, name and data record; all are freed by
 * mk_tree_free(). */
#ifndef MK_TREE_H
#define MK_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_arena.h"
#include "common/dm_error.h"

typedef enum mk_type {
	MK_FILE,
	MK_DIR,
	MK_SYMLINK,
	MK_BLKDEV,
	MK_CHRDEV,
	MK_FIFO,
	MK_SOCKET
} mk_type;

/* Node flags. */
enum {
	MK_SRC_FULL = 1u << 0,  /* node->src is a full path, not a component below the parent's */
	MK_SYNTHETIC = 1u << 1, /* made by mkimage (graft parents), no source of its own */
	MK_HIDDEN = 1u << 2,    /* ISO 9660 and Joliet records set the Existence bit (ECMA-119
				   9.1.6): readers hide the entry */
	MK_NOT_ISO = 1u << 3,   /* left out of the primary hierarchy (and so of Rock Ridge) */
	MK_NOT_JOLIET = 1u << 4, /* left out of the Joliet hierarchy */
	MK_NOT_UDF = 1u << 5,   /* left out of the UDF file set */
	MK_OLD = 1u << 6,       /* imported from a previous session (import.h): a source's entry
				   of the same name replaces it (directories merge) */
};

/* The content of a regular file, shared by all its hard links in the image: written once.
 * (The source identity of linked files lives in the tree's link table, not here: most
 * files have one link, and this record exists once per file.) */
typedef struct mk_data {
	uint64_t size;
	struct mk_node *node;    /* the first node linking it: its source path is read */
	uint32_t nlink;          /* links to it in the image */
	uint32_t lba;            /* first sector, assigned by the planner (0: empty file) */
	uint32_t serial;         /* inode number in the image, assigned by the planner */
	uint32_t src;            /* 0: read node's source path; else 1 + index of an mk_dsrc
				    (the padding of this record: it costs nothing) */
} mk_data;

/* Where the content of a file comes from when it is not (only) its node's source path:
 * manifest items, archive members and what mkimage makes itself. Kept in a side table of
 * the tree, so files of a directory source pay nothing for it. */
enum mk_dsrc_kind {
	MK_DSRC_PATH,            /* the node's source path, as without a record */
	MK_DSRC_INLINE,          /* bytes held in the tree */
	MK_DSRC_MEMBER,          /* a member of an archive, read through libarchive */
	MK_DSRC_GENERATED,       /* made from the finished plan when it is written (gen) */
	MK_DSRC_OLD              /* an extent of a previous session, at the data's lba
				    (already on the disc: planners point at it, emitters never
				    write it) */
};

/* Content made, or a source's content changed, when the image is written, from the
 * finished plan (the El Torito boot catalog, a boot info table: boot.c). fill gets
 * d->size bytes at buf: zeros for MK_DSRC_GENERATED, else the source's whole content
 * (read into memory: keep such files small), and fills or edits them in place. */
typedef struct mk_dsrc_gen {
	dm_status (*fill)(const void *user, const struct mk_data *d, uint8_t *buf, dm_ctx *ctx);
	const void *user;
	const char *what;        /* MK_DSRC_GENERATED, for messages: "the boot catalog" */
} mk_dsrc_gen;

typedef struct mk_dsrc {
	uint8_t kind;            /* mk_dsrc_kind */
	int32_t weight;          /* data order: higher weights are placed first (default 0) */
	uint32_t archive;        /* MK_DSRC_MEMBER: from mk_tree_archive_add() */
	uint32_t member;         /* MK_DSRC_MEMBER: index of its header in the archive, from 0 */
	const uint8_t *bytes;    /* MK_DSRC_INLINE: size bytes */
	const uint8_t *sha256;   /* the expected SHA-256 of the content (32 bytes), or NULL */
	const mk_dsrc_gen *gen;  /* MK_DSRC_GENERATED: makes the content; other kinds: NULL, or
				    an edit of the content read, applied only where the image's
				    data is written (mk_reader_emit) */
} mk_dsrc;

typedef struct mk_node {
	struct mk_node *parent;
	struct mk_node *child;   /* first child (directories) */
	struct mk_node *next;    /* next sibling */
	const char *src;         /* source: a full path (MK_SRC_FULL), or NULL: the parent's
				    source path + "/" + name */
	union {                  /* by type: */
		mk_data *data;       /* MK_FILE */
		const char *target;  /* MK_SYMLINK: the link's target, as stored */
		uint64_t rdev;       /* MK_BLKDEV, MK_CHRDEV */
	};
	int64_t mtime, atime, ctime; /* seconds since the epoch */
	uint32_t mode;           /* st_mode: type and permission bits */
	uint32_t uid, gid;
	uint32_t serial;         /* inode number in the image (directories and non-files) */
	uint16_t name_len;
	uint8_t type;            /* mk_type */
	uint8_t flags;
	char name[];             /* bytes in the image, NUL-terminated; "" for the root. Held in
				    the node (a flexible array member), so a node is made only by
				    mk_tree_add() or mk_node_new(), and never copied by value */
} mk_node;

typedef struct mk_tree mk_tree;

mk_tree *mk_tree_new(void);
void mk_tree_free(mk_tree *t);
mk_node *mk_tree_root(mk_tree *t);
dm_arena *mk_tree_arena(mk_tree *t);

/* A new child of dir (not yet checked for duplicates: mk_tree_finish() does that). The name
 * is copied. Returns NULL when out of memory. */
mk_node *mk_tree_add(mk_tree *t, mk_node *dir, const char *name, size_t len, mk_type type);

/* A node that belongs to no tree (a planner's own directory, such as ISO 9660's rr_moved),
 * allocated in arena with its name copied: zeroed but for name and name_len. NULL when out
 * of memory. */
mk_node *mk_node_new(dm_arena *arena, const char *name, size_t len);

/* The child of dir called name, or NULL (linear: for graft paths, not for bulk use). */
mk_node *mk_tree_find(mk_node *dir, const char *name, size_t len);

/* The data record for the source file (dev, ino) when it has more than one link, so that
 * hard links share it; a fresh one otherwise. */
mk_data *mk_tree_data(mk_tree *t, uint64_t dev, uint64_t ino, uint32_t src_nlink);

/* Give d a data source record (zeroed, kind MK_DSRC_PATH) and return it, or return the one
 * it has; NULL when out of memory. The pointer stays valid until the next call. */
mk_dsrc *mk_tree_dsrc_add(mk_tree *t, mk_data *d);
/* d's record, or NULL when its content is simply its node's source path. */
const mk_dsrc *mk_tree_dsrc(const mk_tree *t, const mk_data *d);
/* Whether any data has a record (the planner then orders data by weight and archive). */
int mk_tree_has_dsrc(const mk_tree *t);
/* Whether d is content of a previous session, already on the disc (MK_DSRC_OLD). */
int mk_data_is_old(const mk_tree *t, const mk_data *d);

/* Archives whose members the tree holds: the path is copied; returns its number, or
 * UINT32_MAX when out of memory. */
uint32_t mk_tree_archive_add(mk_tree *t, const char *path);
const char *mk_tree_archive_path(const mk_tree *t, uint32_t archive);

/* Sort every directory's children by name bytes, merge directories that two sources put
 * at the same path, and refuse any other duplicate name (naming both). Call once after all
 * sources are added. */
dm_status mk_tree_finish(mk_tree *t, dm_ctx *ctx);

/* The node after n in a depth-first, pre-order walk (its first child, else the next
 * sibling of it or of its nearest ancestor that has one); NULL after the last. */
mk_node *mk_tree_next(const mk_node *n);

/* The source path of a node into buf (cap bytes). Returns the length, or 0 when it does not
 * fit or the node has no source. */
size_t mk_node_src_path(const mk_node *n, char *buf, size_t cap);

/* The path of a node inside the image ("/a/b"), for messages. */
size_t mk_node_image_path(const mk_node *n, char *buf, size_t cap);

/* Counts, for summaries and memory reports. */
typedef struct mk_tree_stats {
	uint64_t files, dirs, symlinks, specials, hardlinks, bytes;
} mk_tree_stats;
void mk_tree_stats_get(const mk_tree *t, mk_tree_stats *st);
size_t mk_tree_memory(const mk_tree *t);

#endif
