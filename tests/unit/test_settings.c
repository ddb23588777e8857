/* mkimage/settings.c, options.c, mkisofs.c: the settings table and its three fillers (the
 * command line, a manifest's settings part, mkisofs's options), the resolve rules, and the
 * printer --print-manifest uses. Table-driven: argv -> settings, or the exact message. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage/boot/hybrid.h"
#include "mkimage/iso/iso_names.h"
#include "mkimage/mkisofs.h"
#include "mkimage/options.h"
#include "mkimage/settings.h"
#include "mkimage/settings_resolve.h"
#include "mkimage/source/manifest.h"

#define MAXARGS 64

/* argv from a NULL-terminated list (the parsers reorder argv: each call gets a copy). */
static int make_argv(char **argv, const char *const *args)
{
	int n = 0;
	while (args[n] && n < MAXARGS - 1) {
		argv[n] = (char *)args[n];
		n++;
	}
	argv[n] = NULL;
	return n;
}

/* The command line filler on a copy of args, with a fresh ctx. */
static dm_status parse_cli(const char *const *args, mk_settings *s, dm_ctx *ctx)
{
	char *argv[MAXARGS];
	int argc = make_argv(argv, args);
	dm_ctx_init(ctx);
	return mk_options_parse(s, argc, argv, ctx);
}

/* mkisofs's filler likewise: 0, MK_MKISOFS_EXIT or an error status. */
static int parse_iso(const char *const *args, mk_settings *s, dm_ctx *ctx)
{
	char *argv[MAXARGS];
	int argc = make_argv(argv, args);
	dm_ctx_init(ctx);
	return mk_mkisofs_parse(s, argc, argv, ctx);
}

/* A table case's message: the one that differs is printed with its case number. */
static void check_msg(size_t i, const char *got, const char *want)
{
	if (strcmp(got, want))
		fprintf(stderr, "\ncase %zu: got '%s'\n", i, got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* args refused by the command line filler with exactly msg. */
static void cli_refuses(const char *const *args, const char *msg)
{
	mk_settings s;
	dm_ctx ctx;
	CU_ASSERT_NOT_EQUAL(parse_cli(args, &s, &ctx), DM_OK);
	CU_ASSERT_STRING_EQUAL(ctx.msg, msg);
	mk_settings_free(&s);
}

/* args parsed and resolved (no epoch, time 0) into r; fatal when either step fails. */
static void resolve_cli(const char *const *args, mk_resolved *r)
{
	mk_settings s;
	dm_ctx ctx;
	CU_ASSERT_EQUAL_FATAL(parse_cli(args, &s, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&s, -1, 0, r, &ctx), DM_OK);
	mk_settings_free(&s);
}

/* What the printer writes for s (as --print-manifest does), then tail; the caller frees it. */
static char *print_settings(const mk_settings *s, const char *tail, size_t *len)
{
	char *buf = NULL;
	*len = 0;
	FILE *f = open_memstream(&buf, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	mk_settings_print(f, s);
	fputs(tail, f);
	fclose(f);
	return buf;
}

#define ROOT_TAIL "  <root/>\n</image>\n"

/* A manifest text the schema takes, its settings part read into r; fatal when either step
 * fails. The caller frees the manifest (r points into it). */
static mk_manifest *read_settings(const char *xml, size_t len, const char *name, mk_settings *r,
				  dm_ctx *ctx)
{
	mk_diags d = {0};
	mk_manifest *m = NULL;
	dm_status st = mk_manifest_parse(&m, xml, len, name, NULL, TEST_SCHEMA, &d, ctx);
	mk_diags_free(&d);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_settings_from_manifest(r, m, ctx), DM_OK);
	return m;
}

/* s printed (then freed) as --print-manifest prints it and read back as p.xml: *buf the
 * text, r its settings; the caller frees the text and the manifest returned. */
static mk_manifest *print_read(mk_settings *s, char **buf, mk_settings *r, dm_ctx *ctx)
{
	size_t len;
	*buf = print_settings(s, ROOT_TAIL, &len);
	mk_settings_free(s);
	return read_settings(*buf, len, "p.xml", r, ctx);
}

/* The command line args over the manifest's settings r, as main.c merges them, into c.
 * With m, r is first read afresh from it (an earlier merge has taken from r). */
static void merge_under(const char *const *args, const mk_manifest *m, mk_settings *c, mk_settings *r,
			dm_ctx *ctx)
{
	if (m) {
		CU_ASSERT_EQUAL_FATAL(mk_settings_from_manifest(r, m, ctx), DM_OK);
	}
	CU_ASSERT_EQUAL_FATAL(parse_cli(args, c, ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_settings_merge(c, r), DM_OK);
}

/* A command line naming the manifest and giving nothing else. */
static const char *const plain_cli[] = {"mkimage", "-m", "p.xml", "-o", "x.iso", NULL};

/* A manifest the schema takes whose settings part is refused with exactly msg. */
static void manifest_refuses(const char *xml, const char *name, const char *msg)
{
	mk_diags d = {0};
	mk_manifest *m = NULL;
	mk_settings r;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_manifest_parse(&m, xml, strlen(xml), name, NULL, TEST_SCHEMA, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_settings_from_manifest(&r, m, &ctx), DM_ERR_INVALID);
	CU_ASSERT_STRING_EQUAL(ctx.msg, msg);
	mk_settings_free(&r);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* A manifest the schema refuses (a value of the wrong form). */
static void schema_refuses(const char *xml)
{
	mk_diags d = {0};
	mk_manifest *m = NULL;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_NOT_EQUAL(mk_manifest_parse(&m, xml, strlen(xml), "w.xml", NULL, TEST_SCHEMA, &d, &ctx), DM_OK);
	mk_manifest_free(m);
	mk_diags_free(&d);
}

/* Every row names a distinct flag, node/attribute pair and given bit. */
static void test_table_unique(void)
{
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *a = &mk_settings_defs[i];
		CU_ASSERT(a->name || a->node);
		for (size_t j = i + 1; j < mk_settings_ndefs; j++) {
			const mk_setting_def *b = &mk_settings_defs[j];
			if (a->name && b->name)
				CU_ASSERT(strcmp(a->name, b->name) != 0);
			if (a->short_flag)
				CU_ASSERT(a->short_flag != b->short_flag);
			if (a->node && b->node && !strcmp(a->node, b->node))
				CU_ASSERT((a->attr == NULL) != (b->attr == NULL) ||
					  (a->attr && strcmp(a->attr, b->attr) != 0));
		}
		if (a->name)
			CU_ASSERT_PTR_EQUAL(mk_settings_find_flag(a->name, strlen(a->name), 0), a);
		if (a->node)
			CU_ASSERT_PTR_EQUAL(mk_settings_find_node(a->node, a->attr), a);
	}
}

static const struct cli_case {
	const char *args[MAXARGS];
	const char *error;        /* NULL: parses */
} cli_cases[] = {
	{{"mkimage", "-o", "x.iso", "src", NULL}, NULL},
	{{"mkimage", "--bogus", "-o", "x.iso", "src", NULL}, "unknown option --bogus"},
	{{"mkimage", "-o", "x.iso", "-Q", "src", NULL}, "unknown option -Q"},
	{{"mkimage", "-o", "x.iso", "--bogus=3", "src", NULL}, "unknown option --bogus"},
	{{"mkimage", "-o", NULL}, "option -o needs a value"},
	{{"mkimage", "src", "--iso-level", NULL}, "option --iso-level needs a value"},
	{{"mkimage", "-o", "x.iso", "--iso-level", "4", "src", NULL}, "--iso-level: '4' is not 1, 2 or 3"},
	{{"mkimage", "-o", "x.iso", "--iso-level", "1", "--iso-level=2", "src", NULL},
	 "--iso-level: given twice (it cannot repeat)"},
	{{"mkimage", "-o", "x.iso", "-o", "y.iso", "src", NULL}, "-o: given twice (it cannot repeat)"},
	{{"mkimage", "-o", "x.iso", "--fs", "iso9660,hfs", "src", NULL},
	 "--fs: unknown filesystem 'hfs' (known: iso9660, joliet, rockridge, udf)"},
	{{"mkimage", "-o", "x.iso", "--joliet-long=yes", "src", NULL}, "option --joliet-long takes no value"},
	{{"mkimage", "-o", "x.iso", "--boot-info-table", "src", NULL},
	 "--boot-emul, --boot-load-size, --boot-load-seg and --boot-info-table describe the --boot-bios "
	 "image; no --boot-bios given"},
	{{"mkimage", "-o", "x.iso", "--boot-bios", "a", "--boot-emul", "none", "--boot-emul", "hdd", "src", NULL},
	 "--boot-emul: given twice for one boot image"},
	{{"mkimage", "-o", "x.iso", "--boot-bios", "a", "--boot-emul", "floppy", "--boot-info-table", "src", NULL},
	 "--boot-info-table applies to --boot-emul none"},
	{{"mkimage", "-o", "x.iso", "--hybrid", "src", NULL},
	 "--hybrid, --hybrid-mbr and --hybrid-table make a bootable image bootable from a disk too: give "
	 "--boot-bios and/or --boot-efi"},
	{{"mkimage", "-o", "x.iso", "--fs", "udf", "--boot-efi", "e", "src", NULL},
	 "booting (El Torito) needs ISO 9660: --fs udf alone cannot boot"},
	{{"mkimage", "--boot-load-size", "0", "-o", "x.iso", "src", NULL},
	 "--boot-load-size: '0' is not a number from 1 to 65535"},
	{{"mkimage", "-o", "x.iso", NULL}, "no SOURCE given"},
	/* main's command-line-only rows: pure UDF flags, deep directory relocation. */
	{{"mkimage", "-o", "x.iso", "--fs", "udf", "--udf-embed", "--udf-special", "--rr-relocate", "src", NULL}, NULL},
	{{"mkimage", "-o", "x.iso", "--udf-embed", "src", NULL},
	 "--udf-embed applies to pure UDF images (--fs udf): in a bridge ISO 9660 needs every file's data "
	 "in sectors of its own"},
	{{"mkimage", "-o", "x.iso", "--fs", "iso9660,udf", "--udf-special", "src", NULL},
	 "--udf-special applies to pure UDF images (--fs udf): a bridge's UDF always records symlinks and "
	 "special files"},
	/* Multisession: the rows of --previous, --session-start, --remove and their rules. */
	{{"mkimage", "--previous", "d.img", "-o", "x.iso", NULL}, NULL},
	{{"mkimage", "--session-start", "100", "-o", "x.iso", "src", NULL}, NULL},
	{{"mkimage", "--remove", "/a", "-o", "x.iso", "src", NULL},
	 "--remove goes with --previous (it takes entries out of the previous session's tree)"},
	{{"mkimage", "--previous", "d", "--session-start", "1,x", "-o", "x.iso", NULL},
	 "--session-start: 'x' is not a sector number"},
	{{"mkimage", "--previous", "d", "--session-start", ",5", "-o", "x.iso", NULL},
	 "--session-start: '' is not a sector number"},
	{{"mkimage", "--previous", "d", "--session-start", "4294967295", "-o", "x.iso", NULL},
	 "--session-start: '4294967295' is not a sector number (at most 4294967280)"},
	{{"mkimage", "--previous", "d", "--previous", "e", "-o", "x.iso", NULL},
	 "--previous: given twice (it cannot repeat)"},
	{{"mkimage", "--previous", "d", "--implant-md5", "-o", "x.iso", NULL},
	 "--implant-md5 sums a whole image from LBA 0: a later session (--previous) is not one"},
	{{"mkimage", "--previous", "d", "--print-manifest", "src", NULL},
	 "--print-manifest cannot describe a previous session"},
	{{"mkimage", "src", NULL}, "no output given (-o OUT, or -o - for standard output)"},
	/* --partition-offset: 0 or from 16, once; not with UDF nor a later session. */
	{{"mkimage", "-o", "x.iso", "--partition-offset", "16", "src", NULL}, NULL},
	{{"mkimage", "-o", "x.iso", "--partition-offset=0", "src", NULL}, NULL},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "268435456", "src", NULL}, NULL},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "8", "src", NULL},
	 "--partition-offset: '8' is not 0 or a number of 2048-byte blocks from 16"},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "268435457", "src", NULL},
	 "--partition-offset: '268435457' is not 0 or a number of 2048-byte blocks from 16"},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "16k", "src", NULL},
	 "--partition-offset: '16k' is not 0 or a number of 2048-byte blocks from 16"},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "-16", "src", NULL},
	 "--partition-offset: '-16' is not 0 or a number of 2048-byte blocks from 16"},
	{{"mkimage", "-o", "x.iso", "--partition-offset", "16", "--partition-offset", "32", "src", NULL},
	 "--partition-offset: given twice (it cannot repeat)"},
	{{"mkimage", "-o", "x.iso", "--fs", "iso9660,udf", "--partition-offset", "16", "src", NULL},
	 "--partition-offset with UDF (--fs): the partition holds a second ISO 9660 tree, not a UDF one; "
	 "not both"},
	{{"mkimage", "--previous", "d", "--partition-offset", "16", "-o", "x.iso", NULL},
	 "--previous: --partition-offset belongs to a first session (its second superblock is at a fixed "
	 "block of the disc)"},
};

