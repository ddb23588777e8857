/* The emulated recorder's command families CDB by CDB (emu_cdb_util.h): INQUIRY and VPD,
 * the DL layer break, CD SAO with cue sheets and the TOC/ATIP it leaves, speeds clamped and
 * read back, faults (power loss, underrun, interrupted format and blank), and the one-file
 * disc: trailer slots, corruption, an older version's sidecar, persisted faults. */
#include <time.h>

#include "tests/unit/emu_cdb_util.h"

/* What the kernel's SCSI scan asks first: INQUIRY and its VPD pages. */
static void test_inquiry(void)
{
	char path[128];
	scsi_transport *t = open_spec("dvd+r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	uint8_t r[96], c[6] = { 0x12, 0, 0, 0, 96, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[0], 0x05);                 /* CD/DVD device */
	CU_ASSERT_EQUAL(r[1], 0x80);                 /* removable */
	CU_ASSERT_EQUAL(memcmp(r + 8, "DISCMSTR", 8), 0);
	c[1] = 1;
	res q = cmd_in(t, c, 6, r, 96);
	CU_ASSERT_EQUAL(q.rc, 0);
	CU_ASSERT_EQUAL(q.got, 7);
	static const uint8_t vpd0[7] = { 0x05, 0x00, 0, 3, 0x00, 0x80, 0x83 };
	CU_ASSERT_EQUAL(memcmp(r, vpd0, 7), 0);
	c[2] = 0x80;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[1], 0x80);
	CU_ASSERT_EQUAL(memcmp(r + 4, "EMU00001", 8), 0);
	c[2] = 0x83;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).rc, 0);
	CU_ASSERT_EQUAL(r[5] & 0x0f, 1);
	c[2] = 0xb0;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).sense, SK(5, 0x24, 0x00));
	c[1] = 0;
	CU_ASSERT_EQUAL(cmd_in(t, c, 6, r, 96).sense, SK(5, 0x24, 0x00));
	/* WRITE AND VERIFY(10) writes like WRITE(10); SEND OPC INFORMATION is taken. */
	uint8_t wv[10] = { 0x2e, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
	CU_ASSERT_EQUAL(run(t, wv, 10, SCSI_DIR_OUT, data, 16 * 2048).rc, 0);
	uint8_t opc[10] = { 0x54, 1 };
	CU_ASSERT_EQUAL(run(t, opc, 10, SCSI_DIR_NONE, NULL, 0).rc, 0);
	uint8_t back[2048];
	CU_ASSERT_EQUAL(read10(t, 15, 1, back).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data + 15 * 2048, 2048), 0);
	scsi_close(t);
}

static void test_layer_break(void)
{
	for (int k = 0; k < 2; k++) {
		const char *name = k ? "dvd-r-dl" : "dvd+r-dl";
		uint32_t cap = k ? 4171712 : 4173824;
		char path[128];
		scsi_transport *t = open_spec(name, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		uint8_t r[12], c[12] = { 0xad, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be16(r), 10);
		CU_ASSERT_EQUAL(r[4] & 0x80, 0);                 /* can still be set */
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), cap / 2 / 16 * 16);
		/* growisofs' SEND DVD STRUCTURE 20h: a smaller layer 0. */
		uint8_t p[12] = { 0, 10 };
		dm_put_be32(p + 8, 1000000);
		uint8_t s[12] = { 0xbf, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 };
		dm_put_be32(p + 8, cap); /* larger than layer 0: refused */
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).sense, SK(5, 0x26, 0x00));
		dm_put_be32(p + 8, 1000000);
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).rc, 0);
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(r[4] & 0x80, 0x80);
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), 1000000);
		uint8_t di[34];
		CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(di + 20), 2000000);
		CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).sense, SK(5, 0x2c, 0x00));
		/* DVD-R DL: shifted middle area and jump interval answer too. */
		c[7] = 0x21;
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, k ? 0 : 1);
		scsi_close(t);
		/* The layer break persists. */
		t = open_spec(name, path, NULL);
		c[7] = 0x20;
		CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(r + 8), 1000000);
		scsi_close(t);
	}
}

static void put_cue(uint8_t *e, uint8_t ctl_adr, uint8_t tno, uint8_t index, uint8_t form,
		    unsigned m, unsigned s, unsigned f)
{
	e[0] = ctl_adr;
	e[1] = tno;
	e[2] = index;
	e[3] = form;
	e[4] = 0;
	e[5] = (uint8_t)m;
	e[6] = (uint8_t)s;
	e[7] = (uint8_t)f;
}

