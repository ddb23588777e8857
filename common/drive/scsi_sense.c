#include "common/drive/scsi_sense.h"

#include <scsi/sg_lib.h>
#include <stdio.h>
#include <string.h>

int scsi_sense_decode(const uint8_t *sense, size_t len, scsi_sense_info *out)
{
	struct sg_scsi_sense_hdr h;

	memset(out, 0, sizeof(*out));
	if (!sense || len < 8 || len > SCSI_SENSE_MAX)
		return 0;
	/* sg_scsi_normalize_sense handles fixed (0x70/0x71) and descriptor (0x72/0x73)
	 * formats; it only reads the bytes the format's header promises within len. */
	if (!sg_scsi_normalize_sense(sense, (int)len, &h))
		return 0;
	out->valid = 1;
	out->key = h.sense_key & 0x0f;
	out->asc = h.asc;
	out->ascq = h.ascq;
	return 1;
}

size_t scsi_sense_build_fixed(uint8_t *buf, uint8_t key, uint8_t asc, uint8_t ascq)
{
	/* SPC-4 4.5.3: fixed format, current error, additional length 10. */
	memset(buf, 0, 18);
	buf[0] = 0x70;
	buf[2] = key & 0x0f;
	buf[7] = 10;
	buf[12] = asc;
	buf[13] = ascq;
	return 18;
}

scsi_sense_class scsi_sense_classify(const scsi_sense_info *s)
{
	if (!s->valid || s->key == SK_NO_SENSE || s->key == SK_RECOVERED)
		return SCSI_CLASS_NONE;
	if (s->asc == 0x3a)
		return SCSI_CLASS_NO_MEDIUM;
	if (s->key == SK_UNIT_ATTENTION)
		return SCSI_CLASS_UNIT_ATTENTION;
	/* Key on the ASC too: tgt returns "invalid field" as 2/24/00, which must not be
	 * waited for (spec/drive-notes.md, tgt quirk 6). */
	if (s->key == SK_NOT_READY && s->asc == 0x04) {
		if (s->ascq == 0x01)
			return SCSI_CLASS_BECOMING_READY;
		if (s->ascq == 0x04 || s->ascq == 0x07 || s->ascq == 0x08)
			return SCSI_CLASS_IN_PROGRESS;
	}
	if (s->key == SK_ILLEGAL_REQUEST && s->asc == 0x20 && s->ascq == 0x00)
		return SCSI_CLASS_INVALID_OPCODE;
	return SCSI_CLASS_ERROR;
}

/* One table of the codes optical drives give and what a user can do about them (MMC-6
 * annex F). The first SENSE_ID_COUNT rows are the named codes, in scsi_sense_id order;
 * the rows after them match families (-1: any) for the message only. The first row that
 * matches gives the hint. */
