#include "writeimg/wi_burn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writeimg/wi_disc.h"
#include "writeimg/wi_erase.h"
#include "writeimg/wi_grow.h"

#define SECTOR MMC_SECTOR

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *wi_size_str(uint64_t sectors, char *buf, size_t len)
{
	double bytes = (double)sectors * SECTOR;
	if (bytes >= 1e9)
		snprintf(buf, len, "%.2f GB", bytes / 1e9);
	else if (bytes >= 1e6)
		snprintf(buf, len, "%.1f MB", bytes / 1e6);
	else
		snprintf(buf, len, "%.0f kB", bytes / 1e3);
	return buf;
}

static const char *disc_name(const media_disc *d, char *buf, size_t len)
{
	return media_profile_name(d->profile, buf, (unsigned)len);
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

dm_status wi_preflight(const media_disc *d, uint64_t image_blocks, const wi_burn_opts *o,
		       int holds_data, wi_mode_plan *plan, dm_ctx *ctx)
{
	char nb[32], s1[32], s2[32];
	const char *name = disc_name(d, nb, sizeof(nb));

	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive: insert a blank disc");
	if (image_blocks == 0)
		return dm_fail(ctx, DM_ERR_MEDIA, "the image is empty: nothing to write");
	if (!d->model)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc (%s) is of a kind writeimg does not know",
			       name);
	if (d->model->recording == MEDIA_READ_ONLY)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the disc is a %s, which cannot be written (a closed recordable disc "
			       "may report itself so): use a blank disc", name);
	if (!d->writable_by_drive)
		return dm_fail(ctx, DM_ERR_MEDIA, "this drive can read %s discs but not write them",
			       name);
	if (d->write_protected)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is write-protected", name);
	const media_erase *e = media_erase_find(d->profile);
	const char *erase = e->blank ? "--blank" : "--format (or --blank)";
	if (d->model->recording == MEDIA_SEQUENTIAL) {
		int status = d->disc.disc_status;
		if (status == MMC_DISC_COMPLETE)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "the %s is complete (closed) with %u sectors recorded: nothing "
				       "more can be written to it%s", name, d->recorded_blocks,
				       d->model->erasable ? "; blank it with --blank (with the image "
				       "in the same call to blank, then write)" : "; use a blank disc");
		if (status == MMC_DISC_APPENDABLE && !o->multisession)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "the %s is not blank: it is appendable, with %u session%s and "
				       "%u sectors recorded; use --multisession to add a session%s",
				       name, d->disc.sessions ? d->disc.sessions - 1 : 0,
				       d->disc.sessions == 2 ? "" : "s", d->recorded_blocks,
				       d->model->erasable ? ", or --blank to erase it first"
							  : ", or a blank disc");
		if (status != MMC_DISC_BLANK && status != MMC_DISC_APPENDABLE)
			return dm_fail(ctx, DM_ERR_MEDIA, "the %s is in an unexpected state (%s)", name,
				       media_disc_status_name(status));
		if (!d->nwa_valid)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "the drive reports no next writable address on the %s", name);
		if (status == MMC_DISC_APPENDABLE && d->free_blocks == 0)
			return dm_fail(ctx, DM_ERR_NOSPACE, "the appendable %s is full: %u sectors "
				       "recorded, none free", name, d->recorded_blocks);
	} else {
		if (o->close)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "--close applies to write-once discs: a %s stays writable and "
				       "has nothing to close", name);
		/* --multisession grows the volume (prepare() found where); without it, a disc
		 * holding data is not overwritten unasked. */
		if (holds_data && !o->multisession)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "the %s holds data: writing would overwrite it; erase it first "
				       "with %s, given with the image to do both in one call", name,
				       erase);
	}
	dm_status st = wi_mode_choose(d->model, d->disc.disc_status, o->multisession, d->cd_sao,
				      o->mode, plan, ctx);
	if (st != DM_OK)
		return st;
	uint64_t need = round_up(image_blocks, d->model->ecc_blocks);
	if (need > d->free_blocks) {
		uint64_t over = need - d->free_blocks;
		return dm_fail(ctx, DM_ERR_NOSPACE,
			       "the image needs %llu sectors (%s) but the %s %s has only %u free "
			       "(%s): the image is %llu sectors (%s) too big",
			       (unsigned long long)need, wi_size_str(need, s1, sizeof(s1)),
			       d->model->recording == MEDIA_RANDOM
				       ? "formatted" : media_disc_status_name(d->disc.disc_status),
			       name, d->free_blocks, wi_size_str(d->free_blocks, s2, sizeof(s2)),
			       (unsigned long long)over, wi_size_str(over, nb, sizeof(nb)));
	}
	return DM_OK;
}

