/* writeimg's session decisions (wi_session.c): the address an image was made for, the
 * refusal of an image written at another one, the copy that grows an overwritable disc;
 * and Rock Ridge seen in the root's "." record (wi_image.c). */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "writeimg/wi_image.h"
#include "writeimg/wi_session.h"

#define SEC 2048u

/* A directory record "." for extent at d, with system use bytes su (n of them). */
static void dot(uint8_t *d, uint32_t extent, const uint8_t *su, size_t n)
{
	d[0] = (uint8_t)(34 + n);
	dm_put_both32(d + 2, extent);
	dm_put_both32(d + 10, SEC);
	d[25] = 2;
	d[32] = 1;
	d[33] = 0;
	if (n)
		memcpy(d + 34, su, n);
}

static const uint8_t rr_su[] = {
	'S', 'P', 7, 1, 0xbe, 0xef, 0,
	'E', 'R', 18, 1, 10, 0, 0, 1, 'R', 'R', 'I', 'P', '_', '1', '9', '9', '1', 'A',
};

/* An image of n sectors made for LBA base: PVD (volume space base + n, root at base + 20),
 * terminator, the root at its sector 20, with Rock Ridge or not. */
static uint8_t *make(size_t n, uint32_t base, int rr)
{
	uint8_t *img = calloc(n, SEC);
	uint8_t *pvd = img + 16 * SEC;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	memcpy(pvd + 40, "SESSION", 7);
	dm_put_both32(pvd + 80, base + (uint32_t)n);
	dot(pvd + 156, base + 20, NULL, 0);
	pvd[156] = 34;
	uint8_t *t = img + 17 * SEC;
	t[0] = 255;
	memcpy(t + 1, "CD001", 5);
	dot(img + 20 * SEC, base + 20, rr ? rr_su : NULL, rr ? sizeof(rr_su) : 0);
	return img;
}

static void test_made_for(void)
{
	wi_image_id id;
	wi_made_for m;
	uint8_t *img = make(40, 0, 1);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(id.made_for, 0);
	CU_ASSERT(id.rock_ridge);
	wi_session_made_for(&id, 40, &m);
	CU_ASSERT(m.known && m.lba == 0);
	char line[256];
	wi_image_describe(&id, 40 * SEC, line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "ISO 9660 + Rock Ridge, volume \"SESSION\""));
	free(img);

	img = make(40, 12865, 0);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(id.made_for, 12865);
	CU_ASSERT(!id.rock_ridge);
	/* the root beyond the bytes read: the volume space size tells */
	wi_image_identify(img, 20 * SEC, &id);
	CU_ASSERT_EQUAL(id.made_for, -1);
	wi_session_made_for(&id, 40, &m);
	CU_ASSERT(m.known && m.lba == 12865);
	free(img);

	/* SP without an RRIP ER or PX: SUSP only, not Rock Ridge */
	img = make(40, 0, 1);
	memcpy(img + 20 * SEC + 34 + 7 + 8, "XXXX", 4);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT(!id.rock_ridge);
	/* an ER in a continuation area (CE) of the root's "." at sector 30 */
	uint8_t ce[28 + 7] = { 'S', 'P', 7, 1, 0xbe, 0xef, 0, 'C', 'E', 28, 1 };
	dm_put_both32(ce + 7 + 4, 30);
	dm_put_both32(ce + 7 + 12, 100);
	dm_put_both32(ce + 7 + 20, sizeof(rr_su) - 7);
	dot(img + 20 * SEC, 20, ce, sizeof(ce));
	memcpy(img + 30 * SEC + 100, rr_su + 7, sizeof(rr_su) - 7);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT(id.rock_ridge);
	/* the CE pointing past the bytes given: not followed */
	dm_put_both32(img + 20 * SEC + 34 + 7 + 4, 90);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT(!id.rock_ridge);
	free(img);

	/* raw data tells nothing */
	img = calloc(40, SEC);
	wi_image_identify(img, 40 * SEC, &id);
	wi_session_made_for(&id, 40, &m);
	CU_ASSERT(!m.known);
	free(img);
}

