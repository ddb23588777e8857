/* The one model of mkimage's settings. Three fillers write it: the command line (options.c),
 * an XML manifest's settings part (settings_manifest.c, from the raw attributes the manifest
 * reader hands up) and the mkisofs front end (mkisofs.c). One table (settings.c) names every
 * setting once: its name, its command-line flag, its manifest node and attribute, its type,
 * its parser and printer and its field; --print-manifest prints through the same table.
 * settings_resolve.c checks the rules between settings once and turns them into what the
 * planners take.
 *
 * Ownership: strings are borrowed (argv, the manifest model) unless mk_settings_free() says
 * otherwise; the arrays the mkisofs front end fills are the settings' own. */
#ifndef MK_SETTINGS_H
#define MK_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/dm_error.h"
#include "mkimage/boot/boot.h"

enum { MK_FS_ISO9660 = 1, MK_FS_JOLIET = 2, MK_FS_ROCKRIDGE = 4, MK_FS_UDF = 8 };

/* What a boot image entry was given (a setting given twice for one entry is an error). */
enum {
	MK_BS_EMUL = 1u << 0,
	MK_BS_LOAD_SIZE = 1u << 1,
	MK_BS_LOAD_SEG = 1u << 2,
	MK_BS_INFO_TABLE = 1u << 3,
	MK_BS_GRUB2_INFO = 1u << 4,
};

/* One El Torito entry as asked: several may share a platform (sections, El Torito 2.4). */
typedef struct mk_boot_spec {
	const char *path;        /* a path in the image, else a file on disk; NULL: not yet given */
	uint8_t platform;        /* ELT_PLATFORM_* */
	uint8_t emul;            /* MK_BOOT_EMUL_* */
	uint8_t info_table;      /* patch a boot info table at byte 8 */
	uint8_t grub2_info;      /* patch GRUB's own LBA field at byte 2548 (--boot-grub2-info,
				    mkisofs --grub2-boot-info) */
	unsigned load_size;      /* 512-byte sectors; 0: the default */
	unsigned load_seg;       /* 0: 7C0h */
	unsigned given;          /* MK_BS_* */
	const char *what;        /* the option that gave it (messages); NULL: --boot-PLATFORM */
} mk_boot_spec;

/* A list a repeatable setting adds to (--remove): the array is the settings' own, the
 * strings borrowed. */
typedef struct mk_strlist {
	const char **v;
	size_t n;
} mk_strlist;

/* -sort/--sort-weight and -hide: a path in the image (or a pattern) and what it gets. */
typedef struct mk_path_rule {
	const char *path;
	int32_t weight;
} mk_path_rule;

