#include "mkimage/boot/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_arena.h"
#include "common/dm_endian.h"

#define DEFAULT_CATALOG "boot.catalog"
#define DISK_IMAGE_DIR "boot.images"
/* What mkimage adds for booting is hidden in ISO 9660 and Joliet (the Existence bit) and
 * left out of UDF, which has no such bit: El Torito finds it by LBA, not by name. */
#define HIDDEN_FLAGS (MK_HIDDEN | MK_NOT_UDF)

static const char *what_of(const mk_boot_image *im)
{
	if (im->what)
		return im->what;
	switch (im->platform) {
	case ELT_PLATFORM_EFI: return "--boot-efi";
	case ELT_PLATFORM_PPC: return "--boot-ppc";
	case ELT_PLATFORM_MAC: return "--boot-mac";
	default: return "--boot-bios";
	}
}

/* Where a boot image given as a file on disk goes in the image. */
static const char *platform_name(const mk_boot_image *im)
{
	switch (im->platform) {
	case ELT_PLATFORM_EFI: return "efi";
	case ELT_PLATFORM_PPC: return "ppc";
	case ELT_PLATFORM_MAC: return "mac";
	default: return "bios";
	}
}

/* Where a boot image given as a file on disk goes in the image: NAME.img, NAME2.img, ...
 * for the second and later image of one platform. */
static void disk_image_path(const mk_boot *b, const mk_boot_image *im, char *buf, size_t cap)
{
	unsigned nth = 1;
	for (const mk_boot_image *o = b->img; o < im; o++)
		nth += o->platform == im->platform;
	if (nth == 1)
		snprintf(buf, cap, DISK_IMAGE_DIR "/%s.img", platform_name(im));
	else
		snprintf(buf, cap, DISK_IMAGE_DIR "/%s%u.img", platform_name(im), nth);
}

/* A node at path (components separated by '/') below dir. Before mk_tree_finish() a
 * directory may still appear twice (two sources), so every match is searched. */
static mk_node *find_path(mk_node *dir, const char *path)
{
	while (*path == '/')
		path++;
	size_t len = strcspn(path, "/");
	if (len == 0)
		return dir;
	const char *rest = path + len;
	for (mk_node *c = dir->child; c; c = c->next) {
		if (c->name_len != len || memcmp(c->name, path, len) != 0)
			continue;
		const char *r = rest;
		while (*r == '/')
			r++;
		if (!*r)
			return c;
		if (c->type == MK_DIR) {
			mk_node *f = find_path(c, r);
			if (f)
				return f;
		}
	}
	return NULL;
}

/* The directory at path, made (synthetic, like graft parents) where missing. */
static dm_status ensure_dir(mk_tree *t, const char *path, size_t path_len, int64_t time, int hidden,
			    mk_node **out, dm_ctx *ctx)
{
	mk_node *dir = mk_tree_root(t);
	size_t pos = 0;
	while (pos < path_len) {
		while (pos < path_len && path[pos] == '/')
			pos++;
		size_t len = 0;
		while (pos + len < path_len && path[pos + len] != '/')
			len++;
		if (!len)
			break;
		if (len > 255 || (len == 1 && path[pos] == '.') ||
		    (len == 2 && path[pos] == '.' && path[pos + 1] == '.'))
			return dm_fail(ctx, DM_ERR_INVALID, "boot path '%.*s': bad component", (int)path_len, path);
		mk_node *c = mk_tree_find(dir, path + pos, len);
		if (c && c->type != MK_DIR)
			return dm_fail(ctx, DM_ERR_INVALID, "boot path '%.*s': '%.*s' is not a directory",
				       (int)path_len, path, (int)len, path + pos);
		if (!c) {
			if (!(c = mk_tree_add(t, dir, path + pos, len, MK_DIR)))
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			c->flags |= MK_SYNTHETIC | (hidden ? HIDDEN_FLAGS : 0);
			c->mode = 040755;
			c->mtime = c->atime = c->ctime = time;
		}
		dir = c;
		pos += len;
	}
	*out = dir;
	return DM_OK;
}

