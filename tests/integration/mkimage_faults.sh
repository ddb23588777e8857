#!/bin/bash
# mkimage under faults (issue 16): the disk filling up, the output's directory removed, the
# process killed (SIGKILL), a source changing size, vanishing or being replaced while the
# image is made, a source that cannot be read. In every case: never a partial image at the
# output path, a non-zero exit status, and a message naming the path; after a failure no
# temporary file is left either, and after a kill nothing that a rerun trips over.
#
# How the faults are placed mid-write, deterministically, without a preload or any hook in
# mkimage: open_gate (tests/integration/open_gate.c) puts a fanotify permission mark on one
# source file, so the kernel holds mkimage inside its open() or its Nth read() of that file
# until the test answers. While mkimage is held the image is half written (its temporary
# file exists); the test then removes the directory, kills mkimage, truncates or replaces a
# source, and lets it go on ("allow") or makes that open/read fail with EPERM ("deny": an
# unreadable source, even for root, whom chmod 000 does not stop).
#
# The disk fills up on a 1 MiB tmpfs mounted for the test: a real ENOSPC from the kernel,
# reached while writing the image's file data. Where mount is not allowed, RLIMIT_FSIZE
# (`ulimit -f`, with SIGXFSZ ignored) makes the same write() fail with EFBIG instead: the
# same path through mkimage (a write of the image failing part-way), another errno.
. "$(dirname "$0")/lib.sh"
it_init mkimage_faults
require_tools bsdtar timeout

OPEN_GATE=${OPEN_GATE:-${top_builddir:-$IT_DIR/../..}/tests/integration/open_gate}
[ -x "$OPEN_GATE" ] || die "open_gate is not built ($OPEN_GATE): make check builds it"

SRC=$SCRATCH/src
OUTD=$SCRATCH/out
ERR=$SCRATCH/err.txt
# a_big.bin is read in several chunks (3 MB), m_gate.txt and z_later.txt after it: file
# data follows the tree's name order.
make_src() {
	rm -rf "$SRC"
	mkdir -p "$SRC"
	gen_bytes big 3000000 >"$SRC/a_big.bin"
	printf 'the gate\n' >"$SRC/m_gate.txt"
	printf 'read last\n' >"$SRC/z_later.txt"
}
make_src
mkdir -p "$OUTD"

# ----- the gate ----------------------------------------------------------------------------
GATE_OK=1
gate_start() { # open|access N FILE
	coproc GATE { exec "$OPEN_GATE" "$@" 2>"$SCRATCH/gate.err"; }
	BG_PID[gate]=$GATE_PID
	GATE_IN=${GATE[1]}
	GATE_OUT=${GATE[0]}
	local line=
	read -r -t 30 -u "$GATE_OUT" line
	[ "$line" = ready ]
}
HELD=
gate_held() { # waits until mkimage is held (its pid in HELD): 0, or 1 after a generous time
	local line=
	read -r -t 300 -u "$GATE_OUT" line
	case $line in "held "*) HELD=${line#held }; return 0 ;; esac
	return 1
}
gate_stop() {
	kill "${BG_PID[gate]}" 2>/dev/null
	wait "${BG_PID[gate]}" 2>/dev/null
	unset "BG_PID[gate]"
}
if ! gate_start open 1 "$SRC/m_gate.txt"; then
	GATE_OK=0
	it_log "note: fanotify permission events are not available here ($(cat "$SCRATCH/gate.err")):" \
		"the mid-write faults are not tested; the disk-full cases are"
else
	gate_stop
fi

# held_run DESCRIPTION EVENT N FILE ACTION ANSWER -- MKIMAGE-ARGS...: runs mkimage in the
# background, holds it at FILE's EVENT number N, runs ACTION (a shell snippet; $MK is
# mkimage's pid, as the gate saw it), answers ANSWER (allow or deny), and leaves mkimage's
# exit status in RC and its stderr in $ERR. timeout(1) is the hang guard (a source replaced
# by a FIFO used to block open() for ever): generous, it only catches a hang.
RC=
held_run() {
	local desc=$1 ev=$2 n=$3 file=$4 action=$5 answer=$6 job
	shift 7
	RC=
	if ! gate_start "$ev" "$n" "$file"; then
		fail "$desc: the gate did not start: $(cat "$SCRATCH/gate.err")"
		gate_stop
		return 1
	fi
	timeout -s KILL 300 "$MKIMAGE" "$@" >/dev/null 2>"$ERR" </dev/null &
	job=$!
	BG_PID[mk]=$job
	if ! gate_held; then
		fail "$desc: mkimage never reached the $ev of $(basename "$file")"
		sed 's/^/    /' "$ERR" | head -n 5
		kill -9 "$job" 2>/dev/null
		wait "$job" 2>/dev/null
		unset "BG_PID[mk]"
		gate_stop
		return 1
	fi
	MK=$HELD
	eval "$action"
	printf '%s\n' "$answer" >&"$GATE_IN"
	wait "$job"
	RC=$?
	unset "BG_PID[mk]"
	gate_stop
	return 0
}

