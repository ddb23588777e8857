/* The settings table: one row per setting, shared by the command line (options.c), the
 * manifest's settings part (settings_manifest.c) and --print-manifest (mk_settings_print).
 * The shape follows curl's option alias table (src/tool_getparam.c): a name, how it is
 * written, its type; one parser per type. */
#include "mkimage/settings.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mkimage/boot/hybrid.h"
#include "mkimage/iso/iso_names.h"
#include "mkimage/source/manifest.h"
#include "mkimage/udf/udf_plan.h"

#define S(f) offsetof(mk_settings, f)
#define E(f) offsetof(mk_boot_spec, f)

/* Order matters twice: --print-manifest writes the manifest's elements in the order their
 * first row appears, and the attributes of one element in row order. */
const mk_setting_def mk_settings_defs[] = {
	{"output", 'o', NULL, NULL, MK_ST_STRING, MK_SCOPE_IMAGE, 0, MK_SD_RUN, 0, S(output), 0},
	{NULL, 0, "", "epoch", MK_ST_TIME, MK_SCOPE_IMAGE, 0, 0, 0, S(epoch), 0},
	{"fs", 0, "filesystems", NULL, MK_ST_FS, MK_SCOPE_IMAGE, 0, MK_SD_PRINT_ALWAYS, 0, S(fs), 0},
	{"iso-level", 0, "iso", "level", MK_ST_LEVEL, MK_SCOPE_IMAGE, 0, MK_SD_PRINT_ALWAYS, 0, S(iso_level), 0},
	{"joliet-long", 0, "iso", "joliet-long", MK_ST_BOOL, MK_SCOPE_IMAGE, 0, MK_SD_PRINT_ALWAYS, 0,
	 S(joliet_long), 0},
	/* mkisofs -partition_offset: a second superblock and tree at block N, where the MBR's
	 * (or GPT's) first partition starts. In <iso>, not <boot>: an image that does not boot
	 * has it too (one CDh partition then). */
	{"partition-offset", 0, "iso", "partition-offset", MK_ST_BLOCKS, MK_SCOPE_IMAGE, 0, 0, 0,
	 S(partition_offset), 0},
	/* ISO 9660 names as mkisofs -N and -U make them (iso_names.h). Repeatable: -U -N is -U. */
	{"iso-names", 0, "iso", "names", MK_ST_NAMES, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0, S(iso_names), 0},
	/* Command line only (no manifest node): what the manifest cannot say yet. */
	{"rr-relocate", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0, S(rr_relocate), 0},
	{"udf-rev", 0, "udf", "revision", MK_ST_UDF_REV, MK_SCOPE_IMAGE, 0, 0, 0, S(udf_rev), 0},
	{"udf-embed", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0, S(udf_embed), 0},
	{"udf-special", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0, S(udf_special), 0},
	{"boot-catalog", 0, "boot", "catalog", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(boot_catalog), 0},
	{"boot-bios", 0, "boot/bios", "image", MK_ST_BOOT_IMAGE, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT, 0, E(path), 0},
	{"boot-emul", 0, "boot/bios", "emulation", MK_ST_EMUL, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT | MK_SD_PRINT_ALWAYS, MK_BS_EMUL, E(emul), 0},
	{"boot-load-size", 0, "boot/bios", "load-size", MK_ST_U16, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT, MK_BS_LOAD_SIZE, E(load_size), 1},
	{"boot-load-seg", 0, "boot/bios", "load-segment", MK_ST_U16, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT, MK_BS_LOAD_SEG, E(load_seg), 0},
	{"boot-info-table", 0, "boot/bios", "info-table", MK_ST_BOOL, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT | MK_SD_PRINT_ALWAYS, MK_BS_INFO_TABLE, E(info_table), 0},
	/* GRUB's eltorito.img: its own 64-bit LBA field at byte 2548 (mkisofs --grub2-boot-info). */
	{"boot-grub2-info", 0, "boot/bios", "grub2-info", MK_ST_BOOL, MK_SCOPE_ENTRY, ELT_PLATFORM_X86,
	 MK_SD_REPEAT, MK_BS_GRUB2_INFO, E(grub2_info), 0},
	{"boot-efi", 0, "boot/efi", "image", MK_ST_BOOT_IMAGE, MK_SCOPE_ENTRY, ELT_PLATFORM_EFI,
	 MK_SD_REPEAT, 0, E(path), 0},
	{"boot-ppc", 0, "boot/ppc", "image", MK_ST_BOOT_IMAGE, MK_SCOPE_ENTRY, ELT_PLATFORM_PPC,
	 MK_SD_REPEAT, 0, E(path), 0},
	{"boot-mac", 0, "boot/mac", "image", MK_ST_BOOT_IMAGE, MK_SCOPE_ENTRY, ELT_PLATFORM_MAC,
	 MK_SD_REPEAT, 0, E(path), 0},
	{"hybrid", 0, "boot/hybrid", NULL, MK_ST_HYBRID, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0, S(hybrid), 0},
	{"hybrid-table", 0, "boot/hybrid", "table", MK_ST_TABLE, MK_SCOPE_IMAGE, 0, 0, 0, S(hybrid), 0},
	{"hybrid-mbr", 0, "boot/hybrid", "mbr-code", MK_ST_FILE, MK_SCOPE_IMAGE, 0, 0, 0, S(hybrid_mbr), 0},
	/* Files appended after the image as partitions of the hybrid table (mkisofs
	 * -append_partition): <hybrid> children <partition number type src>. */
	{"append-partition", 0, "boot/hybrid/partition", NULL, MK_ST_APPEND, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT,
	 0, S(append), 0},
	/* GRUB's boot_hybrid.img, the BIOS image's address patched in (mkisofs --grub2-mbr). */
	{"hybrid-grub2-mbr", 0, "boot/hybrid", "grub2-mbr-code", MK_ST_FILE, MK_SCOPE_IMAGE, 0, 0, 0,
	 S(hybrid_grub2_mbr), 0},
	{"volume-id", 'V', "volume", "id", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(volume_id), 0},
	{"system-id", 0, "volume", "system", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(system_id), 0},
	{"volset-id", 0, "volume", "set", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(volset_id), 0},
	{"publisher", 0, "volume", "publisher", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(publisher), 0},
	{"preparer", 0, "volume", "preparer", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(preparer), 0},
	{"application", 0, "volume", "application", MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(application), 0},
	/* The volume descriptors' dates and the boot catalog's (xorriso's --modification-date):
	 * instead of the epoch or now. File times keep their own. */
	{"volume-time", 0, "volume", "time", MK_ST_DATE, MK_SCOPE_IMAGE, 0, 0, 0, S(volume_time), 0},
	{"media", 0, "media", NULL, MK_ST_STRING, MK_SCOPE_IMAGE, 0, 0, 0, S(media), 0},
	/* Multisession: <previous src session-start last-session> with <remove path> children;
	 * --session-start START,NEXT is both attributes. */
	{"previous", 0, "previous", "src", MK_ST_DISC, MK_SCOPE_IMAGE, 0, 0, 0, S(previous), 0},
	{"session-start", 0, "previous", "session-start", MK_ST_SESSION, MK_SCOPE_IMAGE, 0, 0, 0,
	 S(session_start), 0},
	{NULL, 0, "previous", "last-session", MK_ST_LBA, MK_SCOPE_IMAGE, 0, 0, 0, S(last_session), 0},
	{"remove", 0, "previous/remove", "path", MK_ST_LIST, MK_SCOPE_IMAGE, 0, MK_SD_REPEAT, 0,
	 S(removes), 0},
	{"follow-links", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0,
	 S(follow_links), 0},
	{"manifest", 'm', NULL, NULL, MK_ST_STRING, MK_SCOPE_IMAGE, 0, MK_SD_RUN, 0, S(manifest), 0},
	{"print-manifest", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0,
	 S(print_manifest), 0},
	{"implant-md5", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0,
	 S(implant_md5), 0},
	{"sha256", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(sha256), 0},
	{"dry-run", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(dry_run), 0},
	{"progress", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(progress), 0},
	{"verbose", 'v', NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(verbose), 0},
	{"help", 'h', NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(help), 0},
	{"version", 0, NULL, NULL, MK_ST_FLAG, MK_SCOPE_IMAGE, 0, MK_SD_RUN | MK_SD_REPEAT, 0, S(version), 0},
};
const size_t mk_settings_ndefs = sizeof(mk_settings_defs) / sizeof(mk_settings_defs[0]);