/* SET CD SPEED / SET STREAMING (MMC-6 6.38, 6.39), then what the drive made of it: a
 * drive sets the nearest speed it supports, often lower; the user is told that one, read
 * back through GET PERFORMANCE type 00h or, failing that, page 2Ah's current write speed
 * (MMC-3 6.3.11 bytes 28-29), as wodim and growisofs report. */
uint32_t wi_burn_set_speed(scsi_transport *t, const media_disc *d, int speed_x, dm_ctx *ctx)
{
	if (!speed_x)
		return 0;
	uint32_t kbs = speed_x < 0 ? 0xffffffffu : (uint32_t)speed_x * d->model->kbs_1x;
	char why[DM_MORE_LEN];
	dm_status st;
	dm_defer(ctx);
	if (d->model->family == MEDIA_CD)
		st = dm_tolerate(ctx, mmc_set_cd_speed(t, 0xffff, kbs > 0xffff ? 0xffff : (uint16_t)kbs,
						       ctx), why, sizeof(why));
	else
		st = dm_tolerate(ctx, mmc_set_streaming(t, d->total_blocks ? d->total_blocks - 1 : 0,
							kbs, kbs, ctx), why, sizeof(why));
	if (st != DM_OK) {
		dm_warn(ctx, "the drive did not accept the speed: %s", why);
		return 0;
	}
	uint32_t got = 0;
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_get_nominal_write_kbs(t, &got, ctx), NULL, 0) != DM_OK)
		got = 0;
	if (!got) {
		uint8_t buf[256];
		const uint8_t *page;
		size_t len = 0;
		mmc_caps caps;
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_mode_sense_page(t, MMC_PAGE_CAPABILITIES, buf, sizeof(buf),
							 &page, &len, NULL, ctx), NULL, 0) == DM_OK) {
			dm_defer(ctx);
			if (dm_tolerate(ctx, mmc_parse_caps_page(page, len, &caps, ctx), NULL, 0) ==
			    DM_OK)
				got = caps.cur_write_kbs;
		}
	}
	char asked[32];
	if (speed_x < 0)
		snprintf(asked, sizeof(asked), "max");
	else
		snprintf(asked, sizeof(asked), "%dx", speed_x);
	if (got)
		dm_note(ctx, "write speed: %s asked, the drive set %.1fx (%u kB/s)", asked,
			(double)got / d->model->kbs_1x, got);
	else
		dm_note(ctx, "write speed: %s asked; the drive does not report the speed it set",
			asked);
	return got;
}

dm_status wi_sense_page05(scsi_transport *t, uint8_t buf[256], const uint8_t **page, size_t *len,
			  dm_ctx *ctx)
{
	dm_status st = mmc_mode_sense_page(t, MMC_PAGE_WRITE_PARAMS, buf, 256, page, len, NULL, ctx);
	if (st != DM_OK)
		return st;
	if (*len < 16)
		return dm_fail(ctx, DM_ERR_SCSI, "MODE SENSE(10): page 05h is only %zu bytes", *len);
	return DM_OK;
}

/* CD and DVD-R: MODE SELECT page 05h (MMC-6 7.5): write type, next session allowed or
 * not, data track, Mode 1 blocks. */
