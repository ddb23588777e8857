#include "mkimage/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SINK_BUF (1u << 20)

enum kind { SINK_FILE, SINK_FD, SINK_MEMORY, SINK_NULL };

struct mk_sink {
	enum kind kind;
	int fd;
	int own_fd;
	char *path;      /* final name (file sinks) */
	char *tmp;       /* temporary name, NULL when writing in place */
	const char *name;
	uint8_t *buf;
	size_t used, cap;
	uint64_t offset;
	int no_kernel_copy;
	mk_sink_observer observer;
	void *observer_user;
};

static mk_sink *sink_new(enum kind kind, size_t cap)
{
	mk_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->kind = kind;
	s->fd = -1;
	s->cap = cap;
	if (cap && !(s->buf = malloc(cap))) {
		free(s);
		return NULL;
	}
	return s;
}

static void sink_free(mk_sink *s)
{
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s->path);
	free(s->tmp);
	free(s);
}

dm_status mk_sink_open_file(mk_sink **out, const char *path, dm_ctx *ctx)
{
	*out = NULL;
	struct stat st;
	mk_sink *s = sink_new(SINK_FILE, SINK_BUF);
	if (!s || !(s->path = strdup(path))) {
		if (s)
			sink_free(s);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	s->name = s->path;
	s->own_fd = 1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or a FIFO is written in place: there is nothing to rename. */
		s->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (s->fd < 0) {
			dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", path);
			sink_free(s);
			return r;
		}
		s->no_kernel_copy = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
		*out = s;
		return DM_OK;
	}
	/* ".NAME.XXXXXX" next to the output, so the final rename stays in one filesystem. */
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t len = strlen(path);
	s->tmp = malloc(len + 16);
	if (!s->tmp) {
		sink_free(s);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	memcpy(s->tmp, path, dirlen);
	s->tmp[dirlen] = '.';
	memcpy(s->tmp + dirlen + 1, path + dirlen, len - dirlen);
	memcpy(s->tmp + len + 1, ".XXXXXX", 8);
	s->fd = mkostemp(s->tmp, O_CLOEXEC);
	if (s->fd < 0) {
		dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot create a file next to %s", path);
		sink_free(s);
		return r;
	}
	*out = s;
	return DM_OK;
}

dm_status mk_sink_open_fd(mk_sink **out, int fd, const char *name, dm_ctx *ctx)
{
	mk_sink *s = sink_new(SINK_FD, SINK_BUF);
	if (!s)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	s->fd = fd;
	s->name = name;
	struct stat st;
	s->no_kernel_copy = fstat(fd, &st) < 0 || !S_ISREG(st.st_mode);
	*out = s;
	return DM_OK;
}

mk_sink *mk_sink_open_memory(void)
{
	return sink_new(SINK_MEMORY, 1u << 16);
}

mk_sink *mk_sink_open_null(void)
{
	return sink_new(SINK_NULL, 0);
}

void mk_sink_set_observer(mk_sink *s, mk_sink_observer fn, void *user)
{
	s->observer = fn;
	s->observer_user = user;
}

uint64_t mk_sink_offset(const mk_sink *s)
{
	return s->offset;
}

int mk_sink_identity(const mk_sink *s, dev_t *dev, ino_t *ino)
{
	struct stat st;
	if (s->kind != SINK_FILE || fstat(s->fd, &st) < 0)
		return 0;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 1;
}

const uint8_t *mk_sink_memory(const mk_sink *s, size_t *len)
{
	*len = s->used;
	return s->buf;
}

static dm_status write_all(mk_sink *s, const uint8_t *p, size_t len, dm_ctx *ctx)
{
	while (len) {
		ssize_t n = write(s->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return dm_fail_errno(ctx, errno == ENOSPC ? DM_ERR_NOSPACE : DM_ERR_IO, errno,
					     "writing %s at byte %llu", s->name,
					     (unsigned long long)(s->offset - s->used));
		}
		p += n;
		len -= (size_t)n;
	}
	return DM_OK;
}

static dm_status flush(mk_sink *s, dm_ctx *ctx)
{
	if (s->kind == SINK_MEMORY || s->kind == SINK_NULL || s->used == 0)
		return DM_OK;
	dm_status r = write_all(s, s->buf, s->used, ctx);
	s->used = 0;
	return r;
}

/* Room for at least one more byte in the buffer. */
static dm_status make_room(mk_sink *s, dm_ctx *ctx)
{
	if (s->used < s->cap)
		return DM_OK;
	if (s->kind == SINK_MEMORY) {
		uint8_t *b = realloc(s->buf, s->cap * 2);
		if (!b)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory holding the image");
		s->buf = b;
		s->cap *= 2;
		return DM_OK;
	}
	return flush(s, ctx);
}

dm_status mk_sink_write(mk_sink *s, const void *data, size_t len, dm_ctx *ctx)
{
	const uint8_t *p = data;
	if (s->observer && len)
		s->observer(s->observer_user, p, len);
	s->offset += len;
	if (s->kind == SINK_NULL)
		return DM_OK;
	while (len) {
		dm_status r = make_room(s, ctx);
		if (r)
			return r;
		size_t n = s->cap - s->used < len ? s->cap - s->used : len;
		memcpy(s->buf + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
	}
	return DM_OK;
}

dm_status mk_sink_zeros(mk_sink *s, uint64_t len, dm_ctx *ctx)
{
	static const uint8_t zero[4096];
	while (len) {
		size_t n = len < sizeof(zero) ? (size_t)len : sizeof(zero);
		dm_status r = mk_sink_write(s, zero, n, ctx);
		if (r)
			return r;
		len -= n;
	}
	return DM_OK;
}

/* In-kernel copy into a file; returns 1 when done, 0 to fall back to read/write. */
static int kernel_copy(mk_sink *s, int fd, uint64_t len, uint64_t *copied, dm_status *r, const char *what,
		       dm_ctx *ctx)
{
	if (s->kind == SINK_MEMORY || s->kind == SINK_NULL || s->observer || s->no_kernel_copy ||
	    len < (1u << 20))
		return 0;
	if ((*r = flush(s, ctx)))
		return 1;
	uint64_t done = 0;
	while (done < len) {
		size_t want = len - done > (1u << 30) ? (1u << 30) : (size_t)(len - done);
		ssize_t n = copy_file_range(fd, NULL, s->fd, NULL, want, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
					  errno == EOPNOTSUPP || errno == EBADF)) {
				s->no_kernel_copy = 1;
				return 0;
			}
			*r = dm_fail_errno(ctx, errno == ENOSPC ? DM_ERR_NOSPACE : DM_ERR_IO, errno,
					   "copying %s into %s", what, s->name);
			return 1;
		}
		if (n == 0)
			break;
		done += (uint64_t)n;
	}
	s->offset += done;
	*copied = done;
	*r = DM_OK;
	return 1;
}

