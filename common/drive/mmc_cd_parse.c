/* The parsers of a drive's CD answers (mmc_cd.h): READ TOC format 0 and 5, READ
 * SUB-CHANNEL formats 2 and 3. Pure, apart from the commands that fetch the bytes, so the
 * MMC fuzz target (tests/fuzz/fuzz_mmc_parsers.c) links them without a transport: whatever
 * a length field claims, nothing is read past the bytes that arrived. */
#include "common/drive/mmc_cd.h"

#include <string.h>

#include "common/dm_endian.h"

dm_status mmc_parse_toc0(const uint8_t *b, size_t n, mmc_toc *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	out->leadout = -1;
	if (n < 4)
		return dm_fail(ctx, DM_ERR_SCSI, "READ TOC: %zu bytes, no header", n);
	size_t len = (size_t)dm_get_be16(b) + 2;
	if (len > n)
		len = n;
	out->first = b[2];
	out->last = b[3];
	for (size_t off = 4; off + 8 <= len; off += 8) {
		const uint8_t *d = b + off;
		mmc_toc_entry e = { d[2], (uint8_t)(d[1] >> 4), (uint8_t)(d[1] & 0x0f),
				    (int32_t)dm_get_be32(d + 4) };
		if (e.number == 0xaa) {
			out->leadout = e.lba;
			continue;
		}
		if (e.number < 1 || e.number > 99 || out->n == 99)
			return dm_fail(ctx, DM_ERR_SCSI, "READ TOC: a descriptor of track %u", e.number);
		if (out->n && e.lba <= out->tracks[out->n - 1].lba)
			return dm_fail(ctx, DM_ERR_SCSI, "READ TOC: track %u starts at LBA %ld, not after "
				       "track %u (%ld)", e.number, (long)e.lba,
				       out->tracks[out->n - 1].number, (long)out->tracks[out->n - 1].lba);
		out->tracks[out->n++] = e;
	}
	return DM_OK;
}

void mmc_parse_subchannel_code(const uint8_t *b, size_t n, int format, char *out)
{
	size_t want = format == 2 ? 13 : 12; /* MCN digits, ISRC characters */
	out[0] = '\0';
	/* Header (4), format code, ADR/control, track, reserved, then MCVAL/TCVAL at byte 8. */
	if (n < 9 + want || !(b[8] & 0x80))
		return;
	/* Printable characters only: a drive's garbage never reaches a report. */
	size_t i;
	for (i = 0; i < want && b[9 + i] >= 0x20 && b[9 + i] < 0x7f; i++)
		out[i] = (char)b[9 + i];
	out[i] = '\0';
}

unsigned mmc_parse_cdtext(uint8_t *buf, size_t n)
{
	if (n < 4)
		return 0;
	size_t len = (size_t)dm_get_be16(buf) + 2;
	if (len > n)
		len = n;
	if (len < 4) /* a length field under the header's own (fuzzing found it) */
		return 0;
	unsigned count = (unsigned)((len - 4) / 18);
	memmove(buf, buf + 4, (size_t)count * 18);
	return count;
}