typedef struct mk_settings {
	/* The image. */
	unsigned fs;                 /* MK_FS_* */
	int iso_level;               /* 1, 2, 3 */
	int joliet_long;             /* 103-character Joliet names */
	int rr_relocate;             /* deep directories into .rr_moved (--rr-relocate) */
	unsigned udf_rev;            /* UDF_REV_*; 0: the default */
	int udf_embed;               /* tiny files' data inside their UDF file entry */
	int udf_special;             /* symlinks and special files in a pure UDF image */
	int64_t epoch;               /* manifest epoch= (as SOURCE_DATE_EPOCH); -1: none */
	int64_t volume_time;         /* --volume-time; -1: the epoch (or now) */
	const char *volume_id, *system_id, *volset_id, *publisher, *preparer, *application;
	const char *media;           /* --media */
	int follow_links;
	/* Multisession (--previous, mkisofs -M/-C; mkimage/source/import.h). */
	const char *previous;        /* the disc so far: a file or a drive; NULL: a first session */
	int64_t session_start;       /* NEXT: the disc LBA the new session starts at; -1: default */
	int64_t last_session;        /* START: where the last session starts; -1: default (it
				        follows session_start: --session-start START,NEXT sets both) */
	mk_strlist removes;          /* --remove PATH: entries of the last session left out */
	/* El Torito and hybrid. */
	mk_boot_spec boot[MK_BOOT_MAX];
	unsigned nboot;
	const char *boot_catalog;    /* NULL: hidden at /boot.catalog */
	int hybrid;                  /* HYB_*; 0: none */
	const char *hybrid_mbr;      /* MBR boot code file */
	const char *hybrid_grub2_mbr; /* GRUB's boot_hybrid.img as the MBR code, the BIOS image's
					 address patched in (--hybrid-grub2-mbr, mkisofs
					 --grub2-mbr); not with hybrid_mbr */
	uint32_t partition_offset;   /* --partition-offset: 2048-byte block of a second
				        ISO 9660 superblock and tree, where the table's first
				        partition starts; 0: none */
	int boot_from_manifest;      /* the boot entries are a manifest's: paths in the image */
	mk_boot_append append[HYB_APPEND_MAX]; /* --append-partition, mkisofs -append_partition
						  (path, slot, type) */
	unsigned nappend;
	/* Sources (the mkisofs front end; the native command line has SOURCE... only). */
	int rr_rational;             /* -r: modes and owners as mkisofs documents */
	int iso_names;               /* --iso-names (-N, -U): ISO_NAMES_* (mkimage/iso/iso_names.h) */
	int print_size;              /* -print-size: print the size in sectors, write nothing */
	const char **exclude;        /* -m/-x globs */
	size_t nexclude;
	const char **hide, **hide_joliet; /* -hide, -hide-joliet: paths or globs */
	size_t nhide, nhide_joliet;
	mk_path_rule *weights;       /* -sort, --sort-weight */
	size_t nweights;
	/* The run (the command line only). */
	const char *output;          /* -o: a path, or "-" for stdout */
	char **sources;              /* SOURCE... */
	size_t nsources;
	int sources_owned;           /* sources was allocated (path lists): free it */
	int sources_nul;             /* each source is "DEST\0SRC" (the mkisofs front end) */
	char *owned_file;            /* a manifest's resolved mbr-code: the settings' own */
	char *owned_previous;        /* a manifest's resolved <previous src>: the settings' own */
	char *owned_grub2_mbr;       /* a manifest's resolved grub2-mbr-code: the settings' own */
	char *owned_append[HYB_APPEND_MAX]; /* a manifest's <partition>s as N:TYPE:FILE, FILE
					       resolved: append[].path points into them */
	int as_mkisofs;              /* filled by the mkisofs front end (messages name its options) */
	char **owned;                /* strings the mkisofs front end made (graft points) */
	size_t nowned;
	const char *manifest;        /* -m FILE.xml */
	int print_manifest, implant_md5, sha256, dry_run, progress, verbose, quiet, help, version;
	uint64_t given;              /* bit i: table entry i was given (mk_settings_defs) */
} mk_settings;

/* The types of settings; each has one parser and one printer. */
typedef enum mk_stype {
	MK_ST_FLAG,       /* no value: sets 1 */
	MK_ST_BOOL,       /* manifest "true"/"false" (a flag on the command line) */
	MK_ST_STRING,
	MK_ST_FS,         /* iso9660,joliet,rockridge,udf (space-separated in a manifest) */
	MK_ST_LEVEL,      /* 1, 2, 3 */
	MK_ST_UDF_REV,    /* 1.02 ... 2.60 */
	MK_ST_TIME,       /* seconds or ISO 8601 */
	MK_ST_BOOT_IMAGE, /* adds an El Torito entry of the def's platform */
	MK_ST_EMUL,       /* none, floppy, hdd */
	MK_ST_U16,        /* a number to 65535 (decimal or 0x) */
	MK_ST_HYBRID,     /* --hybrid: a table, chosen later */
	MK_ST_TABLE,      /* mbr, gpt, mbr+gpt */
	MK_ST_FILE,       /* a file on disk (a manifest resolves it against its directory) */
	MK_ST_DISC,       /* a file on disk, or a drive (emu:..., /dev/..., iscsi://...) as named */
	MK_ST_SESSION,    /* [START,]NEXT: sector numbers (NEXT into the field, START after it) */
	MK_ST_LBA,        /* a sector number (int64_t) */
	MK_ST_LIST,       /* each value added to an mk_strlist */
	MK_ST_BLOCKS,     /* --partition-offset: 0, or 2048-byte blocks from 16 (uint32_t) */
	MK_ST_DATE,       /* --volume-time: as MK_ST_TIME, or mkisofs's YYYYMMDDhhmmsscc; to 9999 */
	MK_ST_APPEND,     /* --append-partition N:TYPE:FILE: each adds to append[] (nappend after it) */
	MK_ST_NAMES       /* --iso-names: translated, no-version, untranslated (ISO_NAMES_* bits;
			     given again, the least translated wins) */
} mk_stype;

