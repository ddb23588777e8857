#!/bin/bash
# Every medium the emulated recorder offers, as a recorder user meets it: the write mode
# chosen and named, --check (equal: 0; a changed sector: 5 naming its LBA), --read
# byte-identical, the refusal of a written disc, blank or format and rewrite in one call,
# the modes a medium allows and refuses, --eject/--load, --speed read back.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"

T=$(mktemp -d /tmp/writeimg_media.XXXXXX)
trap 'rm -rf "$T"' EXIT
W() { "$WRITEIMG" --no-inhibit "$@"; }

# Whole sectors, so that --read gives back the very file; 1500 is no multiple of 16 or 32
# (the ECC padding is cut again by the volume size).
make_image "$T/a.iso" $((1500 * 2048)) DISC_A
make_image "$T/b.iso" $((1700 * 2048)) DISC_B
cp "$T/a.iso" "$T/a-changed.iso"
printf 'X' | dd of="$T/a-changed.iso" bs=1 seek=$((700 * 2048 + 5)) conv=notrunc 2>/dev/null

# offered MEDIUM: whether this build's emulator has it (the emulator grows per issue 12).
offered() { W -d "emu:$1:$T/probe-$1.img" --info >/dev/null 2>&1; }

# roundtrip D IMAGE MODE_REGEX: write, name the mode, check, read back byte-identical.
roundtrip() {
	local D=$1 img=$2 mode=$3 extra=${4:-} said=${5:-}
	expect_rc 0 W -q -d "$D" $extra "$img"
	expect_out "image: ISO 9660, volume \"DISC_"
	expect_out "write mode: $mode"
	[ -z "$said" ] || expect_out "$said"
	expect_rc 0 W -q -d "$D" --check "$img"
	expect_out "the disc holds the image"
	rm -f "$T/out.iso"
	expect_rc 0 W -q -d "$D" --read "$T/out.iso"
	cmp "$T/out.iso" "$img" || fail "$D: --read differs from what was written"
	ls "$T"/out.iso.part-* >/dev/null 2>&1 && fail "$D: a temporary file was left"
	true
}

# medium kind mode: kinds: once (write-once), blank (BLANK), format (FORMAT UNIT).
MEDIA="cd-r:once:SAO|TAO cd-rw:blank:SAO|TAO dvd-r:once:DAO dvd-rw:blank:DAO
	dvd+r:once:sequential dvd+r-dl:once:sequential dvd-r-dl:once:DAO bd-r:once:SRM
	dvd+rw:format:overwrite bd-re:format:overwrite dvd-ram:format:overwrite"
done_media=
for entry in $MEDIA; do
	IFS=: read -r m kind mode <<<"$entry"
	offered "$m" || fail "the emulator does not offer $m"
	D="emu:$m:$T/$m.img"
	# --info names the mode a write would use.
	expect_rc 0 W -d "$D" --info --json
	word=$(printf '%s' "${mode%%|*}" | tr A-Z a-z)
	[ "$(printf '%s' "$OUT" | json_get '["media"]["write_mode"]')" = "$word" ] ||
		fail "$m: --info write mode is not $word"
	roundtrip "$D" "$T/a.iso" "($mode)"
	# A changed sector is found and named.
	expect_rc 5 W -q -d "$D" --check "$T/a-changed.iso"
	expect_out "first difference at LBA [0-9]+ \\(image sector 700\\)"
	# A written disc is refused, with the way out named; nothing changes.
	expect_rc 3 W -q -d "$D" "$T/b.iso"
	case $kind in
	once)
		expect_out "use a blank disc"
		expect_rc 3 W -q -d "$D" --blank
		expect_out "write-once"
		expect_rc 3 W -q -d "$D" --format
		expect_out "cannot be formatted"
		expect_rc 3 W -q -d "$D" --blank "$T/b.iso"
		;;
	blank)
		expect_out "--blank"
		roundtrip "$D" "$T/b.iso" "($mode)" --blank "blanking done: the disc is now a blank"
		expect_rc 0 W -q -d "$D" --blank=full
		expect_out "the disc is now a blank"
		expect_rc 0 W -d "$D" --info --json
		expect_json '["media"]["status"]' blank "$m: not blank"
		;;
	format)
		expect_out "holds data.*--format"
		roundtrip "$D" "$T/b.iso" "($mode)" --format "formatting the"
		# --blank clears the volume: the disc then takes an image without asking.
		expect_rc 0 W -q -d "$D" --blank
		expect_out "is cleared"
		expect_rc 3 W -q -d "$D" --read "$T/none.iso"
		expect_out "holds no ISO 9660 or UDF volume"
		[ ! -e "$T/none.iso" ] || fail "$m: --read of an empty disc left a file"
		roundtrip "$D" "$T/a.iso" "($mode)"
		# --multisession grows the volume, with an image made for its end only
		expect_rc 3 W -q -d "$D" -m "$T/b.iso"
		expect_out "made for a first session .*next session starts at LBA 1504.*mkimage --previous"
		expect_rc 3 W -q -d "$D" --mode tao --format "$T/b.iso"
		expect_out "--mode tao does not apply"
		;;
	esac
	done_media="$done_media $m"
	note "$m ok"
