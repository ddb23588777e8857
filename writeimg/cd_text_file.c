#include "writeimg/cd_text_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_file.h"
#include "writeimg/cd_text.h"

#define TEXT_FILE_MAX (64u << 10) /* CD-TEXT holds about 3 KiB of text */

static const char *const field_keys[CD_TEXT_NFIELDS] = {
	"title", "performer", "songwriter", "composer", "arranger", "message"
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int field_of(const char *s)
{
	for (int f = 0; f < CD_TEXT_NFIELDS; f++)
		if (strcmp(s, field_keys[f]) == 0)
			return f;
	return -1;
}

/* One `key = value` line into layout; seen[] marks keys already given (100 slots of
 * fields: the album and tracks 1..99). */
static dm_status one_line(char *s, const char *name, unsigned line, cd_layout *l,
			  unsigned char seen[CD_TRACKS_MAX + 1][CD_TEXT_NFIELDS], dm_ctx *ctx)
{
	char *eq = strchr(s, '=');
	if (!eq)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: expected key = value", name, line);
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	unsigned track = 0;
	const char *field;
	if (strncmp(key, "album.", 6) == 0) {
		field = key + 6;
	} else if (strncmp(key, "track.", 6) == 0) {
		char *end;
		unsigned long n = strtoul(key + 6, &end, 10);
		if (end == key + 6 || *end != '.' || n < 1 || n > CD_TRACKS_MAX)
			return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: %s: tracks are track.1 to "
				       "track.99", name, line, key);
		track = (unsigned)n;
		field = end + 1;
	} else {
		return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: unknown key %s (album.FIELD or "
			       "track.N.FIELD)", name, line, key);
	}
	int f = field_of(field);
	if (f < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: %s: unknown field %s (title, "
			       "performer, songwriter, composer, arranger or message)", name, line,
			       key, field);
	unsigned ti = 0;
	if (track) {
		for (ti = 0; ti < l->ntracks && l->tracks[ti].number != track; ti++)
			;
		if (ti == l->ntracks)
			return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: %s: the disc has no track %u",
				       name, line, key, track);
	}
	if (seen[track][f])
		return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: %s given twice", name, line, key);
	seen[track][f] = 1;
	char *latin1;
	int r = cd_text_latin1(value, &latin1);
	if (r == -2)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", name);
	if (r < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: line %u: %s: CD-TEXT is ISO 8859-1 (Latin-1) "
			       "text without control characters", name, line, key);
	char **slot = track ? &l->tracks[ti].text[f] : &l->text[f];
	free(*slot);
	*slot = latin1;
	return DM_OK;
}

dm_status cd_text_file_parse(const char *text, size_t len, const char *name,
			     cd_layout *l, dm_ctx *ctx)
{
	if (memchr(text, '\0', len))
		return dm_fail(ctx, DM_ERR_INVALID, "%s is not a text file: it holds NUL bytes", name);
	char *buf = malloc(len + 1);
	unsigned char (*seen)[CD_TEXT_NFIELDS] = calloc(CD_TRACKS_MAX + 1, sizeof(*seen));
	if (!buf || !seen) {
		free(buf);
		free(seen);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", name);
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	char *s = buf;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	dm_status st = DM_OK;
	for (unsigned line = 1; !st && *s; line++) {
		char *eol = strchr(s, '\n');
		char *next = eol ? eol + 1 : s + strlen(s);
		if (eol)
			*eol = '\0';
		char *t = trim(s);
		if (*t && *t != '#')
			st = one_line(t, name, line, l, seen, ctx);
		s = next;
	}
	free(buf);
	free(seen);
	return st;
}

dm_status cd_text_file_load(const char *path, cd_layout *l, dm_ctx *ctx)
{
	char *buf;
	size_t len;
	dm_status st = dm_file_read_small(path, TEXT_FILE_MAX, "CD-TEXT file", "", "64 KiB", &buf,
					  &len, ctx);
	if (st != DM_OK)
		return st;
	st = cd_text_file_parse(buf, len, path, l, ctx);
	free(buf);
	return st;
}
