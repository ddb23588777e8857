#include "tests/guest/tcmu_ring.h"

#include <stddef.h>
#include <string.h>
#include <sys/uio.h>

/* linux/target_core_user.h includes linux/uio.h, whose struct iovec clashes with
 * sys/uio.h's: claim it included. The header is used only to check the offsets below. */
#define __LINUX_UIO_H
#include <linux/target_core_user.h>

/* The mailbox (struct tcmu_mailbox). */
enum { MB_VERSION = 0, MB_FLAGS = 2, MB_CMDR_OFF = 4, MB_CMDR_SIZE = 8, MB_CMD_HEAD = 12,
       MB_CMD_TAIL = 64, MB_SIZE = 68 };
/* An entry (struct tcmu_cmd_entry): header, then the request or, later, the response.
 * The request's members are naturally aligned (only the outer struct is packed). */
enum { HDR_LEN_OP = 0, HDR_CMD_ID = 4, HDR_KFLAGS = 6, HDR_UFLAGS = 7, HDR_SIZE = 8,
       REQ_IOV_CNT = 8, REQ_IOV_BIDI_CNT = 12, REQ_IOV_DIF_CNT = 16, REQ_CDB_OFF = 24,
       REQ_IOV = 48, RSP_STATUS = 8, RSP_READ_LEN = 12, RSP_SENSE = 16 };
/* struct iovec: the kernel stores offsets into the region in iov_base. */
enum { IOV_BASE = 0, IOV_LEN = sizeof(void *), IOV_SIZE = 2 * sizeof(void *) };

_Static_assert(offsetof(struct tcmu_mailbox, flags) == MB_FLAGS, "mailbox layout");
_Static_assert(offsetof(struct tcmu_mailbox, cmdr_off) == MB_CMDR_OFF, "mailbox layout");
_Static_assert(offsetof(struct tcmu_mailbox, cmdr_size) == MB_CMDR_SIZE, "mailbox layout");
_Static_assert(offsetof(struct tcmu_mailbox, cmd_head) == MB_CMD_HEAD, "mailbox layout");
_Static_assert(offsetof(struct tcmu_mailbox, cmd_tail) == MB_CMD_TAIL, "mailbox layout");
_Static_assert(sizeof(struct tcmu_cmd_entry_hdr) == HDR_SIZE, "entry header layout");
_Static_assert(offsetof(struct tcmu_cmd_entry_hdr, uflags) == HDR_UFLAGS, "entry header");
_Static_assert(offsetof(struct tcmu_cmd_entry, req.iov_cnt) == REQ_IOV_CNT, "request layout");
_Static_assert(offsetof(struct tcmu_cmd_entry, req.cdb_off) == REQ_CDB_OFF, "request layout");
_Static_assert(offsetof(struct tcmu_cmd_entry, req.iov) == REQ_IOV, "request layout");
_Static_assert(offsetof(struct tcmu_cmd_entry, rsp.scsi_status) == RSP_STATUS, "response");
_Static_assert(offsetof(struct tcmu_cmd_entry, rsp.read_len) == RSP_READ_LEN, "response");
_Static_assert(offsetof(struct tcmu_cmd_entry, rsp.sense_buffer) == RSP_SENSE, "response");
_Static_assert(TCMU_SENSE_BUFFERSIZE == TCMU_RING_SENSE_MAX, "sense buffer size");
_Static_assert(sizeof(struct iovec) == IOV_SIZE, "iovec layout");
_Static_assert((int)TCMU_OP_CMD == (int)TCMU_RING_OP_CMD &&
	       (int)TCMU_OP_TMR == (int)TCMU_RING_OP_TMR, "entry operations");

