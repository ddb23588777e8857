/* CDRWIN cue sheets, as cdrdao, wodim and cdrskin take them, read strictly into a disc
 * layout (cd_layout.h). Every error names the cue and its line.
 *
 *   CATALOG 1234567890123            REM anything (ignored)
 *   TITLE "Album"  PERFORMER "..."  SONGWRITER "..."   (before TRACK: the album's CD-TEXT)
 *   FILE "disc.bin" BINARY|MOTOROLA|WAVE   (relative names: from the cue's directory)
 *     TRACK 01 AUDIO|MODE1/2048|MODE1/2352|MODE2/2352
 *       FLAGS DCP 4CH PRE SCMS    ISRC CCOOOYYSSSSS    TITLE/PERFORMER/SONGWRITER "..."
 *       PREGAP mm:ss:ff           (generated silence or zero data before INDEX 01)
 *       INDEX 00 mm:ss:ff         (the pregap, from the file)
 *       INDEX 01 mm:ss:ff         (the track starts; INDEX 02..99 may follow)
 *       POSTGAP mm:ss:ff          (generated, after the track's data)
 *
 * Times are positions in the current FILE, in sectors of the track's mode (2352 or 2048
 * bytes; WAVE: 2352 bytes of decoded audio). A FILE's data runs on from one INDEX to the
 * next, across TRACKs and FILEs (EAC's "gaps appended to the previous track" cues work).
 * As in cdrdao and CDRWIN, the first FILE's 00:00:00 is LBA 0: the 150 sectors before it
 * are always added to the first track's pregap, generated; the first track's INDEX 00 and
 * PREGAP lengthen its pregap beyond them. */
#ifndef CD_CUE_H
#define CD_CUE_H

#include <stddef.h>

#include "common/dm_error.h"
#include "writeimg/cd_layout.h"

/* Read and parse the cue sheet at path. The files it names must exist and be long enough;
 * WAVE files are opened to learn their length. *out owned by the caller. */
dm_status cd_cue_load(const char *path, cd_layout **out, dm_ctx *ctx);
/* The same over len bytes of text already read; path names the cue in messages and its
 * directory resolves relative FILE names. */
dm_status cd_cue_parse(const char *text, size_t len, const char *path, cd_layout **out,
		       dm_ctx *ctx);

#endif
