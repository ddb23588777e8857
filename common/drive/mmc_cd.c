#include "common/drive/mmc_cd.h"

#include <stdio.h>
#include <string.h>

#include "common/dm_endian.h"

size_t mmc_cdb_read_cd(uint8_t *cdb, int32_t lba, uint32_t blocks, int sector_type, int sub)
{
	memset(cdb, 0, 12);
	cdb[0] = MMC_READ_CD;
	cdb[1] = (uint8_t)((sector_type & 7) << 2);
	dm_put_be32(cdb + 2, (uint32_t)lba);
	cdb[6] = (uint8_t)(blocks >> 16);
	cdb[7] = (uint8_t)(blocks >> 8);
	cdb[8] = (uint8_t)blocks;
	cdb[9] = 0x10; /* user data: the 2352 bytes of a CD-DA sector, 2048 of Mode 1 */
	cdb[10] = (uint8_t)(sub & 7);
	return 12;
}

size_t mmc_cdb_read_toc(uint8_t *cdb, int format, int msf, uint8_t track, uint16_t alloc)
{
	memset(cdb, 0, 10);
	cdb[0] = MMC_READ_TOC;
	cdb[1] = msf ? 0x02 : 0;
	cdb[2] = (uint8_t)(format & 0x0f);
	cdb[6] = track;
	dm_put_be16(cdb + 7, alloc);
	return 10;
}

static const char *lba_word(int32_t lba, char *buf, size_t len)
{
	snprintf(buf, len, "%ld", (long)lba);
	return buf;
}

dm_status mmc_write_cd(scsi_transport *t, int32_t lba, uint16_t blocks, unsigned block_size,
		       const uint8_t *buf, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	char name[80], lw[16];
	c.cdb_len = 10;
	c.cdb[0] = 0x2a; /* WRITE(10) */
	dm_put_be32(c.cdb + 2, (uint32_t)lba);
	dm_put_be16(c.cdb + 7, blocks);
	c.dir = SCSI_DIR_OUT;
	c.buf = (uint8_t *)buf;
	c.len = (size_t)blocks * block_size;
	c.timeout_ms = SCSI_TIMEOUT_WRITE_MS;
	snprintf(name, sizeof(name), "WRITE(10) at LBA %s (%u sectors of %u bytes)",
		 lba_word(lba, lw, sizeof(lw)), blocks, block_size);
	c.name = name;
	return scsi_run(t, &c, ctx);
}

dm_status mmc_read_cd(scsi_transport *t, int32_t lba, uint32_t blocks, int sector_type, int sub,
		      uint8_t *buf, dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	char name[80], lw[16];
	size_t per = 2352 + (sub == MMC_RCD_SUB_RAW ? MMC_RCD_SUB_RAW_LEN
			     : sub == MMC_RCD_SUB_Q ? MMC_RCD_SUB_Q_LEN : 0);
	c.cdb_len = mmc_cdb_read_cd(c.cdb, lba, blocks, sector_type, sub);
	c.dir = SCSI_DIR_IN;
	c.buf = buf;
	c.len = (size_t)blocks * per;
	c.timeout_ms = SCSI_TIMEOUT_WRITE_MS;
	snprintf(name, sizeof(name), "READ CD at LBA %s (%u sectors)", lba_word(lba, lw, sizeof(lw)),
		 (unsigned)blocks);
	c.name = name;
	memset(buf, 0, c.len);
	dm_status st = scsi_run(t, &c, ctx);
	if (st != DM_OK)
		return st;
	if (c.transferred < c.len)
		return dm_fail(ctx, DM_ERR_SCSI, "%s: %zu of %zu bytes arrived", name, c.transferred,
			       c.len);
	return DM_OK;
}

dm_status mmc_read_cd_sub(scsi_transport *t, int32_t lba, int sub, uint8_t *out, dm_ctx *ctx)
{
	uint8_t buf[2352 + MMC_RCD_SUB_RAW_LEN];
	size_t want = sub == MMC_RCD_SUB_RAW ? MMC_RCD_SUB_RAW_LEN : MMC_RCD_SUB_Q_LEN;
	scsi_cmd c = { 0 };
	char name[80], lw[16];
	c.cdb_len = mmc_cdb_read_cd(c.cdb, lba, 1, MMC_RCD_ANY, sub);
	c.dir = SCSI_DIR_IN;
	c.buf = buf;
	c.len = 2352 + want;
	snprintf(name, sizeof(name), "READ CD at LBA %s (sub-channel)",
		 lba_word(lba, lw, sizeof(lw)));
	c.name = name;
	memset(buf, 0, sizeof(buf));
	dm_status st = scsi_run(t, &c, ctx);
	if (st != DM_OK)
		return st;
	if (c.transferred < want + 2048)
		return dm_fail(ctx, DM_ERR_SCSI, "%s: %zu bytes arrived", name, c.transferred);
	memcpy(out, buf + c.transferred - want, want);
	return DM_OK;
}

