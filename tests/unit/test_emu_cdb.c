/* The emulated recorder's command families CDB by CDB (emu_cdb_util.h): INQUIRY and VPD,
 * the DL layer break, CD SAO with cue sheets and the TOC/ATIP it leaves, speeds clamped and
 * read back, faults (power loss, underrun, interrupted format and blank), and the one-file
 * disc: trailer slots, corruption, an older version's sidecar, persisted faults. */
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
	bad[19] = 0x00; /* audio: not modelled */
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
	{ "speeds clamped and read back", test_speeds },
	{ "faults: power loss, underrun, interrupted format/blank", test_faults },
	{ "one file: trailer slots, corruption, old sidecar", test_one_file },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "emu_cdb", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
