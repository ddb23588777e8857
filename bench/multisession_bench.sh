#!/bin/bash
# multisession_bench.sh [WORKDIR]: what a second session costs over a large first one
# (issue 14: "building session 2 over a session 1 of 100,000 files costs no more than 1.2x
# building a fresh image of session 2's new files plus reading session 1's directories").
#
# Session 1: the `small` corpus (gen_corpus.sh: ~100,000 files in a deep tree). Session 2:
# 1,000 new files of 4 KiB. Timed, each best of REPS (default 3), wall seconds and peak RSS:
#   fresh       mkimage -o new.iso NEW                (the new files alone)
#   read-dirs   xorriso -indev s1.img -find / ...     (reading session 1's directories)
#   previous    mkimage --previous s1.img -o s2.iso NEW (import + plan + write session 2)
#   xorriso     xorriso -dev copy-of-s1.img -map NEW /new -commit (the peer, same job)
# MKIMAGE names the binary (default: the build next to this script's tree).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MKIMAGE=${MKIMAGE:-$here/../mkimage/mkimage}
REPS=${REPS:-3}
work=${1:-${TMPDIR:-/tmp}/discmaster-msbench}
mkdir -p "$work"
corpus=$work/small
[ -d "$corpus" ] || nice sh "$here/gen_corpus.sh" "$corpus" small
new=$work/new
if [ ! -d "$new" ]; then
	mkdir -p "$new/added"
	for i in $(seq 1 1000); do head -c 4096 /dev/zero | tr '\0' x >"$new/added/f$i"; done
fi
s1=$work/s1.img
[ -f "$s1" ] || nice "$MKIMAGE" -o "$s1" "$corpus"

# best WHAT CMD...: the best wall time and its peak RSS over REPS runs.
best() {
	local what=$1 t rss bt= brss=
	shift
	for _ in $(seq 1 "$REPS"); do
		[ -z "${PRE:-}" ] || eval "$PRE"
		/usr/bin/time -f '%e %M' -o "$work/time" nice "$@" >/dev/null 2>"$work/err" ||
			{ cat "$work/err" >&2; exit 1; }
		read -r t rss <"$work/time"
		if [ -z "$bt" ] || awk "BEGIN{exit !($t < $bt)}"; then bt=$t brss=$rss; fi
	done
	printf '%-10s %8.2f s %8d KiB\n' "$what" "$bt" "$brss"
	eval "T_$what=$bt"
}

files=$(find "$corpus" | wc -l)
echo "session 1: $files entries, $(($(stat -c %s "$s1") / 1048576)) MiB; session 2: 1000 new files"
best fresh "$MKIMAGE" -o "$work/new.iso" "$new"
best readdirs xorriso -indev "$s1" -find / -type f -exec report_lba --
best previous "$MKIMAGE" --previous "$s1" -o "$work/s2.iso" "$new"
# xorriso adds to a copy of session 1 (made before each run, not timed).
PRE='cp --reflink=auto "$s1" "$work/xo.img"' best xorriso xorriso -dev "$work/xo.img" -map "$new" /new -commit
awk -v p="$T_previous" -v f="$T_fresh" -v r="$T_readdirs" \
	'BEGIN { printf "previous / (fresh + read-dirs) = %.2f (issue 14: at most 1.2)\n", p / (f + r) }'
