#include "common/drive/emu_media.h"

#include <string.h>
#include <strings.h>

#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"

/* Write speeds in kB/s, fastest first (1x: CD 176.4, DVD 1385, BD 4495). */
static const uint32_t cdr_speeds[] = { 8467, 7056, 4234, 2822, 1411, 0 };
static const uint32_t cdrw_speeds[] = { 4234, 2822, 1764, 706, 0 };
static const uint32_t dvdr_speeds[] = { 22160, 11080, 5540, 0 };
static const uint32_t dvdrw_speeds[] = { 11080, 5540, 3324, 0 };
static const uint32_t dvddl_speeds[] = { 11080, 5540, 3324, 0 };
static const uint32_t dvdram_speeds[] = { 6925, 4155, 2770, 0 };
static const uint32_t bdr_speeds[] = { 26970, 17980, 8990, 0 };
static const uint32_t bdre_speeds[] = { 17980, 8990, 4495, 0 };

#define CLOSE(a) (1u << (a))
#define NOFMT { { 0xff, 0, 0, 0, 0 } }

/* MMC-6 4.x per medium. Session gaps are what a CD loses to lead-out, lead-in and pre-gap
 * (6,750 + 4,500 + 150 after the first session, 2,250 + 4,500 + 150 after later ones). */
static emu_medium media[] = {
	{ "none", "no disc", 0x0000, 0, EMU_CD, EMU_WORM, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	  cdr_speeds, NOFMT },
	{ "cd-r", "CD-R", 0x0009, 0, EMU_CD, EMU_WORM, 1, 0, 0, 1, EMU_WT_TAO | EMU_WT_SAO,
	  CLOSE(1) | CLOSE(2), 0, 0, 1, 6900, 11400, cdr_speeds, NOFMT },
	{ "cd-rw", "CD-RW", 0x000a, 0, EMU_CD, EMU_SEQ_RW, 1, 0, 0, 1, EMU_WT_TAO | EMU_WT_SAO,
	  CLOSE(1) | CLOSE(2), 0, 0, 1, 6900, 11400, cdrw_speeds, NOFMT },
	{ "dvd-r", "DVD-R", 0x0011, 0, EMU_DVD, EMU_WORM, 1, 0, 0, 1,
	  EMU_WT_PACKET | EMU_WT_SAO, CLOSE(1) | CLOSE(2), 0, 0, 16, 0, 0, dvdr_speeds, NOFMT },
	{ "dvd-rw", "DVD-RW", 0x0014, 0x0013, EMU_DVD, EMU_SEQ_RW, 1, 0, 0, 1,
	  EMU_WT_PACKET | EMU_WT_SAO, CLOSE(1) | CLOSE(2), 0, 0, 16, 0, 0, dvdrw_speeds,
	  /* A restricted-overwrite disc lists 00h too: growisofs requires it. */
	  { { 0x00, 0, 16, 1, 2 }, { 0x10, 0, 16, 1, 3 }, { 0x15, 0, 16, 0, 1 },
	    { 0x13, 0, 16, 0, 2 }, { 0xff, 0, 0, 0, 0 } } },
	{ "dvd+r", "DVD+R", 0x001b, 0, EMU_DVD, EMU_WORM, 1, 0, 0, 0, EMU_WT_NONE,
	  CLOSE(1) | CLOSE(2) | CLOSE(5) | CLOSE(6), 0, 0, 16, 0, 0, dvdr_speeds, NOFMT },
	{ "dvd+rw", "DVD+RW", 0x001a, 0, EMU_DVD, EMU_OVERWRITE, 1, 0, 0, 0,
	  EMU_WT_NONE, CLOSE(0) | CLOSE(1) | CLOSE(2) | CLOSE(3), 0, 0, 16, 0, 0,
	  dvdrw_speeds, { { 0x26, 0, 0, 0, 3 }, { 0xff, 0, 0, 0, 0 } } },
	{ "dvd+r-dl", "DVD+R DL", 0x002b, 0, EMU_DVD, EMU_WORM, 2, 0, 0, 0,
	  EMU_WT_NONE, CLOSE(1) | CLOSE(2) | CLOSE(5) | CLOSE(6), 0, 0, 16, 0, 0,
	  dvddl_speeds, NOFMT },
	{ "dvd-r-dl", "DVD-R DL", 0x0015, 0, EMU_DVD, EMU_WORM, 2, 0, 0, 1,
	  EMU_WT_PACKET | EMU_WT_SAO | EMU_WT_LJ, CLOSE(1) | CLOSE(2), 0, 0, 16, 0, 0,
	  dvddl_speeds, NOFMT },
	{ "dvd-ram", "DVD-RAM", 0x0012, 0, EMU_DVD, EMU_OVERWRITE, 1, 1, 1, 0,
	  EMU_WT_NONE, 0, 0, 0, 16, 0, 0, dvdram_speeds,
	  { { 0x00, 0, 0, 1, 3 }, { 0x01, 2213760, 0, 0, 2 }, { 0xff, 0, 0, 0, 0 } } },
	{ "bd-r", "BD-R", 0x0041, 0, EMU_BD, EMU_WORM, 1, 0, 0, 0, EMU_WT_NONE,
	  CLOSE(1) | CLOSE(2) | CLOSE(6), 0, 0, 32, 0, 0, bdr_speeds,
	  /* Listed while blank even once formatted: growisofs wants >= 2 descriptors. */
	  { { 0x00, 11826176, 0x3c00, 0, 3 }, { 0x32, 11826176, 0x3c00, 0, 3 },
	    { 0xff, 0, 0, 0, 0 } } },
	{ "bd-re", "BD-RE", 0x0043, 0, EMU_BD, EMU_OVERWRITE, 1, 1, 0, 0,
	  EMU_WT_NONE, 0, 0, 0, 32, 0, 0, bdre_speeds,
	  { { 0x00, 11826176, 0x3c00, 1, 3 }, { 0x30, 11826176, 0x3c00, 1, 3 },
	    { 0x31, 12219392, 0, 0, 3 }, { 0xff, 0, 0, 0, 0 } } },
};

