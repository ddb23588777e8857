/* libFuzzer target for the previous-session importer (mkimage --previous): any bytes become
 * a disc, whose newest session is found and imported, then planned as the next session.
 * It must never crash, leak, hang or read outside the disc, and a refusal must leave a
 * message.
 *
 * A disc whose first session is pure UDF (a recognition sequence at 16) goes through the
 * UDF importer (import_udf.c) and the UDF planner, as mkimage does; a bridge's UDF volume
 * is read after its ISO 9660 tree.
 *
 * Input (compact, so that real multisession images fit a seed of a few KiB: file data and
 * the gaps between sessions are zeros and cost nothing):
 *   bytes 0-1   the disc's size: 17 + (LE16 % 2032) sectors (at most 2048: two UDF
 *               sessions with their anchors 256 sectors apart)
 *   then        records from LBA 16 on: one byte, a count of zero sectors to skip, then
 *               one 2048-byte sector (the last one may be short: zero-padded)
 * tests/fuzz/make_import_seed.py makes seeds from images. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage/iso/iso_plan.h"
#include "mkimage/source/import.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_plan.h"

#define SEC 2048u
#define MAX_SECTORS 2048u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_disc {
	const uint8_t *sector[MAX_SECTORS]; /* NULL: zeros */
	uint32_t short_lba;                 /* the one sector that is cut short */
	size_t short_len;
} fz_disc;

static dm_status fz_read(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx)
{
	fz_disc *d = user;
	(void)ctx;
	for (uint32_t i = 0; i < count; i++, lba++, buf += SEC) {
		const uint8_t *s = d->sector[lba];
		if (!s) {
			memset(buf, 0, SEC);
		} else if (lba == d->short_lba) {
			memcpy(buf, s, d->short_len);
			memset(buf + d->short_len, 0, SEC - d->short_len);
		} else {
			memcpy(buf, s, SEC);
		}
	}
	return DM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	fz_disc *d = calloc(1, sizeof(*d));
	if (!d)
		return 0;
	uint32_t total = 17u + (uint32_t)(data[0] | data[1] << 8) % (MAX_SECTORS - 16);
	d->short_lba = UINT32_MAX;
	uint32_t lba = 16;
	for (size_t at = 2; at < size && lba < total;) {
		lba += data[at++];
		if (at >= size || lba >= total)
			break;
		d->sector[lba] = data + at;
		if (size - at < SEC) {
			d->short_lba = lba;
			d->short_len = size - at;
		}
		at += SEC;
		lba++;
	}
	mk_prev_reader r = {fz_read, d, total, "fuzz.img"};
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_tree *t = mk_tree_new();
	uint32_t start = 0;
	mk_import_info info;
	int pure = mk_import_udf_pure(&r, 0, &ctx);
	dm_status st = pure ? mk_import_udf_find_session(&r, &start, &ctx)
			    : mk_import_find_session(&r, &start, &ctx);
	if (!st)
		st = pure ? mk_import_udf(t, &r, start, &info, &ctx)
			  : mk_import_iso(t, &r, start, &info, &ctx);
	if (!st && info.udf == 1)
		st = mk_import_udf_volume(&r, start, &info, &ctx);
	if (!st && info.udf == 1 && !udf_rev_metadata(info.udf_rev)) {
		/* The bridge's UDF tree matched with the ISO one: mkimage goes on without it. */
		if (mk_import_udf_match(t, &r, start, &info, &ctx) && !ctx.msg[0])
			abort();
		dm_clear(&ctx);
	}
	if (!st)
		st = mk_tree_finish(t, &ctx);
	if (!st && info.udf) {
		/* The next UDF volume over the old partition, as image_plan.c places it. */
		uint32_t base = info.volume_end < 0xFFFF0000u ? (info.volume_end + 15) / 16 * 16 : 0;
		udf_opts uo = {.rev = info.udf_rev, .special = 1, .volume_id = "V",
			       .first_unique_id = info.udf_next_uid, .old_fes = info.udf_old_fes,
			       .n_old_fes = info.udf_n_old_fes};
		udf_plan *u = NULL;
		st = udf_plan_build(&u, t, &uo, &ctx);
		if (!st && base && info.udf_part_start <= base) {
			udf_where w = {base + 16, base + 32, base + 48, base + 64, info.udf_part_start,
				       base + 257, base + 256};
			udf_plan_place(u, &w);
			st = udf_plan_finish(u, (uint64_t)base + 257 + u->meta_blocks + 64, &ctx);
		}
		udf_plan_free(u);
	}
	if (!st && !pure) {
		/* The next session over what was imported, as mkimage would plan it. */
		iso_opts o = {.level = 3, .joliet = info.joliet, .rockridge = info.rockridge,
			      .joliet_max = 64, .volume_id = "V", .system_id = "S", .application = "A",
			      .base = info.volume_end < 0xFFFF0000u ? info.volume_end : 0};
		iso_plan *p = NULL;
		st = iso_plan_build(&p, t, &o, &ctx);
		iso_plan_free(p);
	}
	if (st && !ctx.msg[0])
		abort(); /* a refusal says why */
	mk_tree_free(t);
	free(d);
	return 0;
}
