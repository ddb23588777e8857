#!/bin/bash
# The main round trip: a rich tree (names of every kind, modes, owners, times, symlinks,
# hard links, devices, FIFOs, empty and large and deep directories) goes through mkimage,
# and independent readers must show the source again in each view:
#   Rock Ridge  xorriso, bsdtar, pycdlib, isoinfo -R, 7z (7z on an image without Joliet)
#   Joliet      xorriso, bsdtar, pycdlib, isoinfo -J, 7z
#   ISO 9660    xorriso, bsdtar, pycdlib, isoinfo, 7z (an image without RR and Joliet),
#               and pycdlib and isoinfo on the ISO 9660 records of the Rock Ridge image;
#   symlink targets of ~3.8 KB (several chained continuation areas): bsdtar and xorriso
#               only, as pycdlib and isoinfo cannot open such an image at all (below).
# Where a reader cannot carry an attribute the comparison is relaxed for that reader only,
# with the reason next to it. Last, negative controls show the comparisons do fail.
. "$(dirname "$0")/lib.sh"
it_init iso_readers
require_tools xorriso isoinfo 7z bsdtar pycdlib

SRC=$SCRATCH/src
FLAT=$SCRATCH/flat
HUGE=$SCRATCH/huge
make_rich_tree "$SRC"
# The ISO-only image gets the same tree; its deep chain stays in place as in every image
# (deep directories are relocated only with --rr-relocate, iso_deep.sh).
copy_tree "$SRC" "$FLAT"
touch -d @1800000000 "$FLAT"
# Symlink targets of ~3.8 KB, in an image of their own (see below).
mkdir -p "$HUGE"
copy_tree "$SRC/links" "$HUGE/links"
copy_tree "$SRC/README.txt" "$HUGE/README.txt"
add_huge_symlinks "$HUGE"
touch -d @1800000000 "$HUGE"

ALL=$SCRATCH/all.iso    # iso9660 + joliet + rockridge (the default)
RRONLY=$SCRATCH/rr.iso  # iso9660 + rockridge: 7z shows Rock Ridge only without Joliet
ISO=$SCRATCH/iso.iso    # iso9660 alone
check "mkimage makes the default image (ISO 9660 + Joliet + Rock Ridge)" mkimg -o "$ALL" "$SRC" ||
	{ it_finish; }
check "mkimage makes an ISO 9660 + Rock Ridge image" mkimg -o "$RRONLY" --fs iso9660,rockridge "$SRC"
check "mkimage makes a plain ISO 9660 image" mkimg -o "$ISO" --fs iso9660 "$FLAT"
# Left out without Rock Ridge, with a warning (mkimage.1).
check "the plain ISO 9660 image warns that symlinks and special files are left out" \
	grep -qiE 'link|special|left out|omit' "$SCRATCH/mkimage.err"

X=$SCRATCH/x
mkdir -p "$X"
# isoinfo extracts one file per run (1300+ runs per view): its four listings run in the
# background while the other readers work.
bg_run isoinfo sh -c '
	"$1" isoinfo --view rr "$2" "$4/isoinfo-rr.json" &&
	"$1" isoinfo --view joliet "$2" "$4/isoinfo-joliet.json" &&
	"$1" isoinfo --view iso "$3" "$4/isoinfo-iso.json" &&
	"$1" isoinfo --view iso "$2" "$4/isoinfo-iso-all.json"' sh \
	"$IT_DIR/reader_manifest.py" "$ALL" "$ISO" "$X"
# The deep chain (14 levels) is at its real place in every view, for readers with and
# without CL/PL/RE support alike: nothing is relocated by default (iso_deep.sh checks
# --rr-relocate), so no reader's comparison leaves it out.
# isoinfo's listing: uid and gid are printed in octal into 4-character columns that run
# into each other ("%4lo %4lo", diag/isoinfo.c dump_stat): a uid of 6+ octal digits is
# overwritten by the gid, a gid of 11 digits by the size.
ISOINFO_OWNER=(--uid-max 32768 --gid-max 1073741824)

