/* The command ring of LIO's user backstore (target_core_user, "TCMU"), read and answered
 * with explicit decoders: the kernel's layout (linux/target_core_user.h, the kernel's
 * Documentation/target/tcmu-design.rst) is checked against the offsets used here when
 * tcmu_ring.c is compiled, and every offset and length the kernel writes into the shared
 * region is checked against the region before it is used.
 *
 * The region (the uio device's map 0) holds the mailbox at offset 0, the command ring at
 * cmdr_off (cmdr_size bytes) and the data area after it. The kernel appends entries at
 * cmd_head; user space consumes them at cmd_tail, answers each in place (the response
 * overlays the request, so the request's iovecs must be used up first) and moves
 * cmd_tail past it. Values are in the host's byte order (both sides run on one CPU). */
#ifndef TCMU_RING_H
#define TCMU_RING_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"

enum { TCMU_RING_OP_PAD = 0, TCMU_RING_OP_CMD = 1, TCMU_RING_OP_TMR = 2 };

#define TCMU_RING_CDB_MAX 16
#define TCMU_RING_SENSE_MAX 96

typedef struct tcmu_ring {
	uint8_t *base;       /* the mapped region */
	size_t size;
	uint16_t version;
	uint16_t flags;      /* TCMU_MAILBOX_FLAG_CAP_* */
	uint32_t cmdr_off, cmdr_size;
} tcmu_ring;

/* One entry of the command ring, decoded. */
typedef struct tcmu_entry {
	uint32_t tail;       /* its offset in the command ring */
	uint32_t len;        /* its length (a multiple of 8) */
	unsigned op;         /* TCMU_RING_OP_* (other values: unknown) */
	uint16_t cmd_id;
	/* TCMU_RING_OP_CMD only: */
	uint8_t cdb[TCMU_RING_CDB_MAX];
	size_t cdb_len;
	uint32_t iov_cnt;    /* data iovecs (bidirectional ones are refused) */
	uint64_t data_len;   /* their total length */
} tcmu_entry;

/* Check the mailbox of a mapped region of size bytes. */
dm_status tcmu_ring_init(tcmu_ring *r, uint8_t *base, size_t size, dm_ctx *ctx);

/* Decode the entry at cmd_tail: 1 when one is waiting (in *e), 0 when the ring is empty,
 * -1 when the ring holds something that breaks its rules (message in ctx). */
int tcmu_ring_next(const tcmu_ring *r, tcmu_entry *e, dm_ctx *ctx);

/* The length of a CDB by its operation code's group (SPC-4 4.2.5.1; group 3 is
 * variable-length, the vendor groups 6 and 7 are taken as 10 bytes as Linux does). */
size_t tcmu_cdb_len(const uint8_t *cdb);

/* Copy the entry's data into buf (data-out), or buf's first n bytes into the entry's data
 * buffers (data-in; n <= e->data_len). */
void tcmu_ring_gather(const tcmu_ring *r, const tcmu_entry *e, uint8_t *buf);
void tcmu_ring_scatter(const tcmu_ring *r, const tcmu_entry *e, const uint8_t *buf, size_t n);

/* Answer a command in place: SCSI status, sense (at most TCMU_RING_SENSE_MAX bytes) and,
 * when read_len >= 0 and the kernel takes it, the length of the data really read. */
void tcmu_ring_respond(const tcmu_ring *r, const tcmu_entry *e, uint8_t status,
		       const uint8_t *sense, size_t sense_len, int64_t read_len);
/* Flag an entry whose operation this handler does not know (the kernel fails it). */
void tcmu_ring_unknown_op(const tcmu_ring *r, const tcmu_entry *e);
/* Move cmd_tail past the entry (after its answer is written). */
void tcmu_ring_consume(const tcmu_ring *r, const tcmu_entry *e);

#endif
