#include "mkimage/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mkimage/boot/boot.h"
#include "mkimage/boot/hybrid.h"
#include "mkimage/udf/udf_plan.h"

const char mk_options_help[] =
	"Usage: mkimage -o OUT [options] SOURCE...\n"
	"Make a disc image (ISO 9660 with Joliet and Rock Ridge, UDF, or both) from files.\n"
	"\n"
	"SOURCE is a directory whose contents go to the root of the image, or DEST=SRC to put\n"
	"the file or directory SRC at path DEST in the image (DEST '/' adds SRC's contents at\n"
	"the root). Directories given by several sources are merged; any other name given\n"
	"twice is an error.\n"
	"\n"
	"Output:\n"
	"  -o, --output OUT       write the image to OUT ('-': standard output). OUT appears\n"
	"                         only when the image is complete.\n"
	"      --fs LIST          filesystems, comma-separated, from iso9660, joliet,\n"
	"                         rockridge, udf (default: the first three). udf alone\n"
	"                         makes a pure UDF image; with the others a bridge image\n"
	"                         (both describe the same file data, stored once)\n"
	"      --iso-level N      ISO 9660 interchange level 1, 2 or 3 (default 3; files of\n"
	"                         4 GiB and more need 3)\n"
	"      --joliet-long      allow Joliet names of 103 characters (default 64)\n"
	"      --rr-relocate      move directories deeper than 8 levels into .rr_moved (Rock\n"
	"                         Ridge relocation, for strict ISO 9660 readers); by default\n"
	"                         they stay in place, as xorriso and mkisofs -D do\n"
	"      --udf-rev REV      UDF revision 1.02, 1.50, 2.00, 2.01, 2.50 or 2.60\n"
	"                         (default 2.01 for a pure UDF image, 1.02 for a bridge)\n"
	"      --udf-embed        store files small enough inside their UDF file entry\n"
	"                         (pure UDF; saves a sector each, but libcdio and DVD\n"
	"                         players cannot read such files)\n"
	"      --udf-special      keep symlinks, devices, FIFOs and sockets in a pure UDF\n"
	"                         image (Linux reads them, but 7-Zip then cannot open the\n"
	"                         image); by default they are left out with a warning\n"
	"\n"
	"Volume descriptor:\n"
	"  -V, --volume-id ID     volume label (32 characters; default CDROM)\n"
	"      --publisher TEXT   publisher (128 characters)\n"
	"      --preparer TEXT    data preparer (128 characters)\n"
	"      --application TEXT application (128 characters)\n"
	"      --system-id ID     system identifier (32 characters; default LINUX)\n"
	"      --volset-id ID     volume set identifier (128 characters)\n"
	"\n"
	"Sources:\n"
	"      --follow-links     store what symlinks point to instead of the links\n"
	"                         (a link to one of its own parents is an error)\n"
	"  -m, --manifest FILE    make the image an XML manifest describes (see\n"
	"                         mkimage-manifest(5)) instead of from SOURCE...; options\n"
	"                         given here win over the manifest's settings\n"
	"      --print-manifest   write the manifest of SOURCE... (with the SHA-256 of\n"
	"                         every file) to standard output instead of an image\n"
	"\n"
	"Adding a session (multisession; see mkimage(1) MULTISESSION):\n"
	"      --previous SOURCE  make the next session of a disc: SOURCE is the disc so far,\n"
	"                         a file (sector n at byte n * 2048) or a drive (emu:...,\n"
	"                         /dev/srN, /dev/sgN, iscsi://...). Its last session's tree\n"
	"                         is kept (files by reference, never copied); SOURCE...\n"
	"                         add to it and replace what they name. OUT holds only the\n"
	"                         new session, addressed from --session-start\n"
	"      --session-start [START,]NEXT\n"
	"                         the disc LBA the new session starts at (default: a\n"
	"                         drive's next writable address; for a file, the end of\n"
	"                         its last session rounded up to 16 sectors); START, as\n"
	"                         `writeimg --msinfo` prints it, is where the last session\n"
	"                         starts (default: a drive's, or the newest one found)\n"
	"      --remove PATH      leave PATH of the previous session out of the new one\n"
	"                         (repeatable)\n"
	"\n"
	"Checksums and media:\n"
	"      --implant-md5      store the image's MD5 in the primary volume descriptor\n"
	"                         as checkisomd5 (isomd5sum) verifies it (not with -o -)\n"
	"      --sha256           also write OUT.sha256 for sha256sum -c (with -o -: the\n"
	"                         checksum is reported on standard error)\n"
	"      --media MEDIA      the image must fit MEDIA: cd74, cd80, dvd, dvd-dl, bd,\n"
	"                         bd-dl, bd-tl, bd-ql or a number of 2048-byte sectors\n"
	"                         (bd*: adds a UDF bridge unless --fs is given)\n"
	"      --dry-run          print the layout (files, directories, sectors of each\n"
	"                         structure, total) and write nothing; needs no -o\n"
	"\n"
	"Booting (El Torito; see spec/eltorito.md):\n"
	"      --boot-bios IMG    make the image bootable by a PC BIOS from IMG: a path in\n"
	"                         the image, else a file on disk (added hidden as\n"
	"                         /boot.images/bios.img)\n"
	"      --boot-emul MODE   how the BIOS image boots: none (default; the image is\n"
	"                         loaded and run), floppy (a 1.2, 1.44 or 2.88 MB diskette\n"
	"                         image, by its size) or hdd (a disk image with an MBR and\n"
	"                         exactly one partition)\n"
	"      --boot-load-size N\n"
	"                         512-byte sectors the BIOS loads (no emulation; default 4)\n"
	"      --boot-load-seg SEG\n"
	"                         real-mode segment the BIOS loads to (default 0x7C0)\n"
	"      --boot-info-table  patch the BIOS image's boot info table (bytes 8-63: the\n"
	"                         primary descriptor's LBA, the image's LBA, length and\n"
	"                         checksum) as isolinux expects\n"
	"      --boot-efi IMG     add a UEFI boot entry for IMG, a FAT image holding\n"
	"                         EFI/BOOT/BOOTX64.EFI (a path in the image, else a file on\n"
	"                         disk, added hidden as /boot.images/efi.img)\n"
	"      --boot-ppc IMG, --boot-mac IMG\n"
	"                         add a PowerPC or a Mac boot entry (platform 1 or 2, no\n"
	"                         emulation) for IMG (a path in the image, else a file)\n"
	"      --boot-catalog PATH\n"
	"                         show the boot catalog at PATH in the image (default:\n"
	"                         hidden, as /boot.catalog)\n"
	"      --hybrid           also make the image bootable as a hard disk (a USB stick\n"
	"                         written with it byte for byte): a partition table in the\n"
	"                         system area whose EFI partition is the --boot-efi image\n"
	"      --hybrid-mbr FILE  BIOS boot code for that disk's MBR (FILE's first 432\n"
	"                         bytes, e.g. isolinux's isohdpfx.bin; it loads the\n"
	"                         --boot-bios image); implies --hybrid\n"
	"      --hybrid-table TABLE\n"
	"                         gpt (a GPT whose partition is the EFI system partition,\n"
	"                         its backup after the image; the default with --boot-efi,\n"
	"                         as UEFI firmware boots a disk through a GPT) or mbr (the\n"
	"                         isohybrid layout; the default without); implies --hybrid\n"
	"\n"
	"Messages:\n"
	"      --progress         show the file being added and sectors done/total\n"
	"  -v, --verbose          print a summary of the image made\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Environment:\n"
	"  SOURCE_DATE_EPOCH      seconds since 1970: the volume dates, and the latest file\n"
	"                         time written (later times are clamped; access and change\n"
	"                         times are written as the modification time); with it, the\n"
	"                         same sources and options always give the same bytes\n"
	"\n"
	"Exit status: 0 success, 1 the image could not be made (nothing is left at OUT),\n"
	"2 usage error.\n";

