/* CDB builders for the MMC-6 commands writeimg sends: one function per command, each
 * filling cdb[] (at least SCSI_CDB_MAX bytes) and returning the CDB length. Pure
 * functions: no I/O, so tests check every byte. Byte positions are those of the command's
 * table in MMC-6 (or SPC-4/SBC-3 for the shared commands). */
#ifndef MMC_CDB_H
#define MMC_CDB_H

#include <stddef.h>
#include <stdint.h>

enum mmc_opcode {
	MMC_TEST_UNIT_READY = 0x00,
	MMC_REQUEST_SENSE = 0x03,
	MMC_FORMAT_UNIT = 0x04,
	MMC_INQUIRY = 0x12,
	MMC_START_STOP_UNIT = 0x1b,
	MMC_PREVENT_ALLOW = 0x1e,
	MMC_READ_FORMAT_CAPACITIES = 0x23,
	MMC_READ_CAPACITY = 0x25,
	MMC_READ10 = 0x28,
	MMC_WRITE10 = 0x2a,
	MMC_SYNCHRONIZE_CACHE = 0x35,
	MMC_GET_CONFIGURATION = 0x46,
	MMC_GET_EVENT_STATUS = 0x4a,
	MMC_READ_DISC_INFO = 0x51,
	MMC_READ_TRACK_INFO = 0x52,
	MMC_RESERVE_TRACK = 0x53,
	MMC_MODE_SELECT10 = 0x55,
	MMC_MODE_SENSE10 = 0x5a,
	MMC_CLOSE_TRACK_SESSION = 0x5b,
	MMC_READ_BUFFER_CAPACITY = 0x5c,
	MMC_SEND_CUE_SHEET = 0x5d,
	MMC_BLANK = 0xa1,
	MMC_GET_PERFORMANCE = 0xac,
	MMC_READ_DISC_STRUCTURE = 0xad,
	MMC_SET_STREAMING = 0xb6,
	MMC_SEND_DISC_STRUCTURE = 0xbf,
	MMC_SET_CD_SPEED = 0xbb
};

/* GET CONFIGURATION RT field (MMC-6 6.6.2.2). */
enum { MMC_RT_ALL = 0, MMC_RT_CURRENT = 1, MMC_RT_ONE = 2 };
/* READ TRACK INFORMATION address/number type (MMC-6 6.27.2.2). */
enum { MMC_TRACK_BY_LBA = 0, MMC_TRACK_BY_NUMBER = 1, MMC_TRACK_BY_SESSION = 2 };
/* The "invisible" (incomplete) track of CD and DVD±R media (MMC-6 6.27.3.2.2). */
#define MMC_TRACK_INVISIBLE 0xffu
/* CLOSE TRACK/SESSION function codes (MMC-6 6.3.3). */
enum {
	MMC_CLOSE_TRACK = 1,
	MMC_CLOSE_SESSION = 2,        /* DVD+R, BD-R: close session, disc stays appendable */
	MMC_CLOSE_FINALIZE_MINRAD = 5,/* DVD+R: finalize with minimal radius */
	MMC_CLOSE_FINALIZE = 6        /* DVD+R, BD-R: close session and finalize the disc */
};
/* MODE SENSE page control (SPC-4 6.11.1). */
enum { MMC_PC_CURRENT = 0, MMC_PC_CHANGEABLE = 1, MMC_PC_DEFAULT = 2 };
enum { MMC_PAGE_WRITE_PARAMS = 0x05, MMC_PAGE_CAPABILITIES = 0x2a };
/* GET EVENT STATUS NOTIFICATION class bits (MMC-6 6.8.2.3). */
enum { MMC_EVENT_CLASS_MEDIA = 0x10 };

size_t mmc_cdb_test_unit_ready(uint8_t *cdb);
size_t mmc_cdb_request_sense(uint8_t *cdb, uint8_t alloc);
size_t mmc_cdb_inquiry(uint8_t *cdb, uint16_t alloc);
size_t mmc_cdb_start_stop_unit(uint8_t *cdb, int immed, int load_eject, int start);
size_t mmc_cdb_prevent_allow(uint8_t *cdb, int prevent);
size_t mmc_cdb_read_format_capacities(uint8_t *cdb, uint16_t alloc);
size_t mmc_cdb_read_capacity(uint8_t *cdb);
size_t mmc_cdb_read10(uint8_t *cdb, uint32_t lba, uint16_t blocks);
size_t mmc_cdb_write10(uint8_t *cdb, uint32_t lba, uint16_t blocks);
size_t mmc_cdb_synchronize_cache(uint8_t *cdb, int immed);
size_t mmc_cdb_get_configuration(uint8_t *cdb, int rt, uint16_t start_feature, uint16_t alloc);
size_t mmc_cdb_get_event_status(uint8_t *cdb, uint8_t class_mask, uint16_t alloc);
size_t mmc_cdb_read_disc_info(uint8_t *cdb, uint16_t alloc);
size_t mmc_cdb_read_track_info(uint8_t *cdb, int addr_type, uint32_t addr, uint16_t alloc);
size_t mmc_cdb_reserve_track(uint8_t *cdb, uint32_t blocks);
size_t mmc_cdb_mode_select10(uint8_t *cdb, uint16_t param_len);
size_t mmc_cdb_mode_sense10(uint8_t *cdb, int page, int pc, uint16_t alloc);
size_t mmc_cdb_close_track_session(uint8_t *cdb, int immed, int function, uint16_t track);
size_t mmc_cdb_read_buffer_capacity(uint8_t *cdb, uint16_t alloc);
size_t mmc_cdb_get_performance_write_speed(uint8_t *cdb, uint16_t max_desc);
size_t mmc_cdb_set_streaming(uint8_t *cdb, uint16_t param_len);
size_t mmc_cdb_set_cd_speed(uint8_t *cdb, uint16_t read_kbs, uint16_t write_kbs);
/* GET PERFORMANCE type 00h, write nominal performance from LBA 0 (MMC-6 6.7.2.4): the
 * speed the drive set, as opposed to the list it offers (type 03h). */
