/* Formatting and blanking the emulated disc: READ FORMAT CAPACITIES (MMC-6 6.24), FORMAT
 * UNIT (6.5) with the format types of each medium (emu_media.c), BLANK (6.2) of CD-RW and
 * DVD-RW; with IMMED both run as a long operation: commands get 2/04/04 (format) or
 * 2/04/07 (blank) with the progress in the sense-key-specific bytes until the operation's
 * time has passed (emu_op_time_us: what a real drive spends on that work, scaled down), or
 * op_polls polls when that fault is set. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"
#include "common/drive/emu_dev.h"
#include "common/drive/mmc_parse.h"

enum { OP_NONE, OP_FORMAT, OP_BLANK };

static uint32_t format_blocks(const emu_dev *d, const emu_format *f)
{
	return f->blocks ? f->blocks : d->st.medium->capacity;
}

/* The formats offered now: `when` bit 1 on an unformatted disc, bit 2 on a formatted one. */
static int offered(const emu_dev *d, const emu_format *f)
{
	return f->when & (d->st.formatted ? 2 : 1);
}

size_t emu_format_capacities(emu_dev *d, uint8_t *r, size_t cap)
{
	const emu_state *s = &d->st;
	const emu_medium *m = s->medium;
	/* MMC-6 6.24.3: the current/maximum capacity descriptor (01b unformatted or blank,
	 * 10b formatted), then one formattable descriptor per format type offered. */
	uint8_t tmp[12 + 8 * EMU_MAX_FORMATS];
	memset(tmp, 0, sizeof(tmp));
	size_t pos = 12;
	int formatted = s->formatted && (emu_random(d) || m->formats[0].type != 0xff);
	dm_put_be32(tmp + 4, formatted ? s->capacity : m->capacity);
	tmp[8] = (uint8_t)(formatted ? MMC_FMT_FORMATTED : MMC_FMT_UNFORMATTED);
	dm_put_be32(tmp + 8, (dm_get_be32(tmp + 8) & 0xff000000u) | DM_SECTOR);
	for (size_t i = 0; i < EMU_MAX_FORMATS && m->formats[i].type != 0xff; i++) {
		const emu_format *f = &m->formats[i];
		if (!offered(d, f))
			continue;
		dm_put_be32(tmp + pos, format_blocks(d, f));
		dm_put_be32(tmp + pos + 4, f->param & 0xffffff);
		tmp[pos + 4] = (uint8_t)(f->type << 2);
		pos += 8;
	}
	tmp[3] = (uint8_t)(pos - 4);
	memcpy(r, tmp, pos < cap ? pos : cap);
	return pos;
}

/* How long a long operation takes (spec/emulator.md, "Long operations"): a real drive
 * spends some seconds getting ready (spin-up, power calibration), then goes over the
 * blocks the operation works on at its write speed (emu_format_unit, emu_blank say which:
 * the whole disc, the formatted capacity twice, the last track, or the lead-in and
 * management areas, modelled as one minute of CD lead-in, 4,500 blocks). The emulator
 * takes that time divided by EMU_OP_SCALE: a real drive's minutes are its milliseconds,
 * so a full BD-RE certification (about 45 minutes at 4x) takes 27 ms, a minimal CD-RW
 * blank 0.1 ms. The erase of the state file (emu_file_erase) comes on top, at the end. */
#define EMU_OP_SCALE 100000u
#define EMU_OP_READY_S 10u
#define EMU_OP_LEADIN_BLOCKS 4500u

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t emu_op_time_us(uint32_t work_blocks, uint32_t kbs)
{
	if (!kbs)
		kbs = 1;
	/* real seconds = READY + blocks * 2048 / (kbs * 1000); in us / SCALE */
	uint64_t real_us = (uint64_t)EMU_OP_READY_S * 1000000u +
			   (uint64_t)work_blocks * 2048u * 1000u / kbs;
	return real_us / EMU_OP_SCALE;
}

static void set_progress(emu_dev *d, uint64_t elapsed_us)
{
	d->sksv = 1;
	if (d->op.total)
		d->progress = (uint16_t)((uint32_t)d->op.polls * 65536u / (d->op.total + 1));
	else
		d->progress = (uint16_t)(d->op.duration_us && elapsed_us < d->op.duration_us
						 ? elapsed_us * 65536u / d->op.duration_us
						 : 65535u);
}

