/* CD addressing and codes shared by the audio and cue-sheet writers: MSF <-> LBA, BCD,
 * "mm:ss:ff" text, the ISRC and Media Catalog Number forms, and the CRC-16 that both the
 * Q sub-channel and CD-TEXT packs carry. Pure functions, no I/O. */
#ifndef CD_MSF_H
#define CD_MSF_H

#include <stddef.h>
#include <stdint.h>

#define CD_SECTOR_RAW 2352       /* bytes of main channel per sector (Red Book) */
#define CD_FRAMES_PER_SEC 75     /* sectors per second */
#define CD_PREGAP_FIRST 150      /* LBA 0 is MSF 00:02:00 (MMC-6's LBA to MSF table) */
#define CD_TRACK_MIN_SECTORS 300 /* Red Book: a track lasts at least 4 seconds */
#define CD_TRACKS_MAX 99
#define CD_INDEXES_MAX 99
#define CD_MSF_MAX_FRAMES (100u * 60 * CD_FRAMES_PER_SEC) /* 100:00:00, first invalid */

/* MMC-6's LBA to MSF table: LBA = (m*60 + s)*75 + f - 150 for the program area (MSF >= 00:00:00);
 * MSF 90:00:00 and above are the lead-in, LBA = ... - 450150. */
int32_t cd_msf_to_lba(unsigned m, unsigned s, unsigned f);
/* The inverse: lba >= -150 counts from MSF 00:00:00; below -150 (the lead-in) wraps to
 * 90:00:00 and above (the same table). *m, *s, *f binary (not BCD). */
void cd_lba_to_msf(int32_t lba, uint8_t *m, uint8_t *s, uint8_t *f);
/* A count of sectors (frames) as m, s, f. */
void cd_frames_to_msf(uint32_t frames, uint8_t *m, uint8_t *s, uint8_t *f);

/* Parse a cue-sheet time "mm:ss:ff" (1 to 3 digits of minutes, 2 of seconds and frames,
 * s < 60, f < 75) into a count of sectors. Returns 0, or -1 when text is not that form. */
int cd_msf_parse(const char *text, uint32_t *frames);
/* Format a count of sectors as "mm:ss:ff" into out (at least 12 bytes). */
void cd_msf_format(uint32_t frames, char *out, size_t size);

static inline uint8_t cd_bcd(unsigned v) { return (uint8_t)(((v / 10) << 4) | (v % 10)); }
static inline unsigned cd_unbcd(uint8_t b) { return (unsigned)(b >> 4) * 10 + (b & 0x0f); }

/* ISRC (ISO 3901): 12 characters CCOOOYYSSSSS, country code two letters, owner code three
 * letters or digits, year and serial five digits: letters upper case A-Z. 1 when valid. */
int cd_isrc_valid(const char *isrc);
/* Media Catalog Number (Red Book, UPC/EAN): 13 decimal digits. 1 when valid. */
int cd_mcn_valid(const char *mcn);

/* The CRC-16 of the Q sub-channel (Red Book) and of CD-TEXT packs (MMC-6 Annex J):
 * polynomial x^16 + x^12 + x^5 + 1 (0x11021), initial value 0, MSB first, the result
 * inverted (stored as its ones' complement, high byte first). */
uint16_t cd_crc16(const uint8_t *data, size_t len);

#endif
