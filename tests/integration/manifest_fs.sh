#!/bin/sh
# A manifest's per-item fs= (IMAPI's FsiFileSystems) in a bridge image: each item appears in
# exactly the filesystems it names, read back by independent readers (isoinfo for the
# Rock Ridge and Joliet views, libudfread for UDF), and an item only UDF shows still has its
# bytes on the disc.
set -eu
: "${MKIMAGE:?}" "${top_builddir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/manifest-fs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
UDFREAD=$top_builddir/tests/udfread_list
[ -x "$UDFREAD" ] || fail "tests/udfread_list is not built"
command -v isoinfo >/dev/null || fail "isoinfo is not installed (tools/deps.sh test)"

cat >"$tmp/m.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<image version="1" epoch="1600000000">
  <filesystems>iso9660 joliet rockridge udf</filesystems>
  <root>
    <file name="everywhere.txt">in all three</file>
    <file name="iso-only.txt" fs="iso9660 rockridge">iso</file>
    <file name="joliet-only.txt" fs="joliet">joliet</file>
    <file name="udf-only.txt" fs="udf">only udf shows me</file>
    <file name="shared.txt" id="s">two links, one shown by Rock Ridge</file>
    <hardlink name="not-rr-link.txt" to="s" fs="joliet udf"/>
  </root>
</image>
XML
"$MKIMAGE" -m "$tmp/m.xml" -o "$tmp/b.iso" || fail "mkimage -m"

isoinfo -R -l -i "$tmp/b.iso" | grep -o '[a-z-]*\.txt' | sort >"$tmp/rr"
isoinfo -J -l -i "$tmp/b.iso" | grep -o '[a-z-]*\.txt' | sort >"$tmp/joliet"
"$UDFREAD" "$tmp/b.iso" "$tmp/udf.json" || fail "libudfread cannot read the UDF side"
grep -o '"[a-z-]*\.txt"' "$tmp/udf.json" | tr -d '"' | sort >"$tmp/udf"

printf 'everywhere.txt\niso-only.txt\nshared.txt\n' | diff - "$tmp/rr" || fail "Rock Ridge view"
printf 'everywhere.txt\njoliet-only.txt\nnot-rr-link.txt\nshared.txt\n' | diff - "$tmp/joliet" ||
	fail "Joliet view"
printf 'everywhere.txt\nnot-rr-link.txt\nshared.txt\nudf-only.txt\n' | diff - "$tmp/udf" || fail "UDF view"
# Rock Ridge's link count counts the links it shows (PX), not the other view's.
links=$(isoinfo -R -l -i "$tmp/b.iso" | awk '/shared\.txt/ {print $2}')
[ "$links" = 1 ] || fail "Rock Ridge link count of shared.txt is '$links', want 1"
# The UDF-only file's bytes are on the disc (libudfread read and hashed them).
want=$(printf 'only udf shows me' | sha256sum | cut -d' ' -f1)
grep -q "$want" "$tmp/udf.json" || fail "udf-only.txt's bytes do not read back"
echo "manifest_fs: ok"
