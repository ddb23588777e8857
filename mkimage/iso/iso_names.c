#include "mkimage/iso/iso_names.h"

#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_utf8.h"

/* ECMA-119 7.5.1 / 10.1-10.3 limits, in characters, ";1" not counted. */
#define L1_NAME 8
#define L1_EXT 3
#define L1_DIR 8
#define L2_NAME_EXT 29  /* name + ext; with the '.' 30 (conservative reading of 7.5.1) */
#define L2_EXT_KEEP 8   /* an over-long name gives up characters before the extension does */
#define L2_DIR 31       /* ECMA-119 10.2 */
#define JOLIET_MAX 103  /* JOLIET_ID_MAX bytes hold 103 characters (and room for ";1") */
#define JOLIET_EXT_KEEP 16 /* longer "extensions" are probably not extensions */
#define UNTRANSLATED_MAX 37 /* ISO_NAMES_UNTRANSLATED: xorriso -U's limit */

/* Mapped characters of one part are kept up to this many; more are only counted. */
#define PART_BUF 128

/* A candidate identifier before encoding: name part, optional '.' and extension, and ";1"
 * for files. For ISO files `dot` is always set (7.5.1 requires SEPARATOR 1). */
typedef struct shape {
	uint16_t name[PART_BUF];
	size_t nl;
	uint16_t ext[PART_BUF];
	size_t el;
	int dot;
	int file;
} shape;

typedef struct naming {
	int joliet;
	int level;          /* ISO: 1, 2 or 3 */
	unsigned max_chars; /* Joliet, and ISO with ISO_NAMES_UNTRANSLATED */
	int flags;          /* ISO: ISO_NAMES_* */
} naming;

enum { MAP_ISO, MAP_JOLIET, MAP_UNTRANSLATED };

/* Hash set of final identifiers, compared without ";1" (and, for ISO, without a trailing
 * '.'), so that a directory "A" and a file "A.;1" count as the same name. Keys are not
 * copied: a slot names the request whose id holds them. */
typedef struct id_slot {
	size_t owner;  /* request index + 1; 0: empty */
	uint32_t hash;
} id_slot;

typedef struct id_set {
	id_slot *slots;
	size_t mask;
	const iso_name_req *reqs;
	int joliet;
} id_set;

/* Counter stems (see stem_shape()) with the next counter to try for each, so that names
 * sharing a stem continue one numbering instead of each probing the same taken names again:
 * every probe that fails advances a counter for good, which keeps the work O(n). Keys are
 * the stems' encoded identifier keys, kept in a byte pool. */
typedef struct stem_slot {
	size_t off;    /* key offset in the pool + 1; 0: empty */
	uint32_t hash;
	uint32_t next;
	uint16_t len;
} stem_slot;

typedef struct stem_tab {
	stem_slot *slots;
	size_t mask, used;
	uint8_t *pool;
	size_t pool_len, pool_cap;
} stem_tab;

/* The extension separator: the last '.', unless it is the first byte (".bashrc" has no
 * extension). 0 means none. '.' never occurs inside a UTF-8 multi-byte sequence. */
static size_t last_dot(const char *s, size_t len)
{
	for (size_t i = len; i > 1; i--)
		if (s[i - 1] == '.')
			return i - 1;
	return 0;
}

static uint16_t iso_dchar(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_')
		return (uint16_t)cp;
	if (cp >= 'a' && cp <= 'z')
		return (uint16_t)(cp - 'a' + 'A');
	return '_'; /* ECMA-119 7.4.1: only d-characters in identifiers */
}

static uint16_t joliet_char(uint32_t cp)
{
	/* The Joliet specification forbids these and the control characters; UCS-2 cannot
	 * express code points outside the BMP. */
	if (cp == DM_UTF8_INVALID || cp > 0xFFFF || cp < 0x20)
		return '_';
	if (cp == '*' || cp == '/' || cp == ':' || cp == ';' || cp == '?' || cp == '\\')
		return '_';
	return (uint16_t)cp;
}

/* ISO_NAMES_UNTRANSLATED (mkisofs -U): printable ASCII as it is; ';' (the version
 * separator) and everything else '_'. */
