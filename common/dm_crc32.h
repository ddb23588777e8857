/* CRC-32 as ISO 3309 / ITU-T V.42 define it (the one of zlib, Ethernet and PNG: polynomial
 * 04C11DB7h reflected, initial value and final XOR FFFFFFFFh). UEFI's GPT headers and
 * partition arrays carry it (UEFI 2.x 5.3.2). UDF's descriptor CRC is a different one
 * (CRC-CCITT, mkimage/udf/udf_tag.c). Bit by bit: GPT needs it over a few KiB per image. */
#ifndef DM_CRC32_H
#define DM_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC over more bytes: start with crc = 0, pass the previous result after. */
uint32_t dm_crc32(uint32_t crc, const void *data, size_t len);

#endif
