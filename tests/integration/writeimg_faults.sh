#!/bin/bash
# Fault tolerance (issue 16 item 4): for each fault the emulated recorder injects
# (emu_state.h), writeimg's exit status and its report of the disc's state are right,
# and nothing is left half-done where it could be avoided.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"

T=$(mktemp -d /tmp/writeimg_faults.XXXXXX)
trap 'rm -rf "$T"' EXIT
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
status_of() { "$WRITEIMG" --no-inhibit -d "$1" --info --json | json_get '["media"]["status"]'; }

make_image "$T/img" $((1500 * 2048)) FAULTS

# --- write_error_lba: exit 4, the LBA named, the disc's state after the salvage ---
for m in dvd+r dvd-r cd-r bd-r; do
	expect_rc 4 W -d "emu:$m:$T/we-$m.img?write_error_lba=640" "$T/img"
	expect_out "WRITE\\(10\\) at LBA [0-9]+ .*3/0c/00"
	# Closed, never finalized: a disc written at once (DVD-R DAO, CD-R SAO) is closed
	# with its session, the others stay appendable.
	expect_out "640 of 1500 sectors were written; the disc is now an? (appendable|complete \\(closed\\)) .* with 640 sectors recorded"
	expect_out "holding an incomplete image"
	st=$(status_of "emu:$m:$T/we-$m.img")
	case $m:$st in dvd-r:complete|cd-r:complete|*:appendable) ;; *) fail "$m: a write error left a $st disc" ;; esac
done

# --- read_error_lba: --verify and --check exit 5 naming the LBA; --read leaves no file ---
W -d "emu:dvd+r:$T/re.img" "$T/img"
expect_rc 5 W -d "emu:dvd+r:$T/re.img?read_error_lba=900" --check "$T/img"
expect_out "READ\\(10\\) at LBA 896 .*Unrecovered read error"
expect_rc 1 W -d "emu:dvd+r:$T/re.img?read_error_lba=900" --read "$T/re-out.iso"
expect_out "re-out.iso was not written"
[ ! -e "$T/re-out.iso" ] && ! ls "$T"/re-out.iso.part-* >/dev/null 2>&1 || fail "--read left a file"
expect_rc 5 W -d "emu:bd-r:$T/re2.img?read_error_lba=33" --verify "$T/img"
expect_out "verifying: READ\\(10\\) at LBA 32"

# --- not_ready and unit_attention: waited for and retried, then written ---
expect_rc 0 W -d "emu:dvd-r:$T/nr.img?not_ready=5&unit_attention=1" --verify "$T/img"
expect_rc 0 W -d "emu:cd-rw:$T/nr2.img?not_ready=3" "$T/img"
expect_rc 0 W -d "emu:cd-rw:$T/nr2.img?not_ready=3&unit_attention=1" --blank
expect_out "now a blank CD-RW"

# --- busy_after_close: finalizing waits; blank and the check after it too ---
expect_rc 0 W -d "emu:dvd+r:$T/busy.img?busy_after_close=6" --verify "$T/img"
[ "$(status_of "emu:dvd+r:$T/busy.img")" = complete ] || fail "busy_after_close: not complete"

# --- no_media: every job refuses with exit 3 and says the drive is empty ---
for job in "$T/img" "--blank" "--format" "--check=$T/img"; do
	expect_rc 3 W -d "emu:dvd+rw:$T/none.img?no_media=1" $job
	expect_out "no disc in the drive"
done
expect_rc 3 W -d "emu:dvd+r:$T/none2.img?no_media=1" --read "$T/none-out.iso"
[ ! -e "$T/none-out.iso" ] || fail "no_media: --read left a file"

# --- remove_after_writes: the disc pulled out mid-write: exit 4, told so ---
expect_rc 4 W -d "emu:dvd+r:$T/rm.img?remove_after_writes=20" "$T/img"
expect_out "Medium not present"
expect_out "the disc is no longer in the drive"

# --- write_protected: refused before anything (exit 3) for every writing job ---
for m in cd-rw dvd+r; do
	expect_rc 3 W -d "emu:$m:$T/wp-$m.img?write_protected=1" "$T/img"
	expect_out "write-protected"
	expect_out "nothing was written"
