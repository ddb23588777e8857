#!/bin/sh
# gen_corpus.sh DIR KIND: make a deterministic benchmark corpus in DIR.
#
#   KIND=small  ~100,000 files of 0..16 KiB in a deep tree (up to 12 levels below DIR,
#               20..50 entries per directory; some long names, some UTF-8 names, a few
#               outside the BMP).
#   KIND=tiny   ~300,000 files of 0..512 bytes, 60..200 entries per directory, a few
#               thousand directories (far below the 65,535 an ISO 9660 path table holds).
#   KIND=large  6 GiB in 5 files: one of 4.5 GiB (over the 4 GiB - 1 a single ISO 9660
#               extent holds) and four of 300..512 MiB. Real data, not sparse.
#
# The same KIND always gives the same names, sizes, bytes, modes (0644 / 0755) and
# mtimes (2023-11-14 22:13:20 UTC): a seeded generator (splitmix64), no clock, no
# /dev/urandom. The generator is a small C program compiled on the fly (cc -O2), so
# 300,000 files take seconds. DIR must not exist; the corpus is built in DIR.partial and
# renamed to DIR only when complete, and a one-line summary is written to DIR.stats:
#   kind=small files=N dirs=N bytes=N max_depth=N seconds=S
# Bump GEN_VERSION whenever the output changes; run.sh keeps corpora per version.
set -eu

GEN_VERSION=1

usage() {
	echo "usage: $0 DIR small|tiny|large" >&2
	echo "  makes DIR (which must not exist) and DIR.stats" >&2
	exit 2
}

[ $# -eq 2 ] || usage
dir=$1
kind=$2
case $kind in
small|tiny|large) ;;
*) usage ;;
esac
if [ -e "$dir" ]; then
	echo "$0: $dir already exists; remove it first" >&2
	exit 1
fi

CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "$0: needs a C compiler (\$CC, default cc): apt-get install gcc" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gen_corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/gen.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MTIME 1700000000 /* fixed mtime of every file and directory */

static uint64_t rng_state;
static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static unsigned urange(unsigned lo, unsigned hi) /* inclusive */
{
	return lo + (unsigned)(rnd() % (uint64_t)(hi - lo + 1));
}

static void die(const char *what, const char *name)
{
	fprintf(stderr, "gen_corpus: %s %s: %s\n", what, name ? name : "", strerror(errno));
	exit(1);
}

static const struct timespec times_fixed[2] = {{MTIME, 0}, {MTIME, 0}};

static void write_all(int fd, const unsigned char *p, size_t n, const char *name)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write", name);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* ---- names ---- */
static const char *exts[] = {".txt", ".c", ".h", ".jpg", ".dat", "", ".tar.gz", ".html",
			     ".json", ".md", ".o", ".png"};
static const char *utf8_words[] = {
	"café", "naïve", "Ærøskøbing", "Größe", "日本語のファイル", "中文文件", "Ελληνικά",
	"русский-текст", "עברית", "العربية", "한국어", "😀-smile", "𝄞-music", "ﬁligature",
	"Ünïcödé-ñ", "Ελλάδα-ΑΒΓ"};
static const char *long_words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
				   "golf", "hotel", "india", "juliet", "kilo", "lima",
				   "mike", "november", "oscar", "papa"};

static unsigned long name_counter;

/* Bytes of the UTF-8 form of a name cut to its first 64 UTF-16 units: what a Joliet
 * writer keeps of it (libarchive counts a path's length this way). */
static unsigned joliet_len(const char *s)
{
	unsigned units = 0, i = 0;
	while (s[i]) {
		unsigned char c = (unsigned char)s[i];
		unsigned n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		unsigned u = n == 4 ? 2 : 1;
		if (units + u > 64)
			break;
		units += u;
		i += n;
	}
	return i;
}

/* Every name carries a global counter in its first characters, so names are unique in
 * the whole corpus and stay unique after any truncation a writer does (Joliet's 64).
 * A long or UTF-8 name is used only where the Joliet path stays within 240 bytes (the
 * Joliet specification's limit, which libarchive enforces): plen is the path length of
 * the parent (1 + the sum of (name + 1) over the ancestors below the root), reserve the
 * room a directory must leave for the plain-named levels that may come below it. */
