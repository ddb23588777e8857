/* Rock Ridge entries (RRIP 1.12) over SUSP 1.12 for one directory record: see rockridge.h
 * for the contract, the entry order and the choices made.
 *
 * Entries are produced one at a time by a small generator (rr_gen) that is asked for "the
 * next entry, at most `cap` bytes long": fixed entries either fit or not, NM and SL entries
 * are cut to the room offered. The layout loop fills the record, then continuation areas,
 * with what the generator gives; a trial run on a copy of the generator tells whether the
 * rest fits without a CE. Nothing depends on locations but the CE fields, so the sizing
 * call and the real call give the same lengths. */
#include "mkimage/iso/rockridge.h"

#include <inttypes.h>
#include <string.h>

#include "common/dm_endian.h"
#include "mkimage/iso/iso_dirrec.h"

/* Entry lengths (LEN_SUE) of the fixed entries and limits of the variable ones. */
#define SUE_MAX 255          /* LEN_SUE is one byte (SUSP 4.1) */
#define SP_LEN 7             /* SUSP 5.3 */
#define PX_LEN 44            /* RRIP 1.12 4.1.1 (36 in RRIP 1.10, without the serial) */
#define PN_LEN 20            /* RRIP 4.1.2 */
#define TF_LEN (5 + 3 * 7)   /* RRIP 4.1.6: three 7-byte times */
#define CL_LEN 12            /* RRIP 4.1.5.1 */
#define PL_LEN 12            /* RRIP 4.1.5.2 */
#define RE_LEN 4             /* RRIP 4.1.5.3 */
#define NM_HDR 5             /* RRIP 4.1.4: signature, length, version, flags */
#define SL_HDR 5             /* RRIP 4.1.3: signature, length, version, flags */
#define SL_COMP_HDR 2        /* RRIP 4.1.3.1: component flags, length */
/* Text bytes of one component record: one record must fit one SL entry (255 - 5 - 2). */
#define SL_COMP_MAX (SUE_MAX - SL_HDR - SL_COMP_HDR)

/* NM flags (RRIP 4.1.4) and SL flags (RRIP 4.1.3); component flags (RRIP 4.1.3.1). */
#define RR_CONTINUE 0x01
#define SL_CURRENT 0x02
#define SL_PARENT 0x04
#define SL_ROOT 0x08

/* TF flags (RRIP 4.1.6): the times recorded, in this order in the entry. */
#define TF_MODIFY 0x02
#define TF_ACCESS 0x04
#define TF_ATTRIBUTES 0x08

/* POSIX file type bits (the values RRIP 4.1.1 uses for PX file mode). */
#define RR_S_IFMT 0170000
#define RR_S_IFCHR 0020000
#define RR_S_IFBLK 0060000

/* ER (SUSP 5.5, RRIP 1.12 4.3). Readers checked (their current sources):
 * - Linux fs/isofs/rock.c takes any ER in the root "." as the sign of Rock Ridge;
 * - libarchive ignores ER (it keys on SP and on the RRIP entries themselves);
 * - libisofs knows "RRIP_1991A" (1.10), "IEEE_P1282" and "IEEE_1282" (1.12) and warns about
 *   any other identifier;
 * - pycdlib accepts any ER and takes "IEEE_P1282" (or a 44-byte PX) as RRIP 1.12;
 * - some smaller readers (BrowserFS, and others matching "RRIP"/"IEEE_P1282") do not know
 *   "IEEE_1282", which libisofs writes.
 * So "IEEE_P1282", what the RRIP 1.12 draft itself specifies, with its recommended
 * descriptor and source texts: every reader above accepts it as Rock Ridge, and it does not
 * claim RRIP 1.10 ("RRIP_1991A") for entries in the 1.12 form (44-byte PX). */
static const char er_id[] = "IEEE_P1282";
static const char er_des[] = "THE IEEE P1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM "
			     "SEMANTICS.";
static const char er_src[] = "PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, "
			     "USA FOR THE P1282 SPECIFICATION.";
#define ER_LEN (8 + sizeof(er_id) - 1 + sizeof(er_des) - 1 + sizeof(er_src) - 1)

