/* Recording on the emulated disc: WRITE(10/12) and READ(10/12) with the rules of each
 * kind of medium (MMC-6 4.5-4.7), RESERVE TRACK (6.31), CLOSE TRACK/SESSION (6.3) with
 * the functions each medium has, SYNCHRONIZE CACHE (6.41). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/dm_cd_sector.h"
#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"
#include "common/drive/emu_dev.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

static int in_lba(int64_t x, uint32_t lba, uint32_t n)
{
	return x >= 0 && (uint64_t)x >= lba && (uint64_t)x < (uint64_t)lba + n;
}

/* The fault that ends this write, if any (faults of emu_state.h). */
static int write_fault(emu_dev *d, uint32_t lba, uint32_t n)
{
	const emu_faults *f = &d->st.faults;
	if (f->remove_after_writes >= 0 && d->writes >= (uint64_t)f->remove_after_writes) {
		d->removed = 1;
		return emu_fail(d, SENSE_NO_MEDIUM);
	}
	if (f->power_loss_after_writes >= 0 && d->writes >= (uint64_t)f->power_loss_after_writes) {
		/* What reached the disc stays; the track being written is damaged. */
		emu_track *t = emu_open_track(d);
		if (t && !d->sim)
			t->damaged = 1;
		d->dirty = 1;
		emu_save(d);
		d->dead = 1;
		return -1;
	}
	if (f->underrun_after_writes >= 0 && d->writes >= (uint64_t)f->underrun_after_writes) {
		emu_track *t = emu_open_track(d);
		if (t) {
			t->damaged = 1;
			emu_mark_dirty(d);
		}
		return emu_fail(d, SENSE_WRITE_LOSS_OF_STREAMING);
	}
	if (in_lba(f->write_error_lba, lba, n))
		return emu_fail(d, SENSE_WRITE_ERROR);
	return 0;
}

/* A sequential disc: the write must be at the NWA of the open or invisible track. */
static int check_sequential(emu_dev *d, uint32_t lba, uint32_t n)
{
	emu_state *s = &d->st;
	if (s->damage)
		return emu_fail(d, SENSE_CANNOT_WRITE_MEDIUM);
	if (s->status == EMU_COMPLETE)
		return emu_fail(d, SENSE_CANNOT_WRITE_MEDIUM);
	emu_track *t = emu_open_track(d);
	if (t && t->damaged)
		return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
	int wt = emu_write_type(d);
	/* DVD-R DAO (and a CD in SAO without a cue sheet): a reservation or cue first. */
	if (wt == 2 && s->medium->kind == EMU_DVD && !(t && t->reserved))
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	if (lba != emu_nwa(d))
		return emu_fail(d, SENSE_INVALID_WRITE_ADDRESS);
	uint64_t limit = t && t->reserved ? (uint64_t)t->start + t->reserved : s->capacity;
	if ((uint64_t)lba + n > limit)
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	return 0;
}

static int check_random(emu_dev *d, uint32_t lba, uint32_t n)
{
	emu_state *s = &d->st;
	if (s->damage == EMU_DAMAGE_FORMAT)
		return emu_fail(d, SENSE_FORMAT_CORRUPTED);
	/* DVD+RW formats itself in the background on the first write (MMC-6 4.6.6); the
	 * others must be formatted first. */
	if (!s->formatted && s->medium->needs_format)
		return emu_fail(d, SENSE_MEDIUM_NOT_FORMATTED);
	if ((uint64_t)lba + n > s->capacity)
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	/* Writes go in whole ECC blocks on DVD and BD; drives read-modify-write the rest. */
	return 0;
}