# expect DESCRIPTION STATUS REGEX DIR KEEP...: RC, $ERR and what DIR holds afterwards.
expect() {
	local desc=$1 want=$2 re=$3 dir=$4
	shift 4
	if [ "$RC" = "$want" ]; then pass "$desc: exit $RC"; else
		fail "$desc: exit $RC, expected $want"; sed 's/^/    /' "$ERR" | head -n 5; fi
	if [ -n "$re" ]; then
		if grep -qE -- "$re" "$ERR"; then
			pass "$desc: message: $(head -n 1 "$ERR" | cut -c1-160)"
		else
			fail "$desc: stderr does not match /$re/: $(head -c 300 "$ERR")"
		fi
	fi
	if [ -d "$dir" ]; then
		check "$desc: no image and no temporary file in $(basename "$dir")" no_leftovers "$dir" "$@"
	fi
}

# the image at $1 holds the source tree, byte for byte
image_good() {
	rm -rf "$SCRATCH/x" && mkdir "$SCRATCH/x" && bsdtar -xf "$1" -C "$SCRATCH/x" &&
		cmp "$SRC/a_big.bin" "$SCRATCH/x/a_big.bin" && cmp "$SRC/z_later.txt" "$SCRATCH/x/z_later.txt"
}

# ----- disk full ---------------------------------------------------------------------------
# Two ways the image's bytes reach the file: a large file is copied straight by the main
# thread, small ones through the writer thread's buffers. Both must fail cleanly.
SMALL=$SCRATCH/small
mkdir -p "$SMALL"
for i in $(seq 1 200); do gen_bytes "s$i" 8000 >"$SMALL/f$i.bin"; done
FULL=$SCRATCH/full
mkdir -p "$FULL"
if mount -t tmpfs -o size=1m,mode=0755 tmpfs "$FULL" 2>"$SCRATCH/mount.err"; then
	"$MKIMAGE" -o "$FULL/big.iso" "$SRC" >/dev/null 2>"$ERR"
	RC=$?
	expect "disk full (1 MiB tmpfs) in a large file's data" 1 "$FULL/big\.iso.*No space left" "$FULL"
	"$MKIMAGE" -o "$FULL/small.iso" "$SMALL" >/dev/null 2>"$ERR"
	RC=$?
	expect "disk full (1 MiB tmpfs) in the writer thread's buffers" 1 "$FULL/small\.iso.*No space left" "$FULL"
	umount "$FULL"
else
	it_log "note: cannot mount a tmpfs here ($(cat "$SCRATCH/mount.err")): RLIMIT_FSIZE instead (EFBIG)"
	# 1024 blocks of 1 KiB (bash's ulimit -f unit); SIGXFSZ ignored so write() fails instead
	(trap '' XFSZ; ulimit -f 1024; exec "$MKIMAGE" -o "$FULL/big.iso" "$SRC") >/dev/null 2>"$ERR"
	RC=$?
	expect "file size limit (RLIMIT_FSIZE 1 MiB) in a large file's data" 1 "$FULL/big\.iso.*too large" "$FULL"
	(trap '' XFSZ; ulimit -f 1024; exec "$MKIMAGE" -o "$FULL/small.iso" "$SMALL") >/dev/null 2>"$ERR"
	RC=$?
	expect "file size limit (RLIMIT_FSIZE 1 MiB) in the writer thread's buffers" 1 "$FULL/small\.iso.*too large" "$FULL"
fi