/* Capacities and file areas from the one table of sizes (dm_media_sizes.c). */
static const struct { const char *name; dm_size_id cap, area; } sizes[] = {
	{ "cd-r", DM_SIZE_CDR80_ATIP, DM_SIZE_CDR80_ATIP },
	{ "cd-rw", DM_SIZE_CDR80_ATIP, DM_SIZE_CDR80_ATIP },
	{ "dvd-r", DM_SIZE_DVDR, DM_SIZE_DVDR },
	{ "dvd-rw", DM_SIZE_DVDR, DM_SIZE_DVDR },
	{ "dvd+r", DM_SIZE_DVDPR, DM_SIZE_DVDPR },
	{ "dvd+rw", DM_SIZE_DVDPR, DM_SIZE_DVDPR },
	{ "dvd+r-dl", DM_SIZE_DVDPRDL, DM_SIZE_DVDPRDL },
	{ "dvd-r-dl", DM_SIZE_DVDRDL, DM_SIZE_DVDRDL },
	{ "dvd-ram", DM_SIZE_DVDRAM, DM_SIZE_DVDRAM },
	{ "bd-r", DM_SIZE_BD, DM_SIZE_BD },
	{ "bd-re", DM_SIZE_BDRE_SPARE, DM_SIZE_BD },
};

static void fill_sizes(void)
{
	static int done;
	if (done)
		return;
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
			if (!strcmp(media[i].name, sizes[k].name)) {
				media[i].capacity = dm_media_sectors(sizes[k].cap);
				media[i].area = dm_media_sectors(sizes[k].area);
			}
	done = 1;
}

const emu_medium *emu_medium_at(size_t i)
{
	fill_sizes();
	return i < sizeof(media) / sizeof(media[0]) ? &media[i] : NULL;
}

const emu_medium *emu_medium_find(const char *name)
{
	const emu_medium *m;
	for (size_t i = 0; (m = emu_medium_at(i)); i++)
		if (strcasecmp(m->name, name) == 0)
			return m;
	return NULL;
}

