/* mkimage: the program. Parses options, gathers the sources into a tree, plans the image,
 * streams it into a temporary file and renames it into place. All talking to the user
 * happens here. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "common/dm_error.h"
#include "common/dm_progress_display.h"
#include "mkimage/iso_emit.h"
#include "mkimage/iso_plan.h"
#include "mkimage/iso_vd.h"
#include "mkimage/options.h"
#include "mkimage/sink.h"
#include "mkimage/source_dir.h"
#include "mkimage/tree.h"

static volatile int cancel_flag;
static dm_progress_display display;
static int display_on;

static void on_signal(int sig)
{
	(void)sig;
	cancel_flag = 1;
}

static void on_message(void *user, dm_level level, const char *text)
{
	(void)user;
	if (display_on)
		dm_progress_display_finish(&display);
	fprintf(stderr, "mkimage: %s%s\n", level == DM_LEVEL_WARNING ? "warning: " : "", text);
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "mkimage: %s\nTry 'mkimage --help' for more information.\n", msg);
	return 2;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): a decimal number of seconds. */
static dm_status read_epoch(int64_t *epoch, dm_ctx *ctx)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	*epoch = -1;
	if (!s || !*s)
		return DM_OK;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", s);
	*epoch = v;
	return DM_OK;
}

/* The part of a SOURCE after "DEST=", or NULL for a plain directory source. */
static const char *graft_src(const char *arg)
{
	const char *eq = strchr(arg, '=');
	return eq ? eq + 1 : NULL;
}

/* Refuse an output inside a source directory: the image would contain itself. */
static dm_status check_output_outside(const mk_options *o, dm_ctx *ctx)
{
	if (!strcmp(o->output, "-"))
		return DM_OK;
	char *dir = strdup(o->output), out_real[PATH_MAX], src_real[PATH_MAX];
	if (!dir)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
	if (!realpath(d, out_real)) {
		dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot use output directory %s", d);
		free(dir);
		return r;
	}
	free(dir);
	size_t olen = strlen(out_real);
	for (size_t i = 0; i < o->nsources; i++) {
		const char *src = graft_src(o->sources[i]);
		if (!src)
			src = o->sources[i];
		struct stat st;
		if (stat(src, &st) < 0 || !S_ISDIR(st.st_mode) || !realpath(src, src_real))
			continue; /* files cannot contain the output; missing sources fail later */
		size_t slen = strlen(src_real);
		if (!strcmp(src_real, "/") ||
		    (olen >= slen && !memcmp(out_real, src_real, slen) &&
		     (out_real[slen] == '/' || out_real[slen] == '\0')))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "the output %s is inside the source %s: the image would contain itself; "
				       "write it elsewhere",
				       o->output, src);
	}
	return DM_OK;
}

static dm_status gather(const mk_options *o, mk_tree *tree, const mk_scan_opts *so, dm_ctx *ctx)
{
	for (size_t i = 0; i < o->nsources; i++) {
		const char *arg = o->sources[i];
		const char *src = graft_src(arg);
		dm_status r;
		if (!src) {
			r = mk_source_add_contents(tree, mk_tree_root(tree), arg, so, ctx);
		} else {
			size_t dlen = (size_t)(src - arg - 1);
			char *dest = strndup(arg, dlen);
			if (!dest)
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			if (!*src)
				r = dm_fail(ctx, DM_ERR_INVALID, "'%s': no source after '='", arg);
			else if (dest[strspn(dest, "/")] == '\0')
				r = mk_source_add_contents(tree, mk_tree_root(tree), src, so, ctx);
			else
				r = mk_source_graft(tree, dest, src, so, ctx);
			free(dest);
		}
		if (r)
			return r;
	}
	return mk_tree_finish(tree, ctx);
}

