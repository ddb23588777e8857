#!/bin/bash
# grub-mkrescue --xorriso=mkimage: grub-mkrescue probes `-as mkisofs -help`, then
# sends its real call (El Torito BIOS entry with --grub2-boot-info, --grub2-mbr, an UEFI
# entry with -efi-boot-part --efi-boot-image, --protective-msdos-label, HFS+ options, sort
# weights, graft points). The image mkimage makes must boot to the grub.cfg we put in it
# under SeaBIOS as a CD and as a USB disk (the MBR code finds GRUB's core through the LBA
# at byte 432) and under OVMF as a CD and as a disk (through the GPT's EFI partition); GRUB
# reports $cmdpath, which names the route (BIOS: hd96 is the El Torito drive E0h, hd0 the
# disk; UEFI: cd0, or hd0,gpt1 through the partition). The same call through xorriso must agree with
# ours: files and names, El Torito entries, the system area's kind. The call's
# --print-manifest made again with -m gives the call's bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"
. "$(dirname "$0")/mkisofs_lib.sh"
it_init mkisofs_grub
require_tools grub-mkrescue xorriso qemu-system-x86_64 timeout mformat mcopy
for d in /usr/lib/grub/i386-pc /usr/lib/grub/x86_64-efi "$OVMF_CODE" "$OVMF_VARS"; do
	[ -e "$d" ] || { echo "FAIL: missing $d (install grub-pc-bin, grub-efi-amd64-bin, ovmf)"; exit 1; }
done

SRC=$SCRATCH/src
mkdir -p "$SRC/boot/grub" "$SRC/data" || die "mkdir"
MARK="MKIMAGE GRUB OK"
# GRUB prints the mark and where it was started from, then ends QEMU (isa-debug-exit).
cat >"$SRC/boot/grub/grub.cfg" <<'CFG' || die "grub.cfg"
insmod serial
serial --unit=0 --speed=115200
terminal_output --append serial
echo "MKIMAGE GRUB OK ${grub_platform} cmdpath=${cmdpath} root=${root}"
insmod iorw
outb 0xf4 0x10
CFG
gen_bytes 7 300000 >"$SRC/data/blob.bin"
printf 'hello from the image\n' >"$SRC/data/hello.txt"

OURS=$SCRATCH/ours.iso REF=$SCRATCH/ref.iso
check "mkimage -as mkisofs -help names what grub-mkrescue looks for" \
	bash -c '"$MKIMAGE" -as mkisofs -help 2>&1 >/dev/null | grep -q -- --grub2-boot-info &&
		"$MKIMAGE" -as mkisofs -help 2>&1 >/dev/null | grep -q -- -efi-boot-part'
check "grub-mkrescue --xorriso=mkimage makes an image" \
	grub-mkrescue --xorriso="$MKIMAGE" -o "$OURS" "$SRC"
cp "$SCRATCH/check.out" "$SCRATCH/mkrescue.err"
check "one warning: the Mac HFS+ part is left out" \
	test "$(grep -c 'warning: .*HFS+' "$SCRATCH/mkrescue.err")" = 1
# The reference: one grub-mkrescue run (its efi.img is made afresh each time) whose call
# both mkimage and xorriso carry out.
write_twin_wrapper "$SCRATCH/twin" "$REF"
check "grub-mkrescue's call through mkimage and through xorriso" \
	grub-mkrescue --xorriso="$SCRATCH/twin" -o "$SCRATCH/twin.iso" "$SRC"

# grub-mkrescue's whole call as a manifest (--grub2-mbr, --grub2-boot-info and
# --modification-date are settings a manifest says): a wrapper makes the image, prints the
# call's manifest and makes it again with -m while grub-mkrescue's tree still exists; the
# two must be byte-identical (SOURCE_DATE_EPOCH fixed: the root's and files' times).
cat >"$SCRATCH/printed" <<WRAP || die "printed wrapper"
#!/bin/bash
export SOURCE_DATE_EPOCH=1700000000
"$MKIMAGE" "\$@" || exit
case " \$* " in *" -help "*|*" --help "*|*" -version "*|*" --version "*) exit 0 ;; esac
args=() out=
while [ \$# -gt 0 ]; do
	if [ "\$1" = -o ] || [ "\$1" = --output ] || [ "\$1" = -output ]; then out=\$2; shift 2; continue; fi
	args+=("\$1")
	shift
done
"$MKIMAGE" "\${args[@]}" --print-manifest >"\$out.xml" 2>/dev/null || exit
"$MKIMAGE" -m "\$out.xml" -o "\$out-m.iso" || exit
cmp "\$out" "\$out-m.iso"
WRAP
chmod +x "$SCRATCH/printed" || die "chmod"
check "grub-mkrescue's call, its --print-manifest and mkimage -m of it: the same bytes" \
	grub-mkrescue --xorriso="$SCRATCH/printed" -o "$SCRATCH/printed.iso" "$SRC"
check "that manifest says GRUB's MBR, boot info and modification date" bash -c '
	grep -q "<hybrid .*grub2-mbr-code=\"[^\"]*boot_hybrid.img\"" "$1" &&
	grep -q "<bios .* grub2-info=\"true\"" "$1" && grep -q "<volume .* time=" "$1"' _ "$SCRATCH/printed.iso.xml"

check "SeaBIOS boots it as a CD to grub.cfg" boot_to_mark bios cd "$OURS" "$MARK pc cmdpath=(hd96)"
check "SeaBIOS boots it as a USB disk to grub.cfg (GRUB's MBR)" boot_to_mark bios hd "$OURS" "$MARK pc cmdpath=(hd0"
check "OVMF boots it as a CD to grub.cfg" boot_to_mark uefi cd "$OURS" "$MARK efi cmdpath=(cd"
check "OVMF boots it as a disk through the GPT's EFI partition" \
	boot_to_mark uefi hd "$OURS" "$MARK efi cmdpath=(hd0,gpt"

check "the El Torito entries agree with xorriso's" same_catalog "$SCRATCH/twin.iso" "$REF"
check "files and names agree with xorriso's" \
	same_files "$SCRATCH/twin.iso" "$REF" boot/grub/i386-pc/eltorito.img -boot.catalog
check "the system area is of xorriso's kind (GRUB MBR, protective label, GPT)" \
	same_system_area "$OURS" "$REF"
# The check above can fail: an image without --grub2-mbr has another system area.
check "mkimage -as mkisofs makes a plain image" "$MKIMAGE" -as mkisofs -o "$SCRATCH/plain.iso" -r "$SRC"
check_fails "a plain image's system area differs" same_system_area "$SCRATCH/plain.iso" "$REF"
it_finish
