/* mkimage/udf_plan + udf_emit + image_plan + image_emit: the sector map of pure UDF and
 * bridge images, every revision, the metadata partition, names UDF refuses, and the
 * bytes written into a memory sink (trees without file data, or one tiny real file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "common/dm_endian.h"
#include "mkimage/image_emit.h"
#include "mkimage/image_plan.h"
#include "mkimage/sink.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_tag.h"

static mk_node *add(mk_tree *t, mk_node *dir, const char *name, mk_type type)
{
	mk_node *n = mk_tree_add(t, dir, name, strlen(name), type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	n->mode = type == MK_DIR ? (S_IFDIR | 0755) : (S_IFREG | 0644);
	n->mtime = n->atime = n->ctime = 1700000000;
	if (type == MK_FILE) {
		n->data = mk_tree_data(t, 0, 0, 1);
		n->data->node = n;
	}
	return n;
}

static image_opts opts(int iso, unsigned rev)
{
	image_opts o;
	memset(&o, 0, sizeof(o));
	o.iso = iso;
	o.udf = 1;
	iso_opts io = {.level = 3, .joliet = 1, .rockridge = 1, .joliet_max = 64,
		       .volume_time = 1700000000, .volume_id = "TESTVOL", .system_id = "LINUX",
		       .application = "APP"};
	o.iso_o = io;
	o.udf_o.rev = rev;
	o.udf_o.special = 1; /* symlinks and special files recorded (--udf-special) */
	o.udf_o.volume_time = 1700000000;
	o.udf_o.volume_id = "TESTVOL";
	o.udf_o.application = "APP";
	return o;
}

/* a tree: /readme.txt, /docs/a, /docs/link -> ../readme.txt, /fifo */
static mk_tree *small_tree(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	add(t, root, "readme.txt", MK_FILE);
	mk_node *d = add(t, root, "docs", MK_DIR);
	add(t, d, "a", MK_FILE);
	mk_node *l = add(t, d, "link", MK_SYMLINK);
	l->target = "../readme.txt";
	l->mode = S_IFLNK | 0777;
	mk_node *f = add(t, root, "fifo", MK_FIFO);
	f->mode = S_IFIFO | 0600;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(mk_tree_finish(t, &ctx), DM_OK);
	return t;
}

static const uint8_t *emit(image_plan *p, mk_sink **s, size_t *len)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	*s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(image_emit(p, *s, &ctx), DM_OK);
	return mk_sink_memory(*s, len);
}

static int tag_ok(const uint8_t *d, uint16_t id, uint32_t loc)
{
	uint16_t crclen = dm_get_le16(d + 10);
	return dm_get_le16(d) == id && d[4] == udf_tag_checksum(d) &&
	       dm_get_le16(d + 8) == udf_crc(d + 16, crclen) && dm_get_le32(d + 12) == loc;
}

