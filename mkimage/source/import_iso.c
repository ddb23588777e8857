/* The ISO 9660 side of mkimage --previous (import.h): volume descriptors, then the
 * directory hierarchy breadth first, each directory's extent read whole and checked record
 * by record (ECMA-119 9.1), names from Rock Ridge (import_rr.c) or Joliet, files kept as
 * references to their old extents. */
#include "mkimage/source/import.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/dm_endian.h"
#include "common/dm_keyset.h"
#include "common/dm_utf8.h"
#include "mkimage/source/import_rr.h"

#define SECTOR 2048u
#define MAX_VDS 64u              /* descriptors before the terminator */
#define DIR_MAX (64u << 20)      /* bytes of one directory */
#define DEPTH_MAX 1024u

/* A directory to read: its node and its extent. */
typedef struct dir_job {
	mk_node *node;
	uint32_t lba, size;
	uint32_t depth;
} dir_job;

typedef struct importer {
	mk_tree *t;
	const mk_prev_reader *r;
	dm_ctx *ctx;
	mk_import_info *info;
	int rr, joliet_names;    /* names from Rock Ridge; else from Joliet (UCS-2) */
	uint8_t sp_skip;
	dir_job *q;
	size_t qhead, qlen, qcap;
	dm_keyset seen;          /* directory extents already queued (loops) */
	uint8_t *buf;            /* the directory being read */
	size_t buf_cap;
	rr_import rr_cur;
	rr_import rr_dot;        /* a relocated directory's "." */
	char path[4096];
} importer;

static dm_status damaged(importer *im, const char *fmt, const char *path, uint32_t lba)
{
	return dm_fail(im->ctx, DM_ERR_INVALID, "the previous session in %s is damaged: %s: %s (LBA %u)",
		       im->r->name, path[0] ? path : "/", fmt, lba);
}

static dm_status read_sectors(const mk_prev_reader *r, uint32_t lba, uint32_t n, uint8_t *buf,
			      const char *what, dm_ctx *ctx)
{
	if (lba >= r->end || n > r->end - lba)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "the previous session in %s is damaged: %s at LBA %u (%u sectors) lies "
			       "past its end (%u sectors)", r->name, what, lba, n, r->end);
	return r->read(r->user, lba, n, buf, ctx);
}

static int is_vd(const uint8_t *s)
{
	return !memcmp(s + 1, "CD001", 5) && s[6] == 1;
}

/* ---- Finding the session ---- */

/* The end of a session starting at l whose primary descriptor records size sectors: the
 * volume space covers the disc from LBA 0 (ECMA-119 8.4.8), but cdrkit's genisoimage -C
 * records only the session's own sectors; such a size is taken from l. */
static uint64_t session_end(uint32_t l, uint32_t size)
{
	return size > (uint64_t)l + 16 ? size : (uint64_t)l + size;
}

/* A primary descriptor at sector L + 16 that describes a session starting at L: its root
 * directory lies in the session (an ISO image stored as a file of an earlier session has
 * its root far below L). */
static int session_pvd(const uint8_t *s, uint32_t l)
{
	if (s[0] != 1 || !is_vd(s))
		return 0;
	uint32_t root = dm_get_le32(s + 156 + 2);
	return root >= (uint64_t)l + 16 && root < session_end(l, dm_get_le32(s + 80));
}