static void test_cli(void)
{
	for (size_t i = 0; i < sizeof(cli_cases) / sizeof(cli_cases[0]); i++) {
		mk_settings s;
		dm_ctx ctx;
		dm_status st = parse_cli(cli_cases[i].args, &s, &ctx);
		if (cli_cases[i].error) {
			/* A usage error, or a combination mkimage does not make. */
			CU_ASSERT(st == DM_ERR_INVALID || st == DM_ERR_UNSUPPORTED);
			check_msg(i, ctx.msg, cli_cases[i].error);
		} else {
			CU_ASSERT_EQUAL(st, DM_OK);
		}
		mk_settings_free(&s);
	}
}

/* Several BIOS entries (a second --boot-bios is a second entry, not a replacement), each
 * with its own settings, given before or after its image. */
static void test_cli_entries(void)
{
	const char *args[] = {"mkimage", "--boot-emul", "floppy", "--boot-bios", "a.img", "--boot-bios",
			      "b.img", "--boot-load-size", "8", "--boot-efi", "e.img", "-o", "x.iso",
			      "src", "--fs=iso9660,udf", NULL};
	mk_settings s;
	dm_ctx ctx;
	CU_ASSERT_EQUAL_FATAL(parse_cli(args, &s, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(s.nboot, 3);
	CU_ASSERT_STRING_EQUAL(s.boot[0].path, "a.img");
	CU_ASSERT_EQUAL(s.boot[0].emul, MK_BOOT_EMUL_FLOPPY);
	CU_ASSERT_STRING_EQUAL(s.boot[1].path, "b.img");
	CU_ASSERT_EQUAL(s.boot[1].load_size, 8);
	CU_ASSERT_EQUAL(s.boot[1].emul, MK_BOOT_EMUL_NONE);
	CU_ASSERT_EQUAL(s.boot[2].platform, ELT_PLATFORM_EFI);
	CU_ASSERT_EQUAL(s.fs, MK_FS_ISO9660 | MK_FS_UDF);
	CU_ASSERT_EQUAL(s.nsources, 1);
	CU_ASSERT_STRING_EQUAL(s.sources[0], "src");
	/* Resolved in catalog order, BIOS entries first. */
	mk_resolved r;
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&s, 5, 9, &r, &ctx), DM_OK);
	CU_ASSERT_EQUAL(r.boot.n, 3);
	CU_ASSERT_EQUAL(r.boot.img[1].load_size, 8);
	CU_ASSERT_EQUAL(r.boot.img[2].platform, ELT_PLATFORM_EFI);
	CU_ASSERT_EQUAL(r.boot.hybrid, HYB_NONE);
	CU_ASSERT_EQUAL(r.im.iso_o.volume_time, 5);
	CU_ASSERT_EQUAL(r.im.udf_o.rev, 0x0102);
	mk_settings_free(&s);
}