dm_status wi_set_write_params(scsi_transport *t, const media_disc *d, const wi_mode_plan *plan,
			      int multisession, dm_ctx *ctx)
{
	uint8_t buf[256];
	const uint8_t *page;
	size_t len;
	dm_status st = wi_sense_page05(t, buf, &page, &len, ctx);
	if (st != DM_OK)
		return st;
	mmc_write_params w;
	if ((st = mmc_parse_write_params_page(page, len, &w, ctx)) != DM_OK)
		return st;
	w.write_type = plan->write_type;
	w.test_write = 0;
	w.bufe = 1;
	w.multisession = multisession ? 3 : 0;
	w.fp = 0;
	w.track_mode = 4;        /* data track, recorded uninterrupted */
	w.data_block_type = 8;   /* Mode 1, 2048 bytes */
	w.session_format = 0;    /* CD-DA or CD-ROM */
	/* Incremental DVD-R: variable packets (FP 0); the size field then is not used. */
	w.packet_size = d->model->family == MEDIA_DVD && plan->write_type == MMC_WT_PACKET ? 16 : 0;
	uint8_t copy[256];
	memcpy(copy, page, len);
	mmc_apply_write_params_page(copy, len, &w);
	return mmc_mode_select_page(t, copy, len, ctx);
}

typedef struct writer {
	scsi_transport *t;
	const media_disc *d;
	double t0, last_poll;
	int buffer_ok;
	int buffer_percent;
	char item[64];
} writer;

static void report(writer *w, dm_ctx *ctx, const char *action, uint64_t done, uint64_t total,
		   int64_t lba)
{
	dm_progress p = { 0 };
	double t = now();
	if (!strcmp(action, "writing") && w->buffer_ok && t - w->last_poll >= 0.25) {
		mmc_buffer_capacity b;
		w->last_poll = t;
		dm_defer(ctx); /* optional: a drive that does not tell is shown without it */
		if (dm_tolerate(ctx, mmc_read_buffer_capacity(w->t, &b, ctx), NULL, 0) == DM_OK &&
		    b.length)
			w->buffer_percent = (int)((uint64_t)(b.length - b.blank) * 100 / b.length);
		else
			w->buffer_ok = 0, w->buffer_percent = -1;
	}
	double el = t - w->t0;
	w->item[0] = '\0';
	if (el > 0.2 && done) {
		double bps = (double)done * SECTOR / el;
		snprintf(w->item, sizeof(w->item), "%.1f MB/s (%.1fx)", bps / 1e6,
			 bps / (1000.0 * w->d->model->kbs_1x));
	}
	p.action = action;
	p.item = w->item[0] ? w->item : NULL;
	p.done = done;
	p.total = total;
	p.unit = strcmp(action, "finalizing") ? "sectors" : "steps";
	p.lba = lba;
	p.buffer_percent = strcmp(action, "writing") ? -1 : w->buffer_percent;
	dm_report(ctx, &p);
}

/* After a failure or an interruption during writing: flush what the drive holds, close
 * the track and session so the disc stays readable (never finalize), and describe it. */
