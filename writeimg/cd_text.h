/* CD-TEXT (MMC-6 Annex J; Red Book CD-TEXT): the lead-in's R-W sub-channel carries 18-byte
 * packs - pack type, track number, sequence number, block/character position, 12 bytes of
 * text, CRC-16 - followed by the block's size information (three packs of type 8Fh).
 * We write block 0, language English, character code ISO 8859-1: the album's and the
 * tracks' TITLE, PERFORMER, SONGWRITER, COMPOSER, ARRANGER and MESSAGE, each a NUL
 * terminated string, one string after the other through the packs of its type, a pack's
 * text continuing the previous pack's (its character position says how far into the
 * current string it starts).
 *
 * Where the text comes from: a cue's TITLE/PERFORMER/SONGWRITER or a --cd-text file
 * (cd_text_file.h, spec/cd-text.md). */
#ifndef CD_TEXT_H
#define CD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "writeimg/cd_layout.h"

#define CD_TEXT_PACK_SIZE 18
#define CD_TEXT_PACKS_MAX 253 /* per block: 256 less the three size-information packs */

/* Encode layout's text into *packs (malloc'd, count * 18 bytes, the caller frees). No text
 * at all: *packs NULL and *count 0. More text than a block holds: DM_ERR_NOSPACE. */
dm_status cd_text_encode(const cd_layout *layout, uint8_t **packs, unsigned *count,
			 dm_ctx *ctx);

/* Packed R-W sub-channel, as a writer sends the lead-in's CD-TEXT (cue sheet data form
 * 41h): the 144 bits of a pack go out as 24 bytes of 6 bits (bits 5-0 carry R..W), most
 * significant first; 4 packs fill one sector's 96 bytes of sub-channel. */
void cd_text_pack_to_rw(const uint8_t pack[CD_TEXT_PACK_SIZE], uint8_t out[24]);

/* Text to ISO 8859-1: valid UTF-8 is converted (code points above U+00FF cannot be
 * written: -1); anything else is taken as ISO 8859-1 bytes already. Control characters
 * (below 20h, 7Fh-9Fh) are refused (-1). *out malloc'd (-2: out of memory). */
int cd_text_latin1(const char *in, char **out);

/* Check that the CRC of the 18-byte pack p is right: 1 when it is. */
int cd_text_pack_crc_ok(const uint8_t *p);

#endif