# ----- Rock Ridge view -------------------------------------------------------------------
# xorriso and bsdtar: "${XORRISO_RR[@]}" and "${BSDTAR_RR[@]}" (lib.sh says why)
if xorriso_extract rr "$ALL" "$X/xorriso-rr"; then
	check "Rock Ridge via xorriso" compare "$SRC" "$X/xorriso-rr" "${XORRISO_RR[@]}"
else
	fail "Rock Ridge via xorriso: extraction failed"
fi

if bsdtar_extract rr "$ALL" "$X/bsdtar-rr" 2>"$X/bsdtar-rr.err"; then
	check "Rock Ridge via bsdtar" compare "$SRC" "$X/bsdtar-rr" "${BSDTAR_RR[@]}"
else
	fail "Rock Ridge via bsdtar: extraction failed: $(head -c 2000 "$X/bsdtar-rr.err")"
fi

# The same reader on the image without Joliet (where the continuation areas follow the
# primary directories directly): tells a layout problem from a Rock Ridge one.
if bsdtar_extract rr "$RRONLY" "$X/bsdtar-rronly" 2>"$X/bsdtar-rronly.err"; then
	check "Rock Ridge via bsdtar, image without Joliet" compare "$SRC" "$X/bsdtar-rronly" \
		"${BSDTAR_RR[@]}"
else
	fail "Rock Ridge via bsdtar, image without Joliet: extraction failed: $(head -c 2000 "$X/bsdtar-rronly.err")"
fi

check "Rock Ridge via pycdlib (and its CL/RE/PL consistency checks)" \
	pycdlib_extract rr "$ALL" "$X/pycdlib-rr" &&
	check "Rock Ridge via pycdlib: same tree" compare "$SRC" "$X/pycdlib-rr"

if check "7z lists the ISO 9660 + Rock Ridge image" sevenzip_manifest "$RRONLY" "$X/7z-rr.json" &&
	check "pycdlib lists the entries whose Rock Ridge data uses continuation areas" \
		"$IT_PY" "$IT_DIR/pycdlib_extract.py" --view rr --list-ce "$X/ce.json" "$RRONLY"; then
	# 7z reads only the System Use field of each record itself, never continuation areas
	# (CE): entries with names, targets or attributes continued there are left out. It
	# shows no owners, device numbers or links, has no CL/PL/RE support, drops a name's
	# trailing '.' (so "..." shows as ".." and its data cannot be extracted).
	check "Rock Ridge via 7z" compare_manifest "$SRC" "$X/7z-rr.json" \
		--ce-unsupported "$X/ce.json" --no-owner --no-rdev --hardlinks none \
		--name-form strip-dot --no-content-for names/..
fi

# ----- Joliet view -----------------------------------------------------------------------
# Joliet holds names, files, directories and dates: no modes, owners, symlinks, devices.
# Hard links may come out as links (same extent) but never between unrelated files.
JOLIET=(--view joliet --no-mode --no-owner)
if xorriso_extract joliet "$ALL" "$X/xorriso-joliet"; then
	check "Joliet via xorriso" compare "$SRC" "$X/xorriso-joliet" "${JOLIET[@]}"
else
	fail "Joliet via xorriso: extraction failed"
fi
if bsdtar_extract joliet "$ALL" "$X/bsdtar-joliet" 2>"$X/bsdtar-joliet.err"; then
	# libarchive drops the ";1" of file identifiers, and its UTF-16 conversion composes
	# characters (NFC: "e" + U+0301 comes out as U+00E9)
	check "Joliet via bsdtar" compare "$SRC" "$X/bsdtar-joliet" "${JOLIET[@]}" \
		--name-form strip-version,nfc
else
	fail "Joliet via bsdtar: extraction failed: $(head -c 2000 "$X/bsdtar-joliet.err")"
fi
check "Joliet via pycdlib" pycdlib_extract joliet "$ALL" "$X/pycdlib-joliet" &&
	check "Joliet via pycdlib: same tree" compare "$SRC" "$X/pycdlib-joliet" "${JOLIET[@]}"
if check "7z lists the default image (Joliet)" sevenzip_manifest "$ALL" "$X/7z-joliet.json"; then
	# 7z shows the Joliet tree when there is one, without ";1" and a trailing '.'
	check "Joliet via 7z" compare_manifest "$SRC" "$X/7z-joliet.json" "${JOLIET[@]}" \
		--name-form strip-version,strip-dot --no-content-for names/..
