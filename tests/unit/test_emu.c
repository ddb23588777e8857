/* The emulated recorder, driven through the MMC command functions as writeimg drives
 * it: per-medium answers, what each medium refuses, persistence and fault injection. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/drive/emu_recorder.h"
#include "common/drive/media_probe.h"
#include "common/drive/mmc_cmds.h"

static char dir[64];
static unsigned counter;

static int setup(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (scsi_register(&emu_transport_kind, &ctx) != DM_OK)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/test_emu.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh disc file name. */
static const char *fresh(char *buf, size_t len)
{
	snprintf(buf, len, "%s/d%u.img", dir, counter++);
	return buf;
}

static scsi_transport *open_emu(const char *medium, const char *path, const char *settings,
				dm_ctx *ctx)
{
	char spec[512];
	snprintf(spec, sizeof(spec), "emu:%s:%s%s%s", medium, path, settings ? "?" : "",
		 settings ? settings : "");
	scsi_transport *t = NULL;
	dm_status st = scsi_open(spec, &t, ctx);
	if (st != DM_OK)
		fprintf(stderr, "\n%s: %s\n", spec, ctx->msg);
	CU_ASSERT_EQUAL(st, DM_OK);
	if (t)
		t->ready_wait_ms = 2000;
	return t;
}

static const struct medium_case {
	const char *name;
	uint16_t profile;
	uint32_t capacity;
	int sequential;
	int erasable;
	uint16_t write_feature;
} media[] = {
	{ "cd-r", 0x0009, 359847, 1, 0, 0x002d },
	{ "cd-rw", 0x000a, 359847, 1, 1, 0x002d },
	{ "dvd-r", 0x0011, 2298496, 1, 0, 0x0021 },
	{ "dvd+r", 0x001b, 2295104, 1, 0, 0x002b },
	{ "dvd+rw", 0x001a, 2295104, 0, 1, 0x002a },
	{ "bd-r", 0x0041, 12219392, 1, 0, 0x0041 },
	{ "bd-re", 0x0043, 11826176, 0, 1, 0x0041 },
};

static void test_blank_media(void)
{
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++) {
		const struct medium_case *m = &media[i];
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		char path[128];
		scsi_transport *t = open_emu(m->name, fresh(path, sizeof(path)), NULL, &ctx);
		if (!t)
			continue;
		mmc_config c;
		CU_ASSERT_EQUAL(mmc_get_configuration(t, MMC_RT_ALL, 0, &c, &ctx), DM_OK);
		CU_ASSERT_EQUAL(c.current_profile, m->profile);
		int current = 0;
		for (size_t k = 0; k < c.n_profiles; k++)
			if (c.profiles[k].code == m->profile)
				current = c.profiles[k].current;
		CU_ASSERT_EQUAL(current, 1);
		const mmc_feature *f = mmc_config_feature(&c, m->write_feature);
		CU_ASSERT(f && f->current);
		/* RT 1: only current features; RT 2: just the one asked for. */
		mmc_config cur;
		CU_ASSERT_EQUAL(mmc_get_configuration(t, MMC_RT_CURRENT, 0, &cur, &ctx), DM_OK);
		for (size_t k = 0; k < cur.n_features; k++)
			CU_ASSERT_EQUAL(cur.features[k].current, 1);
		CU_ASSERT(cur.n_features < c.n_features);
		CU_ASSERT_EQUAL(mmc_get_configuration(t, MMC_RT_ONE, m->write_feature, &cur, &ctx),
				DM_OK);
		CU_ASSERT_EQUAL(cur.n_features, 1);

		media_disc d;
		CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
		CU_ASSERT_EQUAL(d.present, 1);
		CU_ASSERT_EQUAL(d.profile, m->profile);
		CU_ASSERT_EQUAL(d.writable_by_drive, 1);
		CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_BLANK);
		CU_ASSERT_EQUAL(d.disc.erasable, m->erasable);
		CU_ASSERT_EQUAL(d.total_blocks, m->capacity);
		CU_ASSERT_EQUAL(d.free_blocks, m->capacity);
		CU_ASSERT_EQUAL(d.nwa_valid, 1);
		CU_ASSERT_EQUAL(d.nwa, 0);
		media_drive dr;
		CU_ASSERT_EQUAL(media_probe_drive(t, &dr, &ctx), DM_OK);
		CU_ASSERT_STRING_EQUAL(dr.inquiry.vendor, "DISCMSTR");
		CU_ASSERT(dr.speeds.n >= 1);
		CU_ASSERT_EQUAL(dr.have_buffer, 1);
		CU_ASSERT_EQUAL(dr.have_caps, 1);
		scsi_close(t);
	}
}