static void test_cue_sheet_sao(void)
{
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	/* Lead-in, track 1 pre-gap at 00:00:00 and data at 00:02:00 (LBA 0), lead-out at
	 * 00:03:25 (LBA 100): Mode 1, 2048-byte blocks (data form 10h). */
	uint8_t cue[32];
	put_cue(cue, 0x41, 0, 0, 0x10, 0, 0, 0);
	put_cue(cue + 8, 0x41, 1, 0, 0x10, 0, 0, 0);
	put_cue(cue + 16, 0x41, 1, 1, 0x10, 0, 2, 0);
	put_cue(cue + 24, 0x41, 0xaa, 1, 0x10, 0, 3, 25);
	uint8_t c[10] = { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 };
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).sense, SK(5, 0x2c, 0x00)); /* TAO */
	CU_ASSERT_EQUAL(mode_select_05(t, 2, 0, 0).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(5, 0x2c, 0x00)); /* SAO without a cue */
	/* A sheet with the lead-out before the track: 5/26/00. */
	uint8_t bad[32];
	memcpy(bad, cue, 32);
	put_cue(bad + 24, 0x41, 0xaa, 1, 0x10, 0, 1, 0);
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, 32).sense, SK(5, 0x26, 0x00));
	memcpy(bad, cue, 32);
	bad[19] = 0x12; /* a reserved data form */
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, bad, 32).sense, SK(5, 0x64, 0x00));
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
	/* The writes the sheet announces, from the pre-gap at -150. */
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-100, 10).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-150, 50).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-100, 60).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-40, 50).rc, 0);    /* crosses into the data */
	CU_ASSERT_EQUAL(write10(t, 10, 64).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 74, 30).sense, SK(5, 0x21, 0x00)); /* past the lead-out */
	CU_ASSERT_EQUAL(write10(t, 74, 26).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	uint8_t back[2048];
	CU_ASSERT_EQUAL(read10(t, 10, 1, back).rc, 0);
	CU_ASSERT_EQUAL(memcmp(back, data, 2048), 0);
	CU_ASSERT_EQUAL(read10(t, 0, 1, back).rc, 0);          /* the part after the pre-gap */
	CU_ASSERT_EQUAL(memcmp(back, data + 40 * 2048, 2048), 0);
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 2); /* multi-session 0: complete */
	/* TOC: track 1 at 0, lead-out at 100; MSF form 00:02:00 and 00:03:25. */
	uint8_t toc[20], tc[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 20, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, tc, 10, toc, 20).rc, 0);
	static const uint8_t want[20] = { 0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0,
					  0, 0x14, 0xaa, 0, 0, 0, 0, 100 };
	CU_ASSERT_EQUAL(memcmp(toc, want, 20), 0);
	tc[1] = 0x02;
	CU_ASSERT_EQUAL(cmd_in(t, tc, 10, toc, 20).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 8), 0x00000200);
	CU_ASSERT_EQUAL(dm_get_be32(toc + 16), 0x00000319);
	/* Session info, full TOC (A0, A1, A2, track 1). */
	uint8_t fs[64], f1[10] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, f1, 10, fs, 12).rc, 0);
	CU_ASSERT_EQUAL(fs[3], 1);
	CU_ASSERT_EQUAL(fs[6], 1);
	/* ... also asked the older way, Linux sr's: format 0, control byte 40h (MMC-6 6.26.2.5) */
	uint8_t f1old[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0x40 };
	memset(fs, 0xee, sizeof(fs));
	CU_ASSERT_EQUAL(cmd_in(t, f1old, 10, fs, 12).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(fs), 10);
	CU_ASSERT_EQUAL(fs[6], 1);
	uint8_t f2[10] = { 0x43, 0, 2, 0, 0, 0, 0, 0, 64, 0 };
	res r = cmd_in(t, f2, 10, fs, 64);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(fs), 2 + 4 * 11);
	CU_ASSERT_EQUAL(fs[4 + 3], 0xa0);
	CU_ASSERT_EQUAL(fs[4 + 8], 1);
	CU_ASSERT_EQUAL(fs[4 + 22 + 3], 0xa2);
	CU_ASSERT_EQUAL(fs[4 + 22 + 8], 0);     /* lead-out 00:03:25 */
	CU_ASSERT_EQUAL(fs[4 + 22 + 9], 3);
	CU_ASSERT_EQUAL(fs[4 + 22 + 10], 25);
	CU_ASSERT_EQUAL(fs[4 + 33 + 3], 1);
	CU_ASSERT_EQUAL(fs[4 + 33 + 9], 2);     /* track 1 at 00:02:00 */
	/* ATIP: CD-R (disc type 0), lead-in 97:26:66, lead-out 79:59:74. */
	uint8_t at[28], f4[10] = { 0x43, 0, 4, 0, 0, 0, 0, 0, 28, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, f4, 10, at, 28).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be16(at), 26);
	CU_ASSERT_EQUAL(at[6] & 0x40, 0);
	CU_ASSERT_EQUAL(at[8], 97);
	CU_ASSERT_EQUAL(at[9], 26);
	CU_ASSERT_EQUAL(at[10], 66);
	CU_ASSERT_EQUAL(at[12], 79);
	CU_ASSERT_EQUAL(at[13], 59);
	CU_ASSERT_EQUAL(at[14], 74);
	scsi_close(t);
	/* A pre-gap the drive generates (data form 14h): the host starts at LBA 0. */
	t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(mode_select_05(t, 2, 0, 1).rc, 0);
	cue[11] = 0x14;
	CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
	CU_ASSERT_EQUAL(write10(t, (uint32_t)-150, 16).sense, SK(5, 0x21, 0x02));
	CU_ASSERT_EQUAL(write10(t, 0, 64).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 64, 36).rc, 0);
	CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 1); /* multi-session 3: appendable */
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(ti + 24), 100);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0);
	CU_ASSERT_EQUAL(track_info(t, 2, ti).rc, 0);      /* next session after 11,400 */
	CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 100 + 11400);
	scsi_close(t);
	/* CD-RW's ATIP says so (disc type 1). */
	t = open_spec("cd-rw", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(cmd_in(t, f4, 10, at, 28).rc, 0);
	CU_ASSERT_EQUAL(at[6] & 0x40, 0x40);
	scsi_close(t);
}

