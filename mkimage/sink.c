#include "mkimage/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* File and descriptor sinks hand full buffers to a writer thread, so reading the sources
 * (the main thread) and writing the image overlap on two cores. How file data gets into a
 * file image, measured on ext4 (bench/README.md):
 * - Large files are shared with their source where the filesystem can (a reflink), and else
 *   read and written by the main thread alone through one buffer that stays in its core's
 *   cache (handing the bytes to the writer would move each between cores). This beats
 *   copy_file_range(), which on a filesystem without reflinks is an in-kernel copy through
 *   the page cache that takes more CPU for the same bytes, most of all when the image puts
 *   a file at an odd 2048-byte sector, half a page off.
 * - Every write to the file covers whole SINK_BUF blocks of the image, aligned, wherever the
 *   layout puts a file's data: the page cache then holds the image in large folios.
 * - Past the first SINK_WRITEBACK_FROM bytes, the writer starts the write-back of each
 *   SINK_WRITEBACK range as soon as it is written, and drops the range before it from the
 *   page cache once it is on the disk (write_back()). Without that a large image fills the
 *   page cache with fresh pages, costlier than the copy itself, until the kernel throttles
 *   the writer. Neither waits for the disk. */
#define SINK_BUF (256u << 10)
#define SINK_NBUF 4
#define SINK_WRITEBACK (32u << 20)
/* An image's first GiB is left to the kernel, which writes it back after mkimage has exited:
 * doing that here costs a small image 5-10% of its time (bench/README.md) and gains it
 * nothing, while beyond this the page cache growing by the whole image costs more. */
#define SINK_WRITEBACK_FROM (1ull << 30)
/* Files from this size on are offered to the filesystem as reflinks (see reflink()), and
 * else copied by the main thread alone (see mk_sink_copy_fd()). */
#define REFLINK_MIN (1u << 20)
#define DIRECT_MIN (1u << 20)

enum kind { SINK_FILE, SINK_FD, SINK_MEMORY, SINK_NULL };

typedef struct writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *ring[SINK_NBUF];
	size_t len[SINK_NBUF];
	unsigned prod, cons, filled; /* ring[cons..] are full; ring[prod] is being filled */
	int stop;
	int err;                     /* errno of the first failed write, 0 if none */
	uint64_t err_at;             /* byte offset of that write */
	uint64_t written;
	/* Write-back of a regular file, in ranges of about SINK_WRITEBACK bytes from
	 * SINK_WRITEBACK_FROM on: started up to wb_start, the last range started at wb_prev,
	 * dropped up to wb_dropped. */
	uint64_t wb_start, wb_prev, wb_dropped;
	/* Whether the image's bytes have known places in the file: a regular file, not opened
	 * for appending, whose byte base is the image's first (0, but for a descriptor given
	 * already moved). Only then are write-back and reflinks used. */
	int positioned;
	uint64_t base;
	int fd;
} writer;

struct mk_sink {
	enum kind kind;
	int fd;
	int own_fd;
	char *path;      /* final name (file sinks) */
	char *tmp;       /* temporary name, NULL when writing in place or unnamed */
	int unnamed;     /* the file has no name yet (O_TMPFILE): it gets one at commit */
	const char *name;
	uint8_t *buf;    /* the buffer being filled */
	size_t used, cap;
	uint64_t offset;
	uint64_t origin;             /* added by mk_sink_offset() (mk_sink_set_origin) */
	int no_reflink;      /* not a regular file, or a reflink failed: copy all data */
	uint64_t blksize;    /* the output's block size: reflinks start on a multiple of it */
	mk_sink_observer observer;
	void *observer_user;
	writer *w;       /* file and fd sinks */
};

/* Whether the writer should start the write-back of what it has written (mutex held). */
static int writeback_due(const writer *w)
{
	return w->positioned && !w->err && w->written >= w->wb_start + SINK_WRITEBACK;
}