static void test_pure_201(void)
{
	mk_tree *t = small_tree();
	image_opts o = opts(0, UDF_REV_201);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	image_plan *p;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, &o, &ctx), DM_OK);
	udf_plan *u = p->udf;
	CU_ASSERT_PTR_NULL(p->iso);
	CU_ASSERT_EQUAL(u->vrs_lba, 16);
	CU_ASSERT_EQUAL(u->vol.main_vds, 32);
	CU_ASSERT_EQUAL(u->vol.reserve_vds, 48);
	CU_ASSERT_EQUAL(u->vol.lvid_lba, 64);
	CU_ASSERT_EQUAL(u->part_start, 257);
	/* metadata space: FSD, TD, root FE + FIDs, then in name order: docs (FE, FIDs),
	 * docs/a, docs/link, fifo, readme.txt */
	CU_ASSERT_EQUAL(u->nicbs, 6);
	CU_ASSERT_EQUAL(u->icbs[0].lbn, 2);
	CU_ASSERT_EQUAL(u->icbs[0].tail_lbn, 3);
	CU_ASSERT_EQUAL(u->icbs[1].lbn, 4);
	CU_ASSERT_EQUAL(u->meta_blocks, 10);
	CU_ASSERT_EQUAL(u->icbs[0].unique_id, 0);
	CU_ASSERT_EQUAL(u->icbs[1].unique_id, 16);
	CU_ASSERT_EQUAL(u->next_unique_id, 21);
	CU_ASSERT_EQUAL(u->files, 4);
	CU_ASSERT_EQUAL(u->dirs, 2);
	CU_ASSERT_EQUAL(u->icbs[0].nlink, 2);
	CU_ASSERT_EQUAL(u->avdp[0], 256);
	CU_ASSERT_EQUAL(u->avdp[1], 257 + 10);
	CU_ASSERT_EQUAL(u->avdp[2], 257 + 10 + 256);
	CU_ASSERT_EQUAL(p->total_sectors, 257 + 10 + 257);

	mk_sink *s;
	size_t len;
	const uint8_t *img = emit(p, &s, &len);
	CU_ASSERT_EQUAL_FATAL(len, (size_t)p->total_sectors * 2048);
	for (size_t i = 0; i < 16 * 2048; i++)
		if (img[i]) {
			CU_FAIL("system area not zero");
			break;
		}
	CU_ASSERT_EQUAL(memcmp(img + 16 * 2048 + 1, "BEA01", 5), 0);
	CU_ASSERT_EQUAL(memcmp(img + 17 * 2048 + 1, "NSR03", 5), 0);
	CU_ASSERT_EQUAL(memcmp(img + 18 * 2048 + 1, "TEA01", 5), 0);
	for (int i = 0; i < 3; i++)
		CU_ASSERT(tag_ok(img + (size_t)u->avdp[i] * 2048, UDF_TAG_AVDP, u->avdp[i]));
	static const uint16_t vds[6] = {1, 4, 5, 6, 7, 8};
	for (int i = 0; i < 6; i++) {
		CU_ASSERT(tag_ok(img + (size_t)(32 + i) * 2048, vds[i], 32 + i));
		CU_ASSERT(tag_ok(img + (size_t)(48 + i) * 2048, vds[i], 48 + i));
	}
	CU_ASSERT(tag_ok(img + 64 * 2048, UDF_TAG_LVID, 64));
	CU_ASSERT(tag_ok(img + 65 * 2048, UDF_TAG_TD, 65));
	const uint8_t *part = img + 257 * 2048;
	CU_ASSERT(tag_ok(part, UDF_TAG_FSD, 0));
	CU_ASSERT(tag_ok(part + 2048, UDF_TAG_TD, 1));
	CU_ASSERT(tag_ok(part + 2 * 2048, UDF_TAG_EFE, 2));
	CU_ASSERT_EQUAL(part[2 * 2048 + 27], UDF_FT_DIR);
	/* root FIDs: parent, then docs, fifo, readme.txt */
	const uint8_t *fid = part + 3 * 2048;
	CU_ASSERT(tag_ok(fid, UDF_TAG_FID, 3));
	CU_ASSERT_EQUAL(fid[18], UDF_FID_DIR | UDF_FID_PARENT);
	CU_ASSERT_EQUAL(dm_get_le32(fid + 24), 2);
	fid += 40;
	CU_ASSERT_EQUAL(fid[18], UDF_FID_DIR);
	CU_ASSERT_EQUAL(fid[19], 5);
	CU_ASSERT_EQUAL(memcmp(fid + 38, "\x08" "docs", 5), 0);
	CU_ASSERT_EQUAL(dm_get_le32(fid + 24), 4);
	CU_ASSERT_EQUAL(dm_get_le32(fid + 32), 16);
	/* the symlink is embedded in its FE */
	const uint8_t *sl = part + 7 * 2048;
	CU_ASSERT(tag_ok(sl, UDF_TAG_EFE, 7));
	CU_ASSERT_EQUAL(sl[16 + 11], UDF_FT_SYMLINK);
	CU_ASSERT_EQUAL(dm_get_le16(sl + 16 + 18) & 7u, UDF_AD_EMBEDDED);
	CU_ASSERT_EQUAL(sl[216], 3); /* ".." */
	/* LVID counts */
	const uint8_t *lvid = img + 64 * 2048;
	CU_ASSERT_EQUAL(dm_get_le64(lvid + 40), 21);
	CU_ASSERT_EQUAL(dm_get_le32(lvid + 80 + 8 + 32), 4);
	CU_ASSERT_EQUAL(dm_get_le32(lvid + 80 + 8 + 36), 2);

	/* reproducible: a second plan and emission give the same bytes */
	image_plan *p2;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p2, t, &o, &ctx), DM_OK);
	mk_sink *s2;
	size_t len2;
	const uint8_t *img2 = emit(p2, &s2, &len2);
	CU_ASSERT_EQUAL(len, len2);
	CU_ASSERT_EQUAL(memcmp(img, img2, len), 0);
	mk_sink_abort(s2);
	image_plan_free(p2);
	mk_sink_abort(s);
	image_plan_free(p);
	mk_tree_free(t);
}