static uint16_t raw_char(uint32_t cp)
{
	if (cp == DM_UTF8_INVALID || cp < 0x20 || cp > 0x7E || cp == ';' || cp == '/')
		return '_';
	return (uint16_t)cp;
}

/* Map src[begin, end) one character per code point (or invalid byte), keeping the first
 * PART_BUF; returns the full count. */
static size_t map_part(const char *src, size_t begin, size_t end, int map, uint16_t *out)
{
	size_t pos = 0, count = 0, len = end - begin;
	while (pos < len) {
		uint32_t cp = dm_utf8_next(src + begin, len, &pos);
		if (count < PART_BUF)
			out[count] = map == MAP_JOLIET ? joliet_char(cp) : map == MAP_UNTRANSLATED ? raw_char(cp)
											     : iso_dchar(cp);
		count++;
	}
	return count;
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void split_and_map(const iso_name_req *r, int split, int map, shape *s)
{
	size_t dot = split ? last_dot(r->src, r->src_len) : 0;
	memset(s, 0, sizeof(*s));
	s->file = !r->is_dir;
	if (dot) {
		s->nl = map_part(r->src, 0, dot, map, s->name);
		s->el = map_part(r->src, dot + 1, r->src_len, map, s->ext);
		s->dot = 1;
	} else {
		s->nl = map_part(r->src, 0, r->src_len, map, s->name);
	}
}

static void iso_shape(const iso_name_req *r, int level, shape *s)
{
	/* Directory identifiers have no extension (ECMA-119 7.6.1): every '.' maps to '_'. */
	split_and_map(r, !r->is_dir, MAP_ISO, s);
	if (r->is_dir) {
		s->nl = min_sz(s->nl, level == 1 ? L1_DIR : L2_DIR);
		return;
	}
	s->dot = 1;
	if (level == 1) {
		s->nl = min_sz(s->nl, L1_NAME);
		s->el = min_sz(s->el, L1_EXT);
	} else if (s->nl + s->el > L2_NAME_EXT) {
		/* The extension keeps what the name leaves, but at least L2_EXT_KEEP. */
		size_t left = s->nl < L2_NAME_EXT - L2_EXT_KEEP ? L2_NAME_EXT - s->nl : L2_EXT_KEEP;
		s->el = min_sz(s->el, left);
		s->nl = L2_NAME_EXT - s->el;
	}
}

/* Turn name '.' ext into one name of at most max characters (Joliet only). */
static void merge_ext(shape *s, size_t max)
{
	if (s->dot && s->nl < max) {
		s->name[s->nl++] = '.';
		size_t take = min_sz(s->el, max - s->nl);
		memcpy(s->name + s->nl, s->ext, take * sizeof(s->ext[0]));
		s->nl += take;
	}
	s->nl = min_sz(s->nl, max);
	s->el = 0;
	s->dot = 0;
}

static void joliet_shape(const iso_name_req *r, unsigned max, int map, shape *s)
{
	/* Directories are split too: that only matters for truncation ("foo.d") and counters. */
	split_and_map(r, 1, map, s);
	size_t total = s->nl + (s->dot ? 1 + s->el : 0);
	if (total <= max)
		return;
	if (s->dot && s->el <= JOLIET_EXT_KEEP && s->el + 1 <= max / 2)
		s->nl = max - 1 - s->el; /* keep ".txt" of a long "name.txt" */
	else
		merge_ext(s, max);
}

static void plain_shape(const naming *m, const iso_name_req *r, shape *s)
{
	if (m->joliet || (m->flags & ISO_NAMES_UNTRANSLATED))
		joliet_shape(r, m->max_chars, m->joliet ? MAP_JOLIET : MAP_UNTRANSLATED, s);
	else
		iso_shape(r, m->level, s);
}

/* The stem of the counter names with nd digits: the plain shape with the end of its name
 * part replaced by nd placeholder units (0, which no mapped character is), where
 * put_counter() writes the digits. Returns 0 when nd digits do not fit beside at least one
 * character of the name. */
static int stem_shape(const naming *m, const shape *plain, size_t nd, shape *s)
{
	size_t room;
	*s = *plain;
	if (m->joliet || (m->flags & ISO_NAMES_UNTRANSLATED)) {
		if (s->dot && (size_t)m->max_chars < s->el + 1 + nd + 1)
			merge_ext(s, m->max_chars);
		room = s->dot ? m->max_chars - 1 - s->el : m->max_chars;
	} else if (!s->file) {
		room = m->level == 1 ? L1_DIR : L2_DIR;
	} else if (m->level == 1) {
		room = L1_NAME;
	} else {
		/* The '.' must stay (7.5.1), so here the extension gives way to the counter. */
		if (s->el + nd + 1 > L2_NAME_EXT)
			s->el = L2_NAME_EXT - nd - 1;
		room = L2_NAME_EXT - s->el;
	}
	if (room < nd + 1)
		return 0;
	s->nl = min_sz(s->nl, room - nd);
	for (size_t i = 0; i < nd; i++)
		s->name[s->nl++] = 0;
	return 1;
}

/* Decimal digits of a counter: the stem it was given on (1-9 on one digit, 10-99 on two...). */
static size_t counter_digits(uint32_t c)
{
	size_t nd = 1;
	for (; c >= 10; c /= 10)
		nd++;
	return nd;
}

static void put_counter(shape *s, size_t nd, uint32_t c)
{
	for (size_t i = 0; i < nd; i++, c /= 10)
		s->name[s->nl - 1 - i] = (uint16_t)('0' + c % 10);
}

static void put_unit(uint8_t *out, size_t *len, int joliet, uint16_t u)
{
	if (joliet) {
		dm_put_be16(out + *len, u);
		*len += 2;
	} else {
		out[(*len)++] = (uint8_t)u;
	}
}

static void encode(const shape *s, const naming *m, uint8_t *out, uint8_t *out_len)
{
	int joliet = m->joliet;
	size_t len = 0;
	for (size_t i = 0; i < s->nl; i++)
		put_unit(out, &len, joliet, s->name[i]);
	if (s->dot) {
		put_unit(out, &len, joliet, '.');
		for (size_t i = 0; i < s->el; i++)
			put_unit(out, &len, joliet, s->ext[i]);
	}
	if (s->file && !joliet && !(m->flags & ISO_NAMES_NO_VERSION)) {
		/* ECMA-119 7.5.1: SEPARATOR 2 and File Version Number 1. Joliet file names go
		 * without it, as genisoimage and xorriso write them: Windows and isoinfo -J
		 * then find a file by its plain name. */
		put_unit(out, &len, joliet, ';');
		put_unit(out, &len, joliet, '1');
	}
	*out_len = (uint8_t)len;
}

/* The part of an identifier that must be unique among siblings. */
static size_t key_len(const uint8_t *id, size_t len, int joliet)
{
	if (joliet)
		return len; /* Joliet names carry no version */
	if (len >= 2 && id[len - 2] == ';' && id[len - 1] == '1')
		len -= 2;
	if (len >= 1 && id[len - 1] == '.')
		len--;
	return len;
}

static uint32_t hash_bytes(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The slot holding key, or the empty slot where it belongs. The set never fills: it has
 * twice as many slots as there are requests, and each request owns at most one key. */
static id_slot *set_find(const id_set *set, const uint8_t *key, size_t klen, uint32_t h)
{
	for (size_t i = h & set->mask;; i = (i + 1) & set->mask) {
		id_slot *sl = &set->slots[i];
		if (!sl->owner)
			return sl;
		if (sl->hash != h)
			continue;
		const iso_name_req *o = &set->reqs[sl->owner - 1];
		if (key_len(o->id, o->id_len, set->joliet) == klen && memcmp(o->id, key, klen) == 0)
			return sl;
	}
}

static int stems_grow(stem_tab *t)
{
	size_t cap = t->slots ? 2 * (t->mask + 1) : 64;
	stem_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return 0;
	for (size_t i = 0; t->slots && i <= t->mask; i++) {
		if (!t->slots[i].off)
			continue;
		size_t j = t->slots[i].hash & (cap - 1);
		while (slots[j].off)
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 1;
}

/* The slot of a stem, added with counter `first` when new; NULL when out of memory. */
static stem_slot *stems_get(stem_tab *t, const uint8_t *key, size_t klen, uint32_t first)
{
	uint32_t h = hash_bytes(key, klen);
	if ((!t->slots || 2 * (t->used + 1) > t->mask + 1) && !stems_grow(t))
		return NULL;
	size_t i = h & t->mask;
	for (;; i = (i + 1) & t->mask) {
		stem_slot *sl = &t->slots[i];
		if (!sl->off)
			break;
		if (sl->hash == h && sl->len == klen &&
		    memcmp(t->pool + sl->off - 1, key, klen) == 0)
			return sl;
	}
	if (t->pool_len + klen > t->pool_cap) {
		size_t cap = t->pool_cap ? 2 * t->pool_cap : 4096;
		while (cap < t->pool_len + klen)
			cap *= 2;
		uint8_t *pool = realloc(t->pool, cap);
		if (!pool)
			return NULL;
		t->pool = pool;
		t->pool_cap = cap;
	}
	memcpy(t->pool + t->pool_len, key, klen);
	stem_slot *sl = &t->slots[i];
	sl->off = t->pool_len + 1;
	sl->hash = h;
	sl->next = first;
	sl->len = (uint16_t)klen;
	t->pool_len += klen;
	t->used++;
	return sl;
}

static int src_cmp(const void *pa, const void *pb)
{
	const iso_name_req *a = *(const iso_name_req *const *)pa;
	const iso_name_req *b = *(const iso_name_req *const *)pb;
	int c = memcmp(a->src, b->src, min_sz(a->src_len, b->src_len));
	if (c)
		return c;
	if (a->src_len != b->src_len)
		return a->src_len < b->src_len ? -1 : 1;
	if (a->is_dir != b->is_dir)
		return a->is_dir ? 1 : -1;
	/* Identical sources (not possible from one real directory) keep their input order. */
	return a < b ? -1 : a > b;
}

static int name_len_for_msg(size_t len)
{
	return len > 200 ? 200 : (int)len;
}

/* Give a loser of pass 1 the first free counter name: 1-9 on the stem with one digit, then
 * 10-99 on the stem with two, and so on. */
static dm_status assign_counter(iso_name_req *r, size_t idx, const naming *m, id_set *set,
				stem_tab *stems, dm_ctx *ctx)
{
	static const uint32_t pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					  100000000, 1000000000 };
	shape plain, stem;
	uint8_t id[JOLIET_ID_MAX];
	uint8_t id_len;

	plain_shape(m, r, &plain);
	for (size_t nd = 1; nd < sizeof(pow10) / sizeof(pow10[0]); nd++) {
		if (!stem_shape(m, &plain, nd, &stem))
			break;
		encode(&stem, m, id, &id_len);
		stem_slot *ss = stems_get(stems, id, key_len(id, id_len, m->joliet),
					  nd == 1 ? 1 : pow10[nd - 1]);
		if (!ss)
			return dm_fail(ctx, DM_ERR_NOMEM, "naming \"%.*s\": out of memory",
				       name_len_for_msg(r->src_len), r->src);
		for (; ss->next < pow10[nd]; ss->next++) {
			put_counter(&stem, nd, ss->next);
			encode(&stem, m, id, &id_len);
			size_t kl = key_len(id, id_len, m->joliet);
			uint32_t h = hash_bytes(id, kl);
			id_slot *sl = set_find(set, id, kl, h);
			if (sl->owner)
				continue;
			memcpy(r->id, id, id_len);
			r->id_len = id_len;
			r->counter = ss->next;
			sl->owner = idx + 1;
			sl->hash = h;
			ss->next++;
			return DM_OK;
		}
	}
	return dm_fail(ctx, DM_ERR_UNSUPPORTED,
		       "cannot give \"%.*s\" a unique %s name: too many similar names in one "
		       "directory", name_len_for_msg(r->src_len), r->src,
		       m->joliet ? "Joliet" : "ISO 9660");
}

static dm_status assign(iso_name_req *reqs, size_t n, const naming *m, dm_ctx *ctx)
{
	const char *what = m->joliet ? "Joliet" : "ISO 9660";
	shape plain;

	if (n == 0)
		return DM_OK;
	for (size_t i = 0; i < n; i++)
		if (reqs[i].src_len == 0 || !reqs[i].src)
			return dm_fail(ctx, DM_ERR_INVALID, "%s names: entry %zu has an empty name",
				       what, i);
	if (n > SIZE_MAX / 4 / sizeof(id_slot))
		return dm_fail(ctx, DM_ERR_NOMEM, "%s names: %zu entries in one directory", what,
			       n);

	for (size_t i = 0; i < n; i++) {
		plain_shape(m, &reqs[i], &plain);
		encode(&plain, m, reqs[i].id, &reqs[i].id_len);
		reqs[i].counter = 0;
	}

	/* Assign in the order of the source bytes, so that the caller's order does not
	 * matter; the caller's array is not reordered. */
	iso_name_req **ord = malloc(n * sizeof(*ord));
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	id_set set = { calloc(cap, sizeof(id_slot)), cap - 1, reqs, m->joliet };
	if (!ord || !set.slots) {
		free(ord);
		free(set.slots);
		return dm_fail(ctx, DM_ERR_NOMEM, "%s names: out of memory for %zu entries", what,
			       n);
	}
	for (size_t i = 0; i < n; i++)
		ord[i] = &reqs[i];
	qsort(ord, n, sizeof(*ord), src_cmp);

	/* Pass 1: every plain identifier is reserved by the first source that maps to it, so
	 * no counter name taken later can shadow an entry's plain name. */
	for (size_t k = 0; k < n; k++) {
		iso_name_req *r = ord[k];
		size_t kl = key_len(r->id, r->id_len, m->joliet);
		uint32_t h = hash_bytes(r->id, kl);
		id_slot *sl = set_find(&set, r->id, kl, h);
		if (!sl->owner) {
			sl->owner = (size_t)(r - reqs) + 1;
			sl->hash = h;
		}
	}

	/* Pass 2: the others, still in source order, take counter names. */
	stem_tab stems = { 0 };
	dm_status st = DM_OK;
	for (size_t k = 0; k < n && st == DM_OK; k++) {
		iso_name_req *r = ord[k];
		size_t idx = (size_t)(r - reqs);
		size_t kl = key_len(r->id, r->id_len, m->joliet);
		if (set_find(&set, r->id, kl, hash_bytes(r->id, kl))->owner != idx + 1)
			st = assign_counter(r, idx, m, &set, &stems, ctx);
	}
	free(stems.slots);
	free(stems.pool);
	free(ord);
	free(set.slots);
	return st;
}

/* The naming of an ISO 9660 level, with its ISO_NAMES_* flags; 0 when it is none. */
static int iso_naming(int level, naming *m)
{
	int flags = level & (ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED);
	level &= ~(ISO_NAMES_NO_VERSION | ISO_NAMES_UNTRANSLATED);
	if (level < 1 || level > 3)
		return 0;
	/* -U implies -N (xorrisofs(1)): no version either. */
	if (flags & ISO_NAMES_UNTRANSLATED)
		flags |= ISO_NAMES_NO_VERSION;
	*m = (naming){ 0, level, UNTRANSLATED_MAX, flags };
	return 1;
}

dm_status iso_names_assign(iso_name_req *reqs, size_t n, int level, dm_ctx *ctx)
{
	naming m;
	if (!iso_naming(level, &m))
		return dm_fail(ctx, DM_ERR_INVALID, "ISO 9660 names: no interchange level %d",
			       level);
	return assign(reqs, n, &m, ctx);
}

dm_status joliet_names_assign(iso_name_req *reqs, size_t n, unsigned max_chars, dm_ctx *ctx)
{
	if (max_chars < 1 || max_chars > JOLIET_MAX)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "Joliet names: %u characters per name is outside 1..%d", max_chars,
			       JOLIET_MAX);
	naming m = { 1, 0, max_chars, 0 };
	return assign(reqs, n, &m, ctx);
}

/* One identifier made again: the plain shape, or the counter on the stem of its digits, as
 * assign_counter() made it. */
static size_t make(const naming *m, const char *src, size_t src_len, int is_dir, uint32_t counter,
		   uint8_t *out)
{
	iso_name_req r = {.src = src, .src_len = src_len, .is_dir = is_dir};
	shape plain, stem;
	uint8_t len;
	if (!src || src_len == 0)
		return 0;
	plain_shape(m, &r, &plain);
	if (counter == 0) {
		encode(&plain, m, out, &len);
		return len;
	}
	size_t nd = counter_digits(counter);
	if (!stem_shape(m, &plain, nd, &stem))
		return 0;
	put_counter(&stem, nd, counter);
	encode(&stem, m, out, &len);
	return len;
}

size_t iso_name_make(const char *src, size_t src_len, int is_dir, int level, uint32_t counter,
		     uint8_t *out)
{
	naming m;
	if (!iso_naming(level, &m))
		return 0;
	return make(&m, src, src_len, is_dir, counter, out);
}

size_t joliet_name_make(const char *src, size_t src_len, int is_dir, unsigned max_chars,
			uint32_t counter, uint8_t *out)
{
	if (max_chars < 1 || max_chars > JOLIET_MAX)
		return 0;
	naming m = { 1, 0, max_chars, 0 };
	return make(&m, src, src_len, is_dir, counter, out);
}

/* Parts of an identifier for ECMA-119 9.3, in units: name [0, name_end), extension
 * [ext_begin, ext_end), version after ';'. Without ';' it is a directory identifier and all
 * of it is the name part (Joliet directory names may contain '.'). */
typedef struct id_parts {
	size_t name_end, ext_begin, ext_end;
	unsigned long version; /* 0 when there is none */
} id_parts;

static uint16_t unit_at(const uint8_t *p, size_t i, int unit)
{
	return unit == 2 ? dm_get_be16(p + 2 * i) : p[i];
}

static void id_split(const uint8_t *p, size_t n, int unit, id_parts *ip)
{
	size_t semi = n;
	for (size_t i = 0; i < n; i++)
		if (unit_at(p, i, unit) == ';') {
			semi = i;
			break;
		}
	ip->name_end = ip->ext_begin = ip->ext_end = semi;
	ip->version = 0;
	if (semi == n)
		return;
	/* SEPARATOR 1 is the first '.' (7.5.1: a File Name has no '.'). */
	for (size_t i = 0; i < semi; i++)
		if (unit_at(p, i, unit) == '.') {
			ip->name_end = i;
			ip->ext_begin = i + 1;
			break;
		}
	for (size_t i = semi + 1; i < n; i++) {
		uint16_t u = unit_at(p, i, unit);
		if (u < '0' || u > '9')
			break;
		if (ip->version < 100000000ul)
			ip->version = ip->version * 10 + (u - '0');
	}
}

/* ECMA-119 9.3: the shorter part is treated as padded with (FILLER) spaces. */
static int cmp_padded(const uint8_t *a, size_t ai, size_t aj, const uint8_t *b, size_t bi,
		      size_t bj, int unit)
{
	size_t la = aj - ai, lb = bj - bi, n = la > lb ? la : lb;
	for (size_t k = 0; k < n; k++) {
		uint16_t ca = k < la ? unit_at(a, ai + k, unit) : 0x20;
		uint16_t cb = k < lb ? unit_at(b, bi + k, unit) : 0x20;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

int iso_id_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, int unit)
{
	/* The "." and ".." records (identifiers 0x00 and 0x01, ECMA-119 6.8.2.2) come first;
	 * they are one byte long in Joliet too. */
	int sa = alen == 1 && a[0] <= 1, sb = blen == 1 && b[0] <= 1;
	if (sa || sb) {
		if (sa && sb)
			return a[0] < b[0] ? -1 : a[0] > b[0];
		return sa ? -1 : 1;
	}
	if (unit != 2)
		unit = 1;
	id_parts pa, pb;
	id_split(a, alen / (size_t)unit, unit, &pa);
	id_split(b, blen / (size_t)unit, unit, &pb);
	int c = cmp_padded(a, 0, pa.name_end, b, 0, pb.name_end, unit);
	if (!c)
		c = cmp_padded(a, pa.ext_begin, pa.ext_end, b, pb.ext_begin, pb.ext_end, unit);
	if (!c && pa.version != pb.version)
		c = pa.version > pb.version ? -1 : 1; /* ECMA-119 9.3: descending version */
	if (c)
		return c;
	/* Equal under 9.3 but not the same bytes (only for identifiers 9.3 does not foresee,
	 * e.g. Joliet "a" and "a "): decide by the bytes so that the order is total. */
	c = memcmp(a, b, min_sz(alen, blen));
	if (c)
		return c < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}