/* The entries, in the order they are written. */
enum rr_kind { K_SP, K_PX, K_TF, K_PN, K_CL, K_PL, K_RE, K_NM, K_SL, K_ER, K_END };

typedef struct rr_gen {
	const rr_attrs *a;
	enum rr_kind kind; /* next entry to produce */
	size_t nm_off;     /* NM: name bytes already written */
	int sl_root;       /* SL: the ROOT component is still to write */
	size_t sl_pos;     /* SL: start of the next component in the target (never a '/') */
	size_t sl_done;    /* SL: bytes of that component already written (in pieces) */
	int sl_trail;      /* SL: the empty component of a trailing '/' is still to write */
} rr_gen;

/* One SL component as the generator sees it next. */
typedef struct sl_comp {
	uint8_t flags;    /* SL_ROOT, SL_CURRENT, SL_PARENT, or 0: text */
	const char *text; /* text still to write (flags 0) */
	size_t len;       /* its length; 0 for the flag components and the trailing one */
	size_t next;      /* sl_pos after this component */
	int last;         /* no component follows */
} sl_comp;

static int is_device(const rr_attrs *a)
{
	uint32_t fmt = a->mode & RR_S_IFMT;
	return fmt == RR_S_IFCHR || fmt == RR_S_IFBLK;
}

static int kind_applies(const rr_attrs *a, enum rr_kind k)
{
	switch (k) {
	case K_SP: return a->is_root_dot;
	case K_PX: return 1;
	case K_TF: return 1;
	case K_PN: return is_device(a);
	case K_CL: return a->cl_lba != 0;
	case K_PL: return a->pl_lba != 0;
	case K_RE: return a->re != 0;
	case K_NM: return a->name != NULL;
	case K_SL: return a->target != NULL;
	case K_ER: return a->is_root_dot;
	case K_END: return 1;
	}
	return 1;
}

static void next_kind(rr_gen *g)
{
	do
		g->kind = (enum rr_kind)(g->kind + 1);
	while (!kind_applies(g->a, g->kind));
}

static void gen_init(rr_gen *g, const rr_attrs *a)
{
	memset(g, 0, sizeof(*g));
	g->a = a;
	if (a->target != NULL) {
		const char *t = a->target;
		size_t n = a->target_len, i = 0;
		g->sl_root = t[0] == '/';
		while (i < n && t[i] == '/')
			i++;
		g->sl_pos = i;
		/* A trailing '/' after some component (not a target of slashes only). */
		g->sl_trail = i < n && t[n - 1] == '/';
	}
	g->kind = K_SP;
	if (!kind_applies(a, g->kind))
		next_kind(g);
}

static void put_sue_header(uint8_t *p, const char sig[2], size_t len)
{
	p[0] = (uint8_t)sig[0];
	p[1] = (uint8_t)sig[1];
	p[2] = (uint8_t)len;
	p[3] = 1; /* System Use Entry version (SUSP 4.1) */
}

/* Length of the fixed entry of kind k. */
static size_t fixed_len(enum rr_kind k)
{
	switch (k) {
	case K_SP: return SP_LEN;
	case K_PX: return PX_LEN;
	case K_TF: return TF_LEN;
	case K_PN: return PN_LEN;
	case K_CL: return CL_LEN;
	case K_PL: return PL_LEN;
	case K_RE: return RE_LEN;
	case K_ER: return ER_LEN;
	default: return 0;
	}
}

