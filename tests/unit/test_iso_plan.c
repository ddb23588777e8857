/* mkimage/iso_plan + iso_emit (through image_plan and image_emit, which place and write
 * the file data): layout decisions and the bytes they lead to, on in-memory
 * trees written to a memory sink (no files are read: the trees hold no file data); and the
 * file sink they write images through, with real files in a temporary directory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "tests/unit/cu_util.h"
#include "mkimage/image_emit.h"
#include "mkimage/image_plan.h"
#include "mkimage/iso/iso_plan.h"
#include "mkimage/sink.h"
#include "mkimage/tree.h"

#include <CUnit/CUnit.h>

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

static iso_opts opts(int joliet, int rr)
{
	iso_opts o = {.level = 3, .joliet = joliet, .rockridge = rr, .joliet_max = 64,
		      .volume_time = 1700000000, .volume_id = "TESTVOL", .system_id = "LINUX",
		      .application = "APP"};
	return o;
}

/* An ISO 9660 image plan (the image planner places the file data): its ISO plan in *p. */
static image_plan *plan_iso(mk_tree *t, const iso_opts *o, iso_plan **p, dm_ctx *ctx)
{
	image_opts io = {.iso = 1, .iso_o = *o};
	image_plan *ip = NULL;
	CU_ASSERT_EQUAL_FATAL(image_plan_build(&ip, t, &io, ctx), DM_OK);
	*p = ip->iso;
	return ip;
}

static void test_layout_small(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	add(t, root, "readme.txt", MK_FILE);
	mk_node *d = add(t, root, "docs", MK_DIR);
	add(t, d, "a", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	iso_plan *p;
	image_plan *ip = plan_iso(t, &o, &p, &ctx);
	CU_ASSERT_EQUAL(p->pvd_lba, 16);
	CU_ASSERT_EQUAL(p->svd_lba, 17);
	CU_ASSERT_EQUAL(p->term_lba, 18);
	CU_ASSERT_EQUAL(p->primary.pt_l_lba, 19);
	CU_ASSERT_EQUAL(p->primary.pt_m_lba, 20);
	CU_ASSERT_EQUAL(p->joliet.pt_l_lba, 21);
	CU_ASSERT_EQUAL(p->joliet.pt_m_lba, 22);
	CU_ASSERT_EQUAL(p->primary.ndirs, 2);
	/* Root "." holds SP + ER so Rock Ridge needs a continuation area, right after the
	 * root directory's extent; then DOCS; then the Joliet directories. */
	CU_ASSERT(p->nareas >= 1);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->lba, 23);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->ce_lba, 24);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->ce_sectors, 1);
	CU_ASSERT_EQUAL(p->areas[0].lba, 24);
	CU_ASSERT_EQUAL(p->ce_sectors, 1);
	CU_ASSERT_EQUAL(p->primary.dirs[1]->lba, 25);
	CU_ASSERT_EQUAL(p->joliet.dirs[0]->lba, 26);
	CU_ASSERT_EQUAL(p->meta_end, 28);
	CU_ASSERT_EQUAL(p->data_lba, 28);
	CU_ASSERT_EQUAL(p->total_sectors, 28); /* no file has data */
	CU_ASSERT_EQUAL(ip->total_sectors, 28);
	/* path table: root (8 + 1 + 1 pad) + DOCS (8 + 4) */
	CU_ASSERT_EQUAL(p->primary.pt_size, 10 + 12);

	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(image_emit(ip, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	CU_ASSERT_EQUAL_FATAL(len, 28u * 2048u);
	const uint8_t *pvd = img + 16 * 2048;
	CU_ASSERT_EQUAL(pvd[0], 1);
	CU_ASSERT_EQUAL(memcmp(pvd + 1, "CD001", 5), 0);
	CU_ASSERT_EQUAL(memcmp(pvd + 40, "TESTVOL ", 8), 0);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 80), 28);
	CU_ASSERT_EQUAL(dm_get_be32(pvd + 84), 28);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 140), 19);
	CU_ASSERT_EQUAL(dm_get_be32(pvd + 148), 20);
	CU_ASSERT_EQUAL(pvd[156], 34);                 /* root record */
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 158), 23);
	CU_ASSERT_EQUAL(memcmp(pvd + 813, "2023111422132000", 16), 0);
	const uint8_t *svd = img + 17 * 2048;
	CU_ASSERT_EQUAL(svd[0], 2);
	CU_ASSERT_EQUAL(memcmp(svd + 88, "%/E", 3), 0);
	CU_ASSERT_EQUAL(svd[40], 0);
	CU_ASSERT_EQUAL(svd[41], 'T');
	CU_ASSERT_EQUAL(img[18 * 2048], 255);
	/* L and M path tables: root entry first, parent 1. */
	const uint8_t *l = img + 19 * 2048, *m = img + 20 * 2048;
	CU_ASSERT_EQUAL(l[0], 1);
	CU_ASSERT_EQUAL(dm_get_le32(l + 2), 23);
	CU_ASSERT_EQUAL(dm_get_le16(l + 6), 1);
	CU_ASSERT_EQUAL(dm_get_be32(m + 2), 23);
	CU_ASSERT_EQUAL(l[10], 4);
	CU_ASSERT_EQUAL(memcmp(l + 18, "DOCS", 4), 0);
	/* Root directory: "." with SP first in its system use area. */
	const uint8_t *root_dir = img + 23 * 2048;
	CU_ASSERT_EQUAL(root_dir[32], 1);
	CU_ASSERT_EQUAL(root_dir[33], 0);
	CU_ASSERT_EQUAL(memcmp(root_dir + 34, "SP", 2), 0);
	mk_sink_abort(s);
	image_plan_free(ip);
	mk_tree_free(t);
}

