#include "common/drive/emu_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void no_faults(emu_faults *f)
{
	memset(f, 0, sizeof(*f));
	f->write_error_lba = -1;
	f->read_error_lba = -1;
	f->remove_after_writes = -1;
}

void emu_state_blank(emu_state *st, const emu_medium *m)
{
	emu_faults keep = st->faults, keep_file = st->file_faults;
	memset(st, 0, sizeof(*st));
	st->faults = keep;
	st->file_faults = keep_file;
	st->medium = m;
	st->capacity = m->capacity;
	st->status = EMU_BLANK;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return 0;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return 0;
	*out = v;
	return 1;
}

static const char *const status_names[] = { "blank", "appendable", "complete" };

dm_status emu_state_set(emu_state *st, const char *key, const char *value, dm_ctx *ctx)
{
	uint64_t v = 0;

	if (strcmp(key, "medium") == 0) {
		const emu_medium *m = emu_medium_find(value);
		if (!m)
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: unknown medium '%s' (known: %s)",
				       value, emu_medium_names());
		st->medium = m;
		return DM_OK;
	}
	if (strcmp(key, "status") == 0) {
		for (int i = 0; i < 3; i++)
			if (strcmp(value, status_names[i]) == 0) {
				st->status = i;
				return DM_OK;
			}
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: unknown disc status '%s'", value);
	}
	if (strcmp(key, "track") == 0) {
		unsigned long long a, b, c;
		unsigned s;
		int closed;
		if (sscanf(value, "%llu,%llu,%llu,%u,%d", &a, &b, &c, &s, &closed) != 5 ||
		    a > UINT32_MAX || b > UINT32_MAX || c > UINT32_MAX)
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad track line '%s'", value);
		if (st->n_tracks >= EMU_MAX_TRACKS)
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: more than %d tracks",
				       EMU_MAX_TRACKS);
		emu_track *t = &st->tracks[st->n_tracks++];
		t->start = (uint32_t)a;
		t->size = (uint32_t)b;
		t->reserved = (uint32_t)c;
		t->session = s;
		t->closed = closed != 0;
		return DM_OK;
	}
	if (!parse_u64(value, &v))
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: %s=%s is not a number", key, value);
	if (strcmp(key, "capacity") == 0 && v <= UINT32_MAX)
		st->capacity = (uint32_t)v;
	else if (strcmp(key, "formatted") == 0)
		st->formatted = v != 0;
	else if (strcmp(key, "sessions") == 0 && v <= EMU_MAX_TRACKS)
		st->sessions = (unsigned)v;
	else if (strcmp(key, "write_protected") == 0)
		st->write_protected = v != 0;
	else if (strcmp(key, "write_error_lba") == 0 && v <= UINT32_MAX)
		st->faults.write_error_lba = (int64_t)v;
	else if (strcmp(key, "read_error_lba") == 0 && v <= UINT32_MAX)
		st->faults.read_error_lba = (int64_t)v;
	else if (strcmp(key, "not_ready") == 0 && v <= 1000000)
		st->faults.not_ready = (unsigned)v;
	else if (strcmp(key, "no_media") == 0)
		st->faults.no_media = v != 0;
	else if (strcmp(key, "remove_after_writes") == 0 && v <= UINT32_MAX)
		st->faults.remove_after_writes = (int64_t)v;
	else if (strcmp(key, "busy_after_close") == 0 && v <= 1000000)
		st->faults.busy_after_close = (unsigned)v;
	else if (strcmp(key, "unit_attention") == 0)
		st->faults.unit_attention = v != 0;
	else if (strcmp(key, "write_delay_ms") == 0 && v <= 60000)
		st->faults.write_delay_ms = (unsigned)v;
	else
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: unknown or out-of-range setting %s=%s",
			       key, value);
	return DM_OK;
}

dm_status emu_state_apply(emu_state *st, const char *settings, dm_ctx *ctx)
{
	char *copy = strdup(settings);
	if (!copy)
		return dm_fail(ctx, DM_ERR_NOMEM, "emulator: out of memory");
	dm_status rc = DM_OK;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",&", &save); tok && rc == DM_OK;
	     tok = strtok_r(NULL, ",&", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			rc = dm_fail(ctx, DM_ERR_INVALID, "emulator: setting '%s' has no '='", tok);
			break;
		}
		*eq = '\0';
		rc = emu_state_set(st, tok, eq + 1, ctx);
	}
	free(copy);
	return rc;
}

dm_status emu_state_load(emu_state *st, const char *path, int *exists, dm_ctx *ctx)
{
	FILE *f = fopen(path, "r");
	*exists = 0;
	memset(st, 0, sizeof(*st));
	no_faults(&st->faults);
	if (!f) {
		no_faults(&st->file_faults);
		if (errno == ENOENT)
			return DM_OK;
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: cannot open %s", path);
	}
	*exists = 1;
	char line[256];
	unsigned lineno = 0;
	dm_status rc = DM_OK;
	while (rc == DM_OK && fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			rc = dm_fail(ctx, DM_ERR_INVALID, "%s:%u: expected key=value", path, lineno);
			break;
		}
		*eq = '\0';
		rc = emu_state_set(st, line, eq + 1, ctx);
		if (rc != DM_OK)
			dm_fail_prefix(ctx, "%s:%u: ", path, lineno);
	}
	fclose(f);
	if (rc == DM_OK && !st->medium)
		rc = dm_fail(ctx, DM_ERR_INVALID, "%s: no medium= line", path);
	st->file_faults = st->faults;
	return rc;
}

static void put_faults(FILE *f, const emu_faults *x)
{
	if (x->write_error_lba >= 0)
		fprintf(f, "write_error_lba=%" PRId64 "\n", x->write_error_lba);
	if (x->read_error_lba >= 0)
		fprintf(f, "read_error_lba=%" PRId64 "\n", x->read_error_lba);
	if (x->not_ready)
		fprintf(f, "not_ready=%u\n", x->not_ready);
	if (x->no_media)
		fprintf(f, "no_media=1\n");
	if (x->remove_after_writes >= 0)
		fprintf(f, "remove_after_writes=%" PRId64 "\n", x->remove_after_writes);
	if (x->busy_after_close)
		fprintf(f, "busy_after_close=%u\n", x->busy_after_close);
	if (x->unit_attention)
		fprintf(f, "unit_attention=1\n");
	if (x->write_delay_ms)
		fprintf(f, "write_delay_ms=%u\n", x->write_delay_ms);
}

dm_status emu_state_save(const emu_state *st, const char *path, dm_ctx *ctx)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: path too long: %s", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: cannot write %s", tmp);
	fprintf(f, "# discmaster emulated recorder: the disc in %.*s\n",
		(int)(strlen(path) > 4 ? strlen(path) - 4 : 0), path);
	fprintf(f, "medium=%s\ncapacity=%u\nstatus=%s\nformatted=%d\nsessions=%u\n",
		st->medium->name, st->capacity, status_names[st->status], st->formatted,
		st->sessions);
	for (unsigned i = 0; i < st->n_tracks; i++) {
		const emu_track *t = &st->tracks[i];
		fprintf(f, "track=%u,%u,%u,%u,%d\n", t->start, t->size, t->reserved, t->session,
			t->closed);
	}
	fprintf(f, "write_protected=%d\n", st->write_protected);
	put_faults(f, &st->file_faults);
	if (fflush(f) != 0 || ferror(f)) {
		int e = errno;
		fclose(f);
		unlink(tmp);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "emulator: writing %s", tmp);
	}
	fclose(f);
	if (rename(tmp, path) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: renaming %s", tmp);
	return DM_OK;
}
