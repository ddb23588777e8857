#!/bin/bash
# Deep trees. ECMA-119 6.8.2.1 allows eight directory levels (the root is level 1):
# - by default (as xorriso, and mkisofs -D) deeper directories stay at their place in every
#   hierarchy, so that readers without Rock Ridge relocation (GRUB, libcdio, pycdlib, 7z)
#   reach them: xorriso, bsdtar, pycdlib, isoinfo and 7z read the whole 24-level tree in
#   the Rock Ridge, Joliet and ISO 9660 views, and a plain ISO 9660 image of it;
# - with --rr-relocate (for strict ECMA-119 readers) they are relocated (CL/PL/RE) into
#   .rr_moved, and Rock Ridge readers that implement relocation show them at their real
#   place, with their own attributes, symlinks and hard links; the ISO 9660 hierarchy itself
#   stays within eight levels; Joliet shows them at their real place;
# - with --rr-relocate and without Rock Ridge, a tree deeper than eight levels is refused
#   (non-zero exit, a message, no output left), and one of exactly eight levels is accepted.
. "$(dirname "$0")/lib.sh"
it_init iso_deep
require_tools xorriso isoinfo bsdtar pycdlib 7z

SRC=$SCRATCH/src
mkdir -p "$SRC"
(
	set -e
	cd "$SRC"
	p=a
	mkdir a
	printf 'level 2\n' >a/f.txt
	for i in $(seq 3 24); do
		p="$p/d$i"
		mkdir "$p"
		printf 'level %d\n' "$i" >"$p/f$i.txt"
	done
	# three siblings relocated from the same parent; one of them empty, one with a long name
	b=a/d3/d4/d5/d6/d7/d8
	mkdir "$b/x1" "$b/empty" "$b/$(printf 'L%.0s' $(seq 200))"
	printf 'x1\n' >"$b/x1/file"
	printf 'long\n' >"$b/$(printf 'L%.0s' $(seq 200))/file"
	# the same name relocated from two places: distinct in .rr_moved's ISO 9660 names
	mkdir -p b/c/d/e/f/g/h/same a/d3/d4/d5/d6/d7/d8/same
	printf 'b same\n' >b/c/d/e/f/g/h/same/which
	printf 'a same\n' >a/d3/d4/d5/d6/d7/d8/same/which
	# a relocated directory with its own attributes (must come from consistent records)
	mkdir b/c/d/e/f/g/h/attrs
	printf 'secret\n' >b/c/d/e/f/g/h/attrs/file
	chown 1234:5678 b/c/d/e/f/g/h/attrs
	chmod 0710 b/c/d/e/f/g/h/attrs
	# symlinks in and out of relocated directories, and a hard link across them
	ln -s ../../f10.txt a/d3/d4/d5/d6/d7/d8/d9/d10/d11/up
	ln -s d3/d4/d5/d6/d7/d8/d9/d10/d11/d12 a/down
	ln a/d3/d4/d5/d6/d7/d8/d9/d10/d11/f11.txt a/hardlink_to_f11
	# exactly eight levels next to it (e8 is level 8): never relocated
	mkdir -p e2/e3/e4/e5/e6/e7/e8
	printf 'level 8\n' >e2/e3/e4/e5/e6/e7/e8/file
	find . -mindepth 1 -exec touch -h -d @1600000000 {} +
	find . -mindepth 1 -type d -exec touch -d @1650000000 {} +
	touch -d @1655555555 b/c/d/e/f/g/h/attrs
	touch -d @1650000000 .
)
[ $? -eq 0 ] || die "cannot build the source tree"

X=$SCRATCH/x
mkdir -p "$X"

