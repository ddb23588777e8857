#!/bin/bash
# writeimg's burn through SG_IO against growisofs's, on the same kind of drive (tgt's
# DVD+R passed through to a QEMU guest, tests/guest/run-guest.sh) with the same image, in
# one boot: four blank discs burned in the order writeimg, growisofs, growisofs, writeimg
# (so neither program always goes first), both through /dev/srN. Prints each wall time,
# the means and the ratio writeimg/growisofs (below 1: writeimg is faster). Both discs
# must equal the image afterwards.
#
#   bench/writeimg_guest_bench.sh [MIB]      run from a build folder; MIB defaults to 64
# WRITEIMG defaults to ./writeimg/writeimg; the guest cache to ./tests/guest/cache.
# Times are the guest's wall clock under TCG (no KVM here): both programs pay the same
# emulation cost, so the ratio means more than the MB/s.
set -eu
MIB=${1:-64}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_builddir=${top_builddir:-$PWD}
WRITEIMG=${WRITEIMG:-$top_builddir/writeimg/writeimg}
[ -x "$WRITEIMG" ] || { echo "no writeimg at $WRITEIMG (run from a build folder)" >&2; exit 1; }
command -v growisofs >/dev/null || { echo "growisofs missing: apt-get install dvd+rw-tools" >&2; exit 1; }

T=$(mktemp -d /tmp/wi_guest_bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$T/img"
for i in 0 1 2 3; do : >"$T/d$i.img"; done
cat >"$T/guest.sh" <<EOF
#!/bin/bash
cd "\$GUESTIO"
for i in \$(seq 1 50); do [ -e /dev/sr3 ] && break; sleep 0.1; done
# Read the image and both programs once, so that neither pays for the first read over 9p.
cat "$T/img" >/dev/null
"$WRITEIMG" --version >/dev/null; growisofs -version >/dev/null 2>&1
burn() {
	local prog=\$1 dev=\$2 a b
	a=\$(date +%s.%N)
	if [ \$prog = writeimg ]; then
		"$WRITEIMG" -q --no-inhibit -d \$dev "$T/img" 2>/dev/null || return 1
	else
		growisofs -dvd-compat -Z \$dev="$T/img" >/dev/null 2>&1 || return 1
	fi
	b=\$(date +%s.%N)
	echo "\$prog \$dev \$(awk -v a=\$a -v b=\$b 'BEGIN { printf "%.3f", b - a }')"
}
burn writeimg /dev/sr0 && burn growisofs /dev/sr1 && burn growisofs /dev/sr2 &&
	burn writeimg /dev/sr3
EOF
chmod +x "$T/guest.sh"
"$top_srcdir/tests/guest/run-guest.sh" -o "$T/out" -t 600 -d "$T/d0.img" -d "$T/d1.img" \
	-d "$T/d2.img" -d "$T/d3.img" "$T/guest.sh" >"$T/times" 2>"$T/runner" ||
	{ cat "$T/times" "$T/runner" >&2; exit 1; }
for i in 0 1 2 3; do
	cmp -n "$(stat -c %s "$T/img")" "$T/d$i.img" "$T/img" ||
		{ echo "disc $i differs from the image" >&2; exit 1; }
done
echo "image: $MIB MiB, one guest ($(grep -o 'booted in [0-9.]* s' "$T/runner"))"
awk -v mib="$MIB" '
	{ printf "%-10s %-9s %7.2f s  %6.1f MB/s\n", $1, $2, $3, mib * 1.048576 / $3; t[$1] += $3; n[$1]++ }
	END {
		w = t["writeimg"] / n["writeimg"]; g = t["growisofs"] / n["growisofs"]
		printf "mean: writeimg %.2f s, growisofs %.2f s; ratio writeimg/growisofs %.2f\n", w, g, w / g
	}' "$T/times"
