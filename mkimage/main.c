/* mkimage: the program. Parses options, gathers the sources (and a previous session) into
 * a tree, plans the image, streams it into a temporary file and renames it into place. All
 * talking to the user happens here. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "common/dm_endian.h"
#include "common/dm_error.h"
#include "common/dm_media_sizes.h"
#include "common/dm_sha256.h"
#include "common/dm_progress_display.h"
#include "common/drive/emu_recorder.h"
#include "common/drive/scsi_transport.h"
#include "mkimage/boot/boot.h"
#include "mkimage/image_emit.h"
#include "mkimage/image_plan.h"
#include "mkimage/checksum.h"
#include "mkimage/source/data_source.h"
#include "mkimage/dry_run.h"
#include "mkimage/iso/iso_vd.h"
#include "mkimage/source/import.h"
#include "mkimage/source/manifest.h"
#include "mkimage/source/prev_source.h"
#include "mkimage/media.h"
#include "mkimage/mkisofs.h"
#include "mkimage/options.h"
#include "mkimage/settings_resolve.h"
#include "mkimage/sink.h"
#include "mkimage/source/source_dir.h"
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

/* The part of a SOURCE after "DEST=", or NULL for a plain directory source. The mkisofs
 * front end's sources are "DEST\0SRC" (its DEST may hold '='). */
static const char *graft_src(const mk_settings *o, const char *arg)
{
	if (o->sources_nul)
		return arg + strlen(arg) + 1;
	const char *eq = strchr(arg, '=');
	return eq ? eq + 1 : NULL;
}

/* Refuse an output inside a source directory (the image would contain itself) or onto a
 * source file (the image would replace what it is made from): the command line's sources
 * and every source the manifest m reads. */
static dm_status check_output_outside(const mk_settings *o, const mk_manifest *m, dm_ctx *ctx)
{
	if (!strcmp(o->output, "-"))
		return DM_OK;
	mk_out_place place;
	dm_status r = mk_out_place_get(&place, o->output, ctx);
	if (r)
		return r;
	for (size_t i = 0; i < o->nsources && !r; i++) {
		const char *src = graft_src(o, o->sources[i]);
		if (!src)
			src = o->sources[i];
		/* missing sources fail later */
		if (mk_out_inside(&place, src))
			r = dm_fail(ctx, DM_ERR_INVALID,
				    "the output %s is inside the source %s: the image would contain itself; "
				    "write it elsewhere",
				    o->output, src);
		else if (mk_out_is(&place, src))
			r = dm_fail(ctx, DM_ERR_INVALID,
				    "the output %s is the source %s: the image would replace what it is made from; "
				    "write it elsewhere",
				    o->output, src);
	}
	/* The disc so far, replaced by its next session alone, would be lost. */
	if (!r && o->previous && mk_out_is(&place, o->previous))
		r = dm_fail(ctx, DM_ERR_INVALID,
			    "the output %s is the previous session's disc %s: the image holds only the new "
			    "session and would replace the disc; write it elsewhere", o->output, o->previous);
	if (!r && m)
		r = mk_manifest_check_output(m, o->output, &place, ctx);
	mk_out_place_free(&place);
	return r;
}

