#!/bin/sh
# writeimg's command line: usage errors, --help and the man page in step, --list.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"

expect_rc 0 "$WRITEIMG" --help
HELP=$OUT
expect_rc 2 "$WRITEIMG"
expect_out "no drive given"
expect_rc 2 "$WRITEIMG" -d emu:dvd+r:/nonexistent
expect_out "no image given"
expect_rc 2 "$WRITEIMG" --list --info
expect_rc 2 "$WRITEIMG" -d x --speed fast img
expect_out "--speed fast"
expect_rc 2 "$WRITEIMG" --bogus
expect_out "unknown option --bogus"
expect_rc 2 "$WRITEIMG" -d x --size 12Q -
# Usage errors of the recorder jobs: each names what is wrong.
expect_rc 2 "$WRITEIMG" -d emu:dvd+r:/tmp/a -d emu:dvd+r:/tmp/b img
expect_out "-d given twice"
expect_rc 2 "$WRITEIMG" -d x --blank=slow
expect_out "--blank=slow"
expect_rc 2 "$WRITEIMG" -d x --format=huge
expect_out "--format=huge"
expect_rc 2 "$WRITEIMG" -d x --blank --format
expect_out "exclude each other"
expect_rc 2 "$WRITEIMG" -d x --mode packet img
expect_out "--mode packet"
expect_rc 2 "$WRITEIMG" -d x --layer-break 12x img
expect_rc 2 "$WRITEIMG" -d x --layer-break 0 img
expect_rc 2 "$WRITEIMG" -d x --blank --raw
expect_out "go with an image"
expect_rc 2 "$WRITEIMG" -d x --check a.iso b.iso
expect_out "--check needs -d DRIVE and no image"
expect_rc 2 "$WRITEIMG" -d x --check a.iso --read b.iso
expect_rc 2 "$WRITEIMG" -d x --read out.iso --verify
expect_rc 2 "$WRITEIMG" -d x --load --eject
expect_rc 2 "$WRITEIMG" -d x --info --blank
expect_rc 2 "$WRITEIMG" --load
expect_rc 2 "$WRITEIMG" -d x --msinfo --blank
expect_rc 2 "$WRITEIMG" -d x --msinfo --check a.iso
expect_out "exclude each other"
# --close: with an image or alone, never with another action or after an erase
expect_rc 2 "$WRITEIMG" -d x --close --msinfo
expect_out "--close goes with an image or alone"
expect_rc 2 "$WRITEIMG" -d x --close --blank
expect_out "cannot follow --blank or --format"
expect_rc 2 "$WRITEIMG" -d x --close --multisession
expect_out "go with an image"
expect_rc 0 "$WRITEIMG" --version
expect_out "writeimg"

# Every long option of --help is in the man page and the other way round; so are the
# exit statuses.
MAN=$top_srcdir/writeimg/writeimg.1
help_opts=$(printf '%s\n' "$HELP" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
man_opts=$(sed 's/\\-/-/g' "$MAN" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ "$help_opts" = "$man_opts" ] || fail "options differ: help [$help_opts] man [$man_opts]"
for code in 0 1 2 3 4 5 6; do
	printf '%s\n' "$HELP" | grep -qE "^  $code  " || fail "--help lacks exit status $code"
	grep -qE "^\.B $code\$" "$MAN" || fail "writeimg.1 lacks exit status $code"
done

# --list works on a machine without optical drives (this one): text and JSON.
expect_rc 0 "$WRITEIMG" --list
expect_rc 0 "$WRITEIMG" --list --json
printf '%s\n' "$OUT" | python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), list)' ||
	fail "--list --json is not a JSON list"

# --watch runs until SIGTERM and then exits 0.
"$WRITEIMG" --watch >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 0 ] || [ $rc = 1 ] || fail "--watch exited $rc after SIGTERM"

# Device paths: a missing device says what to do.
expect_rc 1 "$WRITEIMG" -d /dev/nonexistent-sr7 --info
expect_out "writeimg --list"
echo "writeimg_cli: ok"
