#include "mkimage/options.h"

#include <stdio.h>
#include <string.h>

#include "mkimage/settings_resolve.h"

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
	"      --iso-names MODE   ISO 9660 names: translated (default: d-characters, 8.3 at\n"
	"                         level 1, ';1'), no-version (without ';1') or untranslated\n"
	"                         (as they are, 37 characters, no ';1'); both violate ISO\n"
	"                         9660 (mkisofs -N, -U; given again, the least translated)\n"
	"      --rr-relocate      move directories deeper than 8 levels into .rr_moved (Rock\n"
	"                         Ridge relocation, for strict ISO 9660 readers); by default\n"
	"                         they stay in place, as xorriso and mkisofs -D do\n"
	"      --partition-offset N\n"
	"                         write the ISO 9660 tree a second time from 2048-byte\n"
	"                         block N (0: not; else 16 or more), where the partition\n"
	"                         table's first partition starts (one MBR partition of\n"
	"                         type CDh without --hybrid), so that partition mounts\n"
	"                         too (mkisofs -partition_offset; not with UDF)\n"
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
	"      --volume-time TIME the volume descriptors' and boot catalog's dates:\n"
	"                         seconds since 1970, YYYY-MM-DDThh:mm:ssZ or\n"
	"                         YYYYMMDDhhmmsscc (UTC); default SOURCE_DATE_EPOCH or now\n"
	"                         (mkisofs --modification-date)\n"
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
	"                         starts (default: a drive's, or the newest one found);\n"
	"                         alone: a fresh tree for NEXT (a CD-Extra's data session)\n"
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
	"      --boot-grub2-info  patch GRUB's eltorito.img: bytes 2548-2555 get its 512-byte\n"
	"                         LBA + 5 (mkisofs --grub2-boot-info)\n"
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
	"      --hybrid-grub2-mbr FILE\n"
	"                         GRUB's boot_hybrid.img as that code instead: bytes\n"
	"                         432-439 get the BIOS image's 512-byte LBA + 4, where it\n"
	"                         reads it (mkisofs --grub2-mbr); implies --hybrid\n"
	"      --append-partition N:TYPE:FILE\n"
	"                         append FILE after the image as partition N (1-4) of the\n"
	"                         table, TYPE an MBR type byte (0xef) or a GPT type GUID;\n"
	"                         repeatable (mkisofs -append_partition)\n"
	"      --hybrid-table TABLE\n"
	"                         gpt (a GPT whose partition is the EFI system partition,\n"
	"                         its backup after the image; the default with --boot-efi,\n"
	"                         as UEFI firmware boots a disk through a GPT) or mbr (the\n"
	"                         isohybrid layout; the default without) or mbr+gpt (the\n"
	"                         isohybrid MBR with a GPT beside it, as xorriso's\n"
	"                         -isohybrid-mbr with -isohybrid-gpt-basdat); implies --hybrid\n"
	"\n"
	"Messages:\n"
	"      --progress         show the file being added and sectors done/total\n"
	"  -v, --verbose          print a summary of the image made\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"mkisofs mode:\n"
	"  mkimage -as mkisofs ARGS..., or mkimage run as mkisofs, genisoimage or xorrisofs,\n"
	"  reads mkisofs's options (list: mkimage -as mkisofs -help; see mkimage(1))\n"
	"\n"
	"Environment:\n"
	"  SOURCE_DATE_EPOCH      seconds since 1970: the volume dates, and the latest file\n"
	"                         time written (later times are clamped; access and change\n"
	"                         times are written as the modification time); with it, the\n"
	"                         same sources and options always give the same bytes\n"
	"\n"
	"Exit status: 0 success, 1 the image could not be made (nothing is left at OUT),\n"
	"2 usage error.\n";

/* The value of a command-line setting: flags take none (a manifest's true/false booleans
 * are flags here). */
static int takes_value(const mk_setting_def *d)
{
	return d->type != MK_ST_FLAG && d->type != MK_ST_BOOL && d->type != MK_ST_HYBRID;
}