static void test_all_revisions(void)
{
	static const unsigned revs[] = {UDF_REV_102, UDF_REV_150, UDF_REV_200,
					UDF_REV_201, UDF_REV_250, UDF_REV_260};
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++) {
		for (int iso = 0; iso < 2; iso++) {
			mk_tree *t = small_tree();
			image_opts o = opts(iso, revs[i]);
			dm_ctx ctx;
			dm_ctx_init(&ctx);
			image_plan *p;
			CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, &o, &ctx), DM_OK);
			mk_sink *s;
			size_t len;
			const uint8_t *img = emit(p, &s, &len);
			udf_plan *u = p->udf;
			CU_ASSERT_EQUAL(len, (size_t)p->total_sectors * 2048);
			const char *nsr = revs[i] >= UDF_REV_200 ? "NSR03" : "NSR02";
			CU_ASSERT_EQUAL(memcmp(img + (size_t)(u->vrs_lba + 1) * 2048 + 1, nsr, 5), 0);
			uint16_t fe = revs[i] >= UDF_REV_200 ? UDF_TAG_EFE : UDF_TAG_FE;
			/* block 0 of the metadata space: the FSD, with partition-relative location */
			const uint8_t *space = img + (size_t)(u->part_start + u->meta_lbn) * 2048;
			CU_ASSERT(tag_ok(space, UDF_TAG_FSD, 0));
			CU_ASSERT(tag_ok(space + 2 * 2048, fe, 2));
			if (revs[i] >= UDF_REV_250) {
				/* the metadata file and mirror FEs, the aligned extents, the copy */
				const uint8_t *mf = img + (size_t)u->part_start * 2048;
				CU_ASSERT(tag_ok(mf, UDF_TAG_EFE, 0));
				CU_ASSERT_EQUAL(mf[27], UDF_FT_META);
				CU_ASSERT(tag_ok(mf + 2048, UDF_TAG_EFE, 1));
				CU_ASSERT_EQUAL(mf[2048 + 27], UDF_FT_META_MIRROR);
				CU_ASSERT_EQUAL((u->part_start + u->meta_lbn) % 32, 0);
				CU_ASSERT_EQUAL(u->meta_extent % 32, 0);
				CU_ASSERT_EQUAL(dm_get_le32(mf + 216 + 4), u->meta_lbn);
				CU_ASSERT_EQUAL(dm_get_le32(mf + 2048 + 216 + 4), u->mirror_lbn);
				const uint8_t *mirror = img + (size_t)(u->part_start + u->mirror_lbn) * 2048;
				CU_ASSERT_EQUAL(memcmp(space, mirror, (size_t)u->meta_extent * 2048), 0);
			}
			if (iso) {
				/* bridge: ISO descriptors first, the VRS after the terminator */
				CU_ASSERT_EQUAL(p->iso->term_lba, 18);
				CU_ASSERT_EQUAL(u->vrs_lba, 19);
				CU_ASSERT_EQUAL(memcmp(img + 16 * 2048 + 1, "CD001", 5), 0);
				CU_ASSERT_EQUAL(img[18 * 2048], 255);
				CU_ASSERT_EQUAL(memcmp(img + 19 * 2048 + 1, "BEA01", 5), 0);
				CU_ASSERT(p->iso->primary.pt_l_lba > u->vol.lvid_lba + 1);
				/* ISO metadata (directories and their continuation areas) never covers the anchor */
				for (uint32_t k = 0; k < p->iso->primary.ndirs; k++) {
					const iso_dir *d = p->iso->primary.dirs[k];
					CU_ASSERT(d->lba + d->size / 2048 + d->ce_sectors <= 256 || d->lba > 256);
				}
				CU_ASSERT_EQUAL(p->iso->total_sectors, p->total_sectors);
				CU_ASSERT_EQUAL(dm_get_le32(img + 16 * 2048 + 80), p->total_sectors);
			}
			mk_sink_abort(s);
			image_plan_free(p);
			mk_tree_free(t);
		}
	}
}

/* A tiny real file: in a sector of its own by default (libcdio and DVD players read no
 * data in an ICB), embedded in its FE in pure UDF with embed (--udf-embed), shared with ISO
 * in a bridge. */
