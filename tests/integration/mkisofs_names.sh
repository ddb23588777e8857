#!/bin/bash
# mkisofs's naming and tree options through `mkimage -as mkisofs`, each compared with
# xorriso -as mkisofs of the same call and tree (names as isoinfo lists them):
#   -U (untranslated ISO 9660 names), -N (no ";1"), both the same setting as mkimage's
#   --iso-names and a manifest's <iso names> (the same bytes), Joliet names without ";1" (isoinfo -J
#   -x finds the plain name), -D (deep directories in place), -f (symlinks followed),
#   -hide (left out of ISO 9660 and Rock Ridge, kept in Joliet), and -partition_offset 16
#   without a hybrid table (xorriso's CDh MBR; the partition is an ISO 9660 file system of
#   its own, with the same tree), and the same setting as mkimage's --partition-offset and
#   a manifest's <iso partition-offset> (-as mkisofs --print-manifest, then -m: the same
#   bytes; with a stand-in BIOS image and MBR code too); --modification-date (xorriso's
#   volume dates; mkimage's --volume-time and <volume time>: the same bytes); --grub2-mbr
#   and --grub2-boot-info with stand-ins (the patched bytes; --hybrid-grub2-mbr,
#   --boot-grub2-info and the manifest give the same bytes); the mixed MBR+GPT table
#   (--hybrid-table mbr+gpt, <hybrid table="mbr+gpt">: the same bytes); -append_partition
#   with and without -appended_part_as_gpt (--append-partition, <partition>: the same
#   bytes); HFS+ options:
#   one warning. No
#   real boot loader: fast.
. "$(dirname "$0")/lib.sh"
it_init mkisofs_names
require_tools xorriso isoinfo sfdisk cmp
export SOURCE_DATE_EPOCH=1700000000
T=$SCRATCH/tree
mkdir -p "$T/Mixed.Case.dir" "$T/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10" || die "mkdir"
echo one >"$T/Hello.World.txt"
echo two >"$T/noext"
echo three >"$T/a+b=c,d~e.Tar.gz"
echo four >"$T/Mixed.Case.dir/aVeryLongFileNameThatGoesOnAndOn.data.txt"
echo five >"$T/.hidden"
echo deep >"$T/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt"
echo secret >"$T/secret.txt"
echo target >"$T/target.txt"
ln -s target.txt "$T/link.txt" || die "ln"

# make NAME OPTS...: our image and xorriso's of the call, SCRATCH/NAME.iso and NAME-x.iso
make_both() {
	local name=$1
	shift
	"$MKIMAGE" -as mkisofs "$@" -o "$SCRATCH/$name.iso" "$T" &&
		xorriso -as mkisofs "$@" -o "$SCRATCH/$name-x.iso" "$T" 2>/dev/null
}
# same_names VIEW NAME: isoinfo VIEW -f lists the same paths for both images. Without Rock
# Ridge mkimage leaves symlinks out of the tree (it cannot say what they are); xorriso
# records them as empty files: link.txt is not compared there.
same_names() {
	local skip='^$'
	[ "$1" = -R ] || skip='^/link\.txt$|^/LINK\.TXT'
	diff <(isoinfo $1 -f -i "$SCRATCH/$2.iso" | grep -Ev "$skip" | sort | tee -a /dev/stderr) \
		<(isoinfo $1 -f -i "$SCRATCH/$2-x.iso" | grep -Ev "$skip" | sort)
}

# -U: names as they are, lower case, several dots, no '.' added, no ";1", 37 characters.
check "-U: mkimage and xorriso make the image" make_both untranslated -U
check "-U: the ISO 9660 names are xorriso's" same_names "" untranslated
check "-U: lower case and dots kept, no ';1' (isoinfo -x /Hello.World.txt)" \
	bash -c 'isoinfo -x /Hello.World.txt -i "$1" | grep -qx one' _ "$SCRATCH/untranslated.iso"
