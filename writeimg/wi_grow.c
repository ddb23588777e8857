/* Growing an overwritable disc's one session (wi_session.h has the plan): where the new
 * session goes, the copy of its descriptors to LBA 16 that makes it the disc's tree, and
 * the read-back of that copy. */
#include "writeimg/wi_grow.h"

#include <stdlib.h>
#include <string.h>

#include "common/drive/media_msinfo.h"
#include "writeimg/wi_disc.h"

#define SECTOR MMC_SECTOR

/* --multisession on an overwritable disc: where the volume ends (NEXT, as --msinfo), or
 * 0 when the disc is empty (the image is then its first session). */
dm_status wi_grow_target(scsi_transport *t, const wi_burn_opts *o, wi_burn_result *r,
			 dm_ctx *ctx)
{
	const media_disc *d = &r->disc;
	char nb[32];
	const char *name = media_profile_name(d->profile, nb, sizeof(nb));
	if (o->erased || !d->formatted)
		return DM_OK;
	wi_image_id id;
	dm_status st = wi_disc_volume(t, d, &id, ctx);
	if (st != DM_OK)
		return dm_fail_prefix(ctx, "reading what the disc holds: ");
	if (id.kind == WI_IMG_UNKNOWN && id.head_zero) {
		dm_note(ctx, "the %s holds no volume yet: the image is written from LBA 0 as its "
			"first session", name);
		return DM_OK;
	}
	/* A bridge or a pure UDF volume grows too: the new session's anchor goes to 256
	 * (spec/udf.md "Later sessions"; the disc's volume ends where media_msinfo says). */
	if (id.kind == WI_IMG_UNKNOWN)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s holds data that is no ISO 9660 or UDF "
			       "volume: writeimg grows ISO 9660 and UDF volumes only", name);
	media_msinfo ms;
	if ((st = media_msinfo_get(t, d, &ms, ctx)) != DM_OK)
		return st;
	r->grow = 1;
	r->start_lba = ms.next;
	r->old_volume = id.volume_blocks;
	dm_note(ctx, "the %s holds %s volume \"%s\" of %llu sectors: the image grows "
		"it from LBA %u (as growisofs -M)", name,
		id.kind == WI_IMG_ISO9660 ? "an ISO 9660" : wi_image_kind_name(id.kind), id.volume_id,
		(unsigned long long)id.volume_blocks, ms.next);
	return DM_OK;
}

/* Growing: the new session is on the disc at start_lba; its volume descriptors (and UDF
 * anchor) go to LBA 16 (256) now, the one step that makes readers see the new tree. */
dm_status wi_grow_commit(scsi_transport *t, const wi_image *img, wi_burn_result *r, dm_ctx *ctx)
{
	const wi_grow_copy *g = &r->grow_copy;
	dm_note(ctx, "the new session is on the disc at LBA %u (%llu sectors); the disc still "
		"shows its old tree: copying the %u new volume descriptors to LBA 16", r->start_lba,
		(unsigned long long)r->image_blocks, g->descriptors);
	r->grow_copying = 1;
	dm_status st = mmc_write10(t, 16, (uint16_t)g->descriptors, img->head + 16 * SECTOR,
				   ctx);
	if (st == DM_OK && g->anchor)
		st = mmc_write10(t, 256, 1, g->avdp, ctx);
	if (st == DM_OK)
		st = mmc_synchronize_cache(t, 0, ctx);
	if (st != DM_OK)
		return dm_fail_prefix(ctx, "copying the new volume descriptors to LBA 16: ");
	r->grow_committed = 1;
	return DM_OK;
}

/* Growing, verified: LBA 16 (and 256) hold what was copied there. */
dm_status wi_grow_verify(scsi_transport *t, const wi_image *img, wi_burn_result *r, dm_ctx *ctx)
{
	const wi_grow_copy *g = &r->grow_copy;
	uint8_t *buf = malloc((size_t)g->descriptors * SECTOR);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = mmc_read10(t, 16, (uint16_t)g->descriptors, buf, ctx);
	if (st == DM_OK && memcmp(buf, img->head + 16 * SECTOR, (size_t)g->descriptors * SECTOR)) {
		r->verified = -1;
		st = dm_fail(ctx, DM_ERR_MEDIA, "verification failed: the volume descriptors at "
			     "LBA 16-%u differ from the new session's", 16 + g->descriptors - 1);
	}
	if (st == DM_OK && g->anchor && (st = mmc_read10(t, 256, 1, buf, ctx)) == DM_OK &&
	    memcmp(buf, g->avdp, SECTOR)) {
		r->verified = -1;
		st = dm_fail(ctx, DM_ERR_MEDIA, "verification failed: the UDF anchor at LBA 256 "
			     "differs from the new session's");
	}
	free(buf);
	if (st != DM_OK && r->verified >= 0)
		dm_fail_prefix(ctx, "verifying the copied descriptors: ");
	return st;
}
