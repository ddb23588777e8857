#include "writeimg/wi_list.h"

#include <errno.h>
#include <libudev.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "writeimg/wi_json.h"

/* An optical drive: udev's cdrom_id marks it ID_CDROM=1; without udevd (containers)
 * the kernel's sr block devices and SCSI type 5 stand in. */
static int is_optical(struct udev_device *dev)
{
	const char *v = udev_device_get_property_value(dev, "ID_CDROM");
	if (v && strcmp(v, "1") == 0)
		return 1;
	const char *name = udev_device_get_sysname(dev);
	if (name && strncmp(name, "sr", 2) == 0)
		return 1;
	v = udev_device_get_sysattr_value(dev, "device/type");
	return v && strcmp(v, "5") == 0;
}

/* A udev property, else the sysfs attribute (no udevd: a container, an initramfs). The
 * kernel's INQUIRY strings are space-padded to their field (SPC-4 6.4.2): trimmed here. */
static const char *prop(struct udev_device *dev, const char *key, const char *attr, char *buf,
			size_t len)
{
	const char *v = udev_device_get_property_value(dev, key);
	if (!v || !*v)
		v = udev_device_get_sysattr_value(dev, attr);
	snprintf(buf, len, "%s", v ? v : "");
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	return buf;
}

/* The SCSI generic node of the same drive (/dev/sg0 beside /dev/sr0): the scsi_generic
 * device whose parent is the sr device's scsi_device. Found in sysfs, so it works with
 * or without udevd. */
static const char *generic_node(struct udev *u, struct udev_device *dev, char *buf, size_t len)
{
	buf[0] = '\0';
	struct udev_device *sdev =
		udev_device_get_parent_with_subsystem_devtype(dev, "scsi", "scsi_device");
	if (!sdev)
		return buf;
	struct udev_enumerate *e = udev_enumerate_new(u);
	if (!e)
		return buf;
	udev_enumerate_add_match_subsystem(e, "scsi_generic");
	udev_enumerate_add_match_parent(e, sdev);
	struct udev_list_entry *entry;
	if (udev_enumerate_scan_devices(e) >= 0) {
		udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
			struct udev_device *g =
				udev_device_new_from_syspath(u, udev_list_entry_get_name(entry));
			const char *node = g ? udev_device_get_devnode(g) : NULL;
			if (node && !buf[0])
				snprintf(buf, len, "%s", node);
			if (g)
				udev_device_unref(g);
		}
	}
	udev_enumerate_unref(e);
	return buf;
}

static void print_drive(FILE *out, int json, const char *event, struct udev_device *dev,
			int *first)
{
	char vendor[64], model[64], rev[32], sg[64];
	const char *node = udev_device_get_devnode(dev);
	prop(dev, "ID_VENDOR", "device/vendor", vendor, sizeof(vendor));
	prop(dev, "ID_MODEL", "device/model", model, sizeof(model));
	prop(dev, "ID_REVISION", "device/rev", rev, sizeof(rev));
	generic_node(udev_device_get_udev(dev), dev, sg, sizeof(sg));
	/* Only udevd's cdrom_id knows whether a disc is inserted (ID_CDROM_MEDIA); without
	 * udevd the answer is unknown, not "no". */
	const char *media = udev_device_get_property_value(dev, "ID_CDROM_MEDIA");
	int has_media = media && strcmp(media, "1") == 0;
	int known = media != NULL || udev_device_get_property_value(dev, "ID_CDROM") != NULL;
	if (json) {
		if (event)
			fputs("{\"event\":", out), wi_json_str(out, event), fputc(',', out);
		else
			fputs(*first ? "{" : ",{", out);
		fputs("\"path\":", out);
		wi_json_str(out, node);
		fputs(",\"generic_path\":", out);
		if (sg[0])
			wi_json_str(out, sg);
		else
			fputs("null", out);
		fputs(",\"vendor\":", out);
		wi_json_str(out, vendor);
		fputs(",\"product\":", out);
		wi_json_str(out, model);
		fputs(",\"revision\":", out);
		wi_json_str(out, rev);
		fprintf(out, ",\"media\":%s}%s", !known ? "null" : has_media ? "true" : "false",
			event ? "\n" : "");
	} else {
		fprintf(out, "%s%s%s%s%s  %s %s %s%s\n", event ? event : "", event ? " " : "",
			node ? node : "?", sg[0] ? " " : "", sg, vendor, model, rev,
			has_media ? "  (disc inserted)" : "");
	}
	*first = 0;
	fflush(out);
}