/* The directory record named id (one byte, "." is 0x00) in the directory sector dir. */
static const uint8_t *dir_record(const uint8_t *dir, uint8_t id)
{
	for (size_t pos = 0; pos < 2048 && dir[pos]; pos += dir[pos])
		if (dir[pos + 32] == 1 && dir[pos + 33] == id)
			return dir + pos;
	return NULL;
}

/* mkisofs -partition_offset 16 on the small tree above: the image's map, then the
 * partition's descriptors at 32 and a copy of the metadata addressed from block 16. */
static void test_partition_offset(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	add(t, root, "readme.txt", MK_FILE);
	mk_node *d = add(t, root, "docs", MK_DIR);
	add(t, d, "a", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	o.partition_offset = 16;
	iso_plan *p;
	image_plan *ip = plan_iso(t, &o, &p, &ctx);
	CU_ASSERT_EQUAL(p->pvd_lba, 16);
	CU_ASSERT_EQUAL(p->term_lba, 18);
	CU_ASSERT_EQUAL(p->part_vd_lba, 32);
	/* the small tree's 9 sectors of metadata (19-27 without the offset) at 35-43, their
	 * copy at 44-52, the data after */
	CU_ASSERT_EQUAL(p->primary.pt_l_lba, 35);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->lba, 39);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->ce_lba, 40);
	CU_ASSERT_EQUAL(p->part_copy, 9);
	CU_ASSERT_EQUAL(p->meta_end, 53);
	CU_ASSERT_EQUAL(p->data_lba, 53);
	CU_ASSERT_EQUAL(ip->total_sectors, 53);

	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(image_emit(ip, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	CU_ASSERT_EQUAL_FATAL(len, 53u * 2048u);
	/* xorriso's MBR for an offset without a hybrid table: one CDh entry from sector 64 */
	CU_ASSERT_EQUAL(img[446 + 4], 0xCD);
	CU_ASSERT_EQUAL(dm_get_le32(img + 446 + 8), 64);
	CU_ASSERT_EQUAL(dm_get_le32(img + 446 + 12), 53 * 4 - 64);
	CU_ASSERT_EQUAL(img[510], 0x55);
	/* the image's descriptors as without the offset, then zeros up to the partition's */
	const uint8_t *pvd = img + 16 * 2048, *ppvd = img + 32 * 2048;
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 80), 53);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 140), 35);
	CU_ASSERT_EQUAL(dm_get_le32(pvd + 158), 39);
	CU_ASSERT(cu_all_zero(img + 19 * 2048, 13 * 2048));
	/* the partition's: volume from block 16, path tables and root in the copy */
	CU_ASSERT_EQUAL(ppvd[0], 1);
	CU_ASSERT_EQUAL(memcmp(ppvd + 1, "CD001", 5), 0);
	CU_ASSERT_EQUAL(dm_get_le32(ppvd + 80), 53 - 16);
	CU_ASSERT_EQUAL(dm_get_be32(ppvd + 84), 53 - 16);
	CU_ASSERT_EQUAL(dm_get_le32(ppvd + 140), 35 + 9 - 16);
	CU_ASSERT_EQUAL(dm_get_be32(ppvd + 148), 36 + 9 - 16);
	CU_ASSERT_EQUAL(dm_get_le32(ppvd + 158), 39 + 9 - 16);
	CU_ASSERT_EQUAL(memcmp(ppvd + 8, pvd + 8, 72), 0);  /* ids as the image's */
	CU_ASSERT_EQUAL(img[33 * 2048], 2);                /* Joliet */
	CU_ASSERT_EQUAL(dm_get_le32(img + 33 * 2048 + 158), p->joliet.dirs[0]->lba + 9 - 16);
	CU_ASSERT_EQUAL(img[34 * 2048], 255);
	/* the copy's path table and root: the same records, LBAs from block 16 */
	CU_ASSERT_EQUAL(dm_get_le32(img + 44 * 2048 + 2), 39 + 9 - 16);
	const uint8_t *dot = dir_record(img + 39 * 2048, 0), *cdot = dir_record(img + 48 * 2048, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cdot);
	CU_ASSERT_EQUAL(dm_get_le32(dot + 2), 39);
	CU_ASSERT_EQUAL(dm_get_le32(cdot + 2), 39 + 9 - 16);
	CU_ASSERT_EQUAL(dm_get_be32(cdot + 6), 39 + 9 - 16);
	/* its Rock Ridge CE points at the copy's continuation area (SUSP 5.1: 4-byte LBA at 4) */
	const uint8_t *ce = NULL;
	for (size_t i = 34; i + 28 <= cdot[0]; i++)
		if (cdot[i] == 'C' && cdot[i + 1] == 'E' && cdot[i + 2] == 28) {
			ce = cdot + i;
			break;
		}
	CU_ASSERT_PTR_NOT_NULL_FATAL(ce);
	CU_ASSERT_EQUAL(dm_get_le32(ce + 4), 40 + 9 - 16);
	/* and the continuation area itself is there, the same bytes as the image's */
	CU_ASSERT_EQUAL(memcmp(img + 49 * 2048, img + 40 * 2048, 2048), 0);
	mk_sink_abort(s);
	image_plan_free(ip);
	mk_tree_free(t);
}

