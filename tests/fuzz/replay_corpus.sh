#!/bin/sh
# Replays the fuzz corpus (tests/fuzz/corpus) through the response parsers, built with
# the configured compiler and sanitizers (make check), then, when clang is installed, a brief
# libFuzzer run (tests/fuzz/fuzz_brief.sh). The long run: make fuzz-mmc_parsers.
set -e
: "${FUZZ_REPLAY:?}" "${top_srcdir:?}"
"$FUZZ_REPLAY" "$top_srcdir"/tests/fuzz/corpus/*
sh "$top_srcdir/tests/fuzz/fuzz_brief.sh" mmc_parsers