/* A new regular file at path (parents made as needed). */
static dm_status add_file(mk_tree *t, const char *path, int64_t time, int hidden, mk_node **out,
			  dm_ctx *ctx)
{
	while (*path == '/')
		path++;
	const char *slash = strrchr(path, '/');
	const char *leaf = slash ? slash + 1 : path;
	if (!*leaf || strlen(leaf) > 255)
		return dm_fail(ctx, DM_ERR_INVALID, "boot path '%s': no file name", path);
	mk_node *dir = NULL;
	dm_status r = ensure_dir(t, path, slash ? (size_t)(slash - path) : 0, time, hidden, &dir, ctx);
	if (r)
		return r;
	mk_node *n = mk_tree_add(t, dir, leaf, strlen(leaf), MK_FILE);
	mk_data *d = n ? mk_tree_data(t, 0, 0, 1) : NULL;
	if (!d)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	n->mode = 0100444;
	n->mtime = n->atime = n->ctime = time;
	n->flags |= MK_SYNTHETIC | (hidden ? HIDDEN_FLAGS : 0);
	n->data = d;
	d->node = n;
	*out = n;
	return DM_OK;
}

static dm_status add_disk_image(const mk_boot *b, mk_tree *t, mk_boot_image *im, int64_t time,
				dm_ctx *ctx)
{
	struct stat st;
	if (stat(im->path, &st) < 0) {
		if (errno == ENOENT)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s %s: no such file in the image nor on disk", what_of(im), im->path);
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "%s: cannot use %s", what_of(im), im->path);
	}
	if (!S_ISREG(st.st_mode))
		return dm_fail(ctx, DM_ERR_INVALID, "%s %s: not a regular file", what_of(im), im->path);
	char leaf[64];
	disk_image_path(b, im, leaf, sizeof(leaf));
	if (find_path(mk_tree_root(t), leaf))
		return dm_fail(ctx, DM_ERR_INVALID, "%s %s: the image already has a file /%s", what_of(im),
			       im->path, leaf);
	dm_status r = add_file(t, leaf, time, 1, &im->node, ctx);
	if (r)
		return r;
	mk_node *n = im->node;
	n->src = dm_arena_strndup(mk_tree_arena(t), im->path, strlen(im->path));
	if (!n->src)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	n->flags |= MK_SRC_FULL;
	n->flags &= (uint8_t)~MK_SYNTHETIC;
	n->data->size = (uint64_t)st.st_size;
	return DM_OK;
}

/* The catalog sector (mk_dsrc_gen): its entries from the planned LBAs. */
static dm_status fill_catalog(const void *user, const mk_data *d, uint8_t *buf, dm_ctx *ctx)
{
	const mk_boot *b = user;
	elt_entry e[MK_BOOT_MAX];
	(void)d;
	mk_boot_entries(b, e);
	return elt_put_catalog(buf, NULL, e, b->n, ctx);
}

/* The edits of a boot image's content read whole (mk_dsrc_gen): GRUB's own LBA field first
 * (--grub2-boot-info: its 512-byte LBA + 5 at byte 2548, spec/eltorito.md), since the boot
 * info table's checksum covers it (as in xorriso's images); then mkisofs's
 * -boot-info-table: its checksum, then the table patched at byte 8. The primary volume
 * descriptor is the first of the set, at 16 (ECMA-119 6.7.1, iso_plan.h). */
static dm_status patch_info_table(const void *user, const mk_data *d, uint8_t *buf, dm_ctx *ctx)
{
	const mk_boot *b = user;
	const mk_boot_image *im = NULL;
	for (unsigned i = 0; i < b->n && !im; i++)
		if (b->img[i].node->data == d)
			im = &b->img[i];
	if (!im)
		return dm_fail(ctx, DM_ERR_INTERNAL, "internal error: a boot image edit for no boot image");
	if (im->grub2_info)
		dm_put_le64(buf + ELT_GRUB2_INFO_OFFSET, (uint64_t)d->lba * 4 + 5);
	if (im->info_table) {
		uint32_t sum = 0;
		elt_info_sum(&sum, buf, d->size, 0);
		elt_patch_info_table(buf, d->size, 0, MK_BOOT_PVD_LBA, d->lba, (uint32_t)d->size, sum);
	}
	return DM_OK;
}