static mk_tree *deep_tree(int levels)
{
	mk_tree *t = mk_tree_new();
	mk_node *d = mk_tree_root(t);
	for (int i = 0; i < levels; i++) {
		char name[16];
		snprintf(name, sizeof(name), "d%d", i + 2);
		d = add(t, d, name, MK_DIR);
	}
	add(t, d, "leaf", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL(mk_tree_finish(t, &ctx), DM_OK);
	return t;
}

/* The path table record of directory number n (1-based) in an L table of len bytes. */
static const uint8_t *pt_record(const uint8_t *pt, size_t len, uint32_t n)
{
	size_t off = 0;
	for (uint32_t k = 1; off + 8 <= len && pt[off]; k++) {
		if (k == n)
			return pt + off;
		off += 8u + pt[off] + (pt[off] & 1u);
	}
	return NULL;
}

static void test_deep_in_place(void)
{
	/* By default (xorriso's deep_paths) d2..d11 stay where they are, levels 2 to 11: no
	 * rr_moved, and the path table and records describe the real tree. */
	mk_tree *t = deep_tree(10);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	for (int rr = 0; rr <= 1; rr++) {
		iso_opts o = opts(1, rr);
		iso_plan *p;
		image_plan *ip = plan_iso(t, &o, &p, &ctx);
		CU_ASSERT_FALSE(p->have_rr_moved);
		CU_ASSERT_EQUAL(p->primary.ndirs, 11);
		mk_sink *s = mk_sink_open_memory();
		CU_ASSERT_EQUAL_FATAL(image_emit(ip, s, &ctx), DM_OK);
		size_t len;
		const uint8_t *img = mk_sink_memory(s, &len);
		const iso_hier *h = &p->primary;
		const uint8_t *pt = img + (size_t)h->pt_l_lba * 2048;
		/* ECMA-119 9.4: record n is d(n+1) whose parent is record n-1; each names the
		 * directory's extent, and that extent's ".." (the second record) the parent's. */
		for (uint32_t n = 2; n <= 11; n++) {
			const uint8_t *r = pt_record(pt, h->pt_size, n);
			CU_ASSERT_PTR_NOT_NULL_FATAL(r);
			char name[8];
			snprintf(name, sizeof(name), "D%u", n);
			CU_ASSERT_EQUAL(r[0], strlen(name));
			CU_ASSERT_EQUAL(memcmp(r + 8, name, strlen(name)), 0);
			CU_ASSERT_EQUAL(dm_get_le16(r + 6), n - 1);
			uint32_t lba = dm_get_le32(r + 2);
			const uint8_t *parent = pt_record(pt, h->pt_size, n - 1);
			const uint8_t *dir = img + (size_t)lba * 2048;
			CU_ASSERT_EQUAL(dm_get_le32(dir + 2), lba);               /* "." */
			CU_ASSERT_EQUAL(dm_get_le32(dir + dir[0] + 2), dm_get_le32(parent + 2)); /* ".." */
			const iso_dir *d = h->dirs[n - 1];
			CU_ASSERT_EQUAL(d->depth, n);
			CU_ASSERT_EQUAL(d->lba, lba);
		}
		mk_sink_abort(s);
		image_plan_free(ip);
	}
	mk_tree_free(t);
}

static void test_relocation(void)
{
	/* Root is level 1; d2..d9 reach level 9, one too deep: relocated when asked. */
	mk_tree *t = deep_tree(8);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	iso_opts o = opts(1, 1);
	o.rr_relocate = 1;
	iso_plan *p;
	image_plan *ip = plan_iso(t, &o, &p, &ctx);
	CU_ASSERT_TRUE(p->have_rr_moved);
	CU_ASSERT_STRING_EQUAL(p->rr_moved->name, ".rr_moved");
	/* Root holds RR_MOVED and d2; d9 sits in RR_MOVED at level 3. */
	int found = 0;
	for (uint32_t i = 0; i < p->primary.ndirs; i++) {
		const iso_dir *d = p->primary.dirs[i];
		CU_ASSERT(d->depth <= ISO_MAX_LEVELS);
		if (!strcmp(d->node->name, "d9")) {
			found = 1;
			CU_ASSERT_EQUAL(d->depth, 3);
			CU_ASSERT_PTR_EQUAL(d->parent->node, p->rr_moved);
			CU_ASSERT_STRING_EQUAL(d->real_parent->node->name, "d8");
		}
	}
	CU_ASSERT_TRUE(found);
	/* Joliet keeps the real hierarchy. */
	CU_ASSERT_EQUAL(p->joliet.ndirs, 9);
	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL(image_emit(ip, s, &ctx), DM_OK);
	mk_sink_abort(s);
	image_plan_free(ip);

	/* Without Rock Ridge the same tree cannot be relocated: refused, naming the directory. */
	o = opts(1, 0);
	o.rr_relocate = 1;
	CU_ASSERT_EQUAL(iso_plan_build(&p, t, &o, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/d2/d3/d4/d5/d6/d7/d8/d9"));
	mk_tree_free(t);

	/* Eight levels need nothing moved. */
	t = deep_tree(7);
	o = opts(0, 1);
	o.rr_relocate = 1;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_FALSE(p->have_rr_moved);
	iso_plan_free(p);
	mk_tree_free(t);
}

static void test_big_directory(void)
{
	/* 3000 entries: records never cross a sector, and the directory size is whole sectors. */
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	for (int i = 0; i < 3000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "file-%05d.dat", i);
		add(t, root, name, MK_FILE);
	}
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(0, 1);
	iso_plan *p;
	image_plan *ip = plan_iso(t, &o, &p, &ctx);
	const iso_dir *r = p->primary.dirs[0];
	CU_ASSERT_EQUAL(r->size % 2048, 0);
	CU_ASSERT(r->size > 40 * 2048);
	mk_sink *s = mk_sink_open_memory();
	CU_ASSERT_EQUAL_FATAL(image_emit(ip, s, &ctx), DM_OK);
	size_t len;
	const uint8_t *img = mk_sink_memory(s, &len);
	/* Walk the records sector by sector: each ends inside its sector, all are found. */
	uint32_t count = 0;
	for (uint32_t sec = 0; sec < r->size / 2048; sec++) {
		const uint8_t *b = img + (size_t)(r->lba + sec) * 2048;
		size_t pos = 0;
		while (pos < 2048 && b[pos]) {
			CU_ASSERT_FATAL(pos + b[pos] <= 2048);
			CU_ASSERT_EQUAL(b[pos] % 2, 0);
			count++;
			pos += b[pos];
		}
	}
	CU_ASSERT_EQUAL(count, 3002);
	mk_sink_abort(s);
	image_plan_free(ip);
	mk_tree_free(t);
}

static void test_extent_count(void)
{
	CU_ASSERT_EQUAL(iso_extent_count(0), 1);
	CU_ASSERT_EQUAL(iso_extent_count(1), 1);
	CU_ASSERT_EQUAL(iso_extent_count(ISO_EXTENT_MAX), 1);
	CU_ASSERT_EQUAL(iso_extent_count((uint64_t)ISO_EXTENT_MAX + 1), 2);
	CU_ASSERT_EQUAL(iso_extent_count(5ull << 30), 2);
	CU_ASSERT_EQUAL(iso_extent_count(9ull << 30), 3);
}

static void test_large_file_needs_level3(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *f = add(t, mk_tree_root(t), "big", MK_FILE);
	f->data->size = 5ull << 30;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	o.level = 2;
	iso_plan *p;
	CU_ASSERT_EQUAL(iso_plan_build(&p, t, &o, &ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "--iso-level 3"));
	o.level = 3;
	image_plan *ip = plan_iso(t, &o, &p, &ctx);
	CU_ASSERT_EQUAL(p->data_lba, p->meta_end);
	CU_ASSERT_EQUAL(f->data->lba, p->data_lba);
	CU_ASSERT_EQUAL(p->total_sectors, p->data_lba + (uint32_t)((5ull << 30) / 2048u));
	CU_ASSERT_EQUAL(ip->total_sectors, p->total_sectors);
	image_plan_free(ip);
	mk_tree_free(t);
}

/* Every record's identifier from iso_rec_id() is the one naming the directory's entries
 * afresh gives (in levels 1 and 3, Joliet 64 and 103, with collisions, relocation
 * placeholders and rr_moved). */
static void check_ids(const iso_plan *p, const iso_hier *h)
{
	for (uint32_t i = 0; i < h->ndirs; i++) {
		const iso_dir *d = h->dirs[i];
		iso_name_req *q = calloc(d->nrecs + 1, sizeof(*q));
		CU_ASSERT_PTR_NOT_NULL_FATAL(q);
		for (uint32_t k = 0; k < d->nrecs; k++) {
			const iso_rec *r = &d->recs[k];
			q[k].src = r->node == p->rr_moved ? "rr_moved" : r->node->name;
			q[k].src_len = r->node == p->rr_moved ? 8 : r->node->name_len;
			q[k].is_dir = r->node->type == MK_DIR && r->kind != ISO_REC_PLACEHOLDER;
		}
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		dm_status st = h->joliet ? joliet_names_assign(q, d->nrecs, p->opts.joliet_max, &ctx)
					 : iso_names_assign(q, d->nrecs, p->opts.level, &ctx);
		CU_ASSERT_EQUAL_FATAL(st, DM_OK);
		for (uint32_t k = 0; k < d->nrecs; k++) {
			uint8_t id[ISO_REC_ID_MAX];
			size_t len = iso_rec_id(p, h, d, &d->recs[k], id);
			CU_ASSERT_EQUAL(len, d->recs[k].id_len);
			CU_ASSERT(len == q[k].id_len && memcmp(id, q[k].id, len) == 0);
		}
		free(q);
	}
}

static void test_record_ids(void)
{
	mk_tree *t = deep_tree(9); /* relocation: a placeholder and rr_moved */
	mk_node *root = mk_tree_root(t);
	char name[160];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "a-rather-long-file-name-for-iso-%02d.text", i);
		add(t, root, name, i % 4 ? MK_FILE : MK_DIR);
		snprintf(name, sizeof(name), "A-Rather-Long-File-Name-For-Joliet-Which-Cuts-At-64-%02d.TXT", i);
		add(t, root, name, MK_FILE);
		snprintf(name, sizeof(name), "%0150d-%d.c", 0, i);
		add(t, root, name, MK_FILE);
	}
	add(t, root, "caf\xc3\xa9.txt", MK_FILE);
	add(t, root, "CAF\xc3\x89.TXT", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	static const struct { int level; unsigned jmax; } modes[] = {{1, 64}, {2, 103}, {3, 64}};
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		iso_opts o = opts(1, 1);
		o.rr_relocate = 1;
		o.level = modes[m].level;
		o.joliet_max = modes[m].jmax;
		iso_plan *p;
		CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
		CU_ASSERT_TRUE(p->have_rr_moved);
		check_ids(p, &p->primary);
		check_ids(p, &p->joliet);
		iso_plan_free(p);
	}
	mk_tree_free(t);
}

