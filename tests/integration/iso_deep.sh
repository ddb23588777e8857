#!/bin/bash
# Deep trees. ECMA-119 6.8.2.1 allows eight directory levels (the root is level 1):
# - with Rock Ridge, deeper directories are relocated (CL/PL/RE) into .rr_moved, and Rock
#   Ridge readers that implement relocation show them at their real place, with their
#   own attributes, symlinks and hard links; the ISO 9660 hierarchy itself stays within
#   eight levels; Joliet shows them at their real place;
# - without Rock Ridge, a tree deeper than eight levels is refused (non-zero exit, a
#   message, no output left), and one of exactly eight levels is accepted.
. "$(dirname "$0")/lib.sh"
it_init iso_deep
require_tools xorriso isoinfo bsdtar pycdlib

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
IMG=$SCRATCH/deep.iso
RELOC=(--allow-extra-empty .rr_moved)
check "mkimage makes an image of a 24-level tree" mkimg -o "$IMG" "$SRC" || it_finish

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

# Without Rock Ridge: nine levels are refused, eight accepted.
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
for fs in iso9660,joliet iso9660; do
	"$MKIMAGE" -o "$OUTD/deep.iso" --fs "$fs" "$SRC" >"$X/refuse.out" 2>"$X/refuse.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then pass "--fs $fs: a 24-level tree is refused (exit $rc)"; else
		fail "--fs $fs: a 24-level tree was accepted"; fi
	check "--fs $fs: the refusal says why" grep -qiE 'level|deep|depth' "$X/refuse.err"
	check "--fs $fs: nothing left in the output directory" no_leftovers "$OUTD"
done
N9=$SCRATCH/nine
mkdir -p "$N9/l2/l3/l4/l5/l6/l7/l8/l9"
printf 'x\n' >"$N9/l2/l3/l4/l5/l6/l7/l8/l9/f"
"$MKIMAGE" -o "$OUTD/nine.iso" --fs iso9660,joliet "$N9" 2>"$X/nine.err"
rc=$?
if [ "$rc" -ne 0 ]; then pass "--fs iso9660,joliet: nine levels are refused (exit $rc)"; else
	fail "--fs iso9660,joliet: nine levels were accepted"; fi
check "--fs iso9660,joliet: the nine-level refusal names the directory" grep -q 'l9' "$X/nine.err"
check "nine levels: nothing left in the output directory" no_leftovers "$OUTD"
rm -rf "$N9/l2/l3/l4/l5/l6/l7/l8/l9"
printf 'x\n' >"$N9/l2/l3/l4/l5/l6/l7/l8/f"
touch -d @1650000000 "$N9"/l2/l3/l4/l5/l6/l7/l8 "$N9/l2/l3/l4/l5/l6/l7/l8/f"
if check "--fs iso9660,joliet: exactly eight levels are accepted" \
	mkimg -o "$OUTD/eight.iso" --fs iso9660,joliet "$N9"; then
	bsdtar_extract joliet "$OUTD/eight.iso" "$X/eight" &&
		check "eight levels: the file at level 8 reads back" \
			cmp "$N9/l2/l3/l4/l5/l6/l7/l8/f" "$X/eight/l2/l3/l4/l5/l6/l7/l8/f"
fi

it_finish
