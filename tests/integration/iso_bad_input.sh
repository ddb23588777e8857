#!/bin/bash
# Bad input and failing output. In every failure: the documented exit status (1 when the
# image cannot be made, 2 for a usage error, mkimage.1), a message on stderr that names
# what is wrong, and nothing left in the output directory (no OUT, no temporary file).
#
# We run as root, and root reads a chmod 000 file anyway: the unreadable-source and
# unwritable-directory cases run mkimage without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
# (setpriv from util-linux drops them from the bounding set, so root then obeys modes).
. "$(dirname "$0")/lib.sh"
it_init iso_bad_input
require_tools bsdtar isoinfo pycdlib setpriv

SRC=$SCRATCH/src
mkdir -p "$SRC/sub"
printf 'hello\n' >"$SRC/hello.txt"
printf 'in sub\n' >"$SRC/sub/x.txt"
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
printf 'keep\n' >"$OUTD/existing.txt"
ERR=$SCRATCH/err.txt

# expect_failure DESCRIPTION STATUS STDERR-REGEX OUTPUT-DIR KEEP... -- MKIMAGE-ARGS...
# Runs mkimage; checks the exit status, that stderr matches the regex (grep -E), and that
# OUTPUT-DIR holds exactly KEEP afterwards.
expect_failure() {
	local desc=$1 want=$2 re=$3 dir=$4 keep=() rc
	shift 4
	while [ "$1" != -- ]; do keep+=("$1"); shift; done
	shift
	"$MKIMAGE" "$@" >"$SCRATCH/stdout.txt" 2>"$ERR" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$desc: exit $rc"; else
		fail "$desc: exit $rc, expected $want"; sed 's/^/    /' "$ERR" | head -n 5; fi
	if [ -s "$ERR" ] && grep -qE -- "$re" "$ERR"; then
		pass "$desc: message: $(head -n 1 "$ERR" | cut -c1-150)"
	else
		fail "$desc: stderr does not match /$re/: $(head -c 300 "$ERR")"
	fi
	check "$desc: nothing left in $(basename "$dir")" no_leftovers "$dir" "${keep[@]}"
}
# as root without the capabilities that let root ignore file modes
nocap() { setpriv --bounding-set=-dac_override,-dac_read_search \
	--inh-caps=-dac_override,-dac_read_search "$@"; }

# ----- usage errors (exit 2) ----------------------------------------------------------
expect_failure "unknown option" 2 'bogus' "$OUTD" existing.txt -- -o "$OUTD/u.iso" --bogus "$SRC"
expect_failure "unknown filesystem in --fs" 2 'ntfs' "$OUTD" existing.txt -- -o "$OUTD/u.iso" --fs iso9660,ntfs "$SRC"
expect_failure "--iso-level 4" 2 'level' "$OUTD" existing.txt -- -o "$OUTD/u.iso" --iso-level 4 "$SRC"
expect_failure "no -o" 2 'output|-o' "$OUTD" existing.txt -- "$SRC"
expect_failure "no SOURCE" 2 'SOURCE|source' "$OUTD" existing.txt -- -o "$OUTD/u.iso"
expect_failure "a volume id of 33 characters" 1 'volume id' "$OUTD" existing.txt -- \
	-o "$OUTD/u.iso" -V ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 "$SRC"
check "--help exits 0 and shows the usage" sh -c '"$MKIMAGE" --help | grep -q "Usage: mkimage"'
check "--version exits 0 and shows a version" sh -c '"$MKIMAGE" --version | grep -qE "[0-9]+\.[0-9]+"'

# ----- sources ---------------------------------------------------------------------------
expect_failure "missing source" 1 "$SCRATCH/no/such/dir" "$OUTD" existing.txt -- \
	-o "$OUTD/m.iso" "$SCRATCH/no/such/dir"
expect_failure "missing grafted source" 1 "$SCRATCH/nothing.txt" "$OUTD" existing.txt -- \
	-o "$OUTD/m.iso" "docs/a.txt=$SCRATCH/nothing.txt"
expect_failure "a missing source among good ones" 1 "$SCRATCH/gone" "$OUTD" existing.txt -- \
	-o "$OUTD/m.iso" "$SRC" "$SCRATCH/gone"

UNREAD=$SCRATCH/unreadable
mkdir -p "$UNREAD/d"
printf 'a\n' >"$UNREAD/a.txt"
printf 'secret\n' >"$UNREAD/secret.txt"
chmod 000 "$UNREAD/secret.txt"
if ! nocap true 2>"$SCRATCH/setpriv.err"; then
	fail "setpriv cannot drop capabilities here ($(cat "$SCRATCH/setpriv.err")): unreadable sources untested"
elif nocap cat "$UNREAD/secret.txt" >/dev/null 2>&1; then
	fail "setpriv did not drop root's file access: cannot test unreadable sources"
