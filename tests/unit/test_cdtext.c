/* cd_text: CD-TEXT packs (MMC-6 Annex J) byte by byte for a small disc, with CRCs
 * computed by a separate implementation; text split across packs (track number and
 * character position); the size-information packs; packed R-W symbols; ISO 8859-1
 * conversion; the --cd-text file format (spec/cd-text.md). When cdrskin is installed,
 * libburn's CD-TEXT decoder reads our packs back. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/dm_endian.h"
#include "writeimg/cd_layout.h"
#include "writeimg/cd_text.h"
#include "writeimg/cd_text_file.h"

static cd_layout *disc(unsigned ntracks)
{
	cd_layout *l = cd_layout_new();
	for (unsigned i = 0; i < ntracks; i++) {
		l->tracks[i].number = i + 1;
		l->tracks[i].nindex = 1;
	}
	l->ntracks = ntracks;
	return l;
}

/* Album "Album" by "Band", tracks "One" and "Two" (no track performers). The CRCs were
 * computed with a separate CRC-16 (Python, polynomial 1021h, initial 0, inverted). */
static const uint8_t small_disc[6][18] = {
	{ 0x80, 0x00, 0x00, 0x00, 'A', 'l', 'b', 'u', 'm', 0, 'O', 'n', 'e', 0, 'T', 'w', 0xf6, 0x70 },
	{ 0x80, 0x02, 0x01, 0x02, 'o', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xeb, 0xf3 },
	{ 0x81, 0x00, 0x02, 0x00, 'B', 'a', 'n', 'd', 0, 0, 0, 0, 0, 0, 0, 0, 0x52, 0x0d },
	{ 0x8f, 0x00, 0x03, 0x00, 0x00, 0x01, 0x02, 0x00, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0x32, 0x33 },
	{ 0x8f, 0x01, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x05, 0, 0, 0, 0x8f, 0x5a },
	{ 0x8f, 0x02, 0x05, 0x00, 0, 0, 0, 0, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x1c, 0x80 },
};

static cd_layout *small(void)
{
	cd_layout *l = disc(2);
	l->text[CD_TEXT_TITLE] = strdup("Album");
	l->text[CD_TEXT_PERFORMER] = strdup("Band");
	l->tracks[0].text[CD_TEXT_TITLE] = strdup("One");
	l->tracks[1].text[CD_TEXT_TITLE] = strdup("Two");
	return l;
}

static void test_small_disc(void)
{
	cd_layout *l = small();
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t *packs;
	unsigned n;
	CU_ASSERT_EQUAL_FATAL(cd_text_encode(l, &packs, &n, &ctx), DM_OK);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	for (unsigned i = 0; i < n; i++) {
		if (memcmp(packs + i * 18, small_disc[i], 18) != 0) {
			fprintf(stderr, "\npack %u:", i);
			for (int b = 0; b < 18; b++)
				fprintf(stderr, " %02x", packs[i * 18 + (unsigned)b]);
		}
		CU_ASSERT_EQUAL(memcmp(packs + i * 18, small_disc[i], 18), 0);
		CU_ASSERT_TRUE(cd_text_pack_crc_ok(packs + i * 18));
	}
	/* A flipped bit breaks the CRC. */
	packs[5] ^= 0x10;
	CU_ASSERT_FALSE(cd_text_pack_crc_ok(packs));
	packs[5] ^= 0x10;

	/* The peer: libburn's decoder (cdrskin textfile_to_v07t) reads the packs back. */
	if (system("command -v cdrskin >/dev/null 2>&1") == 0) {
		char path[] = "/tmp/test_cdtext.XXXXXX";
		int fd = mkstemp(path);
		CU_ASSERT_TRUE_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(write(fd, packs, (size_t)n * 18), (ssize_t)n * 18);
		close(fd);
		char cmd[128], out[4096] = { 0 };
		snprintf(cmd, sizeof(cmd), "cdrskin textfile_to_v07t=%s 2>&1", path);
		FILE *p = popen(cmd, "r");
		size_t got = fread(out, 1, sizeof(out) - 1, p);
		out[got] = '\0';
		pclose(p);
		unlink(path);
		static const char *const lines[] = {
			"Text Code           = 8859", "Language Code       = English",
			"Album Title         = Album", "Artist Name         = Band",
			"First Track Number  = 1", "Last Track Number   = 2",
			"Track 01 Title      = One", "Track 02 Title      = Two",
		};
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			if (!strstr(out, lines[i]))
				fprintf(stderr, "\ncdrskin did not report \"%s\":\n%s", lines[i], out);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, lines[i]));
		}
	} else {
		fprintf(stderr, " (cdrskin not installed: peer check skipped) ");
	}
	free(packs);
	cd_layout_free(l);
}