# ----- the default: deep directories in place ---------------------------------------------
DEF=$SCRATCH/inplace.iso
DEFRR=$SCRATCH/inplace-rr.iso
PLAIN=$SCRATCH/inplace-plain.iso
check "mkimage makes an image of a 24-level tree (default: in place)" mkimg -o "$DEF" "$SRC" || it_finish
check "mkimage makes an ISO 9660 + Rock Ridge image of it" mkimg -o "$DEFRR" --fs iso9660,rockridge "$SRC"
check "mkimage makes a plain ISO 9660 image of it" mkimg -o "$PLAIN" --fs iso9660 "$SRC"
check "ISO 9660 hierarchy: 24 levels, no RR_MOVED" sh -c '
	isoinfo -f -i "$1" >"$2" || exit 1
	! grep -q RR_MOVED "$2" || exit 1
	awk -F/ "{ d = NF - 1 } d > m { m = d; p = \$0 } END { print \"deepest:\", m, p; exit m != 24 }" "$2"
' sh "$DEF" "$X/inplace-f.txt"
check "ISO 9660 hierarchy: the level-24 file in place" \
	grep -qx '/A/D3/D4/D5/D6/D7/D8/D9/D10/D11/D12/D13/D14/D15/D16/D17/D18/D19/D20/D21/D22/D23/D24/F24.TXT;1' \
	"$X/inplace-f.txt"
# isoinfo lists files with one run and extracts each with another: in the background.
bg_run isoinfo sh -c '
	"$1" isoinfo --view rr "$2" "$4/isoinfo-rr.json" &&
	"$1" isoinfo --view joliet "$2" "$4/isoinfo-joliet.json" &&
	"$1" isoinfo --view iso "$3" "$4/isoinfo-iso.json"' sh \
	"$IT_DIR/reader_manifest.py" "$DEF" "$PLAIN" "$X"
xorriso_extract rr "$DEF" "$X/in-xorriso" &&
	check "in place, Rock Ridge via xorriso: the whole tree" \
		compare "$SRC" "$X/in-xorriso" "${XORRISO_RR[@]}"
bsdtar_extract rr "$DEF" "$X/in-bsdtar" &&
	check "in place, Rock Ridge via bsdtar: the whole tree" \
		compare "$SRC" "$X/in-bsdtar" "${BSDTAR_RR[@]}"
pycdlib_extract rr "$DEF" "$X/in-pycdlib" &&
	check "in place, Rock Ridge via pycdlib (no CL support): the whole tree" \
		compare "$SRC" "$X/in-pycdlib"
JOLIET=(--view joliet --no-mode --no-owner)
pycdlib_extract joliet "$DEF" "$X/in-pycdlib-joliet" &&
	check "in place, Joliet via pycdlib: the whole tree" \
		compare "$SRC" "$X/in-pycdlib-joliet" "${JOLIET[@]}"
# 7z shows Joliet when there is one, Rock Ridge in an image without Joliet; it reads no
# owners or device numbers, shows no hard links, drops a name's trailing '.'.
if check "7z lists the default image" sevenzip_manifest "$DEF" "$X/in-7z-joliet.json"; then
	check "in place, Joliet via 7z: the whole tree" compare_manifest "$SRC" "$X/in-7z-joliet.json" \
		"${JOLIET[@]}" --name-form strip-version,strip-dot
fi
# It never reads continuation areas: the 200-character name (in one) is left out.
if check "7z lists the ISO 9660 + Rock Ridge image" sevenzip_manifest "$DEFRR" "$X/in-7z-rr.json" &&
	check "pycdlib lists the entries whose Rock Ridge data uses continuation areas" \
		"$IT_PY" "$IT_DIR/pycdlib_extract.py" --view rr --list-ce "$X/in-ce.json" "$DEFRR"; then
	check "in place, Rock Ridge via 7z: the whole tree" compare_manifest "$SRC" "$X/in-7z-rr.json" \
		--ce-unsupported "$X/in-ce.json" --no-owner --no-rdev --hardlinks none --name-form strip-dot
fi
# The plain ISO 9660 image: no modes or owners, symlinks left out (no Rock Ridge), the
# rest at its place.
ISOV=(--view iso --iso-level 3 --no-mode --no-owner)
pycdlib_extract iso "$PLAIN" "$X/in-pycdlib-iso" &&
	check "in place, plain ISO 9660 via pycdlib: the whole tree" \
		compare "$SRC" "$X/in-pycdlib-iso" "${ISOV[@]}"
