#include "mkimage/udf/udf_fe.h"

#include <string.h>
#include <sys/stat.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"

size_t udf_fe_header_len(unsigned rev) { return rev >= UDF_REV_200 ? 216 : 176; }

size_t udf_fe_room(unsigned rev, size_t ea_len)
{
	size_t head = udf_fe_header_len(rev) + ea_len;
	return head >= UDF_BLOCK ? 0 : UDF_BLOCK - head;
}

uint32_t udf_permissions(uint32_t mode)
{
	/* 4/14.9.5: bits 0-4 others (execute, write, read, change attribute, delete), 5-9
	 * group, 10-14 owner. */
	uint32_t p = 0;
	for (int cls = 0; cls < 3; cls++) {
		uint32_t rwx = (mode >> (3 * cls)) & 7u;
		uint32_t u = 0;
		if (rwx & 1u)
			u |= 0x01;                       /* execute */
		if (rwx & 2u)
			u |= 0x02 | 0x10;                /* write, and delete with it */
		if (rwx & 4u)
			u |= 0x04;                       /* read */
		if (cls == 2)
			u |= 0x08;                       /* the owner changes attributes */
		p |= u << (5 * cls);
	}
	return p;
}

uint16_t udf_icb_flags(uint32_t mode, uint8_t ad_type)
{
	uint16_t f = ad_type & 7u;
	if (mode & S_ISUID)
		f |= 1u << 6;
	if (mode & S_ISGID)
		f |= 1u << 7;
	if (mode & S_ISVTX)
		f |= 1u << 8;
	return f;
}

static void put_icb_tag(uint8_t *p, uint8_t file_type, uint16_t flags)
{
	/* 4/14.6: strategy 4 (one direct entry), no parent ICB. */
	memset(p, 0, 20);
	dm_put_le32(p + 0, 0);          /* prior recorded number of direct entries */
	dm_put_le16(p + 4, 4);          /* strategy type */
	dm_put_le16(p + 8, 1);          /* maximum number of entries */
	p[11] = file_type;
	dm_put_le16(p + 18, flags);
}

static void put_ea_icb_none(uint8_t *p) { memset(p, 0, 16); }

size_t udf_put_fe(uint8_t *blk, const udf_fe_info *fe)
{
	int ext = fe->rev >= UDF_REV_200;
	size_t head = udf_fe_header_len(fe->rev);
	memset(blk, 0, UDF_BLOCK);
	put_icb_tag(blk + 16, fe->file_type, udf_icb_flags(fe->mode, fe->ad_type));
	dm_put_le32(blk + 36, fe->uid);
	dm_put_le32(blk + 40, fe->gid);
	dm_put_le32(blk + 44, udf_permissions(fe->mode));
	dm_put_le16(blk + 48, fe->nlink);
	/* record format, display attributes, record length: 0 (UDF 2.3.6.1-3) */
	dm_put_le64(blk + 56, fe->size);
	if (ext) {
		/* 4/14.17 */
		dm_put_le64(blk + 64, fe->size);   /* object size: no streams */
		dm_put_le64(blk + 72, fe->blocks);
		udf_put_timestamp(blk + 80, fe->atime);
		udf_put_timestamp(blk + 92, fe->mtime);
		udf_put_timestamp(blk + 104, fe->mtime); /* creation: the oldest time known */
		udf_put_timestamp(blk + 116, fe->ctime);
		dm_put_le32(blk + 128, 1);          /* checkpoint */
		put_ea_icb_none(blk + 136);
		put_ea_icb_none(blk + 152);         /* stream directory */
		udf_put_impl_id(blk + 168);
		dm_put_le64(blk + 200, fe->unique_id);
		dm_put_le32(blk + 208, fe->ea_len);
		dm_put_le32(blk + 212, fe->ad_len);
	} else {
		/* 4/14.9 */
		dm_put_le64(blk + 64, fe->blocks);
		udf_put_timestamp(blk + 72, fe->atime);
		udf_put_timestamp(blk + 84, fe->mtime);
		udf_put_timestamp(blk + 96, fe->ctime);
		dm_put_le32(blk + 108, 1);          /* checkpoint */
		put_ea_icb_none(blk + 112);
		udf_put_impl_id(blk + 128);
		dm_put_le64(blk + 160, fe->unique_id);
		dm_put_le32(blk + 168, fe->ea_len);
		dm_put_le32(blk + 172, fe->ad_len);
	}
	if (fe->ea_len)
		memcpy(blk + head, fe->ea, fe->ea_len);
	if (fe->ad_len)
		memcpy(blk + head + fe->ea_len, fe->ad, fe->ad_len);
	size_t len = head + fe->ea_len + fe->ad_len;
	udf_tag_finish(blk, ext ? UDF_TAG_EFE : UDF_TAG_FE, udf_desc_version(fe->rev), fe->serial,
		       fe->location, len);
	return len;
}

void udf_put_short_ad(uint8_t *p, uint32_t len, uint32_t pos)
{
	dm_put_le32(p, len);
	dm_put_le32(p + 4, pos);
}

