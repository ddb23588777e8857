#!/bin/bash
# --implant-md5: checkisomd5 (isomd5sum) passes on the image and fails once a byte is
# flipped; the image is byte-identical to implantisomd5 --force on the plain image.
# --sha256: OUT.sha256 passes sha256sum -c; with -o - the sum is on standard error;
# --implant-md5 with -o - is refused with a reason.
. "$(dirname "$0")/lib.sh"
it_init checksum_images
require_tools cmp sha256sum
for t in checkisomd5 implantisomd5; do
	command -v $t >/dev/null || die "$t not found: install the Debian package isomd5sum"
done
export SOURCE_DATE_EPOCH=1600000000
SRC=$SCRATCH/src
make_rich_tree "$SRC" --no-special
O=$SCRATCH/out
mkdir -p "$O"
check "--implant-md5 --sha256" "$MKIMAGE" --implant-md5 --sha256 -o "$O/md5.iso" "$SRC"
check "checkisomd5 passes" checkisomd5 "$O/md5.iso"
check "sha256sum -c OUT.sha256 passes" sh -c 'cd "$1" && sha256sum -c --quiet md5.iso.sha256' sh "$O"
"$MKIMAGE" -o "$O/plain.iso" "$SRC"
cp "$O/plain.iso" "$O/implanted.iso"
implantisomd5 --force "$O/implanted.iso" >/dev/null
check "the same bytes as implantisomd5 --force" cmp "$O/md5.iso" "$O/implanted.iso"
for at in 100000 $(($(stat -c %s "$O/md5.iso") / 2)); do
	cp "$O/md5.iso" "$O/flip.iso"
	b=$(od -An -tu1 -j "$at" -N1 "$O/flip.iso" | tr -d ' ')
	printf "\\$(printf %03o $(((b + 1) % 256)))" | dd of="$O/flip.iso" bs=1 seek="$at" conv=notrunc 2>/dev/null
	check_fails "checkisomd5 fails after byte $at is changed" checkisomd5 "$O/flip.iso"
done
check_fails "sha256sum -c fails after a change" sh -c 'cp "$1/flip.iso" "$1/md5.iso" && cd "$1" && sha256sum -c --quiet md5.iso.sha256' sh "$O"
SOURCE_DATE_EPOCH=1600000000 "$MKIMAGE" --sha256 -o - "$SRC" 2>"$O/err" >"$O/stdout.iso"
check "with -o -, the SHA-256 is reported on standard error" grep -q "SHA-256 of the image: $(sha256sum <"$O/stdout.iso" | cut -d' ' -f1)" "$O/err"
"$MKIMAGE" --implant-md5 -o - "$SRC" >/dev/null 2>"$O/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "implant-md5 cannot write to standard output" "$O/err"; then pass "--implant-md5 -o - refused"; else fail "--implant-md5 -o -: exit $rc"; fi
it_finish
