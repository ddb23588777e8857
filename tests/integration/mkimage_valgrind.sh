#!/bin/sh
# mkimage under valgrind on a tree with every kind of entry: no invalid access, no
# uninitialised byte reaching the image, no leak. Runs in the plain build only (valgrind
# cannot run AddressSanitizer binaries); the sanitizer build covers the same ground there.
set -eu
: "${MKIMAGE:?}"
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (tools/deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkimage-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
mkdir -p "$src/a/b/c/d/e/f/g/h/i/j" "$src/empty"
printf 'data\n' >"$src/file.txt"
head -c 70000 /dev/zero | tr '\0' 'x' >"$src/a/big"
: >"$src/a/empty-file"
ln "$src/file.txt" "$src/a/hardlink"
ln -s ../file.txt "$src/a/link"
ln -s "$(printf 'x/%.0s' $(seq 1 600))end" "$src/a/longlink"
mkfifo "$src/fifo"
long=$(printf 'n%.0s' $(seq 1 240))
echo long >"$src/$long.txt"
echo j >"$src/a/b/c/d/e/f/g/h/i/j/deep"
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes \
	"$MKIMAGE" -o "$tmp/out.iso" "$src"
[ -s "$tmp/out.iso" ] || { echo "FAIL: no image" >&2; exit 1; }
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	"$MKIMAGE" --fs iso9660,joliet --iso-level 1 -o - "$src/a/b/c" "x/y=$src/file.txt" >"$tmp/out2.iso" 2>"$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
# mkisofs mode: graft points, -r, -m, -hide, sort weights, two El Torito entries.
printf 'boot' >"$src/boot.img"
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	"$MKIMAGE" -as mkisofs -o "$tmp/out3.iso" -r -J -m '*.txt' -hide big --sort-weight 5 /a \
	-b boot.img -no-emul-boot -eltorito-alt-boot -e boot.img -graft-points "$src" "in/x\\=y=$src/file.txt" \
	2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
# The next session over the first (mkimage --previous, issue 14): the importer's reads of
# the old directories, Rock Ridge entries and continuation areas.
mkdir -p "$tmp/new"
echo new >"$tmp/new/file.txt"
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes \
	"$MKIMAGE" --previous "$tmp/out.iso" --remove /a/big -o "$tmp/s2.iso" "$tmp/new" 2>"$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
# ... through mkisofs's -C/-M, and through a manifest's <previous> under the command line's
# --remove (the settings merge of both lists).
n=$(( ($(wc -c <"$tmp/out.iso") / 2048 + 15) / 16 * 16 ))
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	"$MKIMAGE" -as mkisofs -R -J -C "0,$n" -M "$tmp/out.iso" -o "$tmp/s2m.iso" "$tmp/new" 2>"$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
printf '<image version="1">\n<previous src="out.iso" session-start="%s"><remove path="/a/big"/></previous>\n<root><tree src="new"/></root>\n</image>\n' \
	"$n" >"$tmp/m.xml"
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	"$MKIMAGE" -m "$tmp/m.xml" --remove /fifo -o "$tmp/s2x.iso" 2>"$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
[ -s "$tmp/s2m.iso" ] && [ -s "$tmp/s2x.iso" ] || { echo "FAIL: no session image" >&2; exit 1; }
# The UDF importer (import_udf.c): a pure UDF 2.60 disc (metadata partition) extended.
SOURCE_DATE_EPOCH=1700000000 "$MKIMAGE" --fs udf --udf-rev 2.60 --udf-special -o "$tmp/u1.img" "$src/a" \
	2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
SOURCE_DATE_EPOCH=1700000000 valgrind -q --error-exitcode=3 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes \
	"$MKIMAGE" --previous "$tmp/u1.img" -o "$tmp/u2.img" "$tmp/new" 2>"$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
echo "mkimage_valgrind: ok"
