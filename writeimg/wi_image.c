#include "writeimg/wi_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"

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

static dm_status read_fd(wi_image *img, uint8_t *buf, size_t want, uint64_t already,
			 dm_ctx *ctx)
{
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
				       img->name, (unsigned long long)(already + done),
				       (unsigned long long)img->size);
		done += (size_t)r;
	}
	return DM_OK;
}

dm_status wi_image_head(wi_image *img, const uint8_t **head, size_t *len, dm_ctx *ctx)
{
	if (!img->head) {
		if (img->consumed)
			return dm_fail(ctx, DM_ERR_INTERNAL, "wi_image_head after reading %s", img->name);
		size_t want = img->size < WI_IMAGE_HEAD_BYTES ? (size_t)img->size
							      : WI_IMAGE_HEAD_BYTES;
		img->head = malloc(want ? want : 1);
		if (!img->head)
			return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
		dm_status st = read_fd(img, img->head, want, 0, ctx);
		if (st != DM_OK)
			return st;
		img->head_len = want;
	}
	*head = img->head;
	*len = img->head_len;
	return DM_OK;
}

dm_status wi_image_read(wi_image *img, uint8_t *buf, size_t len, size_t *got, dm_ctx *ctx)
{
	uint64_t left = img->size - img->consumed;
	size_t want = left < len ? (size_t)left : len;
	size_t done = 0;
	if (img->consumed < img->head_len) {
		size_t from = (size_t)img->consumed;
		done = img->head_len - from < want ? img->head_len - from : want;
		memcpy(buf, img->head + from, done);
	}
	dm_status st = read_fd(img, buf + done, want - done, img->consumed + done, ctx);
	if (st != DM_OK)
		return st;
	img->consumed += want;
	*got = want;
	return DM_OK;
}

void wi_image_close(wi_image *img)
{
	if (img->fd >= 0 && !img->is_stdin)
		close(img->fd);
	img->fd = -1;
	free(img->head);
	img->head = NULL;
	img->head_len = 0;
}

/* ---- identification ------------------------------------------------------------------ */

#define SEC 2048u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *sector(const uint8_t *buf, size_t len, uint64_t lba)
{
	return (lba + 1) * SEC <= len ? buf + lba * SEC : NULL;
}

