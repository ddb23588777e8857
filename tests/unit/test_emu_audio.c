/* The emulated recorder as a CD-DA and raw CD writer, through CDBs: TAO audio written and
 * read back byte-exact with READ CD; a SAO cue sheet with pre-gaps, indexes, ISRC, MCN and
 * CD-TEXT, then READ TOC formats 0, 1, 2 and 5 and READ SUB-CHANNEL checked field by field;
 * the Q sub-channel of a pre-gap, an index 02 and the MCN/ISRC frames (CRC computed here
 * by polynomial long division); a raw read of a Mode 1 sector (EDC recomputed here);
 * refusals (READ(10) of audio, wrong transfer sizes, wrong expected sector type); a
 * CD-Extra disc (audio session, data session) in the TOC; the disc file keeps all of it. */
#include <CUnit/Basic.h>

#include "common/dm_cd_sector.h"
#include "emu_cdb_util.h"

#define RAW 2352
static uint8_t audio[1000 * RAW];

static void fill_audio(void)
{
	for (size_t i = 0; i < sizeof(audio); i++)
		audio[i] = (uint8_t)(i * 13 + i / RAW * 7 + 1);
}

static res select_page(scsi_transport *t, uint8_t wt, uint8_t multi, uint8_t tm, uint8_t dbt)
{
	uint8_t p[8 + 52] = { 0 };
	p[8] = 0x05;
	p[9] = 0x32;
	p[10] = (uint8_t)(0x40 | wt);
	p[11] = (uint8_t)(multi << 6 | tm);
	p[12] = dbt;
	dm_put_be16(p + 8 + 14, 150);
	uint8_t c[10] = { 0x55, 0x10 };
	dm_put_be16(c + 7, sizeof(p));
	return run(t, c, 10, SCSI_DIR_OUT, p, sizeof(p));
}

/* Page 05h for a TAO audio track (track mode 0, block type 0) with its Audio Pause Length
 * (bytes 14-15) and, when given, the MCN (MCVAL, bytes 17-29) and ISRC (TCVAL, 33-44). */
static res select_tao_audio(scsi_transport *t, uint16_t pause, const char *mcn, const char *isrc)
{
	uint8_t p[8 + 52] = { 0 };
	p[8] = 0x05;
	p[9] = 0x32;
	p[10] = 0x40 | 1;
	p[11] = 3 << 6;
	dm_put_be16(p + 8 + 14, pause);
	if (mcn) {
		p[8 + 16] = 0x80;
		memcpy(p + 8 + 17, mcn, 13);
	}
	if (isrc) {
		p[8 + 32] = 0x80;
		memcpy(p + 8 + 33, isrc, 12);
	}
	uint8_t c[10] = { 0x55, 0x10 };
	dm_put_be16(c + 7, sizeof(p));
	return run(t, c, 10, SCSI_DIR_OUT, p, sizeof(p));
}

static res write_bytes(scsi_transport *t, int32_t lba, uint16_t n, const uint8_t *buf, size_t len)
{
	uint8_t c[10] = { 0x2a };
	dm_put_be32(c + 2, (uint32_t)lba);
	dm_put_be16(c + 7, n);
	return run(t, c, 10, SCSI_DIR_OUT, (uint8_t *)buf, len);
}

static res read_cd(scsi_transport *t, int32_t lba, uint32_t n, int type, uint8_t b9, uint8_t b10,
		   uint8_t *buf, size_t len)
{
	uint8_t c[12] = { 0xbe, (uint8_t)(type << 2) };
	dm_put_be32(c + 2, (uint32_t)lba);
	c[6] = (uint8_t)(n >> 16);
	c[7] = (uint8_t)(n >> 8);
	c[8] = (uint8_t)n;
	c[9] = b9;
	c[10] = b10;
	return cmd_in(t, c, 12, buf, len);
}

static res read_toc(scsi_transport *t, int format, int msf, uint8_t track, uint8_t *buf,
		    uint16_t len)
{
	uint8_t c[10] = { 0x43, (uint8_t)(msf ? 2 : 0), (uint8_t)format, 0, 0, 0, track };
	dm_put_be16(c + 7, len);
	memset(buf, 0, len);
	return cmd_in(t, c, 10, buf, len);
}

static res read_subchannel(scsi_transport *t, int format, uint8_t track, uint8_t *buf)
{
	uint8_t c[10] = { 0x42, 0, 0x40, (uint8_t)format, 0, 0, track, 0, 48, 0 };
	memset(buf, 0, 48);
	return cmd_in(t, c, 10, buf, 48);
}

/* CRC-16 of the Q sub-channel by long division of the message (times x^16) by
 * x^16+x^12+x^5+1, the remainder inverted (Red Book). */
static uint16_t q_crc(const uint8_t *q)
{
	uint32_t rem = 0;
	for (int i = 0; i < 10 * 8 + 16; i++) {
		int bit = i < 80 ? (q[i / 8] >> (7 - i % 8)) & 1 : 0;
		rem = rem << 1 | (uint32_t)bit;
		if (rem & 0x10000)
			rem ^= 0x11021;
	}
	return (uint16_t)~rem;
}

/* The EDC of a Mode 1 sector by long division of the LSB-first bit stream (times x^32) by
 * x^32+x^31+x^16+x^15+x^4+x^3+x+1, the remainder's bits reversed (ECMA-130 14.3). */
