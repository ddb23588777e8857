/* CDB builders (every byte), response parsers (well-formed, truncated, inconsistent) and
 * the media model tables. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/media_model.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"
#include "common/drive/scsi_transport.h"

/* ---- builders --------------------------------------------------------------------- */

typedef struct cdb_case {
	const char *name;
	size_t len;
	uint8_t want[12];
} cdb_case;

static void check_cdb(const char *name, const uint8_t *cdb, size_t len, const uint8_t *want,
		      size_t want_len)
{
	CU_ASSERT_EQUAL_FATAL(len, want_len);
	if (memcmp(cdb, want, len) != 0) {
		fprintf(stderr, "\n%s:", name);
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, " %02x", cdb[i]);
		fprintf(stderr, "\n");
	}
	CU_ASSERT_EQUAL(memcmp(cdb, want, len), 0);
	for (size_t i = len; i < SCSI_CDB_MAX; i++)
		CU_ASSERT_EQUAL(cdb[i], 0);
}

static void test_builders(void)
{
	uint8_t c[SCSI_CDB_MAX];
	/* Expected bytes are those of the sequences spec/drive-notes.md records, where it has one. */
	static const cdb_case cases[] = {
		{ "TUR", 6, { 0x00, 0, 0, 0, 0, 0 } },
		{ "REQUEST SENSE", 6, { 0x03, 0, 0, 0, 0x60, 0 } },
		{ "INQUIRY", 6, { 0x12, 0, 0, 0, 0x60, 0 } },
		{ "START STOP eject", 6, { 0x1b, 0, 0, 0, 0x02, 0 } },
		{ "START STOP load immed", 6, { 0x1b, 0x01, 0, 0, 0x03, 0 } },
		{ "PREVENT", 6, { 0x1e, 0, 0, 0, 0x01, 0 } },
		{ "ALLOW", 6, { 0x1e, 0, 0, 0, 0x00, 0 } },
		{ "READ FORMAT CAPACITIES", 10, { 0x23, 0, 0, 0, 0, 0, 0, 0x00, 0xfc, 0 } },
		{ "READ CAPACITY", 10, { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ "READ(10)", 10, { 0x28, 0, 0x00, 0x00, 0x05, 0x70, 0, 0x00, 0x10, 0 } },
		{ "WRITE(10)", 10, { 0x2a, 0, 0x00, 0x00, 0x05, 0x70, 0, 0x00, 0x0c, 0 } },
		{ "SYNCHRONIZE CACHE", 10, { 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ "SYNCHRONIZE CACHE IMMED", 10, { 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ "GET CONFIGURATION RT=1", 10, { 0x46, 0x01, 0, 0, 0, 0, 0, 0x04, 0x00, 0 } },
		{ "GET CONFIGURATION RT=2 002B", 10, { 0x46, 0x02, 0x00, 0x2b, 0, 0, 0, 0, 0x10, 0 } },
		{ "GET EVENT STATUS", 10, { 0x4a, 0x01, 0, 0, 0x10, 0, 0, 0x00, 0x08, 0 } },
		{ "READ DISC INFORMATION", 10, { 0x51, 0, 0, 0, 0, 0, 0, 0x00, 0x22, 0 } },
		{ "READ TRACK INFORMATION", 10, { 0x52, 0x01, 0, 0, 0, 0x01, 0, 0x00, 0x30, 0 } },
		{ "RESERVE TRACK", 10, { 0x53, 0, 0, 0, 0, 0x00, 0x00, 0x05, 0x7c, 0 } },
		{ "MODE SELECT(10)", 10, { 0x55, 0x10, 0, 0, 0, 0, 0, 0x00, 0x3c, 0 } },
		{ "MODE SENSE(10) 2A", 10, { 0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0x01, 0x00, 0 } },
		{ "CLOSE TRACK 1", 10, { 0x5b, 0x00, 0x01, 0, 0x00, 0x01, 0, 0, 0, 0 } },
		{ "CLOSE SESSION finalize", 10, { 0x5b, 0x00, 0x06, 0, 0, 0, 0, 0, 0, 0 } },
		{ "CLOSE SESSION immed", 10, { 0x5b, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0 } },
		{ "READ BUFFER CAPACITY", 10, { 0x5c, 0, 0, 0, 0, 0, 0, 0x00, 0x0c, 0 } },
		{ "GET PERFORMANCE type 3", 12, { 0xac, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x10, 0x03, 0 } },
		{ "SET STREAMING", 12, { 0xb6, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x1c, 0 } },
		{ "SET CD SPEED", 12, { 0xbb, 0, 0xff, 0xff, 0x1b, 0x90, 0, 0, 0, 0, 0, 0 } },
	};
	size_t i = 0;
#define NEXT(expr) do { size_t n_ = (expr); check_cdb(cases[i].name, c, n_, cases[i].want, cases[i].len); i++; } while (0)
	NEXT(mmc_cdb_test_unit_ready(c));
	NEXT(mmc_cdb_request_sense(c, 0x60));
	NEXT(mmc_cdb_inquiry(c, 0x60));
	NEXT(mmc_cdb_start_stop_unit(c, 0, 1, 0));
	NEXT(mmc_cdb_start_stop_unit(c, 1, 1, 1));
	NEXT(mmc_cdb_prevent_allow(c, 1));
	NEXT(mmc_cdb_prevent_allow(c, 0));
	NEXT(mmc_cdb_read_format_capacities(c, 0xfc));
	NEXT(mmc_cdb_read_capacity(c));
	NEXT(mmc_cdb_read10(c, 0x570, 16));
	NEXT(mmc_cdb_write10(c, 0x570, 12));
	NEXT(mmc_cdb_synchronize_cache(c, 0));
	NEXT(mmc_cdb_synchronize_cache(c, 1));
	NEXT(mmc_cdb_get_configuration(c, MMC_RT_CURRENT, 0, 0x400));
	NEXT(mmc_cdb_get_configuration(c, MMC_RT_ONE, 0x2b, 16));
	NEXT(mmc_cdb_get_event_status(c, MMC_EVENT_CLASS_MEDIA, 8));
	NEXT(mmc_cdb_read_disc_info(c, 0x22));
	NEXT(mmc_cdb_read_track_info(c, MMC_TRACK_BY_NUMBER, 1, 0x30));
	NEXT(mmc_cdb_reserve_track(c, 1404));
	NEXT(mmc_cdb_mode_select10(c, 0x3c));
	NEXT(mmc_cdb_mode_sense10(c, MMC_PAGE_CAPABILITIES, MMC_PC_CURRENT, 0x100));
	NEXT(mmc_cdb_close_track_session(c, 0, MMC_CLOSE_TRACK, 1));
	NEXT(mmc_cdb_close_track_session(c, 0, MMC_CLOSE_FINALIZE, 0));
	NEXT(mmc_cdb_close_track_session(c, 1, MMC_CLOSE_SESSION, 0));
	NEXT(mmc_cdb_read_buffer_capacity(c, 12));
	NEXT(mmc_cdb_get_performance_write_speed(c, 16));
	NEXT(mmc_cdb_set_streaming(c, MMC_STREAMING_DESC_LEN));
	NEXT(mmc_cdb_set_cd_speed(c, 0xffff, 7056));
#undef NEXT
	CU_ASSERT_EQUAL(i, sizeof(cases) / sizeof(cases[0]));
}

/* The commands of blanking, formatting, SAO and dual layer (MMC-6 6.2, 6.5, 6.35, 6.29,
 * 6.36, 6.7 type 00h). */
static void test_builders_erase(void)
{
	uint8_t c[SCSI_CDB_MAX];
	static const uint8_t blank_min[12] = { 0xa1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	check_cdb("BLANK minimal immed", c, mmc_cdb_blank(c, 1, MMC_BLANK_MINIMAL, 0), blank_min, 12);
	static const uint8_t blank_full[12] = { 0xa1, 0x00, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0, 0 };
	check_cdb("BLANK full", c, mmc_cdb_blank(c, 0, MMC_BLANK_FULL, 0x102), blank_full, 12);
	static const uint8_t fmt[6] = { 0x04, 0x11, 0, 0, 0, 0 };
	check_cdb("FORMAT UNIT", c, mmc_cdb_format_unit(c), fmt, 6);
	static const uint8_t cue[10] = { 0x5d, 0, 0, 0, 0, 0, 0x00, 0x00, 0x20, 0 };
	check_cdb("SEND CUE SHEET", c, mmc_cdb_send_cue_sheet(c, 32), cue, 10);
	static const uint8_t rds[12] = { 0xad, 0, 0, 0, 0, 0, 0, 0x20, 0x00, 0x10, 0, 0 };
	check_cdb("READ DISC STRUCTURE 20h", c, mmc_cdb_read_disc_structure(c, 0x20, 16), rds, 12);
	static const uint8_t sds[12] = { 0xbf, 0, 0, 0, 0, 0, 0, 0x20, 0x00, 0x0c, 0, 0 };
	check_cdb("SEND DISC STRUCTURE 20h", c, mmc_cdb_send_disc_structure(c, 0x20, 12), sds, 12);
	static const uint8_t perf[12] = { 0xac, 0x04, 0, 0, 0, 0, 0, 0, 0x00, 0x04, 0x00, 0 };
	check_cdb("GET PERFORMANCE type 0 write", c, mmc_cdb_get_performance_nominal(c, 1, 4),
		  perf, 12);
	CU_ASSERT_STRING_EQUAL(mmc_opcode_name(MMC_FORMAT_UNIT), "FORMAT UNIT");
	CU_ASSERT_STRING_EQUAL(mmc_opcode_name(MMC_SEND_CUE_SHEET), "SEND CUE SHEET");

	/* Format list: FOV + IMMED, descriptor length 8, blocks, type << 2 | sub-type. */
	uint8_t l[MMC_FORMAT_LIST_LEN];
	static const uint8_t want_l[12] = { 0, 0x82, 0, 8, 0x00, 0x23, 0x05, 0x40, 0x26 << 2, 0, 0, 0 };
	mmc_build_format_list(l, 1, 2295104, 0x26, 0, 0);
	CU_ASSERT_EQUAL(memcmp(l, want_l, 12), 0);
	mmc_build_format_list(l, 0, 0xb45000, 0x30, MMC_FMT_SUB_FULL_CERT, 0x3000);
	CU_ASSERT_EQUAL(l[1], 0x80);
	CU_ASSERT_EQUAL(l[8], (0x30 << 2) | 2);
	CU_ASSERT_EQUAL(l[9], 0x00);
	CU_ASSERT_EQUAL(l[10], 0x30);
	CU_ASSERT_EQUAL(l[11], 0x00);

	/* Cue sheet of one data track of 1465 sectors: lead-out at 1465 + 150 frames =
	 * 00:21:40. */
	uint8_t q[MMC_CUE_DATA_TRACK_LEN];
	static const uint8_t want_q[32] = {
		0x41, 0x00, 0x00, 0x14, 0, 0, 0, 0,
		0x41, 0x01, 0x00, 0x10, 0, 0, 0, 0,
		0x41, 0x01, 0x01, 0x10, 0, 0, 2, 0,
		0x41, 0xaa, 0x01, 0x14, 0, 0, 21, 40,
	};
	mmc_build_cue_sheet_data(q, 1465);
	CU_ASSERT_EQUAL(memcmp(q, want_q, 32), 0);
	uint8_t msf[3];
	mmc_lba_to_msf(-150, msf);
	CU_ASSERT(msf[0] == 0 && msf[1] == 0 && msf[2] == 0);
	mmc_lba_to_msf(359849, msf); /* 79:59:74 is the last frame of an 80-minute CD */
	CU_ASSERT(msf[0] == 79 && msf[1] == 59 && msf[2] == 74);

	uint8_t lb[MMC_LAYER_BREAK_LEN];
	static const uint8_t want_lb[12] = { 0, 10, 0, 0, 0, 0, 0, 0, 0x00, 0x1e, 0x84, 0x80 };
	mmc_build_layer_break(lb, 2000000);
	CU_ASSERT_EQUAL(memcmp(lb, want_lb, 12), 0);
}

static void test_streaming_desc(void)
{
	uint8_t d[MMC_STREAMING_DESC_LEN];
	mmc_build_streaming_desc(d, 2295103, 11080, 5540);
	CU_ASSERT_EQUAL(dm_get_be32(d + 4), 0);
	CU_ASSERT_EQUAL(dm_get_be32(d + 8), 2295103);
	CU_ASSERT_EQUAL(dm_get_be32(d + 12), 11080);
	CU_ASSERT_EQUAL(dm_get_be32(d + 16), 1000);
	CU_ASSERT_EQUAL(dm_get_be32(d + 20), 5540);
	CU_ASSERT_EQUAL(dm_get_be32(d + 24), 1000);
	CU_ASSERT_EQUAL(d[0], 0);
}

static void test_opcode_names(void)
{
	CU_ASSERT_STRING_EQUAL(mmc_opcode_name(0x2a), "WRITE(10)");
	CU_ASSERT_STRING_EQUAL(mmc_opcode_name(0x5b), "CLOSE TRACK/SESSION");
	CU_ASSERT_STRING_EQUAL(mmc_opcode_name(0xff), "unknown command");
}

/* ---- parsers ------------------------------------------------------------------------ */

static void test_inquiry(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[66] = { 0x05, 0x80, 0x05, 0x02, 61 };
	memcpy(b + 8, "IET     VIRTUAL-CDROM   0001", 28);
	mmc_inquiry_info q;
	CU_ASSERT_EQUAL(mmc_parse_inquiry(b, sizeof(b), &q, &ctx), DM_OK);
	CU_ASSERT_EQUAL(q.device_type, 5);
	CU_ASSERT_EQUAL(q.removable, 1);
	CU_ASSERT_STRING_EQUAL(q.vendor, "IET");
	CU_ASSERT_STRING_EQUAL(q.product, "VIRTUAL-CDROM");
	CU_ASSERT_STRING_EQUAL(q.revision, "0001");
	/* Garbage bytes become '?', a short answer is refused. */
	b[9] = 0x01;
	b[10] = 0xff;
	CU_ASSERT_EQUAL(mmc_parse_inquiry(b, sizeof(b), &q, &ctx), DM_OK);
	CU_ASSERT_STRING_EQUAL(q.vendor, "I??");
	CU_ASSERT_EQUAL(mmc_parse_inquiry(b, 35, &q, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "INQUIRY"));
	CU_ASSERT_EQUAL(mmc_parse_inquiry(b, 0, &q, &ctx), DM_ERR_SCSI);
}

/* tgt's blank DVD+R answer to GET CONFIGURATION, zero-padded to the allocation length
 * (spec/drive-notes.md, tgt quirk 9). */
static size_t tgt_config(uint8_t *b, size_t cap)
{
	memset(b, 0, cap);
	size_t pos = 8;
	static const uint8_t profile_list[] = { 0x00, 0x00, 0x03, 0x08, 0x00, 0x10, 0x00, 0x00,
						0x00, 0x1b, 0x01, 0x00 };
	memcpy(b + pos, profile_list, sizeof(profile_list));
	pos += sizeof(profile_list);
	static const uint8_t core[] = { 0x00, 0x01, 0x0b, 0x04, 0, 0, 0, 1 };
	memcpy(b + pos, core, sizeof(core));
	pos += sizeof(core);
	static const uint8_t dvdpr[] = { 0x00, 0x2b, 0x01, 0x04, 0x01, 0, 0, 0 };
	memcpy(b + pos, dvdpr, sizeof(dvdpr));
	pos += sizeof(dvdpr);
	dm_put_be32(b, (uint32_t)(pos - 4));
	dm_put_be16(b + 6, 0x001b);
	return pos;
}

static void test_configuration(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[1024];
	size_t len = tgt_config(b, sizeof(b));
	mmc_config c;
	/* Parsed by the header's length, not the (padded) transfer. */
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, sizeof(b), &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.current_profile, 0x001b);
	CU_ASSERT_EQUAL(c.n_profiles, 2);
	CU_ASSERT_EQUAL(c.profiles[0].code, 0x0010);
	CU_ASSERT_EQUAL(c.profiles[0].current, 0);
	CU_ASSERT_EQUAL(c.profiles[1].code, 0x001b);
	CU_ASSERT_EQUAL(c.profiles[1].current, 1);
	CU_ASSERT_EQUAL(c.n_features, 3);
	CU_ASSERT_EQUAL(c.truncated, 0);
	const mmc_feature *f = mmc_config_feature(&c, 0x002b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->current, 1);
	CU_ASSERT_EQUAL(f->data_len, 4);
	CU_ASSERT_EQUAL(f->data[0], 1);
	CU_ASSERT_EQUAL(mmc_config_feature(&c, 0x0041), NULL);
	CU_ASSERT_EQUAL(mmc_config_feature(&c, 0x0001)->version, 2);
	CU_ASSERT_EQUAL(mmc_config_feature(&c, 0x0001)->persistent, 1);
	/* Cut in the middle of the last feature: kept, flagged truncated. */
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, len - 2, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.truncated, 1);
	CU_ASSERT_EQUAL(c.n_features, 3);
	CU_ASSERT_EQUAL(c.features[2].data_len, 2);
	/* A length field claiming more than was sent, a huge profile list length. */
	dm_put_be32(b, 0xfffffff0u);
	b[11] = 0xff;
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, 40, &c, &ctx), DM_OK);
	CU_ASSERT(c.n_profiles <= MMC_MAX_PROFILES);
	CU_ASSERT_EQUAL(c.truncated, 1);
	/* Header only, or less. */
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, 7, &c, &ctx), DM_ERR_SCSI);
	dm_put_be32(b, 2);
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, 64, &c, &ctx), DM_ERR_SCSI);
	/* More features than the array holds. */
	memset(b, 0, sizeof(b));
	for (size_t i = 0; i < 100; i++)
		dm_put_be16(b + 8 + 4 * i, (uint16_t)(0x100 + i));
	dm_put_be32(b, 4 + 400);
	CU_ASSERT_EQUAL(mmc_parse_configuration(b, 408, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.n_features, MMC_MAX_FEATURES);
	CU_ASSERT_EQUAL(c.truncated, 1);
}