dm_status mk_import_find_session(const mk_prev_reader *r, uint32_t *start, dm_ctx *ctx)
{
	enum { CHUNK = 16 };
	uint8_t *buf = malloc(CHUNK * SECTOR);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	dm_status st = read_sectors(r, 16, 1, buf, "the primary volume descriptor", ctx);
	if (!st && !session_pvd(buf, 0))
		st = dm_fail(ctx, DM_ERR_INVALID, "%s holds no ISO 9660 volume: no primary volume "
			     "descriptor at LBA 16", r->name);
	uint32_t cur = 0, end = st ? 0 : dm_get_le32(buf + 80);
	/* Each next session lies after the end of the one before, within the gaps a CD leaves
	 * (lead-out, lead-in, pre-gap: 11,400 sectors at most) or a DVD's ECC rounding. */
	while (!st) {
		/* Always forward: a session never starts where the one before does. */
		uint64_t from = (uint64_t)(end > cur ? end : cur + 1) + 16, to = from + MK_IMPORT_SCAN;
		if (to > r->end)
			to = r->end;
		int found = 0;
		for (uint64_t at = from; at < to && !found && !st;) {
			uint32_t n = to - at < CHUNK ? (uint32_t)(to - at) : CHUNK;
			if ((st = r->read(r->user, (uint32_t)at, n, buf, ctx)))
				break;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t l = (uint32_t)(at + i - 16);
				if (session_pvd(buf + (size_t)i * SECTOR, l)) {
					uint64_t e = session_end(l, dm_get_le32(buf + (size_t)i * SECTOR + 80));
					cur = l;
					end = e > UINT32_MAX - 16 - MK_IMPORT_SCAN ? UINT32_MAX - 16 - MK_IMPORT_SCAN
										 : (uint32_t)e;
					found = 1;
					break;
				}
			}
			at += n;
		}
		if (!found)
			break;
	}
	free(buf);
	if (!st)
		*start = cur;
	return st;
}

/* ---- Directory records ---- */

static dm_status push(importer *im, mk_node *n, uint32_t lba, uint32_t size, uint32_t depth)
{
	if (lba < 16 || size == 0 || size > DIR_MAX)
		return damaged(im, size > DIR_MAX ? "a directory larger than 64 MiB"
						  : "a directory with an impossible extent", im->path, lba);
	if (depth > DEPTH_MAX)
		return damaged(im, "directories nested more than 1024 deep", im->path, lba);
	int s = dm_keyset_add(&im->seen, lba);
	if (s < 0)
		return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
	if (s)
		return damaged(im, "a directory loop (a directory reached twice)", im->path, lba);
	if (im->qlen == im->qcap) {
		size_t cap = im->qcap ? im->qcap * 2 : 256;
		dir_job *q = realloc(im->q, cap * sizeof(*q));
		if (!q)
			return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
		im->q = q;
		im->qcap = cap;
	}
	im->q[im->qlen++] = (dir_job){n, lba, size, depth};
	return DM_OK;
}

/* The record's name in the image: Rock Ridge NM, else Joliet UCS-2, else the ISO 9660
 * identifier without its ";1" version and a trailing dot. */
static dm_status record_name(importer *im, const uint8_t *id, size_t id_len, const rr_import *rr,
			     char *out, size_t *out_len, uint32_t lba)
{
	size_t n = 0;
	if (im->rr && (rr->have & RRI_NM)) {
		memcpy(out, rr->name, rr->name_len);
		n = rr->name_len;
	} else if (im->joliet_names) {
		if (id_len & 1)
			return damaged(im, "a Joliet identifier of odd length", im->path, lba);
		for (size_t i = 0; i + 1 < id_len; i += 2) {
			uint32_t cp = (uint32_t)id[i] << 8 | id[i + 1];
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < id_len) {
				uint32_t lo = (uint32_t)id[i + 2] << 8 | id[i + 3];
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			if (cp == ';')
				break;
			if (cp == 0 || cp == '/' || (cp >= 0xD800 && cp <= 0xDFFF))
				return damaged(im, "a Joliet identifier with '/', NUL or a lone surrogate",
					       im->path, lba);
			n += dm_utf8_put(out + n, cp);
		}
	} else {
		for (size_t i = 0; i < id_len && id[i] != ';'; i++) {
			if (id[i] == 0 || id[i] == '/')
				return damaged(im, "an identifier with '/' or NUL", im->path, lba);
			out[n++] = (char)id[i];
		}
		if (n > 1 && out[n - 1] == '.')
			n--;
	}
	out[n] = '\0';
	if (!n || (n == 1 && out[0] == '.') || (n == 2 && out[0] == '.' && out[1] == '.'))
		return damaged(im, "an entry named '', '.' or '..'", im->path, lba);
	*out_len = n;
	return DM_OK;
}

