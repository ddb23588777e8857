/* Reading a CD's tracks back (issue 15): the track list (READ TOC format 0 and READ TRACK
 * INFORMATION: number, session, audio or data mode, start and length), each audio track
 * saved as a WAV file sample for sample (--read-audio, READ CD of CD-DA sectors), and
 * the audio tracks compared with their sources, a cue sheet's or --audio's (--check).
 *
 * An audio track ends where the next one's pregap begins: the Q sub-channel of the sector
 * before the next track's index 1 (READ CD, formatted Q, or raw P-W) counts down through
 * that pregap, so the silence a Track-At-Once burn put between two tracks is not read as
 * part of the first. Library code: reports through dm_ctx, never prints.
 * wi_cdread.c reads and prints the track list, wi_cd_decode.c holds the pure decoders
 * (fuzzed with the MMC parsers), wi_audio_read.c saves and compares the audio tracks. */
#ifndef WI_CDREAD_H
#define WI_CDREAD_H

#include <stdint.h>
#include <stdio.h>

#include "common/drive/scsi_transport.h"
#include "writeimg/cd_layout.h"

typedef struct wi_cd_track {
	unsigned number, session;
	int audio;            /* CD-DA (Q control bit 2 clear) */
	int data_mode;        /* data tracks: 1 Mode 1, 2 Mode 2 (READ TRACK INFORMATION) */
	uint8_t control;      /* Q control nibble */
	uint32_t start;       /* index 1 */
	uint32_t sectors;     /* to the next track's pregap, or the session's end */
	char isrc[13];        /* "" when none (audio tracks: READ SUB-CHANNEL 03h) */
	char title[96], performer[96]; /* CD-TEXT, ISO 8859-1, "" when none */
} wi_cd_track;

typedef struct wi_cd_tracks {
	unsigned n;
	wi_cd_track t[99];
	char mcn[14];         /* "" when none */
	char title[96], performer[96]; /* the album's CD-TEXT */
} wi_cd_tracks;

/* Titles and performers from CD-TEXT packs (block 0: pack types 80h and 81h, strings
 * one after the other, each NUL-terminated, from the track a pack's byte 1 names; packs
 * with a wrong CRC are skipped). Pure. */
void wi_cd_text_decode(const uint8_t *packs, unsigned count, wi_cd_tracks *tr);

/* The tracks of the disc in the drive (none: n 0 and DM_OK on a blank disc). */
dm_status wi_cd_tracks_read(scsi_transport *t, wi_cd_tracks *out, dm_ctx *ctx);

/* "audio", "mode 1", "mode 2". */
const char *wi_cd_track_kind(const wi_cd_track *tr);
/* Text lines "  01  audio   0  04:05:10  18385 sectors" or a JSON array. */
void wi_cd_tracks_print(FILE *out, const wi_cd_tracks *tr, int json);

/* Each audio track as dir/trackNN.wav (dir made when missing). *saved: how many. */
dm_status wi_read_audio(scsi_transport *t, const char *dir, unsigned *saved, dm_ctx *ctx);

typedef struct wi_audio_check {
	int equal;            /* 1: every audio track of l equals the disc's */
	unsigned tracks;      /* audio tracks compared */
	uint64_t sectors;     /* sectors compared */
	unsigned track;       /* the first that differs: its number */
	int64_t sample;       /* its first differing sample frame (from index 1), -1: the
			       * track is missing, of another kind or shorter */
	char why[256];        /* what differs, in words */
} wi_audio_check;

/* Compare the audio tracks of l with the disc's tracks of the same numbers, sample by
 * sample. DM_OK with r->equal 0 when they differ; errors are read failures. */
dm_status wi_check_audio(scsi_transport *t, const cd_layout *l, wi_audio_check *r,
			 dm_ctx *ctx);

/* The track and index a sector's Q sub-channel (12 bytes, BCD, as on the disc) gives:
 * 1 for a position (ADR 1) with a right CRC (or none: all zero, as some drives' formatted
 * Q), else 0 (an MCN or ISRC frame, a damaged one). Pure. */
int wi_cd_q_position(const uint8_t q[12], unsigned *tno, unsigned *index);

#endif
