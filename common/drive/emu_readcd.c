/* Reading a CD the way its sectors and sub-channel are: READ CD (MMC-6 6.19) and READ CD
 * MSF (6.20) with the expected sector type, the main-data field selection (sync, header,
 * sub-header, user data, EDC/ECC, C2) and the sub-channel selection (raw P-W, formatted
 * Q, R-W); READ SUB-CHANNEL (6.30) formats 01h (current position), 02h (MCN), 03h
 * (ISRC); the Q sub-channel each sector carries (Red Book / IEC 60908 sub-channel Q:
 * mode 1 position with the track-relative time counting down through a pre-gap, modes 2
 * and 3 for the MCN and ISRC once every 100 sectors, CRC-16 inverted; P set in pre-gaps).
 *
 * Sectors come from the disc file: audio and raw tracks from the raw region as written;
 * data tracks kept as 2,048 bytes get their sync, header, EDC and parity generated
 * (common/dm_cd_sector.c). READ CD returns sectors unscrambled (ECMA-130 annex B is the
 * recorder's business). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/dm_cd_sector.h"
#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"
#include "common/drive/emu_dev.h"

/* MCN and ISRC frames: sector (LBA + 150) mod 100 equal to these (Red Book: each at
 * least once in 100 successive sectors; as writeimg's cd_subq.c places them). */
#define ADR_PERIOD 100
#define MCN_SLOT 10
#define ISRC_SLOT 60

uint8_t emu_track_control(const emu_track *t)
{
	return (uint8_t)(t->flags | (t->mode == EMU_AUDIO ? 0 : 0x04));
}

int emu_cd_track_at(const emu_dev *d, int64_t lba)
{
	const emu_state *s = &d->st;
	int found = -1;
	for (unsigned i = 0; i < s->n_tracks; i++) {
		const emu_track *t = &s->tracks[i];
		if (lba >= (int64_t)t->start - t->pregap && lba < (int64_t)t->start + t->size)
			found = (int)i;
	}
	return found;
}

/* 1 when lba holds recorded data (a track's blocks, the next track's pre-gap among them). */
static int recorded(const emu_dev *d, int64_t lba)
{
	for (unsigned i = 0; i < d->st.n_tracks; i++) {
		const emu_track *t = &d->st.tracks[i];
		if (lba >= t->start && lba < (int64_t)t->start + t->size)
			return 1;
	}
	return 0;
}

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

static void msf_bcd(uint8_t *p, int64_t frames)
{
	if (frames < 0)
		frames += 450000;
	p[0] = bcd((unsigned)(frames / 4500 % 100));
	p[1] = bcd((unsigned)(frames / 75 % 60));
	p[2] = bcd((unsigned)(frames % 75));
}

static uint16_t crc16(const uint8_t *p, size_t n)
{
	/* CRC-CCITT, x^16+x^12+x^5+1, initial 0, the remainder inverted (Red Book). */
	uint16_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
	}
	return (uint16_t)~crc;
}

static unsigned index_at(const emu_track *t, int64_t lba)
{
	if (lba < t->start)
		return 0;
	unsigned x = 1;
	for (unsigned k = 0; k < t->n_index; k++)
		if (lba >= t->index[k])
			x = k + 2;
	return x;
}

