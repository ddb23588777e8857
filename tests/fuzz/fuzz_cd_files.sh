#!/bin/sh
# writeimg's input files under fuzzing, in make check: the corpus (tests/fuzz/cd-files-corpus:
# cue sheets, a --cd-text file, WAV and raw audio; the first byte picks the parser,
# tests/fuzz/fuzz_cd_files.c) replayed through the build's own sanitizers (below), then a
# brief libFuzzer run (tests/fuzz/fuzz_brief.sh).
# The long run: make fuzz-cd_files (tests/RELIABILITY.md).
set -e
: "${FUZZ_CD_FILES_REPLAY:?}" "${top_srcdir:?}"
# The hand-written seeds (named): every prefix and 300 mutations; the inputs libFuzzer
# found (-merge=1, named by their SHA-1): each once and 20 mutations.
corpus=$top_srcdir/tests/fuzz/cd-files-corpus
find "$corpus" -type f ! -name '????????????????????????????????????????' \
	-exec env FUZZ_REPLAY_MUTATIONS=300 "$FUZZ_CD_FILES_REPLAY" {} +
find "$corpus" -type f -name '????????????????????????????????????????' \
	-exec env FUZZ_REPLAY_PREFIXES=0 FUZZ_REPLAY_MUTATIONS=20 "$FUZZ_CD_FILES_REPLAY" {} +
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" cd_files
