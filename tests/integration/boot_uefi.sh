#!/bin/bash
# El Torito UEFI boot (spec/eltorito.md): a UEFI application built here from source
# (tests/boot/uefi_hello.c, gnu-efi) in a FAT image (dosfstools, mtools) boots under OVMF in
# QEMU (TCG, a hard time limit) from our images and prints the device it was loaded from
# (it must be the CD's El Torito entry: CDROM(...)); ONE image with both a BIOS and a UEFI
# entry boots under SeaBIOS and under OVMF. xorriso's report must show both entries.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"
it_init boot_uefi
require_tools nasm gcc ld objcopy mkfs.fat mmd mcopy qemu-system-x86_64 xorriso timeout
boot_require_uefi

# The application, then a FAT image holding it as the removable-media default path.
B=$SCRATCH/build
boot_build_uefi "$B"
ESP=$B/efiboot.img
boot_nasm bios_noemul "$B/bios.bin"

SRC=$SCRATCH/src
boot_src_tree "$SRC" "$ESP" "$B/bios.bin"
export SOURCE_DATE_EPOCH=1700000000

# uefi_boot IMG: OVMF from the image as a CD, through the El Torito catalog (boot_lib.sh).
uefi_boot() { uefi_boots cd "$1"; }

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
check "SeaBIOS boots the BIOS entry of the image" bios_cd_boots "$H"
check "OVMF boots the UEFI entry of the same image" uefi_boot "$H"
it_finish
