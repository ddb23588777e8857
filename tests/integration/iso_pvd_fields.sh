#!/bin/bash
# Volume descriptor fields: the options show up in the primary volume descriptor as ASCII
# (other characters as '_') and in the Joliet descriptor as UCS-2, as isoinfo -d, pycdlib,
# xorriso -pvd_info and 7z read them; the defaults are CDROM, LINUX and DISCMASTER MKIMAGE
# <version>; the volume space size is the image size / 2048; with SOURCE_DATE_EPOCH the
# volume creation and modification dates are the epoch; too long values are refused.
. "$(dirname "$0")/lib.sh"
it_init iso_pvd_fields
require_tools xorriso isoinfo 7z pycdlib

EPOCH=1600000000     # 2020-09-13 12:26:40 UTC
SRC=$SCRATCH/src
mkdir -p "$SRC/d"
printf 'x\n' >"$SRC/d/x.txt"
gen_bytes pvd 100000 >"$SRC/data.bin"
X=$SCRATCH/x
mkdir -p "$X"

VOL=MY_VOLUME_2026
PUB='ACME Publishing, Inc.'
PREP='Builder <b@example.org>'
APP='TESTAPP 1.0'
SYS=LINUX_TEST
VSET=SET_0001

# pvd_dump IMAGE: the descriptor fields as pycdlib parses them, "primary.field=value" and
# "joliet.field=value", trailing padding removed.
pvd_dump() {
	"$IT_PY" - "$1" "$IT_DIR" <<'EOF'
import sys
sys.path.insert(0, sys.argv[2])
import pycdlib
from pycdlib_extract import date_to_epoch
iso = pycdlib.PyCdlib()
iso.open(sys.argv[1])
for vd, what, enc in ((iso.pvd, 'primary', 'latin-1'), (iso.joliet_vd, 'joliet', 'utf-16-be')):
    if vd is None:
        continue
    def txt(b):
        if hasattr(b, 'text'):
            b = b.text
        return b.decode(enc).rstrip(' \0')
    print('%s.volume=%s' % (what, txt(vd.volume_identifier)))
    print('%s.system=%s' % (what, txt(vd.system_identifier)))
    print('%s.volset=%s' % (what, txt(vd.volume_set_identifier)))
    print('%s.publisher=%s' % (what, txt(vd.publisher_identifier)))
    print('%s.preparer=%s' % (what, txt(vd.preparer_identifier)))
    print('%s.application=%s' % (what, txt(vd.application_identifier)))
    print('%s.space_size=%d' % (what, vd.space_size))
    print('%s.block_size=%d' % (what, vd.log_block_size))
    print('%s.created=%s' % (what, date_to_epoch(vd.volume_creation_date)))
    print('%s.modified=%s' % (what, date_to_epoch(vd.volume_modification_date)))
EOF
}
# has FILE LINE: FILE has exactly this line
has() { grep -qxF -- "$2" "$1" || { printf 'no line "%s" in:\n' "$2"; sed 's/^/    /' "$1"; return 1; }; }

IMG=$SCRATCH/fields.iso
check "mkimage with every descriptor option" env SOURCE_DATE_EPOCH=$EPOCH "$MKIMAGE" -o "$IMG" \
	-V "$VOL" --publisher "$PUB" --preparer "$PREP" --application "$APP" --system-id "$SYS" \
	--volset-id "$VSET" "$SRC" || it_finish
sectors=$(($(stat -c %s "$IMG") / 2048))
check "the image is whole sectors" test "$(($(stat -c %s "$IMG") % 2048))" -eq 0

isoinfo -d -i "$IMG" >"$X/isoinfo-d.txt" 2>&1
for pair in "Volume id: $VOL" "System id: $SYS" "Volume set id: $VSET" "Publisher id: $PUB" \
	"Data preparer id: $PREP" "Application id: $APP" "Volume size is: $sectors" \
	"Logical block size is: 2048"; do
	check "isoinfo -d: $pair" has "$X/isoinfo-d.txt" "$pair"
done
check "isoinfo -d: Joliet and Rock Ridge found" sh -c '
	grep -q "Joliet with UCS level 3 found" "$1" && grep -q "Rock Ridge signatures version 1 found" "$1"' \
	sh "$X/isoinfo-d.txt"
check "isoinfo -d -debug: creation and modification dates are the epoch" sh -c '
	isoinfo -d -debug -i "$1" >"$2" &&
	grep -q "^Creation Date: *2020 09 13 12:26:40" "$2" && grep -q "^Modification Date: *2020 09 13 12:26:40" "$2"' \
	sh "$IMG" "$X/isoinfo-debug.txt"

pvd_dump "$IMG" >"$X/pycdlib.txt" 2>&1
for vd in primary joliet; do
	for pair in "volume=$VOL" "system=$SYS" "volset=$VSET" "publisher=$PUB" "preparer=$PREP" \
		"application=$APP" "space_size=$sectors" "block_size=2048" "created=$EPOCH" "modified=$EPOCH"; do
		check "pycdlib: $vd.$pair" has "$X/pycdlib.txt" "$vd.$pair"
	done
done

