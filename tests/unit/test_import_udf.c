/* mkimage/source/import_udf.c: pure UDF discs made in memory by the UDF planner and
 * emitter (1.02, 2.01, 2.60) are imported back (names, types, modes, owners, times,
 * symlink targets, device numbers, hard links, file data by reference), a second session is
 * planned over the old partition and imported in turn, and damaged volumes are refused
 * (or read through their reserve structures) with the LBA named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <CUnit/CUnit.h>

#include "common/dm_endian.h"
#include "mkimage/image_emit.h"
#include "mkimage/image_plan.h"
#include "mkimage/sink.h"
#include "mkimage/source/import.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_plan.h"
#include "mkimage/udf/udf_tag.h"
#include "tests/unit/import_util.h"

#define SEC 2048u
#define DISC 4096u

typedef struct disc {
	uint8_t *b;
	uint32_t end;
} disc;

static dm_status rd(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx)
{
	disc *d = user;
	(void)ctx;
	CU_ASSERT_FATAL(lba + count <= d->end);
	memcpy(buf, d->b + (size_t)lba * SEC, (size_t)count * SEC);
	return DM_OK;
}

static const uint8_t big[5000] = {1, 2, 3, [4999] = 9};

static mk_node *add(mk_tree *t, mk_node *dir, const char *name, mk_type type, uint32_t perm)
{
	mk_node *n = mk_tree_add(t, dir, name, strlen(name), type);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	static const uint32_t ifmt[] = {[MK_FILE] = S_IFREG, [MK_DIR] = S_IFDIR, [MK_SYMLINK] = S_IFLNK,
					[MK_BLKDEV] = S_IFBLK, [MK_CHRDEV] = S_IFCHR, [MK_FIFO] = S_IFIFO,
					[MK_SOCKET] = S_IFSOCK};
	n->mode = ifmt[type] | perm;
	n->uid = 1000;
	n->gid = 100;
	n->mtime = 1700000000;
	n->atime = 1700000001;
	n->ctime = 1700000002;
	return n;
}

static void inline_data(mk_tree *t, mk_node *n, const void *bytes, size_t len)
{
	n->data = mk_tree_data(t, 0, 0, 1);
	n->data->node = n;
	n->data->size = len;
	mk_dsrc *s = mk_tree_dsrc_add(t, n->data);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	s->kind = MK_DSRC_INLINE;
	s->bytes = bytes;
}

/* /readme.txt, /docs/a (5000 bytes), /docs/hard (a link of readme.txt), /docs/link ->
 * ../readme.txt, /docs/sub/, /tty (4, 5), /fifo, /empty */
static mk_tree *tree1(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	root->mode = S_IFDIR | 0755;
	mk_node *r = add(t, root, "readme.txt", MK_FILE, 0640);
	inline_data(t, r, "hello\n", 6);
	mk_node *d = add(t, root, "docs", MK_DIR, 0750);
	mk_node *a = add(t, d, "a", MK_FILE, 04755);
	inline_data(t, a, big, sizeof(big));
	mk_node *h = add(t, d, "hard", MK_FILE, 0640);
	h->data = r->data;
	r->data->nlink = 2;
	mk_node *l = add(t, d, "link", MK_SYMLINK, 0777);
	l->target = "../readme.txt";
	add(t, d, "sub", MK_DIR, 01777);
	mk_node *c = add(t, root, "tty", MK_CHRDEV, 0600);
	c->rdev = makedev(4, 5);
	add(t, root, "fifo", MK_FIFO, 0600);
	mk_node *e = add(t, root, "empty", MK_FILE, 0644);
	inline_data(t, e, "", 0);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	r->data->nlink = 2;
	return t;
}

static image_opts opts(unsigned rev)
{
	image_opts o;
	memset(&o, 0, sizeof(o));
	o.udf = 1;
	o.udf_o.rev = rev;
	o.udf_o.special = 1;
	o.udf_o.volume_time = 1700000000;
	o.udf_o.volume_id = "VOL";
	return o;
}