/* --media bd adds a UDF bridge unless --fs says which filesystems (mkimage.1). */
static void test_media_bridge(void)
{
	static const struct {
		const char *args[MAXARGS];
		int udf;
	} cases[] = {
		{{"mkimage", "--media", "bd", "-o", "x.iso", "src", NULL}, 1},
		{{"mkimage", "--media", "bd", "--fs", "iso9660,joliet", "-o", "x.iso", "src", NULL}, 0},
		{{"mkimage", "--media", "dvd", "-o", "x.iso", "src", NULL}, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_resolved r;
		resolve_cli(cases[i].args, &r);
		CU_ASSERT_EQUAL(r.im.udf, cases[i].udf);
		CU_ASSERT_EQUAL(r.im.iso, 1);
	}
}

/* --rr-relocate, --udf-embed, --udf-special reach the planners' options; a bridge keeps
 * special files in UDF, a pure UDF image only when asked. */
static void test_cli_only_rows(void)
{
	static const struct {
		const char *args[MAXARGS];
		int embed, special, reloc;
	} cases[] = {
		{{"mkimage", "--fs", "udf", "--udf-embed", "--udf-special", "--rr-relocate", "-o", "x.iso", "src",
		  NULL}, 1, 1, 1},
		{{"mkimage", "--fs", "udf", "-o", "x.iso", "src", NULL}, 0, 0, 0},
		{{"mkimage", "--fs", "iso9660,udf", "-o", "x.iso", "src", NULL}, 0, 1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_resolved r;
		resolve_cli(cases[i].args, &r);
		CU_ASSERT_EQUAL(r.im.udf_o.embed, cases[i].embed);
		CU_ASSERT_EQUAL(r.im.udf_o.special, cases[i].special);
		CU_ASSERT_EQUAL(r.im.iso_o.rr_relocate, cases[i].reloc);
	}
}

static const struct iso_case {
	const char *args[MAXARGS];
	const char *error;
} iso_errors[] = {
	{{"mkisofs", "-o", "x.iso", "-bogus", "d", NULL}, "unknown option -bogus"},
	{{"mkisofs", "-o", "x.iso", "--frobnicate=1", "d", NULL}, "unknown option --frobnicate=1"},
	{{"mkisofs", "-o", "x.iso", "-V", "A", "-volid", "B", "d", NULL}, "-volid: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-iso-level", "5", "d", NULL}, "-iso-level: '5' is not 1, 2 or 3"},
	{{"mkisofs", "-o", "x.iso", "-sysid", "A", "-sysid", "B", "d", NULL}, "-sysid: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-c", "a.cat", "-eltorito-catalog", "b.cat", "d", NULL},
	 "-eltorito-catalog: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-no-emul-boot", "d", NULL},
	 "-no-emul-boot describes an El Torito boot image: give -b or -e before it"},
	{{"mkisofs", "-o", "x.iso", "-b", "a", "-b", "b", "d", NULL},
	 "-b b: this El Torito entry already has the image a (give -eltorito-alt-boot before another boot image)"},
	{{"mkisofs", "-o", "x.iso", "-b", "a", "-boot-info-table", "-boot-info-table", "d", NULL},
	 "-boot-info-table given twice for one El Torito entry"},
	{{"mkisofs", "-o", "x.iso", "-b", "a", "-boot-load-size", "0", "d", NULL},
	 "-boot-load-size: '0' is not a number from 1 to 65535"},
	{{"mkisofs", "-o", "x.iso", "--modification-date=2026-12", "d", NULL},
	 "--modification-date=2026-12: '2026-12' is not a time from 1970 to 9999 (seconds since 1970, "
	 "YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)"},
	{{"mkisofs", "-o", "x.iso", "--modification-date=2026130100000000", "d", NULL},
	 "--modification-date=2026130100000000: '2026130100000000' is not a time from 1970 to 9999 "
	 "(seconds since 1970, YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)"},
	{{"mkisofs", "-o", "x.iso", "--modification-date=1969123123595900", "d", NULL},
	 "--modification-date=1969123123595900: '1969123123595900' is not a time from 1970 to 9999 "
	 "(seconds since 1970, YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)"},
	{{"mkisofs", "-o", "x.iso", "--modification-date=2026120709080600",
	  "--modification-date=2026120709080600", "d", NULL},
	 "--modification-date: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-sort-weight", "1", NULL}, "option -sort-weight needs 2 values"},
	{{"mkisofs", "-o", "x.iso", NULL}, "no pathspec given"},
	{{"mkisofs", "-o", "x.iso", "-C", "0,1000", "-udf", "d", NULL},
	 "-C without -M: a UDF volume at a later address needs the previous session's partition; make "
	 "this session ISO 9660 only"},
	{{"mkisofs", "-o", "x.iso", "-M", "old.iso", "-C", "0,abc", "d", NULL}, "-C: 'abc' is not a sector number"},
	{{"mkisofs", "-o", "x.iso", "-M", "old.iso", "-M", "b.iso", "d", NULL}, "-M: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-M", "old.iso", "-b", "boot.img", "d", NULL},
	 "-M: a later session cannot be made bootable (El Torito and hybrid tables belong to the first "
	 "session)"},
	{{"mkisofs", "-o", "x.iso", "-append_partition", "5", "0xef", "f", "d", NULL},
	 "-append_partition: partition number '5' is not 1 to 4"},
	{{"mkisofs", "-o", "x.iso", "-append_partition", "2", "0x1ff", "f", "d", NULL},
	 "-append_partition: type '0x1ff' is not a byte nor a GUID"},
	{{"mkisofs", "-o", "x.iso", "-append_partition", "2", "0xef", "f", "d", NULL},
	 "-append_partition needs an El Torito boot image (-b or -e) in mkimage"},
	{{"mkisofs", "-o", "x.iso", "-b", "b", "-append_partition", "2", "0xef", "f", "-append_partition", "2",
	  "0x83", "g", "d", NULL},
	 "-append_partition: partition 2 given twice"},
	/* -partition_offset: the --partition-offset row, messages in mkisofs's spelling. */
	{{"mkisofs", "-o", "x.iso", "-partition_offset", "8", "d", NULL},
	 "-partition_offset: '8' is not 0 or a number of 2048-byte blocks from 16"},
	{{"mkisofs", "-o", "x.iso", "-partition_offset", "16", "--partition_offset=16", "d", NULL},
	 "--partition_offset: given twice (it cannot repeat)"},
	{{"mkisofs", "-o", "x.iso", "-udf", "-partition_offset", "16", "d", NULL},
	 "-partition_offset with -udf: the partition holds a second ISO 9660 tree, not a UDF one; not both"},
	{{"mkisofs", "-o", "x.iso", "-M", "old.iso", "-partition_offset", "16", "d", NULL},
	 "-M: -partition_offset belongs to a first session (its second superblock is at a fixed block of "
	 "the disc)"},
	{{"mkisofs", "-partition-offset", "16", "d", NULL}, "unknown option -partition-offset"},
	/* --print-manifest: refused for what a manifest cannot say (rather than dropped). */
	{{"mkisofs", "-R", "-U", "-print-size", "-partition_offset", "16", "--print-manifest", "d", NULL},
	 "--print-manifest: a manifest cannot say what -print-size does; make the image with the options "
	 "instead"},
	{{"mkisofs", "--print-manifest", "-e", "e", "-no-emul-boot", "--grub2-boot-info", "d", NULL},
	 "--print-manifest: a manifest cannot say what --grub2-boot-info after -e does; make the image "
	 "with the options instead"},
	{{"mkisofs", "-o", "x.iso", "-b", "b", "-isohybrid-mbr", "m", "--grub2-mbr", "g", "d", NULL},
	 "-isohybrid-mbr and --grub2-mbr: the MBR has one boot code; give one of them"},
	{{"mkisofs", "-o", "x.iso", "-b", "b", "--grub2-mbr", "g", "--grub2-mbr", "g", "d", NULL},
	 "--grub2-mbr: given twice (it cannot repeat)"},
	{{"mkisofs", "--print-manifest", "-e", "efi.img", "-no-emul-boot", "-boot-load-size", "8", "d", NULL},
	 "--print-manifest: a manifest cannot say what -boot-load-size after -e does; make the image with "
	 "the options instead"},
};

