#!/bin/bash
# writeimg's write throughput against `dd` of the same image (dd writes the same bytes
# to a file on the same filesystem, so it is the ceiling): to the emulated recorder and,
# through iSCSI, to a private tgtd (../shared/notes/tgt-mmc.md). Prints MB/s and the
# ratio writeimg/dd; the target is >= 0.9.
#
#   bench/writeimg_bench.sh [MIB] [CHUNK...]     run from a build folder (make bench-writeimg)
# WRITEIMG defaults to ./writeimg/writeimg; MIB to 256; CHUNKs (sectors per WRITE) to
# "16 1024".
set -e
MIB=${1:-256}
shift || true
CHUNKS=${*:-16 1024}
WRITEIMG=${WRITEIMG:-$PWD/writeimg/writeimg}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export WRITEIMG
. "$top_srcdir/tests/integration/writeimg_lib.sh"

T=$(mktemp -d /tmp/writeimg_bench.XXXXXX)
trap 'tgt_stop; rm -rf "$T" "$TGT_STATE"' EXIT INT TERM
head -c $(( MIB * 1024 * 1024 )) /dev/urandom >"$T/img"
bytes=$(( MIB * 1024 * 1024 ))

secs() { local a=$1 b=$2; echo "$a $b" | awk '{ printf "%.3f", $2 - $1 }'; }
now() { date +%s.%N; }
mbs() { echo "$bytes $1" | awk '{ printf "%.1f", $1 / $2 / 1e6 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $2 / $1 }'; }   # dd time / writeimg time

run_dd() {
	rm -f "$T/dd.img"
	sync
	local a=$(now)
	dd if="$T/img" of="$T/dd.img" bs=32k status=none
	local b=$(now)
	secs "$a" "$b"
}

echo "image: $MIB MiB"
printf '%-26s %10s %10s %8s\n' target "writeimg" "dd" ratio
for chunk in $CHUNKS; do
	dd_t=$(run_dd)
	rm -f "$T"/e.img*
	sync
	a=$(now)
	"$WRITEIMG" -q --no-inhibit --chunk "$chunk" -d "emu:dvd+r:$T/e.img" "$T/img" 2>/dev/null
	b=$(now)
	w_t=$(secs "$a" "$b")
	printf '%-26s %7s MB/s %5s MB/s %8s\n' "emulator, chunk $chunk" "$(mbs "$w_t")" \
		"$(mbs "$dd_t")" "$(ratio "$w_t" "$dd_t")"
done

for chunk in $CHUNKS; do
	: >"$T/disc.img"
	tgt_start "$T/disc.img" >/dev/null
	dd_t=$(run_dd)
	a=$(now)
	"$WRITEIMG" -q --no-inhibit --chunk "$chunk" -d "$TGT_URL" "$T/img" 2>/dev/null
	b=$(now)
	w_t=$(secs "$a" "$b")
	cmp -n "$bytes" "$T/disc.img" "$T/img" || fail "tgt: backing file differs"
	printf '%-26s %7s MB/s %5s MB/s %8s\n' "tgt (iSCSI), chunk $chunk" "$(mbs "$w_t")" \
		"$(mbs "$dd_t")" "$(ratio "$w_t" "$dd_t")"
	tgt_stop
done
