#!/bin/bash
# <archive>: the members of tar (plain, gzip, bzip2, xz, zstd), cpio, zip, 7z and ISO 9660
# archives become image items, streamed from the archive; the image shows the same tree as
# one made from the unpacked archive (compare_tree.py, content-wise: names, bytes, modes,
# symlinks). Data order follows the archive, and weights place data earlier.
. "$(dirname "$0")/lib.sh"
it_init archive_sources
require_tools bsdtar 7z xorriso cmp
: "${DISCMASTER_SCHEMA:=$top_srcdir/spec/manifest.rng}"
export DISCMASTER_SCHEMA
export SOURCE_DATE_EPOCH=1600000000
SRC=$SCRATCH/src
mkdir -p "$SRC/dir/deeper" "$SRC/empty"
printf 'hello\n' >"$SRC/a.txt"
gen_bytes big 3000001 >"$SRC/dir/big.bin"
gen_bytes small 2048 >"$SRC/dir/deeper/sector.bin"
: >"$SRC/dir/zero"
ln -s ../a.txt "$SRC/dir/link"
chmod 0640 "$SRC/a.txt"
A=$SCRATCH/archives
mkdir -p "$A"
(cd "$SRC" && bsdtar -cf "$A/t.tar" . && bsdtar -czf "$A/t.tar.gz" . && bsdtar -cjf "$A/t.tar.bz2" . &&
	bsdtar -cJf "$A/t.tar.xz" . && bsdtar --zstd -cf "$A/t.tar.zst" . &&
	bsdtar --format cpio -cf "$A/t.cpio" . && bsdtar --format zip -cf "$A/t.zip" . &&
	7z a -snl "$A/t.7z" . >/dev/null) || die "cannot make the archives"
xorriso -as mkisofs -quiet -R -o "$A/t.iso" "$SRC" 2>/dev/null || die "cannot make t.iso"
O=$SCRATCH/out
mkdir -p "$O"
for f in t.tar t.tar.gz t.tar.bz2 t.tar.xz t.tar.zst t.cpio t.zip t.7z t.iso; do
	cat >"$O/$f.xml" <<XML
<image version="1"><root><archive src="$A/$f"/></root></image>
XML
	if ! check "$f: an image from the archive" "$MKIMAGE" -m "$O/$f.xml" -o "$O/$f.img"; then continue; fi
	rm -rf "$O/x"
	mkdir "$O/x"
	bsdtar -C "$O/x" -xf "$O/$f.img" 2>/dev/null
	# Archive formats keep different attributes: zip and 7z no owners, 7z and ISO no
	# exact modes of symlinks; the content (names, bytes, types, link targets) must match.
	check "$f: the image holds the archive's tree" compare --no-owner --no-mtime --no-dir-mtime \
		--no-mode --no-special --no-symlink-mtime --no-symlink-owner -q "$SRC" "$O/x"
done
# The same tree from the directory and from the tar: same content, and with the same
# attributes (tar keeps them all) the same bytes.
"$MKIMAGE" -o "$O/dir.img" "$SRC" || fail "image of the directory"
check "tar and directory give byte-identical images" cmp "$O/dir.img" "$O/t.tar.img"
# Members are never unpacked: nothing appears next to the archive or in TMPDIR.
check "no files unpacked next to the archives" test "$(ls "$A" | wc -l)" -eq 9
# Members with '..' are refused.
mkdir -p "$SCRATCH/evil/x"
printf 'x\n' >"$SCRATCH/evil/x/f"
(cd "$SCRATCH/evil/x" && bsdtar -cf "$A/evil.tar" -s ',^,../,' f) || die "evil.tar"
printf '<image version="1"><root><archive src="%s"/></root></image>\n' "$A/evil.tar" >"$O/evil.xml"
check_fails "an archive member named ../f is refused" "$MKIMAGE" -m "$O/evil.xml" -o "$O/evil.img"
# Odd member paths (written with Python's tarfile: no tool makes them from a directory).
ODD=$SCRATCH/odd
mkdir -p "$ODD"
"$IT_PY" - "$ODD" <<'PY' || die "cannot make the odd archives"
import gzip, io, sys, tarfile
def tar(path, members, gz=False):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind in members:
            ti = tarfile.TarInfo(name)
            ti.type = tarfile.DIRTYPE if kind == "d" else tarfile.REGTYPE
            t.addfile(ti, io.BytesIO(b""))
    data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(gzip.compress(data, mtime=0) if gz else data)
# A file 2040 directories deep (a 4 KB name) with none of its directories listed: 166
# bytes gzipped; mkimage once made them recursively and overflowed its stack.
tar(sys.argv[1] + "/deep.tar.gz", [("a/" * 2040 + "f", "f")], gz=True)
# A member below a file's would-be subdirectory.
tar(sys.argv[1] + "/below.tar", [("f", "f"), ("f/x/y", "f")])
PY
printf '<image version="1"><root><archive src="%s"/></root></image>\n' "$ODD/deep.tar.gz" >"$O/deep.xml"
check "a member 2040 directories deep" "$MKIMAGE" -m "$O/deep.xml" -o "$O/deep.img"
check "the image holds it at its full depth" sh -c '
	want="/$(printf "a/%.0s" $(seq 2040))f"
	[ "$(xorriso -indev "$1" -find / -type f 2>/dev/null | tr -d "\047")" = "$want" ]' sh "$O/deep.img"
printf '<image version="1"><root><archive src="%s"/></root></image>\n' "$ODD/below.tar" >"$O/below.xml"
check_fails "a member below a file's subdirectory is refused" "$MKIMAGE" -m "$O/below.xml" -o "$O/below.img"
cp "$SCRATCH/check.out" "$O/below.out"
check "... saying that it is below a member that is not a directory" \
	grep -q "'f/x/y' is below a member that is not a directory" "$O/below.out"
# Weights: the archive with the higher weight comes first on the disc.
cat >"$O/w.xml" <<XML
<image version="1"><root><dir name="low"><archive src="$A/t.tar"/></dir>
<dir name="high"><archive src="$A/t.zip" weight="10"/></dir></root></image>
XML
check "two archives with weights" "$MKIMAGE" -m "$O/w.xml" -o "$O/w.img"
check "the weighted archive's data is placed first" sh -c '
	xorriso -indev "$1" -find /high/dir/big.bin -exec report_lba -- 2>/dev/null | awk "/File data lba/ {print \$6}" >"$2.h"
	xorriso -indev "$1" -find /low/dir/big.bin -exec report_lba -- 2>/dev/null | awk "/File data lba/ {print \$6}" >"$2.l"
	[ -s "$2.h" ] && [ "$(cat "$2.h")" -lt "$(cat "$2.l")" ]' sh "$O/w.img" "$SCRATCH/lba"
it_finish