static void test_data_placement(void)
{
	char dir[] = "/tmp/test_udf_plan.XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	char path[128], path2[128];
	snprintf(path, sizeof(path), "%s/tiny", dir);
	snprintf(path2, sizeof(path2), "%s/big", dir);
	FILE *f = fopen(path, "w");
	fputs("tiny!", f);
	fclose(f);
	f = fopen(path2, "w");
	for (int i = 0; i < 5000; i++)
		fputc('0' + i % 10, f);
	fclose(f);
	for (int mode = 0; mode < 3; mode++) {
		int iso = mode == 2, embed = mode == 1;
		mk_tree *t = mk_tree_new();
		mk_node *a = add(t, mk_tree_root(t), "tiny", MK_FILE);
		a->src = path;
		a->flags |= MK_SRC_FULL;
		a->data->size = 5;
		mk_node *b = add(t, mk_tree_root(t), "big", MK_FILE);
		b->src = path2;
		b->flags |= MK_SRC_FULL;
		b->data->size = 5000;
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
		image_opts o = opts(iso, UDF_REV_102);
		o.udf_o.embed = embed;
		image_plan *p;
		CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, &o, &ctx), DM_OK);
		mk_sink *s;
		size_t len;
		const uint8_t *img = emit(p, &s, &len);
		udf_plan *u = p->udf;
		/* icbs: root, big, tiny */
		const uint8_t *fe = img + (size_t)(u->part_start + u->icbs[2].lbn) * 2048;
		CU_ASSERT(tag_ok(fe, UDF_TAG_FE, u->icbs[2].lbn));
		if (!iso && !embed) {
			/* one short_ad (4/14.14.1): 5 bytes at the data's block, in the partition */
			CU_ASSERT_EQUAL(u->ndata, 2);
			CU_ASSERT_EQUAL(dm_get_le16(fe + 16 + 18) & 7u, UDF_AD_SHORT);
			CU_ASSERT_EQUAL(dm_get_le32(fe + 172), 8);  /* length of allocation descriptors */
			CU_ASSERT_EQUAL(dm_get_le32(fe + 176), 5);
			const mk_data *d = a->data;
			CU_ASSERT_EQUAL(dm_get_le32(fe + 176 + 4), d->lba - u->part_start);
			CU_ASSERT_EQUAL(memcmp(img + (size_t)d->lba * 2048, "tiny!", 5), 0);
		} else if (!iso) {
			CU_ASSERT_EQUAL(u->ndata, 1);
			CU_ASSERT_EQUAL(dm_get_le16(fe + 16 + 18) & 7u, UDF_AD_EMBEDDED);
			CU_ASSERT_EQUAL(memcmp(fe + 176, "tiny!", 5), 0);
		} else {
			/* both filesystems point at one copy, inside the partition */
			CU_ASSERT_EQUAL(p->ndata, 2);
			CU_ASSERT_EQUAL(dm_get_le16(fe + 16 + 18) & 7u, UDF_AD_SHORT);
			const mk_data *d = a->data;
			CU_ASSERT(d->lba >= u->part_start + u->data_lbn);
			CU_ASSERT(d->lba < u->avdp[1]);
			CU_ASSERT_EQUAL(dm_get_le32(fe + 176 + 4), d->lba - u->part_start);
			CU_ASSERT_EQUAL(memcmp(img + (size_t)d->lba * 2048, "tiny!", 5), 0);
			CU_ASSERT_EQUAL(memcmp(img + (size_t)b->data->lba * 2048, "0123456789", 10), 0);
			CU_ASSERT_EQUAL(u->avdp[1], d->lba + 1); /* big, then tiny */
		}
		mk_sink_abort(s);
		image_plan_free(p);
		mk_tree_free(t);
	}
	unlink(path);
	unlink(path2);
	rmdir(dir);
}

static void test_refused(void)
{
	static const struct {
		const char *name;
		unsigned rev;
		int ok;
	} cases[] = {
		{"\xf0\x9f\x98\x80.txt", UDF_REV_102, 1}, /* outside the BMP: surrogates, */
		{"\xf0\x9f\x98\x80.txt", UDF_REV_201, 1}, /* in every revision */
		{"\xf0\x9f\x98\x80.txt", UDF_REV_260, 1},
		{"\xef\xbb\xbf" "bom", UDF_REV_260, 0},
		{NULL, UDF_REV_201, 0},                    /* 255 ASCII bytes: 256 in CS0 */
	};
	char longname[256];
	memset(longname, 'L', 255);
	longname[255] = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_tree *t = mk_tree_new();
		add(t, mk_tree_root(t), cases[i].name ? cases[i].name : longname, MK_FILE);
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
		image_opts o = opts(0, cases[i].rev);
		image_plan *p = NULL;
		dm_status st = image_plan_build(&p, t, &o, &ctx);
		CU_ASSERT_EQUAL(st == DM_OK, cases[i].ok);
		if (!cases[i].ok) {
			CU_ASSERT_EQUAL(st, DM_ERR_UNSUPPORTED);
			CU_ASSERT_PTR_NULL(p);
			CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/"));
		}
		image_plan_free(p);
		mk_tree_free(t);
	}
	/* two names equal once their bytes that are not UTF-8 read as Latin-1 */
	mk_tree *t = mk_tree_new();
	add(t, mk_tree_root(t), "caf\xc3\xa9", MK_FILE);
	add(t, mk_tree_root(t), "caf\xe9", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	image_opts o = opts(0, UDF_REV_201);
	image_plan *p = NULL;
	CU_ASSERT_EQUAL(image_plan_build(&p, t, &o, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "Latin-1"));
	mk_tree_free(t);
}

