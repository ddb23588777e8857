/* writeimg: the only file that talks to the user. Everything else is in libwriteimg.a
 * and common/. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/dm_media_sizes.h"
#include "common/dm_progress_display.h"
#include "common/drive/emu_recorder.h"
#include "common/drive/media_probe.h"
#include "writeimg/cd_msf.h"
#include "writeimg/wi_audio.h"
#include "writeimg/wi_burn.h"
#include "writeimg/wi_cdread.h"
#include "writeimg/wi_check.h"
#include "writeimg/wi_disc.h"
#include "writeimg/wi_erase.h"
#include "writeimg/wi_inhibit.h"
#include "writeimg/wi_info.h"
#include "writeimg/wi_list.h"
#include "writeimg/wi_msinfo.h"
#include "writeimg/wi_options.h"
#include "writeimg/wi_tray.h"

static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static dm_progress_display display;

static void on_message(void *user, dm_level level, const char *text)
{
	(void)user;
	dm_progress_display_finish(&display);
	fprintf(stderr, "writeimg: %s%s\n", level == DM_LEVEL_WARNING ? "warning: " : "", text);
}

/* The failure and the follow-up troubles kept with it (dm_defer). */
static void print_failure(const char *prefix, const dm_ctx *ctx)
{
	fprintf(stderr, "writeimg: %s%s\n", prefix, ctx->msg);
	for (unsigned i = 0; i < ctx->n_more; i++)
		fprintf(stderr, "writeimg: also: %s\n", ctx->more[i]);
}

static int exit_code(dm_status st, wi_stage stage)
{
	if (st == DM_OK)
		return WI_EXIT_OK;
	if (st == DM_ERR_INTERRUPTED)
		return WI_EXIT_INTERRUPTED;
	if (stage == WI_STAGE_PREFLIGHT)
		return st == DM_ERR_MEDIA || st == DM_ERR_NOSPACE ? WI_EXIT_REFUSED : WI_EXIT_ERROR;
	if (stage == WI_STAGE_VERIFYING)
		return WI_EXIT_VERIFY;
	return WI_EXIT_WRITE;
}

/* A reading job's failure (--check, --read, --read-audio): interrupted, refused for the
 * disc in the drive, or `other`. */
static int read_exit_code(dm_status st, int other)
{
	return st == DM_ERR_INTERRUPTED ? WI_EXIT_INTERRUPTED
	       : st == DM_ERR_MEDIA ? WI_EXIT_REFUSED : other;
}

/* Jobs that may change the disc go to optical drives only (issue 12: a disk's sg node
 * answering GET CONFIGURATION must never be written). */
static int check_optical(scsi_transport *t, dm_ctx *ctx)
{
	dm_status st = media_check_optical(t, ctx);
	if (st == DM_OK)
		return WI_EXIT_OK;
	print_failure("", ctx);
	return st == DM_ERR_MEDIA ? WI_EXIT_REFUSED : WI_EXIT_ERROR;
}

static int do_info(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	media_drive dr;
	media_disc disc;
	dm_status st = media_probe_drive(t, &dr, ctx);
	if (st == DM_OK)
		st = media_probe_disc(t, &disc, ctx);
	if (st != DM_OK) {
		fprintf(stderr, "writeimg: %s: %s\n", o->drive, ctx->msg);
		return WI_EXIT_ERROR;
	}
	wi_msinfo_fill(t, &disc);
	/* A written CD: its tracks, audio or data, with their lengths. */
	wi_cd_tracks tracks, *tp = NULL;
	if (disc.present && (disc.profile == 0x0008 || disc.profile == 0x0009 ||
			     disc.profile == 0x000a) && disc.disc.disc_status != MMC_DISC_BLANK) {
		dm_defer(ctx);
		if (dm_tolerate(ctx, wi_cd_tracks_read(t, &tracks, ctx), NULL, 0) == DM_OK)
			tp = &tracks;
	}
	wi_info_print(stdout, o->drive, &dr, &disc, tp, o->json);
	return WI_EXIT_OK;
}

