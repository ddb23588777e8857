#include "writeimg/wi_modes.h"

#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

const char *wi_mode_word(wi_write_mode mode)
{
	switch (mode) {
	case WI_WM_AUTO: return "auto";
	case WI_WM_TAO: return "tao";
	case WI_WM_SAO: return "sao";
	case WI_WM_DAO: return "dao";
	case WI_WM_INCREMENTAL: return "incremental";
	case WI_WM_SEQUENTIAL: return "sequential";
	case WI_WM_SRM: return "srm";
	case WI_WM_OVERWRITE: return "overwrite";
	}
	return "?";
}

static void plan(wi_mode_plan *p, wi_write_mode mode, const char *name, int page05, int wt,
		 int cue, int reserve, int close)
{
	p->mode = mode;
	p->name = name;
	p->page05 = page05;
	p->write_type = wt;
	p->cue_sheet = cue;
	p->reserve_track = reserve;
	p->close_track = close;
}

/* CD: TAO writes a track and closes it (MMC-6 4.2.3.2), a session can follow; SAO sends
 * the session's layout as a cue sheet first and the drive closes the session itself
 * (4.2.3.3): the default for a first session, as cdrskin chooses. */
static dm_status choose_cd(const char *name, int status, int sao, wi_write_mode asked,
			   wi_mode_plan *p, dm_ctx *ctx)
{
	if (asked == WI_WM_AUTO)
		asked = status == MMC_DISC_BLANK && sao ? WI_WM_SAO : WI_WM_TAO;
	switch (asked) {
	case WI_WM_TAO:
		plan(p, WI_WM_TAO, "TAO (track at once)", 1, MMC_WT_TAO, 0, 0, 1);
		return DM_OK;
	case WI_WM_SAO:
	case WI_WM_DAO:
		if (status != MMC_DISC_BLANK)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "--mode %s writes the first session of a blank %s; this one is "
				       "%s: add a session with --mode tao", wi_mode_word(asked), name,
				       media_disc_status_name(status));
		if (!sao)
			return dm_fail(ctx, DM_ERR_MEDIA, "--mode %s: this drive does not offer SAO "
				       "writing (its CD Mastering feature has no SAO bit): use --mode "
				       "tao", wi_mode_word(asked));
		plan(p, WI_WM_SAO, "SAO (session at once)", 1, MMC_WT_SAO, 1, 0, 0);
		return DM_OK;
	default:
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "--mode %s does not apply to a %s: use tao or sao",
			       wi_mode_word(asked), name);
	}
}

/* DVD-R/-RW sequential: DAO reserves the whole image and closes the disc (MMC-6
 * 4.5.3.3), the most compatible for one session; incremental streaming (4.5.3.2) leaves
 * room for more sessions. */
static dm_status choose_dvdr(const char *name, int status, int multisession,
			     wi_write_mode asked, wi_mode_plan *p, dm_ctx *ctx)
{
	if (asked == WI_WM_AUTO)
		asked = status == MMC_DISC_BLANK && !multisession ? WI_WM_DAO : WI_WM_INCREMENTAL;
	switch (asked) {
	case WI_WM_DAO:
		if (status != MMC_DISC_BLANK)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "--mode dao needs a blank %s; this one is %s: use --mode "
				       "incremental", name, media_disc_status_name(status));
		if (multisession)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "--mode dao closes the %s: it cannot go with --multisession "
				       "(use --mode incremental)", name);
		plan(p, WI_WM_DAO, "DAO (disc at once)", 1, MMC_WT_SAO, 0, 1, 0);
		return DM_OK;
	case WI_WM_INCREMENTAL:
		plan(p, WI_WM_INCREMENTAL, "incremental (sequential)", 1, MMC_WT_PACKET, 0, 0, 1);
		return DM_OK;
	default:
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "--mode %s does not apply to a %s: use dao or incremental",
			       wi_mode_word(asked), name);
	}
}

