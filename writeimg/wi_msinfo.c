#include "writeimg/wi_msinfo.h"

#include <inttypes.h>

dm_status wi_msinfo_get(scsi_transport *t, media_msinfo *out, dm_ctx *ctx)
{
	media_disc d;
	dm_status st = media_probe_disc(t, &d, ctx);
	return st ? st : media_msinfo_get(t, &d, out, ctx);
}

void wi_msinfo_fill(scsi_transport *t, media_disc *d)
{
	dm_ctx quiet;
	media_msinfo ms;
	dm_ctx_init(&quiet);
	d->have_msinfo = 0;
	if (d->present && media_msinfo_get(t, d, &ms, &quiet) == DM_OK) {
		d->have_msinfo = 1;
		d->ms_start = ms.start;
		d->ms_next = ms.next;
	}
}

void wi_msinfo_print(FILE *out, const media_msinfo *ms)
{
	fprintf(out, "%" PRIu32 ",%" PRIu32 "\n", ms->start, ms->next);
}
