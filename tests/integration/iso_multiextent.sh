#!/bin/bash
# A file of 4 GiB and more: at level 3 it is stored as several extents (ECMA-119 allows
# multi-extent files at level 3 only), each at most 0xFFFFF800 bytes, and readers that
# support them read the same bytes; at level 2 it is refused with a message and no output.
# The source file is sparse (a few marker bytes at known offsets: both sides of the first
# extent boundary, of 4 GiB and the end), so the cost is one ~4 GiB image; contents are
# compared by streaming each reader's output into cmp, never extracted to disk.
# Readers: bsdtar, xorriso, pycdlib (Rock Ridge and Joliet), 7z (Joliet). isoinfo cannot:
# it keeps an extent's length in an int (diag/isoinfo.c extract_file), so an extent of
# 0xFFFFF800 bytes reads as negative and is skipped; it is only used to list the records.
. "$(dirname "$0")/lib.sh"
it_init iso_multiextent
require_tools xorriso isoinfo 7z bsdtar pycdlib

GIB=$((1024 * 1024 * 1024))
SIZE=$((4 * GIB + 1048576 + 123))
need_kib=$(((SIZE + 200 * 1048576) / 1024))
free_kib=$(df -Pk "$SCRATCH" | awk 'NR == 2 { print $4 }')
[ "${free_kib:-0}" -ge "$need_kib" ] ||
	die "needs $((need_kib / 1024)) MiB free in ${TMPDIR:-/tmp} for the image, has $((free_kib / 1024)) MiB"

SRC=$SCRATCH/src
mkdir -p "$SRC"
printf 'before\n' >"$SRC/a_before.txt"
printf 'after\n' >"$SRC/z_after.txt"
BIG=$SRC/big.bin
truncate -s "$SIZE" "$BIG" || die "cannot make a sparse file of $SIZE bytes"
for off in 0 $((0xFFFFF800 - 8)) $((4 * GIB - 8)) $((4 * GIB)) $((SIZE - 16)); do
	printf 'MARK%012d' "$off" | dd of="$BIG" bs=1 seek="$off" conv=notrunc status=none ||
		die "cannot write a marker at $off"
done
[ "$(stat -c %s "$BIG")" -eq "$SIZE" ] || die "the markers changed the size"
find "$SRC" -mindepth 1 -exec touch -d @1600000000 {} +

IMG=$SCRATCH/big.iso
OUTD=$SCRATCH/out
mkdir -p "$OUTD"

# Level 2 first (it should fail before writing much).
"$MKIMAGE" -o "$OUTD/level2.iso" --iso-level 2 "$SRC" 2>"$SCRATCH/level2.err"
rc=$?
if [ "$rc" -ne 0 ]; then pass "level 2: a file of 4 GiB + 1 MiB is refused (exit $rc)"; else
	fail "level 2: a file of 4 GiB + 1 MiB was accepted"; fi
check "level 2: the message names the file" grep -q 'big.bin' "$SCRATCH/level2.err"
check "level 2: the message says why (level 3 / 4 GiB / multi-extent)" \
	grep -qiE 'level|4 ?GiB|extent' "$SCRATCH/level2.err"
check "level 2: nothing left in the output directory" no_leftovers "$OUTD"
"$MKIMAGE" -o "$OUTD/level1.iso" --iso-level 1 --fs iso9660 "$SRC" 2>"$SCRATCH/level1.err"
rc=$?
if [ "$rc" -ne 0 ]; then pass "level 1: refused too (exit $rc)"; else fail "level 1: accepted"; fi
check "level 1: nothing left in the output directory" no_leftovers "$OUTD"

start=$(date +%s)
check "level 3: mkimage writes the image" mkimg -o "$IMG" "$SRC" || it_finish
pass "level 3: mkimage took $(($(date +%s) - start)) s"

check "the image size is whole sectors" sh -c '[ $(($(stat -c %s "$1") % 2048)) -eq 0 ]' sh "$IMG"
ext=$("$IT_PY" "$IT_DIR/pycdlib_extract.py" --view rr --extents big.bin "$IMG")
check "big.bin has several directory records of at most 0xFFFFF800 bytes, whole sectors but the last (pycdlib: $ext)" \
	"$IT_PY" -c '
