/* Small helpers the CUnit suites share. */
#ifndef CU_UTIL_H
#define CU_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* 1 when the n bytes at p are all zero. */
static inline int cu_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

#endif
