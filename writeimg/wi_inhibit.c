#include "writeimg/wi_inhibit.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

int wi_inhibit_take(const char *what_for, char *why, size_t len)
{
	sd_bus *bus = NULL;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int fd = -1;

	int rc = sd_bus_open_system(&bus);
	if (rc < 0) {
		snprintf(why, len, "logind is not available (no system bus: %s)", strerror(-rc));
		return -1;
	}
	/* org.freedesktop.login1.Manager.Inhibit(what, who, why, mode) -> h */
	rc = sd_bus_call_method(bus, "org.freedesktop.login1", "/org/freedesktop/login1",
				"org.freedesktop.login1.Manager", "Inhibit", &error, &reply, "ssss",
				"shutdown:sleep", "writeimg", what_for, "block");
	if (rc < 0) {
		snprintf(why, len, "logind is not available (%s)",
			 error.message ? error.message : strerror(-rc));
	} else {
		int got = -1;
		rc = sd_bus_message_read(reply, "h", &got);
		if (rc < 0 || got < 0)
			snprintf(why, len, "logind answered without a lock");
		else if ((fd = fcntl(got, F_DUPFD_CLOEXEC, 3)) < 0)
			snprintf(why, len, "cannot keep the inhibitor lock");
	}
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return fd;
}

void wi_inhibit_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
