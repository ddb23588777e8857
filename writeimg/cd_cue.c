#include "writeimg/cd_cue.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/dm_file.h"
#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_text.h"

#define MAX_WORDS 8
#define CUE_MAX_BYTES (1u << 20) /* a cue sheet is text of a few KiB */

/* The parser's state: the layout being built and where its data has got to. Positions
 * are LBAs: the first FILE's 00:00:00 is LBA 0. */
typedef struct cue {
	const char *path;    /* the cue, for messages */
	char *dir;           /* its directory, for relative FILE names */
	cd_layout *l;
	dm_ctx *ctx;
	unsigned line;
	int32_t pos;         /* next sector on the disc */
	int file;            /* current FILE, -1 before the first */
	uint32_t file_time;  /* sectors of the FILE placed so far (cue time) */
	uint64_t file_byte;  /* bytes of the FILE placed so far */
	int file_indexes;    /* INDEX lines seen in the current FILE */
	int track;           /* the TRACK being read, -1 before the first */
	int owner;           /* the track the FILE's data belongs to now, -1 none */
	int next_index;      /* the index number the current track expects next, -1 none yet */
	uint32_t pregap_cmd; /* PREGAP of the current track */
	int has_pregap_cmd;
	int first_file_pregap; /* track 1 has INDEX 00 (part of its pregap from the file) */
} cue;

