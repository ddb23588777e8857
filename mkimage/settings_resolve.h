/* The resolve step: the rules between settings, each checked once whoever gave them (the
 * command line, a manifest, the mkisofs front end), and the settings turned into what the
 * planners take (image_opts, the El Torito entries, the scan options). */
#ifndef MK_SETTINGS_RESOLVE_H
#define MK_SETTINGS_RESOLVE_H

#include "common/dm_error.h"
#include "mkimage/boot/boot.h"
#include "mkimage/image_plan.h"
#include "mkimage/media.h"
#include "mkimage/settings.h"
#include "mkimage/source/source_dir.h"
#include "mkimage/tree.h"

typedef struct mk_resolved {
	image_opts im;           /* im.iso_o.boot points at boot when booting */
	mk_boot boot;
	int booting;
	int64_t epoch;           /* SOURCE_DATE_EPOCH, else the manifest's; -1: none */
	mk_media media;
	int has_media;
	mk_scan_opts so;         /* follow_links, times, the -m/-x filter */
	/* A later session (--previous), set when the previous one is imported (main.c): its
	 * start is im.iso_o.base; the disc's capacity in sectors (0: unknown, a file). */
	uint32_t disc_sectors;
	char prev_volume_id[33]; /* the previous session's volume id, when it is kept */
} mk_resolved;

/* The rules: boot settings need a boot image and the emulation they apply to, a catalog or
 * a hybrid table needs a boot image, booting needs ISO 9660, the volume identifiers fit; a
 * later session (--previous) has no UDF, no boot, no --implant-md5 and no --print-manifest,
 * and --session-start and --remove need it. */
dm_status mk_settings_check(const mk_settings *s, dm_ctx *ctx);

/* Check, then fill r. env_epoch: SOURCE_DATE_EPOCH (-1: unset); now: the time of the run.
 * r->so.filter refers to s, which must outlive r. */
dm_status mk_settings_resolve(const mk_settings *s, int64_t env_epoch, int64_t now, mk_resolved *r,
			      dm_ctx *ctx);

/* After the sources are gathered (before mk_tree_finish()): -r's modes and owners, -hide,
 * -hide-joliet and the -sort weights. */
dm_status mk_settings_apply_tree(const mk_settings *s, mk_tree *t, dm_ctx *ctx);

#endif