/* Plan and write t into the disc at o->iso_o.base; returns the session's end. */
static uint32_t write_session(disc *dk, mk_tree *t, const image_opts *o, uint64_t *next_uid)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	image_plan *p;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, t, o, &ctx), DM_OK);
	mk_sink *s = mk_sink_open_memory();
	mk_sink_set_origin(s, (uint64_t)o->iso_o.base * SEC);
	CU_ASSERT_EQUAL_FATAL(image_emit(p, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	CU_ASSERT_FATAL(o->iso_o.base + len / SEC <= DISC);
	memcpy(dk->b + (size_t)o->iso_o.base * SEC, img, len);
	uint32_t end = p->total_sectors;
	CU_ASSERT_EQUAL(end, o->iso_o.base + len / SEC);
	if (next_uid)
		*next_uid = p->udf->next_unique_id;
	mk_sink_abort(s);
	image_plan_free(p);
	return end;
}

typedef struct imp {
	mk_tree *t;
	dm_ctx ctx;
	mk_import_info info;
	dm_status st;
	uint32_t start;
} imp;

static void import(imp *r, disc *d)
{
	r->t = mk_tree_new();
	dm_ctx_init(&r->ctx);
	mk_prev_reader rdr = {rd, d, d->end, "t.img"};
	r->start = 0;
	CU_ASSERT_EQUAL(mk_import_udf_pure(&rdr, 0, &r->ctx), 1);
	r->st = mk_import_udf_find_session(&rdr, &r->start, &r->ctx);
	if (!r->st)
		r->st = mk_import_udf(r->t, &rdr, r->start, &r->info, &r->ctx);
	if (!r->st)
		r->st = mk_tree_finish(r->t, &r->ctx);
}

/* The disc refused with status st and a message holding part (the LBA it names). */
static void import_refused(disc *d, dm_status st, const char *part)
{
	imp r;
	import(&r, d);
	CU_ASSERT_EQUAL(r.st, st);
	if (!strstr(r.ctx.msg, part))
		fprintf(stderr, "\ngot '%s'\n", r.ctx.msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.ctx.msg, part));
	mk_tree_free(r.t);
}

static void check_tree1(imp *r, disc *dk)
{
	mk_tree *t = r->t;
	mk_node *rm = tree_at(t, "/readme.txt"), *a = tree_at(t, "/docs/a"), *h = tree_at(t, "/docs/hard");
	mk_node *l = tree_at(t, "/docs/link"), *sub = tree_at(t, "/docs/sub"), *tty = tree_at(t, "/tty");
	mk_node *fifo = tree_at(t, "/fifo"), *e = tree_at(t, "/empty");
	CU_ASSERT_FATAL(rm && a && h && l && sub && tty && fifo && e);
	CU_ASSERT_EQUAL(rm->mode, S_IFREG | 0640);
	CU_ASSERT_EQUAL(a->mode, S_IFREG | 04755);
	CU_ASSERT_EQUAL(sub->mode, S_IFDIR | 01777);
	CU_ASSERT_EQUAL(tree_at(t, "/docs")->mode, S_IFDIR | 0750);
	CU_ASSERT_EQUAL(rm->uid, 1000);
	CU_ASSERT_EQUAL(rm->gid, 100);
	CU_ASSERT_EQUAL(rm->mtime, 1700000000);
	CU_ASSERT_EQUAL(rm->atime, 1700000001);
	CU_ASSERT_EQUAL(rm->ctime, 1700000002);
	CU_ASSERT(rm->flags & MK_OLD);
	CU_ASSERT_EQUAL(l->type, MK_SYMLINK);
	CU_ASSERT_STRING_EQUAL(l->target, "../readme.txt");
	CU_ASSERT_EQUAL(tty->type, MK_CHRDEV);
	CU_ASSERT_EQUAL(tty->rdev, makedev(4, 5));
	CU_ASSERT_EQUAL(fifo->type, MK_FIFO);
	/* One data record for both links; the old extent holds the bytes. */
	CU_ASSERT_PTR_EQUAL(rm->data, h->data);
	CU_ASSERT_EQUAL(rm->data->nlink, 2);
	CU_ASSERT(mk_data_is_old(t, rm->data));
	CU_ASSERT_EQUAL(rm->data->size, 6);
	CU_ASSERT_EQUAL(memcmp(dk->b + (size_t)rm->data->lba * SEC, "hello\n", 6), 0);
	CU_ASSERT_EQUAL(a->data->size, sizeof(big));
	CU_ASSERT_EQUAL(memcmp(dk->b + (size_t)a->data->lba * SEC, big, sizeof(big)), 0);
	CU_ASSERT_EQUAL(e->data->size, 0);
	CU_ASSERT_EQUAL(r->info.links, 1);
	CU_ASSERT_EQUAL(r->info.udf, 2);
	CU_ASSERT_EQUAL(r->info.udf_part_start, 257);
	CU_ASSERT(r->info.udf_special);
	CU_ASSERT_STRING_EQUAL(r->info.volume_id, "VOL");
}