/* Apply a finished (or interrupted) format. */
static void finish_format(emu_dev *d, int interrupted)
{
	emu_state *s = &d->st;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (d->op.erase)
		(void)emu_file_erase(&d->file, s, 0, &ctx);
	int plus_rw = s->medium->profile == 0x001a;
	if (interrupted && !plus_rw) {
		s->formatted = 0;
		s->damage = EMU_DAMAGE_FORMAT;
	} else {
		s->formatted = 1;
		s->damage = EMU_DAMAGE_NONE;
		s->capacity = d->op.blocks;
		/* DVD+RW: the format goes on in the background; interrupted, it stays
		 * incomplete until resumed (MMC-6 6.5.4.2.16). */
		s->bg_format = plus_rw ? (interrupted ? 1 : 3) : 0;
	}
	if (s->medium->rec != EMU_OVERWRITE) {
		/* DVD-RW to restricted overwrite, BD-R formatted for SRM with spares: the
		 * disc is empty afterwards. */
		s->n_tracks = 0;
		s->sessions = 0;
		s->status = EMU_BLANK;
	}
	emu_mark_dirty(d);
}

static void finish_blank(emu_dev *d, int interrupted)
{
	emu_state *s = &d->st;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (interrupted) {
		s->damage = EMU_DAMAGE_BLANK;
		s->status = EMU_COMPLETE;
		emu_mark_dirty(d);
		return;
	}
	if (d->op.blank_type == 2 && s->n_tracks > 1) {
		/* Blank the last track: the session it was in opens again. */
		emu_track *t = &s->tracks[s->n_tracks - 1];
		unsigned session = t->session;
		s->n_tracks--;
		if (session <= s->sessions)
			s->sessions = session - 1;
		s->status = EMU_APPENDABLE;
	} else {
		emu_state_blank(s, s->medium);
	}
	if (d->op.erase)
		(void)emu_file_erase(&d->file, s, emu_recorded_end(d), &ctx);
	emu_mark_dirty(d);
}

static void finish(emu_dev *d, int interrupted)
{
	if (d->op.kind == OP_FORMAT)
		finish_format(d, interrupted);
	else
		finish_blank(d, interrupted);
	d->op.kind = OP_NONE;
	emu_save(d);
}

int emu_op_poll(emu_dev *d)
{
	if (!d->op.kind)
		return 0;
	d->op.polls++;
	uint64_t elapsed = 0;
	int half, done;
	if (d->op.total) {
		half = d->op.polls >= (d->op.total + 1) / 2;
		done = d->op.polls >= d->op.total;
	} else {
		elapsed = now_us() - d->op.start_us;
		half = 2 * elapsed >= d->op.duration_us;
		done = elapsed >= d->op.duration_us;
	}
	if (d->op.interrupt && half) {
		finish(d, 1);
		emu_fail(d, SENSE_FORMAT_FAILED); /* a deferred error */
		return 1;
	}
	if (done) {
		finish(d, 0);
		return 0;
	}
	set_progress(d, elapsed);
	emu_fail(d, d->op.kind == OP_FORMAT ? SENSE_FORMAT_IN_PROGRESS :
		 SENSE_OPERATION_IN_PROGRESS);
	return 1;
}

/* Start an operation: polled with IMMED; without, the command itself takes the time (up
 * to half of it when interrupted: op_polls makes it end at once). */