import sys
n, *ext = sys.argv[1].split()
n, sizes = int(n), [int(e.split("@")[0]) for e in ext]
assert n >= 2 and len(sizes) == n, "not multi-extent"
assert sum(sizes) == int(sys.argv[2]), "sizes add up to %d" % sum(sizes)
assert all(s <= 0xFFFFF800 for s in sizes), "an extent is too long"
assert all(s % 2048 == 0 for s in sizes[:-1]), "an extent before the last is not whole sectors"
' "${ext:-0}" "$SIZE"
check "isoinfo lists several ISO 9660 records for big.bin" sh -c '
	n=$(isoinfo -f -i "$1" | grep -c "^/BIG\.BIN;1\$"); echo "$n records"; [ "$n" -ge 2 ]' sh "$IMG"
ext_j=$("$IT_PY" "$IT_DIR/pycdlib_extract.py" --view joliet --extents 'big.bin' "$IMG")
check "the Joliet record of big.bin is multi-extent too (pycdlib: $ext_j)" \
	sh -c 'set -- $1; [ "$1" -ge 2 ]' sh "${ext_j:-0}"

# stream_check NAME COMMAND...: COMMAND writes big.bin's data to stdout
stream_check() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	"$@" 2>"$SCRATCH/stream.err" | cmp - "$BIG" >"$SCRATCH/cmp.out" 2>&1
	rc=("${PIPESTATUS[@]}")
	if [ "${rc[0]}" -eq 0 ] && [ "${rc[1]}" -eq 0 ]; then
		pass "$name reads the same $SIZE bytes ($(($(date +%s) - t0)) s)"
	else
		fail "$name: reader exit ${rc[0]}, cmp exit ${rc[1]}: $(head -c 300 "$SCRATCH/cmp.out") $(tail -c 500 "$SCRATCH/stream.err")"
	fi
}
stream_check "bsdtar (Rock Ridge)" bsdtar -x -O -f "$IMG" big.bin
stream_check "pycdlib (Rock Ridge)" "$IT_PY" "$IT_DIR/pycdlib_extract.py" --view rr --cat /big.bin "$IMG"
stream_check "pycdlib (Joliet)" "$IT_PY" "$IT_DIR/pycdlib_extract.py" --view joliet --cat '/big.bin' "$IMG"
xorriso_cat() {
	# -concat writes the data to fd 3; xorriso's own messages go elsewhere
	xorriso -abort_on FAILURE -osirrox on -indev "$IMG" -concat append /dev/fd/3 /big.bin -- \
		3>&1 >/dev/null 2>"$SCRATCH/xorriso.err"
}
stream_check "xorriso (Rock Ridge)" xorriso_cat
# 7z shows the Joliet tree of this image
stream_check "7z (Joliet)" 7z e -so "$IMG" big.bin
# the small files around it are intact
check "the files before and after big.bin read back (bsdtar)" sh -c '
	mkdir "$2/x" && bsdtar -x -f "$1" -C "$2/x" a_before.txt z_after.txt &&
	cmp "$2/x/a_before.txt" "$3/a_before.txt" && cmp "$2/x/z_after.txt" "$3/z_after.txt"
' sh "$IMG" "$SCRATCH" "$SRC"

# control: a byte changed just after the first extent boundary is noticed
second=$(printf '%s\n' "$ext" | awk '{ split($3, a, "@"); print a[2] }')
if [ -n "$second" ]; then
	printf 'X' | dd of="$IMG" bs=1 seek=$((second * 2048 + 5)) conv=notrunc status=none
	bsdtar -x -O -f "$IMG" big.bin 2>/dev/null | cmp - "$BIG" >"$SCRATCH/cmp.out" 2>&1
	if grep -q "byte $((0xFFFFF800 + 6))," "$SCRATCH/cmp.out"; then
		pass "control: a byte changed in the second extent is noticed ($(cat "$SCRATCH/cmp.out"))"
	else
		fail "control: a byte changed in the second extent: cmp said: $(cat "$SCRATCH/cmp.out")"
	fi
else
	fail "control: no second extent found in '$ext'"
fi

it_finish
