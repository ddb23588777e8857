#include "writeimg/cd_audio_src.h"

#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "writeimg/cd_msf.h"

#define FRAME_BYTES 4 /* one stereo 16-bit sample frame */

struct cd_audio_src {
	char *path;
	cd_audio_kind kind;   /* after detection: SNDFILE, RAW_LE or RAW_BE */
	const char *format;
	SNDFILE *sf;          /* kind SNDFILE */
	int fd;               /* raw kinds */
	uint64_t frames;      /* announced */
	uint64_t pos;         /* next frame to read */
	short *pcm;           /* sndfile decode buffer */
	size_t pcm_frames;
};

cd_audio_kind cd_audio_src_kind(const cd_audio_src *src) { return src->kind; }
const char *cd_audio_src_format(const cd_audio_src *src) { return src->format; }
const char *cd_audio_src_path(const cd_audio_src *src) { return src->path; }
const char *cd_audio_src_tag(const cd_audio_src *src, cd_audio_tag tag)
{
	static const int str[] = { SF_STR_TITLE, SF_STR_ARTIST, SF_STR_ALBUM };
	if (!src->sf)
		return NULL;
	const char *v = sf_get_string(src->sf, str[tag]);
	return v && *v ? v : NULL;
}

uint64_t cd_audio_src_frames(const cd_audio_src *src) { return src->frames; }

uint32_t cd_audio_src_sectors(const cd_audio_src *src)
{
	return (uint32_t)((src->frames + CD_AUDIO_FRAMES_PER_SECTOR - 1) / CD_AUDIO_FRAMES_PER_SECTOR);
}

uint32_t cd_audio_src_pad_frames(const cd_audio_src *src)
{
	return (uint32_t)((uint64_t)cd_audio_src_sectors(src) * CD_AUDIO_FRAMES_PER_SECTOR - src->frames);
}

void cd_audio_src_free(cd_audio_src *src)
{
	if (!src)
		return;
	if (src->sf)
		sf_close(src->sf);
	if (src->fd >= 0)
		close(src->fd);
	free(src->pcm);
	free(src->path);
	free(src);
}

/* The names libsndfile gives a major format or a sample encoding ("WAV (Microsoft)",
 * "Signed 24 bit PCM"), for messages. */
static const char *sf_format_name(int format)
{
	SF_FORMAT_INFO fi;
	memset(&fi, 0, sizeof(fi));
	fi.format = format;
	if (sf_command(NULL, SFC_GET_FORMAT_INFO, &fi, sizeof(fi)) != 0 || !fi.name)
		return "unknown format";
	return fi.name;
}

static int has_raw_name(const char *path)
{
	static const char *const exts[] = { ".raw", ".pcm", ".cdda", ".bin" };
	size_t len = strlen(path);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t el = strlen(exts[i]);
		if (len > el && strcasecmp(path + len - el, exts[i]) == 0)
			return 1;
	}
	return 0;
}

/* RIFF/WAVE (the Microsoft multimedia RIFF format): the data chunk announces its size; a
 * file cut short holds less. libsndfile quietly plays what is there, so look ourselves. */