dm_status mk_boot_add(mk_boot *b, mk_tree *t, int64_t default_time, int with_catalog, dm_ctx *ctx)
{
	dm_status r;
	for (unsigned i = 0; i < b->n; i++) {
		mk_boot_image *im = &b->img[i];
		mk_node *n = find_path(mk_tree_root(t), im->path);
		if (n && n != mk_tree_root(t)) {
			if (n->type != MK_FILE)
				return dm_fail(ctx, DM_ERR_INVALID, "%s %s: not a regular file in the image",
					       what_of(im), im->path);
			im->node = n;
		} else if (b->image_only) {
			return dm_fail(ctx, DM_ERR_INVALID, "<boot>: %s is not a file of the image", im->path);
		} else if ((r = add_disk_image(b, t, im, default_time, ctx))) {
			return r;
		}
	}
	if (!with_catalog)
		return DM_OK;
	const char *cat = b->catalog_path ? b->catalog_path : DEFAULT_CATALOG;
	if (find_path(mk_tree_root(t), cat) != NULL)
		return dm_fail(ctx, DM_ERR_INVALID, "boot catalog %s: the image already has a file there", cat);
	if ((r = add_file(t, cat, default_time, !b->catalog_path, &b->catalog, ctx)))
		return r;
	/* Content generated when the image is written, from the planned LBAs of the images. */
	mk_data *d = b->catalog->data;
	mk_dsrc *ds = mk_tree_dsrc_add(t, d);
	if (!ds)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	b->catalog_gen = (mk_dsrc_gen){fill_catalog, b, "the El Torito boot catalog"};
	ds->kind = MK_DSRC_GENERATED;
	ds->gen = &b->catalog_gen;
	d->size = ELT_SECTOR;
	return DM_OK;
}

/* The first len bytes of a file of the tree (len <= its size). */
static dm_status read_head(mk_tree *t, const mk_node *n, uint8_t *out, size_t len, dm_ctx *ctx)
{
	const mk_dsrc *ds = mk_tree_dsrc(t, n->data);
	if (ds && ds->kind == MK_DSRC_INLINE) {
		memcpy(out, ds->bytes, len);
		return DM_OK;
	}
	if (ds && ds->kind == MK_DSRC_MEMBER) {
		if (n->data->size > MK_BOOT_INFO_MAX)
			return dm_fail(ctx, DM_ERR_UNSUPPORTED,
				       "a hard-disk boot image inside an archive must be at most %u bytes",
				       MK_BOOT_INFO_MAX);
		uint8_t *all = malloc(n->data->size ? n->data->size : 1);
		mk_reader *rd = mk_reader_new(t);
		dm_status r = all && rd ? mk_reader_read_all(rd, n->data, all, ctx)
				        : dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		if (!r)
			memcpy(out, all, len);
		mk_reader_free(rd);
		free(all);
		return r;
	}
	char path[4096];
	if (!mk_node_src_path(n, path, sizeof(path)))
		return dm_fail(ctx, DM_ERR_INVALID, "a boot image has no source path");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", path);
	ssize_t got = pread(fd, out, len, 0);
	int e = errno;
	close(fd);
	if (got != (ssize_t)len)
		return dm_fail_errno(ctx, DM_ERR_IO, got < 0 ? e : EIO, "cannot read %s", path);
	return DM_OK;
}

static const mk_boot_image *find_platform(const mk_boot *b, uint8_t platform)
{
	for (unsigned i = 0; i < b->n; i++)
		if (b->img[i].platform == platform)
			return &b->img[i];
	return NULL;
}

