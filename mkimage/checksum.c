#include "mkimage/checksum.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_md5.h"
#include "common/dm_media_sizes.h"

/* isomd5sum's constants (utilities.h there): what checkisomd5 reads back. */
#define SKIPSECTORS 15u
#define FRAGMENT_COUNT 20u
#define FRAGMENT_SUM_SIZE 60u
#define READ_CHUNK 32768u    /* implantisomd5 reads 16 sectors at a time */

struct mk_checksum {
	int implant, sha;
	uint64_t offset;         /* bytes seen */
	uint64_t md5_total;      /* bytes the MD5 covers: the image less SKIPSECTORS */
	uint64_t chunk_start;    /* stream offset of the chunk being gathered */
	size_t chunk_used;
	unsigned prev_fragment;
	dm_md5 md5;
	char frag[FRAGMENT_SUM_SIZE + 1];
	size_t nfrag;
	dm_sha256 sha256;
	uint8_t *chunk;
};

mk_checksum *mk_checksum_new(int implant_md5, int sha256, uint64_t total_sectors)
{
	mk_checksum *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->implant = implant_md5;
	c->sha = sha256;
	if (implant_md5) {
		if (!(c->chunk = malloc(READ_CHUNK))) {
			free(c);
			return NULL;
		}
		c->md5_total = total_sectors > SKIPSECTORS ? (total_sectors - SKIPSECTORS) * DM_SECTOR : 0;
		dm_md5_init(&c->md5);
	}
	dm_sha256_init(&c->sha256);
	return c;
}

void mk_checksum_free(mk_checksum *c)
{
	if (!c)
		return;
	free(c->chunk);
	free(c);
}

/* One read of implantisomd5's loop: update the MD5, and when this read starts in a new
 * twenty-first of the image, note the fragment sum of everything read so far. */
static void md5_chunk(mk_checksum *c)
{
	dm_md5_update(&c->md5, c->chunk, c->chunk_used);
	unsigned cur = (unsigned)(c->chunk_start * (FRAGMENT_COUNT + 1) / c->md5_total);
	if (cur != c->prev_fragment) {
		dm_md5 copy = c->md5;
		uint8_t d[DM_MD5_LEN];
		dm_md5_final(&copy, d);
		static const char hex[] = "0123456789abcdef";
		for (unsigned i = 0; i < FRAGMENT_SUM_SIZE / FRAGMENT_COUNT; i++)
			if (c->nfrag < FRAGMENT_SUM_SIZE)
				/* "%01x" of the byte, first character: its high digit, or the only one */
				c->frag[c->nfrag++] = hex[d[i] >= 16 ? d[i] >> 4 : d[i]];
		c->prev_fragment = cur;
	}
	c->chunk_start += c->chunk_used;
	c->chunk_used = 0;
}

static void observe(void *user, const uint8_t *data, size_t len)
{
	mk_checksum *c = user;
	if (c->sha)
		dm_sha256_update(&c->sha256, data, len);
	if (!c->implant) {
		c->offset += len;
		return;
	}
	while (len) {
		uint64_t at = c->offset;
		if (at >= c->md5_total) {
			c->offset += len;
			return;
		}
		size_t room = READ_CHUNK - c->chunk_used;
		uint64_t left = c->md5_total - at;
		size_t n = len < room ? len : room;
		if (n > left)
			n = (size_t)left;
		memcpy(c->chunk + c->chunk_used, data, n);
		/* checkisomd5 reads the application use area as spaces. */
		uint64_t a0 = MK_MD5_APPDATA_OFFSET, a1 = a0 + MK_MD5_APPDATA_LEN;
		if (at < a1 && at + n > a0) {
			uint64_t s = at > a0 ? at : a0, e = at + n < a1 ? at + n : a1;
			memset(c->chunk + c->chunk_used + (s - at), ' ', (size_t)(e - s));
		}
		c->chunk_used += n;
		c->offset += n;
		data += n;
		len -= n;
		if (c->chunk_used == READ_CHUNK || c->offset == c->md5_total)
			md5_chunk(c);
	}
}

void mk_checksum_attach(mk_checksum *c, mk_sink *s)
{
	mk_sink_set_observer(s, observe, c);
}

static size_t put(uint8_t *area, size_t at, const char *s)
{
	size_t n = strlen(s);
	if (at + n >= MK_MD5_APPDATA_LEN)
		return at;
	memcpy(area + at, s, n);
	return at + n;
}

dm_status mk_checksum_appdata(mk_checksum *c, uint8_t area[MK_MD5_APPDATA_LEN], char md5_hex[33], dm_ctx *ctx)
{
	if (!c->md5_total || c->offset < c->md5_total)
		return dm_fail(ctx, DM_ERR_INTERNAL, "internal error: the image is too small for an implanted MD5");
	if (c->chunk_used)
		md5_chunk(c);
	uint8_t d[DM_MD5_LEN];
	dm_md5_final(&c->md5, d);
	dm_md5_hex(d, md5_hex);
	c->frag[c->nfrag] = '\0';
	char buf[128];
	memset(area, ' ', MK_MD5_APPDATA_LEN);
	size_t at = 0;
	at = put(area, at, "ISO MD5SUM = ");
	at = put(area, at, md5_hex);
	at = put(area, at, ";");
	snprintf(buf, sizeof(buf), "SKIPSECTORS = %u", SKIPSECTORS);
	at = put(area, at, buf);
	at = put(area, at, ";");
	at = put(area, at, "RHLISOSTATUS=0");
	at = put(area, at, ";");
	at = put(area, at, "FRAGMENT SUMS = ");
	at = put(area, at, c->frag);
	at = put(area, at, ";");
	snprintf(buf, sizeof(buf), "FRAGMENT COUNT = %u", FRAGMENT_COUNT);
	at = put(area, at, buf);
	at = put(area, at, ";");
	put(area, at, "THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!");
	return DM_OK;
}

void mk_checksum_sha256_hex(mk_checksum *c, char hex[2 * DM_SHA256_LEN + 1])
{
	uint8_t d[DM_SHA256_LEN];
	dm_sha256 copy = c->sha256;
	dm_sha256_final(&copy, d);
	dm_sha256_hex(d, hex);
}

void mk_checksum_reread(void *user, const uint8_t *data, size_t len)
{
	mk_checksum *c = user;
	if (!c->sha) {
		c->sha = 1;
		dm_sha256_init(&c->sha256);
	}
	dm_sha256_update(&c->sha256, data, len);
}

dm_status mk_checksum_write_sha256_file(const char *path, const char *hex, const char *name, dm_ctx *ctx)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	if (!tmp)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory");
	snprintf(tmp, len + 8, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		dm_status st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot create a file next to %s", path);
		free(tmp);
		return st;
	}
	FILE *f = fdopen(fd, "w");
	dm_status st = DM_OK;
	if (!f) {
		close(fd);
		st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot write %s", tmp);
	} else {
		/* sha256sum's text form: two spaces, then the name as sha256sum -c opens it. */
		fprintf(f, "%s  %s\n", hex, name);
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) < 0 || fclose(f) != 0)
			st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot write %s", path);
		else if (rename(tmp, path) < 0)
			st = dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot rename %s to %s", tmp, path);
	}
	if (st)
		unlink(tmp);
	free(tmp);
	return st;
}
