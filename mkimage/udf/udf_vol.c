#include "mkimage/udf/udf_vol.h"

#include <stdio.h>
#include <string.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"


static void finish(uint8_t *blk, uint16_t id, uint32_t loc, size_t len, const udf_vol_info *v)
{
	udf_tag_finish(blk, id, udf_desc_version(v->rev), v->serial, loc, len);
}

const char *udf_nsr_id(unsigned rev) { return rev >= UDF_REV_200 ? "NSR03" : "NSR02"; }

void udf_put_vrs(uint8_t *blk, const char *id)
{
	memset(blk, 0, UDF_BLOCK);
	blk[0] = 0;              /* structure type */
	memcpy(blk + 1, id, 5);  /* standard identifier */
	blk[6] = 1;              /* structure version */
}

static void put_extent_ad(uint8_t *p, uint32_t len, uint32_t loc)
{
	dm_put_le32(p, len);
	dm_put_le32(p + 4, loc);
}

static void put_long_ad(uint8_t *p, uint32_t len, uint32_t lbn, uint16_t part)
{
	memset(p, 0, 16);
	dm_put_le32(p, len);
	dm_put_le32(p + 4, lbn);
	dm_put_le16(p + 8, part);
}

void udf_put_avdp(uint8_t *blk, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.2 */
	memset(blk, 0, UDF_BLOCK);
	put_extent_ad(blk + 16, v->vds_blocks * UDF_BLOCK, v->main_vds);
	put_extent_ad(blk + 24, v->vds_blocks * UDF_BLOCK, v->reserve_vds);
	finish(blk, UDF_TAG_AVDP, lba, 512, v);
}

static void put_pvd(uint8_t *blk, uint32_t vdsn, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.1, UDF 2.2.2 */
	dm_put_le32(blk + 16, vdsn);
	dm_put_le32(blk + 20, 0);                       /* primary volume descriptor number */
	udf_put_dstring(blk + 24, 32, v->volume_id);
	dm_put_le16(blk + 56, 1);                       /* volume sequence number */
	dm_put_le16(blk + 58, 1);                       /* maximum: one volume (UDF 2.2.2.2) */
	dm_put_le16(blk + 60, 2);                       /* interchange level 2: one volume */
	dm_put_le16(blk + 62, 3);                       /* maximum interchange level */
	dm_put_le32(blk + 64, 1);                       /* character set list: CS0 */
	dm_put_le32(blk + 68, 1);
	/* UDF 2.2.2.5: the first 16 characters unique (hex digits), then free text. */
	char vs[160];
	snprintf(vs, sizeof(vs), "%016llX%s", (unsigned long long)v->volset_unique,
		 v->volset_id ? v->volset_id : "");
	udf_put_dstring(blk + 72, 128, vs);
	udf_put_charspec(blk + 200);                    /* descriptor character set */
	udf_put_charspec(blk + 264);                    /* explanatory character set */
	/* volume abstract and copyright notice: none (zero extents) */
	udf_put_app_id(blk + 344, v->application);
	udf_put_timestamp(blk + 376, v->time);
	udf_put_impl_id(blk + 388);
	/* implementation use, predecessor location: 0 */
	dm_put_le16(blk + 488, 0);                      /* flags */
	finish(blk, UDF_TAG_PVD, lba, 512, v);
}

static void put_iuvd(uint8_t *blk, uint32_t vdsn, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.4, UDF 2.2.7: the "*UDF LV Info" descriptor. */
	dm_put_le32(blk + 16, vdsn);
	udf_put_udf_id(blk + 20, "*UDF LV Info", v->rev);
	uint8_t *iu = blk + 52;                          /* LVInformation, 460 bytes */
	udf_put_charspec(iu + 0);
	udf_put_dstring(iu + 64, 128, v->volume_id);
	udf_put_dstring(iu + 192, 36, v->preparer);  /* LVInfo1 */
	udf_put_dstring(iu + 228, 36, v->publisher); /* LVInfo2 */
	udf_put_dstring(iu + 264, 36, NULL);         /* LVInfo3 */
	udf_put_impl_id(iu + 300);
	finish(blk, UDF_TAG_IUVD, lba, 512, v);
}

