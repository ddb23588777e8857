/* mkimage/source/import_*.c: the previous-session importer on discs crafted in memory,
 * record by record: names (ISO 9660, Rock Ridge, Joliet), attributes, continuation areas,
 * relocated directories, hard links, multi-extent files, session finding, and the refusals
 * of damaged input with their exact messages. Then the ISO planner at a base LBA. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/dm_endian.h"
#include "mkimage/iso/iso_dirrec.h"
#include "mkimage/image_plan.h"
#include "mkimage/iso/iso_plan.h"
#include "mkimage/source/import.h"
#include "mkimage/source/import_rr.h"
#include "mkimage/tree.h"
#include "tests/unit/import_util.h"

#include <CUnit/CUnit.h>

#define SEC 2048u
#define DISC_SECTORS 200u

typedef struct disc {
	uint8_t *b;
	uint32_t sectors;
	size_t pos[DISC_SECTORS]; /* next record offset in each directory sector */
} disc;

static dm_status mem_read(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx)
{
	disc *d = user;
	(void)ctx;
	memcpy(buf, d->b + (size_t)lba * SEC, (size_t)count * SEC);
	return DM_OK;
}

static mk_prev_reader reader(disc *d)
{
	mk_prev_reader r = {mem_read, d, d->sectors, "test.img"};
	return r;
}

static void put_both32(uint8_t *p, uint32_t v)
{
	dm_put_le32(p, v);
	dm_put_be32(p + 4, v);
}

static const uint8_t SP[] = {'S', 'P', 7, 1, 0xBE, 0xEF, 0};

/* A disc with a session at `start`: PVD at start + 16 (volume end `end`, root at root_lba,
 * 1 sector), optionally a Joliet SVD, then the terminator. */
static void session(disc *d, uint32_t start, uint32_t end, uint32_t root_lba, uint32_t joliet_root)
{
	uint8_t *p = d->b + (size_t)(start + 16) * SEC;
	p[0] = 1;
	memcpy(p + 1, "CD001", 5);
	p[6] = 1;
	memset(p + 40, ' ', 32);
	memcpy(p + 40, "OLDVOL", 6);
	put_both32(p + 80, end);
	iso_put_dirrec(p + 156, root_lba, SEC, 0, ISO_FLAG_DIR, (const uint8_t *)"\0", 1, NULL, 0);
	p += SEC;
	if (joliet_root) {
		p[0] = 2;
		memcpy(p + 1, "CD001", 5);
		p[6] = 1;
		memcpy(p + 88, "%/E", 3);
		put_both32(p + 80, end);
		iso_put_dirrec(p + 156, joliet_root, SEC, 0, ISO_FLAG_DIR, (const uint8_t *)"\0", 1, NULL, 0);
		p += SEC;
	}
	p[0] = 255;
	memcpy(p + 1, "CD001", 5);
	p[6] = 1;
}

static disc *disc_new(void)
{
	disc *d = calloc(1, sizeof(*d));
	d->sectors = DISC_SECTORS;
	d->b = calloc(DISC_SECTORS, SEC);
	return d;
}

static void disc_free(disc *d)
{
	free(d->b);
	free(d);
}

/* Append a record to the directory at lba. */
static void rec(disc *d, uint32_t dir, uint32_t lba, uint32_t size, uint8_t flags, const char *id,
		size_t id_len, const uint8_t *su, size_t su_len)
{
	uint8_t *p = d->b + (size_t)dir * SEC + d->pos[dir];
	d->pos[dir] += iso_put_dirrec(p, lba, size, 1000000000, flags, (const uint8_t *)id,
				      (uint8_t)id_len, su, su_len);
	CU_ASSERT_FATAL(d->pos[dir] <= SEC);
}

/* "." (with su) and ".." of the directory at lba. */
static void dir_begin(disc *d, uint32_t lba, uint32_t parent, const uint8_t *su, size_t su_len)
{
	rec(d, lba, lba, SEC, ISO_FLAG_DIR, "\0", 1, su, su_len);
	rec(d, lba, parent, SEC, ISO_FLAG_DIR, "\1", 1, NULL, 0);
}

/* A disc with one session at 0 (volume end 60), its root at 20 begun ("." with su). */
static disc *disc_with_root(const uint8_t *su, size_t su_len)
{
	disc *d = disc_new();
	session(d, 0, 60, 20, 0);
	dir_begin(d, 20, 20, su, su_len);
	return d;
}