static dm_status gather(const mk_settings *o, mk_tree *tree, const mk_scan_opts *so, dm_ctx *ctx)
{
	for (size_t i = 0; i < o->nsources; i++) {
		const char *arg = o->sources[i];
		const char *src = graft_src(o, arg);
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
	return DM_OK;
}

static void summary(const mk_settings *o, const mk_tree *tree, const image_plan *plan)
{
	mk_tree_stats st;
	mk_tree_stats_get(tree, &st);
	fprintf(stderr,
		"mkimage: %s: %u sectors (%.1f MiB): %llu files (%llu hard links), %llu directories, "
		"%llu symlinks, %llu special files, %llu bytes of file data; tree %zu KiB, "
		"layout %zu KiB\n",
		strcmp(o->output, "-") ? o->output : "(stdout)", plan->total_sectors,
		plan->total_sectors * (double)DM_SECTOR / 1048576.0, (unsigned long long)st.files,
		(unsigned long long)st.hardlinks, (unsigned long long)st.dirs,
		(unsigned long long)st.symlinks, (unsigned long long)st.specials,
		(unsigned long long)st.bytes, mk_tree_memory(tree) / 1024, image_plan_memory(plan) / 1024);
}

/* A hybrid image's partition tables, once the plan has put the boot images. Its GUIDs and
 * disk signature come from what the image is made of, so that rebuilding is byte-exact. */
static dm_status make_hybrid(mk_boot *b, const image_plan *plan, const iso_opts *io, dm_ctx *ctx)
{
	uint8_t seed[DM_SHA256_LEN], num[8];
	dm_sha256 h;
	dm_sha256_init(&h);
	dm_sha256_update(&h, "discmaster hybrid", 17);
	dm_put_le64(num, (uint64_t)io->volume_time);
	dm_sha256_update(&h, num, 8);
	dm_put_le64(num, plan->total_sectors);
	dm_sha256_update(&h, num, 8);
	dm_sha256_update(&h, io->volume_id, strlen(io->volume_id));
	dm_sha256_final(&h, seed);
	return mk_boot_hybrid(b, plan->total_sectors, seed, ctx);
}

/* After the image has streamed into the sink: implant the MD5, then report the SHA-256. */
static dm_status finish_checksums(const mk_settings *o, mk_checksum *ck, mk_sink *sink, char sha_hex[65],
				  dm_ctx *ctx)
{
	dm_status r = DM_OK;
	if (o->implant_md5) {
		uint8_t area[MK_MD5_APPDATA_LEN];
		char md5[33];
		if ((r = mk_checksum_appdata(ck, area, md5, ctx)) ||
		    (r = mk_sink_patch(sink, MK_MD5_APPDATA_OFFSET, area, sizeof(area), ctx)))
			return r;
		if (o->verbose)
			fprintf(stderr, "mkimage: implanted MD5 %s\n", md5);
		/* The streamed SHA-256 saw the area blank: hash the finished image again. */
		if (o->sha256) {
			mk_checksum *again = mk_checksum_new(0, 1, 0);
			if (!again)
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			r = mk_sink_reread(sink, mk_checksum_reread, again, ctx);
			mk_checksum_sha256_hex(again, sha_hex);
			mk_checksum_free(again);
			return r;
		}
	}
	if (o->sha256)
		mk_checksum_sha256_hex(ck, sha_hex);
	return r;
}

/* --print-manifest: the settings as the manifest will have them, boot images named by their
 * paths in the image and the MBR code by its absolute path. */
static dm_status print_manifest(const mk_settings *o, mk_resolved *rs, mk_tree *tree, dm_ctx *ctx)
{
	mk_settings ms = *o;
	ms.epoch = rs->epoch;
	char mbr_real[PATH_MAX];
	if (o->hybrid_mbr) {
		if (!realpath(o->hybrid_mbr, mbr_real))
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "--hybrid-mbr: cannot resolve %s", o->hybrid_mbr);
		ms.hybrid_mbr = mbr_real;
	}
	char grub2_real[PATH_MAX];
	if (o->hybrid_grub2_mbr) {
		if (!realpath(o->hybrid_grub2_mbr, grub2_real))
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "--hybrid-grub2-mbr: cannot resolve %s",
					     o->hybrid_grub2_mbr);
		ms.hybrid_grub2_mbr = grub2_real;
	}
	static char append_real[HYB_APPEND_MAX][PATH_MAX];
	for (unsigned i = 0; i < o->nappend; i++) {
		if (!realpath(o->append[i].path, append_real[i]))
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "%s: cannot resolve %s",
					     o->as_mkisofs ? "-append_partition" : "--append-partition", o->append[i].path);
		ms.append[i].path = append_real[i];
	}
	static char boot_paths[MK_BOOT_MAX][4096];
	const mk_boot *b = &rs->boot;
	ms.nboot = 0;
	for (unsigned i = 0; i < b->n; i++) {
		if (!mk_node_image_path(b->img[i].node, boot_paths[i], sizeof(boot_paths[i])))
			return dm_fail(ctx, DM_ERR_INVALID, "boot image %s: path too long", b->img[i].path);
		mk_boot_spec *e = &ms.boot[ms.nboot++];
		memset(e, 0, sizeof(*e));
		e->path = boot_paths[i];
		e->platform = b->img[i].platform;
		e->emul = b->img[i].emul;
		e->load_size = b->img[i].load_size;
		e->load_seg = b->img[i].load_seg;
		e->info_table = (uint8_t)b->img[i].info_table;
		e->grub2_info = (uint8_t)b->img[i].grub2_info;
	}
	/* The entries were resolved in catalog order; their emulation as asked. */
	for (unsigned i = 0; i < ms.nboot; i++)
		for (unsigned j = 0; j < o->nboot; j++)
			if (o->boot[j].path == b->img[i].path && o->boot[j].platform == b->img[i].platform)
				ms.boot[i].emul = o->boot[j].emul;
	return mk_manifest_print(stdout, tree, (void (*)(FILE *, const void *))mk_settings_print, &ms, ctx);
}