static void make_name(char *buf, size_t cap, int is_dir, unsigned long_pct, unsigned utf8_pct,
		      unsigned plen, unsigned reserve)
{
	unsigned long id = name_counter++;
	unsigned r = urange(0, 99);
	int n;
	if (r < long_pct) {
		unsigned target = urange(70, 200);
		n = snprintf(buf, cap, "%s%06lu", is_dir ? "longdir-" : "long-", id);
		while ((unsigned)n < target) {
			const char *w = long_words[rnd() % (sizeof long_words / sizeof *long_words)];
			n += snprintf(buf + n, cap - (size_t)n, "-%s", w);
		}
		if (n > 240)
			n = 240;
		buf[n] = 0;
		if (!is_dir)
			snprintf(buf + n, cap - (size_t)n, "%s", exts[rnd() % 12]);
	} else if (r < long_pct + utf8_pct) {
		const char *w = utf8_words[rnd() % (sizeof utf8_words / sizeof *utf8_words)];
		snprintf(buf, cap, "%06lu %s%s", id, w, is_dir ? "" : exts[rnd() % 12]);
	} else {
		buf[0] = 0;
	}
	if (buf[0] && plen + joliet_len(buf) + reserve <= 240)
		return;
	if (is_dir)
		snprintf(buf, cap, "d%06lu", id);
	else
		snprintf(buf, cap, "file%06lu%s", id, exts[rnd() % 12]);
}

/* ---- tree corpora ---- */
struct tree_params {
	unsigned min_entries, max_entries; /* entries per directory */
	unsigned min_sub, max_sub;         /* subdirectories of an inner directory */
	unsigned max_depth;                /* deepest directory level below the root */
	unsigned max_size;                 /* file sizes 0..max_size */
	unsigned long_pct, utf8_pct;       /* share of long and UTF-8 names, in % */
};

static const struct tree_params *P;
static unsigned char *pool;       /* random bytes that file contents are sliced from */
static size_t pool_size;
static unsigned long n_files, n_dirs, max_depth_seen;
static unsigned long long n_bytes;

static void make_file(int dfd, const char *name)
{
	unsigned size = urange(0, P->max_size);
	size_t off = (size_t)(rnd() % (pool_size - P->max_size));
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		die("create", name);
	if (size)
		write_all(fd, pool + off, size, name);
	if (futimens(fd, times_fixed) != 0)
		die("futimens", name);
	close(fd);
	n_files++;
	n_bytes += size;
}

/* About how many files a subtree of `levels` levels below its root holds. */
static double capacity(unsigned levels)
{
	double e = (P->min_entries + P->max_entries) / 2.0 - (P->min_sub + P->max_sub) / 2.0;
	double f = (P->min_sub + P->max_sub) / 2.0, c = 0, level = e;
	for (unsigned k = 0; k <= levels; k++, level *= f)
		c += level;
	return c;
}

/* Fill directory dfd (at depth) with `budget` files in its subtree. */
static void fill_dir(int dfd, unsigned depth, unsigned plen, unsigned long budget)
{
	/* Room a subdirectory's name must leave: "/d000000" per level below it and a plain
	 * file name ("file000000.tar.gz", 17 bytes) at the bottom. */
	unsigned reserve = 1 + (P->max_depth - depth - 1) * 8 + 17;
	char name[512];
	unsigned entries = urange(P->min_entries, P->max_entries);
	unsigned sub = 0;
	if (depth > max_depth_seen)
		max_depth_seen = depth;
	if (depth < P->max_depth && budget > entries) {
		sub = urange(P->min_sub, P->max_sub);
		/* Enough subdirectories that each one's share fits in the levels left below
		 * it (a subtree of l more levels holds about capacity(l) files), so the
		 * deepest directories do not collect a large remainder. */
		double need = (double)(budget - (entries - sub)) / capacity(P->max_depth - depth - 1);
		while (sub < 16 && sub < need)
			sub++;
		if (sub >= entries)
			entries = sub + 1;
	}
	unsigned long here = sub ? entries - sub : budget; /* files in this directory */
	if (here > budget)
		here = budget;
	unsigned long rest = budget - here;
	/* Split rest among the subdirectories with random weights. */
	unsigned long share[16];
	if (sub) {
		unsigned w[16], tw = 0;
		for (unsigned i = 0; i < sub; i++)
			tw += w[i] = urange(2, 4);
		unsigned long given = 0;
		for (unsigned i = 0; i < sub; i++) {
			share[i] = i + 1 == sub ? rest - given : rest * w[i] / tw;
			given += share[i];
		}
	}
	/* Interleave files and subdirectories so a directory's listing mixes them. */
	unsigned long f = 0;
	for (unsigned i = 0; i < sub; i++) {
		unsigned long before = (here - f) / (sub - i + 1);
		for (unsigned long k = 0; k < before; k++, f++) {
			make_name(name, sizeof name, 0, P->long_pct, P->utf8_pct, plen, 0);
			make_file(dfd, name);
		}
		make_name(name, sizeof name, 1, P->long_pct, P->utf8_pct, plen, reserve);
		if (mkdirat(dfd, name, 0755) != 0)
			die("mkdir", name);
		int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cfd < 0)
			die("open", name);
		n_dirs++;
		fill_dir(cfd, depth + 1, plen + joliet_len(name) + 1, share[i]);
		if (futimens(cfd, times_fixed) != 0)
			die("futimens", name);
		close(cfd);
	}
	for (; f < here; f++) {
		make_name(name, sizeof name, 0, P->long_pct, P->utf8_pct, plen, 0);
		make_file(dfd, name);
	}
}

