#!/bin/bash
# run-guest.sh itself: a script's output and exit status come back; bad input (a missing
# kernel package, a guest that does not boot, a hung script) is named and ends non-zero
# within the limit; no QEMU or tgtd it started is left running, whatever happened.
. "$(dirname "$0")/guest_lib.sh"
it_init guest_runner
guest_require qemu-system-x86_64 tgtd tgtadm sg_inq
RUN=$GUEST_DIR/run-guest.sh

# The cache is built (or found) first, so that the timings below are the guest's.
check "the guest is built from Debian packages (or found in the cache)" "$RUN" -B

# none_left PIDFILE: every PID the run recorded is gone.
none_left() {
	local what pid
	[ -s "$1" ] || { echo "no PIDs recorded"; return 1; }
	while read -r what pid; do
		if kill -0 "$pid" 2>/dev/null; then
			echo "$what $pid is still running"
			return 1
		fi
	done <"$1"
}
# timed LIMIT DESC CMD...: CMD ends within LIMIT seconds, scaled (like run-guest.sh's
# own limits) by how much slower than a quiet 3 s the first boot was: these bounds catch
# hangs, not slowness. Status in RC, output in OUT.
SCALE=1
timed() {
	local limit desc=$2 t0
	limit=$(awk -v l="$1" -v s="$SCALE" 'BEGIN { printf "%d", l * s + 0.5 }')
	shift 2
	t0=$EPOCHREALTIME
	OUT=$("$@" 2>&1)
	RC=$?
	EL=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	check "$desc: ends within $limit s (took $EL s)" awk -v e="$EL" -v l="$limit" 'BEGIN { exit !(e <= l) }'
}

# A script's output and exit status; a drive attached; the guest's view of the world.
S=$SCRATCH/hello.sh
cat >"$S" <<'EOF'
#!/bin/sh
echo "kernel $(uname -r)"
[ -e /dev/sr0 ] && [ -e /dev/sg0 ] && echo "drive present"
# -E units come after the -d drives; the emulated recorder answers as an MMC device.
echo "emu $EMU_SR_1 $EMU_SG_1 $EMU_SG_2"
sg_inq "$EMU_SG_1" | grep -o 'PDT=5' && sg_inq "$EMU_SG_2" | grep -o 'PDT=0'
[ -d /run/udev ] || echo "no udevd"
touch /probe-on-the-overlay && echo "overlay writable"
echo data >"$GUESTIO/out.txt"
exit 7
EOF
: >"$SCRATCH/blank.img"
head -c 65536 /dev/zero >"$SCRATCH/disk.img"
mkdir -p "$SCRATCH/discs"
# The first run measures the boot that scales the bounds after it: a generous bound.
timed 300 "a script with drives" "$RUN" -o "$SCRATCH/o1" -t 60 -P "$SCRATCH/pids1" \
	-d "$SCRATCH/blank.img" -E "dvd+r:$SCRATCH/discs/e1.img" -E "disk:$SCRATCH/disk.img" "$S"
check "its exit status comes back (7)" test "$RC" = 7
check "its output comes back" grep -q 'kernel .*-amd64' <<<"$OUT"
check "the drive is /dev/sr0 + /dev/sg0" grep -q 'drive present' <<<"$OUT"
check "-E units follow the -d drive: sr1 + sg1, then sg2" grep -qx 'emu /dev/sr1 /dev/sg1 /dev/sg2' <<<"$OUT"
check "-E: a recorder (type 5) and a disk (type 0)" grep -qz 'PDT=5.PDT=0' <<<"$OUT"
check "-E: the recorder's disc is kept on the host" test -f "$SCRATCH/discs/e1.img"
check "no udevd, a writable overlay" grep -qz 'no udevd.*overlay writable' <<<"$OUT"
check "files written to \$GUESTIO come back" grep -qx data "$SCRATCH/o1/out.txt"
check "the host's / was not written" test ! -e /probe-on-the-overlay
check "QEMU and tgtd are stopped" none_left "$SCRATCH/pids1"
BOOT=$(grep -o 'guest booted in [0-9.]* s' <<<"$OUT")
it_log "# $BOOT"
SCALE=$(awk -v b="$(grep -o '[0-9.]*' <<<"$BOOT")" 'BEGIN { f = b / 3; print (f > 1 ? f : 1) }')

