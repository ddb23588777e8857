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
} wi_image;

/* Open path ("-": stdin, then size must be > 0). size, when non-zero for a file, must
 * not exceed the file's size (only the first size bytes are written). */
dm_status wi_image_open(const char *path, uint64_t size, wi_image *img, dm_ctx *ctx);
/* Read up to len bytes, fewer only at the end of the image; *got tells. A source that
 * ends before the promised size is an error naming both sizes. */
dm_status wi_image_read(wi_image *img, uint8_t *buf, size_t len, size_t *got, dm_ctx *ctx);
void wi_image_close(wi_image *img);

#endif