size_t mmc_cdb_get_performance_nominal(uint8_t *cdb, int write, uint16_t max_desc);

/* BLANK blanking types (MMC-6 6.2.3 table 43). */
enum { MMC_BLANK_FULL = 0, MMC_BLANK_MINIMAL = 1, MMC_BLANK_TRACK = 2,
       MMC_BLANK_UNRESERVE = 3, MMC_BLANK_TAIL = 4, MMC_BLANK_UNCLOSE = 5,
       MMC_BLANK_SESSION = 6 };
size_t mmc_cdb_blank(uint8_t *cdb, int immed, int type, uint32_t lba);

/* FORMAT UNIT (MMC-6 6.5): FmtData 1, CmpList 0, format code 001b; the parameter list is
 * a 4-byte header and one 8-byte format descriptor (mmc_build_format_list). */
size_t mmc_cdb_format_unit(uint8_t *cdb);
/* Format types (MMC-6 6.5.4.2). */
enum { MMC_FMT_TYPE_FULL = 0x00, MMC_FMT_TYPE_QUICK_GROW = 0x13, MMC_FMT_TYPE_DVDRW_QUICK = 0x15,
       MMC_FMT_TYPE_DVDPLUSRW = 0x26, MMC_FMT_TYPE_BD_SPARES = 0x30,
       MMC_FMT_TYPE_BD_NO_SPARES = 0x31 };
/* BD-RE format type 30h sub-types (MMC-6 6.5.4.2.15). */
enum { MMC_FMT_SUB_QUICK_REFORMAT = 0, MMC_FMT_SUB_FULL_CERT = 2, MMC_FMT_SUB_QUICK_CERT = 3 };
#define MMC_FORMAT_LIST_LEN 12
/* Format list header (FOV 1 so IMMED counts, IMMED as asked, descriptor length 8) and
 * the descriptor: number of blocks, type and sub-type, type-dependent parameter. */
void mmc_build_format_list(uint8_t *list, int immed, uint32_t blocks, uint8_t type,
			   uint8_t subtype, uint32_t param);

/* SEND CUE SHEET (MMC-6 6.35): cue sheet size in bytes 6-8. */
size_t mmc_cdb_send_cue_sheet(uint8_t *cdb, uint32_t len);
/* The cue sheet of a session holding one data track of `blocks` Mode 1 sectors (MMC-6
 * 6.35.3.2, Red Book Q-channel layout): lead-in, track 1 pre-gap (index 0) at 00:00:00
 * (LBA -150: the host writes MMC_CUE_PREGAP sectors there first), index 1 at 00:02:00
 * (LBA 0), lead-out after the track. 4 entries of 8 bytes. */
#define MMC_CUE_PREGAP 150u
#define MMC_CUE_DATA_TRACK_LEN 32
void mmc_build_cue_sheet_data(uint8_t *cue, uint32_t blocks);
/* LBA -> MSF, the Red Book way (LBA 0 = 00:02:00). */
void mmc_lba_to_msf(int32_t lba, uint8_t msf[3]);

/* READ/SEND DISC STRUCTURE (MMC-6 6.29, 6.36) for DVD media (media type 0). */
enum { MMC_DS_LAYER_BOUNDARY = 0x20, MMC_DS_SHIFTED_MIDDLE = 0x21 };
size_t mmc_cdb_read_disc_structure(uint8_t *cdb, uint8_t format, uint16_t alloc);
size_t mmc_cdb_send_disc_structure(uint8_t *cdb, uint8_t format, uint16_t param_len);
/* The 12-byte parameter list of format 20h setting the end of layer 0 (the L0 data zone
 * capacity) of a DVD+R DL or DVD-R DL. */
#define MMC_LAYER_BREAK_LEN 12
void mmc_build_layer_break(uint8_t *list, uint32_t l0_blocks);

/* The 28-byte performance descriptor SET STREAMING sends (MMC-6 6.39.3.1): a write
 * speed of write_kbs kB/s from LBA 0 to end_lba. */
#define MMC_STREAMING_DESC_LEN 28
void mmc_build_streaming_desc(uint8_t *desc, uint32_t end_lba, uint32_t read_kbs,
			      uint32_t write_kbs);

/* Name of an opcode for messages ("WRITE(10)"), "opcode 0xNN" style for unknown ones. */
const char *mmc_opcode_name(uint8_t opcode);

#endif
