#!/bin/sh
# Install, build and run every test: the README's test command and what CI runs.
#  1. a build with AddressSanitizer and UBSan, warnings as errors: `make check` (unit and
#     integration tests), then the slow tiers `make check-boot` (QEMU boots) and
#     `make check-guest` (a QEMU guest with Debian's kernel)
#  2. `make distcheck` of a plain build (the tarball builds, installs and passes make check,
#     including the valgrind run that the sanitizer build cannot do)
# Both build out of tree. A source tree configured in place (the README's first command,
# `./configure && make`) cannot host such builds ("source directory already configured"):
# then the builds use a clean copy of the sources made by its own `make distdir` (what
# the release tarball holds), and the in-tree build is left as it was, still usable.
#
# tools/test-all.sh [--dry-run] [--no-deps] [TIER...]
#   TIER: check, boot, guest, distcheck (default: all four, in that order)
#   --dry-run   print the commands, run nothing
#   --no-deps   do not install packages (tools/deps.sh test needs root)
# Environment: TEST_ALL_DIR (default SRC/build-test-all) holds the builds;
#   TEST_ALL_STOP=configure stops once both builds are configured (a quick check of
#   everything before the tests); JOBS (default: the number of CPUs).
set -eu
usage() {
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
}
dry=0
deps=1
tiers=
for a in "$@"; do
	case $a in
	--dry-run | -n) dry=1 ;;
	--no-deps) deps=0 ;;
	--help | -h) usage; exit 0 ;;
	check | boot | guest | distcheck) tiers="$tiers $a" ;;
	*) echo "$0: unknown argument $a (try --help)" >&2; exit 2 ;;
	esac
done
[ -n "$tiers" ] || tiers="check boot guest distcheck"
has() { case " $tiers " in *" $1 "*) return 0 ;; esac; return 1; }

# run CMD...: print it, and run it unless --dry-run
run() {
	echo "+ $*"
	[ "$dry" = 1 ] || "$@"
}

cd "$(dirname "$0")/.."
top=$(pwd)
work=${TEST_ALL_DIR:-$top/build-test-all}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
t0=$(date +%s)

[ "$deps" = 0 ] || run tools/deps.sh test
if [ -f config.status ]; then
	# Configured in place: refresh the in-tree build's files as its own Makefile does
	# (config.status reruns with the options it was given) and copy out its distribution.
	src=$work/src
	run rm -rf "$src"
	run autoreconf -fi
	run ./config.status --recheck
	run ./config.status
	run mkdir -p "$work"
	run make distdir distdir="$src" top_distdir="$src"
else
	src=$top
	run autoreconf -fi
fi
case $src in /*) ;; *) src=$top/$src ;; esac

if has check || has boot || has guest; then
	run rm -rf "$work/check"
	run mkdir -p "$work/check"
	echo "+ cd $work/check"
	if [ "$dry" = 0 ]; then
		(
			cd "$work/check"
			"$src/configure" --enable-werror --enable-sanitizers
			[ "${TEST_ALL_STOP:-}" = configure ] && exit 0
			make -j"$jobs"
			for tier in check boot guest; do
				has $tier || continue
				target=check
				[ $tier = check ] || target=check-$tier
				s=$(date +%s)
				make -j"$jobs" "$target" || { cat test-suite.log; exit 1; }
				echo "test-all: make $target passed in $(($(date +%s) - s)) s"
			done
		)
	else
		echo "+ $src/configure --enable-werror --enable-sanitizers"
		echo "+ make -j$jobs"
		for tier in check boot guest; do
			has $tier || continue
			if [ $tier = check ]; then echo "+ make -j$jobs check"; else echo "+ make -j$jobs check-$tier"; fi
		done
	fi
fi
if has distcheck; then
	run rm -rf "$work/dist"
	run mkdir -p "$work/dist"
	echo "+ cd $work/dist"
	if [ "$dry" = 0 ]; then
		(
			cd "$work/dist"
			"$src/configure" --enable-werror
			[ "${TEST_ALL_STOP:-}" = configure ] && exit 0
			s=$(date +%s)
			make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror || {
				find . -name test-suite.log -exec cat {} +; exit 1; }
			echo "test-all: make distcheck passed in $(($(date +%s) - s)) s"
		)
	else
		echo "+ $src/configure --enable-werror"
		echo "+ make -j$jobs distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror"
	fi
fi
[ "$dry" = 1 ] && exit 0
if [ "${TEST_ALL_STOP:-}" = configure ]; then
	echo "test-all: stopped after configure (TEST_ALL_STOP=configure) in $(($(date +%s) - t0)) s"
	exit 0
fi
echo "test-all: all tests passed ($tiers) in $(($(date +%s) - t0)) s"