static void summary(const mk_options *o, const mk_tree *tree, const iso_plan *plan)
{
	mk_tree_stats st;
	mk_tree_stats_get(tree, &st);
	fprintf(stderr,
		"mkimage: %s: %u sectors (%.1f MiB): %llu files (%llu hard links), %llu directories, "
		"%llu symlinks, %llu special files, %llu bytes of file data; tree %zu KiB, "
		"layout %zu KiB\n",
		strcmp(o->output, "-") ? o->output : "(stdout)", plan->total_sectors,
		plan->total_sectors * 2048.0 / 1048576.0, (unsigned long long)st.files,
		(unsigned long long)st.hardlinks, (unsigned long long)st.dirs,
		(unsigned long long)st.symlinks, (unsigned long long)st.specials,
		(unsigned long long)st.bytes, mk_tree_memory(tree) / 1024, iso_plan_memory(plan) / 1024);
}

static dm_status run(const mk_options *o, dm_ctx *ctx)
{
	int64_t epoch;
	dm_status r = read_epoch(&epoch, ctx);
	if (r)
		return r;
	iso_opts io = {
		.level = o->iso_level,
		.joliet = !!(o->fs & MK_FS_JOLIET),
		.rockridge = !!(o->fs & MK_FS_ROCKRIDGE),
		.joliet_max = o->joliet_long ? 103 : 64,
		.volume_time = epoch >= 0 ? epoch : (int64_t)time(NULL),
		.volume_id = o->volume_id,
		.system_id = o->system_id,
		.volset_id = o->volset_id,
		.publisher = o->publisher,
		.preparer = o->preparer,
		.application = o->application,
	};
	if ((r = iso_vd_check(&io, ctx)) || (r = check_output_outside(o, ctx)))
		return r;
	if (!strcmp(o->output, "-") && isatty(STDOUT_FILENO))
		return dm_fail(ctx, DM_ERR_INVALID, "refusing to write an image to a terminal (-o -)");

	mk_tree *tree = mk_tree_new();
	if (!tree)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	mk_scan_opts so = {
		.follow_links = o->follow_links,
		.clamp_time = epoch,
		.default_time = io.volume_time,
	};
	iso_plan *plan = NULL;
	mk_sink *sink = NULL;
	if ((r = gather(o, tree, &so, ctx)) || (r = iso_plan_build(&plan, tree, &io, ctx)))
		goto out;
	if (!io.rockridge) {
		mk_tree_stats st;
		mk_tree_stats_get(tree, &st);
		if (st.symlinks + st.specials)
			dm_warn(ctx, "%llu symlinks and special files left out: they need Rock Ridge (--fs rockridge)",
				(unsigned long long)(st.symlinks + st.specials));
	}
	if (!strcmp(o->output, "-"))
		r = mk_sink_open_fd(&sink, STDOUT_FILENO, "standard output", ctx);
	else
		r = mk_sink_open_file(&sink, o->output, ctx);
	if (r)
		goto out;
	r = iso_emit(plan, sink, ctx);
	if (r) {
		mk_sink_abort(sink);
		goto out;
	}
	r = mk_sink_commit(sink, ctx);
	if (!r && o->verbose)
		summary(o, tree, plan);
out:
	iso_plan_free(plan);
	mk_tree_free(tree);
	return r;
}

int main(int argc, char **argv)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	ctx.on_message = on_message;
	ctx.cancel = &cancel_flag;

	mk_options o;
	if (mk_options_parse(&o, argc, argv, &ctx))
		return usage_error(ctx.msg);
	if (o.help) {
		fputs(mk_options_help, stdout);
		return 0;
	}
	if (o.version) {
		printf("mkimage (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o.progress) {
		dm_progress_display_init(&display, stderr);
		ctx.on_progress = dm_progress_display_fn;
		ctx.user = &display;
		display_on = 1;
	}
	dm_status r = run(&o, &ctx);
	if (display_on)
		dm_progress_display_finish(&display);
	if (r) {
		fprintf(stderr, "mkimage: %s\n", ctx.msg);
		return 1;
	}
	return 0;
}
