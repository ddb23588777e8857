/* The UDF tree of a pure UDF previous session (import.h; the volume is import_udf_vol.c's):
 * the file set descriptor's root (4/14.1), then the directories breadth first, each one's
 * FIDs (4/14.4: OSTA CS0 names, hidden kept, deleted and parent FIDs skipped) read whole and
 * checked one by one; each entry's file entry gives its node: directories (a loop refused),
 * files kept as references to their old extents (one contiguous run of the physical
 * partition; embedded data copied), hard links (one file entry reached twice: one data
 * record), symlinks (path components, 4/14.16), devices (4/14.10.7), FIFOs and sockets,
 * with permissions, owners and times. */
#include "mkimage/source/import_udf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_plan.h"

/* The whole content of a directory or a symlink (at most max bytes) into im->dbuf, with
 * each block's logical block number in im->dlbn. */
static dm_status read_content(udfi *im, const udfi_fe *fe, uint64_t max, udfi_ext *ext)
{
	if (fe->size > max)
		return mk_udfi_unsupported(im, max == UDFI_DIR_MAX ? "a directory larger than 64 MiB"
						      : "a symbolic link target larger than 64 KiB",
				   fe->lba);
	size_t bytes = (size_t)(fe->size + UDFI_SECTOR - 1) / UDFI_SECTOR * UDFI_SECTOR + UDFI_SECTOR;
	if (bytes > im->dcap) {
		uint8_t *b = realloc(im->dbuf, bytes);
		if (!b)
			return mk_udfi_nomem(im);
		im->dbuf = b;
		im->dcap = bytes;
	}
	size_t blocks = bytes / UDFI_SECTOR;
	if (blocks > im->dlcap) {
		uint32_t *l = realloc(im->dlbn, blocks * sizeof(*l));
		if (!l)
			return mk_udfi_nomem(im);
		im->dlbn = l;
		im->dlcap = blocks;
	}
	if (fe->adtype == UDF_AD_EMBEDDED) {
		memcpy(im->dbuf, fe->ad, fe->ad_len);
		im->dlbn[0] = UINT32_MAX; /* FIDs in the FE: their tag location is the FE's (ignored) */
		return DM_OK;
	}
	uint32_t n;
	dm_status st = mk_udfi_extents(im, fe, ext, &n);
	if (st)
		return st;
	uint64_t got = 0;
	size_t b = 0;
	for (uint32_t i = 0; i < n && got < fe->size; i++) {
		uint32_t nb = (ext[i].len + UDFI_SECTOR - 1) / UDFI_SECTOR;
		if (i + 1 < n && ext[i].len % UDFI_SECTOR)
			return mk_udfi_damaged(im, "an extent that is not whole blocks before the last",
					       fe->lba);
		for (uint32_t k = 0; k < nb && got < fe->size; k++, b++) {
			if (ext[i].lbn + (uint64_t)k > UINT32_MAX)
				return mk_udfi_damaged(im, "an extent past the end of its partition",
						       fe->lba);
			uint8_t *to = im->dbuf + b * UDFI_SECTOR;
			if ((st = mk_udfi_read_block(im, ext[i].part, ext[i].lbn + k, to,
						     "a directory or symlink block")))
				return st;
			im->dlbn[b] = ext[i].lbn + k;
			got += UDFI_SECTOR;
		}
	}
	return DM_OK;
}

/* ---- The tree ---- */

/* A directory to read: its file entry at lbn of part (read at LBA lba, for messages). */
static dm_status push(udfi *im, mk_node *n, uint16_t part, uint32_t lbn, uint32_t lba,
		      uint32_t depth)
{
	if (depth > UDFI_DEPTH_MAX)
		return mk_udfi_damaged(im, "directories nested more than 1024 deep", lba);
	int s = dm_keyset_add(&im->seen, (uint64_t)part << 32 | lbn);
	if (s < 0)
		return mk_udfi_nomem(im);
	if (s)
		return mk_udfi_damaged(im, "a directory loop (a directory reached twice)", lba);
	if (im->qlen == im->qcap) {
		size_t cap = im->qcap ? im->qcap * 2 : 256;
		udfi_job *q = realloc(im->q, cap * sizeof(*q));
		if (!q)
			return mk_udfi_nomem(im);
		im->q = q;
		im->qcap = cap;
	}
	im->q[im->qlen++] = (udfi_job){n, part, lbn, depth};
	return DM_OK;
}