static uint32_t edc(const uint8_t *p, size_t n)
{
	uint64_t rem = 0;
	const uint64_t poly = (1ull << 32) | (1ull << 31) | (1u << 16) | (1u << 15) | (1u << 4) |
			      (1u << 3) | (1u << 1) | 1u;
	for (size_t i = 0; i < n * 8 + 32; i++) {
		int bit = i < n * 8 ? (p[i / 8] >> (i % 8)) & 1 : 0;
		rem = rem << 1 | (uint64_t)bit;
		if (rem >> 32)
			rem ^= poly;
	}
	uint32_t out = 0;
	for (int i = 0; i < 32; i++)
		if ((rem >> (31 - i)) & 1)
			out |= 1u << i;
	return out;
}

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

/* Formatted Q (READ CD sub-channel 010b) of one sector, with its CRC checked. */
static void get_q(scsi_transport *t, int32_t lba, uint8_t q[16], uint8_t raw_p[96])
{
	uint8_t buf[RAW + 96];
	CU_ASSERT_EQUAL(read_cd(t, lba, 1, 0, 0x00, 0x02, q, 16).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(q + 10), q_crc(q));
	/* The raw P-W form carries the same Q in bit 6 of each byte. */
	CU_ASSERT_EQUAL(read_cd(t, lba, 1, 0, 0x00, 0x01, buf, 96).rc, 0);
	uint8_t again[12] = { 0 };
	for (int i = 0; i < 96; i++)
		again[i / 8] |= (uint8_t)(((buf[i] >> 6) & 1) << (7 - i % 8));
	CU_ASSERT_EQUAL(memcmp(again, q, 12), 0);
	if (raw_p)
		memcpy(raw_p, buf, 96);
}

/* What one sector's formatted Q holds (its first 10 bytes: control/ADR, track, index,
 * relative MSF, zero, absolute MSF) and its P bit (1 set, 0 clear, -1 not checked). */
typedef struct q_want {
	int32_t lba;
	uint8_t q[10];
	int p;
} q_want;

static void check_q(scsi_transport *t, const q_want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t q[16], pw[96];
		get_q(t, w[i].lba, q, pw);
		if (memcmp(q, w[i].q, 10))
			fprintf(stderr, "\nQ of sector %d differs\n", (int)w[i].lba);
		CU_ASSERT_EQUAL(memcmp(q, w[i].q, 10), 0);
		if (w[i].p >= 0)
			CU_ASSERT_EQUAL(pw[0] & 0x80, w[i].p ? 0x80 : 0);
	}
}

/* READ SUB-CHANNEL format 2 (MCN, track 0) or 3 (a track's ISRC): the code given, or
 * none (want NULL); sc keeps the answer for further checks. */
static void check_code(scsi_transport *t, int format, uint8_t track, const char *want, uint8_t sc[48])
{
	CU_ASSERT_EQUAL(read_subchannel(t, format, track, sc).rc, 0);
	CU_ASSERT_EQUAL(sc[4], format);
	if (format == 3)
		CU_ASSERT_EQUAL(sc[6], track);
	if (want) {
		CU_ASSERT_EQUAL(sc[8] & 0x80, 0x80);
		CU_ASSERT_EQUAL(memcmp(sc + 9, want, strlen(want)), 0);
	} else {
		CU_ASSERT_EQUAL(sc[8] & 0x80, 0);
	}
}

static void test_tao_audio(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	/* Track 1: audio with copy permitted (track mode 2h), block type 0 (2,352 bytes). */
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x02, 0x00).rc, 0);
	/* 2,048 bytes a block for an audio block type: wrong size. */
	CU_ASSERT_EQUAL(write_bytes(t, 0, 10, audio, 10 * 2048).sense, SK(5, 0x24, 0x00));
	CU_ASSERT_EQUAL(write_bytes(t, 0, 200, audio, 200 * RAW).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 200, 100, audio + 200 * RAW, 100 * RAW).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	/* Track 2: Mode 1 data. */
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x08).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 300, 20).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 2).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);

	/* READ CD of the audio, CD-DA expected, user data: byte-exact. */
	static uint8_t back[300 * RAW];
	res r = read_cd(t, 0, 300, 1, 0x10, 0, back, sizeof(back));
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_EQUAL(r.got, sizeof(back));
	CU_ASSERT_EQUAL(memcmp(back, audio, sizeof(back)), 0);
	/* READ CD MSF of sectors 100-101 (00:03:25 to 00:03:27). */
	uint8_t m[12] = { 0xb9, 0x04, 0, 0, 3, 25, 0, 3, 27, 0x10, 0, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, m, 12, back, 2 * RAW).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, audio + 100 * RAW, 2 * RAW), 0);
	/* Refusals: READ(10) of audio, a Mode 1 READ CD of audio, audio expected on data,
	 * a buffer too small, past the end. */
	CU_ASSERT_EQUAL(read10(t, 5, 1, back).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(read_cd(t, 5, 1, 2, 0x10, 0, back, RAW).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(read_cd(t, 305, 1, 1, 0x10, 0, back, RAW).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(read_cd(t, 5, 2, 1, 0x10, 0, back, RAW).sense, SK(5, 0x24, 0x00));
	CU_ASSERT_EQUAL(read_cd(t, 319, 2, 0, 0x10, 0, back, 2 * RAW).sense, SK(5, 0x21, 0x00));
	/* The data track reads with READ(10), and as 2,048 bytes with READ CD. */
	CU_ASSERT_EQUAL(read10(t, 300, 1, back).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data, 2048), 0);
	CU_ASSERT_EQUAL(read_cd(t, 301, 1, 2, 0x10, 0, back, 2048).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data + 2048, 2048), 0);

	/* TOC: track 1 audio with copy (control 2), track 2 data (4). */
	uint8_t toc[64];
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 3 * 8);
	CU_ASSERT_EQUAL(toc[2], 1);
	CU_ASSERT_EQUAL(toc[3], 2);
	CU_ASSERT_EQUAL(toc[5], 0x12);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 8), 0);
	CU_ASSERT_EQUAL(toc[13], 0x14);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 16), 300);
	CU_ASSERT_EQUAL(toc[22], 0xaa);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 24), 320);
	/* READ TRACK INFORMATION: track mode 2 (audio, copy), data mode Fh. */
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x0f, 0x02);
	CU_ASSERT_EQUAL(ti[6] & 0x0f, 0x0f);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x0f, 0x04);
	CU_ASSERT_EQUAL(ti[6] & 0x0f, 0x01);
	/* Page 2Ah: CD-DA commands, accurate stream, ISRC and UPC reads (byte 5). */
	uint8_t ms[8 + 64], mc[10] = { 0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0, sizeof(ms), 0 };
	CU_ASSERT_EQUAL(cmd_in(t, mc, 10, ms, sizeof(ms)).rc, 0);
	CU_ASSERT_EQUAL(ms[8] & 0x3f, 0x2a);
	CU_ASSERT_EQUAL(ms[8 + 5] & 0x63, 0x63);
	/* READ DISC INFORMATION: disc type 00h (CD-DA or CD-ROM). */
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[8], 0x00);
	/* Q of sector 10: ADR 1, track 01 index 01, 00:00:10 in the track, 00:02:10. */
	uint8_t q[16];
	get_q(t, 10, q, NULL);
	static const uint8_t want[10] = { 0x21, 0x01, 0x01, 0x00, 0x00, 0x10, 0, 0x00, 0x02, 0x10 };
	CU_ASSERT_EQUAL(memcmp(q, want, 10), 0);
	scsi_close(t);
}