const char *emu_medium_names(void)
{
	return "none, cd-r, cd-rw, dvd-r, dvd-rw, dvd+r, dvd+rw, dvd+r-dl, dvd-r-dl, dvd-ram, "
	       "bd-r, bd-re";
}

uint16_t emu_medium_profile(const emu_medium *m, int formatted)
{
	if (!m)
		return 0;
	return formatted && m->ro_profile ? m->ro_profile : m->profile;
}

uint32_t emu_medium_speed(const emu_medium *m, uint32_t kbs)
{
	const uint32_t *sp = m && m->profile ? m->speeds_kbs : cdr_speeds;
	uint32_t best = 0, slowest = UINT32_MAX;
	for (size_t i = 0; sp[i]; i++) {
		if (sp[i] <= kbs && sp[i] > best)
			best = sp[i];
		if (sp[i] < slowest)
			slowest = sp[i];
	}
	return best ? best : slowest;
}

/* Which features are current with which profile, as bit sets. */
enum {
	P_CDR = 1 << 0, P_CDRW = 1 << 1, P_DVDR = 1 << 2, P_DVDRW = 1 << 3, P_DVDRWRO = 1 << 4,
	P_DVDPR = 1 << 5, P_DVDPRW = 1 << 6, P_DVDPRDL = 1 << 7, P_DVDRDL = 1 << 8,
	P_DVDRAM = 1 << 9, P_BDR = 1 << 10, P_BDRE = 1 << 11,
	P_CD = P_CDR | P_CDRW,
	P_DVD = P_DVDR | P_DVDRW | P_DVDRWRO | P_DVDPR | P_DVDPRW | P_DVDPRDL | P_DVDRDL | P_DVDRAM,
	P_BD = P_BDR | P_BDRE, P_ANY_DISC = P_CD | P_DVD | P_BD,
	P_DASHR = P_DVDR | P_DVDRW | P_DVDRDL, P_ALWAYS = 1 << 15
};

static const struct { uint16_t profile; unsigned bit; } profile_bits[] = {
	{ 0x0009, P_CDR }, { 0x000a, P_CDRW }, { 0x0011, P_DVDR }, { 0x0014, P_DVDRW },
	{ 0x0013, P_DVDRWRO }, { 0x001b, P_DVDPR }, { 0x001a, P_DVDPRW }, { 0x002b, P_DVDPRDL },
	{ 0x0015, P_DVDRDL }, { 0x0012, P_DVDRAM }, { 0x0041, P_BDR }, { 0x0043, P_BDRE },
};

static unsigned profile_bit(uint16_t profile)
{
	for (size_t i = 0; i < sizeof(profile_bits) / sizeof(profile_bits[0]); i++)
		if (profile_bits[i].profile == profile)
			return profile_bits[i].bit;
	return 0;
}

/* The drive's profile list, highest first as drives list them (MMC-6 5.3.1). */
static const uint16_t drive_profiles[] = { 0x0043, 0x0041, 0x0040, 0x002b, 0x001b, 0x001a,
					   0x0016, 0x0015, 0x0014, 0x0013, 0x0012, 0x0011,
					   0x0010, 0x000a, 0x0009, 0x0008 };

/* MMC-6 5.3: feature code, version, persistent, when current, additional data. Feature
 * 0020h's data (last LBA) is filled in when answering. */