/* MK_ST_SESSION writes START just after NEXT. */
_Static_assert(offsetof(mk_settings, last_session) == offsetof(mk_settings, session_start) + sizeof(int64_t),
	       "last_session follows session_start");
/* MK_ST_APPEND counts in nappend, just after the array. */
_Static_assert(offsetof(mk_settings, nappend) == offsetof(mk_settings, append) + sizeof(((mk_settings *)0)->append),
	       "nappend follows append");
/* The given bits are a uint64_t. */
_Static_assert(sizeof(mk_settings_defs) / sizeof(mk_settings_defs[0]) <= 64, "too many settings");

void mk_settings_init(mk_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->fs = MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE;
	s->iso_level = 3;
	s->epoch = -1;
	s->volume_time = -1;
	s->session_start = s->last_session = -1;
	s->volume_id = "CDROM";
	s->system_id = "LINUX";
	s->application = "DISCMASTER MKIMAGE " PACKAGE_VERSION;
}

void mk_settings_free(mk_settings *s)
{
	free(s->exclude);
	free(s->hide);
	free(s->hide_joliet);
	free(s->weights);
	free(s->owned_file);
	s->owned_file = NULL;
	free(s->owned_previous);
	s->owned_previous = NULL;
	free(s->owned_grub2_mbr);
	s->owned_grub2_mbr = NULL;
	for (unsigned i = 0; i < HYB_APPEND_MAX; i++) {
		free(s->owned_append[i]);
		s->owned_append[i] = NULL;
	}
	free(s->removes.v);
	s->removes.v = NULL;
	s->removes.n = 0;
	for (size_t i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	s->owned = NULL;
	s->nowned = 0;
	if (s->sources_owned)
		free(s->sources);
	s->exclude = s->hide = s->hide_joliet = NULL;
	s->weights = NULL;
	s->sources = NULL;
	s->nexclude = s->nhide = s->nhide_joliet = s->nweights = s->nsources = 0;
}

const mk_setting_def *mk_settings_find_flag(const char *name, size_t len, char short_flag)
{
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		if (short_flag ? d->short_flag == short_flag
			       : d->name && strlen(d->name) == len && !memcmp(d->name, name, len))
			return d;
	}
	return NULL;
}

