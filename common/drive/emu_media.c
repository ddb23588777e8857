#include "common/drive/emu_media.h"

#include <string.h>
#include <strings.h>

#include "common/dm_endian.h"

/* Write speeds in kB/s (1x: CD 176.4, DVD 1385, BD 4495). */
static const uint32_t cd_speeds[] = { 7056, 4234, 1764, 0 };
static const uint32_t dvd_speeds[] = { 22160, 11080, 5540, 0 };
static const uint32_t bd_speeds[] = { 26970, 17980, 8990, 0 };

/* Capacities: 80-minute CD (359,847 blocks), DVD-R 2,298,496, DVD+R and DVD+RW 2,295,104,
 * single-layer BD-R 12,219,392, BD-RE formatted with default spare areas 11,826,176. */
static const emu_medium media[] = {
	{ "none", 0x0000, 0, 0, 0, 1, 0, 0, cd_speeds },
	{ "cd-r", 0x0009, 359847, 1, 0, 1, 6900, 11400, cd_speeds },
	{ "cd-rw", 0x000a, 359847, 1, 1, 1, 6900, 11400, cd_speeds },
	{ "dvd-r", 0x0011, 2298496, 1, 0, 16, 0, 0, dvd_speeds },
	{ "dvd+r", 0x001b, 2295104, 1, 0, 16, 0, 0, dvd_speeds },
	{ "dvd+rw", 0x001a, 2295104, 0, 1, 16, 0, 0, dvd_speeds },
	{ "bd-r", 0x0041, 12219392, 1, 0, 32, 0, 0, bd_speeds },
	{ "bd-re", 0x0043, 11826176, 0, 1, 32, 0, 0, bd_speeds },
	{ NULL, 0, 0, 0, 0, 0, 0, 0, NULL },
};

const emu_medium *emu_medium_find(const char *name)
{
	for (const emu_medium *m = media; m->name; m++)
		if (strcasecmp(m->name, name) == 0)
			return m;
	return NULL;
}

const emu_medium *emu_medium_by_profile(uint16_t profile)
{
	for (const emu_medium *m = media; m->name; m++)
		if (m->profile == profile)
			return m;
	return NULL;
}

const char *emu_medium_names(void)
{
	return "none, cd-r, cd-rw, dvd-r, dvd+r, dvd+rw, bd-r, bd-re";
}

/* Which features are current for which discs, as bit sets over the profiles. */
enum {
	P_CDR = 1 << 0, P_CDRW = 1 << 1, P_DVDR = 1 << 2, P_DVDPR = 1 << 3, P_DVDPRW = 1 << 4,
	P_BDR = 1 << 5, P_BDRE = 1 << 6,
	P_CD = P_CDR | P_CDRW, P_DVD = P_DVDR | P_DVDPR | P_DVDPRW, P_BD = P_BDR | P_BDRE,
	P_ANY_DISC = P_CD | P_DVD | P_BD, P_ALWAYS = 1 << 15
};

static unsigned profile_bit(const emu_medium *m)
{
	static const struct { uint16_t profile; unsigned bit; } bits[] = {
		{ 0x0009, P_CDR }, { 0x000a, P_CDRW }, { 0x0011, P_DVDR }, { 0x001b, P_DVDPR },
		{ 0x001a, P_DVDPRW }, { 0x0041, P_BDR }, { 0x0043, P_BDRE },
	};
	for (size_t i = 0; m && i < sizeof(bits) / sizeof(bits[0]); i++)
		if (bits[i].profile == m->profile)
			return bits[i].bit;
	return 0;
}

/* The drive's profile list, highest first as drives list them (MMC-6 5.3.1). */
static const uint16_t drive_profiles[] = { 0x0043, 0x0041, 0x0040, 0x001b, 0x001a, 0x0011,
					   0x0010, 0x000a, 0x0009, 0x0008 };

