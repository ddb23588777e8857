#include "mkimage/media.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_media_sizes.h"
#include "mkimage/settings.h"

/* The capacities come from the one table of media sizes (common/dm_media_sizes.c); a
 * DVD or DVD DL image must fit both the - and the + disc, so the smaller of the two. */
static const struct {
	const char *name, *what;
	dm_size_id size;
	int udf_bridge;
} table[] = {
	{"cd74", "a 74-minute CD", DM_SIZE_CD74, 0},
	{"cd80", "an 80-minute CD", DM_SIZE_CD80, 0},
	{"dvd", "a single-layer DVD", DM_SIZE_DVDPR, 0},
	{"dvd-dl", "a dual-layer DVD", DM_SIZE_DVDRDL, 0},
	{"bd", "a single-layer BD", DM_SIZE_BD, 1},
	{"bd-dl", "a dual-layer BD", DM_SIZE_BD_DL, 1},
	{"bd-tl", "a triple-layer BDXL", DM_SIZE_BD_TL, 1},
	{"bd-ql", "a quadruple-layer BDXL", DM_SIZE_BD_QL, 1},
};

dm_status mk_media_parse(const char *s, mk_media *m, dm_ctx *ctx)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(s, table[i].name)) {
			*m = (mk_media){table[i].name, table[i].what, dm_media_sectors(table[i].size),
					table[i].udf_bridge};
			return DM_OK;
		}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v == 0)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--media: '%s' is not cd74, cd80, dvd, dvd-dl, bd, bd-dl, bd-tl, bd-ql or a number "
			       "of 2048-byte sectors",
			       s);
	*m = (mk_media){NULL, "the media", v, 0};
	return DM_OK;
}

dm_status mk_media_check(const mk_media *m, uint64_t total, dm_ctx *ctx)
{
	if (total <= m->sectors)
		return DM_OK;
	uint64_t over = total - m->sectors;
	return dm_fail(ctx, DM_ERR_NOSPACE,
		       "the image needs %llu sectors but %s holds %llu: %llu sectors (%.1f MiB) too many",
		       (unsigned long long)total, m->what, (unsigned long long)m->sectors,
		       (unsigned long long)over, over * (double)DM_SECTOR / 1048576.0);
}

unsigned mk_media_default_fs(const mk_media *m, unsigned fs)
{
	/* Blu-ray players and most BD readers read UDF only: add a UDF bridge. */
	if (m->udf_bridge)
		fs |= MK_FS_UDF;
	return fs;
}
