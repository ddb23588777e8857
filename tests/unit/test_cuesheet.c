/* cd_cuesheet: the SEND CUE SHEET bytes for hand-built layouts, entry by entry (values
 * worked out from MMC-6 6.33's tables, not from the code), page 05h parameters per track;
 * cd_msf: MSF/LBA both ways, times, ISRC/MCN forms, the CRC-16. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writeimg/cd_cuesheet.h"
#include "writeimg/cd_layout.h"
#include "writeimg/cd_msf.h"
#include "writeimg/cd_subq.h"
#include "writeimg/cd_toc.h"

static void add_track(cd_layout *l, cd_mode mode, int32_t index0, int32_t index1,
		      uint32_t length)
{
	cd_track *t = &l->tracks[l->ntracks++];
	t->number = l->ntracks;
	t->mode = mode;
	t->index[0] = index0;
	t->index[1] = index1;
	t->nindex = 1;
	t->pregap = (uint32_t)(index1 - index0);
	t->length = length;
}

static void add_extent(cd_layout *l, int32_t lba, uint32_t sectors, int file, unsigned track,
		       int drive_generates)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	cd_extent e = { .lba = lba, .sectors = sectors, .file = file, .track = track,
			.bytes = file >= 0 ? (uint64_t)sectors * 2352 : 0,
			.drive_generates = drive_generates };
	CU_ASSERT_EQUAL(cd_layout_add_extent(l, &e, &ctx), DM_OK);
}

static void check_sheet(const cd_layout *l, cd_subchannel sub, int cdtext, const uint8_t *want,
			size_t want_len)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t *got;
	size_t len;
	CU_ASSERT_EQUAL_FATAL(cd_cuesheet_build(l, sub, cdtext, &got, &len, &ctx), DM_OK);
	CU_ASSERT_EQUAL(len, want_len);
	for (size_t e = 0; e < len / 8 && e < want_len / 8; e++)
		if (memcmp(got + e * 8, want + e * 8, 8) != 0) {
			fprintf(stderr, "\nentry %zu: got", e);
			for (int i = 0; i < 8; i++)
				fprintf(stderr, " %02x", got[e * 8 + (size_t)i]);
			fprintf(stderr, ", want");
			for (int i = 0; i < 8; i++)
				fprintf(stderr, " %02x", want[e * 8 + (size_t)i]);
			CU_FAIL("cue sheet entry differs");
		}
	free(got);
}

/* Two audio tracks, 2-second gaps made by the drive; MCN, ISRC, flags, SCMS, CD-TEXT. */
static void test_audio_disc(void)
{
	cd_layout *l = cd_layout_new();
	memcpy(l->mcn, "0123456789012", 14);
	add_track(l, CD_MODE_AUDIO, -150, 0, 1000);
	l->tracks[0].flags = CD_FLAG_DCP | CD_FLAG_PRE;
	add_track(l, CD_MODE_AUDIO, 1000, 1150, 1000);
	memcpy(l->tracks[1].isrc, "GBAYE6800011", 13);
	l->tracks[1].scms = 1;
	add_extent(l, -150, 150, -1, 0, 1);
	add_extent(l, 0, 1000, 0, 0, 0);
	add_extent(l, 1000, 150, -1, 1, 1);
	add_extent(l, 1150, 1000, 1, 1, 0);
	l->leadout = 2150;
	static const uint8_t want[] = {
		0x02, '0', '1', '2', '3', '4', '5', '6',  /* MCN, ADR 2, first 7 digits */
		0x02, '7', '8', '9', '0', '1', '2', 0x00, /* ... the other 6 */
		0x01, 0x00, 0x00, 0x41, 0x00, 0, 0, 0,   /* lead-in: CD-DA generated + R-W (CD-TEXT) */
		0x31, 0x01, 0x00, 0x01, 0x00, 0, 0, 0,   /* track 1 pregap: DCP|PRE, generated */
		0x31, 0x01, 0x01, 0x00, 0x00, 0, 2, 0,   /* track 1 index 1 at 00:02:00 */
		0x03, 0x02, 'G', 'B', 'A', 'Y', 'E', '6', /* ISRC of track 2, ADR 3 */
		0x03, 0x02, '8', '0', '0', '0', '1', '1',
		0x01, 0x02, 0x00, 0x01, 0x80, 0, 15, 25, /* track 2 pregap, LBA 1000 = 00:15:25, SCMS */
		0x01, 0x02, 0x01, 0x00, 0x80, 0, 17, 25, /* track 2 index 1, LBA 1150 */
		0x01, 0xaa, 0x01, 0x01, 0x00, 0, 30, 50, /* lead-out, LBA 2150 = 00:30:50 */
	};
	check_sheet(l, CD_SUBCH_NONE, 1, want, sizeof(want));
	/* Without CD-TEXT only the lead-in's form changes. */
	uint8_t plain[sizeof(want)];
	memcpy(plain, want, sizeof(want));
	plain[2 * 8 + 3] = 0x01;
	check_sheet(l, CD_SUBCH_NONE, 0, plain, sizeof(plain));
	cd_layout_free(l);
}