/* Rock Ridge entries of the record at rec (len bytes). */
static dm_status record_rr(importer *im, const uint8_t *rec, size_t len, rr_import *out)
{
	size_t id_len = rec[32];
	size_t su = 33 + id_len + ((id_len & 1) ? 0 : 1);
	if (!im->rr || su + im->sp_skip >= len) { /* no System Use bytes: no entries */
		memset(out, 0, offsetof(rr_import, name));
		out->name_len = out->target_len = 0;
		return DM_OK;
	}
	return rr_import_parse(rec + su + im->sp_skip, len - su - im->sp_skip, im->r, out, im->path,
			       im->ctx);
}

static void set_times(mk_node *n, const uint8_t *rec, const rr_import *rr)
{
	int64_t t = rr_import_date7(rec + 18);
	n->mtime = rr->have & RRI_MTIME ? rr->mtime : t;
	n->atime = rr->have & RRI_ATIME ? rr->atime : n->mtime;
	n->ctime = rr->have & RRI_CTIME ? rr->ctime : n->mtime;
}

/* Keys of the tree's link table (tree.h) no source file has: an old extent by its size and
 * LBA, an empty file by its Rock Ridge serial number. */
#define KEY_EXTENT(size) (UINT64_MAX - (size))
#define KEY_SERIAL (UINT64_MAX - ((uint64_t)1 << 48))

/* One file's data: shared with every other record of the same extent (hard links), or,
 * for empty files, of the same Rock Ridge serial number with a link count above 1. */
static dm_status file_data(importer *im, mk_node *n, uint32_t lba, uint64_t size,
			   const rr_import *rr)
{
	mk_data *d;
	if (size)
		d = mk_tree_data(im->t, KEY_EXTENT(size), lba, 2);
	else if ((rr->have & RRI_SERIAL) && rr->nlink > 1)
		d = mk_tree_data(im->t, KEY_SERIAL, rr->serial, 2);
	else
		d = mk_tree_data(im->t, 0, 0, 1);
	if (!d)
		return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
	n->data = d;
	if (d->nlink > 1) {
		im->info->links++;
		return DM_OK;
	}
	d->size = size;
	d->node = n;
	d->lba = size ? lba : 0;
	mk_dsrc *s = mk_tree_dsrc_add(im->t, d);
	if (!s)
		return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
	s->kind = MK_DSRC_OLD;
	im->info->files++;
	im->info->bytes += size;
	return DM_OK;
}

static void path_set(importer *im, const mk_node *dir, const char *name)
{
	size_t n = mk_node_image_path(dir, im->path, sizeof(im->path));
	if (n == 1)
		n = 0;
	snprintf(im->path + n, sizeof(im->path) - n, "/%s", name);
}

/* A relocated directory (RRIP 4.1.5.1): its own "." record holds its attributes. */
static dm_status relocated(importer *im, uint32_t lba, uint32_t *size)
{
	if (lba < 16)
		return damaged(im, "a CL entry pointing into the system area", im->path, lba);
	dm_status st = read_sectors(im->r, lba, 1, im->buf, "a relocated directory", im->ctx);
	if (st)
		return st;
	const uint8_t *rec = im->buf;
	if (rec[0] < 34 || rec[32] != 1 || rec[33] != 0 || dm_get_le32(rec + 2) != lba)
		return damaged(im, "a CL entry that does not point at a directory", im->path, lba);
	*size = dm_get_le32(rec + 10);
	return record_rr(im, rec, rec[0], &im->rr_dot);
}

