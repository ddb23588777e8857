/* The iSCSI transport, through libiscsi's synchronous API: iscsi://HOST[:PORT]/IQN/LUN
 * (libiscsi's URL syntax, so iscsi://USER%PASSWORD@HOST/... works too). Used for
 * network-attached drives and for the end-to-end tests against tgt. */
#include "common/drive/scsi_transport.h"

#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct iscsi_dev {
	scsi_transport base;
	struct iscsi_context *iscsi;
	int lun;
	unsigned timeout_s;
	char desc[600];
} iscsi_dev;

static dm_status is_execute(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir,
			    uint8_t *buf, size_t len, unsigned timeout_ms, scsi_result *res,
			    dm_ctx *ctx)
{
	iscsi_dev *d = t->impl;
	memset(res, 0, sizeof(*res));
	if (len > (size_t)INT32_MAX)
		return dm_fail(ctx, DM_ERR_INTERNAL, "transfer of %zu bytes is too large", len);
	unsigned secs = (timeout_ms + 999) / 1000;
	if (secs != d->timeout_s) {
		iscsi_set_timeout(d->iscsi, (int)secs);
		d->timeout_s = secs;
	}
	int xfer = dir == SCSI_DIR_IN ? SCSI_XFER_READ : dir == SCSI_DIR_OUT ? SCSI_XFER_WRITE
									    : SCSI_XFER_NONE;
	if (!len)
		xfer = SCSI_XFER_NONE;
	struct scsi_task *task = scsi_create_task((int)cdb_len, (unsigned char *)cdb, xfer, (int)len);
	if (!task)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	struct iscsi_data data = { 0 };
	struct iscsi_data *dp = NULL;
	if (xfer == SCSI_XFER_WRITE) {
		data.size = len;
		data.data = buf;
		dp = &data;
	} else if (xfer == SCSI_XFER_READ) {
		/* Read straight into the caller's buffer, no copy. */
		if (scsi_task_add_data_in_buffer(task, (int)len, buf) != 0) {
			scsi_free_scsi_task(task);
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		}
	}
	if (!iscsi_scsi_command_sync(d->iscsi, d->lun, task, dp)) {
		scsi_free_scsi_task(task);
		return dm_fail(ctx, DM_ERR_IO, "%s: %s", d->desc, iscsi_get_error(d->iscsi));
	}
	switch (task->status) {
	case SCSI_STATUS_GOOD:
		res->status = SCSI_ST_GOOD;
		break;
	case SCSI_STATUS_CHECK_CONDITION:
		res->status = SCSI_ST_CHECK_CONDITION;
		/* libiscsi hands over the decoded key and ASC/ASCQ only: rebuild fixed sense. */
		res->sense_len = scsi_sense_build_fixed(res->sense, (uint8_t)task->sense.key,
							(uint8_t)(task->sense.ascq >> 8),
							(uint8_t)(task->sense.ascq & 0xff));
		break;
	case SCSI_STATUS_BUSY:
		res->status = SCSI_ST_BUSY;
		break;
	case SCSI_STATUS_TIMEOUT:
	case SCSI_STATUS_CANCELLED:
	case SCSI_STATUS_ERROR: {
		int timed_out = task->status == SCSI_STATUS_TIMEOUT;
		scsi_free_scsi_task(task);
		return dm_fail(ctx, DM_ERR_IO, "%s: %s", d->desc,
			       timed_out ? "command timed out" : iscsi_get_error(d->iscsi));
	}
	default:
		res->status = task->status & 0xff;
		break;
	}
	if (xfer == SCSI_XFER_READ) {
		if (task->residual_status == SCSI_RESIDUAL_UNDERFLOW && task->residual <= len)
			res->resid = task->residual;
	}
	scsi_free_scsi_task(task);
	return DM_OK;
}

static void is_close(scsi_transport *t)
{
	iscsi_dev *d = t->impl;
	if (d->iscsi) {
		iscsi_logout_sync(d->iscsi);
		iscsi_destroy_context(d->iscsi);
	}
	free(d);
}

static const char *is_describe(scsi_transport *t)
{
	return ((iscsi_dev *)t->impl)->desc;
}

static const scsi_transport_ops iscsi_ops = { is_execute, is_close, is_describe, NULL };

dm_status scsi_iscsi_open(const char *url, scsi_transport **out, dm_ctx *ctx)
{
	*out = NULL;
	iscsi_dev *d = calloc(1, sizeof(*d));
	if (!d)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	d->base.impl = d;
	d->iscsi = iscsi_create_context("iqn.2026-01.org.discmaster:writeimg");
	if (!d->iscsi) {
		free(d);
		return dm_fail(ctx, DM_ERR_NOMEM, "cannot create an iSCSI context");
	}
	struct iscsi_url *u = iscsi_parse_full_url(d->iscsi, url);
	if (!u) {
		dm_fail(ctx, DM_ERR_INVALID, "%s: %s (expected iscsi://HOST[:PORT]/IQN/LUN)", url,
			iscsi_get_error(d->iscsi));
		is_close(&d->base);
		return DM_ERR_INVALID;
	}
	snprintf(d->desc, sizeof(d->desc), "iSCSI %s %s LUN %d", u->portal, u->target, u->lun);
	d->lun = u->lun;
	iscsi_set_targetname(d->iscsi, u->target);
	iscsi_set_session_type(d->iscsi, ISCSI_SESSION_NORMAL);
	iscsi_set_header_digest(d->iscsi, ISCSI_HEADER_DIGEST_NONE_CRC32C);
	if (u->user[0])
		iscsi_set_initiator_username_pwd(d->iscsi, u->user, u->passwd);
	/* Bound the login too: an unreachable portal must not hang the program. */
	iscsi_set_timeout(d->iscsi, 15);
	d->timeout_s = 15;
	int rc = iscsi_full_connect_sync(d->iscsi, u->portal, u->lun);
	iscsi_destroy_url(u);
	if (rc != 0) {
		dm_fail(ctx, DM_ERR_IO, "cannot connect to %s: %s", d->desc, iscsi_get_error(d->iscsi));
		iscsi_destroy_context(d->iscsi);
		free(d);
		return DM_ERR_IO;
	}
	d->base.ops = &iscsi_ops;
	d->base.impl = d;
	*out = &d->base;
	return DM_OK;
}
