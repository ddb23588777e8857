#include "writeimg/wi_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/dm_media_sizes.h"

enum { OPT_SIZE = 256, OPT_CHUNK, OPT_VERSION, OPT_NO_INHIBIT, OPT_BLANK, OPT_FORMAT,
       OPT_CHECK, OPT_READ, OPT_LOAD, OPT_MODE, OPT_LAYER_BREAK, OPT_RAW, OPT_MSINFO,
       OPT_AUDIO, OPT_GAPLESS, OPT_TEXT, OPT_CD_TEXT, OPT_MCN, OPT_ISRC, OPT_READ_AUDIO,
       OPT_PREGAP, OPT_COPY, OPT_PREEMP, OPT_BIG_ENDIAN, OPT_CLOSE };

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
	{ "audio", no_argument, NULL, OPT_AUDIO },
	{ "gapless", no_argument, NULL, OPT_GAPLESS },
	{ "pregap", required_argument, NULL, OPT_PREGAP },
	{ "copy", no_argument, NULL, OPT_COPY },
	{ "preemp", no_argument, NULL, OPT_PREEMP },
	{ "big-endian", no_argument, NULL, OPT_BIG_ENDIAN },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "cd-text", required_argument, NULL, OPT_CD_TEXT },
	{ "mcn", required_argument, NULL, OPT_MCN },
	{ "isrc", required_argument, NULL, OPT_ISRC },
	{ "read-audio", required_argument, NULL, OPT_READ_AUDIO },
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
	      "       writeimg -d DRIVE [--gapless] [--text] [--cd-text=FILE] [--mcn=CODE]\n"
	      "                [--isrc=N:CODE]... [OPTIONS] --audio TRACK...\n"
	      "       writeimg -d DRIVE [--text] [--cd-text=FILE] [OPTIONS] IMAGE.cue\n"
	      "       writeimg -d DRIVE --check IMAGE | --check IMAGE.cue | --audio --check TRACK...\n"
	      "       writeimg -d DRIVE --read OUT | --read-audio DIR\n"
	      "       writeimg -d DRIVE --eject | --load\n"
	      "Write a saved disc image (ISO 9660, UDF, bridge) to a CD, DVD or BD recorder;\n"
	      "burn an audio CD from WAV, FLAC or raw tracks, or a cue sheet with its BIN;\n"
	      "blank or format rewritable discs; check a disc against an image or its audio\n"
	      "tracks against their sources; read a disc back into an image or WAV files.\n"
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
	      "      --read-audio=DIR save each audio track of the CD as DIR/trackNN.wav\n"
	      "      IMAGE.cue        write a cue sheet and its files (BIN, WAV) Disc-At-Once\n"
	      "      --audio TRACK... write an audio CD: each TRACK a WAV, FLAC or raw file\n"
	      "                       (.raw .pcm .cdda .bin: 16-bit little-endian stereo) of\n"
	      "                       44.1 kHz 16-bit stereo; Track-At-Once with 2-second\n"
	      "                       gaps, the disc closed unless --multisession\n"
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
	      "      --gapless        --audio: Session-At-Once, no gaps between the tracks\n"
	      "      --pregap=SECTORS --audio: Session-At-Once with SECTORS (75 a second) of\n"
	      "                       silence before each track after the first\n"
	      "      --copy           --audio: the tracks may be copied (the DCP bit)\n"
	      "      --preemp         --audio: the tracks have 50/15 us pre-emphasis\n"
	      "      --big-endian     --audio: raw tracks are big-endian (wodim's raw order\n"
	      "                       without -swab): their bytes are swapped\n"
	      "      --text           write CD-TEXT (Session-At-Once only: with --gapless,\n"
	      "                       --mode=sao or a cue): titles and performers from the\n"
	      "                       files' tags or the cue's TITLE and PERFORMER\n"
	      "      --cd-text=FILE   CD-TEXT from FILE (key = value lines: album.title,\n"
	      "                       track.N.performer, ...); implies --text\n"
	      "      --mcn=CODE       the disc's Media Catalog Number (13 digits, UPC/EAN)\n"
	      "      --isrc=N:CODE    the ISRC of track N (CCOOOYYSSSSS; dashes allowed);\n"
	      "                       once per track\n"
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
	      "  0  success (--check: the disc equals the image or the audio tracks)\n"
	      "  1  drive, image or system error before anything was written\n"
	      "  2  usage error\n"
	      "  3  the disc was refused before writing, blanking or formatting (no disc,\n"
	      "     not writable, not blank, too small, not a CD for audio, wrong state or\n"
	      "     mode); its state is told\n"
	      "  4  writing, blanking, formatting or finalizing failed; the disc state is\n"
	      "     reported\n"
	      "  5  verification or --check failed: the disc differs from the image (audio:\n"
	      "     the first differing track and sample are named)\n"
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