void emu_subq(const emu_dev *d, int64_t lba, uint8_t q[12], int *p)
{
	const emu_state *s = &d->st;
	int ti = emu_cd_track_at(d, lba);
	memset(q, 0, 12);
	*p = 0;
	if (ti < 0)
		return;
	const emu_track *t = &s->tracks[ti];
	uint8_t ctl = emu_track_control(t);
	unsigned x = index_at(t, lba);
	*p = x == 0; /* the pause flag (Red Book sub-channel P) */
	int64_t slot = (lba + 150) % ADR_PERIOD;
	if (slot < 0)
		slot += ADR_PERIOD;
	if (s->mcn[0] && slot == MCN_SLOT) {
		/* Mode 2: 13 BCD digits, zero, the absolute frame. */
		q[0] = (uint8_t)(ctl << 4 | 2);
		for (int i = 0; i < 13; i++)
			q[1 + i / 2] |= (uint8_t)((s->mcn[i] - '0') << (i % 2 ? 0 : 4));
		uint8_t a[3];
		msf_bcd(a, lba + 150);
		q[9] = a[2];
	} else if (t->isrc[0] && x > 0 && slot == ISRC_SLOT) {
		/* Mode 3: five 6-bit characters ('0'-'9' 00h-09h, 'A'-'Z' 11h-2Ah), two zero
		 * bits, seven BCD digits, four zero bits, the absolute frame. */
		q[0] = (uint8_t)(ctl << 4 | 3);
		uint64_t bits = 0;
		for (int i = 0; i < 5; i++) {
			char c = t->isrc[i];
			bits = bits << 6 | (uint64_t)(c >= 'A' ? c - 'A' + 0x11 : c - '0');
		}
		bits <<= 2;
		for (int i = 5; i < 12; i++)
			bits = bits << 4 | (uint64_t)(t->isrc[i] - '0');
		bits <<= 4;
		dm_put_be64(q + 1, bits);
		uint8_t a[3];
		msf_bcd(a, lba + 150);
		q[9] = a[2];
	} else {
		/* Mode 1: TNO, INDEX, the time from index 01 (counting down in the pre-gap),
		 * zero, the absolute time; BCD. */
		q[0] = (uint8_t)(ctl << 4 | 1);
		q[1] = bcd((unsigned)ti + 1);
		q[2] = bcd(x);
		int64_t rel = lba - t->start;
		msf_bcd(q + 3, rel < 0 ? -rel : rel);
		msf_bcd(q + 7, lba + 150);
	}
	dm_put_be16(q + 10, crc16(q, 10));
}

static int pread_full(int fd, uint8_t *b, size_t n, off_t off)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, b + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	memset(b + done, 0, n - done); /* never-written sectors of a sparse file */
	return 0;
}

/* Sector types of READ CD's expected sector type field (MMC-6 table 419). */
enum { ST_ANY, ST_CDDA, ST_MODE1, ST_MODE2, ST_FORM1, ST_FORM2 };

/* The 2,352 bytes of a recorded sector and its type. */
static int raw_sector(emu_dev *d, int64_t lba, uint8_t out[DM_CD_RAW], int *type)
{
	const emu_track *t = &d->st.tracks[emu_cd_track_at(d, lba)];
	int fd = d->file.fd;
	if (t->raw) {
		if (pread_full(fd, out, DM_CD_RAW,
			       (off_t)emu_file_raw_base(&d->st) + (off_t)lba * EMU_RAW) != 0)
			return emu_fail(d, SENSE_READ_ERROR);
		if (t->mode == EMU_AUDIO) {
			*type = ST_CDDA;
			return 0;
		}
		if (out[1] == 0xff && (out[15] == 1 || out[15] == 2)) {
			*type = out[15] == 1 ? ST_MODE1
				: memcmp(out + 16, out + 20, 4) != 0 ? ST_MODE2
				: out[18] & 0x20 ? ST_FORM2 : ST_FORM1;
			return 0;
		}
		/* Not written by the host (a generated gap): made like a kept sector. */
	}
	uint8_t user[DM_SECTOR];
	if (pread_full(fd, user, DM_SECTOR, (off_t)lba * DM_SECTOR) != 0)
		return emu_fail(d, SENSE_READ_ERROR);
	if (t->mode == EMU_MODE2) {
		static const uint8_t sub[4] = { 0, 0, 0x08, 0 }; /* data, form 1 */
		dm_cd_sector_mode2_form1((int32_t)lba, sub, user, out);
		*type = ST_FORM1;
	} else {
		dm_cd_sector_mode1((int32_t)lba, user, out);
		*type = ST_MODE1;
	}
	return 0;
}

/* The main-data fields READ CD byte 9 selects, for a sector of type `type` (MMC-6 table
 * 420); returns the bytes copied, or -1 for a combination the table calls illegal. */
