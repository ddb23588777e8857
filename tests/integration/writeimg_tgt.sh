#!/bin/bash
# writeimg against Debian's tgt as an iSCSI DVD+R (spec/drive-notes.md): a
# private tgtd on a free loopback port, stopped in a trap whatever happens.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"

T=$(mktemp -d /tmp/writeimg_tgt.XXXXXX)
trap 'tgt_stop; rm -rf "$T" "$TGT_STATE"' EXIT INT TERM
W() { "$WRITEIMG" --no-inhibit "$@"; }

: >"$T/disc.img"
tgt_start "$T/disc.img"

# --info of the blank DVD+R.
expect_rc 0 W -d "$TGT_URL" --info --json
expect_json '["drive"]["vendor"]' IET "vendor"
expect_json '["media"]["type"]' DVD+R "not a DVD+R"
expect_json '["media"]["status"]' blank "not blank"
expect_json '["media"]["free_sectors"]' 2295104 "capacity"
expect_rc 0 W -d "$TGT_URL" --info
expect_out "Status: +blank"

# An image larger than the disc is refused before the first WRITE (tgt itself would
# take it: it has no capacity check).
truncate -s 5G "$T/big.iso"
expect_rc 3 W -q -d "$TGT_URL" --raw "$T/big.iso"
expect_out "326336 sectors .* too big"
[ ! -s "$T/disc.img" ] || fail "the refused image wrote data"

# Write and verify an image that is not a multiple of 32 KiB.
make_image "$T/x.iso" $(( 1404 * 2048 ))
expect_rc 0 W -d "$TGT_URL" --verify "$T/x.iso"
expect_out "does not support RESERVE TRACK"
expect_out "verified: SHA-256"
cmp -n $(( 1404 * 2048 )) "$T/disc.img" "$T/x.iso" || fail "backing file differs from the image"
size=$(stat -c %s "$T/disc.img")
[ "$size" = $(( 1408 * 2048 )) ] || fail "backing file is $size bytes"
tail -c +$(( 1404 * 2048 + 1 )) "$T/disc.img" | cmp -s - <(head -c $(( 4 * 2048 )) /dev/zero) ||
	fail "padding is not zeros"

# --info after: complete (tgt turns it into a DVD-ROM), 1408 sectors recorded.
expect_rc 0 W -d "$TGT_URL" --info --json
expect_json '["media"]["status"]' complete "not complete"
expect_json '["media"]["recorded_sectors"]' 1408 "recorded"
expect_json '["media"]["free_sectors"]' 0 "free"

# A complete disc is refused, and the backing file stays as it was.
sum=$(sha256sum <"$T/disc.img")
expect_rc 3 W -q -d "$TGT_URL" "$T/x.iso"
expect_out "cannot be written"
[ "$(sha256sum <"$T/disc.img")" = "$sum" ] || fail "the refused write changed the disc"

# A second LUN: a non-empty backing file is a DVD-ROM from the start.
tgt_stop
cp "$T/x.iso" "$T/rom.img"
tgt_start "$T/rom.img"
expect_rc 3 W -q -d "$TGT_URL" "$T/x.iso"
expect_out "DVD-ROM"
tgt_stop

# A 64 MiB image through stdin, with larger WRITE commands.
: >"$T/disc2.img"
tgt_start "$T/disc2.img"
make_image "$T/y.iso" $(( 64 * 1024 * 1024 ))
expect_rc 0 sh -c "'$WRITEIMG' --no-inhibit -q -d '$TGT_URL' --chunk 256 --size 64M --verify - <'$T/y.iso'"
cmp "$T/disc2.img" "$T/y.iso" || fail "64 MiB: backing file differs"

# A hard disk (SCSI device type 00h) that a careless -d names: refused before any command
# that could write, every job, and its bytes stay as they were (issue 12).
tgt_stop
head -c $(( 8 * 1024 * 1024 )) /dev/urandom >"$T/disk.img"
sum=$(sha256sum <"$T/disk.img")
tgt_start "$T/disk.img" disk
for job in "$T/x.iso" --blank --format; do
	expect_rc 3 W -q -d "$TGT_URL" $job
	expect_out "not an optical drive: SCSI peripheral device type 00h"
done
tgt_stop
[ "$(sha256sum <"$T/disk.img")" = "$sum" ] || fail "the disk LUN was changed"

# Nobody listening: a clear error.
expect_rc 1 W -d iscsi://127.0.0.1:1/iqn.2026-11.test:none/1 --info
expect_out "cannot connect"
echo "writeimg_tgt: ok"