/* Make the node for one record (the first of a file's extents). */
static dm_status add_record(importer *im, mk_node *dir, const uint8_t *rec, size_t len,
			    uint64_t size, uint32_t depth, uint32_t *re_count)
{
	rr_import *rr = &im->rr_cur;
	uint32_t lba = dm_get_le32(rec + 2);
	dm_status st = record_rr(im, rec, len, rr);
	if (st)
		return st;
	if (rr->have & RRI_RE) { /* shown where its CL placeholder is */
		(*re_count)++;
		return DM_OK;
	}
	char name[RRI_NAME_MAX * 2 + 8];
	size_t name_len = 0;
	if ((st = record_name(im, rec + 33, rec[32], rr, name, &name_len, lba)))
		return st;
	path_set(im, dir, name);
	uint8_t flags = rec[25];
	int is_dir = (flags & 0x02) != 0;
	uint32_t dir_size = (uint32_t)size;
	const rr_import *attr = rr;
	if (rr->have & RRI_CL) {
		if (is_dir)
			return damaged(im, "a directory record with a CL entry", im->path, lba);
		lba = rr->cl_lba;
		if ((st = relocated(im, lba, &dir_size)))
			return st;
		/* The placeholder's name, the relocated directory's attributes. */
		attr = &im->rr_dot;
		is_dir = 1;
	}
	uint32_t mode;
	if (im->rr && (attr->have & RRI_PX))
		mode = attr->mode;
	else
		mode = is_dir ? (S_IFDIR | 0555) : (S_IFREG | 0444);
	mk_type type;
	switch (mode & S_IFMT) {
	case S_IFDIR: type = MK_DIR; break;
	case S_IFREG: type = MK_FILE; break;
	case S_IFLNK: type = MK_SYMLINK; break;
	case S_IFBLK: type = MK_BLKDEV; break;
	case S_IFCHR: type = MK_CHRDEV; break;
	case S_IFIFO: type = MK_FIFO; break;
	case S_IFSOCK: type = MK_SOCKET; break;
	default: return damaged(im, "a PX entry with an unknown file type", im->path, lba);
	}
	if ((type == MK_DIR) != is_dir)
		return damaged(im, "a PX file type that contradicts the directory flag", im->path, lba);
	mk_node *n = mk_tree_add(im->t, dir, name, name_len, type);
	if (!n)
		return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
	n->mode = mode;
	n->uid = attr->uid;
	n->gid = attr->gid;
	n->flags = MK_OLD | ((flags & 0x01) ? MK_HIDDEN : 0);
	set_times(n, rec, attr);
	switch (type) {
	case MK_DIR:
		im->info->dirs++;
		return push(im, n, lba, dir_size, depth + 1);
	case MK_FILE:
		if (size && (lba < 16 || lba >= im->r->end ||
			     (size + SECTOR - 1) / SECTOR > im->r->end - lba))
			return dm_fail(im->ctx, DM_ERR_INVALID,
				       "the previous session in %s is damaged: %s: its extent at LBA %u "
				       "(%llu bytes) lies past the end (%u sectors)", im->r->name,
				       im->path, lba, (unsigned long long)size, im->r->end);
		return file_data(im, n, lba, size, attr);
	case MK_SYMLINK:
		if (!(attr->have & RRI_SL))
			return damaged(im, "a symbolic link without an SL entry", im->path, lba);
		if (!(n->target = dm_arena_strndup(mk_tree_arena(im->t), attr->target,
						   attr->target_len)))
			return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
		return DM_OK;
	case MK_BLKDEV:
	case MK_CHRDEV:
		n->rdev = attr->rdev;
		return DM_OK;
	default:
		return DM_OK;
	}
}

/* A damaged record of the directory being read: the message names the directory. */
static dm_status dir_damaged(importer *im, const dir_job *job, const char *what, uint32_t lba)
{
	mk_node_image_path(job->node, im->path, sizeof(im->path));
	return damaged(im, what, im->path, lba);
}

