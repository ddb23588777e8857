/* What the emulated disc tells about itself: READ DISC INFORMATION (MMC-6 6.22), READ
 * TRACK INFORMATION (6.27), READ CAPACITY (6.23), READ/SEND DISC STRUCTURE for the
 * physical format, the DVD-R pre-recorded one and the DL layer boundary (6.22, 6.35 of
 * MMC-5: formats 00h, 10h, 20h-22h). */
#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"
#include "common/drive/emu_dev.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

/* CD addresses in disc information are MSF (MMC-6 table 529 notes): 00 MM SS FF. */
static void put_msf(uint8_t *p, int64_t lba)
{
	int64_t f = lba + 150;
	if (f < 0)
		f += 450000; /* lead-in addresses count down from 99:59:74 */
	p[0] = 0;
	p[1] = (uint8_t)(f / (60 * 75));
	p[2] = (uint8_t)(f / 75 % 60);
	p[3] = (uint8_t)(f % 75);
}

/* ATIP start of lead-in of a blank 80-minute disc: 97:26:66 (LBA -11634). */
#define CD_LEADIN_LBA (-11634)

size_t emu_disc_info(emu_dev *d, uint8_t *r)
{
	const emu_state *s = &d->st;
	int cd = s->medium->kind == EMU_CD;
	/* MMC-6 table 529. */
	memset(r, 0, 34);
	dm_put_be16(r, 32);
	int status = s->status, last_state = 0;
	if (emu_random(d)) {
		status = s->formatted ? EMU_COMPLETE : EMU_BLANK;
		last_state = s->formatted ? 3 : 0;
	} else if (s->damage) {
		status = EMU_COMPLETE;
		last_state = MMC_SESSION_DAMAGED;
	} else if (status == EMU_COMPLETE) {
		last_state = 3;
	} else if (emu_open_track(d) ||
		   (s->n_tracks && s->tracks[s->n_tracks - 1].session > s->sessions)) {
		last_state = 1;
	}
	int erasable = s->medium->rec != EMU_WORM;
	r[2] = (uint8_t)((erasable ? 0x10 : 0) | (last_state << 2) | status);
	r[3] = 1;
	unsigned sessions, first, last;
	if (emu_random(d)) {
		sessions = 1;
		first = last = 1;
	} else if (status == EMU_COMPLETE) {
		sessions = s->sessions ? s->sessions : 1;
		last = s->n_tracks ? s->n_tracks : 1;
		first = last;
		while (first > 1 && s->tracks[first - 2].session == s->tracks[last - 1].session)
			first--;
	} else {
		/* Blank or appendable: the incomplete or empty session counts, with its
		 * invisible track (MMC-6 6.22.3.1.5). */
		sessions = s->sessions + 1;
		last = s->n_tracks + (emu_open_track(d) ? 0 : 1);
		first = last;
		while (first > 1 && s->tracks[first - 2].session == sessions)
			first--;
	}
	r[4] = (uint8_t)sessions;
	r[5] = (uint8_t)first;
	r[6] = (uint8_t)last;
	/* URU; BG format status of a DVD+RW (MMC-6 table 529). */
	r[7] = (uint8_t)(0x20 | (s->medium->profile == 0x001a ? s->bg_format : 0));
	r[8] = 0x00;   /* disc type: CD-DA or CD-ROM; CD-ROM XA with a Mode 2 track in session 1 */
	for (unsigned i = 0; cd && i < s->n_tracks; i++)
		if (s->tracks[i].session == 1 && s->tracks[i].mode == EMU_MODE2)
			r[8] = 0x20;
	r[9] = (uint8_t)(sessions >> 8);
	r[10] = (uint8_t)(first >> 8);
	r[11] = (uint8_t)(last >> 8);
	if (status == EMU_COMPLETE && !emu_random(d)) {
		memset(r + 16, 0xff, 8);
	} else if (cd) {
		put_msf(r + 16, s->n_tracks ? (int64_t)emu_next_start(d) - 4650 : CD_LEADIN_LBA);
		put_msf(r + 20, (int64_t)s->capacity + 2);
	} else {
		if (!emu_random(d))
			dm_put_be32(r + 16, emu_next_start(d));
		dm_put_be32(r + 20, s->capacity);
	}
	return 34;
}

