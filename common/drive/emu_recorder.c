/* The emulated recorder's command set.
 *
 * Modelled per MMC-6: profiles and current features per disc (emu_media.c); disc status
 * blank / appendable / complete; sessions and tracks with start, size, reservation and
 * next writable address; READ DISC/TRACK INFORMATION, READ CAPACITY, READ FORMAT
 * CAPACITIES answers derived from them. Write-once and sequential discs (CD-R, CD-RW,
 * DVD-R, DVD+R, BD-R) take writes only at the NWA (else 5/21/02), nothing once complete
 * (5/30/05), nothing past the capacity or a reserved track's end (5/21/00); random-access
 * discs (DVD+RW, BD-RE) take writes anywhere inside their capacity and are formatted by
 * the first write. CLOSE SESSION leaves CD and DVD-R appendable when page 05h asks for a
 * next session, else complete; DVD+R and BD-R stay appendable after function 2 and are
 * complete after 5 or 6. BLANK (CD-RW) empties the disc.
 *
 * Simplified: no lead-in/lead-out or pre-gaps are recorded (CD sessions after the first
 * start 11,400 / 6,900 blocks after the previous one; DVD and BD sessions follow at the
 * next ECC block); CD TAO and SAO are both treated as writing 2048-byte Mode 1 sectors;
 * the buffer is always empty (writes go straight to the file); IMMED commands finish at
 * once unless busy_after_close is set. */
#include "common/drive/emu_recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "common/drive/emu_state.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

#define SECTOR 2048u

typedef struct emu_dev {
	scsi_transport base;
	char *data_path, *state_path;
	int fd;
	emu_state st;
	int removed;          /* disc pulled out (fault) or tray opened */
	int prevent;
	int ua_pending;
	int media_event;      /* GET EVENT STATUS media event not yet reported */
	unsigned busy_left;
	unsigned not_ready_left;
	uint64_t writes;
	uint32_t write_kbs;
	uint8_t page05[52];
	int dirty;
	char desc[300];
	/* the answer being built */
	uint8_t sk, asc, ascq;
} emu_dev;

static int check(emu_dev *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
	d->sk = key;
	d->asc = asc;
	d->ascq = ascq;
	return -1;
}

static int medium_in(const emu_dev *d)
{
	return d->st.medium && d->st.medium->profile != 0 && !d->st.faults.no_media && !d->removed;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return a > 1 ? (uint32_t)(((uint64_t)v + a - 1) / a * a) : v;
}

static emu_track *open_track(emu_dev *d)
{
	if (d->st.n_tracks && !d->st.tracks[d->st.n_tracks - 1].closed)
		return &d->st.tracks[d->st.n_tracks - 1];
	return NULL;
}

/* Where the next track would start (the invisible track). */
static uint32_t next_start(const emu_dev *d)
{
	const emu_state *s = &d->st;
	if (!s->n_tracks)
		return 0;
	const emu_track *t = &s->tracks[s->n_tracks - 1];
	uint64_t end = (uint64_t)t->start + (t->reserved > t->size ? t->reserved : t->size);
	if (t->session <= s->sessions) /* its session is closed: skip the gap */
		end += s->sessions == 1 ? s->medium->first_gap : s->medium->session_gap;
	end = align_up((uint32_t)(end > UINT32_MAX ? UINT32_MAX : end), s->medium->ecc_blocks);
	return (uint32_t)end;
}

static uint32_t nwa(emu_dev *d)
{
	emu_track *t = open_track(d);
	return t ? t->start + t->size : next_start(d);
}

static uint32_t free_after(const emu_dev *d, uint32_t lba)
{
	return d->st.capacity > lba ? d->st.capacity - lba : 0;
}

static void mark_dirty(emu_dev *d)
{
	d->dirty = 1;
}

static void save(emu_dev *d, dm_ctx *ctx)
{
	if (!d->dirty || !d->state_path)
		return;
	/* A failed save is reported as a warning: the command itself succeeded. */
	if (emu_state_save(&d->st, d->state_path, ctx) != DM_OK)
		dm_warn(ctx, "%s", ctx->msg);
	else
		d->dirty = 0;
}

/* ---- answers ---------------------------------------------------------------------- */

static size_t inquiry(uint8_t *r)
{
	/* SPC-4 6.6.2: MMC device, removable, SPC-3 version, 36 + 60 bytes. */
	memset(r, 0, 96);
	r[0] = 0x05;
	r[1] = 0x80;
	r[2] = 0x05;
	r[3] = 0x02;
	r[4] = 96 - 5;
	memcpy(r + 8, "DISCMSTR", 8);
	memcpy(r + 16, "EMULATED BD-RE  ", 16);
	memcpy(r + 32, "0.10", 4);
	return 96;
}

