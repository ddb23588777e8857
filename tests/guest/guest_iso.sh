#!/bin/bash
# The Linux kernel as a reader of mkimage's images: every kind mkimage makes is
# loop-mounted in a QEMU guest (run-guest.sh) with the driver and options a user would
# use, the tree is copied out with tar through the read-write share, and compared on the
# host with the source (tests/integration/compare_tree.py): names, bytes, modes, owners,
# times, symlinks, hard links where the file system carries them. The kernel log must
# hold no isofs/udf warning beyond the udf driver's block-size probing.
#
# One boot for all images. To add a kind, add a line to IMAGES (and to MOUNTS).
. "$(dirname "$0")/guest_lib.sh"
it_init guest_iso
guest_require qemu-system-x86_64 tar python3

SRC=$SCRATCH/src
FLAT=$SCRATCH/flat
make_rich_tree "$SRC"
# Without Rock Ridge a tree deeper than eight levels is refused (ECMA-119 6.8.2.1).
copy_tree "$SRC" "$FLAT"
rm -rf "$FLAT/deep"
touch -d @1800000000 "$FLAT"
# Over 4 GiB: a sparse file stored as several extents (ECMA-119 6.5.3, level 3). Data
# at the start, around the 4 GiB boundary and at the end; zeros elsewhere.
BIG=$SCRATCH/big
mkdir -p "$BIG"
printf 'small\n' >"$BIG/small.txt"
G4=$((4 * 1024 * 1024 * 1024))
BIGSIZE=$((G4 + 300 * 1024 * 1024 + 12345))
truncate -s "$BIGSIZE" "$BIG/huge.bin"
for off in 0 $((G4 - 65536)) $((G4 - 2048)) $((BIGSIZE - 70000)); do
	gen_bytes "at$off" 65536 | dd of="$BIG/huge.bin" bs=65536 seek="$off" oflag=seek_bytes \
		conv=notrunc status=none
done
touch -d @1600000000 "$BIG/huge.bin" "$BIG/small.txt" "$BIG"

# NAME|MKIMAGE OPTIONS|SOURCE
IMAGES=(
	"all|--iso-level 3|$SRC"
	"l1|--fs iso9660 --iso-level 1|$FLAT"
	"l2|--fs iso9660 --iso-level 2|$FLAT"
	"l3|--fs iso9660 --iso-level 3|$FLAT"
	"joliet|--fs iso9660,joliet|$FLAT"
	"rr|--fs iso9660,rockridge|$SRC"
	"multi|--iso-level 3|$BIG"
)
# NAME|IMAGE|MOUNT TYPE|MOUNT OPTIONS|COMPARE OPTIONS (the view and its relaxations)
# The relaxations, each for this reader only, are what Linux 6.1 (Debian 12) does:
#  - isofs keeps dates in an int (fs/isofs/util.c iso_date): those past 2038-01-19
#    03:14:07 wrap to negative times, in the ISO records and in Rock Ridge TF alike;
#  - tar cannot carry a socket ("socket ignored"): the copy out has none;
#  - isofs gives every directory record its own inode, so Rock Ridge hard links come
#    out as separate files (with the PX link count) and cannot be compared as links;
#  - it hides the relocated directories (RE) and shows them at their place (CL), but the
#    relocation directory itself stays, empty;
#  - a Rock Ridge name of 254 bytes or more is cut to the NM entries that fit before
#    (fs/isofs/rock.c, get_rock_ridge_filename: "truncate"), so the two 255-byte names
#    show shortened (fix_names.py --prefix gives them their name back);
#  - it keeps only the low 8 bits of a Rock Ridge PN minor number above 255;
#  - Joliet: it drops every trailing '.' of a name (fs/isofs/joliet.c), so "..." is
#    hidden behind ".", and it looks names up case-insensitively (check=r is forced for
#    Joliet), so readme.txt opens README.txt (spec/test-guest.md);
#  - without Rock Ridge and Joliet it shows names in lower case, ";1" and one trailing
#    "." dropped (map=normal, the default); map=off shows them as recorded, which is
#    what is compared (the default mapping is mounted too, and must list as many names);
#  - the ISO 9660 records of a Rock Ridge image show the relocated directories inside
#    RR_MOVED (only Rock Ridge readers move them back);
#  - without Rock Ridge every file is mode 0555 / 0444 of uid 0 (no owner, no mode).
L255=$(printf 'L%.0s' $(seq 251)).txt
KERNEL=(--exclude times/t_2147483648 --exclude times/t_4102444799 --exclude special/socket)
RR_KERNEL=(--view rr --allow-extra-empty .rr_moved --hardlinks none "${KERNEL[@]}"
	--exclude special/block_big --exclude special/char_big)
