#!/bin/sh
# writeimg's input files under fuzzing, in make check: the corpus (tests/fuzz/cd-files-corpus:
# cue sheets, a --cd-text file, WAV and raw audio; the first byte picks the parser,
# tests/fuzz/fuzz_cd_files.c) replayed through the build's own sanitizers, each input,
# its prefixes and 300 mutations, then a brief libFuzzer run (tests/fuzz/fuzz_brief.sh).
# The long run: make fuzz-cd_files (tests/RELIABILITY.md).
set -e
: "${FUZZ_CD_FILES_REPLAY:?}" "${top_srcdir:?}"
FUZZ_REPLAY_MUTATIONS=${FUZZ_REPLAY_MUTATIONS:-300} "$FUZZ_CD_FILES_REPLAY" \
	"$top_srcdir"/tests/fuzz/cd-files-corpus/*
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" cd_files
