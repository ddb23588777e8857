/* The drive side of audio CD and cue/bin writing (issue 15), without a drive: the READ CD
 * and READ TOC CDBs and the TOC parser (common/drive/mmc_cd.c), page 05h per track and the
 * lead-in's CD-TEXT blocks and the pre-flight refusals (writeimg/wi_audio.c), the Q
 * position a reader trusts (writeimg/wi_cdread.c), and the audio options
 * (writeimg/wi_options.c). Expected bytes worked out from MMC-6's tables. */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/mmc_cd.h"
#include "writeimg/cd_subq.h"
#include "writeimg/cd_text.h"
#include "writeimg/wi_audio.h"
#include "writeimg/wi_cdread.h"
#include "writeimg/wi_options.h"

static void test_cdbs(void)
{
	uint8_t cdb[16];
	static const uint8_t read_cd[] = { 0xbe, 0x04, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x18,
					   0x10, 0x02, 0x00 };
	CU_ASSERT_EQUAL(mmc_cdb_read_cd(cdb, 1000, 24, MMC_RCD_CDDA, MMC_RCD_SUB_Q), 12);
	CU_ASSERT_EQUAL(memcmp(cdb, read_cd, sizeof(read_cd)), 0);
	/* A pregap address: two's complement; any sector type; raw P-W. */
	static const uint8_t read_cd_neg[] = { 0xbe, 0x00, 0xff, 0xff, 0xff, 0x6a, 0x01, 0x00,
					       0x00, 0x10, 0x01, 0x00 };
	CU_ASSERT_EQUAL(mmc_cdb_read_cd(cdb, -150, 65536, MMC_RCD_ANY, MMC_RCD_SUB_RAW), 12);
	CU_ASSERT_EQUAL(memcmp(cdb, read_cd_neg, sizeof(read_cd_neg)), 0);
	static const uint8_t toc[] = { 0x43, 0x00, 0x00, 0, 0, 0, 0x00, 0x03, 0x2c, 0x00 };
	CU_ASSERT_EQUAL(mmc_cdb_read_toc(cdb, 0, 0, 0, 812), 10);
	CU_ASSERT_EQUAL(memcmp(cdb, toc, sizeof(toc)), 0);
	static const uint8_t toc5[] = { 0x43, 0x02, 0x05, 0, 0, 0, 0x02, 0x00, 0x04, 0x00 };
	CU_ASSERT_EQUAL(mmc_cdb_read_toc(cdb, 5, 1, 2, 4), 10);
	CU_ASSERT_EQUAL(memcmp(cdb, toc5, sizeof(toc5)), 0);
}