static void set_attrs(mk_node *n, const udfi_fe *fe, uint32_t type_bits)
{
	uint32_t p = fe->perm;
	uint32_t mode = ((p >> 10) & 7) << 6 | ((p >> 5) & 7) << 3 | (p & 7);
	if (fe->icb_flags & (1u << 6))
		mode |= S_ISUID;
	if (fe->icb_flags & (1u << 7))
		mode |= S_ISGID;
	if (fe->icb_flags & (1u << 8))
		mode |= S_ISVTX;
	n->mode = type_bits | mode;
	/* UDF 3.3.3.1: 0xFFFFFFFF is "no owner". */
	n->uid = fe->uid == UINT32_MAX ? 0 : fe->uid;
	n->gid = fe->gid == UINT32_MAX ? 0 : fe->gid;
	n->mtime = fe->mtime;
	n->atime = fe->atime;
	n->ctime = fe->ctime;
}

/* Keys of the tree's link table no source file has: a UDF file entry by its partition and
 * block (the ISO side uses UINT64_MAX - size and UINT64_MAX - 2^48). */
#define KEY_ICB(part) (UINT64_MAX - ((uint64_t)1 << 47) - (part))

static dm_status file_data(udfi *im, mk_node *n, const udfi_fe *fe, uint32_t icb_lbn, udfi_ext *ext)
{
	mk_data *d = mk_tree_data(im->t, KEY_ICB(fe->part), icb_lbn, fe->nlink > 1 ? 2 : 1);
	if (!d)
		return mk_udfi_nomem(im);
	n->data = d;
	if (d->nlink > 1) { /* the same file entry reached again: a hard link */
		im->info->links++;
		return DM_OK;
	}
	d->size = fe->size;
	d->node = n;
	mk_dsrc *s = mk_tree_dsrc_add(im->t, d);
	if (!s)
		return mk_udfi_nomem(im);
	im->info->files++;
	im->info->bytes += fe->size;
	if (fe->adtype == UDF_AD_EMBEDDED) { /* in the old FE: written anew, in the new session */
		uint8_t *b = dm_arena_bytes(mk_tree_arena(im->t), fe->ad_len ? fe->ad_len : 1);
		if (!b)
			return mk_udfi_nomem(im);
		memcpy(b, fe->ad, fe->ad_len);
		s->kind = MK_DSRC_INLINE;
		s->bytes = b;
		return DM_OK;
	}
	s->kind = MK_DSRC_OLD;
	if (!fe->size)
		return DM_OK;
	uint32_t n_ext;
	dm_status st = mk_udfi_extents(im, fe, ext, &n_ext);
	if (st)
		return st;
	/* One run of blocks of the physical partition (the next session points at it whole). */
	uint64_t next = 0, got = 0;
	for (uint32_t i = 0; i < n_ext && got < fe->size; i++) {
		if (ext[i].part >= im->v.nmaps || im->v.map_kind[ext[i].part] != 1)
			return mk_udfi_unsupported(im, "file data outside the physical partition",
						   fe->lba);
		if (i && ext[i].lbn != next) {
			char msg[160];
			snprintf(msg, sizeof(msg), "a file whose extents are not contiguous (block %u, "
				 "then %u)", (unsigned)next, ext[i].lbn);
			return mk_udfi_unsupported(im, msg, fe->lba);
		}
		if (got + ext[i].len < fe->size && ext[i].len % UDFI_SECTOR)
			return mk_udfi_damaged(im, "an extent that is not whole blocks before the last",
					       fe->lba);
		next = (uint64_t)ext[i].lbn + (ext[i].len + UDFI_SECTOR - 1) / UDFI_SECTOR;
		got += ext[i].len;
	}
	uint64_t blocks = (fe->size + UDFI_SECTOR - 1) / UDFI_SECTOR;
	uint64_t first = ext[0].lbn;
	if (first + blocks > im->v.part_len || im->v.part_start + first + blocks > im->r->end)
		return dm_fail(im->ctx, DM_ERR_INVALID,
			       "the previous session in %s is damaged: %s: its extent at LBA %llu (%llu "
			       "bytes) lies past the end of its partition or the disc (%u sectors)",
			       im->r->name, im->path, (unsigned long long)(im->v.part_start + first),
			       (unsigned long long)fe->size, im->r->end);
	d->lba = im->v.part_start + (uint32_t)first;
	return DM_OK;
}