static void fs_names(unsigned fs, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s", fs & MK_FS_ISO9660 ? "iso9660" : "",
		 fs & MK_FS_JOLIET ? ",joliet" : "", fs & MK_FS_ROCKRIDGE ? ",rockridge" : "",
		 fs & MK_FS_UDF ? (fs & MK_FS_ISO9660 ? ",udf" : "udf") : "");
}

/* --previous: import the last session into tree and decide where the new one starts
 * (rs->im.iso_o.base). The file systems default to the previous session's; asking for
 * others is refused, as IMAPI2 refuses a file system change. (UDF, booting and the other
 * rules that need no reading are mk_settings_check()'s.) */
static dm_status import_previous(const mk_settings *o, mk_resolved *rs, mk_tree *tree, dm_ctx *ctx)
{
	mk_prev *prev;
	mk_prev_reader rd;
	/* The emulated recorder is a drive --previous can name, as writeimg's -d. */
	dm_status r = scsi_register(&emu_transport_kind, ctx);
	if (!r)
		r = mk_prev_open(o->previous, &prev, &rd, ctx);
	if (r)
		return r;
	const char *opt_start = o->as_mkisofs ? "-C" : "--session-start";
	uint32_t start = 0, next = 0, base;
	int drive = mk_prev_msinfo(prev, &start, &next);
	if (o->last_session >= 0)
		start = (uint32_t)o->last_session;
	/* A pure UDF disc has the ECMA-167 recognition sequence where ISO 9660 has its
	 * descriptors (its first session's, for a file). */
	int pure = mk_import_udf_pure(&rd, drive || o->last_session >= 0 ? start : 0, ctx);
	if (!drive && o->last_session < 0 &&
	    (r = pure ? mk_import_udf_find_session(&rd, &start, ctx)
		      : mk_import_find_session(&rd, &start, ctx)))
		goto out;
	mk_import_info info;
	if ((r = pure ? mk_import_udf(tree, &rd, start, &info, ctx)
		      : mk_import_iso(tree, &rd, start, &info, ctx)))
		goto out;
	/* A bridge: the tree is ISO 9660's; its UDF volume says what the next one keeps, and
	 * its UDF tree which old file entries the next one may point at again. */
	if (info.udf == 1 && (r = mk_import_udf_volume(&rd, start, &info, ctx)))
		goto out;
	if (info.udf == 1 && !udf_rev_metadata(info.udf_rev)) {
		char why[512];
		dm_defer(ctx);
		if (dm_tolerate(ctx, mk_import_udf_match(tree, &rd, start, &info, ctx), why, sizeof(why)))
			dm_warn(ctx, "the previous session's UDF tree could not be read (%s): every UDF file "
				"entry is written again", why);
	}
	for (size_t i = 0; i < o->removes.n && !r; i++)
		r = mk_import_remove(tree, o->removes.v[i], ctx);
	if (r)
		goto out;
	rs->disc_sectors = mk_prev_capacity(prev);
	if (o->session_start >= 0 && drive && o->session_start != next)
		dm_warn(ctx, "%s %u is not the disc's next writable address %u, where a recorder writes "
			"the next session: the session would not be readable there", opt_start,
			(uint32_t)o->session_start, next);
	/* A file: the end of its last session, rounded to a DVD/BD ECC block (16 sectors) as
	 * growisofs does; a CD's gaps are the drive's to know (writeimg --msinfo). */
	if (o->session_start >= 0)
		base = (uint32_t)o->session_start;
	else
		base = drive ? next : (uint32_t)(((uint64_t)info.volume_end + 15) / 16 * 16);
	if (base < info.volume_end) {
		r = dm_fail(ctx, DM_ERR_INVALID, "%s %u lies inside the previous session, which ends at "
			    "LBA %u", opt_start, base, info.volume_end);
		goto out;
	}
	rs->im.iso_o.base = base;
	unsigned prev_fs = info.udf == 2 ? MK_FS_UDF
					 : MK_FS_ISO9660 | (info.joliet ? MK_FS_JOLIET : 0) |
						   (info.rockridge ? MK_FS_ROCKRIDGE : 0) |
						   (info.udf ? MK_FS_UDF : 0);
	if (!mk_settings_given(o, "fs")) {
		rs->im.iso = info.udf != 2;
		rs->im.udf = info.udf != 0;
		rs->im.iso_o.joliet = info.joliet;
		rs->im.iso_o.rockridge = info.rockridge;
	} else if (o->fs != prev_fs) {
		char want[64], have[64];
		fs_names(o->fs, want, sizeof(want));
		fs_names(prev_fs, have, sizeof(have));
		r = dm_fail(ctx, DM_ERR_INVALID, o->as_mkisofs
			    ? "the file systems -R, -r, -J and -udf ask for (%s) differ from the previous "
			      "session's (%s): a session cannot change them; give the options the previous "
			      "session was made with, or none of them"
			    : "--fs %s differs from the previous session's file systems (%s): a session "
			      "cannot change them; leave out --fs to keep the previous session's%s",
			    want, have,
			    (o->fs ^ prev_fs) & (MK_FS_UDF | MK_FS_ISO9660)
				    ? " (UDF is in every session of a disc or in none; a bridge stays a "
				      "bridge, pure UDF stays pure UDF)"
				    : "");
		goto out;
	}
	if (info.udf) {
		/* The next UDF volume: the same revision, the previous partition grown (its
		 * files' addresses stay valid), unique IDs above those given (UDF 3.2.1). */
		if (o->udf_rev && o->udf_rev != info.udf_rev) {
			r = dm_fail(ctx, DM_ERR_INVALID, "--udf-rev %s differs from the previous session's "
				    "UDF revision %s: a session cannot change it; leave out --udf-rev",
				    udf_rev_name(o->udf_rev), udf_rev_name(info.udf_rev));
			goto out;
		}
		rs->im.udf_o.rev = info.udf_rev;
		rs->im.udf_part_start = info.udf_part_start;
		rs->im.udf_o.first_unique_id = info.udf_next_uid;
		rs->im.udf_o.old_fes = info.udf_old_fes;
		rs->im.udf_o.n_old_fes = info.udf_n_old_fes;
		/* The previous session's symlinks and special files stay in a pure UDF volume. */
		rs->im.udf_o.special = rs->im.udf_o.special || info.udf_special || rs->im.iso;
		/* Every old file must lie in the partition the new volume describes. */
		for (mk_node *n = mk_tree_root(tree); n; n = mk_tree_next(n))
			if (n->type == MK_FILE && n->data && n->data->size &&
			    mk_data_is_old(tree, n->data) && n->data->lba < info.udf_part_start) {
				char path[1024];
				mk_node_image_path(n, path, sizeof(path));
				r = dm_fail(ctx, DM_ERR_UNSUPPORTED, "the previous session in %s: %s lies at "
					    "LBA %u, before its UDF partition (LBA %u): the next UDF volume "
					    "could not point at it", o->previous, path, n->data->lba,
					    info.udf_part_start);
				goto out;
			}
	}
	if (!mk_settings_given(o, "volume-id") && info.volume_id[0]) {
		memcpy(rs->prev_volume_id, info.volume_id, sizeof(rs->prev_volume_id));
		rs->im.iso_o.volume_id = rs->im.udf_o.volume_id = rs->prev_volume_id;
	}
	if (info.boot)
		dm_warn(ctx, "the previous session's El Torito boot record is not carried into the new "
			"session");
	if (o->verbose)
		fprintf(stderr, "mkimage: previous session at LBA %u of %s (%s%s%s%s): %llu files, %llu "
			"directories, %llu hard links, %llu bytes; the new session starts at LBA %u\n",
			start, o->previous,
			info.udf == 2 ? "UDF" : info.rockridge ? "Rock Ridge" : "no Rock Ridge",
			info.joliet ? ", Joliet" : "", info.udf == 1 ? ", UDF " : info.udf ? " " : "",
			info.udf ? udf_rev_name(info.udf_rev) : "", (unsigned long long)info.files,
			(unsigned long long)info.dirs, (unsigned long long)info.links,
			(unsigned long long)info.bytes, base);
out:
	mk_prev_close(prev);
	return r;
}

