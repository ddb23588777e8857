/* The disc so far for mkimage --previous SOURCE: a file holding it (sector n at byte
 * n * 2048, as `writeimg --read` copies it or an emulated disc's file is), or a drive
 * (emu:MEDIUM:FILE, /dev/srN, /dev/sgN, iscsi://...) read with READ(10) through
 * common/drive. A drive also says where its last session starts and where the next one
 * goes (media_msinfo.h); a file does not.
 *
 * Ownership: the reader's user pointer is the mk_prev; close it after the import. */
#ifndef MK_PREV_SOURCE_H
#define MK_PREV_SOURCE_H

#include "common/dm_error.h"
#include "mkimage/source/import.h"

typedef struct mk_prev mk_prev;

dm_status mk_prev_open(const char *source, mk_prev **out, mk_prev_reader *rd, dm_ctx *ctx);
/* A drive's last session start and next writable address: 1, or 0 for a file. */
int mk_prev_msinfo(const mk_prev *p, uint32_t *start, uint32_t *next);
/* A drive's disc capacity in sectors (the end of its user area); 0 for a file. */
uint32_t mk_prev_capacity(const mk_prev *p);
void mk_prev_close(mk_prev *p);

#endif