static dm_status enumerate(struct udev *u, FILE *out, int json, dm_ctx *ctx)
{
	struct udev_enumerate *e = udev_enumerate_new(u);
	if (!e)
		return dm_fail(ctx, DM_ERR_NOMEM, "libudev: cannot enumerate devices");
	udev_enumerate_add_match_subsystem(e, "block");
	if (udev_enumerate_scan_devices(e) < 0) {
		udev_enumerate_unref(e);
		return dm_fail(ctx, DM_ERR_IO, "libudev: cannot scan the block devices");
	}
	int first = 1, count = 0;
	struct udev_list_entry *entry;
	if (json)
		fputs("[", out);
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev =
			udev_device_new_from_syspath(u, udev_list_entry_get_name(entry));
		if (!dev)
			continue;
		if (is_optical(dev) && udev_device_get_devnode(dev)) {
			print_drive(out, json, NULL, dev, &first);
			count++;
		}
		udev_device_unref(dev);
	}
	if (json)
		fputs("]\n", out);
	else if (!count)
		fputs("no optical drives found\n", out);
	fflush(out);
	udev_enumerate_unref(e);
	return DM_OK;
}

dm_status wi_list(FILE *out, int json, dm_ctx *ctx)
{
	struct udev *u = udev_new();
	if (!u)
		return dm_fail(ctx, DM_ERR_IO, "libudev: cannot start");
	dm_status st = enumerate(u, out, json, ctx);
	udev_unref(u);
	return st;
}

dm_status wi_watch(FILE *out, int json, dm_ctx *ctx)
{
	struct udev *u = udev_new();
	if (!u)
		return dm_fail(ctx, DM_ERR_IO, "libudev: cannot start");
	/* udevd's events carry the drive's properties; without udevd, the kernel's own. */
	struct udev_monitor *mon = udev_monitor_new_from_netlink(u, "udev");
	if (!mon)
		mon = udev_monitor_new_from_netlink(u, "kernel");
	if (!mon) {
		udev_unref(u);
		return dm_fail(ctx, DM_ERR_IO, "libudev: cannot watch device events (no netlink)");
	}
	udev_monitor_filter_add_match_subsystem_devtype(mon, "block", NULL);
	if (udev_monitor_enable_receiving(mon) < 0) {
		udev_monitor_unref(mon);
		udev_unref(u);
		return dm_fail(ctx, DM_ERR_IO, "libudev: cannot receive device events");
	}
	dm_status st = enumerate(u, out, json, ctx);
	if (!json && st == DM_OK)
		fputs("watching for drives and discs (Ctrl-C stops)\n", out), fflush(out);
	struct pollfd pfd = { .fd = udev_monitor_get_fd(mon), .events = POLLIN };
	while (st == DM_OK && !dm_cancelled(ctx)) {
		int rc = poll(&pfd, 1, 500);
		if (rc < 0 && errno != EINTR) {
			st = dm_fail_errno(ctx, DM_ERR_IO, errno, "waiting for device events");
			break;
		}
		if (rc <= 0)
			continue;
		struct udev_device *dev = udev_monitor_receive_device(mon);
		if (!dev)
			continue;
		if (is_optical(dev)) {
			const char *action = udev_device_get_action(dev);
			const char *ev = action ? action : "change";
			/* A "change" of an optical drive is a disc coming or going (MMC media
			 * events turned into uevents by the sr driver). */
			if (action && strcmp(action, "change") == 0) {
				const char *m = udev_device_get_property_value(dev, "ID_CDROM_MEDIA");
				ev = m && strcmp(m, "1") == 0 ? "disc-inserted" : "disc-removed";
			}
			int first = 0;
			print_drive(out, json, ev, dev, &first);
		}
		udev_device_unref(dev);
	}
	udev_monitor_unref(mon);
	udev_unref(u);
	return st;
}
