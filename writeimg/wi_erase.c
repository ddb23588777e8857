/* What --blank (wi_blank.c) and --format (wi_format.c) share: the probe of the disc before
 * anything is sent that changes it, and the refusals every medium gets alike. */
#include "writeimg/wi_erase.h"

#include "writeimg/wi_disc.h"

dm_status wi_erase_probe(scsi_transport *t, const char *verb, media_disc *d, char nb[32],
			 const char **name, wi_erase_result *r, dm_ctx *ctx)
{
	r->started = 0;
	r->state[0] = '\0';
	dm_progress p = { .action = "validating media", .lba = -1, .buffer_percent = -1 };
	dm_report(ctx, &p);
	dm_status st = media_probe_disc(t, d, ctx);
	if (st != DM_OK)
		return st;
	*name = media_profile_name(d->profile, nb, 32);
	wi_disc_describe(d, r->state, sizeof(r->state));
	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive: nothing to %s", verb);
	return DM_OK;
}

dm_status wi_erase_writable(const media_disc *d, const char *name, const char *done,
			    dm_ctx *ctx)
{
	if (d->write_protected)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is write-protected: it cannot be %s",
			       name, done);
	return DM_OK;
}
