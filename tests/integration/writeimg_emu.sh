#!/bin/bash
# writeimg against the built-in emulated recorder: --info for every medium, writes with
# verification, the pre-flight refusals, fault injection mid-write, stdin, signals.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"

T=$(mktemp -d /tmp/writeimg_emu.XXXXXX)
trap 'rm -rf "$T"' EXIT
W() { "$WRITEIMG" --no-inhibit "$@"; }

make_image "$T/img" 3000000          # 1465 sectors: padded to 1472 on DVD, 1472 on BD
IMG_SECTORS=1465

# --- every medium: --info of a blank disc, a verified write, --info after, refusal ---
for spec in "cd-r 9 359847 true" "cd-rw 10 359847 true" "dvd-r 17 2298496 true" \
	    "dvd+r 27 2295104 true" "dvd+rw 26 2295104 false" "bd-r 65 12219392 true" \
	    "bd-re 67 11826176 false" "dvd-rw 20 2298496 true" "dvd+r-dl 43 4173824 true" \
	    "dvd-r-dl 21 4171712 true" "dvd-ram 18 2236704 false"; do
	set -- $spec
	m=$1 profile=$2 cap=$3 once=$4
	D="emu:$m:$T/$m.img"
	# A BD-RE is formatted before it takes writes: this one was bought formatted.
	[ $m = bd-re ] && D="$D?formatted=1"
	expect_rc 0 W -d "$D" --info --json
	expect_json '["media"]["profile"]' "$profile" "$m: profile"
	st=$(printf '%s' "$OUT" | json_get '["media"]["status"]')
	# BD-RE and DVD-RAM come formatted: an overwritable disc reads "complete".
	case "$st:$m" in
	blank:* | complete:bd-re | complete:dvd-ram) ;;
	*) fail "$m: status $st, not blank" ;;
	esac
	expect_json '["media"]["free_sectors"]' "$cap" "$m: capacity"
	expect_json '["media"]["next_writable_address"]' 0 "$m: NWA"
	expect_json '["media"]["writable"]' True "$m: writable"
	expect_rc 0 W -d "$D" --info
	expect_out "Media: +$(printf '%s' "$m" | tr a-z A-Z | cut -c1-4)"
	[ $m = bd-re ] || [ $m = dvd-ram ] || expect_out "Status: +blank"

	# Capacity refusal, before anything is written: a sparse image one ECC block too big.
	truncate -s $(( (cap + 32) * 2048 )) "$T/big"
	expect_rc 3 W -q -d "$D" --raw "$T/big"
	expect_out "too big"
	expect_out "nothing was written"
	# Nothing but the state trailer is allocated in the sparse disc file.
	[ "$(stat -c %b "$T/$m.img")" -le 64 ] || fail "$m: a refused image left data"

	expect_rc 0 W -q -d "$D" --verify "$T/img"
	expect_out "verified: SHA-256"
	cmp -n 3000000 "$T/$m.img" "$T/img" || fail "$m: disc differs from the image"
	# One file: the data area (2,048 bytes a sector; on CD then the raw region, 2,352
	# bytes a sector), then the 256 KiB state trailer; zero padding after the image up
	# to the end of the last ECC block.
	size=$(stat -c %s "$T/$m.img")
	case $m in cd-*) unit=$((2048 + 2352)) ;; *) unit=2048 ;; esac
	[ $(( (size - 262144) % unit )) = 0 ] || fail "$m: odd disc size $size"
	tail -c +3000001 "$T/$m.img" | head -c $((1472 * 2048 - 3000000)) |
		cmp -s - <(head -c $((1472 * 2048 - 3000000)) /dev/zero) || fail "$m: padding is not zeros"
	[ ! -e "$T/$m.img.emu" ] || fail "$m: a sidecar state file appeared"

	expect_rc 0 W -d "$D" --info --json
	if [ "$once" = true ]; then
		expect_json '["media"]["status"]' complete "$m: not complete"
		expect_rc 3 W -q -d "$D" "$T/img"
		expect_out "complete"
	else
		# Rewritable: what it holds is not lost silently; erased and written in one call.
		expect_rc 3 W -q -d "$D" "$T/img"
		expect_out "holds data.*--format"
		expect_rc 0 W -q -d "$D" --format "$T/img"
		expect_out "formatting the"
		expect_rc 0 W -q -d "$D" --blank --verify "$T/img"
		expect_out "volume \(the first 64 KiB\) is cleared"
	fi
	note "$m ok"
done

# --- the empty drive, and a medium mismatch ---
expect_rc 0 W -d emu:none:$T/none.img --info
expect_out "no disc"
expect_rc 3 W -q -d emu:none:$T/none.img "$T/img"
expect_out "no disc in the drive"
expect_rc 1 W -d emu:cd-r:$T/dvd+r.img --info
expect_out "holds a dvd\+r disc"

# --- appendable discs: refused without --multisession, a second session with it ---
D=emu:cd-r:$T/ms.img
expect_rc 0 W -q -m -d $D "$T/img"
expect_out "the disc is appendable"
expect_rc 3 W -q -d $D "$T/img"
expect_out "appendable.*--multisession"
# The next session's image must be made for its address (12865: after the first
# session's lead-out and the next lead-in): a first session's image is refused there.
expect_rc 3 W -q -m -d $D "$T/img"
expect_out "made for a first session .*LBA 12865.*mkimage --previous"
make_image "$T/img2" 3000000 SESSION2 12865
expect_rc 0 W -q -m -d $D --verify "$T/img2"
expect_out "LBA 12865"
expect_rc 0 W -d $D --info --json
expect_json '["media"]["sessions"]' 3 "multisession: sessions"

