#!/bin/sh
# The manifest loader under fuzzing, in make check: a replay of the seed corpus (every
# prefix and 2000 mutations of each file) through the build's own sanitizers, then, when
# clang is installed, a time-bounded libFuzzer run (FUZZ_SECONDS, default 10) of the same
# target built with -fsanitize=fuzzer. `make fuzz` runs it longer. The replay driver is
# the one the MMC parser target uses (tests/fuzz/fuzz_replay.c).
set -e
: "${FUZZ_MANIFEST_REPLAY:?}" "${top_srcdir:?}" "${top_builddir:?}"
DISCMASTER_SCHEMA=${DISCMASTER_SCHEMA:-$top_srcdir/spec/manifest.rng}
export DISCMASTER_SCHEMA
corpus=$top_srcdir/tests/fuzz/manifest-corpus
"$FUZZ_MANIFEST_REPLAY" "$corpus"/*
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz_manifest: $cc not installed (Debian package clang): replay only"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-manifest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
# (the built-in schema, mkimage/source/manifest_rng.c, is made by the build)
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE -I"$top_srcdir" -I"$top_builddir" ${LIBXML2_CFLAGS:-$(pkg-config --cflags libxml-2.0)} \
	-fsanitize=fuzzer,address,undefined -o "$tmp/fuzz_manifest" \
	"$top_srcdir/tests/fuzz/fuzz_manifest.c" "$top_srcdir/mkimage/source/manifest.c" \
	"$top_builddir/mkimage/source/manifest_rng.c" \
	"$top_srcdir/common/dm_error.c" ${LIBXML2_LIBS:-$(pkg-config --libs libxml-2.0)}
mkdir "$tmp/run"
"$tmp/fuzz_manifest" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=4096 -rss_limit_mb=1024 \
	"$tmp/run" "$corpus" 2>"$tmp/log" || { tail -n 40 "$tmp/log"; exit 1; }
tail -n 2 "$tmp/log"