done

# --- DVD-RW: formatted to restricted overwrite, written in place, blanked back ---
D="emu:dvd-rw:$T/ro.img"
expect_rc 0 W -q -d "$D" --format
expect_out "formatting the DVD-RW \\(sequential\\) \\(quick, format type 15h"
expect_out "now a formatted DVD-RW \\(restricted overwrite\\)"
roundtrip "$D" "$T/a.iso" "overwrite"
expect_rc 3 W -q -d "$D" "$T/b.iso"
expect_out "holds data.*--blank"
expect_rc 0 W -q -d "$D" --blank "$T/b.iso"
expect_out "write mode: DAO"
expect_rc 0 W -q -d "$D" --check "$T/b.iso"
note "dvd-rw restricted overwrite ok"

# --- write modes asked for ---
if offered cd-r; then
	expect_rc 0 W -q -d "emu:cd-r:$T/cd-tao.img" --mode tao "$T/a.iso"
	expect_out "write mode: TAO"
	expect_rc 0 W -q -d "emu:cd-r:$T/cd-tao.img" --check "$T/a.iso"
	expect_rc 3 W -q -d "emu:cd-r:$T/cd-inc.img" --mode incremental "$T/a.iso"
	expect_out "use tao or sao"
fi
if offered dvd-r; then
	expect_rc 0 W -q -d "emu:dvd-r:$T/dvd-inc.img" --mode incremental "$T/a.iso"
	expect_out "write mode: incremental"
	expect_rc 0 W -q -d "emu:dvd-r:$T/dvd-inc.img" --check "$T/a.iso"
	expect_rc 3 W -q -d "emu:dvd-r:$T/dvd-tao.img" --mode tao "$T/a.iso"
	expect_out "use dao or incremental"
	expect_rc 3 W -q -d "emu:dvd-r:$T/ms.img" --mode dao -m "$T/a.iso"
	expect_out "cannot go with --multisession"
	# A disc filled by its first session is refused before anything is written (the
	# emulator closes a full disc; an appendable one with no room left is refused as
	# "full", tests/unit/test_wi.c).
	expect_rc 0 W -q -d "emu:dvd-r:$T/full.img?capacity=1504" -m "$T/a.iso"
	expect_rc 3 W -q -d "emu:dvd-r:$T/full.img" -m "$T/a.iso"
	expect_out "complete|full|too big"
	expect_out "nothing was written"
fi
if offered dvd+r; then
	expect_rc 3 W -q -d "emu:dvd+r:$T/dao.img" --mode dao "$T/a.iso"
	expect_out "one write mode"
	expect_rc 3 W -q -d "emu:dvd+r:$T/lb.img" --layer-break 1024 "$T/a.iso"
	expect_out "--layer-break applies to DVD\\+R DL"
fi

