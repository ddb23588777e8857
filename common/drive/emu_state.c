/* The emulated disc's state as key=value text: the settings a spec or DM_EMU_FAULTS gives
 * and the trailer of the disc file (emu_file.c) share this one parser and printer. */
#include "common/drive/emu_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void no_faults(emu_faults *f)
{
	memset(f, 0, sizeof(*f));
	f->write_error_lba = -1;
	f->read_error_lba = -1;
	f->remove_after_writes = -1;
	f->power_loss_after_writes = -1;
	f->underrun_after_writes = -1;
}

void emu_state_init(emu_state *st)
{
	memset(st, 0, sizeof(*st));
	no_faults(&st->faults);
	no_faults(&st->file_faults);
}

void emu_state_blank(emu_state *st, const emu_medium *m)
{
	emu_faults keep = st->faults, keep_file = st->file_faults;
	memset(st, 0, sizeof(*st));
	st->faults = keep;
	st->file_faults = keep_file;
	st->medium = m;
	st->capacity = m->capacity;
	st->area = m->area > m->capacity ? m->area : m->capacity;
	st->status = EMU_BLANK;
	st->formatted = m->born_formatted;
	if (m->layers == 2)
		st->layer0 = m->capacity / 2 / m->ecc_blocks * m->ecc_blocks;
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

/* Fault keys: where each lives in emu_faults and its largest value. */
enum fkind { F_I64, F_UNS, F_BOOL };
static const struct fault_key {
	const char *name;
	size_t off;
	enum fkind kind;
	uint64_t max;
} fault_keys[] = {
	{ "write_error_lba", offsetof(emu_faults, write_error_lba), F_I64, UINT32_MAX },
	{ "read_error_lba", offsetof(emu_faults, read_error_lba), F_I64, UINT32_MAX },
	{ "not_ready", offsetof(emu_faults, not_ready), F_UNS, 1000000 },
	{ "no_media", offsetof(emu_faults, no_media), F_BOOL, 1 },
	{ "remove_after_writes", offsetof(emu_faults, remove_after_writes), F_I64, UINT32_MAX },
	{ "busy_after_close", offsetof(emu_faults, busy_after_close), F_UNS, 1000000 },
	{ "unit_attention", offsetof(emu_faults, unit_attention), F_BOOL, 1 },
	{ "write_delay_ms", offsetof(emu_faults, write_delay_ms), F_UNS, 60000 },
	{ "power_loss_after_writes", offsetof(emu_faults, power_loss_after_writes), F_I64,
	  UINT32_MAX },
	{ "underrun_after_writes", offsetof(emu_faults, underrun_after_writes), F_I64,
	  UINT32_MAX },
	{ "format_interrupt", offsetof(emu_faults, format_interrupt), F_BOOL, 1 },
	{ "blank_interrupt", offsetof(emu_faults, blank_interrupt), F_BOOL, 1 },
	{ "op_polls", offsetof(emu_faults, op_polls), F_UNS, 1000 },
	{ "op_ms", offsetof(emu_faults, op_ms), F_UNS, 3600000 },
	{ "sync", offsetof(emu_faults, sync), F_BOOL, 1 },
};

static int set_fault(emu_faults *f, const struct fault_key *k, uint64_t v)
{
	char *p = (char *)f + k->off;
	if (v > k->max)
		return 0;
	if (k->kind == F_I64)
		*(int64_t *)(void *)p = (int64_t)v;
	else if (k->kind == F_UNS)
		*(unsigned *)(void *)p = (unsigned)v;
	else
		*(int *)(void *)p = v != 0;
	return 1;
}

static dm_status set_track(emu_state *st, const char *value, dm_ctx *ctx)
{
	unsigned long long a, b, c, pregap = 0;
	unsigned s, mode = 0, flags = 0, raw = 0;
	int closed, damaged = 0;
	int n = sscanf(value, "%llu,%llu,%llu,%u,%d,%d,%u,%u,%u,%llu", &a, &b, &c, &s, &closed,
		       &damaged, &mode, &flags, &raw, &pregap);
	if (n < 5 || a > UINT32_MAX || b > UINT32_MAX || c > UINT32_MAX || s == 0 ||
	    s > EMU_MAX_TRACKS || mode > EMU_MODE2 || flags > 15 || (flags & 4) || raw > 1 ||
	    pregap > 450000)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad track line '%s'", value);
	if (st->n_tracks >= EMU_MAX_TRACKS)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: more than %d tracks", EMU_MAX_TRACKS);
	emu_track *t = &st->tracks[st->n_tracks++];
	t->start = (uint32_t)a;
	t->size = (uint32_t)b;
	t->reserved = (uint32_t)c;
	t->session = s;
	t->closed = closed != 0;
	t->damaged = damaged != 0;
	t->mode = (uint8_t)mode;
	t->flags = (uint8_t)flags;
	t->raw = (uint8_t)raw;
	t->pregap = (uint32_t)pregap;
	t->n_index = 0;
	t->isrc[0] = '\0';
	return DM_OK;
}

/* "T,REST": the track T (1-based, already listed) that a per-track line is about. */
static emu_track *line_track(emu_state *st, const char *value, const char **rest)
{
	char *end;
	unsigned long tno = strtoul(value, &end, 10);
	if (end == value || *end != ',' || tno == 0 || tno > st->n_tracks)
		return NULL;
	*rest = end + 1;
	return &st->tracks[tno - 1];
}

static dm_status set_index(emu_state *st, const char *value, dm_ctx *ctx)
{
	const char *p;
	emu_track *t = line_track(st, value, &p);
	if (!t)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad index line '%s'", value);
	t->n_index = 0;
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || (*end && *end != ',') || t->n_index >= EMU_MAX_INDEX || v < -450000 ||
		    v > 450000)
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad index line '%s'", value);
		t->index[t->n_index++] = (int32_t)v;
		p = *end ? end + 1 : end;
	}
	return DM_OK;
}