/* Long strings: each pack names the track its first character belongs to and how far into
 * that string it starts, 15 at most. */
static void test_split(void)
{
	cd_layout *l = disc(3);
	l->tracks[0].text[CD_TEXT_TITLE] = strdup("abcdefghijklmnopqrstuvwxyz0123456789ABCDE"); /* 41 */
	l->tracks[2].text[CD_TEXT_TITLE] = strdup("xyz");
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	uint8_t *p;
	unsigned n;
	CU_ASSERT_EQUAL_FATAL(cd_text_encode(l, &p, &n, &ctx), DM_OK);
	/* Stream: "" (album) + 41+1 + "" + "xyz" + NUL = 1 + 42 + 1 + 4 = 48 bytes: 4 packs. */
	CU_ASSERT_EQUAL_FATAL(n, 4 + 3);
	static const struct { uint8_t track, pos; char first; } want[4] = {
		{ 0, 0, '\0' },  /* the album's empty string starts the first pack */
		{ 1, 11, 'l' },  /* byte 12 of the stream: track 1, 11 characters in */
		{ 1, 15, 'x' },  /* 23 characters in: 15 means "15 or more" */
		{ 1, 15, '9' },  /* 35 in */
	};
	for (unsigned i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(p[i * 18 + 0], 0x80);
		CU_ASSERT_EQUAL(p[i * 18 + 1], want[i].track);
		CU_ASSERT_EQUAL(p[i * 18 + 2], i);
		CU_ASSERT_EQUAL(p[i * 18 + 3], want[i].pos);
		CU_ASSERT_EQUAL(p[i * 18 + 4], (uint8_t)want[i].first);
	}
	/* The last text pack: "DE\0" of track 1, then track 2's "" and "xyz\0" of track 3. */
	static const uint8_t tail[12] = { '9', 'A', 'B', 'C', 'D', 'E', 0, 0, 'x', 'y', 'z', 0 };
	CU_ASSERT_EQUAL(memcmp(p + 3 * 18 + 4, tail, 12), 0);
	/* Size information: 4 title packs, 3 size packs, last sequence number 6. */
	CU_ASSERT_EQUAL(p[4 * 18 + 4 + 1], 1);
	CU_ASSERT_EQUAL(p[4 * 18 + 4 + 2], 3);
	CU_ASSERT_EQUAL(p[4 * 18 + 4 + 4], 4);
	CU_ASSERT_EQUAL(p[5 * 18 + 4 + 7], 3);   /* info[19]: packs of type 8Fh */
	CU_ASSERT_EQUAL(p[5 * 18 + 4 + 8], 6);   /* info[20]: block 0's last sequence number */
	CU_ASSERT_EQUAL(p[6 * 18 + 4 + 4], 0x09); /* info[28]: English */
	for (unsigned i = 0; i < n; i++)
		CU_ASSERT_TRUE(cd_text_pack_crc_ok(p + i * 18));
	free(p);
	cd_layout_free(l);
}

static void test_limits(void)
{
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	cd_layout *l = disc(1);
	uint8_t *p = (uint8_t *)&ctx;
	unsigned n = 7;
	CU_ASSERT_EQUAL(cd_text_encode(l, &p, &n, &ctx), DM_OK);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(n, 0);
	cd_layout_free(l);
	/* 99 tracks of 30-character titles and performers: 2 * (99*31+1)/12 packs > 253. */
	l = disc(99);
	for (unsigned i = 0; i < 99; i++) {
		l->tracks[i].text[CD_TEXT_TITLE] = strdup("123456789012345678901234567890");
		l->tracks[i].text[CD_TEXT_PERFORMER] = strdup("123456789012345678901234567890");
	}
	CU_ASSERT_EQUAL(cd_text_encode(l, &p, &n, &ctx), DM_ERR_NOSPACE);
	CU_ASSERT_STRING_EQUAL(ctx.msg, "the CD-TEXT needs 512 packs of 12 characters: a block "
			       "holds 253 (shorten the titles)");
	cd_layout_free(l);
}

