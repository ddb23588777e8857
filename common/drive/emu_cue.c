/* Session At Once on the emulated CD recorder: SEND CUE SHEET (MMC-6 6.33) checked entry by
 * entry; the writes it announces taken in order from the first pre-gap (LBA -150 on a new
 * disc) to the lead-out, each block of the size its entry's data form gives; CD-TEXT packs
 * written into the lead-in before that (lead-in data form 41h: R-W from the host, 96 bytes
 * a block, as libburn, cdrdao and wodim send them); SYNCHRONIZE CACHE turns the session
 * into tracks that keep their mode, control flags, pre-gap, indexes and ISRC, and the disc
 * its MCN and CD-TEXT. */
#include <stdint.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/emu_dev.h"

/* ATIP start of the lead-in (emu_cd.c answers 97:26:66): the first lead-in write. */
#define LEADIN_LBA (-11634)

static int64_t msf_lba(const uint8_t *p)
{
	return ((int64_t)p[0] * 60 + p[1]) * 75 + p[2] - 150;
}

int emu_cue_form(uint8_t form, int *mode, int *raw)
{
	/* MMC-6 6.33.3.3 main data forms: CD-DA (00h host, 01h generated), CD-ROM Mode 1
	 * (10h 2,048 bytes, 11h raw 2,352, 14h generated), CD-ROM XA (20h 2,336 bytes of
	 * sub-header and data, 21h raw 2,352, 24h generated). The sub-channel bits (40h
	 * packed R-W, C0h raw P-W from the host) are not kept: refused on track entries. */
	switch (form) {
	case 0x00: *mode = EMU_AUDIO; *raw = 1; return 2352;
	case 0x01: *mode = EMU_AUDIO; *raw = 1; return 0;
	case 0x10: *mode = EMU_MODE1; *raw = 0; return 2048;
	case 0x11: *mode = EMU_MODE1; *raw = 1; return 2352;
	case 0x14: *mode = EMU_MODE1; *raw = 0; return 0;
	case 0x20: *mode = EMU_MODE2; *raw = 1; return 2336;
	case 0x21: *mode = EMU_MODE2; *raw = 1; return 2352;
	case 0x24: *mode = EMU_MODE2; *raw = 1; return 0;
	default: return -1;
	}
}

int emu_send_cue_sheet(emu_dev *d, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	emu_cue *c = &d->cue_new;
	memset(c, 0, sizeof(*c));
	/* SAO on a CD that takes a session, with page 05h set to SAO (MMC-6 6.33.1). */
	if (s->medium->kind != EMU_CD)
		return emu_fail(d, SENSE_INVALID_OPCODE);
	if (emu_write_type(d) != 2 || emu_open_track(d) || d->cue.active)
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	if (s->status == EMU_COMPLETE || s->damage)
		return emu_fail(d, SENSE_CANNOT_WRITE_MEDIUM);
	if (len % 8 || len < 24)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	int64_t prev = -1000000;
	unsigned last_tno = 0;
	int leadin = 0, leadout = 0, mode, raw;
	for (size_t i = 0; i < len; i += 8) {
		const uint8_t *e = buf + i;
		int adr = e[0] & 0x0f;
		uint8_t tno = e[1], index = e[2], form = e[3];
		if (adr == 2) { /* MCN: 7 + 6 ASCII digits in two entries (6.33.3.5) */
			if (i + 8 >= len || (buf[i + 8] & 0x0f) != 2 || buf[i + 15] != 0)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			memcpy(c->mcn, e + 1, 7);
			memcpy(c->mcn + 7, e + 9, 6);
			c->mcn[13] = '\0';
			if (!emu_mcn_valid(c->mcn))
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			i += 8;
			continue;
		}
		if (adr == 3) { /* ISRC: TNO, 6 + 6 characters in two entries (6.33.3.6) */
			if (i + 8 >= len || (buf[i + 8] & 0x0f) != 3 || buf[i + 9] != tno || tno < 1 ||
			    tno > 99)
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			char isrc[13];
			memcpy(isrc, e + 2, 6);
			memcpy(isrc + 6, e + 10, 6);
			isrc[12] = '\0';
			if (!emu_isrc_valid(isrc))
				return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
			memcpy(c->isrc[tno - 1], isrc, 13);
			i += 8;
			continue;
		}
		if (adr != 1 || leadout || e[5] > 99 || e[6] > 59 || e[7] > 74)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		int64_t lba = msf_lba(e + 5);
		if (lba < prev)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		prev = lba;
		if (!leadin) { /* the lead-in: track 0 at 00:00:00 (peers give it the first
			       * track's form, generated or not); packed R-W only */
			if (tno != 0 || emu_cue_form(form & 0x3f, &mode, &raw) < 0 ||
			    (form & 0xc0) == 0x80 || (form & 0xc0) == 0xc0)
				return emu_fail(d, tno ? SENSE_INVALID_FIELD_PARAM :
						SENSE_ILLEGAL_MODE_FOR_TRACK);
			c->cdtext = (form & 0xc0) == 0x40; /* R-W packs (CD-TEXT) from the host */
			leadin = 1;
			continue;
		}
		if (c->n_entries >= EMU_MAX_CUE_ENTRIES)
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		if (tno == 0xaa) {
			leadout = 1;
			c->leadout = lba;
			c->e[c->n_entries++] = (emu_cue_entry){ lba, tno, 1, 0x01, e[0] >> 4 };
			continue;
		}
		if (tno < 1 || tno > 99 || tno < last_tno || tno > last_tno + 1 || index > 99 ||
		    (tno == last_tno && index <= c->e[c->n_entries - 1].index) ||
		    (tno != last_tno && index > 1))
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		if (emu_cue_form(form, &mode, &raw) < 0)
			return emu_fail(d, SENSE_ILLEGAL_MODE_FOR_TRACK);
		if (!c->n_entries)
			c->next = lba; /* track 1's first entry, its pre-gap: writing starts here */
		if (index == 1) {
			if (!c->n_tracks)
				c->data_start = lba;
			c->n_tracks++;
		}
		c->e[c->n_entries++] = (emu_cue_entry){ lba, tno, index, form, e[0] >> 4 };
		last_tno = tno;
	}
	if (!leadout || !c->n_tracks || c->leadout <= c->data_start)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	/* Every track has an index 01; its entries share one mode (a track is audio or data
	 * of one mode: MMC-6 6.33.3.3). */
	for (unsigned k = 0; k + 1 < c->n_entries; k++) {
		const emu_cue_entry *a = &c->e[k];
		int m1, m2, r;
		if (a->index == 0 && (k + 1 >= c->n_entries || c->e[k + 1].tno != a->tno))
			return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
		if (k && c->e[k - 1].tno == a->tno) {
			emu_cue_form(a->form, &m1, &r);
			emu_cue_form(c->e[k - 1].form, &m2, &r);
			if (m1 != m2)
				return emu_fail(d, SENSE_ILLEGAL_MODE_FOR_TRACK);
		}
	}
	if (c->data_start != (int64_t)emu_next_start(d) || c->leadout > (int64_t)s->capacity)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	c->leadin_next = INT64_MIN;
	c->active = 1;
	d->cue = *c;
	return 0;
}