static const struct sense_row {
	int key;   /* -1: any */
	int asc;
	int ascq;  /* -1: any */
	const char *hint;
} rows[] = {
	[SENSE_OK] = { 0, 0x00, 0x00, NULL },
	[SENSE_BECOMING_READY] = { 2, 0x04, 0x01, "the drive is spinning up: try again in a few seconds" },
	[SENSE_FORMAT_IN_PROGRESS] = { 2, 0x04, 0x04, "the drive is formatting the disc: wait for it" },
	[SENSE_OPERATION_IN_PROGRESS] = { 2, 0x04, 0x07, "the drive is busy (blanking): wait for it" },
	[SENSE_LONG_WRITE_IN_PROGRESS] = { 2, 0x04, 0x08, "the drive is still finishing a write: wait for it" },
	[SENSE_NO_MEDIUM] = { 2, 0x3a, 0x00, "no disc in the drive: insert one" },
	[SENSE_WRITE_ERROR] = { 3, 0x0c, 0x00, "writing failed: the disc may be damaged or of poor quality; try another disc or a lower --speed" },
	[SENSE_WRITE_LOSS_OF_STREAMING] = { 3, 0x0c, 0x09, "buffer underrun: the data did not arrive fast enough; try a lower --speed" },
	[SENSE_READ_ERROR] = { 3, 0x11, 0x00, "reading failed: the disc may be damaged, dirty or badly written" },
	[SENSE_FORMAT_CORRUPTED] = { 3, 0x31, 0x00, "the disc's format is damaged (an interrupted format): format it again" },
	[SENSE_FORMAT_FAILED] = { 3, 0x31, 0x01, "formatting or blanking failed: the disc needs it again" },
	[SENSE_PARAM_LIST_LENGTH] = { 5, 0x1a, 0x00, "the drive rejected the length of the parameter list" },
	[SENSE_INVALID_OPCODE] = { 5, 0x20, 0x00, "the drive does not support this command" },
	[SENSE_LBA_OUT_OF_RANGE] = { 5, 0x21, 0x00, "the address is outside the recorded or writable area" },
	[SENSE_INVALID_WRITE_ADDRESS] = { 5, 0x21, 0x02, "the write was not at the next writable address of the disc" },
	[SENSE_INVALID_FIELD_CDB] = { 5, 0x24, 0x00, "the drive rejected a field of the command" },
	[SENSE_INVALID_FIELD_PARAM] = { 5, 0x26, 0x00, "the drive rejected a field of the parameter data" },
	[SENSE_SEQUENCE_ERROR] = { 5, 0x2c, 0x00, "the drive expected another command first (command sequence error)" },
	[SENSE_CANNOT_READ_MEDIUM] = { 5, 0x30, 0x02, "the drive cannot use this disc for the command (closed or read-only disc)" },
	[SENSE_CANNOT_WRITE_MEDIUM] = { 5, 0x30, 0x05, "the disc is closed or in a format this drive cannot write: use a blank disc" },
	[SENSE_CANNOT_FORMAT_MEDIUM] = { 5, 0x30, 0x06, "this disc cannot be formatted (or not this way)" },
	[SENSE_MEDIUM_NOT_FORMATTED] = { 5, 0x30, 0x10, "the disc is not formatted: format it first" },
	[SENSE_SAVING_NOT_SUPPORTED] = { 5, 0x39, 0x00, "the drive cannot save parameters" },
	[SENSE_REMOVAL_PREVENTED] = { 5, 0x53, 0x02, "the tray is locked" },
	[SENSE_ILLEGAL_MODE_FOR_TRACK] = { 5, 0x64, 0x00, "the write mode or track mode is not allowed on this disc" },
	[SENSE_NO_MORE_RESERVATIONS] = { 5, 0x72, 0x05, "the disc has no room for another track" },
	[SENSE_MEDIUM_CHANGED] = { 6, 0x28, 0x00, "the disc was changed" },
	[SENSE_WRITE_PROTECTED] = { 7, 0x27, 0x00, "the disc is write-protected" },
	/* Families, for messages only. */
	{ -1, 0x3a, -1, "no disc in the drive: insert one" },
	{ 2, 0x04, 0x08, "the drive is still finishing a write: wait for it" },
	{ -1, 0x24, 0x00, "the drive rejected a field of the command" },
	{ -1, 0x30, -1, "the disc is incompatible with this drive" },
	{ 5, 0x72, -1, "the session could not be fixated" },
	{ 3, 0x0c, -1, "writing failed: the disc may be damaged or of poor quality; try another disc or a lower --speed" },
	{ 3, 0x11, -1, "reading failed: the disc may be damaged, dirty or badly written" },
	{ 3, 0x73, -1, "power calibration or recording area problem: try another disc" },
	{ -1, 0x27, -1, "the disc is write-protected" },
	{ 6, 0x28, -1, "the disc was changed" },
	{ 6, 0x29, -1, "the drive was reset" },
	{ 4, -1, -1, "the drive reports a hardware failure" },
	{ -1, 0x09, -1, "servo or tracking failure: the disc may be damaged" },
};

void scsi_sense_triple(scsi_sense_id id, uint8_t *key, uint8_t *asc, uint8_t *ascq)
{
	const struct sense_row *r = &rows[(unsigned)id < SENSE_ID_COUNT ? id : SENSE_OK];
	*key = (uint8_t)r->key;
	*asc = (uint8_t)r->asc;
	*ascq = (uint8_t)r->ascq;
}

void scsi_sense_message(const scsi_sense_info *s, char *buf, size_t len)
{
	char key[64], asc[128];

	if (!s->valid) {
		snprintf(buf, len, "check condition without usable sense data");
		return;
	}
	sg_get_sense_key_str(s->key, (int)sizeof(key), key);
	sg_get_asc_ascq_str(s->asc, s->ascq, (int)sizeof(asc), asc);
	const char *hint = NULL;
	for (size_t i = 1; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct sense_row *h = &rows[i];
		if ((h->key < 0 || h->key == s->key) && (h->asc < 0 || h->asc == s->asc) &&
		    (h->ascq < 0 || h->ascq == s->ascq)) {
			hint = h->hint;
			break;
		}
	}
	snprintf(buf, len, "%s, %s (sense %x/%02x/%02x)%s%s", key, asc, s->key, s->asc, s->ascq,
		 hint ? ": " : "", hint ? hint : "");
}