xorriso -indev "$IMG" -pvd_info >"$X/xorriso.txt" 2>&1
for pair in "Volume Id    : $VOL" "Volume Set Id: $VSET" "Publisher Id : $PUB" \
	"Preparer Id  : $PREP" "App Id       : $APP" "System Id    : $SYS" \
	"Creation Time: 2020091312264000" "Modif. Time  : 2020091312264000"; do
	check "xorriso -pvd_info: $pair" has "$X/xorriso.txt" "$pair"
done
check "xorriso: the medium has $sectors blocks" grep -q "Media summary: 1 session, $sectors data blocks" "$X/xorriso.txt"

7z l "$IMG" >"$X/7z.txt" 2>&1
check "7z: VolumeSpaceSize is the image size" has "$X/7z.txt" "VolumeSpaceSize: $(stat -c %s "$IMG")"
check "7z: Created is the epoch" has "$X/7z.txt" "Created = 2020-09-13 12:26:40.00"

# Characters outside ASCII: '_' in the primary descriptor, kept in the Joliet one.
UIMG=$SCRATCH/unicode.iso
if check "mkimage with non-ASCII descriptor values" mkimg -o "$UIMG" -V 'Café Ünïcode' \
	--publisher 'Ωmega – publisher' "$SRC"; then
	pvd_dump "$UIMG" >"$X/unicode.txt" 2>&1
	check "primary volume id: non-ASCII as '_'" has "$X/unicode.txt" 'primary.volume=Caf_ _n_code'
	check "primary publisher: non-ASCII as '_'" has "$X/unicode.txt" 'primary.publisher=_mega _ publisher'
	check "Joliet volume id: kept" has "$X/unicode.txt" 'joliet.volume=Café Ünïcode'
	check "Joliet publisher: kept" has "$X/unicode.txt" 'joliet.publisher=Ωmega – publisher'
	check "isoinfo -d: the primary volume id" sh -c 'isoinfo -d -i "$1" | grep -qxF "Volume id: Caf_ _n_code"' sh "$UIMG"
fi

# Defaults.
DIMG=$SCRATCH/defaults.iso
if check "mkimage without descriptor options" mkimg -o "$DIMG" "$SRC"; then
	version=$("$MKIMAGE" --version | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1)
	pvd_dump "$DIMG" >"$X/defaults.txt" 2>&1
	check "default volume id CDROM" has "$X/defaults.txt" 'primary.volume=CDROM'
	check "default system id LINUX" has "$X/defaults.txt" 'primary.system=LINUX'
	check "default application DISCMASTER MKIMAGE $version" has "$X/defaults.txt" \
		"primary.application=DISCMASTER MKIMAGE $version"
	check "default volume set, publisher and preparer empty" sh -c '
		grep -qx "primary.volset=" "$1" && grep -qx "primary.publisher=" "$1" && grep -qx "primary.preparer=" "$1"' \
		sh "$X/defaults.txt"
	check "defaults: volume space size is the image size / 2048" has "$X/defaults.txt" \
		"primary.space_size=$(($(stat -c %s "$DIMG") / 2048))"
fi
# Without Joliet there is no supplementary descriptor; the size still matches.
NIMG=$SCRATCH/nojoliet.iso
if check "mkimage --fs iso9660,rockridge" mkimg -o "$NIMG" --fs iso9660,rockridge -V NOJOLIET "$SRC"; then
	check "isoinfo -d: no Joliet" sh -c 'isoinfo -d -i "$1" | grep -q "NO Joliet present"' sh "$NIMG"
	check "isoinfo -d: volume size is the image size / 2048" sh -c '
		isoinfo -d -i "$1" | grep -qxF "Volume size is: $(($(stat -c %s "$1") / 2048))"' sh "$NIMG"
fi

# Field limits: 32 characters fit the volume id, 33 do not; 128 fit the publisher, 129 not.
V32=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345
P128=$(printf 'p%.0s' $(seq 128))
LIMG=$SCRATCH/limits.iso
if check "a 32-character volume id and a 128-character publisher are accepted" \
	mkimg -o "$LIMG" -V "$V32" --publisher "$P128" "$SRC"; then
	pvd_dump "$LIMG" >"$X/limits.txt" 2>&1
	check "the 32-character volume id is stored whole" has "$X/limits.txt" "primary.volume=$V32"
	check "the 128-character publisher is stored whole" has "$X/limits.txt" "primary.publisher=$P128"
fi
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
for opt in "-V ${V32}6" "--publisher ${P128}q" "--system-id ${V32}6" "--volset-id ${P128}q" \
	"--preparer ${P128}q" "--application ${P128}q"; do
	# shellcheck disable=SC2086
	"$MKIMAGE" -o "$OUTD/too-long.iso" $opt "$SRC" 2>"$X/too-long.err"
	rc=$?
	name=${opt%% *}
	if [ "$rc" -ne 0 ] && [ -s "$X/too-long.err" ]; then
		pass "$name one character too long is refused (exit $rc): $(head -n 1 "$X/too-long.err" | cut -c1-100)"
	else
		fail "$name one character too long: exit $rc, message: $(cat "$X/too-long.err")"
	fi
	check "$name too long: nothing left" no_leftovers "$OUTD"
done

it_finish
