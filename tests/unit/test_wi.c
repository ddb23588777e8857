/* writeimg's pure decisions: the write mode per medium and state (wi_modes.c), the layer
 * break of dual-layer discs, the pre-flight refusals (wi_burn.c), and what an image is
 * from its first sectors (wi_image.c). */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"
#include "writeimg/wi_burn.h"
#include "writeimg/wi_disc.h"
#include "writeimg/wi_image.h"
#include "writeimg/wi_modes.h"

/* ---- mode choice ---------------------------------------------------------------------- */

typedef struct mode_case {
	uint16_t profile;
	int status, multisession, sao;
	wi_write_mode asked;
	dm_status want;
	wi_write_mode got;
	int page05, write_type, cue, reserve, close;
} mode_case;

static void test_mode_table(void)
{
	enum { B = MMC_DISC_BLANK, A = MMC_DISC_APPENDABLE };
	static const mode_case cases[] = {
		/* CD-R / CD-RW: SAO for a first session when the drive offers it, else TAO */
		{ 0x0009, B, 0, 1, WI_WM_AUTO, DM_OK, WI_WM_SAO, 1, MMC_WT_SAO, 1, 0, 0 },
		{ 0x0009, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_TAO, 1, MMC_WT_TAO, 0, 0, 1 },
		{ 0x0009, A, 1, 1, WI_WM_AUTO, DM_OK, WI_WM_TAO, 1, MMC_WT_TAO, 0, 0, 1 },
		{ 0x000a, B, 0, 1, WI_WM_TAO, DM_OK, WI_WM_TAO, 1, MMC_WT_TAO, 0, 0, 1 },
		{ 0x000a, B, 0, 1, WI_WM_DAO, DM_OK, WI_WM_SAO, 1, MMC_WT_SAO, 1, 0, 0 },
		{ 0x0009, A, 1, 1, WI_WM_SAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0009, B, 0, 0, WI_WM_SAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0009, B, 0, 1, WI_WM_INCREMENTAL, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		/* DVD-R, DVD-RW sequential, DVD-R DL: DAO for one session, else incremental */
		{ 0x0011, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_DAO, 1, MMC_WT_SAO, 0, 1, 0 },
		{ 0x0011, B, 1, 0, WI_WM_AUTO, DM_OK, WI_WM_INCREMENTAL, 1, MMC_WT_PACKET, 0, 0, 1 },
		{ 0x0014, A, 1, 0, WI_WM_AUTO, DM_OK, WI_WM_INCREMENTAL, 1, MMC_WT_PACKET, 0, 0, 1 },
		{ 0x0015, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_DAO, 1, MMC_WT_SAO, 0, 1, 0 },
		{ 0x0014, B, 0, 0, WI_WM_INCREMENTAL, DM_OK, WI_WM_INCREMENTAL, 1, MMC_WT_PACKET, 0, 0, 1 },
		{ 0x0011, A, 1, 0, WI_WM_DAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0011, B, 1, 0, WI_WM_DAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0011, B, 0, 0, WI_WM_TAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0016, B, 0, 0, WI_WM_AUTO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		/* DVD+R, DVD+R DL: sequential with a reserved track; BD-R: SRM */
		{ 0x001b, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_SEQUENTIAL, 0, 0, 0, 1, 1 },
		{ 0x002b, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_SEQUENTIAL, 0, 0, 0, 1, 1 },
		{ 0x001b, B, 0, 0, WI_WM_DAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x0041, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_SRM, 0, 0, 0, 0, 1 },
		{ 0x0041, B, 0, 0, WI_WM_INCREMENTAL, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		/* overwritable: written in place, no mode to choose */
		{ 0x001a, MMC_DISC_COMPLETE, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_OVERWRITE, 0, 0, 0, 0, 0 },
		{ 0x0043, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_OVERWRITE, 0, 0, 0, 0, 0 },
		{ 0x0012, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_OVERWRITE, 0, 0, 0, 0, 0 },
		{ 0x0013, B, 0, 0, WI_WM_AUTO, DM_OK, WI_WM_OVERWRITE, 0, 0, 0, 0, 0 },
		{ 0x0013, B, 0, 0, WI_WM_DAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		{ 0x001a, B, 0, 0, WI_WM_TAO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
		/* read-only */
		{ 0x0010, MMC_DISC_COMPLETE, 0, 0, WI_WM_AUTO, DM_ERR_MEDIA, 0, 0, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const mode_case *c = &cases[i];
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		wi_mode_plan p;
		memset(&p, 0, sizeof(p));
		dm_status st = wi_mode_choose(media_profile_find(c->profile), c->status,
					      c->multisession, c->sao, c->asked, &p, &ctx);
		if (st != c->want)
			fprintf(stderr, "\ncase %zu (profile %04x): %d %s\n", i, c->profile, st,
				ctx.msg);
		CU_ASSERT_EQUAL(st, c->want);
		if (st != DM_OK || c->want != DM_OK) {
			CU_ASSERT(st == DM_OK || ctx.msg[0]);
			continue;
		}
		CU_ASSERT_EQUAL(p.mode, c->got);
		CU_ASSERT_EQUAL(p.page05, c->page05);
		if (p.page05)
			CU_ASSERT_EQUAL(p.write_type, c->write_type);
		CU_ASSERT_EQUAL(p.cue_sheet, c->cue);
		CU_ASSERT_EQUAL(p.reserve_track, c->reserve);
		CU_ASSERT_EQUAL(p.close_track, c->close);
		CU_ASSERT_PTR_NOT_NULL(p.name);
	}
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	wi_mode_plan p;
	CU_ASSERT_EQUAL(wi_mode_choose(NULL, 0, 0, 0, WI_WM_AUTO, &p, &ctx), DM_ERR_MEDIA);
	/* The refusal names what to do instead. */
	wi_mode_choose(media_profile_find(0x0011), MMC_DISC_APPENDABLE, 1, 0, WI_WM_DAO, &p, &ctx);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "incremental"));
}

static void test_layer_break(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint32_t b;
	const uint64_t total = 4173824, l0 = 2086912; /* DVD+R DL */
	/* fits layer 0: no break */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 1000000, -1, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(b, 0);
	/* larger: the middle of the image, on an ECC block */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 3000001, -1, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(b, 1500016);
	CU_ASSERT_EQUAL(b % 16, 0);
	/* asked */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 3000000, 2000000, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(b, 2000000);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 3000000, 2000001, &b, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 3000000, 2086928, &b, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 3000000, 800000, &b, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "layer 1"));
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, 1000, 2000000, &b, &ctx), DM_ERR_MEDIA);
	/* a break fixed already */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 2000000, 1, 3000000, -1, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(b, 2000000);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 2000000, 1, 3000000, 1500000, &b, &ctx),
			DM_ERR_MEDIA);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 1000000, 1, 4000000, -1, &b, &ctx), DM_ERR_MEDIA);
	/* no layer information: larger than one layer needs --layer-break */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 0, 0, 3000000, -1, &b, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--layer-break"));
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 0, 0, 3000000, 1500000, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, 0, 0, 2000000, -1, &b, &ctx), DM_OK);
	CU_ASSERT_EQUAL(b, 0);
	/* too large for both layers */
	CU_ASSERT_EQUAL(wi_layer_break_plan(total, l0, 0, total + 16, -1, &b, &ctx), DM_ERR_MEDIA);
}

