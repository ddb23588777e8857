#include "writeimg/wi_cdread.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/drive/mmc_cd.h"
#include "common/drive/mmc_cmds.h"
#include "writeimg/cd_subq.h"
#include "writeimg/cd_text.h"
#include "writeimg/wi_json.h"

/* The Q of sector lba: formatted Q first, raw P-W when the drive does not give that.
 * *mode remembers which works (0 unknown, 1 formatted, 2 raw, -1 none). */
static int read_q(scsi_transport *t, int32_t lba, int *mode, uint8_t q[12], dm_ctx *ctx)
{
	uint8_t buf[MMC_RCD_SUB_RAW_LEN];
	for (int m = *mode > 0 ? *mode : 1; m <= 2 && *mode >= 0; m++) {
		int sub = m == 1 ? MMC_RCD_SUB_Q : MMC_RCD_SUB_RAW;
		dm_defer(ctx);
		if (dm_tolerate(ctx, mmc_read_cd_sub(t, lba, sub, buf, ctx), NULL, 0) != DM_OK) {
			if (*mode > 0)
				return 0; /* it worked before: this sector is unreadable */
			continue;
		}
		*mode = m;
		if (m == 1)
			memcpy(q, buf, 12);
		else
			cd_subq_from_pw(buf, q);
		return 1;
	}
	*mode = -1;
	return 0;
}

/* The track number of sector lba, looking at up to 3 sectors from it (an MCN or ISRC
 * frame carries no position). 0 when unknown. */
static unsigned track_of(scsi_transport *t, int32_t lba, int32_t last, int *mode, dm_ctx *ctx)
{
	for (int32_t s = lba; s <= last && s < lba + 3; s++) {
		uint8_t q[12];
		unsigned tno, index;
		if (read_q(t, s, mode, q, ctx) && wi_cd_q_position(q, &tno, &index))
			return tno;
		if (*mode < 0)
			return 0;
	}
	return 0;
}

/* Where track `next`'s pregap begins, between from (in the previous track) and to (next's
 * index 1): the first sector whose Q says track next, by bisection. to when unknown. */
static uint32_t pregap_start(scsi_transport *t, uint32_t from, uint32_t to, unsigned next,
			     int *mode, dm_ctx *ctx)
{
	uint32_t lo = from, hi = to; /* lo: in the previous track; hi: in next */
	if (!to || track_of(t, (int32_t)to - 1, (int32_t)to - 1, mode, ctx) != next)
		return to; /* no pregap (gapless) or no sub-channel */
	hi = to - 1;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		unsigned tno = track_of(t, (int32_t)mid, (int32_t)hi, mode, ctx);
		if (!tno)
			return to;
		if (tno == next)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* MCN, ISRCs and CD-TEXT: what the drive tells; a drive that does not is left blank. */
static void read_codes(scsi_transport *t, wi_cd_tracks *out, dm_ctx *ctx)
{
	dm_defer(ctx);
	dm_tolerate(ctx, mmc_read_mcn(t, out->mcn, ctx), NULL, 0);
	for (unsigned i = 0; i < out->n; i++)
		if (out->t[i].audio) {
			dm_defer(ctx);
			dm_tolerate(ctx, mmc_read_isrc(t, (uint8_t)out->t[i].number, out->t[i].isrc, ctx),
				    NULL, 0);
		}
	uint8_t *buf = malloc(4 + 256 * CD_TEXT_PACK_SIZE * 8);
	unsigned count;
	if (!buf)
		return;
	dm_defer(ctx);
	if (dm_tolerate(ctx, mmc_read_cdtext(t, buf, 4 + 256 * CD_TEXT_PACK_SIZE * 8, &count, ctx),
			NULL, 0) == DM_OK)
		wi_cd_text_decode(buf, count, out);
	free(buf);
}

dm_status wi_cd_tracks_read(scsi_transport *t, wi_cd_tracks *out, dm_ctx *ctx)
{
	memset(out, 0, sizeof(*out));
	mmc_disc_info di;
	dm_status st = mmc_read_disc_info(t, &di, ctx);
	if (st != DM_OK)
		return st;
	if (di.disc_status == MMC_DISC_BLANK)
		return DM_OK;
	mmc_toc toc;
	if ((st = mmc_read_toc0(t, &toc, ctx)) != DM_OK)
		return st;
	for (unsigned i = 0; i < toc.n; i++) {
		wi_cd_track *tr = &out->t[out->n++];
		tr->number = toc.tracks[i].number;
		tr->control = toc.tracks[i].control;
		tr->audio = !(tr->control & 4);
		tr->start = (uint32_t)toc.tracks[i].lba;
		mmc_track_info ti;
		if ((st = mmc_read_track_info(t, MMC_TRACK_BY_NUMBER, tr->number, &ti, ctx)) != DM_OK)
			return dm_fail_prefix(ctx, "track %02u: ", tr->number);
		tr->session = ti.session;
		tr->data_mode = ti.data_mode;
		tr->sectors = ti.track_size;
	}
	/* A track followed by another of its session ends where that one's pregap begins
	 * (Red Book: the pregap is the next track's index 0, audio or data). */
	int mode = 0;
	for (unsigned i = 0; i + 1 < out->n; i++) {
		wi_cd_track *a = &out->t[i], *b = &out->t[i + 1];
		if (a->session != b->session || b->start <= a->start)
			continue;
		uint32_t end = b->start;
		if (mode >= 0)
			end = pregap_start(t, a->start, b->start, b->number, &mode, ctx);
		if (a->audio && mode < 0 && end == b->start && a->start + a->sectors < end)
			end = a->start + a->sectors; /* no sub-channel: the drive's track size */
		a->sectors = end - a->start;
	}
	/* The last track of the last session ends at the lead-out. */
	if (out->n && toc.leadout > 0 && (uint32_t)toc.leadout > out->t[out->n - 1].start) {
		wi_cd_track *z = &out->t[out->n - 1];
		uint32_t end = (uint32_t)toc.leadout;
		if (!z->sectors || z->start + z->sectors > end)
			z->sectors = end - z->start;
	}
	read_codes(t, out, ctx);
	return DM_OK;
}

/* ISO 8859-1 text (CD-TEXT) printed as UTF-8. */
static void put_latin1(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || (*p >= 0x7f && *p < 0xa0))
			fputc('?', out);
		else if (*p < 0x80)
			fputc(*p, out);
		else {
			fputc(0xc0 | (*p >> 6), out);
			fputc(0x80 | (*p & 0x3f), out);
		}
	}
}