/* The entry a block of the session belongs to (the last one at or before it). */
static const emu_cue_entry *entry_at(const emu_cue *c, int64_t lba)
{
	const emu_cue_entry *r = &c->e[0];
	for (unsigned k = 0; k < c->n_entries && c->e[k].lba <= lba; k++)
		r = &c->e[k];
	return r;
}

/* Move past the spans the drive fills itself (generated forms: no host data). */
static void skip_generated(emu_cue *c)
{
	int mode, raw;
	while (c->next < c->leadout && emu_cue_form(entry_at(c, c->next)->form, &mode, &raw) == 0) {
		const emu_cue_entry *x = entry_at(c, c->next);
		int64_t end = c->leadout;
		for (unsigned k = 0; k < c->n_entries; k++)
			if (c->e[k].lba > x->lba) {
				end = c->e[k].lba;
				break;
			}
		c->next = end;
	}
}

/* CD-TEXT in the lead-in: 96 bytes a block, four packs of 24 six-bit symbols each (MMC-6
 * annex J); the host repeats the packs until the lead-in ends, the drive keeps one cycle. */
static int leadin_write(emu_dev *d, int64_t lba, uint32_t n, const uint8_t *buf, size_t len)
{
	emu_cue *c = &d->cue;
	if (!c->cdtext || lba < LEADIN_LBA || lba + n > -150 ||
	    (c->leadin_next != INT64_MIN && lba != c->leadin_next))
		return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
	if (len != (size_t)n * 96)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	c->leadin_next = lba + n;
	for (size_t g = 0; g < (size_t)n * 4 && !c->text_done; g++) {
		const uint8_t *sym = buf + g * 24;
		uint8_t pack[18];
		for (int k = 0; k < 6; k++) { /* 4 symbols of 6 bits are 3 bytes */
			const uint8_t *q = sym + 4 * k;
			pack[3 * k] = (uint8_t)((q[0] & 0x3f) << 2 | (q[1] & 0x30) >> 4);
			pack[3 * k + 1] = (uint8_t)((q[1] & 0x0f) << 4 | (q[2] & 0x3c) >> 2);
			pack[3 * k + 2] = (uint8_t)((q[2] & 0x03) << 6 | (q[3] & 0x3f));
		}
		if (c->text_packs && memcmp(pack, c->text, 18) == 0) {
			c->text_done = 1; /* the cycle starts again */
			break;
		}
		if (c->text_packs >= EMU_CDTEXT_MAX) {
			c->text_done = 1;
			break;
		}
		memcpy(c->text + (size_t)c->text_packs++ * 18, pack, 18);
	}
	d->st.status = EMU_APPENDABLE;
	return 0;
}

