/* The emulated recorder: a transport (scsi_transport.h) that answers MMC-6 commands the
 * way a CD/DVD/BD writer holding the chosen disc would, so writeimg, the tests and (through
 * the TCMU bridge) wodim, cdrskin, growisofs, xorriso and cdrdao can run without a drive.
 * The disc persists in one file (emu_state.h), so separate runs see what earlier ones
 * wrote. spec/emulator.md lists the media, the commands and the sense codes.
 *
 * Modelled per MMC-6: the profile and current features of every common medium
 * (emu_media.c); disc status blank / appendable / complete, sessions and tracks with start,
 * size, reservation and next writable address; the write rules of sequential, write-once
 * and overwritable media, including formatting (DVD+RW background format, BD-RE and
 * DVD-RAM FORMAT UNIT, DVD-RW restricted overwrite) and blanking (CD-RW, DVD-RW), IMMED
 * operations that report progress in the sense data; CD TOC/PMA/ATIP and SAO through a cue
 * sheet; DL layer boundaries; page 05h write parameters checked against the medium;
 * speeds rounded to the medium's and read back.
 *
 * CD audio and raw CD: TAO with audio / raw / Mode 2 block types, SAO cue sheets with
 * audio, Mode 1 and Mode 2 forms, pre-gaps, indexes, ISRC, MCN and CD-TEXT; READ CD with
 * generated sync/header/EDC/ECC and Q sub-channel, READ SUB-CHANNEL, READ TOC 5.
 *
 * Simplified: no lead-in/lead-out is recorded (CD sessions after the first
 * start 11,400 / 6,900 blocks after the previous one; DVD and BD sessions follow at the
 * next ECC block); sub-channel from the host is not kept; the buffer is always empty (writes go straight to the file);
 * long operations take a modelled time scaled down 100,000 times (emu_format.c); READ DISC STRUCTURE
 * answers formats 00h, 20h-22h only; the drive never spins down. This file: the transport,
 * dispatch, sense and the commands without a file of their own. */
#include "common/drive/emu_recorder.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"
#include "common/drive/emu_dev.h"
#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

int emu_fail(emu_dev *d, scsi_sense_id id)
{
	scsi_sense_triple(id, &d->sense[0], &d->sense[1], &d->sense[2]);
	return -1;
}

void emu_mark_dirty(emu_dev *d)
{
	d->dirty = 1;
}

void emu_save(emu_dev *d)
{
	if (!d->dirty || d->sim || d->dead || d->file.fd < 0)
		return;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	/* A failed save cannot be told through SCSI status: the next open finds the
	 * previous slot, which is consistent (emu_state.h). */
	if (emu_file_save(&d->file, &d->st, &ctx) == DM_OK)
		d->dirty = 0;
}

static int medium_in(const emu_dev *d)
{
	return d->st.medium && d->st.medium->profile != 0 && !d->st.faults.no_media && !d->removed;
}

uint16_t emu_profile(const emu_dev *d)
{
	return medium_in(d) ? emu_medium_profile(d->st.medium, d->st.formatted) : 0;
}

int emu_random(const emu_dev *d)
{
	return d->st.medium->rec == EMU_OVERWRITE || (d->st.medium->ro_profile && d->st.formatted);
}

uint32_t emu_align_up(uint32_t v, uint32_t a)
{
	return a > 1 ? (uint32_t)(((uint64_t)v + a - 1) / a * a) : v;
}

emu_track *emu_open_track(emu_dev *d)
{
	if (d->st.n_tracks && !d->st.tracks[d->st.n_tracks - 1].closed)
		return &d->st.tracks[d->st.n_tracks - 1];
	return NULL;
}