JOLIET_KERNEL=(--view joliet --no-mode --no-owner --name-form strip-version,strip-dot
	"${KERNEL[@]}" --exclude names/... --exclude readme.txt)
ISO_KERNEL=(--no-mode --no-owner "${KERNEL[@]}")
# The udf driver (fs/udf) and UDF itself:
#  - UDF names are Unicode (OSTA CS0): mkimage records a name that is not UTF-8 as
#    Latin-1, so the kernel shows its UTF-8 form (bad_\377 as bad_ÿ; fix_names.py
#    --latin1), and a symlink target that is not UTF-8 the same way (left out);
#  - a 255-byte UTF-8 name comes out shortened, with "#CRC" appended (fs/udf/unicode.c;
#    --prefix);
#  - the driver refuses a symlink whose path component records exceed one block
#    (fs/udf/symlink.c: ENAMETOOLONG), so links/many cannot be read;
#  - UDF dates go past 2038: no exclusion there; hard links are one file entry, one inode.
UDF_KERNEL=(--view rr --exclude special/socket --exclude links/many --exclude links/invalid_utf8)
MOUNTS=(
	"all-rr|all|iso9660||${RR_KERNEL[*]}"
	"all-joliet|all|iso9660|norock|${JOLIET_KERNEL[*]}"
	"all-iso|all|iso9660|norock,nojoliet,map=off|--view iso --iso-level 3 --rr-present ${ISO_KERNEL[*]} --exclude deep --allow-extra RR_MOVED"
	"l1-iso|l1|iso9660|norock,nojoliet,map=off|--view iso --iso-level 1 ${ISO_KERNEL[*]}"
	"l1-map|l1|iso9660|norock,nojoliet|count"
	"l2-iso|l2|iso9660|norock,nojoliet,map=off|--view iso --iso-level 2 ${ISO_KERNEL[*]}"
	"l2-map|l2|iso9660|norock,nojoliet|count"
	"l3-iso|l3|iso9660|norock,nojoliet,map=off|--view iso --iso-level 3 ${ISO_KERNEL[*]}"
	"l3-map|l3|iso9660|norock,nojoliet|count"
	"joliet-j|joliet|iso9660||${JOLIET_KERNEL[*]}"
	"rr-rr|rr|iso9660||${RR_KERNEL[*]}"
)
# UDF, when this mkimage makes it: every revision, pure and bridged with ISO 9660.
if "$MKIMAGE" --help 2>&1 | grep -q -- '--udf-rev'; then
	# OSTA CS0 holds at most 254 Latin-1 characters a name (UDF 2.60 2.1.1): mkimage
	# refuses the 255-byte name and symlink component. Characters above U+FFFF are written
	# as surrogate pairs in every revision; the kernel reads them, checked here with 2.60.
	# Pure UDF images keep symlinks and special files with --udf-special only.
	UDFSRC=$SCRATCH/udfsrc
	copy_tree "$SRC" "$UDFSRC"
	rm "$UDFSRC/links/comp255" "$UDFSRC/names/$L255"
	UDFBMP=$SCRATCH/udfbmp
	copy_tree "$UDFSRC" "$UDFBMP"
	rm "$UDFBMP/links/utf8" "$UDFBMP/names/emoji_😀.txt"
	for rev in 1.02 1.50 2.00 2.01 2.50 2.60; do
		src=$UDFBMP
		[ "$rev" = 2.60 ] && src=$UDFSRC
		IMAGES+=("udf$rev|--fs udf --udf-special --udf-rev $rev|$src"
			"bridge$rev|--fs iso9660,joliet,rockridge,udf --udf-rev $rev|$src")
		MOUNTS+=("udf$rev|udf$rev|udf||${UDF_KERNEL[*]}"
			"bridge$rev-udf|bridge$rev|udf||${UDF_KERNEL[*]}"
			"bridge$rev-rr|bridge$rev|iso9660||${RR_KERNEL[*]}")
	done