/* --hybrid: something must boot from a disk, and the MBR code needs the image it loads. */
static dm_status check_hybrid(mk_boot *b, dm_ctx *ctx)
{
	const mk_boot_image *bios = find_platform(b, ELT_PLATFORM_X86);
	const mk_boot_image *efi = find_platform(b, ELT_PLATFORM_EFI);
	if (!b->hybrid_mbr && !efi)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--hybrid: nothing would boot from a disk; give --hybrid-mbr (BIOS boot "
			       "code) or --boot-efi (an EFI system partition)");
	if ((b->hybrid == HYB_GPT || b->hybrid == HYB_MBR_GPT) && !efi && !b->napp)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--hybrid-table gpt: the GPT's partition is the EFI system partition; give --boot-efi");
	if (!b->hybrid_mbr)
		return DM_OK;
	/* The option that named the code, for messages. */
	const char *opt = b->hybrid_grub2 ? "--hybrid-grub2-mbr" : "--hybrid-mbr";
	if (!bios || bios->emul != ELT_EMUL_NONE)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s %s: the MBR boot code loads the --boot-bios image, which must "
			       "be given with --boot-emul none", opt, b->hybrid_mbr);
	int fd = open(b->hybrid_mbr, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "%s: cannot open %s", opt, b->hybrid_mbr);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "%s: cannot use %s", opt, b->hybrid_mbr);
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)HYB_CODE_MAX || st.st_size > 512) {
		close(fd);
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s %s: MBR boot code must be a file of %u to 512 bytes (its "
			       "first %u are used; isolinux's isohdpfx.bin is %u)", opt, b->hybrid_mbr,
			       HYB_CODE_MAX, HYB_CODE_MAX, HYB_CODE_MAX);
	}
	uint8_t buf[HYB_CODE_MAX];
	ssize_t got = pread(fd, buf, sizeof(buf), 0);
	int e = errno;
	close(fd);
	if (got != (ssize_t)sizeof(buf))
		return dm_fail_errno(ctx, DM_ERR_IO, got < 0 ? e : EIO, "%s: cannot read %s",
				     opt, b->hybrid_mbr);
	memcpy(b->mbr_code, buf, HYB_CODE_MAX);
	b->mbr_code_len = HYB_CODE_MAX;
	return DM_OK;
}

/* Appended partitions: regular files, sized now (their sectors are part of the plan). */
static dm_status check_appended(mk_boot *b, dm_ctx *ctx)
{
	for (unsigned i = 0; i < b->napp; i++) {
		mk_boot_append *a = &b->app[i];
		struct stat st;
		if (stat(a->path, &st) < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "-append_partition %u: cannot use %s", a->slot,
					     a->path);
		if (!S_ISREG(st.st_mode) || st.st_size == 0)
			return dm_fail(ctx, DM_ERR_INVALID, "-append_partition %u: %s is not a non-empty regular file",
				       a->slot, a->path);
		a->size = (uint64_t)st.st_size;
	}
	return DM_OK;
}

static uint64_t append_sectors(const mk_boot_append *a)
{
	return (a->size + ELT_SECTOR - 1) / ELT_SECTOR;
}

