/* The UDF side of mkimage --previous (import.h): the anchor (ECMA-167 3/8.4.2.1), the volume
 * descriptor sequence (3/8.4.3: PVD, PD, LVD with type 1 and metadata partition maps, then
 * the terminator; the reserve sequence when the main one is damaged), the integrity
 * descriptor (3/10.10), the file set descriptor (4/14.1) and, for a pure UDF session, the
 * directory hierarchy breadth first: file entries and extended file entries (4/14.9,
 * 4/14.17) of strategy 4, short, long and embedded allocation descriptors (4/14.14), FIDs
 * (4/14.4) with OSTA CS0 names. Files are kept as references to their old extents: the
 * next session's partition starts where this one's does, so their addresses stay valid.
 * Every descriptor is checked (tag checksum, CRC, location) and every address against its
 * partition and the end of the disc; a damaged session is refused naming the LBA. */
#include "mkimage/source/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_plan.h"
#include "mkimage/udf/udf_tag.h"

#define SECTOR 2048u
#define VDS_MAX 64u              /* descriptors of one sequence, continuations included */
#define DIR_MAX (64u << 20)      /* bytes of one directory */
#define DEPTH_MAX 1024u
#define EXT_MAX 4096u            /* allocation descriptors of one file */
#define META_EXT_MAX 1024u       /* extents of the metadata file */
#define LINK_MAX_BYTES 65536u     /* a symlink's path components */

typedef struct meta_ext {
	uint32_t lbn, blocks;    /* in the physical partition */
} meta_ext;

typedef struct uvol {
	int have_pd, have_lvd;
	uint32_t pd_vdsn, lvd_vdsn;
	uint16_t part_num;
	uint32_t part_start, part_len;
	unsigned rev;
	uint32_t nmaps;
	uint8_t map_kind[2];     /* 1: the physical partition; 2: the metadata partition */
	uint16_t map_part[2];    /* the partition number each map names */
	uint32_t meta_file, meta_mirror;
	meta_ext *mext;
	uint32_t nmext;
	uint32_t lvid_len, lvid_lba;
	uint32_t fsd_lbn;
	uint16_t fsd_part;
	uint32_t main_vds, main_len, reserve_vds, reserve_len; /* from the anchor (bytes) */
	char volume_id[33];
} uvol;

typedef struct ujob {
	mk_node *node;
	uint16_t part;
	uint32_t lbn;
	uint32_t depth;
} ujob;

typedef struct uimp {
	mk_tree *t;
	const mk_prev_reader *r;
	dm_ctx *ctx;
	mk_import_info *info;
	uvol v;
	ujob *q;
	size_t qhead, qlen, qcap;
	uint64_t *seen;          /* directories' ICBs: part << 32 | lbn, + 1 (0: empty) */
	size_t seen_cap, seen_n;
	uint8_t *dbuf;           /* the directory (or symlink) being read */
	size_t dcap;
	uint32_t *dlbn;          /* each block of it: its logical block (FID tag locations) */
	size_t dlcap;
	uint64_t dir_bytes;      /* read so far: on a sound disc, at most the disc (a directory's
				    blocks are its own), which bounds the work of any input */
	char path[4096];
} uimp;