const mk_setting_def *mk_settings_find_node(const char *node, const char *attr)
{
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		if (d->node && !strcmp(d->node, node) &&
		    (attr ? d->attr && !strcmp(d->attr, attr) : !d->attr))
			return d;
	}
	return NULL;
}

mk_boot_spec *mk_settings_new_entry(mk_settings *s, uint8_t platform)
{
	if (s->nboot >= MK_BOOT_MAX)
		return NULL;
	mk_boot_spec *e = &s->boot[s->nboot++];
	memset(e, 0, sizeof(*e));
	e->platform = platform;
	return e;
}

mk_boot_spec *mk_settings_entry(mk_settings *s, uint8_t platform)
{
	for (unsigned i = s->nboot; i-- > 0;)
		if (s->boot[i].platform == platform)
			return &s->boot[i];
	return mk_settings_new_entry(s, platform);
}

static int why(char *buf, size_t cap, const char *fmt, ...) DM_PRINTF(3, 4);
static int why(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Manifest values of the enumerated and numeric kinds may be padded with white space (the
 * schema's token type); the command line's are taken as written. */
static const char *trim(const char *v, char *buf, size_t cap)
{
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

/* "iso9660,joliet,rockridge,udf" (or separated by white space): MK_FS_* bits. "udf" alone is
 * a pure UDF image; any ISO 9660 part brings the primary hierarchy (ECMA-119 8.4). */
static int parse_fs(const char *list, unsigned *fs, char *w, size_t cap)
{
	unsigned bits = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ", \t\r\n");
		if (n == 0) {
			p++;
			continue;
		}
		if (n == 7 && !strncmp(p, "iso9660", n))
			bits |= MK_FS_ISO9660;
		else if (n == 6 && !strncmp(p, "joliet", n))
			bits |= MK_FS_JOLIET;
		else if (n == 9 && !strncmp(p, "rockridge", n))
			bits |= MK_FS_ROCKRIDGE;
		else if (n == 3 && !strncmp(p, "udf", n))
			bits |= MK_FS_UDF;
		else
			return why(w, cap, "unknown filesystem '%.*s' (known: iso9660, joliet, rockridge, udf)",
				   (int)n, p);
		p += n;
	}
	if (!bits)
		return why(w, cap, "no filesystem given");
	*fs = bits == MK_FS_UDF ? bits : bits | MK_FS_ISO9660;
	return 0;
}

/* A sector number: decimal, to 0xFFFFFFF0 (the last LBA a 32-bit address field holds with
 * room for the descriptors after it). */
static int parse_lba(const char *arg, size_t len, int64_t *out, char *w, size_t cap)
{
	uint64_t v = 0;
	if (!len || len > 10)
		return why(w, cap, "'%.*s' is not a sector number", (int)len, arg);
	for (size_t i = 0; i < len; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return why(w, cap, "'%.*s' is not a sector number", (int)len, arg);
		v = v * 10 + (uint64_t)(arg[i] - '0');
	}
	if (v > 0xFFFFFFF0u)
		return why(w, cap, "'%.*s' is not a sector number (at most %u)", (int)len, arg, 0xFFFFFFF0u);
	*out = (int64_t)v;
	return 0;
}

/* [START,]NEXT, as cdrecord -msinfo, writeimg --msinfo and mkisofs -C write it. */
static int parse_session(const char *arg, int64_t field[2], char *w, size_t cap)
{
	const char *comma = strchr(arg, ',');
	if (comma && parse_lba(arg, (size_t)(comma - arg), &field[1], w, cap))
		return -1;
	const char *next = comma ? comma + 1 : arg;
	return parse_lba(next, strlen(next), &field[0], w, cap);
}

static int parse_u16(const char *arg, unsigned long min, unsigned *out, char *w, size_t cap)
{
	char *end;
	errno = 0;
	int digit = arg[0] >= '0' && arg[0] <= '9';
	unsigned long v = digit ? strtoul(arg, &end, 0) : 0;
	if (!digit || errno || *end || v < min || v > 0xFFFF)
		return why(w, cap, "'%s' is not a number from %lu to 65535", arg, min);
	*out = (unsigned)v;
	return 0;
}

/* --partition-offset, mkisofs -partition_offset: 0 (none), or a 2048-byte block from 16 (the
 * second superblock must lie after the first volume descriptors' system area, ECMA-119
 * 6.2.1) to 2^28 (the MBR's 512-byte sector numbers are 32-bit). */
static int parse_blocks(const char *arg, uint32_t *out, char *w, size_t cap)
{
	char *end;
	errno = 0;
	int digit = arg[0] >= '0' && arg[0] <= '9';
	unsigned long long v = digit ? strtoull(arg, &end, 10) : 0;
	if (!digit || errno || *end || (v != 0 && v < 16) || v > 0x10000000)
		return why(w, cap, "'%s' is not 0 or a number of 2048-byte blocks from 16", arg);
	*out = (uint32_t)v;
	return 0;
}

/* --volume-time: seconds since 1970, YYYY-MM-DDThh:mm:ssZ, or xorriso's --modification-date
 * form YYYYMMDDhhmmsscc (UTC; the hundredths are dropped: ECMA-119 8.4.26.1 writes them as
 * 00). From 1970 (a negative time means "unset") to 9999, the last year ECMA-119 writes. */
static int parse_date(const char *arg, int64_t *out, char *w, size_t cap)
{
	char iso[21];
	const char *v = arg;
	if (strlen(arg) == 16 && strspn(arg, "0123456789") == 16) {
		/* Into "YYYY-MM-DDThh:mm:ssZ", which mk_manifest_parse_time checks field by field. */
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", arg, arg + 4, arg + 6, arg + 8,
			 arg + 10, arg + 12);
		v = iso;
	}
	int64_t x;
	if (mk_manifest_parse_time(v, &x) < 0 || x < 0 || x > INT64_C(253402300799))
		return why(w, cap, "'%s' is not a time from 1970 to 9999 (seconds since 1970, "
			   "YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmsscc)", arg);
	*out = x;
	return 0;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* --append-partition N:TYPE:FILE (mkisofs -append_partition N TYPE FILE): N 1-4; TYPE an
 * MBR type byte (0xef, 239) or a GPT type GUID, as text (C12A7328-F81F-11D2-BA4B-
 * 00A0C93EC93B) or as its 32 on-disk hex digits; FILE the rest (it may hold ':'), pointed
 * into by the entry: arg must outlive the settings. */
static int parse_append(const char *arg, mk_boot_append *app, unsigned *n, char *w, size_t cap)
{
	const char *c1 = strchr(arg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || !c2[1])
		return why(w, cap, "'%s' is not N:TYPE:FILE", arg);
	char num[8], t[40];
	size_t nl = (size_t)(c1 - arg), tl = (size_t)(c2 - c1 - 1);
	if (nl != 1 || arg[0] < '1' || arg[0] > '4')
		return why(w, cap, "partition number '%.*s' is not 1 to 4", (int)(nl < 8 ? nl : 7), arg);
	snprintf(num, sizeof(num), "%.*s", (int)nl, arg);
	unsigned slot = (unsigned)(arg[0] - '0');
	for (unsigned i = 0; i < *n; i++)
		if (app[i].slot == slot)
			return why(w, cap, "partition %u given twice", slot);
	if (*n == HYB_APPEND_MAX)
		return why(w, cap, "more than %u partitions", HYB_APPEND_MAX);
	if (tl >= sizeof(t))
		return why(w, cap, "type '%.*s' is not a byte nor a GUID", (int)tl, c1 + 1);
	memcpy(t, c1 + 1, tl);
	t[tl] = '\0';
	mk_boot_append a = {.path = c2 + 1, .slot = (uint8_t)slot};
	char hex[33];
	size_t nh = 0;
	for (size_t i = 0; i < tl && nh < 33; i++)
		if (t[i] != '-')
			hex[nh++] = t[i];
	if ((tl == 36 || tl == 32) && nh == 32) {
		uint8_t g[16];
		for (unsigned i = 0; i < 16; i++) {
			int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
			if (hi < 0 || lo < 0)
				return why(w, cap, "type '%s' is not a byte nor a GUID", t);
			g[i] = (uint8_t)(hi << 4 | lo);
		}
		if (tl == 36) {
			/* Text form: the first three fields are stored little-endian (UEFI 2.x A). */
			uint8_t r[16] = {g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6]};
			memcpy(r + 8, g + 8, 8);
			memcpy(g, r, 16);
		}
		memcpy(a.guid, g, 16);
		static const uint8_t esp[16] = {0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
						0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b};
		a.mbr_type = memcmp(g, esp, 16) ? 0x83 : 0xEF;
	} else {
		char *end;
		errno = 0;
		unsigned long b = strtoul(t, &end, 0);
		if (!*t || *end || errno || b > 0xFF || b == 0)
			return why(w, cap, "type '%s' is not a byte nor a GUID", t);
		a.mbr_type = (uint8_t)b;
	}
	app[(*n)++] = a;
	return 0;
}