# --- fault injection mid-write: a clear report, exit 4, the disc state told ---
expect_rc 4 W -q -d "emu:dvd+r:$T/f1.img?write_error_lba=512" "$T/img"
expect_out "WRITE\(10\) at LBA 512 .*Write error .*3/0c/00"
expect_out "512 of 1465 sectors were written; the disc is now an appendable DVD\+R with 512 sectors recorded"
expect_rc 4 env DM_EMU_FAULTS=remove_after_writes=10 "$WRITEIMG" --no-inhibit -q \
	-d "emu:dvd+r:$T/f2.img" "$T/img"
expect_out "Medium not present"
expect_out "no longer in the drive"
# A read error while verifying: exit 5.
expect_rc 5 W -q -d "emu:bd-r:$T/f3.img?read_error_lba=700" --verify "$T/img"
expect_out "verifying: READ\(10\) at LBA 672 .*Unrecovered read error"
# A drive that takes its time: waited for, then written.
expect_rc 0 W -q -d "emu:dvd-r:$T/f4.img?not_ready=4&busy_after_close=3&unit_attention=1" \
	--verify "$T/img"
# Write-protected disc: refused before writing.
expect_rc 3 W -q -d "emu:dvd+r:$T/f5.img?write_protected=1" "$T/img"
expect_out "write-protected"
# Faults kept in the disc (persist=1) apply to later runs too.
W -q -d "emu:dvd+r:$T/f6.img?write_error_lba=0&persist=1" --info >/dev/null
expect_rc 4 W -q -d emu:dvd+r:$T/f6.img "$T/img"
tail -c 262144 "$T/f6.img" | grep -aq write_error_lba=0 || fail "the fault left the disc's state"
# Power lost mid-write: no answer (exit 4); the disc keeps a damaged track, and a later
# run reads the state consistently.
expect_rc 4 W -q -d "emu:dvd+r:$T/f7.img?power_loss_after_writes=5" "$T/img"
expect_rc 0 W -d emu:dvd+r:$T/f7.img --info --json
tail -c 262144 "$T/f7.img" | grep -aq "track=0,[0-9]*,[0-9]*,1,0,1" || fail "power loss: no damaged track"
# A buffer underrun: 3/0C/09.
expect_rc 4 W -q -d "emu:dvd-r:$T/f8.img?underrun_after_writes=3" "$T/img"
expect_out "3/0c/09"
# The state of an older version beside the disc: refused with what to do.
: >"$T/old.img.emu"
expect_rc 1 W -d emu:dvd+r:$T/old.img --info
expect_out "older discmaster"
# A user's file that is no disc is never touched.
cp "$T/img" "$T/user.iso"
expect_rc 1 W -d emu:dvd+r:$T/user.iso --info
expect_out "not an emulated disc"
cmp "$T/img" "$T/user.iso" || fail "a user's file was changed"

# --- standard input needs --size; a short stream is reported ---
expect_rc 1 W -q -d emu:dvd+r:$T/s1.img -
expect_out "needs --size"
expect_rc 0 sh -c "cat '$T/img' | '$WRITEIMG' --no-inhibit -q -d emu:dvd+r:$T/s2.img --size 3000000 --verify -"
cmp -n 3000000 "$T/s2.img" "$T/img" || fail "stdin: disc differs"
expect_rc 4 sh -c "head -c 2000000 '$T/img' | '$WRITEIMG' --no-inhibit -q -d emu:dvd+r:$T/s3.img --size 3000000 -"
expect_out "ended after 2000000 bytes"
# A stream that ends within the first MiB (read ahead to say what the image is): nothing
# is written at all.
expect_rc 1 sh -c "head -c 1000000 '$T/img' | '$WRITEIMG' --no-inhibit -q -d emu:dvd+r:$T/s4.img --size 3000000 -"
expect_out "ended after 1000000 bytes"
expect_rc 0 W -d emu:dvd+r:$T/s4.img --info
expect_out "Status: +blank"

# --- SIGINT mid-write: stops cleanly, closes the track, tells the disc state, exit 6 ---
"$WRITEIMG" --no-inhibit -d "emu:dvd+r:$T/sig.img?write_delay_ms=50" "$T/img" >"$T/sig.out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
cat "$T/sig.out" | tail -3
[ $rc = 6 ] || fail "SIGINT: exit $rc"
grep -q "interrupted while writing" "$T/sig.out" || fail "SIGINT: no message"
grep -qE "sectors were written; the disc is now an appendable DVD\+R with [0-9]+ sectors recorded" \
	"$T/sig.out" || fail "SIGINT: no disc state"
tail -c 262144 "$T/sig.img" | grep -aq "track=0,[0-9]*,1472,1,1" || fail "SIGINT: the track was not closed"

# --- speed and eject ---
expect_rc 0 W -q -d "emu:bd-re:$T/sp.img?formatted=1" --speed 4 --eject "$T/img"
expect_out "4x"
expect_rc 0 W -q -d emu:cd-r:$T/sp2.img --speed max "$T/img"

# --- progress lines on a pipe: actions, percent, LBA, buffer, speed ---
expect_rc 0 W -d emu:dvd+r:$T/p.img --verify "$T/img"
expect_out "validating media"
expect_out "writing: 1472/1472 sectors \(100%\) LBA 1472 buf 0%"
expect_out "finalizing"
expect_out "verifying: 1465/1465"
echo "writeimg_emu: ok"
