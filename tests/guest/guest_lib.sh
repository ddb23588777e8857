# Shared by the guest tests (sourced): the integration helpers (tests/integration/lib.sh:
# it_init, check, compare, make_rich_tree, ...) plus a wrapper around run-guest.sh.
# shellcheck shell=bash
GUEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$GUEST_DIR/../integration/lib.sh"

# Prefer the build that make check gave us; the guest runs the host's binaries over 9p.
: "${top_builddir:=$(cd "$GUEST_DIR/../.." && pwd)}"
export top_builddir
: "${GUEST_CACHE:=$top_builddir/tests/guest/cache}"
export GUEST_CACHE

# guest_run OUTDIR SCRIPT [run-guest.sh options...]: boot, run SCRIPT, keep its files in
# OUTDIR; the runner's own messages and SCRIPT's output go to OUTDIR.runner. Returns
# the runner's status and sets GUEST_SECONDS.
guest_run() {
	local out=$1 script=$2 t0 rc
	shift 2
	mkdir -p "$out"
	t0=$EPOCHREALTIME
	"$GUEST_DIR/run-guest.sh" -o "$out" "$@" "$script" >"$out.runner" 2>&1
	rc=$?
	GUEST_SECONDS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	it_log "# guest run: $GUEST_SECONDS s, status $rc; $(grep -o 'guest booted in [0-9.]* s' "$out.runner")"
	return "$rc"
}

# guest_tools: the packages the guest tests need, failing (not skipping) when one is
# missing, as the other integration tests do.
guest_require() {
	local t missing=0
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && continue
		case $t in
		qemu-system-x86_64) p=qemu-system-x86 ;;
		qemu-img) p=qemu-utils ;;
		tgtd | tgtadm) p=tgt ;;
		growisofs | dvd+rw-mediainfo) p=dvd+rw-tools ;;
		sg_*) p=sg3-utils ;;
		*) p="the package providing $t" ;;
		esac
		printf 'FAIL: %s not found (install the Debian package %s: tools/deps.sh test)\n' "$t" "$p"
		missing=1
	done
	[ "$missing" = 0 ] || exit 1
}