/* The parser of each type: value into field. */
static int parse_value(const mk_setting_def *d, void *field, const char *v, char *w, size_t cap)
{
	char t[64];
	switch ((mk_stype)d->type) {
	case MK_ST_FLAG:
		*(int *)field = 1;
		return 0;
	case MK_ST_BOOL: {
		int *f = field;
		if (!v) {
			*f = 1;
			return 0;
		}
		trim(v, t, sizeof(t));
		if (!strcmp(t, "true") || !strcmp(t, "1"))
			*f = 1;
		else if (!strcmp(t, "false") || !strcmp(t, "0"))
			*f = 0;
		else
			return why(w, cap, "'%s' is not true or false", v);
		return 0;
	}
	case MK_ST_STRING:
	case MK_ST_FILE:
	case MK_ST_DISC:
	case MK_ST_BOOT_IMAGE:
		*(const char **)field = v;
		return 0;
	case MK_ST_SESSION:
		return parse_session(trim(v, t, sizeof(t)), field, w, cap);
	case MK_ST_LBA:
		trim(v, t, sizeof(t));
		return parse_lba(t, strlen(t), field, w, cap);
	case MK_ST_LIST: {
		mk_strlist *l = field;
		const char **a = realloc(l->v, (l->n + 1) * sizeof(*a));
		if (!a)
			return why(w, cap, "out of memory");
		l->v = a;
		a[l->n++] = v;
		return 0;
	}
	case MK_ST_FS:
		return parse_fs(v, field, w, cap);
	case MK_ST_LEVEL:
		trim(v, t, sizeof(t));
		if (strlen(t) != 1 || t[0] < '1' || t[0] > '3')
			return why(w, cap, "'%s' is not 1, 2 or 3", v);
		*(int *)field = t[0] - '0';
		return 0;
	case MK_ST_UDF_REV:
		if (!udf_rev_parse(trim(v, t, sizeof(t)), field))
			return why(w, cap, "'%s' is not 1.02, 1.50, 2.00, 2.01, 2.50 or 2.60", v);
		return 0;
	case MK_ST_TIME: {
		int64_t x;
		if (mk_manifest_parse_time(trim(v, t, sizeof(t)), &x) < 0 || x < 0)
			return why(w, cap, "'%s' is not a time at or after 1970", v);
		*(int64_t *)field = x;
		return 0;
	}
	case MK_ST_EMUL:
		trim(v, t, sizeof(t));
		if (!strcmp(t, "none"))
			*(uint8_t *)field = MK_BOOT_EMUL_NONE;
		else if (!strcmp(t, "floppy"))
			*(uint8_t *)field = MK_BOOT_EMUL_FLOPPY;
		else if (!strcmp(t, "hdd"))
			*(uint8_t *)field = MK_BOOT_EMUL_HDD;
		else
			return why(w, cap, "'%s' is not none, floppy or hdd", v);
		return 0;
	case MK_ST_U16:
		return parse_u16(trim(v, t, sizeof(t)), (unsigned long)d->arg, field, w, cap);
	case MK_ST_BLOCKS:
		return parse_blocks(trim(v, t, sizeof(t)), field, w, cap);
	case MK_ST_DATE:
		return parse_date(trim(v, t, sizeof(t)), field, w, cap);
	case MK_ST_APPEND:
		return parse_append(v, field, (unsigned *)((char *)field + sizeof(((mk_settings *)0)->append)), w,
				    cap);
	case MK_ST_NAMES: {
		/* Each mode includes the one before it: the bits only grow. */
		int bits;
		trim(v, t, sizeof(t));
		if (!strcmp(t, "translated"))
			bits = 0;
		else if (!strcmp(t, "no-version"))
			bits = ISO_NAMES_NO_VERSION;
		else if (!strcmp(t, "untranslated"))
			bits = ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED;
		else
			return why(w, cap, "'%s' is not translated, no-version or untranslated", v);
		*(int *)field |= bits;
		return 0;
	}
	case MK_ST_HYBRID:
		if (!*(int *)field)
			*(int *)field = HYB_AUTO;
		return 0;
	case MK_ST_TABLE:
		trim(v, t, sizeof(t));
		if (!strcmp(t, "mbr"))
			*(int *)field = HYB_MBR;
		else if (!strcmp(t, "gpt"))
			*(int *)field = HYB_GPT;
		else if (!strcmp(t, "mbr+gpt"))
			*(int *)field = HYB_MBR_GPT;
		else
			return why(w, cap, "'%s' is not mbr, gpt or mbr+gpt", v);
		return 0;
	}
	return why(w, cap, "internal error: setting type %d", d->type);
}

