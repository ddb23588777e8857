/* writeimg's command line: parsed into a struct with no side effects (nothing opened,
 * nothing printed), plus the help text and the exit statuses it documents. */
#ifndef WI_OPTIONS_H
#define WI_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

/* Exit statuses (documented in --help and writeimg.1). */
enum {
	WI_EXIT_OK = 0,
	WI_EXIT_ERROR = 1,       /* drive, image or system error before anything was written */
	WI_EXIT_USAGE = 2,
	WI_EXIT_REFUSED = 3,     /* the disc was refused by the pre-flight checks */
	WI_EXIT_WRITE = 4,       /* writing or finalizing failed after writing began */
	WI_EXIT_VERIFY = 5,      /* the disc differs from the image */
	WI_EXIT_INTERRUPTED = 6  /* stopped by SIGINT or SIGTERM */
};

/* What the run does. WI_MODE_WRITE is the disc job: blank or format, then write IMAGE,
 * then eject, each step optional (at least one given). */
typedef enum wi_mode { WI_MODE_WRITE, WI_MODE_INFO, WI_MODE_LIST, WI_MODE_WATCH, WI_MODE_HELP,
		       WI_MODE_VERSION, WI_MODE_CHECK, WI_MODE_READ, WI_MODE_LOAD,
		       WI_MODE_MSINFO } wi_mode;

typedef enum wi_blank_kind { WI_BLANK_NONE, WI_BLANK_FAST, WI_BLANK_FULL } wi_blank_kind;
typedef enum wi_format_kind { WI_FORMAT_NONE, WI_FORMAT_QUICK, WI_FORMAT_FULL } wi_format_kind;
/* --mode: the write mode asked for (WI_WM_AUTO: the medium's default, wi_modes.h). */
typedef enum wi_write_mode { WI_WM_AUTO, WI_WM_TAO, WI_WM_SAO, WI_WM_DAO, WI_WM_INCREMENTAL,
			     WI_WM_SEQUENTIAL, WI_WM_SRM, WI_WM_OVERWRITE } wi_write_mode;

typedef struct wi_options {
	wi_mode mode;
	const char *drive;
	const char *image;
	int json;
	uint64_t size;          /* --size, bytes (0: not given) */
	int speed_x;            /* 0 default, -1 max */
	int verify, eject, multisession;
	int close;              /* --close: no further session (with an image, or alone) */
	unsigned chunk_blocks;
	int quiet;
	int no_inhibit;
	wi_blank_kind blank;
	wi_format_kind format;
	wi_write_mode write_mode;
	int64_t layer_break;    /* --layer-break=LBA, -1: not given */
	int raw;                /* --raw: write data that is no known image */
	const char *check_image;/* --check IMAGE */
	const char *read_out;   /* --read OUT */
} wi_options;

/* 0 on success; -1 with a message in err for a usage error. */
int wi_parse_options(int argc, char **argv, wi_options *o, char *err, size_t errlen);
void wi_print_help(FILE *out);

#endif
