#!/bin/bash
# El Torito BIOS boot (spec/eltorito.md): a tiny no-emulation payload built here from
# source (tests/boot/bios_noemul.asm, nasm) boots from our images under SeaBIOS in QEMU
# (TCG, a hard time limit) and checks what it was given: the boot info table against the
# disc it reads back, and the catalog entry the BIOS reports. xorriso's El Torito report
# must agree with what we meant to write, and bad boot input fails with nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"
it_init boot_bios
require_tools nasm qemu-system-x86_64 xorriso timeout

PAYLOAD=$SCRATCH/payload.bin
boot_nasm bios_noemul "$PAYLOAD"
[ "$(stat -c %s "$PAYLOAD")" = 2048 ] || die "the payload is not 2048 bytes"
SRC=$SCRATCH/src
mkdir -p "$SRC/isolinux" "$SRC/docs"
printf 'hello\n' >"$SRC/docs/hello.txt"
cp "$PAYLOAD" "$SRC/isolinux/isolinux.bin"
export SOURCE_DATE_EPOCH=1700000000

# boot IMG LOG: SeaBIOS from the image as a CD (boot_lib.sh). Echoes qemu's exit status.
boot() {
	qemu_bios cd "$1" "$2"
	echo "$?"
}

# boots_fail IMG REASON: the payload runs and reports the failure it should find.
boots_fail() {
	local log=$SCRATCH/serial.log rc
	rc=$(boot "$1" "$log")
	cat "$log"
	[ "$rc" = 35 ] || { echo "qemu exit status $rc, want 35"; return 1; }
	grep -q "^BOOT FAIL: .*$2" "$log"
}

# 1. A boot image from disk, added hidden; the catalog hidden.
A=$SCRATCH/a.iso
check "mkimage --boot-bios FILE --boot-info-table" mkimg -o "$A" --boot-bios "$PAYLOAD" --boot-info-table "$SRC"
check "SeaBIOS boots it; the payload's checks pass" bios_cd_boots "$A"
check "xorriso: one BIOS entry, no emulation, 4 sectors, info table, hidden paths" has_report "$A" \
	'^El Torito boot img : +1 +BIOS +y +none +0x0000 +0x00 +4 +[0-9]+$' \
	'^El Torito img path : +1 +/boot.images/bios.img$' \
	'^El Torito img opts : +1 +boot-info-table' '^El Torito cat path : +/boot.catalog$'
check "the boot record is at LBA 17, before the Joliet descriptor" "$IT_PY" -c '
import sys
f = open(sys.argv[1], "rb").read()
d = lambda n: f[n * 2048:n * 2048 + 7]
assert d(16) == b"\x01CD001\x01" and d(17) == b"\x00CD001\x01", (d(16), d(17))
assert f[17 * 2048 + 7:17 * 2048 + 30] == b"EL TORITO SPECIFICATION"
assert d(18) == b"\x02CD001\x01" and d(19) == b"\xffCD001\x01"
' "$A"
check "the catalog and the image directory carry the Existence (hidden) bit" "$IT_PY" -c '
import struct, sys
f = open(sys.argv[1], "rb").read()
root = struct.unpack_from("<I", f, 16 * 2048 + 156 + 2)[0]
d, i, seen = f[root * 2048:root * 2048 + 2048], 0, {}
while d[i]:
    seen[d[i + 33:i + 33 + d[i + 32]]] = d[i + 25]
    i += d[i]
assert seen[b"BOOT.CATALOG;1"] & 1 and seen[b"BOOT_IMAGES"] & 1 and not seen[b"DOCS"] & 1, seen
' "$A"

# 2. The payload notices what is wrong: no info table, a load size the BIOS reports as 1.
B=$SCRATCH/b.iso
check "mkimage without --boot-info-table" mkimg -o "$B" --boot-bios "$PAYLOAD" "$SRC"
check "the payload finds no boot info table" boots_fail "$B" "length is not 2048"
check "mkimage --boot-load-size 1" mkimg -o "$B" --boot-bios "$PAYLOAD" --boot-info-table --boot-load-size 1 "$SRC"
check "the payload finds the BIOS's sector count is 1" boots_fail "$B" "sector count is not 4"

# 3. BIOS + UEFI in a UDF bridge, the BIOS image a path in the image, the catalog shown.
head -c 100000 /dev/urandom >"$SCRATCH/efi.img"
C=$SCRATCH/c.iso
check "mkimage bridge with --boot-bios PATH-IN-IMAGE --boot-efi FILE --boot-catalog" \
	mkimg --fs iso9660,joliet,rockridge,udf -o "$C" --boot-bios isolinux/isolinux.bin \
	--boot-info-table --boot-efi "$SCRATCH/efi.img" --boot-catalog isolinux/boot.cat "$SRC"