static uint8_t sectors[64 * 2048];

static void test_sequential_rules(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	scsi_transport *t = open_emu("dvd+r", fresh(path, sizeof(path)), NULL, &ctx);
	if (!t)
		return;
	/* Not at the NWA: 5/21/02. */
	CU_ASSERT_EQUAL(mmc_write10(t, 16, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/21/02"));
	memset(sectors, 0xa5, sizeof(sectors));
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_write10(t, 16, 16, sectors, &ctx), DM_OK);
	mmc_disc_info di;
	CU_ASSERT_EQUAL(mmc_read_disc_info(t, &di, &ctx), DM_OK);
	CU_ASSERT_EQUAL(di.disc_status, MMC_DISC_APPENDABLE);
	CU_ASSERT_EQUAL(di.last_session_state, MMC_SESSION_INCOMPLETE);
	mmc_track_info ti;
	CU_ASSERT_EQUAL(mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, 1, &ti, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ti.nwa_v, 1);
	CU_ASSERT_EQUAL(ti.nwa, 32);
	CU_ASSERT_EQUAL(ti.free_blocks, 2295104 - 32);
	/* Recorded sectors read back; past them 5/21/00. */
	uint8_t back[16 * 2048];
	CU_ASSERT_EQUAL(mmc_read10(t, 16, 16, back, &ctx), DM_OK);
	CU_ASSERT_EQUAL(memcmp(back, sectors, sizeof(back)), 0);
	CU_ASSERT_EQUAL(mmc_read10(t, 32, 1, back, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/21/00"));
	/* Close track and finalize: complete, and then every write fails 5/30/05. */
	CU_ASSERT_EQUAL(mmc_synchronize_cache(t, 0, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_TRACK, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_FINALIZE, 0, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_read_disc_info(t, &di, &ctx), DM_OK);
	CU_ASSERT_EQUAL(di.disc_status, MMC_DISC_COMPLETE);
	CU_ASSERT_EQUAL(mmc_write10(t, 32, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/30/05"));
	mmc_capacity cap;
	CU_ASSERT_EQUAL(mmc_read_capacity(t, &cap, &ctx), DM_OK);
	CU_ASSERT_EQUAL(cap.last_lba, 31);
	scsi_close(t);

	/* The disc persists: a new run sees it complete; the data file is the disc. */
	t = open_emu("dvd+r", path, NULL, &ctx);
	if (!t)
		return;
	media_disc d;
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_COMPLETE);
	CU_ASSERT_EQUAL(d.recorded_blocks, 32);
	CU_ASSERT_EQUAL(d.free_blocks, 0);
	scsi_close(t);
	struct stat sb;
	CU_ASSERT_EQUAL(stat(path, &sb), 0);
	/* One file: the data area of the medium, then the 256 KiB state trailer (no raw
	 * region on DVD). */
	CU_ASSERT_EQUAL(sb.st_size, (off_t)2295104 * 2048 + 262144);
	CU_ASSERT(sb.st_blocks * 512 < 1024 * 1024); /* sparse */
	/* Another medium name for the same files is refused. */
	scsi_transport *t2 = NULL;
	char spec[256];
	snprintf(spec, sizeof(spec), "emu:cd-r:%s", path);
	CU_ASSERT_EQUAL(scsi_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "dvd+r"));
	/* An empty medium name takes what is there. */
	snprintf(spec, sizeof(spec), "emu::%s", path);
	CU_ASSERT_EQUAL(scsi_open(spec, &t2, &ctx), DM_OK);
	scsi_close(t2);
}

static void test_reserve_and_capacity(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	scsi_transport *t = open_emu("dvd+r", fresh(path, sizeof(path)), "capacity=100", &ctx);
	if (!t)
		return;
	int unsupported = 1;
	CU_ASSERT_EQUAL(mmc_reserve_track(t, 40, &unsupported, &ctx), DM_OK);
	CU_ASSERT_EQUAL(unsupported, 0);
	mmc_track_info ti;
	CU_ASSERT_EQUAL(mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, 1, &ti, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ti.track_size, 48); /* rounded to ECC blocks */
	CU_ASSERT_EQUAL(ti.free_blocks, 48);
	/* Past the reservation: 5/21/00. */
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 64, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/21/00"));
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 48, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_TRACK, 1, &ctx), DM_OK);
	/* The invisible track holds the rest. */
	CU_ASSERT_EQUAL(mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, 2, &ti, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ti.blank, 1);
	CU_ASSERT_EQUAL(ti.nwa, 48);
	CU_ASSERT_EQUAL(ti.free_blocks, 52);
	CU_ASSERT_EQUAL(mmc_write10(t, 48, 64, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, 3, &ti, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, 0, &ti, &ctx), DM_ERR_SCSI);
	/* Session closed without finalizing: appendable, second session after it. */
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_SESSION, 0, &ctx), DM_OK);
	mmc_disc_info di;
	CU_ASSERT_EQUAL(mmc_read_disc_info(t, &di, &ctx), DM_OK);
	CU_ASSERT_EQUAL(di.disc_status, MMC_DISC_APPENDABLE);
	CU_ASSERT_EQUAL(di.sessions, 2);
	CU_ASSERT_EQUAL(di.last_session_state, MMC_SESSION_EMPTY);
	scsi_close(t);
}