/* The block of n's file entry as the import recorded it (udf_old_fe), or UINT32_MAX. */
static uint32_t old_lbn(const imp *r, const mk_node *n)
{
	for (size_t i = 0; i < r->info.udf_n_old_fes; i++)
		if (r->info.udf_old_fes[i].node == n)
			return r->info.udf_old_fes[i].lbn;
	return UINT32_MAX;
}

static void test_roundtrip(void)
{
	static const unsigned revs[] = {UDF_REV_102, UDF_REV_201, UDF_REV_260};
	for (size_t i = 0; i < 3; i++) {
		disc dk = {calloc(DISC, SEC), DISC};
		CU_ASSERT_PTR_NOT_NULL_FATAL(dk.b);
		mk_tree *t = tree1();
		image_opts o = opts(revs[i]);
		uint64_t uid1;
		uint32_t end1 = write_session(&dk, t, &o, &uid1);
		mk_tree_free(t);
		dk.end = end1;
		imp r;
		import(&r, &dk);
		CU_ASSERT_EQUAL_FATAL(r.st, DM_OK);
		CU_ASSERT_EQUAL(r.start, 0);
		CU_ASSERT_EQUAL(r.info.udf_rev, revs[i]);
		CU_ASSERT_EQUAL(r.info.volume_end, end1);
		CU_ASSERT_EQUAL(r.info.udf_next_uid, uid1);
		CU_ASSERT_EQUAL(r.info.files, 3); /* readme (2 links), a, empty */
		CU_ASSERT_EQUAL(r.info.dirs, 2);
		check_tree1(&r, &dk);
		/* Session 2 over it: a new file, one removed; the old partition kept. */
		mk_node *n = add(r.t, mk_tree_root(r.t), "new.txt", MK_FILE, 0644);
		inline_data(r.t, n, "new\n", 4);
		CU_ASSERT_EQUAL(mk_import_remove(r.t, "/fifo", &r.ctx), DM_OK);
		/* /docs/a replaced by a source: a new entry, the new bytes. */
		mk_node *na = add(r.t, tree_at(r.t, "/docs"), "a", MK_FILE, 0644);
		inline_data(r.t, na, "AAA", 3);
		CU_ASSERT_EQUAL_FATAL(mk_tree_finish(r.t, &r.ctx), DM_OK);
		image_opts o2 = opts(revs[i]);
		o2.iso_o.base = (end1 + 15) / 16 * 16;
		o2.udf_part_start = r.info.udf_part_start;
		o2.udf_o.first_unique_id = r.info.udf_next_uid;
		o2.udf_o.old_fes = r.info.udf_old_fes;
		o2.udf_o.n_old_fes = r.info.udf_n_old_fes;
		uint32_t rm_lba = tree_at(r.t, "/readme.txt")->data->lba;
		/* Without a metadata partition the old entries are pointed at again. */
		int reuse = revs[i] < UDF_REV_250;
		uint32_t fe_l = old_lbn(&r, tree_at(r.t, "/docs/link"));
		CU_ASSERT_EQUAL(r.info.udf_n_old_fes ? 1 : 0, reuse);
		dk.end = DISC;
		uint64_t uid2;
		uint32_t end2 = write_session(&dk, r.t, &o2, &uid2);
		CU_ASSERT(uid2 > uid1);
		mk_tree_free(r.t);
		dk.end = end2;
		import(&r, &dk);
		CU_ASSERT_EQUAL_FATAL(r.st, DM_OK);
		CU_ASSERT_EQUAL(r.start, o2.iso_o.base);
		CU_ASSERT_EQUAL(r.info.udf_part_start, 257);
		CU_ASSERT_EQUAL(r.info.udf_next_uid, uid2);
		CU_ASSERT_PTR_NULL(tree_at(r.t, "/fifo"));
		mk_node *nn = tree_at(r.t, "/new.txt");
		CU_ASSERT_PTR_NOT_NULL_FATAL(nn);
		CU_ASSERT(nn->data->lba >= o2.iso_o.base);
		CU_ASSERT_EQUAL(memcmp(dk.b + (size_t)nn->data->lba * SEC, "new\n", 4), 0);
		/* The old file: the same extent, not copied. */
		CU_ASSERT_EQUAL(tree_at(r.t, "/readme.txt")->data->lba, rm_lba);
		CU_ASSERT_PTR_EQUAL(tree_at(r.t, "/readme.txt")->data, tree_at(r.t, "/docs/hard")->data);
		CU_ASSERT_STRING_EQUAL(tree_at(r.t, "/docs/link")->target, "../readme.txt");
		/* Session 2's anchor at its start + 256 damaged: the disc's last anchor (its own)
		 * still finds and reads it; session 1's anchors are never taken for it. */
		if (i == 0) {
			imp r2;
			dk.b[(size_t)(o2.iso_o.base + 256) * SEC + 5] ^= 1;
			import(&r2, &dk);
			CU_ASSERT_EQUAL(r2.st, DM_OK);
			CU_ASSERT_EQUAL(r2.start, o2.iso_o.base);
			CU_ASSERT_PTR_NOT_NULL(tree_at(r2.t, "/new.txt"));
			mk_tree_free(r2.t);
			/* ... and its last anchors too: session 2 is not found, session 1 is read. */
			dk.b[(size_t)(end2 - 1) * SEC + 5] ^= 1;
			dk.b[(size_t)(end2 - 257) * SEC + 5] ^= 1;
			import(&r2, &dk);
			CU_ASSERT_EQUAL(r2.st, DM_OK);
			CU_ASSERT_EQUAL(r2.start, 0);
			mk_tree_free(r2.t);
			dk.b[(size_t)(o2.iso_o.base + 256) * SEC + 5] ^= 1;
			dk.b[(size_t)(end2 - 1) * SEC + 5] ^= 1;
			dk.b[(size_t)(end2 - 257) * SEC + 5] ^= 1;
		}
		mk_node *a2 = tree_at(r.t, "/docs/a");
		CU_ASSERT_EQUAL_FATAL(a2->data->size, 3);
		CU_ASSERT_EQUAL(memcmp(dk.b + (size_t)a2->data->lba * SEC, "AAA", 3), 0);
		if (reuse) {
			CU_ASSERT_NOT_EQUAL(fe_l, UINT32_MAX);
			CU_ASSERT_EQUAL(old_lbn(&r, tree_at(r.t, "/docs/link")), fe_l);
			CU_ASSERT(257 + old_lbn(&r, a2) >= o2.iso_o.base); /* replaced: a new entry */
			/* The new file's entry lies in the new session. */
			CU_ASSERT(257 + old_lbn(&r, tree_at(r.t, "/new.txt")) >= o2.iso_o.base);
		}
		mk_tree_free(r.t);
		free(dk.b);
	}
}

