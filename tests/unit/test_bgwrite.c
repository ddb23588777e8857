/* dm_bgwrite: a file written by a second thread, buffer after buffer in order, whatever
 * the buffer count and fill; a failing write is reported (its errno) and later buffers
 * dropped. */
#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/dm_bgwrite.h"

static void test_order(void)
{
	enum { SIZE = 4096, TOTAL = 1000003 };
	uint8_t *m = malloc(TOTAL), *back = malloc(TOTAL + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	srand(4242);
	for (size_t i = 0; i < TOTAL; i++)
		m[i] = (uint8_t)(rand() >> 5);
	unsigned counts[] = { 1, 2, 3, 8 };
	uint64_t writebacks[] = { 0, 65536, 0, 1 };
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		char path[] = "/tmp/test_bgwrite.XXXXXX";
		int fd = mkstemp(path);
		CU_ASSERT_FATAL(fd >= 0);
		dm_bgwrite *w = dm_bgwrite_new(fd, SIZE, counts[c], writebacks[c]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		size_t off = 0;
		while (off < TOTAL) {
			size_t n = (size_t)rand() % SIZE + 1;
			if (n > TOTAL - off)
				n = TOTAL - off;
			memcpy(dm_bgwrite_buffer(w), m + off, n);
			dm_bgwrite_submit(w, n);
			off += n;
		}
		CU_ASSERT_EQUAL(dm_bgwrite_finish(w), 0);
		CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_SET), 0);
		size_t got = 0;
		ssize_t k;
		while ((k = read(fd, back + got, TOTAL + 1 - got)) > 0)
			got += (size_t)k;
		CU_ASSERT_EQUAL(got, TOTAL);
		CU_ASSERT_EQUAL(memcmp(back, m, TOTAL), 0);
		close(fd);
		unlink(path);
	}
	free(m);
	free(back);
}

static void test_error(void)
{
	/* A descriptor open for reading only: every write fails with EBADF. */
	int fd = open("/dev/null", O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	dm_bgwrite *w = dm_bgwrite_new(fd, 512, 2, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	for (int i = 0; i < 20; i++) {
		memset(dm_bgwrite_buffer(w), i, 512);
		dm_bgwrite_submit(w, 512);
	}
	CU_ASSERT_EQUAL(dm_bgwrite_finish(w), EBADF);
	close(fd);
}

static CU_TestInfo tests[] = {
	{ "buffers written in order", test_order },
	{ "a failing write reported", test_error },
	CU_TEST_INFO_NULL,
};
static const CU_SuiteInfo suites[] = {
	{ "dm_bgwrite", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