check "-U: a long name cut at 37 characters as xorriso cuts it" \
	bash -c 'isoinfo -f -i "$1" | grep -qx "/Mixed.Case.dir/aVeryLongFileNameThatGoesOnAndOn..txt"' _ "$SCRATCH/untranslated.iso"
check "without -U the names are translated (8.3, upper case, ';1')" \
	bash -c '"$MKIMAGE" -as mkisofs -o "$1" "$2" && isoinfo -f -i "$1" | grep -qx "/HELLO_WO.TXT;1"' \
	_ "$SCRATCH/plain.iso" "$T"

# -N: no ";1"; names otherwise as without it (NOEXT. keeps its '.'). Compared with
# xorriso's on the files where the two writers' ISO 9660 naming agrees (both 8.3 names
# of the plain files; mkimage maps a directory's dots to '_').
check "-N: mkimage and xorriso make the image" make_both noversion -N
plain_files() { isoinfo -f -i "$1" | grep -E '^/(HELLO_WO\.TXT|NOEXT\.|A_B_C_D_\.GZ|SECRET\.TXT|TARGET\.TXT)' | sort; }
check "-N: the names of the plain files are xorriso's" \
	diff <(plain_files "$SCRATCH/noversion.iso" | tee -a /dev/stderr) <(plain_files "$SCRATCH/noversion-x.iso")
check "-N: no name carries ';1'" bash -c '! isoinfo -f -i "$1" | grep ";"' _ "$SCRATCH/noversion.iso"
check "-N: isoinfo -x reads /NOEXT. by its name" \
	bash -c 'isoinfo -x /NOEXT. -i "$1" | grep -qx two' _ "$SCRATCH/noversion.iso"