static void test_toc0(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mmc_toc t;
	/* Two audio tracks (one with copy permitted) and a data track; lead-out at 30000. */
	static const uint8_t ans[] = {
		0x00, 0x22, 1, 3,
		0, 0x10, 1, 0, 0x00, 0x00, 0x00, 0x00,
		0, 0x12, 2, 0, 0x00, 0x00, 0x07, 0xd0,
		0, 0x14, 3, 0, 0x00, 0x00, 0x2e, 0xe0,
		0, 0x14, 0xaa, 0, 0x00, 0x00, 0x75, 0x30,
	};
	CU_ASSERT_EQUAL_FATAL(mmc_parse_toc0(ans, sizeof(ans), &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.first, 1);
	CU_ASSERT_EQUAL(t.last, 3);
	CU_ASSERT_EQUAL(t.n, 3);
	CU_ASSERT_EQUAL(t.tracks[1].number, 2);
	CU_ASSERT_EQUAL(t.tracks[1].control, 2);
	CU_ASSERT_EQUAL(t.tracks[1].adr, 1);
	CU_ASSERT_EQUAL(t.tracks[1].lba, 2000);
	CU_ASSERT_EQUAL(t.tracks[2].control, 4);
	CU_ASSERT_EQUAL(t.leadout, 30000);
	/* The length field cuts the answer: the lead-out is not reached. */
	uint8_t cut[sizeof(ans)];
	memcpy(cut, ans, sizeof(ans));
	cut[1] = 0x1a;
	CU_ASSERT_EQUAL_FATAL(mmc_parse_toc0(cut, sizeof(cut), &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.n, 3);
	CU_ASSERT_EQUAL(t.leadout, -1);
	/* Fewer bytes than the length field says: what arrived. */
	CU_ASSERT_EQUAL_FATAL(mmc_parse_toc0(ans, 4 + 8, &t, &ctx), DM_OK);
	CU_ASSERT_EQUAL(t.n, 1);
	/* Out of order, track 0, no header: refused. */
	memcpy(cut, ans, sizeof(ans));
	cut[4 + 8 + 6] = cut[4 + 8 + 7] = 0x00; /* track 2 at LBA 0, not after track 1 */
	CU_ASSERT_EQUAL(mmc_parse_toc0(cut, sizeof(cut), &t, &ctx), DM_ERR_SCSI);
	memcpy(cut, ans, sizeof(ans));
	cut[4 + 2] = 0;
	CU_ASSERT_EQUAL(mmc_parse_toc0(cut, sizeof(cut), &t, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_parse_toc0(ans, 3, &t, &ctx), DM_ERR_SCSI);
}

/* READ SUB-CHANNEL and READ TOC format 5 answers: codes only when valid and printable,
 * CD-TEXT packs only as many as the length field and the bytes hold. */
static void test_code_answers(void)
{
	uint8_t a[24] = { 0, 0, 0, 20, 0x02 };
	char code[14];
	memcpy(a + 9, "1234567890123", 13);
	mmc_parse_subchannel_code(a, sizeof(a), 2, code);
	CU_ASSERT_STRING_EQUAL(code, ""); /* MCVAL clear */
	a[8] = 0x80;
	mmc_parse_subchannel_code(a, sizeof(a), 2, code);
	CU_ASSERT_STRING_EQUAL(code, "1234567890123");
	mmc_parse_subchannel_code(a, sizeof(a), 3, code);
	CU_ASSERT_STRING_EQUAL(code, "123456789012"); /* an ISRC has 12 */
	a[9 + 4] = 0x07;
	mmc_parse_subchannel_code(a, sizeof(a), 2, code);
	CU_ASSERT_STRING_EQUAL(code, "1234");
	mmc_parse_subchannel_code(a, 21, 2, code); /* short: 9 + 13 bytes needed */
	CU_ASSERT_STRING_EQUAL(code, "");

	uint8_t t[4 + 3 * 18];
	memset(t, 0xaa, sizeof(t));
	t[0] = 0;
	t[1] = 2 + 2 * 18; /* two packs said, three sent */
	t[4] = 0x80;
	t[4 + 18] = 0x81;
	CU_ASSERT_EQUAL(mmc_parse_cdtext(t, sizeof(t)), 2);
	CU_ASSERT_EQUAL(t[0], 0x80);
	CU_ASSERT_EQUAL(t[18], 0x81);
	t[0] = 0;
	t[1] = 2 + 3 * 18;
	CU_ASSERT_EQUAL(mmc_parse_cdtext(t, 4 + 18 + 5), 1); /* what arrived */
	t[0] = t[1] = 0; /* under the header's own 2 bytes (a fuzzer's input overran here) */
	CU_ASSERT_EQUAL(mmc_parse_cdtext(t, sizeof(t)), 0);
	CU_ASSERT_EQUAL(mmc_parse_cdtext(t, 3), 0);
}

/* A page 05h as a drive gives it: TAO, Mode 1 data, 52 bytes with MCN and ISRC fields. */
static void drive_page(uint8_t *p)
{
	memset(p, 0, 52);
	p[0] = 0x05;
	p[1] = 0x32;
	p[2] = 0x01;
	p[3] = 0x04;
	p[4] = 0x08;
	p[8] = 0x00;
	p[33] = 'X';
}

static cd_layout *two_tracks(void)
{
	cd_layout *l = cd_layout_new();
	for (unsigned i = 0; i < 2; i++) {
		cd_track *t = &l->tracks[l->ntracks++];
		t->number = i + 1;
		t->mode = i ? CD_MODE1_2048 : CD_MODE_AUDIO;
		t->index[0] = i ? 1000 : -150;
		t->index[1] = i ? 1150 : 0;
		t->nindex = 1;
		t->pregap = 150;
		t->length = 1000;
	}
	l->tracks[0].flags = CD_FLAG_DCP;
	memcpy(l->tracks[0].isrc, "USRC17607839", 13);
	memcpy(l->mcn, "0123456789012", 14);
	l->leadout = 2150;
	return l;
}

static void test_page05(void)
{
	cd_layout *l = two_tracks();
	uint8_t p[52];
	/* TAO, audio track 1: write type 1, BUFE, audio with copy permitted, raw 2352 blocks,
	 * the MCN and ISRC in the page, the disc closed. */
	drive_page(p);
	wi_audio_page05(p, sizeof(p), l, 0, 0, 0);
	CU_ASSERT_EQUAL(p[2], 0x41);
	CU_ASSERT_EQUAL(p[3], 0x02);
	CU_ASSERT_EQUAL(p[4], 0x00);
	CU_ASSERT_EQUAL(p[8], 0x00);
	CU_ASSERT_EQUAL(p[16], 0x80);
	CU_ASSERT_EQUAL(memcmp(p + 17, "0123456789012", 13), 0);
	CU_ASSERT_EQUAL(p[32], 0x80);
	CU_ASSERT_EQUAL(memcmp(p + 33, "USRC17607839", 12), 0);
	/* TAO, track 2 (no ISRC): the old ISRC field cleared; next session allowed; the
	 * Audio Pause Length (bytes 14-15) the track's pregap, whatever the drive had. */
	drive_page(p);
	dm_put_be16(p + 14, 0);
	l->tracks[1].pregap = 75;
	wi_audio_page05(p, sizeof(p), l, 1, 0, 1);
	CU_ASSERT_EQUAL(dm_get_be16(p + 14), 75);
	l->tracks[1].pregap = 150;
	CU_ASSERT_EQUAL(p[2], 0x41);
	CU_ASSERT_EQUAL(p[3], 0xc4);
	CU_ASSERT_EQUAL(p[4], 0x08);
	CU_ASSERT_EQUAL(p[32], 0x00);
	CU_ASSERT_EQUAL(p[33], 0x00);
	/* SAO: write type 2; the codes go in the cue sheet, not the page. */
	drive_page(p);
	wi_audio_page05(p, sizeof(p), l, 0, 1, 0);
	CU_ASSERT_EQUAL(p[2], 0x42);
	CU_ASSERT_EQUAL(p[3], 0x02);
	CU_ASSERT_EQUAL(p[4], 0x00);
	CU_ASSERT_EQUAL(p[16], 0x00);
	CU_ASSERT_EQUAL(p[32], 0x00);
	/* A Mode 2 track makes the session CD-ROM XA (byte 8 20h). */
	l->tracks[1].mode = CD_MODE2_2352;
	drive_page(p);
	wi_audio_page05(p, sizeof(p), l, 1, 1, 0);
	CU_ASSERT_EQUAL(p[4], 0x00);
	CU_ASSERT_EQUAL(p[8], 0x20);
	cd_layout_free(l);
}

static void test_leadin_blocks(void)
{
	uint8_t packs[3 * CD_TEXT_PACK_SIZE], want[24], out[96];
	for (size_t i = 0; i < sizeof(packs); i++)
		packs[i] = (uint8_t)(i * 7 + 1);
	/* Block 1 of 3 packs: packs 4, 5, 6, 7 mod 3 = 1, 2, 0, 1. */
	wi_audio_leadin_block(packs, 3, 1, out);
	static const unsigned order[] = { 1, 2, 0, 1 };
	for (unsigned i = 0; i < 4; i++) {
		cd_text_pack_to_rw(packs + order[i] * CD_TEXT_PACK_SIZE, want);
		CU_ASSERT_EQUAL(memcmp(out + 24 * i, want, 24), 0);
	}
	/* Packed R-W symbols use bits 5-0 only. */
	for (unsigned i = 0; i < 96; i++)
		CU_ASSERT_EQUAL(out[i] & 0xc0, 0);
}

static media_disc blank_cdr(void)
{
	media_disc d;
	memset(&d, 0, sizeof(d));
	d.present = 1;
	d.profile = 0x0009;
	d.writable_by_drive = 1;
	d.disc.disc_status = MMC_DISC_BLANK;
	d.cd_sao = 1;
	d.nwa_valid = 1;
	d.free_blocks = 359847;
	return d;
}

static void refused(const media_disc *d, const cd_layout *l, const wi_audio_opts *o,
		    dm_status want, const char *says)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(wi_audio_preflight(d, l, o, &ctx), want);
	if (says && !strstr(ctx.msg, says)) {
		fprintf(stderr, "\n'%s' does not say '%s'\n", ctx.msg, says);
		CU_FAIL("refusal message");
	}
}

static void test_preflight(void)
{
	cd_layout *l = two_tracks();
	wi_audio_opts tao = { 0 }, sao = { .sao = 1 };
	media_disc d = blank_cdr();
	refused(&d, l, &tao, DM_OK, NULL);
	refused(&d, l, &sao, DM_OK, NULL);
	d.present = 0;
	refused(&d, l, &tao, DM_ERR_MEDIA, "no disc");
	d = blank_cdr();
	d.profile = 0x001a;
	refused(&d, l, &tao, DM_ERR_MEDIA, "CD-R or CD-RW");
	d = blank_cdr();
	d.disc.disc_status = MMC_DISC_COMPLETE;
	refused(&d, l, &tao, DM_ERR_MEDIA, "complete");
	d = blank_cdr();
	d.disc.disc_status = MMC_DISC_APPENDABLE;
	refused(&d, l, &tao, DM_ERR_MEDIA, "--multisession");
	wi_audio_opts tao_ms = { .multisession = 1 }, sao_ms = { .sao = 1, .multisession = 1 };
	refused(&d, l, &tao_ms, DM_OK, NULL);
	refused(&d, l, &sao_ms, DM_ERR_MEDIA, "blank");
	d = blank_cdr();
	d.cd_sao = 0;
	refused(&d, l, &sao, DM_ERR_MEDIA, "Session-At-Once");
	refused(&d, l, &tao, DM_OK, NULL);
	/* CD-TEXT: Session-At-Once only, and only when there is text. */
	d = blank_cdr();
	wi_audio_opts tao_text = { .cdtext = 1 }, sao_text = { .sao = 1, .cdtext = 1 };
	refused(&d, l, &tao_text, DM_ERR_MEDIA, "Session-At-Once");
	refused(&d, l, &sao_text, DM_ERR_MEDIA, "no titles");
	l->tracks[1].text[CD_TEXT_TITLE] = strdup("Two");
	refused(&d, l, &sao_text, DM_OK, NULL);
	/* Room: the lead-out at LBA 2150 needs 2150 sectors from LBA 0. */
	d.free_blocks = 2150;
	refused(&d, l, &tao, DM_OK, NULL);
	d.free_blocks = 2149;
	refused(&d, l, &tao, DM_ERR_NOSPACE, "2300 sectors");
	cd_layout_free(l);
}

static void test_q_position(void)
{
	uint8_t q[12];
	unsigned tno = 0, index = 9;
	cd_subq_position(0, 12, 0, -10, 5000, q);
	CU_ASSERT_EQUAL(wi_cd_q_position(q, &tno, &index), 1);
	CU_ASSERT_EQUAL(tno, 12);
	CU_ASSERT_EQUAL(index, 0);
	q[1] ^= 0x01; /* damaged: the CRC no longer matches */
	CU_ASSERT_EQUAL(wi_cd_q_position(q, &tno, &index), 0);
	q[10] = q[11] = 0; /* a drive's formatted Q without CRC */
	CU_ASSERT_EQUAL(wi_cd_q_position(q, &tno, &index), 1);
	CU_ASSERT_EQUAL(tno, 13);
	cd_subq_mcn(0, "0123456789012", 5000, q);
	CU_ASSERT_EQUAL(wi_cd_q_position(q, &tno, &index), 0);
}

/* CD-TEXT packs made by cd_text_encode read back to the same titles and performers. */
static void test_cd_text_decode(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	cd_layout *l = two_tracks();
	l->text[CD_TEXT_TITLE] = strdup("Caf\xe9 Songs, a title longer than one pack");
	l->text[CD_TEXT_PERFORMER] = strdup("The Band");
	l->tracks[0].text[CD_TEXT_TITLE] = strdup("One");
	l->tracks[1].text[CD_TEXT_TITLE] = strdup("Second Song");
	l->tracks[1].text[CD_TEXT_PERFORMER] = strdup("The Band");
	uint8_t *packs;
	unsigned count;
	CU_ASSERT_EQUAL_FATAL(cd_text_encode(l, &packs, &count, &ctx), DM_OK);
	wi_cd_tracks tr;
	memset(&tr, 0, sizeof(tr));
	tr.n = 2;
	tr.t[0].number = 1;
	tr.t[1].number = 2;
	wi_cd_text_decode(packs, count, &tr);
	CU_ASSERT_STRING_EQUAL(tr.title, "Caf\xe9 Songs, a title longer than one pack");
	CU_ASSERT_STRING_EQUAL(tr.performer, "The Band");
	CU_ASSERT_STRING_EQUAL(tr.t[0].title, "One");
	CU_ASSERT_STRING_EQUAL(tr.t[0].performer, "");
	CU_ASSERT_STRING_EQUAL(tr.t[1].title, "Second Song");
	CU_ASSERT_STRING_EQUAL(tr.t[1].performer, "The Band");
	/* A pack with a wrong CRC is not taken: the performers (81h) are gone. */
	for (unsigned i = 0; i < count; i++)
		if (packs[i * CD_TEXT_PACK_SIZE] == 0x81)
			packs[i * CD_TEXT_PACK_SIZE + 17] ^= 0xff;
	memset(&tr, 0, sizeof(tr));
	tr.n = 2;
	tr.t[0].number = 1;
	tr.t[1].number = 2;
	wi_cd_text_decode(packs, count, &tr);
	CU_ASSERT_STRING_EQUAL(tr.t[1].title, "Second Song");
	CU_ASSERT_STRING_EQUAL(tr.t[1].performer, "");
	free(packs);
	cd_layout_free(l);
}

static int parse(wi_options *o, char *err, size_t len, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	va_start(ap, len);
	argv[argc++] = "writeimg";
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return wi_parse_options(argc, argv, o, err, len);
}

static void test_options(void)
{
	wi_options o;
	char err[256];
	char isrc[13];
	CU_ASSERT_EQUAL(wi_parse_isrc("US-RC1-76-07839", isrc), 0);
	CU_ASSERT_STRING_EQUAL(isrc, "USRC17607839");
	CU_ASSERT_EQUAL(wi_parse_isrc("gbaye0000351", isrc), 0);
	CU_ASSERT_STRING_EQUAL(isrc, "GBAYE0000351");
	CU_ASSERT_EQUAL(wi_parse_isrc("USRC1760783", isrc), -1);
	CU_ASSERT_EQUAL(wi_parse_isrc("USRC176078391", isrc), -1);
	CU_ASSERT_EQUAL(wi_parse_isrc("1SRC17607839", isrc), -1);
	CU_ASSERT_EQUAL(wi_parse_isrc("USRC1760783X", isrc), -1);

	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--audio", "a.wav",
			      "b.flac", "--isrc", "2:US-RC1-76-07839", "--mcn", "0123456789012",
			      NULL), 0);
	CU_ASSERT_EQUAL(o.mode, WI_MODE_WRITE);
	CU_ASSERT_EQUAL(o.ntracks, 2);
	CU_ASSERT_STRING_EQUAL(o.tracks[1], "b.flac");
	CU_ASSERT_EQUAL(o.nisrc, 1);
	CU_ASSERT_EQUAL(o.isrc[0].track, 2);
	CU_ASSERT_STRING_EQUAL(o.isrc[0].code, "USRC17607839");
	wi_options_free(&o);
	/* --audio --check: the check's value is the first track. */
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--audio", "--check",
			      "a.wav", "b.flac", NULL), 0);
	CU_ASSERT_EQUAL(o.mode, WI_MODE_CHECK);
	CU_ASSERT_EQUAL_FATAL(o.ntracks, 2);
	CU_ASSERT_STRING_EQUAL(o.tracks[0], "a.wav");
	CU_ASSERT_STRING_EQUAL(o.tracks[1], "b.flac");
	wi_options_free(&o);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "disc.CUE", "--text", NULL),
			0);
	CU_ASSERT_STRING_EQUAL(o.cue, "disc.CUE");
	CU_ASSERT_EQUAL(o.text, 1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--read-audio", "out",
			      NULL), 0);
	CU_ASSERT_EQUAL(o.mode, WI_MODE_READ_AUDIO);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--gapless",
			      "--cd-text", "t.txt", "--audio", "a.wav", NULL), 0);
	CU_ASSERT_EQUAL(o.text, 1);
	CU_ASSERT_STRING_EQUAL(o.cd_text_file, "t.txt");
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--pregap", "75", "--copy",
			      "--preemp", "--big-endian", "--audio", "a.raw", NULL), 0);
	CU_ASSERT_EQUAL(o.pregap, 75);
	CU_ASSERT(o.copy && o.preemp && o.big_endian);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--gapless", "--audio",
			      "a.wav", NULL), 0);
	CU_ASSERT_EQUAL(o.pregap, 0);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--audio", "a.wav", NULL),
			0);
	CU_ASSERT_EQUAL(o.pregap, -1);
	/* Refusals. */
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--gapless", "--pregap",
			      "10", "--audio", "a.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--pregap", "10", "--mode",
			      "tao", "--audio", "a.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--pregap", "-1", "--audio",
			      "a.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--copy", "d.cue", NULL),
			-1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--text", "--audio",
			      "a.wav", NULL), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "Session-At-Once"));
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--gapless", "x.iso",
			      NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--text", "x.iso", NULL),
			-1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--audio", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--isrc", "3:USRC17607839",
			      "--audio", "a.wav", "b.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--isrc", "1:USRC17607839",
			      "--isrc", "1:USRC17607840", "--audio", "a.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--mcn", "123",
			      "--audio", "a.wav", NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--mode", "tao", "d.cue",
			      NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--raw", "--audio", "a.wav",
			      NULL), -1);
	CU_ASSERT_EQUAL(parse(&o, err, sizeof(err), "-d", "emu:cd-r:x", "--read-audio", "out",
			      "x", NULL), -1);
}

static CU_TestInfo mmc_tests[] = {
	{ "READ CD and READ TOC CDBs", test_cdbs },
	{ "READ TOC format 0 answers", test_toc0 },
	{ "MCN, ISRC and CD-TEXT answers", test_code_answers },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo audio_tests[] = {
	{ "page 05h per track, TAO and SAO", test_page05 },
	{ "the lead-in's CD-TEXT blocks", test_leadin_blocks },
	{ "pre-flight refusals", test_preflight },
	{ "Q positions a reader trusts", test_q_position },
	{ "CD-TEXT packs decoded", test_cd_text_decode },
	{ "audio options", test_options },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "mmc_cd", NULL, NULL, NULL, NULL, mmc_tests },
	{ "wi_audio", NULL, NULL, NULL, NULL, audio_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