bsdtar_extract iso "$PLAIN" "$X/in-bsdtar-iso" &&
	check "in place, plain ISO 9660 via bsdtar: the whole tree" \
		compare "$SRC" "$X/in-bsdtar-iso" "${ISOV[@]}" --name-form strip-version,strip-dot
if check "7z lists the plain image" sevenzip_manifest "$PLAIN" "$X/in-7z-iso.json"; then
	check "in place, plain ISO 9660 via 7z: the whole tree" compare_manifest "$SRC" \
		"$X/in-7z-iso.json" "${ISOV[@]}" --name-form strip-version,strip-dot
fi
xorriso_extract iso "$PLAIN" "$X/in-xorriso-iso" &&
	check "in place, plain ISO 9660 via xorriso: the whole tree" \
		compare "$SRC" "$X/in-xorriso-iso" "${ISOV[@]}"
# isoinfo: type and rwx bits only, the record date (to the day), no CL support.
if bg_check isoinfo "isoinfo lists the in-place images (-R, -J, plain)"; then
	check "in place, Rock Ridge via isoinfo -R: the whole tree" compare_manifest "$SRC" \
		"$X/isoinfo-rr.json" --mode-mask 0777 --no-mtime --no-rdev --nlink --no-empty-hardlinks
	check "in place, Joliet via isoinfo -J: the whole tree" compare_manifest "$SRC" \
		"$X/isoinfo-joliet.json" "${JOLIET[@]}" --name-form latin1 --no-mtime
	check "in place, plain ISO 9660 via isoinfo: the whole tree" compare_manifest "$SRC" \
		"$X/isoinfo-iso.json" "${ISOV[@]}" --no-mtime
fi

# ----- --rr-relocate: into .rr_moved ------------------------------------------------------
IMG=$SCRATCH/deep.iso
RELOC=(--allow-extra-empty .rr_moved)
check "mkimage --rr-relocate makes an image of a 24-level tree" mkimg -o "$IMG" --rr-relocate "$SRC" || it_finish

# Rock Ridge: at the real place
if xorriso_extract rr "$IMG" "$X/xorriso"; then
	# what xorriso cannot carry: lib.sh XORRISO_RR
	check "Rock Ridge via xorriso: deep directories at their real place" \
		compare "$SRC" "$X/xorriso" "${RELOC[@]}" "${XORRISO_RR[@]}"
else
	fail "xorriso extraction failed"
fi
# libarchive follows a CL to its RE directory only while that directory's own relocated
# ancestor (if any) is not yet connected: nested relocation works or not depending on the
# order of the directories on the disc (see the report of this test's failure, if any).
if bsdtar_extract rr "$IMG" "$X/bsdtar" 2>"$X/bsdtar.err"; then
	check "Rock Ridge via bsdtar: deep directories at their real place" \
		compare "$SRC" "$X/bsdtar" "${RELOC[@]}" "${BSDTAR_RR[@]}"
else
	fail "Rock Ridge via bsdtar: extraction failed: $(head -c 1000 "$X/bsdtar.err")"
fi
check "pycdlib: CL, RE and PL entries consistent" pycdlib_extract rr "$IMG" "$X/pycdlib" &&
	check "Rock Ridge via pycdlib: deep directories at their real place" \
		compare "$SRC" "$X/pycdlib" "${RELOC[@]}"

# The ISO 9660 hierarchy: at most eight levels, the relocation directory RR_MOVED at the
# root holding the relocated directories, a placeholder file where each one really is.
check "ISO 9660 hierarchy of the Rock Ridge image has at most 8 levels" sh -c '
	isoinfo -f -i "$1" >"$2" || exit 1
	awk -F/ "{ d = NF - 1 } d > m { m = d; p = \$0 } END { print \"deepest:\", m, p; exit m > 8 }" "$2"