static size_t px(uint8_t *p, uint32_t mode, uint32_t nlink, uint32_t uid, uint32_t serial)
{
	memcpy(p, "PX", 2);
	p[2] = 44;
	p[3] = 1;
	put_both32(p + 4, mode);
	put_both32(p + 12, nlink);
	put_both32(p + 20, uid);
	put_both32(p + 28, uid + 1);
	put_both32(p + 36, serial);
	return 44;
}

static size_t nm(uint8_t *p, uint8_t flags, const char *name)
{
	size_t n = strlen(name);
	memcpy(p, "NM", 2);
	p[2] = (uint8_t)(5 + n);
	p[3] = 1;
	p[4] = flags;
	memcpy(p + 5, name, n);
	return 5 + n;
}

static size_t entry(uint8_t *p, const char *sig, uint32_t v)
{
	memcpy(p, sig, 2);
	p[2] = 12;
	p[3] = 1;
	put_both32(p + 4, v);
	return 12;
}

typedef struct imp {
	mk_tree *t;
	dm_ctx ctx;
	mk_import_info info;
	dm_status st;
} imp;

static void import(imp *r, disc *d, uint32_t start)
{
	r->t = mk_tree_new();
	dm_ctx_init(&r->ctx);
	mk_prev_reader rd = reader(d);
	r->st = mk_import_iso(r->t, &rd, start, &r->info, &r->ctx);
	if (!r->st)
		r->st = mk_tree_finish(r->t, &r->ctx);
}

/* The session at start imported; fatal unless it is. The caller frees r->t. */
static void import_ok(imp *r, disc *d, uint32_t start)
{
	import(r, d, start);
	CU_ASSERT_EQUAL_FATAL(r->st, DM_OK);
}

/* The session at start refused with status st and exactly msg. */
static void import_refused(disc *d, uint32_t start, dm_status st, const char *msg)
{
	imp r;
	import(&r, d, start);
	CU_ASSERT_EQUAL(r.st, st);
	CU_ASSERT_STRING_EQUAL(r.ctx.msg, msg);
	mk_tree_free(r.t);
}

static void test_plain_iso(void)
{
	disc *d = disc_with_root(NULL, 0);
	rec(d, 20, 30, 5, 0, "HELLO.TXT;1", 11, NULL, 0);
	rec(d, 20, 21, SEC, ISO_FLAG_DIR, "SUB", 3, NULL, 0);
	rec(d, 20, 31, 3, ISO_FLAG_HIDDEN, "NOEXT.;1", 8, NULL, 0);
	dir_begin(d, 21, 20, NULL, 0);
	rec(d, 21, 0, 0, 0, "EMPTY;1", 7, NULL, 0);
	imp r;
	import_ok(&r, d, 0);
	mk_node *f = tree_at(r.t, "/HELLO.TXT");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->type, MK_FILE);
	CU_ASSERT_EQUAL(f->data->lba, 30);
	CU_ASSERT_EQUAL(f->data->size, 5);
	CU_ASSERT(mk_data_is_old(r.t, f->data));
	CU_ASSERT(f->flags & MK_OLD);
	CU_ASSERT_EQUAL(f->mode, S_IFREG | 0444);
	mk_node *h = tree_at(r.t, "/NOEXT");
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT(h->flags & MK_HIDDEN);
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/SUB/EMPTY"));
	CU_ASSERT_EQUAL(r.info.rockridge, 0);
	CU_ASSERT_EQUAL(r.info.joliet, 0);
	CU_ASSERT_EQUAL(r.info.volume_end, 60);
	CU_ASSERT_STRING_EQUAL(r.info.volume_id, "OLDVOL");
	CU_ASSERT_EQUAL(r.info.files, 3);
	CU_ASSERT_EQUAL(r.info.dirs, 1);
	mk_tree_free(r.t);
	disc_free(d);
}