int wi_parse_isrc(const char *text, char out[13])
{
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '-')
			continue;
		if (n == 12)
			return -1;
		char c = *p;
		out[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[n] = '\0';
	/* ISO 3901: country (2 letters), owner (3 letters or digits), year and serial (7
	 * digits). */
	if (n != 12)
		return -1;
	for (size_t i = 0; i < 12; i++) {
		char c = out[i];
		int letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
		if ((i < 2 && !letter) || (i < 5 && !letter && !digit) || (i >= 5 && !digit))
			return -1;
	}
	return 0;
}

static int parse_mcn(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return -1;
	return n == 13 ? 0 : -1;
}

static int ends_with_cue(const char *s)
{
	size_t n = strlen(s);
	return n > 4 && !strcasecmp(s + n - 4, ".cue");
}

void wi_options_free(wi_options *o)
{
	free(o->track_buf);
	o->track_buf = NULL;
	o->tracks = NULL;
	o->ntracks = 0;
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
	o->pregap = -1;
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
		case OPT_AUDIO: o->audio = 1; break;
		case OPT_GAPLESS: o->gapless = 1; break;
		case OPT_PREGAP: {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-' || v > 100 * 75) {
				snprintf(err, errlen, "--pregap %s: expected 0 to 7500 sectors (75 a "
					 "second)", optarg);
				return -1;
			}
			o->pregap = (int64_t)v;
			break;
		}
		case OPT_COPY: o->copy = 1; break;
		case OPT_PREEMP: o->preemp = 1; break;
		case OPT_BIG_ENDIAN: o->big_endian = 1; break;
		case OPT_TEXT: o->text = 1; break;
		case OPT_CD_TEXT: o->cd_text_file = optarg; o->text = 1; break;
		case OPT_MCN:
			if (parse_mcn(optarg)) {
				snprintf(err, errlen, "--mcn %s: expected a Media Catalog Number of 13 "
					 "digits (UPC/EAN)", optarg);
				return -1;
			}
			o->mcn = optarg;
			break;
		case OPT_ISRC: {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (end == optarg || *end != ':' || n < 1 || n > 99 ||
			    wi_parse_isrc(end + 1, o->isrc[o->nisrc].code)) {
				snprintf(err, errlen, "--isrc %s: expected TRACK:CODE, TRACK 1 to 99 and "
					 "CODE an ISRC of 12 characters CCOOOYYSSSSS (US-RC1-76-07839)",
					 optarg);
				return -1;
			}
			for (unsigned i = 0; i < o->nisrc; i++)
				if (o->isrc[i].track == n) {
					snprintf(err, errlen, "--isrc for track %lu given twice", n);
					return -1;
				}
			o->isrc[o->nisrc++].track = (unsigned)n;
			break;
		}
		case OPT_READ_AUDIO:
			o->mode = WI_MODE_READ_AUDIO;
			o->read_audio_dir = optarg;
			modes++;
			break;
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
		snprintf(err, errlen, "--list, --watch, --info, --msinfo, --check, --read, "
			 "--read-audio and --load exclude each other");
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
	int audio_opts = o->gapless || o->nisrc || o->pregap >= 0 || o->copy || o->preemp ||
			 o->big_endian;
	int disc_text = o->text || o->mcn;
	if (o->audio && o->mode != WI_MODE_WRITE && o->mode != WI_MODE_CHECK) {
		snprintf(err, errlen, "--audio goes with tracks to write, or with --check");
		return -1;
	}
	if (audio_opts && !(o->audio && o->mode == WI_MODE_WRITE)) {
		snprintf(err, errlen, "--gapless, --pregap, --isrc, --copy, --preemp and --big-endian "
			 "go with --audio TRACK... (a cue sheet says the same with PREGAP, ISRC, FLAGS "
			 "and MOTOROLA)");
		return -1;
	}
	if (disc_text && o->mode != WI_MODE_WRITE) {
		snprintf(err, errlen, "--text, --cd-text and --mcn go with --audio TRACK... or a cue "
			 "sheet to write");
		return -1;
	}
	if (o->audio && o->mode == WI_MODE_CHECK) {
		if ( o->write_mode || o->raw || o->size || o->layer_break >= 0 ||
		    o->multisession || o->verify || o->speed_x || o->json) {
			snprintf(err, errlen, "--audio --check TRACK... takes none of the writing "
				 "options");
			return -1;
		}
		o->track_buf = malloc(((size_t)rest + 1) * sizeof(*o->track_buf));
		if (!o->track_buf) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		o->track_buf[0] = o->check_image;
		for (int i = 0; i < rest; i++)
			o->track_buf[i + 1] = argv[optind + i];
		o->tracks = o->track_buf;
		o->ntracks = (unsigned)rest + 1;
		if (!o->drive) {
			snprintf(err, errlen, "--check needs -d DRIVE");
			wi_options_free(o);
			return -1;
		}
		return 0;
	}
	if (o->mode == WI_MODE_READ_AUDIO) {
		if (!o->drive || rest) {
			snprintf(err, errlen, "--read-audio needs -d DRIVE and no image");
			return -1;
		}
		if (disc_text || o->write_mode || o->layer_break >= 0 || o->raw || o->multisession ||
		    o->verify || o->size || o->speed_x || o->json) {
			snprintf(err, errlen, "--read-audio takes none of the writing options, nor "
				 "--json");
			return -1;
		}
		return 0;
	}
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
		if (o->audio) {
			if (!rest) {
				snprintf(err, errlen, "--audio needs the tracks to write: WAV, FLAC or raw "
					 "files");
				return -1;
			}
			if (o->raw || o->size || o->layer_break >= 0) {
				snprintf(err, errlen, "--raw, --size and --layer-break do not apply to "
					 "--audio");
				return -1;
			}
			if (o->write_mode && o->write_mode != WI_WM_TAO && o->write_mode != WI_WM_SAO &&
			    o->write_mode != WI_WM_DAO) {
				snprintf(err, errlen, "--audio is written tao or sao");
				return -1;
			}
			if (o->gapless && o->pregap > 0) {
				snprintf(err, errlen, "--gapless and --pregap %lld contradict each other",
					 (long long)o->pregap);
				return -1;
			}
			if (o->gapless)
				o->pregap = 0;
			if (o->pregap >= 0 && o->write_mode == WI_WM_TAO) {
				snprintf(err, errlen, "--pregap and --gapless write Session-At-Once: in "
					 "Track-At-Once the drive makes the gaps");
				return -1;
			}
			if (o->text && o->pregap < 0 && o->write_mode != WI_WM_SAO &&
			    o->write_mode != WI_WM_DAO) {
				snprintf(err, errlen, "CD-TEXT (--text, --cd-text) goes in the lead-in, which "
					 "the host writes only Session-At-Once (as wodim's -text needs -sao): "
					 "add --gapless or --mode=sao");
				return -1;
			}
			for (unsigned i = 0; i < o->nisrc; i++)
				if (o->isrc[i].track > (unsigned)rest) {
					snprintf(err, errlen, "--isrc %u: there are %d tracks", o->isrc[i].track,
						 rest);
					return -1;
				}
			o->tracks = (const char *const *)argv + optind;
			o->ntracks = (unsigned)rest;
			if (o->json) {
				snprintf(err, errlen, "--json goes with --list, --watch or --info");
				return -1;
			}
			break;
		}
		if (rest > 1) {
			snprintf(err, errlen, "only one image can be written at a time (audio tracks "
				 "follow --audio)");
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
		if (o->image && ends_with_cue(o->image)) {
			o->cue = o->image;
			if (o->raw || o->size || o->layer_break >= 0) {
				snprintf(err, errlen, "--raw, --size and --layer-break do not apply to a cue "
					 "sheet");
				return -1;
			}
			if (o->write_mode == WI_WM_TAO) {
				snprintf(err, errlen, "a cue sheet is written Disc-At-Once (sao), not tao");
				return -1;
			}
		} else if (disc_text) {
			snprintf(err, errlen, "--text, --cd-text and --mcn go with --audio TRACK... or a "
				 "cue sheet");
			return -1;
		}
		if (o->json) {
			snprintf(err, errlen, "--json goes with --list, --watch or --info");
			return -1;
		}
		break;
	}
	return 0;
}
