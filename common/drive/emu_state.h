/* The emulated recorder's disc, as it persists between runs.
 *
 * emu:PROFILE:FILE keeps the disc's sectors in FILE (sector n at byte n * 2048, sparse,
 * so `cmp FILE image` works) and everything else in FILE.emu, a text file of key=value
 * lines (written on every change of state and when the drive is closed):
 *
 *   medium=dvd+r            the disc (emu_media.c names)
 *   capacity=2295104        user blocks
 *   status=blank            blank | appendable | complete
 *   formatted=0             random-access discs: formatted yet
 *   sessions=0              closed sessions
 *   track=START,SIZE,RESERVED,SESSION,CLOSED   one line per track, in order
 *   write_protected=0
 *
 * Faults, for tests; set in FILE.emu, in the environment variable DM_EMU_FAULTS
 * ("key=value,key=value") or after the path ("emu:dvd+r:/tmp/d.img?key=value&key=value"):
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
 * Only the disc persists; faults given in the environment or URL last one run. */
#ifndef EMU_STATE_H
#define EMU_STATE_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/drive/emu_media.h"

#define EMU_MAX_TRACKS 99

enum { EMU_BLANK = 0, EMU_APPENDABLE = 1, EMU_COMPLETE = 2 };

typedef struct emu_track {
	uint32_t start;
	uint32_t size;      /* recorded blocks */
	uint32_t reserved;  /* RESERVE TRACK size, 0: none (the track takes what is written) */
	unsigned session;   /* 1-based */
	int closed;
} emu_track;

typedef struct emu_faults {
	int64_t write_error_lba, read_error_lba; /* -1: none */
	unsigned not_ready;
	int no_media;
	int64_t remove_after_writes;             /* -1: never */
	unsigned busy_after_close;
	int unit_attention;
	unsigned write_delay_ms;
} emu_faults;

typedef struct emu_state {
	const emu_medium *medium;
	uint32_t capacity;
	int status;
	int formatted;
	unsigned sessions;  /* closed sessions */
	unsigned n_tracks;
	emu_track tracks[EMU_MAX_TRACKS];
	int write_protected;
	emu_faults faults;       /* in force this run */
	emu_faults file_faults;  /* those FILE.emu holds: saved back unchanged */
} emu_state;

/* Parse one key=value setting into st (disc keys and fault keys alike). */
dm_status emu_state_set(emu_state *st, const char *key, const char *value, dm_ctx *ctx);
/* Apply "k=v<sep>k=v" settings, sep one of ",&". */
dm_status emu_state_apply(emu_state *st, const char *settings, dm_ctx *ctx);
/* Load path (FILE.emu); *exists says whether there was one. */
dm_status emu_state_load(emu_state *st, const char *path, int *exists, dm_ctx *ctx);
/* Write path atomically (temporary file and rename). */
dm_status emu_state_save(const emu_state *st, const char *path, dm_ctx *ctx);
/* A fresh, blank disc of medium m. */
void emu_state_blank(emu_state *st, const emu_medium *m);

#endif
