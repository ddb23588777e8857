#!/bin/sh
# run_fuzzer.sh TARGET: builds the libFuzzer target tests/fuzz/fuzz_TARGET.c (mmc_parsers,
# manifest, archive, import, cd_files) with clang -fsanitize=fuzzer,address,undefined (UBSan findings abort,
# so they count as crashes) and runs it over its corpus for FUZZ_SECONDS seconds (default
# 20), or for FUZZ_RUNS executions when that is set (tests/RELIABILITY.md: 10000000).
# `make fuzz` runs every target this way, one after the other (niced: one fuzzer at a time
# on a shared machine). New inputs go to FUZZ_WORKDIR/TARGET-run (default
# tests/fuzz in the build tree), never into the source tree: merge them into the corpus with
#   fuzz_TARGET -merge=1 $top_srcdir/tests/fuzz/CORPUS FUZZ_WORKDIR/TARGET-run
# A crash leaves its input in FUZZ_WORKDIR (crash-*) and fails the run.
#
# Environment: top_srcdir, top_builddir (config.h; default .); FUZZ_CC (clang);
# SGUTILS_LIBS, LIBXML2_CFLAGS, LIBXML2_LIBS, LIBARCHIVE_CFLAGS, LIBARCHIVE_LIBS,
# SNDFILE_CFLAGS, SNDFILE_LIBS (from configure; pkg-config otherwise).
set -e
: "${top_srcdir:?}"
target=${1:?usage: run_fuzzer.sh mmc_parsers|manifest|archive|import|cd_files}
cc=${FUZZ_CC:-clang}
work=${FUZZ_WORKDIR:-tests/fuzz}
S=$top_srcdir
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "run_fuzzer: $cc not installed (Debian package clang)" >&2
	exit 1
fi
pc() { pkg-config "$@" 2>/dev/null || true; }
case $target in
mmc_parsers)
	# (with the CD answers' decoders of writeimg: Q positions, CD-TEXT packs)
	srcs="$S/common/drive/mmc_parse.c $S/common/drive/mmc_cd_parse.c $S/common/drive/scsi_sense.c
		$S/common/dm_error.c $S/common/dm_utf8.c $S/writeimg/wi_cd_decode.c $S/writeimg/cd_subq.c
		$S/writeimg/cd_text.c $S/writeimg/cd_msf.c"
	flags=
	libs=${SGUTILS_LIBS:--lsgutils2}
	corpus=$S/tests/fuzz/corpus
	maxlen=512
	;;
manifest)
	# (the built-in schema, mkimage/source/manifest_rng.c, is made by the build)
	srcs="$S/mkimage/source/manifest.c ${top_builddir:-.}/mkimage/source/manifest_rng.c $S/common/dm_error.c"
	# the schema compiled once per process (fuzz_manifest.c says why)
	flags="${LIBXML2_CFLAGS:-$(pc --cflags libxml-2.0)} -DFUZZ_CACHE_SCHEMA -Wl,--wrap=xmlRelaxNGParse,--wrap=xmlRelaxNGFree"
	libs=${LIBXML2_LIBS:-$(pc --libs libxml-2.0)}
	corpus=$S/tests/fuzz/manifest-corpus
	maxlen=4096
	DISCMASTER_SCHEMA=${DISCMASTER_SCHEMA:-$S/spec/manifest.rng}
	export DISCMASTER_SCHEMA
	;;
archive)
	srcs="$S/mkimage/tree.c $S/mkimage/sink.c $S/mkimage/source/source_archive.c
		$S/mkimage/source/data_source.c $S/common/dm_arena.c $S/common/dm_error.c
		$S/common/dm_sha256.c $S/common/dm_sha256_x86.c $S/common/dm_block64.c"
	flags=${LIBARCHIVE_CFLAGS:-$(pc --cflags libarchive)}
	libs="${LIBARCHIVE_LIBS:-$(pc --libs libarchive)} -lpthread"
	corpus=$S/tests/fuzz/archive-corpus
	maxlen=8192
	;;
cd_files)
	# writeimg's cue sheets, --cd-text files and audio files, and what a parsed cue feeds
	srcs="$S/writeimg/cd_cue.c $S/writeimg/cd_layout.c $S/writeimg/cd_audio_src.c
		$S/writeimg/cd_text.c $S/writeimg/cd_text_file.c $S/writeimg/cd_cuesheet.c
		$S/writeimg/cd_toc.c $S/writeimg/cd_subq.c $S/writeimg/cd_msf.c $S/common/dm_file.c
		$S/common/dm_error.c $S/common/dm_utf8.c"
	flags=${SNDFILE_CFLAGS:-$(pc --cflags sndfile)}
	libs=${SNDFILE_LIBS:-$(pc --libs sndfile)}
	corpus=$S/tests/fuzz/cd-files-corpus
	maxlen=8192
	;;
import)
	# the previous-session importer (ISO 9660, Rock Ridge, Joliet; UDF: volume, tree and
	# the bridge matcher) and the plan of the next session over what it imported
	srcs="$S/mkimage/source/import_iso.c $S/mkimage/source/import_rr.c $S/mkimage/tree.c
		$S/mkimage/iso/iso_plan.c $S/mkimage/iso/iso_names.c $S/mkimage/iso/rockridge.c
		$S/mkimage/iso/iso_dirrec.c $S/mkimage/source/import_udf.c
		$S/mkimage/source/import_udf_vol.c $S/mkimage/source/import_udf_match.c
		$S/mkimage/udf/udf_plan.c $S/mkimage/udf/udf_cs0.c $S/mkimage/udf/udf_fe.c
		$S/mkimage/udf/udf_tag.c $S/common/dm_error.c $S/common/dm_arena.c $S/common/dm_utf8.c
		$S/common/dm_keyset.c"
	flags=
	libs=
	corpus=$S/tests/fuzz/import-corpus
	maxlen=262144 # a disc of up to 2048 sectors, zeros free (fuzz_import.c)
	;;
*)
	echo "run_fuzzer: unknown target $target" >&2
	exit 1
	;;
esac
mkdir -p "$work/$target-run"
bin=$work/fuzz_$target
# shellcheck disable=SC2086
nice "$cc" -g -O1 -std=c11 -D_GNU_SOURCE -I"$S" -I"${top_builddir:-.}" $flags -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -o "$bin" "$S/tests/fuzz/fuzz_$target.c" $srcs $libs
if [ -n "${FUZZ_RUNS:-}" ]; then limit=-runs=$FUZZ_RUNS; else limit=-max_total_time=${FUZZ_SECONDS:-20}; fi
log=$work/$target-run.log # not fuzz_TARGET.log: make check logs tests/fuzz/fuzz_TARGET.sh there
echo "run_fuzzer: $bin $limit over $corpus (log: $log)"
if ! nice -n 19 "$bin" "$limit" -max_len=$maxlen -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/$target-run" "$corpus" >"$log" 2>&1; then
	tail -n 40 "$log"
	exit 1
fi
grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added))' "$log"
