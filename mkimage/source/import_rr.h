/* Reading the System Use entries of one directory record (SUSP 1.12; RRIP 1.12, IEEE
 * P1282): SP, CE continuation areas, and the Rock Ridge PX, PN, SL, NM, CL, PL, RE and TF
 * entries. Other entries (ER, ES, RR, ST ends, SF, ZF, AA...) are skipped by their length.
 * Every entry is checked to lie inside its area; continuation areas are read through the
 * import reader, at most RRI_MAX_AREAS per record, each inside the disc. */
#ifndef MK_IMPORT_RR_H
#define MK_IMPORT_RR_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/source/import.h"

#define RRI_NAME_MAX 255
#define RRI_TARGET_MAX 4095
#define RRI_MAX_AREAS 32
#define RRI_AREA_MAX (4 * 2048u)

enum {
	RRI_SP = 1u << 0,
	RRI_PX = 1u << 1,
	RRI_PN = 1u << 2,
	RRI_SL = 1u << 3,
	RRI_NM = 1u << 4,
	RRI_CL = 1u << 5,
	RRI_PL = 1u << 6,
	RRI_RE = 1u << 7,
	RRI_MTIME = 1u << 8,
	RRI_ATIME = 1u << 9,
	RRI_CTIME = 1u << 10,
	RRI_NM_DOT = 1u << 11,   /* NM CURRENT or PARENT: not a name */
	RRI_SERIAL = 1u << 12,   /* PX carries a file serial number (RRIP 1.12) */
};

typedef struct rr_import {
	unsigned have;           /* RRI_* */
	uint8_t sp_skip;         /* SP: bytes to skip at the start of every other record's SU */
	uint32_t mode, nlink, uid, gid, serial;
	uint64_t rdev;           /* PN: high << 32 | low, as rockridge.c writes it */
	int64_t mtime, atime, ctime;
	uint32_t cl_lba, pl_lba;
	size_t name_len;
	char name[RRI_NAME_MAX + 1];
	size_t target_len;
	char target[RRI_TARGET_MAX + 1];
} rr_import;

/* Parse su (len bytes, after the SP skip) and its continuation areas into out. where
 * names the record for messages. */
dm_status rr_import_parse(const uint8_t *su, size_t len, const mk_prev_reader *r, rr_import *out,
			  const char *where, dm_ctx *ctx);

/* ECMA-119 dates: the 7-byte form of directory records and TF (9.1.5) and the 17-byte
 * form (8.4.26.1), as seconds since 1970 UTC; an unset or invalid date is 0. */
int64_t rr_import_date7(const uint8_t *p);
int64_t rr_import_date17(const uint8_t *p);

#endif
