#!/bin/bash
# El Torito UEFI boot (issue 5): a UEFI application built here from source
# (tests/boot/uefi_hello.c, gnu-efi) in a FAT image (dosfstools, mtools) boots under OVMF in
# QEMU (TCG, a hard time limit) from our images and prints the device it was loaded from
# (it must be the CD's El Torito entry: CDROM(...)); ONE image with both a BIOS and a UEFI
# entry boots under SeaBIOS and under OVMF. xorriso's report must show both entries.
. "$(dirname "$0")/lib.sh"
it_init boot_uefi
require_tools nasm gcc ld objcopy mkfs.fat mmd mcopy qemu-system-x86_64 xorriso timeout
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
EFI_INC=/usr/include/efi
EFI_LIB=/usr/lib
for f in "$OVMF_CODE" "$OVMF_VARS" "$EFI_INC/efi.h" "$EFI_LIB/crt0-efi-x86_64.o" \
	"$EFI_LIB/elf_x86_64_efi.lds" "$EFI_LIB/libgnuefi.a"; do
	[ -e "$f" ] || { echo "FAIL: missing $f (install the Debian packages ovmf and gnu-efi)"; exit 1; }
done

# The application, then a FAT image holding it as the removable-media default path.
B=$SCRATCH/build
mkdir -p "$B"
gcc -I"$EFI_INC" -I"$EFI_INC/x86_64" -fpic -fshort-wchar -mno-red-zone -fno-stack-protector \
	-ffreestanding -fno-strict-aliasing -O2 -c "$top_srcdir/tests/boot/uefi_hello.c" -o "$B/hello.o" ||
	die "compiling the UEFI payload failed"
ld -shared -Bsymbolic -nostdlib -znocombreloc -T "$EFI_LIB/elf_x86_64_efi.lds" \
	"$EFI_LIB/crt0-efi-x86_64.o" "$B/hello.o" -o "$B/hello.so" -L"$EFI_LIB" -lefi -lgnuefi ||
	die "linking the UEFI payload failed"
objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' \
	-j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 "$B/hello.so" "$B/BOOTX64.EFI" ||
	die "objcopy of the UEFI payload failed"
ESP=$SCRATCH/efiboot.img
mkfs.fat -C "$ESP" 1440 >/dev/null || die "mkfs.fat failed"
mmd -i "$ESP" ::/EFI ::/EFI/BOOT && mcopy -i "$ESP" "$B/BOOTX64.EFI" ::/EFI/BOOT/ || die "mtools failed"
nasm -f bin -o "$B/bios.bin" "$top_srcdir/tests/boot/bios_noemul.asm" || die "nasm failed"

SRC=$SCRATCH/src
mkdir -p "$SRC/EFI" "$SRC/isolinux"
printf 'hello\n' >"$SRC/hello.txt"
cp "$ESP" "$SRC/EFI/efiboot.img"
cp "$B/bios.bin" "$SRC/isolinux/isolinux.bin"
export SOURCE_DATE_EPOCH=1700000000

# uefi_boot IMG: OVMF from the image as a CD; the application powers the machine off.
uefi_boot() {
	local log=$SCRATCH/uefi.log rc
	rm -f "$log"
	cp "$OVMF_VARS" "$SCRATCH/vars.fd"
	timeout 120 qemu-system-x86_64 -machine q35,accel=tcg -m 512 -display none -nodefaults \
		-no-reboot -drive if=pflash,format=raw,unit=0,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,unit=1,file="$SCRATCH/vars.fd" \
		-chardev file,id=com1,path="$log" -serial chardev:com1 \
		-drive if=none,id=cd,file="$1",format=raw,media=cdrom,readonly=on \
		-device ide-cd,drive=cd,bootindex=0 </dev/null >/dev/null 2>&1
	rc=$?
	tr -d '\r\033' <"$log" | grep -a -e discmaster -e 'boot device' -e 'UEFI OK' -e BdsDxe
	[ "$rc" = 0 ] || { echo "qemu exit status $rc, want 0 (ResetSystem)"; return 1; }
	grep -aq 'UEFI OK' "$log" || return 1
	grep -aq 'boot device: .*/CDROM(' "$log" || { echo "not booted through the El Torito catalog"; return 1; }
}

# bios_boot IMG: SeaBIOS from the image as a CD (see boot_bios.sh).
bios_boot() {
	local log=$SCRATCH/bios.log rc
	rm -f "$log"
	timeout 30 qemu-system-x86_64 -machine pc,accel=tcg -m 256 -display none -nodefaults \
		-no-reboot -boot strict=on,reboot-timeout=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-chardev file,id=com1,path="$log" -serial chardev:com1 \
		-drive if=none,id=cd,file="$1",format=raw,media=cdrom,readonly=on \
		-device ide-cd,drive=cd,bootindex=0 </dev/null >/dev/null 2>&1
	rc=$?
	cat "$log"
	[ "$rc" = 33 ] && grep -q '^BOOT OK' "$log"
}

has_report() {
	local img=$1 re
	shift
	xorriso -indev "$img" -report_el_torito plain 2>/dev/null | grep '^El Torito' >"$SCRATCH/report.txt"
	cat "$SCRATCH/report.txt"
	for re in "$@"; do grep -Eq -- "$re" "$SCRATCH/report.txt" || { echo "no line matches: $re"; return 1; }; done
}

# 1. UEFI only: the EFI entry is the default entry; the FAT image from disk.
U=$SCRATCH/uefi.iso
check "mkimage --boot-efi FILE" mkimg -o "$U" --boot-efi "$ESP" "$SRC"
check "xorriso: one UEFI entry, 2880 sectors" has_report "$U" \
	'^El Torito boot img : +1 +UEFI +y +none +0x0000 +0x00 +2880 ' \
	'^El Torito img path : +1 +/boot.images/efi.img$'
check "OVMF boots it from the CD's El Torito entry" uefi_boot "$U"

# 2. One image, BIOS and UEFI entries, both images paths in the image, a UDF bridge.
H=$SCRATCH/both.iso
check "mkimage --boot-bios PATH --boot-info-table --boot-efi PATH (bridge)" mkimg \
	--fs iso9660,joliet,rockridge,udf -o "$H" --boot-bios isolinux/isolinux.bin \
	--boot-info-table --boot-efi EFI/efiboot.img --boot-catalog isolinux/boot.cat "$SRC"
check "xorriso: BIOS default entry, then UEFI" has_report "$H" \
	'^El Torito boot img : +1 +BIOS +y +none +0x0000 +0x00 +4 ' \
	'^El Torito boot img : +2 +UEFI +y +none +0x0000 +0x00 +2880 ' \
	'^El Torito img path : +2 +/EFI/efiboot.img$'
check "SeaBIOS boots the BIOS entry of the image" bios_boot "$H"
check "OVMF boots the UEFI entry of the same image" uefi_boot "$H"
it_finish