dm_status mk_boot_check(mk_boot *b, mk_tree *t, dm_ctx *ctx)
{
	dm_status ar = check_appended(b, ctx);
	if (ar)
		return ar;
	for (unsigned i = 0; i < b->n; i++) {
		mk_boot_image *im = &b->img[i];
		uint64_t size = im->node->data->size;
		const char *w = what_of(im);
		if (size == 0)
			return dm_fail(ctx, DM_ERR_INVALID, "%s %s: the boot image is empty", w, im->path);
		if (size > (uint64_t)UINT32_MAX * ELT_SECTOR)
			return dm_fail(ctx, DM_ERR_INVALID, "%s %s: the boot image is too large", w, im->path);
		switch (im->emul) {
		case MK_BOOT_EMUL_FLOPPY:
			im->emul = elt_floppy_emul(size);
			if (im->emul == ELT_EMUL_NONE)
				return dm_fail(ctx, DM_ERR_INVALID,
					       "%s %s: a floppy image must be 1228800, 1474560 or 2949120 bytes "
					       "(1.2, 1.44 or 2.88 MB); it is %llu",
					       w, im->path, (unsigned long long)size);
			break;
		case MK_BOOT_EMUL_HDD: {
			uint8_t mbr[512];
			char what[1100];
			snprintf(what, sizeof(what), "%s %s", w, im->path);
			dm_status r = size < sizeof(mbr) ? elt_check_hdd(mbr, (size_t)size, what,
									  &im->system_type, ctx)
							 : read_head(t, im->node, mbr, sizeof(mbr), ctx);
			if (r || (r = elt_check_hdd(mbr, sizeof(mbr), what, &im->system_type, ctx)))
				return r;
			im->emul = ELT_EMUL_HDD;
			break;
		}
		default:
			im->emul = ELT_EMUL_NONE;
			break;
		}
		if (im->grub2_info && (size < ELT_GRUB2_INFO_OFFSET + 8 || size > MK_BOOT_INFO_MAX))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s %s: --grub2-boot-info needs an image of %u bytes to %u MiB (GRUB's "
				       "eltorito.img); it is %llu bytes",
				       w, im->path, ELT_GRUB2_INFO_OFFSET + 8, MK_BOOT_INFO_MAX >> 20,
				       (unsigned long long)size);
		if (im->info_table && (size < ELT_INFO_TABLE_END || size > MK_BOOT_INFO_MAX))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s %s: a boot info table needs an image of 64 bytes to %u MiB; it is %llu bytes",
				       w, im->path, MK_BOOT_INFO_MAX >> 20, (unsigned long long)size);
		if (im->info_table || im->grub2_info) {
			/* Written patched (data_source.h); the kind, and so the data order, stays. */
			mk_dsrc *ds = mk_tree_dsrc_add(t, im->node->data);
			if (!ds)
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			b->info_gen = (mk_dsrc_gen){patch_info_table, b, "a boot image"};
			ds->gen = &b->info_gen;
		}
	}
	return b->hybrid ? check_hybrid(b, ctx) : DM_OK;
}

dm_status mk_boot_check_plan(const mk_boot *b, dm_ctx *ctx)
{
	for (unsigned i = 0; i < b->n; i++)
		if (b->img[i].node->data->lba == 0)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%s %s: the boot image is left out of the ISO 9660 and Joliet "
				       "hierarchies, so El Torito cannot point at it",
				       what_of(&b->img[i]), b->img[i].path);
	if (b->catalog->data->lba == 0)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "the boot catalog is left out of the ISO 9660 and Joliet hierarchies");
	return DM_OK;
}

void mk_boot_entries(const mk_boot *b, elt_entry *out)
{
	for (unsigned i = 0; i < b->n; i++) {
		const mk_boot_image *im = &b->img[i];
		uint64_t size = im->node->data->size;
		elt_entry *e = &out[i];
		memset(e, 0, sizeof(*e));
		e->platform = im->platform;
		e->emul = im->emul;
		e->bootable = 1;
		e->system_type = im->system_type;
		e->load_seg = im->load_seg;
		e->lba = im->node->data->lba;
		if (im->load_size) {
			e->sector_count = (uint16_t)im->load_size;
		} else if (im->emul != ELT_EMUL_NONE) {
			/* Emulation: the BIOS reads the boot sector of the virtual disk itself. */
			e->sector_count = 1;
		} else if (im->platform != ELT_PLATFORM_X86) {
			/* The whole image, in 512-byte sectors; 0 when that does not fit 16 bits
			 * (UEFI firmware then reads to the end of the image). */
			uint64_t s = (size + 511) / 512;
			e->sector_count = s > 0xFFFF ? 0 : (uint16_t)s;
		} else {
			/* No emulation: four virtual sectors (one 2048-byte sector), what isolinux and
			 * GRUB's El Torito images expect and every BIOS loads. */
			e->sector_count = 4;
		}
	}
}

uint32_t mk_boot_catalog_lba(const mk_boot *b)
{
	return b->catalog->data->lba;
}

