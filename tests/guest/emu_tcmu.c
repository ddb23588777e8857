/* emu_tcmu: serve the emulated recorder (common/drive/emu_recorder.c) to the kernel as a
 * SCSI logical unit through LIO's user backstore (target_core_user), so that the kernel's
 * sr and sg drivers, and the burners that use them, drive it as /dev/srN + /dev/sgN.
 *
 *   emu_tcmu [-t TRACE] /dev/uioN emu:MEDIUM:FILE
 *
 * /dev/uioN is the device the kernel made when the user backstore was enabled
 * (tests/guest/attach-drives.sh sets it up, spec/test-guest.md has the steps).
 * Every command of the ring goes to the emulator's execute(), with the data direction
 * taken from the operation code and the data length from the entry's iovecs; status,
 * sense and the length really read go back into the ring. One process serves one logical
 * unit. It ends, saving the disc, when the logical unit is removed (read() fails with
 * EIO) or on SIGTERM/SIGINT.
 *
 * TRACE (or the environment variable DM_TCMU_TRACE): one line per command,
 *   "N cdb=2a 00 ... dir=out len=32768 status=00 xfer=32768" or "... status=02 sense=5/24/00",
 * with "data=HEX" when at most 64 bytes went either way and "note=..." when the emulator
 * would not take the command, for reading what a peer sent (tests/guest/README-peers.md).
 *
 * Exit status: 0 the unit was removed or a signal asked to stop, 1 the ring or the
 * emulator could not be opened, or the ring broke its rules, 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/drive/emu_recorder.h"
#include "common/drive/scsi_transport.h"
#include "tests/guest/tcmu_ring.h"

#define ME "emu_tcmu"
/* Larger data transfers are refused (sr and sg send at most a few hundred KiB). */
#define DATA_MAX (64u << 20)
/* Data transfers up to this size are written to the trace in hex. */
#define TRACE_DATA_MAX 64u

static volatile sig_atomic_t stop_asked;

