#!/bin/sh
# Replays the fuzz corpus (tests/fuzz/corpus) through the response parsers, built with
# the configured compiler and sanitizers (make check). The real fuzzer: make fuzz.
set -e
: "${FUZZ_REPLAY:?}" "${top_srcdir:?}"
"$FUZZ_REPLAY" "$top_srcdir"/tests/fuzz/corpus/*
