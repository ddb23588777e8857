#include "mkimage/dry_run.h"

#include <stdio.h>

#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"

static const char *platform_name(uint8_t id)
{
	switch (id) {
	case ELT_PLATFORM_X86: return "x86 BIOS";
	case ELT_PLATFORM_EFI: return "UEFI";
	case ELT_PLATFORM_PPC: return "PowerPC";
	case ELT_PLATFORM_MAC: return "Mac";
	default: return "?";
	}
}

static const char *emul_name(uint8_t emul)
{
	static const char *names[] = {"no emulation", "1.2 MB floppy", "1.44 MB floppy",
				      "2.88 MB floppy", "hard disk"};
	return emul < sizeof(names) / sizeof(names[0]) ? names[emul] : "?";
}

static int type_unused(const uint8_t *p)
{
	for (int i = 0; i < 16; i++)
		if (p[i])
			return 0;
	return 1;
}

/* The boot catalog's entries and, for a hybrid image, the MBR partitions as written. */
static void print_boot(const mk_boot *b)
{
	elt_entry e[MK_BOOT_MAX];
	mk_boot_entries(b, e);
	printf("boot catalog:      LBA %u\n", mk_boot_catalog_lba(b));
	for (unsigned i = 0; i < b->n; i++)
		printf("boot entry %u:      %s, %s, LBA %u, %u virtual sectors, %s\n", i + 1,
		       platform_name(e[i].platform), emul_name(e[i].emul), e[i].lba, e[i].sector_count,
		       b->img[i].path);
	if (!b->system_area)
		return;
	printf("hybrid:            %s%s\n", b->hybrid == HYB_GPT ? "GPT (protective MBR)" : b->hybrid == HYB_MBR_GPT ? "MBR and GPT" : "MBR",
	       b->mbr_code_len ? ", MBR boot code" : "");
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = b->system_area + 446 + 16 * i;
		if (p[4] || dm_get_le32(p + 12)) /* a used entry: a type, or sectors (type 00h) */
			printf("  MBR partition %d: type %02Xh%s, 512-byte sectors %u + %u\n", i + 1, p[4],
			       p[0] == 0x80 ? " active" : "", dm_get_le32(p + 8), dm_get_le32(p + 12));
	}
	if (b->hybrid == HYB_GPT || b->hybrid == HYB_MBR_GPT) {
		/* The entries as written (hybrid.c): their names are ASCII in UTF-16LE. */
		for (unsigned i = 0; i < HYB_GPT_ENTRIES; i++) {
			const uint8_t *g = b->system_area + 1024 + i * HYB_GPT_ENTRY_SIZE;
			if (type_unused(g))
				continue;
			char name[37];
			size_t k = 0;
			for (; k < 36 && dm_get_le16(g + 56 + 2 * k); k++)
				name[k] = (char)dm_get_le16(g + 56 + 2 * k);
			name[k] = '\0';
			printf("  GPT partition %u: %s, 512-byte sectors %llu to %llu\n", i + 1, name,
			       (unsigned long long)dm_get_le64(g + 32),
			       (unsigned long long)dm_get_le64(g + 40));
		}
	}
}

void mk_print_layout(const mk_tree *tree, const image_plan *plan, const mk_media *media,
		     const mk_boot *boot)
{
	mk_tree_stats st;
	mk_tree_stats_get(tree, &st);
	uint64_t data = 0;
	for (uint32_t i = 0; i < plan->ndata; i++)
		data += (plan->data[i]->size + DM_SECTOR - 1) / DM_SECTOR;
	printf("files:             %llu (%llu hard links), %llu bytes\n", (unsigned long long)st.files,
	       (unsigned long long)st.hardlinks, (unsigned long long)st.bytes);
	printf("directories:       %llu\n", (unsigned long long)st.dirs);
	printf("symlinks:          %llu\nspecial files:     %llu\n", (unsigned long long)st.symlinks,
	       (unsigned long long)st.specials);
	/* A later session (--previous): what it writes starts at its base; the total is the
	 * disc's end, which its volume space size records (ECMA-119 8.4.8). */
	uint32_t base = plan->iso ? plan->iso->opts.base : 0;
	if (base)
		printf("earlier sessions:  sectors 0 to %u (the new session starts at LBA %u)\n",
		       base - 1, base);
	printf("sectors:\n  system area                 16\n");
	uint64_t used = 16 + data;
	const iso_plan *iso = plan->iso;
	if (iso) {
		uint32_t vds = iso->term_lba - iso->pvd_lba + 1;
		uint64_t pt = 0;
		const iso_hier *hs[2] = {&iso->primary, iso->opts.joliet ? &iso->joliet : NULL};
		for (int i = 0; i < 2; i++)
			if (hs[i])
				pt += 2 * ((hs[i]->pt_size + DM_SECTOR - 1) / DM_SECTOR);
		printf("  volume descriptors          %u\n", vds);
		printf("  path tables                 %llu\n", (unsigned long long)pt);
		printf("  ISO 9660 directories        %u\n", iso->primary.dirs_sectors);
		if (iso->opts.joliet)
			printf("  Joliet directories          %u\n", iso->joliet.dirs_sectors);
		if (iso->opts.rockridge)
			printf("  Rock Ridge continuation     %u\n", iso->ce_sectors);
		used += vds + pt + iso->primary.dirs_sectors + iso->joliet.dirs_sectors + iso->ce_sectors;
	}
	uint64_t fs_end = plan->total_sectors - plan->tail_sectors;
	if (plan->udf)
		printf("  UDF structures and gaps     %llu\n",
		       (unsigned long long)(fs_end > used ? fs_end - used : 0));
	printf("  file data                   %llu\n", (unsigned long long)data);
	if (plan->tail_sectors)
		printf("  backup GPT (after the image) %u\n", plan->tail_sectors);
	if (base)
		printf("session:           %u sectors, %llu bytes (%.1f MiB)\n", plan->total_sectors - base,
		       (unsigned long long)(plan->total_sectors - base) * 2048,
		       (plan->total_sectors - base) * 2048.0 / 1048576.0);
	printf("total:             %u sectors, %llu bytes (%.1f MiB)\n", plan->total_sectors,
	       (unsigned long long)plan->total_sectors * DM_SECTOR, plan->total_sectors * (double)DM_SECTOR / 1048576.0);
	if (media)
		printf("media:             %llu sectors, %llu free\n", (unsigned long long)media->sectors,
		       (unsigned long long)(media->sectors - plan->total_sectors));
	if (boot)
		print_boot(boot);
}