fi

# ----- ISO 9660 view ---------------------------------------------------------------------
# Identifiers as mkimage/iso/iso_names.h defines them for level 3; no modes or owners; symlinks
# and special files are left out without Rock Ridge.
ISOV=(--view iso --iso-level 3 --no-mode --no-owner)
if xorriso_extract iso "$ISO" "$X/xorriso-iso"; then
	check "ISO 9660 via xorriso" compare "$FLAT" "$X/xorriso-iso" "${ISOV[@]}"
else
	fail "ISO 9660 via xorriso: extraction failed"
fi
if bsdtar_extract iso "$ISO" "$X/bsdtar-iso" 2>"$X/bsdtar-iso.err"; then
	# libarchive drops ";1" and then a trailing '.' ("NAME.;1" -> "NAME")
	check "ISO 9660 via bsdtar" compare "$FLAT" "$X/bsdtar-iso" "${ISOV[@]}" \
		--name-form strip-version,strip-dot
else
	fail "ISO 9660 via bsdtar: extraction failed: $(head -c 2000 "$X/bsdtar-iso.err")"
fi
check "ISO 9660 via pycdlib" pycdlib_extract iso "$ISO" "$X/pycdlib-iso" &&
	check "ISO 9660 via pycdlib: same tree" compare "$FLAT" "$X/pycdlib-iso" "${ISOV[@]}"
if check "7z lists the plain image" sevenzip_manifest "$ISO" "$X/7z-iso.json"; then
	check "ISO 9660 via 7z" compare_manifest "$FLAT" "$X/7z-iso.json" "${ISOV[@]}" \
		--name-form strip-version,strip-dot
fi

# The ISO 9660 records of the Rock Ridge image: every entry has one (symlinks and special
# files as empty files, since their Rock Ridge entries ride on them), the deep chain in place.
ISORR=(--view iso --rr-present --no-mode --no-owner)
check "ISO 9660 records of the default image via pycdlib" \
	pycdlib_extract iso "$ALL" "$X/pycdlib-iso-all" &&
	check "ISO 9660 records of the default image via pycdlib: same tree" \
		compare "$SRC" "$X/pycdlib-iso-all" "${ISORR[@]}"

# ----- isoinfo (its listings ran in the background) -------------------------------------
# isoinfo -l shows the type and the rwx bits only (no set-id or sticky bits), the day of the
# ISO 9660 record date instead of the Rock Ridge mtime, no device numbers; it has no
# CL/PL/RE support; uid/gid columns overflow (above). In Joliet it prints each UCS-2
# character as one ISO-8859-1 byte ('_' above U+00FF).
if bg_check isoinfo "isoinfo lists the default image (-R, -J, plain) and the plain ISO 9660 image"; then
	check "Rock Ridge via isoinfo -R" compare_manifest "$SRC" "$X/isoinfo-rr.json" \
		"${ISOINFO_OWNER[@]}" --mode-mask 0777 --no-mtime --no-rdev \
		--nlink --no-empty-hardlinks
	check "Joliet via isoinfo -J" compare_manifest "$SRC" "$X/isoinfo-joliet.json" \
		"${JOLIET[@]}" --name-form latin1 --no-mtime
	check "ISO 9660 via isoinfo" compare_manifest "$FLAT" "$X/isoinfo-iso.json" "${ISOV[@]}" \
		--no-mtime
	check "ISO 9660 records of the default image via isoinfo" \
		compare_manifest "$SRC" "$X/isoinfo-iso-all.json" "${ISORR[@]}" --no-mtime
fi