uint32_t mk_boot_tail_sectors(const mk_boot *b)
{
	uint64_t n = hyb_tail_sectors(b->hybrid);
	for (unsigned i = 0; i < b->napp; i++)
		n += append_sectors(&b->app[i]);
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

dm_status mk_boot_hybrid(mk_boot *b, uint64_t sectors, const uint8_t seed[32], dm_ctx *ctx)
{
	const mk_boot_image *bios = find_platform(b, ELT_PLATFORM_X86);
	const mk_boot_image *efi = find_platform(b, ELT_PLATFORM_EFI);
	hyb_layout l = {
		.table = b->hybrid,
		.code = b->mbr_code_len ? b->mbr_code : NULL,
		.code_len = b->mbr_code_len,
		.sectors = sectors,
		.bios_lba = bios ? bios->node->data->lba : 0,
		.grub2 = b->hybrid_grub2,
		.efi_lba = efi ? efi->node->data->lba : 0,
		.efi_size = efi ? efi->node->data->size : 0,
	};
	memcpy(l.seed, seed, sizeof(l.seed));
	/* The appended partitions, in the order given, right after the filesystems. */
	uint64_t at = (sectors - mk_boot_tail_sectors(b)) * 4;
	l.iso_start = (uint64_t)b->part_offset * 4;
	l.iso_sectors = at;
	for (unsigned i = 0; i < b->napp; i++) {
		hyb_part *p = &l.app[l.napp++];
		p->slot = b->app[i].slot;
		p->mbr_type = b->app[i].mbr_type;
		memcpy(p->guid, b->app[i].guid, 16);
		p->start = at;
		p->count = append_sectors(&b->app[i]) * 4;
		at += p->count;
	}
	dm_status r = hyb_check(&l, ctx);
	if (r)
		return r;
	size_t tail = (size_t)hyb_tail_sectors(b->hybrid) * ELT_SECTOR;
	b->system_area = malloc(HYB_SYSTEM_AREA);
	b->tail = tail ? malloc(tail) : NULL;
	if (!b->system_area || (tail && !b->tail))
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	hyb_put_system_area(b->system_area, &l);
	if (tail)
		hyb_put_tail(b->tail, &l);
	return DM_OK;
}

/* One appended partition: the file's bytes, zeros to the sector's end; a file that changed
 * size since it was planned is an error (the tables already point past it). */
static dm_status emit_appended(const mk_boot_append *a, mk_sink *sink, dm_ctx *ctx)
{
	int fd = open(a->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "-append_partition: cannot open %s", a->path);
	uint8_t *buf = malloc(1 << 16);
	dm_status r = buf ? DM_OK : dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	uint64_t done = 0;
	while (!r && done < a->size) {
		size_t want = a->size - done < (1u << 16) ? (size_t)(a->size - done) : 1u << 16;
		ssize_t got = read(fd, buf, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			r = got < 0 ? dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read %s", a->path)
				    : dm_fail(ctx, DM_ERR_CHANGED, "%s became shorter while it was read", a->path);
		else
			r = mk_sink_write(sink, buf, (size_t)got, ctx), done += (uint64_t)got;
	}
	size_t pad = (size_t)(append_sectors(a) * ELT_SECTOR - a->size);
	if (!r && pad) {
		memset(buf, 0, pad);
		r = mk_sink_write(sink, buf, pad, ctx);
	}
	free(buf);
	close(fd);
	return r;
}

dm_status mk_boot_emit_tail(const mk_boot *b, mk_sink *sink, dm_ctx *ctx)
{
	dm_status r = DM_OK;
	for (unsigned i = 0; i < b->napp && !r; i++)
		r = emit_appended(&b->app[i], sink, ctx);
	uint32_t n = hyb_tail_sectors(b->hybrid);
	return !r && n && b->tail ? mk_sink_write(sink, b->tail, (size_t)n * ELT_SECTOR, ctx) : r;
}

void mk_boot_release(mk_boot *b)
{
	free(b->system_area);
	free(b->tail);
	b->system_area = b->tail = NULL;
}
