#include "writeimg/wi_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/dm_media_sizes.h"

enum { OPT_SIZE = 256, OPT_CHUNK, OPT_VERSION, OPT_NO_INHIBIT, OPT_MSINFO };

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
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "chunk", required_argument, NULL, OPT_CHUNK },
	{ "no-inhibit", no_argument, NULL, OPT_NO_INHIBIT },
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
	      "       writeimg -d DRIVE [OPTIONS] IMAGE\n"
	      "Write a saved disc image (ISO 9660, UDF, any) to a CD, DVD or BD recorder.\n"
	      "\n"
	      "DRIVE is a device (/dev/sr0, /dev/sg1), an iSCSI LUN\n"
	      "(iscsi://HOST[:PORT]/IQN/LUN) or the built-in emulated recorder\n"
	      "(emu:MEDIUM:FILE, MEDIUM one of cd-r, cd-rw, dvd-r, dvd-rw, dvd+r, dvd+rw,\n"
	      "dvd+r-dl, dvd-r-dl, dvd-ram, bd-r, bd-re, none). IMAGE - reads standard\n"
	      "input and needs --size.\n"
	      "\n"
	      "  -l, --list           list the optical drives of this machine\n"
	      "  -w, --watch          report drives and discs as they come and go\n"
	      "  -d, --drive=DRIVE    the recorder to use\n"
	      "  -i, --info           describe the drive and the disc in it\n"
	      "      --msinfo         print START,NEXT: where the disc's last session starts\n"
	      "                       and where the next one goes (as cdrecord -msinfo), for\n"
	      "                       mkimage (a session made over the disc); exit 3 when\n"
	      "                       the disc is blank, closed or full\n"
	      "  -j, --json           print --list, --watch and --info as JSON\n"
	      "  -s, --speed=X        write speed: a multiple of 1x (4, 8x) or max\n"
	      "  -V, --verify         read the disc back and compare its SHA-256\n"
	      "  -e, --eject          eject the disc when done\n"
	      "  -m, --multisession   add a session to an appendable disc and leave it\n"
	      "                       appendable\n"
	      "      --size=BYTES     image size when reading standard input (suffixes\n"
	      "                       K, M, G: powers of 1024; s: 2048-byte sectors)\n"
	      "      --chunk=SECTORS  sectors per WRITE command (default 16, 32 for BD)\n"
	      "      --no-inhibit     do not take a logind lock against sleep and shutdown\n"
	      "  -q, --quiet          no progress display\n"
	      "  -h, --help           show this help\n"
	      "      --version        show the version\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success\n"
	      "  1  drive, image or system error before anything was written\n"
	      "  2  usage error\n"
	      "  3  the disc was refused before writing (no disc, not writable, not blank,\n"
	      "     too small)\n"
	      "  4  writing or finalizing failed; the disc state is reported\n"
	      "  5  verification failed: the disc differs from the image\n"
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

int wi_parse_options(int argc, char **argv, wi_options *o, char *err, size_t errlen)
{
	int c, modes = 0;
	memset(o, 0, sizeof(*o));
	o->mode = WI_MODE_WRITE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:ilwjs:Vemqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->drive = optarg; break;
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
		case ':':
			snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	if (modes > 1) {
		snprintf(err, errlen, "--list, --watch, --info and --msinfo exclude each other");
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
		if (!o->drive || rest) {
			snprintf(err, errlen, "--info needs -d DRIVE and no image");
			return -1;
		}
		break;
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
		if (rest != 1) {
			snprintf(err, errlen, rest ? "only one image can be written at a time"
						   : "no image given");
			return -1;
		}
		o->image = argv[optind];
		if (o->json) {
			snprintf(err, errlen, "--json goes with --list, --watch or --info");
			return -1;
		}
		break;
	}
	return 0;
}
