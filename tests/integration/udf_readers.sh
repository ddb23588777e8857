#!/bin/bash
# UDF round trip: every revision (1.02 1.50 2.00 2.01 2.50 2.60), pure UDF and bridged with
# ISO 9660 + Joliet + Rock Ridge, read back by independent readers and compared file by
# file with the source:
#   udfinfo (udftools)   the volume structures, revision, file and directory counts
#   libudfread           tests/udfread_list: every file listed and read (content, sizes)
#   libcdio's libudf     tests/udfcdio_list: the same, for 1.02 and 1.50 (it reads no EFE);
#                        it cannot read data embedded in a file entry, which mkimage writes
#                        only with --udf-embed (checked both ways)
#   7z                   extraction (names, content, mtimes)
#   pycdlib              modes, owners, mtimes, content, hard links (bridged 1.02 and 1.50:
#                        pycdlib reads no extended file entries and no metadata partition)
# and the ISO side of a bridge still read by xorriso and isoinfo. Names with characters
# above U+FFFF (emoji) are in every revision's tree, as UTF-16 surrogate pairs. Then: a file's bytes
# are stored once in a bridge, the same SOURCE_DATE_EPOCH gives the same bytes, and names
# UDF cannot record are refused with nothing written.
. "$(dirname "$0")/lib.sh"
it_init udf_readers
require_tools udfinfo 7z xorriso isoinfo pycdlib
UDFREAD=${top_builddir:-$IT_DIR/../..}/tests/udfread_list
[ -x "$UDFREAD" ] || die "tests/udfread_list is not built (make check builds it; needs libudfread-dev)"
UDFCDIO=${top_builddir:-$IT_DIR/../..}/tests/udfcdio_list
[ -x "$UDFCDIO" ] || die "tests/udfcdio_list is not built (make check builds it; needs libudf-dev)"
export SOURCE_DATE_EPOCH=1750000000
# What xorriso cannot restore (lib.sh says why); the same relaxations as iso_readers.sh.
[ -n "${XORRISO_RR+x}" ] || XORRISO_RR=(--no-symlink-mtime --no-symlink-owner)

SRC=$SCRATCH/src
PLAIN=$SCRATCH/plain
make_rich_tree "$SRC" --no-bigdir
# What UDF cannot record or readers cannot show as the source's bytes, left out here and
# tested below: a 255-byte name (256 bytes of CS0), names that are not UTF-8 (recorded as
# Latin-1), a 255-byte symlink component.
(
	cd "$SRC/names" || exit 1
	rm -rf -- "$(printf 'L%.0s' $(seq 251)).txt" "$(printf 'bad_\377\376.txt')" \
		"$(printf 'latin1_caf\351.txt')" "$(printf 'trunc_\346\227.txt')" "$(printf 'dir_\377')"
	rm -f ../links/comp255 ../links/invalid_utf8 ../links/utf8
) || die "trimming the source tree"
# 7z opens no UDF volume with symlinks, FIFOs or devices ("Unsupported feature"): a pure
# UDF image leaves them out unless --udf-special keeps them (for Linux; the images below
# carry them, to check that). PLAIN is the tree 7z must show.
cp -a "$SRC" "$PLAIN" && find "$PLAIN" ! -type f ! -type d -delete || die "copying the tree"

ndirs=$(find "$SRC" -type d | wc -l)
nfiles=$(find "$SRC" ! -type d -printf '%i\n' | sort -u | wc -l)
CLAMP=(--clamp "$SOURCE_DATE_EPOCH")
# libudfread (1.1.2) turns each 16-bit unit into UTF-8 on its own: a surrogate pair comes
# out as two 3-byte sequences (CESU-8). cesu8_join FILE joins them into one character.
cesu8_join() {
	"$IT_PY" -c 'import sys
b = open(sys.argv[1], "rb").read()
s = b.decode("utf-8", "surrogatepass").encode("utf-16-le", "surrogatepass").decode("utf-16-le")
open(sys.argv[1], "w", encoding="utf-8").write(s)' "$1"
}
X=$SCRATCH/x
mkdir -p "$X"

