/* One interface to a SCSI/MMC device, whatever carries the commands: the Linux SG_IO
 * pass-through (libsgutils2), iSCSI (libiscsi) or the built-in emulated recorder.
 *
 * A transport only delivers a CDB and brings back status, sense and data; it does not
 * retry or interpret. scsi_run() adds the policy every caller wants: a timeout on each
 * command, bounded waits while a drive is becoming ready or busy, a few retries after a
 * UNIT ATTENTION, and a message naming the command and the decoded sense on failure.
 *
 * Ownership: scsi_open() returns a transport the caller frees with scsi_close(). */
#ifndef SCSI_TRANSPORT_H
#define SCSI_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "common/drive/scsi_sense.h"

typedef enum scsi_dir { SCSI_DIR_NONE, SCSI_DIR_IN, SCSI_DIR_OUT } scsi_dir;

/* SAM-5 status codes this code distinguishes. */
enum {
	SCSI_ST_GOOD = 0x00,
	SCSI_ST_CHECK_CONDITION = 0x02,
	SCSI_ST_BUSY = 0x08
};

#define SCSI_CDB_MAX 16

/* What a transport reports for one command. */
typedef struct scsi_result {
	int status;                      /* SAM status byte */
	uint8_t sense[SCSI_SENSE_MAX];   /* raw sense data when status is CHECK CONDITION */
	size_t sense_len;
	size_t resid;                    /* bytes requested but not transferred */
} scsi_result;

typedef struct scsi_transport scsi_transport;

typedef struct scsi_transport_ops {
	/* Deliver one command. DM_OK means the device answered (result->status says how);
	 * anything else is a transport failure whose message is in ctx. */
	dm_status (*execute)(scsi_transport *t, const uint8_t *cdb, size_t cdb_len, scsi_dir dir,
			     uint8_t *buf, size_t len, unsigned timeout_ms, scsi_result *result,
			     dm_ctx *ctx);
	void (*close)(scsi_transport *t);
	/* A short description for messages: "iSCSI 127.0.0.1:3260 iqn.../1". */
	const char *(*describe)(scsi_transport *t);
	/* Optional (NULL: nothing to do). Called while the tray is open after a write: lets
	 * the operating system notice that the medium went away, so that it reads the
	 * written disc's size anew once it is back. Linux's sr driver learns of a medium
	 * change only from the drive (GET EVENT STATUS, a UNIT ATTENTION, or TEST UNIT READY
	 * failing with "no medium" while it checks on an open of the block device); without
	 * this, /dev/srN keeps the blank disc's capacity and the new disc does not mount. */
	void (*media_changed)(scsi_transport *t);
} scsi_transport_ops;

struct scsi_transport {
	const scsi_transport_ops *ops;
	void *impl;
	/* Retry policy (milliseconds); scsi_open() sets defaults, tests may shorten them. */
	unsigned ready_wait_ms;   /* longest wait for 2/04/xx "becoming ready" or "in progress" */
	unsigned ua_retries;      /* UNIT ATTENTIONs tolerated per command */
};

/* A kind of transport scsi_open() can choose: the drives it takes (those whose name starts
 * with prefix) and how to open one. */
typedef struct scsi_transport_kind {
	const char *prefix;      /* "iscsi://"; NULL: every drive no other kind takes */
	dm_status (*open)(const char *drive, scsi_transport **out, dm_ctx *ctx);
} scsi_transport_kind;

#define SCSI_KINDS_MAX 8

/* Add a kind to those scsi_open() chooses among; registering one again does nothing. Built
 * in: SG_IO (device paths, the fallback) and iSCSI ("iscsi://"). Others register before
 * opening: the emulated recorder with emu_transport_kind (emu_recorder.h), so this layer
 * never depends on it. Fails when another kind has the same prefix or the table is full. */
dm_status scsi_register(const scsi_transport_kind *kind, dm_ctx *ctx);

/* Open DRIVE with the registered kind whose prefix it starts with, else with the fallback:
 * "iscsi://HOST[:PORT]/IQN/LUN", "emu:PROFILE:STATEFILE" (once registered), or a device
 * path (/dev/sr0, /dev/sg1). */
dm_status scsi_open(const char *drive, scsi_transport **out, dm_ctx *ctx);
void scsi_close(scsi_transport *t);
const char *scsi_describe(scsi_transport *t);

/* Constructors of the built-in kinds. */
dm_status scsi_sg_open(const char *path, scsi_transport **out, dm_ctx *ctx);
dm_status scsi_iscsi_open(const char *url, scsi_transport **out, dm_ctx *ctx);

/* A command with its data buffer and, after scsi_run(), its outcome. */
typedef struct scsi_cmd {
	const char *name;            /* "WRITE(10)": used in messages */
	uint8_t cdb[SCSI_CDB_MAX];
	size_t cdb_len;
	scsi_dir dir;
	uint8_t *buf;
	size_t len;
	unsigned timeout_ms;         /* 0: SCSI_TIMEOUT_DEFAULT_MS */
	/* outcome */
	scsi_result result;
	scsi_sense_info sense;       /* decoded result.sense (key 0 when none) */
	size_t transferred;          /* len - resid */
	unsigned retries;            /* how many times it was sent again */
} scsi_cmd;

#define SCSI_TIMEOUT_DEFAULT_MS 30000u
#define SCSI_TIMEOUT_WRITE_MS 120000u
#define SCSI_TIMEOUT_LONG_MS 1200000u /* SYNCHRONIZE CACHE, CLOSE, FORMAT: minutes */

/* Send cmd with the retry policy above. DM_OK only for GOOD status; on CHECK CONDITION
 * the result is DM_ERR_SCSI with "NAME: decoded sense" in ctx and the decoded sense in
 * cmd->sense, so a caller can tolerate a specific answer (5/20/00 to RESERVE TRACK). */
dm_status scsi_run(scsi_transport *t, scsi_cmd *cmd, dm_ctx *ctx);

/* Milliseconds to sleep before retry number `attempt` (0-based) of a not-ready drive:
 * 50, 100, 200, ... capped at 1000. Exposed for tests. */
unsigned scsi_backoff_ms(unsigned attempt);

#endif
