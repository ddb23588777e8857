/* Parsers of MMC-6 response data. Every parser takes the bytes the drive actually
 * transferred and trusts no length field beyond them: a drive (or a fuzzer) may answer
 * short, long, padded or inconsistent data. Fields that the answer does not reach are
 * left 0 and flagged where a caller needs to know. Parsers fail with DM_ERR_SCSI and a
 * message naming the command only when the mandatory part is missing. */
#ifndef MMC_PARSE_H
#define MMC_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"

/* SPC-4 6.6.2 standard INQUIRY data. */
typedef struct mmc_inquiry_info {
	uint8_t device_type;   /* 05h: CD/DVD/BD device */
	int removable;
	char vendor[9], product[17], revision[5]; /* printable ASCII, trailing blanks cut */
} mmc_inquiry_info;
dm_status mmc_parse_inquiry(const uint8_t *b, size_t n, mmc_inquiry_info *out, dm_ctx *ctx);

/* MMC-6 5.2 GET CONFIGURATION answer. */
#define MMC_MAX_PROFILES 32
#define MMC_MAX_FEATURES 64
typedef struct mmc_feature {
	uint16_t code;
	uint8_t version;
	int current, persistent;
	uint8_t data[8];       /* first bytes of the feature-dependent data (byte 4 on) */
	uint8_t data_len;      /* of those, how many the drive sent (at most 8) */
} mmc_feature;
typedef struct mmc_config {
	uint16_t current_profile;
	size_t n_profiles;
	struct {
		uint16_t code;
		int current;
	} profiles[MMC_MAX_PROFILES];
	size_t n_features;
	mmc_feature features[MMC_MAX_FEATURES];
	int truncated;         /* more descriptors than the arrays hold, or cut off */
} mmc_config;
dm_status mmc_parse_configuration(const uint8_t *b, size_t n, mmc_config *out, dm_ctx *ctx);
/* The feature with this code, or NULL. */
const mmc_feature *mmc_config_feature(const mmc_config *c, uint16_t code);

/* MMC-6 6.22.3.1 standard disc information. */
enum { MMC_DISC_BLANK = 0, MMC_DISC_APPENDABLE = 1, MMC_DISC_COMPLETE = 2, MMC_DISC_OTHER = 3 };
enum { MMC_SESSION_EMPTY = 0, MMC_SESSION_INCOMPLETE = 1, MMC_SESSION_DAMAGED = 2,
       MMC_SESSION_COMPLETE = 3 };
typedef struct mmc_disc_info {
	int erasable;
	int last_session_state;   /* MMC_SESSION_* */
	int disc_status;          /* MMC_DISC_* */
	unsigned first_track;
	unsigned sessions;
	unsigned first_track_last_session, last_track_last_session;
	int dbc_v, dac_v, uru, did_v;
	int bg_format_status;
	uint8_t disc_type;
	uint32_t last_session_leadin;
	uint32_t last_possible_leadout;
} mmc_disc_info;
dm_status mmc_parse_disc_info(const uint8_t *b, size_t n, mmc_disc_info *out, dm_ctx *ctx);

/* MMC-6 6.27.3 track information. */
typedef struct mmc_track_info {
	unsigned track, session;
	int damage, copy, track_mode;
	int rt, blank, packet, fp, data_mode;
	int lra_v, nwa_v;
	uint32_t start, nwa, free_blocks, fixed_packet_size, track_size, last_recorded;
	int has_last_recorded;    /* the answer reached bytes 28-31 */
} mmc_track_info;
dm_status mmc_parse_track_info(const uint8_t *b, size_t n, mmc_track_info *out, dm_ctx *ctx);

/* MMC-6 6.23.3 READ CAPACITY. */
typedef struct mmc_capacity {
	uint32_t last_lba;
	uint32_t block_len;
} mmc_capacity;
dm_status mmc_parse_capacity(const uint8_t *b, size_t n, mmc_capacity *out, dm_ctx *ctx);

/* MMC-6 6.24.3 READ FORMAT CAPACITIES. */
enum { MMC_FMT_UNFORMATTED = 1, MMC_FMT_FORMATTED = 2, MMC_FMT_NO_MEDIA = 3 };
#define MMC_MAX_FORMATS 16
typedef struct mmc_format_capacities {
	uint32_t current_blocks;
	int current_type;          /* MMC_FMT_* */
	uint32_t current_block_len;
	size_t n_formats;
	struct {
		uint32_t blocks;
		uint8_t format_type;
		uint32_t param;
	} formats[MMC_MAX_FORMATS];
} mmc_format_capacities;
dm_status mmc_parse_format_capacities(const uint8_t *b, size_t n, mmc_format_capacities *out,
				      dm_ctx *ctx);

