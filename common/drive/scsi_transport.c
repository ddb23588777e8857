#include "common/drive/scsi_transport.h"

#include <errno.h>
#include <string.h>
#include <time.h>

static const scsi_transport_kind sg_kind = { NULL, scsi_sg_open };
static const scsi_transport_kind iscsi_kind = { "iscsi://", scsi_iscsi_open };

/* The kinds scsi_open() chooses among; the program's registrations follow the built-in ones.
 * (Process-wide: registering is part of a program's start, before any drive is opened.) */
static const scsi_transport_kind *kinds[SCSI_KINDS_MAX] = { &iscsi_kind, &sg_kind };
static unsigned nkinds = 2;

static int same_prefix(const scsi_transport_kind *a, const scsi_transport_kind *b)
{
	if (!a->prefix || !b->prefix)
		return !a->prefix && !b->prefix;
	return strcmp(a->prefix, b->prefix) == 0;
}

dm_status scsi_register(const scsi_transport_kind *kind, dm_ctx *ctx)
{
	for (unsigned i = 0; i < nkinds; i++) {
		if (kinds[i] == kind)
			return DM_OK;
		if (same_prefix(kinds[i], kind))
			return dm_fail(ctx, DM_ERR_INVALID, "two SCSI transports take drives named %s...",
				       kind->prefix ? kind->prefix : "(any other)");
	}
	if (nkinds == SCSI_KINDS_MAX)
		return dm_fail(ctx, DM_ERR_INVALID, "more than %u SCSI transports registered",
			       SCSI_KINDS_MAX);
	kinds[nkinds++] = kind;
	return DM_OK;
}

/* The kind that takes drive: the one whose prefix it starts with, else the fallback. */
static const scsi_transport_kind *kind_of(const char *drive)
{
	const scsi_transport_kind *fallback = NULL;
	for (unsigned i = 0; i < nkinds; i++) {
		const char *p = kinds[i]->prefix;
		if (!p)
			fallback = kinds[i];
		else if (strncmp(drive, p, strlen(p)) == 0)
			return kinds[i];
	}
	return fallback;
}

dm_status scsi_open(const char *drive, scsi_transport **out, dm_ctx *ctx)
{
	*out = NULL;
	if (!drive || !*drive)
		return dm_fail(ctx, DM_ERR_INVALID, "no drive given");
	const scsi_transport_kind *k = kind_of(drive);
	dm_status st = k->open(drive, out, ctx);
	if (st == DM_OK) {
		(*out)->ready_wait_ms = 60000;
		(*out)->ua_retries = 3;
	}
	return st;
}

void scsi_close(scsi_transport *t)
{
	if (t)
		t->ops->close(t);
}

const char *scsi_describe(scsi_transport *t)
{
	return t->ops->describe(t);
}

unsigned scsi_backoff_ms(unsigned attempt)
{
	unsigned ms = 50;
	for (unsigned i = 0; i < attempt && ms < 1000; i++)
		ms *= 2;
	return ms > 1000 ? 1000 : ms;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

dm_status scsi_run(scsi_transport *t, scsi_cmd *cmd, dm_ctx *ctx)
{
	unsigned waited = 0, ua = 0, attempt = 0;
	unsigned timeout = cmd->timeout_ms ? cmd->timeout_ms : SCSI_TIMEOUT_DEFAULT_MS;
	const char *name = cmd->name ? cmd->name : "SCSI command";

	cmd->retries = 0;
	for (;;) {
		memset(&cmd->result, 0, sizeof(cmd->result));
		memset(&cmd->sense, 0, sizeof(cmd->sense));
		cmd->transferred = 0;
		dm_status st = t->ops->execute(t, cmd->cdb, cmd->cdb_len, cmd->dir, cmd->buf,
					       cmd->len, timeout, &cmd->result, ctx);
		if (st != DM_OK)
			return dm_fail_prefix(ctx, "%s: ", name);
		cmd->transferred = cmd->result.resid < cmd->len ? cmd->len - cmd->result.resid : 0;
		if (cmd->result.status == SCSI_ST_GOOD)
			return DM_OK;
		if (cmd->result.status == SCSI_ST_BUSY) {
			if (waited >= t->ready_wait_ms)
				return dm_fail(ctx, DM_ERR_SCSI, "%s: the drive stayed busy for %u s",
					       name, waited / 1000);
		} else if (cmd->result.status != SCSI_ST_CHECK_CONDITION) {
			return dm_fail(ctx, DM_ERR_SCSI, "%s: unexpected SCSI status 0x%02x", name,
				       cmd->result.status);
		} else {
			scsi_sense_decode(cmd->result.sense, cmd->result.sense_len, &cmd->sense);
			scsi_sense_class c = scsi_sense_classify(&cmd->sense);
			int retry = 0;
			if (c == SCSI_CLASS_UNIT_ATTENTION && ua < t->ua_retries) {
				ua++;
				retry = 1;
				attempt = 0; /* a UA is answered at once: no wait */
			} else if ((c == SCSI_CLASS_BECOMING_READY || c == SCSI_CLASS_IN_PROGRESS) &&
				   waited < t->ready_wait_ms) {
				retry = 2;
			}
			if (!retry) {
				char msg[256];
				scsi_sense_message(&cmd->sense, msg, sizeof(msg));
				if (c == SCSI_CLASS_BECOMING_READY || c == SCSI_CLASS_IN_PROGRESS)
					return dm_fail(ctx, DM_ERR_SCSI, "%s: %s, still after %u s", name,
						       msg, waited / 1000);
				return dm_fail(ctx, DM_ERR_SCSI, "%s: %s", name, msg);
			}
			if (retry == 1) {
				cmd->retries++;
				continue;
			}
		}
		if (dm_cancelled(ctx))
			return dm_fail(ctx, DM_ERR_INTERRUPTED, "%s: interrupted while the drive was busy",
				       name);
		unsigned ms = scsi_backoff_ms(attempt++);
		sleep_ms(ms);
		waited += ms;
		cmd->retries++;
	}
}