else
	MKIMAGE_SAVED=$MKIMAGE
	MKIMAGE="$SCRATCH/mkimage-nocap"
	printf '#!/bin/sh\nexec setpriv --bounding-set=-dac_override,-dac_read_search --inh-caps=-dac_override,-dac_read_search "%s" "$@"\n' \
		"$MKIMAGE_SAVED" >"$MKIMAGE"
	chmod +x "$MKIMAGE"
	expect_failure "unreadable file (mode 000, no DAC override)" 1 'secret.txt' "$OUTD" existing.txt -- \
		-o "$OUTD/r.iso" "$UNREAD"
	chmod 644 "$UNREAD/secret.txt"
	chmod 000 "$UNREAD/d"
	expect_failure "unreadable directory (mode 000, no DAC override)" 1 "unreadable/d" "$OUTD" existing.txt -- \
		-o "$OUTD/r.iso" "$UNREAD"
	chmod 755 "$UNREAD/d"
	ROD=$SCRATCH/readonly-out
	mkdir -p "$ROD"
	chmod 555 "$ROD"
	expect_failure "output directory not writable (no DAC override)" 1 "$ROD" "$ROD" -- \
		-o "$ROD/w.iso" "$SRC"
	chmod 755 "$ROD"
	MKIMAGE=$MKIMAGE_SAVED
fi

# two sources for one name
printf 'one\n' >"$SCRATCH/one.txt"
printf 'two\n' >"$SCRATCH/two.txt"
expect_failure "two files grafted to one name" 1 'one\.txt.*two\.txt|two\.txt.*one\.txt' "$OUTD" existing.txt -- \
	-o "$OUTD/g.iso" "docs/a.txt=$SCRATCH/one.txt" "docs/a.txt=$SCRATCH/two.txt"
SRC2=$SCRATCH/src2
mkdir -p "$SRC2/sub"
printf 'other hello\n' >"$SRC2/hello.txt"
printf 'y\n' >"$SRC2/sub/y.txt"
expect_failure "two source trees with the same file" 1 "hello\.txt" "$OUTD" existing.txt -- \
	-o "$OUTD/g.iso" "$SRC" "$SRC2"
expect_failure "a file grafted onto a directory" 1 "sub" "$OUTD" existing.txt -- \
	-o "$OUTD/g.iso" "$SRC" "sub=$SCRATCH/one.txt"
# (directories from several sources are merged: not an error)
rm "$SRC2/hello.txt"
if check "two source trees sharing a directory are merged" mkimg -o "$OUTD/merged.iso" "$SRC" "$SRC2"; then
	check "the merged directory holds both trees' files" sh -c '
		bsdtar -tf "$1" | grep -qx "sub/x.txt" && bsdtar -tf "$1" | grep -qx "sub/y.txt"' sh "$OUTD/merged.iso"
	rm -f "$OUTD/merged.iso"
fi

# --follow-links and a link to one of its own parents: a loop
LOOP=$SCRATCH/loop
mkdir -p "$LOOP/a/b"
ln -s ../.. "$LOOP/a/b/up"
expect_failure "--follow-links with a link to its own parent directory" 1 'loop|a/b/up' "$OUTD" existing.txt -- \
	-o "$OUTD/l.iso" --follow-links "$LOOP"
check "without --follow-links the same tree is fine" mkimg -o "$OUTD/l.iso" "$LOOP"
rm -f "$OUTD/l.iso"

# ----- output --------------------------------------------------------------------------
expect_failure "output inside the source tree" 1 'out\.iso|inside|within|source' "$SRC" hello.txt sub -- \
	-o "$SRC/out.iso" "$SRC"
expect_failure "output inside a subdirectory of the source tree" 1 'out\.iso|inside|within|source' \
	"$SRC/sub" x.txt -- -o "$SRC/sub/out.iso" "$SRC"
expect_failure "output onto a source file" 1 'hello\.txt|inside|within|source' "$SRC" hello.txt sub -- \
	-o "$SRC/hello.txt" "$SRC"
check "the source file is intact" sh -c '[ "$(cat "$1")" = hello ]' sh "$SRC/hello.txt"
expect_failure "output inside a grafted directory" 1 'out\.iso|inside|within|source' "$SRC/sub" x.txt -- \
	-o "$SRC/sub/out.iso" "docs=$SRC/sub"
# An existing output reached through a followed link: the walk meets it and stops.
FL=$SCRATCH/fl
mkdir -p "$FL/src" "$FL/out"
printf 'f\n' >"$FL/src/f.txt"
printf 'old image\n' >"$FL/out/old.iso"
ln -s ../out "$FL/src/outdir"
expect_failure "an existing output met through --follow-links" 1 'old\.iso.*inside|inside.*old\.iso' \
	"$FL/out" old.iso -- -o "$FL/out/old.iso" --follow-links "$FL/src"
