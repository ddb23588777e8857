#include "common/drive/mmc_parse.h"

#include <string.h>

#include "common/dm_endian.h"

static dm_status too_short(dm_ctx *ctx, const char *what, size_t got, size_t need)
{
	return dm_fail(ctx, DM_ERR_SCSI,
		       "%s: the drive answered %zu bytes, at least %zu are needed", what, got, need);
}

/* The bytes a response really holds: its own length field (counting from after the
 * field) bounded by what was transferred. */
static size_t bounded(size_t n, size_t field_end, uint32_t field)
{
	uint64_t claimed = (uint64_t)field_end + field;
	return claimed < n ? (size_t)claimed : n;
}

static void ascii_field(char *dst, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[len] = '\0';
	while (len > 0 && (dst[len - 1] == ' ' || dst[len - 1] == '\0'))
		dst[--len] = '\0';
}

dm_status mmc_parse_inquiry(const uint8_t *b, size_t n, mmc_inquiry_info *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* SPC-4 6.6.2: vendor 8-15, product 16-31, revision 32-35. */
	if (n < 36)
		return too_short(ctx, "INQUIRY", n, 36);
	out->device_type = b[0] & 0x1f;
	out->removable = (b[1] >> 7) & 1;
	ascii_field(out->vendor, b + 8, 8);
	ascii_field(out->product, b + 16, 16);
	ascii_field(out->revision, b + 32, 4);
	return DM_OK;
}

dm_status mmc_parse_configuration(const uint8_t *b, size_t n, mmc_config *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 5.2.1: data length 0-3 (bytes after itself), current profile 6-7. tgt pads
	 * to the allocation length with zeros, so the length field decides (spec/drive-notes.md,
	 * tgt quirk 9). */
	if (n < 8)
		return too_short(ctx, "GET CONFIGURATION", n, 8);
	size_t end = bounded(n, 4, dm_get_be32(b));
	if (end < 8)
		return dm_fail(ctx, DM_ERR_SCSI, "GET CONFIGURATION: data length %u is too small",
			       (unsigned)dm_get_be32(b));
	out->current_profile = dm_get_be16(b + 6);
	size_t pos = 8;
	while (pos + 4 <= end) {
		const uint8_t *f = b + pos;
		size_t add = f[3];
		size_t avail = end - pos - 4 < add ? end - pos - 4 : add;
		if (avail < add)
			out->truncated = 1;
		if (out->n_features < MMC_MAX_FEATURES) {
			mmc_feature *ft = &out->features[out->n_features++];
			ft->code = dm_get_be16(f);
			ft->version = (f[2] >> 2) & 0x0f;
			ft->persistent = (f[2] >> 1) & 1;
			ft->current = f[2] & 1;
			ft->data_len = (uint8_t)(avail < sizeof(ft->data) ? avail : sizeof(ft->data));
			memcpy(ft->data, f + 4, ft->data_len);
		} else {
			out->truncated = 1;
		}
		/* MMC-6 5.3.1: the profile list feature holds 4-byte profile descriptors. */
		if (dm_get_be16(f) == 0x0000) {
			for (size_t i = 0; i + 4 <= avail; i += 4) {
				if (out->n_profiles >= MMC_MAX_PROFILES) {
					out->truncated = 1;
					break;
				}
				out->profiles[out->n_profiles].code = dm_get_be16(f + 4 + i);
				out->profiles[out->n_profiles].current = f[4 + i + 2] & 1;
				out->n_profiles++;
			}
		}
		pos += 4 + add;
	}
	if (pos < end)
		out->truncated = 1;
	return DM_OK;
}

const mmc_feature *mmc_config_feature(const mmc_config *c, uint16_t code)
{
	for (size_t i = 0; i < c->n_features; i++)
		if (c->features[i].code == code)
			return &c->features[i];
	return NULL;
}

dm_status mmc_parse_disc_info(const uint8_t *b, size_t n, mmc_disc_info *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 table 529: the fields up to the last possible lead-out (bytes 20-23). */
	if (n < 2)
		return too_short(ctx, "READ DISC INFORMATION", n, 24);
	size_t end = bounded(n, 2, dm_get_be16(b));
	if (end < 24)
		return too_short(ctx, "READ DISC INFORMATION", end, 24);
	out->erasable = (b[2] >> 4) & 1;
	out->last_session_state = (b[2] >> 2) & 3;
	out->disc_status = b[2] & 3;
	out->first_track = b[3];
	out->sessions = (unsigned)b[9] << 8 | b[4];
	out->first_track_last_session = (unsigned)b[10] << 8 | b[5];
	out->last_track_last_session = (unsigned)b[11] << 8 | b[6];
	out->did_v = (b[7] >> 7) & 1;
	out->dbc_v = (b[7] >> 6) & 1;
	out->uru = (b[7] >> 5) & 1;
	out->dac_v = (b[7] >> 4) & 1;
	out->bg_format_status = b[7] & 3;
	out->disc_type = b[8];
	out->last_session_leadin = dm_get_be32(b + 16);
	out->last_possible_leadout = dm_get_be32(b + 20);
	return DM_OK;
}