static size_t disc_info(emu_dev *d, uint8_t *r)
{
	const emu_state *s = &d->st;
	/* MMC-6 table 529. */
	memset(r, 0, 34);
	dm_put_be16(r, 32);
	int last_state = 0;
	if (s->status == EMU_COMPLETE)
		last_state = 3;
	else if (open_track(d) || (s->n_tracks && s->tracks[s->n_tracks - 1].session > s->sessions))
		last_state = 1;
	r[2] = (uint8_t)((s->medium->erasable ? 0x10 : 0) | (last_state << 2) | s->status);
	r[3] = 1;
	unsigned sessions, first, last;
	if (!s->medium->sequential) {
		sessions = 1;
		first = last = 1;
	} else if (s->status == EMU_COMPLETE) {
		sessions = s->sessions ? s->sessions : 1;
		last = s->n_tracks ? s->n_tracks : 1;
		first = last;
		while (first > 1 && s->tracks[first - 2].session == s->tracks[last - 1].session)
			first--;
	} else {
		/* Blank or appendable: the incomplete or empty session counts, with its
		 * invisible track (MMC-6 6.22.3.1.5). */
		sessions = s->sessions + 1;
		last = s->n_tracks + (open_track(d) ? 0 : 1);
		first = last;
		while (first > 1 && s->tracks[first - 2].session == sessions)
			first--;
	}
	r[4] = (uint8_t)sessions;
	r[5] = (uint8_t)first;
	r[6] = (uint8_t)last;
	r[7] = 0x20; /* URU */
	r[8] = 0x00;
	r[9] = (uint8_t)(sessions >> 8);
	r[10] = (uint8_t)(first >> 8);
	r[11] = (uint8_t)(last >> 8);
	if (s->status != EMU_COMPLETE && s->medium->sequential)
		dm_put_be32(r + 16, next_start(d));
	dm_put_be32(r + 20, s->capacity);
	return 34;
}

static void track_answer(uint8_t *r, unsigned number, unsigned session, int blank, int nwa_v,
			 uint32_t start, uint32_t next, uint32_t free_blocks, uint32_t size,
			 int lra_v, uint32_t last, int cd)
{
	/* MMC-6 table 571; length field 0x2E (48 bytes). */
	memset(r, 0, 48);
	dm_put_be16(r, 46);
	r[2] = (uint8_t)number;
	r[3] = (uint8_t)session;
	r[5] = cd ? 0x04 : 0x07;  /* data track, uninterrupted (CD) / DVD-BD data */
	r[6] = (uint8_t)((blank ? 0x40 : 0) | 0x01); /* data mode 1 */
	r[7] = (uint8_t)((lra_v ? 2 : 0) | (nwa_v ? 1 : 0));
	dm_put_be32(r + 8, start);
	dm_put_be32(r + 12, nwa_v ? next : 0);
	dm_put_be32(r + 16, free_blocks);
	dm_put_be32(r + 20, cd ? 0 : 16);
	dm_put_be32(r + 24, size);
	dm_put_be32(r + 28, lra_v ? last : 0);
	r[32] = (uint8_t)(number >> 8);
	r[33] = (uint8_t)(session >> 8);
}

static int track_info(emu_dev *d, const uint8_t *cdb, uint8_t *r)
{
	emu_state *s = &d->st;
	int type = cdb[1] & 3;
	uint32_t addr = dm_get_be32(cdb + 2);
	int cd = s->medium->ecc_blocks == 1;

	if (!s->medium->sequential) {
		if ((type == 1 && addr != 1) || type == 2 || (type == 0 && addr >= s->capacity))
			return check(d, 5, 0x24, 0x00);
		track_answer(r, 1, 1, !s->formatted, 0, 0, 0, s->capacity, s->capacity, 0, 0, cd);
		return 48;
	}
	unsigned invisible = s->status == EMU_COMPLETE ? 0 : s->n_tracks + (open_track(d) ? 0 : 1);
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
	} else {
		return check(d, 5, 0x24, 0x00);
	}
	if (number == 0 || (number > s->n_tracks && number != invisible))
		return check(d, 5, 0x24, 0x00);
	if (number > s->n_tracks) { /* the invisible track */
		uint32_t start = next_start(d);
		track_answer(r, number, s->sessions + 1, 1, 1, start, start, free_after(d, start),
			     free_after(d, start), 0, 0, cd);
		return 48;
	}
	const emu_track *t = &s->tracks[number - 1];
	if (t->closed) {
		uint32_t size = t->reserved > t->size ? t->reserved : t->size;
		track_answer(r, number, t->session, 0, 0, t->start, 0, 0, size, t->size > 0,
			     t->start + t->size - 1, cd);
	} else {
		uint32_t next = t->start + t->size;
		uint32_t free_blocks = t->reserved ? t->reserved - t->size : free_after(d, next);
		uint32_t size = t->reserved ? t->reserved : free_after(d, t->start);
		track_answer(r, number, t->session, t->size == 0, 1, t->start, next, free_blocks,
			     size, t->size > 0, t->start + t->size - 1, cd);
	}
	return 48;
}

