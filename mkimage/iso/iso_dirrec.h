/* ECMA-119 directory records (9.1), path table records (9.4) and dates (8.4.26.1, 9.1.5),
 * encoded into byte buffers. Shared by the primary and the Joliet hierarchy. */
#ifndef MK_ISO_DIRREC_H
#define MK_ISO_DIRREC_H

#include <stddef.h>
#include <stdint.h>

/* File flags, ECMA-119 9.1.6. */
#define ISO_FLAG_HIDDEN 0x01
#define ISO_FLAG_DIR 0x02
#define ISO_FLAG_MULTI_EXTENT 0x80

/* The 7-byte recording date of a directory record, UTC. Years outside 1900-2155 are
 * clamped to the nearest representable date. */
void iso_put_date7(uint8_t *p, int64_t t);
/* The 17-byte volume date "YYYYMMDDHHMMSScc" + GMT offset, UTC. */
void iso_put_date17(uint8_t *p, int64_t t);
/* The 17-byte "not specified" date: sixteen '0' digits and a zero offset. */
void iso_put_date17_unset(uint8_t *p);

/* Write one directory record at p (room for iso_rec_len() bytes) and return its length.
 * su may be NULL when su_len is 0; an odd su_len is padded with a zero byte. */
size_t iso_put_dirrec(uint8_t *p, uint32_t lba, uint32_t size, int64_t mtime, uint8_t flags,
		      const uint8_t *id, uint8_t id_len, const uint8_t *su, size_t su_len);

/* Write one path table record (big_endian: the M table) and return its length. */
size_t iso_put_ptrec(uint8_t *p, int big_endian, uint32_t lba, uint16_t parent, const uint8_t *id,
		     uint8_t id_len);

#endif
