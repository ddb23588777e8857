#include "writeimg/wi_disc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECTOR MMC_SECTOR

void wi_disc_describe(const media_disc *d, char *buf, size_t len)
{
	char nb[32];
	const char *name = media_profile_name(d->profile, nb, sizeof(nb));
	if (!d->present) {
		snprintf(buf, len, "no disc in the drive");
		return;
	}
	if (!d->model || d->model->recording == MEDIA_READ_ONLY) {
		snprintf(buf, len, "a %s with %u sectors recorded", name, d->recorded_blocks);
		return;
	}
	if (d->model->recording == MEDIA_RANDOM) {
		if (!d->formatted)
			snprintf(buf, len, "an unformatted %s", name);
		else
			snprintf(buf, len, "a formatted %s of %u sectors%s", name, d->total_blocks,
				 /* MMC-6 table 529: 1, started and stopped before the end */
				 d->disc.bg_format_status == 1
					 ? " (its background format stopped halfway: --format resumes it)"
					 : "");
		return;
	}
	switch (d->disc.disc_status) {
	case MMC_DISC_BLANK:
		snprintf(buf, len, "a blank %s (%u sectors free)", name, d->free_blocks);
		break;
	case MMC_DISC_APPENDABLE:
		snprintf(buf, len, "an appendable %s with %u sectors recorded in %u session%s, "
			 "%u free", name, d->recorded_blocks,
			 d->disc.sessions ? d->disc.sessions - 1 : 0,
			 d->disc.sessions == 2 ? "" : "s", d->free_blocks);
		break;
	case MMC_DISC_COMPLETE:
		snprintf(buf, len, "a complete (closed) %s with %u sectors recorded", name,
			 d->recorded_blocks);
		break;
	default:
		snprintf(buf, len, "a %s in state %s", name,
			 media_disc_status_name(d->disc.disc_status));
	}
	if (d->disc.last_session_state == MMC_SESSION_DAMAGED) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, ", its last session damaged (an interrupted blank or "
			 "write)%s", media_erase_find(d->profile)->blank ? ": blank it again" : "");
	}
}

void wi_disc_state(scsi_transport *t, char *buf, size_t len, dm_ctx *ctx)
{
	media_disc d;
	dm_defer(ctx);
	unsigned before = ctx->n_more;
	/* A drive still blanking or formatting after an interruption (MMC-6 6.2.4: it
	 * cannot be stopped) answers 2/04/04 or 2/04/07 until it is done. */
	int busy = 0, progress = -1;
	if (mmc_poll_progress(t, &busy, &progress, ctx) == DM_OK && busy) {
		char pct[32] = "";
		if (progress >= 0)
			snprintf(pct, sizeof(pct), ", %d%% done", progress * 100 / 65536);
		snprintf(buf, len, "busy: the drive goes on with the operation by itself%s, and the "
			 "disc is unusable until it finishes (--info tells its state then)", pct);
		while (ctx->n_more > before)
			dm_drop_last(ctx);
		dm_undefer(ctx);
		return;
	}
	while (ctx->n_more > before)
		dm_drop_last(ctx);
	/* A drive still busy finishing a command gets a little time, not minutes. */
	unsigned saved = t->ready_wait_ms;
	t->ready_wait_ms = saved < 10000 ? saved : 10000;
	dm_status st = media_probe_disc(t, &d, ctx);
	t->ready_wait_ms = saved;
	if (st != DM_OK) {
		snprintf(buf, len, "the disc's state could not be read (%s)",
			 ctx->n_more > before ? dm_last_msg(ctx) : "no answer");
		while (ctx->n_more > before)
			dm_drop_last(ctx);
	} else {
		wi_disc_describe(&d, buf, len);
		wi_image_id id;
		if (d.present && d.model && d.model->recording == MEDIA_RANDOM && d.formatted &&
		    wi_disc_volume(t, &d, &id, ctx) == DM_OK) {
			size_t n = strlen(buf);
			if (id.kind != WI_IMG_UNKNOWN)
				snprintf(buf + n, len - n, " holding a %s volume \"%s\"",
					 wi_image_kind_name(id.kind), id.volume_id);
			else
				snprintf(buf + n, len - n, id.head_zero ? ", empty" : " holding data");
		}
		while (ctx->n_more > before)
			dm_drop_last(ctx);
	}
	dm_undefer(ctx);
}

dm_status wi_disc_volume(scsi_transport *t, const media_disc *d, wi_image_id *id, dm_ctx *ctx)
{
	uint32_t blocks = WI_IMAGE_HEAD_BYTES / SECTOR;
	if (d->total_blocks && d->total_blocks < blocks)
		blocks = d->total_blocks;
	uint8_t *buf = malloc((size_t)blocks * SECTOR);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = DM_OK;
	for (uint32_t lba = 0; lba < blocks && st == DM_OK; lba += 32) {
		uint16_t n = (uint16_t)(blocks - lba < 32 ? blocks - lba : 32);
		st = mmc_read10(t, lba, n, buf + (size_t)lba * SECTOR, ctx);
	}
	if (st == DM_OK)
		wi_image_identify(buf, (size_t)blocks * SECTOR, id);
	free(buf);
	return st;
}

dm_status wi_disc_clear_volume(scsi_transport *t, dm_ctx *ctx)
{
	uint8_t *zero = calloc(32, SECTOR);
	if (!zero)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = mmc_write10(t, 0, 32, zero, ctx);
	free(zero);
	if (st == DM_OK)
		st = mmc_synchronize_cache(t, 0, ctx);
	return st;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Polling an IMMED BLANK or FORMAT UNIT: at once (a drive may be done already: a DVD+RW
 * quick format goes on in the background), then after 1, 2, 4, ... ms, doubling up to
 * every 500 ms, the rate burners settle at (libburn tests the unit twice a second): a
 * quick operation is seen to end within a few ms, a long one costs two TEST UNIT READYs a
 * second, which a drive answers while busy (2/04/04, 2/04/07 with the progress indication,
 * SPC-4 4.5.2.4.4). */
#define IMMED_FIRST_PAUSE_MS 1u
#define IMMED_MAX_PAUSE_MS 500u

dm_status wi_wait_immed(scsi_transport *t, const char *action, uint64_t sectors,
			unsigned max_ms, dm_ctx *ctx)
{
	unsigned waited = 0, pause = IMMED_FIRST_PAUSE_MS;
	if (!sectors)
		sectors = 65536;
	dm_progress p = { .action = action, .total = sectors, .unit = "sectors", .lba = -1,
			  .buffer_percent = -1 };
	for (;;) {
		int busy, progress;
		dm_status st = mmc_poll_progress(t, &busy, &progress, ctx);
		if (st != DM_OK)
			return st;
		if (!busy) {
			p.done = sectors;
			dm_report(ctx, &p);
			return DM_OK;
		}
		if (progress >= 0) {
			p.done = (uint64_t)progress * sectors / 65536; /* SPC-4 4.5.2.4.4 */
			dm_report(ctx, &p);
		}
		if (dm_cancelled(ctx))
			return dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while %s", action);
		if (waited >= max_ms)
			return dm_fail(ctx, DM_ERR_SCSI, "the drive was still %s after %u s", action,
				       waited / 1000);
		sleep_ms(pause);
		waited += pause;
		pause = pause * 2 < IMMED_MAX_PAUSE_MS ? pause * 2 : IMMED_MAX_PAUSE_MS;
	}
}