static dm_status fail(cue *c, dm_status st, const char *fmt, ...) DM_PRINTF(3, 4);
static dm_status fail(cue *c, dm_status st, const char *fmt, ...)
{
	char msg[DM_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dm_fail(c->ctx, st, "%s: line %u: %s", c->path, c->line, msg);
}

/* Split a line into words; "quoted strings" keep their spaces. Returns the count or -1
 * for an unterminated quote. */
static int split(char *s, char **w)
{
	int n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == MAX_WORDS)
			return n + 1;
		if (*s == '"') {
			char *end = strchr(s + 1, '"');
			if (!end)
				return -1;
			*end = '\0';
			w[n++] = s + 1;
			s = end + 1;
			if (*s && *s != ' ' && *s != '\t')
				return -1;
			continue;
		}
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static dm_status parse_time(cue *c, const char *what, const char *text, uint32_t *frames)
{
	if (cd_msf_parse(text, frames) != 0)
		return fail(c, DM_ERR_INVALID, "%s: bad time \"%s\" (mm:ss:ff, seconds below 60, "
			    "frames below 75)", what, text);
	return DM_OK;
}

static dm_status add_generated(cue *c, uint32_t sectors, int drive_generates)
{
	cd_extent e = { .lba = c->pos, .sectors = sectors, .file = -1,
			.track = (unsigned)c->owner, .drive_generates = drive_generates };
	c->pos += (int32_t)sectors;
	return cd_layout_add_extent(c->l, &e, c->ctx);
}

/* Place the current FILE's data from where it got to up to cue time t, for the track
 * that owns it. */
static dm_status place_to(cue *c, uint32_t t, const char *what)
{
	if (t == c->file_time)
		return DM_OK;
	if (c->owner < 0)
		return fail(c, DM_ERR_INVALID, "%s: the FILE's data before it belongs to no track "
			    "(the first INDEX of a disc is at 00:00:00)", what);
	const cd_track *o = &c->l->tracks[c->owner];
	const cd_file *f = &c->l->files[c->file];
	uint32_t sectors = t - c->file_time;
	uint64_t bytes = (uint64_t)sectors * cd_mode_file_bytes(o->mode);
	if (c->file_byte + bytes > f->bytes) {
		char msf[16];
		cd_msf_format(t, msf, sizeof(msf));
		return fail(c, DM_ERR_INVALID, "%s lies past the end of %s: it needs at least %llu "
			    "bytes, the file has %llu", what, f->path,
			    (unsigned long long)(c->file_byte + bytes), (unsigned long long)f->bytes);
	}
	cd_extent e = { .lba = c->pos, .sectors = sectors, .file = c->file, .offset = c->file_byte,
			.bytes = bytes, .track = (unsigned)c->owner };
	c->pos += (int32_t)sectors;
	c->file_time = t;
	c->file_byte += bytes;
	return cd_layout_add_extent(c->l, &e, c->ctx);
}

/* The rest of the current FILE, at a new FILE or the end of the cue. */
static dm_status place_file_end(cue *c)
{
	if (c->file < 0)
		return DM_OK;
	const cd_file *f = &c->l->files[c->file];
	uint64_t left = f->bytes - c->file_byte;
	if (left == 0)
		return DM_OK;
	if (c->owner < 0)
		return fail(c, DM_ERR_INVALID, "%s holds data but no track starts in it", f->path);
	const cd_track *o = &c->l->tracks[c->owner];
	unsigned bps = cd_mode_file_bytes(o->mode);
	uint32_t sectors = (uint32_t)(left / bps);
	if (left % bps) {
		if (o->mode != CD_MODE_AUDIO)
			return dm_fail(c->ctx, DM_ERR_INVALID,
				       "%s: line %u: %s ends with %llu bytes, not a whole %u-byte "
				       "sector of track %02u (%s)", c->path, f->line, f->path,
				       (unsigned long long)(left % bps), bps, o->number,
				       cd_mode_name(o->mode));
		dm_note(c->ctx, "%s: the last sector of track %02u is padded with %llu bytes of "
			"silence", f->path, o->number, (unsigned long long)(bps - left % bps));
		sectors++;
	}
	cd_extent e = { .lba = c->pos, .sectors = sectors, .file = c->file, .offset = c->file_byte,
			.bytes = left, .track = (unsigned)c->owner };
	c->pos += (int32_t)sectors;
	c->file_byte = f->bytes;
	return cd_layout_add_extent(c->l, &e, c->ctx);
}

/* The previous track ends where the next one's first index starts (or the disc ends):
 * its POSTGAP goes there. */
static dm_status end_owner(cue *c)
{
	if (c->owner < 0)
		return DM_OK;
	cd_track *o = &c->l->tracks[c->owner];
	if (o->postgap)
		return add_generated(c, o->postgap, 0);
	return DM_OK;
}

static dm_status cmd_file(cue *c, char **w, int n)
{
	if (n != 3)
		return fail(c, DM_ERR_INVALID, "FILE takes a name and a type (FILE \"x.bin\" BINARY)");
	cd_file_kind kind;
	if (strcasecmp(w[2], "BINARY") == 0)
		kind = CD_FILE_BINARY;
	else if (strcasecmp(w[2], "MOTOROLA") == 0)
		kind = CD_FILE_MOTOROLA;
	else if (strcasecmp(w[2], "WAVE") == 0)
		kind = CD_FILE_WAVE;
	else
		return fail(c, DM_ERR_UNSUPPORTED, "FILE type %s is not supported (BINARY, "
			    "MOTOROLA or WAVE)", w[2]);
	dm_status st = place_file_end(c);
	if (st)
		return st;
	char *path;
	if (w[1][0] == '/' || !c->dir[0])
		path = strdup(w[1]);
	else if (asprintf(&path, "%s/%s", c->dir, w[1]) < 0)
		path = NULL;
	if (!path)
		return dm_fail(c->ctx, DM_ERR_NOMEM, "out of memory reading %s", c->path);
	uint64_t bytes = 0;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		st = fail(c, DM_ERR_IO, "cannot open FILE %s: %s", path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		st = fail(c, DM_ERR_INVALID, "FILE %s is not a regular file", path);
	} else if (kind == CD_FILE_WAVE) {
		cd_audio_src *src;
		st = cd_audio_src_open(path, CD_AUDIO_SNDFILE, &src, c->ctx);
		if (st)
			st = dm_fail_prefix(c->ctx, "%s: line %u: ", c->path, c->line);
		else
			bytes = cd_audio_src_frames(src) * 4;
		cd_audio_src_free(src);
	} else {
		bytes = (uint64_t)sb.st_size;
	}
	unsigned index = 0;
	if (!st)
		st = cd_layout_add_file(c->l, path, kind, bytes, c->line, &index, c->ctx);
	free(path);
	c->file = (int)index;
	c->file_time = 0;
	c->file_byte = 0;
	c->file_indexes = 0;
	return st;
}

static dm_status cmd_track(cue *c, char **w, int n)
{
	static const cd_mode all[] = { CD_MODE_AUDIO, CD_MODE1_2048, CD_MODE1_2352, CD_MODE2_2352 };
	if (n != 3)
		return fail(c, DM_ERR_INVALID, "TRACK takes a number and a mode (TRACK 01 AUDIO)");
	if (c->file < 0)
		return fail(c, DM_ERR_INVALID, "TRACK before any FILE");
	char *end;
	unsigned long num = strtoul(w[1], &end, 10);
	if (*end || end == w[1] || num < 1 || num > CD_TRACKS_MAX)
		return fail(c, DM_ERR_INVALID, "track number %s: a CD has tracks 01 to 99", w[1]);
	if (c->track >= 0 && c->next_index < 2)
		return fail(c, DM_ERR_INVALID, "TRACK %02lu: track %02u has no INDEX 01", num,
			    c->l->tracks[c->track].number);
	unsigned want = c->track < 0 ? 1 : c->l->tracks[c->track].number + 1;
	if (c->track >= 0 && num == c->l->tracks[c->track].number)
		return fail(c, DM_ERR_INVALID, "TRACK %02lu again: duplicate track number", num);
	if (num != want)
		return fail(c, DM_ERR_INVALID, "TRACK %02lu where track %02u comes: track numbers "
			    "start at 01 and go up by one", num, want);
	int mode = -1;
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcasecmp(w[2], cd_mode_name(all[i])) == 0)
			mode = (int)all[i];
	if (mode < 0)
		return fail(c, DM_ERR_UNSUPPORTED, "track mode %s is not supported (AUDIO, "
			    "MODE1/2048, MODE1/2352 or MODE2/2352)", w[2]);
	if (mode != CD_MODE_AUDIO && c->l->files[c->file].kind == CD_FILE_WAVE)
		return fail(c, DM_ERR_INVALID, "track %02lu is %s but its FILE is WAVE (audio only)",
			    num, w[2]);
	c->track = (int)c->l->ntracks++;
	cd_track *t = &c->l->tracks[c->track];
	t->number = (unsigned)num;
	t->mode = (cd_mode)mode;
	t->line = c->line;
	c->next_index = -1;
	c->pregap_cmd = 0;
	c->has_pregap_cmd = 0;
	return DM_OK;
}