static void test_rock_ridge(void)
{
	uint8_t su[255];
	memcpy(su, SP, sizeof(SP));
	size_t n = sizeof(SP);
	n += px(su + n, S_IFDIR | 0750, 2, 7, 1);
	disc *d = disc_with_root(su, n);
	/* A file: long name, mode, owner, times (TF modify + access, 7-byte form). */
	n = px(su, S_IFREG | 0640, 1, 1000, 2);
	n += nm(su + n, 0, "hello world.txt");
	memcpy(su + n, "TF", 2);
	su[n + 2] = 5 + 14;
	su[n + 3] = 1;
	su[n + 4] = 0x06;
	iso_put_date7(su + n + 5, 1500000000);
	iso_put_date7(su + n + 12, 1500000001);
	n += 19;
	rec(d, 20, 30, 5, 0, "HELLO_WO.TXT;1", 14, su, n);
	/* A symlink "../a//b" in two SL entries: "..", "a" | continued component "b" + "c". */
	n = px(su, S_IFLNK | 0777, 1, 0, 3);
	n += nm(su + n, 0, "ln");
	static const uint8_t sl1[] = {'S', 'L', 14, 1, 1, 0x04, 0, 0, 1, 'a', 0x01, 2, 'b', 'x'};
	static const uint8_t sl2[] = {'S', 'L', 8, 1, 0, 0, 1, 'c'};
	memcpy(su + n, sl1, sizeof(sl1));
	n += sizeof(sl1);
	memcpy(su + n, sl2, sizeof(sl2));
	n += sizeof(sl2);
	rec(d, 20, 0, 0, 0, "LN;1", 4, su, n);
	/* A block device: PN. */
	n = px(su, S_IFBLK | 0600, 1, 0, 4);
	n += nm(su + n, 0, "sda");
	memcpy(su + n, "PN", 2);
	su[n + 2] = 20;
	su[n + 3] = 1;
	put_both32(su + n + 4, 0);
	put_both32(su + n + 12, 0x0801);
	n += 20;
	rec(d, 20, 0, 0, 0, "SDA;1", 5, su, n);
	imp r;
	import_ok(&r, d, 0);
	CU_ASSERT_EQUAL(r.info.rockridge, 1);
	CU_ASSERT_EQUAL(mk_tree_root(r.t)->mode, S_IFDIR | 0750);
	mk_node *f = tree_at(r.t, "/hello world.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->mode, S_IFREG | 0640);
	CU_ASSERT_EQUAL(f->uid, 1000);
	CU_ASSERT_EQUAL(f->gid, 1001);
	CU_ASSERT_EQUAL(f->mtime, 1500000000);
	CU_ASSERT_EQUAL(f->atime, 1500000001);
	mk_node *l = tree_at(r.t, "/ln");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->type, MK_SYMLINK);
	CU_ASSERT_STRING_EQUAL(l->target, "../a/bxc");
	mk_node *b = tree_at(r.t, "/sda");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(b->type, MK_BLKDEV);
	CU_ASSERT_EQUAL(b->rdev, 0x0801);
	mk_tree_free(r.t);
	disc_free(d);
}

/* The root directory (LBA 20) emptied and begun again, its "." with SP when rr. */
static void root_again(disc *d, int rr)
{
	memset(d->b + 20 * SEC, 0, SEC);
	d->pos[20] = 0;
	dir_begin(d, 20, 20, rr ? SP : NULL, rr ? sizeof(SP) : 0);
}

/* A root whose one file has a name continued in a CE area at ce_lba (SUSP 5.1). */
static void ce_disc(disc *d, uint32_t ce_lba)
{
	root_again(d, 1);
	uint8_t su[255];
	size_t n = nm(su, 1, "first-half-");
	memcpy(su + n, "CE", 2);
	su[n + 2] = 28;
	su[n + 3] = 1;
	put_both32(su + n + 4, ce_lba);
	put_both32(su + n + 12, 100);
	put_both32(su + n + 20, 20);
	n += 28;
	rec(d, 20, 30, 1, 0, "F;1", 3, su, n);
}

static void test_continuation(void)
{
	disc *d = disc_new();
	session(d, 0, 60, 20, 0);
	ce_disc(d, 40);
	nm(d->b + 40 * SEC + 100, 0, "second");
	imp r;
	import_ok(&r, d, 0);
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/first-half-second"));
	mk_tree_free(r.t);
	ce_disc(d, 500);
	import_refused(d, 0, DM_ERR_INVALID,
	               "damaged Rock Ridge entries of /: a continuation area at LBA 500 lies past "
	               "the end of test.img (200 sectors)");
	/* A CE whose area says it continues, and nothing follows: refused. */
	ce_disc(d, 41);
	nm(d->b + 41 * SEC + 100, 1, "second");
	import_refused(d, 0, DM_ERR_INVALID,
	               "damaged Rock Ridge entries of /: a name or link target that says it "
	               "continues, and does not");
	disc_free(d);
}