# --- dual layer: the break in the middle, asked for, refused (small discs: capacity and
# layer 0 set in the emulator's settings) ---
make_image "$T/dl.iso" $((3000 * 2048)) DISC_DL
for m in dvd+r-dl dvd-r-dl; do
	offered $m || continue
	D="emu:$m:$T/dl-$m.img?capacity=4000&layer0=2000"
	expect_rc 0 W -q -d "$D" "$T/dl.iso"
	expect_out "layer break at LBA 1504: layer 0 holds 1504 sectors, layer 1 1504"
	expect_rc 0 W -q -d "emu:$m:$T/dl-$m.img" --check "$T/dl.iso"
	rm -f "$T/out.iso"
	expect_rc 0 W -q -d "emu:$m:$T/dl-$m.img" --read "$T/out.iso"
	cmp "$T/out.iso" "$T/dl.iso" || fail "$m: --read across the layer break differs"
	expect_rc 0 W -q -d "emu:$m:$T/dl2-$m.img?capacity=4000&layer0=2000" --layer-break 1600 "$T/dl.iso"
	expect_out "layer break at LBA 1600"
	expect_rc 3 W -q -d "emu:$m:$T/dl3-$m.img?capacity=4000&layer0=2000" --layer-break 992 "$T/dl.iso"
	expect_out "layer 1 would need 2016 sectors"
	expect_rc 3 W -q -d "emu:$m:$T/dl4-$m.img?capacity=4000&layer0=2000" --layer-break 2500 "$T/dl.iso"
	expect_out "ECC block"
	expect_rc 3 W -q -d "emu:$m:$T/dl5-$m.img?capacity=4000&layer0=1400" "$T/dl.iso"
	expect_out "larger than the disc's two layers"
	note "$m layer break ok"
done

# --- mkimage's images (ISO 9660, pure UDF, bridge, bootable) are named and read back as
# they were: the size comes from their volume descriptors (UDF: its closing anchor) ---
if [ -n "${MKIMAGE:-}" ] && [ -x "$MKIMAGE" ]; then
	mkdir -p "$T/tree/sub"
	head -c 2500000 /dev/urandom >"$T/tree/payload.bin"
	echo hello >"$T/tree/sub/hello.txt"
	"$MKIMAGE" -o "$T/m-iso.iso" -V MK_ISO "$T/tree" >/dev/null
	"$MKIMAGE" -o "$T/m-udf.iso" --fs udf "$T/tree" >/dev/null
	"$MKIMAGE" -o "$T/m-bridge.iso" --fs iso9660,joliet,udf "$T/tree" >/dev/null
	# Rock Ridge is seen in the root's "." record (SUSP SP, ER RRIP_1991A): mkimage's
	# default has it, the bridge made without it does not say it.
	for k in iso:"ISO 9660 \\+ Rock Ridge \\+ Joliet, volume \"MK_ISO\"" udf:"UDF, volume" \
		 bridge:"ISO 9660 \\+ UDF bridge \\+ Joliet, volume"; do
		f=${k%%:*} said=${k#*:}
		for m in dvd+rw bd-r cd-r; do
			D="emu:$m:$T/mk-$f-$m.img"
			expect_rc 0 W -q -d "$D" "$T/m-$f.iso"
			expect_out "image: $said"
			rm -f "$T/out.iso"
			expect_rc 0 W -q -d "$D" --read "$T/out.iso"
			cmp "$T/out.iso" "$T/m-$f.iso" || fail "$m: mkimage's $f image read back differs"
		done
	done
	note "mkimage images ok"
fi

# --- data that is no image, and a size that is not whole sectors ---
make_raw "$T/raw" 100000
expect_rc 2 W -q -d "emu:dvd+r:$T/raw.img" "$T/raw"
expect_out "no ISO 9660 or UDF image.*--raw"
W -q -d "emu:dvd+r:$T/raw.img" --info >/dev/null
expect_rc 0 W -q -d "emu:dvd+r:$T/raw.img" --raw --verify "$T/raw"
expect_out "raw data"
expect_out "padded with 352 zero bytes"
expect_rc 0 W -q -d "emu:dvd+r:$T/raw.img" --check "$T/raw"

# --- the tray as an action, and the speed read back ---
expect_rc 0 W -d "emu:dvd+r:$T/tray.img" --eject
expect_out "the tray is open"
expect_rc 0 W -d "emu:dvd+r:$T/tray.img" --load
expect_out "the tray is closed; the drive holds a blank DVD\\+R"
expect_rc 0 W -q -d "emu:cd-r:$T/speed.img" --speed 99 "$T/a.iso"
expect_out "write speed: 99x asked"
if printf '%s\n' "$OUT" | grep -q "the drive set 99"; then fail "--speed: the speed asked was reported"; fi

echo "writeimg_media: ok ($done_media )"