/* Read one directory and add its entries. */
static dm_status read_dir(importer *im, const dir_job *job)
{
	uint32_t sectors = (job->size + SECTOR - 1) / SECTOR;
	size_t bytes = (size_t)sectors * SECTOR;
	mk_node_image_path(job->node, im->path, sizeof(im->path));
	if (bytes > im->buf_cap) {
		uint8_t *b = realloc(im->buf, bytes);
		if (!b)
			return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory reading directory %s",
				       im->path);
		im->buf = b;
		im->buf_cap = bytes;
	}
	dm_status st = read_sectors(im->r, job->lba, sectors, im->buf, im->path, im->ctx);
	if (st)
		return st;
	uint8_t *dir = malloc(bytes);
	if (!dir)
		return dm_fail(im->ctx, DM_ERR_NOMEM, "out of memory");
	memcpy(dir, im->buf, bytes); /* im->buf serves the CL look-ups below */
	uint32_t nrec = 0, re_count = 0, entries = 0;
	uint64_t multi_size = 0;
	uint32_t multi_next = 0;
	const uint8_t *multi_id = NULL;
	size_t multi_id_len = 0;
	for (size_t pos = 0; pos < job->size && !st;) {
		const uint8_t *rec = dir + pos;
		size_t len = rec[0];
		size_t room = SECTOR - pos % SECTOR;
		if (len == 0) { /* the rest of the sector is unused (6.8.1.1) */
			pos += room;
			continue;
		}
		uint32_t at = job->lba + (uint32_t)(pos / SECTOR);
		if (len < 34 || len > room || pos + len > job->size || 33u + rec[32] > len) {
			st = dir_damaged(im, job, "a directory record that runs past its sector", at);
			break;
		}
		pos += len;
		if (rec[1]) {
			st = dir_damaged(im, job, "an extended attribute record (not supported)", at);
			break;
		}
		if (rec[26] || rec[27]) {
			st = dir_damaged(im, job, "an interleaved file (not supported)", at);
			break;
		}
		uint8_t flags = rec[25];
		uint32_t lba = dm_get_le32(rec + 2), size = dm_get_le32(rec + 10);
		if (nrec++ < 2) { /* "." and ".." (9.1.11) */
			if (rec[32] != 1 || rec[33] != nrec - 1 || !(flags & 0x02)) {
				st = dir_damaged(im, job, "a directory without its '.' and '..' records", at);
				break;
			}
			continue;
		}
		if (flags & 0x04) /* associated files (9.1.6 bit 2): not part of the tree */
			continue;
		if (multi_id) {
			/* The next extent of a multi-extent file: same identifier, contiguous. */
			if (rec[32] != multi_id_len || memcmp(rec + 33, multi_id, multi_id_len)) {
				st = dir_damaged(im, job, "a multi-extent file whose next record names another file", at);
				break;
			}
			if (size && lba != multi_next) {
				mk_node_image_path(job->node, im->path, sizeof(im->path));
				st = dm_fail(im->ctx, DM_ERR_UNSUPPORTED,
					     "the previous session in %s: a file in %s (identifier %.*s) has "
					     "extents that are not contiguous (LBA %u, then %u): not supported",
					     im->r->name, im->path, (int)multi_id_len, (const char *)multi_id,
					     multi_next, lba);
				break;
			}
			multi_size += size;
			if (size) /* an empty part has no place of its own */
				multi_next = lba + (size + SECTOR - 1) / SECTOR;
			if (flags & 0x80)
				continue;
			/* The first record carries the attributes; the size is the sum. */
			const uint8_t *first = multi_id - 33;
			st = add_record(im, job->node, first, first[0], multi_size, job->depth, &re_count);
			multi_id = NULL;
			entries++;
			continue;
		}
		if (flags & 0x80) {
			if (flags & 0x02) {
				st = dir_damaged(im, job, "a directory flagged multi-extent", at);
				break;
			}
			if (size % SECTOR) {
				st = dir_damaged(im, job, "a multi-extent part that is not whole sectors", at);
				break;
			}
			multi_id = rec + 33;
			multi_id_len = rec[32];
			multi_size = size;
			multi_next = lba + size / SECTOR;
			continue;
		}
		st = add_record(im, job->node, rec, len, size, job->depth, &re_count);
		entries++;
	}
	if (!st && multi_id)
		st = dir_damaged(im, job, "a multi-extent file without its last record", job->lba);
	free(dir);
	/* A directory that only held relocated directories (rr_moved): left out. The planner
	 * makes its own when the new tree needs one. */
	if (!st && re_count && re_count == entries && job->node->parent) {
		job->node->flags |= MK_NOT_ISO | MK_NOT_JOLIET | MK_NOT_UDF;
		mk_node *p = job->node->parent, **pp = &p->child;
		while (*pp && *pp != job->node)
			pp = &(*pp)->next;
		if (*pp)
			*pp = job->node->next;
		im->info->dirs--;
	}
	return st;
}

