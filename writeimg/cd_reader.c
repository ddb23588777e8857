#include "writeimg/cd_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writeimg/cd_audio_src.h"

typedef struct open_file {
	int fd;              /* BINARY, MOTOROLA */
	cd_audio_src *audio; /* WAVE */
} open_file;

struct cd_reader {
	const cd_layout *l;
	open_file *files;
	unsigned hint;       /* the extent the last read ended in */
};

dm_status cd_reader_new(const cd_layout *l, cd_reader **out, dm_ctx *ctx)
{
	*out = NULL;
	cd_reader *r = calloc(1, sizeof(*r));
	if (r)
		r->files = calloc(l->nfiles ? l->nfiles : 1, sizeof(*r->files));
	if (!r || !r->files) {
		free(r);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading the disc's sources");
	}
	for (unsigned i = 0; i < l->nfiles; i++)
		r->files[i].fd = -1;
	r->l = l;
	*out = r;
	return DM_OK;
}

void cd_reader_free(cd_reader *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->l->nfiles; i++) {
		if (r->files[i].fd >= 0)
			close(r->files[i].fd);
		cd_audio_src_free(r->files[i].audio);
	}
	free(r->files);
	free(r);
}

static dm_status open_file_at(cd_reader *r, int index, dm_ctx *ctx)
{
	const cd_file *f = &r->l->files[index];
	open_file *o = &r->files[index];
	if (f->kind == CD_FILE_WAVE) {
		if (!o->audio)
			return cd_audio_src_open(f->path, CD_AUDIO_SNDFILE, &o->audio, ctx);
		return DM_OK;
	}
	if (o->fd < 0 && (o->fd = open(f->path, O_RDONLY | O_CLOEXEC)) < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", f->path);
	return DM_OK;
}

/* len bytes of file index at offset (within what the layout says it holds). */
static dm_status read_bytes(cd_reader *r, int index, uint64_t offset, uint8_t *buf,
			    size_t len, int swap, dm_ctx *ctx)
{
	const cd_file *f = &r->l->files[index];
	dm_status st = open_file_at(r, index, ctx);
	if (st)
		return st;
	open_file *o = &r->files[index];
	if (o->audio) {
		/* Decoded audio comes a whole sector at a time. */
		uint32_t sector = (uint32_t)(offset / CD_SECTOR_RAW), skip = (uint32_t)(offset % CD_SECTOR_RAW);
		uint32_t n = (uint32_t)((skip + len + CD_SECTOR_RAW - 1) / CD_SECTOR_RAW);
		if (skip == 0 && len % CD_SECTOR_RAW == 0) {
			st = cd_audio_src_seek(o->audio, sector, ctx);
			return st ? st : cd_audio_src_read(o->audio, buf, n, ctx);
		}
		uint8_t *tmp = malloc((size_t)n * CD_SECTOR_RAW);
		if (!tmp)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", f->path);
		st = cd_audio_src_seek(o->audio, sector, ctx);
		if (!st)
			st = cd_audio_src_read(o->audio, tmp, n, ctx);
		if (!st)
			memcpy(buf, tmp + skip, len);
		free(tmp);
		return st;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t got = pread(o->fd, buf + done, len - done, (off_t)(offset + done));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", f->path);
		if (got == 0)
			return dm_fail(ctx, DM_ERR_CHANGED, "%s ended at byte %llu: it was %llu bytes when "
				       "the cue sheet was read", f->path,
				       (unsigned long long)(offset + done), (unsigned long long)f->bytes);
		done += (size_t)got;
	}
	if (swap)
		for (size_t i = 0; i + 1 < len; i += 2) {
			uint8_t t = buf[i];
			buf[i] = buf[i + 1];
			buf[i + 1] = t;
		}
	return DM_OK;
}

dm_status cd_reader_read(cd_reader *r, int32_t lba, uint32_t n, uint8_t *buf, dm_ctx *ctx)
{
	const cd_layout *l = r->l;
	if (n == 0)
		return DM_OK;
	if (lba < -CD_PREGAP_FIRST || lba + (int64_t)n > l->leadout)
		return dm_fail(ctx, DM_ERR_INVALID, "sectors %d to %lld are outside the disc (%d to %d)",
			       lba, (long long)lba + n - 1, -CD_PREGAP_FIRST, l->leadout - 1);
	unsigned i = r->hint < l->nextents && l->extents[r->hint].lba <= lba ? r->hint : 0;
	while (i < l->nextents && l->extents[i].lba + (int32_t)l->extents[i].sectors <= lba)
		i++;
	if (i == l->nextents)
		return dm_fail(ctx, DM_ERR_INTERNAL, "no extent holds sector %d", lba);
	unsigned track = l->extents[i].track;
	const cd_track *t = &l->tracks[track];
	unsigned bps = cd_mode_file_bytes(t->mode);
	int32_t start = lba;
	while (n) {
		if (i == l->nextents)
			return dm_fail(ctx, DM_ERR_INTERNAL, "no extent holds sector %d", lba);
		const cd_extent *e = &l->extents[i];
		if (e->track != track)
			return dm_fail(ctx, DM_ERR_INVALID, "a read from sector %d crosses from track %02u "
				       "into track %02u", start, t->number, l->tracks[e->track].number);
		uint32_t in = (uint32_t)(lba - e->lba), take = e->sectors - in < n ? e->sectors - in : n;
		size_t len = (size_t)take * bps;
		memset(buf, 0, len);
		if (e->file >= 0) {
			uint64_t from = (uint64_t)in * bps;
			if (from < e->bytes) {
				size_t have = e->bytes - from < len ? (size_t)(e->bytes - from) : len;
				int swap = l->files[e->file].kind == CD_FILE_MOTOROLA && t->mode == CD_MODE_AUDIO;
				dm_status st = read_bytes(r, e->file, e->offset + from, buf, have, swap, ctx);
				if (st)
					return st;
			}
		}
		buf += len;
		lba += (int32_t)take;
		n -= take;
		r->hint = i;
		if (lba >= e->lba + (int32_t)e->sectors)
			i++;
	}
	return DM_OK;
}