static void test_cd_sessions_and_blank(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	scsi_transport *t = open_emu("cd-rw", fresh(path, sizeof(path)), NULL, &ctx);
	if (!t)
		return;
	/* Page 05h says "next session allowed" by default: closing leaves it appendable,
	 * the next session starts 11,400 blocks on. */
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 10, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_TRACK, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_SESSION, 0, &ctx), DM_OK);
	media_disc d;
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_APPENDABLE);
	CU_ASSERT_EQUAL(d.nwa, 11410);
	/* DVD+R close functions are refused on CD. */
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_FINALIZE, 0, &ctx), DM_ERR_SCSI);
	/* Page 05h multi-session 0: the next close completes the disc. */
	uint8_t buf[256];
	const uint8_t *page;
	size_t len;
	CU_ASSERT_EQUAL(mmc_mode_sense_page(t, MMC_PAGE_WRITE_PARAMS, buf, sizeof(buf), &page, &len,
					    NULL, &ctx), DM_OK);
	uint8_t copy[64];
	memcpy(copy, page, len);
	copy[3] &= 0x3f;
	CU_ASSERT_EQUAL(mmc_mode_select_page(t, copy, len, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 11410, 10, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_TRACK, 2, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 0, MMC_CLOSE_SESSION, 0, &ctx), DM_OK);
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_COMPLETE);
	CU_ASSERT_EQUAL(d.disc.sessions, 2);
	/* BLANK (CD-RW only) empties it. */
	scsi_cmd c = { 0 };
	c.cdb[0] = MMC_BLANK;
	c.cdb_len = 12;
	c.name = "BLANK";
	CU_ASSERT_EQUAL(scsi_run(t, &c, &ctx), DM_OK);
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_BLANK);
	CU_ASSERT_EQUAL(d.free_blocks, 359847);
	scsi_close(t);
}

