#include "mkimage/source/import_rr.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t make_time(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
			 int8_t off)
{
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return 0;
	/* The offset from GMT in 15-minute intervals, -48 (west) to +52 (east). */
	int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (off >= -48 && off <= 52)
		t -= (int64_t)off * 900;
	return t;
}

int64_t rr_import_date7(const uint8_t *p)
{
	return make_time(1900 + (int64_t)p[0], p[1], p[2], p[3], p[4], p[5], (int8_t)p[6]);
}

static int digits(const uint8_t *p, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*out = v;
	return 1;
}

int64_t rr_import_date17(const uint8_t *p)
{
	unsigned y, mo, d, h, mi, s;
	if (!digits(p, 4, &y) || !digits(p + 4, 2, &mo) || !digits(p + 6, 2, &d) ||
	    !digits(p + 8, 2, &h) || !digits(p + 10, 2, &mi) || !digits(p + 12, 2, &s) || !y)
		return 0;
	return make_time(y, mo, d, h, mi, s, (int8_t)p[16]);
}

typedef struct rr_state {
	rr_import *out;
	const char *where;
	dm_ctx *ctx;
	int sl_open;             /* the last SL component continues in the next one */
	int sl_more;             /* the last SL entry continues in the next entry */
	int nm_more;
	uint32_t ce_lba, ce_off, ce_len; /* the continuation area to read next, when ce_len */
} rr_state;

static dm_status bad(rr_state *s, const char *what)
{
	return dm_fail(s->ctx, DM_ERR_INVALID, "damaged Rock Ridge entries of %s: %s", s->where, what);
}

static dm_status append(rr_state *s, char *buf, size_t *len, size_t max, const void *p, size_t n,
			const char *what)
{
	if (*len + n > max)
		return bad(s, what);
	memcpy(buf + *len, p, n);
	*len += n;
	buf[*len] = '\0';
	return DM_OK;
}

/* RRIP 4.1.3.1: component records of one SL entry. */
static dm_status sl_components(rr_state *s, const uint8_t *p, size_t n)
{
	rr_import *o = s->out;
	static const char too_long[] = "a symbolic link target longer than 4095 bytes";
	for (size_t at = 0; at < n;) {
		if (n - at < 2 || (size_t)p[at + 1] > n - at - 2)
			return bad(s, "an SL component record runs past its entry");
		uint8_t flags = p[at], clen = p[at + 1];
		const uint8_t *text = p + at + 2;
		at += 2u + clen;
		dm_status st;
		/* A separator unless this continues the previous component. */
		if (!s->sl_open && o->target_len && !(o->target_len == 1 && o->target[0] == '/') &&
		    (st = append(s, o->target, &o->target_len, RRI_TARGET_MAX, "/", 1, too_long)))
			return st;
		if (flags & 0x08) { /* ROOT */
			if (o->target_len)
				return bad(s, "an SL ROOT component after the first");
			if ((st = append(s, o->target, &o->target_len, RRI_TARGET_MAX, "/", 1, too_long)))
				return st;
		} else if (flags & 0x02) {
			st = append(s, o->target, &o->target_len, RRI_TARGET_MAX, ".", 1, too_long);
		} else if (flags & 0x04) {
			st = append(s, o->target, &o->target_len, RRI_TARGET_MAX, "..", 2, too_long);
		} else {
			if (memchr(text, 0, clen) || memchr(text, '/', clen))
				return bad(s, "an SL component holds '/' or NUL");
			st = append(s, o->target, &o->target_len, RRI_TARGET_MAX, text, clen, too_long);
		}
		if (st)
			return st;
		s->sl_open = flags & 0x01;
	}
	return DM_OK;
}

