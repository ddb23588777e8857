/* mkimage: the program. Parses options, gathers the sources into a tree, plans the image,
 * streams it into a temporary file and renames it into place. All talking to the user
 * happens here. */
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
#include "mkimage/options.h"
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

/* The part of a SOURCE after "DEST=", or NULL for a plain directory source. */
static const char *graft_src(const char *arg)
{
	const char *eq = strchr(arg, '=');
	return eq ? eq + 1 : NULL;
}

/* Refuse an output inside a source directory (the image would contain itself) or onto a
 * source file (the image would replace what it is made from): the command line's sources
 * and every source the manifest m reads. */
static dm_status check_output_outside(const mk_options *o, const mk_manifest *m, dm_ctx *ctx)
{
	if (!strcmp(o->output, "-"))
		return DM_OK;
	mk_out_place place;
	dm_status r = mk_out_place_get(&place, o->output, ctx);
	if (r)
		return r;
	for (size_t i = 0; i < o->nsources && !r; i++) {
		const char *src = graft_src(o->sources[i]);
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
	if (!r && m)
		r = mk_manifest_check_output(m, o->output, &place, ctx);
	mk_out_place_free(&place);
	return r;
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
	return DM_OK;
}

static void summary(const mk_options *o, const mk_tree *tree, const image_plan *plan)
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

/* The manifest's settings fill what the command line did not give. */
static int apply_manifest(mk_options *o, const mk_msettings *s)
{
	if (!(o->given & MK_GIVEN_FS) && s->fs)
		o->fs = s->fs;
	if (!(o->given & MK_GIVEN_ISO_LEVEL) && s->iso_level > 0)
		o->iso_level = s->iso_level;
	if (!(o->given & MK_GIVEN_JOLIET_LONG) && s->joliet_long >= 0)
		o->joliet_long = s->joliet_long;
	if (!(o->given & MK_GIVEN_UDF_REV) && s->udf_rev)
		o->udf_rev = s->udf_rev;
	if (!(o->given & MK_GIVEN_MEDIA) && s->media)
		o->media = s->media;
	static const struct {
		unsigned bit;
		size_t opt, set;
	} strs[] = {
		{MK_GIVEN_VOLUME_ID, offsetof(mk_options, volume_id), offsetof(mk_msettings, volume_id)},
		{MK_GIVEN_SYSTEM_ID, offsetof(mk_options, system_id), offsetof(mk_msettings, system_id)},
		{MK_GIVEN_VOLSET_ID, offsetof(mk_options, volset_id), offsetof(mk_msettings, volset_id)},
		{MK_GIVEN_PUBLISHER, offsetof(mk_options, publisher), offsetof(mk_msettings, publisher)},
		{MK_GIVEN_PREPARER, offsetof(mk_options, preparer), offsetof(mk_msettings, preparer)},
		{MK_GIVEN_APPLICATION, offsetof(mk_options, application), offsetof(mk_msettings, application)},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *v = *(const char *const *)((const char *)s + strs[i].set);
		if (!(o->given & strs[i].bit) && v)
			*(const char **)((char *)o + strs[i].opt) = v;
	}
	/* <previous>: the command line's --previous and --session-start win; the removals of
	 * both apply. */
	if (!o->previous && s->previous)
		o->previous = s->previous;
	if (!o->have_session_start && s->session_start >= 0) {
		o->session_start = (uint32_t)s->session_start;
		o->have_session_start = 1;
		if (s->prev_start >= 0) {
			o->prev_start = (uint32_t)s->prev_start;
			o->have_prev_start = 1;
		}
	}
	if (s->nremoves) {
		char **r = realloc(o->removes, (o->nremoves + s->nremoves) * sizeof(*r));
		if (!r)
			return -1;
		memcpy(r + o->nremoves, s->removes, s->nremoves * sizeof(*r));
		o->removes = r;
		o->nremoves += s->nremoves;
	}
	/* <boot> as a whole, unless the command line gives boot options of its own. */
	int cli_boot = o->boot_bios || o->boot_efi || o->boot_ppc || o->boot_mac || o->boot_catalog;
	if (!cli_boot && (s->boot_bios || s->boot_efi || s->boot_ppc || s->boot_mac)) {
		o->boot_bios = s->boot_bios;
		o->boot_efi = s->boot_efi;
		o->boot_ppc = s->boot_ppc;
		o->boot_mac = s->boot_mac;
		/* <hybrid> too, unless the command line asks for a table of its own. */
		if (!o->hybrid) {
			o->hybrid = s->boot_hybrid;
			o->hybrid_mbr = s->boot_hybrid_mbr;
		}
		o->boot_catalog = s->boot_catalog;
		o->boot_emul = s->boot_emul;
		o->boot_load_size = s->boot_load_size;
		o->boot_load_seg = s->boot_load_seg;
		o->boot_info_table = s->boot_info_table;
		o->boot_from_manifest = 1;
	}
	return 0;
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
static dm_status finish_checksums(const mk_options *o, mk_checksum *ck, mk_sink *sink, char sha_hex[65],
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

static void fs_names(unsigned fs, char *buf, size_t cap)
{
	snprintf(buf, cap, "iso9660%s%s%s", fs & MK_FS_JOLIET ? ",joliet" : "",
		 fs & MK_FS_ROCKRIDGE ? ",rockridge" : "", fs & MK_FS_UDF ? ",udf" : "");
}

/* --previous: import the last session into tree and decide where the new one starts
 * (*base). The file systems default to the previous session's; asking for others is
 * refused, as IMAPI2 refuses a file system change. */
static dm_status import_previous(mk_options *o, mk_tree *tree, uint32_t *base, uint32_t *capacity,
				 dm_ctx *ctx)
{
	if (o->fs & MK_FS_UDF)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED,
			       "--previous: a session with UDF cannot be added (UDF import is not "
			       "supported); use --fs iso9660,joliet,rockridge");
	if (o->boot_bios || o->boot_efi || o->boot_ppc || o->boot_mac || o->hybrid)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "--previous: a later session cannot be made "
			       "bootable (El Torito and hybrid tables belong to the first session)");
	mk_prev *prev;
	mk_prev_reader rd;
	/* The emulated recorder is a drive --previous can name, as writeimg's -d. */
	dm_status r = scsi_register(&emu_transport_kind, ctx);
	if (!r)
		r = mk_prev_open(o->previous, &prev, &rd, ctx);
	if (r)
		return r;
	uint32_t start = 0, next = 0;
	int drive = mk_prev_msinfo(prev, &start, &next);
	if (o->have_prev_start)
		start = o->prev_start;
	else if (!drive && (r = mk_import_find_session(&rd, &start, ctx)))
		goto out;
	mk_import_info info;
	if ((r = mk_import_iso(tree, &rd, start, &info, ctx)))
		goto out;
	for (size_t i = 0; i < o->nremoves && !r; i++)
		r = mk_import_remove(tree, o->removes[i], ctx);
	if (r)
		goto out;
	/* A file: the end of its last session, rounded to a DVD/BD ECC block (16 sectors) as
	 * growisofs does; a CD's gaps are the drive's to know (writeimg --msinfo). */
	*capacity = mk_prev_capacity(prev);
	if (o->have_session_start && drive && o->session_start != next)
		dm_warn(ctx, "--session-start %u is not the disc's next writable address %u, where "
			"a recorder writes the next session: the session would not be readable there",
			o->session_start, next);
	if (o->have_session_start)
		*base = o->session_start;
	else
		*base = drive ? next : (uint32_t)(((uint64_t)info.volume_end + 15) / 16 * 16);
	if (*base < info.volume_end) {
		r = dm_fail(ctx, DM_ERR_INVALID, "--session-start %u lies inside the previous session, "
			    "which ends at LBA %u", *base, info.volume_end);
		goto out;
	}
	unsigned prev_fs = MK_FS_ISO9660 | (info.joliet ? MK_FS_JOLIET : 0) |
			   (info.rockridge ? MK_FS_ROCKRIDGE : 0);
	if (!(o->given & MK_GIVEN_FS)) {
		o->fs = prev_fs;
	} else if (o->fs != prev_fs) {
		char want[64], have[64];
		fs_names(o->fs, want, sizeof(want));
		fs_names(prev_fs, have, sizeof(have));
		r = dm_fail(ctx, DM_ERR_INVALID,
			    "--fs %s differs from the previous session's file systems (%s): a session "
			    "cannot change them; leave out --fs to keep the previous session's", want, have);
		goto out;
	}
	if (!(o->given & MK_GIVEN_VOLUME_ID) && info.volume_id[0]) {
		static char vid[33];
		memcpy(vid, info.volume_id, sizeof(vid));
		o->volume_id = vid;
	}
	if (info.boot)
		dm_warn(ctx, "the previous session's El Torito boot record is not carried into the new "
			"session");
	if (o->verbose)
		fprintf(stderr, "mkimage: previous session at LBA %u of %s (%s%s): %llu files, %llu "
			"directories, %llu hard links, %llu bytes; the new session starts at LBA %u\n",
			start, o->previous, info.rockridge ? "Rock Ridge" : "no Rock Ridge",
			info.joliet ? ", Joliet" : "", (unsigned long long)info.files,
			(unsigned long long)info.dirs, (unsigned long long)info.links,
			(unsigned long long)info.bytes, *base);
out:
	mk_prev_close(prev);
	return r;
}

static dm_status run(mk_options *o, const mk_manifest *m, dm_ctx *ctx)
{
	int64_t epoch;
	dm_status r = read_epoch(&epoch, ctx);
	if (r)
		return r;
	/* SOURCE_DATE_EPOCH wins over the manifest's epoch, as the command line does. */
	if (epoch < 0 && m)
		epoch = m->set.epoch;
	mk_media media;
	if (o->media && (r = mk_media_parse(o->media, &media, ctx)))
		return r;
	mk_tree *tree = mk_tree_new();
	if (!tree)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	uint32_t session_lba = 0, disc_sectors = 0;
	if (o->previous && (r = import_previous(o, tree, &session_lba, &disc_sectors, ctx))) {
		mk_tree_free(tree);
		return r;
	}
	iso_opts io = {
		.level = o->iso_level,
		.joliet = !!(o->fs & MK_FS_JOLIET),
		.rockridge = !!(o->fs & MK_FS_ROCKRIDGE),
		.joliet_max = o->joliet_long ? 103 : 64,
		.rr_relocate = o->rr_relocate,
		.volume_time = epoch >= 0 ? epoch : (int64_t)time(NULL),
		.volume_id = o->volume_id,
		.system_id = o->system_id,
		.volset_id = o->volset_id,
		.publisher = o->publisher,
		.preparer = o->preparer,
		.application = o->application,
		.base = session_lba,
	};
	image_opts im = {
		.iso = !!(o->fs & MK_FS_ISO9660),
		.udf = !!(o->fs & MK_FS_UDF),
		.iso_o = io,
		.udf_o = {
			/* UDF 1.02 in a bridge: what every reader of bridge discs knows. */
			.rev = o->udf_rev ? o->udf_rev : (o->fs & MK_FS_ISO9660) ? UDF_REV_102 : UDF_REV_201,
			.embed = o->udf_embed,
			/* 7-Zip refuses a whole UDF volume holding a symlink or a special file:
			 * a pure UDF image leaves them out unless asked; a bridge keeps them (7-Zip
			 * opens its ISO 9660 side). */
			.special = o->udf_special || (o->fs & MK_FS_ISO9660),
			.volume_time = io.volume_time,
			.volume_id = o->volume_id,
			.volset_id = o->volset_id,
			.application = o->application,
			.publisher = o->publisher,
			.preparer = o->preparer,
		},
	};
	/* El Torito: BIOS first (the default entry of the catalog), then UEFI. */
	mk_boot boot = {.catalog_path = o->boot_catalog};
	if (o->boot_bios)
		boot.img[boot.n++] = (mk_boot_image){
			.path = o->boot_bios, .platform = ELT_PLATFORM_X86, .emul = (uint8_t)o->boot_emul,
			.load_seg = (uint16_t)o->boot_load_seg, .load_size = o->boot_load_size,
			.info_table = o->boot_info_table,
		};
	if (o->boot_efi)
		boot.img[boot.n++] = (mk_boot_image){.path = o->boot_efi, .platform = ELT_PLATFORM_EFI};
	if (o->boot_ppc)
		boot.img[boot.n++] = (mk_boot_image){.path = o->boot_ppc, .platform = ELT_PLATFORM_PPC};
	if (o->boot_mac)
		boot.img[boot.n++] = (mk_boot_image){.path = o->boot_mac, .platform = ELT_PLATFORM_MAC};
	boot.hybrid = o->hybrid != HYB_AUTO ? o->hybrid : o->boot_efi ? HYB_GPT : HYB_MBR;
	boot.hybrid_mbr = o->hybrid_mbr;
	/* A manifest's boot images are its items: paths in the image, never files on disk. */
	boot.image_only = o->boot_from_manifest;
	int booting = boot.n != 0;
	image_plan *plan = NULL;
	mk_sink *sink = NULL;
	mk_checksum *ck = NULL;
	if (o->hybrid && !booting) {
		r = dm_fail(ctx, DM_ERR_INVALID,
			    "--hybrid makes a bootable image bootable from a disk too: give --boot-bios "
			    "and/or --boot-efi");
		goto out;
	}
	if (booting && !o->print_manifest) {
		im.iso_o.boot = &boot;
		/* A UDF image's end takes a hybrid GPT's backup in place (image_emit.c). */
		im.tail_sectors = im.udf ? 0 : mk_boot_tail_sectors(&boot);
	}
	if (booting && !im.iso)
		r = dm_fail(ctx, DM_ERR_INVALID, "booting (El Torito) needs ISO 9660: --fs udf alone cannot boot");
	else if (!(r = iso_vd_check(&io, ctx)) && o->output)
		r = check_output_outside(o, m, ctx);
	if (!r && o->output && !strcmp(o->output, "-") && isatty(STDOUT_FILENO) && !o->dry_run)
		r = dm_fail(ctx, DM_ERR_INVALID, "refusing to write an image to a terminal (-o -)");
	if (r)
		goto out;
	mk_scan_opts so = {
		.follow_links = o->follow_links,
		.clamp_time = epoch,
		.default_time = io.volume_time,
	};
	/* An existing output reached another way (a bind mount, a followed link) is never
	 * read into the image it is replaced by. */
	struct stat out_st;
	if (o->output && strcmp(o->output, "-") && stat(o->output, &out_st) == 0) {
		so.have_exclude = 1;
		so.exclude_dev = (uint64_t)out_st.st_dev;
		so.exclude_ino = (uint64_t)out_st.st_ino;
		so.exclude_path = o->output;
	}
	if (m) {
		mk_mbuild_opts bo = {.clamp_time = epoch, .default_time = io.volume_time,
				     .have_exclude = so.have_exclude, .exclude_dev = so.exclude_dev,
				     .exclude_ino = so.exclude_ino, .exclude_path = so.exclude_path};
		r = mk_manifest_build(m, tree, &bo, ctx);
	} else {
		r = gather(o, tree, &so, ctx);
	}
	/* --print-manifest: the boot images join the tree (and <boot> names them there); the
	 * catalog is made when the manifest is. */
	if (!r && booting)
		r = mk_boot_add(&boot, tree, io.volume_time, !o->print_manifest, ctx);
	if (!r)
		r = mk_tree_finish(tree, ctx);
	if (!r && booting)
		r = mk_boot_check(&boot, tree, ctx);
	if (r)
		goto out;
	if (o->print_manifest) {
		mk_msettings ms = {
			.fs = o->fs, .iso_level = o->iso_level, .joliet_long = o->joliet_long,
			.udf_rev = o->udf_rev, .epoch = epoch, .volume_id = o->volume_id,
			.system_id = o->system_id, .volset_id = o->volset_id, .publisher = o->publisher,
			.preparer = o->preparer, .application = o->application, .media = o->media,
			.boot_catalog = o->boot_catalog, .boot_emul = o->boot_emul,
			.boot_load_size = o->boot_load_size, .boot_load_seg = o->boot_load_seg,
			.boot_info_table = o->boot_info_table, .boot_hybrid = o->hybrid,
		};
		/* The MBR code is a file on disk: named by its absolute path, like every source. */
		char mbr_real[PATH_MAX];
		if (o->hybrid_mbr) {
			if (!realpath(o->hybrid_mbr, mbr_real)) {
				r = dm_fail_errno(ctx, DM_ERR_IO, errno, "--hybrid-mbr: cannot resolve %s", o->hybrid_mbr);
				goto out;
			}
			ms.boot_hybrid_mbr = mbr_real;
		}
		char boot_paths[MK_BOOT_MAX][4096];
		for (unsigned i = 0; i < boot.n; i++) {
			if (!mk_node_image_path(boot.img[i].node, boot_paths[i], sizeof(boot_paths[i]))) {
				r = dm_fail(ctx, DM_ERR_INVALID, "boot image %s: path too long", boot.img[i].path);
				goto out;
			}
			switch (boot.img[i].platform) {
			case ELT_PLATFORM_EFI: ms.boot_efi = boot_paths[i]; break;
			case ELT_PLATFORM_PPC: ms.boot_ppc = boot_paths[i]; break;
			case ELT_PLATFORM_MAC: ms.boot_mac = boot_paths[i]; break;
			default: ms.boot_bios = boot_paths[i]; break;
			}
		}
		r = mk_manifest_print(stdout, tree, &ms, ctx);
		goto out;
	}
	if ((r = image_plan_build(&plan, tree, &im, ctx)) ||
	    (im.iso_o.boot && (r = mk_boot_check_plan(&boot, ctx))) ||
	    (boot.hybrid && (r = make_hybrid(&boot, plan, &io, ctx))))
		goto out;
	/* Capacity first: nothing is written for an image that cannot fit. */
	if (disc_sectors && plan->total_sectors > disc_sectors) {
		r = dm_fail(ctx, DM_ERR_NOSPACE, "the new session would end at LBA %u, %u sectors past "
			    "the end of the disc in %s (%u sectors): it does not fit", plan->total_sectors,
			    plan->total_sectors - disc_sectors, o->previous, disc_sectors);
		goto out;
	}
	if (o->media && (r = mk_media_check(&media, plan->total_sectors, ctx)))
		goto out;
	if (o->dry_run) {
		mk_print_layout(tree, plan, o->media ? &media : NULL, booting ? &boot : NULL);
		goto out;
	}
	if (im.iso && !io.rockridge) {
		mk_tree_stats st;
		mk_tree_stats_get(tree, &st);
		if (st.symlinks + st.specials)
			dm_warn(ctx, "%llu symlinks and special files left out%s: they need Rock Ridge (--fs rockridge)",
				(unsigned long long)(st.symlinks + st.specials),
				im.udf ? " of the ISO 9660 hierarchy" : "");
	}
	if (im.udf && !im.iso && !im.udf_o.special) {
		mk_tree_stats st;
		mk_tree_stats_get(tree, &st);
		if (st.symlinks + st.specials)
			dm_warn(ctx, "%llu symlinks and special files left out of the UDF image, which "
				"7-Zip could not open with them: --udf-special keeps them for Linux",
				(unsigned long long)(st.symlinks + st.specials));
	}
	int to_stdout = !strcmp(o->output, "-");
	if (to_stdout && mk_tree_has_dsrc(tree)) {
		/* What goes to a pipe cannot be taken back: check the manifest's sums first. */
		mk_reader *rd = mk_reader_new(tree);
		r = rd ? mk_reader_check_all(rd, plan->data, plan->ndata, ctx)
		       : dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		mk_reader_free(rd);
		if (r)
			goto out;
	}
	if (to_stdout)
		r = mk_sink_open_fd(&sink, STDOUT_FILENO, "standard output", ctx);
	else
		r = mk_sink_open_file(&sink, o->output, ctx);
	if (r)
		goto out;
	/* A later session: image byte 0 is disc LBA base (the emitters check disc offsets). */
	mk_sink_set_origin(sink, (uint64_t)session_lba * 2048);
	if (o->implant_md5 || o->sha256) {
		/* checkisomd5 sums the volume space the descriptor records: not a hybrid's tail. */
		if (!(ck = mk_checksum_new(o->implant_md5, o->sha256,
					   plan->total_sectors - plan->tail_sectors - session_lba))) {
			mk_sink_abort(sink);
			r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			goto out;
		}
		mk_checksum_attach(ck, sink);
	}
	char sha_hex[65] = "";
	r = image_emit(plan, sink, ctx);
	if (!r && ck)
		r = finish_checksums(o, ck, sink, sha_hex, ctx);
	if (r) {
		/* A signal stops the emitters with a bare "interrupted": say what it left. */
		if (r == DM_ERR_INTERRUPTED)
			dm_fail_prefix(ctx, to_stdout ? "the image on standard output is incomplete: "
						       : "%s not written: ", o->output);
		mk_sink_abort(sink);
		goto out;
	}
	r = mk_sink_commit(sink, ctx);
	if (!r && o->sha256) {
		if (to_stdout) {
			fprintf(stderr, "mkimage: SHA-256 of the image: %s\n", sha_hex);
		} else {
			size_t len = strlen(o->output);
			char *path = malloc(len + 8);
			const char *base = strrchr(o->output, '/');
			if (!path) {
				r = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			} else {
				snprintf(path, len + 8, "%s.sha256", o->output);
				r = mk_checksum_write_sha256_file(path, sha_hex, base ? base + 1 : o->output, ctx);
				free(path);
			}
		}
	}
	if (!r && o->verbose)
		summary(o, tree, plan);
out:
	mk_boot_release(&boot);
	mk_checksum_free(ck);
	image_plan_free(plan);
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
	if (mk_options_parse(&o, argc, argv, &ctx)) {
		free(o.removes);
		return usage_error(ctx.msg);
	}
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
	/* A manifest is loaded and validated before anything else is done. */
	mk_manifest *m = NULL;
	if (o.manifest) {
		mk_diags diags = {0};
		dm_status lr = mk_manifest_load(&m, o.manifest, mk_manifest_schema_path(), &diags, &ctx);
		if (lr && diags.n > 1) {
			for (size_t i = 0; i < diags.n; i++)
				fprintf(stderr, "%s\n", diags.lines[i]);
		}
		mk_diags_free(&diags);
		if (lr) {
			fprintf(stderr, "mkimage: %s\n", ctx.msg);
			return 1;
		}
		if (apply_manifest(&o, &m->set)) {
			fprintf(stderr, "mkimage: out of memory\n");
			mk_manifest_free(m);
			free(o.removes);
			return 1;
		}
	}
	dm_status r = run(&o, m, &ctx);
	free(o.removes);
	mk_manifest_free(m);
	if (display_on)
		dm_progress_display_finish(&display);
	if (r) {
		fprintf(stderr, "mkimage: %s\n", ctx.msg);
		return 1;
	}
	return 0;
}