# -U and -N are mkimage's --iso-names and a manifest's <iso names>: --print-manifest then -m,
# and the native option with mkisofs's defaults spelled out, give the mkisofs call's bytes.
for m in untranslated:-U noversion:-N noversion:-N,-N untranslated:-N,-U; do
	name=${m%%:*} opts=${m#*:}
	mode=$name
	[ "$mode" = noversion ] && mode=no-version
	check "${opts//,/ } --print-manifest: <iso names=\"$mode\">, and -m of it gives the image's bytes" bash -c '
		"$1" -as mkisofs ${4//,/ } --print-manifest "$2" >"$3.xml" &&
		grep -q "<iso .*names=\"$5\"" "$3.xml" && "$1" -m "$3.xml" -o "$3-m.iso" && cmp "$3-m.iso" "$3.iso"' \
		_ "$MKIMAGE" "$T" "$SCRATCH/$name" "$opts" "$mode"
	check "--iso-names $mode (mkimage's options): the bytes of mkisofs ${opts//,/ }" bash -c '
		"$1" --fs iso9660 --iso-level 1 -V ISOIMAGE --iso-names "$4" -o "$3-n.iso" "$2" &&
		cmp "$3-n.iso" "$3.iso"' _ "$MKIMAGE" "$T" "$SCRATCH/$name" "$mode"
done
check "--iso-names translated: the plain call's bytes" bash -c '
	"$1" --fs iso9660 --iso-level 1 -V ISOIMAGE --iso-names translated -o "$3" "$2" && cmp "$3" "$4"' \
	_ "$MKIMAGE" "$T" "$SCRATCH/plain-n.iso" "$SCRATCH/plain.iso"
check_fails "--iso-names plain: refused" "$MKIMAGE" --iso-names plain -o "$SCRATCH/bad.iso" "$T"

# Joliet: file names without ";1", as genisoimage and xorriso write them.
check "-J: mkimage and xorriso make the image" make_both joliet -J -R
check "-J: the Joliet names are xorriso's" same_names -J joliet
check "-J: isoinfo -J -x finds a file by its plain name" \
	bash -c 'isoinfo -J -x /Hello.World.txt -i "$1" | grep -qx one' _ "$SCRATCH/joliet.iso"
check_fails "-J: no Joliet name carries ';1'" bash -c 'isoinfo -J -f -i "$1" | grep -q ";1$"' _ "$SCRATCH/joliet.iso"
check "-R: the Rock Ridge names are xorriso's" same_names -R joliet

# -D: directories deeper than 8 levels stay in place (mkimage's default too).
check "-D: mkimage and xorriso make the image" make_both deep -D -R
check "-D: the deep file is at its place, as in xorriso's image" \
	bash -c 'isoinfo -R -f -i "$1" | grep -qx /d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt && isoinfo -R -f -i "$2" | grep -qx /d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt' \
	_ "$SCRATCH/deep.iso" "$SCRATCH/deep-x.iso"
check "-D: no .rr_moved" bash -c '! isoinfo -f -i "$1" | grep -qi rr_moved' _ "$SCRATCH/deep.iso"

# -f: a symlink is stored as the file it points to.
check "-f: mkimage and xorriso make the image" make_both follow -f -R
check "-f: link.txt is a regular file in both (Rock Ridge)" \
	bash -c '[ "$(isoinfo -R -l -i "$1" | awk "\$NF == \"link.txt\" { print substr(\$1, 1, 1) }")" = - ] &&
		 [ "$(isoinfo -R -l -i "$2" | awk "\$NF == \"link.txt\" { print substr(\$1, 1, 1) }")" = - ]' \
	_ "$SCRATCH/follow.iso" "$SCRATCH/follow-x.iso"
check "-f: ... holding the target's bytes" bash -c 'isoinfo -R -x /link.txt -i "$1" | grep -qx target' _ "$SCRATCH/follow.iso"
check "without -f link.txt is a symlink" \
	bash -c '"$MKIMAGE" -as mkisofs -R -o "$1" "$2" && isoinfo -R -l -i "$1" | grep -q "^l.* link.txt -> target.txt$"' \
	_ "$SCRATCH/nofollow.iso" "$T"

# -hide: out of the ISO 9660 (and Rock Ridge) tree, still in Joliet. (The plain ISO 9660
# view is not compared: mkimage maps a directory's '.' to '_', xorriso keeps it.)
check "-hide: mkimage and xorriso make the image" make_both hide -R -J -hide secret.txt
check "-hide: SECRET.TXT is not in the ISO 9660 tree" bash -c '! isoinfo -f -i "$1" | grep -q SECRET' _ "$SCRATCH/hide.iso"
for v in -R -J; do
	check "-hide: isoinfo $v lists what it lists on xorriso's image" same_names "$v" hide
done
check "-hide: secret.txt is not in the Rock Ridge tree" bash -c '! isoinfo -R -f -i "$1" | grep -q secret' _ "$SCRATCH/hide.iso"
check "-hide: but in Joliet" bash -c 'isoinfo -J -x /secret.txt -i "$1" | grep -qx secret' _ "$SCRATCH/hide.iso"

# -partition_offset 16 without a hybrid table: xorriso's MBR (one CDh partition from
# 512-byte sector 64) and a partition that is an ISO 9660 file system with the same tree.
check "-partition_offset 16: mkimage and xorriso make the image" make_both offset -R -J -partition_offset 16
part_offset() { xorriso -indev "$1" -report_system_area plain 2>/dev/null | sed -n 's/^Partition offset *: //p'; }
check "-partition_offset 16: xorriso finds the offset in our image" test "$(part_offset "$SCRATCH/offset.iso")" = 16
first_part() { sfdisk -d "$1" | awk '/ : start=/ { print $4, $7; exit }'; }
check "-partition_offset 16: sfdisk sees xorriso's partition 1 (start, type)" \
	diff <(first_part "$SCRATCH/offset.iso" | tee -a /dev/stderr) <(first_part "$SCRATCH/offset-x.iso")
dd if="$SCRATCH/offset.iso" of="$SCRATCH/part.iso" bs=2048 skip=16 status=none || die "dd"
for v in "" -R -J; do
	check "-partition_offset 16: isoinfo $v lists the same tree from the partition" \
		diff <(isoinfo $v -f -i "$SCRATCH/offset.iso" | sort) <(isoinfo $v -f -i "$SCRATCH/part.iso" | sort)
done
check "-partition_offset 16: the partition's tree has the files" \
	bash -c '[ "$(isoinfo -R -f -i "$1" | wc -l)" -gt 15 ]' _ "$SCRATCH/part.iso"
check "-partition_offset 16: a deep file's bytes through the partition" \
	bash -c 'isoinfo -R -x /d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt -i "$1" | grep -qx deep' _ "$SCRATCH/part.iso"
check "-partition_offset 16: xorriso reads the partition: the image's tree" \
	diff <(xorriso -indev "$SCRATCH/offset.iso" -find / 2>/dev/null | sort) \
	<(xorriso -indev "$SCRATCH/part.iso" -find / 2>/dev/null | sort)
# The same setting in its three spellings (one row of the settings table): mkisofs's
# -partition_offset, its --print-manifest (<iso partition-offset>) made again with -m, and
# mkimage's --partition-offset with mkisofs's defaults spelled out: the same bytes.
check "-partition_offset 16 --print-manifest: the manifest says partition-offset=\"16\"" bash -c '
	"$1" -as mkisofs -R -J -partition_offset 16 --print-manifest "$2" >"$3" &&
	grep -q "<iso level=\"1\" joliet-long=\"false\" partition-offset=\"16\"/>" "$3"' \
	_ "$MKIMAGE" "$T" "$SCRATCH/offset.xml"
check "mkimage -m of that manifest: the mkisofs call's bytes" bash -c '
	"$1" -m "$2" -o "$3" && cmp "$3" "$4"' _ "$MKIMAGE" "$SCRATCH/offset.xml" "$SCRATCH/offset-m.iso" "$SCRATCH/offset.iso"
native_offset=(--fs iso9660,joliet,rockridge --iso-level 1 -V ISOIMAGE --partition-offset 16)
check "--partition-offset 16 (mkimage's options): the mkisofs call's bytes" bash -c '
	"$1" "${@:5}" -o "$2" "$3" && cmp "$2" "$4"' _ "$MKIMAGE" "$SCRATCH/offset-n.iso" "$T" \
	"$SCRATCH/offset.iso" "${native_offset[@]}"
check "--partition-offset 0: no second tree (the image differs, xorriso finds no offset)" bash -c '
	"$1" --fs iso9660,joliet,rockridge --iso-level 1 -V ISOIMAGE --partition-offset 0 -o "$2" "$3" &&
	! cmp -s "$2" "$4" && [ -z "$(xorriso -indev "$2" -report_system_area plain 2>/dev/null |
	sed -n "s/^Partition offset *: //p")" ]' _ "$MKIMAGE" "$SCRATCH/offset-0.iso" "$T" "$SCRATCH/offset.iso"
# --modification-date (xorriso's): the volume descriptors' dates are xorriso's; the same
# setting as mkimage's --volume-time and a manifest's <volume time>: the same bytes.
vol_dates() { xorriso -indev "$1" -pvd_info 2>/dev/null | grep -E '^(Creation|Modif\.|Expir\.|Eff\.) Time'; }
check "--modification-date: mkimage and xorriso make the image" make_both mdate -R -J \
	--modification-date=2026120709080600
check "--modification-date: the volume dates are xorriso's" \
	diff <(vol_dates "$SCRATCH/mdate.iso" | tee -a /dev/stderr) <(vol_dates "$SCRATCH/mdate-x.iso")
check "--modification-date: not SOURCE_DATE_EPOCH's (the image differs without it)" bash -c '
	"$1" -as mkisofs -R -J -o "$2" "$3" && ! cmp -s "$2" "$4"' _ "$MKIMAGE" "$SCRATCH/mdate-0.iso" "$T" \
	"$SCRATCH/mdate.iso"
check "--modification-date --print-manifest: the manifest says <volume ... time=>" bash -c '
	"$1" -as mkisofs -R -J --modification-date=2026120709080600 --print-manifest "$2" >"$3" &&
	grep -q "<volume .* time=\"2026-12-07T09:08:06Z\"/>" "$3"' _ "$MKIMAGE" "$T" "$SCRATCH/mdate.xml"
check "mkimage -m of the <volume time> manifest: the mkisofs call's bytes" bash -c '
	"$1" -m "$2" -o "$3" && cmp "$3" "$4"' _ "$MKIMAGE" "$SCRATCH/mdate.xml" "$SCRATCH/mdate-m.iso" "$SCRATCH/mdate.iso"
for t in 2026120709080600 2026-12-07T09:08:06Z 1796634486; do
	check "--volume-time $t (mkimage's options): the mkisofs call's bytes" bash -c '
		"$1" --fs iso9660,joliet,rockridge --iso-level 1 -V ISOIMAGE --volume-time "$5" -o "$2" "$3" &&
		cmp "$2" "$4"' _ "$MKIMAGE" "$SCRATCH/mdate-n.iso" "$T" "$SCRATCH/mdate.iso" "$t"
done
check_fails "--volume-time 1969-12-31T23:59:59Z: refused" "$MKIMAGE" --volume-time 1969-12-31T23:59:59Z \
	-o "$SCRATCH/bad.iso" "$T"

# With a BIOS boot image and an isohybrid MBR: the partition is MBR entry 1.
B=$SCRATCH/btree
mkdir -p "$B/isolinux" || die "mkdir"
echo hello >"$B/readme.txt"
head -c 4096 /dev/urandom >"$B/isolinux/boot.bin" || die "boot image"
head -c 432 /dev/urandom >"$SCRATCH/mbr.bin" || die "mbr code"
boot_opts=(-b isolinux/boot.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table
	-isohybrid-mbr "$SCRATCH/mbr.bin")
check "booting, -partition_offset 16: the image and its --print-manifest" bash -c '
	"$1" -as mkisofs -R -J -partition_offset 16 "${@:4}" -o "$2.iso" "$3" &&
	"$1" -as mkisofs -R -J -partition_offset 16 "${@:4}" --print-manifest "$3" >"$2.xml"' \
	_ "$MKIMAGE" "$SCRATCH/boff" "$B" "${boot_opts[@]}"
check "booting: the manifest has <bios>, <hybrid> and partition-offset" bash -c '
	grep -q "<bios image=\"/isolinux/boot.bin\"" "$1" && grep -q "<hybrid mbr-code=" "$1" &&
	grep -q "partition-offset=\"16\"" "$1"' _ "$SCRATCH/boff.xml"
check "booting: mkimage -m of it gives the mkisofs call's bytes" bash -c '
	"$1" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' _ "$MKIMAGE" "$SCRATCH/boff"
check "booting: --partition-offset 16 --boot-bios ... --hybrid-mbr gives the mkisofs call's bytes" bash -c '
	"$1" --fs iso9660,joliet,rockridge --iso-level 1 -V ISOIMAGE --partition-offset 16 \
		--boot-bios isolinux/boot.bin --boot-catalog isolinux/boot.cat --boot-load-size 4 \
		--boot-info-table --hybrid-mbr "$4" -o "$2-n.iso" "$3" && cmp "$2-n.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/boff" "$B" "$SCRATCH/mbr.bin"
# Booting with --modification-date: the boot catalog's record takes the volume's time too;
# --print-manifest then -m gives the same bytes.
check "booting, --modification-date: the image and its --print-manifest, then -m: the same bytes" bash -c '
	"$1" -as mkisofs -R -J --modification-date=2026120709080600 "${@:4}" -o "$2.iso" "$3" &&
	"$1" -as mkisofs -R -J --modification-date=2026120709080600 "${@:4}" --print-manifest "$3" >"$2.xml" &&
	"$1" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/bdate" "$B" "${boot_opts[@]}"
check "booting, --modification-date: the boot catalog's date is the volume's" bash -c '
	isoinfo -l -i "$1" | grep -E "BOOT\.CAT;1" | grep -Eq "Dec +7 2026"' _ "$SCRATCH/bdate.iso"
# GRUB's hybrid MBR and boot info (--grub2-mbr, --grub2-boot-info) with stand-ins for
# boot_hybrid.img and eltorito.img: the same setting as mkimage's --hybrid-grub2-mbr and
# --boot-grub2-info and a manifest's <hybrid grub2-mbr-code> and <bios grub2-info>.
head -c 512 /dev/urandom >"$SCRATCH/boot_hybrid.img" || die "grub mbr"
grub_opts=(-b isolinux/boot.bin -no-emul-boot -boot-load-size 4 -boot-info-table --grub2-boot-info
	--grub2-mbr "$SCRATCH/boot_hybrid.img")
check "--grub2-mbr --grub2-boot-info: the image and its --print-manifest" bash -c '
	"$1" -as mkisofs -R "${@:4}" -o "$2.iso" "$3" &&
	"$1" -as mkisofs -R "${@:4}" --print-manifest "$3" >"$2.xml"' \
	_ "$MKIMAGE" "$SCRATCH/grub" "$B" "${grub_opts[@]}"
check "--grub2-mbr: the manifest has <hybrid grub2-mbr-code> and <bios grub2-info>" bash -c '
	grep -q "<hybrid grub2-mbr-code=\"$2\"/>" "$1" && grep -q "<bios .* grub2-info=\"true\"/>" "$1" &&
	! grep -q " mbr-code=" "$1"' _ "$SCRATCH/grub.xml" "$SCRATCH/boot_hybrid.img"
check "--grub2-mbr: mkimage -m of it gives the mkisofs call's bytes" bash -c '
	"$1" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' _ "$MKIMAGE" "$SCRATCH/grub"
check "--hybrid-grub2-mbr --boot-grub2-info (mkimage's options): the mkisofs call's bytes" bash -c '
	"$1" --fs iso9660,rockridge --iso-level 1 -V ISOIMAGE --boot-bios isolinux/boot.bin \
		--boot-load-size 4 --boot-info-table --boot-grub2-info --hybrid-grub2-mbr "$4" \
		-o "$2-n.iso" "$3" && cmp "$2-n.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/grub" "$B" "$SCRATCH/boot_hybrid.img"
# The patches are there: MBR bytes 432-439 the BIOS image's 512-byte LBA + 4 (GRUB's
# boot_hybrid.img), the boot image's bytes 2548-2555 its LBA + 5 (eltorito.img).
boot_lba() { isoinfo -R -l -i "$1" | awk '{ gsub(/\[|\]/, " ") } $NF == "boot.bin" { print $(NF-2); exit }'; }
check "--grub2-mbr: MBR bytes 432-439 hold the boot image's 512-byte LBA + 4" bash -c '
	[ "$(od -An -t u8 -j 432 -N 8 "$1" | tr -d " ")" = $(( $2 * 4 + 4 )) ]' _ "$SCRATCH/grub.iso" \
	"$(boot_lba "$SCRATCH/grub.iso")"
check "--grub2-boot-info: the boot image's bytes 2548-2555 hold its 512-byte LBA + 5" bash -c '
	[ "$(od -An -t u8 -j $(( $2 * 2048 + 2548 )) -N 8 "$1" | tr -d " ")" = $(( $2 * 4 + 5 )) ]' _ \
	"$SCRATCH/grub.iso" "$(boot_lba "$SCRATCH/grub.iso")"
check "without --grub2-mbr: -isohybrid-mbr's bytes differ (the patch is GRUB's)" bash -c '
	"$1" -as mkisofs -R -b isolinux/boot.bin -no-emul-boot -boot-load-size 4 -boot-info-table \
		--grub2-boot-info -isohybrid-mbr "$4" -o "$2-i.iso" "$3" && ! cmp -s "$2-i.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/grub" "$B" "$SCRATCH/boot_hybrid.img"
check_fails "-isohybrid-mbr with --grub2-mbr: refused" "$MKIMAGE" -as mkisofs -b isolinux/boot.bin \
	-no-emul-boot -isohybrid-mbr "$SCRATCH/mbr.bin" --grub2-mbr "$SCRATCH/boot_hybrid.img" -o "$SCRATCH/bad.iso" "$B"
# The mixed table (-isohybrid-mbr with -isohybrid-gpt-basdat, a stand-in EFI image): the
# same setting as mkimage's --hybrid-table mbr+gpt and a manifest's <hybrid table="mbr+gpt">.
head -c 65536 /dev/zero >"$B/efi.img" || die "efi image"
mixed_opts=(-b isolinux/boot.bin -no-emul-boot -boot-load-size 4 -boot-info-table
	-isohybrid-mbr "$SCRATCH/mbr.bin" -eltorito-alt-boot -e efi.img -no-emul-boot -isohybrid-gpt-basdat)
check "-isohybrid-gpt-basdat with -isohybrid-mbr: the image and its --print-manifest" bash -c '
	"$1" -as mkisofs -R "${@:4}" -o "$2.iso" "$3" &&
	"$1" -as mkisofs -R "${@:4}" --print-manifest "$3" >"$2.xml"' \
	_ "$MKIMAGE" "$SCRATCH/mixed" "$B" "${mixed_opts[@]}"
check "mixed table: the manifest says <hybrid table=\"mbr+gpt\">" \
	grep -q "<hybrid table=\"mbr+gpt\" mbr-code=" "$SCRATCH/mixed.xml"
check "mixed table: mkimage -m of it gives the mkisofs call's bytes" bash -c '
	"$1" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' _ "$MKIMAGE" "$SCRATCH/mixed"
check "--hybrid-table mbr+gpt (mkimage's options): the mkisofs call's bytes" bash -c '
	"$1" --fs iso9660,rockridge --iso-level 1 -V ISOIMAGE --boot-bios isolinux/boot.bin \
		--boot-load-size 4 --boot-info-table --boot-efi efi.img --hybrid-mbr "$4" \
		--hybrid-table mbr+gpt -o "$2-n.iso" "$3" && cmp "$2-n.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/mixed" "$B" "$SCRATCH/mbr.bin"
check "mixed table: an MBR (entry 1 active, entry 2 EFh) and a GPT beside it" bash -c '
	sfdisk -d "$1" | grep -q "^label: dos" && sfdisk -d "$1" | grep -q "type=ef" &&
	[ "$(dd if="$1" bs=512 skip=1 count=1 status=none | head -c 8)" = "EFI PART" ]' _ "$SCRATCH/mixed.iso"
check "--hybrid-table mbr: not the mixed table's bytes" bash -c '
	"$1" --fs iso9660,rockridge --iso-level 1 -V ISOIMAGE --boot-bios isolinux/boot.bin \
		--boot-load-size 4 --boot-info-table --boot-efi efi.img --hybrid-mbr "$4" \
		--hybrid-table mbr -o "$2-mbr.iso" "$3" && ! cmp -s "$2-mbr.iso" "$2.iso"' \
	_ "$MKIMAGE" "$SCRATCH/mixed" "$B" "$SCRATCH/mbr.bin"
rm -f "$B/efi.img"
# Appended partitions (-append_partition, -appended_part_as_gpt): the same setting as
# mkimage's --append-partition N:TYPE:FILE (with --hybrid-table gpt) and a manifest's
# <hybrid><partition number type src>.
head -c 100000 /dev/urandom >"$SCRATCH/part.img" || die "partition file"
app_opts=(-b isolinux/boot.bin -no-emul-boot -boot-load-size 4 -isohybrid-mbr "$SCRATCH/mbr.bin"
	-append_partition 2 0xef "$SCRATCH/part.img" -append_partition 3 0FC63DAF-8483-4772-8E79-3D69D8477DE4
	"$SCRATCH/part.img")
for table in mbr gpt; do
	extra=()
	[ $table = gpt ] && extra=(-appended_part_as_gpt)
	check "-append_partition ($table): the image, its --print-manifest, then -m: the same bytes" bash -c '
		"$1" -as mkisofs -R "${@:4}" -o "$2.iso" "$3" &&
		"$1" -as mkisofs -R "${@:4}" --print-manifest "$3" >"$2.xml" &&
		grep -q "<partition number=\"2\" type=\"0xef\" src=" "$2.xml" &&
		"$1" -m "$2.xml" -o "$2-m.iso" && cmp "$2-m.iso" "$2.iso"' \
		_ "$MKIMAGE" "$SCRATCH/app-$table" "$B" "${app_opts[@]}" "${extra[@]}"
	check "--append-partition --hybrid-table $table (mkimage's options): the mkisofs call's bytes" bash -c '
		"$1" --fs iso9660,rockridge --iso-level 1 -V ISOIMAGE --boot-bios isolinux/boot.bin \
			--boot-load-size 4 --hybrid-mbr "$4" --append-partition "2:0xef:$5" \
			--append-partition "3:0FC63DAF-8483-4772-8E79-3D69D8477DE4:$5" --hybrid-table "$6" \
			-o "$2-n.iso" "$3" && cmp "$2-n.iso" "$2.iso"' \
		_ "$MKIMAGE" "$SCRATCH/app-$table" "$B" "$SCRATCH/mbr.bin" "$SCRATCH/part.img" $table
done
check "-append_partition: the file's bytes are partition 2 (sfdisk)" bash -c '
	start=$(sfdisk -d "$1" | awk "/ : start=/ && NR { n++ } n == 2 { sub(/,/, \"\", \$4); print \$4; exit }") &&
	cmp -n 100000 <(dd if="$1" bs=512 skip="$start" status=none) "$2"' _ "$SCRATCH/app-mbr.iso" "$SCRATCH/part.img"
check "-appended_part_as_gpt: not the MBR image's bytes" bash -c '! cmp -s "$1" "$2"' _ \
	"$SCRATCH/app-mbr.iso" "$SCRATCH/app-gpt.iso"
first_part_b() { sfdisk -d "$1" | awk '/ : start=/ { print $4; exit }'; }
check "booting: MBR entry 1 starts at 512-byte sector 64" test "$(first_part_b "$SCRATCH/boff.iso")" = "64,"
check_fails "--print-manifest with -print-size: refused (a manifest cannot say it)" "$MKIMAGE" -as mkisofs \
	-print-size -partition_offset 16 --print-manifest "$T"
check_fails "--partition-offset 8: refused" "$MKIMAGE" --partition-offset 8 -o "$SCRATCH/bad.iso" "$T"
check_fails "--partition-offset with --fs udf: refused" "$MKIMAGE" --fs iso9660,udf --partition-offset 16 \
	-o "$SCRATCH/bad.iso" "$T"
printf '<image version="1"><iso partition-offset="15"/><root/></image>\n' >"$SCRATCH/bad.xml"
check_fails "<iso partition-offset=\"15\">: refused" "$MKIMAGE" -m "$SCRATCH/bad.xml" -o "$SCRATCH/bad.iso"
# HFS+ options (grub-mkrescue's): one warning, naming the first of them, saying the Mac
# HFS+ part is left out; the image is made.
check "HFS+ options: accepted, the image is made" bash -c '"$MKIMAGE" -as mkisofs -R -hfsplus -apm-block-size 2048 \
	-hfsplus-file-creator-type chrp tbxj /x -hfs-bless-by p /y -o "$1" "$2" 2>"$3"' _ "$SCRATCH/hfs.iso" "$T" "$SCRATCH/hfs.err"
check "HFS+ options: exactly one warning, naming -hfsplus, saying the Mac HFS+ part is left out" \
	bash -c 'cat "$1"; [ "$(wc -l <"$1")" = 1 ] && grep -q "warning: -hfsplus: the Mac HFS+ part of the image is left out" "$1"' \
	_ "$SCRATCH/hfs.err"
check_fails "-partition_offset 8: refused (from 16 on)" "$MKIMAGE" -as mkisofs -partition_offset 8 -o "$SCRATCH/bad.iso" "$T"
check_fails "-partition_offset with -udf: refused" "$MKIMAGE" -as mkisofs -udf -partition_offset 16 -o "$SCRATCH/bad.iso" "$T"
it_finish
