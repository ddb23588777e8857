#include "writeimg/cd_cuesheet.h"

#include <stdlib.h>
#include <string.h>

/* Main data forms (MMC-6 6.33, cue sheet data form tables). */
#define DF_CDDA 0x00
#define DF_CDDA_GENERATED 0x01
#define DF_MODE1_2048 0x10
#define DF_MODE1_RAW 0x11
#define DF_MODE1_GENERATED 0x14
#define DF_XA_RAW 0x21
#define DF_XA_GENERATED 0x24

#define ADR_POSITION 0x01
#define ADR_MCN 0x02
#define ADR_ISRC 0x03
#define TNO_LEADOUT 0xAA
#define SCMS_ALTERNATE 0x80 /* byte 4: the alternate copy bit */

uint8_t cd_track_control(const cd_track *t)
{
	return (uint8_t)(t->flags | (t->mode == CD_MODE_AUDIO ? 0 : CD_FLAG_DATA));
}

uint8_t cd_cuesheet_data_form(cd_mode mode, int generated, cd_subchannel sub)
{
	switch (mode) {
	case CD_MODE_AUDIO:
		return generated ? DF_CDDA_GENERATED : (uint8_t)(DF_CDDA | sub);
	case CD_MODE1_2048:
		return generated ? DF_MODE1_GENERATED : DF_MODE1_2048;
	case CD_MODE1_2352:
		return generated ? DF_MODE1_GENERATED : (uint8_t)(DF_MODE1_RAW | sub);
	case CD_MODE2_2352:
		return generated ? DF_XA_GENERATED : (uint8_t)(DF_XA_RAW | sub);
	}
	return DF_CDDA;
}

static uint8_t *entry(uint8_t *p, uint8_t ctladr, uint8_t tno, uint8_t index, uint8_t form,
		      uint8_t scms, int32_t lba)
{
	p[0] = ctladr;
	p[1] = tno;
	p[2] = index;
	p[3] = form;
	p[4] = scms;
	cd_lba_to_msf(lba, &p[5], &p[6], &p[7]);
	return p + CD_CUE_ENTRY;
}

/* 1 when every sector of [from, to) is a generated extent the drive makes itself. */
static int drive_generates(const cd_layout *l, int32_t from, int32_t to)
{
	for (unsigned i = 0; i < l->nextents; i++) {
		const cd_extent *e = &l->extents[i];
		int32_t end = e->lba + (int32_t)e->sectors;
		if (end <= from || e->lba >= to)
			continue;
		if (e->file >= 0 || !e->drive_generates)
			return 0;
	}
	return 1;
}