static void put_pd(uint8_t *blk, uint32_t vdsn, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.5, UDF 2.2.14 */
	dm_put_le32(blk + 16, vdsn);
	dm_put_le16(blk + 20, 1);                        /* flags: space allocated */
	dm_put_le16(blk + 22, 0);                        /* partition number */
	uint8_t none[8] = {0};
	char contents[8];
	snprintf(contents, sizeof(contents), "+%s", udf_nsr_id(v->rev));
	udf_put_regid(blk + 24, contents, none);
	/* partition contents use: the partition header (4/14.3) with no space tables or
	 * bitmaps: nothing on a read-only medium is unallocated. */
	dm_put_le32(blk + 184, 1);                       /* access type: read only */
	dm_put_le32(blk + 188, v->part_start);
	dm_put_le32(blk + 192, v->part_len);
	udf_put_impl_id(blk + 196);
	finish(blk, UDF_TAG_PD, lba, 512, v);
}

size_t udf_put_partition_maps(uint8_t *p, const udf_vol_info *v)
{
	/* Type 1 (3/10.7.2): volume sequence number 1, partition number 0. */
	p[0] = 1;
	p[1] = 6;
	dm_put_le16(p + 2, 1);
	dm_put_le16(p + 4, 0);
	if (!v->metadata)
		return 6;
	/* Type 2, the metadata partition map (UDF 2.50 2.2.10). */
	uint8_t *m = p + 6;
	memset(m, 0, 64);
	m[0] = 2;
	m[1] = 64;
	udf_put_udf_id(m + 4, "*UDF Metadata Partition", v->rev);
	dm_put_le16(m + 36, 1);                          /* volume sequence number */
	dm_put_le16(m + 38, 0);                          /* the physical partition it lives in */
	dm_put_le32(m + 40, v->meta_file);
	dm_put_le32(m + 44, v->meta_mirror);
	dm_put_le32(m + 48, v->meta_bitmap);
	dm_put_le32(m + 52, v->meta_alloc_unit);
	dm_put_le16(m + 56, (uint16_t)v->meta_align_unit);
	m[58] = v->meta_duplicate ? 1 : 0;
	return 70;
}

static void put_lvd(uint8_t *blk, uint32_t vdsn, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.6, UDF 2.2.4 */
	dm_put_le32(blk + 16, vdsn);
	udf_put_charspec(blk + 20);
	udf_put_dstring(blk + 84, 128, v->volume_id);
	dm_put_le32(blk + 212, UDF_BLOCK);
	udf_put_domain_id(blk + 216, v->rev);
	/* logical volume contents use: where the file set descriptor is (UDF 2.2.4.4) */
	put_long_ad(blk + 248, UDF_BLOCK, v->fsd_lbn, v->fsd_part);
	size_t mt = udf_put_partition_maps(blk + 440, v);
	dm_put_le32(blk + 264, (uint32_t)mt);
	dm_put_le32(blk + 268, v->metadata ? 2 : 1);
	udf_put_impl_id(blk + 272);
	put_extent_ad(blk + 432, 2 * UDF_BLOCK, v->lvid_lba);
	finish(blk, UDF_TAG_LVD, lba, 440 + mt, v);
}

static void put_usd(uint8_t *blk, uint32_t vdsn, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.8: no unallocated extents outside the partition worth naming. */
	dm_put_le32(blk + 16, vdsn);
	dm_put_le32(blk + 20, 0);
	finish(blk, UDF_TAG_USD, lba, 24, v);
}

void udf_put_td(uint8_t *blk, uint32_t location, const udf_vol_info *v)
{
	memset(blk, 0, UDF_BLOCK);
	finish(blk, UDF_TAG_TD, location, 512, v);
}