void udf_put_long_ad(uint8_t *p, uint32_t len, uint32_t lbn, uint16_t part, uint32_t impl_id)
{
	dm_put_le32(p, len);
	dm_put_le32(p + 4, lbn);
	dm_put_le16(p + 8, part);
	/* ADImpUse (UDF 2.3.10.1): flags 0, then the unique ID (UDF 2.3.4.3) */
	dm_put_le16(p + 10, 0);
	dm_put_le32(p + 12, impl_id);
}

uint32_t udf_extent_count(uint64_t size)
{
	return (uint32_t)((size + UDF_EXTENT_MAX - 1) / UDF_EXTENT_MAX);
}

size_t udf_put_extents(uint8_t *p, uint64_t size, uint32_t lbn, uint16_t part, int long_ad)
{
	size_t k = 0;
	while (size) {
		uint32_t part_len = size > UDF_EXTENT_MAX ? UDF_EXTENT_MAX : (uint32_t)size;
		/* Extent type 0 (recorded and allocated) in the top two bits of the length. */
		if (long_ad) {
			udf_put_long_ad(p + k, part_len, lbn, part, 0);
			k += 16;
		} else {
			udf_put_short_ad(p + k, part_len, lbn);
			k += 8;
		}
		size -= part_len;
		lbn += UDF_EXTENT_MAX / UDF_BLOCK;
	}
	return k;
}

size_t udf_fid_len(size_t id_len) { return (38 + id_len + 3) & ~(size_t)3; }

size_t udf_put_fid(uint8_t *p, unsigned rev, uint16_t serial, uint32_t location, uint8_t chars,
		   const uint8_t *id, size_t id_len, uint32_t icb_lbn, uint16_t icb_part,
		   uint64_t unique_id)
{
	size_t len = udf_fid_len(id_len);
	memset(p, 0, len);
	dm_put_le16(p + 16, 1);                  /* file version number (UDF 2.3.4.1) */
	p[18] = chars;
	p[19] = (uint8_t)id_len;
	udf_put_long_ad(p + 20, UDF_BLOCK, icb_lbn, icb_part, (uint32_t)unique_id);
	dm_put_le16(p + 36, 0);                  /* no implementation use */
	if (id_len)
		memcpy(p + 38, id, id_len);
	/* The CRC covers the padding too: the descriptor is len bytes. */
	udf_tag_finish(p, UDF_TAG_FID, udf_desc_version(rev), serial, location, len);
	return len;
}

/* One path component: type, L_CI, version 0, the identifier (4/14.16.1). */
static size_t put_component(uint8_t *p, size_t cap, size_t at, uint8_t type, const uint8_t *id,
			    size_t id_len)
{
	if (p && at + 4 + id_len <= cap) {
		p[at] = type;
		p[at + 1] = (uint8_t)id_len;
		dm_put_le16(p + at + 2, 0);
		if (id_len)
			memcpy(p + at + 4, id, id_len);
	}
	return 4 + id_len;
}

size_t udf_put_symlink(uint8_t *p, size_t cap, const char *target, size_t len, int *bad)
{
	size_t at = 0, i = 0;
	*bad = 0;
	if (len && target[0] == '/') {
		at += put_component(p, cap, at, 1, NULL, 0);
		i = 1;
	}
	while (i < len) {
		size_t j = i;
		while (j < len && target[j] != '/')
			j++;
		size_t n = j - i;
		if (n == 1 && target[i] == '.') {
			at += put_component(p, cap, at, 4, NULL, 0);
		} else if (n == 2 && target[i] == '.' && target[i + 1] == '.') {
			at += put_component(p, cap, at, 3, NULL, 0);
		} else if (n) {
			uint8_t id[256];
			size_t id_len;
			udf_cs0_status st = udf_cs0_encode(id, 255, target + i, n, &id_len);
			if (st) {
				*bad = (int)st;
				return 0;
			}
			at += put_component(p, cap, at, 5, id, id_len);
		}
		i = j + 1;
	}
	return at;
}

void udf_put_dev_ea(uint8_t *p, unsigned rev, uint16_t serial, uint32_t location, uint32_t major,
		    uint32_t minor)
{
	memset(p, 0, UDF_DEV_EA_LEN);
	/* 4/14.10.1 with UDF 3.3.4.1: no implementation or application attributes. */
	dm_put_le32(p + 16, 0xFFFFFFFFu);
	dm_put_le32(p + 20, 0xFFFFFFFFu);
	udf_tag_finish(p, UDF_TAG_EAHD, udf_desc_version(rev), serial, location, 24);
	uint8_t *d = p + 24;
	dm_put_le32(d + 0, 12);          /* attribute type: device specification */
	d[4] = 1;                        /* attribute subtype */
	dm_put_le32(d + 8, 24);          /* attribute length */
	dm_put_le32(d + 12, 0);          /* implementation use length */
	dm_put_le32(d + 16, major);
	dm_put_le32(d + 20, minor);
}