/* What the TAO disc of test_tao_pregap holds, read back: tracks at 0, 450 (after the
 * 150-block pause) and 825 (after 75), the pauses silent with Q index 00 counting down,
 * the MCN and the ISRCs page 05h gave. */
static void check_tao_pregap(scsi_transport *t)
{
	uint8_t toc[64];
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 4 * 8);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 4 + 4), 0);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 12 + 4), 450);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 20 + 4), 825);
	CU_ASSERT_EQUAL(toc[28 + 2], 0xaa);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 28 + 4), 925);
	/* READ TRACK INFORMATION: a CD track runs to the next track's index 01. */
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT(dm_get_be32(ti + 8) == 0 && dm_get_be32(ti + 24) == 450);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);
	CU_ASSERT(dm_get_be32(ti + 8) == 450 && dm_get_be32(ti + 24) == 375);
	/* The pause: digital silence, read as CD-DA; the track around it byte-exact. */
	static uint8_t back[300 * RAW];
	static const uint8_t zero[150 * RAW];
	CU_ASSERT_EQUAL(read_cd(t, 300, 150, 1, 0x10, 0, back, 150 * RAW).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, zero, 150 * RAW), 0);
	CU_ASSERT_EQUAL(read_cd(t, 450, 300, 1, 0x10, 0, back, sizeof(back)).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, audio + 300 * RAW, sizeof(back)), 0);
	CU_ASSERT_EQUAL(read_cd(t, 750, 75, 1, 0x10, 0, back, 75 * RAW).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, zero, 75 * RAW), 0);
	/* Q: sector 300 is track 02 index 00, 00:02:00 before index 01, absolute 00:06:00,
	 * P set; 449 the last, 00:00:01, absolute 599 = 00:07:74; 450 index 01 at 00:00:00,
	 * absolute 00:08:00, P clear; 800 track 03 index 00, 00:00:25, absolute 00:12:50;
	 * 460 ((460 + 150) mod 100 = 10) the MCN frame in track 2. */
	static const q_want qs[] = {
		{ 300, { 0x01, 0x02, 0x00, 0x00, 0x02, 0x00, 0, 0x00, 0x06, 0x00 }, 1 },
		{ 449, { 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0, 0x00, 0x07, 0x74 }, 1 },
		{ 450, { 0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0, 0x00, 0x08, 0x00 }, 0 },
		{ 800, { 0x01, 0x03, 0x00, 0x00, 0x00, 0x25, 0, 0x00, 0x12, 0x50 }, -1 },
		{ 460, { 0x02, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x20, 0, 0x10 }, -1 },
	};
	check_q(t, qs, sizeof(qs) / sizeof(qs[0]));
	/* Sector 510 ((510 + 150) mod 100 = 60): track 2's ISRC frame (ADR 3), "GB". */
	uint8_t q[16];
	get_q(t, 510, q, NULL);
	CU_ASSERT_EQUAL(q[0], 0x03);
	CU_ASSERT_EQUAL(q[1] >> 2, 0x17);
	/* READ SUB-CHANNEL: the first MCN given (not track 3's), each track's ISRC. */
	uint8_t sc[48];
	check_code(t, 2, 0, "0123456789012", sc);
	check_code(t, 3, 1, "USDM10260001", sc);
	check_code(t, 3, 2, "GBAYE6700123", sc);
	check_code(t, 3, 3, NULL, sc);
}

/* Track-At-Once audio: the drive writes each later track's pre-gap itself (page 05h's
 * Audio Pause Length) and the NWA of the invisible track lies after it; a data track mode
 * gets none (back to back, as before). Page 05h's MCN and ISRC are recorded. */
