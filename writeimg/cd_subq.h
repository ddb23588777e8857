/* The Q sub-channel of a CD sector (Red Book; ECMA-130's sub-channel Q): 12 bytes,
 * CTL/ADR, 9 bytes of data, CRC-16 (cd_crc16: inverted, high byte first).
 *   ADR 1, position: TNO, INDEX, the time within the track (counting down to 00:00:00
 *     through a pregap), a zero, the absolute time; all BCD.
 *   ADR 2, Media Catalog Number: 13 BCD digits, zeros, the absolute frame (BCD).
 *   ADR 3, ISRC: country and owner as five 6-bit characters, year and serial as seven BCD
 *     digits, zeros, the absolute frame (BCD).
 * And the raw P-W form a writer sends with data form C0h (and a reader gets from READ CD
 * with raw sub-channel): 96 bytes, byte i carrying bit i of each channel, P in bit 7,
 * Q in bit 6, R..W in bits 5..0.
 *
 * For a whole disc, cd_subq_for_lba picks the Q of any sector of a layout: position, with
 * the MCN and the track's ISRC in place of it once every 100 sectors (Red Book: at least
 * once in 100 successive sectors), and P set in pregaps (the pause flag). */
#ifndef CD_SUBQ_H
#define CD_SUBQ_H

#include <stdint.h>

#include "writeimg/cd_layout.h"

#define CD_SUBQ_SIZE 12
#define CD_SUBCH_RAW_SIZE 96

/* ADR 1 for sector lba of track tno at index; rel: sectors from the track's index 1
 * (negative in the pregap: the time counts down). ctl: the Q control nibble. */
void cd_subq_position(uint8_t ctl, unsigned tno, unsigned index, int32_t rel, int32_t lba,
		      uint8_t q[CD_SUBQ_SIZE]);
/* ADR 2; mcn: 13 digits (cd_mcn_valid). */
void cd_subq_mcn(uint8_t ctl, const char *mcn, int32_t lba, uint8_t q[CD_SUBQ_SIZE]);
/* ADR 3; isrc: 12 characters (cd_isrc_valid). */
void cd_subq_isrc(uint8_t ctl, const char *isrc, int32_t lba, uint8_t q[CD_SUBQ_SIZE]);

/* The Q (and P) of sector lba of layout (-150 <= lba < lead-out). */
void cd_subq_for_lba(const cd_layout *layout, int32_t lba, uint8_t q[CD_SUBQ_SIZE], int *p);

/* Interleave P (0 or 1) and Q into 96 raw P-W bytes (R-W zero), and back: the reader
 * returns P and fills q. */
void cd_subq_to_pw(const uint8_t q[CD_SUBQ_SIZE], int p, uint8_t out[CD_SUBCH_RAW_SIZE]);
int cd_subq_from_pw(const uint8_t in[CD_SUBCH_RAW_SIZE], uint8_t q[CD_SUBQ_SIZE]);

/* 1 when the CRC of q is right. */
int cd_subq_crc_ok(const uint8_t q[CD_SUBQ_SIZE]);

#endif
