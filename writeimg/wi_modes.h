/* The write mode a disc is written in: chosen from the medium, its state and what the
 * user asked, as IMAPI2 and the Linux burners do (CD: TAO or SAO; DVD-R/-RW: DAO or
 * incremental; DVD+R and BD-R: their one sequential mode; rewritable discs: overwrite),
 * and the layer break of a dual-layer disc. Pure decisions, unit-tested per medium. */
#ifndef WI_MODES_H
#define WI_MODES_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/drive/media_model.h"
#include "writeimg/wi_options.h"

typedef struct wi_mode_plan {
	wi_write_mode mode;      /* never WI_WM_AUTO */
	const char *name;        /* "SAO (session at once)" */
	int page05;              /* MODE SELECT page 05h with write_type before writing */
	int write_type;          /* MMC_WT_* for page 05h */
	int cue_sheet;           /* SEND CUE SHEET before writing (CD SAO) */
	int reserve_track;       /* RESERVE TRACK of the image size (DVD-R DAO, DVD+R) */
	int close_track;         /* CLOSE TRACK and CLOSE SESSION after writing (else the
				  * drive closes by itself after SYNCHRONIZE CACHE) */
} wi_mode_plan;

/* Choose the mode for medium m (NULL: unknown) in disc_status (MMC_DISC_*), with
 * --multisession and --mode; cd_sao: the drive offers SAO (CD Mastering). DM_OK with the plan, or DM_ERR_MEDIA with the reason the
 * medium or its state does not allow the mode asked (exit 3). */
dm_status wi_mode_choose(const media_profile *m, int disc_status, int multisession, int cd_sao,
			 wi_write_mode asked, wi_mode_plan *out, dm_ctx *ctx);

/* "tao", "sao", ... for messages. */
const char *wi_mode_word(wi_write_mode mode);

/* The layer break of a dual-layer disc for an image of image_blocks sectors. total: the
 * disc's user capacity; l0_max: layer 0's capacity as the disc reports it (0: not
 * reported); fixed: the break is set already at l0_max; asked: --layer-break (-1: none).
 * *out_break is 0 when the image fits layer 0 (no break needed), else the LBA where
 * layer 1 begins. Refusals (DM_ERR_MEDIA): a break asked beyond layer 0, not on an ECC
 * block, leaving layer 1 too small, or an image larger than one layer without a break
 * that can be used. */
dm_status wi_layer_break_plan(uint64_t total, uint32_t l0_max, int fixed, uint64_t image_blocks,
			      int64_t asked, uint32_t *out_break, dm_ctx *ctx);

#endif
