#!/bin/sh
# Install, build and run every test: the README's test command and what CI runs.
#  1. a build with AddressSanitizer and UBSan, warnings as errors: make check
#  2. make distcheck of a plain build (the tarball builds, installs and passes its tests,
#     including the valgrind run that the sanitizer build cannot do)
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh test
autoreconf -fi
jobs=$(nproc 2>/dev/null || echo 2)
rm -rf build-check
mkdir build-check
(
	cd build-check
	../configure --enable-werror --enable-sanitizers
	make -j"$jobs"
	make -j"$jobs" check || { cat test-suite.log; exit 1; }
)
rm -rf build-dist
mkdir build-dist
(
	cd build-dist
	../configure --enable-werror
	make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror || {
		find . -name test-suite.log -exec cat {} +; exit 1; }
)
echo "test-all: all tests passed"
