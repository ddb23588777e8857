/* The audio tracks of a disc read back (wi_cdread.h): saved as WAV files (--read-audio)
 * or compared with their sources sample by sample (--check of an audio burn). Both read a
 * track the same way, READ CD of CD-DA sectors a chunk at a time (read_track below). */
#include "writeimg/wi_cdread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/drive/mmc_cd.h"
#include "writeimg/cd_reader.h"
#include "writeimg/cd_wav_out.h"

#define CHUNK 24 /* sectors a READ CD */

/* What reads tracks: the drive, a buffer of CHUNK sectors, the progress over every track
 * read, and what is done with each chunk. */
typedef struct track_reader {
	scsi_transport *t;
	const char *action;   /* "reading", "checking": progress and the interruption message */
	uint8_t *buf;
	uint64_t done, total; /* sectors */
	/* n sectors from sector k of the track (in buf): *stop = 1 ends the track early
	 * without an error (a difference found). */
	dm_status (*chunk)(void *arg, uint32_t k, uint32_t n, const uint8_t *buf, int *stop,
			   dm_ctx *ctx);
	void *arg;
} track_reader;

/* The first count sectors of track x, chunk by chunk. */
static dm_status read_track(track_reader *r, const wi_cd_track *x, uint32_t count, dm_ctx *ctx)
{
	int stop = 0;
	for (uint32_t k = 0; k < count;) {
		if (dm_cancelled(ctx))
			return dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while %s track %02u",
				       r->action, x->number);
		uint32_t n = count - k < CHUNK ? count - k : CHUNK;
		dm_status st = mmc_read_cd(r->t, (int32_t)(x->start + k), n, MMC_RCD_CDDA,
					   MMC_RCD_SUB_NONE, r->buf, ctx);
		if (st == DM_OK)
			st = r->chunk(r->arg, k, n, r->buf, &stop, ctx);
		if (st != DM_OK || stop)
			return st;
		k += n;
		r->done += n;
		dm_progress p = { .action = r->action, .done = r->done, .total = r->total,
				  .unit = "sectors", .lba = x->start + k, .buffer_percent = -1 };
		dm_report(ctx, &p);
	}
	return DM_OK;
}

static dm_status save_chunk(void *arg, uint32_t k, uint32_t n, const uint8_t *buf, int *stop,
			    dm_ctx *ctx)
{
	(void)k;
	(void)stop;
	return cd_wav_out_write(arg, buf, n, ctx);
}

dm_status wi_read_audio(scsi_transport *t, const char *dir, unsigned *saved, dm_ctx *ctx)
{
	*saved = 0;
	wi_cd_tracks tr;
	dm_status st = wi_cd_tracks_read(t, &tr, ctx);
	if (st != DM_OK)
		return st;
	track_reader r = { .t = t, .action = "reading", .chunk = save_chunk };
	unsigned audio = 0;
	for (unsigned i = 0; i < tr.n; i++)
		if (tr.t[i].audio)
			audio++, r.total += tr.t[i].sectors;
	if (!audio)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc has no audio tracks (%u data track%s)",
			       tr.n, tr.n == 1 ? "" : "s");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot make the directory %s", dir);
	r.buf = malloc((size_t)CHUNK * CD_SECTOR_RAW);
	size_t plen = strlen(dir) + 32;
	char *path = malloc(plen);
	if (!r.buf || !path) {
		free(r.buf);
		free(path);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	for (unsigned i = 0; i < tr.n && st == DM_OK; i++) {
		const wi_cd_track *x = &tr.t[i];
		if (!x->audio) {
			dm_note(ctx, "track %02u is a data track (%s): not saved", x->number,
				wi_cd_track_kind(x));
			continue;
		}
		snprintf(path, plen, "%s/track%02u.wav", dir, x->number);
		cd_wav_out *w;
		if ((st = cd_wav_out_new(path, &w, ctx)) != DM_OK)
			break;
		r.arg = w;
		if ((st = read_track(&r, x, x->sectors, ctx)) != DM_OK) {
			cd_wav_out_abort(w);
			dm_fail_prefix(ctx, "track %02u: ", x->number);
			break;
		}
		if ((st = cd_wav_out_finish(w, ctx)) != DM_OK)
			break;
		(*saved)++;
	}
	free(r.buf);
	free(path);
	return st;
}