static media_disc disc_of(uint16_t profile, int status, uint32_t free_blocks)
{
	media_disc d;
	memset(&d, 0, sizeof(d));
	d.present = 1;
	d.profile = profile;
	d.model = media_profile_find(profile);
	d.writable_by_drive = 1;
	d.disc.disc_status = status;
	d.disc.sessions = status == MMC_DISC_APPENDABLE ? 2 : 1;
	d.nwa_valid = 1;
	d.free_blocks = free_blocks;
	d.total_blocks = free_blocks;
	d.formatted = 1;
	return d;
}

static void test_preflight(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	wi_burn_opts o = { 0, 0, 0, 0, 0, WI_WM_AUTO, -1, 0, 0, NULL };
	wi_mode_plan p;
	media_disc d = disc_of(0x000a, MMC_DISC_COMPLETE, 0);
	d.recorded_blocks = 1000;
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--blank"));
	d = disc_of(0x0009, MMC_DISC_COMPLETE, 0);
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NULL(strstr(ctx.msg, "--blank"));
	/* a written DVD+RW: refused, offering --format or --blank */
	d = disc_of(0x001a, MMC_DISC_COMPLETE, 2295104);
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 1, &p, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--format"));
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_OK);
	CU_ASSERT_EQUAL(p.mode, WI_WM_OVERWRITE);
	/* --multisession on an overwritable disc grows it (where: prepare(), wi_session.h);
	 * --close has nothing to close there */
	o.multisession = 1;
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 1, &p, &ctx), DM_OK);
	o.close = 1;
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--close"));
	o.close = 0;
	/* an appendable disc that is full */
	d = disc_of(0x0011, MMC_DISC_APPENDABLE, 0);
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_ERR_NOSPACE);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "full"));
	/* the image one ECC block too big */
	o.multisession = 0;
	d = disc_of(0x001b, MMC_DISC_BLANK, 1600);
	CU_ASSERT_EQUAL(wi_preflight(&d, 1600, &o, 0, &p, &ctx), DM_OK);
	CU_ASSERT_EQUAL(wi_preflight(&d, 1601, &o, 0, &p, &ctx), DM_ERR_NOSPACE);
	/* a mode the medium does not have */
	o.mode = WI_WM_TAO;
	CU_ASSERT_EQUAL(wi_preflight(&d, 100, &o, 0, &p, &ctx), DM_ERR_MEDIA);
}

