#include "common/drive/mmc_cmds.h"

#include <stdio.h>
#include <string.h>

#include "common/dm_endian.h"

static void prepare(scsi_cmd *c, size_t cdb_len, scsi_dir dir, uint8_t *buf, size_t len,
		    unsigned timeout_ms)
{
	c->cdb_len = cdb_len;
	c->name = mmc_opcode_name(c->cdb[0]);
	c->dir = dir;
	c->buf = buf;
	c->len = len;
	c->timeout_ms = timeout_ms;
}

/* Send a data-in command; *got is what arrived. */
static dm_status run_in(scsi_transport *t, scsi_cmd *c, size_t cdb_len, uint8_t *buf, size_t len,
			size_t *got, dm_ctx *ctx)
{
	memset(buf, 0, len);
	prepare(c, cdb_len, SCSI_DIR_IN, buf, len, 0);
	dm_status st = scsi_run(t, c, ctx);
	*got = c->transferred;
	return st;
}

dm_status mmc_test_unit_ready(scsi_transport *t, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_test_unit_ready(c.cdb), SCSI_DIR_NONE, NULL, 0, 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_media_present(scsi_transport *t, int *present, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_test_unit_ready(c.cdb), SCSI_DIR_NONE, NULL, 0, 0);
	dm_status st = scsi_run(t, &c, ctx);
	*present = st == DM_OK;
	if (st == DM_ERR_SCSI && scsi_sense_classify(&c.sense) == SCSI_CLASS_NO_MEDIUM)
		return DM_OK;
	return st;
}

dm_status mmc_request_sense(scsi_transport *t, scsi_sense_info *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[SCSI_SENSE_MAX];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_request_sense(c.cdb, sizeof(buf)), buf, sizeof(buf),
			      &got, ctx);
	if (st != DM_OK)
		return st;
	scsi_sense_decode(buf, got, out);
	return DM_OK;
}

dm_status mmc_inquiry(scsi_transport *t, mmc_inquiry_info *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[96];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_inquiry(c.cdb, sizeof(buf)), buf, sizeof(buf), &got,
			      ctx);
	return st != DM_OK ? st : mmc_parse_inquiry(buf, got, out, ctx);
}

dm_status mmc_get_configuration(scsi_transport *t, int rt, uint16_t start_feature,
				mmc_config *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8192];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_get_configuration(c.cdb, rt, start_feature, sizeof(buf)),
			      buf, sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_configuration(buf, got, out, ctx);
}

dm_status mmc_read_disc_info(scsi_transport *t, mmc_disc_info *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[34];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_disc_info(c.cdb, sizeof(buf)), buf, sizeof(buf),
			      &got, ctx);
	return st != DM_OK ? st : mmc_parse_disc_info(buf, got, out, ctx);
}

dm_status mmc_read_track_info(scsi_transport *t, int addr_type, uint32_t addr,
			      mmc_track_info *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[48];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_track_info(c.cdb, addr_type, addr, sizeof(buf)),
			      buf, sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_track_info(buf, got, out, ctx);
}

dm_status mmc_read_capacity(scsi_transport *t, mmc_capacity *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_capacity(c.cdb), buf, sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_capacity(buf, got, out, ctx);
}

dm_status mmc_read_format_capacities(scsi_transport *t, mmc_format_capacities *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[252];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_format_capacities(c.cdb, sizeof(buf)), buf,
			      sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_format_capacities(buf, got, out, ctx);
}

dm_status mmc_mode_sense_page(scsi_transport *t, int page, uint8_t *buf, size_t cap,
			      const uint8_t **page_out, size_t *page_len, int *write_protected,
			      dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	size_t got;
	if (cap > 0xffff)
		cap = 0xffff;
	dm_status st = run_in(t, &c, mmc_cdb_mode_sense10(c.cdb, page, MMC_PC_CURRENT, (uint16_t)cap),
			      buf, cap, &got, ctx);
	if (st != DM_OK)
		return st;
	return mmc_parse_mode_page(buf, got, page, page_out, page_len, write_protected, ctx);
}

