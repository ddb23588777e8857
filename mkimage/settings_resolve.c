/* The resolve step (settings_resolve.h): every rule between settings, checked once. */
#include "mkimage/settings_resolve.h"

#include <fnmatch.h>
#include <string.h>

#include "mkimage/iso/iso_vd.h"
#include "mkimage/udf/udf_plan.h"

/* The partition offset's option as the user spelled it. */
static const char *partition_offset_opt(const mk_settings *s)
{
	return s->as_mkisofs ? "-partition_offset" : "--partition-offset";
}

/* A later session (--previous, mkisofs -M): what it cannot be. The rest (its file systems
 * are the previous session's, its start lies after it) is known once the previous session
 * is read: main.c's import step. */
static dm_status check_session(const mk_settings *s, dm_ctx *ctx)
{
	const char *prev = s->as_mkisofs ? "-M" : "--previous";
	if (!s->previous) {
		if (s->removes.n)
			return dm_fail(ctx, DM_ERR_INVALID, "--remove goes with --previous (it takes entries "
				       "out of the previous session's tree)");
		if (s->session_start < 0)
			return DM_OK;
		/* A first data session at NEXT over sessions with no file system to import: the
		 * data session of a CD-Extra after its audio session (Blue Book; what
		 * `mkisofs -C 0,NEXT` without -M makes). */
		prev = s->as_mkisofs ? "-C without -M" : "--session-start without --previous";
		if (s->fs & MK_FS_UDF)
			return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s: a UDF volume at a later address needs "
				       "the previous session's partition; make this session ISO 9660 only", prev);
	}
	if (s->print_manifest)
		return dm_fail(ctx, DM_ERR_INVALID, "--print-manifest cannot describe a previous session");
	if (s->implant_md5)
		return dm_fail(ctx, DM_ERR_INVALID, "--implant-md5 sums a whole image from LBA 0: a later "
			       "session (%s) is not one", prev);
	if (s->partition_offset)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s: %s belongs to a first session (its second "
			       "superblock is at a fixed block of the disc)", prev, partition_offset_opt(s));
	if (s->nboot || s->hybrid || s->nappend)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s: a later session cannot be made bootable (El "
			       "Torito and hybrid tables belong to the first session)", prev);
	return DM_OK;
}

dm_status mk_settings_check(const mk_settings *s, dm_ctx *ctx)
{
	for (unsigned i = 0; i < s->nboot; i++)
		if (!s->boot[i].path)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "--boot-emul, --boot-load-size, --boot-load-seg and --boot-info-table "
				       "describe the --boot-bios image; no --boot-bios given");
	if (s->boot_catalog && !s->nboot)
		return dm_fail(ctx, DM_ERR_INVALID, "--boot-catalog needs a boot image (--boot-bios, --boot-efi, ...)");
	for (unsigned i = 0; i < s->nboot; i++) {
		const mk_boot_spec *e = &s->boot[i];
		if (e->load_size && e->emul != MK_BOOT_EMUL_NONE)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "--boot-load-size applies to --boot-emul none: an emulated disk is read "
				       "by the BIOS itself");
		if ((e->info_table || e->grub2_info) && e->emul != MK_BOOT_EMUL_NONE)
			return dm_fail(ctx, DM_ERR_INVALID, "--boot-info-table applies to --boot-emul none");
	}
	if (s->nappend && !s->nboot)
		return dm_fail(ctx, DM_ERR_INVALID, s->as_mkisofs ?
			       "-append_partition needs an El Torito boot image (-b or -e) in mkimage" :
			       "--append-partition needs an El Torito boot image (--boot-bios or --boot-efi)");
	if (s->nappend && (s->fs & MK_FS_UDF))
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, s->as_mkisofs ?
			       "-append_partition with -udf: a UDF image must end with its anchor; not both" :
			       "--append-partition with UDF (--fs): a UDF image must end with its anchor; not both");
	if (s->hybrid && !s->nboot)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--hybrid, --hybrid-mbr and --hybrid-table make a bootable image bootable "
			       "from a disk too: give --boot-bios and/or --boot-efi");
	if (s->hybrid_mbr && s->hybrid_grub2_mbr)
		return dm_fail(ctx, DM_ERR_INVALID, "%s and %s: the MBR has one boot code; give one of them",
			       s->as_mkisofs ? "-isohybrid-mbr" : "--hybrid-mbr",
			       s->as_mkisofs ? "--grub2-mbr" : "--hybrid-grub2-mbr");
	if (s->partition_offset && (s->fs & MK_FS_UDF))
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s with %s: the partition holds a second ISO 9660 "
			       "tree, not a UDF one; not both", partition_offset_opt(s),
			       s->as_mkisofs ? "-udf" : "UDF (--fs)");
	if (s->nboot && !(s->fs & MK_FS_ISO9660))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "booting (El Torito) needs ISO 9660: --fs udf alone cannot boot");
	/* With -m the manifest may choose the file systems: a bridge then ignores these. */
	if (s->udf_embed && s->fs != MK_FS_UDF && !s->manifest)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--udf-embed applies to pure UDF images (--fs udf): in a bridge ISO 9660 "
			       "needs every file's data in sectors of its own");
	if (s->udf_special && s->fs != MK_FS_UDF && !s->manifest)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--udf-special applies to pure UDF images (--fs udf): a bridge's UDF "
			       "always records symlinks and special files");
	return check_session(s, ctx);
}

