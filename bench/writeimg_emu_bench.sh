#!/bin/bash
# writeimg's jobs on the built-in emulated recorder (emu:MEDIUM:FILE) against the plain
# file operation that does the same work on the same kind of file (issue 12: "blank/
# format/write/verify of each medium on the emulator at >= 0.95x the throughput of dd to
# the same state file"):
#   write    writeimg -d emu:M:F IMG                dd if=IMG of=F2 bs=CHUNK*2048
#   check    writeimg -d emu:M:F --check IMG        cmp -n SIZE IMG F (reads the same bytes)
#   read     writeimg -d emu:M:F --read OUT         dd if=F of=OUT bs=... count=... (a copy),
#                                                   and with conv=fsync: --read writes a
#                                                   temporary file, fsyncs and renames it
#   erase    writeimg --blank=fast|full (CD-RW)    truncate -s 0 F; truncate -s SIZE F
#            writeimg --format=quick|full (DVD+RW, BD-RE)
# The emulator's whole disc work for a blank or format is an erase of the state file
# (emu_file_erase: cut the file and let it grow back sparse), so the two truncates are the
# floor there; what it costs beyond is process start, the commands, the operation's
# modelled time and the IMMED polling. The disc is written anew (outside the timing)
# before the checks and reads and before each erase. Each figure is the median of REPS
# runs, `sync` before each run (not timed); writeimg and its floor take turns (alt), so
# both see the same drift of a shared machine's load. The ratio is floor time / writeimg
# time: at least 0.95 is the target, above 1 writeimg is faster.
#
#   bench/writeimg_emu_bench.sh [MIB] [MEDIUM...]   run from a build folder
# MIB defaults to 256, MEDIA to "dvd+r bd-r cd-r dvd+rw bd-re cd-rw" (a CD holds at most
# about 700 MiB); REPS (environment) to 5; WRITEIMG to ./writeimg/writeimg.
set -eu
MIB=${1:-256}
shift || true
MEDIA=${*:-dvd+r bd-r cd-r dvd+rw bd-re cd-rw}
REPS=${REPS:-5}
WRITEIMG=${WRITEIMG:-$PWD/writeimg/writeimg}
MKIMAGE=${MKIMAGE:-$PWD/mkimage/mkimage}
for p in "$WRITEIMG" "$MKIMAGE"; do
	[ -x "$p" ] || { echo "no $p (run from a build folder)" >&2; exit 1; }