static int store_at(emu_dev *d, off_t off, const uint8_t *buf, size_t want)
{
	for (size_t done = 0; done < want;) {
		ssize_t w = pwrite(d->file.fd, buf + done, want - done, off + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return emu_fail(d, SENSE_WRITE_ERROR);
		done += (size_t)w;
	}
	return 0;
}

static off_t raw_off(const emu_dev *d, uint32_t lba)
{
	return (off_t)emu_file_raw_base(&d->st) + (off_t)lba * EMU_RAW;
}

int emu_store(emu_dev *d, uint32_t lba, uint32_t n, const uint8_t *buf, uint8_t form)
{
	int mode, raw, size = emu_cue_form(form, &mode, &raw);
	if (d->sim || n == 0 || size <= 0)
		return 0;
	if (size == DM_SECTOR)
		return store_at(d, (off_t)lba * DM_SECTOR, buf, (size_t)n * DM_SECTOR);
	static uint8_t sec[64 * EMU_RAW], user[64 * DM_SECTOR];
	for (uint32_t k = 0; k < n;) {
		uint32_t m = n - k < 64 ? n - k : 64;
		const uint8_t *rawp = buf + (size_t)k * (size_t)size;
		if (size == 2336) { /* Mode 2: the drive adds sync and header (ECMA-130 14.3) */
			for (uint32_t j = 0; j < m; j++) {
				dm_cd_sector_header((int32_t)(lba + k + j), 2, sec + (size_t)j * EMU_RAW);
				memcpy(sec + (size_t)j * EMU_RAW + 16, rawp + (size_t)j * 2336, 2336);
			}
			rawp = sec;
		}
		int rc = store_at(d, raw_off(d, lba + k), rawp, (size_t)m * EMU_RAW);
		if (rc < 0)
			return rc;
		if (mode != EMU_AUDIO) {
			/* The user data of raw data sectors go to the 2,048-byte area too, for
			 * READ(10): Mode 1 from byte 16, Mode 2 (form 1) from byte 24. */
			for (uint32_t j = 0; j < m; j++) {
				const uint8_t *x = rawp + (size_t)j * EMU_RAW;
				if (x[15] == 1 || x[15] == 2)
					memcpy(user + (size_t)j * DM_SECTOR, x + (x[15] == 1 ? 16 : 24),
					       DM_SECTOR);
				else
					memset(user + (size_t)j * DM_SECTOR, 0, DM_SECTOR);
			}
			if ((rc = store_at(d, (off_t)(lba + k) * DM_SECTOR, user,
					   (size_t)m * DM_SECTOR)) < 0)
				return rc;
		}
		k += m;
	}
	return 0;
}

/* A Track-At-Once track begins (its first WRITE or RESERVE TRACK at start): the pre-gap
 * the drive writes before it (emu_tao_gap), digital silence in the raw region that counts
 * in the previous track's size as READ TRACK INFORMATION and the TOC show CD tracks, its
 * sectors the new track's index 00 (emu_cd_track_at); and page 05h's codes (MMC-6 7.5.4:
 * MCVAL with the MCN in bytes 17-29, TCVAL with the ISRC in bytes 33-44): the ISRC is the
 * track's, the MCN the disc's (the first one given, as with cue sheets). Codes that are
 * not 13 digits or a valid ISRC are not recorded. */
static int begin_tao_track(emu_dev *d, emu_track *t, uint32_t gap)
{
	emu_state *s = &d->st;
	if (s->medium->kind != EMU_CD)
		return 0;
	if (gap && t > s->tracks && t->start >= gap) {
		static const uint8_t silence[64 * EMU_RAW];
		for (uint32_t k = 0; k < gap && !d->sim;) {
			uint32_t m = gap - k < 64 ? gap - k : 64;
			int rc = store_at(d, raw_off(d, t->start - gap + k), silence,
					  (size_t)m * EMU_RAW);
			if (rc < 0)
				return rc;
			k += m;
		}
		emu_track *prev = t - 1;
		prev->size = t->start - prev->start;
		t->pregap = gap;
	}
	if (emu_write_type(d) != MMC_WT_TAO)
		return 0;
	char code[14];
	if (d->page05[16] & 0x80) {
		memcpy(code, d->page05 + 17, 13);
		code[13] = '\0';
		if (emu_mcn_valid(code) && !s->mcn[0])
			memcpy(s->mcn, code, 14);
	}
	if (d->page05[32] & 0x80) {
		memcpy(code, d->page05 + 33, 12);
		code[12] = '\0';
		if (emu_isrc_valid(code))
			memcpy(t->isrc, code, 13);
	}
	return 0;
}

int emu_write(emu_dev *d, int64_t lba64, uint32_t n, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	uint32_t lba = (uint32_t)lba64;
	int rc = write_fault(d, lba, n);
	d->writes++;
	if (rc < 0)
		return rc;
	if (s->write_protected)
		return emu_fail(d, SENSE_WRITE_PROTECTED);
	if (d->cue.active) {
		if (emu_test_write(d) && !d->sim) {
			d->sim_st = d->st;
			d->sim = 1;
		}
		return emu_cue_write(d, lba64, n, buf, len);
	}
	if (s->medium->kind == EMU_CD && emu_write_type(d) == 2)
		return emu_fail(d, SENSE_SEQUENCE_ERROR); /* SAO without a cue sheet */
	/* The block of page 05h (TAO on CD: its data block type and track mode). */
	int mode = EMU_MODE1, raw = 0, size = DM_SECTOR;
	uint8_t form = 0x10;
	if (s->medium->kind == EMU_CD) {
		form = emu_tao_form(d, &mode);
		size = emu_cue_form(form, &mode, &raw);
		emu_tao_form(d, &mode); /* Mode 2 form 1 of 2,048 bytes keeps its track mode */
	}
	if (size == DM_SECTOR ? len < (size_t)n * DM_SECTOR : len != (size_t)n * (size_t)size)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (emu_random(d)) {
		if ((rc = check_random(d, lba, n)) < 0)
			return rc;
	} else if ((rc = check_sequential(d, lba, n)) < 0) {
		return rc;
	}
	if (n == 0)
		return 0;
	if (s->faults.write_delay_ms) {
		struct timespec ts = { (time_t)(s->faults.write_delay_ms / 1000),
				       (long)(s->faults.write_delay_ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	if (emu_test_write(d) && !d->sim) {
		d->sim_st = d->st; /* a test write: the disc is given back as it was */
		d->sim = 1;
	}
	emu_track *t = emu_open_track(d);
	/* A track keeps one mode: a raw data write takes it from the first sector's header. */
	if (form == 0x11 && buf[15] == 2)
		mode = EMU_MODE2;
	if (t && t->size && (t->mode != mode || t->raw != raw))
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (t && !t->size) { /* a reserved track takes the mode of its first write */
		t->mode = (uint8_t)mode;
		t->raw = (uint8_t)raw;
		t->flags = emu_tao_flags(d);
		if ((rc = begin_tao_track(d, t, t->pregap)) < 0)
			return rc;
	}
	if ((rc = emu_store(d, lba, n, buf, form)) < 0)
		return rc;
	if (s->medium->kind == EMU_DVD && s->medium->layers == 2 && !s->layer0_set) {
		s->layer0_set = 1; /* the layer break is fixed by the first write */
		emu_mark_dirty(d);
	}
	if (emu_random(d)) {
		if (!s->formatted) { /* DVD+RW: background format started by this write */
			s->formatted = 1;
			s->bg_format = 1;
			emu_mark_dirty(d);
			emu_save(d);
		}
		return 0;
	}
	if (!t) {
		if (s->n_tracks >= EMU_MAX_TRACKS)
			return emu_fail(d, SENSE_NO_MORE_RESERVATIONS);
		uint32_t gap = emu_tao_gap(d);
		t = &s->tracks[s->n_tracks++];
		memset(t, 0, sizeof(*t));
		t->start = lba;
		t->session = s->sessions + 1;
		t->size = n;
		t->mode = (uint8_t)mode;
		t->raw = (uint8_t)raw;
		t->flags = emu_tao_flags(d);
		/* The first track of a disc follows the 2-second pre-gap (Red Book). */
		t->pregap = lba == 0 ? 150 : 0;
		if ((rc = begin_tao_track(d, t, gap)) < 0)
			return rc;
		s->status = EMU_APPENDABLE;
		emu_mark_dirty(d);
		emu_save(d); /* a track begun: a real disc shows it from now on */
		return 0;
	}
	t->size += n;
	s->status = EMU_APPENDABLE;
	emu_mark_dirty(d);
	return 0;
}

int emu_read(emu_dev *d, uint32_t lba, uint32_t n, uint8_t *buf, size_t len, size_t *out)
{
	uint64_t end = (uint64_t)lba + n;
	if (len < (size_t)n * DM_SECTOR)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (d->st.damage == EMU_DAMAGE_FORMAT)
		return emu_fail(d, SENSE_FORMAT_CORRUPTED);
	int inside = 0;
	if (emu_random(d)) {
		inside = end <= d->st.capacity && d->st.formatted;
	} else {
		for (unsigned i = 0; i < d->st.n_tracks; i++) {
			const emu_track *t = &d->st.tracks[i];
			if (lba >= t->start && end <= (uint64_t)t->start + t->size)
				inside = 1;
		}
	}
	if (!inside && n)
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	/* CD-DA sectors have no 2,048-byte form: READ CD reads them (MMC-6 6.15.3). */
	if (d->st.medium->kind == EMU_CD)
		for (uint32_t k = 0; k < n; k++) {
			int ti = emu_cd_track_at(d, (int64_t)lba + k);
			if (ti >= 0 && d->st.tracks[ti].mode == EMU_AUDIO)
				return emu_fail(d, SENSE_ILLEGAL_MODE_FOR_TRACK);
		}
	if (in_lba(d->st.faults.read_error_lba, lba, n))
		return emu_fail(d, SENSE_READ_ERROR);
	size_t want = (size_t)n * DM_SECTOR;
	size_t done = 0;
	while (done < want) {
		ssize_t r = pread(d->file.fd, buf + done, want - done, (off_t)lba * DM_SECTOR + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return emu_fail(d, SENSE_READ_ERROR);
		if (r == 0)
			break;
		done += (size_t)r;
	}
	memset(buf + done, 0, want - done); /* never-written sectors of a sparse file */
	*out = want;
	if (n)
		d->last_lba = (int64_t)lba + n - 1;
	return 0;
}

int emu_reserve(emu_dev *d, const uint8_t *cdb)
{
	emu_state *s = &d->st;
	uint32_t size = dm_get_be32(cdb + 5);
	if (emu_random(d) || s->status == EMU_COMPLETE || s->damage)
		return emu_fail(d, SENSE_CANNOT_WRITE_MEDIUM);
	if (cdb[1] & 1) /* ARSV: reservation by address, not modelled */
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (emu_open_track(d) || size == 0)
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	uint32_t start = emu_tao_start(d), gap = emu_tao_gap(d);
	if (size > emu_free_after(d, start))
		return emu_fail(d, SENSE_LBA_OUT_OF_RANGE);
	if (s->n_tracks >= EMU_MAX_TRACKS)
		return emu_fail(d, SENSE_NO_MORE_RESERVATIONS);
	emu_track *t = &s->tracks[s->n_tracks++];
	memset(t, 0, sizeof(*t));
	t->start = start;
	if (gap) { /* the pre-gap is written with the track's first block: kept now */
		t->pregap = gap;
		t[-1].size = start - t[-1].start;
	}
	t->reserved = emu_align_up(size, s->medium->ecc_blocks);
	if (t->reserved > emu_free_after(d, start))
		t->reserved = emu_free_after(d, start);
	t->session = s->sessions + 1;
	s->status = EMU_APPENDABLE;
	emu_mark_dirty(d);
	return 0;
}

/* End a test write: the disc is what it was before it. */
static void end_sim(emu_dev *d)
{
	if (d->sim) {
		d->st = d->sim_st;
		d->sim = 0;
	}
}

int emu_close_track_session(emu_dev *d, const uint8_t *cdb)
{
	emu_state *s = &d->st;
	int fn = (cdb[2] & 7);
	unsigned number = dm_get_be16(cdb + 4);

	if (!(s->medium->close_fns & (1u << fn)) && !(emu_random(d) && fn <= 3))
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (emu_random(d)) {
		/* DVD+RW: close the session or stop the background format, which completes it
		 * (MMC-6 6.3.3.2); nothing to do on BD-RE, DVD-RAM, restricted overwrite. */
		if (s->formatted && s->bg_format == 1) {
			s->bg_format = 3;
			emu_mark_dirty(d);
		}
		return 0;
	}
	/* After DAO the drive closed the session itself: a burner's CLOSE is a no-op. */
	if (s->status == EMU_COMPLETE && d->dao_done)
		return 0;
	if (s->status == EMU_COMPLETE || s->damage)
		return emu_fail(d, SENSE_SEQUENCE_ERROR);
	int plus_or_bd = s->medium->close_fns & (1u << MMC_CLOSE_FINALIZE);
	switch (fn) {
	case MMC_CLOSE_TRACK: {
		emu_track *t = emu_open_track(d);
		if (t && (number == s->n_tracks || number == MMC_TRACK_INVISIBLE)) {
			t->closed = 1;
			emu_mark_dirty(d);
		} else if (!t && s->n_tracks && s->tracks[s->n_tracks - 1].session > s->sessions &&
			   (number == s->n_tracks || number == MMC_TRACK_INVISIBLE)) {
			return 0; /* CD TAO: SYNCHRONIZE CACHE closed it (below) */
		} else if (number != s->n_tracks + 1 && (!t || number != s->n_tracks)) {
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		}
		return 0;
	}
	case MMC_CLOSE_SESSION:
		end_sim(d);
		/* CD and DVD-R: page 05h's multi-session field decides (MMC-6 7.5.4.3); DVD+R
		 * and BD-R stay appendable. */
		emu_close_session(d, !plus_or_bd && ((d->page05[3] >> 6) & 3) != 3);
		return 0;
	case MMC_CLOSE_FINALIZE_MINRAD:
	case MMC_CLOSE_FINALIZE:
		end_sim(d);
		emu_close_session(d, 1);
		return 0;
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}

int emu_sync_cache(emu_dev *d, const uint8_t *cdb)
{
	if (d->cue.active)
		emu_cue_finish(d);
	else if (emu_write_type(d) == 2 && d->st.medium->kind == EMU_DVD && !emu_random(d)) {
		/* DVD-R DAO: the session closes when its reserved track is full (its last ECC
		 * block begun: the reservation was rounded up to whole blocks). */
		emu_track *t = emu_open_track(d);
		if (t && t->reserved && t->size && t->size + d->st.medium->ecc_blocks > t->reserved) {
			end_sim(d);
			emu_close_session(d, ((d->page05[3] >> 6) & 3) != 3);
			d->dao_done = 1;
		}
	}
	else if (d->st.medium->kind == EMU_CD && emu_write_type(d) == MMC_WT_TAO) {
		/* CD Track-At-Once: the flush ends the track (the drive writes its run-out),
		 * as wodim relies on: per track it sends SYNCHRONIZE CACHE and no CLOSE TRACK,
		 * then CLOSE SESSION; libburn and writeimg send CLOSE TRACK after it too. */
		emu_track *t = emu_open_track(d);
		if (t && t->size && !t->damaged && !t->reserved)
			t->closed = 1;
	}
	if (d->st.faults.sync && d->file.fd >= 0)
		(void)fdatasync(d->file.fd);
	emu_mark_dirty(d); /* the track grown by the writes is now on the disc */
	if (cdb[1] & 0x02)
		d->busy_left = d->st.faults.busy_after_close;
	return 0;
}
