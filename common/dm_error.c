#include "config.h"

#include "common/dm_error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dm_ctx_init(dm_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

static dm_status vfail(dm_ctx *ctx, dm_status status, int errnum, const char *fmt, va_list ap)
{
	char *dst = ctx->msg;
	size_t cap = sizeof(ctx->msg);
	if (ctx->defer) {
		if (ctx->n_more >= DM_MORE_MAX && status != DM_ERR_INTERNAL) {
			ctx->more_lost++;
			return status;
		}
		if (ctx->n_more >= DM_MORE_MAX) /* an assertion's message has a place */
			ctx->n_more--;
		dst = ctx->more[ctx->n_more++];
		cap = DM_MORE_LEN;
	} else {
		ctx->status = status;
	}
	int n = vsnprintf(dst, cap, fmt, ap);
	if (errnum && n >= 0 && (size_t)n < cap)
		snprintf(dst + n, cap - (size_t)n, ": %s", strerror(errnum));
#ifndef NDEBUG
	/* The assertion of DM_ERR_INTERNAL (dm_error.h): the one place library code writes. */
	if (status == DM_ERR_INTERNAL) {
		fprintf(stderr, "assertion failed: DM_ERR_INTERNAL: %s\n", dst);
		abort();
	}
#endif
	return status;
}

void dm_defer(dm_ctx *ctx)
{
	if (ctx->defer < sizeof(ctx->mark) / sizeof(ctx->mark[0]))
		ctx->mark[ctx->defer] = ctx->n_more;
	ctx->defer++;
}

void dm_undefer(dm_ctx *ctx)
{
	if (ctx->defer)
		ctx->defer--;
}

const char *dm_last_msg(const dm_ctx *ctx)
{
	return ctx->defer && ctx->n_more ? ctx->more[ctx->n_more - 1] : ctx->msg;
}

void dm_drop_last(dm_ctx *ctx)
{
	if (ctx->n_more)
		ctx->n_more--;
}

dm_status dm_tolerate(dm_ctx *ctx, dm_status st, char *why, size_t len)
{
	if (why && len)
		why[0] = '\0';
	/* Only what this stretch added is taken back: older deferred messages stay. */
	unsigned base = ctx->defer && ctx->defer <= sizeof(ctx->mark) / sizeof(ctx->mark[0])
		? ctx->mark[ctx->defer - 1] : 0;
	if (st != DM_OK && ctx->n_more > base) {
		if (why && len)
			snprintf(why, len, "%s", ctx->more[ctx->n_more - 1]);
		ctx->n_more = base;
	} else if (st != DM_OK && why && len) {
		snprintf(why, len, "(no message: %u more failures did not fit)", ctx->more_lost);
	}
	dm_undefer(ctx);
	return st;
}

void dm_clear(dm_ctx *ctx)
{
	ctx->status = DM_OK;
	ctx->msg[0] = '\0';
	ctx->n_more = 0;
	ctx->more_lost = 0;
}

dm_status dm_fail(dm_ctx *ctx, dm_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ctx, status, 0, fmt, ap);
	va_end(ap);
	return status;
}

dm_status dm_fail_errno(dm_ctx *ctx, dm_status status, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(ctx, status, errnum, fmt, ap);
	va_end(ap);
	return status;
}

dm_status dm_fail_prefix(dm_ctx *ctx, const char *fmt, ...)
{
	char old[DM_MSG_MAX];
	char *dst = ctx->msg;
	size_t cap = sizeof(ctx->msg);
	if (ctx->defer) {
		if (!ctx->n_more)
			return ctx->status;
		dst = ctx->more[ctx->n_more - 1];
		cap = DM_MORE_LEN;
	}
	snprintf(old, sizeof(old), "%s", dst);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < cap)
		snprintf(dst + n, cap - (size_t)n, "%s", old);
	return ctx->status;
}

static void vmessage(dm_ctx *ctx, dm_level level, const char *fmt, va_list ap)
{
	char text[DM_MSG_MAX];
	vsnprintf(text, sizeof(text), fmt, ap);
	if (ctx->on_message)
		ctx->on_message(ctx->user, level, text);
}

void dm_warn(dm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	ctx->warnings++;
	va_start(ap, fmt);
	vmessage(ctx, DM_LEVEL_WARNING, fmt, ap);
	va_end(ap);
}

void dm_note(dm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(ctx, DM_LEVEL_INFO, fmt, ap);
	va_end(ap);
}

void dm_report(dm_ctx *ctx, const dm_progress *progress)
{
	if (ctx->on_progress)
		ctx->on_progress(ctx->user, progress);
}

int dm_cancelled(const dm_ctx *ctx)
{
	return ctx->cancel && *ctx->cancel;
}

const char *dm_status_name(dm_status status)
{
	switch (status) {
	case DM_OK: return "ok";
	case DM_ERR_INVALID: return "invalid input";
	case DM_ERR_IO: return "I/O error";
	case DM_ERR_NOMEM: return "out of memory";
	case DM_ERR_NOSPACE: return "no space";
	case DM_ERR_UNSUPPORTED: return "unsupported";
	case DM_ERR_CHANGED: return "source changed";
	case DM_ERR_SCSI: return "SCSI command failed";
	case DM_ERR_MEDIA: return "unsuitable medium";
	case DM_ERR_INTERRUPTED: return "interrupted";
	case DM_ERR_INTERNAL: return "internal error";
	}
	return "unknown";
}
