#!/bin/bash
# image -> manifest -> image: mkimage --print-manifest of a tree, then mkimage -m of that
# manifest, gives the same bytes as mkimage of the tree (same SOURCE_DATE_EPOCH), for the
# rich tree (odd names as hex, hard links, devices, symlinks, deep directories) and
# other settings; settings on the command line win over the manifest's.
. "$(dirname "$0")/lib.sh"
it_init manifest_roundtrip
require_tools cmp
: "${DISCMASTER_SCHEMA:=$top_srcdir/spec/manifest.rng}"
export DISCMASTER_SCHEMA
export SOURCE_DATE_EPOCH=1600000000
SRC=$SCRATCH/src
make_rich_tree "$SRC"
O=$SCRATCH/out
mkdir -p "$O"
roundtrip() { # NAME mkimage-options...
	local n=$1
	shift
	"$MKIMAGE" -o "$O/$n.tree.iso" "$@" "$SRC" || return 1
	"$MKIMAGE" --print-manifest "$@" "$SRC" >"$O/$n.xml" || return 1
	xmllint --noout --relaxng "$DISCMASTER_SCHEMA" "$O/$n.xml" 2>/dev/null || return 1
	"$MKIMAGE" -m "$O/$n.xml" -o "$O/$n.manifest.iso" || return 1
	cmp "$O/$n.tree.iso" "$O/$n.manifest.iso"
}
check "rich tree, defaults: tree -> manifest -> image is byte-identical" roundtrip default
check "rich tree, -V, --joliet-long, publisher: byte-identical" roundtrip custom -V ROUND --joliet-long \
	--publisher 'Pub & <co>' --preparer 'x"y'
make_rich_tree "$SCRATCH/flat" --no-deep
SRC=$SCRATCH/flat
check "ISO 9660 + Joliet at level 1: byte-identical" roundtrip level1 --fs iso9660,joliet --iso-level 1
# A boot image from disk becomes a hidden item that only ISO 9660 and Joliet show: the
# manifest keeps both (hidden, fs without udf), so a bridge rebuilds identically.
head -c 4096 /dev/zero | tr '\0' 'B' >"$SCRATCH/boot.img"
SRC=$SCRATCH/small
mkdir -p "$SRC/dir"
printf 'small\n' >"$SRC/dir/file.txt"
check "a boot image in a UDF bridge: byte-identical" roundtrip boot --fs iso9660,joliet,rockridge,udf \
	--boot-bios "$SCRATCH/boot.img" --boot-emul none
SRC=$SCRATCH/flat
check "the manifest keeps the boot image out of UDF" \
	grep -q 'name="bios.img" .*hidden="true" fs="iso9660 rockridge joliet"' "$O/boot.xml"
check "the manifest names hard links once" grep -q '<hardlink ' "$O/default.xml"
check "names that are not UTF-8 are written as hex" grep -q 'name-hex=' "$O/default.xml"
# The command line wins over the manifest.
check "-V on the command line overrides the manifest's volume id" sh -c '
	"$MKIMAGE" -m "$1" -o "$2" -V OTHER && dd if="$2" bs=1 skip=$((16 * 2048 + 40)) count=5 2>/dev/null | grep -q OTHER' \
	sh "$O/default.xml" "$O/override.iso"
# A changed source is refused by its SHA-256 (same size, other bytes), and nothing is written.
sed -i 's/^discmaster rich tree/DISCMASTER RICH TREE/' "$SCRATCH/flat/README.txt"
check_fails "a source changed since the manifest: refused" "$MKIMAGE" -m "$O/level1.xml" -o "$O/changed.iso"
check "and nothing written" test ! -e "$O/changed.iso"
check "the same with -o -: refused before a byte is written" sh -c '
	! "$MKIMAGE" -m "$1" -o - >"$2" 2>/dev/null && test ! -s "$2"' sh "$O/level1.xml" "$O/pipe.iso"
it_finish