static dm_status check_wav_data(cd_audio_src *src, dm_ctx *ctx)
{
	int fd = open(src->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", src->path);
	struct stat sb;
	dm_status st = DM_OK;
	uint8_t h[12];
	if (fstat(fd, &sb) != 0 || pread(fd, h, 12, 0) != 12 || memcmp(h, "RIFF", 4) != 0 ||
	    memcmp(h + 8, "WAVE", 4) != 0)
		goto out; /* not RIFF (RF64, W64): libsndfile's own checks apply */
	uint64_t off = 12, size = (uint64_t)sb.st_size;
	while (off + 8 <= size) {
		uint8_t c[8];
		if (pread(fd, c, 8, (off_t)off) != 8)
			break;
		uint32_t len = dm_get_le32(c + 4);
		if (memcmp(c, "data", 4) == 0) {
			uint64_t have = size - off - 8;
			/* 0 and FFFFFFFFh: a writer that could not seek back (a pipe). */
			if (len != 0 && len != 0xFFFFFFFFu && len > have)
				st = dm_fail(ctx, DM_ERR_IO,
					     "%s is truncated: its WAV header announces %lu bytes of "
					     "audio (%lu sample frames), the file holds %llu",
					     src->path, (unsigned long)len, (unsigned long)(len / FRAME_BYTES),
					     (unsigned long long)have);
			break;
		}
		off += 8 + (uint64_t)len + (len & 1);
	}
out:
	close(fd);
	return st;
}

/* The byte offset of a LIST chunk of a RIFF/WAVE file whose entries do not fit inside it,
 * or 0. libsndfile 1.2 loops for ever on such a chunk (an entry sized FFFFFFFFh in a list
 * of an unknown type: found by tests/fuzz/fuzz_cd_files.c), so it never sees one. */
static uint64_t bad_list_chunk(int fd, uint64_t size)
{
	uint8_t c[12];
	if (pread(fd, c, 12, 0) != 12 || memcmp(c, "RIFF", 4) || memcmp(c + 8, "WAVE", 4))
		return 0;
	for (uint64_t off = 12; off + 8 <= size;) {
		if (pread(fd, c, 8, (off_t)off) != 8)
			return 0;
		uint32_t len = dm_get_le32(c + 4);
		if (memcmp(c, "data", 4) == 0 && (len == 0 || len == 0xFFFFFFFFu))
			return 0; /* streamed: the data runs to the end of the file */
		if (memcmp(c, "LIST", 4) == 0) {
			uint64_t end = off + 8 + (uint64_t)len;
			if (len < 4 || end > size)
				return off;
			for (uint64_t e = off + 12; e < end;) {
				if (e + 8 > end || pread(fd, c, 8, (off_t)e) != 8)
					return off;
				uint32_t n = dm_get_le32(c + 4);
				if (e + 8 + (uint64_t)n > end)
					return off;
				e += 8 + (uint64_t)n + (n & 1);
			}
		}
		off += 8 + (uint64_t)len + (len & 1);
	}
	return 0;
}

/* MPEG audio (MP3, MP2): an ID3v2 tag not followed by FLAC's "fLaC", or a frame header
 * at byte 0 (11 sync bits, then a version, layer, bitrate and sample rate that are not
 * the reserved values; ISO/IEC 11172-3 2.4.1.3). libsndfile hands such files to
 * libmpg123, which prints its notes on our stderr while it looks; we refuse them first. */
static int looks_mpeg(int fd)
{
	uint8_t h[10];
	int mpeg = 0;
	if (pread(fd, h, 10, 0) == 10 && memcmp(h, "ID3", 3) == 0) {
		uint64_t end = 10 + ((uint64_t)(h[6] & 0x7f) << 21 | (uint64_t)(h[7] & 0x7f) << 14 |
				     (uint64_t)(h[8] & 0x7f) << 7 | (h[9] & 0x7f));
		if (h[5] & 0x10) /* a footer follows the tag */
			end += 10;
		uint8_t m[4];
		mpeg = !(pread(fd, m, 4, (off_t)end) == 4 && memcmp(m, "fLaC", 4) == 0);
	} else if (pread(fd, h, 4, 0) == 4) {
		mpeg = h[0] == 0xff && (h[1] & 0xe0) == 0xe0 && ((h[1] >> 3) & 3) != 1 &&
		       ((h[1] >> 1) & 3) != 0 && (h[2] >> 4) != 0x0f && ((h[2] >> 2) & 3) != 3;
	}
	return mpeg;
}

/* What libsndfile must not be given: MPEG audio, a WAV with a broken LIST chunk. DM_OK
 * when the file can go to libsndfile; *mpeg (may be NULL) says it is MPEG-like, which a
 * raw name still takes as samples (raw samples may begin like a frame header). */
static dm_status check_before_sndfile(const char *path, int raw_name, int *mpeg, dm_ctx *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return DM_OK; /* libsndfile says why */
	struct stat sb;
	int m = looks_mpeg(fd);
	uint64_t bad = fstat(fd, &sb) == 0 ? bad_list_chunk(fd, (uint64_t)sb.st_size) : 0;
	close(fd);
	if (mpeg)
		*mpeg = m;
	if (m && !raw_name)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED, "%s is MPEG audio (MP3 or MP2): audio tracks "
			       "are WAV, FLAC or raw 44100 Hz 16-bit stereo (convert it, e.g. with "
			       "ffmpeg or sox)", path);
	if (bad)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: a malformed WAV file: the LIST chunk at byte "
			       "%llu is cut short or its entries run past it", path,
			       (unsigned long long)bad);
	return DM_OK;
}