static void test_tao_pregap(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(select_tao_audio(t, 150, "0123456789012", "USDM10260001").rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 0, 300, audio, 300 * RAW).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	/* The invisible track: with a data track mode at 300, with audio after 150 more. */
	uint8_t ti[48];
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x08).rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	CU_ASSERT(ti[2] == 2 && (ti[7] & 1) && dm_get_be32(ti + 12) == 300);
	CU_ASSERT_EQUAL(select_tao_audio(t, 150, NULL, "GBAYE6700123").rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	CU_ASSERT(ti[2] == 2 && (ti[7] & 1));
	CU_ASSERT_EQUAL(dm_get_be32(ti + 8), 450);
	CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 450);
	/* The pre-gap is the drive's: a write into it is not at the NWA. */
	CU_ASSERT_EQUAL(write_bytes(t, 300, 10, audio, 10 * RAW).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write_bytes(t, 450, 300, audio + 300 * RAW, 300 * RAW).rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 750);
	CU_ASSERT_EQUAL(close_ts(t, 1, 2).rc, 0);
	/* Track 3: a 1-second pause, another MCN (the disc keeps the first), no ISRC. */
	CU_ASSERT_EQUAL(select_tao_audio(t, 75, "9999999999999", NULL).rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 825);
	CU_ASSERT_EQUAL(write_bytes(t, 825, 100, audio + 600 * RAW, 100 * RAW).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 3).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	check_tao_pregap(t);
	scsi_close(t);
	/* The disc file keeps the pre-gaps and the codes. */
	t = open_spec("", path, NULL);
	if (!t)
		return;
	check_tao_pregap(t);
	scsi_close(t);
}

/* wodim's Track-At-Once: per track page 05h, the invisible track's NWA, WRITEs and
 * SYNCHRONIZE CACHE, no CLOSE TRACK (the flush ends the track on a CD in TAO); then CLOSE
 * SESSION. A CLOSE TRACK after the flush (libburn, writeimg) is taken. */
static void test_tao_sync_closes(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	uint8_t ti[48];
	CU_ASSERT_EQUAL(select_tao_audio(t, 150, NULL, NULL).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 0, 300, audio, 300 * RAW).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	CU_ASSERT(ti[2] == 2 && dm_get_be32(ti + 12) == 450);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	CU_ASSERT_EQUAL(select_tao_audio(t, 150, NULL, NULL).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 450, 200, audio + 300 * RAW, 200 * RAW).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	uint8_t toc[64];
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 3 * 8);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 12 + 4), 450);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 20 + 4), 650);
	/* A data track's flush in TAO ends it likewise (one track per flush). */
	scsi_close(t);
	t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x08).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 20).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	CU_ASSERT(ti[2] == 2 && dm_get_be32(ti + 12) == 20);
	scsi_close(t);
}

/* CD-TEXT packs for the lead-in: title packs of the album and two tracks and a pack of
 * performer, CRCs by q_crc's division (the same CRC as Q's over 16 bytes). */
static void make_packs(uint8_t packs[4][18])
{
	static const char *text[4] = { "Album\0One\0Tw", "o\0\0\0\0\0\0\0\0\0\0\0",
				       "Band\0\0\0\0\0\0\0\0", "\0\0\0\0\0\0\0\0\0\0\0\0" };
	static const uint8_t head[4][4] = { { 0x80, 0, 0, 0 }, { 0x80, 2, 1, 2 },
					    { 0x81, 0, 2, 0 }, { 0x81, 1, 3, 0 } };
	for (int i = 0; i < 4; i++) {
		memcpy(packs[i], head[i], 4);
		memcpy(packs[i] + 4, text[i], 12);
		uint32_t rem = 0;
		for (int b = 0; b < 16 * 8 + 16; b++) {
			int bit = b < 128 ? (packs[i][b / 8] >> (7 - b % 8)) & 1 : 0;
			rem = rem << 1 | (uint32_t)bit;
			if (rem & 0x10000)
				rem ^= 0x11021;
		}
		dm_put_be16(packs[i] + 16, (uint16_t)~rem);
	}
}

static void put_entry(uint8_t *e, uint8_t ctladr, uint8_t tno, uint8_t index, uint8_t form,
		      int32_t lba)
{
	int32_t f = lba + 150;
	e[0] = ctladr;
	e[1] = tno;
	e[2] = index;
	e[3] = form;
	e[4] = 0;
	e[5] = (uint8_t)(f / 4500);
	e[6] = (uint8_t)(f / 75 % 60);
	e[7] = (uint8_t)(f % 75);
}

/* Three tracks: 1 audio with ISRC (pre-gap 150 generated, index 02 at 150, 0-374), 2 audio
 * with pre-emphasis (pre-gap 300-374 sent by the host, 375-599), 3 Mode 1 data (pre-gap
 * 600-749 generated, 750-849); MCN; CD-TEXT in the lead-in. */
static size_t sao_sheet(uint8_t *cue)
{
	uint8_t *e = cue;
	e[0] = 0x02;
	memcpy(e + 1, "0123456", 7);
	e[8] = 0x02;
	memcpy(e + 9, "789012", 6);
	e[15] = 0;
	e += 16;
	put_entry(e, 0x01, 0, 0, 0x41, -150), e += 8;      /* lead-in, CD-TEXT from the host */
	e[0] = 0x03, e[1] = 1, memcpy(e + 2, "USDM10", 6), e += 8; /* ISRC US-DM1-26-00001 */
	e[0] = 0x03, e[1] = 1, memcpy(e + 2, "260001", 6), e += 8;
	put_entry(e, 0x01, 1, 0, 0x01, -150), e += 8;
	put_entry(e, 0x01, 1, 1, 0x00, 0), e += 8;
	put_entry(e, 0x01, 1, 2, 0x00, 150), e += 8;
	put_entry(e, 0x11, 2, 0, 0x00, 300), e += 8;
	put_entry(e, 0x11, 2, 1, 0x00, 375), e += 8;
	put_entry(e, 0x41, 3, 0, 0x14, 600), e += 8;
	put_entry(e, 0x41, 3, 1, 0x10, 750), e += 8;
	put_entry(e, 0x41, 0xaa, 1, 0x14, 850), e += 8;
	return (size_t)(e - cue);
}

