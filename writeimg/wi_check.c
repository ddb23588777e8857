#include "writeimg/wi_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_bgwrite.h"
#include "common/dm_sha256.h"
#include "writeimg/wi_disc.h"

#define SECTOR MMC_SECTOR
#define CHUNK 32u

/* ECMA-167 3/8.4.2.1: a UDF volume's last sector N holds an anchor (tag 2) naming itself;
 * the size guessed from the partition (wi_image_identify) is trusted only when it does. */
static int udf_end_confirmed(scsi_transport *t, uint32_t start, uint64_t blocks, dm_ctx *ctx)
{
	uint8_t *b = malloc(SECTOR);
	if (!b || blocks == 0 || blocks > UINT32_MAX) {
		free(b);
		return 0;
	}
	int ok = 0;
	uint32_t last = (uint32_t)(blocks - 1);
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_read10(t, start + last, 1, b, ctx), NULL, 0) == DM_OK) {
		uint8_t sum = 0;
		for (int i = 0; i < 16; i++)
			if (i != 4)
				sum = (uint8_t)(sum + b[i]);
		uint32_t loc = (uint32_t)b[12] | (uint32_t)b[13] << 8 | (uint32_t)b[14] << 16 |
			       (uint32_t)b[15] << 24;
		ok = b[0] == 2 && b[1] == 0 && sum == b[4] && loc == last;
	}
	free(b);
	return ok;
}

/* A track holds the image and the zero padding to the ECC block (or a reservation):
 * the volume's own size, when its descriptors tell one that fits, is what was written.
 * A session's ISO 9660 volume made for its address counts from LBA 0 (ECMA-119 8.4.8). */
static dm_status trim_to_volume(scsi_transport *t, wi_extent *x, dm_ctx *ctx)
{
	uint64_t n = x->blocks < WI_IMAGE_HEAD_BYTES / SECTOR ? x->blocks
							      : WI_IMAGE_HEAD_BYTES / SECTOR;
	if (n < 17)
		return DM_OK;
	uint8_t *buf = malloc((size_t)n * SECTOR);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = DM_OK;
	for (uint64_t i = 0; i < n && st == DM_OK; i += CHUNK) {
		uint16_t k = (uint16_t)(n - i < CHUNK ? n - i : CHUNK);
		st = mmc_read10(t, x->start + (uint32_t)i, k, buf + i * SECTOR, ctx);
	}
	if (st == DM_OK) {
		wi_image_identify(buf, (size_t)n * SECTOR, &x->id);
		uint64_t v = x->id.volume_blocks;
		if (v && x->id.size_from_udf && v <= x->blocks &&
		    udf_end_confirmed(t, x->start, v, ctx)) {
			x->blocks = v;
		} else if (v && !x->id.size_from_udf) {
			if (v <= x->blocks)
				x->blocks = v;
			else if (x->start && v > x->start && v - x->start <= x->blocks)
				x->blocks = v - x->start;
		}
	}
	free(buf);
	return st;
}

/* The last session with recorded sectors, by walking the tracks (READ TRACK INFORMATION
 * by number, MMC-6 6.27.2.3); the invisible track of an appendable disc is blank. */
static dm_status sequential_extent(scsi_transport *t, const media_disc *d, wi_extent *x,
				   dm_ctx *ctx)
{
	unsigned last = d->disc.last_track_last_session;
	unsigned session = 0;
	uint32_t start = 0;
	uint64_t end = 0;
	for (unsigned n = 1; n <= last; n++) {
		mmc_track_info ti;
		dm_status st = mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, n, &ti, ctx);
		if (st != DM_OK)
			return st;
		if (ti.blank)
			continue;
		uint64_t tend = ti.lra_v ? (uint64_t)ti.last_recorded + 1
			      : (uint64_t)ti.start + ti.track_size;
		if (ti.nwa_v && ti.nwa > ti.start) /* an open track: up to what was written */
			tend = ti.nwa;
		if (ti.session != session) {
			session = ti.session;
			start = ti.start;
		}
		end = tend;
	}
	if (!session)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc holds no recorded track");
	x->start = start;
	x->blocks = end > start ? end - start : 0;
	x->session = session;
	return trim_to_volume(t, x, ctx);
}