static void test_check(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	wi_image_id id;
	uint8_t *img = make(40, 0, 1);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 0, 1, "emu:cd-r:x", &ctx), DM_OK);
	/* a first session's image at the next session's address */
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 12865, 0, "emu:cd-r:x", &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "LBA 12865"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "LBA 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "mkimage --previous emu:cd-r:x"));
	free(img);

	img = make(40, 12865, 1);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 12865, 0, "d", &ctx), DM_OK);
	/* made for N, on a blank disc */
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 0, 1, "d", &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "is blank"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "LBA 12865"));
	/* made for N, the disc's next address elsewhere */
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 12881, 0, "d", &ctx), DM_ERR_MEDIA);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "LBA 12865"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "LBA 12881"));
	free(img);

	/* raw data: let through (a warning) */
	img = calloc(40, SEC);
	wi_image_identify(img, 40 * SEC, &id);
	CU_ASSERT_EQUAL(wi_session_check(&id, 40, 500, 0, "d", &ctx), DM_OK);
	free(img);

	/* UDF only: the anchor's location names the address */
	img = calloc(300, SEC);
	memcpy(img + 16 * SEC + 1, "BEA01", 5);
	memcpy(img + 17 * SEC + 1, "NSR02", 5);
	memcpy(img + 18 * SEC + 1, "TEA01", 5);
	uint8_t *a = img + 256 * SEC;
	a[0] = 2;
	dm_put_le32(a + 12, 1000 + 256);
	uint8_t sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum = (uint8_t)(sum + a[i]);
	a[4] = sum;
	wi_image_identify(img, 300 * SEC, &id);
	CU_ASSERT_EQUAL(id.kind, WI_IMG_UDF);
	CU_ASSERT_EQUAL(id.udf_anchor, 1256);
	CU_ASSERT_EQUAL(wi_session_check(&id, 300, 1000, 0, "d", &ctx), DM_OK);
	CU_ASSERT_EQUAL(wi_session_check(&id, 300, 0, 1, "d", &ctx), DM_ERR_MEDIA);
	free(img);
}

static void test_grow_plan(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	wi_grow_copy g;
	uint8_t *img = make(300, 64, 1);
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 64, &g, &ctx), DM_OK);
	CU_ASSERT_EQUAL(g.descriptors, 2);
	CU_ASSERT(!g.anchor);
	/* a bridge: the extended area follows, and the anchor is copied re-tagged */
	memmove(img + 21 * SEC, img + 20 * SEC, SEC);
	memset(img + 18 * SEC, 0, 3 * SEC);
	memcpy(img + 18 * SEC + 1, "BEA01", 5);
	memcpy(img + 19 * SEC + 1, "NSR02", 5);
	memcpy(img + 20 * SEC + 1, "TEA01", 5);
	uint8_t *a = img + 256 * SEC;
	a[0] = 2;
	a[2] = 2;
	dm_put_le32(a + 12, 64 + 256);
	dm_put_le32(a + 16, 0x1234);
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 64, &g, &ctx), DM_OK);
	CU_ASSERT_EQUAL(g.descriptors, 5);
	CU_ASSERT(g.anchor);
	CU_ASSERT_EQUAL(dm_get_le32(g.avdp + 12), 256);
	CU_ASSERT_EQUAL(dm_get_le32(g.avdp + 16), 0x1234);
	uint8_t sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum = (uint8_t)(sum + g.avdp[i]);
	CU_ASSERT_EQUAL(g.avdp[4], sum);
	/* an anchor made for another address */
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 80, &g, &ctx), DM_ERR_MEDIA);
	/* no terminator: nothing safe to copy */
	memset(img + 17 * SEC, 0, SEC);
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 64, &g, &ctx), DM_ERR_MEDIA);
	/* pure UDF: the recognition sequence at 16 and the anchor */
	memset(img + 16 * SEC, 0, 5 * SEC);
	memcpy(img + 16 * SEC + 1, "BEA01", 5);
	memcpy(img + 17 * SEC + 1, "NSR02", 5);
	memcpy(img + 18 * SEC + 1, "TEA01", 5);
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 64, &g, &ctx), DM_OK);
	CU_ASSERT_EQUAL(g.descriptors, 3);
	CU_ASSERT(g.anchor);
	CU_ASSERT_EQUAL(dm_get_le32(g.avdp + 12), 256);
	/* ... and without its anchor nothing would show the new tree: refused */
	memset(img + 256 * SEC, 0, SEC);
	CU_ASSERT_EQUAL(wi_grow_plan(img, 300 * SEC, 64, &g, &ctx), DM_ERR_MEDIA);
	free(img);
}

static CU_TestInfo session_tests[] = {
	{ "the address an image was made for; Rock Ridge", test_made_for },
	{ "an image at another address is refused", test_check },
	{ "what growing copies to LBA 16 and 256", test_grow_plan },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "wi_session", NULL, NULL, NULL, NULL, session_tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
