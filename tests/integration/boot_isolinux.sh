#!/bin/bash
# Hybrid images with the boot loader people really use (spec/eltorito.md): Debian's isolinux.bin as the
# El Torito BIOS image (with its boot info table) and isohdpfx.bin as the MBR boot code,
# with both partition tables. SeaBIOS boots each image as a CD and as a hard disk (QEMU,
# TCG, a hard time limit); isolinux must read its configuration, a COM32 module and a text
# file from the ISO 9660 tree, which cat.c32 prints to the serial port. xorriso must
# recognise the MBR as an isohybrid one (it checks the boot image address at byte 432).
. "$(dirname "$0")/lib.sh"
it_init boot_isolinux
require_tools qemu-system-x86_64 xorriso timeout sfdisk
ISOLINUX=/usr/lib/ISOLINUX
MODULES=/usr/lib/syslinux/modules/bios
for f in "$ISOLINUX/isolinux.bin" "$ISOLINUX/isohdpfx.bin" "$MODULES/ldlinux.c32" \
	"$MODULES/cat.c32" "$MODULES/libcom32.c32"; do
	[ -e "$f" ] || { echo "FAIL: missing $f (install the Debian packages isolinux and syslinux-common)"; exit 1; }
done

SRC=$SCRATCH/src
mkdir -p "$SRC/isolinux"
cp "$ISOLINUX/isolinux.bin" "$MODULES/ldlinux.c32" "$MODULES/cat.c32" "$MODULES/libcom32.c32" \
	"$SRC/isolinux/" || die "cannot copy isolinux"
MARK="discmaster read this file through isolinux"
printf '%s\n' "$MARK" >"$SRC/isolinux/msg.txt"
printf 'SERIAL 0 115200\nDEFAULT show\nPROMPT 0\nLABEL show\n  COM32 cat.c32\n  APPEND msg.txt\n' \
	>"$SRC/isolinux/isolinux.cfg"
# A FAT image for the GPT's EFI system partition (no UEFI boot here: boot_hybrid.sh does it).
truncate -s 1M "$SCRATCH/efi.img"
export SOURCE_DATE_EPOCH=1700000000

# seabios_boot IMG cd|hd [SECONDS]: boot IMG; pass once the file's text appears on COM1.
# isolinux then waits at its prompt, so QEMU is stopped as soon as the text is there (or
# after SECONDS, default 60; a good boot takes about a second).
seabios_boot() {
	local img=$SCRATCH/run.img log=$SCRATCH/serial.log dev pid i limit=$((${3:-60} * 10))
	cp "$1" "$img"
	rm -f "$log"
	if [ "$2" = cd ]; then
		dev=(-drive if=none,id=d,file="$img",format=raw,media=cdrom,readonly=on -device ide-cd,drive=d,bootindex=0)
	else
		dev=(-drive if=none,id=d,file="$img",format=raw -device ide-hd,drive=d,bootindex=0)
	fi
	timeout 60 qemu-system-x86_64 -machine pc,accel=tcg -m 256 -display none -nodefaults \
		-no-reboot -chardev file,id=com1,path="$log" -serial chardev:com1 "${dev[@]}" \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < limit; i++)); do
		grep -aq "$MARK" "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	tr -d '\r' <"$log" 2>/dev/null | grep -a -e ISOLINUX -e discmaster -e failed
	grep -aq "$MARK" "$log"
}

# isohybrid_report IMG: xorriso calls the system area an isohybrid MBR.
isohybrid_report() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null | grep 'System area summary' |
		tee /dev/stderr | grep -q 'MBR isohybrid'
}

for table in mbr gpt; do
	IMG=$SCRATCH/isolinux-$table.iso
	efi=()
	[ "$table" = gpt ] && efi=(--boot-efi "$SCRATCH/efi.img")
	check "mkimage: isolinux + isohdpfx.bin, --hybrid-table $table" mkimg -o "$IMG" \
		--boot-bios isolinux/isolinux.bin --boot-info-table "${efi[@]}" \
		--hybrid-mbr "$ISOLINUX/isohdpfx.bin" --hybrid-table "$table" "$SRC" || continue
	check "$table: SeaBIOS boots it as a CD; isolinux reads the tree" seabios_boot "$IMG" cd
	check "$table: SeaBIOS boots it as a hard disk through isohdpfx.bin" seabios_boot "$IMG" hd
	check "$table: sfdisk reads the table" sfdisk --verify "$IMG"
	[ "$table" = mbr ] && check "$table: xorriso sees an isohybrid MBR" isohybrid_report "$IMG"
done

# The manifest says the same: --print-manifest, then -m, gives the same bytes.
A=(--boot-bios isolinux/isolinux.bin --boot-info-table --boot-efi "$SCRATCH/efi.img"
	--hybrid-mbr "$ISOLINUX/isohdpfx.bin")
export DISCMASTER_SCHEMA=${DISCMASTER_SCHEMA:-$top_srcdir/spec/manifest.rng}
if check "--print-manifest with hybrid options" env M="$SCRATCH/m.xml" sh -c '"$MKIMAGE" --print-manifest "$@" >"$M"' sh "${A[@]}" "$SRC" &&
	check "the manifest has <hybrid mbr-code=...>" grep -q "<hybrid mbr-code=\"$ISOLINUX/isohdpfx.bin\"/>" "$SCRATCH/m.xml"; then
	check "mkimage -m and the options" mkimg -o "$SCRATCH/m1.iso" -m "$SCRATCH/m.xml"
	check "mkimage with the options" mkimg -o "$SCRATCH/m2.iso" "${A[@]}" "$SRC"
	check "the manifest's hybrid image is the options' image, byte for byte" cmp "$SCRATCH/m1.iso" "$SCRATCH/m2.iso"
	rm -f "$SCRATCH/m1.iso" "$SCRATCH/m2.iso"
fi
# --dry-run shows the boot entries and the partitions it would write.
check "--dry-run lists the boot entries and the GPT" sh -c '"$MKIMAGE" --dry-run "$@" >"$SCRATCH/dry.txt" &&
	grep -q "boot entry 1: .*x86 BIOS, no emulation" "$SCRATCH/dry.txt" &&
	grep -q "boot entry 2: .*UEFI" "$SCRATCH/dry.txt" &&
	grep -q "MBR partition 1: type EEh" "$SCRATCH/dry.txt" &&
	grep -q "GPT partition 1: EFI system partition" "$SCRATCH/dry.txt" &&
	grep -q "backup GPT (after the image) 9" "$SCRATCH/dry.txt"' sh "${A[@]}" "$SRC"

# The checks can fail: an MBR whose boot image address is wrong boots nothing from the disk.
BAD=$SCRATCH/bad.iso
cp "$SCRATCH/isolinux-mbr.iso" "$BAD"
printf '\x10\x00\x00\x00' | dd of="$BAD" bs=1 seek=432 conv=notrunc status=none
check_fails "an MBR pointing at the wrong sector does not boot as a hard disk" seabios_boot "$BAD" hd 10
check "the same image still boots as a CD" seabios_boot "$BAD" cd
it_finish