static void test_disc_info(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	/* tgt after a complete burn: byte 2 0x0e. */
	uint8_t b[34] = { 0x00, 0x20, 0x0e, 1, 1, 1, 1, 0x10, 0x00 };
	dm_put_be32(b + 20, 0x230540);
	mmc_disc_info d;
	CU_ASSERT_EQUAL(mmc_parse_disc_info(b, sizeof(b), &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc_status, MMC_DISC_COMPLETE);
	CU_ASSERT_EQUAL(d.last_session_state, MMC_SESSION_COMPLETE);
	CU_ASSERT_EQUAL(d.erasable, 0);
	CU_ASSERT_EQUAL(d.sessions, 1);
	CU_ASSERT_EQUAL(d.last_track_last_session, 1);
	CU_ASSERT_EQUAL(d.dac_v, 1);
	CU_ASSERT_EQUAL(d.last_possible_leadout, 2295104);
	b[2] = 0x10 | 0x01;
	b[9] = 0x01; /* sessions MSB */
	CU_ASSERT_EQUAL(mmc_parse_disc_info(b, sizeof(b), &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.erasable, 1);
	CU_ASSERT_EQUAL(d.disc_status, MMC_DISC_APPENDABLE);
	CU_ASSERT_EQUAL(d.sessions, 257);
	/* Truncated transfer, and a length field that says less than the mandatory part. */
	CU_ASSERT_EQUAL(mmc_parse_disc_info(b, 23, &d, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_parse_disc_info(b, 1, &d, &ctx), DM_ERR_SCSI);
	b[1] = 10;
	CU_ASSERT_EQUAL(mmc_parse_disc_info(b, sizeof(b), &d, &ctx), DM_ERR_SCSI);
}

static void test_track_info(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	/* tgt's blank DVD+R track: length 0x26, blank, NWA_V, NWA 0, free 2,295,104. */
	uint8_t b[48] = { 0x00, 0x26, 1, 1, 0, 0x07, 0x40, 0x01 };
	dm_put_be32(b + 16, 2295104);
	dm_put_be32(b + 20, 16);
	dm_put_be32(b + 24, 2295104);
	mmc_track_info t;
	CU_ASSERT_EQUAL(mmc_parse_track_info(b, sizeof(b), &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.track, 1);
	CU_ASSERT_EQUAL(t.session, 1);
	CU_ASSERT_EQUAL(t.track_mode, 7);
	CU_ASSERT_EQUAL(t.blank, 1);
	CU_ASSERT_EQUAL(t.nwa_v, 1);
	CU_ASSERT_EQUAL(t.lra_v, 0);
	CU_ASSERT_EQUAL(t.nwa, 0);
	CU_ASSERT_EQUAL(t.free_blocks, 2295104);
	CU_ASSERT_EQUAL(t.track_size, 2295104);
	CU_ASSERT_EQUAL(t.has_last_recorded, 1);
	/* Only up to the track size: accepted without the last recorded address. */
	b[1] = 26;
	CU_ASSERT_EQUAL(mmc_parse_track_info(b, sizeof(b), &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.has_last_recorded, 0);
	CU_ASSERT_EQUAL(t.track_size, 2295104);
	CU_ASSERT_EQUAL(mmc_parse_track_info(b, 27, &t, &ctx), DM_ERR_SCSI);
	b[1] = 0x26;
	b[32] = 0x01; /* track number MSB */
	CU_ASSERT_EQUAL(mmc_parse_track_info(b, sizeof(b), &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.track, 0x101);
	CU_ASSERT_EQUAL(mmc_parse_track_info(b, 0, &t, &ctx), DM_ERR_SCSI);
}

static void test_capacity(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[8] = { 0, 0, 0x05, 0x7b, 0, 0, 0x08, 0 };
	mmc_capacity c;
	CU_ASSERT_EQUAL(mmc_parse_capacity(b, 8, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(c.last_lba, 1403);
	CU_ASSERT_EQUAL(c.block_len, 2048);
	CU_ASSERT_EQUAL(mmc_parse_capacity(b, 7, &c, &ctx), DM_ERR_SCSI);
}

static void test_format_capacities(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[28] = { 0, 0, 0, 16 };
	dm_put_be32(b + 4, 2295104);
	b[8] = MMC_FMT_FORMATTED;
	b[10] = 0x08;
	dm_put_be32(b + 12, 2295104);
	b[16] = 0x26 << 2;
	b[18] = 0x08;
	mmc_format_capacities f;
	CU_ASSERT_EQUAL(mmc_parse_format_capacities(b, 20, &f, &ctx), DM_OK);
	CU_ASSERT_EQUAL(f.current_blocks, 2295104);
	CU_ASSERT_EQUAL(f.current_type, MMC_FMT_FORMATTED);
	CU_ASSERT_EQUAL(f.current_block_len, 2048);
	CU_ASSERT_EQUAL(f.n_formats, 1);
	CU_ASSERT_EQUAL(f.formats[0].format_type, 0x26);
	CU_ASSERT_EQUAL(f.formats[0].param, 2048);
	/* The list length claims 2 descriptors, 1 arrived. */
	b[3] = 24;
	CU_ASSERT_EQUAL(mmc_parse_format_capacities(b, 20, &f, &ctx), DM_OK);
	CU_ASSERT_EQUAL(f.n_formats, 1);
	CU_ASSERT_EQUAL(mmc_parse_format_capacities(b, 11, &f, &ctx), DM_ERR_SCSI);
	b[3] = 4;
	CU_ASSERT_EQUAL(mmc_parse_format_capacities(b, 20, &f, &ctx), DM_ERR_SCSI);
}

static void test_mode_pages(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[8 + 40 + 52];
	memset(b, 0, sizeof(b));
	/* Header, page 2Ah (40 bytes, 2 speed descriptors), page 05h. */
	dm_put_be16(b, (uint16_t)(sizeof(b) - 2));
	b[3] = 0x80;
	uint8_t *p = b + 8;
	p[0] = 0x2a;
	p[1] = 38;
	p[2] = 0x3b;
	p[3] = 0x17;
	p[4] = 0x80;
	p[6] = 0x29;
	dm_put_be16(p + 12, 4096);
	dm_put_be16(p + 18, 22160);
	dm_put_be16(p + 28, 11080);
	dm_put_be16(p + 30, 2);
	dm_put_be16(p + 34, 22160);
	dm_put_be16(p + 38, 11080);
	uint8_t *q = b + 48;
	q[0] = 0x05;
	q[1] = 50;
	q[2] = 0x40 | 0x02;
	q[3] = 0xc0 | 0x05;
	q[4] = 0x08;
	dm_put_be32(q + 10, 16);

	const uint8_t *page;
	size_t len;
	int wp;
	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, sizeof(b), 0x2a, &page, &len, &wp, &ctx), DM_OK);
	CU_ASSERT_PTR_EQUAL(page, p);
	CU_ASSERT_EQUAL(len, 40);
	CU_ASSERT_EQUAL(wp, 1);
	mmc_caps caps;
	CU_ASSERT_EQUAL(mmc_parse_caps_page(page, len, &caps, &ctx), DM_OK);
	CU_ASSERT_EQUAL(caps.read_dvdr, 1);
	CU_ASSERT_EQUAL(caps.write_cdr, 1);
	CU_ASSERT_EQUAL(caps.write_dvdr, 1);
	CU_ASSERT_EQUAL(caps.write_dvdram, 0);
	CU_ASSERT_EQUAL(caps.bufe, 1);
	CU_ASSERT_EQUAL(caps.can_eject, 1);
	CU_ASSERT_EQUAL(caps.buffer_kb, 4096);
	CU_ASSERT_EQUAL(caps.n_speeds, 2);
	CU_ASSERT_EQUAL(caps.speeds_kbs[1], 11080);
	/* A speed count larger than the page: only the descriptors inside it. */
	dm_put_be16(p + 30, 500);
	CU_ASSERT_EQUAL(mmc_parse_caps_page(page, len, &caps, &ctx), DM_OK);
	CU_ASSERT_EQUAL(caps.n_speeds, 2);
	CU_ASSERT_EQUAL(mmc_parse_caps_page(page, 7, &caps, &ctx), DM_ERR_SCSI);

	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, sizeof(b), 0x05, &page, &len, NULL, &ctx), DM_OK);
	CU_ASSERT_PTR_EQUAL(page, q);
	CU_ASSERT_EQUAL(len, 52);
	mmc_write_params w;
	CU_ASSERT_EQUAL(mmc_parse_write_params_page(page, len, &w, &ctx), DM_OK);
	CU_ASSERT_EQUAL(w.write_type, MMC_WT_SAO);
	CU_ASSERT_EQUAL(w.bufe, 1);
	CU_ASSERT_EQUAL(w.multisession, 3);
	CU_ASSERT_EQUAL(w.track_mode, 5);
	CU_ASSERT_EQUAL(w.data_block_type, 8);
	CU_ASSERT_EQUAL(w.packet_size, 16);
	/* Round trip through the page writer. */
	w.write_type = MMC_WT_TAO;
	w.multisession = 0;
	w.track_mode = 4;
	w.test_write = 1;
	uint8_t copy[52];
	memcpy(copy, q, sizeof(copy));
	copy[0] |= 0x80; /* PS, which MODE SELECT must not send */
	mmc_apply_write_params_page(copy, sizeof(copy), &w);
	CU_ASSERT_EQUAL(copy[0], 0x05);
	CU_ASSERT_EQUAL(copy[2], 0x40 | 0x10 | 0x01);
	CU_ASSERT_EQUAL(copy[3], 0x04);
	mmc_write_params w2;
	CU_ASSERT_EQUAL(mmc_parse_write_params_page(copy, sizeof(copy), &w2, &ctx), DM_OK);
	CU_ASSERT_EQUAL(w2.write_type, MMC_WT_TAO);
	CU_ASSERT_EQUAL(w2.test_write, 1);
	CU_ASSERT_EQUAL(mmc_parse_write_params_page(copy, 8, &w2, &ctx), DM_ERR_SCSI);

	/* A page missing, a page cut by the transfer, a block descriptor length past the end. */
	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, sizeof(b), 0x01, &page, &len, NULL, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, 30, 0x2a, &page, &len, NULL, &ctx), DM_OK);
	CU_ASSERT_EQUAL(len, 22);
	dm_put_be16(b + 6, 0xfff0);
	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, sizeof(b), 0x2a, &page, &len, NULL, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_parse_mode_page(b, 7, 0x2a, &page, &len, NULL, &ctx), DM_ERR_SCSI);
}

static void test_write_speeds(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[8 + 32] = { 0 };
	dm_put_be32(b, 4 + 32);
	b[8] = 0x18 | 0x02; /* WRC 3, exact */
	dm_put_be32(b + 12, 2295103);
	dm_put_be32(b + 16, 11080);
	dm_put_be32(b + 20, 5540);
	dm_put_be32(b + 36, 2770);
	mmc_write_speeds s;
	CU_ASSERT_EQUAL(mmc_parse_write_speeds(b, sizeof(b), &s, &ctx), DM_OK);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(s.desc[0].wrc, 3);
	CU_ASSERT_EQUAL(s.desc[0].exact, 1);
	CU_ASSERT_EQUAL(s.desc[0].end_lba, 2295103);
	CU_ASSERT_EQUAL(s.desc[0].write_kbs, 5540);
	CU_ASSERT_EQUAL(s.desc[1].write_kbs, 2770);
	CU_ASSERT_EQUAL(mmc_parse_write_speeds(b, 30, &s, &ctx), DM_OK);
	CU_ASSERT_EQUAL(s.n, 1);
	CU_ASSERT_EQUAL(mmc_parse_write_speeds(b, 4, &s, &ctx), DM_ERR_SCSI);
}

static void test_buffer_and_events(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t b[12] = { 0, 10, 0, 0, 0x00, 0x80, 0, 0, 0x00, 0x40, 0, 0 };
	mmc_buffer_capacity bc;
	CU_ASSERT_EQUAL(mmc_parse_buffer_capacity(b, 12, &bc, &ctx), DM_OK);
	CU_ASSERT_EQUAL(bc.length, 8u << 20);
	CU_ASSERT_EQUAL(bc.blank, 4u << 20);
	/* More blank than the buffer holds: clamped. */
	b[8] = 0xff;
	CU_ASSERT_EQUAL(mmc_parse_buffer_capacity(b, 12, &bc, &ctx), DM_OK);
	CU_ASSERT_EQUAL(bc.blank, bc.length);
	CU_ASSERT_EQUAL(mmc_parse_buffer_capacity(b, 11, &bc, &ctx), DM_ERR_SCSI);

	uint8_t e[8] = { 0, 6, 0x04, 0x10, 0x02, 0x02, 0, 0 };
	mmc_event_status ev;
	CU_ASSERT_EQUAL(mmc_parse_event_status(e, 8, &ev, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ev.nea, 0);
	CU_ASSERT_EQUAL(ev.notification_class, 4);
	CU_ASSERT_EQUAL(ev.media_event, 2);
	CU_ASSERT_EQUAL(ev.media_present, 1);
	CU_ASSERT_EQUAL(ev.door_open, 0);
	/* Header only: no media descriptor to read. */
	CU_ASSERT_EQUAL(mmc_parse_event_status(e, 4, &ev, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ev.media_event, 0);
	e[2] = 0x80;
	CU_ASSERT_EQUAL(mmc_parse_event_status(e, 8, &ev, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ev.nea, 1);
	CU_ASSERT_EQUAL(ev.media_present, 0);
	CU_ASSERT_EQUAL(mmc_parse_event_status(e, 3, &ev, &ctx), DM_ERR_SCSI);
}

/* ---- media model ----------------------------------------------------------------- */

static void test_progress_and_layers(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	unsigned p;
	/* Fixed sense 2/04/04 with SKSV and progress 0x8000 (half done). */
	uint8_t fixed[18] = { 0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x04, 0x04, 0, 0x80, 0x80,
			      0x00 };
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(fixed, 18, &p), 1);
	CU_ASSERT_EQUAL(p, 0x8000);
	fixed[15] = 0; /* SKSV clear: no progress */
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(fixed, 18, &p), 0);
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(fixed, 15, &p), 0); /* cut short */
	/* Descriptor format: a sense key specific descriptor (02h) after another one. */
	uint8_t desc[8 + 4 + 8] = { 0x72, 0x02, 0x04, 0x04, 0, 0, 0, 12,
				    0x00, 0x02, 0xaa, 0xbb,
				    0x02, 0x06, 0, 0, 0x80, 0x40, 0x00, 0 };
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(desc, sizeof(desc), &p), 1);
	CU_ASSERT_EQUAL(p, 0x4000);
	desc[7] = 200; /* a length beyond the buffer is cut to it */
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(desc, sizeof(desc), &p), 1);
	desc[9] = 0xff; /* a descriptor claiming more than there is ends the walk */
	CU_ASSERT_EQUAL(mmc_parse_sense_progress(desc, sizeof(desc), &p), 0);

	uint8_t perf[8 + 16] = { 0, 0, 0, 20, 0x02, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0x1b, 0x90, 0, 0x23, 0x05, 0x3f, 0, 0, 0x1b, 0x90 };
	uint32_t kbs;
	CU_ASSERT_EQUAL(mmc_parse_nominal_performance(perf, sizeof(perf), &kbs, &ctx), DM_OK);
	CU_ASSERT_EQUAL(kbs, 7056);
	CU_ASSERT_EQUAL(mmc_parse_nominal_performance(perf, 20, &kbs, &ctx), DM_OK);
	CU_ASSERT_EQUAL(kbs, 0); /* descriptor cut off */
	CU_ASSERT_EQUAL(mmc_parse_nominal_performance(perf, 4, &kbs, &ctx), DM_ERR_SCSI);

	uint8_t li[12] = { 0, 10, 0, 0, 0x80, 0, 0, 0, 0x00, 0x1b, 0x4b, 0x80 };
	mmc_layer_info l;
	CU_ASSERT_EQUAL(mmc_parse_layer_info(li, 12, &l, &ctx), DM_OK);
	CU_ASSERT_EQUAL(l.fixed, 1);
	CU_ASSERT_EQUAL(l.l0_blocks, 0x1b4b80);
	CU_ASSERT_EQUAL(mmc_parse_layer_info(li, 11, &l, &ctx), DM_ERR_SCSI);
	li[1] = 6; /* claims less than the capacity field */
	CU_ASSERT_EQUAL(mmc_parse_layer_info(li, 12, &l, &ctx), DM_ERR_SCSI);
}

