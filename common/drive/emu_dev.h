/* The emulated recorder's private parts, shared by its command files:
 *   emu_recorder.c  open/close, the transport, dispatch, sense and long operations
 *   emu_info.c      READ DISC/TRACK INFORMATION, READ CAPACITY, READ DISC STRUCTURE
 *   emu_write.c     WRITE, READ, RESERVE TRACK, CLOSE TRACK/SESSION, SYNCHRONIZE CACHE
 *   emu_format.c    READ FORMAT CAPACITIES, FORMAT UNIT, BLANK
 *   emu_cd.c        READ TOC/PMA/ATIP
 *   emu_cue.c       SEND CUE SHEET and the writes of a CD SAO session
 *   emu_readcd.c    READ CD, READ CD MSF, READ SUB-CHANNEL, the Q sub-channel
 *   emu_mode.c      MODE SENSE/SELECT (pages 05h, 2Ah), GET PERFORMANCE, SET STREAMING,
 *                   SET CD SPEED
 * Command functions return 0 (GOOD), the answer length (answers) or -1 with the sense in
 * d->sense (set through emu_fail). */
#ifndef EMU_DEV_H
#define EMU_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "common/drive/emu_state.h"
#include "common/drive/scsi_sense.h"
#include "common/drive/scsi_transport.h"

#define EMU_MAX_CUE_TRACKS 99

/* Opcodes the emulator answers beyond those writeimg sends (mmc_cdb.h): MMC-6 table 2. */
enum {
	EMU_OP_FORMAT_UNIT = 0x04,
	EMU_OP_MODE_SELECT6 = 0x15,
	EMU_OP_MODE_SENSE6 = 0x1a,
	EMU_OP_WRITE_VERIFY10 = 0x2e,
	EMU_OP_READ_TOC = 0x43,
	EMU_OP_SEND_OPC = 0x54,
	EMU_OP_SEND_CUE_SHEET = 0x5d,
	EMU_OP_READ12 = 0xa8,
	EMU_OP_WRITE12 = 0xaa,
	EMU_OP_READ_DISC_STRUCTURE = 0xad,
	EMU_OP_SEND_DISC_STRUCTURE = 0xbf,
	EMU_OP_GET_PERFORMANCE = 0xac,
	EMU_OP_READ_SUBCHANNEL = 0x42,
	EMU_OP_READ_CD_MSF = 0xb9,
	EMU_OP_READ_CD = 0xbe
};

/* A long operation started with IMMED (FORMAT UNIT, BLANK): busy until its time has
 * passed (or, with the op_polls fault, a number of polls). */
typedef struct emu_op {
	int kind;            /* 0 none, 1 format, 2 blank */
	unsigned polls, total; /* total 0: timed (start_us, duration_us), else polls */
	uint64_t start_us, duration_us;
	int interrupt;       /* stop halfway (format_interrupt / blank_interrupt) */
	uint8_t format_type; /* what to apply at the end */
	uint32_t blocks;
	int erase;
	int blank_type;
	uint32_t blank_track;
} emu_op;

/* One position entry (ADR 1) of a cue sheet. */
typedef struct emu_cue_entry {
	int64_t lba;
	uint8_t tno, index, form, ctl;
} emu_cue_entry;

/* Feature 002Eh says 4 KiB of cue sheet at most: 512 entries. */
#define EMU_MAX_CUE_ENTRIES 512

/* A CD session announced by SEND CUE SHEET (MMC-6 6.33), written in SAO. */
typedef struct emu_cue {
	int active;
	int64_t next;        /* the LBA the next WRITE must start at (from -150) */
	int64_t leadout;     /* where the data end */
	int64_t data_start;  /* index 01 of the first track: where kept data begin */
	unsigned n_tracks;
	unsigned n_entries;  /* position entries after the lead-in, the lead-out's last */
	emu_cue_entry e[EMU_MAX_CUE_ENTRIES];
	char mcn[14];
	char isrc[EMU_MAX_CUE_TRACKS][13];
	int cdtext;          /* the lead-in entry takes R-W packs from the host (41h) */
	int64_t leadin_next; /* the next lead-in write (INT64_MIN: none yet) */
	int text_done;       /* the packs started over: one cycle kept */
	unsigned text_packs;
	uint8_t text[EMU_CDTEXT_MAX * 18];
} emu_cue;

typedef struct emu_dev {
	scsi_transport base;
	char *path;
	emu_file file;
	emu_state st;
	int removed;          /* disc pulled out (fault) or tray opened */
	int prevent;
	int ua_pending;
	int media_event;      /* GET EVENT STATUS media event not yet reported */
	int dead;             /* power lost (fault): no more answers */
	unsigned busy_left;
	unsigned not_ready_left;
	uint64_t writes;
	uint32_t write_kbs;   /* current write speed (page 2Ah, GET PERFORMANCE) */
	uint8_t page05[60];
	int dirty;
	emu_op op;
	emu_cue cue;
	emu_cue cue_new;      /* a cue sheet being checked */
	int dao_done;         /* a DVD-R DAO session was closed by its last write */
	int sim;              /* a test write (page 05h) is running: st is saved in sim_st */
	emu_state sim_st;
	char desc[300];
	uint8_t sense[3];     /* key, ASC, ASCQ of the answer being built */
	int sksv;             /* progress indication in the sense (MMC-6 6.29.3) */
	uint16_t progress;
	int64_t last_lba;     /* the last sector read: READ SUB-CHANNEL's current position */
} emu_dev;

