#include "mkimage/media.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage/settings.h"

/* Capacities in 2048-byte sectors of blank write-once media, as drives report them (READ
 * CAPACITY / READ DISC INFORMATION, MMC-6 6.22) and as growisofs and cdrecord list them:
 *   CD-R 74 min: 74 * 60 * 75 = 333000 sectors (75 sectors a second, ECMA-130 14.1)
 *   CD-R 80 min: 80 * 60 * 75 = 360000 sectors
 *   DVD-R 2298496, DVD+R 2295104 (ECMA-359, ECMA-349): the smaller, so either fits
 *   DVD-R DL 4171712, DVD+R DL 4173824 (ECMA-382, ECMA-364): the smaller
 *   BD-R SL 12219392 (25.0 GB), DL 24438784 (50.0 GB), BDXL TL 48878592 (100.1 GB),
 *   BDXL QL 62500864 (128.0 GB) (Blu-ray Disc Recordable format, part 1; BDXL) */
static const mk_media table[] = {
	{"cd74", "a 74-minute CD", 333000, 0},
	{"cd80", "an 80-minute CD", 360000, 0},
	{"dvd", "a single-layer DVD", 2295104, 0},
	{"dvd-dl", "a dual-layer DVD", 4171712, 0},
	{"bd", "a single-layer BD", 12219392, 1},
	{"bd-dl", "a dual-layer BD", 24438784, 1},
	{"bd-tl", "a triple-layer BDXL", 48878592, 1},
	{"bd-ql", "a quadruple-layer BDXL", 62500864, 1},
};

dm_status mk_media_parse(const char *s, mk_media *m, dm_ctx *ctx)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(s, table[i].name)) {
			*m = table[i];
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
		       (unsigned long long)over, over * 2048.0 / 1048576.0);
}

unsigned mk_media_default_fs(const mk_media *m, unsigned fs)
{
	/* Blu-ray players and most BD readers read UDF only: add a UDF bridge. */
	if (m->udf_bridge)
		fs |= MK_FS_UDF;
	return fs;
}
