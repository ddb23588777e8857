#include "writeimg/wi_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/dm_media_sizes.h"

enum { OPT_SIZE = 256, OPT_CHUNK, OPT_VERSION, OPT_NO_INHIBIT, OPT_BLANK, OPT_FORMAT,
       OPT_CHECK, OPT_READ, OPT_LOAD, OPT_MODE, OPT_LAYER_BREAK, OPT_RAW, OPT_MSINFO,
       OPT_CLOSE };

static const struct option longopts[] = {
	{ "drive", required_argument, NULL, 'd' },
	{ "info", no_argument, NULL, 'i' },
	{ "msinfo", no_argument, NULL, OPT_MSINFO },
	{ "list", no_argument, NULL, 'l' },
	{ "watch", no_argument, NULL, 'w' },
	{ "json", no_argument, NULL, 'j' },
	{ "speed", required_argument, NULL, 's' },
	{ "verify", no_argument, NULL, 'V' },
	{ "eject", no_argument, NULL, 'e' },
	{ "multisession", no_argument, NULL, 'm' },
	{ "close", no_argument, NULL, OPT_CLOSE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "chunk", required_argument, NULL, OPT_CHUNK },
	{ "no-inhibit", no_argument, NULL, OPT_NO_INHIBIT },
	{ "blank", optional_argument, NULL, OPT_BLANK },
	{ "format", optional_argument, NULL, OPT_FORMAT },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "read", required_argument, NULL, OPT_READ },
	{ "load", no_argument, NULL, OPT_LOAD },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "layer-break", required_argument, NULL, OPT_LAYER_BREAK },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void wi_print_help(FILE *out)
{
	fputs("Usage: writeimg --list [--json]\n"
	      "       writeimg --watch [--json]\n"
	      "       writeimg -d DRIVE --info [--json]\n"
	      "       writeimg -d DRIVE --msinfo\n"
	      "       writeimg -d DRIVE --close\n"
	      "       writeimg -d DRIVE [--blank[=fast|full] | --format[=quick|full]] [OPTIONS] [IMAGE]\n"
	      "       writeimg -d DRIVE --check IMAGE\n"
	      "       writeimg -d DRIVE --read OUT\n"
	      "       writeimg -d DRIVE --eject | --load\n"
	      "Write a saved disc image (ISO 9660, UDF, bridge) to a CD, DVD or BD recorder;\n"
	      "blank or format rewritable discs; check a disc against an image; read a disc\n"
	      "back into an image.\n"
	      "\n"
	      "DRIVE is a device (/dev/sr0, /dev/sg1), an iSCSI LUN\n"
	      "(iscsi://HOST[:PORT]/IQN/LUN) or the built-in emulated recorder\n"
	      "(emu:MEDIUM:FILE, MEDIUM one of cd-r, cd-rw, dvd-r, dvd-rw, dvd+r, dvd+rw,\n"
	      "dvd+r-dl, dvd-r-dl, dvd-ram, bd-r, bd-re, none). IMAGE - reads standard input\n"
	      "and needs --size.\n"
	      "\n"
	      "Actions:\n"
	      "  -l, --list           list the optical drives of this machine\n"
	      "  -w, --watch          report drives and discs as they come and go\n"
	      "  -i, --info           describe the drive and the disc in it\n"
	      "      --msinfo         print START,NEXT: where the disc's last session starts\n"
	      "                       and where the next one goes (as cdrecord -msinfo), for\n"
	      "                       mkimage (a session made over the disc); exit 3 when\n"
	      "                       the disc is blank, closed or full\n"
	      "      --blank[=KIND]   blank a CD-RW or DVD-RW (fast: the table of contents,\n"
	      "                       the default; full: the whole disc); on an overwritable\n"
	      "                       disc (DVD+RW, BD-RE, DVD-RAM) erase its volume\n"
	      "      --format[=KIND]  format a DVD+RW, BD-RE, DVD-RAM, or a DVD-RW to\n"
	      "                       restricted overwrite (quick, the default, or full)\n"
	      "      IMAGE            write the image (after --blank or --format if given)\n"
	      "      --close          close the disc: no session can be added after it (with\n"
	      "                       IMAGE: after writing it; alone: an appendable disc)\n"
	      "      --check=IMAGE    compare the disc with IMAGE (exit 5 when they differ)\n"
	      "      --read=OUT       copy the disc's recorded data to the image file OUT\n"
	      "  -e, --eject          eject the disc (alone, or when the other work is done)\n"
	      "      --load           close the tray\n"
	      "\n"
	      "Options:\n"
	      "  -d, --drive=DRIVE    the recorder to use (once)\n"
	      "  -j, --json           print --list, --watch and --info as JSON\n"
	      "  -s, --speed=X        write speed: a multiple of 1x (4, 8x) or max; the\n"
	      "                       speed the drive actually set is reported\n"
	      "      --mode=MODE      write mode: tao or sao (CD), dao or incremental\n"
	      "                       (DVD-R, DVD-RW); default: the medium's own (named\n"
	      "                       in the output)\n"
	      "      --layer-break=LBA  where layer 0 of a DVD+R DL or DVD-R DL ends (default:\n"
	      "                       the middle of the image)\n"
	      "      --raw            write data that is no ISO 9660 or UDF image\n"
	      "  -V, --verify         read the disc back and compare its SHA-256\n"
	      "  -m, --multisession   add a session at the disc's next address and leave it\n"
	      "                       appendable (write-once media); on a DVD+RW, BD-RE,\n"
	      "                       DVD-RAM grow its volume (the image at NEXT, then its\n"
	      "                       descriptors copied to LBA 16). The image must be made\n"
	      "                       for that address: mkimage --previous DRIVE (exit 3\n"
	      "                       otherwise)\n"
	      "      --size=BYTES     image size when reading standard input (suffixes\n"
	      "                       K, M, G: powers of 1024; s: 2048-byte sectors)\n"
	      "      --chunk=SECTORS  sectors per WRITE command (default 16, 32 for BD)\n"
	      "      --no-inhibit     do not take a logind lock against sleep and shutdown\n"
	      "  -q, --quiet          no progress display\n"
	      "  -h, --help           show this help\n"
	      "      --version        show the version\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success (--check: the disc equals the image)\n"
	      "  1  drive, image or system error before anything was written\n"
	      "  2  usage error\n"
	      "  3  the disc was refused before writing, blanking or formatting (no disc,\n"
	      "     not writable, not blank, too small, wrong state or mode); its state is told\n"
	      "  4  writing, blanking, formatting or finalizing failed; the disc state is\n"
	      "     reported\n"
	      "  5  verification or --check failed: the disc differs from the image\n"
	      "  6  interrupted by SIGINT or SIGTERM; the disc state is reported\n",
	      out);
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s == '-' || !*s)
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	uint64_t mul = 1;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': mul = 1024; break;
		case 'm': case 'M': mul = 1024 * 1024; break;
		case 'g': case 'G': mul = 1024ull * 1024 * 1024; break;
		case 's': mul = DM_SECTOR; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int parse_speed(const char *s, int *out)
{
	if (strcasecmp(s, "max") == 0) {
		*out = -1;
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || v <= 0 || v > 100)
		return -1;
	if (*end == 'x' || *end == 'X')
		end++;
	if (*end)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_kind(const char *arg, const char *a, const char *b, int *out)
{
	if (!arg || !strcmp(arg, a))
		*out = 1;
	else if (!strcmp(arg, b))
		*out = 2;
	else
		return -1;
	return 0;
}

static const struct {
	const char *name;
	wi_write_mode mode;
} mode_names[] = {
	{ "tao", WI_WM_TAO }, { "sao", WI_WM_SAO }, { "dao", WI_WM_DAO },
	{ "incremental", WI_WM_INCREMENTAL },
};

int wi_parse_options(int argc, char **argv, wi_options *o, char *err, size_t errlen)
{
	int c, modes = 0, kind;
	memset(o, 0, sizeof(*o));
	o->mode = WI_MODE_WRITE;
	o->layer_break = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:ilwjs:Vemqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (o->drive) {
				snprintf(err, errlen, "-d given twice (%s, %s): writeimg writes one drive "
					 "at a time", o->drive, optarg);
				return -1;
			}
			o->drive = optarg;
			break;
		case 'i': o->mode = WI_MODE_INFO; modes++; break;
		case OPT_MSINFO: o->mode = WI_MODE_MSINFO; modes++; break;
		case 'l': o->mode = WI_MODE_LIST; modes++; break;
		case 'w': o->mode = WI_MODE_WATCH; modes++; break;
		case 'j': o->json = 1; break;
		case 's':
			if (parse_speed(optarg, &o->speed_x)) {
				snprintf(err, errlen, "--speed %s: expected a multiple of 1x (4, 8x) or max",
					 optarg);
				return -1;
			}
			break;
		case 'V': o->verify = 1; break;
		case 'e': o->eject = 1; break;
		case 'm': o->multisession = 1; break;
		case OPT_CLOSE: o->close = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': o->mode = WI_MODE_HELP; return 0;
		case OPT_VERSION: o->mode = WI_MODE_VERSION; return 0;
		case OPT_NO_INHIBIT: o->no_inhibit = 1; break;
		case OPT_SIZE:
			if (parse_size(optarg, &o->size) || o->size == 0) {
				snprintf(err, errlen, "--size %s: expected a positive size", optarg);
				return -1;
			}
			break;
		case OPT_CHUNK: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || end == optarg || v == 0 || v > 32768) {
				snprintf(err, errlen, "--chunk %s: expected 1 to 32768 sectors", optarg);
				return -1;
			}
			o->chunk_blocks = (unsigned)v;
			break;
		}
		case OPT_BLANK:
			if (parse_kind(optarg, "fast", "full", &kind)) {
				snprintf(err, errlen, "--blank=%s: expected fast or full", optarg);
				return -1;
			}
			o->blank = kind == 1 ? WI_BLANK_FAST : WI_BLANK_FULL;
			break;
		case OPT_FORMAT:
			if (parse_kind(optarg, "quick", "full", &kind)) {
				snprintf(err, errlen, "--format=%s: expected quick or full", optarg);
				return -1;
			}
			o->format = kind == 1 ? WI_FORMAT_QUICK : WI_FORMAT_FULL;
			break;
		case OPT_CHECK: o->mode = WI_MODE_CHECK; o->check_image = optarg; modes++; break;
		case OPT_READ: o->mode = WI_MODE_READ; o->read_out = optarg; modes++; break;
		case OPT_LOAD: o->mode = WI_MODE_LOAD; modes++; break;
		case OPT_RAW: o->raw = 1; break;
		case OPT_MODE: {
			size_t i, n = sizeof(mode_names) / sizeof(mode_names[0]);
			for (i = 0; i < n && strcasecmp(optarg, mode_names[i].name); i++)
				;
			if (i == n) {
				snprintf(err, errlen, "--mode %s: expected tao, sao, dao or incremental",
					 optarg);
				return -1;
			}
			o->write_mode = mode_names[i].mode;
			break;
		}
		case OPT_LAYER_BREAK: {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-' || v == 0 ||
			    v > UINT32_MAX) {
				snprintf(err, errlen, "--layer-break %s: expected a sector number (LBA) "
					 "above 0", optarg);
				return -1;
			}
			o->layer_break = (int64_t)v;
			break;
		}
		case ':':
			snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	if (modes > 1) {
		snprintf(err, errlen, "--list, --watch, --info, --msinfo, --check, --read and --load "
			 "exclude each other");
		return -1;
	}
	if (o->blank && o->format) {
		snprintf(err, errlen, "--blank and --format exclude each other: --blank is for "
			 "CD-RW and DVD-RW, --format for DVD+RW, BD-RE and DVD-RAM");
		return -1;
	}
	if (o->mode != WI_MODE_WRITE && o->close) {
		snprintf(err, errlen, "--close goes with an image or alone, not with --list, "
			 "--watch, --info, --msinfo, --check, --read or --load");
		return -1;
	}
	if (o->mode != WI_MODE_WRITE && (o->blank || o->format)) {
		snprintf(err, errlen, "--blank and --format go with an image or alone, not with "
			 "--list, --watch, --info, --msinfo, --check, --read or --load");
		return -1;
	}
	int rest = argc - optind;
	switch (o->mode) {
	case WI_MODE_LIST:
	case WI_MODE_WATCH:
		if (rest || o->drive) {
			snprintf(err, errlen, "--list and --watch take no drive or image");
			return -1;
		}
		break;
	case WI_MODE_INFO:
	case WI_MODE_CHECK:
	case WI_MODE_READ:
	case WI_MODE_LOAD: {
		const char *what = o->mode == WI_MODE_INFO ? "--info" : o->mode == WI_MODE_CHECK
			? "--check" : o->mode == WI_MODE_READ ? "--read" : "--load";
		if (!o->drive || rest) {
			snprintf(err, errlen, "%s needs -d DRIVE and no image", what);
			return -1;
		}
		if (o->write_mode || o->layer_break >= 0 || o->raw || o->multisession || o->verify ||
		    o->size || o->speed_x) {
			snprintf(err, errlen, "%s takes none of --mode, --layer-break, --raw, "
				 "--multisession, --verify, --size, --speed", what);
			return -1;
		}
		if (o->mode != WI_MODE_INFO && o->json) {
			snprintf(err, errlen, "--json goes with --list, --watch or --info");
			return -1;
		}
		if (o->mode == WI_MODE_LOAD && o->eject) {
			snprintf(err, errlen, "--load and --eject exclude each other");
			return -1;
		}
		break;
	}
	case WI_MODE_MSINFO:
		if (!o->drive || rest || o->json) {
			snprintf(err, errlen, "--msinfo needs -d DRIVE, no image and no --json "
				 "(--info --json carries both addresses)");
			return -1;
		}
		break;
	default:
		if (!o->drive) {
			snprintf(err, errlen, "no drive given: use -d DRIVE (writeimg --list shows them)");
			return -1;
		}
		if (rest > 1) {
			snprintf(err, errlen, "only one image can be written at a time");
			return -1;
		}
		if (!rest && !o->blank && !o->format && !o->eject && !o->close) {
			snprintf(err, errlen, "no image given (and no --blank, --format, --close, "
				 "--eject)");
			return -1;
		}
		if (!rest && o->close && (o->blank || o->format)) {
			snprintf(err, errlen, "--close alone closes a disc holding sessions: it cannot "
				 "follow --blank or --format");
			return -1;
		}
		if (!rest && (o->write_mode || o->layer_break >= 0 || o->raw || o->multisession ||
			      o->verify || o->size)) {
			snprintf(err, errlen, "--mode, --layer-break, --raw, --multisession, --verify "
				 "and --size go with an image");
			return -1;
		}
		o->image = rest ? argv[optind] : NULL;
		if (o->json) {
			snprintf(err, errlen, "--json goes with --list, --watch or --info");
			return -1;
		}
		break;
	}
	return 0;
}