/* MODE SELECT(10) of page 05h with bytes 2-4 as given (write type and flags, multi-session
 * and track mode, data block type), the rest of the page as wodim/libburn send it. */
static res select_05(scsi_transport *t, uint8_t b2, uint8_t b3, uint8_t b4)
{
	uint8_t p[8 + 52] = { 0 };
	p[8] = 0x05;
	p[9] = 0x32;
	p[10] = b2;
	p[11] = b3;
	p[12] = b4;
	dm_put_be16(p + 8 + 14, 150);
	uint8_t c[10] = { 0x55, 0x10 };
	dm_put_be16(c + 7, sizeof(p));
	return run(t, c, 10, SCSI_DIR_OUT, p, sizeof(p));
}

/* Page 05h bytes 2-4 read back with MODE SENSE(10), DBD. */
static void sense_05(scsi_transport *t, uint8_t *b)
{
	uint8_t r[8 + 52], c[10] = { 0x5a, 0x08, 0x05, 0, 0, 0, 0, 0, sizeof(r), 0 };
	memset(b, 0xee, 3);
	if (cmd_in(t, c, 10, r, sizeof(r)).rc == 0)
		memcpy(b, r + 8 + 2, 3);
}

/* SAO as the peer burners drive it (README-peers.md, problem 1): wodim, cdrskin, xorriso
 * and cdrdao leave track mode and data block type 0 in page 05h and give the data form
 * in the cue sheet; the drive takes the page, then the sheet, then writes from -150. */
