/* mkimage's command line, parsed into a plain struct with no side effects: main.c acts on
 * it. The options are documented in --help (options.c) and in mkimage.1; keep them in step. */
#ifndef MK_OPTIONS_H
#define MK_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"

enum { MK_FS_ISO9660 = 1, MK_FS_JOLIET = 2, MK_FS_ROCKRIDGE = 4, MK_FS_UDF = 8 };

typedef struct mk_options {
	const char *output;          /* -o: a path, or "-" for stdout */
	char **sources;              /* SOURCE... (borrowed from argv) */
	size_t nsources;
	unsigned fs;                 /* MK_FS_* */
	int iso_level;               /* 1, 2, 3 */
	unsigned udf_rev;            /* --udf-rev (0x0102 ... 0x0260); 0: the default */
	int udf_embed;               /* --udf-embed: tiny files' data inside their file entry */
	int udf_special;             /* --udf-special: symlinks and special files in pure UDF */
	int joliet_long;             /* 103-character Joliet names */
	int rr_relocate;             /* --rr-relocate: deep directories into .rr_moved */
	int follow_links;
	int progress;
	int verbose;
	int help, version;
	const char *volume_id, *system_id, *volset_id, *publisher, *preparer, *application;
	/* Manifests, checksums, media (spec/manifest.md). */
	const char *manifest;        /* -m FILE.xml */
	int print_manifest;          /* --print-manifest: write the manifest of SOURCE... */
	int implant_md5, sha256;     /* --implant-md5, --sha256 */
	const char *media;           /* --media */
	int dry_run;                 /* --dry-run */
	/* El Torito (spec/eltorito.md; boot.h). */
	const char *boot_bios;       /* --boot-bios IMG */
	const char *boot_efi;        /* --boot-efi IMG */
	const char *boot_catalog;    /* --boot-catalog PATH */
	int boot_emul;               /* --boot-emul: MK_BOOT_EMUL_* (boot.h) */
	unsigned boot_load_size;     /* --boot-load-size: 512-byte sectors; 0: the default */
	unsigned boot_load_seg;      /* --boot-load-seg; 0: 7C0h */
	int boot_info_table;         /* --boot-info-table */
	const char *boot_ppc;        /* --boot-ppc IMG */
	const char *boot_mac;        /* --boot-mac IMG */
	int hybrid;                  /* --hybrid, --hybrid-table: HYB_* (hybrid.h); 0: none */
	const char *hybrid_mbr;      /* --hybrid-mbr FILE */
	int boot_from_manifest;      /* the boot settings are the manifest's <boot> (main.c) */
	/* Multisession (issue 14; import.h). */
	const char *previous;        /* --previous SOURCE: a disc image file or a drive */
	int have_session_start;      /* --session-start [START,]NEXT given */
	uint32_t session_start;      /* NEXT: the disc LBA the new session starts at */
	int have_prev_start;         /* START given too (cdrecord -msinfo's pair) */
	uint32_t prev_start;         /* START: where the previous session starts */
	char **removes;              /* --remove PATH... (borrowed strings; the array is
					malloc'd: free it) */
	size_t nremoves;
	unsigned given;              /* MK_GIVEN_*: settings given on the command line, which win
					over a manifest's */
} mk_options;

enum {
	MK_GIVEN_FS = 1u << 0,
	MK_GIVEN_ISO_LEVEL = 1u << 1,
	MK_GIVEN_JOLIET_LONG = 1u << 2,
	MK_GIVEN_UDF_REV = 1u << 3,
	MK_GIVEN_VOLUME_ID = 1u << 4,
	MK_GIVEN_SYSTEM_ID = 1u << 5,
	MK_GIVEN_VOLSET_ID = 1u << 6,
	MK_GIVEN_PUBLISHER = 1u << 7,
	MK_GIVEN_PREPARER = 1u << 8,
	MK_GIVEN_APPLICATION = 1u << 9,
	MK_GIVEN_MEDIA = 1u << 10,
};

/* Parse argv. On a usage error the message is in ctx and DM_ERR_INVALID is returned. */
dm_status mk_options_parse(mk_options *o, int argc, char **argv, dm_ctx *ctx);

/* Parse a --fs list ("iso9660,joliet,rockridge,udf") into MK_FS_* bits. "udf" alone is a
 * pure UDF image; any ISO 9660 part brings the primary hierarchy. */
dm_status mk_options_parse_fs(const char *list, unsigned *fs, dm_ctx *ctx);

/* The --help text. */
extern const char mk_options_help[];

#endif