/* gather: the previous session (--previous), then the sources (or the manifest's items)
 * and the boot images into the tree. */
static dm_status gather_all(const mk_settings *o, const mk_manifest *m, mk_resolved *rs, mk_tree *tree,
			    dm_ctx *ctx)
{
	mk_scan_opts so = rs->so;
	/* An existing output reached another way (a bind mount, a followed link) is never
	 * read into the image it is replaced by. */
	struct stat out_st;
	if (o->output && strcmp(o->output, "-") && stat(o->output, &out_st) == 0) {
		so.have_exclude = 1;
		so.exclude_dev = (uint64_t)out_st.st_dev;
		so.exclude_ino = (uint64_t)out_st.st_ino;
		so.exclude_path = o->output;
	}
	dm_status r = DM_OK;
	/* The old tree first: --remove takes out only what the previous session had. */
	if (o->previous && (r = import_previous(o, rs, tree, ctx)))
		return r;
	/* --session-start alone: a fresh tree addressed from there (a CD-Extra's data session
	 * after its audio one: nothing to import). */
	if (!o->previous && o->session_start >= 0)
		rs->im.iso_o.base = (uint32_t)o->session_start;
	if (m) {
		mk_mbuild_opts bo = {.clamp_time = rs->epoch, .default_time = rs->im.iso_o.volume_time,
				     .have_exclude = so.have_exclude, .exclude_dev = so.exclude_dev,
				     .exclude_ino = so.exclude_ino, .exclude_path = so.exclude_path};
		r = mk_manifest_build(m, tree, &bo, ctx);
	} else {
		r = gather(o, tree, &so, ctx);
	}
	if (!r)
		r = mk_settings_apply_tree(o, tree, ctx);
	/* --print-manifest: the boot images join the tree (and <boot> names them there); the
	 * catalog is made when the manifest is. */
	if (!r && rs->booting)
		r = mk_boot_add(&rs->boot, tree, rs->im.iso_o.volume_time, !o->print_manifest, ctx);
	if (!r)
		r = mk_tree_finish(tree, ctx);
	if (!r && rs->booting)
		r = mk_boot_check(&rs->boot, tree, ctx);
	return r;
}