static void track_answer(uint8_t *r, const emu_dev *d, unsigned number, unsigned session,
			 int blank, int nwa_v, uint32_t start, uint32_t next,
			 uint32_t free_blocks, uint32_t size, int lra_v, uint32_t last, int damaged,
			 const emu_track *t)
{
	int cd = d->st.medium->kind == EMU_CD;
	/* MMC-6 table 571; length field 0x2E (48 bytes). */
	memset(r, 0, 48);
	dm_put_be16(r, 46);
	r[2] = (uint8_t)number;
	r[3] = (uint8_t)session;
	/* Track mode: data, recorded uninterrupted (4) or incrementally (5) on CD; 7 on DVD
	 * and BD. Damage: an interrupted write. */
	r[5] = (uint8_t)((damaged ? 0x20 : 0) | (cd ? 0x04 : 0x07));
	r[6] = (uint8_t)((blank ? 0x40 : 0) | 0x01); /* data mode 1 */
	if (cd && t) {
		/* The track's Q control (MMC-6 table 571 track mode: audio 0-3, 8-11 with the
		 * flags, data 4-7), data mode 1, 2 or Fh (none: audio). */
		r[5] = (uint8_t)((damaged ? 0x20 : 0) | emu_track_control(t));
		r[6] = (uint8_t)((blank ? 0x40 : 0) |
				 (t->mode == EMU_AUDIO ? 0x0f : t->mode == EMU_MODE2 ? 0x02 : 0x01));
	}
	if (emu_random(d))
		r[6] |= 0x80 | 0x20 | 0x10; /* RT, packet, fixed packets (MMC-6 6.27.3.6) */
	r[7] = (uint8_t)((lra_v ? 2 : 0) | (nwa_v ? 1 : 0));
	dm_put_be32(r + 8, start);
	dm_put_be32(r + 12, nwa_v ? next : 0);
	dm_put_be32(r + 16, free_blocks);
	dm_put_be32(r + 20, cd ? 0 : d->st.medium->ecc_blocks);
	dm_put_be32(r + 24, size);
	dm_put_be32(r + 28, lra_v ? last : 0);
	r[32] = (uint8_t)(number >> 8);
	r[33] = (uint8_t)(session >> 8);
}