static void salvage(scsi_transport *t, const media_disc *before, wi_burn_result *r,
		    dm_ctx *ctx)
{
	char steps[320] = "", why[DM_MORE_LEN];
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_synchronize_cache(t, 0, ctx), why, sizeof(why)) != DM_OK)
		snprintf(steps, sizeof(steps), "flushing the drive cache failed (%.120s); ", why);
	int close = before->model->recording == MEDIA_SEQUENTIAL && r->blocks_written;
	if (close && !r->plan.close_track) {
		/* SAO, DAO: the flush ended the session, unless the drive left it open. */
		mmc_disc_info di;
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_read_disc_info(t, &di, ctx), NULL, 0) == DM_OK &&
		    di.last_session_state != MMC_SESSION_INCOMPLETE)
			close = 0;
	}
	if (close) {
		/* Never finalize: where page 05h decides (CD TAO, DVD-R incremental), the
		 * session is closed with a next one allowed, so the disc stays appendable. */
		if (r->plan.page05 && r->plan.close_track) {
			dm_defer(ctx);
			dm_tolerate(ctx, wi_set_write_params(t, before, &r->plan, 1, ctx), NULL, 0);
		}
		dm_defer(ctx);
		dm_status st = mmc_close_track_session(t, 0, MMC_CLOSE_TRACK,
						       (uint16_t)before->track.track, ctx);
		if (st == DM_OK)
			st = mmc_close_track_session(t, 0, MMC_CLOSE_SESSION, 0, ctx);
		if (dm_tolerate(ctx, st, why, sizeof(why)) != DM_OK)
			snprintf(steps + strlen(steps), sizeof(steps) - strlen(steps),
				 "closing the track failed (%.120s); ", why);
	}
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_prevent_allow(t, 0, ctx), NULL, 0);
	char state[512];
	wi_disc_state(t, state, sizeof(state), ctx);
	int gone = !strncmp(state, "no disc", 7), unknown = !strncmp(state, "the disc's", 10);
	snprintf(r->disc_state, sizeof(r->disc_state), "%s%llu of %llu sectors were written; %s%s%s",
		 steps, /* the image's sectors: the zero padding to the ECC block not counted */
		 (unsigned long long)(r->blocks_written < r->image_blocks ? r->blocks_written
									  : r->image_blocks),
		 (unsigned long long)r->image_blocks,
		 gone || unknown ? "" : "the disc is now ",
		 gone ? "the disc is no longer in the drive" : state,
		 !gone && !unknown && before->model->recording == MEDIA_SEQUENTIAL &&
			 r->blocks_written ? ", holding an incomplete image" : "");
	size_t n = strlen(r->disc_state);
	if (r->grow && r->grow_copying && !r->grow_committed)
		snprintf(r->disc_state + n, sizeof(r->disc_state) - n,
			 "; the new session is complete at LBA %u but copying its volume descriptors "
			 "to LBA 16 failed: the disc shows its old tree (%llu sectors) or the new one "
			 "(--msinfo tells: while it still gives %u as NEXT, write the same image again "
			 "with --multisession)", r->start_lba, (unsigned long long)r->old_volume,
			 r->start_lba);
	else if (r->grow && !r->grow_committed)
		snprintf(r->disc_state + n, sizeof(r->disc_state) - n,
			 "; its volume descriptors at LBA 16 were not changed: the disc still holds "
			 "its old tree (%llu sectors), readable as before, and the sectors written at "
			 "LBA %u are not part of it: write the same image again with --multisession",
			 (unsigned long long)r->old_volume, r->start_lba);
	else if (r->grow)
		snprintf(r->disc_state + n, sizeof(r->disc_state) - n,
			 "; the new volume descriptors were copied to LBA 16: the disc holds the new "
			 "tree (check it with --info)");
	else if (r->start_lba && before->model->recording == MEDIA_SEQUENTIAL)
		snprintf(r->disc_state + n, sizeof(r->disc_state) - n,
			 "; the earlier sessions (before LBA %u) were not touched and stay readable",
			 r->start_lba);
}

/* CD SAO: the track's pre-gap the cue sheet announced, zeros from LBA -150 (MMC-6 4.2.3.3:
 * the host sends every sector of the session from the first pre-gap on). */
static dm_status write_pregap(writer *w, unsigned chunk, dm_ctx *ctx)
{
	uint8_t *zero = calloc(chunk, SECTOR);
	if (!zero)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = DM_OK;
	for (uint32_t done = 0; done < MMC_CUE_PREGAP && st == DM_OK;) {
		uint16_t n = (uint16_t)(MMC_CUE_PREGAP - done < chunk ? MMC_CUE_PREGAP - done : chunk);
		st = mmc_write10(w->t, (uint32_t)(-(int32_t)MMC_CUE_PREGAP + (int32_t)done), n, zero,
				 ctx);
		done += n;
	}
	free(zero);
	return st;
}

/* sha: NULL when not verifying (hashing costs more than the write to a fast target). */
static dm_status write_image(writer *w, wi_image *img, unsigned chunk, uint64_t padded,
			     dm_sha256 *sha, wi_burn_result *r, dm_ctx *ctx)
{
	size_t bytes = (size_t)chunk * SECTOR;
	uint8_t *buf = aligned_alloc(4096, bytes);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = DM_OK;
	uint32_t lba = r->start_lba;
	w->t0 = now();
	report(w, ctx, "writing", 0, padded, lba);
	while (r->blocks_written < padded) {
		if (dm_cancelled(ctx)) {
			st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while writing at LBA %u",
				     lba);
			break;
		}
		uint64_t left = padded - r->blocks_written;
		uint16_t n = (uint16_t)(left < chunk ? left : chunk);
		size_t got = 0;
		if ((st = wi_image_read(img, buf, (size_t)n * SECTOR, &got, ctx)) != DM_OK)
			break;
		if (sha)
			dm_sha256_update(sha, buf, got);
		memset(buf + got, 0, (size_t)n * SECTOR - got); /* zero padding to the ECC block */
		if ((st = mmc_write10(w->t, lba, n, buf, ctx)) != DM_OK)
			break;
		r->blocks_written += n;
		lba += n;
		report(w, ctx, "writing", r->blocks_written, padded, lba);
	}
	r->write_seconds = now() - w->t0;
	free(buf);
	return st;
}