/* Open the image and say what it is; data that is no known image needs --raw. */
static int open_image(const wi_options *o, const char *path, wi_image *img, int need_known,
		      dm_ctx *ctx)
{
	if (wi_image_open(path, o->size, img, ctx) != DM_OK) {
		print_failure("", ctx);
		return WI_EXIT_ERROR;
	}
	const uint8_t *head;
	size_t len;
	if (wi_image_head(img, &head, &len, ctx) != DM_OK) {
		print_failure("", ctx);
		wi_image_close(img);
		return WI_EXIT_ERROR;
	}
	wi_image_id id;
	char line[256];
	wi_image_identify(head, len, &id);
	if (id.kind == WI_IMG_UNKNOWN && need_known && !o->raw) {
		fprintf(stderr, "writeimg: %s is no ISO 9660 or UDF image (no volume descriptors at "
			"sector 16): to write it as it is, add --raw\n", img->name);
		wi_image_close(img);
		return WI_EXIT_USAGE;
	}
	if (id.kind == WI_IMG_UNKNOWN)
		fprintf(stderr, "writeimg: image: raw data, %.1f MB (%llu sectors)\n",
			(double)img->size / 1e6, (unsigned long long)((img->size + 2047) / 2048));
	else {
		wi_image_describe(&id, img->size, line, sizeof(line));
		fprintf(stderr, "writeimg: image: %s\n", line);
	}
	if (img->size % 2048)
		fprintf(stderr, "writeimg: the image's %llu bytes are not a whole number of 2048-byte "
			"sectors: its last sector is padded with %llu zero bytes\n",
			(unsigned long long)img->size, (unsigned long long)(2048 - img->size % 2048));
	return WI_EXIT_OK;
}

static int do_erase(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	wi_erase_result er;
	dm_status st = o->blank ? wi_blank(t, o->blank, &er, ctx) : wi_format(t, o->format, &er, ctx);
	dm_progress_display_finish(&display);
	if (st == DM_OK) {
		fprintf(stderr, "writeimg: %s done: the disc is now %s\n",
			o->blank ? "blanking" : "formatting", er.state);
		return WI_EXIT_OK;
	}
	print_failure("", ctx);
	if (er.started)
		fprintf(stderr, "writeimg: the disc is now %s\n", er.state);
	else
		fprintf(stderr, "writeimg: nothing was changed: the disc is %s\n",
			er.state[0] ? er.state : "as it was");
	return exit_code(st, er.started ? WI_STAGE_WRITING : WI_STAGE_PREFLIGHT);
}

static int do_msinfo(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	media_msinfo ms;
	dm_status st = wi_msinfo_get(t, &ms, ctx);
	if (st != DM_OK) {
		fprintf(stderr, "writeimg: %s: %s\n", o->drive, ctx->msg);
		return st == DM_ERR_MEDIA || st == DM_ERR_NOSPACE ? WI_EXIT_REFUSED : WI_EXIT_ERROR;
	}
	wi_msinfo_print(stdout, &ms);
	return WI_EXIT_OK;
}

static void say_layout(const cd_layout *l, int dropped, const wi_options *o)
{
	char msf[16];
	unsigned audio = 0;
	for (unsigned i = 0; i < l->ntracks; i++)
		audio += l->tracks[i].mode == CD_MODE_AUDIO;
	cd_msf_format((uint32_t)(l->leadout + CD_PREGAP_FIRST), msf, sizeof(msf));
	fprintf(stderr, "writeimg: %s: %u track%s (%u audio), %s with the pregaps\n",
		o->cue ? o->cue : "audio CD", l->ntracks, l->ntracks == 1 ? "" : "s", audio, msf);
	if (dropped)
		fprintf(stderr, "writeimg: %s titles or performers: --text writes them as CD-TEXT\n",
			o->cue ? "the cue sheet names" : "the files' tags name");
}

static int do_audio_write(scsi_transport *t, const wi_options *o, const cd_layout *l,
			  dm_ctx *ctx)
{
	char why[256] = "";
	int lock = o->no_inhibit ? -1 : wi_inhibit_take("Writing a disc", why, sizeof(why));
	if (!o->no_inhibit && lock < 0)
		fprintf(stderr, "writeimg: %s: sleep and shutdown are not inhibited while writing\n",
			why);
	wi_audio_opts ao = { .sao = o->cue || o->pregap >= 0 || o->write_mode == WI_WM_SAO ||
				    o->write_mode == WI_WM_DAO,
			     .multisession = o->multisession && !o->close, .cdtext = o->text,
			     .speed_x = o->speed_x, .eject = o->eject && !o->verify,
			     .chunk = o->chunk_blocks };
	wi_audio_result r;
	dm_status st = wi_audio_burn(t, l, &ao, &r, ctx);
	wi_inhibit_release(lock);
	dm_progress_display_finish(&display);
	if (st != DM_OK) {
		print_failure("", ctx);
		if (r.disc_state[0])
			fprintf(stderr, "writeimg: %s\n", r.disc_state);
		return exit_code(st, r.stage);
	}
	char nb[32], msf[16];
	cd_msf_format((uint32_t)r.written, msf, sizeof(msf));
	fprintf(stderr, "writeimg: wrote %u track%s (%llu sectors, %s) to the %s in %.1f s "
		"(%s); the disc is %s\n", l->ntracks, l->ntracks == 1 ? "" : "s",
		(unsigned long long)r.written, msf,
		media_profile_name(r.disc.profile, nb, sizeof(nb)), r.seconds,
		ao.sao ? "sao" : "tao", ao.multisession ? "appendable" : "complete");
	if (!o->verify)
		return WI_EXIT_OK;
	wi_audio_check c;
	st = wi_check_audio(t, l, &c, ctx);
	dm_progress_display_finish(&display);
	if (st != DM_OK) {
		print_failure("verifying: ", ctx);
		return WI_EXIT_VERIFY;
	}
	if (!c.equal) {
		fprintf(stderr, "writeimg: verification failed: %s\n", c.why);
		return WI_EXIT_VERIFY;
	}
	fprintf(stderr, "writeimg: verified: %u audio track%s (%llu sectors) equal their sources "
		"sample by sample\n", c.tracks, c.tracks == 1 ? "" : "s",
		(unsigned long long)c.sectors);
	if (o->eject && wi_eject(t, ctx) != DM_OK)
		print_failure("", ctx);
	return WI_EXIT_OK;
}