dm_status mk_settings_set(mk_settings *s, const mk_setting_def *d, const char *value, char *w,
			  size_t cap)
{
	uint64_t bit = 1ull << (d - mk_settings_defs);
	if ((s->given & bit) && !(d->flags & MK_SD_REPEAT)) {
		why(w, cap, "given twice (it cannot repeat)");
		return DM_ERR_INVALID;
	}
	s->given |= bit;
	void *field;
	if (d->scope == MK_SCOPE_ENTRY && d->type == MK_ST_BOOT_IMAGE) {
		/* A new entry, unless the last of its platform has its settings but no image yet
		 * (--boot-emul given before --boot-bios). */
		mk_boot_spec *e = NULL;
		for (unsigned i = s->nboot; i-- > 0;)
			if (s->boot[i].platform == d->platform) {
				e = s->boot[i].path ? NULL : &s->boot[i];
				break;
			}
		if (!e && !(e = mk_settings_new_entry(s, d->platform))) {
			why(w, cap, "more than %u boot images", MK_BOOT_MAX);
			return DM_ERR_INVALID;
		}
		field = (char *)e + d->off;
	} else if (d->scope == MK_SCOPE_ENTRY) {
		mk_boot_spec *e = mk_settings_entry(s, d->platform);
		if (!e) {
			why(w, cap, "more than %u boot images", MK_BOOT_MAX);
			return DM_ERR_INVALID;
		}
		if (e->given & d->bs_bit) {
			why(w, cap, "given twice for one boot image");
			return DM_ERR_INVALID;
		}
		e->given |= d->bs_bit;
		if (d->type == MK_ST_BOOL) {
			/* An entry's flags are bytes. */
			int v = 0;
			if (parse_value(d, &v, value, w, cap))
				return DM_ERR_INVALID;
			*((uint8_t *)e + d->off) = (uint8_t)v;
			return DM_OK;
		}
		field = (char *)e + d->off;
	} else {
		field = (char *)s + d->off;
	}
	if (d->type == MK_ST_HYBRID ||
	    (d->type == MK_ST_FILE && (d->off == S(hybrid_mbr) || d->off == S(hybrid_grub2_mbr))))
		if (!s->hybrid)
			s->hybrid = HYB_AUTO;
	/* An appended partition goes into an MBR unless a table is asked for. */
	if (d->type == MK_ST_APPEND && (!s->hybrid || s->hybrid == HYB_AUTO))
		s->hybrid = HYB_MBR;
	return parse_value(d, field, value, w, cap) ? DM_ERR_INVALID : DM_OK;
}

