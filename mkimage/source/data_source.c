#include "mkimage/source/data_source.h"

#include "mkimage/source/source_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (256u << 10)
#define FADVISE_MIN (1u << 20)

struct mk_reader {
	const mk_tree *t;
	struct archive *a;       /* the open archive, or NULL */
	uint32_t archive;        /* which one */
	uint64_t next;           /* index of the header the next archive_read_next_header reads */
	uint8_t *buf;
};

mk_reader *mk_reader_new(const mk_tree *t)
{
	mk_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->t = t;
	if (!(r->buf = malloc(CHUNK))) {
		free(r);
		return NULL;
	}
	return r;
}

static void close_archive(mk_reader *r)
{
	if (r->a)
		archive_read_free(r->a);
	r->a = NULL;
}

void mk_reader_free(mk_reader *r)
{
	if (!r)
		return;
	close_archive(r);
	free(r->buf);
	free(r);
}

void mk_reader_describe(const mk_reader *r, const mk_data *d, char *buf, size_t cap)
{
	const mk_dsrc *s = mk_tree_dsrc(r->t, d);
	if (s && (s->kind == MK_DSRC_INLINE || s->kind == MK_DSRC_GENERATED)) {
		char img[1024];
		mk_node_image_path(d->node, img, sizeof(img));
		if (s->kind == MK_DSRC_INLINE)
			snprintf(buf, cap, "the inline content of %s", img);
		else
			snprintf(buf, cap, "%s %s", s->gen->what, img);
		return;
	}
	if (s && s->kind == MK_DSRC_OLD) {
		char img[1024];
		mk_node_image_path(d->node, img, sizeof(img));
		snprintf(buf, cap, "%s of the previous session (LBA %u)", img, d->lba);
		return;
	}
	/* Archive members carry "ARCHIVE:MEMBER" as their source (source_archive.c). */
	if (!mk_node_src_path(d->node, buf, cap))
		snprintf(buf, cap, "%s", d->node->name);
}

/* Receives each piece of content read. */
typedef dm_status (*chunk_fn)(void *user, const uint8_t *p, size_t len, dm_ctx *ctx);

static dm_status changed(const char *what, uint64_t want, uint64_t got, int more, dm_ctx *ctx)
{
	if (more)
		return dm_fail(ctx, DM_ERR_CHANGED, "%s grew while it was read (%llu bytes expected)", what,
			       (unsigned long long)want);
	return dm_fail(ctx, DM_ERR_CHANGED, "%s shrank to %llu bytes while it was read (%llu expected)", what,
		       (unsigned long long)got, (unsigned long long)want);
}

/* Open a source file for its content and check it is still what the plan was made from:
 * a regular file of the planned size. O_NONBLOCK because a source replaced by a FIFO since
 * the scan would otherwise hold open() until some process writes to it: mkimage would hang
 * half-way through the image. */
static dm_status open_source(const char *path, uint64_t size, int *out, dm_ctx *ctx)
{
	*out = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", path);
	struct stat st;
	dm_status r = DM_OK;
	int fl;
	if (fstat(fd, &st) < 0)
		r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot stat %s", path);
	else if (!S_ISREG(st.st_mode))
		r = dm_fail(ctx, DM_ERR_CHANGED, "%s is no longer a regular file: it was replaced while the image was made",
			    path);
	else if ((uint64_t)st.st_size != size)
		r = dm_fail(ctx, DM_ERR_CHANGED, "%s changed size from %llu to %llu bytes while the image was made",
			    path, (unsigned long long)size, (unsigned long long)st.st_size);
	else if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		r = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot read %s", path);
	if (r) {
		close(fd);
		return r;
	}
	*out = fd;
	return DM_OK;
}

static dm_status read_path(mk_reader *r, const mk_data *d, const char *path, chunk_fn fn, void *user,
			   dm_ctx *ctx)
{
	int fd;
	dm_status st_r = open_source(path, d->size, &fd, ctx);
	if (st_r)
		return st_r;
	uint64_t done = 0;
	for (;;) {
		/* One byte more than expected tells whether the file grew. */
		uint64_t ask = d->size + 1 - done;
		ssize_t n = read(fd, r->buf, ask < CHUNK ? (size_t)ask : CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st_r = dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", path);
			break;
		}
		if (n == 0 || done + (uint64_t)n > d->size) {
			if (n != 0 || done != d->size)
				st_r = changed(path, d->size, done, n != 0, ctx);
			break;
		}
		if ((st_r = fn(user, r->buf, (size_t)n, ctx)))
			break;
		done += (uint64_t)n;
	}
	close(fd);
	return st_r;
}