const char *wi_cd_track_kind(const wi_cd_track *tr)
{
	if (tr->audio)
		return "audio";
	return tr->data_mode == 2 ? "mode 2" : "mode 1";
}

void wi_cd_tracks_print(FILE *out, const wi_cd_tracks *tr, int json)
{
	char msf[16];
	if (json) {
		fputc('[', out);
		for (unsigned i = 0; i < tr->n; i++) {
			const wi_cd_track *x = &tr->t[i];
			cd_msf_format(x->sectors, msf, sizeof(msf));
			fprintf(out, "%s{\"number\":%u,\"session\":%u,\"type\":", i ? "," : "", x->number,
				x->session);
			wi_json_str(out, wi_cd_track_kind(x));
			fprintf(out, ",\"start\":%" PRIu32 ",\"sectors\":%" PRIu32 ",\"length\":\"%s\","
				"\"control\":%u,\"isrc\":", x->start, x->sectors, msf, x->control);
			wi_json_str(out, x->isrc);
			fputs(",\"title\":", out);
			wi_json_latin1(out, x->title);
			fputs(",\"performer\":", out);
			wi_json_latin1(out, x->performer);
			fputc('}', out);
		}
		fputc(']', out);
		fputs(",\"mcn\":", out);
		wi_json_str(out, tr->mcn);
		fputs(",\"cd_text_title\":", out);
		wi_json_latin1(out, tr->title);
		fputs(",\"cd_text_performer\":", out);
		wi_json_latin1(out, tr->performer);
		return;
	}
	if (tr->mcn[0])
		fprintf(out, "  Catalog (MCN):  %s\n", tr->mcn);
	if (tr->title[0] || tr->performer[0]) {
		fputs("  CD-TEXT:        ", out);
		put_latin1(out, tr->title);
		fputs(" / ", out);
		put_latin1(out, tr->performer);
		fputc('\n', out);
	}
	fprintf(out, "Tracks:           %u\n", tr->n);
	for (unsigned i = 0; i < tr->n; i++) {
		const wi_cd_track *x = &tr->t[i];
		cd_msf_format(x->sectors, msf, sizeof(msf));
		fprintf(out, "  %02u  %-6s  session %u  LBA %-7" PRIu32 "  %s  %" PRIu32 " sectors",
			x->number, wi_cd_track_kind(x), x->session, x->start, msf, x->sectors);
		if (x->isrc[0])
			fprintf(out, "  ISRC %s", x->isrc);
		if (x->title[0] || x->performer[0]) {
			fputs("  \"", out);
			put_latin1(out, x->title);
			fputs("\" ", out);
			put_latin1(out, x->performer);
		}
		fputc('\n', out);
	}
}