static int given(const mk_settings *s, const mk_setting_def *d)
{
	return !!(s->given & (1ull << (d - mk_settings_defs)));
}

int mk_settings_given(const mk_settings *s, const char *name)
{
	const mk_setting_def *d = mk_settings_find_flag(name, strlen(name), 0);
	return d && given(s, d);
}

#define given_name mk_settings_given

/* The bytes of a setting's field (the merge copies them). */
static size_t field_size(const mk_setting_def *d)
{
	switch ((mk_stype)d->type) {
	case MK_ST_STRING:
	case MK_ST_FILE:
	case MK_ST_DISC:
	case MK_ST_BOOT_IMAGE: return sizeof(const char *);
	case MK_ST_UDF_REV:
	case MK_ST_FS:
	case MK_ST_U16: return sizeof(unsigned);
	case MK_ST_BLOCKS: return sizeof(uint32_t);
	case MK_ST_TIME:
	case MK_ST_DATE:
	case MK_ST_SESSION:
	case MK_ST_LBA: return sizeof(int64_t);
	case MK_ST_EMUL: return sizeof(uint8_t);
	case MK_ST_LIST: return sizeof(mk_strlist);
	default: return sizeof(int);
	}
}

dm_status mk_settings_merge(mk_settings *o, mk_settings *u)
{
	/* --session-start NEXT alone: the manifest's last-session goes with its own NEXT. */
	int cli_session = given_name(o, "session-start");
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		if (d->scope != MK_SCOPE_IMAGE || !d->node || d->node[0] == '\0' ||
		    !strncmp(d->node, "boot", 4) || !given(u, d))
			continue;
		if (d->type == MK_ST_LIST) {
			/* The removals of both apply. */
			mk_strlist *ol = (mk_strlist *)((char *)o + d->off);
			const mk_strlist *ul = (const mk_strlist *)((const char *)u + d->off);
			const char **a = realloc(ol->v, (ol->n + ul->n) * sizeof(*a));
			if (!a)
				return DM_ERR_NOMEM;
			memcpy(a + ol->n, ul->v, ul->n * sizeof(*a));
			ol->v = a;
			ol->n += ul->n;
			o->given |= 1ull << i;
			continue;
		}
		if (given(o, d) || (cli_session && d->off == S(last_session)))
			continue;
		memcpy((char *)o + d->off, (const char *)u + d->off, field_size(d));
		o->given |= 1ull << i;
	}
	/* <boot> as a whole, unless the command line gives boot images of its own; <hybrid>
	 * with it, unless the command line asks for a table of its own. */
	int cli_boot = given_name(o, "boot-bios") || given_name(o, "boot-efi") || given_name(o, "boot-ppc") ||
		       given_name(o, "boot-mac") || given_name(o, "boot-catalog");
	if (!cli_boot && u->nboot) {
		memcpy(o->boot, u->boot, sizeof(o->boot));
		o->nboot = u->nboot;
		o->boot_catalog = u->boot_catalog;
		o->boot_from_manifest = 1;
		if (!o->hybrid) {
			o->hybrid = u->hybrid;
			o->hybrid_mbr = u->hybrid_mbr;
			o->hybrid_grub2_mbr = u->hybrid_grub2_mbr;
			/* The appended partitions with the table (an --append-partition of the
			 * command line makes a table of its own). */
			memcpy(o->append, u->append, sizeof(o->append));
			o->nappend = u->nappend;
			for (unsigned i = 0; i < HYB_APPEND_MAX; i++) {
				free(o->owned_append[i]);
				o->owned_append[i] = u->owned_append[i];
				u->owned_append[i] = NULL;
			}
		}
	}
	/* The files the manifest resolved: o may point into them now. */
	free(o->owned_file);
	free(o->owned_previous);
	free(o->owned_grub2_mbr);
	o->owned_file = u->owned_file;
	o->owned_previous = u->owned_previous;
	o->owned_grub2_mbr = u->owned_grub2_mbr;
	u->owned_file = u->owned_previous = u->owned_grub2_mbr = NULL;
	mk_settings_free(u);
	return DM_OK;
}

