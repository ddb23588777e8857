/* The UDF volume of a previous session (import.h, import_udf.h): the anchor (ECMA-167
 * 3/8.4.2.1: at the session's start + 256, else the disc's last sector or 256 before it),
 * the volume descriptor sequence (3/8.4.3: PD, LVD with type 1 and metadata partition maps,
 * continuation pointers, the terminator; the reserve sequence when the main one is
 * damaged), the integrity descriptor (3/10.10: the next unique ID), the metadata file
 * (UDF 2.2.13, else its mirror), and file entries (4/14.9, 4/14.17) with their allocation
 * descriptors (4/14.14). Every tag's checksum, CRC and location are checked. */
#include "mkimage/source/import_udf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_plan.h"

dm_status mk_udfi_nomem(udfi *im) { return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory"); }

dm_status mk_udfi_damaged(udfi *im, const char *what, uint32_t lba)
{
	return dm_fail(im->ctx, DM_ERR_INVALID, "the previous session in %s is damaged: %s: %s (LBA %u)",
		       im->r->name, im->path[0] ? im->path : "/", what, lba);
}

dm_status mk_udfi_unsupported(udfi *im, const char *what, uint32_t lba)
{
	return dm_fail(im->ctx, DM_ERR_UNSUPPORTED, "the previous session in %s: %s: %s (LBA %u): not "
		       "supported", im->r->name, im->path[0] ? im->path : "/", what, lba);
}

dm_status mk_udfi_read_sector(udfi *im, uint32_t lba, uint8_t *buf, const char *what)
{
	if (lba >= im->r->end)
		return dm_fail(im->ctx, DM_ERR_INVALID,
			       "the previous session in %s is damaged: %s at LBA %u lies past its end "
			       "(%u sectors)", im->r->name, what, lba, im->r->end);
	return im->r->read(im->r->user, lba, 1, buf, im->ctx);
}

dm_status mk_udfi_bad_tag(udfi *im, const char *what, udf_tag_fault f, uint32_t lba)
{
	char msg[200];
	snprintf(msg, sizeof(msg), "%s with %s", what, udf_tag_fault_name(f));
	return mk_udfi_damaged(im, msg, lba);
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

static dm_status take_lvd(udfi *im, const uint8_t *s, uint32_t lba)
{
	udfi_vol *v = &im->v;
	uint32_t vdsn = dm_get_le32(s + 16);
	if (v->have_lvd && vdsn < v->lvd_vdsn)
		return DM_OK;
	if (dm_get_le32(s + 212) != UDFI_SECTOR)
		return mk_udfi_unsupported(im, "a logical block size other than 2048", lba);
	if (memcmp(s + 217, "*OSTA UDF Compliant", 19))
		return mk_udfi_unsupported(im, "a logical volume of another domain than OSTA UDF", lba);
	v->rev = dm_get_le16(s + 240);
	v->fsd_lbn = dm_get_le32(s + 252);
	v->fsd_part = dm_get_le16(s + 256);
	uint32_t mt_l = dm_get_le32(s + 264), n_pm = dm_get_le32(s + 268);
	v->lvid_len = dm_get_le32(s + 432);
	v->lvid_lba = dm_get_le32(s + 436);
	if (mt_l > UDFI_SECTOR - 440)
		return mk_udfi_damaged(im, "partition maps that run past the logical volume descriptor",
				       lba);
	if (n_pm < 1 || n_pm > 2)
		return mk_udfi_unsupported(im, "a logical volume of other than one or two partition maps",
					   lba);
	const uint8_t *m = s + 440, *end = s + 440 + mt_l;
	for (uint32_t i = 0; i < n_pm; i++) {
		if (end - m < 2 || m[1] < 2 || m[1] > end - m)
			return mk_udfi_damaged(im, "a partition map that runs past the others", lba);
		if (m[0] == 1 && m[1] == 6) {
			v->map_kind[i] = 1;
			v->map_part[i] = dm_get_le16(m + 4);
		} else if (m[0] == 2 && m[1] == 64 && !memcmp(m + 5, "*UDF Metadata Partition", 23)) {
			v->map_kind[i] = 2;
			v->map_part[i] = dm_get_le16(m + 38);
			v->meta_file = dm_get_le32(m + 40);
			v->meta_mirror = dm_get_le32(m + 44);
		} else {
			return mk_udfi_unsupported(im, "a partition map other than type 1 and metadata "
						   "(virtual or sparable partitions)", lba);
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
static dm_status read_vds(udfi *im, uint32_t lba, uint32_t len, uint8_t *s)
{
	udfi_vol *v = &im->v;
	v->have_pd = v->have_lvd = 0;
	uint32_t n = len / UDFI_SECTOR;
	for (uint32_t k = 0, hops = 0; k < UDFI_VDS_MAX; k++) {
		if (!n)
			return mk_udfi_damaged(im, "a volume descriptor sequence without a terminator",
					       lba);
		dm_status st = mk_udfi_read_sector(im, lba, s, "a UDF volume descriptor");
		if (st)
			return st;
		uint16_t id = dm_get_le16(s);
		if (id == 0 && k) /* the rest is unrecorded (3/8.4.2: the extent may be longer) */
			break;
		udf_tag_fault f = udf_tag_check(s, UDFI_SECTOR, id, lba);
		if (f || id < UDF_TAG_PVD || id > UDF_TAG_TD || id == UDF_TAG_AVDP)
			return mk_udfi_bad_tag(im, "a volume descriptor", f ? f : UDF_TAG_BAD_ID, lba);
		if (id == UDF_TAG_TD)
			break;
		switch (id) {
		case UDF_TAG_VDP: /* 3/10.3: the sequence goes on elsewhere */
			if (++hops > 8)
				return mk_udfi_damaged(im, "more than 8 volume descriptor pointers",
						       lba);
			n = dm_get_le32(s + 20) / UDFI_SECTOR;
			lba = dm_get_le32(s + 24);
			continue;
		case UDF_TAG_PD: {
			uint32_t vdsn = dm_get_le32(s + 16);
			if (v->have_pd && dm_get_le16(s + 22) != v->part_num)
				return mk_udfi_unsupported(im, "a volume of more than one partition",
							   lba);
			if (v->have_pd && vdsn < v->pd_vdsn)
				break;
			if (memcmp(s + 25, "+NSR02", 6) && memcmp(s + 25, "+NSR03", 6))
				return mk_udfi_unsupported(im, "a partition that holds no NSR file structure",
							   lba);
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
		return mk_udfi_damaged(im, "a volume descriptor sequence without a partition or a logical "
				       "volume descriptor", lba);
	for (uint32_t i = 0; i < v->nmaps; i++)
		if (v->map_part[i] != v->part_num)
			return mk_udfi_unsupported(im, "a partition map naming a partition the sequence "
						   "does not describe", lba);
	return DM_OK;
}

/* The anchor at lba, and its main (else reserve) sequence. */
static dm_status read_anchor(udfi *im, uint32_t lba, uint8_t *s)
{
	dm_status st = mk_udfi_read_sector(im, lba, s, "the UDF anchor");
	if (st)
		return st;
	udf_tag_fault f = udf_tag_check(s, UDFI_SECTOR, UDF_TAG_AVDP, lba);
	if (f)
		return mk_udfi_bad_tag(im, "the UDF anchor volume descriptor pointer", f, lba);
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
dm_status mk_udfi_block_lba(udfi *im, uint16_t part, uint32_t lbn, uint32_t *lba)
{
	udfi_vol *v = &im->v;
	if (part >= v->nmaps)
		return mk_udfi_damaged(im, "an address in a partition the volume does not have", lbn);
	if (v->map_kind[part] == 2) {
		uint64_t acc = 0;
		uint32_t i = 0;
		for (; i < v->nmext; i++) {
			if (lbn < acc + v->mext[i].blocks)
				break;
			acc += v->mext[i].blocks;
		}
		if (i == v->nmext)
			return mk_udfi_damaged(im, "an address past the end of the metadata partition",
					       lbn);
		uint64_t phys = (uint64_t)v->mext[i].lbn + (lbn - acc);
		if (phys >= v->part_len)
			return mk_udfi_damaged(im, "a metadata file extent past the end of its partition",
					       lbn);
		lbn = (uint32_t)phys;
	}
	if (lbn >= v->part_len)
		return mk_udfi_damaged(im, "an address past the end of its partition", lbn);
	*lba = v->part_start + lbn;
	return DM_OK;
}

dm_status mk_udfi_read_block(udfi *im, uint16_t part, uint32_t lbn, uint8_t *buf, const char *what)
{
	uint32_t lba;
	dm_status st = mk_udfi_block_lba(im, part, lbn, &lba);
	return st ? st : mk_udfi_read_sector(im, lba, buf, what);
}

/* ---- File entries ---- */


dm_status mk_udfi_read_fe(udfi *im, uint16_t part, uint32_t lbn, uint8_t *buf, udfi_fe *fe)
{
	uint32_t lba;
	dm_status st = mk_udfi_block_lba(im, part, lbn, &lba);
	if (st || (st = mk_udfi_read_sector(im, lba, buf, "a UDF file entry")))
		return st;
	uint16_t id = dm_get_le16(buf);
	if (id != UDF_TAG_FE && id != UDF_TAG_EFE)
		return mk_udfi_damaged(im, "no file entry where a FID or the file set points", lba);
	udf_tag_fault f = udf_tag_check(buf, UDFI_SECTOR, id, lbn);
	if (f)
		return mk_udfi_bad_tag(im, "a file entry", f, lba);
	uint16_t strategy = dm_get_le16(buf + 20);
	if (strategy != 4)
		return mk_udfi_unsupported(im, "an ICB of strategy other than 4", lba);
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
	if (hdr + lea + lad > UDFI_SECTOR)
		return mk_udfi_damaged(im, "a file entry whose attributes and allocation descriptors run "
				       "past its block", lba);
	fe->ea = buf + hdr;
	fe->ea_len = (uint32_t)lea;
	fe->ad = buf + hdr + lea;
	fe->ad_len = (uint32_t)lad;
	if (fe->adtype != UDF_AD_SHORT && fe->adtype != UDF_AD_LONG && fe->adtype != UDF_AD_EMBEDDED)
		return mk_udfi_unsupported(im, "extended allocation descriptors", lba);
	if (fe->adtype == UDF_AD_EMBEDDED && fe->size != lad)
		return mk_udfi_damaged(im, "embedded data whose length is not the file's", lba);
	return DM_OK;
}


/* The recorded extents of fe, into ext (UDFI_EXT_MAX); *n gets their number. */
dm_status mk_udfi_extents(udfi *im, const udfi_fe *fe, udfi_ext *ext, uint32_t *n)
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
			return mk_udfi_unsupported(im, "allocation descriptors continued in another extent",
						   fe->lba);
		if (type != 0)
			return mk_udfi_unsupported(im, "an unrecorded (sparse) extent", fe->lba);
		if (*n == UDFI_EXT_MAX)
			return mk_udfi_unsupported(im, "a file of more than 4096 extents", fe->lba);
		ext[*n] = (udfi_ext){per == 8 ? fe->part : dm_get_le16(a + 8), dm_get_le32(a + 4), len};
		(*n)++;
		total += len;
	}
	if (total < fe->size)
		return mk_udfi_damaged(im, "allocation descriptors shorter than the file", fe->lba);
	return DM_OK;
}

/* The metadata file (UDF 2.2.13): its FE, else its mirror's. */
static dm_status read_meta_file(udfi *im, uint8_t *feb)
{
	udfi_vol *v = &im->v;
	uint16_t phys = v->map_kind[0] == 1 ? 0 : 1;
	dm_status st = DM_ERR_INVALID;
	uint32_t locs[2] = {v->meta_file, v->meta_mirror};
	for (int k = 0; k < 2 && st; k++) {
		udfi_fe fe;
		if (k)
			dm_clear(im->ctx);
		if ((st = mk_udfi_read_fe(im, phys, locs[k], feb, &fe)))
			continue;
		if (fe.ftype != (k ? UDF_FT_META_MIRROR : UDF_FT_META) || fe.adtype != UDF_AD_SHORT) {
			st = mk_udfi_damaged(im, "a metadata file entry of the wrong kind", fe.lba);
			continue;
		}
		free(v->mext);
		v->mext = NULL;
		v->nmext = 0;
		uint32_t n = fe.ad_len / 8;
		if (n > UDFI_META_EXT_MAX) {
			st = mk_udfi_unsupported(im, "a metadata file of more than 1024 extents",
						 fe.lba);
			continue;
		}
		v->mext = calloc(n ? n : 1, sizeof(*v->mext));
		if (!v->mext)
			return mk_udfi_nomem(im);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t raw = dm_get_le32(fe.ad + 8 * i), len = raw & 0x3FFFFFFFu;
			if (!len)
				break;
			if (raw >> 30) {
				st = mk_udfi_unsupported(im, "a metadata file with unrecorded extents",
							 fe.lba);
				break;
			}
			v->mext[v->nmext++] =
				(udfi_meta_ext){dm_get_le32(fe.ad + 8 * i + 4), len / UDFI_SECTOR};
		}
	}
	return st;
}

/* The volume: anchor, sequence, integrity, and (metadata partition) the metadata file. */
dm_status mk_udfi_read_volume(udfi *im, uint32_t start, uint8_t *s)
{
	udfi_vol *v = &im->v;
	mk_import_info *info = im->info;
	im->path[0] = '\0';
	/* 3/8.4.2.1: the anchor at 256 of the session; else the disc's last sector or the one
	 * 256 before it, when they describe this session: their main sequence lies between its
	 * start and its first anchor (a later session's would not). */
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
		if (!st && (v->main_vds < start || v->main_vds - start >= 256))
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
		return mk_udfi_unsupported(im, "a UDF revision mkimage does not write", start + 256);
	if ((uint64_t)v->part_start + v->part_len > im->r->end)
		return mk_udfi_damaged(im, "a partition past the end of the disc", start + 256);
	int phys = 0;
	for (uint32_t i = 0; i < v->nmaps; i++)
		phys += v->map_kind[i] == 1;
	if (phys != 1)
		return mk_udfi_unsupported(im, "a logical volume without one physical partition map",
					   start + 256);
	if (v->nmaps == 2 && v->map_kind[0] == 2)
		return mk_udfi_unsupported(im, "a metadata partition map before the physical one",
					   start + 256);
	if (v->nmaps == 2 && (st = read_meta_file(im, s)))
		return st;
	/* The integrity descriptor: the next unique ID (UDF 3.2.1). */
	info->udf_next_uid = 16;
	if (v->lvid_len >= UDFI_SECTOR) {
		if ((st = mk_udfi_read_sector(im, v->lvid_lba, s, "the UDF integrity descriptor")))
			return st;
		udf_tag_fault f = udf_tag_check(s, UDFI_SECTOR, UDF_TAG_LVID, v->lvid_lba);
		if (f)
			return mk_udfi_bad_tag(im, "the logical volume integrity descriptor",
					       f, v->lvid_lba);
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
uint32_t mk_udfi_volume_end(udfi *im, uint8_t *s)
{
	udfi_vol *v = &im->v;
	uint64_t pend = (uint64_t)v->part_start + v->part_len;
	uint64_t end = pend;
	end = max64(end, (uint64_t)v->main_vds + v->main_len / UDFI_SECTOR);
	end = max64(end, (uint64_t)v->reserve_vds + v->reserve_len / UDFI_SECTOR);
	end = max64(end, (uint64_t)v->lvid_lba + v->lvid_len / UDFI_SECTOR);
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
		if (!udf_tag_check(s, UDFI_SECTOR, UDF_TAG_AVDP, (uint32_t)a) &&
		    dm_get_le32(s + 20) == v->main_vds)
			end = a + 1;
	}
	return end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
}

int mk_import_udf_pure(const mk_prev_reader *r, uint32_t start, dm_ctx *ctx)
{
	uint8_t s[UDFI_SECTOR];
	if ((uint64_t)start + 16 >= r->end || r->read(r->user, start + 16, 1, s, ctx)) {
		dm_clear(ctx);
		return 0;
	}
	return s[0] == 0 && !memcmp(s + 1, "BEA01", 5);
}

dm_status mk_import_udf_volume(const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			       dm_ctx *ctx)
{
	udfi im = {.r = r, .ctx = ctx, .info = info};
	uint8_t *s = malloc(UDFI_SECTOR);
	if (!s)
		return mk_udfi_nomem(&im);
	dm_status st = mk_udfi_read_volume(&im, start, s);
	if (!st) {
		if (!info->udf)
			info->udf = 1;
		if (info->udf == 2) {
			info->session_start = start;
			info->volume_end = mk_udfi_volume_end(&im, s);
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
		return dm_fail(ctx, DM_ERR_INVALID, "%s holds no UDF volume: no recognition sequence "
			       "at LBA 16", r->name);
	mk_import_info info = {.udf = 2};
	uint32_t cur = 0;
	dm_status st = mk_import_udf_volume(r, 0, &info, ctx);
	uint8_t *s = malloc(UDFI_SECTOR);
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
			/* A damaged anchor at L + 256 is no end: the disc's last anchors may
			 * describe this session (mk_udfi_read_volume). */
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