static dm_status archive_error(mk_reader *r, const char *path, const char *what, dm_ctx *ctx)
{
	const char *msg = r->a ? archive_error_string(r->a) : NULL;
	return dm_fail(ctx, DM_ERR_IO, "%s %s: %s", what, path, msg ? msg : "unknown error");
}

/* Move the open archive to the header of member, reopening when it is behind us. */
static dm_status seek_member(mk_reader *r, uint32_t archive, uint32_t member, dm_ctx *ctx)
{
	const char *path = mk_tree_archive_path(r->t, archive);
	if (r->a && (r->archive != archive || r->next > member))
		close_archive(r);
	if (!r->a) {
		dm_status st = mk_archive_open(&r->a, path, ctx);
		if (st)
			return st;
		r->archive = archive;
		r->next = 0;
	}
	for (;;) {
		struct archive_entry *e;
		int rc = archive_read_next_header(r->a, &e);
		if (rc == ARCHIVE_EOF)
			return dm_fail(ctx, DM_ERR_CHANGED, "archive %s has fewer members than when it was scanned",
				       path);
		if (rc < ARCHIVE_WARN) {
			dm_status st = archive_error(r, path, "reading archive", ctx);
			close_archive(r);
			return st;
		}
		if (r->next++ == member)
			return DM_OK;
	}
}

static dm_status read_member(mk_reader *r, const mk_data *d, const mk_dsrc *s, chunk_fn fn, void *user,
			     dm_ctx *ctx)
{
	char what[1024];
	mk_reader_describe(r, d, what, sizeof(what));
	dm_status st = seek_member(r, s->archive, s->member, ctx);
	if (st)
		return st;
	uint64_t done = 0;
	for (;;) {
		la_ssize_t n = archive_read_data(r->a, r->buf, CHUNK);
		if (n < 0) {
			st = archive_error(r, what, "reading", ctx);
			close_archive(r);
			return st;
		}
		if (n == 0)
			break;
		if (done + (uint64_t)n > d->size)
			return changed(what, d->size, done, 1, ctx);
		if ((st = fn(user, r->buf, (size_t)n, ctx)))
			return st;
		done += (uint64_t)n;
	}
	if (done != d->size)
		return changed(what, d->size, done, 0, ctx);
	return DM_OK;
}

/* Content made from the plan: zeros that the generator fills. */
static dm_status generate(const mk_data *d, const mk_dsrc *s, chunk_fn fn, void *user, dm_ctx *ctx)
{
	uint8_t *buf = calloc(1, d->size ? (size_t)d->size : 1);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory making %s", s->gen->what);
	dm_status st = s->gen->fill(s->gen->user, d, buf, ctx);
	if (!st && d->size)
		st = fn(user, buf, (size_t)d->size, ctx);
	free(buf);
	return st;
}

static dm_status read_content(mk_reader *r, const mk_data *d, chunk_fn fn, void *user, dm_ctx *ctx)
{
	const mk_dsrc *s = mk_tree_dsrc(r->t, d);
	if (s && s->kind == MK_DSRC_GENERATED)
		return generate(d, s, fn, user, ctx);
	if (s && s->kind == MK_DSRC_INLINE)
		return d->size ? fn(user, s->bytes, (size_t)d->size, ctx) : DM_OK;
	if (s && s->kind == MK_DSRC_MEMBER)
		return read_member(r, d, s, fn, user, ctx);
	if (s && s->kind == MK_DSRC_OLD) {
		/* Already on the disc: the planners point at it; nothing may write it again. */
		char what[1024];
		mk_reader_describe(r, d, what, sizeof(what));
		return dm_fail(ctx, DM_ERR_INVALID, "internal error: %s is already on the disc and is "
			       "not read", what);
	}
	char path[8192];
	if (!mk_node_src_path(d->node, path, sizeof(path)))
		return dm_fail(ctx, DM_ERR_INVALID, "source path of %s is too long", d->node->name);
	return read_path(r, d, path, fn, user, ctx);
}

typedef struct emit_state {
	mk_sink *sink;
	dm_sha256 sha;
	int hash;
} emit_state;

static dm_status to_sink(void *user, const uint8_t *p, size_t len, dm_ctx *ctx)
{
	emit_state *e = user;
	if (e->hash)
		dm_sha256_update(&e->sha, p, len);
	return e->sink ? mk_sink_write(e->sink, p, len, ctx) : DM_OK;
}

