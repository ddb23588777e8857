/* Helpers of the previous-session importer tests (test_import.c, test_import_udf.c). */
#ifndef IMPORT_UTIL_H
#define IMPORT_UTIL_H

#include <string.h>

#include "mkimage/tree.h"

/* The node at an absolute path of t ("/a/b", repeated slashes allowed), NULL if none. */
static inline mk_node *tree_at(mk_tree *t, const char *path)
{
	mk_node *n = mk_tree_root(t);
	while (n && *path) {
		path += strspn(path, "/");
		size_t len = strcspn(path, "/");
		n = mk_tree_find(n, path, len);
		path += len;
	}
	return n;
}

#endif