enum {
	OPT_FS = 256,
	OPT_ISO_LEVEL,
	OPT_JOLIET_LONG,
	OPT_UDF_REV,
	OPT_PUBLISHER,
	OPT_PREPARER,
	OPT_APPLICATION,
	OPT_SYSTEM_ID,
	OPT_VOLSET_ID,
	OPT_FOLLOW_LINKS,
	OPT_PROGRESS,
	OPT_VERSION,
	OPT_PRINT_MANIFEST,
	OPT_IMPLANT_MD5,
	OPT_SHA256,
	OPT_MEDIA,
	OPT_DRY_RUN,
	OPT_BOOT_BIOS,
	OPT_BOOT_EFI,
	OPT_BOOT_CATALOG,
	OPT_BOOT_EMUL,
	OPT_BOOT_LOAD_SIZE,
	OPT_BOOT_LOAD_SEG,
	OPT_BOOT_INFO_TABLE,
	OPT_BOOT_PPC,
	OPT_BOOT_MAC,
	OPT_HYBRID,
	OPT_HYBRID_MBR,
	OPT_HYBRID_TABLE,
	OPT_RR_RELOCATE,
	OPT_UDF_EMBED,
	OPT_UDF_SPECIAL,
	OPT_PREVIOUS,
	OPT_SESSION_START,
	OPT_REMOVE
};

