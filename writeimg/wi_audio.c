#include "writeimg/wi_audio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/dm_endian.h"
#include "common/drive/mmc_cd.h"
#include "common/drive/mmc_cmds.h"
#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_cue.h"
#include "writeimg/cd_reader.h"
#include "writeimg/cd_text_file.h"
#include "writeimg/cd_text.h"
#include "writeimg/wi_disc.h"

#define CD_R_PROFILE 0x0009
#define CD_RW_PROFILE 0x000a
#define DEFAULT_CHUNK 24 /* 24 x 2352 = 56 KiB: under the 64 KiB many transports take */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int has_text(const cd_layout *l)
{
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++) {
		if (l->text[f])
			return 1;
		for (unsigned i = 0; i < l->ntracks; i++)
			if (l->tracks[i].text[f])
				return 1;
	}
	return 0;
}

dm_status wi_audio_preflight(const media_disc *d, const cd_layout *l, const wi_audio_opts *o,
			     dm_ctx *ctx)
{
	char nb[32];
	const char *name = media_profile_name(d->profile, nb, sizeof(nb));
	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive: insert a blank CD-R or CD-RW");
	if (d->profile != CD_R_PROFILE && d->profile != CD_RW_PROFILE)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc is a %s: audio tracks and cue sheets are "
			       "written on a CD-R or CD-RW", name);
	if (!d->writable_by_drive)
		return dm_fail(ctx, DM_ERR_MEDIA, "this drive can read %s discs but not write them",
			       name);
	if (d->write_protected)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is write-protected", name);
	int status = d->disc.disc_status;
	if (status == MMC_DISC_COMPLETE)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is complete (closed): nothing more can be "
			       "written to it%s", name, d->disc.erasable
			       ? "; blank it with --blank (given with the tracks)" : "; use a blank disc");
	if (status == MMC_DISC_APPENDABLE && (o->sao || !o->multisession))
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is not blank: it is appendable%s", name,
			       o->sao ? "; Session-At-Once (--gapless, --mode=sao, a cue sheet) writes "
			       "a blank disc: use a blank one, or Track-At-Once with --multisession"
			       : "; add the tracks as a new session with --multisession");
	if (status != MMC_DISC_BLANK && status != MMC_DISC_APPENDABLE)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is in an unexpected state (%s)", name,
			       media_disc_status_name(status));
	if (o->sao && !d->cd_sao)
		return dm_fail(ctx, DM_ERR_MEDIA, "this drive does not offer Session-At-Once writing "
			       "(its CD Mastering feature has no SAO bit): %s",
			       o->cdtext ? "CD-TEXT cannot be written (drop --text and --cd-text)"
			       : "write Track-At-Once (without --gapless or a cue sheet)");
	if (o->cdtext && !o->sao)
		return dm_fail(ctx, DM_ERR_MEDIA, "CD-TEXT goes in the lead-in, which the host can "
			       "write only Session-At-Once (as wodim's -text needs -sao): add "
			       "--gapless or --mode=sao, or drop --text/--cd-text");
	if (o->cdtext && !has_text(l))
		return dm_fail(ctx, DM_ERR_MEDIA, "--text: the tracks carry no titles or performers "
			       "(no tags, no TITLE/PERFORMER in the cue): give them with --cd-text=FILE");
	if (l->ntracks > CD_TRACKS_MAX)
		return dm_fail(ctx, DM_ERR_INVALID, "%u tracks: a CD holds at most 99", l->ntracks);
	/* The whole session from its first pregap: a Track-At-Once session's first track gets
	 * its pregap before the next writable address. */
	if (!d->nwa_valid)
		return dm_fail(ctx, DM_ERR_MEDIA, "the drive reports no next writable address on the "
			       "%s", name);
	return cd_layout_check_fits(l, (int32_t)d->free_blocks, ctx);
}

