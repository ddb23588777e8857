#!/bin/sh
# fuzz_brief.sh TARGET: the libFuzzer stage of a fuzz test in make check. When clang is
# installed, builds TARGET with -fsanitize=fuzzer (tests/fuzz/run_fuzzer.sh) and runs it
# for FUZZ_SECONDS (default 10) in a temporary work directory, so that a target whose
# source list no longer links fails here and not first in a 10-million-execution run
# (`make fuzz-TARGET`, tests/RELIABILITY.md). Without clang: says so, passes (the replay
# through the build's own sanitizers has run before).
set -e
: "${top_srcdir:?}"
target=${1:?usage: fuzz_brief.sh TARGET}
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "fuzz_$target: ${FUZZ_CC:-clang} not installed (Debian package clang): replay only"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
FUZZ_WORKDIR=$tmp FUZZ_SECONDS=${FUZZ_SECONDS:-10} FUZZ_RUNS= sh "$top_srcdir/tests/fuzz/run_fuzzer.sh" "$target"