static void test_rw(void)
{
	uint8_t pack[18], rw[24];
	for (int i = 0; i < 18; i++)
		pack[i] = (uint8_t)(0x80 + i * 37);
	cd_text_pack_to_rw(pack, rw);
	/* Put the 6-bit symbols back together: the same 144 bits. */
	uint8_t back[18] = { 0 };
	for (int s = 0; s < 24; s++) {
		CU_ASSERT_EQUAL(rw[s] & 0xc0, 0);
		for (int b = 0; b < 6; b++)
			if (rw[s] & (0x20 >> b)) {
				int bit = s * 6 + b;
				back[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
			}
	}
	CU_ASSERT_EQUAL(memcmp(back, pack, 18), 0);
	CU_ASSERT_EQUAL(rw[0], 0x80 >> 2);
}

static void test_latin1(void)
{
	char *o;
	CU_ASSERT_EQUAL(cd_text_latin1("Caf\xc3\xa9 \xc3\x9f", &o), 0);
	CU_ASSERT_STRING_EQUAL(o, "Caf\xe9 \xdf");
	free(o);
	CU_ASSERT_EQUAL(cd_text_latin1("Caf\xe9", &o), 0); /* not UTF-8: Latin-1 already */
	CU_ASSERT_STRING_EQUAL(o, "Caf\xe9");
	free(o);
	CU_ASSERT_EQUAL(cd_text_latin1("", &o), 0);
	CU_ASSERT_STRING_EQUAL(o, "");
	free(o);
	CU_ASSERT_EQUAL(cd_text_latin1("\xe2\x82\xac", &o), -1); /* the euro sign */
	CU_ASSERT_EQUAL(cd_text_latin1("a\tb", &o), -1);
	CU_ASSERT_EQUAL(cd_text_latin1("\xc2\x85", &o), -1); /* C1 control */
}

static void test_text_file(void)
{
	cd_layout *l = disc(3);
	l->tracks[1].text[CD_TEXT_TITLE] = strdup("from the cue");
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	const char *good = "\xef\xbb\xbf# an album\n"
			   "album.title = Caf\xc3\xa9 Songs  \r\n"
			   "album.performer=The Band\n"
			   "\n"
			   "track.1.title = One\n"
			   "track.02.title = Two = 2\n"
			   "track.3.performer =\n"
			   "track.3.message = bonus\n";
	CU_ASSERT_EQUAL_FATAL(cd_text_file_parse(good, strlen(good), "t.txt", l, &ctx), DM_OK);
	CU_ASSERT_STRING_EQUAL(l->text[CD_TEXT_TITLE], "Caf\xe9 Songs");
	CU_ASSERT_STRING_EQUAL(l->text[CD_TEXT_PERFORMER], "The Band");
	CU_ASSERT_STRING_EQUAL(l->tracks[0].text[CD_TEXT_TITLE], "One");
	CU_ASSERT_STRING_EQUAL(l->tracks[1].text[CD_TEXT_TITLE], "Two = 2");
	CU_ASSERT_STRING_EQUAL(l->tracks[2].text[CD_TEXT_PERFORMER], "");
	CU_ASSERT_STRING_EQUAL(l->tracks[2].text[CD_TEXT_MESSAGE], "bonus");
	CU_ASSERT_PTR_NULL(l->tracks[2].text[CD_TEXT_TITLE]);
	static const struct { const char *text, *msg; } bad[] = {
		{ "album.title\n", "t.txt: line 1: expected key = value" },
		{ "\nalbum.name = x\n", "t.txt: line 2: album.name: unknown field name (title, "
		  "performer, songwriter, composer, arranger or message)" },
		{ "disc.title = x\n", "t.txt: line 1: unknown key disc.title (album.FIELD or track.N.FIELD)" },
		{ "track.4.title = x\n", "t.txt: line 1: track.4.title: the disc has no track 4" },
		{ "track.0.title = x\n", "t.txt: line 1: track.0.title: tracks are track.1 to track.99" },
		{ "track.x.title = x\n", "t.txt: line 1: track.x.title: tracks are track.1 to track.99" },
		{ "track.1.title = a\ntrack.01.title = b\n", "t.txt: line 2: track.01.title given twice" },
		{ "album.title = \xe2\x82\xac\n", "t.txt: line 1: album.title: CD-TEXT is ISO 8859-1 "
		  "(Latin-1) text without control characters" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(cd_text_file_parse(bad[i].text, strlen(bad[i].text), "t.txt", l, &ctx),
				DM_ERR_INVALID);
		if (strcmp(ctx.msg, bad[i].msg) != 0)
			fprintf(stderr, "\n got  %s\n want %s\n", ctx.msg, bad[i].msg);
		CU_ASSERT_STRING_EQUAL(ctx.msg, bad[i].msg);
	}
	CU_ASSERT_EQUAL(cd_text_file_load("/nonexistent/t.txt", l, &ctx), DM_ERR_IO);
	cd_layout_free(l);
}

static CU_TestInfo tests[] = {
	{ "a small disc byte by byte (+ libburn's decoder)", test_small_disc },
	{ "strings across packs: track, character position", test_split },
	{ "no text, too much text", test_limits },
	{ "packed R-W symbols", test_rw },
	{ "ISO 8859-1 conversion", test_latin1 },
	{ "--cd-text file", test_text_file },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "cd_text", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