/* kind SNDFILE, after check_before_sndfile. */
static dm_status open_sndfile(cd_audio_src *src, dm_ctx *ctx)
{
	dm_status st;
	SF_INFO info;
	memset(&info, 0, sizeof(info));
	src->sf = sf_open(src->path, SFM_READ, &info);
	if (!src->sf)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: not a WAV or FLAC file (libsndfile: %s)",
			       src->path, sf_strerror(NULL));
	int major = info.format & SF_FORMAT_TYPEMASK, sub = info.format & SF_FORMAT_SUBMASK;
	if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX)
		src->format = "WAV";
	else if (major == SF_FORMAT_FLAC)
		src->format = "FLAC";
	else
		return dm_fail(ctx, DM_ERR_UNSUPPORTED,
			       "%s is %s, %d Hz, %d channels: audio tracks are WAV, FLAC or raw "
			       "44100 Hz 16-bit stereo", src->path, sf_format_name(major),
			       info.samplerate, info.channels);
	if (sub != SF_FORMAT_PCM_16 || info.samplerate != CD_AUDIO_RATE || info.channels != 2)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED,
			       "%s is %s, %s, %d Hz, %d channel%s: an audio CD track needs "
			       "16-bit PCM, 44100 Hz, 2 channels (convert it, e.g. with sox)",
			       src->path, sf_format_name(major), sf_format_name(sub), info.samplerate,
			       info.channels, info.channels == 1 ? "" : "s");
	if (info.frames <= 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s holds no audio", src->path);
	src->frames = (uint64_t)info.frames;
	if (major != SF_FORMAT_FLAC && (st = check_wav_data(src, ctx)) != DM_OK)
		return st;
	/* The last announced frame must decode: a FLAC cut short fails here, at open. */
	short last[2];
	if (sf_seek(src->sf, info.frames - 1, SEEK_SET) < 0 || sf_readf_short(src->sf, last, 1) != 1)
		return dm_fail(ctx, DM_ERR_IO,
			       "%s is truncated: its %s header announces %llu sample frames, the last "
			       "of them cannot be decoded", src->path, src->format,
			       (unsigned long long)src->frames);
	if (sf_seek(src->sf, 0, SEEK_SET) != 0)
		return dm_fail(ctx, DM_ERR_IO, "%s: cannot seek back to its start (libsndfile: %s)",
			       src->path, sf_strerror(src->sf));
	src->pcm_frames = CD_AUDIO_FRAMES_PER_SECTOR * 16;
	src->pcm = malloc(src->pcm_frames * 2 * sizeof(short));
	if (!src->pcm)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory decoding %s", src->path);
	return DM_OK;
}

