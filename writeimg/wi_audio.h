/* Writing a CD from a layout (writeimg/cd_layout.h): audio tracks Track-At-Once (--audio,
 * the default: each track its own WRITE run and CLOSE TRACK, the drive making each
 * 2-second pregap), or a whole session Session-At-Once / Disc-At-Once (--gapless,
 * --mode=sao, a cue sheet): SEND CUE SHEET, the lead-in's CD-TEXT, then every sector the
 * host sends, in LBA order from -150 (MMC-6 4.2.3.2, 4.2.3.3, 6.33). Library code: it
 * reports through dm_ctx and never prints. */
#ifndef WI_AUDIO_H
#define WI_AUDIO_H

#include <stdint.h>

#include "common/drive/media_probe.h"
#include "writeimg/cd_layout.h"
#include "writeimg/cd_cuesheet.h"
#include "writeimg/wi_burn.h"

typedef struct wi_audio_opts {
	int sao;               /* Session-At-Once with a cue sheet (else Track-At-Once) */
	int multisession;      /* leave the disc appendable (CD-Extra: a data session next) */
	int cdtext;            /* write the layout's CD-TEXT in the lead-in (SAO only) */
	int speed_x;           /* as wi_burn_opts */
	int eject;
	unsigned chunk;        /* sectors per WRITE, 0: 24 (56 KiB of 2352-byte sectors) */
} wi_audio_opts;

typedef struct wi_audio_result {
	wi_stage stage;
	media_disc disc;       /* before writing */
	uint64_t sectors;      /* sectors the host sends (pregaps the drive makes not counted) */
	uint64_t written;
	double seconds;
	char disc_state[1024]; /* after a failure: what the disc is now */
} wi_audio_result;

/* The pre-flight decision alone (pure, unit-tested): DM_OK when disc d can take layout l
 * written with o; else DM_ERR_MEDIA (not a CD-R/CD-RW, closed, appendable without
 * --multisession, SAO on a drive without it or on a disc that is not blank, CD-TEXT in
 * Track-At-Once) or DM_ERR_NOSPACE (too small: both sizes, pregaps included). */
dm_status wi_audio_preflight(const media_disc *d, const cd_layout *l, const wi_audio_opts *o,
			     dm_ctx *ctx);

/* Page 05h fields for writing track `track` of l (cd_write_params_*) applied to a page as
 * MODE SENSE gave it (len >= 52: with the MCN and ISRC fields), multi-session 3 when the
 * disc stays appendable, else 0; Track-At-Once also carries the MCN and the track's ISRC
 * (SAO gives them in the cue sheet). Pure, exposed for tests. */
void wi_audio_page05(uint8_t *page, size_t len, const cd_layout *l, unsigned track, int sao,
		     int multisession);

/* The blocks of the lead-in's R-W sub-channel that carry CD-TEXT: block k (96 bytes) is
 * packs 4k .. 4k+3 (mod count) in packed R-W form (cd_text_pack_to_rw). Pure. */
void wi_audio_leadin_block(const uint8_t *packs, unsigned count, uint32_t k, uint8_t out[96]);

/* The layout the options ask for: --audio's tracks (2-second gaps, none with --gapless)
 * or the cue sheet o->cue (or, for --check, o->check_image), with --cd-text, --mcn and
 * --isrc applied; CD-TEXT from tags or the cue kept only with --text (*text_dropped set
 * when some was left out). Every WAV and FLAC is decoded once through (truncation shows
 * here, before anything is written). Errors name the file and cue line. */
dm_status wi_audio_layout(const wi_options *o, cd_layout **out, int *text_dropped,
			  dm_ctx *ctx);

/* Probe, check, write, close (unless --multisession), eject or reload. On failure the
 * status says what, r->stage when, r->disc_state what the disc is. */
dm_status wi_audio_burn(scsi_transport *t, const cd_layout *l, const wi_audio_opts *o,
			wi_audio_result *r, dm_ctx *ctx);

#endif