/* Write the fixed entry of kind k at p. */
static void put_fixed(const rr_attrs *a, enum rr_kind k, uint8_t *p)
{
	switch (k) {
	case K_SP: /* SUSP 5.3: check bytes BE EF, LEN_SKP 0 */
		put_sue_header(p, "SP", SP_LEN);
		p[4] = 0xBE;
		p[5] = 0xEF;
		p[6] = 0;
		break;
	case K_PX: /* RRIP 4.1.1: mode, links, uid, gid, serial, each ECMA-119 7.3.3 */
		put_sue_header(p, "PX", PX_LEN);
		dm_put_both32(p + 4, a->mode);
		dm_put_both32(p + 12, a->nlink);
		dm_put_both32(p + 20, a->uid);
		dm_put_both32(p + 28, a->gid);
		dm_put_both32(p + 36, a->serial);
		break;
	case K_TF: /* RRIP 4.1.6: short form, times in flag bit order */
		put_sue_header(p, "TF", TF_LEN);
		p[4] = TF_MODIFY | TF_ACCESS | TF_ATTRIBUTES;
		iso_put_date7(p + 5, a->mtime);
		iso_put_date7(p + 12, a->atime);
		iso_put_date7(p + 19, a->ctime);
		break;
	case K_PN: /* RRIP 4.1.2: dev_t high and low 32 bits (see rockridge.h) */
		put_sue_header(p, "PN", PN_LEN);
		dm_put_both32(p + 4, (uint32_t)(a->rdev >> 32));
		dm_put_both32(p + 12, (uint32_t)a->rdev);
		break;
	case K_CL: /* RRIP 4.1.5.1: location of the relocated directory */
		put_sue_header(p, "CL", CL_LEN);
		dm_put_both32(p + 4, a->cl_lba);
		break;
	case K_PL: /* RRIP 4.1.5.2: location of the original parent */
		put_sue_header(p, "PL", PL_LEN);
		dm_put_both32(p + 4, a->pl_lba);
		break;
	case K_RE: /* RRIP 4.1.5.3 */
		put_sue_header(p, "RE", RE_LEN);
		break;
	case K_ER: { /* SUSP 5.5 */
		size_t li = sizeof(er_id) - 1, ld = sizeof(er_des) - 1, ls = sizeof(er_src) - 1;
		put_sue_header(p, "ER", ER_LEN);
		p[4] = (uint8_t)li;
		p[5] = (uint8_t)ld;
		p[6] = (uint8_t)ls;
		p[7] = 1; /* extension version */
		memcpy(p + 8, er_id, li);
		memcpy(p + 8 + li, er_des, ld);
		memcpy(p + 8 + li + ld, er_src, ls);
		break;
	}
	default:
		break;
	}
}

/* NM (RRIP 4.1.4): as much of the rest of the name as fits in cap (at most one entry). */
static size_t gen_nm(rr_gen *g, size_t cap, uint8_t *out)
{
	size_t rest = g->a->name_len - g->nm_off;
	size_t max = cap < SUE_MAX ? cap : SUE_MAX;
	if (max < NM_HDR + 1)
		return 0;
	size_t k = rest < max - NM_HDR ? rest : max - NM_HDR;
	if (out != NULL) {
		put_sue_header(out, "NM", NM_HDR + k);
		out[4] = k < rest ? RR_CONTINUE : 0;
		memcpy(out + NM_HDR, g->a->name + g->nm_off, k);
	}
	g->nm_off += k;
	if (g->nm_off == g->a->name_len)
		next_kind(g);
	return NM_HDR + k;
}

static int sl_finished(const rr_gen *g)
{
	return !g->sl_root && g->sl_pos == g->a->target_len && !g->sl_trail;
}

static void sl_peek(const rr_gen *g, sl_comp *c)
{
	const char *t = g->a->target;
	size_t n = g->a->target_len, pos = g->sl_pos;

	memset(c, 0, sizeof(*c));
	if (g->sl_root) {
		c->flags = SL_ROOT;
		c->next = pos;
		c->last = pos == n;
		return;
	}
	if (pos == n) { /* the trailing empty component */
		c->next = n;
		c->last = 1;
		return;
	}
	size_t end = pos;
	while (end < n && t[end] != '/')
		end++;
	size_t next = end;
	while (next < n && t[next] == '/')
		next++;
	c->next = next;
	c->last = next == n && !g->sl_trail;
	if (end - pos == 1 && t[pos] == '.') {
		c->flags = SL_CURRENT;
	} else if (end - pos == 2 && t[pos] == '.' && t[pos + 1] == '.') {
		c->flags = SL_PARENT;
	} else {
		c->text = t + pos + g->sl_done;
		c->len = end - pos - g->sl_done;
	}
}

/* The component (or its last piece) is written: move to the next one. */
static void sl_advance(rr_gen *g, const sl_comp *c)
{
	if (g->sl_root)
		g->sl_root = 0;
	else if (g->sl_pos == g->a->target_len)
		g->sl_trail = 0;
	else
		g->sl_pos = c->next;
	g->sl_done = 0;
}