static dm_status open_raw(cd_audio_src *src, dm_ctx *ctx)
{
	src->format = src->kind == CD_AUDIO_RAW_BE ? "raw big-endian" : "raw little-endian";
	src->fd = open(src->path, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", src->path);
	struct stat sb;
	if (fstat(src->fd, &sb) != 0)
		return dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot stat %s", src->path);
	if (!S_ISREG(sb.st_mode))
		return dm_fail(ctx, DM_ERR_INVALID, "%s is not a regular file", src->path);
	uint64_t size = (uint64_t)sb.st_size;
	if (size == 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s holds no audio", src->path);
	if (size % FRAME_BYTES)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: %llu bytes is not a whole number of 4-byte sample frames "
			       "(raw audio is 44100 Hz 16-bit stereo)", src->path,
			       (unsigned long long)size);
	src->frames = size / FRAME_BYTES;
	return DM_OK;
}

dm_status cd_audio_src_open(const char *path, cd_audio_kind kind, cd_audio_src **out,
			    dm_ctx *ctx)
{
	*out = NULL;
	cd_audio_src *src = calloc(1, sizeof(*src));
	if (!src || !(src->path = strdup(path))) {
		free(src);
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory opening %s", path);
	}
	src->fd = -1;
	if (kind == CD_AUDIO_DETECT) {
		/* libsndfile recognises containers by content; only an unrecognised file
		 * with a raw audio name is taken as raw. */
		SF_INFO probe;
		memset(&probe, 0, sizeof(probe));
		int mpeg = 0;
		dm_status st = check_before_sndfile(path, has_raw_name(path), &mpeg, ctx);
		if (st) {
			cd_audio_src_free(src);
			return st;
		}
		SNDFILE *sf = mpeg ? NULL : sf_open(path, SFM_READ, &probe);
		if (sf) {
			sf_close(sf);
			kind = CD_AUDIO_SNDFILE;
		} else if (has_raw_name(path)) {
			kind = CD_AUDIO_RAW_LE;
		} else {
			struct stat sb;
			st = stat(path, &sb) != 0
				? dm_fail_errno(ctx, DM_ERR_IO, errno, "cannot open %s", path)
				: dm_fail(ctx, DM_ERR_INVALID,
					  "%s: not a WAV or FLAC file (libsndfile: %s); raw audio "
					  "(44100 Hz 16-bit stereo, little-endian) is taken from files "
					  "named .raw, .pcm, .cdda or .bin", path, sf_strerror(NULL));
			cd_audio_src_free(src);
			return st;
		}
	} else if (kind == CD_AUDIO_SNDFILE) {
		dm_status st = check_before_sndfile(path, 0, NULL, ctx);
		if (st) {
			cd_audio_src_free(src);
			return st;
		}
	}
	src->kind = kind;
	dm_status st = kind == CD_AUDIO_SNDFILE ? open_sndfile(src, ctx) : open_raw(src, ctx);
	if (st) {
		cd_audio_src_free(src);
		return st;
	}
	uint32_t pad = cd_audio_src_pad_frames(src);
	if (pad)
		dm_note(ctx, "%s: %llu sample frames end inside a sector: the last sector is "
			"padded with %u frames of silence", path, (unsigned long long)src->frames, pad);
	*out = src;
	return DM_OK;
}

static dm_status truncated(cd_audio_src *src, uint64_t got, dm_ctx *ctx)
{
	return dm_fail(ctx, DM_ERR_IO,
		       "%s is truncated: %llu sample frames announced, only %llu could be read",
		       src->path, (unsigned long long)src->frames, (unsigned long long)got);
}

/* Up to want frames from the file into out as CD-DA bytes; *got says how many. */
static dm_status read_frames(cd_audio_src *src, uint8_t *out, uint64_t want, uint64_t *got,
			     dm_ctx *ctx)
{
	*got = 0;
	if (src->kind == CD_AUDIO_SNDFILE) {
		while (*got < want) {
			size_t n = want - *got < src->pcm_frames ? (size_t)(want - *got) : src->pcm_frames;
			sf_count_t r = sf_readf_short(src->sf, src->pcm, (sf_count_t)n);
			if (r < 0)
				return dm_fail(ctx, DM_ERR_IO, "reading %s: %s", src->path,
					       sf_strerror(src->sf));
			for (sf_count_t i = 0; i < r * 2; i++)
				dm_put_le16(out + (*got * 2 + (uint64_t)i) * 2, (uint16_t)src->pcm[i]);
			*got += (uint64_t)r;
			if ((size_t)r < n)
				break;
		}
		return DM_OK;
	}
	size_t bytes = (size_t)(want * FRAME_BYTES), done = 0;
	while (done < bytes) {
		ssize_t r = pread(src->fd, out + done, bytes - done,
				  (off_t)(src->pos * FRAME_BYTES + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return dm_fail_errno(ctx, DM_ERR_IO, errno, "reading %s", src->path);
		if (r == 0)
			break;
		done += (size_t)r;
	}
	if (src->kind == CD_AUDIO_RAW_BE)
		for (size_t i = 0; i + 1 < done; i += 2) {
			uint8_t t = out[i];
			out[i] = out[i + 1];
			out[i + 1] = t;
		}
	*got = done / FRAME_BYTES;
	return DM_OK;
}

dm_status cd_audio_src_read(cd_audio_src *src, uint8_t *buf, uint32_t n, dm_ctx *ctx)
{
	uint64_t total = (uint64_t)cd_audio_src_sectors(src) * CD_AUDIO_FRAMES_PER_SECTOR;
	uint64_t want = (uint64_t)n * CD_AUDIO_FRAMES_PER_SECTOR;
	if (src->pos + want > total)
		return dm_fail(ctx, DM_ERR_INVALID, "%s: reading %u sectors at sector %llu, past its "
			       "end (%u sectors)", src->path, n,
			       (unsigned long long)(src->pos / CD_AUDIO_FRAMES_PER_SECTOR),
			       cd_audio_src_sectors(src));
	uint64_t from_file = src->pos >= src->frames ? 0
		: (src->frames - src->pos < want ? src->frames - src->pos : want);
	uint64_t got;
	dm_status st = read_frames(src, buf, from_file, &got, ctx);
	if (st)
		return st;
	if (got < from_file)
		return truncated(src, src->pos + got, ctx);
	memset(buf + got * FRAME_BYTES, 0, (size_t)((want - got) * FRAME_BYTES));
	src->pos += want;
	return DM_OK;
}

dm_status cd_audio_src_seek(cd_audio_src *src, uint32_t sector, dm_ctx *ctx)
{
	if (sector > cd_audio_src_sectors(src))
		return dm_fail(ctx, DM_ERR_INVALID, "%s: sector %u is past its end (%u sectors)",
			       src->path, sector, cd_audio_src_sectors(src));
	uint64_t frame = (uint64_t)sector * CD_AUDIO_FRAMES_PER_SECTOR;
	if (src->sf) {
		sf_count_t to = (sf_count_t)(frame < src->frames ? frame : src->frames);
		if (sf_seek(src->sf, to, SEEK_SET) != to)
			return dm_fail(ctx, DM_ERR_IO, "%s: cannot seek to sample frame %lld (%s)",
				       src->path, (long long)to, sf_strerror(src->sf));
	}
	src->pos = frame;
	return DM_OK;
}

dm_status cd_audio_src_check(cd_audio_src *src, dm_ctx *ctx)
{
	uint8_t *buf = malloc((size_t)16 * CD_SECTOR_RAW);
	if (!buf)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory checking %s", src->path);
	dm_status st = cd_audio_src_seek(src, 0, ctx);
	uint32_t left = cd_audio_src_sectors(src);
	while (!st && left) {
		uint32_t n = left < 16 ? left : 16;
		st = cd_audio_src_read(src, buf, n, ctx);
		left -= n;
		if (!st && dm_cancelled(ctx))
			st = dm_fail(ctx, DM_ERR_INTERRUPTED, "interrupted checking %s", src->path);
	}
	free(buf);
	return st ? st : cd_audio_src_seek(src, 0, ctx);
}
