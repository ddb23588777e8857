/* mkisofs's command line (mkisofs.h): an alias table from mkisofs/xorrisofs option names to
 * what each does to the settings. Options are written with one dash or two ("-o",
 * "--grub2-mbr", "--modification-date=..."); the rest are pathspecs. */
#include "mkimage/mkisofs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkimage/boot/hybrid.h"
#include "mkimage/settings_resolve.h"

const char mk_mkisofs_help[] =
	"Usage: mkimage -as mkisofs [options] [-graft-points] pathspec...\n"
	"mkimage reads mkisofs options (see mkimage(1), MKISOFS MODE). Options:\n"
	"  -o, -output FILE            the image file\n"
	"  -R, -rock                   Rock Ridge\n"
	"  -r, -rational-rock          Rock Ridge with modes and owners made sane\n"
	"  -J, -joliet                 Joliet\n"
	"  -joliet-long                Joliet names of 103 characters\n"
	"  -l, -full-iso9660-filenames 31-character ISO 9660 names\n"
	"  -iso-level N                ISO 9660 level 1, 2 or 3\n"
	"  -udf                        also UDF (a bridge image)\n"
	"  -V, -volid ID  -volset ID  -A, -appid ID  -p, -preparer ID  -publisher ID  -sysid ID\n"
	"  -graft-points               pathspecs are DEST=SRC (\\= and \\\\ escape)\n"
	"  -path-list FILE             read pathspecs from FILE, one a line\n"
	"  -m, -exclude GLOB  -x PATH  leave out matching files\n"
	"  -hide GLOB  -hide-joliet GLOB\n"
	"  -f, -follow-links           store what symlinks point to\n"
	"  -N, -omit-version-number     ISO 9660 file names without \";1\"\n"
	"                               (--iso-names no-version)\n"
	"  -U, -untranslated-filenames  ISO 9660 names as they are (ASCII, 37 characters)\n"
	"                               (--iso-names untranslated)\n"
	"  -D  -input-charset CS  -quiet  -v, -verbose  -pad  -no-pad\n"
	"  -print-size                 print the image size in 2048-byte sectors\n"
	"  -b, -eltorito-boot FILE     El Torito BIOS boot image\n"
	"  -c, -eltorito-catalog FILE  the boot catalog's path\n"
	"  -no-emul-boot  -hard-disk-boot  -boot-load-size N  -boot-info-table\n"
	"  -eltorito-alt-boot          start another El Torito entry\n"
	"  -e FILE                     El Torito UEFI boot image\n"
	"  --efi-boot FILE             -eltorito-alt-boot -e FILE -no-emul-boot\n"
	"  -efi-boot-part --efi-boot-image  a GPT partition over the EFI boot image\n"
	"  -isohybrid-mbr FILE  -isohybrid-gpt-basdat  -partition_offset N\n"
	"  -append_partition N TYPE FILE  -appended_part_as_gpt\n"
	"  --grub2-mbr FILE  --grub2-boot-info  --protective-msdos-label\n"
	"  --modification-date=YYYYMMDDhhmmsscc  the volume's dates (--volume-time)\n"
	"  -sort FILE  --sort-weight WEIGHT PATH\n"
	"  -M FILE  -C LAST,NEXT       the next session of the disc FILE (image or drive),\n"
	"                              starting at NEXT (--previous, --session-start)\n"
	"  -hfsplus ...                    accepted; the Mac HFS+ part is left out\n"
	"  --print-manifest            (mkimage's own) write this call's manifest instead\n"
	"  -help  -version\n";

enum mo {
	MO_ROCK, MO_RATIONAL, MO_JOLIET, MO_JOLIET_LONG, MO_FULL_NAMES,
	MO_UDF, MO_GRAFT,
	MO_PATH_LIST, MO_EXCLUDE, MO_HIDE, MO_HIDE_JOLIET, MO_ACCEPT,
	MO_QUIET, MO_PRINT_SIZE, MO_BOOT_BIOS, MO_NO_EMUL, MO_HDD_EMUL,
	MO_LOAD_SIZE, MO_INFO_TABLE, MO_GRUB2_INFO, MO_ALT_BOOT, MO_BOOT_EFI, MO_EFI_BOOT,
	MO_EFI_PART, MO_EFI_PART_IMAGE, MO_ISOHYBRID_MBR, MO_GPT_BASDAT,
	MO_APPEND_PART, MO_APPENDED_GPT, MO_PROTECTIVE, MO_SORT,
	MO_SORT_WEIGHT, MO_HFS, MO_HELP, MO_VERSION,
	MO_SETTING              /* the same as a row of the settings table (settings.c) */
};