static void test_hardlinks(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	mk_node *a = add(t, root, "a", MK_FILE);
	mk_node *d = add(t, root, "d", MK_DIR);
	mk_node *b = add(t, d, "b", MK_FILE);
	b->data = a->data;
	a->data->nlink = 2;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	a->data->nlink = 2;
	image_opts o = opts(0, UDF_REV_201);
	image_plan *p;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, &o, &ctx), DM_OK);
	udf_plan *u = p->udf;
	/* root, a, d: one FE for both links */
	CU_ASSERT_EQUAL(u->nicbs, 3);
	CU_ASSERT_EQUAL(u->files, 1);
	CU_ASSERT_EQUAL(u->icbs[1].nlink, 2);
	CU_ASSERT_EQUAL(u->ents[u->icbs[0].first_ent].icb, 1);
	CU_ASSERT_EQUAL(u->ents[u->icbs[2].first_ent].icb, 1);
	image_plan_free(p);
	mk_tree_free(t);
}

/* By default a pure UDF image leaves symlinks and special files out: 7-Zip refuses a whole
 * volume holding any (its ReadItem takes file types 4 and 5 only). */
static void test_special_left_out(void)
{
	mk_tree *t = small_tree();
	image_opts o = opts(0, UDF_REV_201);
	o.udf_o.special = 0;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	image_plan *p;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, &o, &ctx), DM_OK);
	udf_plan *u = p->udf;
	/* root, docs, docs/a, readme.txt: no docs/link, no fifo */
	CU_ASSERT_EQUAL(u->nicbs, 4);
	CU_ASSERT_EQUAL(u->files, 2);
	CU_ASSERT_EQUAL(u->dirs, 2);
	mk_sink *s;
	size_t len;
	const uint8_t *img = emit(p, &s, &len);
	/* every file entry in the image is a directory (4) or a file (5), 4/14.6.6 */
	const uint8_t *part = img + (size_t)u->part_start * 2048;
	for (uint32_t i = 0; i < u->nicbs; i++) {
		const uint8_t *fe = part + (size_t)u->icbs[i].lbn * 2048;
		CU_ASSERT(tag_ok(fe, UDF_TAG_EFE, u->icbs[i].lbn));
		CU_ASSERT(fe[16 + 11] == UDF_FT_DIR || fe[16 + 11] == UDF_FT_FILE);
	}
	/* the root's FIDs: parent, docs, readme.txt */
	const uint8_t *fid = part + (size_t)u->icbs[0].tail_lbn * 2048;
	CU_ASSERT_EQUAL(u->icbs[0].tail_len, 40u + (38u + 5u + 3u) / 4u * 4u + (38u + 11u + 3u) / 4u * 4u);
	fid += 40;
	CU_ASSERT_EQUAL(memcmp(fid + 38, "\x08" "docs", 5), 0);
	fid += (38 + 5 + 3) / 4 * 4;
	CU_ASSERT_EQUAL(memcmp(fid + 38, "\x08" "readme.txt", 11), 0);
	mk_sink_abort(s);
	image_plan_free(p);
	mk_tree_free(t);
}

static CU_TestInfo plan_tests[] = {
	{"pure UDF: symlinks and special files left out by default", test_special_left_out},
	{"pure UDF 2.01 map and bytes", test_pure_201},
	{"every revision, pure and bridged", test_all_revisions},
	{"file data: in sectors, embedded when asked, once in a bridge", test_data_placement},
	{"names and characters UDF refuses", test_refused},
	{"hard links share one file entry", test_hardlinks},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"udf_plan and image_plan", NULL, NULL, NULL, NULL, plan_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
