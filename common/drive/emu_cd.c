/* CD specifics of the emulated recorder: READ TOC/PMA/ATIP (MMC-6 6.26) formats 0 (TOC),
 * 1 (session information), 2 (full TOC), 3 (PMA, empty) and 4 (ATIP); SEND CUE SHEET
 * (6.33) for Session At Once: the sheet is checked entry by entry, then the writes it
 * announces are taken in order from the first pre-gap (LBA -150 on a new disc) to the
 * lead-out, and SYNCHRONIZE CACHE turns them into the session's tracks. */
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
		e[1] = 0x14; /* ADR 1, data track recorded uninterrupted */
		e[2] = (uint8_t)i;
		put_addr(e + 4, random ? 0 : d->st.tracks[i - 1].start, msf);
		pos += 8;
	}
	uint8_t *e = r + pos;
	memset(e, 0, 8);
	e[1] = 0x14;
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
	r[5] = 0x14;
	r[6] = (uint8_t)(random ? 1 : first);
	put_addr(r + 8, random ? 0 : d->st.tracks[first - 1].start, (cdb[1] >> 1) & 1);
	return 12;
}

/* Full TOC (MMC-6 6.26.3.4): per session points A0 (first track, disc type), A1 (last
 * track), A2 (lead-out), one per track, and B0 (next program area) while appendable. */
struct point {
	uint8_t point;
	int64_t lba;
	uint8_t pmin;
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
		pts[np++] = (struct point){ 0xa0, 0, (uint8_t)first };
		pts[np++] = (struct point){ 0xa1, 0, (uint8_t)last };
		pts[np++] = (struct point){ 0xa2, track_end(&s->tracks[last - 1]), 0 };
		for (unsigned t = first; t <= last; t++)
			pts[np++] = (struct point){ (uint8_t)t, s->tracks[t - 1].start, 0 };
		for (size_t k = 0; k < np && pos + 11 <= cap; k++) {
			uint8_t *e = r + pos;
			memset(e, 0, 11);
			e[0] = (uint8_t)sess;
			e[1] = 0x14;
			e[3] = pts[k].point;
			if (pts[k].point == 0xa0 || pts[k].point == 0xa1)
				e[8] = pts[k].pmin; /* PSEC of A0: disc type 00h, CD-ROM */
			else
				put_msf3(e + 8, pts[k].lba);
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
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}

static int64_t msf_lba(const uint8_t *p)
{
	return ((int64_t)p[0] * 60 + p[1]) * 75 + p[2] - 150;
}

int emu_send_cue_sheet(emu_dev *d, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	emu_cue c;
	memset(&c, 0, sizeof(c));
	/* SAO on a CD that takes a session, with page 05h set to SAO (MMC-6 6.33.1). */
	if (s->medium->kind != EMU_CD)
		return emu_fail(d, SENSE_INVALID_OPCODE);
	if (emu_write_type(d) != 2 || emu_open_track(d) || d->cue.active)
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	if (s->status == EMU_COMPLETE || s->damage)
		return emu_fail(d, SENSE_CANNOT_WRITE_MEDIUM);
	if (len % 8 || len < 24)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	int64_t prev = -1000000, first_data = -1, gen_open = INT64_MIN;
	unsigned last_tno = 0;
	int leadout = 0;
	for (size_t i = 0; i < len; i += 8) {
		const uint8_t *e = buf + i;
		int adr = e[0] & 0x0f;
		uint8_t tno = e[1], index = e[2], form = e[3];
		if (adr == 2 || adr == 3) /* catalogue number, ISRC: carried, not kept */
			continue;
		if (adr != 1 || leadout || e[5] > 99 || e[6] > 59 || e[7] > 74)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		int64_t lba = msf_lba(e + 5);
		if (lba < prev)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		prev = lba;
		if (i == 0) { /* the lead-in: track 0 at 00:00:00 */
			if (tno != 0)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			continue;
		}
		/* A span the drive generates (form 14h) ends where the next entry begins. */
		if (gen_open != INT64_MIN) {
			if (c.n_gen >= 2 * EMU_MAX_CUE_TRACKS)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			c.gen_start[c.n_gen] = gen_open;
			c.gen_end[c.n_gen++] = lba;
			gen_open = INT64_MIN;
		}
		if (tno == 0xaa) {
			leadout = 1;
			c.leadout = lba;
			continue;
		}
		if (tno < 1 || tno > 99 || tno < last_tno || tno > last_tno + 1 || index > 99)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		/* Data tracks of 2,048-byte Mode 1 sectors: sent by the host (data form 10h)
		 * or generated by the drive (14h, pre- and post-gaps); nothing else is kept
		 * (MMC-6 table 540). */
		if ((form & 0x3f) != 0x10 && (form & 0x3f) != 0x14)
			return emu_fail(d, SENSE_ILLEGAL_MODE_FOR_TRACK);
		if ((form & 0x3f) == 0x14)
			gen_open = lba;
		if (!c.n_tracks && !last_tno)
			c.next = lba; /* track 1's first entry, its pre-gap: writing starts here */
		if (index == 1) {
			if (tno != last_tno + 1 && c.n_tracks)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			if (first_data < 0)
				first_data = lba;
			if (c.n_tracks >= EMU_MAX_CUE_TRACKS)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			c.track_start[c.n_tracks++] = (uint32_t)lba;
		}
		last_tno = tno;
	}
	if (!leadout || !c.n_tracks || first_data < 0 || c.leadout <= first_data)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	if (first_data != (int64_t)emu_next_start(d) || c.leadout > (int64_t)s->capacity)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	c.data_start = first_data;
	c.active = 1;
	d->cue = c;
	return 0;
}

/* Move past the spans the drive fills itself. */
static void skip_generated(emu_cue *c)
{
	for (unsigned i = 0; i < c->n_gen; i++)
		if (c->next >= c->gen_start[i] && c->next < c->gen_end[i])
			c->next = c->gen_end[i];
}

int64_t emu_cue_write(emu_dev *d, int64_t lba, uint32_t n)
{
	emu_cue *c = &d->cue;
	skip_generated(c);
	if (lba != c->next)
		return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
	if (lba + n > c->leadout)
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	c->next += n;
	d->st.status = EMU_APPENDABLE;
	int64_t skip = c->data_start - lba;
	return skip < 0 ? 0 : skip;
}

void emu_cue_finish(emu_dev *d)
{
	emu_state *s = &d->st;
	emu_cue *c = &d->cue;
	c->active = 0;
	skip_generated(c);
	if (d->sim) { /* a test write: nothing was recorded */
		d->st = d->sim_st;
		d->sim = 0;
		return;
	}
	uint32_t end = (uint32_t)(c->next > c->data_start ? c->next : c->data_start);
	for (unsigned i = 0; i < c->n_tracks && s->n_tracks < EMU_MAX_TRACKS; i++) {
		uint32_t start = c->track_start[i];
		uint32_t stop = i + 1 < c->n_tracks ? c->track_start[i + 1] : end;
		if (start >= end)
			break;
		if (stop > end)
			stop = end;
		emu_track *t = &s->tracks[s->n_tracks++];
		memset(t, 0, sizeof(*t));
		t->start = start;
		t->size = stop - start;
		t->session = s->sessions + 1;
		t->closed = 1;
		t->damaged = c->next < c->leadout; /* the sheet announced more */
	}
	/* The drive writes lead-in and lead-out: the session is closed (page 05h's
	 * multi-session field: next session allowed or not). */
	emu_close_session(d, ((d->page05[3] >> 6) & 3) != 3);
}