dm_status mk_sink_copy_fd(mk_sink *s, int fd, uint64_t len, uint64_t *copied, const char *what,
			  dm_ctx *ctx)
{
	dm_status r;
	*copied = 0;
	if (kernel_copy(s, fd, len, copied, &r, what, ctx))
		return r;
	uint64_t done = 0;
	uint8_t *tmp = NULL;
	while (done < len) {
		/* Read straight into the buffer when there is one; the null sink reads to a scratch. */
		uint8_t *dst;
		size_t room;
		if (s->kind == SINK_NULL) {
			if (!tmp && !(tmp = malloc(SINK_BUF)))
				return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
			dst = tmp;
			room = SINK_BUF;
		} else {
			if ((r = make_room(s, ctx)))
				return r;
			dst = s->buf + s->used;
			room = s->cap - s->used;
		}
		size_t want = len - done < room ? (size_t)(len - done) : room;
		ssize_t n = read(fd, dst, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(tmp);
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", what);
		}
		if (n == 0)
			break;
		if (s->observer)
			s->observer(s->observer_user, dst, (size_t)n);
		if (s->kind != SINK_NULL)
			s->used += (size_t)n;
		s->offset += (uint64_t)n;
		done += (uint64_t)n;
	}
	free(tmp);
	*copied = done;
	return DM_OK;
}

dm_status mk_sink_commit(mk_sink *s, dm_ctx *ctx)
{
	dm_status r = flush(s, ctx);
	if (!r && s->tmp) {
		/* mkostemp made it 0600; an image is an ordinary file: 0666 less the umask. */
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(s->fd, 0666 & ~mask) < 0)
			r = dm_fail_errno(ctx, DM_ERR_IO, errno, "setting the mode of %s", s->path);
		else if (close(s->fd) < 0)
			r = dm_fail_errno(ctx, DM_ERR_IO, errno, "writing %s", s->path);
		else if (rename(s->tmp, s->path) < 0)
			r = dm_fail_errno(ctx, DM_ERR_IO, errno, "renaming %s to %s", s->tmp, s->path);
		s->fd = -1;
		if (r)
			unlink(s->tmp);
	} else if (r && s->tmp) {
		unlink(s->tmp);
	}
	sink_free(s);
	return r;
}

void mk_sink_abort(mk_sink *s)
{
	if (!s)
		return;
	if (s->tmp)
		unlink(s->tmp);
	sink_free(s);
}