/* Start writing [from, to) to the disk, and drop [drop, drop_end), started one range before,
 * from the page cache where it is there already: the image goes to the disk while it is
 * made, and its pages serve again for the next bytes instead of the cache growing by the
 * size of the image (which costs more than the copy: fresh pages, then the kernel
 * throttling the writer when too many are dirty). Nothing waits for the disk: on a slow
 * one the pages still being written stay, as they would without this. Only hints: a
 * failure changes nothing in the image. */
static void write_back(int fd, uint64_t from, uint64_t to, uint64_t drop, uint64_t drop_end)
{
	(void)sync_file_range(fd, (off64_t)from, (off64_t)(to - from), SYNC_FILE_RANGE_WRITE);
	if (drop_end > drop)
		(void)posix_fadvise(fd, (off_t)drop, (off_t)(drop_end - drop), POSIX_FADV_DONTNEED);
}

static void *writer_main(void *arg)
{
	writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->filled && !w->stop && !writeback_due(w))
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->filled) {
			unsigned i = w->cons;
			int failed = w->err != 0;
			uint64_t at = w->written, done = 0;
			pthread_mutex_unlock(&w->mu);
			const uint8_t *p = w->ring[i];
			size_t left = w->len[i];
			int err = 0;
			while (left && !failed) {
				ssize_t n = write(w->fd, p, left);
				if (n < 0) {
					if (errno == EINTR)
						continue;
					err = errno;
					break;
				}
				p += n;
				left -= (size_t)n;
				done += (uint64_t)n;
			}
			pthread_mutex_lock(&w->mu);
			w->written += done;
			if (err && !w->err) {
				w->err = err;
				w->err_at = at;
			}
			w->cons = (w->cons + 1) % SINK_NBUF;
			w->filled--;
			pthread_cond_broadcast(&w->cv);
		} else if (writeback_due(w)) {
			uint64_t from = w->wb_start, to = w->written;
			uint64_t drop = w->wb_dropped, drop_end = w->wb_prev;
			w->wb_prev = from;
			w->wb_start = to;
			w->wb_dropped = drop_end;
			pthread_mutex_unlock(&w->mu);
			write_back(w->fd, w->base + from, w->base + to, w->base + drop,
				   w->base + drop_end);
			pthread_mutex_lock(&w->mu);
		} else {
			break; /* stopped, everything written */
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static writer *writer_start(int fd)
{
	writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = fd;
	struct stat st;
	off_t at = lseek(fd, 0, SEEK_CUR);
	int fl = fcntl(fd, F_GETFL);
	w->positioned = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 && fl >= 0 &&
			!(fl & O_APPEND);
	w->base = w->positioned ? (uint64_t)at : 0;
	w->wb_start = w->wb_prev = w->wb_dropped = SINK_WRITEBACK_FROM;
	for (unsigned i = 0; i < SINK_NBUF; i++)
		if (!(w->ring[i] = malloc(SINK_BUF)))
			goto fail;
	if (pthread_mutex_init(&w->mu, NULL))
		goto fail;
	if (pthread_cond_init(&w->cv, NULL)) {
		pthread_mutex_destroy(&w->mu);
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w)) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		goto fail;
	}
	return w;
fail:
	for (unsigned i = 0; i < SINK_NBUF; i++)
		free(w->ring[i]);
	free(w);
	return NULL;
}

static void writer_stop(writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	for (unsigned i = 0; i < SINK_NBUF; i++)
		free(w->ring[i]);
	free(w);
}

static dm_status writer_error(mk_sink *s, dm_ctx *ctx)
{
	writer *w = s->w;
	return dm_fail_errno(ctx, w->err == ENOSPC ? DM_ERR_NOSPACE : DM_ERR_IO, w->err,
			     "writing %s at byte %llu", s->name, (unsigned long long)w->err_at);
}