if [ "$GATE_OK" = 1 ]; then
	OUT=$OUTD/x.iso
	# ----- the output's directory removed while the image is written ------------------
	held_run "output directory removed mid-write" open 1 "$SRC/m_gate.txt" \
		'rm -rf "$OUTD"' allow -- -o "$OUT" "$SRC"
	expect "output directory removed mid-write" 1 "$OUT.*(removed|No such file)" "$OUTD"
	check "output directory removed mid-write: mkimage did not make it again" test ! -e "$OUTD"
	mkdir -p "$OUTD"

	# ----- SIGKILL mid-write ----------------------------------------------------------
	# The image is written to an unnamed file (O_TMPFILE) that gets a name only when it is
	# whole, so a killed mkimage leaves nothing. On a filesystem without O_TMPFILE it writes
	# a named .x.iso.XXXXXX instead, which a kill leaves behind (nothing can remove it); a
	# rerun writes its own and leaves that one alone.
	held_run "SIGKILL mid-write" open 1 "$SRC/m_gate.txt" 'kill -9 $MK' allow -- -o "$OUT" "$SRC"
	check "SIGKILL mid-write: killed (exit 137)" test "$RC" = 137
	if "$IT_PY" -c 'import os, sys; os.open(sys.argv[1], os.O_TMPFILE | os.O_WRONLY, 0o600)' "$OUTD" 2>/dev/null; then
		check "SIGKILL mid-write: nothing left (O_TMPFILE)" no_leftovers "$OUTD"
	else
		it_log "note: no O_TMPFILE in $OUTD: the killed run's temporary file stays"
		check "SIGKILL mid-write: no image, only a temporary file" sh -c \
			'! [ -e "$1/x.iso" ] && [ -z "$(cd "$1" && ls -A | grep -v "^\.x\.iso\.......$")" ]' sh "$OUTD"
	fi
	check "SIGKILL mid-write: a rerun succeeds" mkimg -o "$OUT" "$SRC"
	check "SIGKILL mid-write: the rerun's image is whole" image_good "$OUT"
	rm -f "$OUT"
	find "$OUTD" -mindepth 1 -delete

	# an image already at OUT survives a killed run unchanged
	cp "$SRC/z_later.txt" "$OUT"
	held_run "SIGKILL mid-write over an existing OUT" open 1 "$SRC/m_gate.txt" 'kill -9 $MK' allow -- \
		-o "$OUT" "$SRC"
	check "SIGKILL mid-write over an existing OUT: the old file is untouched" cmp "$SRC/z_later.txt" "$OUT"
	rm -f "$OUT"
	find "$OUTD" -mindepth 1 -delete

	# SIGTERM (and SIGINT, SIGHUP: the same handler) mid-write: mkimage stops, drops the
	# image and says so.
	held_run "SIGTERM mid-write" open 1 "$SRC/m_gate.txt" 'kill -TERM $MK' allow -- -o "$OUT" "$SRC"
	expect "SIGTERM mid-write" 1 "$OUT not written: interrupted" "$OUTD"

	# ----- a source changing or vanishing -----------------------------------------------
	held_run "a source truncated after the scan" open 1 "$SRC/m_gate.txt" \
		'printf x >"$SRC/m_gate.txt"' allow -- -o "$OUT" "$SRC"
	expect "a source truncated after the scan" 1 "$SRC/m_gate\.txt changed size" "$OUTD"
	make_src
	held_run "a source shrinking while it is read" access 2 "$SRC/a_big.bin" \
		'truncate -s 1000000 "$SRC/a_big.bin"' allow -- -o "$OUT" "$SRC"
	expect "a source shrinking while it is read" 1 "$SRC/a_big\.bin shrank" "$OUTD"
	make_src
	held_run "a source growing while it is read" access 2 "$SRC/a_big.bin" \
		'printf more >>"$SRC/a_big.bin"' allow -- -o "$OUT" "$SRC"
	expect "a source growing while it is read" 1 "$SRC/a_big\.bin grew" "$OUTD"
	make_src
	held_run "a source removed before it is read" open 1 "$SRC/m_gate.txt" \
		'rm "$SRC/z_later.txt"' allow -- -o "$OUT" "$SRC"
	expect "a source removed before it is read" 1 "$SRC/z_later\.txt.*No such file" "$OUTD"
	make_src
	# Once open, a removed file is still read whole (Linux keeps the data until it is
	# closed): the image is complete and right, not a fault.
	held_run "a source removed while it is read" access 2 "$SRC/a_big.bin" \
		'cp "$SRC/a_big.bin" "$SCRATCH/a_big.saved"; rm "$SRC/a_big.bin"' allow -- -o "$OUT" "$SRC"
	check "a source removed while it is read: the image is made (exit 0)" test "$RC" = 0
	mv "$SCRATCH/a_big.saved" "$SRC/a_big.bin"
	check "a source removed while it is read: the image holds what was read" image_good "$OUT"
	rm -f "$OUT"
	make_src
	# A source replaced by a FIFO: open() would wait for a writer for ever; refused instead.
	held_run "a source replaced by a FIFO" open 1 "$SRC/m_gate.txt" \
		'rm "$SRC/z_later.txt"; mkfifo "$SRC/z_later.txt"' allow -- -o "$OUT" "$SRC"
	expect "a source replaced by a FIFO" 1 "$SRC/z_later\.txt is no longer a regular file" "$OUTD"
	make_src

	# ----- unreadable sources (EPERM from the gate: root cannot read past it) ----------
	held_run "a source that cannot be opened" open 1 "$SRC/m_gate.txt" : deny -- -o "$OUT" "$SRC"
	expect "a source that cannot be opened" 1 "$SRC/m_gate\.txt.*not permitted" "$OUTD"
	held_run "a source whose read fails part-way" access 2 "$SRC/a_big.bin" : deny -- -o "$OUT" "$SRC"
	expect "a source whose read fails part-way" 1 "reading $SRC/a_big\.bin.*not permitted" "$OUTD"

	# ----- and without a fault, the same run makes the image --------------------------
	held_run "no fault (the gate only)" open 1 "$SRC/m_gate.txt" : allow -- -o "$OUT" "$SRC"
	check "no fault: exit 0" test "$RC" = 0
	check "no fault: the image is whole" image_good "$OUT"
	check "no fault: only the image is left" no_leftovers "$OUTD" x.iso
fi

it_finish