else
	it_log "# mkimage makes no UDF yet (no --udf-rev in --help): UDF mounts skipped"
fi
# A bootable image (El Torito, a no-emulation BIOS entry with a boot info table): the
# kernel mounts it like any other; the boot image and the catalog live in /boot.images,
# the one extra directory allowed. (Booting itself: tests/integration/boot_*.sh.)
if "$MKIMAGE" --help 2>&1 | grep -q -- '--boot-bios'; then
	BOOTIMG=$SCRATCH/bios.img
	head -c 2048 /dev/zero | tr '\0' '\220' >"$BOOTIMG"
	IMAGES+=("boot|--boot-bios $BOOTIMG --boot-info-table --boot-catalog boot.images/boot.cat|$SRC")
	MOUNTS+=("boot-rr|boot|iso9660||${RR_KERNEL[*]} --allow-extra boot.images")
fi

IMG=$SCRATCH/img
mkdir -p "$IMG"
export SOURCE_DATE_EPOCH=
unset SOURCE_DATE_EPOCH
for e in "${IMAGES[@]}"; do
	IFS='|' read -r name opts src <<<"$e"
	# shellcheck disable=SC2086
	check "mkimage makes $name ($opts)" mkimg -o "$IMG/$name.iso" $opts "$src"
done

# The guest's script: mount each, tar it out (pax keeps times before 1970 and owners of
# any size), record the mount line and the kernel log.
GS=$SCRATCH/guest.sh
{
	echo '#!/bin/sh'
	echo 'cd "$GUESTIO"; mkdir -p /run/dm-mnt'  # the guest's own /run: /tmp is the host's, under an overlay
	for e in "${MOUNTS[@]}"; do
		IFS='|' read -r name img type mopts _ <<<"$e"
		[ -f "$IMG/$img.iso" ] || continue
		skip=
		[ "$img" = multi ] && skip="--exclude=./huge.bin"
		cat <<EOF
mkdir /run/dm-mnt/$name
if mount -o loop,ro${mopts:+,$mopts} -t $type '$IMG/$img.iso' /run/dm-mnt/$name 2>$name.mount-err; then
	grep " /run/dm-mnt/$name " /proc/mounts >$name.mount
	tar --format=posix --numeric-owner $skip -cf $name.tar -C /run/dm-mnt/$name . 2>$name.tar-err || echo "\$?" >$name.tar-rc
	# Unmount now: mount(8) would reuse the loop device of an image still mounted, and
	# the kernel its superblock, so the next options would silently not apply.
	umount /run/dm-mnt/$name
fi
EOF
	done
	# The multi-extent file: its size, time and the 64 KiB regions with data.
	echo "mkdir /run/dm-mnt/multi && mount -o loop,ro -t iso9660 '$IMG/multi.iso' /run/dm-mnt/multi &&"
	echo "  stat -c '%s %Y %a' /run/dm-mnt/multi/huge.bin >multi.stat &&"
	for off in 0 $((G4 - 65536)) $((G4 - 2048)) $((BIGSIZE - 70000)); do
		echo "  dd if=/run/dm-mnt/multi/huge.bin of=multi.$off bs=65536 skip=$off count=1 iflag=skip_bytes status=none &&"
	done
	echo "  echo ok >multi.done"
	echo 'dmesg >dmesg; dmesg -l emerg,alert,crit,err,warn >dmesg.warn'
	echo 'for d in /run/dm-mnt/*; do umount "$d" 2>/dev/null; done; exit 0'
} >"$GS"