static dm_status finalize(writer *w, const wi_burn_opts *o, const wi_mode_plan *plan,
			  dm_ctx *ctx)
{
	const media_disc *d = w->d;
	scsi_transport *t = w->t;
	/* IMMED, then poll: closing a DVD or BD can take minutes (MMC-6 6.3.2.2). */
	const unsigned wait = SCSI_TIMEOUT_LONG_MS;
	report(w, ctx, "finalizing", 0, 3, -1);
	dm_status st = mmc_synchronize_cache(t, 1, ctx);
	if (st == DM_OK)
		st = mmc_wait_ready(t, wait, ctx);
	if (st != DM_OK || d->model->recording != MEDIA_SEQUENTIAL) {
		report(w, ctx, "finalizing", 3, 3, -1);
		return st;
	}
	if (!plan->close_track) {
		/* SAO and DAO: the drive writes the lead-out and closes the session itself
		 * once the cache is flushed (MMC-6 4.2.3.3, 4.5.3.3). One that leaves the
		 * session open is closed as after TAO. */
		mmc_disc_info di;
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_read_disc_info(t, &di, ctx), NULL, 0) == DM_OK &&
		    di.last_session_state != MMC_SESSION_INCOMPLETE) {
			report(w, ctx, "finalizing", 3, 3, -1);
			return DM_OK;
		}
	}
	report(w, ctx, "finalizing", 1, 3, -1);
	st = mmc_close_track_session(t, 1, MMC_CLOSE_TRACK, (uint16_t)d->track.track, ctx);
	if (st == DM_OK)
		st = mmc_wait_ready(t, wait, ctx);
	if (st != DM_OK)
		return st;
	report(w, ctx, "finalizing", 2, 3, -1);
	int fn = MMC_CLOSE_SESSION; /* CD, DVD-R: page 05h says whether the disc stays open */
	if (d->model->close_final)
		fn = o->multisession && !o->close ? d->model->close_multi : d->model->close_final;
	st = mmc_close_track_session(t, 1, fn, 0, ctx);
	if (st == DM_OK)
		st = mmc_wait_ready(t, wait, ctx);
	report(w, ctx, "finalizing", 3, 3, -1);
	return st;
}

static dm_status verify(writer *w, uint64_t image_bytes, unsigned chunk, wi_burn_result *r,
			dm_ctx *ctx)
{
	/* Read back exactly the image's sectors: tgt grows its disc when read past the end
	 * (spec/drive-notes.md, tgt quirk 5). */
	uint64_t blocks = (image_bytes + SECTOR - 1) / SECTOR;
	uint8_t *buf = aligned_alloc(4096, (size_t)chunk * SECTOR);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_sha256 sha;
	dm_sha256_init(&sha);
	dm_status st = DM_OK;
	uint64_t done = 0, left_bytes = image_bytes;
	w->t0 = now();
	while (done < blocks) {
		if (dm_cancelled(ctx)) {
			st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while verifying");
			break;
		}
		uint16_t n = (uint16_t)(blocks - done < chunk ? blocks - done : chunk);
		uint32_t lba = r->start_lba + (uint32_t)done;
		if ((st = mmc_read10(w->t, lba, n, buf, ctx)) != DM_OK) {
			dm_fail_prefix(ctx, "verifying: ");
			break;
		}
		size_t use = (size_t)n * SECTOR < left_bytes ? (size_t)n * SECTOR : (size_t)left_bytes;
		dm_sha256_update(&sha, buf, use);
		left_bytes -= use;
		done += n;
		report(w, ctx, "verifying", done, blocks, lba + n);
	}
	free(buf);
	if (st != DM_OK)
		return st;
	uint8_t digest[DM_SHA256_LEN];
	dm_sha256_final(&sha, digest);
	dm_sha256_hex(digest, r->disc_sha256);
	if (strcmp(r->disc_sha256, r->image_sha256) != 0) {
		r->verified = -1;
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "verification failed: the disc's SHA-256 %s differs from the image's %s",
			       r->disc_sha256, r->image_sha256);
	}
	r->verified = 1;
	return DM_OK;
}