static void write_sao_disc(scsi_transport *t, uint8_t packs[4][18])
{
	uint8_t cue[256];
	size_t n = sao_sheet(cue);
	uint8_t c[10] = { 0x5d };
	c[8] = (uint8_t)n;
	CU_ASSERT_EQUAL(select_page(t, 2, 0, 0, 0).rc, 0);
	/* A reserved data form in a track: 5/64/00; sub-channel from the host: likewise. */
	uint8_t bad[256];
	memcpy(bad, cue, n);
	bad[16 + 24 + 8 + 3] = 0x12;
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, n).sense, SK(5, 0x64, 0x00));
	bad[16 + 24 + 8 + 3] = 0x40;
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, n).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, n).rc, 0);
	/* The lead-in from its ATIP start (97:26:66, LBA -11634) to -151, 96 bytes a block:
	 * four packs of 24 six-bit symbols each, repeated. */
	make_packs(packs);
	static uint8_t sym[1000 * 96];
	for (size_t g = 0; g < sizeof(sym) / 24; g++) {
		const uint8_t *p = packs[g % 4];
		uint8_t *s = sym + g * 24;
		for (int k = 0; k < 6; k++) {
			const uint8_t *b = p + 3 * k;
			s[4 * k] = b[0] >> 2;
			s[4 * k + 1] = (uint8_t)((b[0] & 3) << 4 | b[1] >> 4);
			s[4 * k + 2] = (uint8_t)((b[1] & 0x0f) << 2 | b[2] >> 6);
			s[4 * k + 3] = b[2] & 0x3f;
		}
	}
	CU_ASSERT_EQUAL(write_bytes(t, -11634, 10, sym, 10 * 2352).sense, SK(5, 0x24, 0x00));
	int ok = 1;
	for (int32_t lba = -11634; lba < -150; lba += 1000) {
		uint16_t k = (uint16_t)(-150 - lba < 1000 ? -150 - lba : 1000);
		ok &= write_bytes(t, lba, k, sym, (size_t)k * 96).rc == 0;
	}
	CU_ASSERT(ok);
	/* Track 1's pre-gap is generated: the first write is at 0; 2,048 bytes a block for
	 * audio are refused. */
	CU_ASSERT_EQUAL(write_bytes(t, -150, 10, audio, 10 * RAW).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write_bytes(t, 0, 10, audio, 10 * 2048).sense, SK(5, 0x24, 0x00));
	for (int32_t lba = 0; lba < 600; lba += 100)
		CU_ASSERT_EQUAL(write_bytes(t, lba, 100, audio + (size_t)lba * RAW, 100 * RAW).rc, 0);
	/* Track 3's pre-gap is generated: the data follow at 750. */
	CU_ASSERT_EQUAL(write_bytes(t, 600, 1, audio, RAW).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write10(t, 750, 64).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 814, 36).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
}

