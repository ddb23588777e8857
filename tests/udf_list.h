/* The walk shared by tests/udfread_list.c (libudfread) and tests/udfcdio_list.c (libcdio's
 * libudf): every directory of a UDF image visited depth first in the reader's order, every
 * file read through and hashed, and a manifest written for
 * tests/integration/compare_tree.py: {"reader", "volume_id", "entries": [{"path", "type"
 * (dir, file or other), for files "size" and "sha256" of the bytes read}]}. A reader gives
 * the calls below; the walk does the paths, the hashing, the JSON and the error count. */
#ifndef TESTS_UDF_LIST_H
#define TESTS_UDF_LIST_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef enum ul_type { UL_DIR, UL_FILE, UL_OTHER } ul_type;

typedef struct ul_reader {
	const char *prog;   /* for messages: "udfread_list" */
	const char *reader; /* the manifest's "reader" */
	/* Names that are not UTF-8 are Latin-1 (libudf gives 8-bit CS0 names as their bytes):
	 * written as the characters they are; otherwise names are written as they come. */
	int latin1;
	/* The next entry of the directory being read: its name and type; 0 at its end (and
	 * skipped when the name is empty, "." or ".."). */
	int (*next)(void *dir, const char **name, ul_type *type);
	/* The subdirectory the current entry names: 0 and *sub (NULL: it is empty), or -1 (the
	 * walk reports it). */
	int (*opendir)(void *dir, const char *name, void **sub);
	/* Done with a directory the walk read to its end (NULL: nothing to do). */
	void (*closedir)(void *dir);
	/* The file the current entry names: a handle and its size, or NULL (the walk reports
	 * it). read: bytes into buf (at most cap), 0 at the end of the file, -1 on an error;
	 * close: done with it. */
	void *(*open_file)(void *dir, const char *name, int64_t *size);
	ssize_t (*read)(void *file, uint8_t *buf, size_t cap);
	void (*close_file)(void *file);
} ul_reader;

/* Walk the tree below root into the manifest out (opened for writing), closing out.
 * Returns the number of errors (a directory or file that could not be opened or read,
 * a file whose bytes are not its size); each is reported on stderr. */
int ul_walk(const ul_reader *r, void *root, const char *volume_id, FILE *out);

#endif
