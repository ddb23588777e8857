#!/bin/bash
# writeimg's write throughput, each against a peer that does the same work:
#  - the emulated recorder: writeimg writes the image through the emulator into its disc
#    file; the peer is `dd` of the same image into a file on the same file system (the
#    emulator's own work is exactly that pwrite), so the ratio is writeimg's overhead;
#  - tgt over iSCSI (spec/drive-notes.md): writeimg burns the image to a blank
#    DVD+R logical unit; the peer is QEMU's iSCSI initiator (libiscsi, like writeimg)
#    writing the same image through the same tgtd with `qemu-img dd bs=` the same size
#    per WRITE, one request at a time as a burner sends them, to a disk logical unit of
#    the same size (QEMU cannot write to a blank DVD+R: its READ CAPACITY says 1 block,
#    and QEMU keeps writes inside the device). `qemu-img convert` (2 MiB requests, 8 in
#    flight) is shown as the ceiling of that target.
# Each figure is the median of REPS runs, with the page cache flushed before each, so
# that no run pays for the writeback of the one before. The ratio is peer time /
# writeimg time (at least 0.9 is the target; above 1, writeimg is faster).
#
#   bench/writeimg_bench.sh [MIB] [CHUNK...]     run from a build folder
# WRITEIMG defaults to ./writeimg/writeimg; MIB to 256; CHUNKs (sectors per WRITE) to
# "16 1024"; REPS (environment) to 3.
set -e
MIB=${1:-256}
shift || true
CHUNKS=${*:-16 1024}
REPS=${REPS:-3}
WRITEIMG=${WRITEIMG:-$PWD/writeimg/writeimg}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export WRITEIMG
. "$top_srcdir/tests/integration/writeimg_lib.sh"
command -v qemu-img >/dev/null || fail "qemu-img missing: apt-get install qemu-utils qemu-block-extra"

T=$(mktemp -d /tmp/writeimg_bench.XXXXXX)
trap 'tgt_stop; rm -rf "$T" "$TGT_STATE"' EXIT INT TERM
bytes=$((MIB * 1024 * 1024))
head -c "$bytes" /dev/urandom >"$T/img"

now() { date +%s.%N; }
# timeit CMD...: seconds CMD took, after flushing what earlier runs left dirty.
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
row() { printf '%-28s %9s MB/s %-24s %9s MB/s %6s\n' "$1" "$(mbs "$2")" "$3" "$(mbs "$4")" "$(ratio "$2" "$4")"; }

# ---- the emulator against dd --------------------------------------------------------
emu_write() { rm -f "$T"/e.img*; "$WRITEIMG" -q --no-inhibit --raw --chunk "$1" -d "emu:dvd+r:$T/e.img" "$T/img"; }
dd_write() { rm -f "$T/dd.img"; dd if="$T/img" of="$T/dd.img" bs="$1" status=none; }

echo "image: $MIB MiB, median of $REPS runs"
printf '%-28s %14s %-24s %14s %6s\n' "writeimg to" "" "peer" "" ratio
for chunk in $CHUNKS; do
	w=$(for r in $(seq "$REPS"); do timeit emu_write "$chunk"; done | median)
	p=$(for r in $(seq "$REPS"); do timeit dd_write $((chunk * 2048)); done | median)
	row "emulator, chunk $chunk" "$w" "dd bs=$((chunk * 2))k" "$p"
done

# ---- tgt over iSCSI against qemu-img convert through the same tgtd ---------------------
# One tgtd, target 1: LUN 1 the DVD+R (a new empty file each run: tgt decides blank or
# not when the LUN comes online, so each run swaps the medium), LUN 2 a disk.
: >"$T/disc.img"
tgt_start "$T/disc.img" >/dev/null
truncate -s "$bytes" "$T/disk.img"
TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" --lld iscsi --mode logicalunit --op new \
	--tid 1 --lun 2 --backing-store "$T/disk.img" || fail "tgtadm: disk LUN"
# tgt's MMC logical unit has the write cache off (caching page 08h, WCE=0), its disk unit
# on: tgt then calls fdatasync after every WRITE to the DVD+R, which alone halves the
# throughput at 32 KiB per WRITE (seen with strace -p on tgtd). That is tgt's, not
# writeimg's: give the DVD+R the disk's caching, so that both sides do the same work.
TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" --lld iscsi --mode logicalunit --op update \
	--tid 1 --lun 1 --params mode_page=8:0:10:4:0:0:0:0:0:0:0:0:0 || fail "tgtadm: caching page"
swap_blank() {
	local adm="tgtadm -C $TGT_C --lld iscsi --mode logicalunit --op update --tid 1 --lun 1"
	rm -f "$T/disc.img"
	: >"$T/disc.img"
	TGT_IPC_SOCKET=$TGT_STATE/socket $adm --params online=0 >/dev/null &&
		TGT_IPC_SOCKET=$TGT_STATE/socket $adm --params path="$T/disc.img" >/dev/null
}
tgt_burn() { "$WRITEIMG" -q --no-inhibit --raw --chunk "$1" -d "$TGT_URL" "$T/img"; }
qemu_dd() { qemu-img dd -f raw -O raw bs="$1" if="$T/img" of="${TGT_URL%/1}/2"; }
qemu_convert() { qemu-img convert -n -S 0 -f raw -O raw "$T/img" "${TGT_URL%/1}/2"; }

for chunk in $CHUNKS; do
	# A new blank disc before each run, outside the timing.
	w=$(for r in $(seq "$REPS"); do swap_blank && timeit tgt_burn "$chunk"; done | median)
	cmp -n "$bytes" "$T/disc.img" "$T/img" || fail "tgt: the disc differs from the image"
	p=$(for r in $(seq "$REPS"); do timeit qemu_dd $((chunk * 2))k; done | median)
	row "tgt (iSCSI), chunk $chunk" "$w" "qemu-img dd bs=$((chunk * 2))k" "$p"
done
cmp "$T/disk.img" "$T/img" || fail "tgt: the disk LUN differs from the image"
p=$(for r in $(seq "$REPS"); do timeit qemu_convert; done | median)
printf '%-28s %14s %-24s %9s MB/s\n' "" "" "qemu-img convert" "$(mbs "$p")"