static uint32_t recorded_end(const emu_dev *d)
{
	if (!d->st.medium->sequential)
		return d->st.formatted ? d->st.capacity : 0;
	uint32_t end = 0;
	for (unsigned i = 0; i < d->st.n_tracks; i++)
		if (d->st.tracks[i].size)
			end = d->st.tracks[i].start + d->st.tracks[i].size;
	return end;
}

static size_t capacity(emu_dev *d, uint8_t *r)
{
	uint32_t end = recorded_end(d);
	dm_put_be32(r, end ? end - 1 : 0);
	dm_put_be32(r + 4, SECTOR);
	return 8;
}

static size_t format_capacities(emu_dev *d, uint8_t *r)
{
	const emu_state *s = &d->st;
	/* MMC-6 6.24.3: one current/maximum descriptor and one formattable descriptor
	 * (format type 26h DVD+RW full, 30h BD full with spares) for random discs. */
	memset(r, 0, 20);
	int random = !s->medium->sequential;
	r[3] = random ? 16 : 8;
	dm_put_be32(r + 4, s->capacity);
	r[8] = (uint8_t)(random && s->formatted ? MMC_FMT_FORMATTED : MMC_FMT_UNFORMATTED);
	r[10] = SECTOR >> 8;
	if (random) {
		dm_put_be32(r + 12, s->capacity);
		r[16] = (uint8_t)((s->medium->profile == 0x001a ? 0x26 : 0x30) << 2);
		r[18] = SECTOR >> 8;
		return 20;
	}
	return 12;
}

static size_t mode_page(emu_dev *d, int page, uint8_t *r, size_t cap, int *ok)
{
	uint8_t tmp[8 + 64 + 52];
	size_t pos = 8;
	*ok = 1;
	memset(tmp, 0, sizeof(tmp));
	if (page == 0x2a || page == 0x3f)
		pos += emu_build_caps_page(medium_in(d) ? d->st.medium : NULL, tmp + pos, 64);
	if (page == 0x05 || page == 0x3f) {
		memcpy(tmp + pos, d->page05, sizeof(d->page05));
		pos += sizeof(d->page05);
	}
	if (pos == 8) {
		*ok = 0;
		return 0;
	}
	/* SPC-4 7.5.5: mode data length, WP in the device-specific byte, no descriptors. */
	dm_put_be16(tmp, (uint16_t)(pos - 2));
	tmp[3] = d->st.write_protected ? 0x80 : 0;
	memcpy(r, tmp, pos < cap ? pos : cap);
	return pos;
}

static size_t write_speeds(emu_dev *d, uint8_t *r, size_t cap)
{
	const uint32_t *sp = d->st.medium->speeds_kbs;
	size_t n = 0, pos = 8;
	uint8_t tmp[8 + 16 * 8] = { 0 };
	while (sp[n] && n < 8) {
		uint8_t *x = tmp + pos;
		x[0] = 0x00;
		dm_put_be32(x + 4, d->st.capacity ? d->st.capacity - 1 : 0);
		dm_put_be32(x + 8, sp[n]);
		dm_put_be32(x + 12, sp[n]);
		pos += 16;
		n++;
	}
	dm_put_be32(tmp, (uint32_t)(pos - 4));
	memcpy(r, tmp, pos < cap ? pos : cap);
	return pos;
}

/* ---- state-changing commands -------------------------------------------------------- */

