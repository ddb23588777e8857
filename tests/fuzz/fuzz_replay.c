/* Runs the fuzz target without libFuzzer (gcc builds, make check): every file named on
 * the command line, then every prefix of each (the truncations a drive may send; every
 * FUZZ_REPLAY_STRIDE-th with that set), then
 * a fixed number of pseudo-random mutations of each. Sanitizers do the checking. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

int main(int argc, char **argv)
{
	unsigned long runs = 0;
	/* FUZZ_REPLAY_STRIDE: every Nth prefix only (large seeds: whole disc images). */
	const char *env = getenv("FUZZ_REPLAY_STRIDE");
	size_t stride = env && atoi(env) > 0 ? (size_t)atoi(env) : 1;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		uint8_t buf[65536];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		for (size_t len = 0; len <= n; len += stride, runs++)
			LLVMFuzzerTestOneInput(buf, len);
		uint8_t m[65536];
		for (int k = 0; k < 2000 && n > 1; k++, runs++) {
			memcpy(m, buf, n);
			int flips = 1 + (int)(next() % 8);
			for (int j = 0; j < flips; j++)
				m[1 + next() % (n - 1)] = (uint8_t)next();
			LLVMFuzzerTestOneInput(m, 1 + next() % n);
		}
	}
	printf("%lu inputs from %d files\n", runs, argc - 1);
	return 0;
}