/* emit and commit: the image into a temporary file (or standard output), the checksums,
 * then the rename into place. base: the disc LBA of the image's first sector (a later
 * session's start; 0 otherwise). */
static dm_status emit_commit(const mk_settings *o, const mk_tree *tree, const image_plan *plan, uint32_t base,
			     dm_ctx *ctx)
{
	mk_sink *sink = NULL;
	mk_checksum *ck = NULL;
	dm_status r;
	int to_stdout = !strcmp(o->output, "-");
	if (to_stdout && mk_tree_has_dsrc(tree)) {
		/* What goes to a pipe cannot be taken back: check the manifest's sums first. */
		mk_reader *rd = mk_reader_new((mk_tree *)tree);
		r = rd ? mk_reader_check_all(rd, plan->data, plan->ndata, ctx)
		       : dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		mk_reader_free(rd);
		if (r)
			return r;
	}
	if (to_stdout)
		r = mk_sink_open_fd(&sink, STDOUT_FILENO, "standard output", ctx);
	else
		r = mk_sink_open_file(&sink, o->output, ctx);
	if (r)
		return r;
	/* A later session: image byte 0 is disc LBA base (the emitters check disc offsets). */
	mk_sink_set_origin(sink, (uint64_t)base * 2048);
	if (o->implant_md5 || o->sha256) {
		/* checkisomd5 sums the volume space the descriptor records: not a hybrid's tail. */
		if (!(ck = mk_checksum_new(o->implant_md5, o->sha256,
					   plan->total_sectors - plan->tail_sectors - base))) {
			mk_sink_abort(sink);
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		}
		mk_checksum_attach(ck, sink);
	}
	char sha_hex[65] = "";
	r = image_emit(plan, sink, ctx);
	if (!r && ck)
		r = finish_checksums(o, ck, sink, sha_hex, ctx);
	mk_checksum_free(ck);
	if (r) {
		/* A signal stops the emitters with a bare "interrupted": say what it left. */
		if (r == DM_ERR_INTERRUPTED)
			dm_fail_prefix(ctx, to_stdout ? "the image on standard output is incomplete: "
						       : "%s not written: ", o->output);
		mk_sink_abort(sink);
		return r;
	}
	r = mk_sink_commit(sink, ctx);
	if (!r && o->sha256) {
		if (to_stdout) {
			fprintf(stderr, "mkimage: SHA-256 of the image: %s\n", sha_hex);
		} else {
			size_t len = strlen(o->output);
			char *path = malloc(len + 8);
			const char *name = strrchr(o->output, '/');
			if (!path) {
				r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			} else {
				snprintf(path, len + 8, "%s.sha256", o->output);
				r = mk_checksum_write_sha256_file(path, sha_hex, name ? name + 1 : o->output, ctx);
				free(path);
			}
		}
	}
	return r;
}