dm_status wi_disc_extent(scsi_transport *t, const media_disc *d, wi_extent *x, dm_ctx *ctx)
{
	char nb[32];
	memset(x, 0, sizeof(*x));
	const char *name = media_profile_name(d->profile, nb, sizeof(nb));
	if (!d->present)
		return dm_fail(ctx, DM_ERR_MEDIA, "no disc in the drive");
	if (d->model && d->model->recording == MEDIA_RANDOM) {
		if (!d->formatted)
			return dm_fail(ctx, DM_ERR_MEDIA, "the %s is not formatted: it holds nothing",
				       name);
		dm_status st = wi_disc_volume(t, d, &x->id, ctx);
		if (st != DM_OK)
			return st;
		if (x->id.kind == WI_IMG_UNKNOWN || !x->id.volume_blocks)
			return dm_fail(ctx, DM_ERR_MEDIA, "the %s holds no ISO 9660 or UDF volume%s: "
				       "how much of it was written is unknown", name,
				       x->id.head_zero ? " (it is empty)" : "");
		x->blocks = x->id.volume_blocks;
		if (x->id.size_from_udf && !udf_end_confirmed(t, 0, x->blocks, ctx))
			dm_warn(ctx, "the UDF volume's size (%llu sectors) is taken from its partition: "
				"no anchor at its last sector confirms it",
				(unsigned long long)x->blocks);
		if (x->blocks > d->total_blocks && d->total_blocks)
			return dm_fail(ctx, DM_ERR_MEDIA, "the volume on the %s claims %llu sectors, "
				       "more than the disc's %u", name,
				       (unsigned long long)x->blocks, d->total_blocks);
		return DM_OK;
	}
	if (d->disc.disc_status == MMC_DISC_BLANK)
		return dm_fail(ctx, DM_ERR_MEDIA, "the %s is blank: nothing was written to it", name);
	if (!d->model || d->model->recording == MEDIA_READ_ONLY) {
		if (!d->recorded_blocks)
			return dm_fail(ctx, DM_ERR_MEDIA, "the %s reports no recorded sectors", name);
		x->blocks = d->recorded_blocks;
		return DM_OK;
	}
	return sequential_extent(t, d, x, ctx);
}

static void report(dm_ctx *ctx, const char *action, uint64_t done, uint64_t total, int64_t lba)
{
	dm_progress p = { .action = action, .done = done, .total = total, .unit = "sectors",
			  .lba = lba, .buffer_percent = -1 };
	dm_report(ctx, &p);
}

