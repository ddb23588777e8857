/* The CD-only MMC commands of audio and cue-sheet writing and reading (issue 15): WRITE
 * with the block sizes of CD write parameters (2352 raw, 2448 with sub-channel, 96 for the
 * lead-in's CD-TEXT), READ CD (MMC-6 6.15) and READ TOC/PMA/ATIP (MMC-6 6.26) with a
 * parser of its format 0 answer. CDB builders and parsers are pure (unit-tested byte by
 * byte); the commands go through scsi_run() like mmc_cmds.h's. */
#ifndef MMC_CD_H
#define MMC_CD_H

#include <stddef.h>
#include <stdint.h>

#include "common/drive/scsi_transport.h"

enum { MMC_READ_SUBCHANNEL = 0x42, MMC_READ_TOC = 0x43, MMC_READ_CD = 0xbe };

/* READ CD expected sector types (byte 1 bits 4-2) and sub-channel selections (byte 10
 * bits 2-0). */
enum { MMC_RCD_ANY = 0, MMC_RCD_CDDA = 1, MMC_RCD_MODE1 = 2 };
enum { MMC_RCD_SUB_NONE = 0, MMC_RCD_SUB_RAW = 1, MMC_RCD_SUB_Q = 2 };
#define MMC_RCD_SUB_Q_LEN 16
#define MMC_RCD_SUB_RAW_LEN 96

/* READ CD of blocks sectors from lba: user data only (byte 9 = 10h: 2352 bytes of a
 * CD-DA sector), plus the sub-channel asked for. */
size_t mmc_cdb_read_cd(uint8_t *cdb, int32_t lba, uint32_t blocks, int sector_type, int sub);
/* READ TOC/PMA/ATIP: format (0 TOC, 1 sessions, 2 full TOC, 5 CD-TEXT), msf bit, track or
 * session number. */
size_t mmc_cdb_read_toc(uint8_t *cdb, int format, int msf, uint8_t track, uint16_t alloc);

/* READ SUB-CHANNEL (MMC-6 6.28) with SUBQ: format 2 (Media Catalog Number) or 3 (ISRC of
 * track). */
size_t mmc_cdb_read_subchannel(uint8_t *cdb, int format, uint8_t track, uint16_t alloc);
/* The disc's MCN (13 digits) or track's ISRC (12 characters) into out, "" when the drive
 * says none is recorded (MCVAL / TCVAL clear). */
dm_status mmc_read_mcn(scsi_transport *t, char out[14], dm_ctx *ctx);
dm_status mmc_read_isrc(scsi_transport *t, uint8_t track, char out[13], dm_ctx *ctx);
/* n bytes of a READ SUB-CHANNEL answer of format 2 (MCN, 13 digits) or 3 (ISRC, 12
 * characters) into out: "" when the valid bit is clear, the answer short, and the code cut
 * at its first unprintable byte. */
void mmc_parse_subchannel_code(const uint8_t *b, size_t n, int format, char *out);
/* n bytes of a READ TOC format 5 answer, in place: its 18-byte packs moved to buf's start
 * (as many as both its length field and n hold); returns how many. */
unsigned mmc_parse_cdtext(uint8_t *buf, size_t n);
/* READ TOC format 5: the CD-TEXT packs of the lead-in (18 bytes each) into buf (cap
 * bytes), *count of them. */
dm_status mmc_read_cdtext(scsi_transport *t, uint8_t *buf, size_t cap, unsigned *count,
			  dm_ctx *ctx);

/* WRITE(10) of blocks blocks of block_size bytes each (the size page 05h's data block
 * type sets) at lba, which is negative in a CD's pre-gap and lead-in (two's complement,
 * MMC-6 6.46). */
dm_status mmc_write_cd(scsi_transport *t, int32_t lba, uint16_t blocks, unsigned block_size,
		       const uint8_t *buf, dm_ctx *ctx);
/* READ CD into buf: blocks * (2352 + the sub-channel's bytes). */
dm_status mmc_read_cd(scsi_transport *t, int32_t lba, uint32_t blocks, int sector_type, int sub,
		      uint8_t *buf, dm_ctx *ctx);

/* The sub-channel of one sector of any type (READ CD, user data and sub): it follows the
 * sector's user data, 2352 bytes of CD-DA or 2048 of Mode 1, so it is taken from the end
 * of what arrived. sub: MMC_RCD_SUB_Q (16 bytes into out) or MMC_RCD_SUB_RAW (96). */
dm_status mmc_read_cd_sub(scsi_transport *t, int32_t lba, int sub, uint8_t *out, dm_ctx *ctx);

/* READ TOC format 0 (LBA addresses), parsed: the tracks and the lead-out of the last
 * session. */
typedef struct mmc_toc_entry {
	uint8_t number;   /* 1..99; AAh the lead-out */
	uint8_t adr, control; /* control 4: data track */
	int32_t lba;
} mmc_toc_entry;
typedef struct mmc_toc {
	uint8_t first, last;
	unsigned n;           /* tracks, without the lead-out */
	mmc_toc_entry tracks[99];
	int32_t leadout;      /* -1: not given */
} mmc_toc;
/* n bytes of a format 0 answer: the tracks in order (1..99, each after the one before)
 * and the lead-out; fails on a descriptor that breaks that order. */
dm_status mmc_parse_toc0(const uint8_t *b, size_t n, mmc_toc *out, dm_ctx *ctx);
dm_status mmc_read_toc0(scsi_transport *t, mmc_toc *out, dm_ctx *ctx);

/* Page 05h bytes 16-31 (Media Catalog Number: MCVAL, 13 ASCII digits) and 32-47 (ISRC:
 * TCVAL, 12 characters) of Track-At-Once writing (MMC-6 7.5.4): set when mcn/isrc is not
 * empty, cleared otherwise. The page (with its 2-byte header) must hold 48 bytes. */
void mmc_page05_set_codes(uint8_t *page, size_t len, const char *mcn, const char *isrc);

#endif