done
T=$(mktemp -d /tmp/writeimg_emu_bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir "$T/tree"
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$T/tree/data.bin"
"$MKIMAGE" -o "$T/img" -V EMUBENCH "$T/tree" >/dev/null
rm -rf "$T/tree"
bytes=$(stat -c %s "$T/img")
W() { "$WRITEIMG" -q --no-inhibit "$@"; }

now() { date +%s.%N; }
timeit() {
	sync
	local a b
	a=$(now)
	"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
	b=$(now)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mbs() { awk -v s="$1" -v b="$bytes" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
ratio() { awk -v w="$1" -v p="$2" 'BEGIN { printf "%.2f", p / w }'; }
row() { # JOB WRITEIMG_S PEER PEER_S [MB/s]
	if [ -n "${5:-}" ]; then
		printf '%-34s %8.3f s %8s MB/s   %-26s %8.3f s %8s MB/s  %6s\n' "$1" "$2" \
			"$(mbs "$2")" "$3" "$4" "$(mbs "$4")" "$(ratio "$2" "$4")"
	else
		printf '%-34s %8.3f s %13s   %-26s %8.3f s %13s  %6s\n' "$1" "$2" "" "$3" "$4" "" \
			"$(ratio "$2" "$4")"
	fi
}
chunk_of() { case $1 in bd-*) echo 32 ;; *) echo 16 ;; esac; }
# A new disc in $T/e.img: blank, formatted (overwritable media: a DVD+RW or BD-RE is
# formatted before it takes a write, which is timed on its own below), or holding IMG.
blank() { rm -f "$T/e.img"; case $1 in dvd+rw | bd-re | dvd-ram) W -d "emu:$1:$T/e.img" --format ;; esac; }
fresh() { blank "$1" && W -d "emu:$1:$T/e.img" "$T/img"; }
emu_write() { W -d "emu:$1:$T/e.img" "$T/img"; }
dd_write() { rm -f "$T/dd.img"; dd if="$T/img" of="$T/dd.img" bs="$1" status=none; }
emu_check() { W -d "emu:$1:$T/e.img" --check "$T/img"; }
cmp_check() { cmp -n "$bytes" "$T/img" "$T/e.img"; }
emu_read() { rm -f "$T/out"; W -d "emu:$1:$T/e.img" --read "$T/out"; }
dd_read() { rm -f "$T/out"; dd if="$T/e.img" of="$T/out" bs="$1" count=$((bytes / $1)) status=none ${2:+conv=fsync}; }
emu_erase() { W -d "emu:$1:$T/e.img" "$2"; }
trunc_erase() { local s; s=$(stat -c %s "$T/e.img"); truncate -s 0 "$T/e.img"; truncate -s "$s" "$T/e.img"; }
# Medians of several jobs timed in turn, round after round (A B C, A B C, ...), PREPARE
# run before each (not timed): the load of a shared machine drifts within seconds, and
# taking turns gives every job the same share of it. One median a line, in job order.
alt() { # PREPARE "CMD ARG..." "CMD ARG..." ...
	local prep=$1 i c r n
	shift
	n=$#
	for r in $(seq "$REPS"); do
		i=0
		for c in "$@"; do
			[ "$prep" = - ] || $prep >/dev/null 2>&1 || { echo "failed: $prep" >&2; return 1; }
			# shellcheck disable=SC2086 # a command and its words
			echo "$i $(timeit $c)"
			i=$((i + 1))
		done
	done >"$T/times"
	for i in $(seq 0 $((n - 1))); do awk -v i="$i" '$1 == i { print $2 }' "$T/times" | median; done
}
# The same job with a drive that is done at the first IMMED poll (see below).
emu_erase_at_once() { DM_EMU_FAULTS=op_polls=1 emu_erase "$@"; }

echo "image: ISO 9660 by mkimage, $((bytes / 1048576)) MiB ($MIB MiB of random data), median of $REPS runs; ratio = floor / writeimg"
printf '%-34s %24s   %-26s %24s  %6s\n' "writeimg job" "" "floor" "" ratio
for m in $MEDIA; do
	c=$(chunk_of "$m")
	bs=$((c * 2048))
	{ read -r w; read -r p; } < <(alt "blank $m" "emu_write $m" "dd_write $bs")
	row "$m write" "$w" "dd bs=$((c * 2))k" "$p" mbs
	fresh "$m" >/dev/null 2>&1
	cmp -n "$bytes" "$T/e.img" "$T/img" || { echo "$m: the disc differs from the image" >&2; exit 1; }
	{ read -r w; read -r p; } < <(alt - "emu_check $m" cmp_check)
	row "$m --check" "$w" "cmp" "$p" mbs
	emu_read "$m" >/dev/null 2>&1
	cmp "$T/out" "$T/img" || { echo "$m: --read differs from the image" >&2; exit 1; }
	{ read -r w; read -r p; read -r pf; } < <(alt - "emu_read $m" "dd_read $bs" "dd_read $bs fsync")
	row "$m --read" "$w" "dd bs=$((c * 2))k" "$p" mbs
	row "$m --read" "$w" "dd bs=$((c * 2))k conv=fsync" "$pf" mbs
	case $m in
	cd-rw | dvd-rw) erase="--blank=fast --blank=full" ;;
	dvd+rw | bd-re | dvd-ram) erase="--format=quick --format=full" ;;
	*) erase= ;;
	esac
	for e in $erase; do
		# The emulator keeps an IMMED format or blank busy for its modelled time (a real
		# drive's scaled down 100,000 times, spec/emulator.md "Long operations"), and
		# writeimg polls at once, then after 5, 10, 20, ... ms (wi_wait_immed): the same
		# job with a drive that is done at the first poll, for the cost of that time.
		{ read -r w; read -r w1; read -r p; } < <(alt "fresh $m" "emu_erase $m $e" \
			"emu_erase_at_once $m $e" trunc_erase)
		row "$m $e" "$w" "truncate 0 + size" "$p"
		row "$m $e, op_polls=1" "$w1" "truncate 0 + size" "$p"
	done
done