static const struct emu_feature {
	uint16_t code;
	uint8_t version;
	uint8_t persistent;
	unsigned current;
	uint8_t len;
	uint8_t data[12];
} features[] = {
	{ 0x0001, 2, 1, P_ALWAYS, 8, { 0, 0, 0, 1, 1 } },            /* Core: SCSI, DBE */
	{ 0x0002, 1, 1, P_ALWAYS, 4, { 0x02 } },                     /* Morphing: OCEvent */
	{ 0x0003, 2, 1, P_ALWAYS, 4, { 0x29 } },                     /* Removable: tray, eject, lock */
	{ 0x0010, 0, 0, P_ANY_DISC, 8, { 0, 0, 8, 0, 0, 16, 1 } },   /* Random Readable: 2048 */
	{ 0x001d, 0, 0, P_CD | P_DVD, 0, { 0 } },                    /* Multi-Read */
	{ 0x001e, 2, 0, P_CD, 4, { 0x03 } },                         /* CD Read: C2, CD-Text */
	{ 0x001f, 1, 0, P_DVD, 4, { 0x01, 0, 0x01 } },              /* DVD Read: MULTI110, DL */
	/* Random Writable: last LBA, 2048, blocking 16, PP (MMC-6 5.3.12). */
	{ 0x0020, 0, 0, P_DVDRAM | P_DVDRWRO | P_BDRE, 12, { 0, 0, 0, 0, 0, 0, 8, 0, 0, 16, 1 } },
	/* Incremental Streaming Writable: data block types 8 and 10, BUF, one link size of
	 * 16 (MMC-6 5.3.13). */
	{ 0x0021, 1, 0, P_CD | P_DASHR | P_BDR, 8, { 0x05, 0x00, 0x01, 1, 16 } },
	/* Formattable: Cert, QCert, Expand, RENoSA (MMC-6 5.3.15). */
	{ 0x0023, 1, 0, P_DVDRW | P_DVDRWRO | P_DVDPRW | P_DVDRAM | P_BDR | P_BDRE, 8,
	  { 0x0f } },
	{ 0x0024, 1, 0, P_DVDRAM | P_BDRE, 4, { 0x80 } },           /* Defect management: SSA */
	{ 0x0026, 0, 0, P_DVDRWRO, 0, { 0 } },                       /* Restricted Overwrite */
	{ 0x0027, 0, 0, P_CDRW, 4, { 0 } },                          /* CD-RW CAV Write */
	{ 0x0028, 1, 0, 0, 4, { 0 } },                               /* MRW: never current */
	{ 0x002a, 1, 0, P_DVDPRW, 4, { 0x01, 0x01 } },              /* DVD+RW: Write, CloseOnly */
	{ 0x002b, 0, 0, P_DVDPR | P_DVDPRDL, 4, { 0x01 } },         /* DVD+R: Write */
	{ 0x002c, 1, 0, P_DVDRWRO, 4, { 0x0f } },                    /* Rigid Restricted Overwrite */
	/* CD TAO: BUF, TestWrite, CD-RW; data block types 0 (raw, CD-DA), 8, 9, 10. */
	{ 0x002d, 2, 0, P_CD, 4, { 0x46, 0, 0x07, 0x01 } },
	/* CD Mastering: BUF, SAO, TestWrite, CD-RW; cue sheets up to 4 KiB. */
	{ 0x002e, 1, 0, P_CD, 4, { 0x66, 0, 0x10, 0 } },
	{ 0x002f, 2, 0, P_DASHR, 4, { 0x4e } },                      /* DVD-R: BUF, RDL, Test, RW */
	{ 0x0033, 0, 0, P_DVDRDL, 8, { 0, 0, 0, 1, 16 } },           /* Layer Jump Recording */
	{ 0x0037, 0, 0, P_CDRW, 4, { 0, 0x02 } },                    /* CD-RW Media Write: subtype 1 */
	{ 0x0038, 0, 0, P_BDR, 4, { 0 } },                           /* BD-R POW */
	{ 0x003b, 0, 0, P_DVDPRDL, 4, { 0x01 } },                    /* DVD+R DL: Write */
	{ 0x0040, 1, 0, P_BD, 28, { 0 } },                           /* BD Read */
	{ 0x0041, 1, 0, P_BD, 20, { 0x01 } },                        /* BD Write: SVNR */
	{ 0x0100, 0, 1, P_ALWAYS, 0, { 0 } },                        /* Power Management */
	{ 0x0105, 0, 1, P_ALWAYS, 4, { 0 } },                        /* Timeout */
	{ 0x0107, 3, 1, P_ALWAYS, 4, { 0x1f } },                     /* Real Time Streaming */
};