/* After a successful write: eject the disc, and where the operating system caches what
 * it knows of the disc (Linux's sr driver: the blank disc's size), let it see the tray
 * empty (transport op media_changed), then load the disc again unless --eject asked to
 * leave it out. Without the reload the kernel keeps the blank disc's capacity of 0 and
 * `mount /dev/sr0` fails (seen in tests/guest); growisofs reloads the tray for the same
 * reason. Failures are warnings: the disc is written already. */
void wi_burn_reload(scsi_transport *t, int leave_out, dm_ctx *ctx)
{
	char why[DM_MORE_LEN];
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_start_stop_unit(t, 0, 1, 0, ctx), why, sizeof(why)) != DM_OK) {
		if (leave_out)
			dm_warn(ctx, "the disc could not be ejected: %s", why);
		else
			dm_warn(ctx, "the disc could not be reloaded (%s): eject and insert it before "
				"mounting it", why);
		return;
	}
	if (t->ops->media_changed)
		t->ops->media_changed(t);
	if (leave_out)
		return;
	/* The operating system probes the empty tray right then (Linux: GET EVENT STATUS,
	 * PREVENT), and a drive may refuse a load meanwhile: try a few times. */
	dm_status st = DM_ERR_MEDIA;
	for (int tries = 0; tries < 5 && st != DM_OK; tries++) {
		if (tries) {
			struct timespec pause = {0, 200 * 1000 * 1000};
			nanosleep(&pause, NULL);
		}
		dm_defer(ctx);
		st = dm_tolerate(ctx, mmc_start_stop_unit(t, 0, 1, 1, ctx), why, sizeof(why));
	}
	if (st == DM_OK) {
		dm_defer(ctx);
		st = dm_tolerate(ctx, mmc_wait_ready(t, 30000, ctx), why, sizeof(why));
	}
	if (st != DM_OK)
		dm_warn(ctx, "the tray could not be closed again (%s): insert the disc before "
			"mounting it", why);
}

/* A dual-layer disc: where layer 0 ends (READ DISC STRUCTURE 20h / 22h), the break
 * chosen for the image, and SEND DISC STRUCTURE when it differs from the disc's. */
static dm_status set_layer_break(scsi_transport *t, const media_disc *d, uint8_t format,
				 uint64_t blocks, int64_t asked, wi_burn_result *r, dm_ctx *ctx)
{
	mmc_layer_info li = { 0, 0 };
	char why[DM_MORE_LEN];
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_read_layer_info(t, format, &li, ctx), why, sizeof(why)) != DM_OK)
		dm_note(ctx, "the drive does not report the layer boundary (%s)", why);
	dm_status st = wi_layer_break_plan(d->total_blocks, li.l0_blocks, li.fixed, blocks, asked,
					   &r->layer_break, ctx);
	if (st != DM_OK)
		return st;
	if (!r->layer_break) {
		dm_note(ctx, "the image fits layer 0: no layer break");
		return DM_OK;
	}
	dm_note(ctx, "layer break at LBA %u: layer 0 holds %u sectors, layer 1 %llu",
		r->layer_break, r->layer_break, (unsigned long long)(blocks - r->layer_break));
	if (li.fixed || r->layer_break == li.l0_blocks)
		return DM_OK;
	return mmc_send_layer_break(t, format, r->layer_break, ctx);
}

/* Everything that changes nothing on the disc: probe, a blank DVD+RW / BD-RE formatted
 * first (as growisofs does), whether an overwritable disc holds data, where a grown
 * session goes, the refusals, and the image against the address it goes to. */