static dm_status entry(rr_state *s, const uint8_t *e, size_t len)
{
	rr_import *o = s->out;
	const uint8_t *d = e + 4;
	size_t n = len - 4;
	char sig[3] = {(char)e[0], (char)e[1], 0};
	if (!strcmp(sig, "SP")) {
		if (n < 3 || d[0] != 0xBE || d[1] != 0xEF)
			return bad(s, "an SP entry without its check bytes");
		o->have |= RRI_SP;
		o->sp_skip = d[2];
	} else if (!strcmp(sig, "CE")) {
		if (n < 24)
			return bad(s, "a short CE entry");
		if (s->ce_len)
			return bad(s, "two CE entries in one area");
		s->ce_lba = dm_get_le32(d);
		s->ce_off = dm_get_le32(d + 8);
		s->ce_len = dm_get_le32(d + 16);
		if (!s->ce_len || s->ce_off >= 2048 || s->ce_len > RRI_AREA_MAX - s->ce_off)
			return bad(s, "a CE continuation area of impossible size or offset");
	} else if (!strcmp(sig, "PX")) {
		if (n < 32)
			return bad(s, "a short PX entry");
		o->mode = dm_get_le32(d);
		o->nlink = dm_get_le32(d + 8);
		o->uid = dm_get_le32(d + 16);
		o->gid = dm_get_le32(d + 24);
		o->have |= RRI_PX;
		if (n >= 40) {
			o->serial = dm_get_le32(d + 32);
			o->have |= RRI_SERIAL;
		}
	} else if (!strcmp(sig, "PN")) {
		if (n < 16)
			return bad(s, "a short PN entry");
		o->rdev = (uint64_t)dm_get_le32(d) << 32 | dm_get_le32(d + 8);
		o->have |= RRI_PN;
	} else if (!strcmp(sig, "CL") || !strcmp(sig, "PL")) {
		if (n < 8)
			return bad(s, "a short CL or PL entry");
		if (sig[0] == 'C') {
			o->cl_lba = dm_get_le32(d);
			o->have |= RRI_CL;
		} else {
			o->pl_lba = dm_get_le32(d);
			o->have |= RRI_PL;
		}
	} else if (!strcmp(sig, "RE")) {
		o->have |= RRI_RE;
	} else if (!strcmp(sig, "NM")) {
		if (n < 1)
			return bad(s, "a short NM entry");
		if (d[0] & 0x06) {
			o->have |= RRI_NM_DOT;
		} else {
			if (o->have & RRI_NM && !s->nm_more)
				return bad(s, "two NM names");
			if (memchr(d + 1, 0, n - 1) || memchr(d + 1, '/', n - 1))
				return bad(s, "an NM name holds '/' or NUL");
			dm_status st = append(s, o->name, &o->name_len, RRI_NAME_MAX, d + 1, n - 1,
					      "a name longer than 255 bytes");
			if (st)
				return st;
			o->have |= RRI_NM;
			s->nm_more = d[0] & 0x01;
		}
	} else if (!strcmp(sig, "SL")) {
		if (n < 1)
			return bad(s, "a short SL entry");
		if (o->have & RRI_SL && !s->sl_more)
			return bad(s, "two SL targets");
		o->have |= RRI_SL;
		s->sl_more = d[0] & 0x01;
		return sl_components(s, d + 1, n - 1);
	} else if (!strcmp(sig, "TF")) {
		if (n < 1)
			return bad(s, "a short TF entry");
		uint8_t f = d[0];
		size_t w = (f & 0x80) ? 17 : 7, at = 1;
		/* RRIP 4.1.6: creation, modify, access, attributes, backup, expiration, effective. */
		for (int bit = 0; bit < 7; bit++) {
			if (!(f & (1u << bit)))
				continue;
			if (at + w > n)
				return bad(s, "a TF entry shorter than its flags say");
			int64_t t = w == 17 ? rr_import_date17(d + at) : rr_import_date7(d + at);
			if (bit == 1) {
				o->mtime = t;
				o->have |= RRI_MTIME;
			} else if (bit == 2) {
				o->atime = t;
				o->have |= RRI_ATIME;
			} else if (bit == 3) {
				o->ctime = t;
				o->have |= RRI_CTIME;
			}
			at += w;
		}
	}
	return DM_OK;
}

/* The entries of one area; *stop when an ST entry ends them. */
static dm_status area(rr_state *s, const uint8_t *p, size_t len, int *stop)
{
	size_t at = 0;
	*stop = 0;
	while (len - at >= 4) {
		const uint8_t *e = p + at;
		/* Padding: the rest of the area is zeros (SUSP 4: the area may end with a pad byte). */
		if (e[0] == 0)
			break;
		size_t elen = e[2];
		if (elen < 4 || elen > len - at)
			return bad(s, "an entry runs past its area");
		if (e[0] == 'S' && e[1] == 'T') {
			*stop = 1;
			return DM_OK;
		}
		dm_status st = entry(s, e, elen);
		if (st)
			return st;
		at += elen;
	}
	return DM_OK;
}

dm_status rr_import_parse(const uint8_t *su, size_t len, const mk_prev_reader *r, rr_import *out,
			  const char *where, dm_ctx *ctx)
{
	memset(out, 0, offsetof(rr_import, name));
	out->name_len = out->target_len = 0;
	out->name[0] = out->target[0] = '\0';
	rr_state s = {.out = out, .where = where, .ctx = ctx};
	int stop;
	dm_status st = area(&s, su, len, &stop);
	uint8_t *buf = NULL;
	for (unsigned n = 0; !st && !stop && s.ce_len; n++) {
		if (n == RRI_MAX_AREAS) {
			st = bad(&s, "more than 32 continuation areas");
			break;
		}
		uint32_t sectors = (s.ce_off + s.ce_len + 2047) / 2048;
		if (s.ce_lba >= r->end || sectors > r->end - s.ce_lba) {
			st = dm_fail(ctx, DM_ERR_INVALID,
				     "damaged Rock Ridge entries of %s: a continuation area at LBA %u lies "
				     "past the end of %s (%u sectors)", where, s.ce_lba, r->name, r->end);
			break;
		}
		if (!buf && !(buf = malloc(RRI_AREA_MAX))) {
			st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			break;
		}
		if ((st = r->read(r->user, s.ce_lba, sectors, buf, ctx)))
			break;
		uint32_t off = s.ce_off, clen = s.ce_len;
		s.ce_len = 0;
		st = area(&s, buf + off, clen, &stop);
	}
	free(buf);
	if (!st && (s.nm_more || s.sl_more || s.sl_open))
		st = bad(&s, "a name or link target that says it continues, and does not");
	return st;
}