/* The disc's state in words, as refusals and failure reports give it. */
static void test_describe(void)
{
	char b[512];
	media_disc d = disc_of(0x000a, MMC_DISC_BLANK, 359847);
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "a blank CD-RW (359847 sectors free)");
	d = disc_of(0x0011, MMC_DISC_APPENDABLE, 1000);
	d.recorded_blocks = 1504;
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "an appendable DVD-R with 1504 sectors recorded in 1 session, "
			       "1000 free");
	d = disc_of(0x000a, MMC_DISC_COMPLETE, 0);
	d.recorded_blocks = 1500;
	d.disc.last_session_state = MMC_SESSION_DAMAGED;
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "a complete (closed) CD-RW with 1500 sectors recorded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "damaged"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "blank it again"));
	d = disc_of(0x001a, MMC_DISC_BLANK, 2295104);
	d.formatted = 0;
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "an unformatted DVD+RW");
	d.formatted = 1;
	d.disc.bg_format_status = 1;
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "stopped halfway"));
	d.present = 0;
	wi_disc_describe(&d, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "no disc in the drive");
}

/* ---- image identification -------------------------------------------------------------- */

#define SEC 2048

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void iso_vd(uint8_t *img, unsigned lba, uint8_t type)
{
	uint8_t *d = img + lba * SEC;
	d[0] = type;
	memcpy(d + 1, "CD001", 5);
	d[6] = 1;
}

static void udf_tag(uint8_t *img, unsigned lba, uint16_t id)
{
	uint8_t *d = img + lba * SEC;
	d[0] = (uint8_t)id;
	d[1] = (uint8_t)(id >> 8);
	d[2] = 2;
	put_le32(d + 12, lba);
	uint8_t sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum = (uint8_t)(sum + d[i]);
	d[4] = sum;
}

/* An image of n sectors with the pieces asked for. */
static uint8_t *make(size_t n, int iso, int udf, int eltorito, int joliet)
{
	uint8_t *img = calloc(n, SEC);
	unsigned lba = 16;
	if (iso) {
		iso_vd(img, lba, 1);
		memcpy(img + lba * SEC + 40, "MY_DISC                         ", 32);
		put_le32(img + lba * SEC + 80, (uint32_t)n);
		lba++;
		if (eltorito) {
			iso_vd(img, lba, 0);
			memcpy(img + lba * SEC + 7, "EL TORITO SPECIFICATION", 23);
			lba++;
		}
		if (joliet) {
			iso_vd(img, lba, 2);
			memcpy(img + lba * SEC + 88, "%/E", 3);
			lba++;
		}
		iso_vd(img, lba++, 255);
	}
	if (udf) {
		memcpy(img + lba++ * SEC + 1, "BEA01", 5);
		memcpy(img + lba++ * SEC + 1, "NSR03", 5);
		memcpy(img + lba++ * SEC + 1, "TEA01", 5);
		/* AVDP at 256 -> VDS at 32: PVD (tag 1), partition (tag 5), terminator (8) */
		put_le32(img + 256 * SEC + 16, 16 * SEC);
		put_le32(img + 256 * SEC + 20, 32);
		uint8_t *pvd = img + 32 * SEC;
		pvd[24] = 8;
		memcpy(pvd + 25, "UDF VOLUME", 10);
		pvd[24 + 31] = 11;
		udf_tag(img, 32, 1);
		put_le32(img + 33 * SEC + 188, 300);
		put_le32(img + 33 * SEC + 192, 100);
		udf_tag(img, 33, 5);
		udf_tag(img, 34, 8);
		udf_tag(img, 256, 2);
	}
	return img;
}