# ----- symlink targets needing several continuation areas -------------------------------
# pycdlib 1.12 refuses to open an image with a record whose continuation area continues
# again ("Only single CE record supported"), isoinfo overflows its 2048-byte buffer for
# "-> target" (diag/isoinfo.c parse_rr) and crashes, 7z reads no continuation areas at all,
# and libisofs stops at 1023 bytes: bsdtar is the one reader here for these targets.
if check "mkimage makes the image with ~3.8 KB symlink targets" mkimg -o "$SCRATCH/huge.iso" "$HUGE"; then
	if bsdtar_extract rr "$SCRATCH/huge.iso" "$X/bsdtar-huge" 2>"$X/bsdtar-huge.err"; then
		check "Rock Ridge via bsdtar, with ~3.8 KB symlink targets" compare "$HUGE" "$X/bsdtar-huge"
	else
		fail "~3.8 KB symlink targets via bsdtar: extraction failed: $(head -c 2000 "$X/bsdtar-huge.err")"
	fi
	if xorriso_extract rr "$SCRATCH/huge.iso" "$X/xorriso-huge"; then
		check "xorriso loads everything else of the image with ~3.8 KB symlink targets" \
			compare "$HUGE" "$X/xorriso-huge" "${XORRISO_RR[@]}"
	else
		fail "~3.8 KB symlink targets: xorriso extraction failed"
	fi
fi

# ----- grafts (DEST=SRC) and --follow-links ----------------------------------------------
G=$SCRATCH/graft.iso
if check "mkimage with grafts: a file at docs/readme.txt, a directory at tree, one at /" \
	mkimg -o "$G" "docs/readme.txt=$SRC/README.txt" "tree=$SRC/perms" "/=$SRC/hardlinks"; then
	if pycdlib_extract rr "$G" "$X/graft"; then
		check "graft: the file is at docs/readme.txt with its attributes" \
			compare "$SRC/README.txt" "$X/graft/docs/readme.txt" --root-attrs
		check "graft: the directory is at tree" compare "$SRC/perms" "$X/graft/tree"
		check "graft: the contents of the / graft are at the root" \
			compare "$SRC/hardlinks" "$X/graft" --allow-extra docs --allow-extra tree
	else
		fail "graft: pycdlib extraction failed"
	fi