/* ---- printing (--print-manifest) --------------------------------------------------------- */

/* Whether def d has something to write for the field at f. */
static int has_value(const mk_setting_def *d, const void *f)
{
	if (d->flags & MK_SD_PRINT_ALWAYS)
		return 1;
	switch ((mk_stype)d->type) {
	case MK_ST_STRING:
	case MK_ST_FILE:
	case MK_ST_DISC:
	case MK_ST_BOOT_IMAGE: return *(const char *const *)f != NULL;
	case MK_ST_TIME:
	case MK_ST_DATE:
	case MK_ST_SESSION:
	case MK_ST_LBA: return *(const int64_t *)f >= 0;
	case MK_ST_LIST: return ((const mk_strlist *)f)->n != 0;
	case MK_ST_APPEND: return 0; /* written as <hybrid>'s children */
	case MK_ST_UDF_REV: return *(const unsigned *)f != 0;
	case MK_ST_U16: return *(const unsigned *)f != 0;
	case MK_ST_BLOCKS: return *(const uint32_t *)f != 0;
	case MK_ST_TABLE:
		return *(const int *)f == HYB_MBR || *(const int *)f == HYB_GPT || *(const int *)f == HYB_MBR_GPT;
	case MK_ST_HYBRID: return *(const int *)f != 0;
	default: return *(const int *)f != 0;
	}
}

/* The printer of each type: the value as the manifest writes it. */
static void print_value(FILE *f, const mk_setting_def *d, const void *field)
{
	static const char *const emul[] = {"none", "floppy", "hdd"};
	switch ((mk_stype)d->type) {
	case MK_ST_STRING:
	case MK_ST_FILE:
	case MK_ST_DISC:
	case MK_ST_BOOT_IMAGE: {
		const char *v = *(const char *const *)field;
		mk_manifest_put_text(f, v, strlen(v));
		break;
	}
	case MK_ST_SESSION: /* NEXT: START is the last-session row's */
	case MK_ST_LBA: fprintf(f, "%lld", (long long)*(const int64_t *)field); break;
	case MK_ST_LIST: break;
	case MK_ST_FS: {
		static const char *const names[] = {"iso9660", "joliet", "rockridge", "udf"};
		const char *sep = "";
		for (unsigned i = 0; i < 4; i++)
			if (*(const unsigned *)field & (1u << i)) {
				fprintf(f, "%s%s", sep, names[i]);
				sep = " ";
			}
		break;
	}
	case MK_ST_LEVEL: fprintf(f, "%d", *(const int *)field); break;
	case MK_ST_FLAG:
	case MK_ST_BOOL: fputs(*(const int *)field ? "true" : "false", f); break;
	case MK_ST_UDF_REV: {
		unsigned r = *(const unsigned *)field;
		fprintf(f, "%x.%02x", r >> 8, r & 0xff);
		break;
	}
	case MK_ST_TIME: fprintf(f, "%lld", (long long)*(const int64_t *)field); break;
	case MK_ST_EMUL: fputs(emul[*(const uint8_t *)field % 3], f); break;
	case MK_ST_U16:
		fprintf(f, d->arg == 0 ? "0x%x" : "%u", *(const unsigned *)field);
		break;
	case MK_ST_TABLE:
		fputs(*(const int *)field == HYB_GPT ? "gpt" : *(const int *)field == HYB_MBR_GPT ? "mbr+gpt" : "mbr", f);
		break;
	case MK_ST_BLOCKS: fprintf(f, "%lu", (unsigned long)*(const uint32_t *)field); break;
	case MK_ST_NAMES:
		fputs(*(const int *)field & ISO_NAMES_UNTRANSLATED ? "untranslated"
		      : *(const int *)field & ISO_NAMES_NO_VERSION ? "no-version" : "translated", f);
		break;
	case MK_ST_DATE: {
		char iso[32];
		mk_manifest_format_time(*(const int64_t *)field, iso, sizeof(iso));
		fputs(iso, f);
		break;
	}
	case MK_ST_HYBRID:
	case MK_ST_APPEND: break; /* <partition> elements: mk_settings_print */
	}
}

