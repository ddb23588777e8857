/* Test sounds for tests/integration/writeimg_audio.sh, through libsndfile (no sox or flac
 * needed): `mksound OUT FRAMES SEED [--rate R] [--channels C] [--pcm24] [--title T]
 * [--artist A] [--album B]` writes FRAMES sample frames of reproducible noise as WAV,
 * FLAC (by OUT's suffix .wav/.flac) or raw 16-bit little-endian (.raw); `mksound --pcm IN
 * OUT` decodes IN (WAV or FLAC) into raw 16-bit little-endian stereo, the PCM payload a
 * ripped track is compared with; `mksound --mode1 IN OUT LBA` makes raw 2352-byte Mode 1
 * sectors (sync, header, EDC, ECC: common/dm_cd_sector.c) of IN's 2048-byte sectors, the
 * first at LBA, for a cue sheet's MODE1/2352 track. */
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dm_cd_sector.h"

static int ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int pcm(const char *in, const char *out)
{
	SF_INFO info;
	memset(&info, 0, sizeof(info));
	SNDFILE *f = sf_open(in, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "mksound: %s: %s\n", in, sf_strerror(NULL));
		return 1;
	}
	FILE *o = fopen(out, "wb");
	if (!o)
		return 1;
	short buf[4096];
	sf_count_t n;
	while ((n = sf_read_short(f, buf, 4096)) > 0)
		for (sf_count_t i = 0; i < n; i++) {
			uint16_t v = (uint16_t)buf[i];
			fputc(v & 0xff, o);
			fputc(v >> 8, o);
		}
	sf_close(f);
	return fclose(o) ? 1 : 0;
}

static int mode1(const char *in, const char *out, long lba)
{
	FILE *i = fopen(in, "rb"), *o = fopen(out, "wb");
	if (!i || !o) {
		fprintf(stderr, "mksound: cannot open %s or %s\n", in, out);
		return 1;
	}
	uint8_t user[DM_CD_USER], raw[DM_CD_RAW];
	size_t n;
	while ((n = fread(user, 1, sizeof(user), i)) > 0) {
		memset(user + n, 0, sizeof(user) - n);
		dm_cd_sector_mode1((int32_t)lba++, user, raw);
		if (fwrite(raw, 1, sizeof(raw), o) != sizeof(raw))
			return 1;
	}
	fclose(i);
	return fclose(o) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--pcm"))
		return pcm(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "--mode1"))
		return mode1(argv[2], argv[3], atol(argv[4]));
	if (argc < 4) {
		fprintf(stderr, "usage: mksound OUT FRAMES SEED [options] | --pcm IN OUT\n");
		return 2;
	}
	const char *out = argv[1];
	long frames = atol(argv[2]);
	uint32_t x = (uint32_t)atol(argv[3]) * 2654435761u + 1;
	int rate = 44100, channels = 2, pcm24 = 0;
	const char *title = NULL, *artist = NULL, *album = NULL;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--rate") && i + 1 < argc)
			rate = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--channels") && i + 1 < argc)
			channels = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pcm24"))
			pcm24 = 1;
		else if (!strcmp(argv[i], "--title") && i + 1 < argc)
			title = argv[++i];
		else if (!strcmp(argv[i], "--artist") && i + 1 < argc)
			artist = argv[++i];
		else if (!strcmp(argv[i], "--album") && i + 1 < argc)
			album = argv[++i];
		else {
			fprintf(stderr, "mksound: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	SF_INFO info;
	memset(&info, 0, sizeof(info));
	info.samplerate = rate;
	info.channels = channels;
	int sub = pcm24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16;
	if (ends(out, ".flac"))
		info.format = SF_FORMAT_FLAC | sub;
	else if (ends(out, ".raw"))
		info.format = SF_FORMAT_RAW | sub | SF_ENDIAN_LITTLE;
	else
		info.format = SF_FORMAT_WAV | sub;
	SNDFILE *f = sf_open(out, SFM_WRITE, &info);
	if (!f) {
		fprintf(stderr, "mksound: %s: %s\n", out, sf_strerror(NULL));
		return 1;
	}
	if (title)
		sf_set_string(f, SF_STR_TITLE, title);
	if (artist)
		sf_set_string(f, SF_STR_ARTIST, artist);
	if (album)
		sf_set_string(f, SF_STR_ALBUM, album);
	short buf[4096];
	long left = frames * channels;
	while (left > 0) {
		long n = left < 4096 ? left : 4096;
		for (long i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (short)(x >> 8); /* never all zero: silence would hide a shift */
		}
		if (sf_write_short(f, buf, n) != n) {
			fprintf(stderr, "mksound: %s: %s\n", out, sf_strerror(f));
			return 1;
		}
		left -= n;
	}
	return sf_close(f) ? 1 : 0;
}