static void test_identify(void)
{
	wi_image_id id;
	uint8_t *img = make(400, 1, 0, 0, 0);
	wi_image_identify(img, 400 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_ISO9660);
	CU_ASSERT_STRING_EQUAL(id.volume_id, "MY_DISC");
	CU_ASSERT_EQUAL(id.volume_blocks, 400);
	CU_ASSERT(!id.bootable && !id.joliet && !id.all_zero);
	CU_ASSERT(!id.head_zero); /* descriptors at sector 16, inside the first 64 KiB */
	free(img);

	img = make(400, 1, 0, 1, 1);
	wi_image_identify(img, 400 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_ISO9660);
	CU_ASSERT(id.bootable && id.joliet);
	char line[256];
	wi_image_describe(&id, 400 * SEC, line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "ISO 9660 + Joliet, volume \"MY_DISC\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "bootable (El Torito)"));
	free(img);

	img = make(400, 0, 1, 0, 0);
	wi_image_identify(img, 400 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UDF);
	CU_ASSERT_EQUAL(id.udf_nsr, 3);
	CU_ASSERT_STRING_EQUAL(id.volume_id, "UDF VOLUME");
	CU_ASSERT_EQUAL(id.volume_blocks, 300 + 100 + 257);
	CU_ASSERT(id.size_from_udf);
	/* a bad tag checksum hides the descriptors, not the recognition sequence */
	img[32 * SEC + 4] ^= 1;
	wi_image_identify(img, 400 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UDF);
	CU_ASSERT_STRING_EQUAL(id.volume_id, "");
	free(img);

	img = make(400, 1, 1, 1, 0);
	wi_image_identify(img, 400 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_BRIDGE);
	CU_ASSERT_STRING_EQUAL(id.volume_id, "MY_DISC");
	CU_ASSERT_EQUAL(id.volume_blocks, 400);
	CU_ASSERT(!id.size_from_udf && id.bootable);
	/* cut before the anchor: still a bridge, sizes from ISO */
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_BRIDGE);
	free(img);

	img = calloc(40, SEC);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UNKNOWN);
	CU_ASSERT(id.all_zero && id.head_zero);
	img[32 * SEC + 1] = 1; /* data after the recognition area only */
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT(!id.all_zero && id.head_zero);
	img[5] = 1;
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT(!id.head_zero);
	for (int i = 0; i < 40 * SEC; i++)
		img[i] = (uint8_t)(i * 7 + 3);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UNKNOWN);
	CU_ASSERT(!id.all_zero);
	/* shorter than sector 16 */
	wi_image_identify(img, 5000, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UNKNOWN);
	wi_image_identify(img, 0, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(wi_image_kind_name(WI_IMG_BRIDGE), "ISO 9660 + UDF bridge");
	free(img);
}

static CU_TestInfo mode_tests[] = {
	{ "write mode per medium and state", test_mode_table },
	{ "dual-layer break", test_layer_break },
	{ "pre-flight refusals", test_preflight },
	{ "the disc's state in words", test_describe },
	CU_TEST_INFO_NULL,
};
static CU_TestInfo image_tests[] = {
	{ "ISO 9660, UDF, bridge, El Torito, Joliet, unknown", test_identify },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "wi_modes", NULL, NULL, NULL, NULL, mode_tests },
	{ "wi_image", NULL, NULL, NULL, NULL, image_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