/* Host-order loads and stores at byte offsets (the region is shared, not a struct). */
static uint16_t get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* A pointer-sized field (struct iovec's members). */
static uint64_t word(const uint8_t *p)
{
	return sizeof(void *) == 8 ? get64(p) : get32(p);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* cmd_head is written by the kernel, cmd_tail by us: ordered 32-bit accesses (both are
 * 4-byte aligned in a page-aligned mapping). */
static uint32_t load_head(const tcmu_ring *r)
{
	return __atomic_load_n((const uint32_t *)(const void *)(r->base + MB_CMD_HEAD),
			       __ATOMIC_ACQUIRE);
}

static uint32_t load_tail(const tcmu_ring *r)
{
	return __atomic_load_n((const uint32_t *)(const void *)(r->base + MB_CMD_TAIL),
			       __ATOMIC_RELAXED);
}

dm_status tcmu_ring_init(tcmu_ring *r, uint8_t *base, size_t size, dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	if (size < MB_SIZE)
		return dm_fail(ctx, DM_ERR_INVALID, "TCMU region of %zu bytes: no room for the "
			       "mailbox", size);
	r->base = base;
	r->size = size;
	r->version = get16(base + MB_VERSION);
	r->flags = get16(base + MB_FLAGS);
	r->cmdr_off = get32(base + MB_CMDR_OFF);
	r->cmdr_size = get32(base + MB_CMDR_SIZE);
	if (r->version != TCMU_MAILBOX_VERSION)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "TCMU mailbox version %u (this handler "
			       "speaks %u)", r->version, TCMU_MAILBOX_VERSION);
	if (r->cmdr_off < MB_SIZE || r->cmdr_size < 64 || r->cmdr_size % 8 ||
	    (uint64_t)r->cmdr_off + r->cmdr_size > size)
		return dm_fail(ctx, DM_ERR_INVALID, "TCMU command ring at %u, %u bytes: outside "
			       "the region of %zu bytes", r->cmdr_off, r->cmdr_size, size);
	return DM_OK;
}

size_t tcmu_cdb_len(const uint8_t *cdb)
{
	static const uint8_t group_len[8] = { 6, 10, 10, 0, 16, 12, 10, 10 };
	size_t n = group_len[cdb[0] >> 5];
	return n ? n : (size_t)cdb[7] + 8; /* variable length: additional length + 8 */
}

/* The i-th data iovec: offset and length, inside the data area. */
static int iov_at(const tcmu_ring *r, const tcmu_entry *e, uint32_t i, uint64_t *off,
		  uint64_t *len)
{
	const uint8_t *p = r->base + r->cmdr_off + e->tail + REQ_IOV + (size_t)i * IOV_SIZE;
	*off = word(p + IOV_BASE);
	*len = word(p + IOV_LEN);
	uint64_t data_start = (uint64_t)r->cmdr_off + r->cmdr_size;
	return *off >= data_start && *len <= r->size && *off <= r->size - *len;
}

int tcmu_ring_next(const tcmu_ring *r, tcmu_entry *e, dm_ctx *ctx)
{
	uint32_t head = load_head(r), tail = load_tail(r);
	memset(e, 0, sizeof(*e));
	if (head >= r->cmdr_size || tail >= r->cmdr_size || head % 8 || tail % 8) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU ring: head %u / tail %u outside the ring of %u "
			"bytes", head, tail, r->cmdr_size);
		return -1;
	}
	if (head == tail)
		return 0;
	/* Entries never wrap: the kernel pads to the ring's end (TCMU_OP_PAD). */
	if (r->cmdr_size - tail < HDR_SIZE) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU ring: entry header at %u crosses the end", tail);
		return -1;
	}
	const uint8_t *p = r->base + r->cmdr_off + tail;
	uint32_t len_op = get32(p + HDR_LEN_OP);
	e->tail = tail;
	e->len = len_op & ~(uint32_t)TCMU_OP_MASK;
	e->op = len_op & TCMU_OP_MASK;
	e->cmd_id = get16(p + HDR_CMD_ID);
	if (e->len < HDR_SIZE || e->len > r->cmdr_size - tail) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU ring: entry at %u of %u bytes does not fit", tail,
			e->len);
		return -1;
	}
	if (e->op != TCMU_RING_OP_CMD)
		return 1;
	if (e->len < REQ_IOV) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU command %u: entry of %u bytes", e->cmd_id, e->len);
		return -1;
	}
	e->iov_cnt = get32(p + REQ_IOV_CNT);
	uint32_t bidi = get32(p + REQ_IOV_BIDI_CNT), dif = get32(p + REQ_IOV_DIF_CNT);
	uint64_t iovs_end = REQ_IOV + ((uint64_t)e->iov_cnt + bidi + dif) * IOV_SIZE;
	if (iovs_end > e->len) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU command %u: %u+%u+%u iovecs overrun its entry of "
			"%u bytes", e->cmd_id, e->iov_cnt, bidi, dif, e->len);
		return -1;
	}
	/* The CDB sits inside the entry, after the iovecs; cdb_off counts from the mailbox. */
	uint64_t cdb_off = get64(p + REQ_CDB_OFF);
	uint64_t entry_off = (uint64_t)r->cmdr_off + tail;
	if (cdb_off < entry_off + iovs_end || cdb_off >= entry_off + e->len) {
		dm_fail(ctx, DM_ERR_INVALID, "TCMU command %u: CDB offset %llu outside its entry",
			e->cmd_id, (unsigned long long)cdb_off);
		return -1;
	}
	/* Copy what the entry holds (at most 16 bytes) before reading any of it. */
	size_t room = (size_t)(entry_off + e->len - cdb_off);
	size_t have = room < TCMU_RING_CDB_MAX ? room : TCMU_RING_CDB_MAX;
	memcpy(e->cdb, r->base + cdb_off, have);
	e->cdb_len = tcmu_cdb_len(e->cdb);
	if (e->cdb_len > have) {
		/* A 32-byte variable-length CDB (group 3) and the like: handed over as far as
		 * it fits, so that the handler can refuse its operation code. */
		e->cdb_len = have;
	}
	for (uint32_t i = 0; i < e->iov_cnt; i++) {
		uint64_t off, len;
		if (!iov_at(r, e, i, &off, &len)) {
			dm_fail(ctx, DM_ERR_INVALID, "TCMU command %u: data iovec %u (offset %llu, "
				"%llu bytes) outside the data area", e->cmd_id, i,
				(unsigned long long)off, (unsigned long long)len);
			return -1;
		}
		e->data_len += len;
	}
	return 1;
}

