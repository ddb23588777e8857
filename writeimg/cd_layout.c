#include "writeimg/cd_layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writeimg/cd_text.h"

static const struct {
	const char *name;
	unsigned file_bytes;
} modes[] = {
	[CD_MODE_AUDIO] = { "AUDIO", 2352 },
	[CD_MODE1_2048] = { "MODE1/2048", 2048 },
	[CD_MODE1_2352] = { "MODE1/2352", 2352 },
	[CD_MODE2_2352] = { "MODE2/2352", 2352 },
};

const char *cd_mode_name(cd_mode mode) { return modes[mode].name; }
unsigned cd_mode_file_bytes(cd_mode mode) { return modes[mode].file_bytes; }

cd_layout *cd_layout_new(void)
{
	return calloc(1, sizeof(cd_layout));
}

void cd_layout_free(cd_layout *layout)
{
	if (!layout)
		return;
	for (unsigned i = 0; i < layout->nfiles; i++)
		free(layout->files[i].path);
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++) {
		free(layout->text[f]);
		for (unsigned t = 0; t < CD_TRACKS_MAX; t++)
			free(layout->tracks[t].text[f]);
	}
	free(layout->files);
	free(layout->extents);
	free(layout);
}

dm_status cd_layout_add_extent(cd_layout *layout, const cd_extent *e, dm_ctx *ctx)
{
	if (e->sectors == 0)
		return DM_OK;
	if (layout->nextents) {
		cd_extent *p = &layout->extents[layout->nextents - 1];
		uint64_t full = (uint64_t)p->sectors * cd_mode_file_bytes(layout->tracks[p->track].mode);
		int contiguous = p->lba + (int32_t)p->sectors == e->lba && p->track == e->track &&
			p->file == e->file && p->drive_generates == e->drive_generates;
		if (contiguous && p->file < 0) {
			p->sectors += e->sectors;
			return DM_OK;
		}
		if (contiguous && p->bytes == full && p->offset + p->bytes == e->offset) {
			p->sectors += e->sectors;
			p->bytes += e->bytes;
			return DM_OK;
		}
	}
	if (layout->nextents == layout->extents_cap) {
		unsigned cap = layout->extents_cap ? layout->extents_cap * 2 : 16;
		cd_extent *n = realloc(layout->extents, cap * sizeof(*n));
		if (!n)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
		layout->extents = n;
		layout->extents_cap = cap;
	}
	layout->extents[layout->nextents++] = *e;
	return DM_OK;
}

dm_status cd_layout_add_file(cd_layout *layout, const char *path, cd_file_kind kind,
			     uint64_t bytes, unsigned line, unsigned *index, dm_ctx *ctx)
{
	cd_file *n = realloc(layout->files, (layout->nfiles + 1) * sizeof(*n));
	if (!n)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
	layout->files = n;
	cd_file *f = &n[layout->nfiles];
	if (!(f->path = strdup(path)))
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
	f->kind = kind;
	f->bytes = bytes;
	f->line = line;
	*index = layout->nfiles++;
	return DM_OK;
}

/* "x.cue: line 12: " when the track came from a cue. */
static const char *where(const char *origin, const cd_track *t, char *buf, size_t size)
{
	if (origin && t->line)
		snprintf(buf, size, "%s: line %u: ", origin, t->line);
	else if (origin)
		snprintf(buf, size, "%s: ", origin);
	else
		buf[0] = '\0';
	return buf;
}

dm_status cd_layout_check(cd_layout *layout, const char *origin, dm_ctx *ctx)
{
	char w[4096 + 32];
	if (layout->ntracks == 0)
		return dm_fail(ctx, DM_ERR_INVALID, "no tracks");
	for (unsigned i = 0; i < layout->ntracks; i++) {
		const cd_track *t = &layout->tracks[i];
		if (t->length < CD_TRACK_MIN_SECTORS) {
			char msf[16];
			cd_msf_format(t->length, msf, sizeof(msf));
			return dm_fail(ctx, DM_ERR_INVALID,
				       "%strack %02u lasts %s (%u sectors): a track lasts at least "
				       "4 seconds (300 sectors)", where(origin, t, w, sizeof(w)), t->number, msf,
				       t->length);
		}
		if (i > 0 && (t->mode == CD_MODE_AUDIO) != (layout->tracks[i - 1].mode == CD_MODE_AUDIO) &&
		    t->pregap < CD_PREGAP_FIRST)
			dm_warn(ctx, "%strack %02u (%s) follows a track of another kind with a pregap of "
				"%u sectors: drives and players expect at least 150 (2 seconds)",
				where(origin, t, w, sizeof(w)), t->number, cd_mode_name(t->mode), t->pregap);
	}
	/* The lead-out's own MSF must still be a program-area address (below 90:00:00 the
	 * lead-in range starts; 99:59:74 is the last MSF a disc can express). */
	if (layout->leadout + CD_PREGAP_FIRST > 90 * 60 * CD_FRAMES_PER_SEC)
		return dm_fail(ctx, DM_ERR_NOSPACE,
			       "%s%sthe disc would last %u sectors with its pregaps: more than any CD "
			       "holds (90 minutes)", origin ? origin : "", origin ? ": " : "",
			       (unsigned)(layout->leadout + CD_PREGAP_FIRST));
	return DM_OK;
}