void wi_audio_page05(uint8_t *page, size_t len, const cd_layout *l, unsigned track, int sao,
		     int multisession)
{
	cd_write_params wp;
	if (sao)
		cd_write_params_for(l, track, CD_SUBCH_NONE, &wp);
	else
		cd_write_params_tao(l, track, &wp);
	mmc_write_params w;
	dm_ctx unused;
	dm_ctx_init(&unused);
	if (mmc_parse_write_params_page(page, len, &w, &unused) != DM_OK)
		memset(&w, 0, sizeof(w));
	w.write_type = wp.write_type;
	w.test_write = 0;
	w.bufe = 1;
	w.multisession = multisession ? 3 : 0;
	w.fp = 0;
	w.copy = 0;
	w.track_mode = wp.track_mode;
	w.data_block_type = wp.data_block_type;
	w.session_format = wp.session_format;
	w.packet_size = 0;
	mmc_apply_write_params_page(page, len, &w);
	if (sao) {
		mmc_page05_set_codes(page, len, NULL, NULL);
	} else {
		mmc_page05_set_codes(page, len, l->mcn, l->tracks[track].isrc);
		/* The pause the drive writes before a TAO track (Audio Pause Length, MMC-6
		 * 7.5.4): the layout's pregap, not whatever another program left in the page. */
		if (len >= 16)
			dm_put_be16(page + 14, (uint16_t)l->tracks[track].pregap);
	}
}

void wi_audio_leadin_block(const uint8_t *packs, unsigned count, uint32_t k, uint8_t out[96])
{
	for (unsigned i = 0; i < 4; i++)
		cd_text_pack_to_rw(packs + (size_t)((k * 4 + i) % count) * CD_TEXT_PACK_SIZE,
				   out + 24 * i);
}

static dm_status set_page05(scsi_transport *t, const cd_layout *l, unsigned track, int sao,
			    int multisession, dm_ctx *ctx)
{
	uint8_t buf[256];
	const uint8_t *page;
	size_t len;
	dm_status st = wi_sense_page05(t, buf, &page, &len, ctx);
	if (st != DM_OK)
		return st;
	uint8_t copy[256];
	memcpy(copy, page, len);
	wi_audio_page05(copy, len, l, track, sao, multisession);
	st = mmc_mode_select_page(t, copy, len, ctx);
	if (st != DM_OK)
		return dm_fail_prefix(ctx, "setting the write parameters of track %02u (%s): ",
				      l->tracks[track].number, cd_mode_name(l->tracks[track].mode));
	return DM_OK;
}

typedef struct run {
	scsi_transport *t;
	const cd_layout *l;
	const wi_audio_opts *o;
	wi_audio_result *r;
	cd_reader *reader;
	uint8_t *buf;
	unsigned chunk;
	double t0;
} run;

static void report(run *w, dm_ctx *ctx, int64_t lba)
{
	char item[64] = "";
	double el = now() - w->t0;
	if (el > 0.2 && w->r->written)
		snprintf(item, sizeof(item), "%.1fx",
			 (double)w->r->written / el / CD_FRAMES_PER_SEC);
	dm_progress p = { .action = "writing", .item = item[0] ? item : NULL,
			  .done = w->r->written, .total = w->r->sectors, .unit = "sectors",
			  .lba = lba, .buffer_percent = -1 };
	dm_report(ctx, &p);
}

/* n sectors of extent-covered layout LBAs [from, from + n) of one track, sent to disc LBA
 * to (the same in SAO; the drive's next writable address in TAO). */
static dm_status send(run *w, int32_t from, uint32_t n, int32_t to, unsigned bps, dm_ctx *ctx)
{
	while (n) {
		if (dm_cancelled(ctx))
			return dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while writing at LBA %ld",
				       (long)to);
		uint32_t k = n < w->chunk ? n : w->chunk;
		dm_status st = cd_reader_read(w->reader, from, k, w->buf, ctx);
		if (st == DM_OK)
			st = mmc_write_cd(w->t, to, (uint16_t)k, bps, w->buf, ctx);
		if (st != DM_OK)
			return st;
		from += (int32_t)k;
		to += (int32_t)k;
		n -= k;
		w->r->written += k;
		report(w, ctx, to);
	}
	return DM_OK;
}

