#include "writeimg/wi_session.h"

#include <string.h>

#include "common/dm_endian.h"

#define SEC 2048u

void wi_session_made_for(const wi_image_id *id, uint64_t image_blocks, wi_made_for *out)
{
	memset(out, 0, sizeof(*out));
	if (id->kind == WI_IMG_ISO9660 || id->kind == WI_IMG_BRIDGE) {
		if (id->made_for >= 0) {
			out->known = 1;
			out->lba = (uint32_t)id->made_for;
			out->how = "where its root directory lies in it";
			return;
		}
		/* The root beyond the first bytes read: the volume space size counts from LBA
		 * 0, so an image for N claims N + its own size (ECMA-119 8.4.8). */
		if (id->volume_blocks) {
			out->known = 1;
			out->lba = id->volume_blocks > image_blocks
					   ? (uint32_t)(id->volume_blocks - image_blocks) : 0;
			out->how = "its volume space size";
			return;
		}
	}
	/* ECMA-167 3/10.2: the anchor at the volume's sector 256 names its own location. */
	if (id->udf_anchor >= 256) {
		out->known = 1;
		out->lba = (uint32_t)(id->udf_anchor - 256);
		out->how = "its UDF anchor at sector 256";
	}
}

dm_status wi_session_check(const wi_image_id *id, uint64_t image_blocks, uint32_t target,
			   int blank, const char *drive, dm_ctx *ctx)
{
	wi_made_for m;
	wi_session_made_for(id, image_blocks, &m);
	if (!m.known) {
		if (target)
			dm_warn(ctx, "the image does not tell the address it was made for (%s): it is "
				"written at LBA %u as it is", id->kind == WI_IMG_UNKNOWN ? "raw data"
				: "no root directory or anchor seen", target);
		return DM_OK;
	}
	if (m.lba == target)
		return DM_OK;
	if (blank || target == 0)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the image was made for a session starting at LBA %u (mkimage --previous "
			       "or mkisofs -C; told by %s), but the disc %s: its first session starts at "
			       "LBA 0, where the image's directories would point at sectors it does not "
			       "hold; make the image without --previous (mkimage -o first.iso TREES...)",
			       m.lba, m.how, blank ? "is blank" : "is written from LBA 0");
	if (m.lba == 0)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the image was made for a first session (LBA 0; told by %s), but the "
			       "disc's next session starts at LBA %u: written there, its root would "
			       "point into the first session and its files would be unreachable; make "
			       "the image for that address with: mkimage --previous %s [--remove PATH] "
			       "-o next.iso TREES...", m.how, target, drive ? drive : "DRIVE");
	return dm_fail(ctx, DM_ERR_MEDIA,
		       "the image was made for a session starting at LBA %u (told by %s), but the "
		       "disc's next session starts at LBA %u: the disc changed since, or the image "
		       "was made for another disc; make it again with: mkimage --previous %s "
		       "[--remove PATH] -o next.iso TREES...", m.lba, m.how, target,
		       drive ? drive : "DRIVE");
}

static int vsd_is(const uint8_t *d, const char *id)
{
	return !memcmp(d + 1, id, 5);
}

dm_status wi_grow_plan(const uint8_t *head, size_t len, uint32_t n, wi_grow_copy *out,
		       dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	size_t sectors = len / SEC;
	unsigned k = 0;
	int term = 0, extended = 0;
	/* Pure UDF: no ISO 9660 descriptors, the recognition sequence (BEA01 ... TEA01) at 16
	 * and the anchor at 256 make the new tree the disc's. */
	int pure = sectors > 16 && vsd_is(head + 16 * SEC, "BEA01");
	term = pure;
	/* ECMA-119 8.1: descriptors from 16 to the terminator (type 255); ECMA-167 2/9.1:
	 * an extended area BEA01 ... TEA01 right after it (a bridge's NSR descriptor). */
	for (size_t s = 16; s < sectors && s < 16 + 64; s++) {
		const uint8_t *d = head + s * SEC;
		if (!term) {
			if (!vsd_is(d, "CD001"))
				break;
			k++;
			if (d[0] == 255)
				term = 1;
			continue;
		}
		if (!extended && !vsd_is(d, "BEA01"))
			break;
		extended = 1;
		k++;
		if (vsd_is(d, "TEA01"))
			break;
	}
	if (!term)
		return dm_fail(ctx, DM_ERR_MEDIA, "the image has no ISO 9660 volume descriptors up "
			       "to a terminator from its sector 16: it cannot grow the disc's volume");
	out->descriptors = k;
	if (pure && !(sectors > 256 && (head[256 * SEC] | head[256 * SEC + 1] << 8) == 2))
		return dm_fail(ctx, DM_ERR_MEDIA, "the image is a UDF volume without an anchor at "
			       "its sector 256: it cannot grow the disc's volume");
	if (sectors > 256) {
		const uint8_t *a = head + 256 * SEC;
		if ((a[0] | a[1] << 8) == 2) {
			uint32_t loc = dm_get_le32(a + 12);
			if (loc != n + 256)
				return dm_fail(ctx, DM_ERR_MEDIA, "the image's UDF anchor at its sector "
					       "256 names LBA %u, not %u: it was not made for LBA %u", loc,
					       n + 256, n);
			/* ECMA-167 3/7.2: the tag's location and checksum change, its CRC covers
			 * only the descriptor after the tag. */
			memcpy(out->avdp, a, SEC);
			dm_put_le32(out->avdp + 12, 256);
			uint8_t sum = 0;
			for (int i = 0; i < 16; i++)
				if (i != 4)
					sum = (uint8_t)(sum + out->avdp[i]);
			out->avdp[4] = sum;
			out->anchor = 1;
		}
	}
	return DM_OK;
}