# A hung script: stopped at the limit, said so, nothing left running.
printf '#!/bin/sh\necho started\nsleep 600\n' >"$SCRATCH/hang.sh"
timed 30 "a hung script" "$RUN" -t 15 -P "$SCRATCH/pids2" -d "$SCRATCH/blank.img" "$SCRATCH/hang.sh"
check "a hung script: status 124" test "$RC" = 124
check "a hung script: the runner says so" grep -q 'did not finish within the limit of 15 s' <<<"$OUT"
check "a hung script: the runner shows what ran in the guest" grep -q 'ps: .*sleep 600' <<<"$OUT"
check "a hung script: ... and the script's output so far" grep -q '^started' <<<"$OUT"
check "a hung script: QEMU and tgtd are stopped" none_left "$SCRATCH/pids2"

# A guest that does not boot: no init (the kernel panics, QEMU stops: -no-reboot).
timed 60 "a guest that does not boot" "$RUN" -t 45 -P "$SCRATCH/pids3" -a rdinit=/nonexistent "$S"
check "no boot: status 126" test "$RC" = 126
check "no boot: the runner says so" grep -q 'the guest did not boot' <<<"$OUT"
check "no boot: QEMU is stopped" none_left "$SCRATCH/pids3"
# ... and one that hangs before its init is done: the boot limit.
timed 30 "a guest stuck in boot" "$RUN" -t 60 -b 6 -P "$SCRATCH/pids4" -a 'rdinit=/bin/busybox -- sleep 600' "$S"
check "stuck in boot: status 124" test "$RC" = 124
check "stuck in boot: the runner says so" grep -q 'did not boot within 6 s' <<<"$OUT"
check "stuck in boot: QEMU is stopped" none_left "$SCRATCH/pids4"

# -E: bad specifications are usage errors, before anything starts.
timed 10 "-E without a profile" "$RUN" -E "$SCRATCH/x.img" "$S"
check "-E without a profile: status 2, named" grep -q 'expected PROFILE:STATEFILE' <<<"$OUT"
check "-E without a profile: status 2" test "$RC" = 2
timed 10 "-E in a missing folder" "$RUN" -E "cd-r:$SCRATCH/nonexistent/x.img" "$S"
check "-E in a missing folder: status 2, named" grep -q 'nonexistent must exist and be writable' <<<"$OUT"
timed 10 "-E disk: with no file" "$RUN" -E "disk:$SCRATCH/nodisk.img" "$S"
check "-E disk: with no file: status 2, named" grep -q 'no such disk file' <<<"$OUT"

# A missing kernel package: named, before anything starts.
timed 60 "a missing kernel package" env GUEST_CACHE="$SCRATCH/cache" \
	GUEST_KERNEL_PKG=linux-image-0.0.0-nonexistent-amd64 "$RUN" "$S"
check "missing kernel package: status 125" test "$RC" = 125
check "missing kernel package: the runner names it" \
	grep -q 'missing kernel package: apt-get download linux-image-0.0.0-nonexistent-amd64 failed' <<<"$OUT"
timed 10 "a kernel .deb that is not there" env GUEST_CACHE="$SCRATCH/cache" \
	GUEST_KERNEL_DEB=/nonexistent/linux.deb "$RUN" "$S"
check "missing .deb: status 125, named" grep -q 'no such file: /nonexistent/linux.deb' <<<"$OUT"

# Interrupted: SIGTERM to the runner stops its QEMU and tgtd too.
"$RUN" -t 60 -P "$SCRATCH/pids5" -d "$SCRATCH/blank.img" "$SCRATCH/hang.sh" >/dev/null 2>&1 &
R=$!
for i in $(seq 1 100); do grep -q qemu "$SCRATCH/pids5" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -TERM "$R"
wait "$R"
check "SIGTERM: the runner exits 143" test $? = 143
check "SIGTERM: QEMU and tgtd are stopped" none_left "$SCRATCH/pids5"
it_finish
