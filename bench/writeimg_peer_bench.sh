#!/bin/bash
# writeimg against the peer burners, on the project's emulated recorder served to a QEMU
# guest's own kernel (tests/guest/run-guest.sh -E: LIO's user backstore, /dev/srN + sgN):
# issue 12's "writeimg within 1.1x of the peer's wall time on the same emulated drive for
# the same job". One boot runs every job; each job is four fresh discs driven in the order
# writeimg, peer, peer, writeimg (so neither program always goes first):
#   dvdpr   DVD+R   growisofs -dvd-compat -Z /dev/srN=IMG   writeimg -d /dev/srN IMG
#   bdr     BD-R    growisofs -Z /dev/srN=IMG               writeimg -d /dev/srN IMG
#   cdr     CD-R    wodim -tao IMG                          writeimg --mode=tao -d /dev/srN IMG
#   cdrw    CD-RW   wodim blank=fast                        writeimg --blank=fast
# (the CD-RW discs are written on the host beforehand, with writeimg on emu:cd-rw:FILE,
# so that only the blanking is timed). IMG is an ISO 9660 image made by mkimage from one
# file of MIB MiB of random data. Afterwards every written disc (its state file on the
# host) must equal IMG, every blanked one must be blank again (writeimg --info on the
# host). Prints each wall time, the means and the ratio writeimg/peer per job (above 1.1
# misses the target).
#
#   bench/writeimg_peer_bench.sh [MIB]     run from a build folder; MIB defaults to 64
# WRITEIMG, MKIMAGE default to ./writeimg/writeimg, ./mkimage/mkimage; EMU_TCMU to
# ./tests/guest/emu_tcmu (make tests/guest/emu_tcmu); GUEST_CACHE to ./tests/guest/cache.
# BENCH_JOBS picks jobs (default "dvdpr bdr cdr cdrw"); BENCH_TRACE=FILE keeps the
# handlers' CDB traces (FILE.eN, N the unit's place: job by job, A B B A).
# Times are the guest's wall clock under TCG (no KVM here): both programs pay the same
# emulation cost, so the ratio means more than the MB/s.
set -eu
MIB=${1:-64}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_builddir=${top_builddir:-$PWD}
WRITEIMG=${WRITEIMG:-$top_builddir/writeimg/writeimg}
MKIMAGE=${MKIMAGE:-$top_builddir/mkimage/mkimage}
export EMU_TCMU=${EMU_TCMU:-$top_builddir/tests/guest/emu_tcmu}
JOBS=${BENCH_JOBS:-dvdpr bdr cdr cdrw}
for p in "$WRITEIMG" "$MKIMAGE" "$EMU_TCMU"; do
	[ -x "$p" ] || { echo "missing $p (run from a build folder; make tests/guest/emu_tcmu)" >&2; exit 1; }
done
for t in growisofs wodim; do
	command -v $t >/dev/null || { echo "$t missing: apt-get install dvd+rw-tools wodim" >&2; exit 1; }
done

declare -A MEDIUM=([dvdpr]=dvd+r [bdr]=bd-r [cdr]=cd-r [cdrw]=cd-rw)
declare -A PEER=([dvdpr]=growisofs [bdr]=growisofs [cdr]=wodim [cdrw]=wodim)
for j in $JOBS; do [ -n "${MEDIUM[$j]:-}" ] || { echo "BENCH_JOBS: no such job: $j" >&2; exit 1; }; done