void tcmu_ring_gather(const tcmu_ring *r, const tcmu_entry *e, uint8_t *buf)
{
	size_t done = 0;
	for (uint32_t i = 0; i < e->iov_cnt; i++) {
		uint64_t off, len;
		if (!iov_at(r, e, i, &off, &len))
			return; /* checked by tcmu_ring_next */
		memcpy(buf + done, r->base + off, (size_t)len);
		done += (size_t)len;
	}
}

void tcmu_ring_scatter(const tcmu_ring *r, const tcmu_entry *e, const uint8_t *buf, size_t n)
{
	for (uint32_t i = 0; i < e->iov_cnt && n; i++) {
		uint64_t off, len;
		if (!iov_at(r, e, i, &off, &len))
			return;
		size_t k = len < n ? (size_t)len : n;
		memcpy(r->base + off, buf, k);
		buf += k;
		n -= k;
	}
}

void tcmu_ring_respond(const tcmu_ring *r, const tcmu_entry *e, uint8_t status,
		       const uint8_t *sense, size_t sense_len, int64_t read_len)
{
	uint8_t *p = r->base + r->cmdr_off + e->tail;
	/* The response overlays the request: nothing of it is read after this point. */
	p[RSP_STATUS] = status;
	if (sense_len > TCMU_RING_SENSE_MAX)
		sense_len = TCMU_RING_SENSE_MAX;
	memset(p + RSP_SENSE, 0, TCMU_RING_SENSE_MAX);
	if (sense_len)
		memcpy(p + RSP_SENSE, sense, sense_len);
	if (read_len >= 0 && (r->flags & TCMU_MAILBOX_FLAG_CAP_READ_LEN)) {
		put32(p + RSP_READ_LEN, read_len > UINT32_MAX ? UINT32_MAX : (uint32_t)read_len);
		p[HDR_UFLAGS] |= TCMU_UFLAG_READ_LEN;
	}
}

void tcmu_ring_unknown_op(const tcmu_ring *r, const tcmu_entry *e)
{
	r->base[r->cmdr_off + e->tail + HDR_UFLAGS] |= TCMU_UFLAG_UNKNOWN_OP;
}

void tcmu_ring_consume(const tcmu_ring *r, const tcmu_entry *e)
{
	uint32_t next = (e->tail + e->len) % r->cmdr_size;
	__atomic_store_n((uint32_t *)(void *)(r->base + MB_CMD_TAIL), next, __ATOMIC_RELEASE);
}