static dm_status cmd_index(cue *c, char **w, int n)
{
	if (n != 3)
		return fail(c, DM_ERR_INVALID, "INDEX takes a number and a time (INDEX 01 00:00:00)");
	if (c->track < 0)
		return fail(c, DM_ERR_INVALID, "INDEX before any TRACK");
	char *end;
	unsigned long x = strtoul(w[1], &end, 10);
	if (*end || end == w[1] || x > CD_INDEXES_MAX)
		return fail(c, DM_ERR_INVALID, "index number %s: indexes are 00 to 99", w[1]);
	cd_track *t = &c->l->tracks[c->track];
	if (c->next_index < 0 && x > 1)
		return fail(c, DM_ERR_INVALID, "INDEX %02lu out of order: track %02u starts with "
			    "INDEX 00 or 01", x, t->number);
	if (c->next_index >= 0 && x != (unsigned long)c->next_index)
		return fail(c, DM_ERR_INVALID, "INDEX %02lu out of order: track %02u expects INDEX "
			    "%02d next", x, t->number, c->next_index);
	if (x == 0 && c->has_pregap_cmd)
		return fail(c, DM_ERR_INVALID, "INDEX 00 and PREGAP in one track: give the pregap "
			    "one way");
	uint32_t time;
	char what[32];
	snprintf(what, sizeof(what), "INDEX %02lu %s", x, w[2]);
	dm_status st = parse_time(c, "INDEX", w[2], &time);
	if (st)
		return st;
	if (time < c->file_time || (time == c->file_time && c->file_indexes))
		return fail(c, DM_ERR_INVALID, "%s is not after the previous INDEX in this FILE",
			    what);
	st = place_to(c, time, what);
	if (st)
		return st;
	c->file_indexes++;
	if (c->next_index < 0) {
		/* The track's first index: the previous track ends here. */
		st = end_owner(c);
		if (st)
			return st;
		c->owner = c->track;
		t->index[0] = c->pos;
		if (x == 0 && t->number == 1)
			c->first_file_pregap = 1;
		if (x == 1 && c->pregap_cmd) {
			st = add_generated(c, c->pregap_cmd, 1);
			if (st)
				return st;
		}
	}
	t->index[x] = c->pos;
	t->nindex = (unsigned)x;
	c->next_index = (int)x + 1;
	return DM_OK;
}