/* A raw Mode 1 track then audio whose pregap comes from the file, raw P-W sub-channel,
 * a third index. */
static void test_mixed_disc(void)
{
	cd_layout *l = cd_layout_new();
	add_track(l, CD_MODE1_2352, -150, 0, 750);
	add_track(l, CD_MODE_AUDIO, 750, 900, 600);
	l->tracks[1].index[2] = 1125;
	l->tracks[1].nindex = 2;
	add_extent(l, -150, 150, -1, 0, 1);
	add_extent(l, 0, 750, 0, 0, 0);
	add_extent(l, 750, 750, 0, 1, 0);
	l->leadout = 1500;
	static const uint8_t want[] = {
		0x41, 0x00, 0x00, 0x14, 0x00, 0, 0, 0,  /* lead-in: data, Mode 1 generated */
		0x41, 0x01, 0x00, 0x14, 0x00, 0, 0, 0,  /* track 1 pregap: generated, no sub-channel */
		0x41, 0x01, 0x01, 0xd1, 0x00, 0, 2, 0,  /* index 1: Mode 1 raw 11h + raw P-W C0h */
		0x01, 0x02, 0x00, 0xc0, 0x00, 0, 12, 0, /* track 2 pregap from the file: sent */
		0x01, 0x02, 0x01, 0xc0, 0x00, 0, 14, 0,
		0x01, 0x02, 0x02, 0xc0, 0x00, 0, 17, 0,
		0x01, 0xaa, 0x01, 0x01, 0x00, 0, 22, 0, /* lead-out after audio: CD-DA generated */
	};
	check_sheet(l, CD_SUBCH_PW_RAW, 0, want, sizeof(want));
	cd_layout_free(l);
}

/* Mode 2 (XA) raw and Mode 1 2048, with a POSTGAP-like generated tail that must not make
 * the next pregap "generated". */
static void test_data_disc(void)
{
	cd_layout *l = cd_layout_new();
	add_track(l, CD_MODE2_2352, -150, 0, 1000);
	add_track(l, CD_MODE1_2048, 1000, 1150, 500);
	l->tracks[1].flags = CD_FLAG_DCP;
	add_extent(l, -150, 150, -1, 0, 1);
	add_extent(l, 0, 1000, 0, 0, 0);
	add_extent(l, 1000, 150, -1, 1, 0); /* zero data the host sends */
	add_extent(l, 1150, 500, 1, 1, 0);
	l->leadout = 1650;
	static const uint8_t want[] = {
		0x41, 0x00, 0x00, 0x24, 0x00, 0, 0, 0,  /* lead-in: XA generated */
		0x41, 0x01, 0x00, 0x24, 0x00, 0, 0, 0,
		0x41, 0x01, 0x01, 0x21, 0x00, 0, 2, 0,  /* XA raw 2352 */
		0x61, 0x02, 0x00, 0x10, 0x00, 0, 15, 25, /* data + DCP; sent: 2048-byte form */
		0x61, 0x02, 0x01, 0x10, 0x00, 0, 17, 25,
		0x41, 0xaa, 0x01, 0x14, 0x00, 0, 24, 0,  /* lead-out after Mode 1 */
	};
	check_sheet(l, CD_SUBCH_NONE, 0, want, sizeof(want));
	/* Page 05h: Mode 2 anywhere makes the session CD-ROM XA. */
	cd_write_params wp;
	cd_write_params_for(l, 0, CD_SUBCH_NONE, &wp);
	CU_ASSERT_EQUAL(wp.write_type, 0x02);
	CU_ASSERT_EQUAL(wp.track_mode, 0x04);
	CU_ASSERT_EQUAL(wp.data_block_type, 0);
	CU_ASSERT_EQUAL(wp.block_size, 2352);
	CU_ASSERT_EQUAL(wp.session_format, 0x20);
	cd_write_params_for(l, 1, CD_SUBCH_PW_RAW, &wp);
	CU_ASSERT_EQUAL(wp.track_mode, 0x06);
	CU_ASSERT_EQUAL(wp.data_block_type, 8);
	CU_ASSERT_EQUAL(wp.block_size, 2048);
	cd_layout_free(l);
}

