/* The emulated recorder's disc, as it persists between runs: ONE file.
 *
 * emu:MEDIUM:FILE keeps the disc's sectors in FILE, sector n at byte n * 2048 (sparse), so
 * `cmp -n BYTES FILE image` and dd work on it; on CD media a raw region follows with sector
 * n's 2,352 bytes at AREA * 2048 + n * 2352, for audio tracks and tracks written raw (the
 * user data of raw Mode 1 / Mode 2 form 1 sectors go to the 2,048-byte area too, so READ(10)
 * and the data-area tools keep working); then the state trailer. The file is AREA * 2048
 * (+ AREA * 2352 on CD) + 262144 bytes, AREA the largest capacity the medium can have (so
 * the writes, bounded by the capacity, never reach the trailer). The trailer is two 128 KiB
 * slots (emu_file.c); each slot is
 *   bytes 0-7   "DMEMUDSC"
 *   bytes 8-11  version (2), big-endian; version 1 (8 KiB slots, no raw region, before CD
 *               audio) is refused naming the file: no migration
 *   bytes 12-19 sequence number, big-endian: the valid slot with the higher one is current
 *   bytes 20-23 length L of the text, big-endian
 *   bytes 24-27 CRC-32 (ISO 3309, common/dm_crc32.h) of the text
 *   bytes 32-   L bytes of text, key=value lines:
 *     medium=dvd+r            the disc (emu_media.c names)
 *     area=2295104            the data area in blocks (where the trailer starts)
 *     capacity=2295104        user blocks (the formatted capacity of overwritable discs)
 *     status=blank            blank | appendable | complete
 *     formatted=0             overwritable discs and DVD-RW: formatted (DVD-RW: restricted
 *                             overwrite)
 *     bg_format=0             DVD+RW background format: 0 none, 1 started but incomplete
 *                             (interrupted), 3 complete (MMC-6 table 529 BG format status)
 *     damage=0                0; 1 an interrupted BLANK (the disc must be blanked again);
 *                             2 an interrupted FORMAT UNIT (format corrupted: format again)
 *     layer0=2086912          DL discs: L0 data zone capacity; layer0_set=1 once fixed
 *     sessions=0              closed sessions
 *     track=START,SIZE,RESERVED,SESSION,CLOSED,DAMAGED,MODE,FLAGS,RAW,PREGAP
 *                             one line per track, in order; MODE 0 Mode 1, 1 audio (CD-DA),
 *                             2 Mode 2; FLAGS the Q control bits but data (8 four channels,
 *                             2 copy permitted, 1 pre-emphasis); RAW 1: sectors in the raw
 *                             region; PREGAP index 00 sectors before START (Red Book)
 *     index=T,LBA,LBA,...     track T's (1-based) indexes 02, 03, ... as LBAs
 *     isrc=T,CCOOOYYNNNNN     track T's ISRC
 *     mcn=0123456789012       the disc's catalogue number
 *     cdtext=SESSION,HEX      the CD-TEXT packs (18 bytes each) of the lead-in, in hex
 *     write_protected=0
 *     and the faults given with persist=1 (below).
 * Saving rule (crash safety): data are written (pwrite) before the trailer that describes
 * them, and a trailer goes to the slot that does not hold the newest valid copy, so a
 * process that dies at any point (kill -9, a power_loss fault) leaves a disc whose newest
 * valid slot matches the data; with sync=1 the data and each slot are also fdatasync'ed
 * first, for machine crashes (off by default: a real drive's cache is not durable either,
 * and dd does not sync). The trailer is rewritten at every change of disc state (a track
 * begun, closed, reserved; a session closed; format, blank) and when the drive closes,
 * never during the WRITEs inside a track.
 *
 * A missing or empty FILE is a new blank disc of MEDIUM; a non-empty file without a valid
 * trailer is refused (never written), naming the file; a FILE.emu beside it (the two-file
 * state of older versions) is refused with what to do; emu::FILE takes the medium the
 * trailer holds, and a MEDIUM that differs from it is refused.
 *
 * Faults, for tests; in the environment variable DM_EMU_FAULTS ("key=value,key=value") or
 * after the path ("emu:dvd+r:/tmp/d.img?key=value&key=value"); they last one run unless
 * persist=1 is among them, which stores them in the trailer for later runs:
 *   write_error_lba=N       WRITE(10) covering LBA N fails 3/0C/00 (write error)
 *   read_error_lba=N        READ(10) covering LBA N fails 3/11/00 (unrecovered read error)
 *   not_ready=N             the first N commands that need the disc get 2/04/01
 *   no_media=1              the drive is empty: 2/3A/00
 *   remove_after_writes=N   the disc is pulled out after N WRITE(10) commands: 2/3A/00
 *   busy_after_close=N      after SYNCHRONIZE CACHE or CLOSE, N polls get 2/04/08
 *   unit_attention=1        the first command gets 6/28/00 (medium may have changed)
 *   capacity=N              a new disc has N blocks (to test capacity checks cheaply)
 *   write_protected=1       WRITE(10) fails 7/27/00
 *   write_delay_ms=N        every WRITE(10) takes N ms more (a slow drive, for signal tests)
 *   power_loss_after_writes=N  the drive loses power after N WRITE(10)s: that WRITE and
 *                           every later command fail as a transport error (no answer);
 *                           the disc keeps what reached it: the open track holds the
 *                           blocks written before, marked damaged (READ TRACK INFORMATION
 *                           Damage=1, NWA_V=0), the session incomplete; later opens report
 *                           that
 *   underrun_after_writes=N the (N+1)th WRITE(10) fails 3/0C/09 (write error, loss of
 *                           streaming: a buffer underrun on a drive without BUFE); the
 *                           track is left damaged as above
 *   format_interrupt=1      FORMAT UNIT stops halfway: without IMMED it fails 3/31/01
 *                           (format command failed), with IMMED the poll after half of the
 *                           progress does; a DVD+RW is left with its background format
 *                           incomplete (bg_format=1, writable, FORMAT UNIT resumes it),
 *                           other discs with a corrupted format (3/31/00 on access, until
 *                           formatted again)
 *   blank_interrupt=1       BLANK stops halfway likewise, failing 3/31/01 too (MMC names
 *                           no code of its own for a failed BLANK); the disc reads as
 *                           complete with a damaged last session and takes no writes
 *                           (5/30/05) until blanked again
 *   op_polls=N              IMMED FORMAT UNIT / BLANK finish after N polls instead of
 *                           after their time (default 0: timed, emu_format.c)
 *   op_ms=N                 IMMED FORMAT UNIT / BLANK take N ms instead of the time
 *                           modelled from their work
 *   sync=1                  fdatasync data and trailer (see the saving rule)
 *   persist=1               keep the faults of this setting string in the trailer */