uint32_t emu_next_start(const emu_dev *d)
{
	const emu_state *s = &d->st;
	if (!s->n_tracks)
		return 0;
	const emu_track *t = &s->tracks[s->n_tracks - 1];
	uint64_t end = (uint64_t)t->start + (t->reserved > t->size ? t->reserved : t->size);
	if (t->session <= s->sessions) /* its session is closed: skip the gap */
		end += s->sessions == 1 ? s->medium->first_gap : s->medium->session_gap;
	end = emu_align_up((uint32_t)(end > UINT32_MAX ? UINT32_MAX : end), s->medium->ecc_blocks);
	return (uint32_t)end;
}

/* Track-At-Once on CD: a drive puts a pre-gap before every track after the first of the
 * session, which it writes itself; the host's first block goes to the next writable
 * address after it (MMC-6 6.27, READ TRACK INFORMATION: the NWA of the invisible track
 * follows the write parameters page). An audio track's pre-gap is page 05h's Audio Pause
 * Length (bytes 14-15, MMC-6 7.5.4; 150, 2 s, by default), digital silence with Q index 00
 * (Red Book 2 s pause, as wodim -tao -audio gives). The first track of a session has its
 * pre-gap in the lead-in/lead-out gap already; data tracks are placed back to back
 * (run-in/run-out blocks are not modelled). */
uint32_t emu_tao_gap(const emu_dev *d)
{
	const emu_state *s = &d->st;
	if (s->medium->kind != EMU_CD || d->cue.active || emu_write_type(d) != MMC_WT_TAO)
		return 0;
	if ((d->page05[3] & 0x04) || !s->n_tracks)
		return 0; /* a data track mode, or the disc's first track */
	const emu_track *t = &s->tracks[s->n_tracks - 1];
	if (!t->closed || t->session <= s->sessions || t->damaged || t->reserved > t->size)
		return 0; /* open, in a closed session (the gap is there), or half reserved */
	return dm_get_be16(d->page05 + 14);
}

uint32_t emu_tao_start(const emu_dev *d)
{
	uint64_t start = (uint64_t)emu_next_start(d) + emu_tao_gap(d);
	return start > UINT32_MAX ? UINT32_MAX : (uint32_t)start;
}

uint32_t emu_nwa(emu_dev *d)
{
	emu_track *t = emu_open_track(d);
	return t ? t->start + t->size : emu_tao_start(d);
}

uint32_t emu_free_after(const emu_dev *d, uint32_t lba)
{
	return d->st.capacity > lba ? d->st.capacity - lba : 0;
}

uint32_t emu_recorded_end(const emu_dev *d)
{
	if (emu_random(d))
		return d->st.formatted ? d->st.capacity : 0;
	uint32_t end = 0;
	for (unsigned i = 0; i < d->st.n_tracks; i++)
		if (d->st.tracks[i].size)
			end = d->st.tracks[i].start + d->st.tracks[i].size;
	return end;
}

void emu_close_session(emu_dev *d, int finalize)
{
	emu_state *s = &d->st;
	emu_track *t = emu_open_track(d);
	if (t)
		t->closed = 1;
	int has_tracks = s->n_tracks && s->tracks[s->n_tracks - 1].session > s->sessions;
	if (has_tracks)
		s->sessions++;
	if (finalize || (has_tracks && emu_free_after(d, emu_next_start(d)) == 0))
		s->status = EMU_COMPLETE;
	else if (has_tracks)
		s->status = EMU_APPENDABLE;
	emu_mark_dirty(d);
}

/* ---- answers of this file ------------------------------------------------------------ */

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
	memcpy(r + 32, "0.20", 4);
	return 96;
}

/* INQUIRY with EVPD (SPC-4 7.8): pages 00h (supported pages), 80h (unit serial number),
 * 83h (device identification: one T10 vendor ID designator); others 5/24/00. */
