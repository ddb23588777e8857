#include "writeimg/wi_tray.h"

#include "common/drive/mmc_cmds.h"

dm_status wi_eject(scsi_transport *t, dm_ctx *ctx)
{
	/* A lock left by an earlier run would make the drive refuse (5/53/02). */
	dm_defer(ctx);
	if (mmc_prevent_allow(t, 0, ctx) != DM_OK)
		dm_drop_last(ctx);
	dm_undefer(ctx);
	dm_status st = mmc_start_stop_unit(t, 0, 1, 0, ctx);
	if (st != DM_OK)
		return dm_fail_prefix(ctx, "the tray did not open: ");
	if (t->ops->media_changed)
		t->ops->media_changed(t);
	return DM_OK;
}

dm_status wi_load(scsi_transport *t, int *present, dm_ctx *ctx)
{
	*present = 0;
	dm_status st = mmc_start_stop_unit(t, 0, 1, 1, ctx);
	if (st != DM_OK)
		return dm_fail_prefix(ctx, "the tray did not close: ");
	/* The drive spins the disc up and reads it: 2/04/01 until then (scsi_run waits). */
	return mmc_media_present(t, present, ctx);
}