/* Rock Ridge link counts: a file's links in the primary hierarchy, 1 without hard links
 * (when the plan keeps no table). */
static void test_link_counts(void)
{
	mk_tree *t = mk_tree_new();
	mk_node *root = mk_tree_root(t);
	mk_node *a = add(t, root, "a", MK_FILE);
	mk_node *b = add(t, root, "b", MK_FILE);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	iso_opts o = opts(1, 1);
	iso_plan *p;
	rr_attrs at;
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_PTR_NULL(p->links);
	iso_rr_attrs(p, p->primary.dirs[0], &p->primary.dirs[0]->recs[0], 0, &at);
	CU_ASSERT_EQUAL(at.nlink, 1);
	iso_plan_free(p);

	/* b becomes a hard link of a, and c a third link that only Joliet shows */
	b->data = a->data;
	a->data->nlink = 3;
	mk_node *c = add(t, root, "c", MK_FILE);
	c->data = a->data;
	c->flags |= MK_NOT_ISO;
	CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(iso_plan_build(&p, t, &o, &ctx), DM_OK);
	CU_ASSERT_PTR_NOT_NULL(p->links);
	CU_ASSERT_EQUAL(p->primary.dirs[0]->nrecs, 2);
	for (uint32_t k = 0; k < 2; k++) {
		iso_rr_attrs(p, p->primary.dirs[0], &p->primary.dirs[0]->recs[k], 0, &at);
		CU_ASSERT_EQUAL(at.nlink, 2);
		CU_ASSERT_EQUAL(at.serial, a->data->serial);
	}
	CU_ASSERT_EQUAL(p->joliet.dirs[0]->nrecs, 3);
	iso_plan_free(p);
	mk_tree_free(t);
}

