#include "common/drive/media_model.h"

#include <stdio.h>

#include "common/drive/mmc_cdb.h"
#include "common/drive/mmc_parse.h"

/* MMC-6 table 91. Capacities come from the disc, never from here. ECC blocks: CD has none
 * (1), DVD has 16 sectors (ECMA-267 18.4), BD clusters 32 (BD-R/RE 1.x). Write features:
 * 002Dh CD Track at Once, 002Eh CD Mastering, 0021h Incremental Streaming Writable, 002Fh
 * DVD-R/-RW Write, 002Ah DVD+RW, 002Bh DVD+R, 0041h BD Write. */
static const media_profile profiles[] = {
	/* code, name, family, recording, erasable, capacity source, ECC blocks, write feature,
	 * alternative write feature, page 05, write type, reserve track, close final, close
	 * multi-session, 1x kB/s */
	{ 0x0008, "CD-ROM", MEDIA_CD, MEDIA_READ_ONLY, 0, MEDIA_CAP_READ_CAPACITY, 1, 0, 0, 0, 0, 0, 0, 0, 176 },
	{ 0x0009, "CD-R", MEDIA_CD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 1, 0x002d, 0x002e, 1, MMC_WT_TAO, 0, 0, 0, 176 },
	{ 0x000a, "CD-RW", MEDIA_CD, MEDIA_SEQUENTIAL, 1, MEDIA_CAP_TRACK_FREE, 1, 0x002d, 0x002e, 1, MMC_WT_TAO, 0, 0, 0, 176 },
	{ 0x0010, "DVD-ROM", MEDIA_DVD, MEDIA_READ_ONLY, 0, MEDIA_CAP_READ_CAPACITY, 16, 0, 0, 0, 0, 0, 0, 0, 1385 },
	{ 0x0011, "DVD-R", MEDIA_DVD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 16, 0x0021, 0x002f, 1, MMC_WT_PACKET, 0, 0, 0, 1385 },
	{ 0x0012, "DVD-RAM", MEDIA_DVD, MEDIA_RANDOM, 1, MEDIA_CAP_FORMAT_CAPACITY, 16, 0x0020, 0, 0, 0, 0, 0, 0, 1385 },
	{ 0x0013, "DVD-RW (restricted overwrite)", MEDIA_DVD, MEDIA_RANDOM, 1, MEDIA_CAP_FORMAT_CAPACITY, 16, 0x0026, 0, 0, 0, 0, 0, 0, 1385 },
	{ 0x0014, "DVD-RW (sequential)", MEDIA_DVD, MEDIA_SEQUENTIAL, 1, MEDIA_CAP_TRACK_FREE, 16, 0x0021, 0x002f, 1, MMC_WT_PACKET, 0, 0, 0, 1385 },
	{ 0x0015, "DVD-R DL (sequential)", MEDIA_DVD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 16, 0x0021, 0x002f, 1, MMC_WT_PACKET, 0, 0, 0, 1385 },
	{ 0x0016, "DVD-R DL (layer jump)", MEDIA_DVD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 16, 0x0033, 0, 1, MMC_WT_PACKET, 0, 0, 0, 1385 },
	{ 0x001a, "DVD+RW", MEDIA_DVD, MEDIA_RANDOM, 1, MEDIA_CAP_FORMAT_CAPACITY, 16, 0x002a, 0, 0, 0, 0, 0, 0, 1385 },
	{ 0x001b, "DVD+R", MEDIA_DVD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 16, 0x002b, 0, 0, 0, 1, MMC_CLOSE_FINALIZE, MMC_CLOSE_SESSION, 1385 },
	{ 0x002b, "DVD+R DL", MEDIA_DVD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 16, 0x003b, 0, 0, 0, 1, MMC_CLOSE_FINALIZE, MMC_CLOSE_SESSION, 1385 },
	{ 0x0040, "BD-ROM", MEDIA_BD, MEDIA_READ_ONLY, 0, MEDIA_CAP_READ_CAPACITY, 32, 0, 0, 0, 0, 0, 0, 0, 4495 },
	{ 0x0041, "BD-R (sequential)", MEDIA_BD, MEDIA_SEQUENTIAL, 0, MEDIA_CAP_TRACK_FREE, 32, 0x0041, 0, 0, 0, 0, MMC_CLOSE_FINALIZE, MMC_CLOSE_SESSION, 4495 },
	{ 0x0042, "BD-R (random)", MEDIA_BD, MEDIA_RANDOM, 0, MEDIA_CAP_FORMAT_CAPACITY, 32, 0x0041, 0, 0, 0, 0, 0, 0, 4495 },
	{ 0x0043, "BD-RE", MEDIA_BD, MEDIA_RANDOM, 1, MEDIA_CAP_FORMAT_CAPACITY, 32, 0x0041, 0, 0, 0, 0, 0, 0, 4495 },
	{ 0, NULL, MEDIA_OTHER, MEDIA_READ_ONLY, 0, MEDIA_CAP_READ_CAPACITY, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* BLANK: CD-RW and DVD-RW in either mode (MMC-6 6.2.1; blanking a restricted overwrite
 * DVD-RW makes it sequential again). FORMAT UNIT types (6.5.4.2): DVD+RW 26h; BD-RE 30h
 * with spares, quick certification for quick and full certification for full; DVD-RAM
 * 00h; DVD-RW to restricted overwrite 15h (quick) or 00h (full). Dual layer: the layer
 * boundary information (disc structure format 20h, MMC-6 6.29.2.16) of DVD+R DL and
 * DVD-R DL alike. */
static const media_erase erase_rows[] = {
	{ 0x000a, 1, MEDIA_NO_FORMAT, 0, MEDIA_NO_FORMAT, 0, 0, 0 },
	{ 0x0012, 0, MMC_FMT_TYPE_FULL, 0, MMC_FMT_TYPE_FULL, 0, 0, 0 },
	{ 0x0013, 1, MMC_FMT_TYPE_DVDRW_QUICK, 0, MMC_FMT_TYPE_FULL, 0, 0, 0 },
	{ 0x0014, 1, MMC_FMT_TYPE_DVDRW_QUICK, 0, MMC_FMT_TYPE_FULL, 0, 0, 0 },
	{ 0x0015, 0, MEDIA_NO_FORMAT, 0, MEDIA_NO_FORMAT, 0, 0, MMC_DS_LAYER_BOUNDARY },
	{ 0x001a, 0, MMC_FMT_TYPE_DVDPLUSRW, 0, MMC_FMT_TYPE_DVDPLUSRW, 0, 1, 0 },
	{ 0x002b, 0, MEDIA_NO_FORMAT, 0, MEDIA_NO_FORMAT, 0, 0, MMC_DS_LAYER_BOUNDARY },
	{ 0x0043, 0, MMC_FMT_TYPE_BD_SPARES, MMC_FMT_SUB_QUICK_CERT, MMC_FMT_TYPE_BD_SPARES,
	  MMC_FMT_SUB_FULL_CERT, 1, 0 },
};

const media_erase *media_erase_find(uint16_t code)
{
	static const media_erase none = { 0, 0, MEDIA_NO_FORMAT, 0, MEDIA_NO_FORMAT, 0, 0, 0 };
	for (size_t i = 0; i < sizeof(erase_rows) / sizeof(erase_rows[0]); i++)
		if (erase_rows[i].code == code)
			return &erase_rows[i];
	return &none;
}

const media_profile *media_profile_find(uint16_t code)
{
	for (const media_profile *p = profiles; p->name; p++)
		if (p->code == code)
			return p;
	return NULL;
}

const media_profile *media_profiles(void)
{
	return profiles;
}

const char *media_profile_name(uint16_t code, char *buf, unsigned len)
{
	const media_profile *p = media_profile_find(code);
	if (p)
		return p->name;
	if (code == 0)
		return "no disc";
	snprintf(buf, len, "profile 0x%04x", code);
	return buf;
}

static const struct {
	uint16_t code;
	const char *name;
} features[] = {
	{ 0x0000, "Profile List" },
	{ 0x0001, "Core" },
	{ 0x0002, "Morphing" },
	{ 0x0003, "Removable Medium" },
	{ 0x0004, "Write Protect" },
	{ 0x0010, "Random Readable" },
	{ 0x001d, "Multi-Read" },
	{ 0x001e, "CD Read" },
	{ 0x001f, "DVD Read" },
	{ 0x0020, "Random Writable" },
	{ 0x0021, "Incremental Streaming Writable" },
	{ 0x0023, "Formattable" },
	{ 0x0024, "Hardware Defect Management" },
	{ 0x0025, "Write Once" },
	{ 0x0026, "Restricted Overwrite" },
	{ 0x0027, "CD-RW CAV Write" },
	{ 0x002a, "DVD+RW" },
	{ 0x002b, "DVD+R" },
	{ 0x002c, "Rigid Restricted Overwrite" },
	{ 0x002d, "CD Track at Once" },
	{ 0x002e, "CD Mastering" },
	{ 0x002f, "DVD-R/-RW Write" },
	{ 0x0033, "Layer Jump Recording" },
	{ 0x0037, "CD-RW Media Write Support" },
	{ 0x003b, "DVD+R Dual Layer" },
	{ 0x0040, "BD Read" },
	{ 0x0041, "BD Write" },
	{ 0x0100, "Power Management" },
	{ 0x0105, "Timeout" },
	{ 0x0107, "Real Time Streaming" },
	{ 0x0108, "Drive Serial Number" },
	{ 0x010a, "Disc Control Blocks" },
};

const char *media_feature_name(uint16_t code)
{
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (features[i].code == code)
			return features[i].name;
	return NULL;
}

const char *media_disc_status_name(int status)
{
	static const char *const names[] = { "blank", "appendable", "complete", "other" };
	return status >= 0 && status <= 3 ? names[status] : "other";
}