check "SeaBIOS boots the bridge image" bios_cd_boots "$C"
check "xorriso: BIOS then UEFI (196 sectors), the catalog at its path" has_report "$C" \
	'^El Torito boot img : +1 +BIOS +y +none ' '^El Torito boot img : +2 +UEFI +y +none +0x0000 +0x00 +196 ' \
	'^El Torito img path : +1 +/isolinux/isolinux.bin$' '^El Torito img path : +2 +/boot.images/efi.img$' \
	'^El Torito cat path : +/isolinux/boot.cat$'
check "the source's isolinux.bin is unchanged (the copy in the image is patched)" cmp "$PAYLOAD" "$SRC/isolinux/isolinux.bin"
# UDF has no hidden bit every reader honours: what mkimage added hidden is left out of it.
udf_hides_boot() {
	"$top_builddir/tests/udfread_list" "$1" "$SCRATCH/udf.json" >/dev/null || return 1
	"$IT_PY" -c 'import json, sys
names = ["/" + e["path"] for e in json.load(open(sys.argv[1]))["entries"]]
print("\n".join(names))
sys.exit(0 if "/isolinux/boot.cat" in names and not any("boot.images" in n for n in names) else 1)' "$SCRATCH/udf.json"
}
check "UDF lists the shown catalog but not /boot.images" udf_hides_boot "$C"

# 3b. PowerPC and Mac entries, each in its own section after BIOS and UEFI.
head -c 5000 /dev/urandom >"$SCRATCH/ppc.img"
head -c 3000 /dev/urandom >"$SCRATCH/mac.img"
check "mkimage --boot-ppc --boot-mac" mkimg -o "$SCRATCH/pm.iso" --boot-bios isolinux/isolinux.bin \
	--boot-efi "$SCRATCH/efi.img" --boot-ppc "$SCRATCH/ppc.img" --boot-mac "$SCRATCH/mac.img" "$SRC"
check "xorriso: BIOS, UEFI, PPC (10 sectors), Mac (6 sectors)" has_report "$SCRATCH/pm.iso" \
	'^El Torito boot img : +1 +BIOS ' '^El Torito boot img : +2 +UEFI ' \
	'^El Torito boot img : +3 +PPC +y +none +0x0000 +0x00 +10 ' \
	'^El Torito boot img : +4 +Mac +y +none +0x0000 +0x00 +6 ' \
	'^El Torito img path : +3 +/boot.images/ppc.img$' '^El Torito img path : +4 +/boot.images/mac.img$'
check "dumpet: PPC and Mac section headers" sh -c 'dumpet -i "$1" >"$2" && cat "$2" &&
	grep -q "PlatformId: 0x01 (PPC)" "$2" && grep -q "PlatformId: 0x02" "$2" &&
	grep -q "0x91 (Final Section Header Entry)" "$2"' sh "$SCRATCH/pm.iso" "$SCRATCH/dumpet.txt"

# 4. Emulation: a 1.44 MB floppy, a hard disk with one partition and a load segment.
head -c 1474560 /dev/zero >"$SCRATCH/fd.img"
"$IT_PY" -c '
import sys
b = bytearray(512 * 64); b[510:512] = b"\x55\xaa"; b[446 + 4] = 0x0C; b[446 + 8] = 1; b[446 + 12] = 63
open(sys.argv[1], "wb").write(b)' "$SCRATCH/hd.img"
check "mkimage --boot-emul floppy" mkimg -o "$SCRATCH/f.iso" --boot-bios "$SCRATCH/fd.img" --boot-emul floppy "$SRC"
check "xorriso: 1.44 MB floppy emulation, 1 sector" has_report "$SCRATCH/f.iso" \
	'^El Torito boot img : +1 +BIOS +y +fd1.4 +0x0000 +0x00 +1 '
check "mkimage --boot-emul hdd --boot-load-seg 0x1000" mkimg -o "$SCRATCH/h.iso" \
	--boot-bios "$SCRATCH/hd.img" --boot-emul hdd --boot-load-seg 0x1000 "$SRC"
check "xorriso: hard-disk emulation, segment 1000h, partition type 0Ch" has_report "$SCRATCH/h.iso" \
	'^El Torito boot img : +1 +BIOS +y +hd +0x1000 +0x0c +1 '

