/* The SG_IO transport, through libsgutils2's pass-through layer (sg_pt.h), for /dev/sr*
 * and /dev/sg* on Linux. The device is opened O_EXCL | O_NONBLOCK: exclusive, so another
 * burner or the desktop's automounter cannot send commands in the middle of a write,
 * and non-blocking, so opening an empty tray does not fail (the kernel's sr driver would
 * answer ENOMEDIUM). */
#include "common/drive/scsi_transport.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg_lib.h>
#include <scsi/sg.h>
#include <scsi/sg_pt.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct sg_dev {
	scsi_transport base;
	int fd;
	struct sg_pt_base *pt;
	char desc[300];
	char block[300];   /* the drive's block device (/dev/sr0), "" when there is none */
} sg_dev;

static dm_status sg_execute(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir,
			    uint8_t *buf, size_t len, unsigned timeout_ms, scsi_result *res,
			    dm_ctx *ctx)
{
	sg_dev *d = t->impl;
	memset(res, 0, sizeof(*res));
	if (len > (size_t)INT32_MAX)
		return dm_fail(ctx, DM_ERR_INTERNAL, "transfer of %zu bytes is too large", len);
	clear_scsi_pt_obj(d->pt);
	set_scsi_pt_cdb(d->pt, cdb, (int)cdb_len);
	set_scsi_pt_sense(d->pt, res->sense, (int)sizeof(res->sense));
	if (dir == SCSI_DIR_IN && len)
		set_scsi_pt_data_in(d->pt, buf, (int)len);
	else if (dir == SCSI_DIR_OUT && len)
		set_scsi_pt_data_out(d->pt, buf, (int)len);
	/* sg_pt takes whole seconds; round up so a timeout is never 0 (= driver default). */
	int secs = (int)((timeout_ms + 999) / 1000);
	int rc = do_scsi_pt(d->pt, d->fd, secs > 0 ? secs : 1, 0);
	if (rc < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, -rc, "SG_IO on %s failed", d->desc);
	if (rc == SCSI_PT_DO_TIMEOUT)
		return dm_fail(ctx, DM_ERR_IO, "%s did not answer within %d s", d->desc, secs);
	if (rc == SCSI_PT_DO_BAD_PARAMS)
		return dm_fail(ctx, DM_ERR_INTERNAL, "SG_IO on %s: bad parameters", d->desc);
	char msg[256];
	switch (get_scsi_pt_result_category(d->pt)) {
	case SCSI_PT_RESULT_GOOD:
	case SCSI_PT_RESULT_STATUS:
	case SCSI_PT_RESULT_SENSE:
		res->status = get_scsi_pt_status_response(d->pt);
		res->sense_len = (size_t)get_scsi_pt_sense_len(d->pt);
		if (res->sense_len > sizeof(res->sense))
			res->sense_len = sizeof(res->sense);
		int resid = get_scsi_pt_resid(d->pt);
		res->resid = resid > 0 ? (size_t)resid : 0;
		return DM_OK;
	case SCSI_PT_RESULT_TRANSPORT_ERR:
		get_scsi_pt_transport_err_str(d->pt, (int)sizeof(msg), msg);
		return dm_fail(ctx, DM_ERR_IO, "%s: transport error: %s", d->desc, msg);
	case SCSI_PT_RESULT_OS_ERR:
	default:
		get_scsi_pt_os_err_str(d->pt, (int)sizeof(msg), msg);
		return dm_fail(ctx, DM_ERR_IO, "%s: %s", d->desc, msg);
	}
}

static void sg_close_dev(scsi_transport *t)
{
	sg_dev *d = t->impl;
	if (d->pt)
		destruct_scsi_pt_obj(d->pt);
	if (d->fd >= 0)
		scsi_pt_close_device(d->fd);
	free(d);
}

static const char *sg_describe(scsi_transport *t)
{
	return ((sg_dev *)t->impl)->desc;
}

/* Open and close the drive's block device: the sr driver checks the medium on every
 * open of it (TEST UNIT READY; GET EVENT STATUS first where the drive has it), and a
 * check that finds no medium marks the disc changed. A plain open: writeimg's own
 * exclusive open of the same device does not stand in its way. */
static void sg_media_changed(scsi_transport *t)
{
	sg_dev *d = t->impl;
	if (!d->block[0])
		return;
	int fd = open(d->block, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

static const scsi_transport_ops sg_ops = { sg_execute, sg_close_dev, sg_describe,
					   sg_media_changed };

/* The block device of the drive behind PATH: PATH itself when it is one (/dev/sr0);
 * for a SCSI generic node (/dev/sg0) the one sysfs lists beside it
 * (/sys/dev/char/21:0/device/block/sr0). */
static void find_block_device(int fd, const char *path, char *out, size_t len)
{
	struct stat st;
	out[0] = '\0';
	if (fstat(fd, &st) != 0)
		return;
	if (S_ISBLK(st.st_mode)) {
		snprintf(out, len, "%s", path);
		return;
	}
	if (!S_ISCHR(st.st_mode))
		return;
	char dir[96];
	snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/block", major(st.st_rdev),
		 minor(st.st_rdev));
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(out, len, "/dev/%.200s", e->d_name);
		break;
	}
	closedir(dp);
}

/* What to tell the user when the open fails. */
static const char *open_hint(int err)
{
	switch (err) {
	case ENOENT:
		return "no such device (writeimg --list shows the drives)";
	case EBUSY:
		return "the drive is in use by another program (a burner, or a mounted disc: "
		       "unmount it)";
	case EACCES:
	case EPERM:
		return "permission denied (join the group owning the device, often 'cdrom')";
	case ENXIO:
	case ENODEV:
		return "no drive behind this device node";
	default:
		return NULL;
	}
}

dm_status scsi_sg_open(const char *path, scsi_transport **out, dm_ctx *ctx)
{
	*out = NULL;
	sg_dev *d = calloc(1, sizeof(*d));
	if (!d)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	snprintf(d->desc, sizeof(d->desc), "%s", path);
	/* scsi_pt_open_flags returns a file descriptor or a negated errno. */
	d->fd = scsi_pt_open_flags(path, O_RDWR | O_EXCL | O_NONBLOCK, 0);
	if (d->fd < 0) {
		int err = -d->fd;
		const char *hint = open_hint(err);
		free(d);
		if (hint)
			return dm_fail(ctx, DM_ERR_IO, "cannot open %s: %s", path, hint);
		return dm_fail_errno(ctx, DM_ERR_IO, err, "cannot open %s", path);
	}
	/* sg and sr devices (and bsg) answer SG_GET_VERSION_NUM; anything else opened by
	 * mistake (a file, /dev/null, a disk partition) would only fail later. */
	int version;
	if (ioctl(d->fd, SG_GET_VERSION_NUM, &version) < 0) {
		scsi_pt_close_device(d->fd);
		free(d);
		return dm_fail(ctx, DM_ERR_IO, "%s is not a SCSI device (it does not take SG_IO): "
			       "give a drive such as /dev/sr0 (writeimg --list shows them)", path);
	}
	d->pt = construct_scsi_pt_obj();
	if (!d->pt) {
		scsi_pt_close_device(d->fd);
		free(d);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	}
	find_block_device(d->fd, path, d->block, sizeof(d->block));
	d->base.ops = &sg_ops;
	d->base.impl = d;
	*out = &d->base;
	return DM_OK;
}