static dm_status wait_ready(scsi_transport *t, dm_ctx *ctx)
{
	return mmc_wait_ready(t, SCSI_TIMEOUT_LONG_MS, ctx);
}

/* Track-At-Once: per track, page 05h (audio, 2352-byte blocks, its ISRC), the next
 * writable address, the track's sectors, CLOSE TRACK; then CLOSE SESSION, which closes
 * the disc or leaves it appendable as page 05h's multi-session field says (MMC-6 6.3.3). */
static dm_status write_tao(run *w, dm_ctx *ctx)
{
	const cd_layout *l = w->l;
	dm_status st;
	for (unsigned i = 0; i < l->ntracks; i++) {
		const cd_track *t = &l->tracks[i];
		if ((st = set_page05(w->t, l, i, 0, w->o->multisession, ctx)) != DM_OK)
			return st;
		mmc_track_info ti;
		if ((st = mmc_read_track_info(w->t, MMC_TRACK_BY_NUMBER, MMC_TRACK_INVISIBLE, &ti,
					      ctx)) != DM_OK)
			return dm_fail_prefix(ctx, "track %02u: ", t->number);
		if (!ti.nwa_v)
			return dm_fail(ctx, DM_ERR_MEDIA, "track %02u: the drive reports no next "
				       "writable address", t->number);
		dm_note(ctx, "track %02u: %u sectors at LBA %u", t->number, t->length, ti.nwa);
		int32_t to = (int32_t)ti.nwa;
		for (unsigned x = 0; x < l->nextents; x++) {
			const cd_extent *e = &l->extents[x];
			if (e->track != i || e->drive_generates)
				continue;
			if ((st = send(w, e->lba, e->sectors, to, CD_SECTOR_RAW, ctx)) != DM_OK)
				return st;
			to += (int32_t)e->sectors;
		}
		if ((st = mmc_synchronize_cache(w->t, 1, ctx)) == DM_OK)
			st = wait_ready(w->t, ctx);
		if (st == DM_OK &&
		    (st = mmc_close_track_session(w->t, 1, MMC_CLOSE_TRACK, (uint16_t)ti.track,
						  ctx)) == DM_OK)
			st = wait_ready(w->t, ctx);
		if (st != DM_OK)
			return dm_fail_prefix(ctx, "closing track %02u: ", t->number);
	}
	w->r->stage = WI_STAGE_FINALIZING;
	dm_progress p = { .action = "finalizing", .done = 0, .total = 1, .unit = "steps",
			  .lba = -1, .buffer_percent = -1 };
	dm_report(ctx, &p);
	st = mmc_close_track_session(w->t, 1, MMC_CLOSE_SESSION, 0, ctx);
	if (st == DM_OK)
		st = wait_ready(w->t, ctx);
	p.done = 1;
	dm_report(ctx, &p);
	return st;
}

/* MMC-6 6.22.3.1 bytes 16-19 of a CD: 00h, M, S, F of the last session's lead-in start
 * (ATIP on a blank disc: 97:xx:xx and up, negative LBAs). 1 with *lba when it is one. */
static int leadin_start(uint32_t v, int32_t *lba)
{
	unsigned m = (v >> 16) & 0xff, s = (v >> 8) & 0xff, f = v & 0xff;
	if (v >> 24 || s >= 60 || f >= 75 || m < 90)
		return 0;
	*lba = cd_msf_to_lba(m, s, f);
	return *lba < -CD_PREGAP_FIRST;
}

/* The lead-in's CD-TEXT: the packs, repeated, as the R-W sub-channel of every lead-in
 * sector from its start to LBA -150 (cue sheet lead-in data form 41h: the drive makes the
 * main data, the host sends 96 bytes of packed R-W a sector; MMC-6 6.33, Annex J). */