static int start(emu_dev *d, int kind, int immed, int interrupt, uint32_t work)
{
	const emu_faults *f = &d->st.faults;
	d->op.kind = kind;
	d->op.polls = 0;
	d->op.total = f->op_polls;
	d->op.start_us = now_us();
	d->op.duration_us = f->op_ms ? (uint64_t)f->op_ms * 1000u
			    : emu_op_time_us(work, d->write_kbs ? d->write_kbs
							     : d->st.medium->speeds_kbs[0]);
	d->op.interrupt = interrupt;
	if (immed)
		return 0;
	if (!d->op.total) {
		uint64_t us = interrupt ? d->op.duration_us / 2 : d->op.duration_us;
		struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	finish(d, interrupt);
	return interrupt ? emu_fail(d, SENSE_FORMAT_FAILED) : 0;
}

int emu_format_unit(emu_dev *d, const uint8_t *cdb, const uint8_t *buf, size_t len)
{
	emu_state *s = &d->st;
	const emu_medium *m = s->medium;
	/* MMC-6 6.5.2: FmtData with format code 001b; no defect list. */
	if ((cdb[1] & 0x17) != 0x11)
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	if (m->formats[0].type == 0xff)
		return emu_fail(d, SENSE_CANNOT_FORMAT_MEDIUM);
	if (len < 12)
		return emu_fail(d, SENSE_PARAM_LIST_LENGTH);
	if (dm_get_be16(buf + 2) != 8)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	if (s->write_protected)
		return emu_fail(d, SENSE_WRITE_PROTECTED);
	int immed = (buf[1] >> 1) & 1;
	uint32_t blocks = dm_get_be32(buf + 4);
	uint8_t type = buf[8] >> 2;
	const emu_format *f = NULL;
	for (size_t i = 0; i < EMU_MAX_FORMATS && m->formats[i].type != 0xff; i++)
		if (m->formats[i].type == type && offered(d, &m->formats[i]))
			f = &m->formats[i];
	/* DVD+RW restart of an interrupted background format: type 26h again. */
	if (!f)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	/* A BD-R or a sequential DVD-RW with data can no longer be formatted that way. */
	if (m->rec == EMU_WORM && s->status != EMU_BLANK)
		return emu_fail(d, SENSE_CANNOT_FORMAT_MEDIUM);
	uint32_t fb = format_blocks(d, f);
	if (blocks != 0xffffffffu && blocks > fb)
		return emu_fail(d, SENSE_INVALID_FIELD_PARAM);
	d->op.blocks = fb;
	d->op.erase = f->erases;
	d->op.format_type = type;
	/* A full format writes and verifies every block; a quick one (no erase, or a BD-RE
	 * without full certification: subtype other than 10b, MMC-6 6.5.4.2) only the
	 * management areas. */
	int quick = !f->erases || (m->kind == EMU_BD && (buf[8] & 3) != 2);
	uint32_t work = quick ? EMU_OP_LEADIN_BLOCKS : fb > UINT32_MAX / 2 ? UINT32_MAX : 2 * fb;
	return start(d, OP_FORMAT, immed, s->faults.format_interrupt, work);
}

int emu_blank(emu_dev *d, const uint8_t *cdb)
{
	emu_state *s = &d->st;
	int immed = (cdb[1] >> 4) & 1, type = cdb[1] & 7;
	/* CD-RW and DVD-RW (sequential or restricted overwrite) only (MMC-6 6.2). */
	if (s->medium->rec == EMU_WORM || (s->medium->rec == EMU_OVERWRITE))
		return emu_fail(d, SENSE_CANNOT_FORMAT_MEDIUM);
	if (s->write_protected)
		return emu_fail(d, SENSE_WRITE_PROTECTED);
	/* 0 the whole disc, 1 minimal (TOC, PMA, first pre-gap), 2 the last track. */
	if (type > 2 || (type == 2 && (emu_random(d) || s->damage || !s->n_tracks)))
		return emu_fail(d, SENSE_INVALID_FIELD_CDB);
	d->op.blank_type = type;
	d->op.blank_track = dm_get_be32(cdb + 2);
	d->op.erase = type != 1;
	if (s->formatted) { /* a restricted-overwrite DVD-RW goes back to sequential */
		d->op.blank_type = 0;
		d->op.erase = 1;
	}
	/* Minimal: the lead-in, PMA and TOC; track: its blocks; full: the whole disc. */
	uint32_t work = d->op.blank_type == 1 ? EMU_OP_LEADIN_BLOCKS
			: d->op.blank_type == 2 ? s->tracks[s->n_tracks - 1].size
						: s->medium->capacity;
	return start(d, OP_BLANK, immed, s->faults.blank_interrupt, work);
}