static int inquiry_vpd(emu_dev *d, uint8_t page, uint8_t *r)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83 };
	memset(r, 0, 64);
	r[0] = 0x05;
	r[1] = page;
	switch (page) {
	case 0x00:
		r[3] = sizeof(pages);
		memcpy(r + 4, pages, sizeof(pages));
		return 4 + (int)sizeof(pages);
	case 0x80:
		r[3] = 8;
		memcpy(r + 4, "EMU00001", 8);
		return 12;
	case 0x83:
		r[3] = 4 + 24;
		r[4] = 0x02;   /* ASCII */
		r[5] = 0x01;   /* T10 vendor ID, associated with the logical unit */
		r[7] = 24;
		memcpy(r + 8, "DISCMSTREMULATED EMU00001", 24);
		return 4 + 4 + 24;
	default:
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	}
}

static int start_stop(emu_dev *d, const uint8_t *cdb)
{
	int loej = (cdb[4] >> 1) & 1, start = cdb[4] & 1;
	if (!loej)
		return 0;
	if (!start) {
		if (d->prevent)
			return emu_fail(d, SENSE_REMOVAL_PREVENTED);
		d->removed = 1;
	} else {
		d->removed = 0;
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

/* Fixed sense with the progress indication of a running format or blank (SPC-4 4.5.2.4.3:
 * SKSV, progress in bytes 16-17 as a fraction of 65536). */
static size_t build_sense(const emu_dev *d, uint8_t *r)
{
	size_t n = scsi_sense_build_fixed(r, d->sense[0], d->sense[1], d->sense[2]);
	if (d->sksv) {
		r[15] = 0x80;
		dm_put_be16(r + 16, d->progress);
	}
	return n;
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

/* Commands that answer without a disc (MMC-6 4.1.5), and while a format runs. */
static int needs_medium(uint8_t op)
{
	switch (op) {
	case MMC_INQUIRY:
	case MMC_REQUEST_SENSE:
	case MMC_GET_CONFIGURATION:
	case MMC_GET_EVENT_STATUS:
	case MMC_MODE_SENSE10:
	case MMC_MODE_SELECT10:
	case EMU_OP_MODE_SENSE6:
	case MMC_PREVENT_ALLOW:
	case MMC_START_STOP_UNIT:
	case MMC_READ_BUFFER_CAPACITY:
	case MMC_SET_CD_SPEED:
		return 0;
	default:
		return 1;
	}
}

static int is_data_out(uint8_t op)
{
	return op == MMC_WRITE10 || op == EMU_OP_WRITE12 || op == EMU_OP_WRITE_VERIFY10 ||
	       op == EMU_OP_SEND_OPC || op == MMC_MODE_SELECT10 ||
	       op == EMU_OP_MODE_SELECT6 || op == MMC_SET_STREAMING || op == EMU_OP_FORMAT_UNIT ||
	       op == EMU_OP_SEND_CUE_SHEET || op == EMU_OP_SEND_DISC_STRUCTURE;
}

/* The allocation length of commands that have one (0xffff: none). */
static uint32_t alloc_len(const uint8_t *cdb)
{
	switch (cdb[0]) {
	case MMC_INQUIRY:
		return dm_get_be16(cdb + 3);
	case MMC_REQUEST_SENSE:
	case EMU_OP_MODE_SENSE6:
		return cdb[4];
	case MMC_GET_CONFIGURATION:
	case MMC_READ_DISC_INFO:
	case MMC_READ_TRACK_INFO:
	case MMC_READ_FORMAT_CAPACITIES:
	case MMC_MODE_SENSE10:
	case MMC_READ_BUFFER_CAPACITY:
	case MMC_GET_EVENT_STATUS:
	case EMU_OP_READ_TOC:
	case EMU_OP_READ_SUBCHANNEL:
		return dm_get_be16(cdb + 7);
	case EMU_OP_READ_DISC_STRUCTURE:
		return dm_get_be16(cdb + 8);
	default:
		return 0xffffffffu;
	}
}

static int dispatch(emu_dev *d, const uint8_t *cdb, uint8_t *buf, size_t len, size_t *out)
{
	uint8_t op = cdb[0];
	static uint8_t r[4 + EMU_CDTEXT_MAX * 18 + 1024]; /* CD-TEXT is the longest answer */
	int n = 0;

	*out = 0;
	if (op == MMC_INQUIRY) {
		if (cdb[1] & 1) {
			if ((n = inquiry_vpd(d, cdb[2], r)) < 0)
				return -1;
		} else if (cdb[2]) {
			return emu_fail(d, SENSE_INVALID_FIELD_CDB); /* a page without EVPD */
		} else {
			n = (int)inquiry(r);
		}
		goto answer;
	}
	if (op == MMC_REQUEST_SENSE) {
		/* While a format or blank runs, REQUEST SENSE tells its progress (MMC-6
		 * 6.29.3); otherwise there is no pending sense: this transport returns sense
		 * with the failing command itself (autosense). */
		if (!(d->op.kind && emu_op_poll(d)))
			emu_fail(d, medium_in(d) ? SENSE_OK : SENSE_NO_MEDIUM);
		n = (int)build_sense(d, r);
		d->sksv = 0;
		goto answer;
	}
	if (d->ua_pending) {
		d->ua_pending = 0;
		return emu_fail(d, SENSE_MEDIUM_CHANGED);
	}
	if (needs_medium(op)) {
		if (d->op.kind && emu_op_poll(d))
			return -1;
		if (d->busy_left) {
			d->busy_left--;
			return emu_fail(d, SENSE_LONG_WRITE_IN_PROGRESS);
		}
		if (d->not_ready_left && medium_in(d)) {
			d->not_ready_left--;
			return emu_fail(d, SENSE_BECOMING_READY);
		}
		if (!medium_in(d))
			return emu_fail(d, SENSE_NO_MEDIUM);
	}
	switch (op) {
	case MMC_TEST_UNIT_READY:
		return 0;
	case MMC_GET_CONFIGURATION: {
		uint32_t alloc = alloc_len(cdb);
		size_t cap = len < alloc ? len : alloc;
		size_t full = emu_build_configuration(emu_profile(d),
						      medium_in(d) && d->st.capacity ?
						      d->st.capacity - 1 : 0,
						      cdb[1] & 3, dm_get_be16(cdb + 2), buf, cap);
		*out = full < cap ? full : cap;
		return 0;
	}
	case MMC_READ_DISC_INFO:
		if (cdb[1] & 7)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
		n = (int)emu_disc_info(d, r);
		break;
	case MMC_READ_TRACK_INFO:
		n = emu_track_info(d, cdb, r);
		break;
	case MMC_READ_CAPACITY:
		n = (int)emu_capacity(d, r);
		break;
	case MMC_READ_FORMAT_CAPACITIES:
		n = (int)emu_format_capacities(d, r, sizeof(r));
		break;
	case EMU_OP_FORMAT_UNIT:
		return emu_format_unit(d, cdb, buf, len);
	case MMC_BLANK:
		return emu_blank(d, cdb);
	case EMU_OP_READ_TOC:
		n = emu_read_toc(d, cdb, r, sizeof(r));
		break;
	case EMU_OP_SEND_CUE_SHEET:
		return emu_send_cue_sheet(d, buf, len < (dm_get_be32(cdb + 5) & 0xffffff) ? len :
					  (dm_get_be32(cdb + 5) & 0xffffff));
	case EMU_OP_READ_DISC_STRUCTURE:
		n = emu_read_disc_structure(d, cdb, r, sizeof(r));
		break;
	case EMU_OP_SEND_DISC_STRUCTURE:
		return emu_send_disc_structure(d, cdb, buf,
					       len < dm_get_be16(cdb + 8) ? len : dm_get_be16(cdb + 8));
	case MMC_MODE_SENSE10:
	case EMU_OP_MODE_SENSE6:
		n = emu_mode_sense(d, cdb, r, sizeof(r));
		break;
	case MMC_MODE_SELECT10:
		return emu_mode_select(d, buf, len < dm_get_be16(cdb + 7) ? len : dm_get_be16(cdb + 7));
	case EMU_OP_MODE_SELECT6:
		return emu_fail(d, SENSE_INVALID_OPCODE); /* MMC drives take the 10-byte form */
	case EMU_OP_GET_PERFORMANCE:
		n = emu_get_performance(d, cdb, r, sizeof(r));
		break;
	case MMC_SET_STREAMING:
		return emu_set_streaming(d, buf, len);
	case MMC_SET_CD_SPEED:
		return emu_set_cd_speed(d, cdb);
	case MMC_RESERVE_TRACK:
		return emu_reserve(d, cdb);
	case MMC_WRITE10:
	case EMU_OP_WRITE_VERIFY10: /* the verify always succeeds */
		return emu_write(d, (int32_t)dm_get_be32(cdb + 2), dm_get_be16(cdb + 7), buf, len);
	case EMU_OP_SEND_OPC:
		return 0; /* power calibration: nothing to calibrate (MMC-6 6.36) */
	case EMU_OP_WRITE12:
		return emu_write(d, (int32_t)dm_get_be32(cdb + 2), dm_get_be32(cdb + 6), buf, len);
	case MMC_READ10:
		return emu_read(d, dm_get_be32(cdb + 2), dm_get_be16(cdb + 7), buf, len, out);
	case EMU_OP_READ_CD:
	case EMU_OP_READ_CD_MSF:
		return emu_read_cd(d, cdb, buf, len, out);
	case EMU_OP_READ_SUBCHANNEL:
		n = emu_read_subchannel(d, cdb, r, sizeof(r));
		break;
	case EMU_OP_READ12:
		return emu_read(d, dm_get_be32(cdb + 2), dm_get_be32(cdb + 6), buf, len, out);
	case MMC_SYNCHRONIZE_CACHE:
		return emu_sync_cache(d, cdb);
	case MMC_CLOSE_TRACK_SESSION: {
		int rc = emu_close_track_session(d, cdb);
		if (rc == 0 && (cdb[1] & 1))
			d->busy_left = d->st.faults.busy_after_close;
		return rc;
	}
	case MMC_READ_BUFFER_CAPACITY:
		if (cdb[1] & 1)
			return emu_fail(d, SENSE_INVALID_FIELD_CDB);
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
		return start_stop(d, cdb);
	case MMC_GET_EVENT_STATUS:
		if (!(cdb[1] & 1))
			return emu_fail(d, SENSE_INVALID_FIELD_CDB); /* asynchronous mode not supported */
		n = (int)event_status(d, cdb, r);
		break;
	default:
		return emu_fail(d, SENSE_INVALID_OPCODE);
	}
	if (n < 0)
		return -1;
answer: {
	size_t m = (size_t)n;
	uint32_t alloc = alloc_len(cdb);
	if (m > alloc)
		m = alloc;
	if (m > len)
		m = len;
	memcpy(buf, r, m);
	*out = m;
	return 0;
}
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
	if (d->dead)
		return dm_fail(ctx, DM_ERR_IO, "emulator: %s: no answer, the drive lost power "
			       "(power_loss_after_writes)", mmc_opcode_name(cdb[0]));
	if (dir == SCSI_DIR_NONE)
		len = 0;
	int is_out = is_data_out(cdb[0]);
	if (len && (dir == SCSI_DIR_OUT) != is_out)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: %s sent with the wrong data direction",
			       mmc_opcode_name(cdb[0]));
	size_t out = 0;
	memset(d->sense, 0, sizeof(d->sense));
	d->sksv = 0;
	int rc = dispatch(d, cdb, buf, len, &out);
	if (d->dead)
		return dm_fail(ctx, DM_ERR_IO, "emulator: %s: no answer, the drive lost power "
			       "(power_loss_after_writes)", mmc_opcode_name(cdb[0]));
	if (rc < 0) {
		res->status = SCSI_ST_CHECK_CONDITION;
		res->sense_len = build_sense(d, res->sense);
		res->resid = len;
	} else {
		res->status = SCSI_ST_GOOD;
		res->resid = is_out ? 0 : len - out;
	}
	/* Persist what a real disc would keep even if the program dies: every change of
	 * state but the growth of a track inside WRITEs (emu_state.h). */
	if (d->dirty && cdb[0] != MMC_WRITE10 && cdb[0] != EMU_OP_WRITE12 &&
	    cdb[0] != EMU_OP_WRITE_VERIFY10)
		emu_save(d);
	return DM_OK;
}

static void emu_close(scsi_transport *t)
{
	emu_dev *d = t->impl;
	if (d->sim) { /* a test write leaves the disc as it was */
		d->st = d->sim_st;
		d->sim = 0;
	}
	emu_save(d);
	emu_file_close(&d->file);
	free(d->path);
	free(d);
}

static const char *emu_describe(scsi_transport *t)
{
	emu_dev *d = t->impl;
	return d->desc;
}

static const scsi_transport_ops emu_ops = { emu_execute, emu_close, emu_describe, NULL };

static dm_status open_disc(emu_dev *d, const emu_medium *m, const char *spec, dm_ctx *ctx)
{
	int exists = 0;
	dm_status st = emu_file_open(&d->file, d->path, &d->st, &exists, ctx);
	if (st != DM_OK)
		return st;
	if (exists && m && m != d->st.medium)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s holds a %s disc, not %s: use emu:%s:%s (or emu::%s), or give "
			       "another file for a new disc", d->path, d->st.medium->name, m->name,
			       d->st.medium->name, d->path, d->path);
	if (!exists) {
		if (!m)
			return dm_fail(ctx, DM_ERR_INVALID, "%s: %s holds no disc yet: name the medium "
				       "of a new disc (emu:dvd+r:%s)", spec, d->path, d->path);
		emu_state_blank(&d->st, m);
		d->dirty = 1;
	}
	return DM_OK;
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
	d->file.fd = -1;
	emu_state_init(&d->st);
	d->path = strdup(colon + 1);
	const char *settings = NULL;
	char *q = d->path ? strrchr(d->path, '?') : NULL;
	if (q) {
		*q = '\0';
		settings = colon + 1 + (q - d->path) + 1;
	}
	dm_status st = DM_OK;
	if (!d->path) {
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (m && !m->profile) {
		emu_state_blank(&d->st, m); /* an empty drive keeps no file */
	} else if ((st = open_disc(d, m, spec, ctx)) != DM_OK) {
		goto fail;
	}
	const char *env = getenv("DM_EMU_FAULTS");
	if (env && *env && (st = emu_state_apply(&d->st, env, ctx)) != DM_OK)
		goto fail;
	if (settings && *settings && (st = emu_state_apply(&d->st, settings, ctx)) != DM_OK)
		goto fail;
	if (d->st.capacity > d->st.area) /* capacity=N bigger than the medium: a bigger disc */
		d->st.area = d->st.capacity;
	/* Faults given with persist=1 go into the trailer now. */
	if ((settings && strstr(settings, "persist=1")) || (env && strstr(env, "persist=1")))
		d->dirty = 1;
	d->ua_pending = d->st.faults.unit_attention;
	d->not_ready_left = d->st.faults.not_ready;
	d->write_kbs = emu_medium_speed(d->st.medium, UINT32_MAX);
	emu_default_page05(d->page05);
	snprintf(d->desc, sizeof(d->desc), "emulated recorder with %s in %s", d->st.medium->name,
		 d->path);
	d->base.ops = &emu_ops;
	d->base.impl = d;
	emu_save(d); /* a new disc exists from now on */
	*out = &d->base;
	return DM_OK;
fail:
	emu_file_close(&d->file);
	free(d->path);
	free(d);
	return st;
}

const scsi_transport_kind emu_transport_kind = { "emu:", emu_open };
