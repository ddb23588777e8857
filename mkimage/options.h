/* mkimage's command line, parsed into a plain struct with no side effects: main.c acts on
 * it. The options are documented in --help (options.c) and in mkimage.1; keep them in step. */
#ifndef MK_OPTIONS_H
#define MK_OPTIONS_H

#include <stddef.h>

#include "common/dm_error.h"

enum { MK_FS_ISO9660 = 1, MK_FS_JOLIET = 2, MK_FS_ROCKRIDGE = 4 };

typedef struct mk_options {
	const char *output;          /* -o: a path, or "-" for stdout */
	char **sources;              /* SOURCE... (borrowed from argv) */
	size_t nsources;
	unsigned fs;                 /* MK_FS_* */
	int iso_level;               /* 1, 2, 3 */
	int joliet_long;             /* 103-character Joliet names */
	int follow_links;
	int progress;
	int verbose;
	int help, version;
	const char *volume_id, *system_id, *volset_id, *publisher, *preparer, *application;
} mk_options;

/* Parse argv. On a usage error the message is in ctx and DM_ERR_INVALID is returned. */
dm_status mk_options_parse(mk_options *o, int argc, char **argv, dm_ctx *ctx);

/* Parse a --fs list ("iso9660,joliet,rockridge") into MK_FS_* bits. */
dm_status mk_options_parse_fs(const char *list, unsigned *fs, dm_ctx *ctx);

/* The --help text. */
extern const char mk_options_help[];

#endif
