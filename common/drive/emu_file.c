/* The emulated disc in one file: data area, then the two-slot trailer (emu_state.h has
 * the layout and the saving rule). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* fallocate */
#endif
#include "common/drive/emu_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_crc32.h"
#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"

static const char magic[8] = { 'D', 'M', 'E', 'M', 'U', 'D', 'S', 'C' };
#define VERSION 2u
#define HDR 32u
/* Version 1: two 8 KiB slots right after the data area, nothing for CD audio. */
#define V1_SLOT 8192u

uint64_t emu_file_raw_base(const emu_state *st)
{
	return (uint64_t)st->area * DM_SECTOR;
}

uint64_t emu_file_bytes(const emu_state *st)
{
	uint64_t raw = st->medium && st->medium->kind == EMU_CD ? (uint64_t)st->area * EMU_RAW : 0;
	return emu_file_raw_base(st) + raw + EMU_TRAILER_BYTES;
}

static int full_pread(int fd, uint8_t *b, size_t n, off_t off)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, b + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static int full_pwrite(int fd, const uint8_t *b, size_t n, off_t off)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pwrite(fd, b + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* A slot's text if it is valid (NUL-terminated into text), with its sequence number. */
static int slot_valid(const uint8_t *s, char *text, uint64_t *seq)
{
	if (memcmp(s, magic, 8) != 0 || dm_get_be32(s + 8) != VERSION)
		return 0;
	uint32_t len = dm_get_be32(s + 20);
	if (len == 0 || len > EMU_TRAILER_SLOT - HDR - 1)
		return 0;
	if (dm_crc32(0, s + HDR, len) != dm_get_be32(s + 24))
		return 0;
	memcpy(text, s + HDR, len);
	text[len] = '\0';
	*seq = ((uint64_t)dm_get_be32(s + 12) << 32) | dm_get_be32(s + 16);
	return 1;
}

static dm_status load(emu_file *f, off_t size, emu_state *st, dm_ctx *ctx)
{
	static uint8_t slots[EMU_TRAILER_BYTES];
	static char text[2][EMU_TRAILER_SLOT];
	if (size >= (off_t)(2 * V1_SLOT) &&
	    full_pread(f->fd, slots, 2 * V1_SLOT, size - 2 * V1_SLOT) == 0)
		for (int i = 0; i < 2; i++)
			if (memcmp(slots + i * V1_SLOT, magic, 8) == 0 &&
			    dm_get_be32(slots + i * V1_SLOT + 8) == 1)
				return dm_fail(ctx, DM_ERR_INVALID,
					       "%s: a disc of an older discmaster (state trailer "
					       "version 1, before CD audio): it is left untouched; "
					       "remove it for a new disc", f->path);
	if (size < (off_t)EMU_TRAILER_BYTES ||
	    full_pread(f->fd, slots, EMU_TRAILER_BYTES, size - EMU_TRAILER_BYTES) != 0)
		goto not_a_disc;
	uint64_t seq[2] = { 0, 0 };
	int ok[2];
	for (int i = 0; i < 2; i++)
		ok[i] = slot_valid(slots + i * EMU_TRAILER_SLOT, text[i], &seq[i]);
	if (!ok[0] && !ok[1])
		goto not_a_disc;
	int cur = !ok[0] || (ok[1] && seq[1] > seq[0]);
	f->slot = cur;
	f->seq = seq[cur];
	emu_state_init(st);
	dm_status rc = emu_state_apply_lines(st, text[cur], ctx);
	if (rc != DM_OK)
		return dm_fail_prefix(ctx, "%s: the disc's state: ", f->path);
	st->file_faults = st->faults;
	if (!st->medium || !st->medium->profile || emu_file_bytes(st) != (uint64_t)size ||
	    st->capacity > st->area)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: the disc's state does not match the file (medium, area %u "
			       "blocks: %llu bytes expected, %llu found; capacity %u)", f->path,
			       st->area, (unsigned long long)(st->medium ? emu_file_bytes(st) : 0),
			       (unsigned long long)size, st->capacity);
	return DM_OK;
not_a_disc:
	return dm_fail(ctx, DM_ERR_INVALID,
		       "%s is not an emulated disc (no valid state trailer at its end): it is left "
		       "untouched; give a new or empty file for a new disc", f->path);
}