static dm_status cmd_gap(cue *c, char **w, int n, int post)
{
	const char *name = post ? "POSTGAP" : "PREGAP";
	if (n != 2)
		return fail(c, DM_ERR_INVALID, "%s takes a time (%s 00:02:00)", name, name);
	if (c->track < 0)
		return fail(c, DM_ERR_INVALID, "%s before any TRACK", name);
	if (!post && c->next_index >= 0)
		return fail(c, DM_ERR_INVALID, "PREGAP after INDEX: it goes between TRACK and the "
			    "first INDEX");
	if (post && c->next_index < 2)
		return fail(c, DM_ERR_INVALID, "POSTGAP before INDEX 01: it follows the track's "
			    "indexes");
	uint32_t time;
	dm_status st = parse_time(c, name, w[1], &time);
	if (st)
		return st;
	if (post) {
		c->l->tracks[c->track].postgap = time;
	} else {
		c->pregap_cmd = time;
		c->has_pregap_cmd = 1;
	}
	return DM_OK;
}

static dm_status cmd_flags(cue *c, char **w, int n)
{
	if (c->track < 0)
		return fail(c, DM_ERR_INVALID, "FLAGS before any TRACK");
	cd_track *t = &c->l->tracks[c->track];
	for (int i = 1; i < n; i++) {
		if (strcasecmp(w[i], "DCP") == 0)
			t->flags |= CD_FLAG_DCP;
		else if (strcasecmp(w[i], "4CH") == 0)
			t->flags |= CD_FLAG_4CH;
		else if (strcasecmp(w[i], "PRE") == 0)
			t->flags |= CD_FLAG_PRE;
		else if (strcasecmp(w[i], "SCMS") == 0)
			t->scms = 1;
		else
			return fail(c, DM_ERR_INVALID, "unknown flag %s (DCP, 4CH, PRE or SCMS)", w[i]);
	}
	if ((t->flags & (CD_FLAG_4CH | CD_FLAG_PRE)) && t->mode != CD_MODE_AUDIO)
		return fail(c, DM_ERR_INVALID, "FLAGS 4CH and PRE apply to audio tracks, track "
			    "%02u is %s", t->number, cd_mode_name(t->mode));
	return DM_OK;
}

static dm_status cmd_text(cue *c, char **w, int n, cd_text_field field)
{
	if (n != 2)
		return fail(c, DM_ERR_INVALID, "%s takes one text (%s \"...\")", w[0], w[0]);
	char **slot = c->track < 0 ? &c->l->text[field] : &c->l->tracks[c->track].text[field];
	if (*slot)
		return fail(c, DM_ERR_INVALID, "%s given twice", w[0]);
	int r = cd_text_latin1(w[1], slot);
	if (r == -2)
		return dm_fail(c->ctx, DM_ERR_NOMEM, "out of memory reading %s", c->path);
	if (r < 0)
		return fail(c, DM_ERR_INVALID, "%s \"%s\": CD-TEXT is ISO 8859-1 (Latin-1) text "
			    "without control characters", w[0], w[1]);
	return DM_OK;
}