dm_status mmc_parse_track_info(const uint8_t *b, size_t n, mmc_track_info *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 table 571. tgt's length field is 0x26 or 0x22, not MMC-5's 0x2E: read by the
	 * field (spec/drive-notes.md, tgt quirk 9). The mandatory part ends with the track size,
	 * bytes 24-27. */
	if (n < 2)
		return too_short(ctx, "READ TRACK INFORMATION", n, 28);
	size_t end = bounded(n, 2, dm_get_be16(b));
	if (end < 28)
		return too_short(ctx, "READ TRACK INFORMATION", end, 28);
	out->track = b[2];
	out->session = b[3];
	out->damage = (b[5] >> 5) & 1;
	out->copy = (b[5] >> 4) & 1;
	out->track_mode = b[5] & 0x0f;
	out->rt = (b[6] >> 7) & 1;
	out->blank = (b[6] >> 6) & 1;
	out->packet = (b[6] >> 5) & 1;
	out->fp = (b[6] >> 4) & 1;
	out->data_mode = b[6] & 0x0f;
	out->lra_v = (b[7] >> 1) & 1;
	out->nwa_v = b[7] & 1;
	out->start = dm_get_be32(b + 8);
	out->nwa = dm_get_be32(b + 12);
	out->free_blocks = dm_get_be32(b + 16);
	out->fixed_packet_size = dm_get_be32(b + 20);
	out->track_size = dm_get_be32(b + 24);
	if (end >= 32) {
		out->last_recorded = dm_get_be32(b + 28);
		out->has_last_recorded = 1;
	}
	if (end >= 34) {
		out->track |= (unsigned)b[32] << 8;
		out->session |= (unsigned)b[33] << 8;
	}
	return DM_OK;
}

dm_status mmc_parse_capacity(const uint8_t *b, size_t n, mmc_capacity *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	if (n < 8)
		return too_short(ctx, "READ CAPACITY", n, 8);
	out->last_lba = dm_get_be32(b);
	out->block_len = dm_get_be32(b + 4);
	return DM_OK;
}

dm_status mmc_parse_format_capacities(const uint8_t *b, size_t n, mmc_format_capacities *out,
				      dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 6.24.3: 4-byte header (list length in byte 3), then the current/maximum
	 * descriptor and the formattable descriptors, 8 bytes each. */
	if (n < 12)
		return too_short(ctx, "READ FORMAT CAPACITIES", n, 12);
	size_t end = bounded(n, 4, b[3]);
	if (end < 12)
		return too_short(ctx, "READ FORMAT CAPACITIES", end, 12);
	out->current_blocks = dm_get_be32(b + 4);
	out->current_type = b[8] & 3;
	out->current_block_len = (uint32_t)b[9] << 16 | (uint32_t)b[10] << 8 | b[11];
	for (size_t pos = 12; pos + 8 <= end && out->n_formats < MMC_MAX_FORMATS; pos += 8) {
		out->formats[out->n_formats].blocks = dm_get_be32(b + pos);
		out->formats[out->n_formats].format_type = b[pos + 4] >> 2;
		out->formats[out->n_formats].param =
			(uint32_t)b[pos + 5] << 16 | (uint32_t)b[pos + 6] << 8 | b[pos + 7];
		out->n_formats++;
	}
	return DM_OK;
}

