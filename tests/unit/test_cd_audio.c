/* cd_audio_src: WAV, FLAC and raw audio read as CD-DA sectors, sample-exact; wrong formats,
 * truncated files and reads past the end refused with the file named. The WAV and FLAC
 * files are made here with libsndfile itself (an independent writer of the container). */
#include <CUnit/Basic.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_msf.h"
#include "writeimg/cd_wav_out.h"

static char dir[64];
static char notes[2048];

static void on_message(void *user, dm_level level, const char *text)
{
	(void)user;
	(void)level;
	snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes), "%s\n", text);
}

static void ctx_init(dm_ctx *ctx)
{
	dm_ctx_init(ctx);
	ctx->on_message = on_message;
	notes[0] = '\0';
}

static int suite_init(void)
{
	strcpy(dir, "/tmp/test_cd_audio.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
	static char p[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* The sample of frame i, channel c: distinct in both bytes, negative half the time. */
static int16_t sample(uint64_t i, int c) { return (int16_t)(i * 7919u + (unsigned)c * 40503u); }

/* Write frames sample frames with libsndfile in format, rate, channels. */
static void make_sound(const char *path, int format, int rate, int channels, uint64_t frames)
{
	SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sf);
	short buf[2 * 1000];
	for (uint64_t i = 0; i < frames;) {
		size_t n = frames - i < 1000 ? (size_t)(frames - i) : 1000;
		for (size_t k = 0; k < n; k++)
			for (int c = 0; c < channels && c < 2; c++)
				buf[k * (size_t)channels + (size_t)c] = sample(i + k, c);
		CU_ASSERT_EQUAL_FATAL(sf_writef_short(sf, buf, (sf_count_t)n), (sf_count_t)n);
		i += n;
	}
	sf_close(sf);
}

static void make_raw(const char *path, uint64_t frames, int big_endian)
{
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (uint64_t i = 0; i < frames; i++)
		for (int c = 0; c < 2; c++) {
			uint8_t b[2];
			if (big_endian)
				dm_put_be16(b, (uint16_t)sample(i, c));
			else
				dm_put_le16(b, (uint16_t)sample(i, c));
			fwrite(b, 1, 2, f);
		}
	fclose(f);
}

/* Read the whole source and compare every byte with the expected CD-DA bytes (little
 * endian, left first), then silence to the sector's end. */
static void check_all(cd_audio_src *src, uint64_t frames)
{
	uint32_t sectors = cd_audio_src_sectors(src);
	CU_ASSERT_EQUAL(sectors, (frames + 587) / 588);
	uint8_t *buf = malloc((size_t)sectors * CD_SECTOR_RAW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	dm_ctx ctx;
	ctx_init(&ctx);
	/* In uneven pieces, so reads cross libsndfile's buffer and sector boundaries. */
	uint32_t done = 0, step = 1;
	while (done < sectors) {
		uint32_t n = sectors - done < step ? sectors - done : step;
		CU_ASSERT_EQUAL_FATAL(cd_audio_src_read(src, buf + (size_t)done * CD_SECTOR_RAW, n, &ctx), DM_OK);
		done += n;
		step = step * 3 + 1;
	}
	uint64_t bad = 0;
	for (uint64_t i = 0; i < (uint64_t)sectors * 588; i++)
		for (int c = 0; c < 2; c++) {
			uint16_t want = i < frames ? (uint16_t)sample(i, c) : 0;
			if (dm_get_le16(buf + i * 4 + (unsigned)c * 2) != want)
				bad++;
		}
	CU_ASSERT_EQUAL(bad, 0);
	/* Past the end: refused, naming the file. */
	CU_ASSERT_EQUAL(cd_audio_src_read(src, buf, 1, &ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "past its end"));
	/* Seek back into the middle: the same bytes again. */
	if (sectors > 2) {
		CU_ASSERT_EQUAL(cd_audio_src_seek(src, 1, &ctx), DM_OK);
		uint8_t one[CD_SECTOR_RAW];
		CU_ASSERT_EQUAL(cd_audio_src_read(src, one, 1, &ctx), DM_OK);
		CU_ASSERT_EQUAL(memcmp(one, buf + CD_SECTOR_RAW, CD_SECTOR_RAW), 0);
	}
	free(buf);
}

static void open_and_check(const char *path, cd_audio_kind kind, const char *format,
			   uint64_t frames)
{
	dm_ctx ctx;
	ctx_init(&ctx);
	cd_audio_src *src;
	dm_status st = cd_audio_src_open(path, kind, &src, &ctx);
	if (st)
		fprintf(stderr, "\n%s\n", ctx.msg);
	CU_ASSERT_EQUAL_FATAL(st, DM_OK);
	CU_ASSERT_STRING_EQUAL(cd_audio_src_format(src), format);
	CU_ASSERT_EQUAL(cd_audio_src_frames(src), frames);
	uint32_t pad = (uint32_t)((588 - frames % 588) % 588);
	CU_ASSERT_EQUAL(cd_audio_src_pad_frames(src), pad);
	/* The padding is said, with the file's name; no note when none. */
	CU_ASSERT_EQUAL(strstr(notes, "padded") != NULL, pad != 0);
	if (pad)
		CU_ASSERT_PTR_NOT_NULL(strstr(notes, path));
	check_all(src, frames);
	CU_ASSERT_EQUAL(cd_audio_src_check(src, &ctx), DM_OK);
	cd_audio_src_free(src);
}

static void test_wav(void)
{
	/* 5 seconds and 100 frames: 375 sectors and a partial one. */
	uint64_t frames = 5 * 44100 + 100;
	make_sound(path_of("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, frames);
	open_and_check(path_of("a.wav"), CD_AUDIO_DETECT, "WAV", frames);
	open_and_check(path_of("a.wav"), CD_AUDIO_SNDFILE, "WAV", frames);
	/* Exactly whole sectors: no padding, no note. */
	make_sound(path_of("b.wav"), SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 44100, 2, 588 * 300);
	open_and_check(path_of("b.wav"), CD_AUDIO_DETECT, "WAV", 588 * 300);
}

static void test_flac(void)
{
	uint64_t frames = 4 * 44100 + 1;
	make_sound(path_of("a.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, frames);
	open_and_check(path_of("a.flac"), CD_AUDIO_DETECT, "FLAC", frames);
}

static void test_raw(void)
{
	uint64_t frames = 588 * 301 + 17;
	make_raw(path_of("a.raw"), frames, 0);
	open_and_check(path_of("a.raw"), CD_AUDIO_DETECT, "raw little-endian", frames);
	make_raw(path_of("track.dat"), frames, 0);
	open_and_check(path_of("track.dat"), CD_AUDIO_RAW_LE, "raw little-endian", frames);
	make_raw(path_of("be.dat"), frames, 1);
	open_and_check(path_of("be.dat"), CD_AUDIO_RAW_BE, "raw big-endian", frames);
}

static void expect_refused(const char *path, cd_audio_kind kind, dm_status want,
			   const char *const *parts)
{
	dm_ctx ctx;
	ctx_init(&ctx);
	cd_audio_src *src = (cd_audio_src *)&ctx;
	CU_ASSERT_EQUAL(cd_audio_src_open(path, kind, &src, &ctx), want);
	CU_ASSERT_PTR_NULL(src);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, path));
	for (; *parts; parts++) {
		if (!strstr(ctx.msg, *parts))
			fprintf(stderr, "\nmissing \"%s\" in: %s\n", *parts, ctx.msg);
		CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, *parts));
	}
}

static void test_wrong_formats(void)
{
	make_sound(path_of("24.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2, 44100 * 5);
	expect_refused(path_of("24.wav"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "Signed 24 bit PCM", "44100 Hz", "needs 16-bit", NULL });
	make_sound(path_of("48k.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 2, 48000 * 5);
	expect_refused(path_of("48k.flac"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "FLAC", "48000 Hz", NULL });
	make_sound(path_of("mono.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 44100 * 5);
	expect_refused(path_of("mono.wav"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "1 channel:", NULL });
	make_sound(path_of("a.aiff"), SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 44100, 2, 44100 * 5);
	expect_refused(path_of("a.aiff"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "AIFF", "WAV, FLAC or raw", NULL });
	/* Raw given as a cue's WAVE: not WAV or FLAC. */
	make_raw(path_of("x.raw"), 44100 * 5, 0);
	expect_refused(path_of("x.raw"), CD_AUDIO_SNDFILE, DM_ERR_INVALID,
		       (const char *const[]){ "not a WAV or FLAC file", NULL });
	/* Unknown content under an unknown name: not guessed to be raw. */
	make_raw(path_of("x.mp9"), 44100 * 5, 0);
	expect_refused(path_of("x.mp9"), CD_AUDIO_DETECT, DM_ERR_INVALID,
		       (const char *const[]){ "not a WAV or FLAC file", ".raw, .pcm", NULL });
	/* Raw: half a sample frame. */
	FILE *f = fopen(path_of("odd.raw"), "wb");
	fwrite("abcdef", 1, 6, f);
	fclose(f);
	expect_refused(path_of("odd.raw"), CD_AUDIO_DETECT, DM_ERR_INVALID,
		       (const char *const[]){ "6 bytes", "whole number", NULL });
	expect_refused(path_of("missing.wav"), CD_AUDIO_DETECT, DM_ERR_IO,
		       (const char *const[]){ "cannot open", NULL });
}

static void put_bytes(const char *path, const uint8_t *head, size_t hlen, size_t frames_of_418)
{
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (hlen)
		fwrite(head, 1, hlen, f);
	/* MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz: a header, then 414 bytes */
	static const uint8_t frame[418] = { 0xff, 0xfb, 0x90, 0x64 };
	for (size_t i = 0; i < frames_of_418; i++)
		fwrite(frame, 1, sizeof(frame), f);
	fclose(f);
}

/* MPEG audio is refused before libsndfile (whose libmpg123 would print on stderr), by
 * content, under any name but a raw one; a FLAC behind an ID3 tag is not taken for it. */
static void test_mpeg(void)
{
	put_bytes(path_of("song.mp3"), NULL, 0, 100);
	expect_refused(path_of("song.mp3"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "MPEG audio", "WAV, FLAC or raw", NULL });
	put_bytes(path_of("song.wav"), NULL, 0, 100);
	expect_refused(path_of("song.wav"), CD_AUDIO_SNDFILE, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "MPEG audio", NULL });
	static const uint8_t id3[20] = { 'I', 'D', '3', 4, 0, 0, 0, 0, 0, 10 };
	put_bytes(path_of("tagged.mp3"), id3, sizeof(id3), 100);
	expect_refused(path_of("tagged.mp3"), CD_AUDIO_DETECT, DM_ERR_UNSUPPORTED,
		       (const char *const[]){ "MPEG audio", NULL });
	/* the same bytes under a raw name: raw samples may begin like a frame header */
	put_bytes(path_of("samples.raw"), NULL, 0, 588 * 4 * 300 / 418 + 2);
	dm_ctx ctx;
	ctx_init(&ctx);
	cd_audio_src *src = NULL;
	CU_ASSERT_EQUAL(cd_audio_src_open(path_of("samples.raw"), CD_AUDIO_DETECT, &src, &ctx), DM_OK);
	if (src)
		CU_ASSERT_STRING_EQUAL(cd_audio_src_format(src), "raw little-endian");
	cd_audio_src_free(src);
	/* an ID3 tag before a FLAC stream: left to libsndfile, never called MPEG */
	uint64_t frames = 588 * 400;
	make_sound(path_of("plain.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, frames);
	FILE *in = fopen(path_of("plain.flac"), "rb"), *out = fopen(path_of("id3.flac"), "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	fwrite(id3, 1, sizeof(id3), out);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	ctx_init(&ctx);
	src = NULL;
	if (cd_audio_src_open(path_of("id3.flac"), CD_AUDIO_DETECT, &src, &ctx) != DM_OK)
		CU_ASSERT_PTR_NULL(strstr(ctx.msg, "MPEG"));
	cd_audio_src_free(src);
}

/* A WAV whose LIST chunk holds an entry sized FFFFFFFFh, in a list of an unknown type: the
 * input (tests/fuzz/cd-files-corpus/wav-list-loop) on which libsndfile 1.2 loops for ever.
 * Refused before libsndfile sees it; a LIST whose entries fit (tags) still opens. */
static void test_bad_list(void)
{
	static const uint8_t head[] = {
		'R', 'I', 'F', 'F', 0x9e, 0x09, 0, 0, 'W', 'A', 'V', 'E',
		'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 2, 0, 0x44, 0xac, 0, 0, 0x10, 0xb1, 2, 0, 4, 0, 16, 0,
		'L', 'I', 'S', 'T', 122, 0, 0, 0, 'I', 'N', 'F', 0xff,
	};
	uint8_t file[sizeof(head) + 118 + 42];
	memcpy(file, head, sizeof(head));
	memset(file + sizeof(head), 0xff, sizeof(file) - sizeof(head));
	FILE *f = fopen(path_of("loop.wav"), "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite(file, 1, sizeof(file), f);
	fclose(f);
	expect_refused(path_of("loop.wav"), CD_AUDIO_DETECT, DM_ERR_INVALID,
		       (const char *const[]){ "malformed WAV", "LIST chunk at byte 36", NULL });
	expect_refused(path_of("loop.wav"), CD_AUDIO_SNDFILE, DM_ERR_INVALID,
		       (const char *const[]){ "malformed WAV", NULL });
}

static void test_truncated(void)
{
	/* A WAV cut in the middle of its data: the header's size is checked at open. */
	make_sound(path_of("t.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 44100 * 5);
	CU_ASSERT_EQUAL(truncate(path_of("t.wav"), 44 + 44100 * 4 * 2 + 2), 0);
	expect_refused(path_of("t.wav"), CD_AUDIO_DETECT, DM_ERR_IO,
		       (const char *const[]){ "truncated", "882000 bytes", "352802", NULL });
	/* A FLAC cut in half: its last announced frame does not decode. */
	make_sound(path_of("t.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 44100 * 5);
	FILE *f = fopen(path_of("t.flac"), "rb");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	CU_ASSERT_EQUAL(truncate(path_of("t.flac"), size / 2), 0);
	expect_refused(path_of("t.flac"), CD_AUDIO_DETECT, DM_ERR_IO,
		       (const char *const[]){ "truncated", "220500 sample frames", NULL });
}

static void test_truncated_after_open(void)
{
	/* A raw file that shrinks after open: the read says truncated, with both counts. */
	make_raw(path_of("s.raw"), 588 * 400, 0);
	dm_ctx ctx;
	ctx_init(&ctx);
	cd_audio_src *src;
	CU_ASSERT_EQUAL_FATAL(cd_audio_src_open(path_of("s.raw"), CD_AUDIO_DETECT, &src, &ctx), DM_OK);
	CU_ASSERT_EQUAL(truncate(path_of("s.raw"), 588 * 4 * 200 + 40), 0);
	uint8_t *buf = malloc(CD_SECTOR_RAW * 400);
	CU_ASSERT_EQUAL(cd_audio_src_read(src, buf, 199, &ctx), DM_OK);
	CU_ASSERT_EQUAL(cd_audio_src_read(src, buf, 2, &ctx), DM_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "235200 sample frames announced, only 117610"));
	CU_ASSERT_EQUAL(cd_audio_src_check(src, &ctx), DM_ERR_IO);
	free(buf);
	cd_audio_src_free(src);
}

/* Sectors saved as WAV (--read-audio) read back through cd_audio_src byte for byte; an
 * aborted file leaves nothing behind. */
static void test_wav_out(void)
{
	uint32_t n = 40;
	uint8_t *in = malloc((size_t)n * CD_SECTOR_RAW), *back = malloc((size_t)n * CD_SECTOR_RAW);
	for (size_t i = 0; i < (size_t)n * CD_SECTOR_RAW; i++)
		in[i] = (uint8_t)(i * 13 + i / 2352);
	dm_ctx ctx;
	ctx_init(&ctx);
	cd_wav_out *w;
	CU_ASSERT_EQUAL_FATAL(cd_wav_out_new(path_of("out.wav"), &w, &ctx), DM_OK);
	CU_ASSERT_EQUAL(access(path_of("out.wav"), F_OK), -1); /* not under its name yet */
	CU_ASSERT_EQUAL(cd_wav_out_write(w, in, 3, &ctx), DM_OK);
	CU_ASSERT_EQUAL(cd_wav_out_write(w, in + 3 * CD_SECTOR_RAW, n - 3, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(cd_wav_out_finish(w, &ctx), DM_OK);
	struct stat sb;
	mode_t mask = umask(0);
	umask(mask);
	CU_ASSERT_EQUAL(stat(path_of("out.wav"), &sb), 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0666 & ~mask);
	cd_audio_src *src;
	CU_ASSERT_EQUAL_FATAL(cd_audio_src_open(path_of("out.wav"), CD_AUDIO_DETECT, &src, &ctx), DM_OK);
	CU_ASSERT_STRING_EQUAL(cd_audio_src_format(src), "WAV");
	CU_ASSERT_EQUAL(cd_audio_src_sectors(src), n);
	CU_ASSERT_EQUAL(cd_audio_src_read(src, back, n, &ctx), DM_OK);
	CU_ASSERT_EQUAL(memcmp(in, back, (size_t)n * CD_SECTOR_RAW), 0);
	cd_audio_src_free(src);
	/* Aborted: the directory holds no new file. */
	CU_ASSERT_EQUAL_FATAL(cd_wav_out_new(path_of("gone.wav"), &w, &ctx), DM_OK);
	CU_ASSERT_EQUAL(cd_wav_out_write(w, in, 1, &ctx), DM_OK);
	cd_wav_out_abort(w);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q gone", dir);
	CU_ASSERT_NOT_EQUAL(system(cmd), 0);
	CU_ASSERT_EQUAL(cd_wav_out_new("/nonexistent/dir/x.wav", &w, &ctx), DM_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ctx.msg, "/nonexistent/dir/x.wav"));
	free(in);
	free(back);
}

static CU_TestInfo tests[] = {
	{ "WAV and WAVEX, sample-exact, padded last sector", test_wav },
	{ "FLAC, sample-exact", test_flac },
	{ "raw little- and big-endian", test_raw },
	{ "wrong rate, depth, channels, container refused", test_wrong_formats },
	{ "MPEG audio refused before libsndfile", test_mpeg },
	{ "a WAV LIST chunk libsndfile loops on refused", test_bad_list },
	{ "truncated WAV and FLAC refused at open", test_truncated },
	{ "a source shrinking under the reader", test_truncated_after_open },
	{ "sectors saved as WAV, read back the same", test_wav_out },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "cd_audio_src", suite_init, suite_clean, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