/* A REM line: a comment whatever follows (EAC writes "REM COMMENT ..." lines of any
 * length, with unbalanced quotes in free text). */
static int is_rem(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return strncasecmp(s, "REM", 3) == 0 && (s[3] == '\0' || s[3] == ' ' || s[3] == '\t');
}

static dm_status line_cmd(cue *c, char *s)
{
	if (is_rem(s))
		return DM_OK;
	char *w[MAX_WORDS + 1];
	int n = split(s, w);
	if (n < 0)
		return fail(c, DM_ERR_INVALID, "unterminated or misplaced quote");
	if (n == 0)
		return DM_OK;
	if (n > MAX_WORDS)
		return fail(c, DM_ERR_INVALID, "too many words");
	const char *k = w[0];
	if (strcasecmp(k, "FILE") == 0)
		return cmd_file(c, w, n);
	if (strcasecmp(k, "TRACK") == 0)
		return cmd_track(c, w, n);
	if (strcasecmp(k, "INDEX") == 0)
		return cmd_index(c, w, n);
	if (strcasecmp(k, "PREGAP") == 0)
		return cmd_gap(c, w, n, 0);
	if (strcasecmp(k, "POSTGAP") == 0)
		return cmd_gap(c, w, n, 1);
	if (strcasecmp(k, "FLAGS") == 0)
		return cmd_flags(c, w, n);
	if (strcasecmp(k, "TITLE") == 0)
		return cmd_text(c, w, n, CD_TEXT_TITLE);
	if (strcasecmp(k, "PERFORMER") == 0)
		return cmd_text(c, w, n, CD_TEXT_PERFORMER);
	if (strcasecmp(k, "SONGWRITER") == 0)
		return cmd_text(c, w, n, CD_TEXT_SONGWRITER);
	if (strcasecmp(k, "CATALOG") == 0) {
		if (n != 2 || !cd_mcn_valid(w[1]))
			return fail(c, DM_ERR_INVALID, "CATALOG %s: a catalog number (MCN) is 13 "
				    "digits", n > 1 ? w[1] : "");
		if (c->track >= 0)
			return fail(c, DM_ERR_INVALID, "CATALOG inside a track: it is the disc's");
		memcpy(c->l->mcn, w[1], 14);
		return DM_OK;
	}
	if (strcasecmp(k, "ISRC") == 0) {
		if (c->track < 0)
			return fail(c, DM_ERR_INVALID, "ISRC before any TRACK");
		if (n != 2 || !cd_isrc_valid(w[1]))
			return fail(c, DM_ERR_INVALID, "ISRC %s: an ISRC is 12 characters, CCOOOYYSSSSS "
				    "(country and owner letters or digits, year and serial digits)",
				    n > 1 ? w[1] : "");
		cd_track *t = &c->l->tracks[c->track];
		if (t->mode != CD_MODE_AUDIO)
			return fail(c, DM_ERR_INVALID, "ISRC in track %02u, a %s track: ISRCs are "
				    "for audio", t->number, cd_mode_name(t->mode));
		memcpy(t->isrc, w[1], 13);
		return DM_OK;
	}
	if (strcasecmp(k, "CDTEXTFILE") == 0)
		return fail(c, DM_ERR_UNSUPPORTED, "CDTEXTFILE is not supported: give the text as "
			    "TITLE/PERFORMER lines or with --cd-text");
	return fail(c, DM_ERR_INVALID, "unknown keyword %s", k);
}

/* The cue's time 00:00:00 of its first FILE is LBA 0, as cdrdao (show-toc) and CDRWIN
 * place it: the 150 sectors before it (LBA -150 to -1) are always added, generated, to the
 * first track's pregap. A first track without INDEX 00 has a pregap of generated sectors
 * only, which the drive makes; with INDEX 00 the host sends those 150 zero sectors. */