int emu_cue_write(emu_dev *d, int64_t lba, uint32_t n, const uint8_t *buf, size_t len)
{
	emu_cue *c = &d->cue;
	if (lba < -150 && lba < c->next)
		return leadin_write(d, lba, n, buf, len);
	skip_generated(c);
	if (lba != c->next)
		return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
	if (lba + n > c->leadout)
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	/* The bytes of each block follow its entry's data form. */
	size_t need = 0;
	int all2048 = 1;
	for (uint32_t k = 0; k < n; k++) {
		int mode, raw, size = emu_cue_form(entry_at(c, lba + k)->form, &mode, &raw);
		if (size <= 0) /* a span the drive generates: the host sends nothing for it */
			return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
		need += (size_t)size;
		all2048 &= size == 2048;
	}
	if (all2048 ? len < need : len != need)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	d->st.status = EMU_APPENDABLE;
	/* Blocks before the first track's index 01 (its pre-gap) are taken, not kept. */
	uint32_t k = 0;
	const uint8_t *p = buf;
	while (k < n) {
		int mode, raw, size = emu_cue_form(entry_at(c, lba + k)->form, &mode, &raw);
		uint32_t run = 1;
		while (k + run < n && entry_at(c, lba + k + run)->form == entry_at(c, lba + k)->form)
			run++;
		int64_t at = lba + k;
		if (at + run > c->data_start) {
			uint32_t skip = at < c->data_start ? (uint32_t)(c->data_start - at) : 0;
			int rc = emu_store(d, (uint32_t)(at + skip), run - skip, p + (size_t)skip * (size_t)size,
					   entry_at(c, lba + k)->form);
			if (rc < 0)
				return rc;
		}
		p += (size_t)run * (size_t)size;
		k += run;
	}
	c->next = lba + n;
	return 0;
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
	unsigned session = s->sessions + 1;
	for (unsigned k = 0; k < c->n_entries; k++) {
		const emu_cue_entry *x = &c->e[k];
		if (x->tno == 0xaa || x->index != 1)
			continue;
		if (x->lba >= end || s->n_tracks >= EMU_MAX_TRACKS)
			break;
		/* The track runs to the next track's index 01 or the lead-out: the next
		 * pre-gap counts in its size, as READ TRACK INFORMATION and the TOC show CD
		 * tracks; its sectors belong to the next track (emu_cd_track_at). */
		int64_t stop = end, pregap_start = x->lba;
		for (unsigned j = 0; j < c->n_entries; j++)
			if (c->e[j].tno == x->tno && c->e[j].index == 0)
				pregap_start = c->e[j].lba;
		for (unsigned j = k + 1; j < c->n_entries; j++)
			if (c->e[j].tno != x->tno && (c->e[j].index == 1 || c->e[j].tno == 0xaa)) {
				if (c->e[j].lba < stop)
					stop = c->e[j].lba;
				break;
			}
		int mode, raw;
		emu_cue_form(x->form, &mode, &raw);
		emu_track *t = &s->tracks[s->n_tracks++];
		memset(t, 0, sizeof(*t));
		t->start = (uint32_t)x->lba;
		t->size = (uint32_t)(stop - x->lba);
		t->session = session;
		t->closed = 1;
		t->damaged = c->next < c->leadout; /* the sheet announced more */
		t->mode = (uint8_t)mode;
		t->raw = (uint8_t)raw;
		t->flags = (uint8_t)(x->ctl & 0x0b);
		t->pregap = (uint32_t)(x->lba - pregap_start);
		for (unsigned j = k + 1; j < c->n_entries && c->e[j].tno == x->tno; j++)
			if (t->n_index < EMU_MAX_INDEX)
				t->index[t->n_index++] = (int32_t)c->e[j].lba;
		memcpy(t->isrc, c->isrc[x->tno - 1], 13);
	}
	if (c->mcn[0] && !s->mcn[0])
		memcpy(s->mcn, c->mcn, 14);
	if (c->text_packs && !s->cdtext_packs) {
		memcpy(s->cdtext, c->text, (size_t)c->text_packs * 18);
		s->cdtext_packs = c->text_packs;
		s->cdtext_session = session;
	}
	/* The drive writes lead-in and lead-out: the session is closed (page 05h's
	 * multi-session field: next session allowed or not). */
	emu_close_session(d, ((d->page05[3] >> 6) & 3) != 3);
}
