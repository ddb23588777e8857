/* One function per MMC command, in the manner of sg3_utils' sg_ll_*(): build the CDB
 * (mmc_cdb.h), send it through scsi_run() (timeouts and retries), parse the answer
 * (mmc_parse.h). On failure the message names the command and the decoded sense. */
#ifndef MMC_CMDS_H
#define MMC_CMDS_H

#include "common/dm_media_sizes.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"
#include "common/drive/scsi_transport.h"

#define MMC_SECTOR DM_SECTOR

dm_status mmc_test_unit_ready(scsi_transport *t, dm_ctx *ctx);
/* TEST UNIT READY without failing on "no medium": *present tells. Other errors fail. */
dm_status mmc_media_present(scsi_transport *t, int *present, dm_ctx *ctx);
dm_status mmc_request_sense(scsi_transport *t, scsi_sense_info *out, dm_ctx *ctx);
dm_status mmc_inquiry(scsi_transport *t, mmc_inquiry_info *out, dm_ctx *ctx);
dm_status mmc_get_configuration(scsi_transport *t, int rt, uint16_t start_feature,
				mmc_config *out, dm_ctx *ctx);
dm_status mmc_read_disc_info(scsi_transport *t, mmc_disc_info *out, dm_ctx *ctx);
dm_status mmc_read_track_info(scsi_transport *t, int addr_type, uint32_t addr,
			      mmc_track_info *out, dm_ctx *ctx);
dm_status mmc_read_capacity(scsi_transport *t, mmc_capacity *out, dm_ctx *ctx);
dm_status mmc_read_format_capacities(scsi_transport *t, mmc_format_capacities *out,
				     dm_ctx *ctx);
/* MODE SENSE(10) of the current values of `page` into buf (cap bytes); *page_out and
 * *page_len locate the page inside buf. */
dm_status mmc_mode_sense_page(scsi_transport *t, int page, uint8_t *buf, size_t cap,
			      const uint8_t **page_out, size_t *page_len, int *write_protected,
			      dm_ctx *ctx);
/* MODE SELECT(10) of one page (with its 2-byte header), behind an 8-byte mode header. */
dm_status mmc_mode_select_page(scsi_transport *t, const uint8_t *page, size_t page_len,
			       dm_ctx *ctx);
dm_status mmc_get_write_speeds(scsi_transport *t, mmc_write_speeds *out, dm_ctx *ctx);
dm_status mmc_set_streaming(scsi_transport *t, uint32_t end_lba, uint32_t read_kbs,
			    uint32_t write_kbs, dm_ctx *ctx);
dm_status mmc_set_cd_speed(scsi_transport *t, uint16_t read_kbs, uint16_t write_kbs,
			   dm_ctx *ctx);
/* RESERVE TRACK; *unsupported is set (and DM_OK returned) when the drive answers
 * 5/20/00 invalid opcode, as tgt does (spec/drive-notes.md, tgt quirk 1). */
dm_status mmc_reserve_track(scsi_transport *t, uint32_t blocks, int *unsupported, dm_ctx *ctx);
dm_status mmc_write10(scsi_transport *t, uint32_t lba, uint16_t blocks, const uint8_t *buf,
		      dm_ctx *ctx);
dm_status mmc_read10(scsi_transport *t, uint32_t lba, uint16_t blocks, uint8_t *buf,
		     dm_ctx *ctx);
dm_status mmc_synchronize_cache(scsi_transport *t, int immed, dm_ctx *ctx);
dm_status mmc_close_track_session(scsi_transport *t, int immed, int function, uint16_t number,
				  dm_ctx *ctx);
dm_status mmc_read_buffer_capacity(scsi_transport *t, mmc_buffer_capacity *out, dm_ctx *ctx);
dm_status mmc_prevent_allow(scsi_transport *t, int prevent, dm_ctx *ctx);
dm_status mmc_start_stop_unit(scsi_transport *t, int immed, int load_eject, int start,
			      dm_ctx *ctx);
dm_status mmc_get_event_status(scsi_transport *t, mmc_event_status *out, dm_ctx *ctx);
/* BLANK with IMMED (MMC-6 6.2); the caller polls mmc_poll_progress. */
dm_status mmc_blank(scsi_transport *t, int immed, int type, uint32_t lba, dm_ctx *ctx);
/* FORMAT UNIT with one format descriptor (MMC-6 6.5). */
dm_status mmc_format_unit(scsi_transport *t, int immed, uint32_t blocks, uint8_t type,
			  uint8_t subtype, uint32_t param, dm_ctx *ctx);
dm_status mmc_send_cue_sheet(scsi_transport *t, const uint8_t *cue, uint32_t len, dm_ctx *ctx);
/* READ DISC STRUCTURE format 20h / 22h, and SEND DISC STRUCTURE setting the break. */
dm_status mmc_read_layer_info(scsi_transport *t, uint8_t format, mmc_layer_info *out,
			      dm_ctx *ctx);
dm_status mmc_send_layer_break(scsi_transport *t, uint8_t format, uint32_t l0_blocks,
			       dm_ctx *ctx);
/* The write speed the drive set: GET PERFORMANCE type 00h nominal write performance. */
dm_status mmc_get_nominal_write_kbs(scsi_transport *t, uint32_t *kbs, dm_ctx *ctx);
/* One look at a drive working on an IMMED command (MMC-6 6.2.4, 6.5.4: TEST UNIT READY,
 * and REQUEST SENSE for the progress when the TEST UNIT READY sense has none): *busy 1
 * while it answers 2/04/xx, *progress 0..65536 or -1 when not told. Another error fails
 * with the decoded sense. */
dm_status mmc_poll_progress(scsi_transport *t, int *busy, int *progress, dm_ctx *ctx);

/* Poll TEST UNIT READY until the drive is no longer busy (2/04/07, 2/04/08 after an
 * IMMED command), for at most max_ms. */
dm_status mmc_wait_ready(scsi_transport *t, unsigned max_ms, dm_ctx *ctx);

#endif