#ifndef EMU_STATE_H
#define EMU_STATE_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/drive/emu_media.h"

#define EMU_MAX_TRACKS 99
#define EMU_MAX_INDEX 98          /* indexes 02..99 of a track */
#define EMU_CDTEXT_MAX (8 * 256)  /* packs: 8 blocks of 256 (MMC-6 annex J) */
#define EMU_RAW 2352u             /* bytes of a sector in the raw region */

enum { EMU_MODE1 = 0, EMU_AUDIO = 1, EMU_MODE2 = 2 };

enum { EMU_BLANK = 0, EMU_APPENDABLE = 1, EMU_COMPLETE = 2 };
enum { EMU_DAMAGE_NONE = 0, EMU_DAMAGE_BLANK = 1, EMU_DAMAGE_FORMAT = 2 };

typedef struct emu_track {
	uint32_t start;
	uint32_t size;      /* recorded blocks */
	uint32_t reserved;  /* RESERVE TRACK size, 0: none (the track takes what is written) */
	unsigned session;   /* 1-based */
	int closed;
	int damaged;        /* power loss or underrun while it was written */
	uint8_t mode;       /* EMU_MODE1, EMU_AUDIO, EMU_MODE2 */
	uint8_t flags;      /* Q control bits but data: 8 four channels, 2 copy, 1 pre-emphasis */
	uint8_t raw;        /* sectors kept in the raw region (2,352 bytes) */
	uint8_t n_index;    /* indexes beyond 01 */
	uint32_t pregap;    /* index 00 sectors before start */
	int32_t index[EMU_MAX_INDEX]; /* LBAs of indexes 02.. */
	char isrc[13];      /* "" or 12 characters */
} emu_track;

