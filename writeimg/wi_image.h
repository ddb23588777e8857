/* The image to write: a file, or standard input with a size given on the command line
 * (a pipe has no size, and the pre-flight check needs one). */
#ifndef WI_IMAGE_H
#define WI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"

typedef struct wi_image {
	int fd;
	int is_stdin;
	uint64_t size;        /* bytes */
	const char *name;     /* for messages */
	uint64_t consumed;
	uint8_t *head;        /* the first bytes, read ahead by wi_image_head() */
	size_t head_len;
} wi_image;

/* What an image is, from its first sectors (ECMA-119 8, ECMA-167 2/9 and 3/10, El
 * Torito 2.0). Pure: no I/O. */
typedef enum wi_image_kind { WI_IMG_UNKNOWN, WI_IMG_ISO9660, WI_IMG_UDF, WI_IMG_BRIDGE }
	wi_image_kind;
typedef struct wi_image_id {
	wi_image_kind kind;
	int joliet;              /* a Joliet supplementary volume descriptor */
	int bootable;            /* an El Torito boot record */
	int udf_nsr;             /* 2 or 3: NSR02 / NSR03 in the volume recognition sequence */
	char volume_id[64];      /* ISO PVD volume identifier, else the UDF volume identifier */
	uint64_t volume_blocks;  /* ISO volume space size, else the UDF partition end + 257
				  * (ECMA-167 3/8.4.2.1 anchor at N - 256 = partition end): 0
				  * when not told */
	int size_from_udf;       /* volume_blocks is the UDF guess, to be checked */
	int rock_ridge;          /* the root's "." record carries SUSP SP and Rock Ridge (ER
				  * RRIP / PX) entries */
	uint32_t root_lba;       /* ISO 9660: the root directory's extent (PVD 8.4.18) */
	int64_t made_for;        /* ISO 9660: the address the image was made to be written at
				  * (0: a first session; N: a session made over a disc for LBA
				  * N), from where its root directory lies in it; -1: not seen in
				  * the bytes given */
	int64_t udf_anchor;      /* UDF: the location field of the anchor at the image's
				  * sector 256 (256 + the address it was made for), -1: none */
	int all_zero;            /* the bytes looked at are all zero */
	int head_zero;           /* the first 64 KiB (sectors 0-31, where ISO 9660 and UDF are
				  * recognized) are zero: a cleared or never written disc */
} wi_image_id;
/* Sectors wi_image_identify() wants to see for the UDF anchor and descriptors. */
#define WI_IMAGE_HEAD_BYTES (512u * 2048u)
void wi_image_identify(const uint8_t *buf, size_t len, wi_image_id *out);
/* "ISO 9660 + UDF bridge" style name of a kind. */
const char *wi_image_kind_name(wi_image_kind kind);
/* One line: 'ISO 9660 + Joliet, volume "X", 3.0 MB, bootable (El Torito)'. */
void wi_image_describe(const wi_image_id *id, uint64_t bytes, char *buf, size_t len);

/* Read the image's first bytes (up to WI_IMAGE_HEAD_BYTES) ahead; later reads start with
 * them again. *head / *len locate them. */
dm_status wi_image_head(wi_image *img, const uint8_t **head, size_t *len, dm_ctx *ctx);

/* Open path ("-": stdin, then size must be > 0). size, when non-zero for a file, must
 * not exceed the file's size (only the first size bytes are written). */
dm_status wi_image_open(const char *path, uint64_t size, wi_image *img, dm_ctx *ctx);
/* Read up to len bytes, fewer only at the end of the image; *got tells. A source that
 * ends before the promised size is an error naming both sizes. */
dm_status wi_image_read(wi_image *img, uint8_t *buf, size_t len, size_t *got, dm_ctx *ctx);
void wi_image_close(wi_image *img);

#endif
