/* Errors, warnings and progress: the one channel through which library code talks.
 *
 * Library functions return a dm_status by value and leave a human-readable message (naming
 * the path, LBA or command involved) in the dm_ctx they were given. They never print and
 * never exit: only a program's main.c decides what reaches the user, through the callbacks
 * it installs in the context. */
#ifndef DM_ERROR_H
#define DM_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef enum dm_status {
	DM_OK = 0,
	DM_ERR_INVALID,     /* bad argument, option or input data */
	DM_ERR_IO,          /* read/write/open failure of a file or device */
	DM_ERR_NOMEM,       /* allocation failure */
	DM_ERR_NOSPACE,     /* output device or medium full, image too large */
	DM_ERR_UNSUPPORTED, /* valid request this build or format cannot express */
	DM_ERR_CHANGED,     /* a source changed while it was read */
	DM_ERR_SCSI,        /* a SCSI command failed (sense in the message) */
	DM_ERR_MEDIA,       /* the medium is unsuitable (state, profile, capacity) */
	DM_ERR_INTERRUPTED, /* stopped by a signal or by the caller */
	DM_ERR_INTERNAL     /* a broken invariant (a bug), never bad input: see dm_fail */
} dm_status;

typedef enum dm_level { DM_LEVEL_INFO, DM_LEVEL_WARNING } dm_level;

/* What an operation reports while it runs. Fields that do not apply are 0 / NULL / -1. */
typedef struct dm_progress {
	const char *action;   /* "adding", "writing", "verifying", ... */
	const char *item;     /* file being processed, or NULL */
	uint64_t done;        /* units done so far */
	uint64_t total;       /* units in all (0: unknown) */
	const char *unit;     /* "sectors", "bytes" */
	int64_t lba;          /* current LBA, or -1 */
	int buffer_percent;   /* drive buffer fill, or -1 */
} dm_progress;

typedef void (*dm_message_fn)(void *user, dm_level level, const char *text);
typedef void (*dm_progress_fn)(void *user, const dm_progress *progress);

#define DM_MSG_MAX 1024
/* Messages kept besides the first failure: failures of follow-up steps (closing the
 * track after a write error, reading the disc state) recorded while the ctx defers. */
#define DM_MORE_MAX 4
#define DM_MORE_LEN 320

typedef struct dm_ctx {
	dm_status status;         /* status of the last failure recorded */
	char msg[DM_MSG_MAX];     /* message of the last failure recorded */
	unsigned defer;           /* > 0: failures go to more[], msg and status stay */
	unsigned n_more;          /* entries of more[] in use (oldest first) */
	unsigned more_lost;       /* deferred failures that did not fit */
	char more[DM_MORE_MAX][DM_MORE_LEN];
	unsigned mark[8];         /* n_more when each dm_defer() began (nesting) */
	dm_message_fn on_message; /* warnings and notes; NULL: dropped */
	dm_progress_fn on_progress;
	void *user;
	unsigned warnings;        /* number of warnings reported */
	volatile int *cancel;     /* when non-NULL and *cancel != 0, long operations stop */
} dm_ctx;

void dm_ctx_init(dm_ctx *ctx);

#if defined(__GNUC__)
#define DM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DM_PRINTF(a, b)
#endif

/* Record a failure and return its status, so callers can write `return dm_fail(...)`.
 * DM_ERR_INTERNAL is an assertion: in a build with assertions (the default; configure
 * --disable-assert defines NDEBUG) the message goes to standard error and the program
 * aborts, for a core dump at the place the invariant broke; without them it is an error
 * like any other. */
dm_status dm_fail(dm_ctx *ctx, dm_status status, const char *fmt, ...) DM_PRINTF(3, 4);
/* Same, with ": strerror(errnum)" appended. */
dm_status dm_fail_errno(dm_ctx *ctx, dm_status status, int errnum, const char *fmt, ...)
	DM_PRINTF(4, 5);
/* Prefix the recorded message with more context ("writing out.iso: " + old message). */
dm_status dm_fail_prefix(dm_ctx *ctx, const char *fmt, ...) DM_PRINTF(2, 3);

/* Deferring: between dm_defer() and dm_undefer(), a failure does not replace the first
 * one; its message is kept in more[] (up to DM_MORE_MAX), so that a clean-up after a
 * failure can report its own trouble without losing the cause. Nestable. */
void dm_defer(dm_ctx *ctx);
void dm_undefer(dm_ctx *ctx);
/* The newest message: the last deferred one when there is one, else msg. */
const char *dm_last_msg(const dm_ctx *ctx);
/* Forget the newest deferred message (a caller that reported or tolerated it). */
void dm_drop_last(dm_ctx *ctx);
/* End a deferred stretch around one call that may fail without failing the caller:
 *     dm_defer(ctx); st = dm_tolerate(ctx, some_call(..., ctx), why, sizeof(why));
 * moves the call's message (if it failed) into why (may be NULL), drops it, undefers,
 * and returns the call's status. */
dm_status dm_tolerate(dm_ctx *ctx, dm_status st, char *why, size_t len);
/* Forget every message and the status (keeps callbacks, cancel and defer depth). */
void dm_clear(dm_ctx *ctx);

void dm_warn(dm_ctx *ctx, const char *fmt, ...) DM_PRINTF(2, 3);
void dm_note(dm_ctx *ctx, const char *fmt, ...) DM_PRINTF(2, 3);
void dm_report(dm_ctx *ctx, const dm_progress *progress);
/* True when the caller asked long operations to stop. */
int dm_cancelled(const dm_ctx *ctx);

const char *dm_status_name(dm_status status);

#endif