/* The MK_GIVEN_* bit of a setting option. */
static unsigned given_bit(int c)
{
	switch (c) {
	case OPT_FS: return MK_GIVEN_FS;
	case OPT_ISO_LEVEL: return MK_GIVEN_ISO_LEVEL;
	case OPT_JOLIET_LONG: return MK_GIVEN_JOLIET_LONG;
	case OPT_UDF_REV: return MK_GIVEN_UDF_REV;
	case 'V': return MK_GIVEN_VOLUME_ID;
	case OPT_SYSTEM_ID: return MK_GIVEN_SYSTEM_ID;
	case OPT_VOLSET_ID: return MK_GIVEN_VOLSET_ID;
	case OPT_PUBLISHER: return MK_GIVEN_PUBLISHER;
	case OPT_PREPARER: return MK_GIVEN_PREPARER;
	case OPT_APPLICATION: return MK_GIVEN_APPLICATION;
	case OPT_MEDIA: return MK_GIVEN_MEDIA;
	default: return 0;
	}
}

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"fs", required_argument, NULL, OPT_FS},
	{"iso-level", required_argument, NULL, OPT_ISO_LEVEL},
	{"joliet-long", no_argument, NULL, OPT_JOLIET_LONG},
	{"rr-relocate", no_argument, NULL, OPT_RR_RELOCATE},
	{"udf-rev", required_argument, NULL, OPT_UDF_REV},
	{"udf-embed", no_argument, NULL, OPT_UDF_EMBED},
	{"udf-special", no_argument, NULL, OPT_UDF_SPECIAL},
	{"volume-id", required_argument, NULL, 'V'},
	{"publisher", required_argument, NULL, OPT_PUBLISHER},
	{"preparer", required_argument, NULL, OPT_PREPARER},
	{"application", required_argument, NULL, OPT_APPLICATION},
	{"system-id", required_argument, NULL, OPT_SYSTEM_ID},
	{"volset-id", required_argument, NULL, OPT_VOLSET_ID},
	{"follow-links", no_argument, NULL, OPT_FOLLOW_LINKS},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"manifest", required_argument, NULL, 'm'},
	{"print-manifest", no_argument, NULL, OPT_PRINT_MANIFEST},
	{"implant-md5", no_argument, NULL, OPT_IMPLANT_MD5},
	{"sha256", no_argument, NULL, OPT_SHA256},
	{"media", required_argument, NULL, OPT_MEDIA},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"boot-bios", required_argument, NULL, OPT_BOOT_BIOS},
	{"boot-efi", required_argument, NULL, OPT_BOOT_EFI},
	{"boot-catalog", required_argument, NULL, OPT_BOOT_CATALOG},
	{"boot-emul", required_argument, NULL, OPT_BOOT_EMUL},
	{"boot-load-size", required_argument, NULL, OPT_BOOT_LOAD_SIZE},
	{"boot-load-seg", required_argument, NULL, OPT_BOOT_LOAD_SEG},
	{"boot-info-table", no_argument, NULL, OPT_BOOT_INFO_TABLE},
	{"boot-ppc", required_argument, NULL, OPT_BOOT_PPC},
	{"boot-mac", required_argument, NULL, OPT_BOOT_MAC},
	{"hybrid", no_argument, NULL, OPT_HYBRID},
	{"hybrid-mbr", required_argument, NULL, OPT_HYBRID_MBR},
	{"hybrid-table", required_argument, NULL, OPT_HYBRID_TABLE},
	{"previous", required_argument, NULL, OPT_PREVIOUS},
	{"session-start", required_argument, NULL, OPT_SESSION_START},
	{"remove", required_argument, NULL, OPT_REMOVE},
	{NULL, 0, NULL, 0},
};