/* Re-tag the descriptor at d (len bytes of CRC) after an edit. */
static void retag(uint8_t *d)
{
	uint16_t n = dm_get_le16(d + 10);
	dm_put_le16(d + 8, udf_crc(d + 16, n));
	d[4] = udf_tag_checksum(d);
}

/* The sector of a UDF 2.01 disc (partition at 257) holding the FE of /readme.txt: the
 * first FE after the root's and its FIDs (tree order: docs' FE comes first by name). */
static uint32_t fe_of(disc *dk, const char *name)
{
	/* Walk the root's FIDs. */
	const uint8_t *fsd = dk->b + (size_t)257 * SEC;
	uint32_t root = dm_get_le32(fsd + 404);
	const uint8_t *fe = dk->b + (size_t)(257 + root) * SEC;
	uint32_t lea = dm_get_le32(fe + 208), ad = 216 + lea;
	uint32_t len = dm_get_le32(fe + ad), pos = dm_get_le32(fe + ad + 4);
	const uint8_t *f = dk->b + (size_t)(257 + pos) * SEC;
	for (uint32_t p = 0; p < len;) {
		uint8_t l_fi = f[p + 19];
		uint16_t l_iu = dm_get_le16(f + p + 36);
		if (l_fi == strlen(name) + 1 && !memcmp(f + p + 38 + l_iu + 1, name, l_fi - 1))
			return 257 + dm_get_le32(f + p + 24);
		p += (38u + l_iu + l_fi + 3) & ~3u;
	}
	CU_FAIL("no such name");
	return 0;
}