/* ---- Volume descriptors ---- */

static dm_status read_vds(importer *im, uint32_t start, uint8_t *pvd, uint8_t *svd, int *have_svd)
{
	uint8_t sec[SECTOR];
	int have_pvd = 0;
	*have_svd = 0;
	for (uint32_t i = 0; i < MAX_VDS; i++) {
		uint32_t lba = start + 16 + i;
		dm_status st = read_sectors(im->r, lba, 1, sec, "a volume descriptor", im->ctx);
		if (st)
			return st;
		if (!is_vd(sec))
			return dm_fail(im->ctx, DM_ERR_INVALID,
				       "the previous session in %s is damaged: no volume descriptor at LBA %u "
				       "(is %u where the session starts?)", im->r->name, lba, start);
		if (sec[0] == 255) {
			if (!have_pvd)
				return dm_fail(im->ctx, DM_ERR_INVALID, "the previous session in %s has no "
					       "primary volume descriptor (LBA %u on)", im->r->name, start + 16);
			/* A UDF recognition sequence after the terminator (ECMA-167 2/8.3): a bridge,
			 * whose UDF volume import_udf.c reads (mk_import_udf_volume). */
			for (uint32_t k = 1; k <= 3 && lba + k < im->r->end; k++) {
				if (im->r->read(im->r->user, lba + k, 1, sec, im->ctx))
					break;
				if (sec[0] == 0 &&
				    (!memcmp(sec + 1, "NSR02", 5) || !memcmp(sec + 1, "NSR03", 5))) {
					im->info->udf = 1;
					break;
				}
			}
			return DM_OK;
		}
		if (sec[0] == 1 && !have_pvd) {
			memcpy(pvd, sec, SECTOR);
			have_pvd = 1;
		} else if (sec[0] == 2 && sec[88] == '%' && sec[89] == '/' &&
			   (sec[90] == '@' || sec[90] == 'C' || sec[90] == 'E') && !*have_svd) {
			memcpy(svd, sec, SECTOR);
			*have_svd = 1;
		} else if (sec[0] == 0 && !memcmp(sec + 7, "EL TORITO SPECIFICATION", 23)) {
			im->info->boot = 1;
		}
	}
	return dm_fail(im->ctx, DM_ERR_INVALID, "the previous session in %s is damaged: no volume "
		       "descriptor set terminator in %u sectors from LBA %u", im->r->name, MAX_VDS,
		       start + 16);
}

/* The root directory record of a descriptor and the root's own "." record. */
static dm_status root_of(importer *im, const uint8_t *vd, uint32_t *lba, uint32_t *size)
{
	const uint8_t *rec = vd + 156;
	*lba = dm_get_le32(rec + 2);
	*size = dm_get_le32(rec + 10);
	if (rec[0] != 34 || !(rec[25] & 0x02))
		return damaged(im, "a volume descriptor without a root directory record", "", *lba);
	return DM_OK;
}