/* RRIP 4.1.5: a placeholder with CL in the root, the directory in rr_moved with RE. */
static void test_relocation(void)
{
	disc *d = disc_with_root(SP, sizeof(SP));
	uint8_t su[255];
	size_t n = px(su, S_IFREG | 0555, 1, 0, 9);
	n += nm(su + n, 0, "deep");
	n += entry(su + n, "CL", 22);
	rec(d, 20, 0, 0, 0, "DEEP;1", 6, su, n);
	n = nm(su, 0, "rr_moved");
	rec(d, 20, 21, SEC, ISO_FLAG_DIR, "RR_MOVED", 8, su, n);
	dir_begin(d, 21, 20, NULL, 0);
	n = nm(su, 0, "deep");
	memcpy(su + n, "RE", 2);
	su[n + 2] = 4;
	su[n + 3] = 1;
	n += 4;
	rec(d, 21, 22, SEC, ISO_FLAG_DIR, "DEEP", 4, su, n);
	/* The relocated directory: its "." has the attributes, ".." a PL to the real parent. */
	n = px(su, S_IFDIR | 0700, 2, 5, 10);
	size_t m = entry(su + n + 0, "PL", 20);
	(void)m;
	dir_begin(d, 22, 21, su, n);
	n = nm(su, 0, "inside.txt");
	rec(d, 22, 33, 4, 0, "INSIDE.TXT;1", 12, su, n);
	imp r;
	import_ok(&r, d, 0);
	mk_node *deep = tree_at(r.t, "/deep");
	CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
	CU_ASSERT_EQUAL(deep->type, MK_DIR);
	CU_ASSERT_EQUAL(deep->mode, S_IFDIR | 0700);
	CU_ASSERT_EQUAL(deep->uid, 5);
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/deep/inside.txt"));
	CU_ASSERT_PTR_NULL(tree_at(r.t, "/rr_moved"));
	mk_tree_free(r.t);
	disc_free(d);
}

static void test_hardlinks_and_multiextent(void)
{
	disc *d = disc_with_root(NULL, 0);
	rec(d, 20, 30, 100, 0, "A;1", 3, NULL, 0);
	rec(d, 20, 30, 100, 0, "B;1", 3, NULL, 0);
	/* Two extents of 2 and 1 sectors, contiguous: one file of 4096 + 10 bytes. */
	rec(d, 20, 40, 2 * SEC, ISO_FLAG_MULTI_EXTENT, "M;1", 3, NULL, 0);
	rec(d, 20, 42, 10, 0, "M;1", 3, NULL, 0);
	imp r;
	import_ok(&r, d, 0);
	mk_node *a = tree_at(r.t, "/A"), *b = tree_at(r.t, "/B"), *m = tree_at(r.t, "/M");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_EQUAL(a->data, b->data);
	CU_ASSERT_EQUAL(a->data->nlink, 2);
	CU_ASSERT_EQUAL(r.info.links, 1);
	CU_ASSERT_EQUAL(m->data->size, 2 * SEC + 10);
	CU_ASSERT_EQUAL(m->data->lba, 40);
	mk_tree_free(r.t);
	/* Not contiguous: refused. */
	d->pos[20] -= 36;
	rec(d, 20, 50, 10, 0, "M;1", 3, NULL, 0);
	import_refused(d, 0, DM_ERR_UNSUPPORTED,
	               "the previous session in test.img: a file in / (identifier M;1) has extents "
	               "that are not contiguous (LBA 42, then 50): not supported");
	disc_free(d);
}

