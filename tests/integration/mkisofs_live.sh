#!/bin/bash
# A live-build style call: xorriso -as mkisofs with isolinux as the BIOS entry
# (boot info table), a GRUB EFI image as the UEFI entry after -eltorito-alt-boot,
# -isohybrid-mbr isohdpfx.bin, -partition_offset 16, -isohybrid-gpt-basdat and
# -isohybrid-apm-hfsplus, run as `mkimage -as mkisofs`. The partition at block 16 must be an
# ISO 9660 file system of its own (xorriso, isoinfo and 7z read the same tree from it), the
# MBR and GPT entries xorriso's. The image must boot under SeaBIOS as
# a CD and as a USB disk to isolinux reading a file through its config (cat.c32), and under
# OVMF as a CD and as a disk to GRUB's embedded config; the same call through xorriso must
# agree with ours on files, names and El Torito entries. The call's --print-manifest made
# again with -m gives the call's bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"
. "$(dirname "$0")/mkisofs_lib.sh"
it_init mkisofs_live
require_tools grub-mkstandalone xorriso qemu-system-x86_64 timeout mkfs.fat mmd mcopy
ISOLINUX=/usr/lib/ISOLINUX
MODULES=/usr/lib/syslinux/modules/bios
for f in "$ISOLINUX/isolinux.bin" "$ISOLINUX/isohdpfx.bin" "$MODULES/ldlinux.c32" "$MODULES/cat.c32" \
	"$MODULES/libcom32.c32" /usr/lib/grub/x86_64-efi "$OVMF_CODE"; do
	[ -e "$f" ] || { echo "FAIL: missing $f (install isolinux, syslinux-common, grub-efi-amd64-bin, ovmf)"; exit 1; }
done

B=$SCRATCH/binary
mkdir -p "$B/isolinux" "$B/boot/grub" "$B/live" || die "mkdir"
cp "$ISOLINUX/isolinux.bin" "$MODULES/ldlinux.c32" "$MODULES/cat.c32" "$MODULES/libcom32.c32" \
	"$B/isolinux/" || die "cannot copy isolinux"
MARK_BIOS="discmaster live image read through isolinux"
printf '%s\n' "$MARK_BIOS" >"$B/isolinux/msg.txt"
printf 'SERIAL 0 115200\nDEFAULT show\nPROMPT 0\nLABEL show\n  COM32 cat.c32\n  APPEND msg.txt\n' \
	>"$B/isolinux/isolinux.cfg"
gen_bytes 11 200000 >"$B/live/filesystem.squashfs"
# GRUB for UEFI with its config inside (a memdisk), in a FAT image at boot/grub/efi.img.
MARK_EFI="MKIMAGE GRUB OK efi"
printf 'echo "MKIMAGE GRUB OK ${grub_platform} cmdpath=${cmdpath}"\ninsmod iorw\noutb 0xf4 0x10\n' \
	>"$SCRATCH/grub.cfg"
# part_gpt in the core, so that GRUB names the partition it was started from: (hd0,gpt1).
grub-mkstandalone -O x86_64-efi --install-modules="normal echo iorw test configfile" --modules="part_gpt" \
	--locales="" --fonts="" --themes="" -o "$SCRATCH/BOOTX64.EFI" "boot/grub/grub.cfg=$SCRATCH/grub.cfg" ||
	die "grub-mkstandalone failed"
mkfs.fat -C "$B/boot/grub/efi.img" 2048 >/dev/null && mmd -i "$B/boot/grub/efi.img" ::/EFI ::/EFI/BOOT &&
	mcopy -i "$B/boot/grub/efi.img" "$SCRATCH/BOOTX64.EFI" ::/EFI/BOOT/ || die "cannot make efi.img"

# What live-build's binary_iso stage runs (lb 20230502), paths relative to binary/.
CALL=(-R -r -J -joliet-long -l -iso-level 3 -isohybrid-mbr "$ISOLINUX/isohdpfx.bin"
	-partition_offset 16 -A "Debian Live" -p "live-build 20230502" -publisher "Debian Live project"
	-V "Debian bookworm 20240101-00:00" --modification-date=2024010100000000
	-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table
	-eltorito-alt-boot -e boot/grub/efi.img -no-emul-boot -isohybrid-gpt-basdat -isohybrid-apm-hfsplus)
