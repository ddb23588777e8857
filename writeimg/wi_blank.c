#include "writeimg/wi_erase.h"

#include "writeimg/wi_disc.h"

dm_status wi_blank(scsi_transport *t, wi_blank_kind kind, wi_erase_result *r, dm_ctx *ctx)
{
	media_disc d;
	char nb[32];
	const char *name;
	dm_status st = wi_erase_probe(t, "blank", &d, nb, &name, r, ctx);
	if (st != DM_OK)
		return st;
	if (!d.model || d.model->recording == MEDIA_READ_ONLY)
		return dm_fail(ctx, DM_ERR_MEDIA, "a %s cannot be blanked", name);
	if ((st = wi_erase_writable(&d, name, "blanked", ctx)) != DM_OK)
		return st;
	const media_erase *e = media_erase_find(d.profile);
	if (d.model->recording == MEDIA_RANDOM && d.profile != 0x0013) {
		if (kind == WI_BLANK_FULL)
			return dm_fail(ctx, DM_ERR_MEDIA, "--blank=full does not apply to a %s: use "
				       "--format=full to rewrite the whole disc", name);
		if (!d.formatted)
			return wi_format(t, WI_FORMAT_QUICK, r, ctx);
		/* xorriso's fast blank of overwritable media: the recognition area zeroed. */
		dm_note(ctx, "blanking the %s: its volume (the first 64 KiB) is cleared", name);
		r->started = 1;
		st = wi_disc_clear_volume(t, ctx);
		wi_disc_state(t, r->state, sizeof(r->state), ctx);
		return st;
	}
	if (!e->blank)
		return dm_fail(ctx, DM_ERR_MEDIA, "a %s is write-once: it cannot be blanked%s", name,
			       d.disc.disc_status == MMC_DISC_BLANK ? " (it is blank already)" : "");
	if (d.disc.disc_status == MMC_DISC_BLANK && kind != WI_BLANK_FULL) {
		dm_note(ctx, "the %s is blank already", name);
		return DM_OK;
	}
	/* MMC-6 6.2.3: minimal blank erases the PMA, the first session's TOC and pre-gap
	 * (CD-RW) or the lead-in (DVD-RW): seconds; full blank erases every sector. */
	int type = kind == WI_BLANK_FULL ? MMC_BLANK_FULL : MMC_BLANK_MINIMAL;
	dm_note(ctx, "blanking the %s (%s)", name, kind == WI_BLANK_FULL ? "full" : "fast");
	dm_defer(ctx);
	if (mmc_prevent_allow(t, 1, ctx) != DM_OK)
		dm_drop_last(ctx); /* a tray that cannot be locked does not stop a blank */
	dm_undefer(ctx);
	r->started = 1;
	st = mmc_blank(t, 1, type, 0, ctx);
	if (st == DM_OK)
		st = wi_wait_immed(t, "blanking", d.total_blocks ? d.total_blocks : d.recorded_blocks,
				   WI_ERASE_MAX_MS, ctx);
	dm_defer(ctx);
	if (mmc_prevent_allow(t, 0, ctx) != DM_OK)
		dm_drop_last(ctx);
	dm_undefer(ctx);
	wi_disc_state(t, r->state, sizeof(r->state), ctx);
	if (st == DM_ERR_INTERRUPTED)
		dm_fail_prefix(ctx, "the drive goes on blanking by itself; ");
	else if (st != DM_OK)
		dm_fail_prefix(ctx, "blanking failed: ");
	if (st != DM_OK)
		return st;
	media_disc after;
	if (media_probe_disc(t, &after, ctx) == DM_OK && after.present &&
	    after.disc.disc_status != MMC_DISC_BLANK)
		return dm_fail(ctx, DM_ERR_SCSI, "BLANK succeeded but the disc is not blank");
	return DM_OK;
}