/* An empty buffer of a writer sink takes bytes up to the next multiple of SINK_BUF in the
 * image only, so the writer always writes whole, aligned SINK_BUF blocks of the file: the
 * page cache then holds the image in large folios instead of runs of small ones (the
 * image's own layout puts file data on 2048-byte sectors, at any phase). */
static void realign(mk_sink *s)
{
	s->cap = SINK_BUF - (size_t)(s->offset % SINK_BUF);
}

/* Hand the buffer being filled to the writer and take the next free one. */
static dm_status writer_submit(mk_sink *s, dm_ctx *ctx)
{
	writer *w = s->w;
	pthread_mutex_lock(&w->mu);
	w->len[w->prod] = s->used;
	w->prod = (w->prod + 1) % SINK_NBUF;
	w->filled++;
	pthread_cond_broadcast(&w->cv);
	while (w->filled == SINK_NBUF && !w->err)
		pthread_cond_wait(&w->cv, &w->mu);
	int err = w->err;
	/* With an error the writer only drains; wait for the slot all the same. */
	while (w->filled == SINK_NBUF)
		pthread_cond_wait(&w->cv, &w->mu);
	s->buf = w->ring[w->prod];
	pthread_mutex_unlock(&w->mu);
	s->used = 0;
	realign(s);
	return err ? writer_error(s, ctx) : DM_OK;
}

/* Bytes the caller wrote to the descriptor itself while the writer was idle (a reflink, a
 * direct copy): the writer's position follows, and the write-back is started as due. */
static void writer_advance(writer *w, uint64_t n)
{
	pthread_mutex_lock(&w->mu);
	w->written += n;
	if (writeback_due(w))
		pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Wait until everything handed over is written. */
static dm_status writer_drain(mk_sink *s, dm_ctx *ctx)
{
	writer *w = s->w;
	pthread_mutex_lock(&w->mu);
	while (w->filled)
		pthread_cond_wait(&w->cv, &w->mu);
	int err = w->err;
	pthread_mutex_unlock(&w->mu);
	return err ? writer_error(s, ctx) : DM_OK;
}

static mk_sink *sink_new(enum kind kind, size_t cap)
{
	mk_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->kind = kind;
	s->fd = -1;
	s->cap = cap;
	if (kind == SINK_MEMORY && !(s->buf = malloc(cap))) {
		free(s);
		return NULL;
	}
	return s;
}

static void sink_free(mk_sink *s)
{
	if (s->w)
		writer_stop(s->w);
	else if (s->kind == SINK_MEMORY)
		free(s->buf);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s->tmp);
	free(s);
}

/* Start the writer thread of a file or descriptor sink. */
static dm_status start_writer(mk_sink *s, dm_ctx *ctx)
{
	s->w = writer_start(s->fd);
	if (!s->w)
		return dm_fail(ctx, DM_ERR_NOMEM, "cannot start the writer for %s", s->name);
	s->buf = s->w->ring[0];
	s->cap = SINK_BUF;
	if (!s->w->positioned)
		s->no_reflink = 1;
	struct stat st;
	s->blksize = fstat(s->fd, &st) == 0 && st.st_blksize > 0 ? (uint64_t)st.st_blksize : 4096;
	return DM_OK;
}

/* ".NAME.XXXXXX" next to path (so the final rename stays in one filesystem), into a new
 * string; NULL when out of memory. With random, the Xs are filled here (for linkat, which
 * cannot make a unique name itself); else they are left for mkostemp(). */
static char *temp_name(const char *path, int random)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	if (!tmp)
		return NULL;
	memcpy(tmp, path, dirlen);
	tmp[dirlen] = '.';
	memcpy(tmp + dirlen + 1, path + dirlen, len - dirlen);
	memcpy(tmp + len + 1, ".XXXXXX", 8);
	if (random) {
		static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		uint8_t b[6];
		if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 20) ^ (uintptr_t)tmp;
			memcpy(b, &v, sizeof(b));
		}
		for (int i = 0; i < 6; i++)
			tmp[len + 2 + i] = set[b[i] % (sizeof(set) - 1)];
	}
	return tmp;
}

