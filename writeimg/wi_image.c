#include "writeimg/wi_image.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

dm_status wi_image_open(const char *path, uint64_t size, wi_image *img, dm_ctx *ctx)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->name = path;
	if (strcmp(path, "-") == 0) {
		if (size == 0)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "reading the image from standard input needs --size");
		img->fd = STDIN_FILENO;
		img->is_stdin = 1;
		img->name = "standard input";
		img->size = size;
		return DM_OK;
	}
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open image %s", path);
	struct stat sb;
	if (fstat(img->fd, &sb) != 0) {
		int e = errno;
		wi_image_close(img);
		return dm_fail_errno(ctx, DM_ERR_IO, e, "cannot stat image %s", path);
	}
	uint64_t real;
	if (S_ISREG(sb.st_mode)) {
		real = (uint64_t)sb.st_size;
	} else {
		off_t end = lseek(img->fd, 0, SEEK_END);
		if (end < 0 || lseek(img->fd, 0, SEEK_SET) != 0) {
			if (!size) {
				wi_image_close(img);
				return dm_fail(ctx, DM_ERR_INVALID,
					       "%s is not a regular file: give its size with --size", path);
			}
			end = (off_t)size;
		}
		real = (uint64_t)end;
	}
	if (size && size > real) {
		wi_image_close(img);
		return dm_fail(ctx, DM_ERR_INVALID, "--size %llu is larger than %s (%llu bytes)",
			       (unsigned long long)size, path, (unsigned long long)real);
	}
	img->size = size ? size : real;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(img->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return DM_OK;
}

dm_status wi_image_read(wi_image *img, uint8_t *buf, size_t len, size_t *got, dm_ctx *ctx)
{
	uint64_t left = img->size - img->consumed;
	size_t want = left < len ? (size_t)left : len;
	size_t done = 0;
	while (done < want) {
		ssize_t r = read(img->fd, buf + done, want - done);
		if (r < 0 && errno == EINTR) {
			if (dm_cancelled(ctx))
				return dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted");
			continue;
		}
		if (r < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", img->name);
		if (r == 0)
			return dm_fail(ctx, DM_ERR_IO,
				       "%s ended after %llu bytes, %llu were promised",
				       img->name, (unsigned long long)(img->consumed + done),
				       (unsigned long long)img->size);
		done += (size_t)r;
	}
	img->consumed += done;
	*got = done;
	return DM_OK;
}

void wi_image_close(wi_image *img)
{
	if (img->fd >= 0 && !img->is_stdin)
		close(img->fd);
	img->fd = -1;
}