static dm_status finish(cue *c)
{
	cd_layout *l = c->l;
	cd_track *t1 = &l->tracks[0];
	cd_extent e = { .lba = -CD_PREGAP_FIRST, .sectors = CD_PREGAP_FIRST, .file = -1, .track = 0,
			.drive_generates = !c->first_file_pregap };
	cd_extent *n = realloc(l->extents, (l->nextents + 1) * sizeof(*n));
	if (!n)
		return dm_fail(c->ctx, DM_ERR_NOMEM, "out of memory reading %s", c->path);
	memmove(n + 1, n, l->nextents * sizeof(*n));
	n[0] = e;
	l->extents = n;
	l->extents_cap = ++l->nextents;
	/* Next to a generated PREGAP of the same track: one extent. */
	if (l->nextents > 1 && n[1].file < 0 && n[1].track == 0 &&
	    n[1].lba == 0 && n[1].drive_generates == e.drive_generates) {
		n[0].sectors += n[1].sectors;
		memmove(n + 1, n + 2, (l->nextents - 2) * sizeof(*n));
		l->nextents--;
	}
	t1->index[0] = -CD_PREGAP_FIRST;
	l->leadout = c->pos;
	for (unsigned i = 0; i < l->ntracks; i++) {
		cd_track *t = &l->tracks[i];
		int32_t end = i + 1 < l->ntracks ? l->tracks[i + 1].index[0] : l->leadout;
		t->pregap = (uint32_t)(t->index[1] - t->index[0]);
		t->length = (uint32_t)(end - t->index[1]);
	}
	return DM_OK;
}

dm_status cd_cue_parse(const char *text, size_t len, const char *path, cd_layout **out,
		       dm_ctx *ctx)
{
	*out = NULL;
	cue c = { .path = path, .ctx = ctx, .file = -1, .track = -1, .owner = -1,
		  .next_index = -1 };
	c.l = cd_layout_new();
	const char *slash = strrchr(path, '/');
	c.dir = slash ? strndup(path, (size_t)(slash - path == 0 ? 1 : slash - path)) : strdup("");
	char *buf = malloc(len + 1);
	if (!c.l || !c.dir || !buf) {
		free(buf);
		free(c.dir);
		cd_layout_free(c.l);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", path);
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	dm_status st = DM_OK;
	char *s = buf;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3; /* a UTF-8 byte order mark */
	if (memchr(buf, '\0', len))
		st = dm_fail(ctx, DM_ERR_INVALID, "%s is not a cue sheet: it holds NUL bytes", path);
	while (!st && *s) {
		c.line++;
		char *eol = strchr(s, '\n');
		char *next = eol ? eol + 1 : s + strlen(s);
		if (eol)
			*eol = '\0';
		size_t n = strlen(s);
		if (n && s[n - 1] == '\r')
			s[n - 1] = '\0';
		st = line_cmd(&c, s);
		s = next;
	}
	if (!st) {
		c.line++;
		if (c.track < 0)
			st = dm_fail(ctx, DM_ERR_INVALID, "%s: no TRACK", path);
		else if (c.next_index < 2)
			st = fail(&c, DM_ERR_INVALID, "the cue ends and track %02u has no INDEX 01",
				  c.l->tracks[c.track].number);
	}
	if (!st)
		st = place_file_end(&c);
	if (!st)
		st = end_owner(&c);
	if (!st)
		st = finish(&c);
	if (!st) {
		st = cd_layout_check(c.l, path, ctx);
	}
	free(buf);
	free(c.dir);
	if (st) {
		cd_layout_free(c.l);
		return st;
	}
	*out = c.l;
	return DM_OK;
}

dm_status cd_cue_load(const char *path, cd_layout **out, dm_ctx *ctx)
{
	*out = NULL;
	char *buf;
	size_t len;
	dm_status st = dm_file_read_small(path, CUE_MAX_BYTES, "cue sheet", "cue sheet", "1 MiB", &buf,
					  &len, ctx);
	if (st != DM_OK)
		return st;
	st = cd_cue_parse(buf, len, path, out, ctx);
	free(buf);
	return st;
}