static void put_comp(uint8_t *body, size_t at, uint8_t flags, const char *text, size_t len)
{
	if (body == NULL)
		return;
	body[at] = flags;
	body[at + 1] = (uint8_t)len;
	if (len)
		memcpy(body + at + 2, text, len);
}

/* SL (RRIP 4.1.3): one entry of at most cap bytes holding the next components. A complete
 * component is only added while 2 bytes stay free (unless it is the last one), so that an
 * entry which must be continued can always end in a component carrying CONTINUE: a piece
 * of a text component, or else an empty component with CONTINUE (see rockridge.h). */
static size_t gen_sl(rr_gen *g, size_t cap, uint8_t *out)
{
	rr_gen s = *g;
	size_t max = cap < SUE_MAX ? cap : SUE_MAX;
	if (max < SL_HDR + SL_COMP_HDR)
		return 0;
	size_t room = max - SL_HDR, used = 0;
	int cont_last = 0;
	uint8_t *body = out != NULL ? out + SL_HDR : NULL;

	while (!sl_finished(&s)) {
		sl_comp c;
		sl_peek(&s, &c);
		size_t reserve = c.last ? 0 : SL_COMP_HDR;
		if (c.len == 0) { /* ROOT, CURRENT, PARENT, or the trailing empty one */
			if (used + SL_COMP_HDR + reserve > room)
				break;
			put_comp(body, used, c.flags, NULL, 0);
			used += SL_COMP_HDR;
			cont_last = 0;
			sl_advance(&s, &c);
			continue;
		}
		if (c.len <= SL_COMP_MAX && used + SL_COMP_HDR + c.len + reserve <= room) {
			put_comp(body, used, 0, c.text, c.len);
			used += SL_COMP_HDR + c.len;
			cont_last = 0;
			sl_advance(&s, &c);
			continue;
		}
		/* Cut a piece, leaving at least one byte for the next one. */
		size_t k = room - used > SL_COMP_HDR ? room - used - SL_COMP_HDR : 0;
		if (k > SL_COMP_MAX)
			k = SL_COMP_MAX;
		if (k > c.len - 1)
			k = c.len - 1;
		if (k == 0)
			break;
		put_comp(body, used, RR_CONTINUE, c.text, k);
		used += SL_COMP_HDR + k;
		s.sl_done += k;
		cont_last = 1;
	}
	if (used == 0)
		return 0;
	int more = !sl_finished(&s);
	if (more && !cont_last) { /* room was kept for this */
		put_comp(body, used, RR_CONTINUE, NULL, 0);
		used += SL_COMP_HDR;
	}
	if (out != NULL) {
		put_sue_header(out, "SL", SL_HDR + used);
		out[4] = more ? RR_CONTINUE : 0;
	}
	if (!more)
		next_kind(&s);
	*g = s;
	return SL_HDR + used;
}

/* The next entry if it fits in cap bytes (written at out unless NULL): its length, or 0
 * when it does not fit (the generator is then unchanged). */
static size_t gen_next(rr_gen *g, size_t cap, uint8_t *out)
{
	switch (g->kind) {
	case K_END:
		return 0;
	case K_NM:
		return gen_nm(g, cap, out);
	case K_SL:
		return gen_sl(g, cap, out);
	default: {
		size_t len = fixed_len(g->kind);
		if (len > cap)
			return 0;
		if (out != NULL)
			put_fixed(g->a, g->kind, out);
		next_kind(g);
		return len;
	}
	}
}

/* Entries in order while they fit in cap; returns the bytes used. */
static size_t fill(rr_gen *g, size_t cap, uint8_t *out)
{
	size_t used = 0, n;
	while ((n = gen_next(g, cap - used, out != NULL ? out + used : NULL)) != 0)
		used += n;
	return used;
}

static int has_byte(const char *s, size_t len, char c)
{
	return memchr(s, c, len) != NULL;
}

