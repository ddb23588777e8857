#include "mkimage/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

const char mk_options_help[] =
	"Usage: mkimage -o OUT [options] SOURCE...\n"
	"Make a disc image (ISO 9660 with Joliet and Rock Ridge) from files.\n"
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
	"                         rockridge (default: all three; iso9660 is always written)\n"
	"      --iso-level N      ISO 9660 interchange level 1, 2 or 3 (default 3; files of\n"
	"                         4 GiB and more need 3)\n"
	"      --joliet-long      allow Joliet names of 103 characters (default 64)\n"
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
	OPT_PUBLISHER,
	OPT_PREPARER,
	OPT_APPLICATION,
	OPT_SYSTEM_ID,
	OPT_VOLSET_ID,
	OPT_FOLLOW_LINKS,
	OPT_PROGRESS,
	OPT_VERSION
};

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"fs", required_argument, NULL, OPT_FS},
	{"iso-level", required_argument, NULL, OPT_ISO_LEVEL},
	{"joliet-long", no_argument, NULL, OPT_JOLIET_LONG},
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
		else
			return dm_fail(ctx, DM_ERR_INVALID,
				       "--fs: unknown filesystem '%.*s' (known: iso9660, joliet, rockridge)",
				       (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!bits)
		return dm_fail(ctx, DM_ERR_INVALID, "--fs: no filesystem given");
	/* The primary volume descriptor and its hierarchy are mandatory (ECMA-119 8.4). */
	*fs = bits | MK_FS_ISO9660;
	return DM_OK;
}

dm_status mk_options_parse(mk_options *o, int argc, char **argv, dm_ctx *ctx)
{
	memset(o, 0, sizeof(*o));
	o->fs = MK_FS_ISO9660 | MK_FS_JOLIET | MK_FS_ROCKRIDGE;
	o->iso_level = 3;
	o->volume_id = "CDROM";
	o->system_id = "LINUX";
	o->application = "DISCMASTER MKIMAGE " PACKAGE_VERSION;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:V:vh", long_opts, NULL)) != -1) {
		switch (c) {
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
		case OPT_PUBLISHER: o->publisher = optarg; break;
		case OPT_PREPARER: o->preparer = optarg; break;
		case OPT_APPLICATION: o->application = optarg; break;
		case OPT_SYSTEM_ID: o->system_id = optarg; break;
		case OPT_VOLSET_ID: o->volset_id = optarg; break;
		case OPT_FOLLOW_LINKS: o->follow_links = 1; break;
		case OPT_PROGRESS: o->progress = 1; break;
		case OPT_VERSION: o->version = 1; break;
		case ':':
			return dm_fail(ctx, DM_ERR_INVALID, "option %s needs a value", argv[optind - 1]);
		default:
			return dm_fail(ctx, DM_ERR_INVALID, "unknown option %s", argv[optind - 1]);
		}
	}
	if (o->help || o->version)
		return DM_OK;
	o->sources = argv + optind;
	o->nsources = (size_t)(argc - optind);
	if (!o->output)
		return dm_fail(ctx, DM_ERR_INVALID, "no output given (-o OUT, or -o - for standard output)");
	if (!o->nsources)
		return dm_fail(ctx, DM_ERR_INVALID, "no SOURCE given");
	return DM_OK;
}