/* The file the image is written to, in the output's directory. First without a name
 * (O_TMPFILE: ext4, XFS, btrfs, tmpfs and most local filesystems have it): a process killed
 * mid-write (SIGKILL, power loss) then leaves nothing behind, where a named temporary file
 * would stay as a partial image beside the output. The name comes at commit, through
 * /proc/self/fd (linkat), once the image is whole. Where O_TMPFILE or /proc is missing,
 * a named ".NAME.XXXXXX" file from the start, removed on every failure but a kill. Read
 * and write, as mkostemp() opens it: checksums read the image back (mk_sink_reread()). */
static dm_status open_beside(mk_sink *s, const char *path, dm_ctx *ctx)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	int have_proc = access("/proc/self/fd", X_OK) == 0;
	int fd = have_proc ? open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
	int e = errno;
	free(dir);
	if (fd >= 0) {
		s->fd = fd;
		s->unnamed = 1;
		return DM_OK;
	}
	/* Without O_TMPFILE in this filesystem (or without /proc): a named file. Any other
	 * error is the directory's (missing, not writable, read-only, full). */
	if (have_proc && e != EOPNOTSUPP && e != EISDIR && e != EINVAL && e != ENOSYS)
		return dm_fail_errno(ctx, DM_ERR_IO, e, "cannot create a file next to %s", path);
	if (!(s->tmp = temp_name(path, 0)))
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	s->fd = mkostemp(s->tmp, O_CLOEXEC);
	if (s->fd < 0) {
		dm_status r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot create a file next to %s", path);
		free(s->tmp);
		s->tmp = NULL;
		return r;
	}
	return DM_OK;
}

/* Give the finished unnamed file its temporary name beside the output (then renamed like a
 * named one). A name taken already (another mkimage at work) is tried again. */
static dm_status link_unnamed(mk_sink *s, dm_ctx *ctx)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->fd);
	for (int tries = 0; tries < 100; tries++) {
		free(s->tmp);
		if (!(s->tmp = temp_name(s->path, 1)))
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		if (linkat(AT_FDCWD, proc, AT_FDCWD, s->tmp, AT_SYMLINK_FOLLOW) == 0) {
			s->unnamed = 0;
			return DM_OK;
		}
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	free(s->tmp);
	s->tmp = NULL;
	if (e == ENOENT)
		return dm_fail_errno(ctx, DM_ERR_IO, e,
				     "cannot put the finished image into the directory of %s (was it removed?)",
				     s->path);
	return dm_fail_errno(ctx, DM_ERR_IO, e, "cannot put the finished image into the directory of %s",
			     s->path);
}

dm_status mk_sink_open_file(mk_sink **out, const char *path, dm_ctx *ctx)
{
	*out = NULL;
	struct stat st;
	mk_sink *s = sink_new(SINK_FILE, 0);
	if (!s || !(s->path = strdup(path))) {
		if (s)
			sink_free(s);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	s->name = s->path;
	s->own_fd = 1;
	dm_status r;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or a FIFO is written in place: there is nothing to rename. */
		s->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (s->fd < 0) {
			r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", path);
			sink_free(s);
			return r;
		}
		s->no_reflink = 1;
	} else {
		if ((r = open_beside(s, path, ctx))) {
			sink_free(s);
			return r;
		}
	}
	if ((r = start_writer(s, ctx))) {
		mk_sink_abort(s);
		return r;
	}
	*out = s;
	return DM_OK;
}

dm_status mk_sink_open_fd(mk_sink **out, int fd, const char *name, dm_ctx *ctx)
{
	*out = NULL;
	mk_sink *s = sink_new(SINK_FD, 0);
	if (!s)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	s->fd = fd;
	s->name = name;
	dm_status r = start_writer(s, ctx);
	if (r) {
		sink_free(s);
		return r;
	}
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
	return s->origin + s->offset;
}