dm_status cd_cuesheet_build(const cd_layout *l, cd_subchannel sub, int cdtext, uint8_t **out,
			    size_t *len, dm_ctx *ctx)
{
	*out = NULL;
	*len = 0;
	if (l->ntracks == 0)
		return dm_fail(ctx, DM_ERR_INTERNAL, "a cue sheet for a layout without tracks");
	size_t n = 2 + (l->mcn[0] ? 2 : 0);
	for (unsigned i = 0; i < l->ntracks; i++)
		n += (l->tracks[i].isrc[0] ? 2 : 0) + (l->tracks[i].pregap ? 1 : 0) +
		     l->tracks[i].nindex;
	uint8_t *buf = calloc(n, CD_CUE_ENTRY), *p = buf;
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory building the cue sheet");
	const cd_track *first = &l->tracks[0], *last = &l->tracks[l->ntracks - 1];
	/* The lead-in and lead-out take the mode of the track next to them; their CTL says
	 * only audio or data. */
	uint8_t in_ctl = first->mode == CD_MODE_AUDIO ? 0 : CD_FLAG_DATA << 4;
	uint8_t out_ctl = last->mode == CD_MODE_AUDIO ? 0 : CD_FLAG_DATA << 4;
	if (l->mcn[0]) {
		p[0] = in_ctl | ADR_MCN;
		memcpy(p + 1, l->mcn, 7);
		p[8] = in_ctl | ADR_MCN;
		memcpy(p + 9, l->mcn + 7, 6);
		p += 2 * CD_CUE_ENTRY;
	}
	uint8_t in_form = cd_cuesheet_data_form(first->mode, 1, CD_SUBCH_NONE);
	if (cdtext)
		in_form |= CD_SUBCH_RW_PACKED;
	/* MSF 00:00:00 (LBA -150): the drive places the lead-in itself. */
	p = entry(p, in_ctl | ADR_POSITION, 0, 0, in_form, 0, -CD_PREGAP_FIRST);
	for (unsigned i = 0; i < l->ntracks; i++) {
		const cd_track *t = &l->tracks[i];
		uint8_t ctl = (uint8_t)(cd_track_control(t) << 4);
		uint8_t tno = (uint8_t)t->number, scms = t->scms ? SCMS_ALTERNATE : 0;
		if (t->isrc[0]) {
			p[0] = ctl | ADR_ISRC;
			p[1] = tno;
			memcpy(p + 2, t->isrc, 6);
			p[8] = ctl | ADR_ISRC;
			p[9] = tno;
			memcpy(p + 10, t->isrc + 6, 6);
			p += 2 * CD_CUE_ENTRY;
		}
		uint8_t form = cd_cuesheet_data_form(t->mode, 0, sub);
		if (t->pregap) {
			int gen = drive_generates(l, t->index[0], t->index[1]);
			p = entry(p, ctl | ADR_POSITION, tno, 0,
				  gen ? cd_cuesheet_data_form(t->mode, 1, sub) : form, scms, t->index[0]);
		}
		for (unsigned x = 1; x <= t->nindex; x++)
			p = entry(p, ctl | ADR_POSITION, tno, (uint8_t)x, form, scms, t->index[x]);
	}
	p = entry(p, out_ctl | ADR_POSITION, TNO_LEADOUT, 1,
		  cd_cuesheet_data_form(last->mode, 1, CD_SUBCH_NONE), 0, l->leadout);
	if ((size_t)(p - buf) != n * CD_CUE_ENTRY) {
		free(buf);
		return dm_fail(ctx, DM_ERR_INTERNAL, "cue sheet: %zu entries counted, %zu written", n,
			       (size_t)(p - buf) / CD_CUE_ENTRY);
	}
	*out = buf;
	*len = n * CD_CUE_ENTRY;
	return DM_OK;
}

/* Write parameters mode page 05h (MMC-6 7.5), data block types. */
#define DBT_RAW 0
#define DBT_RAW_PW_PACKED 2
#define DBT_RAW_PW_RAW 3
#define DBT_MODE1 8

void cd_write_params_for(const cd_layout *l, unsigned track, cd_subchannel sub,
			 cd_write_params *wp)
{
	const cd_track *t = &l->tracks[track];
	memset(wp, 0, sizeof(*wp));
	wp->write_type = CD_WRITE_TYPE_SAO;
	wp->track_mode = cd_track_control(t);
	if (t->mode == CD_MODE1_2048) {
		wp->data_block_type = DBT_MODE1;
		wp->block_size = 2048;
	} else {
		wp->data_block_type = sub == CD_SUBCH_PW_RAW ? DBT_RAW_PW_RAW
			: sub == CD_SUBCH_RW_PACKED ? DBT_RAW_PW_PACKED : DBT_RAW;
		wp->block_size = sub == CD_SUBCH_NONE ? 2352 : 2352 + 96;
	}
	for (unsigned i = 0; i < l->ntracks; i++)
		if (l->tracks[i].mode == CD_MODE2_2352)
			wp->session_format = 0x20;
}

void cd_write_params_tao(const cd_layout *l, unsigned track, cd_write_params *wp)
{
	cd_write_params_for(l, track, CD_SUBCH_NONE, wp);
	wp->write_type = CD_WRITE_TYPE_TAO;
}