/* A tag as CD-TEXT: kept when it converts to ISO 8859-1, else dropped with a warning
 * (tags are not the user's request for CD-TEXT; a --cd-text file can say it instead). */
static dm_status take_tag(const cd_audio_src *src, cd_audio_tag tag, char **slot, dm_ctx *ctx)
{
	static const char *const names[] = { "title", "artist", "album" };
	const char *v = cd_audio_src_tag(src, tag);
	if (!v || *slot)
		return DM_OK;
	int r = cd_text_latin1(v, slot);
	if (r == -2)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
	if (r < 0)
		dm_warn(ctx, "%s: its %s tag is not ISO 8859-1 text: it is left out of the CD-TEXT",
			cd_audio_src_path(src), names[tag]);
	return DM_OK;
}

dm_status cd_layout_check_fits(const cd_layout *l, int32_t last_leadout, dm_ctx *ctx)
{
	if (l->leadout <= last_leadout)
		return DM_OK;
	uint32_t need = (uint32_t)(l->leadout + CD_PREGAP_FIRST);
	uint32_t have = last_leadout < -CD_PREGAP_FIRST ? 0 : (uint32_t)(last_leadout + CD_PREGAP_FIRST);
	char n[16], h[16];
	cd_msf_format(need, n, sizeof(n));
	cd_msf_format(have, h, sizeof(h));
	return dm_fail(ctx, DM_ERR_NOSPACE, "the tracks with their pregaps need %u sectors (%s); "
		       "the medium holds %u (%s)", need, n, have, h);
}

dm_status cd_layout_from_audio(const char *const *paths, unsigned n, uint32_t gap,
			       cd_layout **out, dm_ctx *ctx)
{
	*out = NULL;
	if (n == 0)
		return dm_fail(ctx, DM_ERR_INVALID, "no audio tracks given");
	if (n > CD_TRACKS_MAX)
		return dm_fail(ctx, DM_ERR_INVALID, "%u audio tracks given: a CD holds at most 99", n);
	cd_layout *l = cd_layout_new();
	if (!l)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
	dm_status st = DM_OK;
	int32_t lba = -CD_PREGAP_FIRST;
	for (unsigned i = 0; i < n && !st; i++) {
		cd_audio_src *src;
		st = cd_audio_src_open(paths[i], CD_AUDIO_DETECT, &src, ctx);
		if (st)
			break;
		cd_file_kind kind = cd_audio_src_kind(src) == CD_AUDIO_SNDFILE ? CD_FILE_WAVE
			: CD_FILE_BINARY;
		uint64_t bytes = cd_audio_src_frames(src) * 4;
		uint32_t sectors = cd_audio_src_sectors(src);
		/* Tags become CD-TEXT: the track's title and performer, the album from the first
		 * file that names one. */
		cd_track *tt = &l->tracks[i];
		st = take_tag(src, CD_AUDIO_TAG_TITLE, &tt->text[CD_TEXT_TITLE], ctx);
		if (!st)
			st = take_tag(src, CD_AUDIO_TAG_ARTIST, &tt->text[CD_TEXT_PERFORMER], ctx);
		if (!st)
			st = take_tag(src, CD_AUDIO_TAG_ALBUM, &l->text[CD_TEXT_TITLE], ctx);
		cd_audio_src_free(src);
		if (st)
			break;
		unsigned fi;
		st = cd_layout_add_file(l, paths[i], kind, bytes, 0, &fi, ctx);
		if (st)
			break;
		cd_track *t = &l->tracks[l->ntracks++];
		t->number = i + 1;
		t->mode = CD_MODE_AUDIO;
		t->pregap = i == 0 ? CD_PREGAP_FIRST : gap;
		t->index[0] = lba;
		t->nindex = 1;
		cd_extent g = { .lba = lba, .sectors = t->pregap, .file = -1, .track = i,
				.drive_generates = 1 };
		st = cd_layout_add_extent(l, &g, ctx);
		lba += (int32_t)t->pregap;
		t->index[1] = lba;
		t->length = sectors;
		cd_extent d = { .lba = lba, .sectors = sectors, .file = (int)fi, .bytes = bytes,
				.track = i };
		if (!st)
			st = cd_layout_add_extent(l, &d, ctx);
		if (!st && sectors < CD_TRACK_MIN_SECTORS)
			st = dm_fail(ctx, DM_ERR_INVALID,
				     "%s lasts %u sectors (%.2f seconds): an audio track lasts at "
				     "least 4 seconds (300 sectors)", paths[i], sectors,
				     sectors / (double)CD_FRAMES_PER_SEC);
		lba += (int32_t)sectors;
	}
	l->leadout = lba;
	/* One artist on every track is the album's performer too. */
	const char *artist = st ? NULL : l->tracks[0].text[CD_TEXT_PERFORMER];
	for (unsigned i = 1; artist && i < l->ntracks; i++)
		if (!l->tracks[i].text[CD_TEXT_PERFORMER] ||
		    strcmp(l->tracks[i].text[CD_TEXT_PERFORMER], artist) != 0)
			artist = NULL;
	if (artist && !(l->text[CD_TEXT_PERFORMER] = strdup(artist)))
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory planning the disc");
	if (!st)
		st = cd_layout_check(l, NULL, ctx);
	if (st) {
		cd_layout_free(l);
		return st;
	}
	*out = l;
	return DM_OK;
}