void mk_sink_set_origin(mk_sink *s, uint64_t origin)
{
	s->origin = origin;
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
	return writer_submit(s, ctx);
}

/* Everything buffered reaches the descriptor (file and fd sinks). */
static dm_status flush(mk_sink *s, dm_ctx *ctx)
{
	if (!s->w)
		return DM_OK;
	dm_status r = s->used ? writer_submit(s, ctx) : DM_OK;
	dm_status r2 = writer_drain(s, ctx);
	return r ? r : r2;
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

/* Share len bytes of fd, from its current offset, with the image instead of copying them
 * (FICLONERANGE, a reflink: btrfs, XFS, bcachefs, OCFS2 and others can; ext4 cannot). Both
 * offsets must be multiples of the filesystem block, so a file the image puts at an odd
 * 2048-byte sector is copied (the layout is never changed for this); the length may end
 * unaligned only at the end of the source, which it does. The first refusal turns reflinks
 * off for the sink. Returns 1 when done (*r says how), 0 to copy through the buffers. */
static int reflink(mk_sink *s, int fd, uint64_t len, uint64_t *copied, dm_status *r,
		   const char *what, dm_ctx *ctx)
{
	if (!s->w || s->observer || s->no_reflink || len < REFLINK_MIN ||
	    (s->w->base + s->offset) % s->blksize)
		return 0;
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (at < 0 || (uint64_t)at % s->blksize)
		return 0;
	/* The clone goes at the end of what is written: everything buffered goes first. */
	if ((*r = flush(s, ctx)))
		return 1;
	uint64_t dest = s->w->base + s->offset;
	struct file_clone_range fcr = {.src_fd = fd, .src_offset = (uint64_t)at, .src_length = len,
				       .dest_offset = dest};
	if (ioctl(s->fd, FICLONERANGE, &fcr) < 0) {
		s->no_reflink = 1;
		return 0;
	}
	/* The ioctl moves neither descriptor: the writer goes on after the shared bytes, and
	 * the caller reads on from the end of them (the check for bytes beyond len). */
	if (lseek(s->fd, (off_t)(dest + len), SEEK_SET) < 0 ||
	    lseek(fd, at + (off_t)len, SEEK_SET) < 0) {
		*r = dm_fail_errno(ctx, DM_ERR_IO, errno, "copying %s into %s", what, s->name);
		return 1;
	}
	writer_advance(s->w, len);
	s->offset += len;
	realign(s);
	*copied = len;
	*r = DM_OK;
	return 1;
}

/* Write len bytes straight to the descriptor (a direct copy: the writer is idle). */
static dm_status write_direct(mk_sink *s, const uint8_t *p, size_t len, dm_ctx *ctx)
{
	uint64_t at = s->offset;
	size_t left = len;
	while (left) {
		ssize_t n = write(s->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			return dm_fail_errno(ctx, e == ENOSPC ? DM_ERR_NOSPACE : DM_ERR_IO, e,
					     "writing %s at byte %llu", s->name,
					     (unsigned long long)(at + (len - left)));
		}
		p += n;
		left -= (size_t)n;
	}
	writer_advance(s->w, len);
	return DM_OK;
}

dm_status mk_sink_copy_fd(mk_sink *s, int fd, uint64_t len, uint64_t *copied, int *more,
			  const char *what, dm_ctx *ctx)
{
	dm_status r;
	*copied = 0;
	*more = 0;
	int known = 0; /* whether we already know if the source has more than len bytes */
	if (reflink(s, fd, len, copied, &r, what, ctx)) {
		if (r)
			return r;
	} else {
		uint64_t done = 0;
		uint8_t *tmp = NULL;
		/* A large file is copied by this thread alone, read into a buffer and written from
		 * it while it is still in this core's cache; handing it to the writer would move
		 * every byte between cores. The writer only starts the write-back meanwhile. */
		int direct = s->w && len >= DIRECT_MIN;
		if (direct && (r = flush(s, ctx)))
			return r;
		for (;;) {
			/* Read straight into the buffer; the null sink reads into a scratch buffer. */
			uint8_t *dst;
			size_t room;
			if (s->kind == SINK_NULL) {
				if (!tmp && !(tmp = malloc(SINK_BUF)))
					return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
				dst = tmp;
				room = SINK_BUF;
			} else {
				if ((r = make_room(s, ctx))) {
					free(tmp);
					return r;
				}
				dst = s->buf + s->used;
				room = s->cap - s->used;
			}
			if (direct) /* each write ends on a SINK_BUF boundary of the image */
				room = SINK_BUF - (size_t)(s->offset % SINK_BUF);
			/* Asking for one byte more than expected tells, in the same read, whether
			 * the file grew; that byte is never kept. */
			uint64_t ask = len + 1 - done;
			size_t want = ask < room ? (size_t)ask : room;
			ssize_t n = read(fd, dst, want);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				free(tmp);
				return dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", what);
			}
			if (n == 0) {
				known = 1;
				break;
			}
			size_t keep = (size_t)n;
			if (done + keep > len) {
				keep = (size_t)(len - done);
				*more = 1;
				known = 1;
			}
			if (s->observer)
				s->observer(s->observer_user, dst, keep);
			if (direct) {
				if ((r = write_direct(s, dst, keep, ctx)))
					return r;
			} else if (s->kind != SINK_NULL) {
				s->used += keep;
			}
			s->offset += keep;
			done += keep;
			if (known)
				break;
		}
		free(tmp);
		*copied = done;
		if (direct)
			realign(s);
	}
	if (!known && *copied == len) {
		char extra;
		ssize_t n;
		while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR)
			;
		*more = n > 0;
	}
	return DM_OK;
}

