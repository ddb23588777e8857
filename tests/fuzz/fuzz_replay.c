/* Runs the fuzz target without libFuzzer (gcc builds, make check): every file named on
 * the command line, then every prefix of each (the truncations a drive may send; every
 * FUZZ_REPLAY_STRIDE-th with that set), then a fixed number of pseudo-random mutations of
 * each. Sanitizers do the checking. FUZZ_REPLAY_PREFIXES=0 skips the prefixes and
 * FUZZ_REPLAY_MUTATIONS=N sets the number of mutations (default 2000): targets that cost
 * milliseconds an input (an archive opened with every format libarchive has) replay their
 * corpus in make check in seconds that way. */
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

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

int main(int argc, char **argv)
{
	unsigned long runs = 0;
	long prefixes = env_long("FUZZ_REPLAY_PREFIXES", 1);
	long mutations = env_long("FUZZ_REPLAY_MUTATIONS", 2000);
	/* FUZZ_REPLAY_STRIDE: every Nth prefix only (large seeds: whole disc images). */
	long stride = env_long("FUZZ_REPLAY_STRIDE", 1);
	if (stride < 1)
		stride = 1;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		uint8_t buf[65536];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		for (size_t len = prefixes ? 0 : n; len <= n; len += (size_t)stride, runs++)
			LLVMFuzzerTestOneInput(buf, len);
		uint8_t m[65536];
		for (long k = 0; k < mutations && n > 1; k++, runs++) {
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
