# Shared by tests/integration/boot_*.sh (sourced after lib.sh): building the
# payloads of tests/boot/ and booting images in QEMU under SeaBIOS and OVMF, always with
# TCG (a nested KVM kills OVMF and slows SeaBIOS) and a hard time limit.
# shellcheck shell=bash

BOOT_SRC=${top_srcdir:-$IT_DIR/../..}/tests/boot
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
EFI_INC=/usr/include/efi
EFI_LIB=/usr/lib

# boot_nasm NAME OUT: assemble tests/boot/NAME.asm (its %include files are found there).
boot_nasm() {
	nasm -f bin -i "$BOOT_SRC/" -o "$2" "$BOOT_SRC/$1.asm" || die "nasm $1.asm failed"
}

# boot_require_uefi: OVMF and gnu-efi; a missing file fails the test (never a skip).
boot_require_uefi() {
	local f
	for f in "$OVMF_CODE" "$OVMF_VARS" "$EFI_INC/efi.h" "$EFI_LIB/crt0-efi-x86_64.o" \
		"$EFI_LIB/elf_x86_64_efi.lds" "$EFI_LIB/libgnuefi.a"; do
		[ -e "$f" ] || { echo "FAIL: missing $f (install the Debian packages ovmf and gnu-efi)"; exit 1; }
	done
}

# boot_build_uefi DIR: DIR/BOOTX64.EFI built from tests/boot/uefi_hello.c with gnu-efi, and
# DIR/efiboot.img, a 1.44 MB FAT image holding it at the removable-media default path
# EFI/BOOT/BOOTX64.EFI (UEFI 2.x 3.5.1.1).
boot_build_uefi() {
	local d=$1
	mkdir -p "$d"
	gcc -I"$EFI_INC" -I"$EFI_INC/x86_64" -fpic -fshort-wchar -mno-red-zone -fno-stack-protector \
		-ffreestanding -fno-strict-aliasing -O2 -c "$BOOT_SRC/uefi_hello.c" -o "$d/hello.o" ||
		die "compiling the UEFI payload failed"
	ld -shared -Bsymbolic -nostdlib -znocombreloc -T "$EFI_LIB/elf_x86_64_efi.lds" \
		"$EFI_LIB/crt0-efi-x86_64.o" "$d/hello.o" -o "$d/hello.so" -L"$EFI_LIB" -lefi -lgnuefi ||
		die "linking the UEFI payload failed"
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' \
		-j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 "$d/hello.so" "$d/BOOTX64.EFI" ||
		die "objcopy of the UEFI payload failed"
	mkfs.fat -C "$d/efiboot.img" 1440 >/dev/null || die "mkfs.fat failed"
	mmd -i "$d/efiboot.img" ::/EFI ::/EFI/BOOT && mcopy -i "$d/efiboot.img" "$d/BOOTX64.EFI" ::/EFI/BOOT/ ||
		die "mtools failed"
}

# boot_drive cd|hd IMG: QEMU's options for IMG as an IDE CD-ROM or hard disk, the first boot
# device. The hard disk is a snapshot: nothing the guest writes reaches IMG.
boot_drive() {
	case $1 in
	cd) printf '%s\n' -drive "if=none,id=disk,file=$2,format=raw,media=cdrom,readonly=on" \
		-device ide-cd,drive=disk,bootindex=0 ;;
	hd) printf '%s\n' -drive "if=none,id=disk,file=$2,format=raw,snapshot=on" \
		-device ide-hd,drive=disk,bootindex=0 ;;
	*) die "boot_drive: $1 is not cd or hd" ;;
	esac
}

# qemu_bios cd|hd IMG LOG: SeaBIOS boots IMG, COM1 goes to LOG. A payload ends the VM through
# isa-debug-exit (exit status 33: its checks passed, 35: one failed); SeaBIOS finding nothing
# to boot ends it with 0 (-no-reboot, reboot-timeout=0). Returns qemu's exit status.
qemu_bios() {
	local drive
	mapfile -t drive < <(boot_drive "$1" "$2")
	rm -f "$3"
	timeout 30 qemu-system-x86_64 -machine pc,accel=tcg -m 256 -display none -nodefaults \
		-no-reboot -boot strict=on,reboot-timeout=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-chardev file,id=com1,path="$3" -serial chardev:com1 "${drive[@]}" </dev/null >/dev/null 2>&1
}