check "the old image is intact" sh -c '[ "$(cat "$1")" = "old image" ]' sh "$FL/out/old.iso"
expect_failure "output directory missing" 1 "$SCRATCH/no-dir" "$OUTD" existing.txt -- \
	-o "$SCRATCH/no-dir/x.iso" "$SRC"

BIGSRC=$SCRATCH/bigsrc
mkdir -p "$BIGSRC"
gen_bytes full 3000000 >"$BIGSRC/data.bin"
# standard output that is full
"$MKIMAGE" -o - "$BIGSRC" >/dev/full 2>"$ERR"
rc=$?
if [ "$rc" -eq 1 ]; then pass "-o - into /dev/full: exit 1"; else fail "-o - into /dev/full: exit $rc, expected 1"; fi
check "-o - into /dev/full: message says the write failed" grep -qiE 'space|write|output' "$ERR"
# a full file system: a 1 MiB tmpfs (needs CAP_SYS_ADMIN; we run as root)
FULL=$SCRATCH/tmpfs
mkdir -p "$FULL"
if mount -t tmpfs -o size=1m tmpfs "$FULL" 2>"$SCRATCH/mount.err"; then
	expect_failure "disk full (1 MiB tmpfs)" 1 'space|write|data\.bin|full' "$FULL" -- \
		-o "$FULL/full.iso" "$BIGSRC"
	umount "$FULL"
else
	it_log "note: cannot mount a tmpfs here ($(cat "$SCRATCH/mount.err")): the full-disk case is covered by /dev/full only"
fi

# ----- a file that changes while mkimage runs ------------------------------------------
# A /proc file: stat says 0 bytes, reading gives more. Either mkimage refuses it (exit 1,
# the file named, nothing left) or the image is consistent: the recorded size is what is
# stored, and everything else reads back.
VOL=$SCRATCH/volatile
mkdir -p "$VOL"
printf 'stable\n' >"$VOL/z_stable.txt"
"$MKIMAGE" -o "$OUTD/v.iso" "$VOL" "proc_status=/proc/self/status" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ]; then
	check "a /proc file (size 0, content more): the image is consistent (pycdlib)" \
		pycdlib_extract rr "$OUTD/v.iso" "$SCRATCH/v-pycdlib"
	check "a /proc file: the other file reads back" cmp "$VOL/z_stable.txt" "$SCRATCH/v-pycdlib/z_stable.txt"
	rm -f "$OUTD/v.iso"
else
	check "a /proc file refused: exit 1" test "$rc" -eq 1
	check "a /proc file refused: the message names it" grep -q 'proc_status\|/proc/self/status' "$ERR"
fi
check "a /proc file: nothing else left" no_leftovers "$OUTD" existing.txt
# A file truncated and regrown in a loop while mkimage reads it (racy, but every outcome
# is checked: a refusal naming it, or an image in which every other file is intact and
# the volume size matches the image size).
RACE=$SCRATCH/race
mkdir -p "$RACE"
printf 'first\n' >"$RACE/a_first.txt"
truncate -s 64M "$RACE/m_changing.bin"
gen_bytes last 100000 >"$RACE/z_last.bin"
(
	end=$((SECONDS + 30))
	while [ $SECONDS -lt $end ]; do
		truncate -s 1M "$RACE/m_changing.bin"
		truncate -s 64M "$RACE/m_changing.bin"
	done
) &
racer=$!
"$MKIMAGE" -o "$OUTD/race.iso" "$RACE" 2>"$ERR"
rc=$?
kill "$racer" 2>/dev/null
wait "$racer" 2>/dev/null
if [ "$rc" -eq 0 ]; then
	pass "a file changing size: mkimage made an image (checking it)"
	check "a file changing size: volume size matches the image" sh -c '
		n=$(isoinfo -d -i "$1" | sed -n "s/^Volume size is: //p"); [ "$((n * 2048))" -eq "$(stat -c %s "$1")" ]' sh "$OUTD/race.iso"
	mkdir -p "$SCRATCH/race-x"
	bsdtar_extract rr "$OUTD/race.iso" "$SCRATCH/race-x" &&
		check "a file changing size: the files around it are intact" sh -c '
			cmp "$1/a_first.txt" "$2/a_first.txt" && cmp "$1/z_last.bin" "$2/z_last.bin"' sh "$RACE" "$SCRATCH/race-x"
	rm -f "$OUTD/race.iso"
else
	check "a file changing size refused: exit 1" test "$rc" -eq 1
	check "a file changing size refused: the message names it" grep -q 'm_changing.bin' "$ERR"
fi
check "a file changing size: nothing else left" no_leftovers "$OUTD" existing.txt

it_finish
