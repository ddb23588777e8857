#!/bin/sh
# Archive sources under fuzzing, in make check: the corpus (tests/fuzz/archive-corpus,
# minimized by libFuzzer's -merge=1) replayed through the target built with the configured
# compiler and sanitizers, each input once and 20 mutations of each (an input opens the
# archive with every format libarchive reads: milliseconds each), then, when clang is
# installed, a brief libFuzzer run (tests/fuzz/fuzz_brief.sh). The long run:
# make fuzz-archive (tests/RELIABILITY.md).
set -e
: "${FUZZ_ARCHIVE_REPLAY:?}" "${top_srcdir:?}"
FUZZ_REPLAY_PREFIXES=0 FUZZ_REPLAY_MUTATIONS=${FUZZ_REPLAY_MUTATIONS:-20} \
	"$FUZZ_ARCHIVE_REPLAY" "$top_srcdir"/tests/fuzz/archive-corpus/*
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" archive