static void test_random_media(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	scsi_transport *t = open_emu("bd-re", fresh(path, sizeof(path)), NULL, &ctx);
	if (!t)
		return;
	mmc_format_capacities fc;
	CU_ASSERT_EQUAL(mmc_read_format_capacities(t, &fc, &ctx), DM_OK);
	CU_ASSERT_EQUAL(fc.current_type, MMC_FMT_UNFORMATTED);
	/* A blank BD-RE takes no writes before FORMAT UNIT (5/30/10). */
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 32, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/30/10"));
	uint8_t param[12] = { 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0x30 << 2, 0, 0x3c, 0 };
	scsi_cmd c = { 0 };
	c.cdb[0] = 0x04;
	c.cdb[1] = 0x11;
	c.cdb_len = 6;
	c.dir = SCSI_DIR_OUT;
	c.buf = param;
	c.len = sizeof(param);
	c.name = "FORMAT UNIT";
	CU_ASSERT_EQUAL(scsi_run(t, &c, &ctx), DM_OK);
	/* Anywhere inside, in any order; not past the end. */
	CU_ASSERT_EQUAL(mmc_write10(t, 1000, 32, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 32, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 11826176 - 16, 32, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(mmc_read_format_capacities(t, &fc, &ctx), DM_OK);
	CU_ASSERT_EQUAL(fc.current_type, MMC_FMT_FORMATTED);
	CU_ASSERT_EQUAL(fc.n_formats, 3);
	CU_ASSERT_EQUAL(fc.formats[0].format_type, 0x00);
	CU_ASSERT_EQUAL(fc.formats[1].format_type, 0x30);
	CU_ASSERT_EQUAL(fc.formats[2].format_type, 0x31);
	media_disc d;
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.disc.disc_status, MMC_DISC_COMPLETE);
	CU_ASSERT_EQUAL(d.free_blocks, 11826176);
	CU_ASSERT_EQUAL(d.nwa, 0);
	/* RESERVE TRACK makes no sense here. */
	int unsupported;
	CU_ASSERT_EQUAL(mmc_reserve_track(t, 32, &unsupported, &ctx), DM_ERR_SCSI);
	scsi_close(t);
}

static void test_faults(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	/* not_ready and unit_attention are absorbed by the retry policy. */
	scsi_transport *t = open_emu("dvd+r", fresh(path, sizeof(path)),
				     "not_ready=3&unit_attention=1", &ctx);
	if (!t)
		return;
	CU_ASSERT_EQUAL(mmc_test_unit_ready(t, &ctx), DM_OK);
	scsi_close(t);
	/* A drive that never becomes ready fails with the wait in the message. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "not_ready=1000", &ctx);
	t->ready_wait_ms = 300;
	CU_ASSERT_EQUAL(mmc_test_unit_ready(t, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "2/04/01"));
	scsi_close(t);
	/* No disc. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "no_media=1", &ctx);
	int present = 1;
	CU_ASSERT_EQUAL(mmc_media_present(t, &present, &ctx), DM_OK);
	CU_ASSERT_EQUAL(present, 0);
	mmc_inquiry_info q;
	CU_ASSERT_EQUAL(mmc_inquiry(t, &q, &ctx), DM_OK);
	scsi_close(t);
	/* Write error at an LBA, read error at an LBA. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "write_error_lba=20,read_error_lba=5", &ctx);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 16, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "3/0c/00"));
	uint8_t back[2048];
	CU_ASSERT_EQUAL(mmc_read10(t, 5, 1, back, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "3/11/00"));
	scsi_close(t);
	/* The disc pulled out after two writes. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "remove_after_writes=2", &ctx);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 16, 16, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_write10(t, 32, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "2/3a/00"));
	CU_ASSERT_EQUAL(mmc_media_present(t, &present, &ctx), DM_OK);
	CU_ASSERT_EQUAL(present, 0);
	scsi_close(t);
	/* Busy after an IMMED close: polled until ready. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "busy_after_close=3", &ctx);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_close_track_session(t, 1, MMC_CLOSE_TRACK, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_wait_ready(t, 5000, &ctx), DM_OK);
	scsi_close(t);
	/* Write-protected. */
	t = open_emu("dvd+r", fresh(path, sizeof(path)), "write_protected=1", &ctx);
	media_disc d;
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.write_protected, 1);
	CU_ASSERT_EQUAL(mmc_write10(t, 0, 16, sectors, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "7/27/00"));
	scsi_close(t);
	/* Bad settings are refused with the key named. */
	scsi_transport *t2 = NULL;
	char spec[256];
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s?bogus=1", fresh(path, sizeof(path)));
	CU_ASSERT_EQUAL(scsi_open(spec, &t2, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "bogus"));
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s?capacity=x", fresh(path, sizeof(path)));
	CU_ASSERT_EQUAL(scsi_open(spec, &t2, &ctx), DM_ERR_INVALID);
}