/* Printable ASCII of an identifier, trailing blanks cut. */
static void ascii_id(char *dst, size_t cap, const uint8_t *src, size_t n, size_t step)
{
	size_t o = 0;
	for (size_t i = 0; i + step <= n && o + 1 < cap; i += step) {
		uint8_t c = src[i + step - 1];
		if (c == 0)
			break;
		dst[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

/* ECMA-167 1/7.2 descriptor tag: identifier in bytes 0-1, the location it claims in
 * 12-15; checksum over bytes 0-3 and 5-15 in byte 4. */
static int udf_tag(const uint8_t *d, uint16_t id, uint64_t lba)
{
	if (!d || (d[0] | d[1] << 8) != id || le32(d + 12) != lba)
		return 0;
	uint8_t sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum = (uint8_t)(sum + d[i]);
	return sum == d[4];
}

/* ECMA-167 1/7.2.12 dstring: compression id 8 or 16, characters, length in the last byte. */
static void udf_dstring(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t used = src[n - 1];
	if (used > n - 1 || used < 1 || (src[0] != 8 && src[0] != 16)) {
		dst[0] = '\0';
		return;
	}
	ascii_id(dst, cap, src + 1, used - 1, src[0] == 16 ? 2 : 1);
}

static void identify_udf(const uint8_t *buf, size_t len, wi_image_id *out)
{
	const uint8_t *avdp = sector(buf, len, 256);
	if (!udf_tag(avdp, 2, 256))
		return;
	uint32_t vds_len = le32(avdp + 16), vds = le32(avdp + 20);
	for (uint32_t i = 0; i < vds_len / SEC && i < 64; i++) {
		const uint8_t *d = sector(buf, len, (uint64_t)vds + i);
		if (!d)
			break;
		if (udf_tag(d, 1, (uint64_t)vds + i) && !out->volume_id[0])
			udf_dstring(out->volume_id, sizeof(out->volume_id), d + 24, 32);
		if (udf_tag(d, 5, (uint64_t)vds + i) && !out->volume_blocks) {
			out->volume_blocks = (uint64_t)le32(d + 188) + le32(d + 192) + 257;
			out->size_from_udf = 1;
		}
		if (udf_tag(d, 8, (uint64_t)vds + i))
			break;
	}
}

/* ECMA-119 9.1: a directory's first record is "." (name length 1, byte 00h) naming the
 * directory's own extent, in both byte orders (7.3.3). */
static int dot_record(const uint8_t *d, uint32_t extent)
{
	return d && d[0] >= 34 && d[32] == 1 && d[33] == 0 && (d[25] & 2) &&
	       le32(d + 2) == extent && dm_get_be32(d + 6) == extent;
}

/* IEEE P1281 (SUSP) 5.3, 5.5 and P1282 (RRIP) 4: the root's "." record begins its system
 * use area with SP (BEh EFh); an ER entry names RRIP_1991A, IEEE_P1282 or IEEE_1282, and
 * PX entries carry the POSIX attributes. The entries may continue in a CE area elsewhere
 * (its block absolute: base is the image's own address). */
static int susp_rock_ridge(const uint8_t *buf, size_t len, const uint8_t *rec, uint64_t base)
{
	size_t pos = 34, end = rec[0];
	const uint8_t *area = rec;
	int sp = 0, rr = 0;
	for (int hops = 0; hops < 4;) {
		if (pos + 4 > end)
			break;
		const uint8_t *e = area + pos;
		size_t el = e[2];
		if (el < 4 || pos + el > end)
			break;
		if (!memcmp(e, "SP", 2) && el >= 7 && e[4] == 0xbe && e[5] == 0xef)
			sp = 1;
		else if (!memcmp(e, "PX", 2) || !memcmp(e, "RR", 2))
			rr = 1;
		else if (!memcmp(e, "ER", 2) && el >= 8 && 8u + e[4] <= el) {
			const uint8_t *id = e + 8;
			size_t n = e[4];
			if ((n == 10 && (!memcmp(id, "RRIP_1991A", 10) || !memcmp(id, "IEEE_P1282", 10))) ||
			    (n == 9 && !memcmp(id, "IEEE_1282", 9)))
				rr = 1;
		} else if (!memcmp(e, "CE", 2) && el >= 28) {
			uint64_t blk = le32(e + 4), off = le32(e + 12), cl = le32(e + 20);
			if (blk < base || (blk - base) * SEC + off + cl > len || off + cl > SEC)
				break;
			area = buf + (blk - base) * SEC + off;
			pos = 0;
			end = cl;
			hops++;
			continue;
		} else if (!memcmp(e, "ST", 2)) {
			break;
		}
		pos += el;
	}
	return sp && rr;
}

/* Where the root directory's "." record lies in buf: at its own LBA for an image made
 * for a first session, root - N for one made for a session at N (mkimage --previous,
 * mkisofs -C). Sets base to the address the image was made for. */
static const uint8_t *find_root(const uint8_t *buf, size_t len, uint32_t root, uint64_t *base)
{
	const uint8_t *d = sector(buf, len, root);
	if (dot_record(d, root)) {
		*base = 0;
		return d;
	}
	for (uint64_t s = 17; s <= root && (s + 1) * SEC <= len; s++)
		if (dot_record(buf + s * SEC, root)) {
			*base = root - s;
			return buf + s * SEC;
		}
	return NULL;
}

/* A UDF anchor (tag 2) at the image's sector 256: its location field says where the image
 * was made to lie (256 for a first session, N + 256 for one at N). */
static void udf_anchor(const uint8_t *buf, size_t len, wi_image_id *out)
{
	const uint8_t *a = sector(buf, len, 256);
	if (!a || (a[0] | a[1] << 8) != 2)
		return;
	uint8_t sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum = (uint8_t)(sum + a[i]);
	if (sum == a[4])
		out->udf_anchor = le32(a + 12);
}

void wi_image_identify(const uint8_t *buf, size_t len, wi_image_id *out)
{
	memset(out, 0, sizeof(*out));
	out->made_for = -1;
	out->udf_anchor = -1;
	out->all_zero = out->head_zero = 1;
	for (size_t i = 0; i < len; i++)
		if (buf[i]) {
			out->all_zero = 0;
			out->head_zero = i >= 32 * SEC;
			break;
		}
	int iso = 0, bea = 0;
	/* ECMA-119 8.1: volume descriptors from sector 16 up to the terminator (type 255);
	 * ECMA-167 2/9.1: the extended area (BEA01 ... TEA01) follows it. */
	for (uint64_t lba = 16; lba < 16 + 64; lba++) {
		const uint8_t *d = sector(buf, len, lba);
		if (!d)
			break;
		if (!memcmp(d + 1, "CD001", 5)) {
			if (d[0] == 1 && !iso) {
				iso = 1;
				ascii_id(out->volume_id, sizeof(out->volume_id), d + 40, 32, 1);
				out->volume_blocks = le32(d + 80);
				out->root_lba = le32(d + 156 + 2); /* 8.4.18: the root's record */
			} else if (d[0] == 0 && !memcmp(d + 7, "EL TORITO SPECIFICATION", 23)) {
				out->bootable = 1;
			} else if (d[0] == 2 && d[88] == '%' && d[89] == '/' &&
				   (d[90] == '@' || d[90] == 'C' || d[90] == 'E')) {
				out->joliet = 1;
			}
		} else if (!memcmp(d + 1, "BEA01", 5)) {
			bea = 1;
		} else if (bea && (!memcmp(d + 1, "NSR02", 5) || !memcmp(d + 1, "NSR03", 5))) {
			out->udf_nsr = d[5] - '0';
		} else if (!memcmp(d + 1, "TEA01", 5) || (!iso && !bea)) {
			break;
		}
	}
	if (iso && out->root_lba) {
		uint64_t base;
		const uint8_t *root = find_root(buf, len, out->root_lba, &base);
		if (root) {
			out->made_for = (int64_t)base;
			out->rock_ridge = susp_rock_ridge(buf, len, root, base);
		}
	}
	if (out->udf_nsr)
		udf_anchor(buf, len, out);
	if (out->udf_nsr) {
		char iso_id[64];
		uint64_t iso_blocks = out->volume_blocks;
		memcpy(iso_id, out->volume_id, sizeof(iso_id));
		out->volume_id[0] = '\0';
		out->volume_blocks = 0;
		identify_udf(buf, len, out);
		if (iso) {
			memcpy(out->volume_id, iso_id, sizeof(iso_id));
			out->volume_blocks = iso_blocks;
			out->size_from_udf = 0;
		}
	}
	out->kind = iso && out->udf_nsr ? WI_IMG_BRIDGE : iso ? WI_IMG_ISO9660
		  : out->udf_nsr ? WI_IMG_UDF : WI_IMG_UNKNOWN;
}

const char *wi_image_kind_name(wi_image_kind kind)
{
	switch (kind) {
	case WI_IMG_ISO9660: return "ISO 9660";
	case WI_IMG_UDF: return "UDF";
	case WI_IMG_BRIDGE: return "ISO 9660 + UDF bridge";
	case WI_IMG_UNKNOWN: break;
	}
	return "no known image";
}

void wi_image_describe(const wi_image_id *id, uint64_t bytes, char *buf, size_t len)
{
	double mb = (double)bytes / 1e6;
	snprintf(buf, len, "%s%s%s, volume \"%s\", %.1f MB (%llu sectors)%s",
		 wi_image_kind_name(id->kind), id->rock_ridge ? " + Rock Ridge" : "",
		 id->joliet ? " + Joliet" : "", id->volume_id, mb,
		 (unsigned long long)((bytes + SEC - 1) / SEC),
		 id->bootable ? ", bootable (El Torito)" : "");
}