/* gather, plan, check, emit, commit. */
static dm_status run(const mk_settings *o, mk_resolved *rs, const mk_manifest *m, dm_ctx *ctx)
{
	dm_status r;
	if (o->output && (r = check_output_outside(o, m, ctx)))
		return r;
	if (o->output && !strcmp(o->output, "-") && isatty(STDOUT_FILENO) && !o->dry_run && !o->print_size)
		return dm_fail(ctx, DM_ERR_INVALID, "refusing to write an image to a terminal (-o -)");
	mk_tree *tree = mk_tree_new();
	if (!tree)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	image_plan *plan = NULL;
	mk_boot *boot = &rs->boot;
	if ((r = gather_all(o, m, rs, tree, ctx)))
		goto out;
	/* Appended partitions were sized by mk_boot_check(): the tail is known now. */
	if (rs->im.iso_o.boot)
		rs->im.tail_sectors = rs->im.udf ? 0 : mk_boot_tail_sectors(boot);
	if (o->print_manifest) {
		r = print_manifest(o, rs, tree, ctx);
		goto out;
	}
	if ((r = image_plan_build(&plan, tree, &rs->im, ctx)) ||
	    (rs->im.iso_o.boot && (r = mk_boot_check_plan(boot, ctx))) ||
	    (boot->hybrid && (r = make_hybrid(boot, plan, &rs->im.iso_o, ctx))))
		goto out;
	/* Capacity first: nothing is written for an image that cannot fit. */
	uint32_t base = rs->im.iso_o.base;
	if (rs->disc_sectors && plan->total_sectors > rs->disc_sectors) {
		r = dm_fail(ctx, DM_ERR_NOSPACE, "the new session would end at LBA %u, %u sectors past "
			    "the end of the disc in %s (%u sectors): it does not fit", plan->total_sectors,
			    plan->total_sectors - rs->disc_sectors, o->previous, rs->disc_sectors);
		goto out;
	}
	if (rs->has_media && (r = mk_media_check(&rs->media, plan->total_sectors, ctx)))
		goto out;
	if (o->print_size) {
		/* mkisofs -print-size: the size in 2048-byte sectors on standard output (of the
		 * session alone after -C, as genisoimage prints it). */
		printf("%u\n", plan->total_sectors - base);
		goto out;
	}
	if (o->dry_run) {
		mk_print_layout(tree, plan, rs->has_media ? &rs->media : NULL, rs->booting ? boot : NULL);
		goto out;
	}
	if (rs->im.iso && !rs->im.iso_o.rockridge) {
		mk_tree_stats st;
		mk_tree_stats_get(tree, &st);
		if (st.symlinks + st.specials)
			dm_warn(ctx, "%llu symlinks and special files left out%s: they need Rock Ridge (--fs rockridge)",
				(unsigned long long)(st.symlinks + st.specials),
				rs->im.udf ? " of the ISO 9660 hierarchy" : "");
	}
	if (rs->im.udf && !rs->im.iso && !rs->im.udf_o.special) {
		mk_tree_stats st;
		mk_tree_stats_get(tree, &st);
		if (st.symlinks + st.specials)
			dm_warn(ctx, "%llu symlinks and special files left out of the UDF image, which "
				"7-Zip could not open with them: --udf-special keeps them for Linux",
				(unsigned long long)(st.symlinks + st.specials));
	}
	r = emit_commit(o, tree, plan, base, ctx);
	if (!r && o->verbose)
		summary(o, tree, plan);
out:
	mk_boot_release(boot);
	image_plan_free(plan);
	mk_tree_free(tree);
	return r;
}