for rev in 1.02 1.50 2.00 2.01 2.50 2.60; do
	for kind in pure bridge; do
		img=$SCRATCH/$kind-$rev.img
		plain=$SCRATCH/$kind-$rev-plain.img
		t="$kind UDF $rev"
		if [ $kind = pure ]; then fs=(--fs udf --udf-special); else fs=(--fs iso9660,joliet,rockridge,udf); fi
		check "mkimage ${fs[*]} --udf-rev $rev" mkimg -o "$img" "${fs[@]}" --udf-rev $rev "$SRC" ||
			continue
		# 7z: a pure image made by default (symlinks and special files left out), a bridge
		# of the tree without them (its UDF side keeps them: 7z opens the ISO side).
		if [ $kind = pure ]; then
			check "mkimage --fs udf --udf-rev $rev (by default, for 7z)" \
				mkimg -o "$plain" --fs udf --udf-rev $rev "$SRC" &&
				check "$t: the default pure image warns that symlinks and special files are left out" \
					grep -q 'left out of the UDF image.*--udf-special' "$SCRATCH/mkimage.err"
		else
			check "mkimage ${fs[*]} --udf-rev $rev (tree for 7z)" \
				mkimg -o "$plain" "${fs[@]}" --udf-rev $rev "$PLAIN"
		fi
		if udfinfo "$img" >"$X/$kind-$rev.udfinfo" 2>&1; then
			# udfrev is the minimum read revision: 2.60 images ask only for 2.50 (no
			# pseudo-overwrite), which is what lets Linux mount them.
			readrev=$rev
			[ "$rev" = 2.60 ] && readrev=2.50
			check "$t: udfinfo revision, counts, closed integrity" \
				sh -c "grep -qx 'udfrev=$readrev' '$X/$kind-$rev.udfinfo' && grep -qx 'udfwriterev=$rev' '$X/$kind-$rev.udfinfo'"
			check "$t: udfinfo numfiles=$nfiles numdirs=$ndirs" \
				sh -c "grep -qx numfiles=$nfiles '$X/$kind-$rev.udfinfo' && grep -qx numdirs=$ndirs '$X/$kind-$rev.udfinfo' && grep -qx integrity=closed '$X/$kind-$rev.udfinfo'"
		else
			fail "$t: udfinfo cannot read the image: $(tail -3 "$X/$kind-$rev.udfinfo")"
		fi
		# libudfread lists symlinks as files holding their path components, and devices and
		# FIFOs as unknown: links/ and special/ are left out; it shows no modes or owners.
		if check "$t: libudfread lists and reads every file" "$UDFREAD" "$img" "$X/$kind-$rev.udfread.json"; then
			check "$t: libudfread: the emoji name is a surrogate pair (U+D83D U+DE00)" \
				grep -q "emoji_$(printf '\355\240\275\355\270\200').txt" "$X/$kind-$rev.udfread.json"
			cesu8_join "$X/$kind-$rev.udfread.json"
			check "$t: libudfread: same tree" compare_manifest "$SRC" "$X/$kind-$rev.udfread.json" \
				--exclude links --exclude special --exclude deep/l01/l02/l03/l04/l05/l06/l07/l08/l09/up \
				--no-mode --no-owner --no-mtime --hardlinks none
		fi
		# libcdio's libudf: the same view as libudfread's, for the revisions it reads. It
		# converts 16-bit names with iconv from UCS-2, which refuses surrogate pairs: the
		# emoji name is the one it cannot show (Windows' own discs hold them the same way).
		case $rev in
		1.02 | 1.50)
			"$UDFCDIO" "$img" "$X/$kind-$rev.cdio.json" 2>"$X/cdio.err"
			check "$t: libcdio lists and reads every file (all but the emoji name)" \
				test "$(grep -v 'Iconv failed' "$X/cdio.err")" = ""
			check "$t: libcdio: same tree" compare_manifest "$SRC" "$X/$kind-$rev.cdio.json" \
					--exclude 'names/emoji_😀.txt' --exclude links --exclude special --exclude deep/l01/l02/l03/l04/l05/l06/l07/l08/l09/up \
					--no-mode --no-owner --no-mtime --hardlinks none
			;;
		esac
		# 7z: no modes or owners, and hard links come out as copies.
		rm -rf "$X/7z"
		if 7z x -tudf -y -o"$X/7z" "$plain" >"$X/7z.log" 2>&1; then
			check "$t: 7z: same tree" compare "$PLAIN" "$X/7z" --no-mode --no-owner --hardlinks none "${CLAMP[@]}"
		else
			fail "$t: 7z cannot extract: $(grep -i error "$X/7z.log" | head -3)"
		fi
		[ $kind = pure ] && check_fails "$t: 7z refuses the --udf-special image (why it is not the default)" \
			7z l -tudf "$img"
		if [ $kind = bridge ]; then
			case $rev in
			1.02 | 1.50)
				check "$t: pycdlib walks the UDF tree" /usr/bin/python3 "$IT_DIR/udf_pycdlib.py" \
					"$img" "$X/$kind-$rev.pycdlib.json" &&
					check "$t: pycdlib: modes, owners, times, content, links" \
						compare_manifest "$SRC" "$X/$kind-$rev.pycdlib.json" --max-symlink-len 0 \
						--exclude special "${CLAMP[@]}"
				;;
			esac
			# The ISO side is untouched by UDF.
			rm -rf "$X/xorriso"
			if xorriso_extract rr "$img" "$X/xorriso"; then
				check "$t: ISO 9660 + Rock Ridge via xorriso" compare "$SRC" "$X/xorriso" \
					--allow-extra-empty .rr_moved "${XORRISO_RR[@]}" "${CLAMP[@]}"
			else
				fail "$t: xorriso cannot read the ISO side"
			fi
			check "$t: isoinfo -R lists the ISO side" sh -c "isoinfo -R -l -i '$img' | grep -q README.txt"
		fi
	done
done

