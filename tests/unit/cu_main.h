/* The shared main() of every CUnit test program: each test file defines
 * `static const CU_SuiteInfo suites[]` and includes this header last. */
#ifndef CU_MAIN_H
#define CU_MAIN_H

#include <CUnit/Basic.h>
#include <stdio.h>

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	if (CU_register_suites((CU_SuiteInfo *)suites) != CUE_SUCCESS) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 99;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	unsigned run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (run == 0) {
		fprintf(stderr, "no test ran\n");
		return 1;
	}
	return failed ? 1 : 0;
}

#endif