int emu_track_info(emu_dev *d, const uint8_t *cdb, uint8_t *r)
{
	emu_state *s = &d->st;
	int type = cdb[1] & 3;
	uint32_t addr = dm_get_be32(cdb + 2);

	if (emu_random(d)) {
		if ((type == 1 && addr != 1 && addr != MMC_TRACK_INVISIBLE) || type == 2 ||
		    type == 3 || (type == 0 && addr >= s->capacity))
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		track_answer(r, d, 1, 1, !s->formatted, s->formatted, 0, 0, s->capacity,
			     s->capacity, 0, 0, 0, NULL);
		return 48;
	}
	unsigned invisible = s->status == EMU_COMPLETE || s->damage ? 0 :
			     s->n_tracks + (emu_open_track(d) ? 0 : 1);
	unsigned number;
	if (type == 1) {
		number = addr == MMC_TRACK_INVISIBLE ? invisible : addr;
	} else if (type == 0) {
		number = invisible;
		for (unsigned i = 0; i < s->n_tracks; i++) {
			const emu_track *t = &s->tracks[i];
			uint32_t len = t->reserved > t->size ? t->reserved : t->size;
			if (addr >= t->start && addr - t->start < len)
				number = i + 1;
		}
	} else if (type == 2) { /* first track of session addr */
		number = 0;
		for (unsigned i = s->n_tracks; i-- > 0;)
			if (s->tracks[i].session == addr)
				number = i + 1;
		if (!number && addr == s->sessions + 1)
			number = invisible;
	} else {
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
	if (number == 0 || (number > s->n_tracks && number != invisible))
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (number > s->n_tracks) { /* the invisible track: a TAO pre-gap before its start */
		uint32_t start = emu_tao_start(d);
		track_answer(r, d, number, s->sessions + 1, 1, 1, start, start,
			     emu_free_after(d, start), emu_free_after(d, start), 0, 0, 0, NULL);
		return 48;
	}
	const emu_track *t = &s->tracks[number - 1];
	uint32_t last = t->size ? t->start + t->size - 1 : 0;
	if (t->closed || t->damaged) {
		uint32_t size = t->reserved > t->size ? t->reserved : t->size;
		track_answer(r, d, number, t->session, 0, 0, t->start, 0, 0, size, t->size > 0, last,
			     t->damaged, t);
	} else {
		uint32_t next = t->start + t->size;
		uint32_t free_blocks = t->reserved ? t->reserved - t->size : emu_free_after(d, next);
		uint32_t size = t->reserved ? t->reserved : emu_free_after(d, t->start);
		track_answer(r, d, number, t->session, t->size == 0, 1, t->start, next, free_blocks,
			     size, t->size > 0, last, 0, t->size ? t : NULL);
	}
	return 48;
}

size_t emu_capacity(emu_dev *d, uint8_t *r)
{
	uint32_t end = emu_recorded_end(d);
	dm_put_be32(r, end ? end - 1 : 0);
	dm_put_be32(r + 4, DM_SECTOR);
	return 8;
}

/* DVD book types (ECMA-267 3.3.1, the +R/+RW books): byte 0 of the physical format. */
static uint8_t book_type(uint16_t profile)
{
	static const struct { uint16_t profile; uint8_t book; } books[] = {
		{ 0x0011, 0x25 }, { 0x0015, 0x26 }, { 0x0014, 0x32 }, { 0x0013, 0x32 },
		{ 0x0012, 0x11 }, { 0x001a, 0x92 }, { 0x001b, 0xa1 }, { 0x002b, 0xe1 },
	};
	for (size_t i = 0; i < sizeof(books) / sizeof(books[0]); i++)
		if (books[i].profile == profile)
			return books[i].book;
	return 0;
}

/* DVD-R, DVD-RW and DVD-R DL: the discs with a pre-recorded control data zone (land
 * pre-pits) that format 10h reads. */
static int dash_disc(uint16_t profile)
{
	return profile == 0x0011 || profile == 0x0013 || profile == 0x0014 || profile == 0x0015;
}

/* Physical format information (ECMA-267 3.3.2, ECMA-382 for the DL discs): 2048 bytes
 * after the 4-byte header. Both DL media use the opposite track path (track path bit 4),
 * whose layer 1 ends at the complement of the first PSN, FCFFFFh; l0 is the layer 0 data
 * zone (a single layer disc: its capacity). */
static int physical_format(const emu_dev *d, uint8_t *r, uint32_t l0)
{
	const emu_medium *m = d->st.medium;
	int dl = m->layers == 2;
	dm_put_be16(r, DM_SECTOR + 2);
	uint8_t *p = r + 4;
	p[0] = book_type(emu_profile(d));
	p[1] = 0x0f;                                    /* 120 mm, rate not specified */
	p[2] = (uint8_t)((dl ? 0x20 | 0x10 : 0) | (m->rec == EMU_WORM ? 0x02 : 0x04));
	dm_put_be32(p + 4, 0x030000);                   /* first PSN of the data area */
	dm_put_be32(p + 8, dl ? 0xfcffff : 0x030000 + l0 - 1);
	dm_put_be32(p + 12, 0x030000 + l0 - 1);         /* end PSN in layer 0 */
	return 4 + DM_SECTOR;
}

int emu_read_disc_structure(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap)
{
	const emu_state *s = &d->st;
	uint8_t media_type = cdb[1] & 0x0f, format = cdb[7];
	int dl = s->medium->layers == 2, dash = dash_disc(s->medium->profile);
	if (media_type != 0 || s->medium->kind != EMU_DVD)
		return emu_fail(d, format == 0xff ? SENSE_INVALID_FIELD_CDB :
				SENSE_CANNOT_READ_MEDIUM);
	memset(r, 0, cap < 4 + DM_SECTOR ? cap : 4 + DM_SECTOR);
	switch (format) {
	case 0x00: /* physical format information of the disc as recorded */
		return physical_format(d, r, dl ? s->layer0 : s->capacity);
	case 0x10: /* DVD-R/-RW: the pre-recorded one of the control data zone in the lead-in
		    * (MMC-6 table 417), the disc's largest layout whatever was set since:
		    * growisofs reads layer 0's end from it on DVD-R DL */
		if (!dash)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		return physical_format(d, r, dl ? s->medium->capacity / 2 / s->medium->ecc_blocks *
							  s->medium->ecc_blocks :
						  s->medium->capacity);
	case 0x20: /* layer boundary information: InitStatus, L0 data zone capacity */
	case 0x21: /* DVD-R DL shifted middle area start address */
		if (!dl || (format != 0x20 && s->medium->profile != 0x0015))
			return emu_fail(d, SENSE_CANNOT_READ_MEDIUM);
		dm_put_be16(r, 10);
		r[4] = s->layer0_set ? 0x80 : 0x00;
		dm_put_be32(r + 8, s->layer0);
		return 12;
	case 0x22: /* DVD-R DL jump interval size: 0, no jumps (bytes 4-7 reserved) */
		if (s->medium->profile != 0x0015)
			return emu_fail(d, SENSE_CANNOT_READ_MEDIUM);
		dm_put_be16(r, 10);
		return 12;
	case 0xff: { /* the structure list (MMC-6 table 413): format, SDS/RDS, length */
		static const uint8_t all[] = { 0x00, 0x10, 0x20, 0x21, 0x22 };
		uint8_t list[sizeof(all)];
		size_t n = 0;
		for (size_t i = 0; i < sizeof(all); i++)
			if ((all[i] != 0x10 || dash) && (all[i] < 0x20 || dl) &&
			    (all[i] < 0x21 || s->medium->profile == 0x0015))
				list[n++] = all[i];
		dm_put_be16(r, (uint16_t)(2 + 4 * n));
		for (size_t i = 0; i < n; i++) {
			int sds = list[i] == 0x20; /* SEND 20h sets the layer break */
			r[4 + 4 * i] = list[i];
			r[4 + 4 * i + 1] = (uint8_t)(0x40 | (sds ? 0x80 : 0));
			dm_put_be16(r + 4 + 4 * i + 2, list[i] >= 0x20 ? 12 : 2052);
		}
		return (int)(4 + 4 * n);
	}
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}

int emu_send_disc_structure(emu_dev *d, const uint8_t *cdb, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	uint8_t format = cdb[7];
	if (format != 0x20 || s->medium->layers != 2)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (len < 12)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	/* The layer break is set once, before anything is written (MMC-5 6.43.3.4). */
	if (s->layer0_set || s->n_tracks || s->status != EMU_BLANK)
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	uint32_t l0 = dm_get_be32(buf + 8);
	if (l0 == 0 || l0 % s->medium->ecc_blocks || l0 > s->layer0)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	s->layer0 = l0;
	s->layer0_set = 1;
	/* Opposite track path: layer 1 holds as much as layer 0. */
	s->capacity = 2 * l0;
	emu_mark_dirty(d);
	return 0;
}