# ---- data embedded in file entries: only with --udf-embed --------------------------------
TINY=$SCRATCH/tiny
mkdir -p "$TINY/d"
printf 'tiny\n' >"$TINY/a.txt"
printf 'x' >"$TINY/d/b"
for rev in 1.02 1.50; do
	if check "UDF $rev --udf-embed" mkimg -o "$SCRATCH/embed.img" --fs udf --udf-rev $rev --udf-embed "$TINY"; then
		check_fails "UDF $rev --udf-embed: libcdio cannot read the embedded files" \
			"$UDFCDIO" "$SCRATCH/embed.img" "$X/embed.json"
		check "UDF $rev --udf-embed: libudfread reads them" "$UDFREAD" "$SCRATCH/embed.img" "$X/embed.json" &&
			check "UDF $rev --udf-embed: libudfread: same tree" compare_manifest "$TINY" "$X/embed.json" \
				--no-mode --no-owner --no-mtime
		mkimg -o "$SCRATCH/noembed.img" --fs udf --udf-rev $rev "$TINY" &&
			check "UDF $rev, by default: libcdio reads the tiny files" \
				"$UDFCDIO" "$SCRATCH/noembed.img" "$X/noembed.json" &&
			check "UDF $rev, by default: libcdio: same tree" compare_manifest "$TINY" "$X/noembed.json" \
				--no-mode --no-owner --no-mtime
		check "UDF $rev: --udf-embed makes the image smaller (a sector per tiny file)" \
			test "$(stat -c %s "$SCRATCH/embed.img")" -lt "$(stat -c %s "$SCRATCH/noembed.img")"
	fi
done
check_fails "--udf-embed is refused for a bridge" mkimg -o "$SCRATCH/embed.img" --udf-embed "$TINY"
rm -f "$SCRATCH/embed.img" "$SCRATCH/noembed.img"

# ---- a bridge stores each file once --------------------------------------------------
ONCE=$SCRATCH/once
mkdir -p "$ONCE"
gen_bytes once $((8 * 1024 * 1024)) >"$ONCE/eight_mib.bin"
mkimg -o "$SCRATCH/once.iso" --fs iso9660,joliet,rockridge "$ONCE" || die "ISO-only image"
mkimg -o "$SCRATCH/once.udf" --fs udf "$ONCE" || die "UDF-only image"
mkimg -o "$SCRATCH/once-bridge.iso" --fs iso9660,joliet,rockridge,udf "$ONCE" || die "bridge image"
iso_sz=$(stat -c %s "$SCRATCH/once.iso")
br_sz=$(stat -c %s "$SCRATCH/once-bridge.iso")
# The bridge adds UDF metadata and anchors (the last 257 sectors), never a second copy.
check "a bridge stores the 8 MiB file once ($br_sz bytes vs ISO alone $iso_sz)" \
	test $((br_sz - iso_sz)) -lt $((1024 * 1024))
check "a bridge's file data is the same extent for ISO and UDF" sh -c "
	lba=\$(isoinfo -l -i '$SCRATCH/once-bridge.iso' | awk '/EIGHT_MI/ { gsub(/[][]/, \" \"); print \$(NF-2); exit }')
	[ -n \"\$lba\" ] && cmp -s -n 8388608 -i \$((lba * 2048)):0 '$SCRATCH/once-bridge.iso' '$ONCE/eight_mib.bin'"

# ---- reproducible --------------------------------------------------------------------
for fs in udf iso9660,joliet,rockridge,udf; do
	mkimg -o "$SCRATCH/r1.img" --fs $fs --udf-rev 2.60 "$SRC" &&
		mkimg -o "$SCRATCH/r2.img" --fs $fs --udf-rev 2.60 "$SRC" &&
		check "--fs $fs: the same SOURCE_DATE_EPOCH gives the same bytes" cmp "$SCRATCH/r1.img" "$SCRATCH/r2.img"
done

# ---- refused input: a clear error, nothing written ----------------------------------
BAD=$SCRATCH/bad
OUT=$SCRATCH/out
mkdir -p "$BAD/long" "$BAD/emoji" "$OUT"
: >"$BAD/long/$(printf 'L%.0s' $(seq 251)).txt"
: >"$BAD/emoji/emoji_😀.txt"
check_fails "a 255-byte name is refused for UDF" mkimg -o "$OUT/x.udf" --fs udf "$BAD/long"
check "the message says why" grep -q "UDF allows 255" "$SCRATCH/mkimage.err"
# Characters above U+FFFF in every revision (before 2.60 they were refused): a name and
# the volume label.
for rev in 1.02 2.01 2.60; do
	if check "UDF $rev records names above U+FFFF" \
		mkimg -o "$OUT/y.udf" --fs udf --udf-rev $rev -V "vol_😀" "$BAD/emoji"; then
		check "UDF $rev: 7z reads the name back" sh -c "7z l -tudf '$OUT/y.udf' | grep -q 'emoji_😀.txt'"
		check "UDF $rev: udfinfo reads the label back" sh -c "udfinfo '$OUT/y.udf' | grep -qx 'label=vol_😀'"
	fi
	rm -f "$OUT/y.udf"
done
check "nothing is left at OUT after the refusals" no_leftovers "$OUT"

it_finish
