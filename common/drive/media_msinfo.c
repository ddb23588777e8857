#include "common/drive/media_msinfo.h"

#include <stdio.h>
#include <string.h>

#include "common/dm_endian.h"

/* The disc's name for messages. */
static const char *disc_name(const media_disc *d, char *buf, size_t cap)
{
	return media_profile_name(d->profile, buf, cap);
}

/* The first track of session `session`, walking back from track `from` (MMC-6 6.27:
 * READ TRACK INFORMATION by track number gives each track's session and start). */
static dm_status session_start(scsi_transport *t, unsigned first_track, unsigned from,
			       unsigned session, uint32_t *start, dm_ctx *ctx)
{
	int found = 0;
	for (unsigned k = from; k >= first_track && k > 0; k--) {
		mmc_track_info ti;
		dm_status st = mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, k, &ti, ctx);
		if (st)
			return dm_fail_prefix(ctx, "finding the start of session %u: ", session);
		if (ti.session != session)
			break;
		*start = ti.start;
		found = 1;
	}
	if (!found)
		return dm_fail(ctx, DM_ERR_MEDIA, "the drive reports no track in session %u", session);
	return DM_OK;
}

/* A pure UDF volume grown on overwritable media (no ISO 9660 at 16): its anchor at 256
 * (ECMA-167 3/10.2) points to the main volume descriptor sequence, whose partition
 * descriptor (3/10.5: start at BP 188, length at BP 192) gives the partition's end; the
 * anchors at N - 256 and N (UDF 2.2.3) may follow it, so an anchor 256 sectors past that
 * end, recorded there (tag location, 3/7.2), moves the end past it (spec/udf.md: a
 * session's partition ends at N - 256). *end = 0: no anchor at 256. */
static dm_status udf_volume_end(scsi_transport *t, uint32_t *end, dm_ctx *ctx)
{
	uint8_t sec[MMC_SECTOR];
	*end = 0;
	dm_status st = mmc_read10(t, 256, 1, sec, ctx);
	if (st == DM_ERR_SCSI)
		return DM_OK; /* not recorded: no UDF volume either */
	if (st)
		return dm_fail_prefix(ctx, "reading the UDF anchor at LBA 256: ");
	if (dm_get_le16(sec) != 2)
		return DM_OK;
	uint32_t len = dm_get_le32(sec + 16) / MMC_SECTOR, loc = dm_get_le32(sec + 20);
	if (len > 64)
		len = 64; /* a descriptor sequence of a few sectors; bound the walk */
	for (uint32_t k = 0; k < len; k++) {
		if ((st = mmc_read10(t, loc + k, 1, sec, ctx)) != DM_OK)
			return dm_fail_prefix(ctx, "reading the UDF descriptor at LBA %u: ", loc + k);
		uint16_t tag = dm_get_le16(sec);
		if (tag == 8) /* terminating descriptor */
			break;
		if (tag != 5)
			continue;
		uint64_t e = (uint64_t)dm_get_le32(sec + 188) + dm_get_le32(sec + 192);
		if (e > UINT32_MAX - 257)
			return dm_fail(ctx, DM_ERR_MEDIA, "the UDF partition descriptor at LBA %u "
				       "ends past the disc (%llu)", loc + k, (unsigned long long)e);
		*end = (uint32_t)e;
		if (mmc_read10(t, *end + 256, 1, sec, ctx) == DM_OK && dm_get_le16(sec) == 2 &&
		    dm_get_le32(sec + 12) == *end + 256)
			*end += 257;
		return DM_OK;
	}
	return dm_fail(ctx, DM_ERR_MEDIA, "the UDF volume at LBA 256 has no partition descriptor "
		       "in its main descriptor sequence (LBA %u, %u sectors)", loc, len);
}

/* Overwritable media: the ISO 9660 volume at 16 (or a pure UDF volume) says where the data
 * ends. */
static dm_status grown_next(scsi_transport *t, const media_disc *d, media_msinfo *out, dm_ctx *ctx)
{
	uint8_t sec[MMC_SECTOR];
	char nb[32];
	dm_status st = mmc_read10(t, 16, 1, sec, ctx);
	if (st == DM_ERR_SCSI) { /* not recorded: a blank or freshly formatted disc */
		char why[sizeof(ctx->msg)];
		snprintf(why, sizeof(why), "%s", ctx->msg);
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s holds no ISO 9660 volume (LBA 16 cannot be "
			       "read: %s): there is no session to add to", disc_name(d, nb, sizeof(nb)),
			       why);
	}
	if (st)
		return dm_fail_prefix(ctx, "reading the volume descriptor at LBA 16: ");
	uint32_t size;
	if (sec[0] == 1 && !memcmp(sec + 1, "CD001", 5) && sec[6] == 1)
		size = dm_get_le32(sec + 80); /* ECMA-119 8.4.8, both-byte order */
	else if ((st = udf_volume_end(t, &size, ctx)) != DM_OK)
		return st;
	else if (!size)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the %s holds no ISO 9660 volume (no primary volume descriptor at LBA 16) "
			       "and no UDF volume (no anchor at LBA 256): there is no session to add to",
			       disc_name(d, nb, sizeof(nb)));
	uint32_t ecc = d->model && d->model->ecc_blocks ? d->model->ecc_blocks : 16;
	uint64_t next = ((uint64_t)size + ecc - 1) / ecc * ecc;
	if (next >= d->total_blocks && d->total_blocks)
		return dm_fail(ctx, DM_ERR_NOSPACE, "the %s is full: its volume ends at LBA %u of %u",
			       disc_name(d, nb, sizeof(nb)), size, d->total_blocks);
	out->start = 0;
	out->next = (uint32_t)next;
	out->session = 1;
	out->grown = 1;
	return DM_OK;
}

dm_status media_msinfo_get(scsi_transport *t, const media_disc *d, media_msinfo *out, dm_ctx *ctx)
{
	char nb[32];
	memset(out, 0, sizeof(*out));
	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive");
	if (!d->model)
		return dm_fail(ctx, DM_ERR_MEDIA, "unknown disc (profile %04Xh): no sessions to read",
			       d->profile);
	const char *name = disc_name(d, nb, sizeof(nb));
	if (d->model->recording == MEDIA_RANDOM)
		return grown_next(t, d, out, ctx);
	if (d->model->recording != MEDIA_SEQUENTIAL || d->disc.disc_status == MMC_DISC_COMPLETE)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is closed: no session can be added to it", name);
	if (d->disc.disc_status == MMC_DISC_BLANK)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the %s is blank: there is no previous session (write the first one "
			       "without --previous)", name);
	if (d->disc.disc_status != MMC_DISC_APPENDABLE || !d->nwa_valid)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s reports no next writable address", name);
	/* MMC-6 6.22.3.1.5: an appendable disc counts its empty last session; the one before
	 * is the last complete session. */
	if (d->disc.sessions < 2 || d->disc.first_track_last_session < 2)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is appendable but reports no complete session",
			       name);
	unsigned last = d->disc.sessions - 1;
	dm_status st = session_start(t, d->disc.first_track ? d->disc.first_track : 1,
				     d->disc.first_track_last_session - 1, last, &out->start, ctx);
	if (st)
		return st;
	out->next = d->nwa;
	out->session = last;
	if (out->start >= out->next)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s reports session %u at LBA %u, after the next "
			       "writable address %u", name, last, out->start, out->next);
	return DM_OK;
}