static void test_mkisofs_errors(void)
{
	for (size_t i = 0; i < sizeof(iso_errors) / sizeof(iso_errors[0]); i++) {
		mk_settings s;
		dm_ctx ctx;
		int r = parse_iso(iso_errors[i].args, &s, &ctx);
		CU_ASSERT(r != 0 && r != MK_MKISOFS_EXIT);
		check_msg(i, ctx.msg, iso_errors[i].error);
		mk_settings_free(&s);
	}
}

/* The defaults differ from mkimage's: plain ISO 9660 level 1. */
static void test_mkisofs_defaults(void)
{
	const char *args[] = {"genisoimage", "-output", "seed.iso", "-volid", "cidata", "-joliet", "-rock",
			      "/etc/hostname", "/", NULL};
	mk_settings s;
	dm_ctx ctx;
	CU_ASSERT_EQUAL_FATAL(parse_iso(args, &s, &ctx), 0);
	CU_ASSERT_STRING_EQUAL(s.output, "seed.iso");
	CU_ASSERT_STRING_EQUAL(s.volume_id, "cidata");
	CU_ASSERT_EQUAL(s.fs, MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE);
	CU_ASSERT_EQUAL(s.iso_level, 1);
	CU_ASSERT_EQUAL(s.rr_rational, 0);
	/* A file goes to the root under its name; a directory's contents go to the root. */
	CU_ASSERT_EQUAL_FATAL(s.nsources, 2);
	CU_ASSERT(s.sources_nul);
	CU_ASSERT_STRING_EQUAL(s.sources[0], "/hostname");
	CU_ASSERT_STRING_EQUAL(s.sources[0] + 10, "/etc/hostname");
	CU_ASSERT_STRING_EQUAL(s.sources[1], "/");
	CU_ASSERT_STRING_EQUAL(s.sources[1] + 2, "/");
	mk_settings_free(&s);

	const char *plain[] = {"mkisofs", "-o", "x.iso", "-l", "/", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(plain, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.fs, MK_FS_ISO9660);
	CU_ASSERT_EQUAL(s.iso_level, 2);
	mk_settings_free(&s);
}

/* What grub-mkrescue sends (GRUB 2.06), HFS+ options included. */
static void test_mkisofs_grub(void)
{
	const char *args[] = {"xorriso", "-graft-points", "--modification-date=2026120709080600", "-b",
			      "boot/grub/i386-pc/eltorito.img", "-no-emul-boot", "-boot-load-size", "4",
			      "-boot-info-table", "--grub2-boot-info", "--grub2-mbr", "/x/boot_hybrid.img",
			      "-hfsplus", "-apm-block-size", "2048", "-hfsplus-file-creator-type", "chrp",
			      "tbxj", "/System/.disk_label", "-hfs-bless-by", "i", "/System/boot.efi",
			      "--efi-boot", "efi.img", "-efi-boot-part", "--efi-boot-image",
			      "--protective-msdos-label", "-o", "x.iso", "-r", "/", "--sort-weight", "0",
			      "/", "--sort-weight", "1", "/boot", "/tmp/a\\=b=/", NULL};
	mk_settings s;
	dm_ctx ctx;
	int rc = parse_iso(args, &s, &ctx);
	if (rc)
		fprintf(stderr, "\n%s\n", ctx.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(s.fs, MK_FS_ISO9660 | MK_FS_ROCKRIDGE);
	CU_ASSERT_EQUAL(s.rr_rational, 1);
	CU_ASSERT_EQUAL_FATAL(s.nboot, 2);
	CU_ASSERT_STRING_EQUAL(s.boot[0].path, "boot/grub/i386-pc/eltorito.img");
	CU_ASSERT_EQUAL(s.boot[0].platform, ELT_PLATFORM_X86);
	CU_ASSERT_EQUAL(s.boot[0].load_size, 4);
	CU_ASSERT(s.boot[0].info_table && s.boot[0].grub2_info);
	CU_ASSERT_STRING_EQUAL(s.boot[1].path, "efi.img");
	CU_ASSERT_EQUAL(s.boot[1].platform, ELT_PLATFORM_EFI);
	CU_ASSERT_EQUAL(s.hybrid, HYB_GPT);
	CU_ASSERT_PTR_NULL(s.hybrid_mbr);
	CU_ASSERT_STRING_EQUAL(s.hybrid_grub2_mbr, "/x/boot_hybrid.img");
	CU_ASSERT(mk_settings_given(&s, "hybrid-grub2-mbr"));
	/* 2026-12-07 09:08:06 UTC */
	CU_ASSERT_EQUAL(s.volume_time, 1796634486);
	CU_ASSERT_EQUAL_FATAL(s.nweights, 2);
	CU_ASSERT_EQUAL(s.weights[1].weight, 1);
	CU_ASSERT_STRING_EQUAL(s.weights[1].path, "/boot");
	/* -graft-points: "\=" is an '=' of the path in the image. */
	CU_ASSERT_EQUAL_FATAL(s.nsources, 2);
	CU_ASSERT_STRING_EQUAL(s.sources[0], "/");
	CU_ASSERT_STRING_EQUAL(s.sources[1], "/tmp/a=b");
	CU_ASSERT_STRING_EQUAL(s.sources[1] + 9, "/");
	mk_settings_free(&s);
}

/* Probes: -help and -version answer and end the run; the help names the options callers
 * look for in it. */
static void test_mkisofs_probes(void)
{
	const char *help[] = {"mkimage", "-help", NULL}, *ver[] = {"mkimage", "-version", NULL};
	mk_settings s;
	dm_ctx ctx;
	CU_ASSERT_EQUAL(parse_iso(help, &s, &ctx), MK_MKISOFS_EXIT);
	CU_ASSERT(s.help);
	mk_settings_free(&s);
	CU_ASSERT_EQUAL(parse_iso(ver, &s, &ctx), MK_MKISOFS_EXIT);
	CU_ASSERT(s.version);
	mk_settings_free(&s);
	CU_ASSERT_PTR_NOT_NULL(strstr(mk_mkisofs_help, "--grub2-boot-info"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mk_mkisofs_help, "-efi-boot-part"));
	char *a1[] = {"/usr/bin/genisoimage", NULL}, *a2[] = {"mkimage", "-as", "mkisofs", NULL},
	     *a3[] = {"mkimage", "-o", "x", NULL};
	CU_ASSERT_EQUAL(mk_mkisofs_invoked(1, a1), 1);
	CU_ASSERT_EQUAL(mk_mkisofs_invoked(3, a2), 2);
	CU_ASSERT_EQUAL(mk_mkisofs_invoked(3, a3), 0);
}

/* The manifest filler and the printer: what is printed reads back to the same settings. */
static void test_print_roundtrip(void)
{
	mk_settings s;
	mk_settings_init(&s);
	s.epoch = 1600000000;
	s.fs = MK_FS_ISO9660 | MK_FS_UDF;
	s.iso_level = 2;
	s.udf_rev = 0x0250;
	s.volume_id = "V<&>";
	s.media = "dvd";
	mk_boot_spec *e = mk_settings_new_entry(&s, ELT_PLATFORM_X86);
	e->path = "/boot/b.img";
	e->load_size = 8;
	e->load_seg = 0x7c0;
	e->info_table = 1;
	e = mk_settings_new_entry(&s, ELT_PLATFORM_EFI);
	e->path = "/efi.img";
	s.hybrid = HYB_GPT;
	s.boot_catalog = "/boot/cat";
	size_t len;
	char *buf = print_settings(&s, ROOT_TAIL, &len);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<image version=\"1\" epoch=\"1600000000\">\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  <filesystems>iso9660 udf</filesystems>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  <iso level=\"2\" joliet-long=\"false\"/>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "    <bios image=\"/boot/b.img\" emulation=\"none\" load-size=\"8\" "
					   "load-segment=\"0x7c0\" info-table=\"true\"/>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "    <hybrid table=\"gpt\"/>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "id=\"V&lt;&amp;&gt;\""));
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_settings r;
	mk_manifest *m = read_settings(buf, len, "p.xml", &r, &ctx);
	CU_ASSERT_EQUAL(r.epoch, 1600000000);
	CU_ASSERT_EQUAL(r.fs, s.fs);
	CU_ASSERT_EQUAL(r.iso_level, 2);
	CU_ASSERT_EQUAL(r.udf_rev, 0x0250);
	CU_ASSERT_STRING_EQUAL(r.volume_id, "V<&>");
	CU_ASSERT_STRING_EQUAL(r.media, "dvd");
	CU_ASSERT_EQUAL_FATAL(r.nboot, 2);
	CU_ASSERT_EQUAL(r.boot[0].load_seg, 0x7c0);
	CU_ASSERT_EQUAL(r.boot[0].info_table, 1);
	CU_ASSERT_STRING_EQUAL(r.boot[1].path, "/efi.img");
	CU_ASSERT_EQUAL(r.hybrid, HYB_GPT);
	CU_ASSERT_STRING_EQUAL(r.boot_catalog, "/boot/cat");
	/* The command line over the manifest: what it gives wins, the rest comes from below. */
	mk_settings over;
	static const char *const cli[] = {"mkimage", "--iso-level", "3", "-m", "p.xml", "-o", "x.iso", NULL};
	merge_under(cli, NULL, &over, &r, &ctx);
	CU_ASSERT_EQUAL(over.iso_level, 3);
	CU_ASSERT_EQUAL(over.fs, s.fs);
	CU_ASSERT_EQUAL(over.nboot, 2);
	CU_ASSERT(over.boot_from_manifest);
	CU_ASSERT_STRING_EQUAL(over.volume_id, "V<&>");
	mk_manifest_free(m);
	/* A bad value names the manifest's line and attribute. */
	manifest_refuses("<image version='1'>\n<iso level='1'/>\n<boot><bios image='/b' load-size='0'/></boot>"
			 "<root/></image>",
			 "b.xml", "b.xml:3: load-size '0' is not a number from 1 to 65535");
	free(buf);
}