dm_status emu_file_open(emu_file *f, const char *path, emu_state *st, int *exists,
			dm_ctx *ctx)
{
	*exists = 0;
	f->fd = -1;
	f->path = path;
	f->seq = 0;
	f->slot = 1; /* the first save goes to slot 0 */
	char old[4096];
	struct stat sb;
	if (snprintf(old, sizeof(old), "%s.emu", path) < (int)sizeof(old) && stat(old, &sb) == 0)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: a disc state of an older discmaster (two files, %s and %s); the "
			       "disc now lives in one file: remove both for a new disc", old, path,
			       old);
	f->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f->fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: cannot open %s", path);
	if (fstat(f->fd, &sb) != 0) {
		int e = errno;
		emu_file_close(f);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "emulator: %s", path);
	}
	if (sb.st_size == 0)
		return DM_OK;
	dm_status rc = load(f, sb.st_size, st, ctx);
	if (rc != DM_OK) {
		emu_file_close(f);
		return rc;
	}
	*exists = 1;
	return DM_OK;
}

dm_status emu_file_save(emu_file *f, const emu_state *st, dm_ctx *ctx)
{
	static uint8_t slot[EMU_TRAILER_SLOT];
	memset(slot, 0, HDR);
	size_t len = emu_state_format(st, (char *)slot + HDR, EMU_TRAILER_SLOT - HDR);
	if (len >= EMU_TRAILER_SLOT - HDR)
		return dm_fail(ctx, DM_ERR_INTERNAL, "%s: the disc's state does not fit its trailer",
			       f->path);
	uint64_t seq = f->seq + 1;
	memcpy(slot, magic, 8);
	dm_put_be32(slot + 8, VERSION);
	dm_put_be32(slot + 12, (uint32_t)(seq >> 32));
	dm_put_be32(slot + 16, (uint32_t)seq);
	dm_put_be32(slot + 20, (uint32_t)len);
	dm_put_be32(slot + 24, dm_crc32(0, slot + HDR, len));
	off_t base = (off_t)(emu_file_bytes(st) - EMU_TRAILER_BYTES);
	int target = !f->slot;
	/* Data first (rule in emu_state.h), then the slot not holding the newest copy. */
	if (st->faults.sync && fdatasync(f->fd) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: syncing %s", f->path);
	struct stat sb;
	if (fstat(f->fd, &sb) != 0 || sb.st_size != base + (off_t)EMU_TRAILER_BYTES) {
		/* A new disc, or the area changed: both slots move; write the other first. */
		if (ftruncate(f->fd, base + (off_t)EMU_TRAILER_BYTES) != 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: sizing %s", f->path);
	}
	/* Only the header and text: the CRC covers the text, the rest of the slot is not read. */
	if (full_pwrite(f->fd, slot, HDR + len, base + (off_t)target * EMU_TRAILER_SLOT) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: writing the state of %s",
				     f->path);
	if (st->faults.sync && fdatasync(f->fd) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: syncing %s", f->path);
	f->seq = seq;
	f->slot = target;
	return DM_OK;
}

/* Zero [from, to) bytes: a hole punched where the file system can, else the old way (the
 * file cut at `from` and grown back sparse, the trailer written again). */
static int zero_range(int fd, off_t from, off_t to)
{
#ifdef FALLOC_FL_PUNCH_HOLE
	if (to <= from || fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, from,
				    to - from) == 0)
		return 0;
#endif
	static uint8_t zero[1 << 16];
	for (off_t off = from; off < to;) {
		size_t n = (size_t)(to - off < (off_t)sizeof(zero) ? to - off : (off_t)sizeof(zero));
		if (full_pwrite(fd, zero, n, off) != 0)
			return -1;
		off += (off_t)n;
	}
	return 0;
}

dm_status emu_file_erase(emu_file *f, const emu_state *st, uint32_t from, dm_ctx *ctx)
{
	static uint8_t keep[EMU_TRAILER_BYTES];
	off_t raw = (off_t)emu_file_raw_base(st), end = (off_t)(emu_file_bytes(st) - EMU_TRAILER_BYTES);
	int cd = st->medium->kind == EMU_CD;
	if (from == 0 || !cd) {
		/* Cut the file at `from` and let it grow back sparse: the fastest erase there
		 * is (the raw region, after the data area, goes too when from is 0). */
		off_t cut = (off_t)from * DM_SECTOR;
		if (full_pread(f->fd, keep, EMU_TRAILER_BYTES, end) != 0)
			memset(keep, 0, sizeof(keep));
		if (ftruncate(f->fd, cut) != 0 || ftruncate(f->fd, end + (off_t)EMU_TRAILER_BYTES) != 0 ||
		    full_pwrite(f->fd, keep, EMU_TRAILER_BYTES, end) != 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: erasing %s", f->path);
		return DM_OK;
	}
	/* A CD's last track: the same sectors of both regions. */
	if (zero_range(f->fd, (off_t)from * DM_SECTOR, raw) != 0 ||
	    zero_range(f->fd, raw + (off_t)from * EMU_RAW, end) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "emulator: erasing %s", f->path);
	return DM_OK;
}

void emu_file_close(emu_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}