/* A growing string for cd_layout_describe. */
typedef struct strbuf {
	char *s;
	size_t len, cap;
	int failed;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) DM_PRINTF(2, 3);
static void sb_printf(strbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		if (b->failed)
			return;
		va_start(ap, fmt);
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

char *cd_layout_describe(const cd_layout *l)
{
	static const char *const field_names[CD_TEXT_NFIELDS] = {
		"title", "performer", "songwriter", "composer", "arranger", "message"
	};
	strbuf b = { 0 };
	if (l->mcn[0])
		sb_printf(&b, "catalog %s\n", l->mcn);
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++)
		if (l->text[f])
			sb_printf(&b, "album %s \"%s\"\n", field_names[f], l->text[f]);
	for (unsigned i = 0; i < l->nfiles; i++)
		sb_printf(&b, "file %u %s %s %llu\n", i, l->files[i].path,
			  l->files[i].kind == CD_FILE_WAVE ? "WAVE"
			  : l->files[i].kind == CD_FILE_MOTOROLA ? "MOTOROLA" : "BINARY",
			  (unsigned long long)l->files[i].bytes);
	for (unsigned i = 0; i < l->ntracks; i++) {
		const cd_track *t = &l->tracks[i];
		sb_printf(&b, "track %02u %s", t->number, cd_mode_name(t->mode));
		if (t->flags)
			sb_printf(&b, " flags %02x", t->flags);
		if (t->scms)
			sb_printf(&b, " scms");
		sb_printf(&b, " pregap %u", t->pregap);
		for (unsigned x = t->pregap ? 0 : 1; x <= t->nindex; x++)
			sb_printf(&b, " %02u@%d", x, t->index[x]);
		sb_printf(&b, " length %u", t->length);
		if (t->postgap)
			sb_printf(&b, " postgap %u", t->postgap);
		if (t->isrc[0])
			sb_printf(&b, " isrc %s", t->isrc);
		sb_printf(&b, "\n");
		for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++)
			if (t->text[f])
				sb_printf(&b, "  %s \"%s\"\n", field_names[f], t->text[f]);
	}
	for (unsigned i = 0; i < l->nextents; i++) {
		const cd_extent *e = &l->extents[i];
		sb_printf(&b, "extent %d +%u track %02u ", e->lba, e->sectors,
			  l->tracks[e->track].number);
		if (e->file < 0)
			sb_printf(&b, "%s\n", e->drive_generates ? "generated by the drive" : "zero");
		else
			sb_printf(&b, "file %d @%llu +%llu\n", e->file, (unsigned long long)e->offset,
				  (unsigned long long)e->bytes);
	}
	sb_printf(&b, "leadout %d\n", l->leadout);
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