done
expect_rc 3 W -d "emu:cd-rw:$T/wp-cd-rw.img?write_protected=1" --blank
expect_out "write-protected"
expect_out "nothing was changed"
expect_rc 3 W -d "emu:dvd+rw:$T/wp-rw.img?write_protected=1" --format
expect_out "write-protected"

# --- pre-flight refusals name the disc's state ---
W -d "emu:cd-r:$T/closed.img" "$T/img"
expect_rc 3 W -d "emu:cd-r:$T/closed.img" --blank
expect_out "nothing was changed: the disc is a complete \\(closed\\) CD-R"
expect_rc 3 W -d "emu:cd-r:$T/closed.img" --format
expect_rc 3 W -d "emu:dvd+r:$T/small.img?capacity=1488" "$T/img"
expect_out "too big"
expect_out "the disc is a blank DVD\\+R \\(1488 sectors free\\); nothing was written"

# --- SIGTERM mid-write: exit 6, the track closed, the state told ---
"$WRITEIMG" --no-inhibit -q -d "emu:cd-r:$T/sig.img?write_delay_ms=40" --mode tao "$T/img" \
	>"$T/sig.out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 6 ] || { cat "$T/sig.out"; fail "SIGTERM: exit $rc"; }
grep -q "interrupted while writing" "$T/sig.out" || fail "SIGTERM: no message"
grep -qE "sectors were written; the disc is now an appendable CD-R" "$T/sig.out" ||
	{ cat "$T/sig.out"; fail "SIGTERM: no disc state"; }

# --- power loss mid-write: no answer any more; exit 4, what could not be done is said ---
expect_rc 4 W -d "emu:dvd+r:$T/pl.img?power_loss_after_writes=30" "$T/img"
expect_out "lost power"
expect_out "of 1500 sectors were written; the disc's state could not be read"
# After power returns: the track is damaged, the session incomplete; writing is refused.
expect_rc 0 W -d "emu:dvd+r:$T/pl.img" --info
expect_out "Status: +appendable"
expect_rc 3 W -d "emu:dvd+r:$T/pl.img" "$T/img"
expect_out "nothing was written"

# --- buffer underrun: exit 4, the cause named, the disc's state told ---
expect_rc 4 W -d "emu:dvd-r:$T/ur.img?underrun_after_writes=30" --mode incremental "$T/img"
expect_out "buffer underrun"
expect_out "480 of 1500 sectors were written; the disc is now an appendable DVD-R"

# --- an interrupted blank or format (the drive fails it): exit 4 and the disc now ---
W -d "emu:cd-rw:$T/bi.img" --mode tao "$T/img"
expect_rc 4 W -d "emu:cd-rw:$T/bi.img?blank_interrupt=1" --blank
expect_out "blanking failed: .*3/31/01"
expect_out "the disc is now a complete \\(closed\\) CD-RW .*last session damaged.*blank it again"
expect_rc 0 W -d "emu:cd-rw:$T/bi.img" --blank "$T/img"
expect_out "now a blank CD-RW"
expect_rc 4 W -d "emu:dvd+rw:$T/fi.img?format_interrupt=1" --format
expect_out "formatting failed"
expect_out "the disc is now a formatted DVD\\+RW .*background format stopped halfway"
expect_rc 4 W -d "emu:bd-re:$T/fi2.img?format_interrupt=1" "$T/img"
expect_out "formatting failed"
expect_out "the disc is now an unformatted BD-RE"
expect_rc 0 W -d "emu:bd-re:$T/fi2.img" --verify "$T/img"

# --- SIGINT while the drive blanks: exit 6; the drive goes on, and that is said ---
W -d "emu:cd-rw:$T/sb.img" --mode tao "$T/img"
"$WRITEIMG" --no-inhibit -q -d "emu:cd-rw:$T/sb.img?op_polls=400" --blank=full >"$T/sb.out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 6 ] || { cat "$T/sb.out"; fail "SIGINT during blank: exit $rc"; }
grep -q "the drive goes on blanking by itself" "$T/sb.out" || { cat "$T/sb.out"; fail "SIGINT during blank: no message"; }
grep -q "the disc is now busy: the drive goes on with the operation by itself" "$T/sb.out" ||
	{ cat "$T/sb.out"; fail "SIGINT during blank: no disc state"; }

echo "writeimg_faults: ok"