/* A symlink's path components (4/14.16.1) to its target. */
static dm_status symlink_target(udfi *im, mk_node *n, const uint8_t *p, size_t len, uint32_t lba)
{
	/* Each component's bytes give at most 4 bytes of UTF-8 per 2 (16-bit) or 2 per 1. */
	size_t cap = 2 * len + 8;
	char *out = malloc(cap);
	if (!out)
		return mk_udfi_nomem(im);
	dm_status st = DM_OK;
	size_t o = 0;
	int need_sep = 0;
	for (size_t pos = 0; pos < len && !st;) {
		if (len - pos < 4) {
			st = mk_udfi_damaged(im, "a symbolic link whose path component runs past it",
					     lba);
			break;
		}
		uint8_t type = p[pos], l = p[pos + 1];
		if ((size_t)l > len - pos - 4) {
			st = mk_udfi_damaged(im, "a symbolic link whose path component runs past it",
					     lba);
			break;
		}
		const uint8_t *id = p + pos + 4;
		pos += 4u + l;
		char comp[4 * 256 + 8];
		long cl;
		switch (type) {
		case 1: /* the root (2: the root of this file system, for us the same) */
		case 2:
			o = 0;
			out[o++] = '/';
			need_sep = 0;
			continue;
		case 3: strcpy(comp, ".."); cl = 2; break;
		case 4: strcpy(comp, "."); cl = 1; break;
		case 5:
			cl = udf_cs0_decode(id, l, comp, sizeof(comp));
			if (cl <= 0)
				st = mk_udfi_damaged(im, "a symbolic link with a bad name component",
						     lba);
			break;
		default:
			st = mk_udfi_damaged(im, "a symbolic link with an unknown component type", lba);
			cl = 0;
			break;
		}
		if (st)
			break;
		if (o + (size_t)cl + 2 > cap) {
			st = mk_udfi_damaged(im, "a symbolic link target too long", lba);
			break;
		}
		if (need_sep)
			out[o++] = '/';
		memcpy(out + o, comp, (size_t)cl);
		o += (size_t)cl;
		need_sep = 1;
	}
	if (!st && !o)
		st = mk_udfi_damaged(im, "a symbolic link with an empty target", lba);
	if (!st && !(n->target = dm_arena_strndup(mk_tree_arena(im->t), out, o)))
		st = mk_udfi_nomem(im);
	free(out);
	return st;
}

/* A device's numbers: the device specification extended attribute (4/14.10.7). */
static void device_numbers(const udfi_fe *fe, mk_node *n)
{
	const uint8_t *ea = fe->ea;
	uint32_t len = fe->ea_len;
	if (len < 24 || dm_get_le16(ea) != UDF_TAG_EAHD)
		return;
	for (uint32_t pos = 24; pos + 12 <= len;) {
		uint32_t type = dm_get_le32(ea + pos), alen = dm_get_le32(ea + pos + 8);
		if (alen < 12 || alen > len - pos)
			return;
		if (type == 12 && ea[pos + 4] == 1 && alen >= 24) {
			n->rdev = makedev(dm_get_le32(ea + pos + 16), dm_get_le32(ea + pos + 20));
			return;
		}
		pos += alen;
	}
}

static void path_set(udfi *im, const mk_node *dir, const char *name)
{
	size_t n = mk_node_image_path(dir, im->path, sizeof(im->path));
	if (n == 1)
		n = 0;
	snprintf(im->path + n, sizeof(im->path) - n, "/%s", name);
}

/* Remember n's file entry for the next session (udf_old_fe): entries of the physical
 * partition only (a metadata partition's are not reachable from the next one's). */
static dm_status keep_fe(udfi *im, const mk_node *n, const udfi_fe *fe, uint32_t lbn)
{
	if (fe->part >= im->v.nmaps || im->v.map_kind[fe->part] != 1 || im->v.nmaps != 1)
		return DM_OK;
	if (im->nold == im->oldcap) {
		size_t cap = im->oldcap ? im->oldcap * 2 : 256;
		udf_old_fe *o = realloc(im->old, cap * sizeof(*o));
		if (!o)
			return mk_udfi_nomem(im);
		im->old = o;
		im->oldcap = cap;
	}
	im->old[im->nold++] = (udf_old_fe){.node = n, .lbn = lbn, .nlink = fe->nlink ? fe->nlink : 1,
					   .unique_id = fe->unique_id};
	return DM_OK;
}

static int cmp_old(const void *x, const void *y)
{
	const mk_node *a = ((const udf_old_fe *)x)->node, *b = ((const udf_old_fe *)y)->node;
	return a < b ? -1 : a > b;
}