static dm_status set_one(mk_settings *s, const mk_setting_def *d, const char *shown, const char *value,
			 dm_ctx *ctx)
{
	char why[300];
	if (mk_settings_set(s, d, value, why, sizeof(why)))
		return dm_fail(ctx, DM_ERR_INVALID, "%s: %s", shown, why);
	return DM_OK;
}

/* Options anywhere among the SOURCEs (as GNU getopt permutes them), "--" ends them; long
 * options as --name VALUE or --name=VALUE, short ones as -o VALUE or -oVALUE, and flags
 * grouped (-vh). Every message names the option as written. */
static dm_status parse_args(mk_settings *s, int argc, char **argv, dm_ctx *ctx)
{
	size_t nsrc = 0;
	int only_sources = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_sources || a[0] != '-' || !a[1]) {
			argv[1 + nsrc++] = argv[i]; /* sources keep their order at the front */
			continue;
		}
		if (!strcmp(a, "--")) {
			only_sources = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const mk_setting_def *d = mk_settings_find_flag(name, len, 0);
			if (!d)
				return dm_fail(ctx, DM_ERR_INVALID, "unknown option --%.*s", (int)len, name);
			char shown[80];
			snprintf(shown, sizeof(shown), "--%s", d->name);
			const char *value = NULL;
			if (takes_value(d)) {
				if (eq)
					value = eq + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return dm_fail(ctx, DM_ERR_INVALID, "option %s needs a value", shown);
			} else if (eq) {
				return dm_fail(ctx, DM_ERR_INVALID, "option %s takes no value", shown);
			}
			dm_status r = set_one(s, d, shown, value, ctx);
			if (r)
				return r;
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			const mk_setting_def *d = mk_settings_find_flag(NULL, 0, *c);
			if (!d)
				return dm_fail(ctx, DM_ERR_INVALID, "unknown option -%c%s%s", *c,
					       c == a + 1 ? "" : " in ", c == a + 1 ? "" : a);
			char shown[4] = {'-', *c, 0, 0};
			const char *value = NULL;
			if (takes_value(d)) {
				if (c[1])
					value = c + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return dm_fail(ctx, DM_ERR_INVALID, "option %s needs a value", shown);
			}
			dm_status r = set_one(s, d, shown, value, ctx);
			if (r)
				return r;
			if (value)
				break;
		}
	}
	s->sources = argv + 1;
	s->nsources = nsrc;
	return DM_OK;
}

dm_status mk_options_parse(mk_settings *o, int argc, char **argv, dm_ctx *ctx)
{
	dm_status st;
	mk_settings_init(o);
	if ((st = parse_args(o, argc, argv, ctx)))
		return st;
	if (o->help || o->version)
		return DM_OK;
	/* Without -m the settings are complete: check them now, as a usage error. */
	if (!o->manifest && (st = mk_settings_check(o, ctx)))
		return st;
	if (o->manifest && o->nsources)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "-m takes no SOURCE: the manifest names the sources (<tree>, <file>, <archive>)");
	if (o->manifest && o->print_manifest)
		return dm_fail(ctx, DM_ERR_INVALID, "--print-manifest writes the manifest of SOURCE..., not of -m");
	if (!o->output && !o->print_manifest && !o->dry_run)
		return dm_fail(ctx, DM_ERR_INVALID, "no output given (-o OUT, or -o - for standard output)");
	/* A later session may add nothing (only --remove, or a new volume descriptor). */
	if (!o->nsources && !o->manifest && !o->previous)
		return dm_fail(ctx, DM_ERR_INVALID, "no SOURCE given");
	if (o->implant_md5 && o->output && !strcmp(o->output, "-") && !o->dry_run)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "--implant-md5 cannot write to standard output: the checksum goes into the "
			       "volume descriptor at the start of the image, which is known only once the "
			       "whole image has been written; write to a file (-o OUT)");
	return DM_OK;
}