typedef struct emu_faults {
	int64_t write_error_lba, read_error_lba; /* -1: none */
	unsigned not_ready;
	int no_media;
	int64_t remove_after_writes;             /* -1: never */
	unsigned busy_after_close;
	int unit_attention;
	unsigned write_delay_ms;
	int64_t power_loss_after_writes;         /* -1: never */
	int64_t underrun_after_writes;           /* -1: never */
	int format_interrupt, blank_interrupt;
	unsigned op_polls;                       /* 0: timed */
	unsigned op_ms;                          /* 0: the modelled time */
	int sync;
} emu_faults;

typedef struct emu_state {
	const emu_medium *medium;
	uint32_t area;      /* blocks of the data area; the trailer follows */
	uint32_t capacity;
	int status;
	int formatted;
	int bg_format;
	int damage;
	uint32_t layer0;
	int layer0_set;
	unsigned sessions;  /* closed sessions */
	unsigned n_tracks;
	emu_track tracks[EMU_MAX_TRACKS];
	int write_protected;
	char mcn[14];            /* "" or 13 digits */
	unsigned cdtext_session; /* the session whose lead-in holds the packs */
	unsigned cdtext_packs;
	uint8_t cdtext[EMU_CDTEXT_MAX * 18];
	emu_faults faults;       /* in force this run */
	emu_faults file_faults;  /* those the trailer holds: saved back unchanged */
	int persist;             /* the settings being applied go to file_faults too */
} emu_state;

/* How long the emulator's IMMED FORMAT UNIT or BLANK (emu_format.c) that goes over
 * work_blocks at kbs kB/s takes, in us: a real drive's time for it (10 s to get ready,
 * then the blocks at that speed) divided by 100,000. op_ms or op_polls replace it. */
uint64_t emu_op_time_us(uint32_t work_blocks, uint32_t kbs);

/* Parse one key=value setting into st (disc keys and fault keys alike). */
dm_status emu_state_set(emu_state *st, const char *key, const char *value, dm_ctx *ctx);
/* Apply "k=v<sep>k=v" settings, sep one of ",&". */
dm_status emu_state_apply(emu_state *st, const char *settings, dm_ctx *ctx);
/* Apply key=value lines (the trailer's text). */
dm_status emu_state_apply_lines(emu_state *st, const char *text, dm_ctx *ctx);
/* The state as key=value lines into buf; returns the length (>= cap: did not fit). */
size_t emu_state_format(const emu_state *st, char *buf, size_t cap);
/* 1 when s is a valid ISRC (12 characters) or MCN (13 digits). */
int emu_isrc_valid(const char *s);
int emu_mcn_valid(const char *s);
/* A fresh, blank disc of medium m (faults kept). */
void emu_state_blank(emu_state *st, const emu_medium *m);
/* An empty state with no faults. */
void emu_state_init(emu_state *st);

/* ---- the disc file (emu_file.c) ---- */
#define EMU_TRAILER_SLOT 131072u
#define EMU_TRAILER_BYTES (2u * EMU_TRAILER_SLOT)

typedef struct emu_file {
	int fd;
	const char *path;
	uint64_t seq;       /* sequence number of the newest valid slot */
	int slot;           /* which slot holds it */
} emu_file;

/* Open path for a disc. *exists: 1 when path held a disc (st loaded from its trailer), 0
 * when it was missing or empty (st untouched: the caller makes a blank disc and saves
 * it). A non-empty file that is no disc, or a FILE.emu left by an older version, fails. */
dm_status emu_file_open(emu_file *f, const char *path, emu_state *st, int *exists,
			dm_ctx *ctx);
/* Write st into the other slot (sizing the file to st->area first). */
dm_status emu_file_save(emu_file *f, const emu_state *st, dm_ctx *ctx);
/* Byte offset of the raw region (CD media), and the size of the whole file. */
uint64_t emu_file_raw_base(const emu_state *st);
uint64_t emu_file_bytes(const emu_state *st);
/* Zero the data blocks [from, area) (BLANK full, a full format), keeping the trailer. */
dm_status emu_file_erase(emu_file *f, const emu_state *st, uint32_t from, dm_ctx *ctx);
void emu_file_close(emu_file *f);

#endif