static int select_main(const uint8_t *sec, int type, uint8_t sel, uint8_t *out)
{
	int sync = sel & 0x80, hdr = (sel >> 5) & 3, user = sel & 0x10, edc = sel & 0x08;
	int c2 = (sel >> 1) & 3;
	size_t n = 0;
	if (c2 == 3)
		return -1;
	if (type == ST_CDDA) {
		if (sel & 0xf8) {
			memcpy(out, sec, DM_CD_RAW);
			n = DM_CD_RAW;
		}
	} else {
		/* Sync with user data or EDC but no header, and a header with EDC but no user
		 * data, are illegal (table 420's note). */
		if ((sync && !(hdr & 1) && (user || edc)) || ((hdr & 1) && edc && !user))
			return -1;
		int sub = type == ST_FORM1 || type == ST_FORM2;
		size_t ustart = sub ? 24 : 16;
		size_t ulen = type == ST_MODE1 ? 2048 : type == ST_MODE2 ? 2336
			      : type == ST_FORM1 ? 2048 : 2324;
		if (sync) {
			memcpy(out + n, sec, 12);
			n += 12;
		}
		if (hdr & 1) {
			memcpy(out + n, sec + 12, 4);
			n += 4;
		}
		if ((hdr & 2) && sub) {
			memcpy(out + n, sec + 16, 8);
			n += 8;
		}
		if (user) {
			memcpy(out + n, sec + ustart, ulen);
			n += ulen;
		}
		if (edc && type != ST_MODE2) {
			size_t from = ustart + ulen;
			memcpy(out + n, sec + from, DM_CD_RAW - from);
			n += DM_CD_RAW - from;
		}
	}
	if (c2) { /* no C2 errors: 294 zero bytes (with the block error byte and a pad) */
		size_t z = c2 == 1 ? 294 : 296;
		memset(out + n, 0, z);
		n += z;
	}
	return (int)n;
}

static int sector_type_ok(int want, int have)
{
	return want == ST_ANY || want == have;
}

static int read_cd_span(emu_dev *d, const uint8_t *cdb, int64_t lba, uint32_t n, uint8_t *buf,
			size_t len, size_t *out)
{
	int want = (cdb[1] >> 2) & 7;
	uint8_t sel = cdb[9], subsel = cdb[10] & 7;
	if (want > ST_FORM2 || (subsel != 0 && subsel != 1 && subsel != 2 && subsel != 4))
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (d->st.medium->kind != EMU_CD)
		return emu_fail(d, SENSE_CANNOT_READ_MEDIUM);
	if (d->st.damage == EMU_DAMAGE_FORMAT)
		return emu_fail(d, SENSE_FORMAT_CORRUPTED);
	for (uint32_t k = 0; k < n; k++)
		if (!recorded(d, lba + k))
			return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	int64_t bad = d->st.faults.read_error_lba;
	if (bad >= 0 && bad >= lba && bad < lba + n)
		return emu_fail(d, SENSE_READ_ERROR);
	size_t pos = 0;
	uint8_t sec[DM_CD_RAW], one[DM_CD_RAW + 296 + 96];
	for (uint32_t k = 0; k < n; k++) {
		int type = ST_ANY; /* raw_sector sets it; gcc -O2 cannot tell (maybe-uninitialized) */
		if (raw_sector(d, lba + k, sec, &type) < 0)
			return -1;
		if (!sector_type_ok(want, type))
			return emu_fail(d, SENSE_ILLEGAL_MODE_FOR_TRACK);
		int m = select_main(sec, type, sel, one);
		if (m < 0)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		size_t got = (size_t)m;
		if (subsel) {
			uint8_t q[12];
			int p;
			emu_subq(d, lba + k, q, &p);
			if (subsel == 1) { /* raw P-W: byte i bit 7 P, bit 6 Q bit i, R-W 0 */
				for (int i = 0; i < 96; i++)
					one[got + i] = (uint8_t)((p ? 0x80 : 0) |
								 ((q[i / 8] >> (7 - i % 8)) & 1) << 6);
				got += 96;
			} else if (subsel == 2) { /* formatted Q: 12 bytes and 4 zero */
				memcpy(one + got, q, 12);
				memset(one + got + 12, 0, 4);
				got += 16;
			} else { /* R-W, de-interleaved: none recorded in the program area */
				memset(one + got, 0, 96);
				got += 96;
			}
		}
		if (pos + got > len)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB); /* the buffer is too small */
		memcpy(buf + pos, one, got);
		pos += got;
	}
	d->last_lba = lba + (n ? n - 1 : 0);
	*out = pos;
	return 0;
}

