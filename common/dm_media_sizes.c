#include "common/dm_media_sizes.h"

/* Capacities in 2048-byte sectors, as drives report them (READ CAPACITY / READ DISC
 * INFORMATION, MMC-6 6.22) and as growisofs and cdrecord list them:
 *   CD 74 min: 74 * 60 * 75 = 333000 sectors (75 sectors a second, ECMA-130 14.1)
 *   CD 80 min: 80 * 60 * 75 = 360000 sectors; a blank 80-minute CD-R reports 359847
 *   DVD-R 2298496, DVD+R 2295104 (ECMA-359, ECMA-349)
 *   DVD-R DL 4171712, DVD+R DL 4173824 (ECMA-382, ECMA-364); DVD-RAM 2236704 (ECMA-330)
 *   BD-R SL 12219392 (25.0 GB), with the default spare areas 11826176; DL 24438784
 *   (50.0 GB), BDXL TL 48878592 (100.1 GB), BDXL QL 62500864 (128.0 GB) */
static const uint32_t sectors[DM_SIZE_COUNT] = {
	[DM_SIZE_CD74] = 333000,
	[DM_SIZE_CD80] = 360000,
	[DM_SIZE_CDR80_ATIP] = 359847,
	[DM_SIZE_DVDR] = 2298496,
	[DM_SIZE_DVDPR] = 2295104,
	[DM_SIZE_DVDRDL] = 4171712,
	[DM_SIZE_DVDPRDL] = 4173824,
	[DM_SIZE_DVDRAM] = 2236704,
	[DM_SIZE_BD] = 12219392,
	[DM_SIZE_BDRE_SPARE] = 11826176,
	[DM_SIZE_BD_DL] = 24438784,
	[DM_SIZE_BD_TL] = 48878592,
	[DM_SIZE_BD_QL] = 62500864,
};

uint32_t dm_media_sectors(dm_size_id id)
{
	return (unsigned)id < DM_SIZE_COUNT ? sectors[id] : 0;
}