OUTD=$SCRATCH/out
if ! guest_run "$OUTD" "$GS" -t 150; then
	fail "the guest run failed"
	sed 's/^/    /' "$OUTD.runner" | tail -n 30
	it_finish
fi

X=$SCRATCH/x
mkdir -p "$X"
for e in "${MOUNTS[@]}"; do
	IFS='|' read -r name img type mopts copts <<<"$e"
	[ -f "$IMG/$img.iso" ] || continue
	desc="$img.iso mounted -t $type${mopts:+ -o $mopts}"
	if [ ! -s "$OUTD/$name.tar" ]; then
		fail "$desc: $(cat "$OUTD/$name.mount-err" "$OUTD/$name.tar-err" 2>/dev/null | head -c 600)"
		continue
	fi
	if [ "$copts" = count ]; then
		# The default name mapping: as many entries as the map=off view.
		check "$desc: as many names as the recorded ones" test \
			"$(tar -tf "$OUTD/$name.tar" | wc -l)" = "$(tar -tf "$OUTD/${name%-map}-iso.tar" | wc -l)"
		continue
	fi
	mkdir "$X/$name"
	tar --warning=no-timestamp --numeric-owner --same-owner -xpf "$OUTD/$name.tar" -C "$X/$name" ||
		{ fail "$desc: cannot extract the tar"; continue; }
	src=$SRC
	[ "$img" = l1 ] || [ "$img" = l2 ] || [ "$img" = l3 ] || [ "$img" = joliet ] && src=$FLAT
	[ "$img" = multi ] && src=$BIG
	case $img in udf2.60 | bridge2.60) src=$UDFSRC ;; udf* | bridge*) src=$UDFBMP ;; esac
	extra=()
	[ "$img" = multi ] && extra=(--exclude huge.bin)
	# Names the kernel shows in another, predictable form (see above) get their source
	# name back, so that the rest of them is compared.
	fix=()
	[ "$type" = iso9660 ] && [[ " $copts " == *" --view rr "* ]] && fix=(--prefix)
	[ "$type" = udf ] && fix=(--prefix --latin1)
	if [ ${#fix[@]} -gt 0 ]; then
		"$IT_PY" "$GUEST_DIR/fix_names.py" "$src" "$X/$name" "${fix[@]}" | sed 's/^/# /'
	fi
	# shellcheck disable=SC2086
	check "$desc: the tree equals the source ($(cut -d' ' -f4 "$OUTD/$name.mount" | cut -c1-80))" \
		compare "$src" "$X/$name" $copts "${extra[@]}"
done

# The multi-extent file, read by the kernel across its extents.
if [ -f "$OUTD/multi.done" ]; then
	check "multi-extent: size, mtime and mode of the 4.3 GiB file" \
		test "$(cat "$OUTD/multi.stat")" = "$(stat -c '%s %Y %a' "$BIG/huge.bin")"
	for off in 0 $((G4 - 65536)) $((G4 - 2048)) $((BIGSIZE - 70000)); do
		check "multi-extent: the 64 KiB at $off read back" \
			cmp "$OUTD/multi.$off" <(dd if="$BIG/huge.bin" bs=65536 skip="$off" count=1 iflag=skip_bytes status=none)
	done
else
	fail "multi-extent: the guest could not read the 4.3 GiB file"
fi

# The kernel log: nothing from isofs or udf but the block-size probing.
bad=$(grep -iE 'isofs|iso9660|udf|rock ?ridge|joliet' "$OUTD/dmesg.warn" |
	grep -v 'UDF-fs: warning (device loop[0-9]*): udf_load_vrs: No anchor found' || true)
check "no isofs/udf warning in the kernel log" test -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | head -20 | sed 's/^/    /'
it_finish