dm_status mk_import_iso(mk_tree *t, const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			dm_ctx *ctx)
{
	memset(info, 0, sizeof(*info));
	importer im = {.t = t, .r = r, .ctx = ctx, .info = info};
	uint8_t *vds = malloc(2 * SECTOR);
	if (!vds)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	uint8_t *pvd = vds, *svd = vds + SECTOR;
	int have_svd;
	uint32_t root_lba, root_size;
	mk_node *root = mk_tree_root(t);
	dm_status st = read_vds(&im, start, pvd, svd, &have_svd);
	if (st)
		goto out;
	info->session_start = start;
	uint64_t vend = session_end(start, dm_get_le32(pvd + 80));
	info->volume_end = vend > UINT32_MAX ? UINT32_MAX : (uint32_t)vend;
	info->joliet = have_svd;
	memcpy(info->volume_id, pvd + 40, 32);
	for (int i = 31; i >= 0 && (info->volume_id[i] == ' ' || !info->volume_id[i]); i--)
		info->volume_id[i] = '\0';
	if ((st = root_of(&im, pvd, &root_lba, &root_size)))
		goto out;
	/* Rock Ridge: the root's "." record starts its System Use with SP (SUSP 5.3). */
	if (root_lba < 16 || root_lba >= r->end) {
		st = damaged(&im, "a root directory outside the disc", "", root_lba);
		goto out;
	}
	im.buf = malloc(SECTOR);
	if (!im.buf) {
		st = dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		goto out;
	}
	im.buf_cap = SECTOR;
	if ((st = read_sectors(r, root_lba, 1, im.buf, "the root directory", ctx)))
		goto out;
	const uint8_t *dot = im.buf;
	if (dot[0] < 34 || dot[32] != 1 || dot[33] != 0) {
		st = damaged(&im, "a root directory without its '.' record", "", root_lba);
		goto out;
	}
	size_t su = 34;
	if (dot[0] >= su + 7 && dot[su] == 'S' && dot[su + 1] == 'P') {
		im.rr = 1;
		st = rr_import_parse(dot + su, dot[0] - su, r, &im.rr_cur, "/", ctx);
		if (st)
			goto out;
		im.sp_skip = im.rr_cur.sp_skip;
		info->rockridge = 1;
		if (im.rr_cur.have & RRI_PX)
			root->mode = S_IFDIR | (im.rr_cur.mode & 07777);
		root->uid = im.rr_cur.uid;
		root->gid = im.rr_cur.gid;
	}
	set_times(root, dot, &im.rr_cur);
	/* Without Rock Ridge, Joliet's names are the long ones: walk its hierarchy (it
	 * points at the same extents). */
	if (!im.rr && have_svd) {
		im.joliet_names = 1;
		if ((st = root_of(&im, svd, &root_lba, &root_size)))
			goto out;
	}
	if ((st = push(&im, root, root_lba, root_size, 1)))
		goto out;
	while (!st && im.qhead < im.qlen) {
		dir_job job = im.q[im.qhead++];
		st = read_dir(&im, &job);
	}
out:
	free(vds);
	free(im.q);
	dm_keyset_free(&im.seen);
	free(im.buf);
	return st;
}

dm_status mk_import_remove(mk_tree *t, const char *path, dm_ctx *ctx)
{
	mk_node *n = mk_tree_root(t);
	const char *p = path;
	while (*p) {
		p += strspn(p, "/");
		size_t len = strcspn(p, "/");
		if (!len)
			break;
		mk_node *c = mk_tree_find(n, p, len);
		if (!c)
			return dm_fail(ctx, DM_ERR_INVALID, "--remove %s: not in the previous session", path);
		n = c;
		p += len;
	}
	if (n == mk_tree_root(t))
		return dm_fail(ctx, DM_ERR_INVALID, "--remove %s: the root cannot be removed", path);
	mk_node **pp = &n->parent->child;
	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	return DM_OK;
}