/* ISRC: 2 country and 3 owner characters (0-9, A-Z), 7 digits (year, serial). */
int emu_isrc_valid(const char *s)
{
	if (strlen(s) != 12)
		return 0;
	for (int i = 0; i < 12; i++) {
		int digit = s[i] >= '0' && s[i] <= '9', upper = s[i] >= 'A' && s[i] <= 'Z';
		if (!(digit || (i < 5 && upper)))
			return 0;
	}
	return 1;
}

int emu_mcn_valid(const char *s)
{
	if (strlen(s) != 13)
		return 0;
	for (int i = 0; i < 13; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static dm_status set_cdtext(emu_state *st, const char *value, dm_ctx *ctx)
{
	char *end;
	unsigned long sess = strtoul(value, &end, 10);
	size_t len = *end == ',' ? strlen(end + 1) : 0;
	if (end == value || *end != ',' || sess == 0 || sess > EMU_MAX_TRACKS || len == 0 ||
	    len % 36 || len / 36 > EMU_CDTEXT_MAX)
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad cdtext line");
	const char *h = end + 1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad cdtext line");
		st->cdtext[i] = (uint8_t)(hi << 4 | lo);
	}
	st->cdtext_packs = (unsigned)(len / 36);
	st->cdtext_session = (unsigned)sess;
	return DM_OK;
}

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
	if (strcmp(key, "track") == 0)
		return set_track(st, value, ctx);
	if (strcmp(key, "index") == 0)
		return set_index(st, value, ctx);
	if (strcmp(key, "cdtext") == 0)
		return set_cdtext(st, value, ctx);
	if (strcmp(key, "isrc") == 0) {
		const char *p;
		emu_track *t = line_track(st, value, &p);
		if (!t || !emu_isrc_valid(p))
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad isrc line '%s'", value);
		memcpy(t->isrc, p, 13);
		return DM_OK;
	}
	if (strcmp(key, "mcn") == 0) {
		if (!emu_mcn_valid(value))
			return dm_fail(ctx, DM_ERR_INVALID, "emulator: bad mcn '%s'", value);
		memcpy(st->mcn, value, 14);
		return DM_OK;
	}
	if (!parse_u64(value, &v))
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: %s=%s is not a number", key, value);
	for (size_t i = 0; i < sizeof(fault_keys) / sizeof(fault_keys[0]); i++)
		if (strcmp(key, fault_keys[i].name) == 0) {
			if (!set_fault(&st->faults, &fault_keys[i], v))
				break;
			if (st->persist)
				set_fault(&st->file_faults, &fault_keys[i], v);
			return DM_OK;
		}
	if (strcmp(key, "capacity") == 0 && v > 0 && v <= UINT32_MAX - EMU_TRAILER_BYTES)
		st->capacity = (uint32_t)v;
	else if (strcmp(key, "area") == 0 && v > 0 && v <= UINT32_MAX - EMU_TRAILER_BYTES)
		st->area = (uint32_t)v;
	else if (strcmp(key, "formatted") == 0)
		st->formatted = v != 0;
	else if (strcmp(key, "bg_format") == 0 && v <= 3)
		st->bg_format = (int)v;
	else if (strcmp(key, "damage") == 0 && v <= 2)
		st->damage = (int)v;
	else if (strcmp(key, "layer0") == 0 && v <= UINT32_MAX)
		st->layer0 = (uint32_t)v;
	else if (strcmp(key, "layer0_set") == 0)
		st->layer0_set = v != 0;
	else if (strcmp(key, "sessions") == 0 && v <= EMU_MAX_TRACKS)
		st->sessions = (unsigned)v;
	else if (strcmp(key, "write_protected") == 0)
		st->write_protected = v != 0;
	else if (strcmp(key, "persist") == 0)
		st->persist = v != 0;
	else
		return dm_fail(ctx, DM_ERR_INVALID, "emulator: unknown or out-of-range setting %s=%s",
			       key, value);
	return DM_OK;
}

