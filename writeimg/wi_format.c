#include "writeimg/wi_erase.h"

#include "writeimg/wi_disc.h"

/* The descriptor of READ FORMAT CAPACITIES with this format type (MMC-6 6.24.3.3): the
 * number of blocks and the type-dependent parameter FORMAT UNIT must carry. */
static int find_format(const mmc_format_capacities *fc, uint8_t type, uint32_t *blocks,
		       uint32_t *param)
{
	for (size_t i = 0; i < fc->n_formats; i++)
		if (fc->formats[i].format_type == type) {
			*blocks = fc->formats[i].blocks;
			*param = fc->formats[i].param;
			return 1;
		}
	return 0;
}

dm_status wi_format(scsi_transport *t, wi_format_kind kind, wi_erase_result *r, dm_ctx *ctx)
{
	media_disc d;
	char nb[32];
	const char *name;
	dm_status st = wi_erase_probe(t, "format", &d, nb, &name, r, ctx);
	if (st != DM_OK)
		return st;
	const media_erase *e = media_erase_find(d.profile);
	uint8_t type = kind == WI_FORMAT_FULL ? e->format_full : e->format_quick;
	uint8_t sub = kind == WI_FORMAT_FULL ? e->subtype_full : e->subtype_quick;
	if (!d.model || type == MEDIA_NO_FORMAT)
		return dm_fail(ctx, DM_ERR_MEDIA, "a %s cannot be formatted%s", name,
			       e->blank ? ": blank it with --blank"
			       : d.model && d.model->recording == MEDIA_SEQUENTIAL ? " (write-once)" : "");
	if ((st = wi_erase_writable(&d, name, "formatted", ctx)) != DM_OK)
		return st;
	/* A formatted BD-RE is reformatted quickly without certifying again. */
	if (type == MMC_FMT_TYPE_BD_SPARES && kind == WI_FORMAT_QUICK && d.formatted)
		sub = MMC_FMT_SUB_QUICK_REFORMAT;
	mmc_format_capacities fc;
	if ((st = mmc_read_format_capacities(t, &fc, ctx)) != DM_OK)
		return st;
	uint32_t blocks = 0, param = 0;
	if (!find_format(&fc, type, &blocks, &param) &&
	    !(type == MMC_FMT_TYPE_DVDRW_QUICK &&
	      find_format(&fc, MMC_FMT_TYPE_QUICK_GROW, &blocks, &param) &&
	      (type = MMC_FMT_TYPE_QUICK_GROW)))
		return dm_fail(ctx, DM_ERR_MEDIA, "the drive offers no format of type %02Xh for the "
			       "%s (READ FORMAT CAPACITIES lists %zu format%s)", type, name,
			       fc.n_formats, fc.n_formats == 1 ? "" : "s");
	dm_note(ctx, "formatting the %s (%s, format type %02Xh, %u sectors)", name,
		kind == WI_FORMAT_FULL ? "full" : "quick", type, blocks);
	r->started = 1;
	dm_defer(ctx);
	if (mmc_prevent_allow(t, 1, ctx) != DM_OK)
		dm_drop_last(ctx);
	dm_undefer(ctx);
	st = mmc_format_unit(t, 1, blocks, type, sub, param, ctx);
	if (st == DM_OK)
		st = wi_wait_immed(t, "formatting", blocks, WI_ERASE_MAX_MS, ctx);
	if (st == DM_OK) {
		/* The new format may be a new profile (DVD-RW: sequential -> restricted
		 * overwrite); what was on the disc must not show through (MMC-6 does not
		 * promise a quick format erases it). */
		media_disc after;
		st = media_probe_disc(t, &after, ctx);
		if (st == DM_OK && after.model && after.model->recording == MEDIA_RANDOM)
			st = wi_disc_clear_volume(t, ctx);
	}
	dm_defer(ctx);
	if (mmc_prevent_allow(t, 0, ctx) != DM_OK)
		dm_drop_last(ctx);
	dm_undefer(ctx);
	if (st == DM_ERR_INTERRUPTED)
		dm_fail_prefix(ctx, "the drive goes on formatting by itself; ");
	else if (st != DM_OK)
		dm_fail_prefix(ctx, "formatting failed: ");
	wi_disc_state(t, r->state, sizeof(r->state), ctx);
	return st;
}