static void test_sao_page_of_peers(void)
{
	static const struct { uint8_t b2, b3, b4; } pages[] = {
		{ 0x42, 0x00, 0x00 }, /* cdrskin, xorriso: BUFE, SAO, all else 0 */
		{ 0x42, 0x04, 0x00 }, /* cdrdao: track mode 4 */
		{ 0x42, 0xc0, 0x00 }, /* libburn's second try: multi-session 11b */
		{ 0x42, 0xc4, 0x02 }, /* wodim's probes: raw block types in SAO */
		{ 0x42, 0xc4, 0x03 },
		{ 0x42, 0x04, 0x08 }, /* Mode 1, as writeimg sends it */
	};
	/* The sheet of every peer's trace: lead-in (14h), pre-gap sent by the host (10h) at
	 * 00:00:00, track 1 at 00:02:00, lead-out at 00:19:29 (LBA 1,304). */
	uint8_t cue[32] = {
		0x41, 0x00, 0x00, 0x14, 0, 0, 0x00, 0x00, 0x41, 0x01, 0x00, 0x10, 0, 0, 0x00, 0x00,
		0x41, 0x01, 0x01, 0x10, 0, 0, 0x02, 0x00, 0x41, 0xaa, 0x01, 0x14, 0, 0, 0x13, 0x1d,
	};
	uint8_t c[10] = { 0x5d, 0, 0, 0, 0, 0, 0, 0, 32, 0 };
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		char path[128];
		scsi_transport *t = open_spec(i % 2 ? "cd-rw" : "cd-r", fresh(path, sizeof(path)),
					      NULL);
		if (!t)
			return;
		CU_ASSERT_EQUAL(select_05(t, pages[i].b2, pages[i].b3, pages[i].b4).rc, 0);
		uint8_t b[3];
		sense_05(t, b);
		CU_ASSERT_EQUAL(b[0], pages[i].b2);
		CU_ASSERT_EQUAL(b[1], pages[i].b3);
		CU_ASSERT_EQUAL(b[2], pages[i].b4);
		CU_ASSERT_EQUAL(run(t, c, 10, SCSI_DIR_OUT, cue, 32).rc, 0);
		CU_ASSERT_EQUAL(write10(t, (uint32_t)-150, 31).rc, 0); /* wodim: 31 at a time */
		int ok = 1;
		for (int32_t lba = -119; lba < 1304; lba += 64) /* the rest in 32 KiB-ish */
			ok &= write10(t, (uint32_t)lba, (uint16_t)(1304 - lba < 64 ? 1304 - lba : 64))
				      .rc == 0;
		CU_ASSERT(ok);
		CU_ASSERT_EQUAL(write10(t, 1304, 1).sense, SK(5, 0x21, 0x00)); /* the lead-out */
		CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
		uint8_t ti[48];
		CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(ti + 8), 0);
		CU_ASSERT_EQUAL(dm_get_be32(ti + 24), 1304);
		CU_ASSERT_EQUAL(ti[5] & 0x20, 0);               /* not damaged */
		scsi_close(t);
	}
	/* Still refused, as by a drive: reserved block types (4-6, 14), reserved write types
	 * (5-15), raw blocks with host sub-channel (1-3) and the Mode 2 forms with sub-headers
	 * (11-13) in TAO (not kept: TAO takes 0, 8, 9, 10), an audio track mode with a data
	 * block type, RAW and packet writing on CD. */
	static const struct { uint8_t b2, b3, b4; } bad[] = {
		{ 0x42, 0x00, 0x04 }, { 0x42, 0x00, 0x0e }, { 0x45, 0x00, 0x08 }, { 0x4f, 0x04, 0x08 },
		{ 0x41, 0x00, 0x01 }, { 0x41, 0x00, 0x02 }, { 0x41, 0x04, 0x03 }, { 0x41, 0x04, 0x0b },
		{ 0x41, 0x04, 0x0d }, { 0x41, 0x00, 0x08 }, { 0x43, 0xc4, 0x01 }, { 0x40, 0xc5, 0x08 },
	};
	char path[128];
	scsi_transport *t = open_spec("cd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(select_05(t, bad[i].b2, bad[i].b3, bad[i].b4).sense,
				SK(5, 0x26, 0x00));
	uint8_t b[3];
	sense_05(t, b); /* the refused pages changed nothing: the default TAO page */
	CU_ASSERT_EQUAL(b[0], 0x41);
	CU_ASSERT_EQUAL(b[1], 0xc4);
	CU_ASSERT_EQUAL(b[2], 0x08);
	/* The drive's own SAO page with block type 0 and no disc in the tray: taken. */
	scsi_close(t);
	t = open_spec("none", fresh(path, sizeof(path)), NULL);
	if (t) {
		CU_ASSERT_EQUAL(select_05(t, 0x42, 0x00, 0x00).rc, 0);
		CU_ASSERT_EQUAL(select_05(t, 0x41, 0x00, 0x00).sense, SK(5, 0x26, 0x00));
		scsi_close(t);
	}
}

/* Page 05h where no write type applies (problem 2): growisofs -dvd-compat writes back
 * write type 02h, track mode 7, block type 8 on DVD+R; a drive takes it and the disc
 * still records incrementally from LBA 0 (no reservation, unlike DVD-R DAO). */
static void test_page05_plus_and_bd(void)
{
	static const char *const names[] = { "dvd+r", "dvd+rw", "dvd+r-dl", "dvd-ram", "bd-r",
					     "bd-re" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[128];
		scsi_transport *t = open_spec(names[i], fresh(path, sizeof(path)), NULL);
		if (!t)
			return;
		CU_ASSERT_EQUAL(select_05(t, 0x42, 0x07, 0x08).rc, 0);
		uint8_t b[3];
		sense_05(t, b);
		CU_ASSERT_EQUAL(b[0], 0x42);
		CU_ASSERT_EQUAL(b[1], 0x07);
		CU_ASSERT_EQUAL(b[2], 0x08);
		CU_ASSERT_EQUAL(select_05(t, 0x44, 0x07, 0x00).rc, 0);   /* layer jump, raw */
		CU_ASSERT_EQUAL(select_05(t, 0x46, 0x07, 0x08).sense, SK(5, 0x26, 0x00));
		CU_ASSERT_EQUAL(select_05(t, 0x42, 0x07, 0x05).sense, SK(5, 0x26, 0x00));
		CU_ASSERT_EQUAL(select_05(t, 0x52, 0x07, 0x08).sense, SK(5, 0x26, 0x00)); /* test */
		CU_ASSERT_EQUAL(select_05(t, 0x42, 0x07, 0x08).rc, 0);
		if (i == 0) {
			CU_ASSERT_EQUAL(write10(t, 0, 32).rc, 0);
			CU_ASSERT_EQUAL(sync_cache(t).rc, 0);
			uint8_t ti[48];
			CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
			CU_ASSERT_EQUAL(dm_get_be32(ti + 12), 32);      /* NWA: still open */
			CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
			CU_ASSERT_EQUAL(close_ts(t, 6, 0).rc, 0);
			uint8_t di[34];
			CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
			CU_ASSERT_EQUAL(di[2] & 3, 2);
		}
		scsi_close(t);
	}
}

