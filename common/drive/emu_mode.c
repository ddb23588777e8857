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
	/* Where page 05h does not apply (DVD+R, BD, ...) the disc records incrementally
	 * whatever write type was selected. */
	if (d->st.medium->profile && d->st.medium->write_types == EMU_WT_NONE)
		return MMC_WT_PACKET;
	return d->page05[2] & 0x0f;
}

/* The block a TAO write on CD carries, as a cue sheet data form (emu_cue_form), from page
 * 05h's data block type (MMC-6 table 649) and track mode: 0 raw 2,352 bytes (CD-DA with
 * an audio track mode, else raw CD-ROM sectors), 8 Mode 1 (2,048), 9 Mode 2 (2,336), 10
 * Mode 2 form 1 (2,048). *mode: the track mode. */
uint8_t emu_tao_form(const emu_dev *d, int *mode)
{
	int dbt = d->page05[4] & 0x0f, audio = !(d->page05[3] & 0x04);
	switch (dbt) {
	case 0:
		*mode = audio ? EMU_AUDIO : EMU_MODE1;
		return audio ? 0x00 : 0x11;
	case 9:
		*mode = EMU_MODE2;
		return 0x20;
	case 10:
		*mode = EMU_MODE2;
		return 0x10;
	default:
		*mode = EMU_MODE1;
		return 0x10;
	}
}

/* The Q control bits but data a TAO track takes from the track mode (MMC-6 table 648):
 * audio 8 four channels, 2 copy, 1 pre-emphasis; data 2 copy (bit 0 is "incremental"). */
uint8_t emu_tao_flags(const emu_dev *d)
{
	int tm = d->page05[3] & 0x0f;
	return (uint8_t)(tm & 0x04 ? tm & 0x02 : tm & 0x0b);
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

/* Data block types MMC-6 table 649 defines: 0-3 raw, 7 and 15 vendor specific, 8-13 the
 * CD-ROM modes; 4-6 and 14 are reserved. */
static int dbt_defined(int dbt)
{
	return dbt <= 3 || (dbt >= 7 && dbt <= 13) || dbt == 15;
}

/* Which write types, block types and test writing the medium takes (MMC-6 7.5.4.4).
 * In Session At Once on CD the cue sheet gives each track's data form and control (MMC-6
 * 6.33.3.3), so the page's track mode and data block type are not used: burners leave
 * them 0 (wodim, libburn, cdrdao) and drives take it. Where the page does not apply at
 * all (DVD+R, DVD+RW, DVD-RAM, BD: no write type feature) a drive takes any defined
 * write type (growisofs sends 02h on DVD+R). Reserved values are refused everywhere. */
static int page05_fits(const emu_dev *d, const uint8_t *p)
{
	const emu_medium *m = d->st.medium;
	int wt = p[2] & 0x0f, test = (p[2] >> 4) & 1, dbt = p[4] & 0x0f;
	if (wt > 4 || !dbt_defined(dbt))
		return 0;
	if (!m->profile) /* no disc: the drive's own abilities */
		return wt == 2 || (wt <= 1 && (dbt == 8 || dbt == 10));
	if (test && !m->test_write)
		return 0;
	if (m->write_types == EMU_WT_NONE)
		return 1;
	if (!(m->write_types & (1u << wt)))
		return 0;
	if (wt == 2 && m->kind == EMU_CD)
		return 1;
	if (m->kind != EMU_CD)
		return dbt == 8; /* Mode 1 only on DVD and BD */
	/* CD TAO: raw 2,352 (0), Mode 1 (8), Mode 2 (9) and Mode 2 form 1 (10); an audio
	 * track mode (bit 2 clear) only with raw blocks. Raw with sub-channel from the host
	 * (1-3) and the Mode 2 forms with sub-headers (11-13) are not kept: refused. */
	if (!(p[3] & 0x04))
		return dbt == 0;
	return dbt == 0 || (dbt >= 8 && dbt <= 10);
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