/* The field of def d: in s, or in boot entry e. */
static const void *field_of(const mk_setting_def *d, const mk_settings *s, const mk_boot_spec *e,
			    int *tmp)
{
	if (d->scope != MK_SCOPE_ENTRY)
		return (const char *)s + d->off;
	if (d->type == MK_ST_BOOL) {
		*tmp = *((const uint8_t *)e + d->off);
		return tmp;
	}
	return (const char *)e + d->off;
}

/* One element: <node attr="..." .../> or <node>text</node>, or nothing when none of its rows
 * has a value. open: leave it open (">\n") for children. Returns whether it was written. */
static int print_element(FILE *f, const mk_settings *s, const mk_boot_spec *e, const char *node,
			 const char *tag, unsigned depth, int open, int force)
{
	int any = force, tmp;
	const mk_setting_def *text = NULL;
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		if (d->node && !strcmp(d->node, node) && has_value(d, field_of(d, s, e, &tmp))) {
			any = 1;
			if (!d->attr && d->type != MK_ST_HYBRID)
				text = d;
		}
	}
	if (!any)
		return 0;
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", f);
	fprintf(f, "<%s", tag);
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		const void *fv;
		if (!d->node || strcmp(d->node, node) || !d->attr || !has_value(d, fv = field_of(d, s, e, &tmp)))
			continue;
		if (d->type == MK_ST_STRING || d->type == MK_ST_FILE || d->type == MK_ST_DISC ||
		    d->type == MK_ST_BOOT_IMAGE) {
			mk_manifest_put_attr(f, d->attr, *(const char *const *)fv);
			continue;
		}
		fprintf(f, " %s=\"", d->attr);
		print_value(f, d, fv);
		fputc('"', f);
	}
	if (text) {
		fputc('>', f);
		print_value(f, text, field_of(text, s, e, &tmp));
		fprintf(f, "</%s>\n", tag);
	} else {
		fputs(open ? ">\n" : "/>\n", f);
	}
	return 1;
}

void mk_settings_print(FILE *f, const mk_settings *s)
{
	print_element(f, s, NULL, "", "image version=\"1\"", 0, 1, 1);
	const char *done[32];
	size_t ndone = 0;
	for (size_t i = 0; i < mk_settings_ndefs; i++) {
		const mk_setting_def *d = &mk_settings_defs[i];
		if (!d->node || !d->node[0] || strchr(d->node, '/'))
			continue;
		size_t k = 0;
		while (k < ndone && strcmp(done[k], d->node))
			k++;
		if (k < ndone || ndone == sizeof(done) / sizeof(done[0]))
			continue;
		done[ndone++] = d->node;
		if (!strcmp(d->node, "previous")) {
			/* <previous ...> with a <remove path> for each removal. */
			if (!s->previous)
				continue;
			print_element(f, s, NULL, "previous", "previous", 1, s->removes.n != 0, 0);
			for (size_t j = 0; j < s->removes.n; j++) {
				fputs("    <remove", f);
				mk_manifest_put_attr(f, "path", s->removes.v[j]);
				fputs("/>\n", f);
			}
			if (s->removes.n)
				fputs("  </previous>\n", f);
			continue;
		}
		if (strcmp(d->node, "boot")) {
			print_element(f, s, NULL, d->node, d->node, 1, 0, 0);
			continue;
		}
		/* <boot catalog=...> its entries in table order of platform, then <hybrid>. */
		if (!s->nboot)
			continue;
		print_element(f, s, NULL, "boot", "boot", 1, 1, 1);
		for (size_t j = 0; j < mk_settings_ndefs; j++) {
			const mk_setting_def *b = &mk_settings_defs[j];
			if (b->type != MK_ST_BOOT_IMAGE)
				continue;
			for (unsigned n = 0; n < s->nboot; n++)
				if (s->boot[n].platform == b->platform && s->boot[n].path)
					print_element(f, s, &s->boot[n], b->node, b->node + 5, 2, 0, 0);
		}
		print_element(f, s, NULL, "boot/hybrid", "hybrid", 2, s->nappend != 0, s->nappend != 0);
		for (unsigned n = 0; n < s->nappend; n++) {
			/* <partition number type src>: type as the parser reads it back. */
			const mk_boot_append *a = &s->append[n];
			static const uint8_t zero[16];
			fprintf(f, "      <partition number=\"%u\" type=\"", a->slot);
			if (memcmp(a->guid, zero, 16))
				for (unsigned g = 0; g < 16; g++)
					fprintf(f, "%02X", a->guid[g]);
			else
				fprintf(f, "0x%02x", a->mbr_type);
			fputc('"', f);
			mk_manifest_put_attr(f, "src", a->path);
			fputs("/>\n", f);
		}
		if (s->nappend)
			fputs("    </hybrid>\n", f);
		fputs("  </boot>\n", f);
	}
}
