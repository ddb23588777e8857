/* Sizes every part of discmaster agrees on: the 2048-byte logical block of CD data
 * (ECMA-130 Mode 1), DVD (ECMA-267) and BD, and the user capacities of the common discs,
 * defined once here and used by mkimage (--media) and the emulated recorder. */
#ifndef DM_MEDIA_SIZES_H
#define DM_MEDIA_SIZES_H

#include <stdint.h>

/* One logical block (sector) of user data, in bytes. */
#define DM_SECTOR 2048u

typedef enum dm_size_id {
	DM_SIZE_CD74,        /* 74-minute CD, nominal: 74 * 60 * 75 sectors */
	DM_SIZE_CD80,        /* 80-minute CD, nominal: 80 * 60 * 75 */
	DM_SIZE_CDR80_ATIP,  /* 80-minute CD-R/RW as a drive reports it (ATIP lead-out 79:59:74,
			      * minus the 150-sector pre-gap and 2 run-out blocks) */
	DM_SIZE_DVDR,        /* DVD-R / DVD-RW (ECMA-359) */
	DM_SIZE_DVDPR,       /* DVD+R / DVD+RW (ECMA-349) */
	DM_SIZE_DVDRDL,      /* DVD-R DL (ECMA-382) */
	DM_SIZE_DVDPRDL,     /* DVD+R DL (ECMA-364) */
	DM_SIZE_DVDRAM,      /* DVD-RAM 4.7 GB (ECMA-330), formatted */
	DM_SIZE_BD,          /* single-layer BD-R / BD-RE without spare areas (25.0 GB) */
	DM_SIZE_BDRE_SPARE,  /* single-layer BD-RE / BD-R formatted with default spare areas */
	DM_SIZE_BD_DL,       /* dual-layer BD (50.0 GB) */
	DM_SIZE_BD_TL,       /* BDXL triple layer (100.1 GB) */
	DM_SIZE_BD_QL,       /* BDXL quadruple layer (128.0 GB) */
	DM_SIZE_COUNT
} dm_size_id;

/* The capacity in DM_SECTOR blocks. */
uint32_t dm_media_sectors(dm_size_id id);

#endif