static int do_close(scsi_transport *t, dm_ctx *ctx)
{
	wi_close_result r;
	dm_status st = wi_close_disc(t, &r, ctx);
	dm_progress_display_finish(&display);
	if (st == DM_OK) {
		fprintf(stderr, "writeimg: the disc is closed: it is now %s; no session can be added "
			"to it\n", r.state);
		return WI_EXIT_OK;
	}
	print_failure("", ctx);
	if (r.started)
		fprintf(stderr, "writeimg: the disc is now %s\n", r.state);
	else
		fprintf(stderr, "writeimg: nothing was changed: the disc is %s\n",
			r.state[0] ? r.state : "as it was");
	return exit_code(st, r.started ? WI_STAGE_FINALIZING : WI_STAGE_PREFLIGHT);
}

static int do_write(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	wi_image img;
	int rc = WI_EXIT_OK;
	if (o->audio || o->cue) {
		/* Every source is checked before the disc is touched (blanking included). */
		cd_layout *l;
		int dropped;
		if (wi_audio_layout(o, &l, &dropped, ctx) != DM_OK) {
			print_failure("", ctx);
			fprintf(stderr, "writeimg: nothing was written\n");
			return WI_EXIT_ERROR;
		}
		say_layout(l, dropped, o);
		if ((rc = check_optical(t, ctx)) == WI_EXIT_OK &&
		    (!(o->blank || o->format) || (rc = do_erase(t, o, ctx)) == WI_EXIT_OK))
			rc = do_audio_write(t, o, l, ctx);
		cd_layout_free(l);
		return rc;
	}
	if (o->image && (rc = open_image(o, o->image, &img, 1, ctx)) != WI_EXIT_OK)
		return rc;
	if ((rc = check_optical(t, ctx)) != WI_EXIT_OK)
		goto out;
	if ((o->blank || o->format) && (rc = do_erase(t, o, ctx)) != WI_EXIT_OK)
		goto out;
	if (!o->image) {
		if (o->close && (rc = do_close(t, ctx)) != WI_EXIT_OK)
			return rc;
		if (o->eject) {
			if (wi_eject(t, ctx) != DM_OK) {
				print_failure("", ctx);
				return WI_EXIT_ERROR;
			}
			fprintf(stderr, "writeimg: the tray is open\n");
		}
		return WI_EXIT_OK;
	}
	char why[256] = "";
	int lock = o->no_inhibit ? -1 : wi_inhibit_take("Writing a disc", why, sizeof(why));
	if (!o->no_inhibit && lock < 0)
		fprintf(stderr, "writeimg: %s: sleep and shutdown are not inhibited while writing\n",
			why);
	wi_burn_opts bo = { o->speed_x, o->verify, o->eject, o->multisession, o->chunk_blocks,
			    o->write_mode, o->layer_break, o->blank || o->format, o->close,
			    o->drive };
	wi_burn_result r;
	dm_status st = wi_burn(t, &img, &bo, &r, ctx);
	wi_inhibit_release(lock);
	dm_progress_display_finish(&display);

	char nb[32], sz[32];
	const char *disc = media_profile_name(r.disc.profile, nb, sizeof(nb));
	if (st != DM_OK) {
		print_failure("", ctx);
		if (r.disc_state[0])
			fprintf(stderr, "writeimg: %s\n", r.disc_state);
		else if (r.stage == WI_STAGE_PREFLIGHT)
			fprintf(stderr, "writeimg: nothing was written\n");
		rc = exit_code(st, r.stage);
		goto out;
	}
	double secs = r.write_seconds > 0 ? r.write_seconds : 1e-9;
	char grown[160] = "";
	if (r.grow)
		snprintf(grown, sizeof(grown), "grown from %llu to %llu sectors, one tree: the new "
			 "session's descriptors are at LBA 16", (unsigned long long)r.old_volume,
			 (unsigned long long)(r.start_lba + r.image_blocks));
	fprintf(stderr, "writeimg: wrote %llu sectors (%s) to the %s at LBA %u in %.1f s (%.1f MB/s, "
		"%s); the disc is %s\n", (unsigned long long)r.blocks_written,
		wi_size_str(r.blocks_written, sz, sizeof(sz)), disc, r.start_lba, r.write_seconds,
		(double)r.blocks_written * DM_SECTOR / secs / 1e6, wi_mode_word(r.plan.mode),
		r.grow ? grown : r.disc.model && r.disc.model->recording == MEDIA_SEQUENTIAL
			? (o->multisession && !o->close ? "appendable"
						       : "complete (closed: no session can follow)")
			: "written");
	if (r.verified > 0)
		fprintf(stderr, "writeimg: verified: SHA-256 %s matches the image\n", r.disc_sha256);
out:
	if (o->image)
		wi_image_close(&img);
	return rc;
}