typedef struct mk_mo_def {
	const char *names;       /* "|"-separated, without dashes */
	uint8_t nargs;
	uint8_t op;              /* enum mo */
	uint8_t once;            /* may be given once */
	const char *setting;     /* MO_SETTING: the settings table row (its long name), and
				    "=VALUE" when the option itself takes none */
} mk_mo_def;

static const mk_mo_def defs[] = {
	{"o|output", 1, MO_SETTING, 1, "output"},
	{"R|rock", 0, MO_ROCK, 0, NULL},
	{"r|rational-rock", 0, MO_RATIONAL, 0, NULL},
	{"J|joliet", 0, MO_JOLIET, 0, NULL},
	{"joliet-long", 0, MO_JOLIET_LONG, 0, NULL},
	{"l|full-iso9660-filenames", 0, MO_FULL_NAMES, 0, NULL},
	{"iso-level", 1, MO_SETTING, 1, "iso-level"},
	{"udf", 0, MO_UDF, 0, NULL},
	{"V|volid", 1, MO_SETTING, 1, "volume-id"},
	{"volset", 1, MO_SETTING, 1, "volset-id"},
	{"A|appid", 1, MO_SETTING, 1, "application"},
	{"p|preparer", 1, MO_SETTING, 1, "preparer"},
	{"P|publisher", 1, MO_SETTING, 1, "publisher"},
	{"sysid", 1, MO_SETTING, 1, "system-id"},
	{"graft-points", 0, MO_GRAFT, 0, NULL},
	{"path-list", 1, MO_PATH_LIST, 0, NULL},
	{"m|exclude", 1, MO_EXCLUDE, 0, NULL},
	{"x|old-exclude", 1, MO_EXCLUDE, 0, NULL},
	{"hide", 1, MO_HIDE, 0, NULL},
	{"hide-joliet", 1, MO_HIDE_JOLIET, 0, NULL},
	{"f|follow-links", 0, MO_SETTING, 0, "follow-links"},
	{"D|disable-deep-relocation", 0, MO_ACCEPT, 0, NULL},
	{"input-charset", 1, MO_ACCEPT, 0, NULL},
	{"pad|no-pad", 0, MO_ACCEPT, 0, NULL},
	{"U|untranslated-filenames|allow-untranslated-filenames", 0, MO_SETTING, 0, "iso-names=untranslated"},
	{"N|omit-version-number", 0, MO_SETTING, 0, "iso-names=no-version"},
	{"quiet", 0, MO_QUIET, 0, NULL},
	{"v|verbose", 0, MO_SETTING, 0, "verbose"},
	{"print-size", 0, MO_PRINT_SIZE, 0, NULL},
	{"b|eltorito-boot", 1, MO_BOOT_BIOS, 0, NULL},
	{"c|eltorito-catalog", 1, MO_SETTING, 1, "boot-catalog"},
	{"no-emul-boot", 0, MO_NO_EMUL, 0, NULL},
	{"hard-disk-boot", 0, MO_HDD_EMUL, 0, NULL},
	{"boot-load-size", 1, MO_LOAD_SIZE, 0, NULL},
	{"boot-info-table", 0, MO_INFO_TABLE, 0, NULL},
	{"grub2-boot-info", 0, MO_GRUB2_INFO, 0, NULL},
	{"eltorito-alt-boot", 0, MO_ALT_BOOT, 0, NULL},
	{"e", 1, MO_BOOT_EFI, 0, NULL},
	{"efi-boot", 1, MO_EFI_BOOT, 0, NULL},
	{"efi-boot-part", 0, MO_EFI_PART, 0, NULL},
	{"efi-boot-image", 0, MO_EFI_PART_IMAGE, 0, NULL},
	{"isohybrid-mbr", 1, MO_ISOHYBRID_MBR, 1, NULL},
	{"isohybrid-gpt-basdat", 0, MO_GPT_BASDAT, 0, NULL},
	{"partition_offset", 1, MO_SETTING, 1, "partition-offset"},
	{"append_partition", 3, MO_APPEND_PART, 0, NULL},
	{"appended_part_as_gpt", 0, MO_APPENDED_GPT, 0, NULL},
	{"grub2-mbr", 1, MO_SETTING, 1, "hybrid-grub2-mbr"},
	{"protective-msdos-label", 0, MO_PROTECTIVE, 0, NULL},
	{"modification-date", 1, MO_SETTING, 1, "volume-time"},
	{"sort", 1, MO_SORT, 0, NULL},
	{"sort-weight", 2, MO_SORT_WEIGHT, 0, NULL},
	/* Multisession: -M the disc so far, -C LAST,NEXT (cdrecord -msinfo's pair). */
	{"M|prev-session", 1, MO_SETTING, 1, "previous"},
	{"C|cdrecord-params", 1, MO_SETTING, 1, "session-start"},
	/* The Mac HFS+ part grub-mkrescue asks for: accepted, left out (one warning). */
	{"hfsplus|hfsplus-mbr|isohybrid-apm-hfsplus|prep-boot-part", 0, MO_HFS, 0, NULL},
	{"apm-block-size|hfs-bless|hfsplus-serial-no|hfsplus-block-size|hfsplus-volid", 1, MO_HFS, 0, NULL},
	{"hfs-bless-by", 2, MO_HFS, 0, NULL},
	{"hfsplus-file-creator-type", 3, MO_HFS, 0, NULL},
	/* mkimage's own: the manifest of this call (mkimage-manifest(5)) instead of an image. */
	{"print-manifest", 0, MO_SETTING, 0, "print-manifest"},
	{"help|h", 0, MO_HELP, 0, NULL},
	{"version", 0, MO_VERSION, 0, NULL},
};