static dm_status write_leadin_text(run *w, dm_ctx *ctx)
{
	uint8_t *packs;
	unsigned count;
	dm_status st = cd_text_encode(w->l, &packs, &count, ctx);
	if (st != DM_OK)
		return st;
	if (!count) {
		free(packs);
		return DM_OK;
	}
	mmc_disc_info di;
	int32_t start;
	if ((st = mmc_read_disc_info(w->t, &di, ctx)) != DM_OK) {
		free(packs);
		return st;
	}
	if (!leadin_start(di.last_session_leadin, &start)) {
		free(packs);
		return dm_fail(ctx, DM_ERR_MEDIA, "the drive reports no lead-in start (READ DISC "
			       "INFORMATION bytes 16-19: %08x): CD-TEXT cannot be placed",
			       di.last_session_leadin);
	}
	uint32_t blocks = (uint32_t)(-CD_PREGAP_FIRST - start);
	dm_note(ctx, "CD-TEXT: %u packs, repeated through the lead-in (%u sectors from LBA %ld)",
		count, blocks, (long)start);
	uint32_t per = 64; /* 64 x 96 bytes a WRITE */
	uint8_t *buf = malloc((size_t)per * 96);
	if (!buf) {
		free(packs);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	for (uint32_t k = 0; k < blocks && st == DM_OK;) {
		uint32_t n = blocks - k < per ? blocks - k : per;
		for (uint32_t j = 0; j < n; j++)
			wi_audio_leadin_block(packs, count, k + j, buf + (size_t)j * 96);
		st = mmc_write_cd(w->t, start + (int32_t)k, (uint16_t)n, 96, buf, ctx);
		k += n;
	}
	free(buf);
	free(packs);
	return st == DM_OK ? DM_OK : dm_fail_prefix(ctx, "writing the lead-in's CD-TEXT: ");
}

/* Session-At-Once: page 05h of the first track, the cue sheet, the lead-in's CD-TEXT,
 * then every sector the host sends in LBA order, page 05h again where the block type
 * changes (a MODE1/2048 track after audio); the drive writes the lead-out and closes the
 * session once the cache is flushed. */
static dm_status write_sao(run *w, dm_ctx *ctx)
{
	const cd_layout *l = w->l;
	uint8_t *cue;
	size_t len;
	dm_status st = cd_cuesheet_build(l, CD_SUBCH_NONE, w->o->cdtext, &cue, &len, ctx);
	if (st != DM_OK)
		return st;
	st = set_page05(w->t, l, 0, 1, w->o->multisession, ctx);
	if (st == DM_OK && (st = mmc_send_cue_sheet(w->t, cue, (uint32_t)len, ctx)) != DM_OK)
		dm_fail_prefix(ctx, "the drive refused the cue sheet (%zu entries): ",
			       len / CD_CUE_ENTRY);
	free(cue);
	if (st != DM_OK)
		return st;
	if (w->o->cdtext && (st = write_leadin_text(w, ctx)) != DM_OK)
		return st;
	cd_write_params cur;
	cd_write_params_for(l, 0, CD_SUBCH_NONE, &cur);
	for (unsigned x = 0; x < l->nextents; x++) {
		const cd_extent *e = &l->extents[x];
		if (e->drive_generates)
			continue;
		cd_write_params wp;
		cd_write_params_for(l, e->track, CD_SUBCH_NONE, &wp);
		if ((wp.data_block_type != cur.data_block_type || wp.track_mode != cur.track_mode) &&
		    (st = set_page05(w->t, l, e->track, 1, w->o->multisession, ctx)) != DM_OK)
			return st;
		cur = wp;
		if ((st = send(w, e->lba, e->sectors, e->lba, wp.block_size, ctx)) != DM_OK)
			return st;
	}
	w->r->stage = WI_STAGE_FINALIZING;
	dm_progress p = { .action = "finalizing", .done = 0, .total = 1, .unit = "steps",
			  .lba = -1, .buffer_percent = -1 };
	dm_report(ctx, &p);
	st = mmc_synchronize_cache(w->t, 1, ctx);
	if (st == DM_OK)
		st = wait_ready(w->t, ctx);
	if (st != DM_OK)
		return st;
	/* A drive that leaves the session open after the last sector is closed as after TAO. */
	mmc_disc_info di;
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_read_disc_info(w->t, &di, ctx), NULL, 0) == DM_OK &&
	    di.last_session_state == MMC_SESSION_INCOMPLETE) {
		st = mmc_close_track_session(w->t, 1, MMC_CLOSE_SESSION, 0, ctx);
		if (st == DM_OK)
			st = wait_ready(w->t, ctx);
	}
	p.done = 1;
	dm_report(ctx, &p);
	return st;
}