static void test_joliet_names(void)
{
	disc *d = disc_new();
	session(d, 0, 60, 20, 24);
	dir_begin(d, 20, 20, NULL, 0);
	rec(d, 20, 30, 5, 0, "LONG_NAM.TXT;1", 14, NULL, 0);
	dir_begin(d, 24, 24, NULL, 0);
	static const char j[] = {0, 'L', 0, 'o', 0, 'n', 0, 'g', 0x00, (char)0xE9, 0, '.', 0, 't',
				 0, 'x', 0, 't', 0, ';', 0, '1'};
	rec(d, 24, 30, 5, 0, j, sizeof(j), NULL, 0);
	imp r;
	import_ok(&r, d, 0);
	CU_ASSERT_EQUAL(r.info.joliet, 1);
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/Long\xC3\xA9.txt"));
	mk_tree_free(r.t);
	disc_free(d);
}

/* Damaged sessions: each refused with a message naming the place. */
static void test_damaged(void)
{
	/* No descriptor where the session is said to start. */
	disc *d = disc_with_root(NULL, 0);
	import_refused(d, 30, DM_ERR_INVALID,
	               "the previous session in test.img is damaged: no volume descriptor at LBA "
	               "46 (is 30 where the session starts?)");
	/* A directory loop: a subdirectory whose extent is the root's. */
	rec(d, 20, 20, SEC, ISO_FLAG_DIR, "LOOP", 4, NULL, 0);
	import_refused(d, 0, DM_ERR_INVALID,
	               "the previous session in test.img is damaged: /LOOP: a directory loop (a "
	               "directory reached twice) (LBA 20)");
	/* A file extent past the end. */
	d->pos[20] -= 38;
	rec(d, 20, 199, 4096, 0, "BIG;1", 5, NULL, 0);
	import_refused(d, 0, DM_ERR_INVALID,
	               "the previous session in test.img is damaged: /BIG: its extent at LBA 199 "
	               "(4096 bytes) lies past the end (200 sectors)");
	/* A record longer than what is left of its sector. */
	root_again(d, 0);
	rec(d, 20, 30, 1, 0, "X;1", 3, NULL, 0);
	d->b[20 * SEC + d->pos[20] - 36 + 32] = 250; /* an identifier longer than its record */
	import_refused(d, 0, DM_ERR_INVALID,
	               "the previous session in test.img is damaged: /: a directory record that "
	               "runs past its sector (LBA 20)");
	/* The same name twice. */
	root_again(d, 0);
	rec(d, 20, 30, 1, 0, "X;1", 3, NULL, 0);
	rec(d, 20, 31, 1, 0, "X.;1", 4, NULL, 0);
	import_refused(d, 0, DM_ERR_INVALID,
	               "the previous session has the name /X twice: its directory is damaged");
	/* An NM with a '/'. */
	root_again(d, 1);
	uint8_t su[64];
	size_t n = nm(su, 0, "a/b");
	rec(d, 20, 30, 1, 0, "AB;1", 4, su, n);
	import_refused(d, 0, DM_ERR_INVALID,
	               "damaged Rock Ridge entries of /: an NM name holds '/' or NUL");
	/* An entry longer than its area. */
	root_again(d, 1);
	n = nm(su, 0, "ok");
	su[2] = 60;
	rec(d, 20, 30, 1, 0, "AB;1", 4, su, n);
	import_refused(d, 0, DM_ERR_INVALID,
	               "damaged Rock Ridge entries of /: an entry runs past its area");
	/* A UDF recognition sequence after the terminator: a bridge, whose tree is imported
	 * from ISO 9660 and marked as having UDF (import_udf.c reads its volume). */
	disc_free(d);
	d = disc_with_root(NULL, 0);
	memcpy(d->b + 18 * SEC + 1, "NSR02", 5);
	imp r;
	import(&r, d, 0);
	CU_ASSERT_EQUAL(r.st, DM_OK);
	CU_ASSERT_EQUAL(r.info.udf, 1);
	mk_tree_free(r.t);
	/* Without it: none. */
	memset(d->b + 18 * SEC + 1, 0, 5);
	import(&r, d, 0);
	CU_ASSERT_EQUAL(r.st, DM_OK);
	CU_ASSERT_EQUAL(r.info.udf, 0);
	mk_tree_free(r.t);
	disc_free(d);
}

