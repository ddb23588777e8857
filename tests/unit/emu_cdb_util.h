/* Helpers of the emulator's CDB-level tests (test_emu_media.c, test_emu_cdb.c): open a
 * disc, send one CDB through the transport's execute() with no retry policy, and read back
 * status, sense triple and progress. Included once per test program. */
#ifndef EMU_CDB_UTIL_H
#define EMU_CDB_UTIL_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "common/drive/emu_media.h"
#include "common/drive/emu_recorder.h"
#include "common/drive/emu_state.h"

static char dir[64];
static unsigned counter;
static uint8_t data[64 * 2048];

static int setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_emu_media.XXXXXX");
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 2048);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static inline const char *fresh(char *buf, size_t len)
{
	snprintf(buf, len, "%s/m%u.img", dir, counter++);
	return buf;
}

static inline scsi_transport *open_spec(const char *medium, const char *path, const char *settings)
{
	char spec[512];
	snprintf(spec, sizeof(spec), "emu:%s:%s%s%s", medium, path, settings ? "?" : "",
		 settings ? settings : "");
	scsi_transport *t = NULL;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (emu_open(spec, &t, &ctx) != DM_OK)
		fprintf(stderr, "\n%s: %s\n", spec, ctx.msg);
	CU_ASSERT_PTR_NOT_NULL(t);
	return t;
}

/* The outcome of one command: status, sense triple, bytes in. */
typedef struct res {
	int rc;            /* 0 GOOD, 1 CHECK CONDITION, -1 transport failure */
	unsigned sense;    /* key << 16 | asc << 8 | ascq */
	unsigned progress; /* sense-key specific progress, when SKSV */
	int sksv;
	size_t got;
} res;

static inline res run(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir_,
	       uint8_t *buf, size_t len)
{
	scsi_result r;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	res out = { 0, 0, 0, 0, 0 };
	if (t->ops->execute(t, cdb, cdb_len, dir_, buf, len, 1000, &r, &ctx) != DM_OK) {
		out.rc = -1;
		return out;
	}
	if (r.status != 0) {
		out.rc = 1;
		out.sense = (unsigned)(r.sense[2] & 0x0f) << 16 | (unsigned)r.sense[12] << 8 |
			    r.sense[13];
	}
	out.got = len - r.resid;
	return out;
}

#define SK(k, a, q) ((unsigned)(k) << 16 | (unsigned)(a) << 8 | (q))

static inline res cmd_in(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, uint8_t *buf,
		  size_t len)
{
	return run(t, cdb, cdb_len, SCSI_DIR_IN, buf, len);
}

static inline res tur(scsi_transport *t)
{
	uint8_t c[6] = { 0 };
	return run(t, c, 6, SCSI_DIR_NONE, NULL, 0);
}

static inline res request_sense(scsi_transport *t, uint8_t *s)
{
	uint8_t c[6] = { 0x03, 0, 0, 0, 18, 0 };
	res r = cmd_in(t, c, 6, s, 18);
	r.sense = SK(s[2] & 0x0f, s[12], s[13]);
	r.sksv = (s[15] & 0x80) != 0;
	r.progress = dm_get_be16(s + 16);
	return r;
}

static inline res write10(scsi_transport *t, uint32_t lba, uint16_t n)
{
	uint8_t c[10] = { 0x2a };
	dm_put_be32(c + 2, lba);
	dm_put_be16(c + 7, n);
	return run(t, c, 10, SCSI_DIR_OUT, data, (size_t)n * 2048);
}

static inline res read10(scsi_transport *t, uint32_t lba, uint16_t n, uint8_t *buf)
{
	uint8_t c[10] = { 0x28 };
	dm_put_be32(c + 2, lba);
	dm_put_be16(c + 7, n);
	return cmd_in(t, c, 10, buf, (size_t)n * 2048);
}

static inline res disc_info(scsi_transport *t, uint8_t *r)
{
	uint8_t c[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
	memset(r, 0, 34);
	return cmd_in(t, c, 10, r, 34);
}

static inline res track_info(scsi_transport *t, unsigned number, uint8_t *r)
{
	uint8_t c[10] = { 0x52, 1, 0, 0, 0, 0, 0, 0, 48, 0 };
	dm_put_be32(c + 2, number);
	memset(r, 0, 48);
	return cmd_in(t, c, 10, r, 48);
}

static inline res close_ts(scsi_transport *t, int fn, unsigned track)
{
	uint8_t c[10] = { 0x5b, 0, (uint8_t)fn, 0, 0, 0, 0, 0, 0, 0 };
	dm_put_be16(c + 4, (uint16_t)track);
	return run(t, c, 10, SCSI_DIR_NONE, NULL, 0);
}

static inline res sync_cache(scsi_transport *t)
{
	uint8_t c[10] = { 0x35 };
	return run(t, c, 10, SCSI_DIR_NONE, NULL, 0);
}

static inline res format_unit(scsi_transport *t, uint8_t type, int immed)
{
	uint8_t p[12] = { 0, (uint8_t)(immed ? 0x02 : 0), 0, 8, 0xff, 0xff, 0xff, 0xff,
			  (uint8_t)(type << 2), 0, 0, 0 };
	uint8_t c[6] = { 0x04, 0x11, 0, 0, 0, 0 };
	return run(t, c, 6, SCSI_DIR_OUT, p, sizeof(p));
}

static inline res blank(scsi_transport *t, int type, int immed)
{
	uint8_t c[12] = { 0xa1, (uint8_t)((immed ? 0x10 : 0) | type) };
	return run(t, c, 12, SCSI_DIR_NONE, NULL, 0);
}

static inline res format_caps(scsi_transport *t, uint8_t *r, uint16_t alloc)
{
	uint8_t c[10] = { 0x23 };
	dm_put_be16(c + 7, alloc);
	memset(r, 0, alloc);
	return cmd_in(t, c, 10, r, alloc);
}

static inline res mode_select_05(scsi_transport *t, int write_type, int test, int multi)
{
	uint8_t p[8 + 52] = { 0 };
	p[8] = 0x05;
	p[9] = 0x32;
	p[10] = (uint8_t)(0x40 | (test ? 0x10 : 0) | write_type);
	p[11] = (uint8_t)((multi ? 0xc0 : 0x00) | 0x04);
	p[12] = 0x08;
	uint8_t c[10] = { 0x55, 0x10 };
	dm_put_be16(c + 7, sizeof(p));
	return run(t, c, 10, SCSI_DIR_OUT, p, sizeof(p));
}

#endif