dm_status mk_sink_patch(mk_sink *s, uint64_t offset, const void *data, size_t len, dm_ctx *ctx)
{
	if (offset + len > s->offset)
		return dm_fail(ctx, DM_ERR_INTERNAL, "internal error: patching bytes not written yet");
	if (s->kind == SINK_MEMORY) {
		memcpy(s->buf + offset, data, len);
		return DM_OK;
	}
	if (s->kind != SINK_FILE)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s cannot be rewritten once written", s->name);
	dm_status r = flush(s, ctx);
	if (r)
		return r;
	const uint8_t *p = data;
	while (len) {
		ssize_t n = pwrite(s->fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return dm_fail_errno(ctx, DM_ERR_IO, n < 0 ? errno : EIO, "rewriting %s at byte %llu", s->name,
					     (unsigned long long)offset);
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return DM_OK;
}

dm_status mk_sink_reread(mk_sink *s, mk_sink_observer fn, void *user, dm_ctx *ctx)
{
	if (s->kind == SINK_MEMORY) {
		fn(user, s->buf, s->used);
		return DM_OK;
	}
	if (s->kind != SINK_FILE)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s cannot be read back", s->name);
	dm_status r = flush(s, ctx);
	if (r)
		return r;
	uint8_t *buf = malloc(SINK_BUF);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	for (uint64_t at = 0; at < s->offset && !r;) {
		size_t want = s->offset - at < SINK_BUF ? (size_t)(s->offset - at) : SINK_BUF;
		ssize_t n = pread(s->fd, buf, want, (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = dm_fail_errno(ctx, DM_ERR_IO, n < 0 ? errno : EIO, "reading back %s at byte %llu", s->name,
					  (unsigned long long)at);
		else {
			fn(user, buf, (size_t)n);
			at += (uint64_t)n;
		}
	}
	free(buf);
	return r;
}

dm_status mk_sink_commit(mk_sink *s, dm_ctx *ctx)
{
	dm_status r = flush(s, ctx);
	if (!r && s->unnamed)
		r = link_unnamed(s, ctx);
	if (!r && s->tmp) {
		/* Made 0600 (mkostemp, O_TMPFILE); an image is an ordinary file: 0666 less the umask. */
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