/* READ DVD STRUCTURE on DVD-R DL (problem 3): format 10h, the pre-recorded physical
 * format information growisofs reads layer 0's end from; 21h, 22h; the FFh list. */
static void test_dvd_structures(void)
{
	char path[128];
	scsi_transport *t = open_spec("dvd-r-dl", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	uint8_t r[4 + 2048], c[12] = { 0xad, 0, 0, 0, 0, 0, 0, 0x10, 0, 20, 0, 0 };
	/* Header 0802h; book type DVD-R (2) version 6, 120 mm, two layers, opposite track
	 * path, recordable; data area 030000h to FCFFFFh; layer 0 ends at 030000h +
	 * 2,085,856 - 1 = 22D3DFh. */
	static const uint8_t want10[20] = { 0x08, 0x02, 0, 0, 0x26, 0x0f, 0x32, 0x00,
					    0x00, 0x03, 0x00, 0x00, 0x00, 0xfc, 0xff, 0xff,
					    0x00, 0x22, 0xd3, 0xdf };
	memset(r, 0xee, sizeof(r));
	res q = cmd_in(t, c, 12, r, 20);
	CU_ASSERT_EQUAL(q.rc, 0);
	CU_ASSERT_EQUAL(memcmp(r, want10, 20), 0);
	c[8] = 0x08;
	c[9] = 0x04;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, sizeof(r)).got, 4 + 2048);
	CU_ASSERT_EQUAL(r[4 + 16], 0);                     /* BCA flag and the rest: 0 */
	/* A layer break set by the host changes format 00h and 20h, not the pre-recorded 10h. */
	uint8_t p[12] = { 0, 10 }, s[12] = { 0xbf, 0, 0, 0, 0, 0, 0, 0x20, 0, 12, 0, 0 };
	dm_put_be32(p + 8, 1000000);
	CU_ASSERT_EQUAL(run(t, s, 12, SCSI_DIR_OUT, p, 12).rc, 0);
	c[8] = 0;
	c[9] = 20;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 20).rc, 0);
	CU_ASSERT_EQUAL(memcmp(r, want10, 20), 0);
	c[7] = 0x00;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 20).rc, 0);
	CU_ASSERT_EQUAL(dm_get_be32(r + 16), 0x030000 + 1000000 - 1);
	/* 21h: InitStatus and the shifted middle area; 22h: jump interval 0, byte 4 reserved. */
	c[7] = 0x21;
	c[9] = 12;
	static const uint8_t want21[12] = { 0, 10, 0, 0, 0x80, 0, 0, 0, 0x00, 0x0f, 0x42, 0x40 };
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
	CU_ASSERT_EQUAL(memcmp(r, want21, 12), 0);
	c[7] = 0x22;
	static const uint8_t want22[12] = { 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 12).rc, 0);
	CU_ASSERT_EQUAL(memcmp(r, want22, 12), 0);
	/* The list: 00h, 10h, 20h (sendable), 21h, 22h. */
	c[7] = 0xff;
	c[9] = 64;
	static const uint8_t wantff[24] = { 0, 22, 0, 0, 0x00, 0x40, 0x08, 0x04,
					    0x10, 0x40, 0x08, 0x04, 0x20, 0xc0, 0x00, 0x0c,
					    0x21, 0x40, 0x00, 0x0c, 0x22, 0x40, 0x00, 0x0c };
	q = cmd_in(t, c, 12, r, 64);
	CU_ASSERT_EQUAL(q.rc, 0);
	CU_ASSERT_EQUAL(memcmp(r, wantff, 24), 0);
	scsi_close(t);
	/* Format 10h of a single-layer DVD-R: its whole capacity in layer 0. */
	t = open_spec("dvd-r", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	c[7] = 0x10;
	c[9] = 20;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 20).rc, 0);
	CU_ASSERT_EQUAL(r[4], 0x25);
	CU_ASSERT_EQUAL(r[6], 0x02);
	CU_ASSERT_EQUAL(dm_get_be32(r + 12), 0x030000 + 2298496 - 1);
	CU_ASSERT_EQUAL(dm_get_be32(r + 16), 0x030000 + 2298496 - 1);
	scsi_close(t);
	/* DVD+R has no land pre-pits: 10h is 5/24/00 (its lead-in is ADIP, format 11h); 21h
	 * and 22h are DVD-R DL only. */
	t = open_spec("dvd+r-dl", fresh(path, sizeof(path)), NULL);
	if (!t)
		return;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 20).sense, SK(5, 0x24, 0x00));
	c[7] = 0x22;
	CU_ASSERT_EQUAL(cmd_in(t, c, 12, r, 20).sense, SK(5, 0x30, 0x02));
	scsi_close(t);
}

