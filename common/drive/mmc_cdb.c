#include "common/drive/mmc_cdb.h"

#include <string.h>

#include "common/dm_endian.h"
#include "common/drive/scsi_transport.h"

static size_t start(uint8_t *cdb, uint8_t opcode, size_t len)
{
	memset(cdb, 0, SCSI_CDB_MAX);
	cdb[0] = opcode;
	return len;
}

/* SPC-4 6.37 */
size_t mmc_cdb_test_unit_ready(uint8_t *cdb)
{
	return start(cdb, MMC_TEST_UNIT_READY, 6);
}

/* SPC-4 6.39: allocation length in byte 4. */
size_t mmc_cdb_request_sense(uint8_t *cdb, uint8_t alloc)
{
	size_t n = start(cdb, MMC_REQUEST_SENSE, 6);
	cdb[4] = alloc;
	return n;
}

/* SPC-4 6.6: standard data (EVPD 0), allocation length in bytes 3-4. */
size_t mmc_cdb_inquiry(uint8_t *cdb, uint16_t alloc)
{
	size_t n = start(cdb, MMC_INQUIRY, 6);
	dm_put_be16(cdb + 3, alloc);
	return n;
}

/* MMC-6 6.44: IMMED byte 1 bit 0, LoEj byte 4 bit 1, Start byte 4 bit 0. */
size_t mmc_cdb_start_stop_unit(uint8_t *cdb, int immed, int load_eject, int start_bit)
{
	size_t n = start(cdb, MMC_START_STOP_UNIT, 6);
	cdb[1] = immed ? 0x01 : 0;
	cdb[4] = (uint8_t)((load_eject ? 0x02 : 0) | (start_bit ? 0x01 : 0));
	return n;
}

/* MMC-6 6.15: Prevent field byte 4 bits 0-1 (persistent bit left 0). */
size_t mmc_cdb_prevent_allow(uint8_t *cdb, int prevent)
{
	size_t n = start(cdb, MMC_PREVENT_ALLOW, 6);
	cdb[4] = prevent ? 0x01 : 0x00;
	return n;
}