/* After a failure while writing: flush, close what TAO left open so the tracks written
 * stay readable (the disc appendable), and say what the disc is. */
static void salvage(run *w, int tao, dm_ctx *ctx)
{
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_synchronize_cache(w->t, 0, ctx), NULL, 0);
	if (tao && w->r->written) {
		dm_defer(ctx);
		dm_status st = dm_tolerate(ctx, set_page05(w->t, w->l, 0, 0, 1, ctx), NULL, 0);
		(void)st;
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_close_track_session(w->t, 0, MMC_CLOSE_TRACK,
							     MMC_TRACK_INVISIBLE, ctx), NULL, 0) ==
		    DM_OK) {
			dm_defer(ctx);
			dm_tolerate(ctx, mmc_close_track_session(w->t, 0, MMC_CLOSE_SESSION, 0, ctx),
				    NULL, 0);
		}
	}
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_prevent_allow(w->t, 0, ctx), NULL, 0);
	char state[512];
	wi_disc_state(w->t, state, sizeof(state), ctx);
	snprintf(w->r->disc_state, sizeof(w->r->disc_state),
		 "%llu of %llu sectors were written; the disc is now %s",
		 (unsigned long long)w->r->written, (unsigned long long)w->r->sectors, state);
}

dm_status wi_audio_burn(scsi_transport *t, const cd_layout *l, const wi_audio_opts *o,
			wi_audio_result *r, dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->stage = WI_STAGE_PREFLIGHT;
	for (unsigned i = 0; i < l->nextents; i++)
		if (!l->extents[i].drive_generates)
			r->sectors += l->extents[i].sectors;
	dm_progress p = { .action = "validating media", .lba = -1, .buffer_percent = -1 };
	dm_report(ctx, &p);
	dm_status st = media_probe_disc(t, &r->disc, ctx);
	if (st == DM_OK)
		st = wi_audio_preflight(&r->disc, l, o, ctx);
	if (st != DM_OK) {
		char state[512];
		wi_disc_describe(&r->disc, state, sizeof(state));
		snprintf(r->disc_state, sizeof(r->disc_state), "the disc is %s; nothing was written",
			 state);
		return st;
	}
	run w = { .t = t, .l = l, .o = o, .r = r, .chunk = o->chunk ? o->chunk : DEFAULT_CHUNK };
	if (w.chunk > 27)
		w.chunk = 27; /* 27 x 2352 < 64 KiB */
	if ((st = cd_reader_new(l, &w.reader, ctx)) != DM_OK)
		return st;
	if (!(w.buf = malloc((size_t)w.chunk * CD_SECTOR_RAW))) {
		cd_reader_free(w.reader);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	char nb[32];
	dm_note(ctx, "write mode: %s on the %s; %u track%s, %s", o->sao
		? "SAO (session at once, cue sheet)" : "TAO (track at once)",
		media_profile_name(r->disc.profile, nb, sizeof(nb)), l->ntracks,
		l->ntracks == 1 ? "" : "s", o->multisession ? "the disc left appendable"
		: "the disc closed");
	wi_burn_set_speed(t, &r->disc, o->speed_x, ctx);
	char why[DM_MORE_LEN];
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_prevent_allow(t, 1, ctx), why, sizeof(why)) != DM_OK)
		dm_warn(ctx, "the drive cannot lock its tray: do not open it while writing (%s)", why);
	r->stage = WI_STAGE_WRITING;
	w.t0 = now();
	st = o->sao ? write_sao(&w, ctx) : write_tao(&w, ctx);
	r->seconds = now() - w.t0;
	free(w.buf);
	cd_reader_free(w.reader);
	if (st != DM_OK) {
		salvage(&w, !o->sao, ctx);
		return st;
	}
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_prevent_allow(t, 0, ctx), NULL, 0);
	if (o->eject || t->ops->media_changed)
		wi_burn_reload(t, o->eject, ctx);
	r->stage = WI_STAGE_DONE;
	return DM_OK;
}