dm_status mmc_mode_select_page(scsi_transport *t, const uint8_t *page, size_t page_len,
			       dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8 + 256];
	if (page_len > 256)
		return dm_fail(ctx, DM_ERR_INTERNAL, "MODE SELECT(10): page of %zu bytes", page_len);
	/* SPC-4 7.5.5: the mode data length is reserved (0) in MODE SELECT; no block
	 * descriptors. */
	memset(buf, 0, 8);
	memcpy(buf + 8, page, page_len);
	buf[8] &= 0x3f;
	prepare(&c, mmc_cdb_mode_select10(c.cdb, (uint16_t)(8 + page_len)), SCSI_DIR_OUT, buf,
		8 + page_len, 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_get_write_speeds(scsi_transport *t, mmc_write_speeds *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8 + 16 * MMC_MAX_SPEEDS];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_get_performance_write_speed(c.cdb, MMC_MAX_SPEEDS), buf,
			      sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_write_speeds(buf, got, out, ctx);
}

dm_status mmc_set_streaming(scsi_transport *t, uint32_t end_lba, uint32_t read_kbs,
			    uint32_t write_kbs, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t desc[MMC_STREAMING_DESC_LEN];
	mmc_build_streaming_desc(desc, end_lba, read_kbs, write_kbs);
	prepare(&c, mmc_cdb_set_streaming(c.cdb, sizeof(desc)), SCSI_DIR_OUT, desc, sizeof(desc), 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_set_cd_speed(scsi_transport *t, uint16_t read_kbs, uint16_t write_kbs, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_set_cd_speed(c.cdb, read_kbs, write_kbs), SCSI_DIR_NONE, NULL, 0, 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_reserve_track(scsi_transport *t, uint32_t blocks, int *unsupported, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	*unsupported = 0;
	prepare(&c, mmc_cdb_reserve_track(c.cdb, blocks), SCSI_DIR_NONE, NULL, 0, 0);
	dm_status st = scsi_run(t, &c, ctx);
	if (st == DM_ERR_SCSI && scsi_sense_classify(&c.sense) == SCSI_CLASS_INVALID_OPCODE) {
		*unsupported = 1;
		return DM_OK;
	}
	return st;
}

dm_status mmc_write10(scsi_transport *t, uint32_t lba, uint16_t blocks, const uint8_t *buf,
		      dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	char name[64];
	prepare(&c, mmc_cdb_write10(c.cdb, lba, blocks), SCSI_DIR_OUT, (uint8_t *)buf,
		(size_t)blocks * MMC_SECTOR, SCSI_TIMEOUT_WRITE_MS);
	/* CD lead-in and pre-gap addresses are negative (MMC-6 6.46.2: two's complement). */
	snprintf(name, sizeof(name), "WRITE(10) at LBA %lld (%u sectors)",
		 lba >= 0xffff0000u ? (long long)(int32_t)lba : (long long)lba, blocks);
	c.name = name;
	return scsi_run(t, &c, ctx);
}

dm_status mmc_read10(scsi_transport *t, uint32_t lba, uint16_t blocks, uint8_t *buf, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	char name[64];
	prepare(&c, mmc_cdb_read10(c.cdb, lba, blocks), SCSI_DIR_IN, buf, (size_t)blocks * MMC_SECTOR,
		SCSI_TIMEOUT_WRITE_MS);
	snprintf(name, sizeof(name), "READ(10) at LBA %u (%u sectors)", (unsigned)lba, blocks);
	c.name = name;
	dm_status st = scsi_run(t, &c, ctx);
	if (st != DM_OK)
		return st;
	if (c.transferred < c.len)
		return dm_fail(ctx, DM_ERR_SCSI, "READ(10) at LBA %u: %zu of %zu bytes arrived",
			       (unsigned)lba, c.transferred, c.len);
	return DM_OK;
}

dm_status mmc_synchronize_cache(scsi_transport *t, int immed, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_synchronize_cache(c.cdb, immed), SCSI_DIR_NONE, NULL, 0,
		SCSI_TIMEOUT_LONG_MS);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_close_track_session(scsi_transport *t, int immed, int function, uint16_t number,
				  dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_close_track_session(c.cdb, immed, function, number), SCSI_DIR_NONE,
		NULL, 0, SCSI_TIMEOUT_LONG_MS);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_read_buffer_capacity(scsi_transport *t, mmc_buffer_capacity *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[12];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_buffer_capacity(c.cdb, sizeof(buf)), buf,
			      sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_buffer_capacity(buf, got, out, ctx);
}

dm_status mmc_prevent_allow(scsi_transport *t, int prevent, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_prevent_allow(c.cdb, prevent), SCSI_DIR_NONE, NULL, 0, 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_start_stop_unit(scsi_transport *t, int immed, int load_eject, int start,
			      dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_start_stop_unit(c.cdb, immed, load_eject, start), SCSI_DIR_NONE, NULL, 0,
		0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_get_event_status(scsi_transport *t, mmc_event_status *out, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_get_event_status(c.cdb, MMC_EVENT_CLASS_MEDIA,
							      sizeof(buf)),
			      buf, sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_event_status(buf, got, out, ctx);
}

dm_status mmc_wait_ready(scsi_transport *t, unsigned max_ms, dm_ctx *ctx)
{
	unsigned saved = t->ready_wait_ms;
	t->ready_wait_ms = max_ms;
	dm_status st = mmc_test_unit_ready(t, ctx);
	t->ready_wait_ms = saved;
	return st;
}

dm_status mmc_blank(scsi_transport *t, int immed, int type, uint32_t lba, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_blank(c.cdb, immed, type, lba), SCSI_DIR_NONE, NULL, 0,
		SCSI_TIMEOUT_LONG_MS);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_format_unit(scsi_transport *t, int immed, uint32_t blocks, uint8_t type,
			  uint8_t subtype, uint32_t param, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t list[MMC_FORMAT_LIST_LEN];
	mmc_build_format_list(list, immed, blocks, type, subtype, param);
	prepare(&c, mmc_cdb_format_unit(c.cdb), SCSI_DIR_OUT, list, sizeof(list),
		SCSI_TIMEOUT_LONG_MS);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_send_cue_sheet(scsi_transport *t, const uint8_t *cue, uint32_t len, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	prepare(&c, mmc_cdb_send_cue_sheet(c.cdb, len), SCSI_DIR_OUT, (uint8_t *)cue, len, 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_read_layer_info(scsi_transport *t, uint8_t format, mmc_layer_info *out,
			      dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[16];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_read_disc_structure(c.cdb, format, sizeof(buf)), buf,
			      sizeof(buf), &got, ctx);
	return st != DM_OK ? st : mmc_parse_layer_info(buf, got, out, ctx);
}

dm_status mmc_send_layer_break(scsi_transport *t, uint8_t format, uint32_t l0_blocks,
			       dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t list[MMC_LAYER_BREAK_LEN];
	mmc_build_layer_break(list, l0_blocks);
	prepare(&c, mmc_cdb_send_disc_structure(c.cdb, format, sizeof(list)), SCSI_DIR_OUT, list,
		sizeof(list), 0);
	return scsi_run(t, &c, ctx);
}

dm_status mmc_get_nominal_write_kbs(scsi_transport *t, uint32_t *kbs, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	uint8_t buf[8 + 16 * 4];
	size_t got;
	dm_status st = run_in(t, &c, mmc_cdb_get_performance_nominal(c.cdb, 1, 4), buf, sizeof(buf),
			      &got, ctx);
	return st != DM_OK ? st : mmc_parse_nominal_performance(buf, got, kbs, ctx);
}

dm_status mmc_poll_progress(scsi_transport *t, int *busy, int *progress, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	unsigned saved = t->ready_wait_ms;
	*busy = 0;
	*progress = -1;
	prepare(&c, mmc_cdb_test_unit_ready(c.cdb), SCSI_DIR_NONE, NULL, 0, 0);
	t->ready_wait_ms = 0; /* one look: the caller paces the polls */
	char why[DM_MORE_LEN] = "";
	dm_defer(ctx);
	unsigned before = ctx->n_more;
	dm_status st = scsi_run(t, &c, ctx);
	if (ctx->n_more > before) {
		snprintf(why, sizeof(why), "%s", dm_last_msg(ctx));
		dm_drop_last(ctx);
	}
	dm_undefer(ctx);
	t->ready_wait_ms = saved;
	if (st == DM_OK)
		return DM_OK;
	scsi_sense_class cl = scsi_sense_classify(&c.sense);
	if (st != DM_ERR_SCSI || (cl != SCSI_CLASS_IN_PROGRESS && cl != SCSI_CLASS_BECOMING_READY))
		return dm_fail(ctx, st, "%s", why);
	*busy = 1;
	unsigned p;
	if (mmc_parse_sense_progress(c.result.sense, c.result.sense_len, &p)) {
		*progress = (int)p;
		return DM_OK;
	}
	scsi_cmd r = { 0 };
	uint8_t buf[SCSI_SENSE_MAX];
	size_t got;
	dm_defer(ctx);
	st = run_in(t, &r, mmc_cdb_request_sense(r.cdb, sizeof(buf)), buf, sizeof(buf), &got, ctx);
	if (st != DM_OK)
		dm_drop_last(ctx);
	dm_undefer(ctx);
	if (st == DM_OK && mmc_parse_sense_progress(buf, got, &p))
		*progress = (int)p;
	return DM_OK;
}