int emu_read_cd(emu_dev *d, const uint8_t *cdb, uint8_t *buf, size_t len, size_t *out)
{
	int64_t lba;
	uint32_t n;
	*out = 0;
	if (cdb[0] == EMU_OP_READ_CD_MSF) {
		int64_t a = ((int64_t)cdb[3] * 60 + cdb[4]) * 75 + cdb[5] - 150;
		int64_t b = ((int64_t)cdb[6] * 60 + cdb[7]) * 75 + cdb[8] - 150;
		if (cdb[4] > 59 || cdb[5] > 74 || cdb[7] > 59 || cdb[8] > 74 || b < a)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		lba = a;
		n = (uint32_t)(b - a);
	} else {
		lba = (int32_t)dm_get_be32(cdb + 2);
		n = (uint32_t)cdb[6] << 16 | (uint32_t)cdb[7] << 8 | cdb[8];
	}
	return read_cd_span(d, cdb, lba, n, buf, len, out);
}

/* READ SUB-CHANNEL (MMC-6 6.30): the header (audio status 15h: none), then the format. */
int emu_read_subchannel(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	const emu_state *s = &d->st;
	int msf = (cdb[1] >> 1) & 1, subq = (cdb[2] >> 6) & 1, format = cdb[3];
	unsigned tno = cdb[6];
	if (cap < 48)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	memset(r, 0, 48);
	r[1] = 0x15;
	if (!subq)
		return 4;
	if (s->medium->kind != EMU_CD)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	switch (format) {
	case 1: { /* current position: the last sector read */
		int64_t lba = d->last_lba;
		int ti = emu_cd_track_at(d, lba);
		r[4] = 1;
		if (ti >= 0) {
			const emu_track *t = &s->tracks[ti];
			r[5] = (uint8_t)(0x10 | emu_track_control(t)); /* ADR 1 | CONTROL */
			r[6] = (uint8_t)(ti + 1);
			r[7] = (uint8_t)index_at(t, lba);
			int64_t rel = lba - t->start;
			if (msf) {
				int64_t f = lba + 150;
				r[9] = (uint8_t)(f / 4500);
				r[10] = (uint8_t)(f / 75 % 60);
				r[11] = (uint8_t)(f % 75);
				int64_t g = rel < 0 ? -rel : rel;
				r[13] = (uint8_t)(g / 4500);
				r[14] = (uint8_t)(g / 75 % 60);
				r[15] = (uint8_t)(g % 75);
			} else {
				dm_put_be32(r + 8, (uint32_t)lba);
				dm_put_be32(r + 12, (uint32_t)(int32_t)rel);
			}
		}
		dm_put_be16(r + 2, 12);
		return 16;
	}
	case 2: /* media catalogue number: MCVAL, 13 ASCII digits */
		r[4] = 2;
		if (s->mcn[0]) {
			r[8] = 0x80;
			memcpy(r + 9, s->mcn, 13);
		}
		dm_put_be16(r + 2, 20);
		return 24;
	case 3: { /* ISRC of track tno: TCVAL, 12 characters */
		if (tno < 1 || tno > s->n_tracks)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		const emu_track *t = &s->tracks[tno - 1];
		r[4] = 3;
		r[5] = (uint8_t)(0x30 | emu_track_control(t));
		r[6] = (uint8_t)tno;
		if (t->isrc[0]) {
			r[8] = 0x80;
			memcpy(r + 9, t->isrc, 12);
		}
		dm_put_be16(r + 2, 20);
		return 24;
	}
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}