static void test_write_params(void)
{
	static const struct {
		cd_mode mode;
		uint8_t flags;
		cd_subchannel sub;
		uint8_t track_mode, dbt;
		uint16_t size;
	} cases[] = {
		{ CD_MODE_AUDIO, 0, CD_SUBCH_NONE, 0x0, 0, 2352 },
		{ CD_MODE_AUDIO, CD_FLAG_PRE | CD_FLAG_4CH, CD_SUBCH_RW_PACKED, 0x9, 2, 2448 },
		{ CD_MODE_AUDIO, CD_FLAG_DCP, CD_SUBCH_PW_RAW, 0x2, 3, 2448 },
		{ CD_MODE1_2048, 0, CD_SUBCH_NONE, 0x4, 8, 2048 },
		{ CD_MODE1_2352, 0, CD_SUBCH_NONE, 0x4, 0, 2352 },
		{ CD_MODE1_2352, 0, CD_SUBCH_PW_RAW, 0x4, 3, 2448 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cd_layout *l = cd_layout_new();
		add_track(l, cases[i].mode, -150, 0, 300);
		l->tracks[0].flags = cases[i].flags;
		cd_write_params wp;
		cd_write_params_for(l, 0, cases[i].sub, &wp);
		CU_ASSERT_EQUAL(wp.write_type, CD_WRITE_TYPE_SAO);
		CU_ASSERT_EQUAL(wp.track_mode, cases[i].track_mode);
		CU_ASSERT_EQUAL(wp.data_block_type, cases[i].dbt);
		CU_ASSERT_EQUAL(wp.block_size, cases[i].size);
		CU_ASSERT_EQUAL(wp.session_format, 0x00);
		cd_write_params_tao(l, 0, &wp);
		CU_ASSERT_EQUAL(wp.write_type, CD_WRITE_TYPE_TAO);
		CU_ASSERT_EQUAL(wp.track_mode, cases[i].track_mode);
		CU_ASSERT_EQUAL(wp.block_size, cases[i].mode == CD_MODE1_2048 ? 2048 : 2352);
		cd_layout_free(l);
	}
}

static void test_msf(void)
{
	static const struct {
		unsigned m, s, f;
		int32_t lba;
	} cases[] = {
		{ 0, 0, 0, -150 }, { 0, 2, 0, 0 }, { 0, 2, 1, 1 }, { 1, 0, 0, 4350 },
		{ 79, 59, 74, 359849 }, { 89, 59, 74, 404849 },
		{ 90, 0, 0, -45150 }, { 99, 59, 74, -151 }, { 97, 26, 66, -11634 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(cd_msf_to_lba(cases[i].m, cases[i].s, cases[i].f), cases[i].lba);
		uint8_t m, s, f;
		cd_lba_to_msf(cases[i].lba, &m, &s, &f);
		CU_ASSERT_EQUAL(m, cases[i].m);
		CU_ASSERT_EQUAL(s, cases[i].s);
		CU_ASSERT_EQUAL(f, cases[i].f);
	}
	uint32_t fr;
	CU_ASSERT_EQUAL(cd_msf_parse("00:00:00", &fr), 0);
	CU_ASSERT_EQUAL(fr, 0);
	CU_ASSERT_EQUAL(cd_msf_parse("74:59:74", &fr), 0);
	CU_ASSERT_EQUAL(fr, 74u * 4500 + 59 * 75 + 74);
	CU_ASSERT_EQUAL(cd_msf_parse("1:02:03", &fr), 0);
	CU_ASSERT_EQUAL(fr, 4500u + 150 + 3);
	CU_ASSERT_EQUAL(cd_msf_parse("100:00:00", &fr), 0);
	static const char *const bad[] = { "", "00:00", "00:60:00", "00:00:75", "0000:00:00",
					   "00:0:00", "00:00:00 ", "aa:bb:cc", "-1:00:00", "00:00:0x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(cd_msf_parse(bad[i], &fr), -1);
	char out[16];
	cd_msf_format(4500 + 150 + 3, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "01:02:03");
	CU_ASSERT_EQUAL(cd_bcd(59), 0x59);
	CU_ASSERT_EQUAL(cd_unbcd(0x74), 74);
}

static void test_codes(void)
{
	CU_ASSERT_TRUE(cd_isrc_valid("GBAYE6800011"));
	CU_ASSERT_TRUE(cd_isrc_valid("USRC17607839"));
	CU_ASSERT_TRUE(cd_isrc_valid("DE1230012345"));
	CU_ASSERT_FALSE(cd_isrc_valid("gbaye6800011"));
	CU_ASSERT_FALSE(cd_isrc_valid("GB-AYE-68-00011"));
	CU_ASSERT_FALSE(cd_isrc_valid("GBAYE680001"));
	CU_ASSERT_FALSE(cd_isrc_valid("GBAYE68000111"));
	CU_ASSERT_FALSE(cd_isrc_valid("1BAYE6800011"));
	CU_ASSERT_FALSE(cd_isrc_valid("GBAYEX800011"));
	CU_ASSERT_TRUE(cd_mcn_valid("0123456789012"));
	CU_ASSERT_FALSE(cd_mcn_valid("012345678901"));
	CU_ASSERT_FALSE(cd_mcn_valid("01234567890123"));
	CU_ASSERT_FALSE(cd_mcn_valid("012345678901A"));
	/* CRC-16/XMODEM of "123456789" is 31C3h (the catalogue's check value); ours is
	 * its complement. */
	CU_ASSERT_EQUAL(cd_crc16((const uint8_t *)"123456789", 9), 0xCE3C);
	CU_ASSERT_EQUAL(cd_crc16(NULL, 0), 0xFFFF);
}

/* Q frames, CRCs from a separate implementation; the first one is what a real data disc
 * carries at LBA 0 (as CloneCD .SUB dumps show it: 41 01 01 00 00 00 00 00 02 00 28 32). */
static void check_q(const uint8_t *got, const uint8_t *want)
{
	if (memcmp(got, want, CD_SUBQ_SIZE) != 0) {
		fprintf(stderr, "\nQ got");
		for (int i = 0; i < CD_SUBQ_SIZE; i++)
			fprintf(stderr, " %02x", got[i]);
	}
	CU_ASSERT_EQUAL(memcmp(got, want, CD_SUBQ_SIZE), 0);
	CU_ASSERT_TRUE(cd_subq_crc_ok(got));
}

static void test_subq_frames(void)
{
	uint8_t q[CD_SUBQ_SIZE];
	cd_subq_position(4, 1, 1, 0, 0, q);
	check_q(q, (const uint8_t[]){ 0x41, 0x01, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0x00, 0x28, 0x32 });
	cd_subq_position(0, 1, 1, 0, 0, q);
	check_q(q, (const uint8_t[]){ 0x01, 0x01, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0x00, 0x5a, 0x28 });
	/* The pregap counts down: 150 sectors before index 1 is 00:02:00. */
	cd_subq_position(0, 2, 0, -150, 1000, q);
	check_q(q, (const uint8_t[]){ 0x01, 0x02, 0x00, 0x00, 0x02, 0x00, 0, 0x00, 0x15, 0x25, 0x55, 0xdc });
	cd_subq_position(4, 3, 1, 1000, 10000, q);
	check_q(q, (const uint8_t[]){ 0x41, 0x03, 0x01, 0x00, 0x13, 0x25, 0, 0x02, 0x15, 0x25, 0x91, 0x91 });
	cd_subq_mcn(0, "0123456789012", 0, q);
	check_q(q, (const uint8_t[]){ 0x02, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x20, 0x00, 0x00, 0x30, 0x87 });
	cd_subq_isrc(0, "GBAYE6800011", 1210, q);
	check_q(q, (const uint8_t[]){ 0x03, 0x5d, 0x24, 0x69, 0x54, 0x68, 0x00, 0x01, 0x10, 0x10, 0xbb, 0x41 });
	q[4] ^= 1;
	CU_ASSERT_FALSE(cd_subq_crc_ok(q));
}

static void test_subq_disc(void)
{
	cd_layout *l = cd_layout_new();
	memcpy(l->mcn, "0123456789012", 14);
	add_track(l, CD_MODE_AUDIO, -150, 0, 1000);
	add_track(l, CD_MODE1_2048, 1000, 1150, 1000);
	memcpy(l->tracks[0].isrc, "GBAYE6800011", 13);
	l->leadout = 2150;
	uint8_t q[CD_SUBQ_SIZE];
	int p;
	cd_subq_for_lba(l, -150, q, &p); /* track 1 pregap: index 0, P set, 00:02:00 to go */
	CU_ASSERT_EQUAL(p, 1);
	CU_ASSERT_EQUAL(memcmp(q, (const uint8_t[]){ 0x01, 0x01, 0x00, 0x00, 0x02, 0x00, 0, 0, 0, 0 }, 10), 0);
	cd_subq_for_lba(l, -140, q, &p); /* (LBA + 150) % 100 == 10: the MCN */
	CU_ASSERT_EQUAL(q[0], 0x02);
	cd_subq_for_lba(l, -90, q, &p); /* slot 60, but in the pregap: no ISRC there */
	CU_ASSERT_EQUAL(q[0], 0x01);
	cd_subq_for_lba(l, 10, q, &p); /* slot 60 in track 1: its ISRC */
	CU_ASSERT_EQUAL(q[0], 0x03);
	CU_ASSERT_EQUAL(p, 0);
	cd_subq_for_lba(l, 999, q, &p);
	CU_ASSERT_EQUAL(memcmp(q, (const uint8_t[]){ 0x01, 0x01, 0x01, 0x00, 0x13, 0x24, 0, 0x00, 0x15, 0x24 }, 10), 0);
	cd_subq_for_lba(l, 1000, q, &p); /* track 2's pregap: data control, index 0 */
	CU_ASSERT_EQUAL(memcmp(q, (const uint8_t[]){ 0x41, 0x02, 0x00, 0x00, 0x02, 0x00, 0, 0x00, 0x15, 0x25 }, 10), 0);
	CU_ASSERT_EQUAL(p, 1);
	cd_subq_for_lba(l, 1160, q, &p); /* slot 10: the MCN, with the data control */
	CU_ASSERT_EQUAL(q[0], 0x42);
	cd_subq_for_lba(l, 1210, q, &p); /* slot 60, track 2 has no ISRC */
	CU_ASSERT_EQUAL(memcmp(q, (const uint8_t[]){ 0x41, 0x02, 0x01, 0x00, 0x00, 0x60, 0, 0x00, 0x18, 0x10 }, 10), 0);
	CU_ASSERT_TRUE(cd_subq_crc_ok(q));
	/* Raw P-W and back. */
	uint8_t pw[CD_SUBCH_RAW_SIZE], back[CD_SUBQ_SIZE];
	cd_subq_to_pw(q, 1, pw);
	CU_ASSERT_EQUAL(pw[0], 0x80); /* P set, Q's first bit (0 of 41h) clear */
	CU_ASSERT_EQUAL(pw[1], 0xc0); /* Q's second bit (1 of 41h) */
	CU_ASSERT_EQUAL(cd_subq_from_pw(pw, back), 1);
	CU_ASSERT_EQUAL(memcmp(back, q, CD_SUBQ_SIZE), 0);
	cd_subq_to_pw(q, 0, pw);
	CU_ASSERT_EQUAL(cd_subq_from_pw(pw, back), 0);
	cd_layout_free(l);
}

static void test_fits(void)
{
	cd_layout *l = cd_layout_new();
	add_track(l, CD_MODE_AUDIO, -150, 0, 2000);
	l->leadout = 2000;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(cd_layout_check_fits(l, 2000, &ctx), DM_OK);
	CU_ASSERT_EQUAL(cd_layout_check_fits(l, 1999, &ctx), DM_ERR_NOSPACE);
	CU_ASSERT_STRING_EQUAL(ctx.msg, "the tracks with their pregaps need 2150 sectors (00:28:50); "
			       "the medium holds 2149 (00:28:49)");
	cd_layout_free(l);
}

/* READ TOC formats 0, 1, 2, 5 for an audio track (DCP) then a Mode 2 track. */
static void test_toc(void)
{
	cd_layout *l = cd_layout_new();
	add_track(l, CD_MODE_AUDIO, -150, 0, 1000);
	l->tracks[0].flags = CD_FLAG_DCP;
	add_track(l, CD_MODE2_2352, 1000, 1150, 1000);
	l->leadout = 2150;
	uint8_t out[512];
	static const uint8_t f0_lba[] = {
		0x00, 0x1a, 1, 2,
		0, 0x12, 1, 0, 0x00, 0x00, 0x00, 0x00,   /* ADR 1, CONTROL 2 (copy permitted) */
		0, 0x14, 2, 0, 0x00, 0x00, 0x04, 0x7e,   /* data, LBA 1150 */
		0, 0x14, 0xaa, 0, 0x00, 0x00, 0x08, 0x66, /* lead-out, LBA 2150 */
	};
	CU_ASSERT_EQUAL(cd_toc_format0(l, 0, 0, out, sizeof(out)), sizeof(f0_lba));
	CU_ASSERT_EQUAL(memcmp(out, f0_lba, sizeof(f0_lba)), 0);
	static const uint8_t f0_msf_from2[] = {
		0x00, 0x12, 1, 2,
		0, 0x14, 2, 0, 0, 0, 17, 25,             /* LBA 1150 = 00:17:25 */
		0, 0x14, 0xaa, 0, 0, 0, 30, 50,
	};
	CU_ASSERT_EQUAL(cd_toc_format0(l, 1, 2, out, sizeof(out)), sizeof(f0_msf_from2));
	CU_ASSERT_EQUAL(memcmp(out, f0_msf_from2, sizeof(f0_msf_from2)), 0);
	CU_ASSERT_EQUAL(cd_toc_format0(l, 0, 0xaa, out, sizeof(out)), 12);
	CU_ASSERT_EQUAL(out[6], 0xaa);
	CU_ASSERT_EQUAL(cd_toc_format0(l, 0, 3, out, sizeof(out)), 0);
	/* A short allocation length: the beginning, and the full length said. */
	memset(out, 0xee, sizeof(out));
	CU_ASSERT_EQUAL(cd_toc_format0(l, 0, 0, out, 6), sizeof(f0_lba));
	CU_ASSERT_EQUAL(memcmp(out, f0_lba, 6), 0);
	CU_ASSERT_EQUAL(out[6], 0xee);
	static const uint8_t f1[] = { 0x00, 0x0a, 1, 1, 0, 0x12, 1, 0, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL(cd_toc_format1(l, 0, out, sizeof(out)), sizeof(f1));
	CU_ASSERT_EQUAL(memcmp(out, f1, sizeof(f1)), 0);
	static const uint8_t f2[] = {
		0x00, 0x39, 1, 1,
		1, 0x12, 0, 0xa0, 0, 0, 0, 0, 1, 0x20, 0, /* first track 1, CD-ROM XA */
		1, 0x14, 0, 0xa1, 0, 0, 0, 0, 2, 0, 0,    /* last track 2 */
		1, 0x14, 0, 0xa2, 0, 0, 0, 0, 0, 30, 50,  /* lead-out 00:30:50 */
		1, 0x12, 0, 0x01, 0, 0, 0, 0, 0, 2, 0,
		1, 0x14, 0, 0x02, 0, 0, 0, 0, 0, 17, 25,
	};
	CU_ASSERT_EQUAL(cd_toc_format2(l, out, sizeof(out)), sizeof(f2));
	CU_ASSERT_EQUAL(memcmp(out, f2, sizeof(f2)), 0);
	uint8_t packs[2 * 18];
	for (int i = 0; i < 36; i++)
		packs[i] = (uint8_t)i;
	CU_ASSERT_EQUAL(cd_toc_format5(packs, 2, out, sizeof(out)), 40);
	CU_ASSERT_EQUAL(memcmp(out, (const uint8_t[]){ 0x00, 0x26, 0, 0 }, 4), 0);
	CU_ASSERT_EQUAL(memcmp(out + 4, packs, 36), 0);
	CU_ASSERT_EQUAL(cd_toc_format5(NULL, 0, out, sizeof(out)), 4);
	CU_ASSERT_EQUAL(out[1], 2);
	cd_layout_free(l);
}

static CU_TestInfo subq_tests[] = {
	{ "Q frames: position, MCN, ISRC", test_subq_frames },
	{ "Q of a disc's sectors, raw P-W", test_subq_disc },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo sheet_tests[] = {
	{ "audio disc: MCN, ISRC, flags, SCMS, CD-TEXT lead-in", test_audio_disc },
	{ "raw Mode 1 + audio with raw P-W, pregap from the file", test_mixed_disc },
	{ "Mode 2 XA + Mode 1 2048, sent zero pregap", test_data_disc },
	{ "page 05h per mode and sub-channel", test_write_params },
	{ "a layout against the medium's room", test_fits },
	{ "READ TOC formats 0, 1, 2, 5", test_toc },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo msf_tests[] = {
	{ "MSF <-> LBA, times, BCD", test_msf },
	{ "ISRC, MCN, CRC-16", test_codes },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "cd_cuesheet", NULL, NULL, NULL, NULL, sheet_tests },
	{ "cd_msf", NULL, NULL, NULL, NULL, msf_tests },
	{ "cd_subq", NULL, NULL, NULL, NULL, subq_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