fi
# --follow-links: what links point to is stored, a dangling link stays a link.
FL=$SCRATCH/follow
OUTSIDE=$SCRATCH/outside
mkdir -p "$FL" "$OUTSIDE/dir"
printf 'target\n' >"$OUTSIDE/target.txt"
printf 'inner\n' >"$OUTSIDE/dir/inner.txt"
chmod 0604 "$OUTSIDE/target.txt"
touch -d @1400000000 "$OUTSIDE/target.txt" "$OUTSIDE/dir/inner.txt" "$OUTSIDE/dir"
ln -s ../outside/target.txt "$FL/l_file"
ln -s ../outside/dir "$FL/l_dir"
ln -s nowhere "$FL/l_dangling"
printf 'plain\n' >"$FL/plain.txt"
touch -h -d @1400000001 "$FL"/*
touch -d @1400000002 "$FL"
FLX=$SCRATCH/follow-expected
mkdir -p "$FLX"
cp -a "$FL/plain.txt" "$FL/l_dangling" "$FLX/"
cp -a "$OUTSIDE/target.txt" "$FLX/l_file"
cp -a "$OUTSIDE/dir" "$FLX/l_dir"
touch -d @1400000002 "$FLX"
if check "mkimage --follow-links" mkimg -o "$SCRATCH/follow.iso" --follow-links "$FL"; then
	pycdlib_extract rr "$SCRATCH/follow.iso" "$X/follow" &&
		check "--follow-links: link targets stored as files and directories, dangling link kept (pycdlib)" \
			compare "$FLX" "$X/follow"
	xorriso_extract rr "$SCRATCH/follow.iso" "$X/follow-xorriso" &&
		check "--follow-links: the same via xorriso" compare "$FLX" "$X/follow-xorriso" "${XORRISO_RR[@]}"
fi
if check "mkimage without --follow-links keeps the links" mkimg -o "$SCRATCH/nofollow.iso" "$FL"; then
	pycdlib_extract rr "$SCRATCH/nofollow.iso" "$X/nofollow" &&
		check "without --follow-links: the links are links (pycdlib)" compare "$FL" "$X/nofollow"
fi

# ----- negative controls: the comparisons above must be able to fail --------------------
CTL=$SCRATCH/ctl
mkdir -p "$CTL"
copy_tree "$SRC/big.bin" "$CTL/big.bin"
copy_tree "$SRC/perms" "$CTL/perms"
touch -d @1800000000 "$CTL"
check "control image" mkimg -o "$SCRATCH/ctl.iso" "$CTL"
BAD=$SCRATCH/bad.iso
cp "$SCRATCH/ctl.iso" "$BAD"
# one byte inside big.bin's data, found from isoinfo's listing ([extent] column)
ext=$(isoinfo -R -l -i "$BAD" | awk '$NF == "big.bin" && /^-/ { gsub(/[][]/, " "); print $(NF-2); exit }')
if [ -n "$ext" ]; then
	mkdir "$X/bad"
	bsdtar_extract rr "$BAD" "$X/bad/bsdtar-good" 2>/dev/null
	check "control: the uncorrupted image compares equal (bsdtar)" compare "$CTL" "$X/bad/bsdtar-good"
	printf '\377' | dd of="$BAD" bs=1 seek=$((ext * 2048 + 777)) conv=notrunc status=none
	bsdtar_extract rr "$BAD" "$X/bad/bsdtar" 2>/dev/null
	check_fails "control: a corrupted byte in big.bin is noticed (bsdtar)" compare "$CTL" "$X/bad/bsdtar"
	pycdlib_extract rr "$BAD" "$X/bad/pycdlib" 2>/dev/null
	check_fails "control: a corrupted byte in big.bin is noticed (pycdlib)" compare "$CTL" "$X/bad/pycdlib"
else
	fail "control: cannot find big.bin's extent in isoinfo's listing"
fi
# a source that differs from what was imaged, one attribute at a time, against pycdlib's
# extraction (which compared equal above)
copy_tree "$SRC" "$SCRATCH/src2"
touch -d @1000000005 "$SCRATCH/src2/README.txt"
check_fails "control: a changed mtime is noticed" compare "$SCRATCH/src2" "$X/pycdlib-rr"
touch -d @1000000000 "$SCRATCH/src2/README.txt"
chmod 0640 "$SCRATCH/src2/perms/m0600"
check_fails "control: a changed mode is noticed" compare "$SCRATCH/src2" "$X/pycdlib-rr"
chmod 0600 "$SCRATCH/src2/perms/m0600"
chown 1235 "$SCRATCH/src2/owners/u1234_g5678"
check_fails "control: a changed owner is noticed" compare "$SCRATCH/src2" "$X/pycdlib-rr"
chown 1234 "$SCRATCH/src2/owners/u1234_g5678"
ln -sfn ../README.txT "$SCRATCH/src2/links/rel"
touch -h -d @1500000000 "$SCRATCH/src2/links/rel"
chown -h 1234:5678 "$SCRATCH/src2/links/rel"
touch -d @1500000000 "$SCRATCH/src2/links"
check_fails "control: a changed symlink target is noticed" compare "$SCRATCH/src2" "$X/pycdlib-rr"
ln -sfn ../README.txt "$SCRATCH/src2/links/rel"
touch -h -d @1500000000 "$SCRATCH/src2/links/rel"
chown -h 1234:5678 "$SCRATCH/src2/links/rel"
touch -d @1500000000 "$SCRATCH/src2/links"
check "control: the restored copy compares equal" compare "$SCRATCH/src2" "$X/pycdlib-rr"
rm "$SCRATCH/src2/hardlinks/y.bin"
cp -p "$SCRATCH/src2/hardlinks/x.bin" "$SCRATCH/src2/hardlinks/y.bin"
touch -d @1800000000 "$SCRATCH/src2/hardlinks"
check_fails "control: a broken hard link is noticed" compare "$SCRATCH/src2" "$X/pycdlib-rr"
check "control: the unchanged source still compares equal" compare "$SRC" "$X/pycdlib-rr"
mv "$SCRATCH/src2/names/café.txt" "$SCRATCH/src2/names/cafe.txt"
touch -d @1234500000 "$SCRATCH/src2/names"
check_fails "control: a renamed file is noticed in the Joliet view" \
	compare "$SCRATCH/src2" "$X/pycdlib-joliet" "${JOLIET[@]}"

it_finish
