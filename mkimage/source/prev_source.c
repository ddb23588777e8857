#include "mkimage/source/prev_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/drive/media_msinfo.h"
#include "common/drive/mmc_cmds.h"

#define SECTOR 2048u
#define READ_CHUNK 32u           /* sectors per READ(10) */

struct mk_prev {
	int fd;                  /* a file; -1 for a drive */
	scsi_transport *t;
	media_msinfo ms;
	uint32_t capacity;
	char *name;
};

static dm_status file_read(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx)
{
	mk_prev *p = user;
	size_t want = (size_t)count * SECTOR;
	off_t at = (off_t)lba * SECTOR;
	for (size_t done = 0; done < want;) {
		ssize_t n = pread(p->fd, buf + done, want - done, at + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read LBA %u of %s", lba, p->name);
		if (n == 0)
			return dm_fail(ctx, DM_ERR_IO, "%s ends before LBA %u", p->name, lba + count);
		done += (size_t)n;
	}
	return DM_OK;
}

static dm_status drive_read(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx)
{
	mk_prev *p = user;
	while (count) {
		uint32_t n = count < READ_CHUNK ? count : READ_CHUNK;
		dm_status st = mmc_read10(p->t, lba, (uint16_t)n, buf, ctx);
		if (st)
			return dm_fail_prefix(ctx, "reading the previous session (LBA %u) from %s: ", lba,
					      p->name);
		lba += n;
		count -= n;
		buf += (size_t)n * SECTOR;
	}
	return DM_OK;
}

static int is_drive(const char *s)
{
	if (!strncmp(s, "emu:", 4) || !strncmp(s, "iscsi://", 8))
		return 1;
	struct stat st;
	return !strncmp(s, "/dev/", 5) && stat(s, &st) == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode));
}

dm_status mk_prev_open(const char *source, mk_prev **out, mk_prev_reader *rd, dm_ctx *ctx)
{
	*out = NULL;
	mk_prev *p = calloc(1, sizeof(*p));
	if (!p || !(p->name = strdup(source))) {
		free(p);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	p->fd = -1;
	memset(rd, 0, sizeof(*rd));
	rd->user = p;
	rd->name = p->name;
	dm_status st;
	if (is_drive(source)) {
		media_disc d;
		if ((st = scsi_open(source, &p->t, ctx)) || (st = media_probe_disc(p->t, &d, ctx)) ||
		    (st = media_msinfo_get(p->t, &d, &p->ms, ctx))) {
			dm_fail_prefix(ctx, "--previous %s: ", source);
			mk_prev_close(p);
			return st;
		}
		p->capacity = d.total_blocks;
		rd->read = drive_read;
		rd->end = p->ms.next; /* nothing at or after the next writable address is recorded */
	} else {
		struct stat sb;
		p->fd = open(source, O_RDONLY | O_CLOEXEC);
		if (p->fd < 0 || fstat(p->fd, &sb) < 0) {
			st = dm_fail_errno(ctx, DM_ERR_IO, errno, "--previous: cannot open %s", source);
			mk_prev_close(p);
			return st;
		}
		if (!S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode)) {
			mk_prev_close(p);
			return dm_fail(ctx, DM_ERR_INVALID, "--previous %s: not a disc image file or a drive",
				       source);
		}
		uint64_t sectors = (uint64_t)sb.st_size / SECTOR;
		rd->read = file_read;
		rd->end = sectors > UINT32_MAX ? UINT32_MAX : (uint32_t)sectors;
	}
	*out = p;
	return DM_OK;
}

int mk_prev_msinfo(const mk_prev *p, uint32_t *start, uint32_t *next)
{
	if (!p->t)
		return 0;
	*start = p->ms.start;
	*next = p->ms.next;
	return 1;
}

uint32_t mk_prev_capacity(const mk_prev *p)
{
	return p->capacity;
}

void mk_prev_close(mk_prev *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	if (p->t)
		scsi_close(p->t);
	free(p->name);
	free(p);
}