static void check_sao_disc(scsi_transport *t, uint8_t packs[4][18])
{
	uint8_t toc[256];
	/* Format 0: tracks 1-3 with their controls (0, pre-emphasis 1, data 4). */
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 4 * 8);
	static const struct { uint8_t ctl, tno; uint32_t lba; } tracks[4] = {
		{ 0x10, 1, 0 }, { 0x11, 2, 375 }, { 0x14, 3, 750 }, { 0x14, 0xaa, 850 } };
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(toc[4 + 8 * i + 1], tracks[i].ctl);
		CU_ASSERT_EQUAL(toc[4 + 8 * i + 2], tracks[i].tno);
		CU_ASSERT_EQUAL(dm_get_be32(toc + 4 + 8 * i + 4), tracks[i].lba);
	}
	/* MSF: track 2 at 375 + 150 = 525 frames, 00:07:00. */
	CU_ASSERT_EQUAL(read_toc(t, 0, 1, 2, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 8), 0x00000700);
	/* Format 1: one session, first track 1, audio. */
	CU_ASSERT_EQUAL(read_toc(t, 1, 0, 0, toc, 12).rc, 0);
	CU_ASSERT_EQUAL(toc[3], 1);
	CU_ASSERT_EQUAL(toc[5], 0x10);
	CU_ASSERT_EQUAL(toc[6], 1);
	/* Format 2: A0 (first track 1, disc type 00h), A1 (3), A2 (850: 00:13:25), 1-3. */
	CU_ASSERT_EQUAL(read_toc(t, 2, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 6 * 11);
	const uint8_t *d = toc + 4;
	CU_ASSERT(d[0] == 1 && d[1] == 0x10 && d[3] == 0xa0 && d[8] == 1 && d[9] == 0x00);
	d += 11;
	CU_ASSERT(d[1] == 0x14 && d[3] == 0xa1 && d[8] == 3);
	d += 11;
	CU_ASSERT(d[1] == 0x14 && d[3] == 0xa2 && d[8] == 0 && d[9] == 13 && d[10] == 25);
	d += 11;
	CU_ASSERT(d[1] == 0x10 && d[3] == 1 && d[8] == 0 && d[9] == 2 && d[10] == 0);
	d += 11;
	CU_ASSERT(d[1] == 0x11 && d[3] == 2 && d[8] == 0 && d[9] == 7 && d[10] == 0);
	d += 11;
	CU_ASSERT(d[1] == 0x14 && d[3] == 3 && d[8] == 0 && d[9] == 12 && d[10] == 0);
	/* Format 5: the four packs, once. */
	CU_ASSERT_EQUAL(read_toc(t, 5, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(toc), 2 + 4 * 18);
	CU_ASSERT_EQUAL(memcmp(toc + 4, packs, 4 * 18), 0);
	/* READ SUB-CHANNEL: MCN, track 1's ISRC, none for track 2. */
	uint8_t sc[48];
	check_code(t, 2, 0, "0123456789012", sc);
	check_code(t, 3, 1, "USDM10260001", sc);
	CU_ASSERT_EQUAL(sc[5], 0x30);
	check_code(t, 3, 2, NULL, sc);
	CU_ASSERT_EQUAL(read_subchannel(t, 3, 9, sc).sense, SK(5, 0x24, 0x00));

	/* Q of the pre-gap sector 350: track 02 index 00, 00:00:25 counting down to index
	 * 01 at 375, absolute 00:06:50; P set (pause). Sector 200: track 01 index 02 (from
	 * 150), 00:02:50 in the track, 00:04:50. Sector 60 ((60 + 150) mod 100 = 10): the MCN
	 * frame (ADR 2), absolute frame 60. */
	static const q_want qs[] = {
		{ 350, { 0x11, 0x02, 0x00, 0x00, 0x00, 0x25, 0, 0x00, 0x06, 0x50 }, 1 },
		{ 200, { 0x01, 0x01, 0x02, 0x00, 0x02, 0x50, 0, 0x00, 0x04, 0x50 }, 0 },
		{ 60, { 0x02, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x20, 0, 0x60 }, -1 },
	};
	check_q(t, qs, sizeof(qs) / sizeof(qs[0]));
	uint8_t q[16], pw[96];
	/* Sector 10 ((10 + 150) mod 100 = 60): the ISRC frame (ADR 3): U=25h, S=23h, D=14h,
	 * M=1Dh, 1=01h in 6 bits, then 0 2 6 0 0 0 1 in 4 bits; absolute frame 10. */
	get_q(t, 10, q, NULL);
	uint64_t bits = 0;
	static const unsigned six[5] = { 0x25, 0x23, 0x14, 0x1d, 0x01 };
	for (int i = 0; i < 5; i++)
		bits = bits << 6 | six[i];
	bits <<= 2;
	static const unsigned four[7] = { 0, 2, 6, 0, 0, 0, 1 };
	for (int i = 0; i < 7; i++)
		bits = bits << 4 | four[i];
	bits <<= 4;
	CU_ASSERT_EQUAL(q[0], 0x03);
	CU_ASSERT_EQUAL(dm_get_be64(q + 1), bits);
	CU_ASSERT_EQUAL(q[9], bcd(10));
	/* Track 3's pre-gap (generated, data): Q track 03 index 00, P set. */
	get_q(t, 700, q, pw);
	CU_ASSERT(q[0] == 0x41 && q[1] == 0x03 && q[2] == 0x00 && q[5] == bcd(50));

	/* Audio back byte-exact, the host-sent pre-gap of track 2 included. */
	static uint8_t back[600 * RAW];
	CU_ASSERT_EQUAL(read_cd(t, 0, 600, 1, 0xf8, 0, back, sizeof(back)).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, audio, sizeof(back)), 0);
	CU_ASSERT_EQUAL(read10(t, 450, 1, back).sense, SK(5, 0x64, 0x00));
	/* A raw Mode 1 sector: sync, header 00:12:10 (760 + 150 = 910), mode 1, the data,
	 * the EDC recomputed here; the ECC bytes are not all zero. */
	uint8_t sec[RAW];
	CU_ASSERT_EQUAL(read_cd(t, 760, 1, 2, 0xf8, 0, sec, RAW).rc, 0);
	static const uint8_t sync[12] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0 };
	CU_ASSERT_EQUAL(memcmp(sec, sync, 12), 0);
	CU_ASSERT(sec[12] == 0x00 && sec[13] == 0x12 && sec[14] == 0x10 && sec[15] == 1);
	CU_ASSERT_EQUAL(memcmp(sec + 16, data + 10 * 2048, 2048), 0);
	uint32_t e = edc(sec, 2064);
	CU_ASSERT(sec[2064] == (uint8_t)e && sec[2065] == (uint8_t)(e >> 8) &&
		  sec[2066] == (uint8_t)(e >> 16) && sec[2067] == (uint8_t)(e >> 24));
	int nonzero = 0;
	for (int i = 2076; i < RAW; i++)
		nonzero |= sec[i];
	CU_ASSERT(nonzero);
	/* Field selection: header only (4), user data + EDC/ECC (2048 + 288), C2 (294). */
	res r = read_cd(t, 760, 1, 2, 0x20, 0, sec, RAW);
	CU_ASSERT(r.rc == 0 && r.got == 4);
	r = read_cd(t, 760, 1, 2, 0x18, 0, sec, RAW);
	CU_ASSERT(r.rc == 0 && r.got == 2048 + 288);
	r = read_cd(t, 760, 1, 2, 0x12, 0, sec, RAW);
	CU_ASSERT(r.rc == 0 && r.got == 2048 + 294);
	/* Illegal: sync with user data but no header. */
	CU_ASSERT_EQUAL(read_cd(t, 760, 1, 2, 0x90, 0, sec, RAW).sense, SK(5, 0x24, 0x00));
	/* The data track through READ(10). */
	CU_ASSERT_EQUAL(read10(t, 800, 1, sec).rc, 0);
	CU_ASSERT_EQUAL(memcmp(sec, data + 50 * 2048, 2048), 0);
}

