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
	ctx->status = status;
	int n = vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(ctx->msg))
		snprintf(ctx->msg + n, sizeof(ctx->msg) - (size_t)n, ": %s", strerror(errnum));
#ifndef NDEBUG
	/* The assertion of DM_ERR_INTERNAL (dm_error.h): the one place library code writes. */
	if (status == DM_ERR_INTERNAL) {
		fprintf(stderr, "assertion failed: DM_ERR_INTERNAL: %s\n", ctx->msg);
		abort();
	}
#endif
	return status;
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
	memcpy(old, ctx->msg, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(ctx->msg))
		snprintf(ctx->msg + n, sizeof(ctx->msg) - (size_t)n, "%s", old);
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
