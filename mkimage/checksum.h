/* Checksums of the whole image, computed while it streams into the sink (the sink's
 * observer sees every byte in order):
 *
 *   - --sha256: the SHA-256 of the image, for OUT.sha256 in `sha256sum -c` format or, with
 *     -o -, a line on standard error;
 *   - --implant-md5: the MD5 that Fedora's checkisomd5 (isomd5sum) verifies, stored in the
 *     primary volume descriptor's application use area (ECMA-119 8.4.32, bytes 883-1394 of
 *     the descriptor at sector 16) in isomd5sum's text form:
 *       "ISO MD5SUM = <32 hex>;SKIPSECTORS = 15;RHLISOSTATUS=0;FRAGMENT SUMS = <60 hex>;
 *        FRAGMENT COUNT = 20;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!"
 *     padded with spaces. The MD5 covers the image less its last 15 sectors, with the
 *     application use area read as 512 spaces; the 20 fragment sums are the first hex digit
 *     of each of the first 3 bytes of the running MD5 each time a 32 KiB read crosses into
 *     the next of 21 equal parts (implantisomd5 reads 32 KiB at a time; we count the same
 *     boundaries in the stream). The emitter writes the descriptor first, so the area is
 *     filled afterwards, in the temporary file (mk_sink_patch), before the rename: an image
 *     going to a pipe cannot be implanted.
 *
 * Ownership: the caller owns the mk_checksum and frees it after the sink is done. */
#ifndef MK_CHECKSUM_H
#define MK_CHECKSUM_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_media_sizes.h"
#include "common/dm_sha256.h"
#include "mkimage/sink.h"

#define MK_MD5_APPDATA_OFFSET (16u * DM_SECTOR + 883u) /* PVD at 16, 8.4.32 at byte 883 */
#define MK_MD5_APPDATA_LEN 512u

typedef struct mk_checksum mk_checksum;

/* total_sectors: the volume space size the PVD records (the image's size). */
mk_checksum *mk_checksum_new(int implant_md5, int sha256, uint64_t total_sectors);
void mk_checksum_free(mk_checksum *c);

/* Observe every byte written to s. */
void mk_checksum_attach(mk_checksum *c, mk_sink *s);

/* After the image is complete: the 512 bytes of the application use area (implant_md5). */
dm_status mk_checksum_appdata(mk_checksum *c, uint8_t area[MK_MD5_APPDATA_LEN], char md5_hex[33],
			      dm_ctx *ctx);

/* After the image is complete: its SHA-256 as streamed (not valid once the area is
 * patched: then hash the finished file with mk_checksum_sha256_of). */
void mk_checksum_sha256_hex(mk_checksum *c, char hex[2 * DM_SHA256_LEN + 1]);

/* Feed bytes read back from the finished image (a fresh SHA-256). */
void mk_checksum_reread(void *c, const uint8_t *data, size_t len);

/* Write "HEX  NAME\n" to path (via a temporary file and rename). */
dm_status mk_checksum_write_sha256_file(const char *path, const char *hex, const char *name, dm_ctx *ctx);

#endif