dm_status mk_options_parse_fs(const char *list, unsigned *fs, dm_ctx *ctx)
{
	unsigned bits = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 7 && !strncmp(p, "iso9660", n))
			bits |= MK_FS_ISO9660;
		else if (n == 6 && !strncmp(p, "joliet", n))
			bits |= MK_FS_JOLIET;
		else if (n == 9 && !strncmp(p, "rockridge", n))
			bits |= MK_FS_ROCKRIDGE;
		else if (n == 3 && !strncmp(p, "udf", n))
			bits |= MK_FS_UDF;
		else
			return dm_fail(ctx, DM_ERR_INVALID,
				       "--fs: unknown filesystem '%.*s' (known: iso9660, joliet, rockridge, udf)",
				       (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!bits)
		return dm_fail(ctx, DM_ERR_INVALID, "--fs: no filesystem given");
	/* With any ISO 9660 part, the primary volume descriptor and its hierarchy are
	 * mandatory (ECMA-119 8.4); "udf" alone is a pure UDF image. */
	*fs = bits == MK_FS_UDF ? bits : bits | MK_FS_ISO9660;
	return DM_OK;
}

/* A number from min to max: decimal, or hexadecimal with 0x. */
static dm_status parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
			    unsigned *out, dm_ctx *ctx)
{
	char *end;
	errno = 0;
	unsigned long v = (arg[0] >= '0' && arg[0] <= '9') ? strtoul(arg, &end, 0) : 0;
	if (!(arg[0] >= '0' && arg[0] <= '9') || errno || *end || v < min || v > max)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: '%s' is not a number from %lu to %lu", opt, arg,
			       min, max);
	*out = (unsigned)v;
	return DM_OK;
}

/* --session-start [START,]NEXT: sector numbers, as cdrecord -msinfo prints them. */
static dm_status parse_session_start(mk_options *o, const char *arg, dm_ctx *ctx)
{
	const char *comma = strchr(arg, ',');
	unsigned v;
	dm_status st;
	if (comma) {
		char first[32];
		size_t n = (size_t)(comma - arg);
		if (n >= sizeof(first))
			n = sizeof(first) - 1;
		memcpy(first, arg, n);
		first[n] = '\0';
		if ((st = parse_uint("--session-start", first, 0, 0xFFFFFFF0u, &v, ctx)))
			return st;
		o->prev_start = v;
		o->have_prev_start = 1;
		arg = comma + 1;
	}
	if ((st = parse_uint("--session-start", arg, 0, 0xFFFFFFF0u, &v, ctx)))
		return st;
	o->session_start = v;
	o->have_session_start = 1;
	return DM_OK;
}

/* The boot options need each other (and ISO 9660): refuse what would be ignored. */
static dm_status check_boot(const mk_options *o, int emul_given, dm_ctx *ctx)
{
	if (!o->boot_bios && (emul_given || o->boot_load_size || o->boot_load_seg || o->boot_info_table))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--boot-emul, --boot-load-size, --boot-load-seg and --boot-info-table "
			       "describe the --boot-bios image; no --boot-bios given");
	int any = o->boot_bios || o->boot_efi || o->boot_ppc || o->boot_mac;
	if (o->boot_catalog && !any)
		return dm_fail(ctx, DM_ERR_INVALID, "--boot-catalog needs a boot image (--boot-bios, --boot-efi, ...)");
	if (o->boot_load_size && o->boot_emul != MK_BOOT_EMUL_NONE)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--boot-load-size applies to --boot-emul none: an emulated disk is read "
			       "by the BIOS itself");
	if (o->boot_info_table && o->boot_emul != MK_BOOT_EMUL_NONE)
		return dm_fail(ctx, DM_ERR_INVALID, "--boot-info-table applies to --boot-emul none");
	/* With -m the manifest's <boot> may give the images: main.c checks again. */
	if (o->hybrid && !any && !o->manifest)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--hybrid, --hybrid-mbr and --hybrid-table make a bootable image bootable "
			       "from a disk too: give --boot-bios and/or --boot-efi");
	if (any && !(o->fs & MK_FS_ISO9660))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "booting (El Torito) needs ISO 9660: --fs udf alone cannot boot");
	return DM_OK;
}

