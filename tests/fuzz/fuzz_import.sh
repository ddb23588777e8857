#!/bin/sh
# The previous-session importer under fuzzing, in make check: a replay of the seed corpus
# (real multisession images made by mkimage, xorriso -dev, xorriso -as mkisofs -C/-M,
# genisoimage -C/-M, reduced by make_import_seed.py: prefixes and 2000 mutations of each
# file) through the build's own sanitizers, then, when clang is installed, a time-bounded
# libFuzzer run (FUZZ_SECONDS, default 10) of the same target built with -fsanitize=fuzzer
# (tests/fuzz/run_fuzzer.sh import). `make fuzz-import` runs it longer (FUZZ_SECONDS, or
# FUZZ_RUNS executions: tests/RELIABILITY.md).
set -e
: "${FUZZ_IMPORT_REPLAY:?}" "${top_srcdir:?}" "${top_builddir:?}"
corpus=$top_srcdir/tests/fuzz/import-corpus
# Seeds are whole discs of up to 60 KB (UDF ones a little more): every 53rd prefix (a cut at every offset of a
# sector over the corpus), and the mutations.
FUZZ_REPLAY_STRIDE=53 "$FUZZ_IMPORT_REPLAY" "$corpus"/*
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" import
