#include "common/drive/media_probe.h"

#include <string.h>

dm_status media_probe_drive(scsi_transport *t, media_drive *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	dm_status st = mmc_inquiry(t, &out->inquiry, ctx);
	if (st != DM_OK)
		return st;
	if (out->inquiry.device_type != 0x05)
		dm_warn(ctx, "%s is not an optical drive (SCSI device type %02Xh)", scsi_describe(t),
			out->inquiry.device_type);
	st = mmc_get_configuration(t, MMC_RT_ALL, 0, &out->config, ctx);
	if (st != DM_OK)
		return st;
	/* Optional answers: tgt rejects some, older drives others (spec/drive-notes.md);
	 * their failures are deferred and dropped (dm_tolerate), not reported. */
	uint8_t buf[256];
	const uint8_t *page;
	size_t len;
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_mode_sense_page(t, MMC_PAGE_CAPABILITIES, buf, sizeof(buf), &page,
						 &len, NULL, ctx), NULL, 0) == DM_OK) {
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_parse_caps_page(page, len, &out->caps, ctx), NULL, 0) == DM_OK)
			out->have_caps = 1;
	}
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_get_write_speeds(t, &out->speeds, ctx), NULL, 0) != DM_OK)
		out->speeds.n = 0;
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_read_buffer_capacity(t, &out->buffer, ctx), NULL, 0) == DM_OK)
		out->have_buffer = 1;
	return DM_OK;
}

static const char *device_type_name(uint8_t type)
{
	switch (type) {
	case 0x00: return "a direct-access block device (disk, USB stick)";
	case 0x01: return "a tape drive";
	case 0x03: return "a processor device";
	case 0x07: return "an optical memory (MO) device";
	case 0x0c: return "a storage array controller";
	case 0x0d: return "an enclosure";
	case 0x0e: return "a simplified direct-access device";
	default: return "not a CD/DVD/BD drive";
	}
}

dm_status media_check_optical(scsi_transport *t, dm_ctx *ctx)
{
	mmc_inquiry_info inq;
	dm_status st = mmc_inquiry(t, &inq, ctx);
	if (st != DM_OK)
		return st;
	if (inq.device_type != 0x05)
		return dm_fail(ctx, DM_ERR_MEDIA, "%s is not an optical drive: SCSI peripheral "
			       "device type %02Xh, %s (%s %s); nothing was sent to it that writes",
			       scsi_describe(t), inq.device_type, device_type_name(inq.device_type),
			       inq.vendor, inq.product);
	return DM_OK;
}

/* The profile's write feature is current, and for DVD+R/+RW its Write bit is set
 * (MMC-6 5.3.24, 5.3.25: a drive may read these discs without writing them). */
static int drive_can_write(const mmc_config *c, const media_profile *m)
{
	uint16_t want[2] = { m->write_feature, m->alt_write_feature };
	for (int i = 0; i < 2; i++) {
		if (!want[i])
			continue;
		const mmc_feature *f = mmc_config_feature(c, want[i]);
		if (!f || !f->current)
			continue;
		if ((want[i] == 0x002a || want[i] == 0x002b) && f->data_len >= 1 && !(f->data[0] & 1))
			continue;
		return 1;
	}
	return 0;
}

/* A command whose failure only leaves a fact unknown. */
#define OPTIONAL(ctx, call) (dm_defer(ctx), dm_tolerate((ctx), (call), NULL, 0) == DM_OK)

dm_status media_probe_disc(scsi_transport *t, media_disc *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	dm_status st = mmc_media_present(t, &out->present, ctx);
	if (st != DM_OK || !out->present)
		return st;

	mmc_config cfg;
	st = mmc_get_configuration(t, MMC_RT_ALL, 0, &cfg, ctx);
	if (st != DM_OK)
		return st;
	out->profile = cfg.current_profile;
	out->model = media_profile_find(cfg.current_profile);
	if (out->model && out->model->recording != MEDIA_READ_ONLY)
		out->writable_by_drive = drive_can_write(&cfg, out->model);
	const mmc_feature *mastering = mmc_config_feature(&cfg, 0x002e);
	out->cd_sao = mastering && mastering->current && mastering->data_len >= 1 &&
		      (mastering->data[0] & 0x20);

	st = mmc_read_disc_info(t, &out->disc, ctx);
	if (st != DM_OK)
		return st;
	uint8_t buf[256];
	const uint8_t *page;
	size_t len;
	if (!OPTIONAL(ctx, mmc_mode_sense_page(t, MMC_PAGE_CAPABILITIES, buf, sizeof(buf), &page,
					       &len, &out->write_protected, ctx)))
		out->write_protected = 0;

	/* The last track of the last session is the invisible (writable) track of a blank
	 * or appendable disc (MMC-6 6.22.3.1.6); asking by number works on drives that
	 * reject 0xFF for closed discs. */
	unsigned last = out->disc.last_track_last_session ? out->disc.last_track_last_session : 1;
	if (OPTIONAL(ctx, mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, last, &out->track, ctx)))
		out->have_track = 1;

	mmc_capacity cap;
	if (out->disc.disc_status != MMC_DISC_BLANK && OPTIONAL(ctx, mmc_read_capacity(t, &cap, ctx)) &&
	    cap.last_lba != 0xffffffffu)
		out->recorded_blocks = cap.last_lba + 1;

	out->formatted = 1;
	media_capacity_source src = out->model ? out->model->capacity : MEDIA_CAP_READ_CAPACITY;
	if (out->disc.disc_status == MMC_DISC_COMPLETE && out->model &&
	    out->model->recording == MEDIA_SEQUENTIAL)
		src = MEDIA_CAP_READ_CAPACITY;
	switch (src) {
	case MEDIA_CAP_TRACK_FREE:
		if (out->have_track && out->track.nwa_v) {
			out->nwa_valid = 1;
			out->nwa = out->track.nwa;
			out->free_blocks = out->track.free_blocks;
			uint64_t total = (uint64_t)out->track.nwa + out->track.free_blocks;
			out->total_blocks = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
		} else {
			out->total_blocks = out->recorded_blocks;
		}
		break;
	case MEDIA_CAP_FORMAT_CAPACITY: {
		mmc_format_capacities fc;
		if (OPTIONAL(ctx, mmc_read_format_capacities(t, &fc, ctx)) &&
		    fc.current_type != MMC_FMT_NO_MEDIA) {
			out->total_blocks = fc.current_blocks;
			out->formatted = fc.current_type == MMC_FMT_FORMATTED;
		} else {
			if (out->have_track)
				out->total_blocks = out->track.track_size;
			out->formatted = out->disc.disc_status != MMC_DISC_BLANK;
		}
		out->free_blocks = out->total_blocks; /* overwritable from LBA 0 */
		out->nwa_valid = 1;
		out->nwa = 0;
		break;
	}
	case MEDIA_CAP_READ_CAPACITY:
		out->total_blocks = out->recorded_blocks;
		break;
	}
	return DM_OK;
}