static void test_damaged(void)
{
	disc good = {calloc(DISC, SEC), DISC};
	CU_ASSERT_PTR_NOT_NULL_FATAL(good.b);
	mk_tree *t = tree1();
	image_opts o = opts(UDF_REV_201);
	good.end = write_session(&good, t, &o, NULL);
	mk_tree_free(t);
	disc dk = {malloc((size_t)DISC * SEC), good.end};
	CU_ASSERT_PTR_NOT_NULL_FATAL(dk.b);
	imp r;
	/* The main sequence damaged: the reserve one serves. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	dk.b[34 * SEC + 100] ^= 1; /* the PD */
	import(&r, &dk);
	CU_ASSERT_EQUAL(r.st, DM_OK);
	mk_tree_free(r.t);
	/* Both damaged: the main one's fault named. */
	dk.b[50 * SEC + 100] ^= 1;
	import_refused(&dk, DM_ERR_INVALID, "a volume descriptor with a bad descriptor CRC (LBA 50)");
	/* The anchor at 256 damaged: the last ones serve; all three: refused. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	dk.b[256 * SEC + 5] ^= 1;
	import(&r, &dk);
	CU_ASSERT_EQUAL(r.st, DM_OK);
	mk_tree_free(r.t);
	dk.b[(size_t)(dk.end - 1) * SEC + 5] ^= 1;
	dk.b[(size_t)(dk.end - 257) * SEC + 5] ^= 1;
	import(&r, &dk);
	CU_ASSERT_EQUAL(r.st, DM_ERR_INVALID);
	CU_ASSERT_STRING_EQUAL(r.ctx.msg, "the previous session in t.img is damaged: /: the UDF anchor "
					  "volume descriptor pointer with a bad descriptor tag checksum "
					  "(LBA 256)");
	mk_tree_free(r.t);
	/* A file entry's CRC. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	uint32_t fe = fe_of(&dk, "readme.txt");
	dk.b[(size_t)fe * SEC + 60] ^= 1;
	char want[200];
	snprintf(want, sizeof(want), "/readme.txt: a file entry with a bad descriptor CRC (LBA %u)", fe);
	import_refused(&dk, DM_ERR_INVALID, want);
	/* A file's extent past the partition (re-tagged: only the address is wrong). */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	uint8_t *d = dk.b + (size_t)fe * SEC;
	uint32_t ad = 216 + dm_get_le32(d + 208);
	dm_put_le32(d + ad + 4, 100000);
	retag(d);
	import_refused(&dk, DM_ERR_INVALID, "/readme.txt: its extent at LBA 100257");
	/* A strategy 4096 ICB: not supported, named. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	d = dk.b + (size_t)fe * SEC;
	dm_put_le16(d + 20, 4096);
	retag(d);
	import_refused(&dk, DM_ERR_UNSUPPORTED, "an ICB of strategy other than 4");
	/* A directory whose FID points at its parent: a loop. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	uint32_t docs = fe_of(&dk, "docs");
	const uint8_t *fsd = dk.b + (size_t)257 * SEC;
	uint32_t root = dm_get_le32(fsd + 404);
	d = dk.b + (size_t)docs * SEC;
	ad = 216 + dm_get_le32(d + 208);
	uint32_t fids = 257 + dm_get_le32(d + ad + 4);
	uint8_t *f = dk.b + (size_t)fids * SEC;
	/* Its first entry after the parent FID: make it a directory pointing at the root. */
	uint32_t p0 = (38u + dm_get_le16(f + 36) + f[19] + 3) & ~3u;
	f[p0 + 18] |= 2;
	dm_put_le32(f + p0 + 24, root);
	retag(f + p0);
	import_refused(&dk, DM_ERR_INVALID, "a directory loop");
	/* A name holding '/'. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	f = dk.b + (size_t)fids * SEC;
	f[p0 + 38 + dm_get_le16(f + p0 + 36) + 1] = '/';
	retag(f + p0);
	import_refused(&dk, DM_ERR_INVALID, "a FID with an empty or bad name");
	/* Two FIDs of one name (the third entry, "link", renamed "hard"): refused by the tree. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	f = dk.b + (size_t)fids * SEC;
	uint32_t p1 = p0 + ((38u + dm_get_le16(f + p0 + 36) + f[p0 + 19] + 3) & ~3u);
	uint32_t p2 = p1 + ((38u + dm_get_le16(f + p1 + 36) + f[p1 + 19] + 3) & ~3u);
	CU_ASSERT_EQUAL_FATAL(memcmp(f + p2 + 38 + dm_get_le16(f + p2 + 36) + 1, "link", 4), 0);
	memcpy(f + p2 + 38 + dm_get_le16(f + p2 + 36) + 1, "hard", 4);
	retag(f + p2);
	import_refused(&dk, DM_ERR_INVALID, "the previous session has the name");
	/* A deleted FID is left out. */
	memcpy(dk.b, good.b, (size_t)DISC * SEC);
	f = dk.b + (size_t)fids * SEC;
	f[p0 + 18] |= 4;
	retag(f + p0);
	import(&r, &dk);
	CU_ASSERT_EQUAL(r.st, DM_OK);
	CU_ASSERT_PTR_NULL(tree_at(r.t, "/docs/a"));
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/docs/hard"));
	mk_tree_free(r.t);
	free(dk.b);
	free(good.b);
}