static dm_status check_attrs(const rr_attrs *a, size_t room, dm_ctx *ctx)
{
	if (room > SUE_MAX)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "Rock Ridge: System Use room of %zu bytes is more than a directory "
			       "record holds (255)", room);
	if (a->name != NULL) {
		if (a->name_len == 0)
			return dm_fail(ctx, DM_ERR_INVALID, "Rock Ridge: empty NM name");
		if (has_byte(a->name, a->name_len, '/') || has_byte(a->name, a->name_len, '\0'))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "Rock Ridge: NM name \"%.*s\" contains '/' or a NUL byte",
				       (int)(a->name_len < 200 ? a->name_len : 200), a->name);
	}
	if (a->target != NULL) {
		if (a->target_len == 0)
			return dm_fail(ctx, DM_ERR_INVALID, "Rock Ridge: empty symlink target");
		if (has_byte(a->target, a->target_len, '\0'))
			return dm_fail(ctx, DM_ERR_INVALID,
				       "Rock Ridge: symlink target contains a NUL byte");
	}
	return DM_OK;
}

dm_status rr_build(const rr_attrs *a, size_t room, const rr_area_loc *locs, rr_result *res,
		   dm_ctx *ctx)
{
	uint8_t *ce[RR_MAX_AREAS]; /* ce[i]: the CE entry that points to area i */
	rr_gen g;
	size_t area = 0; /* 0: the record itself; i > 0: continuation area i - 1 */

	memset(res, 0, sizeof(*res));
	dm_status st = check_attrs(a, room, ctx);
	if (st != DM_OK)
		return st;
	gen_init(&g, a);

	for (;;) {
		uint8_t *buf = area == 0 ? res->inline_bytes : res->storage + (area - 1) * RR_SECTOR;
		/* In the record, keep room for the padding byte when the length is odd. */
		size_t cap = area == 0 ? room & ~(size_t)1 : RR_SECTOR;
		size_t *len = area == 0 ? &res->inline_len : &res->area_len[area - 1];

		rr_gen trial = g;
		fill(&trial, cap, NULL);
		if (trial.kind == K_END) {
			*len = fill(&g, cap, buf);
			break;
		}
		if (cap < RR_CE_LEN)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "Rock Ridge: %zu bytes of System Use room in the directory "
				       "record, too few for a CE entry (%d)", room, RR_CE_LEN);
		size_t used = fill(&g, cap - RR_CE_LEN, buf);
		if (area > 0 && used == 0) /* cannot happen: every entry fits an empty area */
			return dm_fail(ctx, DM_ERR_INVALID,
				       "Rock Ridge: entry does not fit a continuation area");
		if (area == RR_MAX_AREAS)
			return dm_fail(ctx, DM_ERR_UNSUPPORTED,
				       "Rock Ridge: entries need more than %d continuation areas (name "
				       "of %zu bytes, symlink target of %zu bytes)", RR_MAX_AREAS,
				       a->name != NULL ? a->name_len : 0,
				       a->target != NULL ? a->target_len : 0);
		ce[area] = buf + used;
		put_sue_header(buf + used, "CE", RR_CE_LEN);
		*len = used + RR_CE_LEN;
		area++;
	}
	res->n_areas = area;

	if (a->is_root_dot && (res->inline_len < SP_LEN || res->inline_bytes[0] != 'S'))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "Rock Ridge: %zu bytes of System Use room in the root \".\" record, "
			       "too few for SP and a CE entry", room);

	if (locs == NULL)
		return DM_OK;
	for (size_t i = 0; i < res->n_areas; i++) {
		if (locs[i].offset > RR_SECTOR || res->area_len[i] > RR_SECTOR - locs[i].offset)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "Rock Ridge: continuation area %zu of %zu bytes at LBA %" PRIu32
				       " offset %" PRIu32 " crosses the end of its sector",
				       i, res->area_len[i], locs[i].lba, locs[i].offset);
		/* SUSP 5.1: block, offset and length of the area, each ECMA-119 7.3.3. */
		dm_put_both32(ce[i] + 4, locs[i].lba);
		dm_put_both32(ce[i] + 12, locs[i].offset);
		dm_put_both32(ce[i] + 20, (uint32_t)res->area_len[i]);
		res->area_bytes[i] = res->storage + i * RR_SECTOR;
	}
	return DM_OK;
}