dm_status mk_options_parse(mk_options *o, int argc, char **argv, dm_ctx *ctx)
{
	int emul_given = 0;
	dm_status st;
	memset(o, 0, sizeof(*o));
	o->fs = MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE;
	o->iso_level = 3;
	o->volume_id = "CDROM";
	o->system_id = "LINUX";
	o->application = "DISCMASTER MKIMAGE " PACKAGE_VERSION;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:V:vhm:", long_opts, NULL)) != -1) {
		o->given |= given_bit(c);
		switch (c) {
		case 'm': o->manifest = optarg; break;
		case OPT_PRINT_MANIFEST: o->print_manifest = 1; break;
		case OPT_IMPLANT_MD5: o->implant_md5 = 1; break;
		case OPT_SHA256: o->sha256 = 1; break;
		case OPT_MEDIA: o->media = optarg; break;
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case 'o': o->output = optarg; break;
		case 'V': o->volume_id = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'h': o->help = 1; break;
		case OPT_FS: {
			dm_status r = mk_options_parse_fs(optarg, &o->fs, ctx);
			if (r)
				return r;
			break;
		}
		case OPT_ISO_LEVEL:
			if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '3')
				return dm_fail(ctx, DM_ERR_INVALID, "--iso-level: '%s' is not 1, 2 or 3", optarg);
			o->iso_level = optarg[0] - '0';
			break;
		case OPT_JOLIET_LONG: o->joliet_long = 1; break;
		case OPT_RR_RELOCATE: o->rr_relocate = 1; break;
		case OPT_UDF_EMBED: o->udf_embed = 1; break;
		case OPT_UDF_SPECIAL: o->udf_special = 1; break;
		case OPT_UDF_REV:
			if (!udf_rev_parse(optarg, &o->udf_rev))
				return dm_fail(ctx, DM_ERR_INVALID,
					       "--udf-rev: '%s' is not 1.02, 1.50, 2.00, 2.01, 2.50 or 2.60",
					       optarg);
			break;
		case OPT_PUBLISHER: o->publisher = optarg; break;
		case OPT_PREPARER: o->preparer = optarg; break;
		case OPT_APPLICATION: o->application = optarg; break;
		case OPT_SYSTEM_ID: o->system_id = optarg; break;
		case OPT_VOLSET_ID: o->volset_id = optarg; break;
		case OPT_FOLLOW_LINKS: o->follow_links = 1; break;
		case OPT_PROGRESS: o->progress = 1; break;
		case OPT_VERSION: o->version = 1; break;
		case OPT_BOOT_BIOS: o->boot_bios = optarg; break;
		case OPT_BOOT_EFI: o->boot_efi = optarg; break;
		case OPT_BOOT_CATALOG: o->boot_catalog = optarg; break;
		case OPT_BOOT_INFO_TABLE: o->boot_info_table = 1; break;
		case OPT_BOOT_PPC: o->boot_ppc = optarg; break;
		case OPT_BOOT_MAC: o->boot_mac = optarg; break;
		case OPT_HYBRID:
			if (!o->hybrid)
				o->hybrid = HYB_AUTO;
			break;
		case OPT_HYBRID_MBR:
			o->hybrid_mbr = optarg;
			if (!o->hybrid)
				o->hybrid = HYB_AUTO;
			break;
		case OPT_HYBRID_TABLE:
			if (!strcmp(optarg, "mbr"))
				o->hybrid = HYB_MBR;
			else if (!strcmp(optarg, "gpt"))
				o->hybrid = HYB_GPT;
			else
				return dm_fail(ctx, DM_ERR_INVALID, "--hybrid-table: '%s' is not mbr or gpt", optarg);
			break;
		case OPT_BOOT_EMUL:
			emul_given = 1;
			if (!strcmp(optarg, "none"))
				o->boot_emul = MK_BOOT_EMUL_NONE;
			else if (!strcmp(optarg, "floppy"))
				o->boot_emul = MK_BOOT_EMUL_FLOPPY;
			else if (!strcmp(optarg, "hdd"))
				o->boot_emul = MK_BOOT_EMUL_HDD;
			else
				return dm_fail(ctx, DM_ERR_INVALID, "--boot-emul: '%s' is not none, floppy or hdd",
					       optarg);
			break;
		case OPT_BOOT_LOAD_SIZE:
			if ((st = parse_uint("--boot-load-size", optarg, 1, 0xFFFF, &o->boot_load_size, ctx)))
				return st;
			break;
		case OPT_BOOT_LOAD_SEG:
			if ((st = parse_uint("--boot-load-seg", optarg, 0, 0xFFFF, &o->boot_load_seg, ctx)))
				return st;
			break;
		case OPT_PREVIOUS: o->previous = optarg; break;
		case OPT_SESSION_START:
			if ((st = parse_session_start(o, optarg, ctx)))
				return st;
			break;
		case OPT_REMOVE:
			if (!o->removes && !(o->removes = calloc((size_t)argc, sizeof(*o->removes))))
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			o->removes[o->nremoves++] = optarg;
			break;
		case ':':
			return dm_fail(ctx, DM_ERR_INVALID, "option %s needs a value", argv[optind - 1]);
		default:
			return dm_fail(ctx, DM_ERR_INVALID, "unknown option %s", argv[optind - 1]);
		}
	}
	if (o->help || o->version)
		return DM_OK;
	if ((st = check_boot(o, emul_given, ctx)))
		return st;
	o->sources = argv + optind;
	o->nsources = (size_t)(argc - optind);
	if (o->manifest && o->nsources)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "-m takes no SOURCE: the manifest names the sources (<tree>, <file>, <archive>)");
	if (o->manifest && o->print_manifest)
		return dm_fail(ctx, DM_ERR_INVALID, "--print-manifest writes the manifest of SOURCE..., not of -m");
	if (!o->output && !o->print_manifest && !o->dry_run)
		return dm_fail(ctx, DM_ERR_INVALID, "no output given (-o OUT, or -o - for standard output)");
	if (!o->nsources && !o->manifest && !o->previous)
		return dm_fail(ctx, DM_ERR_INVALID, "no SOURCE given");
	/* With -m the manifest may choose the file systems: a bridge then ignores it. */
	if (o->udf_embed && o->fs != MK_FS_UDF && !o->manifest)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--udf-embed applies to pure UDF images (--fs udf): in a bridge ISO 9660 "
			       "needs every file's data in sectors of its own");
	if (o->udf_special && o->fs != MK_FS_UDF && !o->manifest)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--udf-special applies to pure UDF images (--fs udf): a bridge's UDF "
			       "always records symlinks and special files");
	if ((o->have_session_start || o->nremoves) && !o->previous && !o->manifest)
		return dm_fail(ctx, DM_ERR_INVALID, "--session-start and --remove go with --previous");
	if (o->previous && o->print_manifest)
		return dm_fail(ctx, DM_ERR_INVALID, "--print-manifest cannot describe a previous session");
	if (o->previous && o->implant_md5)
		return dm_fail(ctx, DM_ERR_INVALID, "--implant-md5 sums a whole image from LBA 0: a later "
			       "session (--previous) is not one");
	if (o->implant_md5 && o->output && !strcmp(o->output, "-") && !o->dry_run)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--implant-md5 cannot write to standard output: the checksum goes into the "
			       "volume descriptor at the start of the image, which is known only once the "
			       "whole image has been written; write to a file (-o OUT)");
	return DM_OK;
}