void udf_put_vds_desc(uint8_t *blk, unsigned i, uint32_t lba, const udf_vol_info *v)
{
	memset(blk, 0, UDF_BLOCK);
	/* Volume descriptor sequence numbers count up through the sequence (3/8.4.3). */
	switch (i) {
	case 0: put_pvd(blk, i, lba, v); break;
	case 1: put_iuvd(blk, i, lba, v); break;
	case 2: put_pd(blk, i, lba, v); break;
	case 3: put_lvd(blk, i, lba, v); break;
	case 4: put_usd(blk, i, lba, v); break;
	default: udf_put_td(blk, lba, v); break;
	}
}

void udf_put_lvid(uint8_t *blk, uint32_t lba, const udf_vol_info *v)
{
	/* 3/10.10, UDF 2.2.6 */
	memset(blk, 0, UDF_BLOCK);
	udf_put_timestamp(blk + 16, v->time);
	dm_put_le32(blk + 28, 1);                        /* integrity type: close */
	/* next integrity extent: none. Contents use: the logical volume header (UDF 3.2.1)
	 * with the next unique ID. */
	dm_put_le64(blk + 40, v->next_unique_id);
	uint32_t np = v->metadata ? 2 : 1;
	dm_put_le32(blk + 72, np);
	dm_put_le32(blk + 76, 46);                       /* length of implementation use */
	uint8_t *p = blk + 80;
	/* free space tables: nothing is free on a read-only medium */
	for (uint32_t i = 0; i < np; i++)
		dm_put_le32(p + 4 * i, 0);
	p += 4 * np;
	dm_put_le32(p, v->part_len);
	if (np > 1)
		dm_put_le32(p + 4, v->meta_blocks);
	p += 4 * np;
	/* implementation use (UDF 2.2.6.4) */
	udf_put_impl_id(p);
	dm_put_le32(p + 32, v->files);
	dm_put_le32(p + 36, v->dirs);
	/* Minimum UDF read revision: 2.60 only adds pseudo-overwrite, which a read-only image
	 * never uses, so a 2.50 reader reads it (UDF 2.60 2.2.6.4); Linux refuses more. */
	dm_put_le16(p + 40, (uint16_t)(v->rev == UDF_REV_260 ? UDF_REV_250 : v->rev));
	dm_put_le16(p + 42, (uint16_t)v->rev);           /* minimum UDF write revision */
	dm_put_le16(p + 44, (uint16_t)v->rev);           /* maximum UDF write revision */
	finish(blk, UDF_TAG_LVID, lba, 80 + 8 * np + 46, v);
}

void udf_put_fsd(uint8_t *blk, uint32_t lbn, const udf_vol_info *v)
{
	/* 4/14.1, UDF 2.3.2 */
	memset(blk, 0, UDF_BLOCK);
	udf_put_timestamp(blk + 16, v->time);
	dm_put_le16(blk + 28, 3);                        /* interchange level */
	dm_put_le16(blk + 30, 3);
	dm_put_le32(blk + 32, 1);                        /* character set list: CS0 */
	dm_put_le32(blk + 36, 1);
	dm_put_le32(blk + 40, 0);                        /* file set number */
	dm_put_le32(blk + 44, 0);                        /* file set descriptor number */
	udf_put_charspec(blk + 48);
	udf_put_dstring(blk + 112, 128, v->volume_id);
	udf_put_charspec(blk + 240);
	udf_put_dstring(blk + 304, 32, v->volume_id); /* file set identifier */
	/* copyright and abstract file identifiers: none */
	put_long_ad(blk + 400, UDF_BLOCK, v->root_lbn, v->root_part);
	udf_put_domain_id(blk + 416, v->rev);
	/* next extent, system stream directory: none */
	finish(blk, UDF_TAG_FSD, lbn, 512, v);
}