static int do_write(emu_dev *d, const uint8_t *cdb, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	uint32_t lba = dm_get_be32(cdb + 2);
	uint32_t n = dm_get_be16(cdb + 7);

	if (d->st.faults.remove_after_writes >= 0 &&
	    d->writes >= (uint64_t)d->st.faults.remove_after_writes) {
		d->removed = 1;
		return check(d, 2, 0x3a, 0x00);
	}
	d->writes++;
	if (s->write_protected)
		return check(d, 7, 0x27, 0x00);
	if (len < (size_t)n * SECTOR)
		return check(d, 5, 0x24, 0x00);
	if (s->medium->sequential) {
		if (s->status == EMU_COMPLETE)
			return check(d, 5, 0x30, 0x05);
		if (lba != nwa(d))
			return check(d, 5, 0x21, 0x02);
		emu_track *t = open_track(d);
		uint64_t limit = t && t->reserved ? (uint64_t)t->start + t->reserved : s->capacity;
		if ((uint64_t)lba + n > limit)
			return check(d, 5, 0x21, 0x00);
	} else if ((uint64_t)lba + n > s->capacity) {
		return check(d, 5, 0x21, 0x00);
	}
	if (n == 0)
		return 0;
	if (s->faults.write_delay_ms) {
		struct timespec ts = { (time_t)(s->faults.write_delay_ms / 1000),
				       (long)(s->faults.write_delay_ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	if (s->faults.write_error_lba >= 0 && (uint64_t)s->faults.write_error_lba >= lba &&
	    (uint64_t)s->faults.write_error_lba < (uint64_t)lba + n)
		return check(d, 3, 0x0c, 0x00);
	size_t want = (size_t)n * SECTOR;
	off_t off = (off_t)lba * SECTOR;
	for (size_t done = 0; done < want;) {
		ssize_t w = pwrite(d->fd, buf + done, want - done, off + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return check(d, 3, 0x0c, 0x00);
		done += (size_t)w;
	}
	if (s->medium->sequential) {
		emu_track *t = open_track(d);
		if (!t) {
			if (s->n_tracks >= EMU_MAX_TRACKS)
				return check(d, 5, 0x72, 0x05); /* no more track reservations */
			t = &s->tracks[s->n_tracks++];
			memset(t, 0, sizeof(*t));
			t->start = lba;
			t->session = s->sessions + 1;
			mark_dirty(d);
		}
		t->size += n;
		mark_dirty(d);
		s->status = EMU_APPENDABLE;
	} else {
		if (!s->formatted || s->status != EMU_COMPLETE)
			mark_dirty(d);
		s->formatted = 1;
		s->status = EMU_COMPLETE;
	}
	return 0;
}

static int do_read(emu_dev *d, const uint8_t *cdb, uint8_t *buf, size_t len, size_t *out)
{
	uint32_t lba = dm_get_be32(cdb + 2);
	uint32_t n = dm_get_be16(cdb + 7);
	uint64_t end = (uint64_t)lba + n;

	if (len < (size_t)n * SECTOR)
		return check(d, 5, 0x24, 0x00);
	int inside = 0;
	if (!d->st.medium->sequential) {
		inside = end <= d->st.capacity && d->st.formatted;
	} else {
		for (unsigned i = 0; i < d->st.n_tracks; i++) {
			const emu_track *t = &d->st.tracks[i];
			if (lba >= t->start && end <= (uint64_t)t->start + t->size)
				inside = 1;
		}
	}
	if (!inside && n)
		return check(d, 5, 0x21, 0x00);
	if (d->st.faults.read_error_lba >= 0 && (uint64_t)d->st.faults.read_error_lba >= lba &&
	    (uint64_t)d->st.faults.read_error_lba < end)
		return check(d, 3, 0x11, 0x00);
	size_t want = (size_t)n * SECTOR;
	size_t done = 0;
	while (done < want) {
		ssize_t r = pread(d->fd, buf + done, want - done, (off_t)lba * SECTOR + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return check(d, 3, 0x11, 0x00);
		if (r == 0)
			break;
		done += (size_t)r;
	}
	memset(buf + done, 0, want - done); /* never-written sectors of a sparse file */
	*out = want;
	return 0;
}

static int do_reserve(emu_dev *d, const uint8_t *cdb)
{
	emu_state *s = &d->st;
	uint32_t size = dm_get_be32(cdb + 5);
	if (!s->medium->sequential || s->status == EMU_COMPLETE)
		return check(d, 5, 0x30, 0x05);
	if (cdb[1] & 1) /* ARSV: reservation by address, not modelled */
		return check(d, 5, 0x24, 0x00);
	if (open_track(d) || size == 0)
		return check(d, 5, 0x2c, 0x00);
	uint32_t start = next_start(d);
	if (size > free_after(d, start))
		return check(d, 5, 0x21, 0x00);
	if (s->n_tracks >= EMU_MAX_TRACKS)
		return check(d, 5, 0x72, 0x05);
	emu_track *t = &s->tracks[s->n_tracks++];
	memset(t, 0, sizeof(*t));
	t->start = start;
	t->reserved = align_up(size, s->medium->ecc_blocks);
	if (t->reserved > free_after(d, start))
		t->reserved = free_after(d, start);
	t->session = s->sessions + 1;
	mark_dirty(d);
	return 0;
}

static void close_session(emu_dev *d, int finalize)
{
	emu_state *s = &d->st;
	emu_track *t = open_track(d);
	if (t)
		t->closed = 1;
	int has_tracks = s->n_tracks && s->tracks[s->n_tracks - 1].session > s->sessions;
	if (has_tracks)
		s->sessions++;
	if (finalize || (has_tracks && free_after(d, next_start(d)) == 0))
		s->status = EMU_COMPLETE;
	else if (has_tracks)
		s->status = EMU_APPENDABLE;
	mark_dirty(d);
}

static int do_close(emu_dev *d, const uint8_t *cdb)
{
	emu_state *s = &d->st;
	int fn = cdb[2] & 7;
	unsigned number = dm_get_be16(cdb + 4);

	if (!s->medium->sequential) { /* DVD+RW, BD-RE: stops background formatting only */
		s->formatted = 1;
		mark_dirty(d);
		return 0;
	}
	if (s->status == EMU_COMPLETE)
		return check(d, 5, 0x2c, 0x00);
	int plus_or_bd = s->medium->profile == 0x001b || s->medium->profile == 0x0041;
	switch (fn) {
	case MMC_CLOSE_TRACK: {
		emu_track *t = open_track(d);
		if (t && number == s->n_tracks) {
			t->closed = 1;
			mark_dirty(d);
		} else if (number != s->n_tracks + 1 && (!t || number != s->n_tracks)) {
			return check(d, 5, 0x24, 0x00);
		}
		return 0;
	}
	case MMC_CLOSE_SESSION:
		/* CD and DVD-R: page 05h's multi-session field decides (MMC-6 7.5.4.3). */
		close_session(d, !plus_or_bd && ((d->page05[3] >> 6) & 3) != 3);
		return 0;
	case MMC_CLOSE_FINALIZE_MINRAD:
	case MMC_CLOSE_FINALIZE:
		if (!plus_or_bd)
			return check(d, 5, 0x24, 0x00);
		close_session(d, 1);
		return 0;
	default:
		return check(d, 5, 0x24, 0x00);
	}
}

static int do_blank(emu_dev *d)
{
	emu_state *s = &d->st;
	if (!s->medium->erasable || !s->medium->sequential)
		return check(d, 5, 0x30, 0x05);
	emu_state_blank(s, s->medium);
	if (ftruncate(d->fd, 0) != 0)
		return check(d, 3, 0x0c, 0x00);
	mark_dirty(d);
	return 0;
}

static int do_mode_select(emu_dev *d, const uint8_t *buf, size_t len)
{
	if (len < 8)
		return check(d, 5, 0x1a, 0x00); /* parameter list length error */
	size_t pos = 8 + (size_t)dm_get_be16(buf + 6);
	while (pos + 2 <= len) {
		size_t plen = 2 + (size_t)buf[pos + 1];
		if (pos + plen > len)
			return check(d, 5, 0x26, 0x00); /* invalid field in parameter list */
		if ((buf[pos] & 0x3f) == 0x05) {
			int wt = buf[pos + 2] & 0x0f;
			if (wt > MMC_WT_RAW)
				return check(d, 5, 0x26, 0x00);
			size_t n = plen < sizeof(d->page05) ? plen : sizeof(d->page05);
			memcpy(d->page05 + 2, buf + pos + 2, n - 2);
		}
		pos += plen;
	}
	return 0;
}

static int do_start_stop(emu_dev *d, const uint8_t *cdb)
{
	int loej = (cdb[4] >> 1) & 1, start = cdb[4] & 1;
	if (!loej)
		return 0;
	if (!start) {
		if (d->prevent)
			return check(d, 5, 0x53, 0x02); /* medium removal prevented */
		d->removed = 1;
	} else {
		d->removed = 0;
		d->media_event = 2;
	}
	d->media_event = start ? 2 : 3;
	return 0;
}

static size_t event_status(emu_dev *d, const uint8_t *cdb, uint8_t *r)
{
	memset(r, 0, 8);
	if (!(cdb[4] & MMC_EVENT_CLASS_MEDIA)) {
		dm_put_be16(r, 2);
		r[2] = 0x80; /* NEA */
		r[3] = MMC_EVENT_CLASS_MEDIA;
		return 4;
	}
	dm_put_be16(r, 6);
	r[2] = 4;
	r[3] = MMC_EVENT_CLASS_MEDIA;
	r[4] = (uint8_t)d->media_event;
	r[5] = medium_in(d) ? 0x02 : 0x00;
	d->media_event = 0;
	return 8;
}

/* ---- dispatch ----------------------------------------------------------------------- */

static size_t cdb_group_len(uint8_t op)
{
	if (op < 0x20)
		return 6;
	if (op < 0x60)
		return 10;
	if (op >= 0xa0 && op < 0xc0)
		return 12;
	return 16;
}

/* Commands that answer without a disc (MMC-6 4.1.5). */
static int needs_medium(uint8_t op)
{
	switch (op) {
	case MMC_INQUIRY:
	case MMC_REQUEST_SENSE:
	case MMC_GET_CONFIGURATION:
	case MMC_GET_EVENT_STATUS:
	case MMC_MODE_SENSE10:
	case MMC_MODE_SELECT10:
	case MMC_PREVENT_ALLOW:
	case MMC_START_STOP_UNIT:
	case MMC_READ_BUFFER_CAPACITY:
	case MMC_SET_CD_SPEED:
		return 0;
	default:
		return 1;
	}
}

static int dispatch(emu_dev *d, const uint8_t *cdb, uint8_t *buf, size_t len, size_t *out)
{
	uint8_t op = cdb[0];
	uint8_t r[256];
	size_t n = 0;
	uint16_t alloc = 0xffff; /* commands without an allocation length */
	switch (op) {
	case MMC_GET_CONFIGURATION:
	case MMC_READ_DISC_INFO:
	case MMC_READ_TRACK_INFO:
	case MMC_READ_FORMAT_CAPACITIES:
	case MMC_MODE_SENSE10:
	case MMC_MODE_SELECT10:
	case MMC_READ_BUFFER_CAPACITY:
	case MMC_GET_EVENT_STATUS:
		alloc = dm_get_be16(cdb + 7);
		break;
	case MMC_REQUEST_SENSE:
		alloc = cdb[4];
		break;
	default:
		break;
	}

	*out = 0;
	if (op == MMC_INQUIRY) {
		n = inquiry(r);
		alloc = dm_get_be16(cdb + 3);
		goto answer;
	}
	if (op == MMC_REQUEST_SENSE) {
		if (!medium_in(d))
			n = scsi_sense_build_fixed(r, 2, 0x3a, 0x00);
		else
			n = scsi_sense_build_fixed(r, 0, 0, 0);
		goto answer;
	}
	if (d->ua_pending) {
		d->ua_pending = 0;
		return check(d, 6, 0x28, 0x00);
	}
	if (needs_medium(op)) {
		if (d->busy_left) {
			d->busy_left--;
			return check(d, 2, 0x04, 0x08);
		}
		if (d->not_ready_left && medium_in(d)) {
			d->not_ready_left--;
			return check(d, 2, 0x04, 0x01);
		}
		if (!medium_in(d))
			return check(d, 2, 0x3a, 0x00);
	}
	switch (op) {
	case MMC_TEST_UNIT_READY:
		return 0;
	case MMC_GET_CONFIGURATION: {
		size_t full = emu_build_configuration(medium_in(d) ? d->st.medium : NULL, cdb[1] & 3,
						      dm_get_be16(cdb + 2), buf,
						      len < alloc ? len : alloc);
		*out = full < len ? full : len;
		if (*out > alloc)
			*out = alloc;
		return 0;
	}
	case MMC_READ_DISC_INFO:
		if (cdb[1] & 7)
			return check(d, 5, 0x24, 0x00);
		n = disc_info(d, r);
		break;
	case MMC_READ_TRACK_INFO: {
		int rc = track_info(d, cdb, r);
		if (rc < 0)
			return rc;
		n = (size_t)rc;
		break;
	}
	case MMC_READ_CAPACITY:
		n = capacity(d, r);
		break;
	case MMC_READ_FORMAT_CAPACITIES:
		n = format_capacities(d, r);
		break;
	case MMC_MODE_SENSE10: {
		int ok;
		if (((cdb[2] >> 6) & 3) == 3)
			return check(d, 5, 0x39, 0x00); /* saving parameters not supported */
		n = mode_page(d, cdb[2] & 0x3f, r, sizeof(r), &ok);
		if (!ok)
			return check(d, 5, 0x24, 0x00);
		break;
	}
	case MMC_MODE_SELECT10:
		return do_mode_select(d, buf, len < alloc ? len : alloc);
	case MMC_GET_PERFORMANCE:
		if (cdb[10] != 0x03)
			return check(d, 5, 0x24, 0x00);
		n = write_speeds(d, r, sizeof(r));
		alloc = (uint16_t)(8 + 16 * dm_get_be16(cdb + 8));
		break;
	case MMC_SET_STREAMING:
		if (len >= MMC_STREAMING_DESC_LEN)
			d->write_kbs = dm_get_be32(buf + 20);
		return 0;
	case MMC_SET_CD_SPEED:
		d->write_kbs = dm_get_be16(cdb + 4);
		return 0;
	case MMC_RESERVE_TRACK:
		return do_reserve(d, cdb);
	case MMC_WRITE10:
		return do_write(d, cdb, buf, len);
	case MMC_READ10:
		return do_read(d, cdb, buf, len, out);
	case MMC_SYNCHRONIZE_CACHE:
		if (cdb[1] & 0x02)
			d->busy_left = d->st.faults.busy_after_close;
		return 0;
	case MMC_CLOSE_TRACK_SESSION: {
		int rc = do_close(d, cdb);
		if (rc == 0 && (cdb[1] & 1))
			d->busy_left = d->st.faults.busy_after_close;
		return rc;
	}
	case MMC_BLANK:
		return do_blank(d);
	case MMC_READ_BUFFER_CAPACITY:
		if (cdb[1] & 1)
			return check(d, 5, 0x24, 0x00);
		memset(r, 0, 12);
		dm_put_be16(r, 10);
		dm_put_be32(r + 4, EMU_BUFFER_BYTES);
		dm_put_be32(r + 8, EMU_BUFFER_BYTES);
		n = 12;
		break;
	case MMC_PREVENT_ALLOW:
		d->prevent = cdb[4] & 1;
		return 0;
	case MMC_START_STOP_UNIT:
		return do_start_stop(d, cdb);
	case MMC_GET_EVENT_STATUS:
		if (!(cdb[1] & 1))
			return check(d, 5, 0x24, 0x00); /* asynchronous mode not supported */
		n = event_status(d, cdb, r);
		break;
	default:
		return check(d, 5, 0x20, 0x00);
	}
answer:
	if (n > alloc)
		n = alloc;
	if (n > len)
		n = len;
	memcpy(buf, r, n);
	*out = n;
	return 0;
}

static dm_status emu_execute(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir,
			     uint8_t *buf, size_t len, unsigned timeout_ms, scsi_result *res,
			     dm_ctx *ctx)
{
	emu_dev *d = t->impl;
	(void)timeout_ms;
	memset(res, 0, sizeof(*res));
	if (cdb_len < 6 || cdb_len > SCSI_CDB_MAX || cdb_len < cdb_group_len(cdb[0]))
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: CDB of %zu bytes for opcode %02Xh",
			       cdb_len, cdb[0]);
	if (len && !buf)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: no data buffer");
	if (dir == SCSI_DIR_NONE)
		len = 0;
	int is_out = cdb[0] == MMC_WRITE10 || cdb[0] == MMC_MODE_SELECT10 ||
		     cdb[0] == MMC_SET_STREAMING;
	if (len && (dir == SCSI_DIR_OUT) != is_out)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: %s sent with the wrong data direction",
			       mmc_opcode_name(cdb[0]));
	size_t out = 0;
	d->sk = d->asc = d->ascq = 0;
	int rc = dispatch(d, cdb, buf, len, &out);
	if (rc < 0) {
		res->status = SCSI_ST_CHECK_CONDITION;
		res->sense_len = scsi_sense_build_fixed(res->sense, d->sk, d->asc, d->ascq);
		res->resid = len;
	} else {
		res->status = SCSI_ST_GOOD;
		res->resid = is_out ? 0 : len - out;
	}
	/* Persist what a real disc would keep even if the program dies: the first write
	 * and every close. */
	if (d->dirty && cdb[0] != MMC_WRITE10)
		save(d, ctx);
	else if (d->dirty && cdb[0] == MMC_WRITE10 && d->writes == 1)
		save(d, ctx);
	return DM_OK;
}

static void emu_close(scsi_transport *t)
{
	emu_dev *d = t->impl;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	save(d, &ctx);
	if (d->fd >= 0)
		close(d->fd);
	free(d->data_path);
	free(d->state_path);
	free(d);
}

static const char *emu_describe(scsi_transport *t)
{
	emu_dev *d = t->impl;
	return d->desc;
}

static const scsi_transport_ops emu_ops = { emu_execute, emu_close, emu_describe, NULL };

/* Page 05h defaults (MMC-6 table 643): TAO, BUFE, next session allowed, data track
 * mode 4, Mode 1 data blocks (8). */
static void default_page05(uint8_t *p)
{
	memset(p, 0, 52);
	p[0] = 0x05;
	p[1] = 50;
	p[2] = 0x40 | MMC_WT_TAO;
	p[3] = 0xc0 | 0x04;
	p[4] = 0x08;
	p[8] = 0x00;
	p[10 + 3] = 0;
	dm_put_be16(p + 14, 150); /* audio pause length */
}

dm_status emu_open(const char *spec, scsi_transport **out, dm_ctx *ctx)
{
	*out = NULL;
	if (strncmp(spec, "emu:", 4) != 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: not an emulator spec", spec);
	const char *name = spec + 4;
	const char *colon = strchr(name, ':');
	if (!colon || !colon[1])
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: expected emu:MEDIUM:FILE (MEDIUM one of %s)", spec,
			       emu_medium_names());
	char medium_name[32];
	size_t nl = (size_t)(colon - name);
	if (nl >= sizeof(medium_name))
		return dm_fail(ctx, DM_ERR_INVALID, "%s: unknown medium", spec);
	memcpy(medium_name, name, nl);
	medium_name[nl] = '\0';
	const emu_medium *m = nl ? emu_medium_find(medium_name) : NULL;
	if (nl && !m)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: unknown medium '%s' (known: %s)", spec,
			       medium_name, emu_medium_names());

	emu_dev *d = calloc(1, sizeof(*d));
	if (!d)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	d->fd = -1;
	d->data_path = strdup(colon + 1);
	const char *settings = NULL;
	char *q = d->data_path ? strrchr(d->data_path, '?') : NULL;
	if (q) {
		*q = '\0';
		settings = colon + 1 + (q - d->data_path) + 1;
	}
	dm_status st = DM_OK;
	if (!d->data_path || asprintf(&d->state_path, "%s.emu", d->data_path) < 0) {
		d->state_path = NULL;
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto fail;
	}
	int exists;
	st = emu_state_load(&d->st, d->state_path, &exists, ctx);
	if (st != DM_OK)
		goto fail;
	if (exists && m && m != d->st.medium) {
		st = dm_fail(ctx, DM_ERR_INVALID,
			     "%s holds a %s disc, not %s: use emu:%s:%s, or remove %s and %s for a "
			     "new disc", d->state_path, d->st.medium->name, m->name,
			     d->st.medium->name, d->data_path, d->data_path, d->state_path);
		goto fail;
	}
	if (!exists) {
		if (!m) {
			st = dm_fail(ctx, DM_ERR_INVALID, "%s does not exist: name the medium of a "
				     "new disc (emu:dvd+r:%s)", d->state_path, d->data_path);
			goto fail;
		}
		struct stat sb;
		if (m->profile && stat(d->data_path, &sb) == 0 && sb.st_size > 0) {
			st = dm_fail(ctx, DM_ERR_INVALID,
				     "%s exists and is not an emulated disc (no %s): remove it or "
				     "choose another file", d->data_path, d->state_path);
			goto fail;
		}
		emu_state_blank(&d->st, m);
		d->dirty = m->profile != 0;
	}
	const char *env = getenv("DM_EMU_FAULTS");
	if (env && *env && (st = emu_state_apply(&d->st, env, ctx)) != DM_OK)
		goto fail;
	if (settings && *settings && (st = emu_state_apply(&d->st, settings, ctx)) != DM_OK)
		goto fail;
	if (d->st.medium->profile) {
		d->fd = open(d->data_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (d->fd < 0) {
			st = dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: cannot open %s",
					   d->data_path);
			goto fail;
		}
	} else {
		free(d->state_path);
		d->state_path = NULL; /* an empty drive keeps no files */
	}
	d->ua_pending = d->st.faults.unit_attention;
	d->not_ready_left = d->st.faults.not_ready;
	default_page05(d->page05);
	snprintf(d->desc, sizeof(d->desc), "emulated recorder with %s in %s", d->st.medium->name,
		 d->data_path);
	d->base.ops = &emu_ops;
	d->base.impl = d;
	*out = &d->base;
	return DM_OK;
fail:
	free(d->data_path);
	free(d->state_path);
	free(d);
	return st;
}

const scsi_transport_kind emu_transport_kind = { "emu:", emu_open };