static int drop_text(cd_layout *l)
{
	int dropped = 0;
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++) {
		dropped |= l->text[f] != NULL;
		free(l->text[f]);
		l->text[f] = NULL;
		for (unsigned i = 0; i < l->ntracks; i++) {
			dropped |= l->tracks[i].text[f] != NULL;
			free(l->tracks[i].text[f]);
			l->tracks[i].text[f] = NULL;
		}
	}
	return dropped;
}

dm_status wi_audio_layout(const wi_options *o, cd_layout **out, int *text_dropped,
			  dm_ctx *ctx)
{
	*out = NULL;
	*text_dropped = 0;
	cd_layout *l = NULL;
	const char *cue = o->cue ? o->cue : o->mode == WI_MODE_CHECK && !o->audio ? o->check_image
									    : NULL;
	dm_status st;
	if (cue)
		st = cd_cue_load(cue, &l, ctx);
	else
		st = cd_layout_from_audio((const char *const *)o->tracks, o->ntracks,
					  o->pregap >= 0 ? (uint32_t)o->pregap : CD_PREGAP_FIRST, &l,
					  ctx);
	if (st != DM_OK)
		return st;
	/* --audio's track options: the Q control bits, and raw files in the other byte order
	 * read as a cue's MOTOROLA files are. */
	for (unsigned i = 0; !cue && i < l->ntracks; i++)
		l->tracks[i].flags |= (uint8_t)((o->copy ? CD_FLAG_DCP : 0) |
						(o->preemp ? CD_FLAG_PRE : 0));
	for (unsigned i = 0; !cue && o->big_endian && i < l->nfiles; i++)
		if (l->files[i].kind == CD_FILE_BINARY)
			l->files[i].kind = CD_FILE_MOTOROLA;
	if (!o->text)
		*text_dropped = drop_text(l);
	if (o->cd_text_file && (st = cd_text_file_load(o->cd_text_file, l, ctx)) != DM_OK)
		goto fail;
	if (o->mcn)
		snprintf(l->mcn, sizeof(l->mcn), "%s", o->mcn);
	for (unsigned i = 0; i < o->nisrc; i++) {
		if (o->isrc[i].track > l->ntracks) {
			st = dm_fail(ctx, DM_ERR_INVALID, "--isrc %u: there are %u tracks",
				     o->isrc[i].track, l->ntracks);
			goto fail;
		}
		memcpy(l->tracks[o->isrc[i].track - 1].isrc, o->isrc[i].code, 13);
	}
	/* Decode every WAV and FLAC once: a truncated file is refused now, not mid-disc. Its
	 * notes (a padded last sector) were given when the layout opened it. */
	void (*say)(void *, dm_level, const char *) = ctx->on_message;
	ctx->on_message = NULL;
	for (unsigned i = 0; i < l->nfiles && st == DM_OK; i++) {
		if (l->files[i].kind != CD_FILE_WAVE)
			continue;
		cd_audio_src *src;
		if ((st = cd_audio_src_open(l->files[i].path, CD_AUDIO_SNDFILE, &src, ctx)) != DM_OK)
			break;
		st = cd_audio_src_check(src, ctx);
		cd_audio_src_free(src);
	}
	ctx->on_message = say;
	if (st != DM_OK)
		goto fail;
	*out = l;
	return DM_OK;
fail:
	cd_layout_free(l);
	return st;
}
