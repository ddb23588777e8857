#!/bin/sh
# Install what discmaster needs on Debian 12, as root: `tools/deps.sh build` for building,
# `tools/deps.sh test` (the default) for building and running every test.
set -eu
what=${1:-test}
build="build-essential autoconf automake pkg-config libarchive-dev libxml2-dev libxml2-utils
 libcunit1-dev libudfread-dev libudf-dev libsgutils2-dev libiscsi-dev libudev-dev libsystemd-dev
 libsndfile1-dev"
# The independent readers our images are checked with, and the tools the tests drive.
readers="xorriso genisoimage p7zip-full libarchive-tools python3 python3-pycdlib udftools"
test="$readers valgrind tgt sg3-utils clang time isomd5sum"
# tests/integration/man_pages.sh lints the man pages with groff -ww.
test="$test groff-base"
# tests/integration/boot_*.sh: payloads built with nasm and gnu-efi, FAT images made with
# dosfstools and mtools, booted under SeaBIOS and OVMF.
test="$test nasm seabios gnu-efi ovmf dosfstools mtools"
# Hybrid images: their partition tables are read back with fdisk/sfdisk and dumpet.
test="$test fdisk dumpet"
# Audio CD (issue 15): libburn's CD-TEXT decoder checks our packs (tests/unit/test_cdtext),
# cdrdao's cue reader our disc layouts (tests/unit/test_cue).
test="$test cdrskin cdrdao"
# ... and booted with the loader most hybrid images carry: isolinux and isohdpfx.bin.
test="$test isolinux syslinux-common"
# tests/integration/mkisofs_*.sh: grub-mkrescue (BIOS and UEFI GRUB) calls mkimage as xorriso.
test="$test grub-common grub-pc-bin grub-efi-amd64-bin"
# tests/guest: a QEMU guest with Debian's kernel (fetched by apt-get download, unpacked,
# never installed), tgt's DVD+R passed through over iSCSI, growisofs as the reference.
test="$test qemu-system-x86 qemu-block-extra qemu-utils busybox-static dvd+rw-tools xz-utils
 util-linux"
# ... and the peer burners the guest tests drive on emulated recorders served through
# LIO's user backstore (tests/guest/emu_tcmu.c): wodim, cdparanoia (cdrskin, cdrdao and
# xorriso are listed above).
test="$test wodim cdparanoia"
case $what in
build) pkgs="$build $readers" ;;
test) pkgs="$build $test" ;;
*) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "$0: run as root (it uses apt-get), or install: $pkgs" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $pkgs