/* One FID's entry: its file entry read and made a node of dir. */
static dm_status add_entry(udfi *im, const udfi_job *job, const char *name, size_t name_len,
			   int fid_dir, int hidden, uint16_t part, uint32_t lbn, uint8_t *feb,
			   udfi_ext *ext)
{
	path_set(im, job->node, name);
	udfi_fe fe;
	dm_status st = mk_udfi_read_fe(im, part, lbn, feb, &fe);
	if (st)
		return st;
	mk_type type;
	uint32_t bits;
	switch (fe.ftype) {
	case UDF_FT_DIR: type = MK_DIR; bits = S_IFDIR; break;
	case UDF_FT_FILE: case 0: type = MK_FILE; bits = S_IFREG; break;
	case UDF_FT_SYMLINK: type = MK_SYMLINK; bits = S_IFLNK; break;
	case UDF_FT_BLKDEV: type = MK_BLKDEV; bits = S_IFBLK; break;
	case UDF_FT_CHRDEV: type = MK_CHRDEV; bits = S_IFCHR; break;
	case UDF_FT_FIFO: type = MK_FIFO; bits = S_IFIFO; break;
	case UDF_FT_SOCKET: type = MK_SOCKET; bits = S_IFSOCK; break;
	default: return mk_udfi_unsupported(im, "a file entry of an unknown file type", fe.lba);
	}
	if ((type == MK_DIR) != fid_dir)
		return mk_udfi_damaged(im, "a FID whose directory flag contradicts its file entry",
				       fe.lba);
	mk_node *n = mk_tree_add(im->t, job->node, name, name_len, type);
	if (!n)
		return mk_udfi_nomem(im);
	set_attrs(n, &fe, bits);
	n->flags = MK_OLD | (hidden ? MK_HIDDEN : 0);
	if (type != MK_DIR && (st = keep_fe(im, n, &fe, lbn)))
		return st;
	if (type == MK_FILE && (st = file_data(im, n, &fe, lbn, ext)))
		return st;
	if (type == MK_FILE && im->nold && im->old[im->nold - 1].node == n) {
		im->old[im->nold - 1].data_lba = n->data->lba;
		im->old[im->nold - 1].data_size = n->data->size;
	}
	switch (type) {
	case MK_DIR:
		im->info->dirs++;
		return push(im, n, part, lbn, fe.lba, job->depth + 1);
	case MK_FILE:
		return DM_OK;
	case MK_SYMLINK:
		im->info->udf_special = 1;
		if ((st = read_content(im, &fe, UDFI_LINK_MAX, ext)))
			return st;
		return symlink_target(im, n, im->dbuf, (size_t)fe.size, fe.lba);
	case MK_BLKDEV:
	case MK_CHRDEV:
		device_numbers(&fe, n);
		/* fall through */
	default:
		im->info->udf_special = 1;
		return DM_OK;
	}
}

static dm_status read_dir(udfi *im, const udfi_job *job, uint8_t *feb, udfi_ext *ext)
{
	mk_node_image_path(job->node, im->path, sizeof(im->path));
	udfi_fe fe;
	dm_status st = mk_udfi_read_fe(im, job->part, job->lbn, feb, &fe);
	if (st)
		return st;
	if (fe.ftype != UDF_FT_DIR)
		return mk_udfi_damaged(im, "a directory's file entry that is not a directory", fe.lba);
	im->dir_bytes += fe.size;
	if (im->dir_bytes > (uint64_t)im->r->end * UDFI_SECTOR)
		return mk_udfi_damaged(im, "directories larger than the disc (blocks shared between "
				       "directories)", fe.lba);
	if ((st = read_content(im, &fe, UDFI_DIR_MAX, ext)))
		return st;
	/* The directory's FIDs are in im->dbuf; entries' file entries are read into feb, and
	 * symlink targets into im->dbuf: keep a copy of the FIDs. */
	size_t size = (size_t)fe.size;
	uint8_t *fids = malloc(size ? size : 1);
	uint32_t *lbns = malloc(((size + UDFI_SECTOR - 1) / UDFI_SECTOR + 1) * sizeof(*lbns));
	if (!fids || !lbns) {
		free(fids);
		free(lbns);
		return mk_udfi_nomem(im);
	}
	memcpy(fids, im->dbuf, size);
	memcpy(lbns, im->dlbn, ((size + UDFI_SECTOR - 1) / UDFI_SECTOR + (size ? 0 : 1)) * sizeof(*lbns));
	int embedded = fe.adtype == UDF_AD_EMBEDDED;
	uint32_t dir_lba = fe.lba;
	for (size_t pos = 0; pos < size && !st;) {
		const uint8_t *f = fids + pos;
		uint32_t at = embedded ? dir_lba : lbns[pos / UDFI_SECTOR];
		if (size - pos < 38) {
			st = mk_udfi_damaged(im, "a FID that runs past its directory", at);
			break;
		}
		uint8_t chars = f[18], l_fi = f[19];
		uint16_t l_iu = dm_get_le16(f + 36);
		size_t len = 38u + l_iu + l_fi;
		if (len > size - pos) {
			st = mk_udfi_damaged(im, "a FID that runs past its directory", at);
			break;
		}
		/* Tag location (4/7.2.8): the block the FID starts in; in an FE, the FE's. */
		udf_tag_fault tf = udf_tag_check(f, size - pos, UDF_TAG_FID,
						 embedded ? job->lbn : lbns[pos / UDFI_SECTOR]);
		if (tf) {
			st = mk_udfi_bad_tag(im, "a file identifier descriptor", tf, at);
			break;
		}
		pos += (len + 3) & ~(size_t)3;
		if (chars & (UDF_FID_PARENT | UDF_FID_DELETED))
			continue;
		char name[4 * 256 + 8];
		long nl = udf_cs0_decode(f + 38 + l_iu, l_fi, name, sizeof(name));
		if (nl <= 0 || (nl == 1 && name[0] == '.') || (nl == 2 && !memcmp(name, "..", 2))) {
			path_set(im, job->node, "?");
			st = mk_udfi_damaged(im, "a FID with an empty or bad name ('/', NUL, '.' or "
					     "'..', or not CS0)", at);
			break;
		}
		uint32_t icb_lbn = dm_get_le32(f + 24);
		uint16_t icb_part = dm_get_le16(f + 28);
		st = add_entry(im, job, name, (size_t)nl, (chars & UDF_FID_DIR) != 0,
			       (chars & UDF_FID_HIDDEN) != 0, icb_part, icb_lbn, feb, ext);
	}
	free(fids);
	free(lbns);
	return st;
}