static void test_tray_and_events(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	scsi_transport *t = open_emu("dvd-r", fresh(path, sizeof(path)), NULL, &ctx);
	if (!t)
		return;
	mmc_event_status ev;
	CU_ASSERT_EQUAL(mmc_get_event_status(t, &ev, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ev.media_present, 1);
	/* Locked: eject refused (5/53/02); unlocked: the disc goes, and comes back. */
	CU_ASSERT_EQUAL(mmc_prevent_allow(t, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_start_stop_unit(t, 0, 1, 0, &ctx), DM_ERR_SCSI);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "5/53/02"));
	CU_ASSERT_EQUAL(mmc_prevent_allow(t, 0, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_start_stop_unit(t, 0, 1, 0, &ctx), DM_OK);
	int present = 1;
	CU_ASSERT_EQUAL(mmc_media_present(t, &present, &ctx), DM_OK);
	CU_ASSERT_EQUAL(present, 0);
	CU_ASSERT_EQUAL(mmc_get_event_status(t, &ev, &ctx), DM_OK);
	CU_ASSERT_EQUAL(ev.media_event, 3);
	CU_ASSERT_EQUAL(ev.media_present, 0);
	CU_ASSERT_EQUAL(mmc_start_stop_unit(t, 0, 1, 1, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_media_present(t, &present, &ctx), DM_OK);
	CU_ASSERT_EQUAL(present, 1);
	/* Speed commands are accepted; REQUEST SENSE says all is well. */
	CU_ASSERT_EQUAL(mmc_set_streaming(t, 1000, 5540, 5540, &ctx), DM_OK);
	CU_ASSERT_EQUAL(mmc_set_cd_speed(t, 0xffff, 0xffff, &ctx), DM_OK);
	scsi_sense_info si;
	CU_ASSERT_EQUAL(mmc_request_sense(t, &si, &ctx), DM_OK);
	CU_ASSERT_EQUAL(si.key, 0);
	/* An unknown opcode (SEND KEY): 5/20/00. */
	scsi_cmd c = { 0 };
	c.cdb[0] = 0xa3;
	c.cdb_len = 12;
	CU_ASSERT_EQUAL(scsi_run(t, &c, &ctx), DM_ERR_SCSI);
	CU_ASSERT_EQUAL(scsi_sense_classify(&c.sense), SCSI_CLASS_INVALID_OPCODE);
	scsi_close(t);
}

static void test_foreign_file(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128], spec[256];
	fresh(path, sizeof(path));
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not a disc", f);
	fclose(f);
	scsi_transport *t = NULL;
	snprintf(spec, sizeof(spec), "emu:dvd+r:%s", path);
	CU_ASSERT_EQUAL(scsi_open(spec, &t, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "not an emulated disc"));
	/* The empty drive keeps no files. */
	fresh(path, sizeof(path));
	snprintf(spec, sizeof(spec), "emu:none:%s", path);
	CU_ASSERT_EQUAL(scsi_open(spec, &t, &ctx), DM_OK);
	media_disc d;
	CU_ASSERT_EQUAL(media_probe_disc(t, &d, &ctx), DM_OK);
	CU_ASSERT_EQUAL(d.present, 0);
	scsi_close(t);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
}

static CU_TestInfo emu_tests[] = {
	{ "every medium blank: profile, features, capacity", test_blank_media },
	{ "sequential: NWA, complete, persistence", test_sequential_rules },
	{ "reserve track and capacity limits", test_reserve_and_capacity },
	{ "CD sessions, page 05h, BLANK", test_cd_sessions_and_blank },
	{ "random-access media", test_random_media },
	{ "fault injection", test_faults },
	{ "tray, events, speed, sense", test_tray_and_events },
	{ "foreign files and the empty drive", test_foreign_file },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "emu_recorder", setup, teardown, NULL, NULL, emu_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