static dm_status check_sum(mk_reader *r, const mk_data *d, const mk_dsrc *s, dm_sha256 *sha, dm_ctx *ctx)
{
	uint8_t got[DM_SHA256_LEN];
	dm_sha256_final(sha, got);
	if (!memcmp(got, s->sha256, DM_SHA256_LEN))
		return DM_OK;
	char what[1024], want_hex[65], got_hex[65], img[1024];
	mk_reader_describe(r, d, what, sizeof(what));
	mk_node_image_path(d->node, img, sizeof(img));
	dm_sha256_hex(s->sha256, want_hex);
	dm_sha256_hex(got, got_hex);
	return dm_fail(ctx, DM_ERR_CHANGED,
		       "%s (for %s) has SHA-256 %s, the manifest says %s: the source changed since the "
		       "manifest was written",
		       what, img, got_hex, want_hex);
}

/* A source's content, read whole and checked, then edited by its generator (a boot info
 * table): the copy in the image differs from the source. */
static dm_status emit_edited(mk_reader *r, const mk_data *d, const mk_dsrc *s, mk_sink *sink, dm_ctx *ctx)
{
	uint8_t *buf = malloc(d->size ? (size_t)d->size : 1);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory reading %s", d->node->name);
	dm_status st = mk_reader_read_all(r, d, buf, ctx);
	if (!st)
		st = s->gen->fill(s->gen->user, d, buf, ctx);
	if (!st)
		st = mk_sink_write(sink, buf, (size_t)d->size, ctx);
	free(buf);
	return st;
}

dm_status mk_reader_emit(mk_reader *r, const mk_data *d, mk_sink *sink, dm_ctx *ctx)
{
	const mk_dsrc *s = mk_tree_dsrc(r->t, d);
	if (s && s->gen && s->kind != MK_DSRC_GENERATED)
		return emit_edited(r, d, s, sink, ctx);
	if (!s || (s->kind == MK_DSRC_PATH && !s->sha256)) {
		/* The common case: the sink copies the file, in the kernel where it can. */
		char path[8192];
		if (!mk_node_src_path(d->node, path, sizeof(path)))
			return dm_fail(ctx, DM_ERR_INVALID, "source path of %s is too long", d->node->name);
		int fd;
		dm_status st_r = open_source(path, d->size, &fd, ctx);
		if (st_r)
			return st_r;
		uint64_t copied = 0;
		int more = 0;
		/* Large files are read ahead further (as cat does); a syscall per small file
		 * would cost more than it gives. */
		if (d->size >= FADVISE_MIN)
			(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		if (!(st_r = mk_sink_copy_fd(sink, fd, d->size, &copied, &more, path, ctx)) &&
		    (copied != d->size || more))
			st_r = changed(path, d->size, copied, more, ctx);
		close(fd);
		return st_r;
	}
	emit_state e = {.sink = sink, .hash = s->sha256 != NULL};
	if (e.hash)
		dm_sha256_init(&e.sha);
	dm_status st = read_content(r, d, to_sink, &e, ctx);
	if (!st && e.hash)
		st = check_sum(r, d, s, &e.sha, ctx);
	return st;
}

dm_status mk_reader_sha256(mk_reader *r, const mk_data *d, uint8_t out[DM_SHA256_LEN], dm_ctx *ctx)
{
	emit_state e = {.hash = 1};
	dm_sha256_init(&e.sha);
	dm_status st = read_content(r, d, to_sink, &e, ctx);
	if (!st)
		dm_sha256_final(&e.sha, out);
	return st;
}

dm_status mk_reader_check_all(mk_reader *r, mk_data *const *arr, uint32_t n, dm_ctx *ctx)
{
	for (uint32_t i = 0; i < n; i++) {
		const mk_dsrc *s = mk_tree_dsrc(r->t, arr[i]);
		if (!s || !s->sha256)
			continue;
		emit_state e = {.hash = 1};
		dm_sha256_init(&e.sha);
		dm_status st = read_content(r, arr[i], to_sink, &e, ctx);
		if (!st)
			st = check_sum(r, arr[i], s, &e.sha, ctx);
		if (st)
			return st;
	}
	close_archive(r);
	return DM_OK;
}

typedef struct copy_state {
	uint8_t *out;
	size_t at;
} copy_state;

static dm_status to_buffer(void *user, const uint8_t *p, size_t len, dm_ctx *ctx)
{
	copy_state *c = user;
	(void)ctx;
	memcpy(c->out + c->at, p, len);
	c->at += len;
	return DM_OK;
}

dm_status mk_reader_read_all(mk_reader *r, const mk_data *d, uint8_t *out, dm_ctx *ctx)
{
	const mk_dsrc *s = mk_tree_dsrc(r->t, d);
	copy_state c = {out, 0};
	dm_status st = read_content(r, d, to_buffer, &c, ctx);
	if (!st && s && s->sha256) {
		dm_sha256 sha;
		dm_sha256_init(&sha);
		dm_sha256_update(&sha, out, (size_t)d->size);
		st = check_sum(r, d, s, &sha, ctx);
	}
	return st;
}