# 4b. A floppy payload boots through floppy emulation and reads its own last sector; with
# that sector cleared it must say so.
FDP=$SCRATCH/floppy.img
boot_nasm bios_floppy "$FDP"
# floppy_boots IMG STATUS LINE: boot an emulation payload; qemu's exit status and a line.
floppy_boots() {
	local log=$SCRATCH/serial.log rc
	rc=$(boot "$1" "$log")
	cat "$log"
	[ "$rc" = "$2" ] || { echo "qemu exit status $rc, want $2"; return 1; }
	grep -q "^$3" "$log"
}
check "mkimage --boot-emul floppy (the floppy payload)" mkimg -o "$SCRATCH/fp.iso" --boot-bios "$FDP" \
	--boot-emul floppy "$SRC"
check "SeaBIOS boots the emulated floppy; it reads its last sector" floppy_boots "$SCRATCH/fp.iso" 33 "FLOPPY OK"
head -c $((1474560 - 512)) "$FDP" >"$SCRATCH/floppy-cleared.img"
head -c 512 /dev/zero >>"$SCRATCH/floppy-cleared.img"
check "mkimage --boot-emul floppy (last sector cleared)" mkimg -o "$SCRATCH/fq.iso" \
	--boot-bios "$SCRATCH/floppy-cleared.img" --boot-emul floppy "$SRC"
check "the floppy payload notices its last sector is not its own" floppy_boots "$SCRATCH/fq.iso" 35 \
	"FLOPPY FAIL: the last sector does not hold the marker"

# 4c. The same for hard-disk emulation: drive 80h, the last sector of the emulated disk.
HDP=$SCRATCH/hdd.img
boot_nasm bios_hdd "$HDP"
HDSIZE=$(stat -c %s "$HDP")
check "mkimage --boot-emul hdd (the hard-disk payload)" mkimg -o "$SCRATCH/hp.iso" --boot-bios "$HDP" \
	--boot-emul hdd "$SRC"
check "xorriso: hard-disk emulation, partition type 0Ch" has_report "$SCRATCH/hp.iso" \
	'^El Torito boot img : +1 +BIOS +y +hd +0x0000 +0x0c +1 '
check "SeaBIOS boots the emulated hard disk; it reads its last sector" floppy_boots "$SCRATCH/hp.iso" 33 "HDD OK"
head -c $((HDSIZE - 512)) "$HDP" >"$SCRATCH/hdd-cleared.img"
head -c 512 /dev/zero >>"$SCRATCH/hdd-cleared.img"
check "mkimage --boot-emul hdd (last sector cleared)" mkimg -o "$SCRATCH/hq.iso" \
	--boot-bios "$SCRATCH/hdd-cleared.img" --boot-emul hdd "$SRC"
check "the hard-disk payload notices its last sector is not its own" floppy_boots "$SCRATCH/hq.iso" 35 \
	"HDD FAIL: the last sector does not hold the marker"

# 4d. The manifest: --print-manifest writes <boot>, and the manifest makes the same bytes.
check "--print-manifest with boot options" sh -c '"$MKIMAGE" --print-manifest --boot-bios isolinux/isolinux.bin \
	--boot-info-table --boot-efi "$1" --boot-catalog isolinux/boot.cat "$2" >"$3"' sh "$SCRATCH/efi.img" "$SRC" \
	"$SCRATCH/boot.xml"
check "the manifest names the boot images in the image" grep -q \
	'<bios image="/isolinux/isolinux.bin" emulation="none" info-table="true"/>' "$SCRATCH/boot.xml"
check "mkimage -m (the same image from the manifest)" env DISCMASTER_SCHEMA="$top_srcdir/spec/manifest.rng" \
	"$MKIMAGE" -o "$SCRATCH/m.iso" -m "$SCRATCH/boot.xml"
check "mkimage with the options again" mkimg -o "$SCRATCH/o.iso" --boot-bios isolinux/isolinux.bin \
	--boot-info-table --boot-efi "$SCRATCH/efi.img" --boot-catalog isolinux/boot.cat "$SRC"
check "the manifest's image and the options' image are the same bytes" cmp "$SCRATCH/m.iso" "$SCRATCH/o.iso"
sed 's|<efi image="/boot.images/efi.img"/>|<efi image="efi.img"/>|' "$SCRATCH/boot.xml" >"$SCRATCH/bad.xml"
# manifest_refused MANIFEST MESSAGE: exit 1, the message, no image.
manifest_refused() {
	local rc
	DISCMASTER_SCHEMA="$top_srcdir/spec/manifest.rng" "$MKIMAGE" -o "$SCRATCH/bad.iso" -m "$1" \
		2>"$SCRATCH/err.txt"
	rc=$?
	cat "$SCRATCH/err.txt"
	[ "$rc" = 1 ] && grep -q -- "$2" "$SCRATCH/err.txt" && [ ! -e "$SCRATCH/bad.iso" ]
}
check "a manifest's boot image must be an item of the manifest" manifest_refused "$SCRATCH/bad.xml" \
	"<boot>: efi.img is not a file of the image"