/* MMC-6 5.3: feature code, version, persistent, when current, additional data. */
static const struct emu_feature {
	uint16_t code;
	uint8_t version;
	uint8_t persistent;
	unsigned current;
	uint8_t len;
	uint8_t data[8];
} features[] = {
	{ 0x0001, 2, 1, P_ALWAYS, 8, { 0, 0, 0, 1, 1, 0, 0, 0 } },   /* Core: SCSI, DBE */
	{ 0x0002, 1, 1, P_ALWAYS, 4, { 0x02, 0, 0, 0 } },            /* Morphing: OCEvent */
	{ 0x0003, 2, 1, P_ALWAYS, 4, { 0x29, 0, 0, 0 } },            /* Removable: tray, eject, lock */
	{ 0x0010, 0, 0, P_ANY_DISC, 8, { 0, 0, 8, 0, 0, 16, 1, 0 } }, /* Random Readable: 2048 */
	{ 0x001d, 0, 0, P_ANY_DISC, 0, { 0 } },                      /* Multi-Read */
	{ 0x001e, 2, 0, P_CD, 4, { 0, 0, 0, 0 } },                    /* CD Read */
	{ 0x001f, 1, 0, P_DVD, 4, { 0, 0, 0, 0 } },                   /* DVD Read */
	{ 0x0021, 1, 0, P_CD | P_DVDR, 8, { 0, 0x01, 0x01, 1, 7, 0, 0, 0 } }, /* Incremental */
	{ 0x0023, 1, 0, P_DVDPRW | P_BDRE, 8, { 0, 0, 0, 0, 0, 0, 0, 0 } },   /* Formattable */
	{ 0x0024, 1, 0, P_BDRE, 4, { 0x80, 0, 0, 0 } },              /* Defect management */
	{ 0x002a, 1, 0, P_DVDPRW, 4, { 0x01, 0, 0, 0 } },            /* DVD+RW, Write */
	{ 0x002b, 0, 0, P_DVDPR, 4, { 0x01, 0, 0, 0 } },             /* DVD+R, Write */
	{ 0x002d, 2, 0, P_CD, 4, { 0x46, 0, 0x01, 0x00 } },          /* CD TAO: BUF, TestWrite */
	{ 0x002e, 1, 0, P_CD, 4, { 0x46, 0x10, 0, 0 } },             /* CD Mastering: SAO */
	{ 0x002f, 2, 0, P_DVDR, 4, { 0x44, 0, 0, 0 } },              /* DVD-R Write: BUF */
	{ 0x0040, 1, 0, P_BD, 28, { 0 } },                            /* BD Read */
	{ 0x0041, 1, 0, P_BD, 20, { 0 } },                            /* BD Write */
	{ 0x0100, 0, 1, P_ALWAYS, 0, { 0 } },                        /* Power Management */
	{ 0x0105, 0, 1, P_ALWAYS, 4, { 0 } },                        /* Timeout */
	{ 0x0107, 3, 1, P_ALWAYS, 4, { 0x1f, 0, 0, 0 } },            /* Real Time Streaming */
};

static size_t put(uint8_t *buf, size_t cap, size_t pos, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pos + i < cap)
			buf[pos + i] = src ? src[i] : 0;
	return pos + n;
}

size_t emu_build_configuration(const emu_medium *m, int rt, uint16_t start, uint8_t *buf,
			       size_t cap)
{
	unsigned bit = profile_bit(m);
	uint8_t hdr[8] = { 0 };
	uint8_t d[4];
	size_t pos = 8;

	dm_put_be16(hdr + 6, m ? m->profile : 0);
	/* Feature 0000h, the profile list: always current and persistent. */
	int want0 = start == 0 && rt != 3;
	if (want0) {
		size_t n = sizeof(drive_profiles) / sizeof(drive_profiles[0]);
		d[0] = 0; d[1] = 0; d[2] = 0x03; d[3] = (uint8_t)(4 * n);
		pos = put(buf, cap, pos, d, 4);
		for (size_t i = 0; i < n; i++) {
			uint8_t p[4] = { 0 };
			dm_put_be16(p, drive_profiles[i]);
			p[2] = m && m->profile == drive_profiles[i];
			pos = put(buf, cap, pos, p, 4);
		}
	}
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct emu_feature *f = &features[i];
		int current = (f->current & P_ALWAYS) || (f->current & bit);
		/* MMC-6 6.6.2.2: RT 0 all from `start`; 1 current ones from `start`; 2 only
		 * `start`. */
		if (rt == 2 ? f->code != start : f->code < start)
			continue;
		if (rt == 1 && !current)
			continue;
		dm_put_be16(d, f->code);
		d[2] = (uint8_t)((f->version << 2) | (f->persistent << 1) | current);
		d[3] = f->len;
		pos = put(buf, cap, pos, d, 4);
		pos = put(buf, cap, pos, f->len <= sizeof(f->data) ? f->data : NULL, f->len);
	}
	dm_put_be32(hdr, (uint32_t)(pos - 4));
	put(buf, cap, 0, hdr, 8);
	return pos;
}

size_t emu_build_caps_page(const emu_medium *m, uint8_t *page, size_t cap)
{
	uint8_t p[64] = { 0 };
	const uint32_t *speeds = m ? m->speeds_kbs : cd_speeds;
	size_t n = 0;
	while (speeds[n] && n < 6)
		n++;
	size_t len = 32 + 4 * n;
	/* MMC-3 table 361. */
	p[0] = 0x2a;
	p[1] = (uint8_t)(len - 2);
	p[2] = 0x3b;            /* reads CD-R, CD-RW, DVD-ROM, DVD-R */
	p[3] = 0x17;            /* writes CD-R, CD-RW, DVD-R; test write */
	p[4] = 0x80;            /* BUF: underrun protection */
	p[6] = 0x29;            /* tray, eject, lock */
	dm_put_be16(p + 12, EMU_BUFFER_BYTES / 1024);
	dm_put_be16(p + 18, (uint16_t)(speeds[0] > 0xffff ? 0xffff : speeds[0]));
	dm_put_be16(p + 28, (uint16_t)(speeds[0] > 0xffff ? 0xffff : speeds[0]));
	dm_put_be16(p + 30, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		dm_put_be16(p + 32 + 4 * i + 2, (uint16_t)(speeds[i] > 0xffff ? 0xffff : speeds[i]));
	size_t out = len < cap ? len : cap;
	memcpy(page, p, out);
	return len;
}
