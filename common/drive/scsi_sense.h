/* Sense data: decoded through libsgutils2 (fixed and descriptor formats, SPC-4 4.5) and
 * turned into a message a user can act on, plus the classes the retry policy needs. */
#ifndef SCSI_SENSE_H
#define SCSI_SENSE_H

#include <stddef.h>
#include <stdint.h>

#define SCSI_SENSE_MAX 96

/* SPC-4 table 27 sense keys used by name. */
enum {
	SK_NO_SENSE = 0x0, SK_RECOVERED = 0x1, SK_NOT_READY = 0x2, SK_MEDIUM_ERROR = 0x3,
	SK_HARDWARE_ERROR = 0x4, SK_ILLEGAL_REQUEST = 0x5, SK_UNIT_ATTENTION = 0x6,
	SK_DATA_PROTECT = 0x7, SK_BLANK_CHECK = 0x8, SK_ABORTED = 0xb
};

/* The key/ASC/ASCQ triples drives give (SPC-4 annex D, MMC-6 annex F), by name: the
 * emulator answers with them and scsi_sense_message() explains them from the same table
 * (scsi_sense.c), so a code and its message live in one place. */
typedef enum scsi_sense_id {
	SENSE_OK,                        /* 0/00/00 */
	SENSE_BECOMING_READY,            /* 2/04/01 */
	SENSE_FORMAT_IN_PROGRESS,        /* 2/04/04 */
	SENSE_OPERATION_IN_PROGRESS,     /* 2/04/07 (BLANK) */
	SENSE_LONG_WRITE_IN_PROGRESS,    /* 2/04/08 */
	SENSE_NO_MEDIUM,                 /* 2/3A/00 */
	SENSE_WRITE_ERROR,               /* 3/0C/00 */
	SENSE_WRITE_LOSS_OF_STREAMING,   /* 3/0C/09: buffer underrun */
	SENSE_READ_ERROR,                /* 3/11/00 */
	SENSE_FORMAT_CORRUPTED,          /* 3/31/00 */
	SENSE_FORMAT_FAILED,             /* 3/31/01 */
	SENSE_PARAM_LIST_LENGTH,         /* 5/1A/00 */
	SENSE_INVALID_OPCODE,            /* 5/20/00 */
	SENSE_LBA_OUT_OF_RANGE,          /* 5/21/00 */
	SENSE_INVALID_WRITE_ADDRESS,     /* 5/21/02 */
	SENSE_INVALID_FIELD_CDB,         /* 5/24/00 */
	SENSE_INVALID_FIELD_PARAM,       /* 5/26/00 */
	SENSE_SEQUENCE_ERROR,            /* 5/2C/00 */
	SENSE_CANNOT_READ_MEDIUM,        /* 5/30/02: incompatible format */
	SENSE_CANNOT_WRITE_MEDIUM,       /* 5/30/05: incompatible format */
	SENSE_CANNOT_FORMAT_MEDIUM,      /* 5/30/06: incompatible medium */
	SENSE_MEDIUM_NOT_FORMATTED,      /* 5/30/10 */
	SENSE_SAVING_NOT_SUPPORTED,      /* 5/39/00 */
	SENSE_REMOVAL_PREVENTED,         /* 5/53/02 */
	SENSE_ILLEGAL_MODE_FOR_TRACK,    /* 5/64/00 */
	SENSE_NO_MORE_RESERVATIONS,      /* 5/72/05 */
	SENSE_MEDIUM_CHANGED,            /* 6/28/00 */
	SENSE_WRITE_PROTECTED,           /* 7/27/00 */
	SENSE_ID_COUNT
} scsi_sense_id;

/* The triple of a named code. */
void scsi_sense_triple(scsi_sense_id id, uint8_t *key, uint8_t *asc, uint8_t *ascq);

typedef struct scsi_sense_info {
	int valid;          /* sense data was present and parsable */
	uint8_t key, asc, ascq;
} scsi_sense_info;

/* Decode raw sense bytes (0x70-0x73 response codes). Returns sense->valid. */
int scsi_sense_decode(const uint8_t *sense, size_t len, scsi_sense_info *out);

/* Fill a fixed-format (0x70) sense buffer of 18 bytes; returns 18. Transports whose
 * library hands over only key/ASC/ASCQ (libiscsi) and the emulator use it. */
size_t scsi_sense_build_fixed(uint8_t *buf, uint8_t key, uint8_t asc, uint8_t ascq);

typedef enum scsi_sense_class {
	SCSI_CLASS_NONE,            /* no sense, or recovered error */
	SCSI_CLASS_BECOMING_READY,  /* 2/04/01: wait and retry */
	SCSI_CLASS_IN_PROGRESS,     /* 2/04/04, 2/04/07, 2/04/08: format, operation, long write */
	SCSI_CLASS_NO_MEDIUM,       /* x/3A/xx */
	SCSI_CLASS_UNIT_ATTENTION,  /* 6/xx/xx: media changed, reset: retry once or twice */
	SCSI_CLASS_INVALID_OPCODE,  /* 5/20/00: the drive does not support the command */
	SCSI_CLASS_ERROR            /* everything else, including 2/24/00 (spec/drive-notes.md, tgt quirk 6) */
} scsi_sense_class;

scsi_sense_class scsi_sense_classify(const scsi_sense_info *s);

/* "NOT READY: medium not present - insert a disc (sense 2/3a/00)". */
void scsi_sense_message(const scsi_sense_info *s, char *buf, size_t len);

#endif