dm_status mmc_read_toc0(scsi_transport *t, mmc_toc *out, dm_ctx *ctx)
{
	uint8_t buf[4 + 8 * 101];
	scsi_cmd c = { 0 };
	c.cdb_len = mmc_cdb_read_toc(c.cdb, 0, 0, 0, sizeof(buf));
	c.dir = SCSI_DIR_IN;
	c.buf = buf;
	c.len = sizeof(buf);
	c.name = "READ TOC/PMA/ATIP format 0";
	memset(buf, 0, sizeof(buf));
	dm_status st = scsi_run(t, &c, ctx);
	if (st != DM_OK)
		return st;
	return mmc_parse_toc0(buf, c.transferred, out, ctx);
}

void mmc_page05_set_codes(uint8_t *page, size_t len, const char *mcn, const char *isrc)
{
	if (len < 48)
		return;
	memset(page + 16, 0, 32);
	if (mcn && mcn[0]) {
		page[16] = 0x80; /* MCVAL */
		memcpy(page + 17, mcn, strnlen(mcn, 13));
	}
	if (isrc && isrc[0]) {
		page[32] = 0x80; /* TCVAL */
		memcpy(page + 33, isrc, strnlen(isrc, 12));
	}
}

size_t mmc_cdb_read_subchannel(uint8_t *cdb, int format, uint8_t track, uint16_t alloc)
{
	memset(cdb, 0, 10);
	cdb[0] = MMC_READ_SUBCHANNEL;
	cdb[2] = 0x40; /* SUBQ: return the sub-channel data */
	cdb[3] = (uint8_t)format;
	cdb[6] = track;
	dm_put_be16(cdb + 7, alloc);
	return 10;
}

static dm_status read_subchannel(scsi_transport *t, int format, uint8_t track, uint8_t *buf,
				 dm_ctx *ctx)
{
	scsi_cmd c = { 0 };
	c.cdb_len = mmc_cdb_read_subchannel(c.cdb, format, track, 24);
	c.dir = SCSI_DIR_IN;
	c.buf = buf;
	c.len = 24;
	c.name = format == 2 ? "READ SUB-CHANNEL (MCN)" : "READ SUB-CHANNEL (ISRC)";
	memset(buf, 0, 24);
	dm_status st = scsi_run(t, &c, ctx);
	if (st == DM_OK && c.transferred < 24)
		return dm_fail(ctx, DM_ERR_SCSI, "%s: %zu of 24 bytes arrived", c.name, c.transferred);
	return st;
}

dm_status mmc_read_mcn(scsi_transport *t, char out[14], dm_ctx *ctx)
{
	uint8_t b[24];
	out[0] = '\0';
	dm_status st = read_subchannel(t, 2, 0, b, ctx);
	if (st == DM_OK)
		mmc_parse_subchannel_code(b, sizeof(b), 2, out);
	return st;
}

dm_status mmc_read_isrc(scsi_transport *t, uint8_t track, char out[13], dm_ctx *ctx)
{
	uint8_t b[24];
	out[0] = '\0';
	dm_status st = read_subchannel(t, 3, track, b, ctx);
	if (st == DM_OK)
		mmc_parse_subchannel_code(b, sizeof(b), 3, out);
	return st;
}

dm_status mmc_read_cdtext(scsi_transport *t, uint8_t *buf, size_t cap, unsigned *count,
			  dm_ctx *ctx)
{
	*count = 0;
	scsi_cmd c = { 0 };
	uint16_t alloc = cap > 0xffff ? 0xffff : (uint16_t)cap;
	c.cdb_len = mmc_cdb_read_toc(c.cdb, 5, 0, 0, alloc);
	c.dir = SCSI_DIR_IN;
	c.buf = buf;
	c.len = alloc;
	c.name = "READ TOC/PMA/ATIP format 5 (CD-TEXT)";
	memset(buf, 0, cap);
	dm_status st = scsi_run(t, &c, ctx);
	if (st == DM_OK)
		*count = mmc_parse_cdtext(buf, c.transferred);
	return st;
}