dm_status mk_import_udf(mk_tree *t, const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			dm_ctx *ctx)
{
	memset(info, 0, sizeof(*info));
	info->udf = 2;
	udfi im = {.t = t, .r = r, .ctx = ctx, .info = info};
	uint8_t *feb = malloc(UDFI_SECTOR);
	udfi_ext *ext = malloc(UDFI_EXT_MAX * sizeof(*ext));
	dm_status st = feb && ext ? mk_udfi_read_volume(&im, start, feb) : mk_udfi_nomem(&im);
	if (st)
		goto out;
	info->session_start = start;
	info->volume_end = mk_udfi_volume_end(&im, feb);
	memcpy(info->volume_id, im.v.volume_id, sizeof(info->volume_id));
	/* The file set descriptor, then the root. */
	uint32_t lba;
	if ((st = mk_udfi_block_lba(&im, im.v.fsd_part, im.v.fsd_lbn, &lba)) ||
	    (st = mk_udfi_read_sector(&im, lba, feb, "the UDF file set descriptor")))
		goto out;
	udf_tag_fault f = udf_tag_check(feb, UDFI_SECTOR, UDF_TAG_FSD, im.v.fsd_lbn);
	if (f) {
		st = mk_udfi_bad_tag(&im, "the file set descriptor", f, lba);
		goto out;
	}
	uint32_t root_lbn = dm_get_le32(feb + 404);
	uint16_t root_part = dm_get_le16(feb + 408);
	mk_node *root = mk_tree_root(t);
	udfi_fe fe;
	if ((st = mk_udfi_read_fe(&im, root_part, root_lbn, feb, &fe)))
		goto out;
	if (fe.ftype != UDF_FT_DIR) {
		st = mk_udfi_damaged(&im, "a root that is not a directory", fe.lba);
		goto out;
	}
	set_attrs(root, &fe, S_IFDIR);
	if ((st = push(&im, root, root_part, root_lbn, fe.lba, 1)))
		goto out;
	while (!st && im.qhead < im.qlen) {
		udfi_job job = im.q[im.qhead++];
		st = read_dir(&im, &job, feb, ext);
	}
	if (!st && im.nold) { /* for the planner's bsearch, in the tree's arena */
		qsort(im.old, im.nold, sizeof(*im.old), cmp_old);
		udf_old_fe *o = dm_arena_alloc(mk_tree_arena(t), im.nold * sizeof(*o));
		if (!o) {
			st = mk_udfi_nomem(&im);
			goto out;
		}
		memcpy(o, im.old, im.nold * sizeof(*o));
		info->udf_old_fes = o;
		info->udf_n_old_fes = im.nold;
	}
out:
	free(im.old);
	free(feb);
	free(ext);
	free(im.q);
	dm_keyset_free(&im.seen);
	free(im.dbuf);
	free(im.dlbn);
	free(im.v.mext);
	return st;
}