static void test_sao_cue(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	uint8_t packs[4][18];
	write_sao_disc(t, packs);
	check_sao_disc(t, packs);
	scsi_close(t);
	/* The disc file keeps it all: modes, pre-gaps, indexes, ISRC, MCN, CD-TEXT. */
	t = open_spec("", path, NULL);
	if (!t)
		return;
	check_sao_disc(t, packs);
	scsi_close(t);
}

/* CD-Extra: an audio session, then a data session (Blue Book). */
static void test_cd_extra(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-rw", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x00, 0x00).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 0, 300, audio, 300 * RAW).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	uint32_t start = dm_get_be32(ti + 8);
	CU_ASSERT_EQUAL(start, 300 + 11400);
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x08).rc, 0);
	CU_ASSERT_EQUAL(write10(t, start, 32).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 2).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	uint8_t toc[256];
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT(toc[2] == 1 && toc[3] == 2);
	CU_ASSERT(toc[5] == 0x10 && dm_get_be32(toc + 8) == 0);
	CU_ASSERT(toc[13] == 0x14 && dm_get_be32(toc + 16) == start);
	CU_ASSERT(toc[21] == 0x14 && toc[22] == 0xaa && dm_get_be32(toc + 24) == start + 32);
	/* Format 1: the last session starts with track 2, data. */
	CU_ASSERT_EQUAL(read_toc(t, 1, 0, 0, toc, 12).rc, 0);
	CU_ASSERT(toc[3] == 2 && toc[5] == 0x14 && toc[6] == 2 && dm_get_be32(toc + 8) == start);
	/* Full TOC: session 1 A0-A2 audio, C0; session 2 A0-A2 data, B0 (appendable). */
	CU_ASSERT_EQUAL(read_toc(t, 2, 0, 0, toc, sizeof(toc)).rc, 0);
	unsigned n = (dm_get_be16(toc) - 2) / 11, seen = 0;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *d = toc + 4 + 11 * i;
		if (d[0] == 1 && d[3] == 0xa0)
			seen |= (d[1] == 0x10 && d[8] == 1) << 0;
		if (d[0] == 1 && d[3] == 0xa2)
			seen |= (d[1] == 0x10 && d[8] * 4500 + d[9] * 75 + d[10] == 450) << 1;
		if (d[0] == 1 && d[3] == 0xc0)
			seen |= (d[1] == 0x50 && d[8] == 97 && d[9] == 26 && d[10] == 66) << 2;
		if (d[0] == 2 && d[3] == 0xa0)
			seen |= (d[1] == 0x14 && d[8] == 2) << 3;
		if (d[0] == 2 && d[3] == 0xb0)
			seen |= (d[1] == 0x54) << 4;
		if (d[0] == 2 && d[3] == 2)
			seen |= (d[1] == 0x14) << 5;
	}
	CU_ASSERT_EQUAL(seen, 0x3f);
	/* The audio of session 1 still reads. */
	static uint8_t back[10 * RAW];
	CU_ASSERT_EQUAL(read_cd(t, 290, 10, 1, 0x10, 0, back, sizeof(back)).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, audio + 290 * RAW, sizeof(back)), 0);
	/* BLANK of the last track (the data session) keeps the audio of session 1, in
	 * both regions of the file. */
	CU_ASSERT_EQUAL(blank(t, 2, 0).rc, 0);
	CU_ASSERT_EQUAL(read_toc(t, 0, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT(toc[3] == 1 && toc[5] == 0x10);
	CU_ASSERT_EQUAL(read_cd(t, 290, 10, 1, 0x10, 0, back, sizeof(back)).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, audio + 290 * RAW, sizeof(back)), 0);
	CU_ASSERT_EQUAL(read10(t, start, 1, back).sense, SK(5, 0x21, 0x00));
	/* BLANK minimal forgets the audio too. */
	CU_ASSERT_EQUAL(blank(t, 1, 0).rc, 0);
	CU_ASSERT_EQUAL(read_cd(t, 290, 1, 1, 0x10, 0, back, RAW).sense, SK(5, 0x21, 0x00));
	scsi_close(t);
}

/* Raw data: a SAO Mode 1 raw track (data form 11h) keeps the host's 2,352-byte sectors
 * (READ CD returns them as sent) and their user data (READ(10)); a TAO Mode 2 form 1 track
 * (block type 10) reads back raw as a valid form 1 sector; a TAO raw data track (block
 * type 0, data track mode) likewise; a track keeps one mode. */
