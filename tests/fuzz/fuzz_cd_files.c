/* libFuzzer target over writeimg's own input files (issue 15's parsers of untrusted
 * bytes): the first byte picks
 *   0: a cue sheet (cd_cue_parse; its FILEs from a fixture directory: a.bin, d.iso, s.wav,
 *      and whatever else the input names, which is refused), then everything a parsed
 *      cue feeds before a burn: the SAO cue sheet, page 05h per track, CD-TEXT packs,
 *      the TOC formats 0/1/2/5 an emulated drive would answer, and the Q of every sector
 *      boundary between tracks;
 *   1: a --cd-text file (cd_text_file_parse) over a layout of three audio tracks, then the
 *      CD-TEXT packs;
 *   2: an audio file (cd_audio_src_open, libsndfile and our RIFF length check), written to
 *      the fixture directory as in.wav or in.raw, every sector of it read.
 * The rest of the input is the file's bytes. Nothing outside the fixture directory is
 * written; names the input gives are only looked at (stat, libsndfile's open). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writeimg/cd_audio_src.h"
#include "writeimg/cd_cue.h"
#include "writeimg/cd_cuesheet.h"
#include "writeimg/cd_subq.h"
#include "writeimg/cd_text.h"
#include "writeimg/cd_text_file.h"
#include "writeimg/cd_toc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put_file(const char *name, const void *bytes, size_t len)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(bytes, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

/* The fixture directory, made once a process: SECTORS raw sectors, as many Mode 1 sectors,
 * and a WAV of as many (44-byte header, 16-bit stereo 44.1 kHz): enough for a track of
 * the 4 seconds (300 sectors) a layout needs. Removed at exit. */
#define SECTORS 700
static void cleanup(void)
{
	static const char *const names[] = { "a.bin", "d.iso", "s.wav", "in.wav", "in.raw" };
	char path[128];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void fixtures(void)
{
	if (dir[0])
		return;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/fuzzcd.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	static uint8_t buf[44 + SECTORS * 2352];
	memset(buf, 0x5a, sizeof(buf));
	put_file("a.bin", buf, SECTORS * 2352);
	put_file("d.iso", buf, SECTORS * 2048);
	uint8_t *h = buf;
	uint32_t bytes = SECTORS * 2352;
	memcpy(h, "RIFF", 4);
	h[4] = (uint8_t)(36 + bytes), h[5] = (uint8_t)((36 + bytes) >> 8),
	h[6] = (uint8_t)((36 + bytes) >> 16), h[7] = 0;
	memcpy(h + 8, "WAVEfmt ", 8);
	static const uint8_t fmt[] = { 16, 0, 0, 0, 1, 0, 2, 0, 0x44, 0xac, 0, 0,
				       0x10, 0xb1, 0x02, 0, 4, 0, 16, 0 };
	memcpy(h + 16, fmt, sizeof(fmt));
	memcpy(h + 36, "data", 4);
	h[40] = (uint8_t)bytes, h[41] = (uint8_t)(bytes >> 8), h[42] = (uint8_t)(bytes >> 16),
	h[43] = 0;
	put_file("s.wav", buf, sizeof(buf));
}

/* What a burn derives from a checked layout (cd_cue.h: the cue is checked by the parse). */
static void use_layout(cd_layout *l)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t *packs = NULL, *sheet = NULL;
	unsigned count = 0;
	size_t len = 0;
	(void)cd_text_encode(l, &packs, &count, &ctx);
	if (cd_cuesheet_build(l, CD_SUBCH_NONE, count > 0, &sheet, &len, &ctx) == DM_OK)
		free(sheet);
	if (cd_cuesheet_build(l, CD_SUBCH_PW_RAW, 0, &sheet, &len, &ctx) == DM_OK)
		free(sheet);
	static uint8_t toc[4 + 8 * 256 + 11 * 256 + 18 * 2048];
	(void)cd_toc_format0(l, 0, 1, toc, sizeof(toc));
	(void)cd_toc_format0(l, 1, 0xaa, toc, sizeof(toc));
	(void)cd_toc_format1(l, 1, toc, sizeof(toc));
	(void)cd_toc_format2(l, toc, sizeof(toc));
	(void)cd_toc_format5(packs, count, toc, sizeof(toc));
	for (unsigned i = 0; i < l->ntracks; i++) {
		cd_write_params wp;
		cd_write_params_for(l, i, CD_SUBCH_NONE, &wp);
		cd_write_params_tao(l, i, &wp);
		uint8_t q[CD_SUBQ_SIZE];
		int p;
		const cd_track *t = &l->tracks[i];
		for (unsigned x = 0; x <= t->nindex && x < 100; x++) {
			cd_subq_for_lba(l, t->index[x], q, &p);
			if (t->index[x] > 0)
				cd_subq_for_lba(l, t->index[x] - 1, q, &p);
		}
	}
	cd_subq_for_lba(l, l->leadout - 1, (uint8_t[CD_SUBQ_SIZE]){ 0 }, &(int){ 0 });
	free(cd_layout_describe(l));
	free(packs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fixtures();
	const char *text = (const char *)data + 1;
	size_t n = size - 1;
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	char path[128];
	cd_layout *l = NULL;
	switch (data[0] % 3) {
	case 0:
		snprintf(path, sizeof(path), "%s/x.cue", dir);
		if (cd_cue_parse(text, n, path, &l, &ctx) == DM_OK)
			use_layout(l);
		break;
	case 1:
		if (!(l = cd_layout_new()))
			return 0;
		for (unsigned i = 0; i < 3; i++) {
			l->tracks[i].number = i + 1;
			l->tracks[i].mode = CD_MODE_AUDIO;
		}
		l->ntracks = 3;
		if (cd_text_file_parse(text, n, "x.txt", l, &ctx) == DM_OK) {
			uint8_t *packs = NULL;
			unsigned count = 0;
			if (cd_text_encode(l, &packs, &count, &ctx) == DM_OK)
				free(packs);
		}
		break;
	case 2: {
		const char *name = size > 1 && (data[1] & 1) ? "in.raw" : "in.wav";
		put_file(name, text, n);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		cd_audio_src *src;
		if (cd_audio_src_open(path, CD_AUDIO_DETECT, &src, &ctx) != DM_OK)
			break;
		static uint8_t buf[24 * 2352];
		uint32_t sectors = cd_audio_src_sectors(src);
		(void)cd_audio_src_check(src, &ctx);
		for (uint32_t k = 0; k < sectors && k < 4096;) {
			uint32_t c = sectors - k < 24 ? sectors - k : 24;
			if (cd_audio_src_read(src, buf, c, &ctx) != DM_OK)
				break;
			k += c;
		}
		if (sectors > 1)
			(void)cd_audio_src_seek(src, sectors / 2, &ctx);
		(void)cd_audio_src_tag(src, 0);
		cd_audio_src_free(src);
		break;
	}
	}
	cd_layout_free(l);
	return 0;
}