# qemu_uefi cd|hd IMG LOG: OVMF boots IMG (with a fresh copy of the variable store, LOG.vars),
# its console and the application's output go to LOG; the application ends the VM through
# ResetSystem (exit status 0). Returns qemu's exit status.
qemu_uefi() {
	local drive
	mapfile -t drive < <(boot_drive "$1" "$2")
	rm -f "$3"
	cp "$OVMF_VARS" "$3.vars" || die "cannot copy $OVMF_VARS"
	timeout 120 qemu-system-x86_64 -machine q35,accel=tcg -m 512 -display none -nodefaults \
		-no-reboot -drive if=pflash,format=raw,unit=0,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,unit=1,file="$3.vars" \
		-chardev file,id=com1,path="$3" -serial chardev:com1 "${drive[@]}" </dev/null >/dev/null 2>&1
}

# uefi_boots cd|hd IMG [ROUTE-REGEX]: OVMF starts tests/boot/uefi_hello.c from IMG, which
# prints "UEFI OK" and the device path it was loaded from; the end of that path must match
# ROUTE-REGEX (case aside; default: a CD's El Torito entry, /CDROM(...)). Each image and
# medium has its own log, so that boots can run side by side.
uefi_boots() {
	local media=$1 img=$2 route=${3:-} log rc
	log=$SCRATCH/uefi-$media-$(basename "$img").log
	[ -n "$route" ] || route='/CDROM\([^)]*\)'
	qemu_uefi "$media" "$img" "$log"
	rc=$?
	tr -d '\r\033' <"$log" | grep -a -e discmaster -e 'boot device' -e 'UEFI OK' -e BdsDxe
	[ "$rc" = 0 ] || { echo "qemu exit status $rc, want 0 (ResetSystem)"; return 1; }
	grep -aq 'UEFI OK' "$log" || return 1
	tr -d '\r' <"$log" | grep -aEiq "boot device: .*$route\$" ||
		{ echo "the boot device path does not end in $route"; return 1; }
}

# bios_cd_boots IMG: SeaBIOS boots IMG as a CD; tests/boot/bios_noemul.asm passes its checks
# (boot info table against the disc, the BIOS's catalog entry) and the LBA it was told is
# the one xorriso reports for the BIOS entry.
bios_cd_boots() {
	local log=$SCRATCH/serial.log rc lba
	qemu_bios cd "$1" "$log"
	rc=$?
	cat "$log"
	[ "$rc" = 33 ] || { echo "qemu exit status $rc, want 33"; return 1; }
	grep -q '^BOOT OK' "$log" || return 1
	lba=$(eltorito_report "$1" | awk '/El Torito boot img/ && $7 == "BIOS" { print $NF; exit }')
	grep -q "file=$(printf '%08X' "$lba") " "$log" || { echo "xorriso says the BIOS image is at $lba"; return 1; }
	grep -q '^table pvd=00000010 ' "$log"
}

# eltorito_report IMG: xorriso's El Torito lines
eltorito_report() { xorriso -indev "$1" -report_el_torito plain 2>/dev/null | grep '^El Torito'; }

# has_report IMG REGEX...: every regex matches a line of the report
has_report() {
	local img=$1 re
	shift
	eltorito_report "$img" >"$SCRATCH/report.txt"
	cat "$SCRATCH/report.txt"
	for re in "$@"; do grep -Eq -- "$re" "$SCRATCH/report.txt" || { echo "no line matches: $re"; return 1; }; done
}

# boot_src_tree DIR ESP BIOS: the tree the boot tests image: a text file, the EFI image at
# /EFI/efiboot.img and the BIOS payload at /isolinux/isolinux.bin.
boot_src_tree() {
	mkdir -p "$1/EFI" "$1/isolinux" && printf 'hello\n' >"$1/hello.txt" &&
		cp "$2" "$1/EFI/efiboot.img" && cp "$3" "$1/isolinux/isolinux.bin" || die "cannot make the tree $1"
}