/* ---- the file sink: what reaches the file, whichever way each piece goes ---- */

/* A deterministic byte pattern: a file of n bytes with seed s. */
static void pattern(uint8_t *p, size_t n, unsigned s)
{
	uint32_t x = 2463534242u ^ s;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static int make_source(const char *dir, unsigned i, const uint8_t *p, size_t n, char *path,
		       size_t cap)
{
	snprintf(path, cap, "%s/src%u", dir, i);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static uint64_t observed;

static void observe(void *user, const uint8_t *data, size_t len)
{
	(void)user;
	(void)data;
	observed += len;
}

/* Metadata, small and large files (direct copies, which end on buffer boundaries) at every
 * phase of the image, zeros between them: the file holds exactly the bytes written, in
 * order, with and without an observer. */
static void test_sink_file(void)
{
	static const size_t sizes[] = {0, 1, 2047, 53248, (1u << 20) - 1, 1u << 20, (1u << 20) + 5000,
				       (3u << 20) + 17, 4096, (2u << 20) + 2048, 700000, 5u << 20};
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	/* TMPDIR on btrfs or XFS takes the reflink path too. */
	const char *tmpdir = getenv("TMPDIR");
	char dir[256];
	snprintf(dir, sizeof(dir), "%s/test_sink.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	size_t total = 3 * (3u << 20); /* and the three copies of a 3 MiB file at the end */
	for (size_t i = 0; i < N; i++)
		total += 9000 + 2 * sizes[i] + 4096;
	uint8_t *want = malloc(total), *got = malloc(total + 1), *src = malloc(5u << 20);
	CU_ASSERT_FATAL(want && got && src);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	for (int with_observer = 0; with_observer < 2; with_observer++) {
		char out[300], path[320];
		snprintf(out, sizeof(out), "%s/image", dir);
		mk_sink *s;
		CU_ASSERT_EQUAL_FATAL(mk_sink_open_file(&s, out, &ctx), DM_OK);
		observed = 0;
		if (with_observer)
			mk_sink_set_observer(s, observe, NULL);
		size_t at = 0;
		for (size_t i = 0; i < N; i++) {
			/* some metadata of an odd length (or up to a block boundary, where a
			 * reflink can be made), then the file twice, then zeros */
			size_t meta = 1000 + 333 * i;
			if (i % 3 == 0)
				meta += (4096 - (at + meta) % 4096) % 4096;
			pattern(want + at, meta, 1000 + (unsigned)i);
			CU_ASSERT_EQUAL_FATAL(mk_sink_write(s, want + at, meta, &ctx), DM_OK);
			at += meta;
			pattern(src, sizes[i], (unsigned)i);
			CU_ASSERT_EQUAL_FATAL(make_source(dir, (unsigned)i, src, sizes[i], path, sizeof(path)), 0);
			for (int twice = 0; twice < 2; twice++) {
				int fd = open(path, O_RDONLY);
				CU_ASSERT_FATAL(fd >= 0);
				uint64_t copied;
				int more;
				CU_ASSERT_EQUAL_FATAL(mk_sink_copy_fd(s, fd, sizes[i], &copied, &more, path, &ctx), DM_OK);
				CU_ASSERT_EQUAL(copied, sizes[i]);
				CU_ASSERT_FALSE(more);
				close(fd);
				memcpy(want + at, src, sizes[i]);
				at += sizes[i];
			}
			size_t z = (2048 - at % 2048) % 2048 + 2048 * (i % 2);
			memset(want + at, 0, z);
			CU_ASSERT_EQUAL_FATAL(mk_sink_zeros(s, z, &ctx), DM_OK);
			at += z;
			CU_ASSERT_EQUAL(mk_sink_offset(s), at);
		}
		/* a file longer or shorter than expected is told, and only len bytes are kept */
		pattern(src, 3u << 20, 99);
		CU_ASSERT_EQUAL_FATAL(make_source(dir, 99, src, 3u << 20, path, sizeof(path)), 0);
		static const uint64_t asks[] = {(3u << 20) - 10, 3u << 20, (3u << 20) + 10};
		for (size_t k = 0; k < 3; k++) {
			int fd = open(path, O_RDONLY);
			CU_ASSERT_FATAL(fd >= 0);
			uint64_t copied;
			int more;
			CU_ASSERT_EQUAL_FATAL(mk_sink_copy_fd(s, fd, asks[k], &copied, &more, path, &ctx), DM_OK);
			CU_ASSERT_EQUAL(copied, k == 2 ? 3u << 20 : asks[k]);
			CU_ASSERT_EQUAL(more, k == 0);
			close(fd);
			memcpy(want + at, src, (size_t)copied);
			at += (size_t)copied;
		}
		CU_ASSERT_EQUAL(mk_sink_offset(s), at);
		/* Past the first GiB (sink.c: SINK_WRITEBACK_FROM) and a few write-back ranges,
		 * which are dropped from the page cache as they reach the disk: a file copied
		 * then is still all there. Once is enough. */
		size_t zeros = (with_observer ? 0 : (size_t)(1u << 30)) + (size_t)(96u << 20) + 12345;
		CU_ASSERT_EQUAL_FATAL(mk_sink_zeros(s, zeros, &ctx), DM_OK);
		int fd = open(path, O_RDONLY);
		CU_ASSERT_FATAL(fd >= 0);
		uint64_t copied;
		int more;
		CU_ASSERT_EQUAL_FATAL(mk_sink_copy_fd(s, fd, 3u << 20, &copied, &more, path, &ctx), DM_OK);
		close(fd);
		CU_ASSERT_EQUAL_FATAL(mk_sink_commit(s, &ctx), DM_OK);
		if (with_observer)
			CU_ASSERT_EQUAL(observed, at + zeros + (3u << 20));
		FILE *f = fopen(out, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		size_t n = fread(got, 1, at, f);
		CU_ASSERT(n == at && memcmp(got, want, at) == 0);
		size_t nonzero = 0, skip = zeros - (size_t)(96u << 20) - 12345;
		CU_ASSERT_EQUAL_FATAL(fseek(f, (long)skip, SEEK_CUR), 0);
		for (size_t left = zeros - skip; left;) {
			size_t k = left < total ? left : total;
			CU_ASSERT_EQUAL_FATAL(fread(got, 1, k, f), k);
			for (size_t i = 0; i < k; i++)
				nonzero += got[i] != 0;
			left -= k;
		}
		CU_ASSERT_EQUAL(nonzero, 0);
		n = fread(got, 1, total, f);
		CU_ASSERT(n == 3u << 20 && memcmp(got, src, 3u << 20) == 0);
		fclose(f);
		unlink(out);
	}
	char path[320];
	for (unsigned i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "%s/src%u", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/src99", dir);
	unlink(path);
	rmdir(dir);
	free(want);
	free(got);
	free(src);
}

/* A descriptor sink on a file already written to (a shell's redirection after other
 * output): the image follows what is there, large files included. */
static void test_sink_fd_offset(void)
{
	const char *tmpdir = getenv("TMPDIR");
	char dir[256], out[300], path[320];
	snprintf(dir, sizeof(dir), "%s/test_sink.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/out", dir);
	size_t big = (2u << 20) + 100, total = 4096 + 4096 + big;
	uint8_t *want = malloc(total), *got = malloc(total + 1);
	CU_ASSERT_FATAL(want && got);
	pattern(want, 4096, 1);                 /* what was there */
	pattern(want + 4096, 4096, 2);          /* the image: a block, then a large file */
	pattern(want + 8192, big, 3);
	CU_ASSERT_EQUAL_FATAL(make_source(dir, 0, want + 8192, big, path, sizeof(path)), 0);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(write(fd, want, 4096), 4096);
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	mk_sink *s;
	CU_ASSERT_EQUAL_FATAL(mk_sink_open_fd(&s, fd, "out", &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(mk_sink_write(s, want + 4096, 4096, &ctx), DM_OK);
	int src = open(path, O_RDONLY);
	CU_ASSERT_FATAL(src >= 0);
	uint64_t copied;
	int more;
	CU_ASSERT_EQUAL_FATAL(mk_sink_copy_fd(s, src, big, &copied, &more, path, &ctx), DM_OK);
	CU_ASSERT_EQUAL(copied, big);
	CU_ASSERT_FALSE(more);
	close(src);
	CU_ASSERT_EQUAL(mk_sink_offset(s), 4096 + big);
	CU_ASSERT_EQUAL_FATAL(mk_sink_commit(s, &ctx), DM_OK);
	close(fd);
	FILE *f = fopen(out, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	size_t n = fread(got, 1, total + 1, f);
	fclose(f);
	CU_ASSERT(n == total && memcmp(got, want, total) == 0);
	unlink(out);
	unlink(path);
	rmdir(dir);
	free(want);
	free(got);
}

/* Generated content (the boot catalog's kind): made after planning, so it can hold its own
 * LBA; and an edit of inline content (a boot info table's kind), in ISO 9660 and bridge
 * images alike: the one data emitter writes both where the one data planner put them. */
static dm_status fill_lba(const void *user, const mk_data *d, uint8_t *buf, dm_ctx *ctx)
{
	(void)ctx;
	CU_ASSERT_EQUAL(buf[0], *(const uint8_t *)user); /* zeros, or the source's bytes */
	dm_put_le32(buf + 4, d->lba);
	return DM_OK;
}

static void test_generated_data(void)
{
	static const uint8_t zero = 0, x = 'x';
	static uint8_t inline_bytes[3000];
	memset(inline_bytes, 'x', sizeof(inline_bytes));
	const mk_dsrc_gen gen = {fill_lba, &zero, "the test generator"};
	const mk_dsrc_gen edit = {fill_lba, &x, "the test edit"};
	for (int udf = 0; udf < 2; udf++) {
		mk_tree *t = mk_tree_new();
		mk_node *root = mk_tree_root(t);
		mk_node *a = add(t, root, "a.gen", MK_FILE);
		mk_node *b = add(t, root, "b.edit", MK_FILE);
		mk_dsrc *ds = mk_tree_dsrc_add(t, a->data);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
		ds->kind = MK_DSRC_GENERATED;
		ds->gen = &gen;
		a->data->size = 2048;
		ds = mk_tree_dsrc_add(t, b->data);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
		ds->kind = MK_DSRC_INLINE;
		ds->bytes = inline_bytes;
		ds->gen = &edit;
		b->data->size = sizeof(inline_bytes);
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		CU_ASSERT_EQUAL_FATAL(mk_tree_finish(t, &ctx), DM_OK);
		image_opts io = {.iso = 1, .udf = udf, .iso_o = opts(1, 1),
				 .udf_o = {.rev = UDF_REV_102, .volume_time = 1700000000,
					   .volume_id = "TESTVOL"}};
		image_plan *ip;
		CU_ASSERT_EQUAL_FATAL(image_plan_build(&ip, t, &io, &ctx), DM_OK);
		CU_ASSERT_EQUAL(a->data->lba, ip->iso->data_lba);
		CU_ASSERT_EQUAL(b->data->lba, ip->iso->data_lba + 1);
		CU_ASSERT(udf ? a->data->lba > 256 : a->data->lba == ip->iso->meta_end);
		mk_sink *s = mk_sink_open_memory();
		CU_ASSERT_EQUAL_FATAL(image_emit(ip, s, &ctx), DM_OK);
		size_t len;
		const uint8_t *img = mk_sink_memory(s, &len);
		CU_ASSERT_EQUAL_FATAL(len, (size_t)ip->total_sectors * 2048);
		const uint8_t *ga = img + (size_t)a->data->lba * 2048, *gb = img + (size_t)b->data->lba * 2048;
		CU_ASSERT_EQUAL(dm_get_le32(ga + 4), a->data->lba);
		CU_ASSERT_EQUAL(ga[0], 0);
		CU_ASSERT_EQUAL(ga[2047], 0);
		CU_ASSERT_EQUAL(gb[0], 'x');
		CU_ASSERT_EQUAL(dm_get_le32(gb + 4), b->data->lba);
		CU_ASSERT_EQUAL(gb[2999], 'x');
		CU_ASSERT_EQUAL(gb[3000], 0); /* the sector's padding */
		mk_sink_abort(s);
		image_plan_free(ip);
		mk_tree_free(t);
	}
}

static CU_TestInfo plan_tests[] = {
	{"layout and descriptors of a small tree", test_layout_small},
	{"-partition_offset: a second superblock and tree", test_partition_offset},
	{"deep directories relocated or refused", test_relocation},
	{"deep directories kept in place by default", test_deep_in_place},
	{"directory over many sectors", test_big_directory},
	{"extent count", test_extent_count},
	{"4 GiB files need level 3", test_large_file_needs_level3},
	{"record identifiers", test_record_ids},
	{"Rock Ridge link counts", test_link_counts},
	{"generated and edited file data", test_generated_data},
	CU_TEST_INFO_NULL,
};

static CU_TestInfo sink_tests[] = {
	{"file sink: every way bytes go, in order", test_sink_file},
	{"descriptor sink after other output", test_sink_fd_offset},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"iso_plan", NULL, NULL, NULL, NULL, plan_tests},
	{"sink", NULL, NULL, NULL, NULL, sink_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