/* -m/-x: a pattern matches an entry's name or its path below the source. */
static int scan_filter(void *user, const char *rel, int is_dir)
{
	(void)is_dir;
	const mk_settings *s = user;
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	for (size_t i = 0; i < s->nexclude; i++)
		if (!fnmatch(s->exclude[i], base, 0) || !fnmatch(s->exclude[i], rel, 0))
			return 0;
	return 1;
}

/* The catalog's order: BIOS entries first (the first is the default entry), then UEFI,
 * PowerPC and Mac, each in the order given. */
static const uint8_t platform_order[] = {ELT_PLATFORM_X86, ELT_PLATFORM_EFI, ELT_PLATFORM_PPC,
					 ELT_PLATFORM_MAC};

dm_status mk_settings_resolve(const mk_settings *s, int64_t env_epoch, int64_t now, mk_resolved *r,
			      dm_ctx *ctx)
{
	dm_status st = mk_settings_check(s, ctx);
	if (st)
		return st;
	memset(r, 0, sizeof(*r));
	/* SOURCE_DATE_EPOCH wins over the manifest's epoch, as the command line does. */
	r->epoch = env_epoch >= 0 ? env_epoch : s->epoch;
	if (s->media) {
		if ((st = mk_media_parse(s->media, &r->media, ctx)))
			return st;
		r->has_media = 1;
	}
	/* --media bd*: Blu-ray players read UDF only: a bridge, unless the filesystems were
	 * given (mkimage.1, --media) or are the previous session's (--previous). */
	unsigned fs = s->fs;
	if (r->has_media && !mk_settings_given(s, "fs") && !s->previous)
		fs = mk_media_default_fs(&r->media, fs);
	if (s->partition_offset && (fs & MK_FS_UDF))
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s with --media %s (which adds a UDF bridge): the "
			       "partition holds a second ISO 9660 tree, not a UDF one; give --fs without udf",
			       partition_offset_opt(s), s->media);
	int64_t vtime = s->volume_time >= 0 ? s->volume_time : r->epoch >= 0 ? r->epoch : now;
	iso_opts io = {
		.level = s->iso_level,
		.joliet = !!(fs & MK_FS_JOLIET),
		.rockridge = !!(fs & MK_FS_ROCKRIDGE),
		.joliet_max = s->joliet_long ? 103 : 64,
		.rr_relocate = s->rr_relocate,
		.volume_time = vtime,
		.volume_id = s->volume_id,
		.system_id = s->system_id,
		.volset_id = s->volset_id,
		.publisher = s->publisher,
		.preparer = s->preparer,
		.application = s->application,
		.partition_offset = s->partition_offset,
		.iso_names = s->iso_names,
	};
	r->im = (image_opts){
		.iso = !!(fs & MK_FS_ISO9660),
		.udf = !!(fs & MK_FS_UDF),
		.iso_o = io,
		.udf_o = {
			/* UDF 1.02 in a bridge: what every reader of bridge discs knows. */
			.rev = s->udf_rev ? s->udf_rev : (fs & MK_FS_ISO9660) ? UDF_REV_102 : UDF_REV_201,
			.embed = s->udf_embed,
			/* 7-Zip refuses a whole UDF volume holding a symlink or a special file:
			 * a pure UDF image leaves them out unless asked; a bridge keeps them (7-Zip
			 * opens its ISO 9660 side). */
			.special = s->udf_special || (fs & MK_FS_ISO9660),
			.volume_time = vtime,
			.volume_id = s->volume_id,
			.volset_id = s->volset_id,
			.application = s->application,
			.publisher = s->publisher,
			.preparer = s->preparer,
		},
	};
	mk_boot *b = &r->boot;
	b->catalog_path = s->boot_catalog;
	for (size_t p = 0; p < sizeof(platform_order); p++)
		for (unsigned i = 0; i < s->nboot; i++) {
			const mk_boot_spec *e = &s->boot[i];
			if (e->platform != platform_order[p])
				continue;
			b->img[b->n++] = (mk_boot_image){
				.path = e->path, .platform = e->platform, .emul = e->emul,
				.load_seg = (uint16_t)e->load_seg, .load_size = e->load_size,
				.info_table = e->info_table, .grub2_info = e->grub2_info, .what = e->what,
			};
		}
	int has_efi = 0;
	for (unsigned i = 0; i < s->nboot; i++)
		has_efi |= s->boot[i].platform == ELT_PLATFORM_EFI;
	b->hybrid = s->hybrid != HYB_AUTO ? s->hybrid : has_efi ? HYB_GPT : HYB_MBR;
	/* -isohybrid-gpt-basdat: a GPT beside the isohybrid MBR needs a partition for it (the
	 * EFI image or an appended one); a UDF bridge ends with a plain GPT's backup
	 * (image_emit.c). */
	if (b->hybrid == HYB_MBR_GPT && !has_efi && !s->nappend)
		b->hybrid = HYB_MBR;
	if (b->hybrid == HYB_MBR_GPT && (s->fs & MK_FS_UDF))
		b->hybrid = HYB_GPT;
	b->hybrid_mbr = s->hybrid_grub2_mbr ? s->hybrid_grub2_mbr : s->hybrid_mbr;
	b->hybrid_grub2 = s->hybrid_grub2_mbr != NULL;
	b->part_offset = s->partition_offset;
	memcpy(b->app, s->append, sizeof(b->app));
	b->napp = s->nappend;
	/* A manifest's boot images are its items: paths in the image, never files on disk. */
	b->image_only = s->boot_from_manifest;
	r->booting = b->n != 0;
	if (b->napp && r->im.udf)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED,
			       "-append_partition with UDF (--media bd adds a UDF bridge): a UDF image must "
			       "end with its anchor; not both");
	if (r->booting && !s->print_manifest) {
		r->im.iso_o.boot = b;
		/* A UDF image's end takes a hybrid GPT's backup in place (image_emit.c). */
		r->im.tail_sectors = r->im.udf ? 0 : mk_boot_tail_sectors(b);
	}
	r->so = (mk_scan_opts){
		.follow_links = s->follow_links,
		.clamp_time = r->epoch,
		.default_time = vtime,
	};
	if (s->nexclude) {
		r->so.filter = scan_filter;
		r->so.filter_user = (void *)s;
	}
	return iso_vd_check(&io, ctx);
}