int mk_mkisofs_invoked(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "-as") && !strcmp(argv[2], "mkisofs"))
		return 2;
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	return !strcmp(base, "mkisofs") || !strcmp(base, "genisoimage") || !strcmp(base, "xorrisofs");
}

static const mk_mo_def *find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		const char *p = defs[i].names;
		while (*p) {
			size_t n = strcspn(p, "|");
			if (n == len && !memcmp(p, name, len))
				return &defs[i];
			p += n + (p[n] == '|');
		}
	}
	return NULL;
}

typedef struct parser {
	mk_settings *s;
	dm_ctx *ctx;
	mk_boot_spec *cur;       /* the El Torito entry -b/-e and their options describe */
	int graft, full_names, level_given, hfs_warned, efi_part, appended_gpt, gpt_basdat;
	int fs_given;            /* -R, -r, -J, -joliet-long or -udf given */
	int isohybrid;           /* -isohybrid-mbr given */
	const char *unsaid;      /* the first option a manifest cannot say (--print-manifest) */
	const char **paths;      /* pathspecs as given */
	size_t npaths;
	uint8_t seen[sizeof(defs) / sizeof(defs[0])];
} parser;

static int fail(parser *p, const char *fmt, ...) DM_PRINTF(2, 3);
static int fail(parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[DM_MSG_MAX];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dm_fail(p->ctx, DM_ERR_INVALID, "%s", buf);
	return -1;
}

static int push(const char ***arr, size_t *n, const char *v)
{
	const char **a = realloc(*arr, (*n + 1) * sizeof(*a));
	if (!a)
		return -1;
	a[(*n)++] = v;
	*arr = a;
	return 0;
}

static char *own(mk_settings *s, char *str)
{
	char **o = str ? realloc(s->owned, (s->nowned + 1) * sizeof(*o)) : NULL;
	if (!o) {
		free(str);
		return NULL;
	}
	s->owned = o;
	s->owned[s->nowned++] = str;
	return str;
}