static void differ(wi_audio_check *r, unsigned track, int64_t sample, const char *fmt, ...)
	DM_PRINTF(4, 5);
static void differ(wi_audio_check *r, unsigned track, int64_t sample, const char *fmt, ...)
{
	va_list ap;
	r->equal = 0;
	r->track = track;
	r->sample = sample;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* One audio track's comparison: the source's sectors and the disc's track. */
typedef struct track_check {
	wi_audio_check *r;
	cd_reader *reader;
	const cd_track *s;    /* the source */
	const wi_cd_track *x; /* the disc's */
	uint8_t *src;         /* CHUNK sectors of the source */
} track_check;

static dm_status compare_chunk(void *arg, uint32_t k, uint32_t n, const uint8_t *disc, int *stop,
			       dm_ctx *ctx)
{
	track_check *c = arg;
	dm_status st = cd_reader_read(c->reader, c->s->index[1] + (int32_t)k, n, c->src, ctx);
	size_t len = (size_t)n * CD_SECTOR_RAW;
	if (st != DM_OK || !memcmp(disc, c->src, len))
		return st;
	size_t b = 0;
	while (disc[b] == c->src[b])
		b++;
	int64_t sample = ((int64_t)k * CD_SECTOR_RAW + (int64_t)b) / 4;
	uint32_t sector = k + (uint32_t)(b / CD_SECTOR_RAW);
	differ(c->r, c->s->number, sample, "track %02u differs from its source at sample %lld "
	       "(%.3f s; sector %u of the track, disc LBA %u)", c->s->number, (long long)sample,
	       (double)sample / CD_AUDIO_RATE, sector, c->x->start + sector);
	*stop = 1;
	return DM_OK;
}

/* The disc's track of the source's number, or why it cannot hold the source. */
static const wi_cd_track *matching_track(const wi_cd_tracks *tr, const cd_track *s,
					 wi_audio_check *r)
{
	const wi_cd_track *x = NULL;
	for (unsigned j = 0; j < tr->n; j++)
		if (tr->t[j].number == s->number)
			x = &tr->t[j];
	if (!x)
		differ(r, s->number, -1, "the disc has no track %02u (%u tracks)", s->number, tr->n);
	else if (!x->audio)
		differ(r, s->number, -1, "track %02u is a data track on the disc", s->number);
	else if (x->sectors < s->length)
		differ(r, s->number, -1, "track %02u lasts %u sectors on the disc, %u in its "
		       "source", s->number, x->sectors, s->length);
	else
		return x;
	return NULL;
}

dm_status wi_check_audio(scsi_transport *t, const cd_layout *l, wi_audio_check *r,
			 dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->equal = 1;
	r->sample = -1;
	wi_cd_tracks tr;
	dm_status st = wi_cd_tracks_read(t, &tr, ctx);
	if (st != DM_OK)
		return st;
	track_check c = { .r = r };
	if ((st = cd_reader_new(l, &c.reader, ctx)) != DM_OK)
		return st;
	track_reader rd = { .t = t, .action = "checking", .chunk = compare_chunk, .arg = &c };
	rd.buf = malloc((size_t)CHUNK * CD_SECTOR_RAW);
	c.src = malloc((size_t)CHUNK * CD_SECTOR_RAW);
	if (!rd.buf || !c.src)
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	for (unsigned i = 0; i < l->ntracks; i++)
		if (l->tracks[i].mode == CD_MODE_AUDIO)
			rd.total += l->tracks[i].length;
	for (unsigned i = 0; i < l->ntracks && r->equal && st == DM_OK; i++) {
		c.s = &l->tracks[i];
		if (c.s->mode != CD_MODE_AUDIO)
			continue;
		if (!(c.x = matching_track(&tr, c.s, r)))
			break;
		st = read_track(&rd, c.x, c.s->length, ctx);
		if (r->equal && st == DM_OK)
			r->tracks++;
	}
	r->sectors = rd.done;
	free(rd.buf);
	free(c.src);
	cd_reader_free(c.reader);
	return st;
}
