/* CD specifics of the emulated recorder: READ TOC/PMA/ATIP (MMC-6 6.26) formats 0 (TOC),
 * 1 (session information), 2 (full TOC), 3 (PMA, empty), 4 (ATIP) and 5 (CD-TEXT). SEND
 * CUE SHEET is in emu_cue.c, READ CD and READ SUB-CHANNEL in emu_readcd.c. */
#include <stdint.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/emu_dev.h"

static void put_addr(uint8_t *p, int64_t lba, int msf)
{
	if (!msf) {
		dm_put_be32(p, (uint32_t)lba);
		return;
	}
	int64_t f = lba + 150;
	p[0] = 0;
	p[1] = (uint8_t)(f / 4500);
	p[2] = (uint8_t)(f / 75 % 60);
	p[3] = (uint8_t)(f % 75);
}

static void put_msf3(uint8_t *p, int64_t lba)
{
	uint8_t t[4];
	put_addr(t, lba, 1);
	memcpy(p, t + 1, 3);
}

/* The tracks a TOC shows: those of closed sessions (a random-access disc: one track). */
static unsigned toc_tracks(const emu_dev *d)
{
	unsigned n = 0;
	for (unsigned i = 0; i < d->st.n_tracks; i++)
		if (d->st.tracks[i].session <= d->st.sessions)
			n = i + 1;
	return n;
}

static uint32_t track_end(const emu_track *t)
{
	return t->start + (t->reserved > t->size ? t->reserved : t->size);
}

static int toc(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	int msf = (cdb[1] >> 1) & 1;
	unsigned from = cdb[6];
	unsigned n = toc_tracks(d);
	int random = emu_random(d);
	if (random && d->st.formatted)
		n = 1;
	if (!n)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB); /* nothing closed yet */
	if (from > n && from != 0xaa)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	size_t pos = 4;
	r[2] = 1;
	r[3] = (uint8_t)n;
	for (unsigned i = from ? from : 1; i <= n && from != 0xaa && pos + 8 <= cap; i++) {
		uint8_t *e = r + pos;
		memset(e, 0, 8);
		/* ADR 1, the track's Q control (audio 0-3/8-11, data 4-7: MMC-6 table 479) */
		e[1] = random ? 0x14 : (uint8_t)(0x10 | emu_track_control(&d->st.tracks[i - 1]));
		e[2] = (uint8_t)i;
		put_addr(e + 4, random ? 0 : d->st.tracks[i - 1].start, msf);
		pos += 8;
	}
	uint8_t *e = r + pos;
	memset(e, 0, 8);
	e[1] = random ? 0x14 : (uint8_t)(0x10 | (emu_track_control(&d->st.tracks[n - 1]) & 0x04));
	e[2] = 0xaa;
	put_addr(e + 4, random ? d->st.capacity : track_end(&d->st.tracks[n - 1]), msf);
	pos += 8;
	dm_put_be16(r, (uint16_t)(pos - 2));
	return (int)pos;
}

static int session_info(emu_dev *d, const uint8_t *cdb, uint8_t *r)
{
	unsigned n = toc_tracks(d);
	int random = emu_random(d) && d->st.formatted;
	if (!n && !random)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	unsigned first = n;
	while (first > 1 && d->st.tracks[first - 2].session == d->st.tracks[n - 1].session)
		first--;
	memset(r, 0, 12);
	dm_put_be16(r, 10);
	r[2] = 1;
	r[3] = (uint8_t)(random ? 1 : d->st.sessions);
	r[5] = random ? 0x14 : (uint8_t)(0x10 | emu_track_control(&d->st.tracks[first - 1]));
	r[6] = (uint8_t)(random ? 1 : first);
	put_addr(r + 8, random ? 0 : d->st.tracks[first - 1].start, (cdb[1] >> 1) & 1);
	return 12;
}

/* Full TOC (MMC-6 6.26.3.4): per session points A0 (first track, disc type), A1 (last
 * track), A2 (lead-out), one per track, and B0 (next program area) while appendable. */
struct point {
	uint8_t point;
	int64_t lba;
	uint8_t pmin, psec, ctl;
};