/* The settings of the run: the command line (mkimage's, or mkisofs's), then a manifest's
 * settings under it. Returns the exit status when the program ends here, else -1. */
static int settings_of(mk_settings *o, mk_manifest **m, int argc, char **argv, dm_ctx *ctx)
{
	int as_mkisofs = mk_mkisofs_invoked(argc, argv);
	if (as_mkisofs) {
		int skip = as_mkisofs == 2 ? 2 : 0; /* "-as mkisofs" */
		argv[skip] = argv[0];
		int rc = mk_mkisofs_parse(o, argc - skip, argv + skip, ctx);
		if (rc == MK_MKISOFS_EXIT) {
			if (o->help)
				fputs(mk_mkisofs_help, stderr);
			else
				printf("mkimage (%s) %s (mkisofs mode)\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		}
		if (rc) {
			fprintf(stderr, "mkimage: %s\nTry 'mkimage -as mkisofs -help' for the options "
					"of this mode.\n", ctx->msg);
			return 2;
		}
		return -1;
	}
	if (mk_options_parse(o, argc, argv, ctx))
		return usage_error(ctx->msg);
	if (o->help) {
		fputs(mk_options_help, stdout);
		return 0;
	}
	if (o->version) {
		printf("mkimage (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (!o->manifest)
		return -1;
	/* A manifest is loaded and validated before anything else is done. */
	mk_diags diags = {0};
	dm_status lr = mk_manifest_load(m, o->manifest, mk_manifest_schema_path(), &diags, ctx);
	if (lr && diags.n > 1) {
		for (size_t i = 0; i < diags.n; i++)
			fprintf(stderr, "%s\n", diags.lines[i]);
	}
	mk_diags_free(&diags);
	mk_settings ms;
	memset(&ms, 0, sizeof(ms));
	if (!lr && (lr = mk_settings_from_manifest(&ms, *m, ctx)) == DM_OK &&
	    (lr = mk_settings_merge(o, &ms)))
		dm_fail(ctx, lr, "out of memory");
	if (lr) {
		mk_settings_free(&ms);
		fprintf(stderr, "mkimage: %s\n", ctx->msg);
		return 1;
	}
	if (mk_settings_check(o, ctx)) {
		fprintf(stderr, "mkimage: %s\n", ctx->msg);
		return 1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	ctx.on_message = on_message;
	ctx.cancel = &cancel_flag;

	mk_settings o;
	mk_manifest *m = NULL;
	int rc = settings_of(&o, &m, argc, argv, &ctx);
	if (rc >= 0) {
		mk_manifest_free(m);
		mk_settings_free(&o);
		return rc;
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
	int64_t epoch;
	mk_resolved rs;
	dm_status r = read_epoch(&epoch, &ctx);
	if (!r)
		r = mk_settings_resolve(&o, epoch, (int64_t)time(NULL), &rs, &ctx);
	if (!r)
		r = run(&o, &rs, m, &ctx);
	mk_manifest_free(m);
	mk_settings_free(&o);
	if (display_on)
		dm_progress_display_finish(&display);
	if (r) {
		fprintf(stderr, "mkimage: %s\n", ctx.msg);
		return 1;
	}
	return 0;
}