/* Record a CHECK CONDITION answer; returns -1. */
int emu_fail(emu_dev *d, scsi_sense_id id);
void emu_mark_dirty(emu_dev *d);
/* Save the trailer now (state changes a real disc keeps). */
void emu_save(emu_dev *d);

/* The medium's current profile (DVD-RW: 13h once formatted). */
uint16_t emu_profile(const emu_dev *d);
/* The disc takes writes anywhere (DVD+RW, BD-RE, DVD-RAM, restricted-overwrite DVD-RW). */
int emu_random(const emu_dev *d);
emu_track *emu_open_track(emu_dev *d);
/* Where the next track would start (the invisible track), and the NWA. */
uint32_t emu_next_start(const emu_dev *d);
uint32_t emu_nwa(emu_dev *d);
/* Track-At-Once on CD: the pre-gap the drive writes before the next track (an audio
 * track after another in the open session: page 05h's Audio Pause Length; else 0), and
 * where that track's index 01 (its first written block) then is. */
uint32_t emu_tao_gap(const emu_dev *d);
uint32_t emu_tao_start(const emu_dev *d);
uint32_t emu_free_after(const emu_dev *d, uint32_t lba);
uint32_t emu_align_up(uint32_t v, uint32_t a);
/* Where recorded data end (READ CAPACITY + 1). */
uint32_t emu_recorded_end(const emu_dev *d);
/* Close the session (tracks of the open session closed); finalize: no next one. */
void emu_close_session(emu_dev *d, int finalize);

/* emu_info.c */
size_t emu_disc_info(emu_dev *d, uint8_t *r);
int emu_track_info(emu_dev *d, const uint8_t *cdb, uint8_t *r);
size_t emu_capacity(emu_dev *d, uint8_t *r);
int emu_read_disc_structure(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap);
int emu_send_disc_structure(emu_dev *d, const uint8_t *cdb, const uint8_t *buf, size_t len);
/* emu_write.c */
int emu_write(emu_dev *d, int64_t lba, uint32_t n, const uint8_t *buf, size_t len);
/* Keep n blocks of data form `form` (emu_cue_form: 2,048 bytes to the data area, 2,352 and
 * 2,336 to the raw region, the user data of raw data sectors to the data area too). */
int emu_store(emu_dev *d, uint32_t lba, uint32_t n, const uint8_t *buf, uint8_t form);
int emu_read(emu_dev *d, uint32_t lba, uint32_t n, uint8_t *buf, size_t len, size_t *out);
int emu_reserve(emu_dev *d, const uint8_t *cdb);
int emu_close_track_session(emu_dev *d, const uint8_t *cdb);
int emu_sync_cache(emu_dev *d, const uint8_t *cdb);
/* emu_format.c */
size_t emu_format_capacities(emu_dev *d, uint8_t *r, size_t cap);
int emu_format_unit(emu_dev *d, const uint8_t *cdb, const uint8_t *buf, size_t len);
int emu_blank(emu_dev *d, const uint8_t *cdb);
/* One poll of a running IMMED operation: 1 still running (sense set), 0 finished now. */
int emu_op_poll(emu_dev *d);
/* emu_cd.c */
int emu_read_toc(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap);
/* emu_cue.c */
int emu_send_cue_sheet(emu_dev *d, const uint8_t *buf, size_t len);
/* A cue sheet's main data form: bytes the host sends a block (0: the drive generates
 * them), the track mode and whether the raw region keeps it; -1 an unknown form. */
int emu_cue_form(uint8_t form, int *mode, int *raw);
/* A SAO write at lba (negative in the first pre-gap and the lead-in): checked against the
 * sheet and stored; 0 or -1 refused (sense set). */
int emu_cue_write(emu_dev *d, int64_t lba, uint32_t n, const uint8_t *buf, size_t len);
/* Turn a finished cue session into tracks (SYNCHRONIZE CACHE after the lead-out). */
void emu_cue_finish(emu_dev *d);
/* emu_readcd.c */
/* The Q control nibble of a track: its flags, 4 for data. */
uint8_t emu_track_control(const emu_track *t);
/* The track (0-based) whose Red Book extent, pre-gap included, holds lba; -1 none. */
int emu_cd_track_at(const emu_dev *d, int64_t lba);
/* The Q sub-channel (12 bytes, CRC included) of sector lba and its P bit. */
void emu_subq(const emu_dev *d, int64_t lba, uint8_t q[12], int *p);
int emu_read_cd(emu_dev *d, const uint8_t *cdb, uint8_t *buf, size_t len, size_t *out);
int emu_read_subchannel(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap);
/* emu_mode.c */
void emu_default_page05(uint8_t *p);
int emu_mode_sense(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap);
int emu_mode_select(emu_dev *d, const uint8_t *buf, size_t len);
int emu_get_performance(emu_dev *d, const uint8_t *cdb, uint8_t *r, size_t cap);
int emu_set_streaming(emu_dev *d, const uint8_t *buf, size_t len);
int emu_set_cd_speed(emu_dev *d, const uint8_t *cdb);
/* Page 05h fields. */
int emu_write_type(const emu_dev *d);
int emu_test_write(const emu_dev *d);
uint8_t emu_tao_form(const emu_dev *d, int *mode);
uint8_t emu_tao_flags(const emu_dev *d);

#endif