static void test_find_session_and_remove(void)
{
	disc *d = disc_new();
	session(d, 0, 40, 20, 0);
	dir_begin(d, 20, 20, NULL, 0);
	rec(d, 20, 30, 5, 0, "OLD;1", 5, NULL, 0);
	/* Session 2 at 48 (after 40, rounded); its root at 70; an ISO image stored as a file of
	 * session 1 at 100 (its root at 20 lies before it) is not a session. */
	session(d, 48, 90, 70, 0);
	dir_begin(d, 70, 70, NULL, 0);
	rec(d, 70, 30, 5, 0, "OLD;1", 5, NULL, 0);
	rec(d, 70, 80, 5, 0, "NEW;1", 5, NULL, 0);
	rec(d, 70, 81, 5, 0, "GONE;1", 6, NULL, 0);
	session(d, 100, 40, 20, 0);
	mk_prev_reader rd = reader(d);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint32_t start = 0;
	CU_ASSERT_EQUAL_FATAL(mk_import_find_session(&rd, &start, &ctx), DM_OK);
	CU_ASSERT_EQUAL(start, 48);
	imp r;
	r.t = mk_tree_new();
	dm_ctx_init(&r.ctx);
	CU_ASSERT_EQUAL_FATAL(mk_import_iso(r.t, &rd, start, &r.info, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_import_remove(r.t, "/GONE", &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(mk_import_remove(r.t, "/nope/x", &r.ctx), DM_ERR_INVALID);
	CU_ASSERT_STRING_EQUAL(r.ctx.msg, "--remove /nope/x: not in the previous session");
	/* A source's file of the same name replaces the old one. */
	mk_node *n = mk_tree_add(r.t, mk_tree_root(r.t), "NEW", 3, MK_FILE);
	n->data = mk_tree_data(r.t, 0, 0, 1);
	n->data->size = 7;
	n->data->node = n;
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(r.t, &r.ctx), DM_OK);
	mk_node *got = tree_at(r.t, "/NEW");
	CU_ASSERT_PTR_EQUAL(got, n);
	CU_ASSERT_PTR_NULL(tree_at(r.t, "/GONE"));
	CU_ASSERT_PTR_NOT_NULL(tree_at(r.t, "/OLD"));

	/* The planners at base 96: descriptors at 112, old data where it was, new data after
	 * the new metadata. */
	image_opts io = {.iso = 1,
			 .iso_o = {.level = 3, .rockridge = 1, .joliet = 1, .joliet_max = 64, .base = 96,
				   .volume_id = "V", .system_id = "S", .application = "A"}};
	image_plan *p = NULL;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&p, r.t, &io, &r.ctx), DM_OK);
	CU_ASSERT_EQUAL(p->iso->pvd_lba, 112);
	CU_ASSERT_EQUAL(p->ndata, 1);
	CU_ASSERT_PTR_EQUAL(p->data[0], n->data);
	CU_ASSERT(n->data->lba >= p->iso->data_lba && p->iso->data_lba > p->iso->term_lba);
	CU_ASSERT_EQUAL(tree_at(r.t, "/OLD")->data->lba, 30);
	CU_ASSERT_EQUAL(p->total_sectors, n->data->lba + 1);
	image_plan_free(p);
	mk_tree_free(r.t);
	disc_free(d);
}

static void test_dates(void)
{
	static const uint8_t d7[7] = {126, 12, 7, 9, 30, 5, 4}; /* 2026-12-07 09:30:05 +01:00 */
	CU_ASSERT_EQUAL(rr_import_date7(d7), 1796635805 - 3600);
	static const uint8_t d17[17] = "2026120709300500";
	CU_ASSERT_EQUAL(rr_import_date17(d17), 1796635805);
	static const uint8_t zero[17] = {0};
	CU_ASSERT_EQUAL(rr_import_date7(zero), 0);
	CU_ASSERT_EQUAL(rr_import_date17(zero), 0);
}

static CU_TestInfo import_tests[] = {
	{"plain ISO 9660 names and extents", test_plain_iso},
	{"Rock Ridge PX, NM, TF, SL, PN", test_rock_ridge},
	{"CE continuation areas", test_continuation},
	{"CL/RE relocated directories", test_relocation},
	{"hard links and multi-extent files", test_hardlinks_and_multiextent},
	{"Joliet names without Rock Ridge", test_joliet_names},
	{"damaged sessions refused", test_damaged},
	{"newest session, --remove, replace, planner base", test_find_session_and_remove},
	{"ECMA-119 dates", test_dates},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"import", NULL, NULL, NULL, NULL, import_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