static dm_status prepare(scsi_transport *t, wi_image *img, const wi_burn_opts *o,
			 wi_burn_result *r, dm_ctx *ctx)
{
	dm_status st = media_probe_disc(t, &r->disc, ctx);
	if (st != DM_OK)
		return st;
	const media_disc *d = &r->disc;
	int holds = 0;
	if (d->present && d->model && d->model->recording == MEDIA_RANDOM && d->writable_by_drive &&
	    !d->write_protected) {
		if (!d->formatted && media_erase_find(d->profile)->needs_format) {
			/* Refusals first: nothing is formatted for an image that cannot go. */
			if ((st = wi_preflight(d, r->image_blocks, o, 0, &r->plan, ctx)) != DM_OK)
				return st;
			char nb[32];
			dm_note(ctx, "the %s is not formatted: formatting it before writing",
				media_profile_name(d->profile, nb, sizeof(nb)));
			wi_erase_result er;
			st = wi_format(t, WI_FORMAT_QUICK, &er, ctx);
			if (st != DM_OK) {
				snprintf(r->disc_state, sizeof(r->disc_state), "the disc is now %s",
					 er.state);
				if (er.started)
					r->stage = WI_STAGE_WRITING;
				return st;
			}
			r->formatted_first = 1;
			if ((st = media_probe_disc(t, &r->disc, ctx)) != DM_OK)
				return st;
		} else if (o->multisession) {
			if ((st = wi_grow_target(t, o, r, ctx)) != DM_OK)
				return st;
		} else if (d->formatted && !o->erased) {
			wi_image_id id;
			if ((st = wi_disc_volume(t, d, &id, ctx)) != DM_OK)
				return dm_fail_prefix(ctx, "reading what the disc holds: ");
			holds = id.kind != WI_IMG_UNKNOWN || !id.head_zero;
		}
	}
	if ((st = wi_preflight(&r->disc, r->image_blocks, o, holds, &r->plan, ctx)) != DM_OK)
		return st;
	char nb[32];
	const char *name = disc_name(d, nb, sizeof(nb));
	int sequential = d->model->recording == MEDIA_SEQUENTIAL;
	if (!r->grow)
		r->start_lba = sequential ? d->nwa : 0;
	uint64_t padded = round_up(r->image_blocks, d->model->ecc_blocks);
	if (r->grow && r->start_lba + padded > d->free_blocks)
		return dm_fail(ctx, DM_ERR_NOSPACE, "the %s's volume ends at LBA %u and the image "
			       "needs %llu sectors from there: %u are left", name, r->start_lba,
			       (unsigned long long)padded,
			       d->free_blocks > r->start_lba ? d->free_blocks - r->start_lba : 0);
	const uint8_t *head;
	size_t len;
	if ((st = wi_image_head(img, &head, &len, ctx)) != DM_OK)
		return st;
	wi_image_id id;
	wi_image_identify(head, len, &id);
	st = wi_session_check(&id, r->image_blocks, r->start_lba,
			      sequential && d->disc.disc_status == MMC_DISC_BLANK, o->drive, ctx);
	if (st != DM_OK)
		return st;
	if (r->grow)
		return wi_grow_plan(head, len, r->start_lba, &r->grow_copy, ctx);
	return DM_OK;
}