static void on_signal(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* Commands that carry data from the initiator (SPC-4, SBC-3, MMC-6 chapter 6): the ring
 * does not say which way data goes, the operation code does. */
static int data_out(uint8_t op)
{
	switch (op) {
	case 0x04: /* FORMAT UNIT */
	case 0x0a: /* WRITE(6) */
	case 0x15: /* MODE SELECT(6) */
	case 0x1d: /* SEND DIAGNOSTIC */
	case 0x2a: /* WRITE(10) */
	case 0x2e: /* WRITE AND VERIFY(10) */
	case 0x3b: /* WRITE BUFFER */
	case 0x54: /* SEND OPC INFORMATION */
	case 0x55: /* MODE SELECT(10) */
	case 0x5d: /* SEND CUE SHEET */
	case 0x5f: /* PERSISTENT RESERVE OUT */
	case 0x8a: /* WRITE(16) */
	case 0xa2: /* SEND EVENT */
	case 0xa3: /* SEND KEY */
	case 0xaa: /* WRITE(12) */
	case 0xae: /* WRITE AND VERIFY(12) */
	case 0xb6: /* SET STREAMING */
	case 0xbf: /* SEND DISC STRUCTURE */
		return 1;
	default:
		return 0;
	}
}

typedef struct server {
	tcmu_ring ring;
	scsi_transport *emu;
	const char *spec;
	uint8_t *buf;
	size_t buf_size;
	FILE *trace;
	unsigned long n;
} server;

static const char *dir_name(scsi_dir d)
{
	return d == SCSI_DIR_OUT ? "out" : d == SCSI_DIR_IN ? "in" : "none";
}

static void trace_cmd(server *s, const tcmu_entry *e, scsi_dir dir, const scsi_result *res,
		      size_t xfer, size_t shown, const char *note)
{
	if (!s->trace)
		return;
	fprintf(s->trace, "%lu cdb=", s->n);
	for (size_t i = 0; i < e->cdb_len; i++)
		fprintf(s->trace, "%s%02x", i ? " " : "", e->cdb[i]);
	fprintf(s->trace, " dir=%s len=%" PRIu64 " status=%02x", dir_name(dir), e->data_len,
		res->status);
	scsi_sense_info si;
	if (res->status == SCSI_ST_CHECK_CONDITION &&
	    scsi_sense_decode(res->sense, res->sense_len, &si))
		fprintf(s->trace, " sense=%x/%02x/%02x", si.key, si.asc, si.ascq);
	fprintf(s->trace, " xfer=%zu", xfer);
	/* Short parameter lists and answers in full: what a peer sent (a cue sheet, a mode
	 * page) or was told (disc information, format capacities). */
	if (shown && shown <= TRACE_DATA_MAX) {
		fprintf(s->trace, " data=");
		for (size_t i = 0; i < shown; i++)
			fprintf(s->trace, "%02x", s->buf[i]);
	}
	fprintf(s->trace, "%s%s\n", note ? " note=" : "", note ? note : "");
	fflush(s->trace);
}

/* An answer the handler gives itself: CHECK CONDITION with fixed-format sense. */
static void refuse(scsi_result *res, uint8_t key, uint8_t asc)
{
	memset(res, 0, sizeof(*res));
	res->status = SCSI_ST_CHECK_CONDITION;
	res->sense_len = scsi_sense_build_fixed(res->sense, key, asc, 0);
}

static void serve_cmd(server *s, const tcmu_entry *e)
{
	scsi_result res;
	scsi_dir dir = SCSI_DIR_NONE;
	size_t len = (size_t)e->data_len, xfer = 0, shown = 0;
	const char *note = NULL;
	char msg[DM_MSG_MAX];
	s->n++;
	if (e->data_len)
		dir = data_out(e->cdb[0]) ? SCSI_DIR_OUT : SCSI_DIR_IN;
	if (e->cdb_len != tcmu_cdb_len(e->cdb) || e->cdb_len < 6) {
		refuse(&res, SK_ILLEGAL_REQUEST, 0x20); /* invalid command operation code */
		note = "CDB too long for the emulator";
	} else if (e->data_len > DATA_MAX) {
		refuse(&res, SK_ILLEGAL_REQUEST, 0x24); /* invalid field in CDB */
		note = "data transfer too long";
	} else {
		if (len > s->buf_size) {
			uint8_t *nb = realloc(s->buf, len);
			if (!nb) {
				refuse(&res, SK_HARDWARE_ERROR, 0x44); /* internal target failure */
				note = "out of memory";
				goto answer;
			}
			s->buf = nb;
			s->buf_size = len;
		}
		if (dir == SCSI_DIR_OUT) {
			tcmu_ring_gather(&s->ring, e, s->buf);
			shown = len;
		} else if (len) {
			memset(s->buf, 0, len);
		}
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		if (s->emu->ops->execute(s->emu, e->cdb, e->cdb_len, dir, s->buf, len,
					 SCSI_TIMEOUT_LONG_MS, &res, &ctx) != DM_OK) {
			/* The emulator does not take the command as sent (an operation it does
			 * not know to carry data): for the initiator, a command the drive does
			 * not support. */
			refuse(&res, SK_ILLEGAL_REQUEST, 0x20);
			snprintf(msg, sizeof(msg), "%s", ctx.msg);
			for (char *c = msg; *c; c++)
				if (*c == ' ')
					*c = '_';
			note = msg;
		} else if (dir == SCSI_DIR_IN) {
			xfer = res.resid <= len ? len - res.resid : 0;
			tcmu_ring_scatter(&s->ring, e, s->buf, xfer);
			shown = xfer;
		} else if (dir == SCSI_DIR_OUT && res.status == SCSI_ST_GOOD) {
			xfer = len;
		}
	}
answer:
	trace_cmd(s, e, dir, &res, xfer, shown, note);
	tcmu_ring_respond(&s->ring, e, (uint8_t)res.status, res.sense, res.sense_len,
			  dir == SCSI_DIR_IN ? (int64_t)xfer : -1);
}

/* Answer everything waiting in the ring. Returns how many entries were consumed, or -1
 * when the ring broke its rules. */
static long drain(server *s, dm_ctx *ctx)
{
	long done = 0;
	tcmu_entry e;
	int rc;
	while ((rc = tcmu_ring_next(&s->ring, &e, ctx)) == 1) {
		switch (e.op) {
		case TCMU_RING_OP_PAD:
			break;
		case TCMU_RING_OP_CMD:
			serve_cmd(s, &e);
			break;
		case TCMU_RING_OP_TMR:
			/* A task management notification (abort, reset): the emulator finishes
			 * every command before the next, so there is nothing to abort. */
			break;
		default:
			tcmu_ring_unknown_op(&s->ring, &e);
			break;
		}
		tcmu_ring_consume(&s->ring, &e);
		done++;
	}
	return rc < 0 ? -1 : done;
}

/* The size of the uio device's map 0, from sysfs. */
static int map_size(const char *dev, size_t *size)
{
	const char *name = strrchr(dev, '/');
	name = name ? name + 1 : dev;
	char path[256];
	snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map0/size", name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	unsigned long long v = 0;
	int ok = fscanf(f, "%llx", &v) == 1 && v > 0 && v <= SIZE_MAX;
	fclose(f);
	*size = (size_t)v;
	return ok ? 0 : -1;
}

static int run(server *s, int fd)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	for (;;) {
		long n = drain(s, &ctx);
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", ME, ctx.msg);
			return 1;
		}
		uint32_t word = 0;
		/* Tell the kernel the tail moved (any 4-byte write). */
		if (n > 0 && write(fd, &word, sizeof(word)) != (ssize_t)sizeof(word) && errno == EIO)
			return 0;
		if (stop_asked)
			return 0;
		ssize_t r = read(fd, &word, sizeof(word));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EIO)
			return 0; /* the logical unit was removed */
		if (r < 0) {
			fprintf(stderr, "%s: reading the uio device: %s\n", ME, strerror(errno));
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *trace = getenv("DM_TCMU_TRACE");
	int opt;
	while ((opt = getopt(argc, argv, "t:h")) != -1) {
		switch (opt) {
		case 't':
			trace = optarg;
			break;
		case 'h':
			printf("usage: %s [-t TRACE] /dev/uioN emu:MEDIUM:FILE\n", ME);
			return 0;
		default:
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: %s [-t TRACE] /dev/uioN emu:MEDIUM:FILE\n", ME);
		return 2;
	}
	const char *dev = argv[optind];
	server s;
	memset(&s, 0, sizeof(s));
	s.spec = argv[optind + 1];

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: read() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	dm_ctx ctx;
	dm_ctx_init(&ctx);
	if (emu_open(s.spec, &s.emu, &ctx) != DM_OK) {
		fprintf(stderr, "%s: %s\n", ME, ctx.msg);
		return 1;
	}
	int rc = 1;
	uint8_t *base = MAP_FAILED;
	size_t size = 0;
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", ME, dev, strerror(errno));
		goto out;
	}
	if (map_size(dev, &size) != 0) {
		fprintf(stderr, "%s: %s: no map 0 size in /sys/class/uio\n", ME, dev);
		goto out;
	}
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		fprintf(stderr, "%s: cannot map %s (%zu bytes): %s\n", ME, dev, size,
			strerror(errno));
		goto out;
	}
	if (tcmu_ring_init(&s.ring, base, size, &ctx) != DM_OK) {
		fprintf(stderr, "%s: %s: %s\n", ME, dev, ctx.msg);
		goto out;
	}
	if (trace && *trace && !(s.trace = fopen(trace, "a"))) {
		fprintf(stderr, "%s: cannot write the trace %s: %s\n", ME, trace, strerror(errno));
		goto out;
	}
	fprintf(stderr, "%s: serving %s: %s\n", ME, dev, scsi_describe(s.emu));
	rc = run(&s, fd);
out:
	if (base != MAP_FAILED)
		munmap(base, size);
	if (fd >= 0)
		close(fd);
	if (s.trace)
		fclose(s.trace);
	free(s.buf);
	scsi_close(s.emu); /* saves the disc */
	return rc;
}