static dm_status apply(emu_state *st, const char *settings, const char *seps, dm_ctx *ctx)
{
	char *copy = strdup(settings);
	if (!copy)
		return dm_fail(ctx, DM_ERR_NOMEM, "emulator: out of memory");
	/* persist=1 anywhere in the string applies to all of it. */
	int was = st->persist;
	if (strstr(settings, "persist=1"))
		st->persist = 1;
	dm_status rc = DM_OK;
	char *save = NULL;
	for (char *tok = strtok_r(copy, seps, &save); tok && rc == DM_OK;
	     tok = strtok_r(NULL, seps, &save)) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			rc = dm_fail(ctx, DM_ERR_INVALID, "emulator: setting '%s' has no '='", tok);
			break;
		}
		*eq = '\0';
		rc = emu_state_set(st, tok, eq + 1, ctx);
	}
	st->persist = was;
	free(copy);
	return rc;
}

dm_status emu_state_apply(emu_state *st, const char *settings, dm_ctx *ctx)
{
	return apply(st, settings, ",&", ctx);
}

dm_status emu_state_apply_lines(emu_state *st, const char *text, dm_ctx *ctx)
{
	return apply(st, text, "\n", ctx);
}

typedef struct out {
	char *buf;
	size_t cap, len;
} out;

static void addf(out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->len < o->cap ? o->buf + o->len : NULL,
			  o->len < o->cap ? o->cap - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void put_faults(out *o, const emu_faults *x)
{
	emu_faults none;
	no_faults(&none);
	for (size_t i = 0; i < sizeof(fault_keys) / sizeof(fault_keys[0]); i++) {
		const struct fault_key *k = &fault_keys[i];
		const char *p = (const char *)x + k->off, *q = (const char *)&none + k->off;
		if (k->kind == F_I64 && *(const int64_t *)(const void *)p !=
						*(const int64_t *)(const void *)q)
			addf(o, "%s=%" PRId64 "\n", k->name, *(const int64_t *)(const void *)p);
		else if (k->kind != F_I64 && *(const int *)(const void *)p !=
						     *(const int *)(const void *)q)
			addf(o, "%s=%u\n", k->name, *(const unsigned *)(const void *)p);
	}
}

size_t emu_state_format(const emu_state *st, char *buf, size_t cap)
{
	out o = { buf, cap, 0 };
	addf(&o, "medium=%s\narea=%u\ncapacity=%u\nstatus=%s\nformatted=%d\nbg_format=%d\n"
		 "damage=%d\n", st->medium->name, st->area, st->capacity, status_names[st->status],
	     st->formatted, st->bg_format, st->damage);
	if (st->medium->layers == 2)
		addf(&o, "layer0=%u\nlayer0_set=%d\n", st->layer0, st->layer0_set);
	addf(&o, "sessions=%u\n", st->sessions);
	for (unsigned i = 0; i < st->n_tracks; i++) {
		const emu_track *t = &st->tracks[i];
		addf(&o, "track=%u,%u,%u,%u,%d,%d,%u,%u,%u,%u\n", t->start, t->size, t->reserved,
		     t->session, t->closed, t->damaged, t->mode, t->flags, t->raw, t->pregap);
	}
	for (unsigned i = 0; i < st->n_tracks; i++) {
		const emu_track *t = &st->tracks[i];
		if (t->n_index) {
			addf(&o, "index=%u", i + 1);
			for (unsigned x = 0; x < t->n_index; x++)
				addf(&o, ",%d", t->index[x]);
			addf(&o, "\n");
		}
		if (t->isrc[0])
			addf(&o, "isrc=%u,%s\n", i + 1, t->isrc);
	}
	if (st->mcn[0])
		addf(&o, "mcn=%s\n", st->mcn);
	if (st->cdtext_packs) {
		addf(&o, "cdtext=%u,", st->cdtext_session);
		for (size_t i = 0; i < (size_t)st->cdtext_packs * 18; i++)
			addf(&o, "%02x", st->cdtext[i]);
		addf(&o, "\n");
	}
	addf(&o, "write_protected=%d\n", st->write_protected);
	put_faults(&o, &st->file_faults);
	return o.len;
}