/* --partition-offset through the three fillers: the command line, mkisofs's -partition_offset
 * (the same row: its given bit) and <iso partition-offset>; printed, read back, merged under
 * the command line; a bad manifest value and the UDF rule after the merge. */
static void test_partition_offset(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const char *const cli[] = {"mkimage", "--partition-offset", "32", "-o", "x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.partition_offset, 32);
	CU_ASSERT(mk_settings_given(&c, "partition-offset"));
	mk_settings_free(&c);

	mk_settings s;
	const char *iso[] = {"xorrisofs", "-o", "x.iso", "-partition_offset", "16", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.partition_offset, 16);
	CU_ASSERT(mk_settings_given(&s, "partition-offset"));
	mk_settings_free(&s);
	/* --print-manifest in mkisofs mode: no image, so no standard output by default. */
	const char *pm[] = {"mkisofs", "-R", "-J", "-partition_offset", "16", "--print-manifest", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(pm, &s, &ctx), 0);
	CU_ASSERT(s.print_manifest);
	CU_ASSERT_PTR_NULL(s.output);
	CU_ASSERT_EQUAL(s.partition_offset, 16);

	/* Printed into <iso>, and read back. */
	char *buf;
	mk_settings r;
	mk_manifest *m = print_read(&s, &buf, &r, &ctx);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  <iso level=\"1\" joliet-long=\"false\" partition-offset=\"16\"/>\n"));
	CU_ASSERT_EQUAL(r.partition_offset, 16);
	CU_ASSERT(mk_settings_given(&r, "partition-offset"));
	/* Under a command line that does not give it: the manifest's. */
	merge_under(plain_cli, NULL, &c, &r, &ctx);
	CU_ASSERT_EQUAL(c.partition_offset, 16);
	CU_ASSERT_EQUAL(mk_settings_check(&c, &ctx), DM_OK);
	mk_settings_free(&c);
	/* Under one that does: the command line's. */
	static const char *const over[] = {"mkimage", "-m", "p.xml", "--partition-offset", "0", "-o", "x.iso", NULL};
	merge_under(over, m, &c, &r, &ctx);
	CU_ASSERT_EQUAL(c.partition_offset, 0);
	mk_settings_free(&c);
	mk_manifest_free(m);
	free(buf);

	/* A bad value: the manifest's line and attribute. */
	manifest_refuses("<image version='1'>\n<iso partition-offset='15'/>\n<root/></image>", "b.xml",
			 "b.xml:2: partition-offset '15' is not 0 or a number of 2048-byte blocks from 16");
	/* Not a number: the schema refuses it. */
	schema_refuses("<image version='1'><iso partition-offset='x'/><root/></image>");
	/* A manifest's UDF with it: refused once merged (main.c checks the merged settings). */
	const char *udf = "<image version='1'><filesystems>iso9660 udf</filesystems>"
			  "<iso partition-offset='16'/><root/></image>";
	m = read_settings(udf, strlen(udf), "u.xml", &r, &ctx);
	merge_under(plain_cli, NULL, &c, &r, &ctx);
	CU_ASSERT_EQUAL(mk_settings_check(&c, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_STRING_EQUAL(ctx.msg, "--partition-offset with UDF (--fs): the partition holds a second "
					"ISO 9660 tree, not a UDF one; not both");
	mk_settings_free(&c);
	mk_manifest_free(m);
}

/* --volume-time through the three fillers: the command line (its three forms), mkisofs's
 * --modification-date (the same row) and <volume time>; printed, read back, merged under the
 * command line; what resolve makes of it (the volume's time, not the epoch's). */
static void test_volume_time(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const char *const forms[] = {"1796634486", "2026-12-07T09:08:06Z", "2026120709080699"};
	for (size_t i = 0; i < 3; i++) {
		const char *cli[] = {"mkimage", "--volume-time", forms[i], "-o", "x.iso", "src", NULL};
		CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
		CU_ASSERT_EQUAL(c.volume_time, 1796634486);
		CU_ASSERT(mk_settings_given(&c, "volume-time"));
		mk_settings_free(&c);
	}
	static const char *const bad[] = {"mkimage", "--volume-time", "253402300800", "-o", "x.iso", "src", NULL};
	cli_refuses(bad, "--volume-time: '253402300800' is not a time from 1970 to 9999 (seconds since 1970, "
			 "YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)");

	mk_settings s;
	const char *iso[] = {"xorrisofs", "-R", "--modification-date=2026120709080600", "--print-manifest",
			     "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.volume_time, 1796634486);
	CU_ASSERT(mk_settings_given(&s, "volume-time"));
	CU_ASSERT(s.print_manifest);

	/* Printed into <volume>, and read back. */
	char *buf;
	mk_settings r;
	mk_manifest *m = print_read(&s, &buf, &r, &ctx);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " time=\"2026-12-07T09:08:06Z\"/>\n"));
	CU_ASSERT_EQUAL(r.volume_time, 1796634486);
	CU_ASSERT(mk_settings_given(&r, "volume-time"));
	/* Under a command line that does not give it: the manifest's, and resolve takes it over
	 * the epoch. */
	merge_under(plain_cli, NULL, &c, &r, &ctx);
	CU_ASSERT_EQUAL(c.volume_time, 1796634486);
	mk_resolved rs;
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT_EQUAL(rs.im.iso_o.volume_time, 1796634486);
	mk_settings_free(&c);
	/* Under one that does: the command line's. */
	static const char *const over[] = {"mkimage", "-m", "p.xml", "--volume-time", "0", "-o", "x.iso", NULL};
	merge_under(over, m, &c, &r, &ctx);
	CU_ASSERT_EQUAL(c.volume_time, 0);
	mk_settings_free(&c);
	mk_manifest_free(m);
	free(buf);

	/* A date the schema lets through but the row does not: the manifest's line. */
	manifest_refuses("<image version='1'>\n<volume time='1969123100000000'/>\n<root/></image>", "b.xml",
			 "b.xml:2: time '1969123100000000' is not a time from 1970 to 9999 (seconds since 1970, "
			 "YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)");
	/* Not a time at all: the schema refuses it. */
	schema_refuses("<image version='1'><volume time='noon'/><root/></image>");
}