static void test_raw_data(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	static uint8_t raw[400 * RAW];
	for (int32_t lba = 0; lba < 400; lba++)
		dm_cd_sector_mode1(lba, data + (size_t)(lba % 64) * 2048, raw + (size_t)lba * RAW);
	uint8_t cue[40];
	put_entry(cue, 0x41, 0, 0, 0x14, -150);
	put_entry(cue + 8, 0x41, 1, 0, 0x14, -150);
	put_entry(cue + 16, 0x41, 1, 1, 0x11, 0);
	put_entry(cue + 24, 0x41, 0xaa, 1, 0x14, 400);
	uint8_t c[10] = { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 };
	CU_ASSERT_EQUAL(select_page(t, 2, 3, 0, 0).rc, 0);
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, 0, 10, raw, 10 * 2048).sense, SK(5, 0x24, 0x00));
	for (int32_t lba = 0; lba < 400; lba += 100)
		CU_ASSERT_EQUAL(write_bytes(t, lba, 100, raw + (size_t)lba * RAW, 100 * RAW).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	uint8_t sec[RAW];
	CU_ASSERT_EQUAL(read_cd(t, 123, 1, 2, 0xf8, 0, sec, RAW).rc, 0);
	CU_ASSERT_EQUAL(memcmp(sec, raw + 123 * RAW, RAW), 0);
	CU_ASSERT_EQUAL(read10(t, 123, 1, sec).rc, 0);
	CU_ASSERT_EQUAL(memcmp(sec, data + 59 * 2048, 2048), 0);
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[6] & 0x0f, 1);

	/* Session 2: TAO Mode 2 form 1 (track mode 4, block type 10), 2,048 bytes a block. */
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	uint32_t s2 = dm_get_be32(ti + 8);
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x0a).rc, 0);
	CU_ASSERT_EQUAL(write10(t, s2, 32).rc, 0);
	/* The open track is Mode 2: raw Mode 1 blocks do not join it. */
	CU_ASSERT_EQUAL(select_page(t, 1, 3, 0x04, 0x00).rc, 0);
	CU_ASSERT_EQUAL(write_bytes(t, (int32_t)s2 + 32, 1, raw, RAW).sense, SK(5, 0x24, 0x00));
	CU_ASSERT_EQUAL(close_ts(t, 1, 2).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 2, 0).rc, 0);
	CU_ASSERT_EQUAL(read_cd(t, (int32_t)s2 + 5, 1, 4, 0xf8, 0, sec, RAW).rc, 0);
	CU_ASSERT_EQUAL(sec[15], 2);
	CU_ASSERT_EQUAL(memcmp(sec + 24, data + 5 * 2048, 2048), 0);
	CU_ASSERT(dm_cd_sector_check(sec));
	CU_ASSERT_EQUAL(read_cd(t, (int32_t)s2 + 5, 1, 2, 0xf8, 0, sec, RAW).sense, SK(5, 0x64, 0x00));
	/* Form 1 with sub-header: header, sub-header, data, EDC/ECC: 4 + 8 + 2048 + 280. */
	res r = read_cd(t, (int32_t)s2 + 5, 1, 4, 0x78, 0, sec, RAW);
	CU_ASSERT(r.rc == 0 && r.got == 4 + 8 + 2048 + 280);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[6] & 0x0f, 2);
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[8], 0x00); /* session 1 is Mode 1: CD-ROM */
	uint8_t toc[256];
	CU_ASSERT_EQUAL(read_toc(t, 2, 0, 0, toc, sizeof(toc)).rc, 0);
	CU_ASSERT(toc[4 + 11 * 0 + 3] == 0xa0 && toc[4 + 11 * 0 + 9] == 0x00); /* session 1 */
	int xa = 0;
	for (unsigned i = 0; i < (dm_get_be16(toc) - 2u) / 11; i++)
		if (toc[4 + 11 * i] == 2 && toc[4 + 11 * i + 3] == 0xa0)
			xa = toc[4 + 11 * i + 9] == 0x20; /* session 2: CD-ROM XA */
	CU_ASSERT(xa);

	/* Session 3: TAO raw data sectors (block type 0, data track mode). */
	CU_ASSERT_EQUAL(track_info(t, 0xff, ti).rc, 0);
	uint32_t s3 = dm_get_be32(ti + 8);
	static uint8_t raw3[20 * RAW];
	for (int32_t k = 0; k < 20; k++)
		dm_cd_sector_mode1((int32_t)s3 + k, data + (size_t)k * 2048, raw3 + (size_t)k * RAW);
	CU_ASSERT_EQUAL(write_bytes(t, (int32_t)s3, 20, raw3, sizeof(raw3)).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 3).rc, 0);
	CU_ASSERT_EQUAL(read_cd(t, (int32_t)s3 + 7, 1, 2, 0xf8, 0, sec, RAW).rc, 0);
	CU_ASSERT_EQUAL(memcmp(sec, raw3 + 7 * RAW, RAW), 0);
	CU_ASSERT_EQUAL(read10(t, s3 + 7, 1, sec).rc, 0);
	CU_ASSERT_EQUAL(memcmp(sec, data + 7 * 2048, 2048), 0);
	scsi_close(t);
}

/* A disc file of the first format (trailer version 1) is refused, naming the file. */
static void test_old_trailer(void)
{
	char path[128];
	fresh(path, sizeof(path));
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	uint8_t slot[8192] = { 0 };
	memcpy(slot, "DMEMUDSC", 8);
	dm_put_be32(slot + 8, 1);
	for (int i = 0; i < 10; i++)
		fwrite(data, 1, 2048, f);
	fwrite(slot, 1, sizeof(slot), f);
	fwrite(slot, 1, sizeof(slot), f);
	fclose(f);
	char spec[256];
	snprintf(spec, sizeof(spec), "emu:cd-r:%s", path);
	scsi_transport *t = NULL;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(emu_open(spec, &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "version 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, path));
}

static int setup_audio(void)
{
	fill_audio();
	return setup();
}

static CU_TestInfo tests[] = {
	{ "TAO audio written, READ CD byte-exact, TOC, refusals", test_tao_audio },
	{ "TAO audio: the drive's pre-gaps (pause length), NWA after them, MCN and ISRC",
	  test_tao_pregap },
	{ "TAO: SYNCHRONIZE CACHE ends the track (wodim sends no CLOSE TRACK)",
	  test_tao_sync_closes },
	{ "SAO cue: pre-gaps, indexes, ISRC, MCN, CD-TEXT; TOC 0/1/2/5, sub-channel, raw Mode 1",
	  test_sao_cue },
	{ "CD-Extra: audio session and data session in the TOC", test_cd_extra },
	{ "raw data: SAO Mode 1 raw, TAO Mode 2 form 1 and raw data", test_raw_data },
	{ "a version 1 disc file is refused", test_old_trailer },
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{ "emu_audio", setup_audio, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