static int do_check_audio(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	cd_layout *l;
	int dropped;
	if (wi_audio_layout(o, &l, &dropped, ctx) != DM_OK) {
		print_failure("", ctx);
		return WI_EXIT_ERROR;
	}
	wi_audio_check c;
	dm_status st = wi_check_audio(t, l, &c, ctx);
	unsigned data = 0;
	for (unsigned i = 0; i < l->ntracks; i++)
		data += l->tracks[i].mode != CD_MODE_AUDIO;
	cd_layout_free(l);
	dm_progress_display_finish(&display);
	if (st != DM_OK) {
		print_failure("", ctx);
		return read_exit_code(st, WI_EXIT_VERIFY);
	}
	if (!c.equal) {
		fprintf(stderr, "writeimg: the disc differs: %s\n", c.why);
		return WI_EXIT_VERIFY;
	}
	fprintf(stderr, "writeimg: the disc holds the audio: %u track%s (%llu sectors) equal "
		"their sources sample by sample%s\n", c.tracks, c.tracks == 1 ? "" : "s",
		(unsigned long long)c.sectors, data ? " (data tracks not compared)" : "");
	if (o->eject && wi_eject(t, ctx) != DM_OK)
		print_failure("", ctx);
	return WI_EXIT_OK;
}

static int is_cue(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && !strcasecmp(path + n - 4, ".cue");
}

static int do_check(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	if (o->audio || is_cue(o->check_image))
		return do_check_audio(t, o, ctx);
	wi_image img;
	int rc = open_image(o, o->check_image, &img, 0, ctx);
	if (rc != WI_EXIT_OK)
		return rc;
	wi_check_result r;
	dm_status st = wi_check(t, &img, &r, ctx);
	dm_progress_display_finish(&display);
	wi_image_close(&img);
	if (st != DM_OK) {
		print_failure("", ctx);
		return read_exit_code(st, WI_EXIT_VERIFY);
	}
	if (r.equal) {
		fprintf(stderr, "writeimg: the disc holds the image: %llu sectors from LBA %u are "
			"equal\n", (unsigned long long)r.blocks_compared, r.extent.start);
	} else if (r.first_diff_lba >= 0) {
		fprintf(stderr, "writeimg: the disc differs from the image: first difference at LBA "
			"%lld (image sector %lld)\n", (long long)r.first_diff_lba,
			(long long)(r.first_diff_lba - r.extent.start));
		return WI_EXIT_VERIFY;
	} else {
		fprintf(stderr, "writeimg: the disc differs from the image: its recorded data ends at "
			"LBA %llu, before the image does (first missing LBA %llu)\n",
			(unsigned long long)(r.extent.start + r.blocks_compared),
			(unsigned long long)(r.extent.start + r.blocks_compared));
		return WI_EXIT_VERIFY;
	}
	if (o->eject && wi_eject(t, ctx) != DM_OK)
		print_failure("", ctx);
	return WI_EXIT_OK;
}

