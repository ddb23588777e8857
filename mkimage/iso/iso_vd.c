#include "mkimage/iso/iso_vd.h"

#include <string.h>

#include "common/dm_endian.h"
#include "common/dm_utf8.h"
#include "mkimage/iso/iso_dirrec.h"

/* Field sizes of the descriptor strings (ECMA-119 8.4.5 - 8.4.14). */
enum { SYSTEM_ID = 32, VOLUME_ID = 32, VOLSET_ID = 128, PUBLISHER = 128, PREPARER = 128,
       APPLICATION = 128 };

/* Count code points; -1 when not valid UTF-8. */
static long cp_count(const char *s)
{
	size_t len = strlen(s), pos = 0;
	long n = 0;
	while (pos < len) {
		if (dm_utf8_next(s, len, &pos) == DM_UTF8_INVALID)
			return -1;
		n++;
	}
	return n;
}

static dm_status check_field(const char *what, const char *s, long max, dm_ctx *ctx)
{
	if (!s)
		return DM_OK;
	long n = cp_count(s);
	if (n < 0)
		return dm_fail(ctx, DM_ERR_INVALID, "%s '%s' is not valid UTF-8", what, s);
	if (n > max)
		return dm_fail(ctx, DM_ERR_INVALID, "%s '%s' is %ld characters long; at most %ld fit",
			       what, s, n, max);
	return DM_OK;
}

dm_status iso_vd_check(const iso_opts *o, dm_ctx *ctx)
{
	dm_status st;
	if ((st = check_field("volume id", o->volume_id, VOLUME_ID, ctx)) ||
	    (st = check_field("system id", o->system_id, SYSTEM_ID, ctx)) ||
	    (st = check_field("volume set id", o->volset_id, VOLSET_ID, ctx)) ||
	    (st = check_field("publisher", o->publisher, PUBLISHER, ctx)) ||
	    (st = check_field("preparer", o->preparer, PREPARER, ctx)) ||
	    (st = check_field("application", o->application, APPLICATION, ctx)))
		return st;
	return DM_OK;
}

/* A string field of the primary descriptor: printable ASCII kept, anything else '_',
 * padded with spaces (ECMA-119 7.4). */
static void put_ascii(uint8_t *p, const char *s, size_t size)
{
	memset(p, ' ', size);
	if (!s)
		return;
	size_t len = strlen(s), pos = 0, k = 0;
	while (pos < len && k < size) {
		uint32_t cp = dm_utf8_next(s, len, &pos);
		p[k++] = (cp >= 0x20 && cp < 0x7F) ? (uint8_t)cp : '_';
	}
}

/* A string field of the Joliet descriptor: UCS-2BE, outside the BMP '_', padded with
 * UCS-2 spaces; size is in bytes (an odd size leaves a final 0x00, 8.5 with Joliet). */
static void put_ucs2(uint8_t *p, const char *s, size_t size)
{
	for (size_t i = 0; i + 1 < size; i += 2)
		dm_put_be16(p + i, 0x0020);
	if (size & 1u)
		p[size - 1] = 0;
	if (!s)
		return;
	size_t len = strlen(s), pos = 0, k = 0;
	while (pos < len && k + 1 < size) {
		uint32_t cp = dm_utf8_next(s, len, &pos);
		dm_put_be16(p + k, cp > 0xFFFF || cp == DM_UTF8_INVALID ? 0x005F : (uint16_t)cp);
		k += 2;
	}
}

/* The parts the primary and supplementary descriptors share (8.4 / 8.5). */
static void put_common(uint8_t *sec, const iso_plan *p, const iso_hier *h, uint8_t type)
{
	memset(sec, 0, ISO_SECTOR);
	sec[0] = type;
	memcpy(sec + 1, "CD001", 5);
	sec[6] = 1;                                     /* 8.4.3 version */
	dm_put_both32(sec + 80, p->total_sectors);      /* 8.4.8 volume space size */
	dm_put_both16(sec + 120, 1);                    /* 8.4.10 volume set size */
	dm_put_both16(sec + 124, 1);                    /* 8.4.11 volume sequence number */
	dm_put_both16(sec + 128, ISO_SECTOR);           /* 8.4.12 logical block size */
	dm_put_both32(sec + 132, h->pt_size);           /* 8.4.13 path table size */
	dm_put_le32(sec + 140, h->pt_l_lba);            /* 8.4.14 type L path table */
	dm_put_be32(sec + 148, h->pt_m_lba);            /* 8.4.16 type M path table */
	const iso_dir *root = h->dirs[0];
	static const uint8_t root_id[1] = {0};
	iso_put_dirrec(sec + 156, root->lba, root->size, root->node->mtime, 0x02, root_id, 1, NULL, 0);
	iso_put_date17(sec + 813, p->opts.volume_time); /* 8.4.26 creation */
	iso_put_date17(sec + 830, p->opts.volume_time); /* 8.4.27 modification */
	iso_put_date17_unset(sec + 847);                /* 8.4.28 expiration */
	iso_put_date17_unset(sec + 864);                /* 8.4.29 effective */
	sec[881] = 1;                                   /* 8.4.31 file structure version */
}

void iso_vd_primary(uint8_t *sec, const iso_plan *p)
{
	const iso_opts *o = &p->opts;
	put_common(sec, p, &p->primary, 1);
	put_ascii(sec + 8, o->system_id, SYSTEM_ID);
	put_ascii(sec + 40, o->volume_id, VOLUME_ID);
	put_ascii(sec + 190, o->volset_id, VOLSET_ID);
	put_ascii(sec + 318, o->publisher, PUBLISHER);
	put_ascii(sec + 446, o->preparer, PREPARER);
	put_ascii(sec + 574, o->application, APPLICATION);
	put_ascii(sec + 702, NULL, 37); /* copyright, abstract, bibliographic file ids */
	put_ascii(sec + 739, NULL, 37);
	put_ascii(sec + 776, NULL, 37);
}

void iso_vd_joliet(uint8_t *sec, const iso_plan *p)
{
	const iso_opts *o = &p->opts;
	put_common(sec, p, &p->joliet, 2);
	put_ucs2(sec + 8, o->system_id, SYSTEM_ID);
	put_ucs2(sec + 40, o->volume_id, VOLUME_ID);
	memcpy(sec + 88, "%/E", 3); /* 8.5.6 escape sequences: UCS-2 level 3 */
	put_ucs2(sec + 190, o->volset_id, VOLSET_ID);
	put_ucs2(sec + 318, o->publisher, PUBLISHER);
	put_ucs2(sec + 446, o->preparer, PREPARER);
	put_ucs2(sec + 574, o->application, APPLICATION);
	put_ucs2(sec + 702, NULL, 37);
	put_ucs2(sec + 739, NULL, 37);
	put_ucs2(sec + 776, NULL, 37);
}

void iso_vd_terminator(uint8_t *sec)
{
	memset(sec, 0, ISO_SECTOR);
	sec[0] = 255; /* 8.3 volume descriptor set terminator */
	memcpy(sec + 1, "CD001", 5);
	sec[6] = 1;
}