/* ---- the tree after gathering (the mkisofs front end's settings) ------------------------ */

/* A -hide or -sort pattern against a node: its image path (with or without the leading
 * '/'), or its name. */
static int node_matches(const char *pat, const char *path, const char *name)
{
	return !fnmatch(pat, path, 0) || !fnmatch(pat, path + 1, 0) || !fnmatch(pat, name, 0);
}

/* mkisofs -r (genisoimage(1)): owners 0; every read bit set; all execute (search) bits when
 * any is set; no write bits; no setuid, setgid or sticky bits. A symlink's mode means nothing. */
static void rationalize(mk_node *n)
{
	n->uid = n->gid = 0;
	if (n->type == MK_SYMLINK)
		return;
	n->mode = (n->mode & ~07777u) | ((n->mode & 0111) ? 0555 : 0444);
}

dm_status mk_settings_apply_tree(const mk_settings *s, mk_tree *t, dm_ctx *ctx)
{
	if (!s->rr_rational && !s->nhide && !s->nhide_joliet && !s->nweights)
		return DM_OK;
	char path[4096];
	for (mk_node *n = mk_tree_root(t); n; n = mk_tree_next(n)) {
		if (s->rr_rational)
			rationalize(n);
		if (n == mk_tree_root(t) || !(s->nhide || s->nhide_joliet || s->nweights))
			continue;
		if (!mk_node_image_path(n, path, sizeof(path)))
			return dm_fail(ctx, DM_ERR_INVALID, "a path in the image is too long for -hide or -sort");
		for (size_t i = 0; i < s->nhide; i++)
			if (node_matches(s->hide[i], path, n->name))
				n->flags |= MK_NOT_ISO;
		for (size_t i = 0; i < s->nhide_joliet; i++)
			if (node_matches(s->hide_joliet[i], path, n->name))
				n->flags |= MK_NOT_JOLIET;
		if (n->type != MK_FILE || !n->data || !s->nweights)
			continue;
		/* The last rule naming the file or one of its directories wins (mkisofs -sort). */
		int found = 0;
		int32_t w = 0;
		for (size_t i = 0; i < s->nweights; i++) {
			const char *p = s->weights[i].path;
			size_t pl = strlen(p);
			while (pl > 1 && p[pl - 1] == '/')
				pl--;
			int under = (pl == 1 && p[0] == '/') ||
				    (!strncmp(path, p, pl) && (path[pl] == '/' || path[pl] == '\0'));
			if (under || !fnmatch(p, path, 0)) {
				found = 1;
				w = s->weights[i].weight;
			}
		}
		if (!found || (!w && !n->data->src))
			continue;
		mk_dsrc *d = mk_tree_dsrc_add(t, n->data);
		if (!d)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		d->weight = w;
	}
	return DM_OK;
}
