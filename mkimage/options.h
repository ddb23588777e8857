/* mkimage's command line: the first filler of the settings model (settings.h). Every
 * option is a row of the settings table; this file reads argv through it. The options are
 * documented in --help (options.c) and in mkimage.1; keep them in step. */
#ifndef MK_OPTIONS_H
#define MK_OPTIONS_H

#include "common/dm_error.h"
#include "mkimage/settings.h"

/* Parse argv into o (mkimage's defaults first). On a usage error the message is in ctx and
 * DM_ERR_INVALID is returned. argv is reordered: the SOURCEs come first. */
dm_status mk_options_parse(mk_settings *o, int argc, char **argv, dm_ctx *ctx);

/* The --help text. */
extern const char mk_options_help[];

#endif