static void test_speeds(void)
{
	static const struct {
		const char *medium;
		int streaming;       /* SET STREAMING, else SET CD SPEED */
		uint32_t ask, get;
	} cases[] = {
		{ "cd-r", 0, 0xffff, 8467 },        /* fastest */
		{ "cd-r", 0, 99 * 176, 8467 },      /* 99x: clamped to 48x */
		{ "cd-r", 0, 4234, 4234 },          /* 24x exactly */
		{ "cd-rw", 0, 5000, 4234 },         /* between: the one below */
		{ "dvd+r", 1, 5540, 5540 },         /* 4x */
		{ "dvd+r", 1, 1000, 5540 },         /* below the slowest: the slowest */
		{ "bd-re", 1, 100000, 17980 },
		{ "dvd-ram", 1, 4200, 4155 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[128];
		scsi_transport *t = open_spec(cases[i].medium, fresh(path, sizeof(path)), NULL);
		if (!t)
			continue;
		if (cases[i].streaming) {
			uint8_t p[28] = { 0 };
			dm_put_be32(p + 8, 1000);                  /* end LBA */
			dm_put_be32(p + 20, cases[i].ask);         /* write size, kB */
			dm_put_be32(p + 24, 1000);                 /* write time, ms */
			uint8_t c[12] = { 0xb6, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0 };
			CU_ASSERT_EQUAL(run(t, c, 12, SCSI_DIR_OUT, p, 28).rc, 0);
		} else {
			uint8_t c[12] = { 0xbb, 0, 0xff, 0xff };
			dm_put_be16(c + 4, (uint16_t)cases[i].ask);
			CU_ASSERT_EQUAL(run(t, c, 12, SCSI_DIR_NONE, NULL, 0).rc, 0);
		}
		/* Read back: page 2Ah current write speed, GET PERFORMANCE type 00h write. */
		uint8_t b[128], ms[10] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, ms, 10, b, 128).rc, 0);
		CU_ASSERT_EQUAL(b[8], 0x2a);
		CU_ASSERT_EQUAL(dm_get_be16(b + 8 + 28), cases[i].get);
		uint8_t gp[12] = { 0xac, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0 };
		CU_ASSERT_EQUAL(cmd_in(t, gp, 12, b, 24).rc, 0);
		CU_ASSERT_EQUAL(dm_get_be32(b + 20), cases[i].get);
		/* Write speed descriptors (type 03h): the fastest first. */
		gp[1] = 0;
		gp[10] = 0x03;
		CU_ASSERT_EQUAL(cmd_in(t, gp, 12, b, 24).rc, 0);
		CU_ASSERT(dm_get_be32(b + 8 + 12) >= cases[i].get);
		scsi_close(t);
	}
}

static void test_faults(void)
{
	char path[128];
	uint8_t di[34], ti[48];
	/* Power lost after 2 WRITEs: no answer at all; the disc keeps a damaged track. */
	fresh(path, sizeof(path));
	scsi_transport *t = open_spec("dvd+r", path, "power_loss_after_writes=2");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 16, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 32, 16).rc, -1);
	CU_ASSERT_EQUAL(tur(t).rc, -1);
	scsi_close(t);
	t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0x20);         /* Damage */
	CU_ASSERT_EQUAL(ti[7] & 1, 0);               /* no NWA */
	CU_ASSERT_EQUAL(dm_get_be32(ti + 28), 31);   /* last recorded */
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 0x0f, 0x05);          /* appendable, session incomplete */
	CU_ASSERT_EQUAL(write10(t, 32, 16).sense, SK(5, 0x21, 0x02));
	scsi_close(t);
	/* Underrun: 3/0C/09 on the third WRITE. */
	t = open_spec("cd-r", fresh(path, sizeof(path)), "underrun_after_writes=2");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 16, 16).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 32, 16).sense, SK(3, 0x0c, 0x09));
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[5] & 0x20, 0x20);
	scsi_close(t);
	/* DVD+RW format interrupted: 3/31/01; background format incomplete, writable. */
	fresh(path, sizeof(path));
	t = open_spec("dvd+rw", path, "format_interrupt=1");
	CU_ASSERT_EQUAL(format_unit(t, 0x26, 0).sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 1);
	CU_ASSERT_EQUAL(write10(t, 100, 16).rc, 0);
	scsi_close(t);
	t = open_spec("dvd+rw", path, NULL);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 1);
	CU_ASSERT_EQUAL(format_unit(t, 0x26, 0).rc, 0);   /* resumed: complete */
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[7] & 3, 3);
	scsi_close(t);
	/* BD-RE format interrupted (IMMED): the poll at half way fails, the format is
	 * corrupted until formatted again. */
	t = open_spec("bd-re", fresh(path, sizeof(path)), "format_interrupt=1&op_polls=4");
	CU_ASSERT_EQUAL(format_unit(t, 0x30, 1).rc, 0);
	res r;
	unsigned polls = 0;
	while ((r = tur(t)).sense == SK(2, 0x04, 0x04) && polls < 10)
		polls++;
	CU_ASSERT_EQUAL(polls, 1);
	CU_ASSERT_EQUAL(r.sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(tur(t).rc, 0);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(3, 0x31, 0x00));
	scsi_close(t);
	/* CD-RW blank interrupted: complete with a damaged session; blank again. */
	fresh(path, sizeof(path));
	t = open_spec("cd-rw", path, "blank_interrupt=1");
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	CU_ASSERT_EQUAL(blank(t, 1, 0).sense, SK(3, 0x31, 0x01));
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2], 0x10 | 2 << 2 | 2);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(5, 0x30, 0x05));
	scsi_close(t);
	t = open_spec("cd-rw", path, NULL);
	CU_ASSERT_EQUAL(blank(t, 1, 0).rc, 0);
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 0);
	scsi_close(t);
}

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void sleep_us(uint64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L };
	nanosleep(&ts, NULL);
}