OURS=$SCRATCH/live.iso REF=$SCRATCH/live-xorriso.iso
check "mkimage -as mkisofs takes live-build's call" bash -c 'cd "$1" && "$MKIMAGE" -as mkisofs "${@:3}" -o "$2" .' \
	_ "$B" "$OURS" "${CALL[@]}"
# Every setting of the call is one a manifest says (-partition_offset, --modification-date,
# -isohybrid-gpt-basdat with -isohybrid-mbr): its --print-manifest made again with -m gives
# the call's bytes (SOURCE_DATE_EPOCH fixed for both).
check "live-build's call, its --print-manifest, then mkimage -m: the same bytes" bash -c '
	cd "$1" && export SOURCE_DATE_EPOCH=1700000000 && "$MKIMAGE" -as mkisofs "${@:3}" -o "$2.iso" . &&
	"$MKIMAGE" -as mkisofs "${@:3}" --print-manifest . >"$2.xml" 2>/dev/null &&
	grep -q "<hybrid table=\"mbr+gpt\"" "$2.xml" && grep -q "partition-offset=\"16\"" "$2.xml" &&
	grep -q "time=\"2024-01-01T00:00:00Z\"" "$2.xml" &&
	"$MKIMAGE" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' _ "$B" "$SCRATCH/printed" "${CALL[@]}"
check "xorriso -as mkisofs takes it too" bash -c 'cd "$1" && xorriso -as mkisofs "${@:3}" -o "$2" .' \
	_ "$B" "$REF" "${CALL[@]}"

check "SeaBIOS boots it as a CD to isolinux" boot_to_mark bios cd "$OURS" "$MARK_BIOS"
check "SeaBIOS boots it as a USB disk (isohdpfx.bin) to isolinux" boot_to_mark bios hd "$OURS" "$MARK_BIOS"
check "OVMF boots it as a CD to GRUB" boot_to_mark uefi cd "$OURS" "$MARK_EFI cmdpath=(cd0)"
# The isohybrid MBR with a GPT beside it (no EEh entry): OVMF finds El Torito on the disk
# before the MBR's EFh entry, as it does on xorriso's image of the call: the same route.
same_route() {
	local ours ref
	ours=$(boot_to_mark uefi hd "$OURS" "$MARK_EFI") && ref=$(boot_to_mark uefi hd "$REF" "$MARK_EFI") || return 1
	echo "ours: $ours"
	echo "xorriso's: $ref"
	[ "${ours#*cmdpath=}" = "${ref#*cmdpath=}" ]
}
check "OVMF boots it as a disk to GRUB, by xorriso's image's route" same_route

check "the El Torito entries agree with xorriso's" same_catalog "$OURS" "$REF"
check "files and names agree with xorriso's" same_files "$OURS" "$REF" isolinux/isolinux.bin -isolinux/boot.cat
# xorriso writes the application, publisher and preparer upper-cased (a-characters,
# ECMA-119 7.4.1); mkimage as given, as genisoimage does: compared without case.
vd_ids() { isoinfo -d -i "$1" | grep -E '^(Volume id|Application id|Publisher id|Data preparer id)' | tr a-z A-Z; }
check "the volume descriptor's ids agree with xorriso's" diff <(vd_ids "$OURS") <(vd_ids "$REF")
isohybrid_mbr() { system_area "$1" | tee -a /dev/stderr | grep -q "MBR isohybrid .*GPT"; }
check "xorriso calls the MBR isohybrid's, with a GPT" isohybrid_mbr "$OURS"
# Both MBRs: entry 1 active over the image (BIOSes that want an active partition boot it),
# entry 2 the EFI image; types and flags as xorriso's.
mbr_entries() { xorriso -indev "$1" -report_system_area plain 2>/dev/null | awk '/^MBR partition  *:/ { print $4, $5, $6 }'; }
check "the MBR's entries are xorriso's (active image, EFh)" diff <(mbr_entries "$OURS") <(mbr_entries "$REF")