dm_status wi_burn(scsi_transport *t, wi_image *img, const wi_burn_opts *o, wi_burn_result *r,
		  dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->stage = WI_STAGE_PREFLIGHT;
	r->image_blocks = (img->size + SECTOR - 1) / SECTOR;
	writer w = { .t = t, .d = &r->disc, .buffer_ok = 1, .buffer_percent = -1 };
	dm_progress p = { .action = "validating media", .lba = -1, .buffer_percent = -1 };
	dm_report(ctx, &p);

	dm_status st = prepare(t, img, o, r, ctx);
	if (st != DM_OK) {
		if (r->stage == WI_STAGE_PREFLIGHT && !r->disc_state[0]) {
			char state[512];
			wi_disc_describe(&r->disc, state, sizeof(state));
			snprintf(r->disc_state, sizeof(r->disc_state), "the disc is %s; nothing was "
				 "written", state);
		}
		return st;
	}
	const media_disc *d = &r->disc;
	const wi_mode_plan *plan = &r->plan;
	uint64_t padded = round_up(r->image_blocks, d->model->ecc_blocks);
	if ((uint64_t)r->start_lba + padded > UINT32_MAX)
		return dm_fail(ctx, DM_ERR_NOSPACE, "the image does not fit 32-bit addresses");
	char nb[32];
	dm_note(ctx, "write mode: %s on the %s", plan->name, disc_name(d, nb, sizeof(nb)));
	if (r->start_lba && o->multisession && !r->grow)
		dm_note(ctx, "the image is written at LBA %u, as a new session (it was made for that "
			"address)", r->start_lba);
	uint8_t layers = media_erase_find(d->profile)->layer_structure;
	if (layers && (st = set_layer_break(t, d, layers, padded, o->layer_break, r, ctx)) != DM_OK)
		return st;
	if (!layers && o->layer_break >= 0)
		return dm_fail(ctx, DM_ERR_MEDIA, "--layer-break applies to DVD+R DL and DVD-R DL "
			       "discs, not to a %s", disc_name(d, nb, sizeof(nb)));

	unsigned ecc = d->model->ecc_blocks;
	unsigned chunk = o->chunk_blocks ? o->chunk_blocks : 16;
	if (chunk < ecc)
		chunk = ecc;
	chunk = (unsigned)round_up(chunk, ecc);
	if (chunk > 0xffff / ecc * ecc)
		chunk = 0xffff / ecc * ecc;

	r->speed_kbs = wi_burn_set_speed(t, d, o->speed_x, ctx);
	if (plan->page05 &&
	    (st = wi_set_write_params(t, d, plan, o->multisession && !o->close, ctx)) != DM_OK)
		return dm_fail_prefix(ctx, "setting the write parameters: ");
	if (plan->cue_sheet) {
		uint8_t cue[MMC_CUE_DATA_TRACK_LEN];
		mmc_build_cue_sheet_data(cue, (uint32_t)padded);
		if ((st = mmc_send_cue_sheet(t, cue, sizeof(cue), ctx)) != DM_OK)
			return st;
	}
	char why[DM_MORE_LEN];
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_prevent_allow(t, 1, ctx), why, sizeof(why)) != DM_OK)
		dm_warn(ctx, "the drive cannot lock its tray: do not open it while writing (%s)", why);
	if (plan->reserve_track) {
		int unsupported;
		if ((st = mmc_reserve_track(t, (uint32_t)padded, &unsupported, ctx)) != DM_OK) {
			dm_defer(ctx);
			dm_tolerate(ctx, mmc_prevent_allow(t, 0, ctx), NULL, 0);
			return st;
		}
		if (unsupported)
			dm_note(ctx, "the drive does not support RESERVE TRACK: writing without a "
				"reservation");
	}

	r->stage = WI_STAGE_WRITING;
	dm_sha256 sha;
	dm_sha256_init(&sha);
	st = plan->cue_sheet ? write_pregap(&w, chunk, ctx) : DM_OK;
	if (st == DM_OK)
		st = write_image(&w, img, chunk, padded, o->verify ? &sha : NULL, r, ctx);
	if (st == DM_OK) {
		uint8_t digest[DM_SHA256_LEN];
		dm_sha256_final(&sha, digest);
		if (o->verify)
			dm_sha256_hex(digest, r->image_sha256);
		r->stage = WI_STAGE_FINALIZING;
		st = finalize(&w, o, plan, ctx);
	}
	if (st == DM_OK && r->grow)
		st = wi_grow_commit(t, img, r, ctx);
	if (st == DM_OK && o->close && d->model->recording == MEDIA_SEQUENTIAL)
		r->closed = 1;
	if (st != DM_OK) {
		salvage(t, d, r, ctx);
		return st;
	}
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_prevent_allow(t, 0, ctx), NULL, 0);
	if (o->verify) {
		r->stage = WI_STAGE_VERIFYING;
		if ((st = verify(&w, img->size, chunk, r, ctx)) != DM_OK)
			return st;
		if (r->grow && (st = wi_grow_verify(t, img, r, ctx)) != DM_OK)
			return st;
	}
	if (o->eject || t->ops->media_changed)
		wi_burn_reload(t, o->eject, ctx);
	r->stage = WI_STAGE_DONE;
	return DM_OK;
}
