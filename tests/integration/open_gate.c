/* open_gate: stops the program under test at a chosen open() or read() of one file, with no
 * preload and no change to the program: a fanotify permission mark (FAN_OPEN_PERM or
 * FAN_ACCESS_PERM, needs CAP_SYS_ADMIN) on the file makes the kernel wait for our answer
 * before that open or read goes on. The fault tests (mkimage_faults.sh) use the pause to act
 * while mkimage is half-way through an image: remove the output's directory, kill it, change
 * or remove a source. Answering "deny" makes that open or read fail with EPERM, even for
 * root: an unreadable source.
 *
 *   open_gate open|access N FILE
 *
 * Prints "ready" once the mark is set, lets the first N-1 such events of other processes
 * through, then prints "held PID" for the Nth and reads one line from stdin: "allow" or
 * "deny" (end of input: allow). Every other event is allowed, also while one is held,
 * until a signal ends the gate (the kernel then lets waiting events through). Exit status 2: fanotify is not available. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

static int respond(int fan, int fd, int allow)
{
	struct fanotify_response r = {.fd = fd, .response = allow ? FAN_ALLOW : FAN_DENY};
	int rc = write(fan, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : -1;
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "open") && strcmp(argv[1], "access")) || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: open_gate open|access N FILE\n");
		return 1;
	}
	uint64_t mask = strcmp(argv[1], "open") ? FAN_ACCESS_PERM : FAN_OPEN_PERM;
	long want = atol(argv[2]);
	int fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
	if (fan < 0) {
		fprintf(stderr, "open_gate: fanotify_init: %s\n", strerror(errno));
		return 2;
	}
	if (fanotify_mark(fan, FAN_MARK_ADD, mask, AT_FDCWD, argv[3]) < 0) {
		fprintf(stderr, "open_gate: fanotify_mark %s: %s\n", argv[3], strerror(errno));
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	long seen = 0;
	int held = -1; /* the event fd of the held open or read, while it waits for stdin */
	pid_t self = getpid();
	for (;;) {
		/* Other processes' events are answered while one is held: the test's own shell
		 * opens the file to change it. */
		struct pollfd p[2] = {{.fd = fan, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
		if (poll(p, held >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "open_gate: poll: %s\n", strerror(errno));
			return 1;
		}
		if (held >= 0 && p[1].revents) {
			char line[64] = "";
			ssize_t k = read(0, line, sizeof(line) - 1);
			int allow = !(k > 0 && !strncmp(line, "deny", 4));
			if (respond(fan, held, allow) < 0)
				return 1;
			held = -1;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		char buf[4096] __attribute__((aligned(8)));
		ssize_t n = read(fan, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "open_gate: read: %s\n", n < 0 ? strerror(errno) : "end of events");
			return 1;
		}
		for (struct fanotify_event_metadata *m = (void *)buf; FAN_EVENT_OK(m, n);
		     m = FAN_EVENT_NEXT(m, n)) {
			if (m->fd < 0)
				continue;
			if (m->pid == self || !(m->mask & mask) || ++seen != want) {
				if (respond(fan, m->fd, 1) < 0)
					return 1;
				continue;
			}
			held = m->fd;
			printf("held %d\n", (int)m->pid);
			fflush(stdout);
		}
	}
}