/* Where a setting lives: in mk_settings, or in the current boot entry (mk_boot_spec). */
enum { MK_SCOPE_IMAGE, MK_SCOPE_ENTRY };

/* Flags of a table entry. */
enum {
	MK_SD_REPEAT = 1u << 0,   /* may be given several times (each adds) */
	MK_SD_PRINT_ALWAYS = 1u << 1, /* --print-manifest writes it even at its default */
	MK_SD_RUN = 1u << 2,      /* about the run, not the image: never in a manifest */
};

typedef struct mk_setting_def {
	const char *name;         /* long command-line flag without "--"; NULL: manifest only */
	char short_flag;          /* 0: none */
	const char *node;         /* manifest element below <image> ("iso", "boot/bios"); NULL:
				     none; "" : <image> itself */
	const char *attr;         /* its attribute; NULL: the element's text */
	uint8_t type;             /* mk_stype */
	uint8_t scope;            /* MK_SCOPE_* */
	uint8_t platform;         /* MK_ST_BOOT_IMAGE and MK_SCOPE_ENTRY: ELT_PLATFORM_* */
	uint8_t flags;            /* MK_SD_* */
	unsigned bs_bit;          /* MK_SCOPE_ENTRY: the MK_BS_* bit */
	size_t off;               /* the field in mk_settings or mk_boot_spec */
	int64_t arg;              /* type-specific: the minimum of a U16 */
} mk_setting_def;

extern const mk_setting_def mk_settings_defs[];
extern const size_t mk_settings_ndefs;

/* mkimage's defaults (not mkisofs's: see mkisofs.h). */
void mk_settings_init(mk_settings *s);
/* Free what the settings own (arrays filled by the mkisofs front end). */
void mk_settings_free(mk_settings *s);

/* The def of a command-line flag (long name, or short when name is one character and
 * short_flag matches); NULL when there is none. */
const mk_setting_def *mk_settings_find_flag(const char *name, size_t len, char short_flag);
/* The def of a manifest node and attribute (attr NULL: the text). */
const mk_setting_def *mk_settings_find_node(const char *node, const char *attr);

/* Whether the setting with command-line name `name` was given (by any filler). */
int mk_settings_given(const mk_settings *s, const char *name);

/* Set def from its text value (NULL for a flag). given: the settings' bits are updated and a
 * setting given twice that cannot repeat is refused. On failure, why holds the reason
 * without the setting's name ("'4' is not 1, 2 or 3"). */
dm_status mk_settings_set(mk_settings *s, const mk_setting_def *d, const char *value, char *why,
			  size_t cap);

/* The entry the next per-entry setting of platform applies to: the last entry of that
 * platform, made (with no path yet) when there is none. NULL when all MK_BOOT_MAX are used. */
mk_boot_spec *mk_settings_entry(mk_settings *s, uint8_t platform);
/* A new entry (-eltorito-alt-boot, a second --boot-bios): NULL when full. */
mk_boot_spec *mk_settings_new_entry(mk_settings *s, uint8_t platform);

/* Fill what `over` did not give from `under` (the command line over a manifest): setting
 * by setting, except the boot entries, catalog and hybrid table, which go as a group when
 * the command line gives no boot image or catalog; lists (--remove) take both. --session-
 * start's START goes with its NEXT. Strings stay borrowed from both; the files under
 * resolved (owned_*) become over's. under is emptied. DM_ERR_NOMEM when out of memory. */
dm_status mk_settings_merge(mk_settings *over, mk_settings *under);

/* The manifest's settings part into s (which starts empty: nothing given, the epoch -1);
 * a bad value is "FILE:LINE: attr 'value' is not ..." in ctx. */
struct mk_manifest;
dm_status mk_settings_from_manifest(mk_settings *s, const struct mk_manifest *m, dm_ctx *ctx);

/* The settings part of a manifest: <image ...> and its setting elements, up to before
 * <root>, as --print-manifest writes them. */
void mk_settings_print(FILE *f, const mk_settings *s);

#endif