/* The entry -b/-e fill: the current one, or a new one after -eltorito-alt-boot. */
static int boot_image(parser *p, const char *opt, uint8_t platform, const char *path)
{
	if (p->cur && p->cur->path)
		return fail(p, "%s %s: this El Torito entry already has the image %s (give "
			       "-eltorito-alt-boot before another boot image)", opt, path, p->cur->path);
	if (!p->cur && !(p->cur = mk_settings_new_entry(p->s, platform)))
		return fail(p, "%s: more than %u El Torito entries", opt, MK_BOOT_MAX);
	p->cur->platform = platform;
	p->cur->what = opt;
	/* mkisofs -b: a path in the image (without the leading '/'). */
	p->cur->path = path;
	return 0;
}

static mk_boot_spec *entry(parser *p, const char *opt)
{
	if (!p->cur)
		fail(p, "%s describes an El Torito boot image: give -b or -e before it", opt);
	return p->cur;
}

static int entry_once(parser *p, mk_boot_spec *e, unsigned bit, const char *opt)
{
	if (e->given & bit)
		return fail(p, "%s given twice for one El Torito entry", opt);
	e->given |= bit;
	return 0;
}

static int read_lines(parser *p, const char *file, const char *opt, int sort)
{
	FILE *f = !strcmp(file, "-") ? stdin : fopen(file, "r");
	if (!f)
		return fail(p, "%s %s: %s", opt, file, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;
	while (!r && (n = getline(&line, &cap, f)) >= 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		if (!sort) {
			char *v = own(p->s, strdup(line));
			r = !v || push(&p->paths, &p->npaths, v) ? fail(p, "out of memory") : 0;
			continue;
		}
		/* -sort: "PATH WEIGHT", the weight last. */
		char *sp = strrchr(line, ' '), *end;
		if (!sp)
			sp = strrchr(line, '\t');
		long w = sp ? strtol(sp + 1, &end, 10) : 0;
		if (!sp || *end || sp[1] == '\0') {
			r = fail(p, "%s %s: '%s' is not PATH WEIGHT", opt, file, line);
			continue;
		}
		*sp = '\0';
		char *path = own(p->s, strdup(line));
		mk_path_rule *a = path ? realloc(p->s->weights, (p->s->nweights + 1) * sizeof(*a)) : NULL;
		if (!a) {
			r = fail(p, "out of memory");
			continue;
		}
		p->s->weights = a;
		a[p->s->nweights++] = (mk_path_rule){path, (int32_t)w};
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return r;
}

/* -append_partition N TYPE FILE: the --append-partition row's N:TYPE:FILE. */
static int append_partition(parser *p, const char *opt, char **v)
{
	size_t len = strlen(v[0]) + strlen(v[1]) + strlen(v[2]) + 3;
	char *spec = malloc(len);
	if (spec)
		snprintf(spec, len, "%s:%s:%s", v[0], v[1], v[2]);
	if (!(spec = own(p->s, spec)))
		return fail(p, "out of memory");
	const mk_setting_def *sd = mk_settings_find_flag("append-partition", strlen("append-partition"), 0);
	char why[300];
	if (mk_settings_set(p->s, sd, spec, why, sizeof(why)))
		return fail(p, "%s: %s", opt, why);
	return 0;
}

/* Whether a manifest says what option op does: the settings table's rows, and what goes into
 * the tree --print-manifest writes (-r's modes, -hide's fs=, -sort's weight=). */
static int manifest_says(enum mo op)
{
	switch (op) {
	case MO_PRINT_SIZE: return 0;
	default: return 1;
	}
}

static int apply(parser *p, const mk_mo_def *d, const char *opt, char **v)
{
	mk_settings *s = p->s;
	mk_boot_spec *e;
	char *end;
	if (!p->unsaid && !manifest_says((enum mo)d->op))
		p->unsaid = opt;
	switch ((enum mo)d->op) {
	case MO_ROCK: s->fs |= MK_FS_ROCKRIDGE; p->fs_given = 1; break;
	case MO_RATIONAL: s->fs |= MK_FS_ROCKRIDGE; s->rr_rational = 1; p->fs_given = 1; break;
	case MO_JOLIET: s->fs |= MK_FS_JOLIET; p->fs_given = 1; break;
	case MO_JOLIET_LONG: s->fs |= MK_FS_JOLIET; s->joliet_long = 1; p->fs_given = 1; break;
	case MO_FULL_NAMES: p->full_names = 1; break;
	case MO_UDF: s->fs |= MK_FS_UDF; p->fs_given = 1; break;
	case MO_GRAFT: p->graft = 1; break;
	case MO_PATH_LIST: return read_lines(p, v[0], opt, 0);
	case MO_EXCLUDE: return push(&s->exclude, &s->nexclude, v[0]) ? fail(p, "out of memory") : 0;
	case MO_HIDE: return push(&s->hide, &s->nhide, v[0]) ? fail(p, "out of memory") : 0;
	case MO_HIDE_JOLIET: return push(&s->hide_joliet, &s->nhide_joliet, v[0]) ? fail(p, "out of memory") : 0;
	case MO_ACCEPT: break;
	case MO_QUIET: s->quiet = 1; break;
	case MO_PRINT_SIZE: s->print_size = 1; break;
	case MO_BOOT_BIOS: return boot_image(p, opt, ELT_PLATFORM_X86, v[0]);
	case MO_BOOT_EFI: return boot_image(p, opt, ELT_PLATFORM_EFI, v[0]);
	case MO_EFI_BOOT:
		p->cur = NULL;
		if (boot_image(p, opt, ELT_PLATFORM_EFI, v[0]))
			return -1;
		p->cur = NULL;
		break;
	case MO_NO_EMUL:
		if (!(e = entry(p, opt)) || entry_once(p, e, MK_BS_EMUL, opt))
			return -1;
		e->emul = MK_BOOT_EMUL_NONE;
		break;
	case MO_HDD_EMUL:
		if (!(e = entry(p, opt)) || entry_once(p, e, MK_BS_EMUL, opt))
			return -1;
		e->emul = MK_BOOT_EMUL_HDD;
		break;
	case MO_LOAD_SIZE: {
		if (!(e = entry(p, opt)) || entry_once(p, e, MK_BS_LOAD_SIZE, opt))
			return -1;
		errno = 0;
		unsigned long n = v[0][0] >= '0' && v[0][0] <= '9' ? strtoul(v[0], &end, 10) : 0;
		if (!(v[0][0] >= '0' && v[0][0] <= '9') || errno || *end || n < 1 || n > 0xFFFF)
			return fail(p, "%s: '%s' is not a number from 1 to 65535", opt, v[0]);
		e->load_size = (unsigned)n;
		break;
	}
	case MO_INFO_TABLE:
		if (!(e = entry(p, opt)) || entry_once(p, e, MK_BS_INFO_TABLE, opt))
			return -1;
		e->info_table = 1;
		break;
	case MO_GRUB2_INFO:
		if (!(e = entry(p, opt)) || entry_once(p, e, MK_BS_GRUB2_INFO, opt))
			return -1;
		e->grub2_info = 1;
		break;
	case MO_ALT_BOOT: p->cur = NULL; break;
	case MO_EFI_PART: p->efi_part = 1; break;
	case MO_EFI_PART_IMAGE:
		/* -efi-boot-part --efi-boot-image: the GPT's EFI system partition is the El Torito
		 * EFI image (hybrid.h, gpt). */
		s->hybrid = HYB_GPT;
		break;
	case MO_ISOHYBRID_MBR:
		p->isohybrid = 1;
		s->hybrid_mbr = v[0];
		if (!s->hybrid)
			s->hybrid = HYB_AUTO;
		break;
	case MO_GPT_BASDAT: p->gpt_basdat = 1; break;
	case MO_APPENDED_GPT:
		p->appended_gpt = 1;
		break;
	case MO_PROTECTIVE:
		if (!s->hybrid)
			s->hybrid = HYB_AUTO;
		break;
	case MO_APPEND_PART: return append_partition(p, opt, v);
	case MO_SORT: return read_lines(p, v[0], opt, 1);
	case MO_SORT_WEIGHT: {
		errno = 0;
		long w = strtol(v[0], &end, 10);
		if (errno || *end || !v[0][0] || w < INT32_MIN || w > INT32_MAX)
			return fail(p, "%s: '%s' is not a number", opt, v[0]);
		mk_path_rule *a = realloc(s->weights, (s->nweights + 1) * sizeof(*a));
		if (!a)
			return fail(p, "out of memory");
		s->weights = a;
		a[s->nweights++] = (mk_path_rule){v[1], (int32_t)w};
		break;
	}
	case MO_HFS:
		if (!p->hfs_warned++)
			dm_warn(p->ctx, "%s: the Mac HFS+ part of the image is left out (HFS+ is not "
					"supported); the image boots the same on PCs", opt);
		break;
	case MO_SETTING: {
		/* mkisofs's name for a setting of the table: parsed and checked as mkimage's own
		 * option is, the message naming the option as written. */
		const char *eq = strchr(d->setting, '=');
		size_t len = eq ? (size_t)(eq - d->setting) : strlen(d->setting);
		const mk_setting_def *sd = mk_settings_find_flag(d->setting, len, 0);
		char why[300];
		if (!sd)
			return fail(p, "internal error: no setting %s", d->setting);
		if (mk_settings_set(s, sd, d->nargs ? v[0] : eq ? eq + 1 : NULL, why, sizeof(why)))
			return fail(p, "%s: %s", opt, why);
		if (!strcmp(d->setting, "iso-level"))
			p->level_given = 1;
		break;
	}
	case MO_HELP:
		s->help = 1;
		return MK_MKISOFS_EXIT;
	case MO_VERSION:
		s->version = 1;
		return MK_MKISOFS_EXIT;
	}
	return 0;
}

/* A pathspec into mkimage's SOURCE form: DEST=SRC, or a directory whose contents go to
 * the root. With -graft-points "\=" and "\\" escape; DEST ending in '/' gets SRC's name. */
static int pathspec(parser *p, const char *arg, const char **out)
{
	const char *src = arg;
	char *dest = NULL;
	if (p->graft) {
		size_t n = strlen(arg), j = 0;
		char *d = malloc(n + 1);
		if (!d)
			return fail(p, "out of memory");
		const char *q = arg;
		for (; *q; q++) {
			if (*q == '\\' && (q[1] == '=' || q[1] == '\\')) {
				d[j++] = *++q;
				continue;
			}
			if (*q == '=')
				break;
			d[j++] = *q;
		}
		d[j] = '\0';
		if (*q == '=') {
			dest = d;
			src = q + 1;
		} else {
			free(d);
			src = arg;
			/* Without '=' the source is the unescaped text. */
		}
	}
	struct stat st;
	int is_dir = stat(src, &st) == 0 && S_ISDIR(st.st_mode);
	const char *name = strrchr(src, '/');
	name = name && name[1] ? name + 1 : src;
	/* "DEST\0SRC": a directory without DEST goes to the root, anything else without DEST
	 * to the root under its name. */
	const char *d = dest ? dest : "/";
	size_t dl = strlen(d);
	int add_name = dest ? dl > 1 && d[dl - 1] == '/' && !is_dir : !is_dir;
	if (!dl)
		d = "/", dl = 1;
	size_t nl = add_name ? strlen(name) : 0, sl = strlen(src);
	char *res = malloc(dl + nl + sl + 2);
	if (res) {
		memcpy(res, d, dl);
		memcpy(res + dl, name, nl);
		res[dl + nl] = '\0';
		memcpy(res + dl + nl + 1, src, sl + 1);
	}
	free(dest);
	if (!own(p->s, res))
		return fail(p, "out of memory");
	*out = res;
	return 0;
}

int mk_mkisofs_parse(mk_settings *s, int argc, char **argv, dm_ctx *ctx)
{
	mk_settings_init(s);
	/* mkisofs's defaults: plain ISO 9660 level 1, xorriso's volume id. */
	s->fs = MK_FS_ISO9660;
	s->iso_level = 1;
	s->volume_id = "ISOIMAGE";
	s->as_mkisofs = 1;
	parser p = {.s = s, .ctx = ctx};
	int r = 0;
	for (int i = 1; i < argc && !r; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			r = push(&p.paths, &p.npaths, a) ? fail(&p, "out of memory") : 0;
			continue;
		}
		const char *name = a + 1 + (a[1] == '-');
		const char *eq = a[1] == '-' ? strchr(name, '=') : NULL;
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const mk_mo_def *d = find(name, len);
		if (!d) {
			r = fail(&p, "unknown option %s", a);
			break;
		}
		size_t k = (size_t)(d - defs);
		if (d->once && p.seen[k]) {
			r = fail(&p, "%.*s: given twice (it cannot repeat)", (int)(eq ? eq - a : (long)strlen(a)), a);
			break;
		}
		p.seen[k] = 1;
		char *vals[3] = {NULL, NULL, NULL};
		unsigned got = 0;
		if (eq && d->nargs)
			vals[got++] = (char *)eq + 1;
		while (got < d->nargs && i + 1 < argc)
			vals[got++] = argv[++i];
		if (got < d->nargs) {
			r = fail(&p, "option %s needs %u value%s", a, d->nargs, d->nargs > 1 ? "s" : "");
			break;
		}
		r = apply(&p, d, a, vals);
	}
	if (r == MK_MKISOFS_EXIT || r) {
		free(p.paths);
		return r == MK_MKISOFS_EXIT ? MK_MKISOFS_EXIT : DM_ERR_INVALID;
	}
	/* The file systems asked for: a later session (-M) must have the previous one's, which
	 * it takes when none are asked for. */
	if (p.fs_given) {
		const mk_setting_def *fs = mk_settings_find_flag("fs", 2, 0);
		s->given |= 1ull << (fs - mk_settings_defs);
	}
	if (p.full_names && !p.level_given && s->iso_level < 2)
		s->iso_level = 2;
	/* The table: a GPT beside an isohybrid MBR (-isohybrid-mbr -isohybrid-gpt-basdat, as
	 * xorriso makes it), a GPT with a protective MBR (-efi-boot-part, -appended_part_as_gpt,
	 * -isohybrid-gpt-basdat alone), else what the options above chose. */
	if (p.gpt_basdat && p.isohybrid && !p.efi_part && !p.appended_gpt)
		s->hybrid = HYB_MBR_GPT;
	else if (p.efi_part || p.gpt_basdat || (p.appended_gpt && s->nappend))
		s->hybrid = HYB_GPT;
	/* mkisofs -b/-e name files of the image; boot.c also takes files on disk. */
	s->sources = calloc(p.npaths + 1, sizeof(char *));
	if (!s->sources) {
		free(p.paths);
		return fail(&p, "out of memory"), DM_ERR_INVALID;
	}
	s->sources_owned = 1;
	s->sources_nul = 1;
	for (size_t i = 0; i < p.npaths && !r; i++)
		r = pathspec(&p, p.paths[i], (const char **)&s->sources[s->nsources++]);
	free(p.paths);
	if (r)
		return DM_ERR_INVALID;
	/* A manifest's <efi>, <ppc> and <mac> have an image only (emulation none, the default
	 * load size). */
	for (unsigned i = 0; s->print_manifest && !p.unsaid && i < s->nboot; i++) {
		const mk_boot_spec *e = &s->boot[i];
		if (e->platform != ELT_PLATFORM_X86 &&
		    (e->load_size || e->info_table || e->grub2_info || e->emul != MK_BOOT_EMUL_NONE))
			p.unsaid = e->load_size ? "-boot-load-size after -e" : e->info_table ?
				   "-boot-info-table after -e" : e->grub2_info ? "--grub2-boot-info after -e" :
				   "-hard-disk-boot after -e";
	}
	if (s->print_manifest && p.unsaid)
		return fail(&p, "--print-manifest: a manifest cannot say what %s does; make the image "
			    "with the options instead", p.unsaid), DM_ERR_INVALID;
	if (!s->output && !s->print_size && !s->print_manifest)
		s->output = "-"; /* mkisofs writes to standard output without -o */
	if (!s->nsources)
		return fail(&p, "no pathspec given"), DM_ERR_INVALID;
	return mk_settings_check(s, ctx) ? DM_ERR_INVALID : 0;
}