/* FORMAT UNIT with a format subtype (BD-RE 30h: 10b full certification). */
static res format_sub(scsi_transport *t, uint8_t type, uint8_t sub, int immed)
{
	uint8_t p[12] = { 0, (uint8_t)(immed ? 0x02 : 0), 0, 8, 0xff, 0xff, 0xff, 0xff,
			  (uint8_t)(type << 2 | sub), 0, 0, 0 };
	uint8_t c[6] = { 0x04, 0x11, 0, 0, 0, 0 };
	return run(t, c, 6, SCSI_DIR_OUT, p, sizeof(p));
}

/* IMMED operations last a time (spec/emulator.md "Long operations"), not a number of
 * polls: busy with growing progress until it has passed, then done; interrupted at half
 * of it; the time grows with the work. */
static void test_timed_operations(void)
{
	char path[128];
	/* The model: 10 s to get ready, then the blocks at the speed; divided by 100,000. */
	CU_ASSERT_EQUAL(emu_op_time_us(0, 4234), 100);
	CU_ASSERT_EQUAL(emu_op_time_us(2 * 11826176u, 17980), 27041);
	CU_ASSERT(emu_op_time_us(359847, 4234) > emu_op_time_us(4500, 4234));
	/* op_ms=400: polled at once, busy with progress below half; done after 400 ms. */
	scsi_transport *t = open_spec("bd-re", fresh(path, sizeof(path)), "op_ms=400");
	uint64_t t0 = mono_us();
	CU_ASSERT_EQUAL(format_unit(t, 0x30, 1).rc, 0);
	uint8_t s[18];
	res q = request_sense(t, s);
	if (mono_us() - t0 < 150000) { /* not when this busy machine paused the test */
		CU_ASSERT_EQUAL(q.sense, SK(2, 0x04, 0x04));
		CU_ASSERT_EQUAL(q.sksv, 1);
		CU_ASSERT(q.progress < 32768);
	}
	res r;
	unsigned polls = 0;
	while ((r = tur(t)).rc == 1 && polls++ < 10000)
		sleep_us(1000);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT(mono_us() - t0 >= 400000);
	scsi_close(t);
	/* Interrupted: busy until half the time, then 3/31/01. */
	t = open_spec("bd-re", fresh(path, sizeof(path)), "op_ms=400&format_interrupt=1");
	t0 = mono_us();
	CU_ASSERT_EQUAL(format_unit(t, 0x30, 1).rc, 0);
	polls = 0;
	while ((r = tur(t)).sense == SK(2, 0x04, 0x04) && polls++ < 10000)
		sleep_us(1000);
	CU_ASSERT_EQUAL(r.sense, SK(3, 0x31, 0x01));
	CU_ASSERT(mono_us() - t0 >= 200000);
	scsi_close(t);
	/* The modelled time: a full BD-RE format (certified) is busy at least its 27 ms; a
	 * full CD-RW blank at least its 1.8 ms (both at the fastest speed, the default). */
	t = open_spec("bd-re", fresh(path, sizeof(path)), NULL);
	t0 = mono_us();
	CU_ASSERT_EQUAL(format_sub(t, 0x30, 2, 1).rc, 0);
	polls = 0;
	while ((r = tur(t)).rc == 1 && polls++ < 100000)
		sleep_us(200);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT(mono_us() - t0 >= emu_op_time_us(2 * 11826176u, 17980));
	scsi_close(t);
	t = open_spec("cd-rw", fresh(path, sizeof(path)), NULL);
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	t0 = mono_us();
	CU_ASSERT_EQUAL(blank(t, 0, 1).rc, 0);
	polls = 0;
	while ((r = tur(t)).rc == 1 && polls++ < 100000)
		sleep_us(100);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT(mono_us() - t0 >= emu_op_time_us(359847, 4234));
	uint8_t di[34];
	CU_ASSERT_EQUAL(disc_info(t, di).rc, 0);
	CU_ASSERT_EQUAL(di[2] & 3, 0);
	scsi_close(t);
}