# The state files must be under a folder the guest shares at the same path: not /tmp's
# tmpfs of another user, any folder of ours will do.
T=$(mktemp -d /tmp/wi_peer_bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/tree" "$T/discs"
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$T/tree/data.bin"
"$MKIMAGE" -o "$T/img.iso" -V BENCH "$T/tree" >/dev/null
IMG=$T/img.iso
mkdir -p "$T/oldtree"
head -c $((2 * 1024 * 1024)) /dev/urandom >"$T/oldtree/old.bin"
"$MKIMAGE" -o "$T/old.iso" -V OLD "$T/oldtree" >/dev/null

ARGS=() UNITS=()
for j in $JOBS; do
	for who in writeimg peer peer writeimg; do
		n=$((${#UNITS[@]} + 1))
		f=$T/discs/$n-$j-$who.img
		if [ "$j" = cdrw ]; then
			"$WRITEIMG" -q --no-inhibit -d "emu:cd-rw:$f" "$T/old.iso" 2>/dev/null ||
				{ echo "cannot write the CD-RW $f on the host" >&2; exit 1; }
		fi
		ARGS+=(-E "${MEDIUM[$j]}:$f")
		UNITS+=("$j $who $f")
	done
done

cat >"$T/guest.sh" <<'EOF'
#!/bin/bash
cd "$GUESTIO"
mkdir -p /run/bench/home
export HOME=/run/bench/home
# Read the image and the programs once, so that nobody pays for the first read over 9p.
cat "$IMG" >/dev/null
"$WRITEIMG" --version >/dev/null; growisofs -version >/dev/null 2>&1; wodim -version >/dev/null 2>&1
run() {
	local job=$1 who=$2 sr=$3 a b rc
	a=$(date +%s.%N)
	case $job-$who in
	dvdpr-peer) growisofs -dvd-compat -Z $sr="$IMG" ;;
	bdr-peer) growisofs -Z $sr="$IMG" ;;
	cdr-peer) wodim dev=$sr -tao "$IMG" ;;
	cdrw-peer) wodim dev=$sr blank=fast ;;
	cdrw-writeimg) "$WRITEIMG" -q --no-inhibit -d $sr --blank=fast ;;
	cdr-writeimg) "$WRITEIMG" -q --no-inhibit -d $sr --mode=tao "$IMG" ;;
	*-writeimg) "$WRITEIMG" -q --no-inhibit -d $sr "$IMG" ;;
	esac >$job-$who-${sr##*/}.out 2>&1 </dev/null
	rc=$?
	b=$(date +%s.%N)
	[ $rc = 0 ] || { echo "FAILED $job $who $sr (exit $rc)"; tail -5 $job-$who-${sr##*/}.out | sed 's/^/  /'; return 1; }
	echo "$job $who $sr $(awk -v a=$a -v b=$b 'BEGIN { printf "%.3f", b - a }')"
}
n=0 rc=0
for j in $JOBS; do
	for who in writeimg peer peer writeimg; do
		n=$((n + 1))
		eval "sr=\$EMU_SR_$n"
		run $j $who $sr || rc=1
	done
done
exit $rc
EOF
chmod +x "$T/guest.sh"
TR=()
[ -n "${BENCH_TRACE:-}" ] && TR=(-T "$BENCH_TRACE")
"$top_srcdir/tests/guest/run-guest.sh" -o "$T/out" -t 1200 "${TR[@]+"${TR[@]}"}" "${ARGS[@]}" \
	-e "JOBS=$JOBS" -e "IMG=$IMG" -e "WRITEIMG=$WRITEIMG" "$T/guest.sh" >"$T/times" 2>"$T/runner" ||
	{ cat "$T/times" "$T/runner" >&2; exit 1; }

# Each disc: written ones equal the image, blanked ones are blank.
size=$(stat -c %s "$IMG")
for u in "${UNITS[@]}"; do
	set -- $u
	if [ "$1" = cdrw ]; then
		"$WRITEIMG" --no-inhibit -d "emu:cd-rw:$3" --info 2>&1 | grep -q '^ *Status: *blank' ||
			{ echo "$1 $2: the disc $3 is not blank afterwards" >&2; exit 1; }
	else
		cmp -n "$size" "$3" "$IMG" || { echo "$1 $2: the disc $3 differs from the image" >&2; exit 1; }
	fi
done
echo "image: $MIB MiB of data ($((size / 1048576)) MiB ISO from mkimage), one guest ($(grep -o 'booted in [0-9.]* s' "$T/runner"))"
awk -v mib="$((size / 1048576))" -v peers="$(for j in $JOBS; do printf '%s=%s ' $j ${PEER[$j]}; done)" '
	BEGIN { n = split(peers, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); peer[kv[1]] = kv[2] } }
	{
		who = $2 == "peer" ? peer[$1] : $2
		if ($1 == "cdrw") printf "%-6s %-10s %-10s %7.2f s  (blank=fast)\n", $1, who, $3, $4
		else printf "%-6s %-10s %-10s %7.2f s  %6.1f MB/s\n", $1, who, $3, $4, mib * 1.048576 / $4
		t[$1, $2] += $4; c[$1, $2]++
		if (!seen[$1]++) order[++nj] = $1
	}
	END {
		for (i = 1; i <= nj; i++) {
			j = order[i]; w = t[j, "writeimg"] / c[j, "writeimg"]; p = t[j, "peer"] / c[j, "peer"]
			printf "mean %-6s writeimg %.2f s, %s %.2f s; ratio writeimg/%s %.2f%s\n", j, w,
				peer[j], p, peer[j], w / p, (w / p > 1.1 ? "  (over 1.1: target missed)" : "")
		}
	}' "$T/times"
