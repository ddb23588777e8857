/* `writeimg --list` and `--watch`: optical drives found through libudev. */
#ifndef WI_LIST_H
#define WI_LIST_H

#include <stdio.h>

#include "common/dm_error.h"

/* Print the drives (text or JSON). DM_OK also when there are none. */
dm_status wi_list(FILE *out, int json, dm_ctx *ctx);
/* Print the drives, then one line per drive or disc that comes or goes, until
 * ctx->cancel is set (SIGINT/SIGTERM). */
dm_status wi_watch(FILE *out, int json, dm_ctx *ctx);

#endif
