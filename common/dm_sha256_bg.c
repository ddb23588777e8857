#include "common/dm_sha256_bg.h"

#include <pthread.h>
#include <stdlib.h>

struct dm_sha256_bg {
	dm_sha256 sha;        /* touched by the thread only, once it runs */
	size_t size;
	unsigned nbuf;
	uint8_t **buf;
	size_t *len;
	/* buf[tail], ..., the `queued` buffers after it, are submitted and not hashed yet
	 * (the thread hashes buf[tail] while it counts in queued); buf[(tail + queued) %
	 * nbuf] is the caller's to fill. */
	unsigned tail, queued;
	int stop;
	int abandon;         /* stop without hashing what is queued */
	int threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *hasher_main(void *arg)
{
	dm_sha256_bg *bg = arg;
	pthread_mutex_lock(&bg->mu);
	for (;;) {
		while (!bg->queued && !bg->stop)
			pthread_cond_wait(&bg->cv, &bg->mu);
		if (!bg->queued || bg->abandon)
			break;
		unsigned i = bg->tail;
		pthread_mutex_unlock(&bg->mu);
		dm_sha256_update(&bg->sha, bg->buf[i], bg->len[i]);
		pthread_mutex_lock(&bg->mu);
		bg->tail = (bg->tail + 1) % bg->nbuf;
		bg->queued--;
		pthread_cond_broadcast(&bg->cv);
	}
	pthread_mutex_unlock(&bg->mu);
	return NULL;
}

static void release(dm_sha256_bg *bg)
{
	for (unsigned i = 0; bg->buf && i < bg->nbuf; i++)
		free(bg->buf[i]);
	free(bg->buf);
	free(bg->len);
	free(bg);
}

dm_sha256_bg *dm_sha256_bg_new(size_t size, unsigned nbuf)
{
	dm_sha256_bg *bg = calloc(1, sizeof(*bg));
	if (!bg)
		return NULL;
	bg->nbuf = nbuf < 2 ? 2 : nbuf;
	bg->size = size;
	bg->buf = calloc(bg->nbuf, sizeof(*bg->buf));
	bg->len = calloc(bg->nbuf, sizeof(*bg->len));
	if (!bg->buf || !bg->len) {
		release(bg);
		return NULL;
	}
	for (unsigned i = 0; i < bg->nbuf; i++)
		if (!(bg->buf[i] = malloc(size))) {
			release(bg);
			return NULL;
		}
	dm_sha256_init(&bg->sha);
	pthread_mutex_init(&bg->mu, NULL);
	pthread_cond_init(&bg->cv, NULL);
	bg->threaded = pthread_create(&bg->thread, NULL, hasher_main, bg) == 0;
	return bg;
}

uint8_t *dm_sha256_bg_buffer(dm_sha256_bg *bg)
{
	pthread_mutex_lock(&bg->mu);
	while (bg->queued == bg->nbuf)
		pthread_cond_wait(&bg->cv, &bg->mu);
	uint8_t *b = bg->buf[(bg->tail + bg->queued) % bg->nbuf];
	pthread_mutex_unlock(&bg->mu);
	return b;
}

void dm_sha256_bg_submit(dm_sha256_bg *bg, size_t len)
{
	if (!bg->threaded) {
		dm_sha256_update(&bg->sha, bg->buf[bg->tail], len);
		return;
	}
	pthread_mutex_lock(&bg->mu);
	bg->len[(bg->tail + bg->queued) % bg->nbuf] = len;
	bg->queued++;
	pthread_cond_broadcast(&bg->cv);
	pthread_mutex_unlock(&bg->mu);
}

void dm_sha256_bg_finish(dm_sha256_bg *bg, uint8_t out[DM_SHA256_LEN])
{
	if (bg->threaded) {
		pthread_mutex_lock(&bg->mu);
		bg->abandon = !out;
		bg->stop = 1;
		pthread_cond_broadcast(&bg->cv);
		pthread_mutex_unlock(&bg->mu);
		pthread_join(bg->thread, NULL);
	}
	if (out)
		dm_sha256_final(&bg->sha, out);
	pthread_mutex_destroy(&bg->mu);
	pthread_cond_destroy(&bg->cv);
	release(bg);
}
