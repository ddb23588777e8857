#include "common/dm_bgwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct dm_bgwrite {
	int fd;
	size_t size;
	unsigned nbuf;
	uint8_t **buf;
	size_t *len;
	/* buf[tail] and the `queued` - 1 after it are submitted and not written yet (the
	 * thread writes buf[tail] while it counts in queued); buf[(tail + queued) % nbuf] is
	 * the caller's to fill. */
	unsigned tail, queued;
	int stop;
	int err;
	uint64_t written, wb_every, wb_start;
	int threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Write one buffer (no lock held: only the writing side touches written and wb_start). */
static int write_out(dm_bgwrite *w, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		p += n;
		len -= (size_t)n;
		w->written += (uint64_t)n;
	}
	if (w->wb_every && w->written - w->wb_start >= w->wb_every) {
		(void)sync_file_range(w->fd, (off64_t)w->wb_start, (off64_t)(w->written - w->wb_start),
				      SYNC_FILE_RANGE_WRITE);
		w->wb_start = w->written;
	}
	return 0;
}

static void *writer_main(void *arg)
{
	dm_bgwrite *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->queued && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->queued)
			break;
		unsigned i = w->tail;
		int failed = w->err != 0;
		pthread_mutex_unlock(&w->mu);
		int err = failed ? 0 : write_out(w, w->buf[i], w->len[i]);
		pthread_mutex_lock(&w->mu);
		if (err && !w->err)
			w->err = err;
		w->tail = (w->tail + 1) % w->nbuf;
		w->queued--;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void release(dm_bgwrite *w)
{
	for (unsigned i = 0; w->buf && i < w->nbuf; i++)
		free(w->buf[i]);
	free(w->buf);
	free(w->len);
	free(w);
}

dm_bgwrite *dm_bgwrite_new(int fd, size_t size, unsigned nbuf, uint64_t writeback)
{
	dm_bgwrite *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = fd;
	w->nbuf = nbuf < 2 ? 2 : nbuf;
	w->size = size;
	w->wb_every = writeback;
	w->buf = calloc(w->nbuf, sizeof(*w->buf));
	w->len = calloc(w->nbuf, sizeof(*w->len));
	if (!w->buf || !w->len) {
		release(w);
		return NULL;
	}
	for (unsigned i = 0; i < w->nbuf; i++)
		if (!(w->buf[i] = malloc(size))) {
			release(w);
			return NULL;
		}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->threaded = pthread_create(&w->thread, NULL, writer_main, w) == 0;
	return w;
}

uint8_t *dm_bgwrite_buffer(dm_bgwrite *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->queued == w->nbuf)
		pthread_cond_wait(&w->cv, &w->mu);
	uint8_t *b = w->buf[(w->tail + w->queued) % w->nbuf];
	pthread_mutex_unlock(&w->mu);
	return b;
}

void dm_bgwrite_submit(dm_bgwrite *w, size_t len)
{
	if (!w->threaded) {
		if (!w->err)
			w->err = write_out(w, w->buf[w->tail], len);
		return;
	}
	pthread_mutex_lock(&w->mu);
	w->len[(w->tail + w->queued) % w->nbuf] = len;
	w->queued++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int dm_bgwrite_error(dm_bgwrite *w)
{
	pthread_mutex_lock(&w->mu);
	int err = w->err;
	pthread_mutex_unlock(&w->mu);
	return err;
}

int dm_bgwrite_finish(dm_bgwrite *w)
{
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		w->stop = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	int err = w->err;
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	release(w);
	return err;
}