/* A bridge (ISO 9660 + Rock Ridge + UDF 2.01): the tree comes from ISO 9660, and its UDF
 * tree matched with it gives the old file entries of every non-directory. */
static void test_bridge_match(void)
{
	disc dk = {calloc(DISC, SEC), DISC};
	CU_ASSERT_PTR_NOT_NULL_FATAL(dk.b);
	mk_tree *t = tree1();
	image_opts o = opts(UDF_REV_201);
	o.iso = 1;
	iso_opts io = {.level = 3, .rockridge = 1, .volume_time = 1700000000, .volume_id = "VOL"};
	o.iso_o = io;
	dk.end = write_session(&dk, t, &o, NULL);
	mk_tree_free(t);
	imp r = {.t = mk_tree_new()};
	dm_ctx_init(&r.ctx);
	mk_prev_reader rdr = {rd, &dk, dk.end, "t.img"};
	CU_ASSERT_EQUAL_FATAL(mk_import_iso(r.t, &rdr, 0, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(r.info.udf, 1);
	CU_ASSERT_EQUAL_FATAL(mk_import_udf_volume(&rdr, 0, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(r.info.udf_rev, UDF_REV_201);
	CU_ASSERT_EQUAL_FATAL(mk_import_udf_match(r.t, &rdr, 0, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(r.t, &r.ctx), DM_OK);
	/* readme.txt and docs/hard (one entry), docs/a, docs/link, tty, fifo, empty */
	CU_ASSERT_EQUAL(r.info.udf_n_old_fes, 7);
	CU_ASSERT_NOT_EQUAL(old_lbn(&r, tree_at(r.t, "/readme.txt")), UINT32_MAX);
	CU_ASSERT_EQUAL(old_lbn(&r, tree_at(r.t, "/readme.txt")), old_lbn(&r, tree_at(r.t, "/docs/hard")));
	CU_ASSERT_NOT_EQUAL(old_lbn(&r, tree_at(r.t, "/docs/link")), UINT32_MAX);
	CU_ASSERT_EQUAL(old_lbn(&r, tree_at(r.t, "/docs")), UINT32_MAX);
	mk_tree_free(r.t);
	/* A UDF file entry that disagrees with ISO 9660 (another extent): not matched. */
	r.t = mk_tree_new();
	CU_ASSERT_EQUAL_FATAL(mk_import_iso(r.t, &rdr, 0, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_import_udf_volume(&rdr, 0, &r.info, &r.ctx), DM_OK);
	mk_node *a = NULL;
	for (mk_node *n = mk_tree_root(r.t); n; n = mk_tree_next(n))
		if (!strcmp(n->name, "a"))
			a = n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	a->data->lba++;
	CU_ASSERT_EQUAL_FATAL(mk_import_udf_match(r.t, &rdr, 0, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(r.info.udf_n_old_fes, 6);
	CU_ASSERT_EQUAL(old_lbn(&r, a), UINT32_MAX);
	mk_tree_free(r.t);
	free(dk.b);
}

static CU_TestInfo tests[] = {
	{"bridge: ISO 9660 tree matched with the UDF one", test_bridge_match},
	{"1.02, 2.01, 2.60: import, second session, import", test_roundtrip},
	{"damaged volumes", test_damaged},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"import_udf", NULL, NULL, NULL, NULL, tests},
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
