/* Drive parameters of the emulated recorder: MODE SENSE/SELECT(10) pages 05h (write
 * parameters, MMC-6 7.5.4) and 2Ah (capabilities, MMC-3 5.5.10), GET PERFORMANCE (MMC-6
 * 6.8: type 00h current performance, type 03h write speed descriptors), SET STREAMING
 * (6.39) and SET CD SPEED (6.37). A speed asked for is rounded down to one the medium
 * supports (the slowest if it is below all), and reads back from page 2Ah and GET
 * PERFORMANCE as drives do. */
#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/emu_dev.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

/* Page 05h defaults (MMC-6 table 643): TAO, BUFE, next session allowed, data track
 * mode 4, Mode 1 data blocks (8), audio pause 150. */
void emu_default_page05(uint8_t *p)
{
	memset(p, 0, 60);
	p[0] = 0x05;
	p[1] = 0x32;
	p[2] = 0x40 | MMC_WT_TAO;
	p[3] = 0xc0 | 0x04;
	p[4] = 0x08;
	dm_put_be16(p + 14, 150);
}

int emu_write_type(const emu_dev *d)
{
	return d->page05[2] & 0x0f;
}

int emu_test_write(const emu_dev *d)
{
	return (d->page05[2] >> 4) & 1;
}

int emu_mode_sense(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	int six = cdb[0] == EMU_OP_MODE_SENSE6;
	int pc = (cdb[2] >> 6) & 3, page = cdb[2] & 0x3f;
	size_t hdr = six ? 4 : 8, pos = hdr;
	uint8_t tmp[8 + 64 + 60];
	if (pc == 3)
		return emu_fail(d, SENSE_SAVING_NOT_SUPPORTED);
	memset(tmp, 0, sizeof(tmp));
	if (page == 0x2a || page == 0x3f) {
		const emu_medium *m = emu_profile(d) ? d->st.medium : NULL;
		pos += emu_build_caps_page(m, d->write_kbs, tmp + pos, 64);
		if (pc == 1) /* changeable: none */
			memset(tmp + hdr + 2, 0, pos - hdr - 2);
	}
	if (page == 0x05 || page == 0x3f) {
		uint8_t *p = tmp + pos;
		if (pc == 2)
			emu_default_page05(p);
		else
			memcpy(p, d->page05, 52);
		if (pc == 1) { /* changeable: the fields MODE SELECT takes */
			memset(p + 2, 0, 50);
			p[2] = 0x7f;
			p[3] = 0xff;
			p[4] = 0x0f;
			p[8] = 0xff;
			memset(p + 10, 0xff, 6);
		}
		p[1] = 0x32;
		pos += 52;
	}
	if (pos == hdr)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	/* SPC-4 7.5.5: mode data length, WP in the device-specific byte, no descriptors. */
	if (six) {
		tmp[0] = (uint8_t)(pos - 1);
		tmp[2] = d->st.write_protected ? 0x80 : 0;
	} else {
		dm_put_be16(tmp, (uint16_t)(pos - 2));
		tmp[3] = d->st.write_protected ? 0x80 : 0;
	}
	memcpy(r, tmp, pos < cap ? pos : cap);
	return (int)pos;
}

/* Which write types, block types and test writing the medium takes (MMC-6 7.5.4.4). */
static int page05_fits(const emu_dev *d, const uint8_t *p)
{
	const emu_medium *m = d->st.medium;
	int wt = p[2] & 0x0f, test = (p[2] >> 4) & 1, dbt = p[4] & 0x0f;
	if (wt > 4)
		return 0;
	if (!m->profile) /* no disc: the drive's own abilities */
		return wt <= 2 && (dbt == 8 || dbt == 10);
	if (!(m->write_types & (1u << wt)))
		return 0;
	if (test && !m->test_write)
		return 0;
	/* Mode 1 (8) everywhere; Mode 2 form 1 (10) on CD only; raw and audio not kept. */
	return dbt == 8 || (dbt == 10 && m->kind == EMU_CD);
}

int emu_mode_select(emu_dev *d, const uint8_t *buf, size_t len)
{
	if (len < 8)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	size_t pos = 8 + (size_t)dm_get_be16(buf + 6);
	while (pos + 2 <= len) {
		size_t plen = 2 + (size_t)buf[pos + 1];
		if (pos + plen > len)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		if ((buf[pos] & 0x3f) == 0x05) {
			uint8_t p[60];
			memcpy(p, d->page05, sizeof(p));
			size_t n = plen < 52 ? plen : 52;
			memcpy(p + 2, buf + pos + 2, n > 2 ? n - 2 : 0);
			if (n < 5 || !page05_fits(d, p))
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			if (d->cue.active && (p[2] & 0x0f) != 2)
				return emu_fail(d, SENSE_SEQUENCE_ERROR);
			memcpy(d->page05, p, sizeof(p));
		} else if ((buf[pos] & 0x3f) != 0x2a) {
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		}
		pos += plen;
	}
	return 0;
}

int emu_get_performance(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	const emu_state *s = &d->st;
	uint8_t type = cdb[10];
	uint16_t max_desc = dm_get_be16(cdb + 8);
	uint32_t end = s->capacity ? s->capacity - 1 : 0;
	size_t pos = 8;
	memset(r, 0, cap < 8 + 16 * 8 ? cap : 8 + 16 * 8);
	if (type == 0x00) {
		/* Performance (MMC-6 6.8.3.2): one nominal descriptor over the disc, write
		 * (byte 1 bit 2) at the current write speed, read at the fastest. */
		int write = (cdb[1] >> 2) & 1;
		uint32_t kbs = write ? d->write_kbs : s->medium->speeds_kbs[0];
		r[4] = (uint8_t)(write ? 0x02 : 0x00);
		if (max_desc >= 1) {
			dm_put_be32(r + 8, 0);
			dm_put_be32(r + 12, kbs);
			dm_put_be32(r + 16, end);
			dm_put_be32(r + 20, kbs);
			pos += 16;
		}
	} else if (type == 0x03) {
		/* Write speed descriptors (MMC-6 6.8.3.4), fastest first. */
		const uint32_t *sp = s->medium->speeds_kbs;
		for (size_t n = 0; sp[n] && n < max_desc && n < 8; n++) {
			uint8_t *x = r + pos;
			x[0] = 0x00; /* WRC: default rotation */
			dm_put_be32(x + 4, end);
			dm_put_be32(x + 8, sp[0]);
			dm_put_be32(x + 12, sp[n]);
			pos += 16;
		}
	} else {
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
	dm_put_be32(r, (uint32_t)(pos - 4));
	return (int)pos;
}

int emu_set_streaming(emu_dev *d, const uint8_t *buf, size_t len)
{
	/* The performance descriptor (MMC-6 table 561): write size in kB over write time in
	 * ms at bytes 20-27. */
	if (len < MMC_STREAMING_DESC_LEN)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	uint32_t size = dm_get_be32(buf + 20), ms = dm_get_be32(buf + 24);
	if (ms == 0)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	uint64_t kbs = (uint64_t)size * 1000 / ms;
	d->write_kbs = emu_medium_speed(d->st.medium, kbs > UINT32_MAX ? UINT32_MAX : (uint32_t)kbs);
	return 0;
}

int emu_set_cd_speed(emu_dev *d, const uint8_t *cdb)
{
	uint16_t kbs = dm_get_be16(cdb + 4);
	/* FFFFh: the fastest (MMC-6 6.37.2). */
	d->write_kbs = emu_medium_speed(d->st.medium, kbs == 0xffff ? UINT32_MAX : kbs);
	return 0;
}