# -partition_offset 16: the MBR's first partition starts at 2048-byte block 16 (512-byte
# sector 64), where a second superblock makes the partition an ISO 9660 file system of its
# own, with the same tree, as on xorriso's image (libisofs's dual mount).
part_offset() { xorriso -indev "$1" -report_system_area plain 2>/dev/null | sed -n 's/^Partition offset *: //p'; }
check "xorriso finds the partition offset 16 in our image" test "$(part_offset "$OURS")" = 16
check "... as in xorriso's own" test "$(part_offset "$REF")" = 16
# sfdisk: partition 1 starts at 64 in both, bootable, same types (the sizes differ: xorriso
# pads its image to whole MiB, and its volume includes the GPT's backup).
sfdisk_first() { sfdisk -d "$1" | awk '/ : start=/ { print $4, $7, $8; exit }'; }
check "sfdisk: partition 1 starts where xorriso's does, with its type and flag" \
	diff <(sfdisk_first "$OURS" | tee -a /dev/stderr) <(sfdisk_first "$REF")
PART=$SCRATCH/partition.iso PARTX=$SCRATCH/partition-xorriso.iso
dd if="$OURS" of="$PART" bs=2048 skip=16 status=none && dd if="$REF" of="$PARTX" bs=2048 skip=16 status=none ||
	die "cannot cut out the partitions"
tree_of() { xorriso -indev "$1" -find / 2>/dev/null | sort; }
check "xorriso reads the partition cut out at 16: the image's tree" \
	bash -c 'diff <(xorriso -indev "$1" -find / 2>/dev/null | sort) <(xorriso -indev "$2" -find / 2>/dev/null | sort) &&
		 [ "$(xorriso -indev "$2" -find / 2>/dev/null | wc -l)" -gt 8 ]' _ "$OURS" "$PART"
check "... and xorriso's partition holds the same tree" diff <(tree_of "$PART") <(tree_of "$PARTX")
for v in -R -J; do
	check "isoinfo $v lists the same tree from the partition as from the image" \
		diff <(isoinfo $v -f -i "$OURS" | sort) <(isoinfo $v -f -i "$PART" | sort)
done
check "isoinfo reads a file's bytes through the partition's Rock Ridge" \
	bash -c 'isoinfo -R -x /live/filesystem.squashfs -i "$1" | cmp - "$2"' _ "$PART" "$B/live/filesystem.squashfs"
check "isoinfo reads a file's bytes through the partition's Joliet" \
	bash -c 'isoinfo -J -x /isolinux/msg.txt -i "$1" | cmp - "$2"' _ "$PART" "$B/isolinux/msg.txt"
check "xorriso extracts the partition: the files of xorriso's image" same_files "$PART" "$REF" isolinux/isolinux.bin -isolinux/boot.cat
# (7z shows the El Torito images as [BOOT]/...: the partition, as xorriso's, has no boot
# record: firmware reads El Torito from the disc's start only.)
sevenzip_paths() { 7z l -slt "$1" | grep "^Path = " | tail -n +2 | grep -v '^Path = \[BOOT\]/' | sort; }
same_7z() { diff <(sevenzip_paths "$1") <(sevenzip_paths "$2") && [ "$(sevenzip_paths "$2" | wc -l)" -gt 8 ]; }
check "7z lists the same files in the partition as in the image" same_7z "$OURS" "$PART"

# -isohybrid-gpt-basdat beside the isohybrid MBR: the GPT holds xorriso's entries: Basic
# Data "ISOHybrid" over the ISO 9660 partition (from the offset), Basic Data "ISOHybrid1"
# over the EFI image, both flagged required + read-only. Type, name, flags and the size of
# each (the first one's start too) must be xorriso's; the GUIDs and the EFI image's start
# differ (xorriso derives GUIDs from the volume time and places files differently).
gpt_entries() {
	"$IT_PY" - "$1" <<'PY'
import struct, sys, uuid
f = open(sys.argv[1], 'rb')
f.seek(512)
h = f.read(92)
assert h[:8] == b'EFI PART', 'no GPT header at LBA 1'
arr, n, size = struct.unpack_from('<QII', h, 72)
f.seek(arr * 512)
for i in range(n):
    e = f.read(size)
    if e[:16] == bytes(16):
        continue
    first, last, flags = struct.unpack_from('<QQQ', e, 32)
    name = e[56:128].decode('utf-16-le').rstrip('\0')
    print(i + 1, uuid.UUID(bytes_le=e[:16]), name, '0x%016x' % flags,
          'start=%d' % first if i == 0 else '', 'sectors=%d' % (last - first + 1) if i else '')
PY
}
check "GPT entries: xorriso's types, names, flags and extents" \
	diff <(gpt_entries "$OURS" | tee -a /dev/stderr) <(gpt_entries "$REF")
