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

/* Overwritable media: the ISO 9660 volume at 16 says where the data ends. */
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
	if (sec[0] != 1 || memcmp(sec + 1, "CD001", 5) || sec[6] != 1)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "the %s holds no ISO 9660 volume (no primary volume descriptor at LBA 16): "
			       "there is no session to add to", disc_name(d, nb, sizeof(nb)));
	uint32_t size = dm_get_le32(sec + 80); /* ECMA-119 8.4.8, both-byte order */
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