static int full_toc(emu_dev *d, uint8_t *r, size_t cap)
{
	const emu_state *s = &d->st;
	unsigned n = toc_tracks(d);
	if (!n)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	size_t pos = 4;
	r[2] = 1;
	r[3] = (uint8_t)s->sessions;
	for (unsigned sess = 1; sess <= s->sessions; sess++) {
		unsigned first = 0, last = 0;
		for (unsigned i = 0; i < n; i++)
			if (s->tracks[i].session == sess) {
				if (!first)
					first = i + 1;
				last = i + 1;
			}
		if (!first)
			continue;
		struct point pts[3 + EMU_MAX_TRACKS + 1];
		size_t np = 0;
		/* A0 PSEC: the session's disc type, 20h CD-ROM XA with a Mode 2 track, else
		 * 00h CD-DA or CD-ROM (MMC-6 table 483). */
		uint8_t type = 0;
		for (unsigned t = first; t <= last; t++)
			if (s->tracks[t - 1].mode == EMU_MODE2)
				type = 0x20;
		uint8_t c_first = emu_track_control(&s->tracks[first - 1]);
		uint8_t c_last = emu_track_control(&s->tracks[last - 1]);
		pts[np++] = (struct point){ 0xa0, 0, (uint8_t)first, type, c_first };
		pts[np++] = (struct point){ 0xa1, 0, (uint8_t)last, 0, c_last };
		pts[np++] = (struct point){ 0xa2, track_end(&s->tracks[last - 1]), 0, 0, c_last };
		for (unsigned t = first; t <= last; t++)
			pts[np++] = (struct point){ (uint8_t)t, s->tracks[t - 1].start, 0, 0,
						    emu_track_control(&s->tracks[t - 1]) };
		for (size_t k = 0; k < np && pos + 11 <= cap; k++) {
			uint8_t *e = r + pos;
			memset(e, 0, 11);
			e[0] = (uint8_t)sess;
			e[1] = (uint8_t)(0x10 | pts[k].ctl);
			e[3] = pts[k].point;
			if (pts[k].point == 0xa0 || pts[k].point == 0xa1) {
				e[8] = pts[k].pmin;
				e[9] = pts[k].psec;
			} else {
				put_msf3(e + 8, pts[k].lba);
			}
			pos += 11;
		}
		if (sess == s->sessions && s->status == EMU_APPENDABLE && pos + 11 <= cap) {
			uint8_t *e = r + pos; /* B0: ADR 5, next program area, last lead-out */
			memset(e, 0, 11);
			e[0] = (uint8_t)sess;
			e[1] = 0x54;
			e[3] = 0xb0;
			put_msf3(e + 4, emu_next_start(d));
			e[7] = 1;
			put_msf3(e + 8, (int64_t)s->capacity + 2);
			pos += 11;
		}
		/* C0 in the first session of a multi-session disc: ADR 5, the ATIP writing
		 * power in byte 4 and the start of the first lead-in (97:26:66). */
		if (sess == 1 && (s->sessions > 1 || s->status == EMU_APPENDABLE) && pos + 11 <= cap) {
			uint8_t *e = r + pos;
			memset(e, 0, 11);
			e[0] = 1;
			e[1] = 0x50;
			e[3] = 0xc0;
			e[4] = 0x50;
			e[8] = 97;
			e[9] = 26;
			e[10] = 66;
			pos += 11;
		}
	}
	dm_put_be16(r, (uint16_t)(pos - 2));
	return (int)pos;
}

/* ATIP (MMC-6 6.26.3.6): writing power, disc type and sub-type, lead-in start 97:26:66,
 * last possible lead-out start from the capacity. */
static int atip(emu_dev *d, uint8_t *r)
{
	int rw = d->st.medium->rec == EMU_SEQ_RW;
	memset(r, 0, 28);
	dm_put_be16(r, 26);
	r[4] = (uint8_t)(0x50 | (rw ? 0x01 : 0x00));
	r[6] = (uint8_t)(0x80 | (rw ? 0x40 | 0x08 : 0x00));
	r[8] = 97;
	r[9] = 26;
	r[10] = 66;
	put_msf3(r + 12, (int64_t)d->st.capacity + 2);
	return 28;
}

int emu_read_toc(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	int format = cdb[2] & 0x0f;
	/* MMC-6 6.26.2.5: a Format of 0 takes the older place of the format, bits 7-6 of the
	 * control byte (SFF-8020); Linux's sr asks for the session information so (40h). */
	if (!format)
		format = cdb[9] >> 6;
	int cd = d->st.medium->kind == EMU_CD;
	memset(r, 0, 4);
	switch (format) {
	case 0:
		return toc(d, cdb, r, cap);
	case 1:
		return session_info(d, cdb, r);
	case 2:
		return cd ? full_toc(d, r, cap) : emu_fail(d, SENSE_INVALID_FIELD_CDB);
	case 3: /* PMA: not kept */
		if (!cd)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		dm_put_be16(r, 2);
		return 4;
	case 4:
		return cd ? atip(d, r) : emu_fail(d, SENSE_INVALID_FIELD_CDB);
	case 5: /* CD-TEXT (MMC-6 6.26.3.7): the lead-in's packs as written, CRCs included */
		if (!cd)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		{
			size_t bytes = (size_t)d->st.cdtext_packs * 18;
			if (bytes + 4 > cap)
				bytes = (cap - 4) / 18 * 18;
			memcpy(r + 4, d->st.cdtext, bytes);
			dm_put_be16(r, (uint16_t)(bytes + 2));
			return (int)(bytes + 4);
		}
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}