gpt_first_basdat() { gpt_entries "$1" | grep -q '^1 ebd0a0a2-b9e5-4433-87c0-68b6b72699c7 ISOHybrid 0x1000000000000001 start=64 *$'; }
check "GPT entry 1 is Basic Data from sector 64" gpt_first_basdat "$OURS"

# The call of images that append their EFI partition after the ISO (Debian's arm64 and
# Ubuntu's images): -append_partition 2 0xef FILE, as an MBR partition and with
# -appended_part_as_gpt as a GPT one; xorriso must see the partition where xorriso's own
# image has it (type and size; xorriso pads its filesystem, so the starts differ), holding
# the file's bytes.
appended() { # IMG: "type size" of the appended partition 2, as xorriso reports it
	xorriso -indev "$1" -report_system_area plain 2>/dev/null |
		awk '/^MBR partition  *: *2 / { print $6, $8 } /^GPT type GUID *: *2 / { t = $6 }
		     /^GPT start and size *: *2 / { print t, $8 }'
}
appended_bytes() { # IMG FILE: the partition holds FILE, from the start xorriso reports
	local start
	start=$(xorriso -indev "$1" -report_system_area plain 2>/dev/null |
		awk '/^MBR partition  *: *2 / && $6 != "0xee" { print $7 } /^GPT start and size *: *2 / { print $7 }' | head -n 1)
	[ -n "$start" ] && dd if="$1" bs=512 skip="$start" count=$(( $(stat -c %s "$2") / 512 )) status=none | cmp - "$2"
}
for form in mbr gpt; do
	extra=()
	[ "$form" = gpt ] && extra=(-appended_part_as_gpt)
	APP=(-r -J -V APPENDED -e boot/grub/efi.img -no-emul-boot -append_partition 2 0xef boot/grub/efi.img "${extra[@]}")
	check "-append_partition ($form): mkimage and xorriso make it" bash -c '
		cd "$1" && "$MKIMAGE" -as mkisofs "${@:4}" -o "$2" . && xorriso -as mkisofs "${@:4}" -o "$3" . 2>/dev/null' \
		_ "$B" "$SCRATCH/app-$form.iso" "$SCRATCH/app-$form-x.iso" "${APP[@]}"
	check "... the appended partition is xorriso's ($form)" \
		diff <(appended "$SCRATCH/app-$form.iso" | tee -a /dev/stderr) <(appended "$SCRATCH/app-$form-x.iso")
	check "... and holds the file's bytes ($form)" appended_bytes "$SCRATCH/app-$form.iso" "$B/boot/grub/efi.img"
done
check "OVMF boots the appended-partition image as a disk" boot_to_mark uefi hd "$SCRATCH/app-gpt.iso" "$MARK_EFI"
# The same with -partition_offset 16 behind the protective MBR: the GPT's first entry is
# xorriso's "ISO9660", Basic Data from sector 64, through which xorriso finds the offset.
APP=(-r -J -V APPENDED -e boot/grub/efi.img -no-emul-boot -append_partition 2 0xef boot/grub/efi.img
	-appended_part_as_gpt -partition_offset 16)
check "-appended_part_as_gpt -partition_offset 16: mkimage and xorriso make it" bash -c '
	cd "$1" && "$MKIMAGE" -as mkisofs "${@:4}" -o "$2" . && xorriso -as mkisofs "${@:4}" -o "$3" . 2>/dev/null' \
	_ "$B" "$SCRATCH/app-off.iso" "$SCRATCH/app-off-x.iso" "${APP[@]}"
gpt_first() { xorriso -indev "$1" -report_system_area plain 2>/dev/null |
	awk '/^Partition offset/ { print } /^GPT (partname local|type GUID|partition flags) *: *1 / { print } /^GPT start and size *: *1 / { print $7 }'; }
check "... xorriso finds the offset through the GPT's ISO9660 entry, as on its own image" \
	diff <(gpt_first "$SCRATCH/app-off.iso" | tee -a /dev/stderr) <(gpt_first "$SCRATCH/app-off-x.iso")
it_finish
