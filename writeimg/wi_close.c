/* --close alone: finish an appendable write-once disc without writing a session. */
#include <stdio.h>
#include <string.h>

#include "writeimg/wi_burn.h"
#include "writeimg/wi_disc.h"

dm_status wi_close_disc(scsi_transport *t, wi_close_result *r, dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	dm_status st = media_probe_disc(t, &r->disc, ctx);
	if (st != DM_OK)
		return st;
	const media_disc *d = &r->disc;
	char nb[32];
	const char *name = media_profile_name(d->profile, nb, sizeof(nb));
	wi_disc_describe(d, r->state, sizeof(r->state));
	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive: nothing to close");
	if (!d->model || d->model->recording == MEDIA_READ_ONLY)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc is a %s, which cannot be written: it is "
			       "closed already", name);
	if (d->model->recording == MEDIA_RANDOM)
		return dm_fail(ctx, DM_ERR_MEDIA, "--close applies to write-once discs: a %s stays "
			       "writable and has nothing to close", name);
	if (!d->writable_by_drive)
		return dm_fail(ctx, DM_ERR_MEDIA, "this drive can read %s discs but not write them",
			       name);
	switch (d->disc.disc_status) {
	case MMC_DISC_APPENDABLE:
		break;
	case MMC_DISC_COMPLETE:
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is closed already: no session can be "
			       "added to it", name);
	case MMC_DISC_BLANK:
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is blank: there is no session to close "
			       "(write one with --close to write and close it at once)", name);
	default:
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is in an unexpected state (%s)", name,
			       media_disc_status_name(d->disc.disc_status));
	}
	/* DVD+R, BD-R: CLOSE function 6, finalize (MMC-6 6.3.3.3, 6.3.3.5). CD, DVD-R: the
	 * multi-session field of page 05h set to "no next session", then CLOSE SESSION
	 * (6.3.3.2, 7.5.4.3). A real CD drive may answer that a disc whose last session is
	 * closed already has nothing to close: write the last session with --close then. */
	int fn = MMC_CLOSE_SESSION;
	if (d->model->close_final) {
		fn = d->model->close_final;
	} else {
		wi_mode_plan plan;
		if ((st = wi_mode_choose(d->model, d->disc.disc_status, 1, d->cd_sao, WI_WM_AUTO,
					 &plan, ctx)) != DM_OK)
			return st;
		if (plan.page05 && (st = wi_set_write_params(t, d, &plan, 0, ctx)) != DM_OK)
			return dm_fail_prefix(ctx, "setting the write parameters to close: ");
	}
	dm_progress p = { .action = "closing the disc", .total = 1, .unit = "steps", .lba = -1,
			  .buffer_percent = -1 };
	dm_report(ctx, &p);
	r->started = 1;
	st = mmc_close_track_session(t, 1, fn, 0, ctx);
	if (st == DM_OK)
		st = mmc_wait_ready(t, SCSI_TIMEOUT_LONG_MS, ctx);
	p.done = 1;
	dm_report(ctx, &p);
	wi_disc_state(t, r->state, sizeof(r->state), ctx);
	return st;
}
