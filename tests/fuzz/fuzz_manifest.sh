#!/bin/sh
# The manifest loader under fuzzing, in make check: a replay of the corpus (below)
# through the build's own sanitizers, then, when
# clang is installed, a time-bounded libFuzzer run (FUZZ_SECONDS, default 10) of the same
# target built with -fsanitize=fuzzer (tests/fuzz/run_fuzzer.sh). `make fuzz` runs it
# longer. The replay driver is the one the MMC parser target uses (tests/fuzz/fuzz_replay.c);
# both builds compile the schema once per process (fuzz_manifest.c).
set -e
: "${FUZZ_MANIFEST_REPLAY:?}" "${top_srcdir:?}" "${top_builddir:?}"
DISCMASTER_SCHEMA=${DISCMASTER_SCHEMA:-$top_srcdir/spec/manifest.rng}
export DISCMASTER_SCHEMA
corpus=$top_srcdir/tests/fuzz/manifest-corpus
# The hand-written seeds (*.xml): every prefix and 2000 mutations; the inputs libFuzzer
# found (-merge=1, named by their SHA-1): each once and 50 mutations, a few seconds in all.
"$FUZZ_MANIFEST_REPLAY" "$corpus"/*.xml
find "$corpus" -type f ! -name '*.xml' -exec env FUZZ_REPLAY_PREFIXES=0 FUZZ_REPLAY_MUTATIONS=50 \
	"$FUZZ_MANIFEST_REPLAY" {} +
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" manifest