/* --iso-names through the three fillers: the command line, mkisofs's -N and -U (one row, the
 * least translated winning: -N -U and -U -N are -U) and <iso names>; printed, read back,
 * merged under the command line; resolve hands the bits to the ISO 9660 planner. */
static void test_iso_names(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const struct {
		const char *v;
		int bits;
	} modes[] = {{"translated", 0}, {"no-version", ISO_NAMES_NO_VERSION},
		     {"untranslated", ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED}};
	for (size_t i = 0; i < 3; i++) {
		const char *cli[] = {"mkimage", "--iso-names", modes[i].v, "-o", "x.iso", "src", NULL};
		CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
		CU_ASSERT_EQUAL(c.iso_names, modes[i].bits);
		CU_ASSERT(mk_settings_given(&c, "iso-names"));
		mk_settings_free(&c);
	}
	static const char *const both[] = {"mkimage", "--iso-names", "untranslated", "--iso-names=no-version", "-o",
					   "x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(both, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.iso_names, ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED);
	mk_settings_free(&c);
	static const char *const bad[] = {"mkimage", "--iso-names", "plain", "-o", "x.iso", "src", NULL};
	cli_refuses(bad, "--iso-names: 'plain' is not translated, no-version or untranslated");

	mk_settings s;
	const char *n[] = {"genisoimage", "-N", "-o", "x.iso", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(n, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.iso_names, ISO_NAMES_NO_VERSION);
	CU_ASSERT(mk_settings_given(&s, "iso-names"));
	mk_settings_free(&s);
	const char *nu[] = {"genisoimage", "-N", "-U", "-N", "-o", "x.iso", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(nu, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.iso_names, ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED);
	mk_settings_free(&s);

	/* Printed into <iso> (each mode), and read back. */
	static const char *const pm[][8] = {
		{"xorrisofs", "-R", "-N", "--print-manifest", "d", NULL},
		{"xorrisofs", "-R", "-U", "-N", "--print-manifest", "d", NULL},
	};
	for (size_t i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(parse_iso(pm[i], &s, &ctx), 0);
		CU_ASSERT(s.print_manifest);
		int bits = s.iso_names;
		char *buf;
		mk_settings r;
		mk_manifest *m = print_read(&s, &buf, &r, &ctx);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, i ? "  <iso level=\"1\" joliet-long=\"false\" names=\"untranslated\"/>\n"
						     : "  <iso level=\"1\" joliet-long=\"false\" names=\"no-version\"/>\n"));
		CU_ASSERT_EQUAL(r.iso_names, bits);
		/* Under a command line that does not give it: the manifest's, to the planner. */
		merge_under(plain_cli, NULL, &c, &r, &ctx);
		mk_resolved rs;
		CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
		CU_ASSERT_EQUAL(rs.im.iso_o.iso_names, bits);
		mk_settings_free(&c);
		/* Under one that does: the command line's. */
		static const char *const over[] = {"mkimage", "-m", "p.xml", "--iso-names", "translated", "-o",
						   "x.iso", NULL};
		merge_under(over, m, &c, &r, &ctx);
		CU_ASSERT_EQUAL(c.iso_names, 0);
		mk_settings_free(&c);
		mk_manifest_free(m);
		free(buf);
	}
	/* Not a mode: the schema refuses it. */
	schema_refuses("<image version='1'><iso names='plain'/><root/></image>");
}

/* GRUB's hybrid MBR and boot info: --hybrid-grub2-mbr and --boot-grub2-info, mkisofs's
 * --grub2-mbr and --grub2-boot-info, <hybrid grub2-mbr-code> and <bios grub2-info>; printed,
 * read back, merged; resolve hands the planner GRUB's code with its patch. */
static void test_grub2(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const char *const cli[] = {"mkimage", "--boot-bios", "b.img", "--boot-grub2-info", "--hybrid-grub2-mbr",
					  "g.img", "-o", "x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(c.nboot, 1);
	CU_ASSERT(c.boot[0].grub2_info);
	CU_ASSERT(!c.boot[0].info_table);
	CU_ASSERT_STRING_EQUAL(c.hybrid_grub2_mbr, "g.img");
	CU_ASSERT_EQUAL(c.hybrid, HYB_AUTO);
	mk_resolved rs;
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT(rs.boot.hybrid_grub2);
	CU_ASSERT_STRING_EQUAL(rs.boot.hybrid_mbr, "g.img");
	CU_ASSERT(rs.boot.img[0].grub2_info);
	mk_settings_free(&c);
	static const char *const both[] = {"mkimage", "--boot-bios", "b.img", "--hybrid-mbr", "m.img",
					   "--hybrid-grub2-mbr", "g.img", "-o", "x.iso", "src", NULL};
	cli_refuses(both, "--hybrid-mbr and --hybrid-grub2-mbr: the MBR has one boot code; give one of them");
	/* --hybrid-mbr alone: plain code, no patch. */
	static const char *const plain_mbr[] = {"mkimage", "--boot-bios", "b.img", "--hybrid-mbr", "m.img", "-o",
						"x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(plain_mbr, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT(!rs.boot.hybrid_grub2);
	CU_ASSERT_STRING_EQUAL(rs.boot.hybrid_mbr, "m.img");
	mk_settings_free(&c);

	/* grub-mkrescue's call, printed. */
	mk_settings s;
	const char *iso[] = {"xorriso", "-b", "boot/grub/i386-pc/eltorito.img", "-no-emul-boot", "-boot-load-size",
			     "4", "-boot-info-table", "--grub2-boot-info", "--grub2-mbr", "/x/boot_hybrid.img",
			     "-r", "--print-manifest", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
	CU_ASSERT(mk_settings_given(&s, "hybrid-grub2-mbr"));
	char *buf;
	mk_settings r;
	mk_manifest *m = print_read(&s, &buf, &r, &ctx);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<bios image=\"boot/grub/i386-pc/eltorito.img\" emulation=\"none\" "
					   "load-size=\"4\" info-table=\"true\" grub2-info=\"true\"/>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<hybrid grub2-mbr-code=\"/x/boot_hybrid.img\"/>\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, " mbr-code="));
	CU_ASSERT_EQUAL_FATAL(r.nboot, 1);
	CU_ASSERT(r.boot[0].grub2_info && r.boot[0].info_table);
	CU_ASSERT_STRING_EQUAL(r.hybrid_grub2_mbr, "/x/boot_hybrid.img");
	CU_ASSERT_PTR_NULL(r.hybrid_mbr);
	merge_under(plain_cli, NULL, &c, &r, &ctx);
	CU_ASSERT_EQUAL(mk_settings_check(&c, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT(rs.boot.hybrid_grub2);
	CU_ASSERT_STRING_EQUAL(rs.boot.hybrid_mbr, "/x/boot_hybrid.img");
	CU_ASSERT(rs.boot.img[0].grub2_info);
	mk_settings_free(&c);
	mk_manifest_free(m);
	free(buf);
	/* grub2-info on an <efi>: the schema has no such attribute. */
	schema_refuses("<image version='1'><boot><efi image='/e' grub2-info='true'/></boot><root/></image>");
}

/* The mixed table: --hybrid-table mbr+gpt, mkisofs's -isohybrid-mbr with
 * -isohybrid-gpt-basdat, <hybrid table="mbr+gpt">; printed, read back, merged, resolved. */
static void test_mbr_gpt(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const char *const cli[] = {"mkimage", "--boot-bios", "b.img", "--boot-efi", "e.img", "--hybrid-mbr",
					  "m.img", "--hybrid-table", "mbr+gpt", "-o", "x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.hybrid, HYB_MBR_GPT);
	mk_resolved rs;
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT_EQUAL(rs.boot.hybrid, HYB_MBR_GPT);
	mk_settings_free(&c);
	static const char *const bad[] = {"mkimage", "--boot-bios", "b.img", "--hybrid-table", "gpt+mbr", "-o",
					  "x.iso", "src", NULL};
	cli_refuses(bad, "--hybrid-table: 'gpt+mbr' is not mbr, gpt or mbr+gpt");

	mk_settings s;
	const char *iso[] = {"xorrisofs", "-b", "b", "-no-emul-boot", "-isohybrid-mbr", "/m.img",
			     "-eltorito-alt-boot", "-e", "e", "-no-emul-boot", "-isohybrid-gpt-basdat",
			     "--print-manifest", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
	CU_ASSERT_EQUAL(s.hybrid, HYB_MBR_GPT);
	char *buf;
	mk_settings r;
	mk_manifest *m = print_read(&s, &buf, &r, &ctx);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<hybrid table=\"mbr+gpt\" mbr-code=\"/m.img\"/>\n"));
	CU_ASSERT_EQUAL(r.hybrid, HYB_MBR_GPT);
	merge_under(plain_cli, NULL, &c, &r, &ctx);
	CU_ASSERT_EQUAL(c.hybrid, HYB_MBR_GPT);
	CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
	CU_ASSERT_EQUAL(rs.boot.hybrid, HYB_MBR_GPT);
	mk_settings_free(&c);
	mk_manifest_free(m);
	free(buf);
	schema_refuses("<image version='1'><boot><bios image='/b'/><hybrid table='gpt+mbr'/></boot><root/></image>");
}

/* Appended partitions: --append-partition N:TYPE:FILE (repeatable), mkisofs's
 * -append_partition N TYPE FILE (with -appended_part_as_gpt: the table gpt), <hybrid>'s
 * <partition number type src>; printed, read back, merged, resolved. */
static void test_append_partition(void)
{
	dm_ctx ctx;
	mk_settings c;
	static const char *const cli[] = {"mkimage", "--boot-bios", "b.img", "--append-partition", "2:0xef:/e:f.img",
					  "--append-partition", "3:C12A7328-F81F-11D2-BA4B-00A0C93EC93B:/g.img", "-o",
					  "x.iso", "src", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(c.nappend, 2);
	CU_ASSERT_EQUAL(c.append[0].slot, 2);
	CU_ASSERT_EQUAL(c.append[0].mbr_type, 0xEF);
	CU_ASSERT_STRING_EQUAL(c.append[0].path, "/e:f.img");
	CU_ASSERT_EQUAL(c.append[1].mbr_type, 0xEF);
	CU_ASSERT_EQUAL(c.append[1].guid[0], 0x28);
	CU_ASSERT_EQUAL(c.hybrid, HYB_MBR);
	mk_settings_free(&c);
	static const struct {
		const char *v, *err;
	} bad[] = {
		{"5:0xef:f", "--append-partition: partition number '5' is not 1 to 4"},
		{"2:0x1ff:f", "--append-partition: type '0x1ff' is not a byte nor a GUID"},
		{"2:0xef", "--append-partition: '2:0xef' is not N:TYPE:FILE"},
		{"2:0xef:", "--append-partition: '2:0xef:' is not N:TYPE:FILE"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[] = {"mkimage", "--boot-bios", "b.img", "--append-partition", bad[i].v, "-o",
				      "x.iso", "src", NULL};
		cli_refuses(args, bad[i].err);
	}
	static const char *const noboot[] = {"mkimage", "--append-partition", "2:0xef:f", "-o", "x.iso", "src", NULL};
	cli_refuses(noboot, "--append-partition needs an El Torito boot image (--boot-bios or --boot-efi)");

	for (int gpt = 0; gpt < 2; gpt++) {
		mk_settings s;
		const char *iso[] = {"xorrisofs", "-b", "b", "-no-emul-boot", "-append_partition", "2", "0xef", "/p.img",
				     "-append_partition", "3", "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "/q.img",
				     gpt ? "-appended_part_as_gpt" : "-R", "--print-manifest", "d", NULL};
		CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
		CU_ASSERT_EQUAL(s.nappend, 2);
		CU_ASSERT(mk_settings_given(&s, "append-partition"));
		char *buf;
		mk_settings r;
		mk_manifest *m = print_read(&s, &buf, &r, &ctx);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, gpt ? "<hybrid table=\"gpt\">\n" : "<hybrid table=\"mbr\">\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "      <partition number=\"2\" type=\"0xef\" src=\"/p.img\"/>\n"
						   "      <partition number=\"3\" type=\"AF3DC60F838472478E793D69D8477DE4\" "
						   "src=\"/q.img\"/>\n    </hybrid>\n"));
		CU_ASSERT_EQUAL_FATAL(r.nappend, 2);
		CU_ASSERT_STRING_EQUAL(r.append[0].path, "/p.img");
		CU_ASSERT_EQUAL(r.append[1].slot, 3);
		CU_ASSERT_EQUAL(r.append[1].mbr_type, 0x83);
		CU_ASSERT_EQUAL(r.append[1].guid[0], 0xAF);
		CU_ASSERT_EQUAL(r.hybrid, gpt ? HYB_GPT : HYB_MBR);
		merge_under(plain_cli, NULL, &c, &r, &ctx);
		CU_ASSERT_EQUAL(mk_settings_check(&c, &ctx), DM_OK);
		mk_resolved rs;
		CU_ASSERT_EQUAL_FATAL(mk_settings_resolve(&c, 5, 9, &rs, &ctx), DM_OK);
		CU_ASSERT_EQUAL(rs.boot.napp, 2);
		CU_ASSERT_STRING_EQUAL(rs.boot.app[1].path, "/q.img");
		CU_ASSERT_EQUAL(rs.boot.hybrid, gpt ? HYB_GPT : HYB_MBR);
		mk_settings_free(&c);
		mk_manifest_free(m);
		free(buf);
	}
	/* A bad number: the schema refuses it. */
	schema_refuses("<image version='1'><boot><bios image='/b'/><hybrid><partition number='5' type='0xef' "
		       "src='/p'/></hybrid></boot><root/></image>");
}

/* Multisession through the three fillers: --previous/--session-start/--remove, mkisofs's
 * -M/-C, and <previous> with <remove> children; the command line over the manifest; the
 * rules that need no disc. */
static void test_session(void)
{
	dm_ctx ctx;
	static const char *const cli[] = {"mkimage", "--previous", "emu:cd-r:d.emu", "--session-start", "1000,2000",
					  "--remove", "/a", "--remove=/b c", "-o", "x.iso", "src", NULL};
	mk_settings s;
	CU_ASSERT_EQUAL_FATAL(parse_cli(cli, &s, &ctx), DM_OK);
	CU_ASSERT_STRING_EQUAL(s.previous, "emu:cd-r:d.emu");
	CU_ASSERT_EQUAL(s.session_start, 2000);
	CU_ASSERT_EQUAL(s.last_session, 1000);
	CU_ASSERT_EQUAL_FATAL(s.removes.n, 2);
	CU_ASSERT_STRING_EQUAL(s.removes.v[1], "/b c");
	CU_ASSERT(mk_settings_given(&s, "session-start"));
	mk_settings_free(&s);
	/* NEXT alone leaves START to the disc. */
	static const char *const next_only[] = {"mkimage", "--previous", "d.img", "--session-start", "64", "-o",
						"x.iso", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_cli(next_only, &s, &ctx), DM_OK);
	CU_ASSERT_EQUAL(s.session_start, 64);
	CU_ASSERT_EQUAL(s.last_session, -1);
	mk_settings_free(&s);
	/* --media bd keeps the previous session's file systems (no UDF added). */
	static const char *const bd[] = {"mkimage", "--previous", "d.img", "--media", "bd", "-o", "x.iso", NULL};
	mk_resolved r;
	resolve_cli(bd, &r);
	CU_ASSERT_EQUAL(r.im.udf, 0);
	/* UDF is no rule of the options: whether the previous session has it is known once it
	 * is read (main.c refuses a change). Booting is refused as unsupported. */
	static const char *const udf[] = {"mkimage", "--previous", "d.img", "--fs", "iso9660,udf", "-o", "x.iso",
					  NULL};
	CU_ASSERT_EQUAL(parse_cli(udf, &s, &ctx), DM_OK);
	mk_settings_free(&s);
	static const char *const boot[] = {"mkimage", "--previous", "d.img", "--boot-efi", "e.img", "-o", "x.iso",
					   NULL};
	CU_ASSERT_EQUAL(parse_cli(boot, &s, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "a later session cannot be made bootable"));
	mk_settings_free(&s);

	/* mkisofs -C LAST,NEXT -M DISC: the same rows. -R/-J given are the file systems asked
	 * for; none given leaves them to the previous session. */
	const char *iso[] = {"genisoimage", "-R", "-J", "-C", "16,3216", "-M", "old.iso", "-o", "s2.iso", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(iso, &s, &ctx), 0);
	CU_ASSERT_STRING_EQUAL(s.previous, "old.iso");
	CU_ASSERT_EQUAL(s.session_start, 3216);
	CU_ASSERT_EQUAL(s.last_session, 16);
	CU_ASSERT(s.as_mkisofs);
	CU_ASSERT(mk_settings_given(&s, "fs"));
	CU_ASSERT(mk_settings_given(&s, "previous"));
	mk_settings_free(&s);
	const char *plain[] = {"mkisofs", "-M", "old.iso", "-C", "0,48", "-o", "s2.iso", "d", NULL};
	CU_ASSERT_EQUAL_FATAL(parse_iso(plain, &s, &ctx), 0);
	CU_ASSERT(!mk_settings_given(&s, "fs"));
	mk_settings_free(&s);

	/* The manifest: <previous> and its <remove> children are rows of the table; a drive is
	 * kept as named, a file resolved against the manifest's directory. */
	const char *xml = "<image version='1'>\n<previous src='emu:bd-r:x.emu' session-start='5000' "
			  "last-session='4000'>\n<remove path='/old'/><remove path='/d/e'/></previous>\n"
			  "<root/></image>";
	mk_settings ms;
	mk_manifest *m = read_settings(xml, strlen(xml), "p.xml", &ms, &ctx);
	CU_ASSERT_STRING_EQUAL(ms.previous, "emu:bd-r:x.emu");
	CU_ASSERT_EQUAL(ms.session_start, 5000);
	CU_ASSERT_EQUAL(ms.last_session, 4000);
	CU_ASSERT_EQUAL_FATAL(ms.removes.n, 2);
	CU_ASSERT_STRING_EQUAL(ms.removes.v[0], "/old");
	CU_ASSERT_STRING_EQUAL(ms.removes.v[1], "/d/e");
	/* Printed back, it reads the same. */
	size_t len;
	char *buf = print_settings(&ms, "", &len);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  <previous src=\"emu:bd-r:x.emu\" session-start=\"5000\" "
					   "last-session=\"4000\">\n    <remove path=\"/old\"/>\n"
					   "    <remove path=\"/d/e\"/>\n  </previous>\n"));
	free(buf);
	/* The command line over it: its --session-start NEXT wins and takes START with it (the
	 * manifest's last-session goes with the manifest's NEXT); the removals of both apply. */
	static const char *const over[] = {"mkimage", "-m", "p.xml", "--session-start", "6000", "--remove", "/x",
					   "-o", "x.iso", NULL};
	merge_under(over, NULL, &s, &ms, &ctx);
	CU_ASSERT_STRING_EQUAL(s.previous, "emu:bd-r:x.emu");
	CU_ASSERT_EQUAL(s.session_start, 6000);
	CU_ASSERT_EQUAL(s.last_session, -1);
	CU_ASSERT_EQUAL_FATAL(s.removes.n, 3);
	CU_ASSERT_STRING_EQUAL(s.removes.v[0], "/x");
	CU_ASSERT_STRING_EQUAL(s.removes.v[2], "/d/e");
	CU_ASSERT_EQUAL(mk_settings_check(&s, &ctx), DM_OK);
	mk_settings_free(&s);
	mk_manifest_free(m);
	/* last-session alone, and a bad number: the manifest's line. */
	manifest_refuses("<image version='1'>\n<previous src='/dev/sr0' last-session='4000'/>\n<root/></image>",
			 "l.xml", "l.xml:2: <previous last-session> needs session-start (the pair "
				  "--session-start START,NEXT gives)");
	manifest_refuses("<image version='1'>\n\n<previous src='/dev/sr0' session-start='9999999999'/><root/></image>",
			 "b.xml", "b.xml:3: session-start '9999999999' is not a sector number (at most 4294967280)");
}

static CU_TestInfo settings_tests[] = {
	{"table rows are unique", test_table_unique},
	{"command line", test_cli},
	{"command line boot entries", test_cli_entries},
	{"--media bd adds a UDF bridge", test_media_bridge},
	{"command-line-only rows", test_cli_only_rows},
	{"mkisofs errors", test_mkisofs_errors},
	{"mkisofs defaults", test_mkisofs_defaults},
	{"mkisofs grub-mkrescue call", test_mkisofs_grub},
	{"mkisofs probes", test_mkisofs_probes},
	{"print and read back", test_print_roundtrip},
	{"multisession settings", test_session},
	{"partition offset: one row, three fillers", test_partition_offset},
	{"volume time: one row, three fillers", test_volume_time},
	{"ISO 9660 names: one row, three fillers", test_iso_names},
	{"GRUB's hybrid MBR and boot info: rows, three fillers", test_grub2},
	{"MBR with GPT: a table value, three fillers", test_mbr_gpt},
	{"appended partitions: one row, three fillers", test_append_partition},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"settings", NULL, NULL, NULL, NULL, settings_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