# 5. Bad input: a clear message, exit 1, nothing at OUT.
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
expect_error() {
	local re=$1 rc
	shift
	"$MKIMAGE" -o "$OUTD/x.iso" "$@" "$SRC" >/dev/null 2>"$SCRATCH/err.txt"
	rc=$?
	cat "$SCRATCH/err.txt"
	[ "$rc" = 1 ] || { echo "exit $rc, want 1"; return 1; }
	grep -Eq -- "$re" "$SCRATCH/err.txt" || return 1
	[ -z "$(ls -A "$OUTD")" ] || { echo "left: $(ls -A "$OUTD")"; return 1; }
}
head -c 1474561 /dev/zero >"$SCRATCH/fd-bad.img"
"$IT_PY" -c '
import sys
b = bytearray(512); b[510:512] = b"\x55\xaa"
open(sys.argv[1], "wb").write(b)
b[446 + 4] = 0x83; b[446 + 16 + 4] = 0x0C
open(sys.argv[2], "wb").write(b)' "$SCRATCH/hd-none.img" "$SCRATCH/hd-two.img"
check "a floppy image of the wrong size" expect_error "floppy image must be 1228800, 1474560 or 2949120 bytes.*1474561" \
	--boot-bios "$SCRATCH/fd-bad.img" --boot-emul floppy
check "a hard-disk image without a partition" expect_error "exactly one partition; its MBR has 0" \
	--boot-bios "$SCRATCH/hd-none.img" --boot-emul hdd
check "a hard-disk image with two partitions" expect_error "exactly one partition; its MBR has 2" \
	--boot-bios "$SCRATCH/hd-two.img" --boot-emul hdd
check "a hard-disk image without an MBR" expect_error "master boot record" \
	--boot-bios "$PAYLOAD" --boot-emul hdd
check "a missing boot image" expect_error "--boot-efi no/such.img: no such file in the image nor on disk" \
	--boot-efi no/such.img
check "a boot image that is a directory of the image" expect_error "--boot-bios docs: not a regular file" \
	--boot-bios docs
check "a catalog where the image has a file" expect_error "boot catalog docs/hello.txt: the image already has a file" \
	--boot-bios "$PAYLOAD" --boot-catalog docs/hello.txt

# Usage errors: exit status 2 and a message.
expect_usage() {
	local re=$1 rc
	shift
	"$MKIMAGE" -o "$OUTD/x.iso" "$@" "$SRC" >/dev/null 2>"$SCRATCH/err.txt"
	rc=$?
	cat "$SCRATCH/err.txt"
	[ "$rc" = 2 ] && grep -Eq -- "$re" "$SCRATCH/err.txt" && [ -z "$(ls -A "$OUTD")" ]
}
check "--boot-emul with an unknown mode" expect_usage "--boot-emul: 'cd' is not none, floppy or hdd" \
	--boot-bios "$PAYLOAD" --boot-emul cd
check "--boot-load-size 0" expect_usage "--boot-load-size: '0' is not a number from 1 to 65535" \
	--boot-bios "$PAYLOAD" --boot-load-size 0
check "--boot-load-seg out of range" expect_usage "--boot-load-seg: '0x10000' is not a number" \
	--boot-bios "$PAYLOAD" --boot-load-seg 0x10000
check "--boot-info-table without --boot-bios" expect_usage "no --boot-bios given" \
	--boot-efi "$SCRATCH/efi.img" --boot-info-table
check "--boot-catalog without a boot image" expect_usage "--boot-catalog needs a boot image" \
	--boot-catalog boot.cat
check "--boot-load-size with floppy emulation" expect_usage "--boot-load-size applies to --boot-emul none" \
	--boot-bios "$SCRATCH/fd.img" --boot-emul floppy --boot-load-size 4
check "booting a pure UDF image" expect_usage "needs ISO 9660" --fs udf --boot-bios "$PAYLOAD"

# 6. Without boot options nothing of this is written.
check "mkimage without boot options" mkimg -o "$SCRATCH/n.iso" "$SRC"
check "no boot record without boot options" "$IT_PY" -c '
import sys
f = open(sys.argv[1], "rb").read()
assert f[17 * 2048:17 * 2048 + 6] == b"\x02CD001", f[17 * 2048:17 * 2048 + 6]
' "$SCRATCH/n.iso"
it_finish