dm_status mmc_parse_mode_page(const uint8_t *b, size_t n, int page, const uint8_t **page_out,
			      size_t *page_len, int *write_protected, dm_ctx *ctx)
{
	*page_out = NULL;
	*page_len = 0;
	if (write_protected)
		*write_protected = 0;
	/* SPC-4 7.5.5: mode data length 0-1, device-specific 3 (WP bit 7), block descriptor
	 * length 6-7, then descriptors, then pages. */
	if (n < 8)
		return too_short(ctx, "MODE SENSE(10)", n, 8);
	size_t end = bounded(n, 2, dm_get_be16(b));
	if (write_protected)
		*write_protected = (b[3] >> 7) & 1;
	size_t pos = 8 + (size_t)dm_get_be16(b + 6);
	while (pos + 2 <= end) {
		size_t len = 2 + (size_t)b[pos + 1];
		if ((b[pos] & 0x3f) == page) {
			*page_out = b + pos;
			*page_len = pos + len <= end ? len : end - pos;
			return DM_OK;
		}
		pos += len;
	}
	return dm_fail(ctx, DM_ERR_SCSI, "MODE SENSE(10): page %02Xh is not in the answer", page);
}

dm_status mmc_parse_caps_page(const uint8_t *p, size_t len, mmc_caps *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-3 table 361 layout (MMC-6 keeps it in annex): bytes 2-7 capability bits. */
	if (len < 8)
		return too_short(ctx, "MODE SENSE page 2Ah", len, 8);
	out->read_cdr = p[2] & 1;
	out->read_cdrw = (p[2] >> 1) & 1;
	out->read_dvdrom = (p[2] >> 3) & 1;
	out->read_dvdr = (p[2] >> 4) & 1;
	out->read_dvdram = (p[2] >> 5) & 1;
	out->write_cdr = p[3] & 1;
	out->write_cdrw = (p[3] >> 1) & 1;
	out->test_write = (p[3] >> 2) & 1;
	out->write_dvdr = (p[3] >> 4) & 1;
	out->write_dvdram = (p[3] >> 5) & 1;
	out->bufe = (p[4] >> 7) & 1;
	out->can_lock = p[6] & 1;
	out->locked = (p[6] >> 1) & 1;
	out->can_eject = (p[6] >> 3) & 1;
	out->loading_mechanism = (p[6] >> 5) & 7;
	if (len >= 14)
		out->buffer_kb = dm_get_be16(p + 12);
	if (len >= 20)
		out->max_write_kbs = dm_get_be16(p + 18);
	if (len >= 30)
		out->cur_write_kbs = dm_get_be16(p + 28);
	if (len >= 32) {
		size_t count = dm_get_be16(p + 30);
		for (size_t i = 0; i < count && 32 + 4 * i + 4 <= len; i++) {
			if (out->n_speeds >= MMC_MAX_SPEEDS)
				break;
			out->speeds_kbs[out->n_speeds++] = dm_get_be16(p + 32 + 4 * i + 2);
		}
	}
	return DM_OK;
}

dm_status mmc_parse_write_params_page(const uint8_t *p, size_t len, mmc_write_params *out,
				      dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 table 643: bytes 2-4 write type, multi-session, track mode, data block type;
	 * session format byte 8, packet size 10-13. */
	if (len < 9)
		return too_short(ctx, "MODE SENSE page 05h", len, 9);
	out->bufe = (p[2] >> 6) & 1;
	out->ls_v = (p[2] >> 5) & 1;
	out->test_write = (p[2] >> 4) & 1;
	out->write_type = p[2] & 0x0f;
	out->multisession = (p[3] >> 6) & 3;
	out->fp = (p[3] >> 5) & 1;
	out->copy = (p[3] >> 4) & 1;
	out->track_mode = p[3] & 0x0f;
	out->data_block_type = p[4] & 0x0f;
	out->session_format = p[8];
	if (len >= 14)
		out->packet_size = dm_get_be32(p + 10);
	return DM_OK;
}

void mmc_apply_write_params_page(uint8_t *p, size_t len, const mmc_write_params *w)
{
	if (len < 16)
		return;
	p[0] &= 0x3f; /* PS is reserved in MODE SELECT (SPC-4 7.5.7) */
	p[2] = (uint8_t)((p[2] & 0x80) | (w->bufe ? 0x40 : 0) | (w->ls_v ? 0x20 : 0) |
			 (w->test_write ? 0x10 : 0) | (w->write_type & 0x0f));
	p[3] = (uint8_t)(((w->multisession & 3) << 6) | (w->fp ? 0x20 : 0) | (w->copy ? 0x10 : 0) |
			 (w->track_mode & 0x0f));
	p[4] = (uint8_t)((p[4] & 0xf0) | (w->data_block_type & 0x0f));
	p[8] = w->session_format;
	dm_put_be32(p + 10, w->packet_size);
}

