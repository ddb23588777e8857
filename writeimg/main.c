/* writeimg: the only file that talks to the user. Everything else is in libwriteimg.a
 * and common/. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "common/dm_media_sizes.h"
#include "common/dm_progress_display.h"
#include "common/drive/emu_recorder.h"
#include "common/drive/media_probe.h"
#include "writeimg/wi_burn.h"
#include "writeimg/wi_inhibit.h"
#include "writeimg/wi_info.h"
#include "writeimg/wi_list.h"
#include "writeimg/wi_msinfo.h"
#include "writeimg/wi_options.h"

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
	wi_info_print(stdout, o->drive, &dr, &disc, o->json);
	return WI_EXIT_OK;
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

static int do_write(scsi_transport *t, const wi_options *o, dm_ctx *ctx)
{
	wi_image img;
	if (wi_image_open(o->image, o->size, &img, ctx) != DM_OK) {
		fprintf(stderr, "writeimg: %s\n", ctx->msg);
		return WI_EXIT_ERROR;
	}
	char why[256] = "";
	int lock = o->no_inhibit ? -1 : wi_inhibit_take("Writing a disc", why, sizeof(why));
	if (!o->no_inhibit && lock < 0)
		fprintf(stderr, "writeimg: %s: sleep and shutdown are not inhibited while writing\n",
			why);
	wi_burn_opts bo = { o->speed_x, o->verify, o->eject, o->multisession, o->chunk_blocks };
	wi_burn_result r;
	dm_status st = wi_burn(t, &img, &bo, &r, ctx);
	wi_inhibit_release(lock);
	wi_image_close(&img);
	dm_progress_display_finish(&display);

	char nb[32], sz[32];
	const char *disc = media_profile_name(r.disc.profile, nb, sizeof(nb));
	if (st != DM_OK) {
		fprintf(stderr, "writeimg: %s\n", ctx->msg);
		if (r.disc_state[0])
			fprintf(stderr, "writeimg: %s\n", r.disc_state);
		else if (r.stage == WI_STAGE_PREFLIGHT)
			fprintf(stderr, "writeimg: nothing was written\n");
		return exit_code(st, r.stage);
	}
	double secs = r.write_seconds > 0 ? r.write_seconds : 1e-9;
	fprintf(stderr, "writeimg: wrote %llu sectors (%s) to the %s at LBA %u in %.1f s (%.1f MB/s); "
		"the disc is %s\n", (unsigned long long)r.blocks_written,
		wi_size_str(r.blocks_written, sz, sizeof(sz)), disc, r.start_lba, r.write_seconds,
		(double)r.blocks_written * DM_SECTOR / secs / 1e6,
		r.disc.model && r.disc.model->recording == MEDIA_SEQUENTIAL
			? (o->multisession ? "appendable" : "complete") : "written");
	if (r.verified > 0)
		fprintf(stderr, "writeimg: verified: SHA-256 %s matches the image\n", r.disc_sha256);
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

	/* No SA_RESTART: a blocking read of standard input must see the signal. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
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
	int rc = o.mode == WI_MODE_INFO     ? do_info(t, &o, &ctx)
		 : o.mode == WI_MODE_MSINFO ? do_msinfo(t, &o, &ctx)
					    : do_write(t, &o, &ctx);
	scsi_close(t);
	if (stop_requested && rc == WI_EXIT_OK)
		rc = WI_EXIT_INTERRUPTED;
	return rc;
}