dm_status wi_check(scsi_transport *t, wi_image *img, wi_check_result *r, dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->first_diff_lba = -1;
	media_disc d;
	report(ctx, "validating media", 0, 0, -1);
	dm_status st = media_probe_disc(t, &d, ctx);
	if (st == DM_OK)
		st = wi_disc_extent(t, &d, &r->extent, ctx);
	if (st != DM_OK)
		return st;
	uint64_t blocks = (img->size + SECTOR - 1) / SECTOR;
	uint64_t avail = r->extent.blocks;
	/* An overwritable disc's volume may be smaller than the image given (or the image
	 * raw): compare the image's own size as far as the disc reaches. */
	if (d.model && d.model->recording == MEDIA_RANDOM)
		avail = d.total_blocks;
	uint8_t *disc = malloc((size_t)CHUNK * SECTOR), *mine = malloc((size_t)CHUNK * SECTOR);
	if (!disc || !mine) {
		free(disc);
		free(mine);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	uint64_t done = 0;
	while (done < blocks && st == DM_OK) {
		if (dm_cancelled(ctx)) {
			st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while checking");
			break;
		}
		if (done >= avail) {
			r->short_disc = 1;
			break;
		}
		uint64_t left = blocks - done < avail - done ? blocks - done : avail - done;
		uint16_t n = (uint16_t)(left < CHUNK ? left : CHUNK);
		uint32_t lba = r->extent.start + (uint32_t)done;
		size_t got;
		if ((st = wi_image_read(img, mine, (size_t)n * SECTOR, &got, ctx)) != DM_OK)
			break;
		if ((st = mmc_read10(t, lba, n, disc, ctx)) != DM_OK) {
			dm_fail_prefix(ctx, "checking: ");
			break;
		}
		if (memcmp(disc, mine, got) != 0) {
			size_t i = 0;
			while (disc[i] == mine[i])
				i++;
			r->first_diff_lba = lba + (int64_t)(i / SECTOR);
			break;
		}
		done += n;
		report(ctx, "checking", done, blocks, lba + n);
	}
	free(disc);
	free(mine);
	r->blocks_compared = done;
	if (st == DM_OK)
		r->equal = !r->short_disc && r->first_diff_lba < 0;
	return st;
}

/* --read hashes each READ's 64 KiB while it is still in the cache and hands 256 KiB at a
 * time to a writing thread (dm_bgwrite), which starts the disk writing every 8 MiB
 * (sync_file_range) so the fsync at the end finds little left: the copy into the page
 * cache, the SHA-256 and the disk run side by side instead of one after the other. */
#define READ_BATCH (256u << 10)
#define READ_BUFFERS 8u
#define READ_WRITEBACK (8u << 20)

dm_status wi_read_disc(scsi_transport *t, const char *out, wi_read_result *r, dm_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	media_disc d;
	report(ctx, "validating media", 0, 0, -1);
	dm_status st = media_probe_disc(t, &d, ctx);
	if (st == DM_OK)
		st = wi_disc_extent(t, &d, &r->extent, ctx);
	if (st != DM_OK)
		return st;
	size_t plen = strlen(out) + 16;
	char *tmp = malloc(plen);
	if (!tmp)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	snprintf(tmp, plen, "%s.part-XXXXXX", out);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot create %s", tmp);
		free(tmp);
		return st;
	}
	mode_t mask = umask(0); /* mkstemp made it 0600: an image file as any other */
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		dm_warn(ctx, "cannot set the mode of %s", tmp);
	dm_bgwrite *w = dm_bgwrite_new(fd, READ_BATCH, READ_BUFFERS, READ_WRITEBACK);
	if (!w)
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_sha256 sha;
	dm_sha256_init(&sha);
	uint64_t done = 0, blocks = r->extent.blocks;
	while (st == DM_OK && done < blocks) {
		uint8_t *buf = dm_bgwrite_buffer(w);
		size_t fill = 0;
		while (done < blocks && fill < READ_BATCH) {
			if (dm_cancelled(ctx)) {
				st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted while reading the disc");
				break;
			}
			uint64_t room = (READ_BATCH - fill) / SECTOR;
			uint64_t n = blocks - done < CHUNK ? blocks - done : CHUNK;
			if (n > room)
				n = room;
			uint32_t lba = r->extent.start + (uint32_t)done;
			if ((st = mmc_read10(t, lba, (uint16_t)n, buf + fill, ctx)) != DM_OK)
				break;
			dm_sha256_update(&sha, buf + fill, (size_t)n * SECTOR);
			fill += (size_t)n * SECTOR;
			done += n;
			report(ctx, "reading", done, blocks, lba + n);
		}
		if (st != DM_OK)
			break;
		dm_bgwrite_submit(w, fill);
		int err = dm_bgwrite_error(w);
		if (err)
			st = dm_fail_errno(ctx, DM_ERR_IO, err, "writing %s", tmp);
	}
	if (w) {
		int err = dm_bgwrite_finish(w);
		if (err && st == DM_OK)
			st = dm_fail_errno(ctx, DM_ERR_IO, err, "writing %s", tmp);
	}
	if (st == DM_OK && fsync(fd) != 0)
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "writing %s", tmp);
	if (close(fd) != 0 && st == DM_OK)
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "writing %s", tmp);
	if (st == DM_OK && rename(tmp, out) != 0)
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot rename %s to %s", tmp, out);
	if (st != DM_OK)
		unlink(tmp);
	free(tmp);
	if (st == DM_OK) {
		uint8_t digest[DM_SHA256_LEN];
		dm_sha256_final(&sha, digest);
		dm_sha256_hex(digest, r->sha256);
		r->bytes = blocks * SECTOR;
	}
	return st;
}