static dm_status nomem(uimp *im) { return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory"); }

static dm_status damaged(uimp *im, const char *what, uint32_t lba)
{
	return dm_fail(im->ctx, DM_ERR_INVALID, "the previous session in %s is damaged: %s: %s (LBA %u)",
		       im->r->name, im->path[0] ? im->path : "/", what, lba);
}

static dm_status unsupported(uimp *im, const char *what, uint32_t lba)
{
	return dm_fail(im->ctx, DM_ERR_UNSUPPORTED, "the previous session in %s: %s: %s (LBA %u): not "
		       "supported", im->r->name, im->path[0] ? im->path : "/", what, lba);
}

static dm_status read_sector(uimp *im, uint32_t lba, uint8_t *buf, const char *what)
{
	if (lba >= im->r->end)
		return dm_fail(im->ctx, DM_ERR_INVALID,
			       "the previous session in %s is damaged: %s at LBA %u lies past its end "
			       "(%u sectors)", im->r->name, what, lba, im->r->end);
	return im->r->read(im->r->user, lba, 1, buf, im->ctx);
}

static dm_status bad_tag(uimp *im, const char *what, udf_tag_fault f, uint32_t lba)
{
	char msg[200];
	snprintf(msg, sizeof(msg), "%s with %s", what, udf_tag_fault_name(f));
	return damaged(im, msg, lba);
}

/* 1/7.3 timestamp to seconds since 1970 (type 1: local time with its offset). */
static int64_t get_time(const uint8_t *p)
{
	uint16_t tz = dm_get_le16(p);
	int year = (int16_t)dm_get_le16(p + 2);
	unsigned mon = p[4], day = p[5], hour = p[6], min = p[7], sec = p[8];
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0;
	/* Days from civil (proleptic Gregorian). */
	int y = year - (mon <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	int64_t t = days * 86400 + hour * 3600 + min * 60 + sec;
	int off = tz & 0x0FFF;
	if (off & 0x0800)
		off -= 0x1000;
	if ((tz >> 12) == 1 && off != -2047)
		t -= (int64_t)off * 60;
	return t;
}

/* ---- Volume structures ---- */

/* A dstring (1/7.2.12) to UTF-8, cut to cap - 1 bytes at a character. */
static void get_dstring(const uint8_t *f, size_t size, char *out, size_t cap)
{
	out[0] = '\0';
	size_t len = f[size - 1];
	if (!len || len > size - 1)
		return;
	char tmp[4 * 256 + 8];
	long n = udf_cs0_decode(f, len, tmp, sizeof(tmp));
	if (n <= 0)
		return;
	size_t k = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
	while (k && k < (size_t)n && ((uint8_t)tmp[k] & 0xC0) == 0x80)
		k--;
	memcpy(out, tmp, k);
	out[k] = '\0';
}

static dm_status take_lvd(uimp *im, const uint8_t *s, uint32_t lba)
{
	uvol *v = &im->v;
	uint32_t vdsn = dm_get_le32(s + 16);
	if (v->have_lvd && vdsn < v->lvd_vdsn)
		return DM_OK;
	if (dm_get_le32(s + 212) != SECTOR)
		return unsupported(im, "a logical block size other than 2048", lba);
	if (memcmp(s + 217, "*OSTA UDF Compliant", 19))
		return unsupported(im, "a logical volume of another domain than OSTA UDF", lba);
	v->rev = dm_get_le16(s + 240);
	v->fsd_lbn = dm_get_le32(s + 252);
	v->fsd_part = dm_get_le16(s + 256);
	uint32_t mt_l = dm_get_le32(s + 264), n_pm = dm_get_le32(s + 268);
	v->lvid_len = dm_get_le32(s + 432);
	v->lvid_lba = dm_get_le32(s + 436);
	if (mt_l > SECTOR - 440)
		return damaged(im, "partition maps that run past the logical volume descriptor", lba);
	if (n_pm < 1 || n_pm > 2)
		return unsupported(im, "a logical volume of other than one or two partition maps", lba);
	const uint8_t *m = s + 440, *end = s + 440 + mt_l;
	for (uint32_t i = 0; i < n_pm; i++) {
		if (end - m < 2 || m[1] < 2 || m[1] > end - m)
			return damaged(im, "a partition map that runs past the others", lba);
		if (m[0] == 1 && m[1] == 6) {
			v->map_kind[i] = 1;
			v->map_part[i] = dm_get_le16(m + 4);
		} else if (m[0] == 2 && m[1] == 64 && !memcmp(m + 5, "*UDF Metadata Partition", 23)) {
			v->map_kind[i] = 2;
			v->map_part[i] = dm_get_le16(m + 38);
			v->meta_file = dm_get_le32(m + 40);
			v->meta_mirror = dm_get_le32(m + 44);
		} else {
			return unsupported(im, "a partition map other than type 1 and metadata (virtual "
					   "or sparable partitions)", lba);
		}
		m += m[1];
	}
	v->nmaps = n_pm;
	v->lvd_vdsn = vdsn;
	v->have_lvd = 1;
	get_dstring(s + 84, 128, v->volume_id, sizeof(v->volume_id));
	return DM_OK;
}

/* One volume descriptor sequence from lba (len bytes), following continuation pointers. */
static dm_status read_vds(uimp *im, uint32_t lba, uint32_t len, uint8_t *s)
{
	uvol *v = &im->v;
	v->have_pd = v->have_lvd = 0;
	uint32_t n = len / SECTOR;
	for (uint32_t k = 0, hops = 0; k < VDS_MAX; k++) {
		if (!n)
			return damaged(im, "a volume descriptor sequence without a terminator", lba);
		dm_status st = read_sector(im, lba, s, "a UDF volume descriptor");
		if (st)
			return st;
		uint16_t id = dm_get_le16(s);
		if (id == 0 && k) /* the rest is unrecorded (3/8.4.2: the extent may be longer) */
			break;
		udf_tag_fault f = udf_tag_check(s, SECTOR, id, lba);
		if (f || id < UDF_TAG_PVD || id > UDF_TAG_TD || id == UDF_TAG_AVDP)
			return bad_tag(im, "a volume descriptor", f ? f : UDF_TAG_BAD_ID, lba);
		if (id == UDF_TAG_TD)
			break;
		switch (id) {
		case UDF_TAG_VDP: /* 3/10.3: the sequence goes on elsewhere */
			if (++hops > 8)
				return damaged(im, "more than 8 volume descriptor pointers", lba);
			n = dm_get_le32(s + 20) / SECTOR;
			lba = dm_get_le32(s + 24);
			continue;
		case UDF_TAG_PD: {
			uint32_t vdsn = dm_get_le32(s + 16);
			if (v->have_pd && dm_get_le16(s + 22) != v->part_num)
				return unsupported(im, "a volume of more than one partition", lba);
			if (v->have_pd && vdsn < v->pd_vdsn)
				break;
			if (memcmp(s + 25, "+NSR02", 6) && memcmp(s + 25, "+NSR03", 6))
				return unsupported(im, "a partition that holds no NSR file structure", lba);
			v->part_num = dm_get_le16(s + 22);
			v->part_start = dm_get_le32(s + 188);
			v->part_len = dm_get_le32(s + 192);
			v->pd_vdsn = vdsn;
			v->have_pd = 1;
			break;
		}
		case UDF_TAG_LVD:
			if ((st = take_lvd(im, s, lba)))
				return st;
			break;
		default: /* IUVD, USD: nothing the next session needs */
			break;
		}
		lba++;
		n--;
	}
	if (!v->have_pd || !v->have_lvd)
		return damaged(im, "a volume descriptor sequence without a partition or a logical "
			       "volume descriptor", lba);
	for (uint32_t i = 0; i < v->nmaps; i++)
		if (v->map_part[i] != v->part_num)
			return unsupported(im, "a partition map naming a partition the sequence does not "
					   "describe", lba);
	return DM_OK;
}

/* The anchor at lba, and its main (else reserve) sequence. */
static dm_status read_anchor(uimp *im, uint32_t lba, uint8_t *s)
{
	dm_status st = read_sector(im, lba, s, "the UDF anchor");
	if (st)
		return st;
	udf_tag_fault f = udf_tag_check(s, SECTOR, UDF_TAG_AVDP, lba);
	if (f)
		return bad_tag(im, "the UDF anchor volume descriptor pointer", f, lba);
	uint32_t mlen = dm_get_le32(s + 16), mloc = dm_get_le32(s + 20);
	uint32_t rlen = dm_get_le32(s + 24), rloc = dm_get_le32(s + 28);
	st = read_vds(im, mloc, mlen, s);
	im->v.main_vds = mloc;
	im->v.main_len = mlen;
	im->v.reserve_vds = rloc;
	im->v.reserve_len = rlen;
	if (st && rlen) { /* 3/8.4.2: the reserve sequence is a copy */
		dm_clear(im->ctx);
		st = read_vds(im, rloc, rlen, s);
	}
	return st;
}

/* The logical sector of block lbn of partition reference part. */
static dm_status block_lba(uimp *im, uint16_t part, uint32_t lbn, uint32_t *lba)
{
	uvol *v = &im->v;
	if (part >= v->nmaps)
		return damaged(im, "an address in a partition the volume does not have", lbn);
	if (v->map_kind[part] == 2) {
		uint64_t acc = 0;
		uint32_t i = 0;
		for (; i < v->nmext; i++) {
			if (lbn < acc + v->mext[i].blocks)
				break;
			acc += v->mext[i].blocks;
		}
		if (i == v->nmext)
			return damaged(im, "an address past the end of the metadata partition", lbn);
		uint64_t phys = (uint64_t)v->mext[i].lbn + (lbn - acc);
		if (phys >= v->part_len)
			return damaged(im, "a metadata file extent past the end of its partition", lbn);
		lbn = (uint32_t)phys;
	}
	if (lbn >= v->part_len)
		return damaged(im, "an address past the end of its partition", lbn);
	*lba = v->part_start + lbn;
	return DM_OK;
}

static dm_status read_block(uimp *im, uint16_t part, uint32_t lbn, uint8_t *buf, const char *what)
{
	uint32_t lba;
	dm_status st = block_lba(im, part, lbn, &lba);
	return st ? st : read_sector(im, lba, buf, what);
}

/* ---- File entries ---- */

typedef struct fe_view {
	uint8_t ftype, adtype;
	uint16_t icb_flags, nlink;
	uint32_t uid, gid, perm;
	uint64_t size, unique_id;
	int64_t atime, mtime, ctime;
	const uint8_t *ea, *ad;
	uint32_t ea_len, ad_len;
	uint32_t lba;            /* where it was read (messages) */
	uint16_t part;
} fe_view;

static dm_status read_fe(uimp *im, uint16_t part, uint32_t lbn, uint8_t *buf, fe_view *fe)
{
	uint32_t lba;
	dm_status st = block_lba(im, part, lbn, &lba);
	if (st || (st = read_sector(im, lba, buf, "a UDF file entry")))
		return st;
	uint16_t id = dm_get_le16(buf);
	if (id != UDF_TAG_FE && id != UDF_TAG_EFE)
		return damaged(im, "no file entry where a FID or the file set points", lba);
	udf_tag_fault f = udf_tag_check(buf, SECTOR, id, lbn);
	if (f)
		return bad_tag(im, "a file entry", f, lba);
	uint16_t strategy = dm_get_le16(buf + 20);
	if (strategy != 4)
		return unsupported(im, "an ICB of strategy other than 4", lba);
	memset(fe, 0, sizeof(*fe));
	fe->lba = lba;
	fe->part = part;
	fe->ftype = buf[27];
	fe->icb_flags = dm_get_le16(buf + 34);
	fe->adtype = fe->icb_flags & 7;
	fe->uid = dm_get_le32(buf + 36);
	fe->gid = dm_get_le32(buf + 40);
	fe->perm = dm_get_le32(buf + 44);
	fe->nlink = dm_get_le16(buf + 48);
	fe->size = dm_get_le64(buf + 56);
	size_t hdr;
	if (id == UDF_TAG_FE) {
		fe->atime = get_time(buf + 72);
		fe->mtime = get_time(buf + 84);
		fe->ctime = get_time(buf + 96);
		fe->unique_id = dm_get_le64(buf + 160);
		hdr = 176;
	} else {
		fe->atime = get_time(buf + 80);
		fe->mtime = get_time(buf + 92);
		fe->ctime = get_time(buf + 116);
		fe->unique_id = dm_get_le64(buf + 200);
		hdr = 216;
	}
	uint64_t lea = dm_get_le32(buf + hdr - 8), lad = dm_get_le32(buf + hdr - 4);
	if (hdr + lea + lad > SECTOR)
		return damaged(im, "a file entry whose attributes and allocation descriptors run "
			       "past its block", lba);
	fe->ea = buf + hdr;
	fe->ea_len = (uint32_t)lea;
	fe->ad = buf + hdr + lea;
	fe->ad_len = (uint32_t)lad;
	if (fe->adtype != UDF_AD_SHORT && fe->adtype != UDF_AD_LONG && fe->adtype != UDF_AD_EMBEDDED)
		return unsupported(im, "extended allocation descriptors", lba);
	if (fe->adtype == UDF_AD_EMBEDDED && fe->size != lad)
		return damaged(im, "embedded data whose length is not the file's", lba);
	return DM_OK;
}

typedef struct uext {
	uint16_t part;
	uint32_t lbn, len;
} uext;

/* The recorded extents of fe, into ext (EXT_MAX); *n gets their number. */
static dm_status fe_extents(uimp *im, const fe_view *fe, uext *ext, uint32_t *n)
{
	size_t per = fe->adtype == UDF_AD_SHORT ? 8 : 16;
	uint64_t total = 0;
	*n = 0;
	for (size_t pos = 0; pos + per <= fe->ad_len; pos += per) {
		const uint8_t *a = fe->ad + pos;
		uint32_t raw = dm_get_le32(a), len = raw & 0x3FFFFFFFu, type = raw >> 30;
		if (!len)
			break;
		if (type == 3)
			return unsupported(im, "allocation descriptors continued in another extent", fe->lba);
		if (type != 0)
			return unsupported(im, "an unrecorded (sparse) extent", fe->lba);
		if (*n == EXT_MAX)
			return unsupported(im, "a file of more than 4096 extents", fe->lba);
		ext[*n] = (uext){per == 8 ? fe->part : dm_get_le16(a + 8), dm_get_le32(a + 4), len};
		(*n)++;
		total += len;
	}
	if (total < fe->size)
		return damaged(im, "allocation descriptors shorter than the file", fe->lba);
	return DM_OK;
}

/* The whole content of a directory or a symlink (at most max bytes) into im->dbuf, with
 * each block's logical block number in im->dlbn. */
static dm_status read_content(uimp *im, const fe_view *fe, uint64_t max, uext *ext)
{
	if (fe->size > max)
		return unsupported(im, max == DIR_MAX ? "a directory larger than 64 MiB"
						      : "a symbolic link target larger than 64 KiB",
				   fe->lba);
	size_t bytes = (size_t)(fe->size + SECTOR - 1) / SECTOR * SECTOR + SECTOR;
	if (bytes > im->dcap) {
		uint8_t *b = realloc(im->dbuf, bytes);
		if (!b)
			return nomem(im);
		im->dbuf = b;
		im->dcap = bytes;
	}
	size_t blocks = bytes / SECTOR;
	if (blocks > im->dlcap) {
		uint32_t *l = realloc(im->dlbn, blocks * sizeof(*l));
		if (!l)
			return nomem(im);
		im->dlbn = l;
		im->dlcap = blocks;
	}
	if (fe->adtype == UDF_AD_EMBEDDED) {
		memcpy(im->dbuf, fe->ad, fe->ad_len);
		im->dlbn[0] = UINT32_MAX; /* FIDs in the FE: their tag location is the FE's (ignored) */
		return DM_OK;
	}
	uint32_t n;
	dm_status st = fe_extents(im, fe, ext, &n);
	if (st)
		return st;
	uint64_t got = 0;
	size_t b = 0;
	for (uint32_t i = 0; i < n && got < fe->size; i++) {
		uint32_t nb = (ext[i].len + SECTOR - 1) / SECTOR;
		if (i + 1 < n && ext[i].len % SECTOR)
			return damaged(im, "an extent that is not whole blocks before the last", fe->lba);
		for (uint32_t k = 0; k < nb && got < fe->size; k++, b++) {
			if (ext[i].lbn + (uint64_t)k > UINT32_MAX)
				return damaged(im, "an extent past the end of its partition", fe->lba);
			if ((st = read_block(im, ext[i].part, ext[i].lbn + k, im->dbuf + b * SECTOR,
					     "a directory or symlink block")))
				return st;
			im->dlbn[b] = ext[i].lbn + k;
			got += SECTOR;
		}
	}
	return DM_OK;
}

/* ---- The tree ---- */

static int seen_add(uimp *im, uint64_t key)
{
	key++;
	if (im->seen_n * 2 >= im->seen_cap) {
		size_t cap = im->seen_cap ? im->seen_cap * 2 : 1024;
		uint64_t *s = calloc(cap, sizeof(*s));
		if (!s)
			return -1;
		for (size_t i = 0; i < im->seen_cap; i++) {
			uint64_t v = im->seen[i];
			if (!v)
				continue;
			size_t h = (size_t)(v * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
			while (s[h])
				h = (h + 1) & (cap - 1);
			s[h] = v;
		}
		free(im->seen);
		im->seen = s;
		im->seen_cap = cap;
	}
	size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (im->seen_cap - 1);
	for (; im->seen[h]; h = (h + 1) & (im->seen_cap - 1))
		if (im->seen[h] == key)
			return 1;
	im->seen[h] = key;
	im->seen_n++;
	return 0;
}

/* A directory to read: its file entry at lbn of part (read at LBA lba, for messages). */
static dm_status push(uimp *im, mk_node *n, uint16_t part, uint32_t lbn, uint32_t lba,
		      uint32_t depth)
{
	if (depth > DEPTH_MAX)
		return damaged(im, "directories nested more than 1024 deep", lba);
	int s = seen_add(im, (uint64_t)part << 32 | lbn);
	if (s < 0)
		return nomem(im);
	if (s)
		return damaged(im, "a directory loop (a directory reached twice)", lba);
	if (im->qlen == im->qcap) {
		size_t cap = im->qcap ? im->qcap * 2 : 256;
		ujob *q = realloc(im->q, cap * sizeof(*q));
		if (!q)
			return nomem(im);
		im->q = q;
		im->qcap = cap;
	}
	im->q[im->qlen++] = (ujob){n, part, lbn, depth};
	return DM_OK;
}

static void set_attrs(mk_node *n, const fe_view *fe, uint32_t type_bits)
{
	uint32_t p = fe->perm;
	uint32_t mode = ((p >> 10) & 7) << 6 | ((p >> 5) & 7) << 3 | (p & 7);
	if (fe->icb_flags & (1u << 6))
		mode |= S_ISUID;
	if (fe->icb_flags & (1u << 7))
		mode |= S_ISGID;
	if (fe->icb_flags & (1u << 8))
		mode |= S_ISVTX;
	n->mode = type_bits | mode;
	/* UDF 3.3.3.1: 0xFFFFFFFF is "no owner". */
	n->uid = fe->uid == UINT32_MAX ? 0 : fe->uid;
	n->gid = fe->gid == UINT32_MAX ? 0 : fe->gid;
	n->mtime = fe->mtime;
	n->atime = fe->atime;
	n->ctime = fe->ctime;
}

/* Keys of the tree's link table no source file has: a UDF file entry by its partition and
 * block (the ISO side uses UINT64_MAX - size and UINT64_MAX - 2^48). */
#define KEY_ICB(part) (UINT64_MAX - ((uint64_t)1 << 47) - (part))

static dm_status file_data(uimp *im, mk_node *n, const fe_view *fe, uint32_t icb_lbn, uext *ext)
{
	mk_data *d = mk_tree_data(im->t, KEY_ICB(fe->part), icb_lbn, fe->nlink > 1 ? 2 : 1);
	if (!d)
		return nomem(im);
	n->data = d;
	if (d->nlink > 1) { /* the same file entry reached again: a hard link */
		im->info->links++;
		return DM_OK;
	}
	d->size = fe->size;
	d->node = n;
	mk_dsrc *s = mk_tree_dsrc_add(im->t, d);
	if (!s)
		return nomem(im);
	im->info->files++;
	im->info->bytes += fe->size;
	if (fe->adtype == UDF_AD_EMBEDDED) { /* in the old FE: written anew, in the new session */
		uint8_t *b = dm_arena_bytes(mk_tree_arena(im->t), fe->ad_len ? fe->ad_len : 1);
		if (!b)
			return nomem(im);
		memcpy(b, fe->ad, fe->ad_len);
		s->kind = MK_DSRC_INLINE;
		s->bytes = b;
		return DM_OK;
	}
	s->kind = MK_DSRC_OLD;
	if (!fe->size)
		return DM_OK;
	uint32_t n_ext;
	dm_status st = fe_extents(im, fe, ext, &n_ext);
	if (st)
		return st;
	/* One run of blocks of the physical partition (the next session points at it whole). */
	uint64_t next = 0, got = 0;
	for (uint32_t i = 0; i < n_ext && got < fe->size; i++) {
		if (ext[i].part >= im->v.nmaps || im->v.map_kind[ext[i].part] != 1)
			return unsupported(im, "file data outside the physical partition", fe->lba);
		if (i && ext[i].lbn != next) {
			char msg[160];
			snprintf(msg, sizeof(msg), "a file whose extents are not contiguous (block %u, "
				 "then %u)", (unsigned)next, ext[i].lbn);
			return unsupported(im, msg, fe->lba);
		}
		if (got + ext[i].len < fe->size && ext[i].len % SECTOR)
			return damaged(im, "an extent that is not whole blocks before the last", fe->lba);
		next = (uint64_t)ext[i].lbn + (ext[i].len + SECTOR - 1) / SECTOR;
		got += ext[i].len;
	}
	uint64_t blocks = (fe->size + SECTOR - 1) / SECTOR;
	uint64_t first = ext[0].lbn;
	if (first + blocks > im->v.part_len || im->v.part_start + first + blocks > im->r->end)
		return dm_fail(im->ctx, DM_ERR_INVALID,
			       "the previous session in %s is damaged: %s: its extent at LBA %llu (%llu "
			       "bytes) lies past the end of its partition or the disc (%u sectors)",
			       im->r->name, im->path, (unsigned long long)(im->v.part_start + first),
			       (unsigned long long)fe->size, im->r->end);
	d->lba = im->v.part_start + (uint32_t)first;
	return DM_OK;
}

/* A symlink's path components (4/14.16.1) to its target. */
static dm_status symlink_target(uimp *im, mk_node *n, const uint8_t *p, size_t len, uint32_t lba)
{
	/* Each component's bytes give at most 4 bytes of UTF-8 per 2 (16-bit) or 2 per 1. */
	size_t cap = 2 * len + 8;
	char *out = malloc(cap);
	if (!out)
		return nomem(im);
	dm_status st = DM_OK;
	size_t o = 0;
	int need_sep = 0;
	for (size_t pos = 0; pos < len && !st;) {
		if (len - pos < 4) {
			st = damaged(im, "a symbolic link whose path component runs past it", lba);
			break;
		}
		uint8_t type = p[pos], l = p[pos + 1];
		if ((size_t)l > len - pos - 4) {
			st = damaged(im, "a symbolic link whose path component runs past it", lba);
			break;
		}
		const uint8_t *id = p + pos + 4;
		pos += 4u + l;
		char comp[4 * 256 + 8];
		long cl;
		switch (type) {
		case 1: /* the root (2: the root of this file system, for us the same) */
		case 2:
			o = 0;
			out[o++] = '/';
			need_sep = 0;
			continue;
		case 3: strcpy(comp, ".."); cl = 2; break;
		case 4: strcpy(comp, "."); cl = 1; break;
		case 5:
			cl = udf_cs0_decode(id, l, comp, sizeof(comp));
			if (cl <= 0)
				st = damaged(im, "a symbolic link with a bad name component", lba);
			break;
		default:
			st = damaged(im, "a symbolic link with an unknown component type", lba);
			cl = 0;
			break;
		}
		if (st)
			break;
		if (o + (size_t)cl + 2 > cap) {
			st = damaged(im, "a symbolic link target too long", lba);
			break;
		}
		if (need_sep)
			out[o++] = '/';
		memcpy(out + o, comp, (size_t)cl);
		o += (size_t)cl;
		need_sep = 1;
	}
	if (!st && !o)
		st = damaged(im, "a symbolic link with an empty target", lba);
	if (!st && !(n->target = dm_arena_strndup(mk_tree_arena(im->t), out, o)))
		st = nomem(im);
	free(out);
	return st;
}

/* A device's numbers: the device specification extended attribute (4/14.10.7). */
static void device_numbers(const fe_view *fe, mk_node *n)
{
	const uint8_t *ea = fe->ea;
	uint32_t len = fe->ea_len;
	if (len < 24 || dm_get_le16(ea) != UDF_TAG_EAHD)
		return;
	for (uint32_t pos = 24; pos + 12 <= len;) {
		uint32_t type = dm_get_le32(ea + pos), alen = dm_get_le32(ea + pos + 8);
		if (alen < 12 || alen > len - pos)
			return;
		if (type == 12 && ea[pos + 4] == 1 && alen >= 24) {
			n->rdev = makedev(dm_get_le32(ea + pos + 16), dm_get_le32(ea + pos + 20));
			return;
		}
		pos += alen;
	}
}

static void path_set(uimp *im, const mk_node *dir, const char *name)
{
	size_t n = mk_node_image_path(dir, im->path, sizeof(im->path));
	if (n == 1)
		n = 0;
	snprintf(im->path + n, sizeof(im->path) - n, "/%s", name);
}

/* One FID's entry: its file entry read and made a node of dir. */
static dm_status add_entry(uimp *im, const ujob *job, const char *name, size_t name_len,
			   int fid_dir, int hidden, uint16_t part, uint32_t lbn, uint8_t *feb,
			   uext *ext)
{
	path_set(im, job->node, name);
	fe_view fe;
	dm_status st = read_fe(im, part, lbn, feb, &fe);
	if (st)
		return st;
	mk_type type;
	uint32_t bits;
	switch (fe.ftype) {
	case UDF_FT_DIR: type = MK_DIR; bits = S_IFDIR; break;
	case UDF_FT_FILE: case 0: type = MK_FILE; bits = S_IFREG; break;
	case UDF_FT_SYMLINK: type = MK_SYMLINK; bits = S_IFLNK; break;
	case UDF_FT_BLKDEV: type = MK_BLKDEV; bits = S_IFBLK; break;
	case UDF_FT_CHRDEV: type = MK_CHRDEV; bits = S_IFCHR; break;
	case UDF_FT_FIFO: type = MK_FIFO; bits = S_IFIFO; break;
	case UDF_FT_SOCKET: type = MK_SOCKET; bits = S_IFSOCK; break;
	default: return unsupported(im, "a file entry of an unknown file type", fe.lba);
	}
	if ((type == MK_DIR) != fid_dir)
		return damaged(im, "a FID whose directory flag contradicts its file entry", fe.lba);
	mk_node *n = mk_tree_add(im->t, job->node, name, name_len, type);
	if (!n)
		return nomem(im);
	set_attrs(n, &fe, bits);
	n->flags = MK_OLD | (hidden ? MK_HIDDEN : 0);
	switch (type) {
	case MK_DIR:
		im->info->dirs++;
		return push(im, n, part, lbn, fe.lba, job->depth + 1);
	case MK_FILE:
		return file_data(im, n, &fe, lbn, ext);
	case MK_SYMLINK:
		im->info->udf_special = 1;
		if ((st = read_content(im, &fe, LINK_MAX_BYTES, ext)))
			return st;
		return symlink_target(im, n, im->dbuf, (size_t)fe.size, fe.lba);
	case MK_BLKDEV:
	case MK_CHRDEV:
		device_numbers(&fe, n);
		/* fall through */
	default:
		im->info->udf_special = 1;
		return DM_OK;
	}
}

static dm_status read_dir(uimp *im, const ujob *job, uint8_t *feb, uext *ext)
{
	mk_node_image_path(job->node, im->path, sizeof(im->path));
	fe_view fe;
	dm_status st = read_fe(im, job->part, job->lbn, feb, &fe);
	if (st)
		return st;
	if (fe.ftype != UDF_FT_DIR)
		return damaged(im, "a directory's file entry that is not a directory", fe.lba);
	im->dir_bytes += fe.size;
	if (im->dir_bytes > (uint64_t)im->r->end * SECTOR)
		return damaged(im, "directories larger than the disc (blocks shared between "
			       "directories)", fe.lba);
	if ((st = read_content(im, &fe, DIR_MAX, ext)))
		return st;
	/* The directory's FIDs are in im->dbuf; entries' file entries are read into feb, and
	 * symlink targets into im->dbuf: keep a copy of the FIDs. */
	size_t size = (size_t)fe.size;
	uint8_t *fids = malloc(size ? size : 1);
	uint32_t *lbns = malloc(((size + SECTOR - 1) / SECTOR + 1) * sizeof(*lbns));
	if (!fids || !lbns) {
		free(fids);
		free(lbns);
		return nomem(im);
	}
	memcpy(fids, im->dbuf, size);
	memcpy(lbns, im->dlbn, ((size + SECTOR - 1) / SECTOR + (size ? 0 : 1)) * sizeof(*lbns));
	int embedded = fe.adtype == UDF_AD_EMBEDDED;
	uint32_t dir_lba = fe.lba;
	for (size_t pos = 0; pos < size && !st;) {
		const uint8_t *f = fids + pos;
		uint32_t at = embedded ? dir_lba : lbns[pos / SECTOR];
		if (size - pos < 38) {
			st = damaged(im, "a FID that runs past its directory", at);
			break;
		}
		uint8_t chars = f[18], l_fi = f[19];
		uint16_t l_iu = dm_get_le16(f + 36);
		size_t len = 38u + l_iu + l_fi;
		if (len > size - pos) {
			st = damaged(im, "a FID that runs past its directory", at);
			break;
		}
		/* Tag location (4/7.2.8): the block the FID starts in; in an FE, the FE's. */
		udf_tag_fault tf = udf_tag_check(f, size - pos, UDF_TAG_FID,
						 embedded ? job->lbn : lbns[pos / SECTOR]);
		if (tf) {
			st = bad_tag(im, "a file identifier descriptor", tf, at);
			break;
		}
		pos += (len + 3) & ~(size_t)3;
		if (chars & (UDF_FID_PARENT | UDF_FID_DELETED))
			continue;
		char name[4 * 256 + 8];
		long nl = udf_cs0_decode(f + 38 + l_iu, l_fi, name, sizeof(name));
		if (nl <= 0 || (nl == 1 && name[0] == '.') || (nl == 2 && !memcmp(name, "..", 2))) {
			path_set(im, job->node, "?");
			st = damaged(im, "a FID with an empty or bad name ('/', NUL, '.' or '..', or "
				     "not CS0)", at);
			break;
		}
		uint32_t icb_lbn = dm_get_le32(f + 24);
		uint16_t icb_part = dm_get_le16(f + 28);
		st = add_entry(im, job, name, (size_t)nl, (chars & UDF_FID_DIR) != 0,
			       (chars & UDF_FID_HIDDEN) != 0, icb_part, icb_lbn, feb, ext);
	}
	free(fids);
	free(lbns);
	return st;
}

/* The metadata file (UDF 2.2.13): its FE, else its mirror's. */
static dm_status read_meta_file(uimp *im, uint8_t *feb)
{
	uvol *v = &im->v;
	uint16_t phys = v->map_kind[0] == 1 ? 0 : 1;
	dm_status st = DM_ERR_INVALID;
	uint32_t locs[2] = {v->meta_file, v->meta_mirror};
	for (int k = 0; k < 2 && st; k++) {
		fe_view fe;
		if (k)
			dm_clear(im->ctx);
		if ((st = read_fe(im, phys, locs[k], feb, &fe)))
			continue;
		if (fe.ftype != (k ? UDF_FT_META_MIRROR : UDF_FT_META) || fe.adtype != UDF_AD_SHORT) {
			st = damaged(im, "a metadata file entry of the wrong kind", fe.lba);
			continue;
		}
		free(v->mext);
		v->mext = NULL;
		v->nmext = 0;
		uint32_t n = fe.ad_len / 8;
		if (n > META_EXT_MAX) {
			st = unsupported(im, "a metadata file of more than 1024 extents", fe.lba);
			continue;
		}
		v->mext = calloc(n ? n : 1, sizeof(*v->mext));
		if (!v->mext)
			return nomem(im);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t raw = dm_get_le32(fe.ad + 8 * i), len = raw & 0x3FFFFFFFu;
			if (!len)
				break;
			if (raw >> 30) {
				st = unsupported(im, "a metadata file with unrecorded extents", fe.lba);
				break;
			}
			v->mext[v->nmext++] = (meta_ext){dm_get_le32(fe.ad + 8 * i + 4), len / SECTOR};
		}
	}
	return st;
}

/* The volume: anchor, sequence, integrity, and (metadata partition) the metadata file. */
static dm_status read_volume(uimp *im, uint32_t start, uint8_t *s)
{
	uvol *v = &im->v;
	mk_import_info *info = im->info;
	im->path[0] = '\0';
	/* 3/8.4.2.1: the anchor at 256 of the session; else the disc's last sector or the one
	 * 256 before it, when they describe this session (the last one). */
	uint32_t anchors[3] = {start + 256, im->r->end - 1, im->r->end > 257 ? im->r->end - 257 : 0};
	dm_status st = read_anchor(im, anchors[0], s);
	for (int i = 1; i < 3 && st; i++) {
		if (anchors[i] <= start + 256)
			continue;
		char first[512];
		snprintf(first, sizeof(first), "%s", dm_last_msg(im->ctx));
		dm_clear(im->ctx);
		memset(v, 0, sizeof(*v));
		st = read_anchor(im, anchors[i], s);
		if (!st && v->main_vds < start)
			st = DM_ERR_INVALID;
		if (st) { /* the first anchor's message says most */
			dm_clear(im->ctx);
			dm_fail(im->ctx, DM_ERR_INVALID, "%s", first);
			st = DM_ERR_INVALID;
		}
	}
	if (st)
		return st;
	if (!udf_rev_valid(v->rev))
		return unsupported(im, "a UDF revision mkimage does not write", start + 256);
	if ((uint64_t)v->part_start + v->part_len > im->r->end)
		return damaged(im, "a partition past the end of the disc", start + 256);
	int phys = 0;
	for (uint32_t i = 0; i < v->nmaps; i++)
		phys += v->map_kind[i] == 1;
	if (phys != 1)
		return unsupported(im, "a logical volume without one physical partition map", start + 256);
	if (v->nmaps == 2 && v->map_kind[0] == 2)
		return unsupported(im, "a metadata partition map before the physical one", start + 256);
	if (v->nmaps == 2 && (st = read_meta_file(im, s)))
		return st;
	/* The integrity descriptor: the next unique ID (UDF 3.2.1). */
	info->udf_next_uid = 16;
	if (v->lvid_len >= SECTOR) {
		if ((st = read_sector(im, v->lvid_lba, s, "the UDF integrity descriptor")))
			return st;
		udf_tag_fault f = udf_tag_check(s, SECTOR, UDF_TAG_LVID, v->lvid_lba);
		if (f)
			return bad_tag(im, "the logical volume integrity descriptor", f, v->lvid_lba);
		info->udf_next_uid = dm_get_le64(s + 40);
	}
	info->udf_rev = v->rev;
	info->udf_part_start = v->part_start;
	return DM_OK;
}

static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* The end of the session: past its partition, its descriptor sequences and integrity
 * extent, and every anchor of it (one after the partition and the last, 256 after it, as
 * mkimage writes them; the disc's last sector and 256 before it, as mkudffs does). */
static uint32_t volume_end(uimp *im, uint8_t *s)
{
	uvol *v = &im->v;
	uint64_t pend = (uint64_t)v->part_start + v->part_len;
	uint64_t end = pend;
	end = max64(end, (uint64_t)v->main_vds + v->main_len / SECTOR);
	end = max64(end, (uint64_t)v->reserve_vds + v->reserve_len / SECTOR);
	end = max64(end, (uint64_t)v->lvid_lba + v->lvid_len / SECTOR);
	uint64_t cand[4] = {pend, pend + 256, (uint64_t)im->r->end - 1,
			    im->r->end > 257 ? (uint64_t)im->r->end - 257 : 0};
	for (int i = 0; i < 4; i++) {
		uint64_t a = cand[i];
		if (a < 256 || a >= im->r->end || a + 1 <= end)
			continue;
		if (im->r->read(im->r->user, (uint32_t)a, 1, s, im->ctx)) {
			dm_clear(im->ctx);
			continue;
		}
		if (!udf_tag_check(s, SECTOR, UDF_TAG_AVDP, (uint32_t)a) &&
		    dm_get_le32(s + 20) == v->main_vds)
			end = a + 1;
	}
	return end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
}

int mk_import_udf_pure(const mk_prev_reader *r, uint32_t start, dm_ctx *ctx)
{
	uint8_t s[SECTOR];
	if ((uint64_t)start + 16 >= r->end || r->read(r->user, start + 16, 1, s, ctx)) {
		dm_clear(ctx);
		return 0;
	}
	return s[0] == 0 && !memcmp(s + 1, "BEA01", 5);
}

dm_status mk_import_udf_volume(const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			       dm_ctx *ctx)
{
	uimp im = {.r = r, .ctx = ctx, .info = info};
	uint8_t *s = malloc(SECTOR);
	if (!s)
		return nomem(&im);
	dm_status st = read_volume(&im, start, s);
	if (!st) {
		if (!info->udf)
			info->udf = 1;
		if (info->udf == 2) {
			info->session_start = start;
			info->volume_end = volume_end(&im, s);
			memcpy(info->volume_id, im.v.volume_id, sizeof(info->volume_id));
		}
	}
	free(im.v.mext);
	free(s);
	return st;
}

dm_status mk_import_udf_find_session(const mk_prev_reader *r, uint32_t *start, dm_ctx *ctx)
{
	if (!mk_import_udf_pure(r, 0, ctx))
		return dm_fail(ctx, DM_ERR_INVALID, "%s holds no UDF volume: no recognition sequence at LBA 16",
			       r->name);
	mk_import_info info = {.udf = 2};
	uint32_t cur = 0;
	dm_status st = mk_import_udf_volume(r, 0, &info, ctx);
	uint8_t *s = malloc(SECTOR);
	if (!s && !st)
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	while (!st) {
		uint64_t from = info.volume_end > cur ? info.volume_end : (uint64_t)cur + 1;
		uint64_t to = from + MK_IMPORT_SCAN;
		int found = 0;
		for (uint64_t l = from; l < to && l + 256 < r->end && !found; l++) {
			if (r->read(r->user, (uint32_t)l + 16, 1, s, ctx)) {
				dm_clear(ctx);
				break;
			}
			if (s[0] || memcmp(s + 1, "BEA01", 5))
				continue;
			if (r->read(r->user, (uint32_t)l + 256, 1, s, ctx)) {
				dm_clear(ctx);
				break;
			}
			if (udf_tag_check(s, SECTOR, UDF_TAG_AVDP, (uint32_t)l + 256))
				continue;
			mk_import_info next = {.udf = 2};
			if (mk_import_udf_volume(r, (uint32_t)l, &next, ctx)) {
				dm_clear(ctx);
				continue;
			}
			cur = (uint32_t)l;
			info = next;
			found = 1;
		}
		if (!found)
			break;
	}
	free(s);
	if (!st)
		*start = cur;
	return st;
}

dm_status mk_import_udf(mk_tree *t, const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			dm_ctx *ctx)
{
	memset(info, 0, sizeof(*info));
	info->udf = 2;
	uimp im = {.t = t, .r = r, .ctx = ctx, .info = info};
	uint8_t *feb = malloc(SECTOR);
	uext *ext = malloc(EXT_MAX * sizeof(*ext));
	dm_status st = feb && ext ? read_volume(&im, start, feb) : nomem(&im);
	if (st)
		goto out;
	info->session_start = start;
	info->volume_end = volume_end(&im, feb);
	memcpy(info->volume_id, im.v.volume_id, sizeof(info->volume_id));
	/* The file set descriptor, then the root. */
	uint32_t lba;
	if ((st = block_lba(&im, im.v.fsd_part, im.v.fsd_lbn, &lba)) ||
	    (st = read_sector(&im, lba, feb, "the UDF file set descriptor")))
		goto out;
	udf_tag_fault f = udf_tag_check(feb, SECTOR, UDF_TAG_FSD, im.v.fsd_lbn);
	if (f) {
		st = bad_tag(&im, "the file set descriptor", f, lba);
		goto out;
	}
	uint32_t root_lbn = dm_get_le32(feb + 404);
	uint16_t root_part = dm_get_le16(feb + 408);
	mk_node *root = mk_tree_root(t);
	fe_view fe;
	if ((st = read_fe(&im, root_part, root_lbn, feb, &fe)))
		goto out;
	if (fe.ftype != UDF_FT_DIR) {
		st = damaged(&im, "a root that is not a directory", fe.lba);
		goto out;
	}
	set_attrs(root, &fe, S_IFDIR);
	if ((st = push(&im, root, root_part, root_lbn, fe.lba, 1)))
		goto out;
	while (!st && im.qhead < im.qlen) {
		ujob job = im.q[im.qhead++];
		st = read_dir(&im, &job, feb, ext);
	}
out:
	free(feb);
	free(ext);
	free(im.q);
	free(im.seen);
	free(im.dbuf);
	free(im.dlbn);
	free(im.v.mext);
	return st;
}