' sh "$IMG" "$X/isoinfo-f.txt"
check "ISO 9660 hierarchy: RR_MOVED at the root" grep -qx '/RR_MOVED' "$X/isoinfo-f.txt"
check "ISO 9660 hierarchy: placeholder for a relocated directory (file D9.;1 in D8)" \
	grep -qx '/A/D3/D4/D5/D6/D7/D8/D9.;1' "$X/isoinfo-f.txt"
check "ISO 9660 hierarchy: the two relocated 'same' directories have distinct names" sh -c '
	n=$(grep -cE "^/RR_MOVED/SAME[0-9]*\$" "$1"); echo "$n"; [ "$n" -eq 2 ]' sh "$X/isoinfo-f.txt"
# the whole ISO 9660 view with every relocated directory in RR_MOVED
check "ISO 9660 view (pycdlib): every file readable under its ISO 9660 name" \
	pycdlib_extract iso "$IMG" "$X/pycdlib-iso"

# Joliet has no relocation: the directories are at their real place
JOLIET=(--view joliet --no-mode --no-owner)
pycdlib_extract joliet "$IMG" "$X/pycdlib-joliet" &&
	check "Joliet via pycdlib: deep directories at their real place" \
		compare "$SRC" "$X/pycdlib-joliet" "${JOLIET[@]}"
bsdtar_extract joliet "$IMG" "$X/bsdtar-joliet" &&
	check "Joliet via bsdtar: deep directories at their real place" \
		compare "$SRC" "$X/bsdtar-joliet" "${JOLIET[@]}" --name-form strip-version
xorriso_extract joliet "$IMG" "$X/xorriso-joliet" &&
	check "Joliet via xorriso: deep directories at their real place" \
		compare "$SRC" "$X/xorriso-joliet" "${JOLIET[@]}"

# --rr-relocate without Rock Ridge: nine levels are refused, eight accepted.
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
for fs in iso9660,joliet iso9660; do
	"$MKIMAGE" -o "$OUTD/deep.iso" --rr-relocate --fs "$fs" "$SRC" >"$X/refuse.out" 2>"$X/refuse.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then pass "--rr-relocate --fs $fs: a 24-level tree is refused (exit $rc)"; else
		fail "--rr-relocate --fs $fs: a 24-level tree was accepted"; fi
	check "--fs $fs: the refusal says why" grep -qiE 'level|deep|depth' "$X/refuse.err"
	check "--fs $fs: nothing left in the output directory" no_leftovers "$OUTD"
done
N9=$SCRATCH/nine
mkdir -p "$N9/l2/l3/l4/l5/l6/l7/l8/l9"
printf 'x\n' >"$N9/l2/l3/l4/l5/l6/l7/l8/l9/f"
"$MKIMAGE" -o "$OUTD/nine.iso" --rr-relocate --fs iso9660,joliet "$N9" 2>"$X/nine.err"
rc=$?
if [ "$rc" -ne 0 ]; then pass "--fs iso9660,joliet: nine levels are refused (exit $rc)"; else
	fail "--fs iso9660,joliet: nine levels were accepted"; fi
check "--fs iso9660,joliet: the nine-level refusal names the directory" grep -q 'l9' "$X/nine.err"
check "nine levels: nothing left in the output directory" no_leftovers "$OUTD"
rm -rf "$N9/l2/l3/l4/l5/l6/l7/l8/l9"
printf 'x\n' >"$N9/l2/l3/l4/l5/l6/l7/l8/f"
touch -d @1650000000 "$N9"/l2/l3/l4/l5/l6/l7/l8 "$N9/l2/l3/l4/l5/l6/l7/l8/f"
if check "--fs iso9660,joliet: exactly eight levels are accepted" \
	mkimg -o "$OUTD/eight.iso" --rr-relocate --fs iso9660,joliet "$N9"; then
	bsdtar_extract joliet "$OUTD/eight.iso" "$X/eight" &&
		check "eight levels: the file at level 8 reads back" \
			cmp "$N9/l2/l3/l4/l5/l6/l7/l8/f" "$X/eight/l2/l3/l4/l5/l6/l7/l8/f"
fi

it_finish