dm_status wi_mode_choose(const media_profile *m, int status, int multisession, int cd_sao,
			 wi_write_mode asked, wi_mode_plan *p, dm_ctx *ctx)
{
	if (!m)
		return dm_fail(ctx, DM_ERR_MEDIA, "the disc is of a kind writeimg does not know");
	if (m->recording == MEDIA_READ_ONLY)
		return dm_fail(ctx, DM_ERR_MEDIA, "a %s cannot be written", m->name);
	if (m->recording == MEDIA_RANDOM) {
		if (asked != WI_WM_AUTO)
			return dm_fail(ctx, DM_ERR_MEDIA,
				       "--mode %s does not apply to a %s: it is written in place "
				       "(overwrite)", wi_mode_word(asked), m->name);
		plan(p, WI_WM_OVERWRITE, "overwrite (random access)", 0, 0, 0, 0, 0);
		return DM_OK;
	}
	switch (m->code) {
	case 0x0009:
	case 0x000a:
		return choose_cd(m->name, status, cd_sao, asked, p, ctx);
	case 0x0011:
	case 0x0014:
	case 0x0015:
		return choose_dvdr(m->name, status, multisession, asked, p, ctx);
	case 0x0016:
		return dm_fail(ctx, DM_ERR_MEDIA, "a %s is not supported: writeimg writes DVD-R DL "
			       "discs in sequential recording only", m->name);
	default:
		break;
	}
	/* DVD+R, DVD+R DL, BD-R: one way of writing, a reserved track closed after it
	 * (MMC-6 4.6 DVD+R, 4.8 BD-R sequential recording mode). */
	const char *name = m->family == MEDIA_BD ? "SRM (sequential recording)"
						 : "sequential (DVD+R)";
	if (asked != WI_WM_AUTO)
		return dm_fail(ctx, DM_ERR_MEDIA,
			       "--mode %s does not apply to a %s: it has one write mode, %s",
			       wi_mode_word(asked), m->name, name);
	plan(p, m->family == MEDIA_BD ? WI_WM_SRM : WI_WM_SEQUENTIAL, name, 0, 0, 0,
	     m->reserve_track, 1);
	return DM_OK;
}

/* Opposite track path (DVD+R DL, DVD-R DL: ECMA-364, ECMA-382): layer 1 runs from the
 * break's radius back inwards, so it holds at most as much as layer 0 does, and never
 * more than half the disc. */
static uint64_t layer1_room(uint64_t total, uint64_t brk)
{
	return brk < total / 2 ? brk : total / 2;
}

dm_status wi_layer_break_plan(uint64_t total, uint32_t l0_max, int fixed, uint64_t image_blocks,
			      int64_t asked, uint32_t *out_break, dm_ctx *ctx)
{
	*out_break = 0;
	/* A disc that does not say: both layers are taken to be the same size. */
	uint64_t l0 = l0_max ? l0_max : total / 2;
	if (asked >= 0) {
		if (asked % 16)
			return dm_fail(ctx, DM_ERR_MEDIA, "--layer-break %lld is not on a 16-sector ECC "
				       "block boundary", (long long)asked);
		if ((uint64_t)asked > l0)
			return dm_fail(ctx, DM_ERR_MEDIA, "--layer-break %lld is beyond layer 0, which "
				       "holds %llu sectors", (long long)asked, (unsigned long long)l0);
		if (fixed && (uint64_t)asked != l0)
			return dm_fail(ctx, DM_ERR_MEDIA, "the disc's layer break is set already at "
				       "LBA %u: --layer-break %lld cannot move it", l0_max,
				       (long long)asked);
		if (image_blocks <= (uint64_t)asked)
			return dm_fail(ctx, DM_ERR_MEDIA, "--layer-break %lld is past the image's end "
				       "(%llu sectors): the image fits layer 0 without one",
				       (long long)asked, (unsigned long long)image_blocks);
		uint64_t room = layer1_room(total, (uint64_t)asked);
		if (image_blocks - (uint64_t)asked > room)
			return dm_fail(ctx, DM_ERR_MEDIA, "with the layer break at LBA %lld, layer 1 "
				       "would need %llu sectors and holds %llu", (long long)asked,
				       (unsigned long long)(image_blocks - (uint64_t)asked),
				       (unsigned long long)room);
		*out_break = (uint32_t)asked;
		return DM_OK;
	}
	if (fixed) {
		if (image_blocks <= l0_max)
			return DM_OK;
		if (image_blocks - l0_max > layer1_room(total, l0_max))
			return dm_fail(ctx, DM_ERR_MEDIA, "the image (%llu sectors) does not fit the "
				       "disc's two layers with their break fixed at LBA %u",
				       (unsigned long long)image_blocks, l0_max);
		*out_break = l0_max;
		return DM_OK;
	}
	if (image_blocks <= l0)
		return DM_OK;
	if (!l0_max)
		return dm_fail(ctx, DM_ERR_MEDIA, "the image (%llu sectors) is larger than one layer "
			       "and the drive reports no layer boundary: give --layer-break=LBA",
			       (unsigned long long)image_blocks);
	/* The middle of the image, layer 0 holding the larger half, on an ECC block. */
	uint64_t mid = ((image_blocks + 1) / 2 + 15) / 16 * 16;
	if (mid > l0 || image_blocks - mid > layer1_room(total, mid))
		return dm_fail(ctx, DM_ERR_MEDIA, "the image (%llu sectors) is larger than the disc's "
			       "two layers (%llu sectors each at most)",
			       (unsigned long long)image_blocks, (unsigned long long)l0);
	*out_break = (uint32_t)mid;
	return DM_OK;
}
