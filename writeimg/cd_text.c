#include "writeimg/cd_text.h"

#include <stdlib.h>
#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_utf8.h"

/* MMC-6 Annex J: pack types. 80h..85h are the text fields in cd_text_field
 * order; 8Fh the block's size information. */
#define PACK_TYPE_TEXT 0x80
#define PACK_TYPE_SIZE 0x8F
#define CHARSET_ISO8859_1 0x00
#define LANGUAGE_ENGLISH 0x09 /* Annex J, language codes (EBU Tech 3258) */

int cd_text_pack_crc_ok(const uint8_t *p)
{
	return dm_get_be16(p + 16) == cd_crc16(p, 16);
}

static int latin1_ok(uint32_t cp) { return cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0) && cp <= 0xff; }

int cd_text_latin1(const char *in, char **out)
{
	size_t len = strlen(in);
	char *o = malloc(len + 1);
	if (!o)
		return -2;
	size_t n = 0;
	if (dm_utf8_valid(in, len)) {
		for (size_t pos = 0; pos < len;) {
			uint32_t cp = dm_utf8_next(in, len, &pos);
			if (!latin1_ok(cp))
				goto bad;
			o[n++] = (char)cp;
		}
	} else {
		for (size_t i = 0; i < len; i++) {
			if (!latin1_ok((uint8_t)in[i]))
				goto bad;
			o[n++] = in[i];
		}
	}
	o[n] = '\0';
	*out = o;
	return 0;
bad:
	free(o);
	return -1;
}

void cd_text_pack_to_rw(const uint8_t pack[CD_TEXT_PACK_SIZE], uint8_t out[24])
{
	for (int g = 0; g < 6; g++) {
		const uint8_t *b = pack + g * 3;
		uint8_t *s = out + g * 4;
		s[0] = b[0] >> 2;
		s[1] = (uint8_t)(((b[0] & 0x03) << 4) | (b[1] >> 4));
		s[2] = (uint8_t)(((b[1] & 0x0f) << 2) | (b[2] >> 6));
		s[3] = b[2] & 0x3f;
	}
}

typedef struct packer {
	uint8_t *data;
	unsigned count;
	unsigned per_type[16];
} packer;

static void seal(uint8_t *p)
{
	dm_put_be16(p + 16, cd_crc16(p, 16));
}

static uint8_t *new_pack(packer *pk, uint8_t type, uint8_t track, uint8_t id4)
{
	uint8_t *p = pk->data + (size_t)pk->count * CD_TEXT_PACK_SIZE;
	memset(p, 0, CD_TEXT_PACK_SIZE);
	p[0] = type;
	p[1] = track;
	p[2] = (uint8_t)pk->count; /* sequence number, through the whole block */
	p[3] = id4;
	pk->count++;
	pk->per_type[type & 0x0f]++;
	return p;
}

/* The strings of one field - album first, then each track - NUL-terminated, one after
 * the other through 12-byte pack payloads. Each pack names the track its first byte
 * belongs to and how far into that string it is (the character position, 15 at most). */
static void pack_field(packer *pk, const cd_layout *l, cd_text_field f)
{
	uint8_t type = (uint8_t)(PACK_TYPE_TEXT + f);
	uint8_t *p = NULL;
	unsigned fill = 12;
	for (unsigned s = 0; s <= l->ntracks; s++) {
		const char *text = s == 0 ? l->text[f] : l->tracks[s - 1].text[f];
		if (!text)
			text = "";
		uint8_t track = (uint8_t)(s == 0 ? 0 : l->tracks[s - 1].number);
		size_t len = strlen(text) + 1;
		for (size_t i = 0; i < len; i++) {
			if (fill == 12) {
				if (p)
					seal(p);
				p = new_pack(pk, type, track, (uint8_t)(i < 15 ? i : 15));
				fill = 0;
			}
			p[4 + fill++] = (uint8_t)text[i];
		}
	}
	if (p)
		seal(p);
}

static int field_used(const cd_layout *l, cd_text_field f)
{
	if (l->text[f])
		return 1;
	for (unsigned t = 0; t < l->ntracks; t++)
		if (l->tracks[t].text[f])
			return 1;
	return 0;
}

dm_status cd_text_encode(const cd_layout *l, uint8_t **packs, unsigned *count, dm_ctx *ctx)
{
	*packs = NULL;
	*count = 0;
	size_t need = 0;
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++) {
		if (!field_used(l, f))
			continue;
		size_t bytes = (l->text[f] ? strlen(l->text[f]) : 0) + 1;
		for (unsigned t = 0; t < l->ntracks; t++)
			bytes += (l->tracks[t].text[f] ? strlen(l->tracks[t].text[f]) : 0) + 1;
		need += (bytes + 11) / 12;
	}
	if (need == 0)
		return DM_OK;
	if (need > CD_TEXT_PACKS_MAX)
		return dm_fail(ctx, DM_ERR_NOSPACE, "the CD-TEXT needs %zu packs of 12 characters: a "
			       "block holds %u (shorten the titles)", need, CD_TEXT_PACKS_MAX);
	packer pk = { .data = malloc((need + 3) * CD_TEXT_PACK_SIZE) };
	if (!pk.data)
		return dm_fail(ctx, DM_ERR_NOMEM, "out of memory encoding CD-TEXT");
	for (unsigned f = 0; f < CD_TEXT_NFIELDS; f++)
		if (field_used(l, f))
			pack_field(&pk, l, f);
	/* Annex J's size information, 36 bytes over three packs numbered 0, 1, 2 in ID2:
	 * character code, first and last track, copyright flags, packs of each type (80h..8Fh,
	 * the three size packs included), the last sequence number of blocks 0..7, their
	 * language codes. */
	uint8_t info[36] = { 0 };
	info[0] = CHARSET_ISO8859_1;
	info[1] = (uint8_t)l->tracks[0].number;
	info[2] = (uint8_t)l->tracks[l->ntracks - 1].number;
	info[3] = 0x00; /* no copyright asserted */
	pk.per_type[PACK_TYPE_SIZE & 0x0f] = 3;
	for (int t = 0; t < 16; t++)
		info[4 + t] = (uint8_t)pk.per_type[t];
	info[20] = (uint8_t)(pk.count + 2); /* block 0's last sequence number */
	info[28] = LANGUAGE_ENGLISH;
	pk.per_type[PACK_TYPE_SIZE & 0x0f] = 0;
	for (uint8_t i = 0; i < 3; i++) {
		uint8_t *p = new_pack(&pk, PACK_TYPE_SIZE, i, 0);
		memcpy(p + 4, info + 12 * i, 12);
		seal(p);
	}
	*packs = pk.data;
	*count = pk.count;
	return DM_OK;
}