static void test_media_erase(void)
{
	CU_ASSERT(media_erase_find(0x000a)->blank);                      /* CD-RW */
	CU_ASSERT_EQUAL(media_erase_find(0x000a)->format_quick, MEDIA_NO_FORMAT);
	CU_ASSERT(media_erase_find(0x0014)->blank);                      /* DVD-RW */
	CU_ASSERT_EQUAL(media_erase_find(0x0014)->format_quick, 0x15);
	CU_ASSERT_EQUAL(media_erase_find(0x0014)->format_full, 0x00);
	CU_ASSERT_EQUAL(media_erase_find(0x001a)->format_quick, 0x26);   /* DVD+RW */
	CU_ASSERT(media_erase_find(0x001a)->needs_format);
	CU_ASSERT_EQUAL(media_erase_find(0x0043)->format_full, 0x30);    /* BD-RE */
	CU_ASSERT_EQUAL(media_erase_find(0x0043)->subtype_full, MMC_FMT_SUB_FULL_CERT);
	CU_ASSERT_EQUAL(media_erase_find(0x0012)->format_quick, 0x00);   /* DVD-RAM */
	CU_ASSERT(!media_erase_find(0x0009)->blank);                     /* CD-R */
	CU_ASSERT_EQUAL(media_erase_find(0x0009)->format_quick, MEDIA_NO_FORMAT);
	CU_ASSERT_EQUAL(media_erase_find(0x002b)->layer_structure, 0x20); /* DVD+R DL */
	CU_ASSERT_EQUAL(media_erase_find(0x0015)->layer_structure, 0x20); /* DVD-R DL */
	CU_ASSERT_EQUAL(media_erase_find(0x001b)->layer_structure, 0);
	CU_ASSERT_EQUAL(media_erase_find(0x7777)->format_quick, MEDIA_NO_FORMAT);
}