static int do_read(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	wi_read_result r;
	dm_status st = wi_read_disc(t, o->read_out, &r, ctx);
	dm_progress_display_finish(&display);
	if (st != DM_OK) {
		print_failure("", ctx);
		fprintf(stderr, "writeimg: %s was not written\n", o->read_out);
		return read_exit_code(st, WI_EXIT_ERROR);
	}
	char sz[32];
	fprintf(stderr, "writeimg: read %llu sectors (%s) from LBA %u into %s; SHA-256 %s\n",
		(unsigned long long)(r.bytes / 2048), wi_size_str(r.bytes / 2048, sz, sizeof(sz)),
		r.extent.start, o->read_out, r.sha256);
	if (o->eject && wi_eject(t, ctx) != DM_OK)
		print_failure("", ctx);
	return WI_EXIT_OK;
}

static int do_read_audio(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	unsigned saved;
	dm_status st = wi_read_audio(t, o->read_audio_dir, &saved, ctx);
	dm_progress_display_finish(&display);
	if (st != DM_OK) {
		print_failure("", ctx);
		fprintf(stderr, "writeimg: %u track%s saved in %s before that\n", saved,
			saved == 1 ? "" : "s", o->read_audio_dir);
		return read_exit_code(st, WI_EXIT_ERROR);
	}
	fprintf(stderr, "writeimg: saved %u audio track%s in %s (trackNN.wav)\n", saved,
		saved == 1 ? "" : "s", o->read_audio_dir);
	if (o->eject && wi_eject(t, ctx) != DM_OK)
		print_failure("", ctx);
	return WI_EXIT_OK;
}

static int do_load(scsi_transport *t, dm_ctx *ctx)
{
	int present;
	if (wi_load(t, &present, ctx) != DM_OK) {
		print_failure("", ctx);
		return WI_EXIT_ERROR;
	}
	char state[512];
	wi_disc_state(t, state, sizeof(state), ctx);
	fprintf(stderr, "writeimg: the tray is closed; the drive holds %s\n",
		present ? state : "no disc");
	return WI_EXIT_OK;
}

int main(int argc, char **argv)
{
	wi_options o;
	char err[256];
	if (wi_parse_options(argc, argv, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "writeimg: %s\nTry 'writeimg --help'.\n", err);
		return WI_EXIT_USAGE;
	}
	if (o.mode == WI_MODE_HELP) {
		wi_print_help(stdout);
		return WI_EXIT_OK;
	}
	if (o.mode == WI_MODE_VERSION) {
		puts("writeimg (discmaster) " PACKAGE_VERSION);
		return WI_EXIT_OK;
	}

	/* No SA_RESTART: a blocking read of standard input must see the signal.
	 * SA_RESETHAND: the first signal stops cleanly; a second ends writeimg at once (a
	 * library call that never returns, e.g. a decoder looping on a hostile file). */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	dm_ctx ctx;
	dm_ctx_init(&ctx);
	dm_progress_display_init(&display, stderr);
	ctx.on_message = on_message;
	ctx.on_progress = o.quiet ? NULL : dm_progress_display_fn;
	ctx.user = &display;
	ctx.cancel = &stop_requested;

	if (o.mode == WI_MODE_LIST || o.mode == WI_MODE_WATCH) {
		dm_status st = o.mode == WI_MODE_LIST ? wi_list(stdout, o.json, &ctx)
						      : wi_watch(stdout, o.json, &ctx);
		if (st != DM_OK)
			fprintf(stderr, "writeimg: %s\n", ctx.msg);
		return st == DM_OK ? WI_EXIT_OK : WI_EXIT_ERROR;
	}

	scsi_transport *t;
	if (scsi_register(&emu_transport_kind, &ctx) != DM_OK || scsi_open(o.drive, &t, &ctx) != DM_OK) {
		fprintf(stderr, "writeimg: %s\n", ctx.msg);
		return WI_EXIT_ERROR;
	}
	int rc;
	switch (o.mode) {
	case WI_MODE_INFO: rc = do_info(t, &o, &ctx); break;
	case WI_MODE_MSINFO: rc = do_msinfo(t, &o, &ctx); break;
	case WI_MODE_CHECK: rc = do_check(t, &o, &ctx); break;
	case WI_MODE_READ: rc = do_read(t, &o, &ctx); break;
	case WI_MODE_READ_AUDIO: rc = do_read_audio(t, &o, &ctx); break;
	case WI_MODE_LOAD: rc = do_load(t, &ctx); break;
	default: rc = do_write(t, &o, &ctx); break;
	}
	scsi_close(t);
	wi_options_free(&o);
	if (stop_requested && rc == WI_EXIT_OK)
		rc = WI_EXIT_INTERRUPTED;
	return rc;
}
