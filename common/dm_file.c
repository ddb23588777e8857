#include "common/dm_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

dm_status dm_file_read_small(const char *path, size_t max, const char *what,
			     const char *read_what, const char *limit, char **buf, size_t *len,
			     dm_ctx *ctx)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s %s", what, path);
	char *b = malloc(max + 1);
	if (!b) {
		fclose(f);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", path);
	}
	size_t n = fread(b, 1, max + 1, f);
	int err = ferror(f) ? errno : 0;
	fclose(f);
	dm_status st = DM_OK;
	if (err)
		st = dm_fail_errno(ctx, DM_ERR_IO, err, "reading %s%s%s", read_what,
				   *read_what ? " " : "", path);
	else if (n > max)
		st = dm_fail(ctx, DM_ERR_INVALID, "%s is larger than %s: not a %s", path, limit, what);
	if (st != DM_OK) {
		free(b);
		return st;
	}
	*buf = b;
	*len = n;
	return DM_OK;
}