static void test_media_model(void)
{
	char buf[32];
	const media_profile *p = media_profile_find(0x001b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "DVD+R");
	CU_ASSERT_EQUAL(p->recording, MEDIA_SEQUENTIAL);
	CU_ASSERT_EQUAL(p->ecc_blocks, 16);
	CU_ASSERT_EQUAL(p->write_feature, 0x002b);
	CU_ASSERT_EQUAL(p->reserve_track, 1);
	CU_ASSERT_EQUAL(p->close_final, MMC_CLOSE_FINALIZE);
	CU_ASSERT_EQUAL(media_profile_find(0x0010)->recording, MEDIA_READ_ONLY);
	CU_ASSERT_EQUAL(media_profile_find(0x0043)->recording, MEDIA_RANDOM);
	CU_ASSERT_EQUAL(media_profile_find(0x0043)->ecc_blocks, 32);
	CU_ASSERT_EQUAL(media_profile_find(0x000a)->erasable, 1);
	CU_ASSERT_EQUAL(media_profile_find(0x0009)->mode_page05, 1);
	CU_ASSERT_PTR_NULL(media_profile_find(0x1234));
	CU_ASSERT_STRING_EQUAL(media_profile_name(0x1234, buf, sizeof(buf)), "profile 0x1234");
	CU_ASSERT_STRING_EQUAL(media_profile_name(0, buf, sizeof(buf)), "no disc");
	CU_ASSERT_STRING_EQUAL(media_feature_name(0x002b), "DVD+R");
	CU_ASSERT_PTR_NULL(media_feature_name(0x7777));
	CU_ASSERT_STRING_EQUAL(media_disc_status_name(MMC_DISC_APPENDABLE), "appendable");
	CU_ASSERT_STRING_EQUAL(media_disc_status_name(9), "other");
	/* Every writable profile names a write feature and a 1x speed. */
	for (const media_profile *m = media_profiles(); m->name; m++) {
		if (m->recording != MEDIA_READ_ONLY)
			CU_ASSERT(m->write_feature != 0);
		CU_ASSERT(m->kbs_1x != 0);
		CU_ASSERT(m->ecc_blocks == 1 || m->ecc_blocks == 16 || m->ecc_blocks == 32);
	}
}