/* MMC-6 6.24: allocation length bytes 7-8. */
size_t mmc_cdb_read_format_capacities(uint8_t *cdb, uint16_t alloc)
{
	size_t n = start(cdb, MMC_READ_FORMAT_CAPACITIES, 10);
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.23 */
size_t mmc_cdb_read_capacity(uint8_t *cdb)
{
	return start(cdb, MMC_READ_CAPACITY, 10);
}

/* MMC-6 6.19: LBA bytes 2-5, transfer length bytes 7-8. */
size_t mmc_cdb_read10(uint8_t *cdb, uint32_t lba, uint16_t blocks)
{
	size_t n = start(cdb, MMC_READ10, 10);
	dm_put_be32(cdb + 2, lba);
	dm_put_be16(cdb + 7, blocks);
	return n;
}

/* MMC-6 6.46: LBA bytes 2-5, transfer length bytes 7-8. */
size_t mmc_cdb_write10(uint8_t *cdb, uint32_t lba, uint16_t blocks)
{
	size_t n = start(cdb, MMC_WRITE10, 10);
	dm_put_be32(cdb + 2, lba);
	dm_put_be16(cdb + 7, blocks);
	return n;
}

/* MMC-6 6.45: IMMED byte 1 bit 1; LBA and block count 0 = the whole cache. */
size_t mmc_cdb_synchronize_cache(uint8_t *cdb, int immed)
{
	size_t n = start(cdb, MMC_SYNCHRONIZE_CACHE, 10);
	cdb[1] = immed ? 0x02 : 0;
	return n;
}

/* MMC-6 6.6: RT byte 1 bits 0-1, starting feature bytes 2-3, allocation bytes 7-8. */
size_t mmc_cdb_get_configuration(uint8_t *cdb, int rt, uint16_t start_feature, uint16_t alloc)
{
	size_t n = start(cdb, MMC_GET_CONFIGURATION, 10);
	cdb[1] = (uint8_t)(rt & 0x03);
	dm_put_be16(cdb + 2, start_feature);
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.8: Polled byte 1 bit 0 (asynchronous operation is not supported here), class
 * request byte 4, allocation bytes 7-8. */
size_t mmc_cdb_get_event_status(uint8_t *cdb, uint8_t class_mask, uint16_t alloc)
{
	size_t n = start(cdb, MMC_GET_EVENT_STATUS, 10);
	cdb[1] = 0x01;
	cdb[4] = class_mask;
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.22: data type 000b (standard disc information), allocation bytes 7-8. */
size_t mmc_cdb_read_disc_info(uint8_t *cdb, uint16_t alloc)
{
	size_t n = start(cdb, MMC_READ_DISC_INFO, 10);
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.27: address type byte 1 bits 0-1, address/number bytes 2-5, allocation 7-8. */
size_t mmc_cdb_read_track_info(uint8_t *cdb, int addr_type, uint32_t addr, uint16_t alloc)
{
	size_t n = start(cdb, MMC_READ_TRACK_INFO, 10);
	cdb[1] = (uint8_t)(addr_type & 0x03);
	dm_put_be32(cdb + 2, addr);
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.31: ARSV 0 (reservation by size), logical track size in bytes 5-8. */
size_t mmc_cdb_reserve_track(uint8_t *cdb, uint32_t blocks)
{
	size_t n = start(cdb, MMC_RESERVE_TRACK, 10);
	dm_put_be32(cdb + 5, blocks);
	return n;
}

/* SPC-4 6.10: PF byte 1 bit 4 (pages follow the standard format), length bytes 7-8. */
size_t mmc_cdb_mode_select10(uint8_t *cdb, uint16_t param_len)
{
	size_t n = start(cdb, MMC_MODE_SELECT10, 10);
	cdb[1] = 0x10;
	dm_put_be16(cdb + 7, param_len);
	return n;
}

/* SPC-4 6.12: DBD byte 1 bit 3 (MMC drives have no block descriptors), PC and page code
 * byte 2, allocation bytes 7-8. */
size_t mmc_cdb_mode_sense10(uint8_t *cdb, int page, int pc, uint16_t alloc)
{
	size_t n = start(cdb, MMC_MODE_SENSE10, 10);
	cdb[1] = 0x08;
	cdb[2] = (uint8_t)(((pc & 0x03) << 6) | (page & 0x3f));
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.3: IMMED byte 1 bit 0, function byte 2 bits 0-2, track/session number 4-5. */
size_t mmc_cdb_close_track_session(uint8_t *cdb, int immed, int function, uint16_t track)
{
	size_t n = start(cdb, MMC_CLOSE_TRACK_SESSION, 10);
	cdb[1] = immed ? 0x01 : 0;
	cdb[2] = (uint8_t)(function & 0x07);
	dm_put_be16(cdb + 4, track);
	return n;
}

/* MMC-6 6.26: Block 0 (answer in bytes), allocation bytes 7-8. */
size_t mmc_cdb_read_buffer_capacity(uint8_t *cdb, uint16_t alloc)
{
	size_t n = start(cdb, MMC_READ_BUFFER_CAPACITY, 10);
	dm_put_be16(cdb + 7, alloc);
	return n;
}

/* MMC-6 6.7: type 03h (write speed descriptors), maximum descriptors bytes 8-9, type
 * byte 10. Type 0 is answered 2/24/00 by tgt (spec/drive-notes.md, tgt quirk 6); type 3
 * is what writers use. */
size_t mmc_cdb_get_performance_write_speed(uint8_t *cdb, uint16_t max_desc)
{
	size_t n = start(cdb, MMC_GET_PERFORMANCE, 12);
	dm_put_be16(cdb + 8, max_desc);
	cdb[10] = 0x03;
	return n;
}

/* MMC-6 6.39: type 0 (performance descriptor), parameter list length bytes 9-10. */
size_t mmc_cdb_set_streaming(uint8_t *cdb, uint16_t param_len)
{
	size_t n = start(cdb, MMC_SET_STREAMING, 12);
	dm_put_be16(cdb + 9, param_len);
	return n;
}

/* MMC-6 6.38: read speed bytes 2-3, write speed bytes 4-5, in kB/s (0xFFFF: maximum). */
size_t mmc_cdb_set_cd_speed(uint8_t *cdb, uint16_t read_kbs, uint16_t write_kbs)
{
	size_t n = start(cdb, MMC_SET_CD_SPEED, 12);
	dm_put_be16(cdb + 2, read_kbs);
	dm_put_be16(cdb + 4, write_kbs);
	return n;
}

/* MMC-6 6.7: Data Type byte 1 (bit 2 Write, Except 00b: nominal performance), starting
 * LBA bytes 2-5 (0), maximum descriptors 8-9, type 00h byte 10. */
size_t mmc_cdb_get_performance_nominal(uint8_t *cdb, int write, uint16_t max_desc)
{
	size_t n = start(cdb, MMC_GET_PERFORMANCE, 12);
	cdb[1] = write ? 0x04 : 0x00;
	dm_put_be16(cdb + 8, max_desc);
	cdb[10] = 0x00;
	return n;
}

/* MMC-6 6.2: IMMED byte 1 bit 4, blanking type byte 1 bits 0-2, start address or track
 * number bytes 2-5. */
size_t mmc_cdb_blank(uint8_t *cdb, int immed, int type, uint32_t lba)
{
	size_t n = start(cdb, MMC_BLANK, 12);
	cdb[1] = (uint8_t)((immed ? 0x10 : 0) | (type & 0x07));
	dm_put_be32(cdb + 2, lba);
	return n;
}

/* MMC-6 6.5: byte 1 FmtData (bit 4) 1, CmpList (bit 3) 0, Format Code 001b. The
 * parameter list length is not in the CDB: the header's descriptor length tells. */
size_t mmc_cdb_format_unit(uint8_t *cdb)
{
	size_t n = start(cdb, MMC_FORMAT_UNIT, 6);
	cdb[1] = 0x11;
	return n;
}

/* MMC-6 table 75 (format list header): byte 1 FOV bit 7, IMMED bit 1; bytes 2-3 the
 * descriptor length (8). Table 76: bytes 4-7 number of blocks, byte 8 type << 2 |
 * sub-type, bytes 9-11 type dependent parameter. */
void mmc_build_format_list(uint8_t *list, int immed, uint32_t blocks, uint8_t type,
			   uint8_t subtype, uint32_t param)
{
	memset(list, 0, MMC_FORMAT_LIST_LEN);
	list[1] = (uint8_t)(0x80 | (immed ? 0x02 : 0));
	dm_put_be16(list + 2, 8);
	dm_put_be32(list + 4, blocks);
	list[8] = (uint8_t)((type << 2) | (subtype & 0x03));
	list[9] = (uint8_t)(param >> 16);
	list[10] = (uint8_t)(param >> 8);
	list[11] = (uint8_t)param;
}

/* MMC-6 6.35: cue sheet size, 24 bits in bytes 6-8. */
size_t mmc_cdb_send_cue_sheet(uint8_t *cdb, uint32_t len)
{
	size_t n = start(cdb, MMC_SEND_CUE_SHEET, 10);
	cdb[6] = (uint8_t)(len >> 16);
	cdb[7] = (uint8_t)(len >> 8);
	cdb[8] = (uint8_t)len;
	return n;
}

void mmc_lba_to_msf(int32_t lba, uint8_t msf[3])
{
	int32_t f = lba + 150;
	if (f < 0)
		f += 450000; /* negative LBAs of the lead-in wrap (MMC-6 table 693) */
	msf[0] = (uint8_t)(f / (60 * 75));
	msf[1] = (uint8_t)(f / 75 % 60);
	msf[2] = (uint8_t)(f % 75);
}

/* One cue sheet entry (MMC-6 table 555): CTL/ADR, TNO, INDEX, DATA FORM, SCMS, MSF. CTL 4
 * (data track, copy prohibited) ADR 1 = 41h; data form 10h: Mode 1, 2048 bytes of user
 * data, the drive makes sync, header and EDC/ECC, for the pre-gap (index 0) and the
 * track (index 1): the host sends the 150 pre-gap sectors from LBA -150 first, as
 * cdrecord and libburn do; data form 14h (the drive generates the data) for the lead-in
 * and lead-out. */
static void cue_entry(uint8_t *e, uint8_t tno, uint8_t index, uint8_t form, int32_t lba)
{
	e[0] = 0x41;
	e[1] = tno;
	e[2] = index;
	e[3] = form;
	e[4] = 0x00;
	if (tno == 0) {
		e[5] = e[6] = e[7] = 0; /* lead-in: 00:00:00 */
		return;
	}
	mmc_lba_to_msf(lba, e + 5);
}

void mmc_build_cue_sheet_data(uint8_t *cue, uint32_t blocks)
{
	cue_entry(cue, 0x00, 0x00, 0x14, 0);
	cue_entry(cue + 8, 0x01, 0x00, 0x10, -150);
	cue_entry(cue + 16, 0x01, 0x01, 0x10, 0);
	cue_entry(cue + 24, 0xaa, 0x01, 0x14, (int32_t)blocks);
}

/* MMC-6 6.29: media type byte 1 (0: DVD), address 2-5, layer 6, format 7, allocation
 * 8-9, AGID byte 10. */
size_t mmc_cdb_read_disc_structure(uint8_t *cdb, uint8_t format, uint16_t alloc)
{
	size_t n = start(cdb, MMC_READ_DISC_STRUCTURE, 12);
	cdb[7] = format;
	dm_put_be16(cdb + 8, alloc);
	return n;
}

/* MMC-6 6.36: media type byte 1 (0), format byte 7, parameter list length 8-9. */
size_t mmc_cdb_send_disc_structure(uint8_t *cdb, uint8_t format, uint16_t param_len)
{
	size_t n = start(cdb, MMC_SEND_DISC_STRUCTURE, 12);
	cdb[7] = format;
	dm_put_be16(cdb + 8, param_len);
	return n;
}

/* MMC-6 table 620: structure data length 10 (bytes 0-1), reserved to byte 7, the layer 0
 * data zone capacity in bytes 8-11. */
void mmc_build_layer_break(uint8_t *list, uint32_t l0_blocks)
{
	memset(list, 0, MMC_LAYER_BREAK_LEN);
	dm_put_be16(list, MMC_LAYER_BREAK_LEN - 2);
	dm_put_be32(list + 8, l0_blocks);
}

/* MMC-6 table 557: byte 0 WRC/RDD/Exact/RA (all 0: default rotation, no restore), start
 * LBA 4-7, end LBA 8-11, read size 12-15, read time 16-19, write size 20-23, write time
 * 24-27. Sizes in kB over times of 1000 ms give kB/s. */
void mmc_build_streaming_desc(uint8_t *desc, uint32_t end_lba, uint32_t read_kbs,
			      uint32_t write_kbs)
{
	memset(desc, 0, MMC_STREAMING_DESC_LEN);
	dm_put_be32(desc + 8, end_lba);
	dm_put_be32(desc + 12, read_kbs);
	dm_put_be32(desc + 16, 1000);
	dm_put_be32(desc + 20, write_kbs);
	dm_put_be32(desc + 24, 1000);
}

static const struct {
	uint8_t opcode;
	const char *name;
} names[] = {
	{ MMC_TEST_UNIT_READY, "TEST UNIT READY" },
	{ MMC_REQUEST_SENSE, "REQUEST SENSE" },
	{ MMC_FORMAT_UNIT, "FORMAT UNIT" },
	{ MMC_INQUIRY, "INQUIRY" },
	{ MMC_START_STOP_UNIT, "START STOP UNIT" },
	{ MMC_PREVENT_ALLOW, "PREVENT ALLOW MEDIUM REMOVAL" },
	{ MMC_READ_FORMAT_CAPACITIES, "READ FORMAT CAPACITIES" },
	{ MMC_READ_CAPACITY, "READ CAPACITY" },
	{ MMC_READ10, "READ(10)" },
	{ MMC_WRITE10, "WRITE(10)" },
	{ MMC_SYNCHRONIZE_CACHE, "SYNCHRONIZE CACHE" },
	{ MMC_GET_CONFIGURATION, "GET CONFIGURATION" },
	{ MMC_GET_EVENT_STATUS, "GET EVENT STATUS NOTIFICATION" },
	{ MMC_READ_DISC_INFO, "READ DISC INFORMATION" },
	{ MMC_READ_TRACK_INFO, "READ TRACK INFORMATION" },
	{ MMC_RESERVE_TRACK, "RESERVE TRACK" },
	{ MMC_MODE_SELECT10, "MODE SELECT(10)" },
	{ MMC_MODE_SENSE10, "MODE SENSE(10)" },
	{ MMC_CLOSE_TRACK_SESSION, "CLOSE TRACK/SESSION" },
	{ MMC_READ_BUFFER_CAPACITY, "READ BUFFER CAPACITY" },
	{ MMC_SEND_CUE_SHEET, "SEND CUE SHEET" },
	{ MMC_BLANK, "BLANK" },
	{ MMC_GET_PERFORMANCE, "GET PERFORMANCE" },
	{ MMC_READ_DISC_STRUCTURE, "READ DISC STRUCTURE" },
	{ MMC_SET_STREAMING, "SET STREAMING" },
	{ MMC_SEND_DISC_STRUCTURE, "SEND DISC STRUCTURE" },
	{ MMC_SET_CD_SPEED, "SET CD SPEED" },
};

const char *mmc_opcode_name(uint8_t opcode)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].opcode == opcode)
			return names[i].name;
	return "unknown command";
}