static size_t put(uint8_t *buf, size_t cap, size_t pos, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pos + i < cap)
			buf[pos + i] = src ? src[i] : 0;
	return pos + n;
}

size_t emu_build_configuration(uint16_t profile, uint32_t last_lba, int rt, uint16_t start,
			       uint8_t *buf, size_t cap)
{
	unsigned bit = profile_bit(profile);
	uint8_t hdr[8] = { 0 };
	uint8_t d[4];
	size_t pos = 8;

	dm_put_be16(hdr + 6, profile);
	/* Feature 0000h, the profile list: always current and persistent. */
	if (start == 0 && rt != 3) {
		size_t n = sizeof(drive_profiles) / sizeof(drive_profiles[0]);
		d[0] = 0; d[1] = 0; d[2] = 0x03; d[3] = (uint8_t)(4 * n);
		pos = put(buf, cap, pos, d, 4);
		for (size_t i = 0; i < n; i++) {
			uint8_t p[4] = { 0 };
			dm_put_be16(p, drive_profiles[i]);
			p[2] = profile && profile == drive_profiles[i];
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
		uint8_t data[12];
		memcpy(data, f->data, sizeof(data));
		if (f->code == 0x0020)
			dm_put_be32(data, current ? last_lba : 0);
		dm_put_be16(d, f->code);
		d[2] = (uint8_t)((f->version << 2) | (f->persistent << 1) | current);
		d[3] = f->len;
		pos = put(buf, cap, pos, d, 4);
		pos = put(buf, cap, pos, f->len <= sizeof(data) ? data : NULL, f->len);
	}
	dm_put_be32(hdr, (uint32_t)(pos - 4));
	put(buf, cap, 0, hdr, 8);
	return pos;
}

size_t emu_build_caps_page(const emu_medium *m, uint32_t cur_kbs, uint8_t *page, size_t cap)
{
	uint8_t p[64] = { 0 };
	const uint32_t *speeds = m && m->profile ? m->speeds_kbs : cdr_speeds;
	size_t n = 0;
	while (speeds[n] && n < 6)
		n++;
	size_t len = 32 + 4 * n;
	uint16_t max = (uint16_t)(speeds[0] > 0xffff ? 0xffff : speeds[0]);
	uint16_t cur = (uint16_t)(cur_kbs > 0xffff ? 0xffff : cur_kbs);
	/* MMC-3 table 361 (MMC-6 keeps the page as legacy). */
	p[0] = 0x2a;
	p[1] = (uint8_t)(len - 2);
	p[2] = 0x3f;            /* reads CD-R, CD-RW, method 2, DVD-ROM, DVD-R, DVD-RAM */
	p[3] = 0x37;            /* writes CD-R, CD-RW, test write, DVD-R, DVD-RAM */
	p[4] = 0xf0;            /* BUF, multi-session, Mode 2 form 2 and form 1 reads */
	/* CD-DA commands, accurate CD-DA stream, R-W read (and de-interleaved), C2
	 * pointers, ISRC, UPC (READ CD and READ SUB-CHANNEL of emu_readcd.c); no audio play. */
	p[5] = 0x7f;
	p[6] = 0x29;            /* tray, eject, lock */
	dm_put_be16(p + 8, max);   /* obsolete maximum read speed */
	dm_put_be16(p + 10, 256);  /* volume levels */
	dm_put_be16(p + 12, EMU_BUFFER_BYTES / 1024);
	dm_put_be16(p + 14, max);  /* obsolete current read speed */
	dm_put_be16(p + 18, max);  /* obsolete maximum write speed */
	dm_put_be16(p + 20, cur);  /* obsolete current write speed */
	dm_put_be16(p + 28, cur);  /* current write speed selected */
	dm_put_be16(p + 30, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		dm_put_be16(p + 32 + 4 * i + 2, (uint16_t)(speeds[i] > 0xffff ? 0xffff : speeds[i]));
	size_t out = len < cap ? len : cap;
	memcpy(page, p, out);
	return len;
}