static CU_TestInfo builder_tests[] = {
	{ "every CDB builder, byte by byte", test_builders },
	{ "BLANK, FORMAT UNIT, cue sheet, disc structure", test_builders_erase },
	{ "SET STREAMING descriptor", test_streaming_desc },
	{ "opcode names", test_opcode_names },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo parser_tests[] = {
	{ "INQUIRY", test_inquiry },
	{ "GET CONFIGURATION", test_configuration },
	{ "READ DISC INFORMATION", test_disc_info },
	{ "READ TRACK INFORMATION", test_track_info },
	{ "READ CAPACITY", test_capacity },
	{ "READ FORMAT CAPACITIES", test_format_capacities },
	{ "MODE SENSE pages 2A and 05", test_mode_pages },
	{ "GET PERFORMANCE write speeds", test_write_speeds },
	{ "READ BUFFER CAPACITY, GET EVENT STATUS", test_buffer_and_events },
	{ "progress sense, nominal performance, layer boundary", test_progress_and_layers },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo model_tests[] = {
	{ "profile and feature tables", test_media_model },
	{ "blank, format and layer table", test_media_erase },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "mmc_cdb", NULL, NULL, NULL, NULL, builder_tests },
	{ "mmc_parse", NULL, NULL, NULL, NULL, parser_tests },
	{ "media_model", NULL, NULL, NULL, NULL, model_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