static void make_tree(const char *root, const struct tree_params *p, unsigned long files,
		      uint64_t seed)
{
	P = p;
	rng_state = seed;
	pool_size = (16u << 20) + p->max_size + 1;
	pool = malloc(pool_size);
	if (!pool)
		die("malloc", "pool");
	for (size_t i = 0; i + 8 <= pool_size; i += 8) {
		uint64_t v = rnd();
		memcpy(pool + i, &v, 8);
	}
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		die("open", root);
	fill_dir(fd, 0, 1, files);
	if (futimens(fd, times_fixed) != 0)
		die("futimens", root);
	close(fd);
}

/* ---- large corpus ---- */
static void make_large(const char *root)
{
	static const struct { const char *name; unsigned mib; } files[] = {
		{"big-4.5GiB.bin", 4608}, {"part-300MiB.bin", 300}, {"part-324MiB.bin", 324},
		{"part-400MiB.bin", 400}, {"part-512MiB.bin", 512}};
	enum { CHUNK = 8 << 20 };
	unsigned char *block = malloc(CHUNK), *buf = malloc(CHUNK);
	if (!block || !buf)
		die("malloc", "block");
	rng_state = 0x1A46E5EEDull;
	for (size_t i = 0; i < CHUNK; i += 8) {
		uint64_t v = rnd();
		memcpy(block + i, &v, 8);
	}
	int dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open", root);
	for (unsigned i = 0; i < sizeof files / sizeof *files; i++) {
		int fd = openat(dfd, files[i].name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			die("create", files[i].name);
		unsigned long long total = (unsigned long long)files[i].mib << 20, off = 0;
		while (off < total) {
			size_t n = total - off < CHUNK ? (size_t)(total - off) : CHUNK;
			memcpy(buf, block, n);
			/* Stamp every 2 KiB sector with (file, offset): no two sectors are alike. */
			for (size_t s = 0; s < n; s += 2048) {
				uint64_t tag[2] = {i + 1, off + s};
				memcpy(buf + s, tag, sizeof tag);
			}
			write_all(fd, buf, n, files[i].name);
			off += n;
		}
		if (futimens(fd, times_fixed) != 0)
			die("futimens", files[i].name);
		if (close(fd) != 0)
			die("close", files[i].name);
		n_files++;
		n_bytes += total;
	}
	if (futimens(dfd, times_fixed) != 0)
		die("futimens", root);
	close(dfd);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	const char *root = argv[1], *kind = argv[2];
	umask(022);
	if (strcmp(kind, "small") == 0) {
		static const struct tree_params p = {20, 50, 1, 3, 12, 16384, 5, 5};
		make_tree(root, &p, 100000, 0x5EED0001ull);
	} else if (strcmp(kind, "tiny") == 0) {
		static const struct tree_params p = {60, 200, 2, 6, 5, 512, 2, 3};
		make_tree(root, &p, 300000, 0x5EED0002ull);
	} else if (strcmp(kind, "large") == 0) {
		make_large(root);
	} else {
		return 2;
	}
	printf("files=%lu dirs=%lu bytes=%llu max_depth=%lu\n", n_files, n_dirs, n_bytes,
	       max_depth_seen);
	return 0;
}
EOF

"$CC" -O2 -std=c11 -Wall -o "$tmp/gen" "$tmp/gen.c"

rm -rf "$dir.partial" "$dir.stats"
mkdir -p "$dir.partial"
start=$(date +%s%N)
summary=$("$tmp/gen" "$dir.partial" "$kind")
end=$(date +%s%N)
mv "$dir.partial" "$dir"
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "kind=$kind $summary seconds=$secs version=$GEN_VERSION" | tee "$dir.stats"