static void test_one_file(void)
{
	char path[128], old[160];
	fresh(path, sizeof(path));
	scsi_transport *t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(write10(t, 0, 16).rc, 0);
	CU_ASSERT_EQUAL(close_ts(t, 1, 1).rc, 0);
	scsi_close(t);
	struct stat sb;
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	off_t trailer = sb.st_size - (off_t)EMU_TRAILER_BYTES;
	CU_ASSERT_EQUAL(trailer, (off_t)2295104 * 2048);
	/* The newest slot damaged: the other one holds the state before it. */
	FILE *f = fopen(path, "r+b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	uint8_t s0[40], s1[40];
	fseeko(f, trailer, SEEK_SET);
	CU_ASSERT_EQUAL(fread(s0, 1, 40, f), 40);
	fseeko(f, trailer + EMU_TRAILER_SLOT, SEEK_SET);
	CU_ASSERT_EQUAL(fread(s1, 1, 40, f), 40);
	CU_ASSERT_EQUAL(memcmp(s0, "DMEMUDSC", 8), 0);
	CU_ASSERT_EQUAL(memcmp(s1, "DMEMUDSC", 8), 0);
	int newest = dm_get_be32(s1 + 16) > dm_get_be32(s0 + 16);
	fseeko(f, trailer + newest * EMU_TRAILER_SLOT + 40, SEEK_SET);
	fputc('#', f);
	fclose(f);
	t = open_spec("", path, NULL);
	uint8_t ti[48];
	CU_ASSERT_EQUAL(track_info(t, 1, ti).rc, 0);
	CU_ASSERT_EQUAL(ti[7] & 1, 1); /* the slot before the close: track still open */
	scsi_close(t);
	/* Both slots damaged: a clear error, the file untouched. */
	f = fopen(path, "r+b");
	fseeko(f, trailer + 40, SEEK_SET);
	fputc('#', f);
	fseeko(f, trailer + EMU_TRAILER_SLOT + 40, SEEK_SET);
	fputc('#', f);
	fclose(f);
	char spec[256];
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s", path);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	scsi_transport *t2 = NULL;
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "not an emulated disc"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, path));
	struct stat sb2;
	CU_ASSERT_EQUAL(stat(path, &sb2), 0);
	CU_ASSERT_EQUAL(sb2.st_size, sb.st_size);
	/* A FILE.emu of an older version: refused with what to do. */
	fresh(path, sizeof(path));
	snprintf(old, sizeof(old), "%s.emu", path);
	f = fopen(old, "w");
	fputs("medium=dvd+r\n", f);
	fclose(f);
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s", path);
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "older"));
	/* emu::FILE of nothing: name the medium. */
	fresh(path, sizeof(path));
	snprintf(spec, sizeof(spec), "emu::%s", path);
	CU_ASSERT_EQUAL(emu_open(spec, &t2, &ctx), DM_ERR_INVALID);
	/* Faults with persist=1 stay with the disc. */
	fresh(path, sizeof(path));
	t = open_spec("dvd+r", path, "write_error_lba=0&persist=1");
	scsi_close(t);
	t = open_spec("dvd+r", path, NULL);
	CU_ASSERT_EQUAL(write10(t, 0, 16).sense, SK(3, 0x0c, 0x00));
	scsi_close(t);
}

static CU_TestInfo tests[] = {
	{ "INQUIRY, VPD pages, WRITE AND VERIFY, SEND OPC", test_inquiry },
	{ "DL layer break", test_layer_break },
	{ "CD SAO cue sheet, TOC, ATIP", test_cue_sheet_sao },
	{ "SAO page 05h of the peers (track mode, block type 0)", test_sao_page_of_peers },
	{ "page 05h on DVD+R, DVD+RW, DVD-RAM, BD", test_page05_plus_and_bd },
	{ "DVD structures 10h, 21h, 22h, FFh (DVD-R DL)", test_dvd_structures },
	{ "speeds clamped and read back", test_speeds },
	{ "faults: power loss, underrun, interrupted format/blank", test_faults },
	{ "IMMED format and blank take their time", test_timed_operations },
	{ "one file: trailer slots, corruption, old sidecar", test_one_file },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "emu_cdb", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
