#!/bin/sh
# The previous-session importer under fuzzing, in make check: a replay of the seed corpus
# (real multisession images made by mkimage, xorriso -dev, xorriso -as mkisofs -C/-M,
# genisoimage -C/-M, reduced by make_import_seed.py: prefixes and 2000 mutations of each
# file) through the build's own sanitizers, then, when clang is installed, a time-bounded
# libFuzzer run (FUZZ_SECONDS, default 10) of the same target built with -fsanitize=fuzzer.
# `make fuzz-import FUZZ_SECONDS=600` runs it longer.
set -e
: "${FUZZ_IMPORT_REPLAY:?}" "${top_srcdir:?}"
corpus=$top_srcdir/tests/fuzz/import-corpus
# Seeds are whole discs of up to 60 KB (UDF ones a little more): every 53rd prefix (a cut at every offset of a
# sector over the corpus), and the mutations.
FUZZ_REPLAY_STRIDE=53 "$FUZZ_IMPORT_REPLAY" "$corpus"/*
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz_import: $cc not installed (Debian package clang): replay only"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
s=$top_srcdir
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE -I"$s" -I"${top_builddir:-.}" -fsanitize=fuzzer,address,undefined \
	-o "$tmp/fuzz_import" "$s/tests/fuzz/fuzz_import.c" "$s/mkimage/source/import_iso.c" \
	"$s/mkimage/source/import_rr.c" "$s/mkimage/tree.c" "$s/mkimage/iso/iso_plan.c" \
	"$s/mkimage/iso/iso_names.c" "$s/mkimage/iso/rockridge.c" "$s/mkimage/iso/iso_dirrec.c" \
	"$s/mkimage/source/import_udf.c" "$s/mkimage/source/import_udf_vol.c" "$s/mkimage/source/import_udf_match.c" "$s/mkimage/udf/udf_plan.c" "$s/mkimage/udf/udf_cs0.c" \
	"$s/mkimage/udf/udf_fe.c" "$s/mkimage/udf/udf_tag.c" \
	"$s/common/dm_error.c" "$s/common/dm_arena.c" "$s/common/dm_utf8.c"
mkdir "$tmp/run"
"$tmp/fuzz_import" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=262144 -rss_limit_mb=1024 \
	-timeout=10 "$tmp/run" "$corpus" 2>"$tmp/log" || { tail -n 40 "$tmp/log"; exit 1; }
tail -n 2 "$tmp/log"