/* SPC-4 7.5.5 MODE SENSE(10) answer: finds `page` after the header and any block
 * descriptors; *page_out points into b, *page_len counts the 2-byte page header too and
 * is cut to what was transferred. Also reports the header's write-protect bit. */
dm_status mmc_parse_mode_page(const uint8_t *b, size_t n, int page, const uint8_t **page_out,
			      size_t *page_len, int *write_protected, dm_ctx *ctx);

/* MMC-3 6.3.11 / MMC-6 annex: page 2Ah, CD/DVD capabilities and mechanical status. */
#define MMC_MAX_SPEEDS 16
typedef struct mmc_caps {
	int read_cdr, read_cdrw, read_dvdrom, read_dvdr, read_dvdram;
	int write_cdr, write_cdrw, test_write, write_dvdr, write_dvdram;
	int bufe;                 /* buffer underrun protection */
	int can_lock, locked, can_eject;
	int loading_mechanism;
	unsigned buffer_kb;
	unsigned max_write_kbs, cur_write_kbs;
	size_t n_speeds;
	unsigned speeds_kbs[MMC_MAX_SPEEDS];
} mmc_caps;
dm_status mmc_parse_caps_page(const uint8_t *page, size_t len, mmc_caps *out, dm_ctx *ctx);

/* MMC-6 7.5 page 05h, write parameters. */
enum { MMC_WT_PACKET = 0, MMC_WT_TAO = 1, MMC_WT_SAO = 2, MMC_WT_RAW = 3 };
typedef struct mmc_write_params {
	int bufe, ls_v, test_write, write_type;
	int multisession;          /* 0: no next session, 3: next session allowed */
	int fp, copy, track_mode;
	int data_block_type;
	uint8_t session_format;
	uint32_t packet_size;
} mmc_write_params;
dm_status mmc_parse_write_params_page(const uint8_t *page, size_t len, mmc_write_params *out,
				      dm_ctx *ctx);
/* Write the fields above into a page previously returned by MODE SENSE (len >= 16),
 * leaving the bytes this code does not model as the drive gave them. */
void mmc_apply_write_params_page(uint8_t *page, size_t len, const mmc_write_params *p);

/* MMC-6 6.7.2.6 write speed descriptors (GET PERFORMANCE type 3). */
typedef struct mmc_write_speeds {
	size_t n;
	struct {
		uint32_t end_lba;
		uint32_t read_kbs, write_kbs;
		int wrc, rdd, exact, mrw;
	} desc[MMC_MAX_SPEEDS];
} mmc_write_speeds;
dm_status mmc_parse_write_speeds(const uint8_t *b, size_t n, mmc_write_speeds *out,
				 dm_ctx *ctx);

/* MMC-6 6.7.2.4 GET PERFORMANCE type 00h (nominal performance): the first descriptor's
 * end performance, kB/s, in *kbs (0 when the answer holds no descriptor). */
dm_status mmc_parse_nominal_performance(const uint8_t *b, size_t n, uint32_t *kbs,
					dm_ctx *ctx);

/* SPC-4 4.5.2.4.4: the progress indication of a NOT READY sense (fixed format bytes
 * 15-17, descriptor format's sense key specific descriptor). 1 with *progress in
 * 0..65536 when the sense carries one (SKSV set), else 0. */
int mmc_parse_sense_progress(const uint8_t *sense, size_t len, unsigned *progress);

/* MMC-6 6.29.2.16 READ DISC STRUCTURE format 20h (layer boundary information of DVD+R DL
 * and DVD-R DL): Init Status byte 4 bit 7 (set: the break was set already and is fixed),
 * the layer 0 data zone capacity in bytes 8-11. */
typedef struct mmc_layer_info {
	int fixed;
	uint32_t l0_blocks;
} mmc_layer_info;
dm_status mmc_parse_layer_info(const uint8_t *b, size_t n, mmc_layer_info *out, dm_ctx *ctx);

/* MMC-6 6.26.3 READ BUFFER CAPACITY, Block = 0. */
typedef struct mmc_buffer_capacity {
	uint32_t length;   /* bytes */
	uint32_t blank;    /* bytes free */
} mmc_buffer_capacity;
dm_status mmc_parse_buffer_capacity(const uint8_t *b, size_t n, mmc_buffer_capacity *out,
				    dm_ctx *ctx);

/* MMC-6 6.8.3 GET EVENT STATUS NOTIFICATION, media class. */
typedef struct mmc_event_status {
	int nea;                  /* no event available / class not supported */
	int notification_class;
	uint8_t supported_classes;
	int media_event;          /* 0 none, 1 eject request, 2 new media, 3 removal, ... */
	int media_present, door_open;
} mmc_event_status;
dm_status mmc_parse_event_status(const uint8_t *b, size_t n, mmc_event_status *out,
				 dm_ctx *ctx);

#endif