dm_status mmc_parse_write_speeds(const uint8_t *b, size_t n, mmc_write_speeds *out,
				 dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 6.7.2.1 header: performance data length 0-3; type 3 descriptors are 16 bytes:
	 * WRC/RDD/Exact/MRW byte 0, end LBA 4-7, read speed 8-11, write speed 12-15. */
	if (n < 8)
		return too_short(ctx, "GET PERFORMANCE", n, 8);
	size_t end = bounded(n, 4, dm_get_be32(b));
	for (size_t pos = 8; pos + 16 <= end && out->n < MMC_MAX_SPEEDS; pos += 16) {
		const uint8_t *d = b + pos;
		out->desc[out->n].wrc = (d[0] >> 3) & 3;
		out->desc[out->n].rdd = (d[0] >> 2) & 1;
		out->desc[out->n].exact = (d[0] >> 1) & 1;
		out->desc[out->n].mrw = d[0] & 1;
		out->desc[out->n].end_lba = dm_get_be32(d + 4);
		out->desc[out->n].read_kbs = dm_get_be32(d + 8);
		out->desc[out->n].write_kbs = dm_get_be32(d + 12);
		out->n++;
	}
	return DM_OK;
}

dm_status mmc_parse_nominal_performance(const uint8_t *b, size_t n, uint32_t *kbs,
					dm_ctx *ctx)
{
	*kbs = 0;
	/* Header: performance data length 0-3, Write/Except byte 4; descriptors of 16
	 * bytes: start LBA 0-3, start performance 4-7, end LBA 8-11, end performance 12-15. */
	if (n < 8)
		return too_short(ctx, "GET PERFORMANCE", n, 8);
	size_t end = bounded(n, 4, dm_get_be32(b));
	if (end >= 8 + 16)
		*kbs = dm_get_be32(b + 8 + 12);
	return DM_OK;
}

int mmc_parse_sense_progress(const uint8_t *sense, size_t len, unsigned *progress)
{
	*progress = 0;
	if (len < 1)
		return 0;
	uint8_t code = sense[0] & 0x7f;
	const uint8_t *sks = NULL;
	if ((code == 0x70 || code == 0x71) && len >= 18) {
		sks = sense + 15;
	} else if ((code == 0x72 || code == 0x73) && len >= 8) {
		size_t end = bounded(len, 8, sense[7]);
		for (size_t pos = 8; pos + 2 <= end; pos += 2u + sense[pos + 1]) {
			if (sense[pos] == 0x02 && pos + 7 <= end) {
				sks = sense + pos + 4;
				break;
			}
		}
	}
	if (!sks || !(sks[0] & 0x80))
		return 0;
	*progress = (unsigned)dm_get_be16(sks + 1);
	return 1;
}

dm_status mmc_parse_layer_info(const uint8_t *b, size_t n, mmc_layer_info *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	if (n < 12)
		return too_short(ctx, "READ DISC STRUCTURE", n, 12);
	if (bounded(n, 2, dm_get_be16(b)) < 12)
		return dm_fail(ctx, DM_ERR_SCSI, "READ DISC STRUCTURE: layer data of %u bytes",
			       dm_get_be16(b) + 2u);
	out->fixed = (b[4] >> 7) & 1;
	out->l0_blocks = dm_get_be32(b + 8);
	return DM_OK;
}

dm_status mmc_parse_buffer_capacity(const uint8_t *b, size_t n, mmc_buffer_capacity *out,
				    dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	if (n < 12)
		return too_short(ctx, "READ BUFFER CAPACITY", n, 12);
	out->length = dm_get_be32(b + 4);
	out->blank = dm_get_be32(b + 8);
	if (out->blank > out->length)
		out->blank = out->length;
	return DM_OK;
}

dm_status mmc_parse_event_status(const uint8_t *b, size_t n, mmc_event_status *out,
				 dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	/* MMC-6 6.8.3.1 header: descriptor length 0-1, NEA and class byte 2, supported
	 * classes byte 3; media descriptor (6.8.3.5): event code byte 0, status byte 1. */
	if (n < 4)
		return too_short(ctx, "GET EVENT STATUS NOTIFICATION", n, 4);
	size_t end = bounded(n, 2, dm_get_be16(b));
	out->nea = (b[2] >> 7) & 1;
	out->notification_class = b[2] & 7;
	out->supported_classes = b[3];
	if (!out->nea && out->notification_class == 4 && end >= 6) {
		out->media_event = b[4] & 0x0f;
		out->door_open = b[5] & 1;
		out->media_present = (b[5] >> 1) & 1;
	}
	return DM_OK;
}
