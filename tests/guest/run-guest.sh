#!/bin/bash
# run-guest.sh: run a script inside a throw-away QEMU guest with Debian's own kernel, so
# that what only a real kernel does (SG_IO through the sr/sg drivers, O_EXCL opens,
# libudev over sysfs, the isofs and udf drivers) can be tested on machines whose kernel
# has none of it. spec/test-guest.md has the measured facts this follows.
#
# usage: run-guest.sh [options] SCRIPT
#   -o DIR        the read-write share: SCRIPT's output files stay there (default: a
#                 temporary folder, removed at the end). Inside the guest it is $GUESTIO
#                 (/run/guestio), and SCRIPT runs there.
#   -t SECONDS    limit for SCRIPT on a quiet machine (default 120). It only catches hangs:
#                 the runner measures the boot and scales the limit by how much slower
#                 than a quiet boot ($GUEST_QUIET_BOOT, 3 s) it was, never below -t.
#   -b SECONDS    limit for the boot alone (default 60: TCG boots in 2.4-2.9 s when quiet)
#   -e NAME=VAL   pass a variable into the guest (repeatable). top_srcdir, top_builddir,
#                 MKIMAGE and WRITEIMG are passed when set.
#   -d FILE       attach a drive: a tgt MMC logical unit backed by FILE (empty = blank
#                 DVD+R, non-empty = DVD-ROM), passed through as /dev/srN + /dev/sgN in the
#                 order given (repeatable). tgtd is started for the run and stopped after.
#   -E PROFILE:STATEFILE
#                 attach an emulated recorder (common/drive/emu_recorder.c, PROFILE one of
#                 its media: cd-r, dvd+rw, ...) holding the disc kept in STATEFILE on the
#                 host, served to the guest's kernel through LIO's user backstore by
#                 tests/guest/emu_tcmu ($EMU_TCMU, default $top_builddir/tests/guest/
#                 emu_tcmu) and the loopback fabric (repeatable). STATEFILE's folder is
#                 shared read-write, at the same path: the disc stays there after the run.
#   -E disk:FILE  attach a disk (SCSI peripheral device type 0) backed by FILE (its size),
#                 through the kernel's file backstore: only /dev/sgN (no sd driver).
#                 Numbers: the -d drives come first (sr0.., sg0..), then the -E units in
#                 the order given; recorders take the next srN, every unit the next sgN.
#                 SCRIPT finds them in EMU_SR_n and EMU_SG_n (n = 1.. over the -E units).
#   GUEST_MEM     the guest's memory in MiB (default 2048; every -E unit's server runs in
#                 the guest: a sanitizer build's takes tens of MiB each).
#   -T FILE       record the CDBs QEMU passes to the drives (QEMU's scsi trace) in FILE;
#                 with -E, each recorder's handler writes its trace to FILE.eN
#   -r CMD        run CMD on the host before the guest boots, once tgtd serves the discs
#                 (same variables as -p); its failure stops the run (status 125)
#   -p CMD        run CMD on the host once the guest is off, while tgtd still serves the
#                 discs ($TGT_URL is the target's iscsi:// URL without the LUN, $GUEST_OUT
#                 the output folder); its failure is the run's failure
#   -P FILE       write the PIDs this run starts (qemu, tgtd) to FILE, for tests
#   -a ARGS       extra kernel command line
#   -B            only build (or check) the cached kernel and initramfs, boot nothing
#
# SCRIPT runs as root in the guest, in a chroot of the host's / (read-only, with a tmpfs
# overlay: writes succeed and vanish), with the guest's own /dev, /proc, /sys and /run,
# no network and no udevd. Its output (stdout and stderr) is printed, and its exit
# status is this program's.
#
# The guest is built from Debian packages only, and cached in $GUEST_CACHE (default
# $top_builddir/tests/guest/cache, else ./guest-cache): the kernel package that
# linux-image-amd64 depends on is fetched with `apt-get download` ($GUEST_KERNEL_PKG
# names another, $GUEST_KERNEL_DEB gives a .deb file) and unpacked with dpkg-deb, never
# installed; busybox-static makes the initramfs. Delete the cache to rebuild it.
#
# Exit status: SCRIPT's, or 2 usage, 124 the limit was reached (the guest did not boot
# in time, or SCRIPT hung: the console's last lines and the guest's processes are
# printed), 125 the guest could not be built or started, or the -E drives could not be
# attached, 126 the guest
# stopped without finishing SCRIPT (it did not boot: kernel panic, or it crashed).
# Whatever happens, the qemu and tgtd this run started are stopped (only those PIDs).
set -u
set -o pipefail

ME=run-guest
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { printf '%s: %s\n' "$ME" "$*" >&2; }
# fatal CODE MESSAGE: stop here (the EXIT trap stops what was started).
fatal() {
	local code=$1
	shift
	say "$*"
	exit "$code"
}

OUT='' LIMIT=120 BOOT_LIMIT=60 TRACE='' PRE='' POST='' PIDFILE='' APPEND='' BUILD_ONLY=0
ENVS=() DISCS=() EMUS=()
while getopts "o:t:b:e:d:E:T:r:p:P:a:Bh" opt; do
	case $opt in
	o) OUT=$OPTARG ;;
	t) LIMIT=$OPTARG ;;
	b) BOOT_LIMIT=$OPTARG ;;
	e) ENVS+=("$OPTARG") ;;
	d) DISCS+=("$OPTARG") ;;
	E) EMUS+=("$OPTARG") ;;
	T) TRACE=$OPTARG ;;
	r) PRE=$OPTARG ;;
	p) POST=$OPTARG ;;
	P) PIDFILE=$OPTARG ;;
	a) APPEND=$OPTARG ;;
	B) BUILD_ONLY=1 ;;
	h) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ "$BUILD_ONLY" = 0 ]; then
	[ $# = 1 ] || fatal 2 "usage: $ME [options] SCRIPT (-h for help)"
	SCRIPT=$1
	[ -f "$SCRIPT" ] || fatal 2 "no such script: $SCRIPT"
fi
case $LIMIT$BOOT_LIMIT in *[!0-9]*) fatal 2 "-t and -b take whole seconds" ;; esac
QUIET_BOOT=${GUEST_QUIET_BOOT:-3}

CACHE=${GUEST_CACHE:-}
if [ -z "$CACHE" ]; then
	if [ -n "${top_builddir:-}" ]; then CACHE=$top_builddir/tests/guest/cache
	else CACHE=$PWD/guest-cache; fi
fi

# ---- what this run started, stopped by the EXIT trap ------------------------------------
QEMU_PID='' TGT_PID='' TGT_STATE='' TGT_C='' WORK=''

stop_qemu() {
	[ -n "$QEMU_PID" ] || return 0
	if kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null
		local i
		for i in $(seq 1 30); do
			kill -0 "$QEMU_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$QEMU_PID" 2>/dev/null && kill -KILL "$QEMU_PID" 2>/dev/null
	fi
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}

tgt_adm() { TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" "$@"; }

# tgtd ignores SIGTERM: delete its target and ask it to exit, then SIGKILL our PID only
# if it is still there (spec/drive-notes.md, "Starting tgtd").
stop_tgt() {
	[ -n "$TGT_PID" ] || return 0
	tgt_adm --lld iscsi --mode target --op delete --force --tid 1 >/dev/null 2>&1
	tgt_adm --mode sys --op delete >/dev/null 2>&1
	local i
	for i in $(seq 1 30); do
		kill -0 "$TGT_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$TGT_PID" 2>/dev/null && kill -KILL "$TGT_PID" 2>/dev/null
	wait "$TGT_PID" 2>/dev/null
	TGT_PID=
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	stop_qemu
	stop_tgt
	[ -n "$TGT_STATE" ] && rm -rf "$TGT_STATE"
	[ -n "$WORK" ] && rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM HUP

# ---- the cached guest --------------------------------------------------------------------
# Modules the tests need; their dependencies are added from each module's modinfo. The
# LIO ones (spec/test-guest.md) are loaded only when -E attaches drives: the user backstore, the
# loopback fabric, the file backstore for disk-type units; crct10dif_generic is what
# crc-t10dif finds through the crypto API, so it is named too.
WANT_MODULES="virtio_pci virtio_scsi sr_mod sg 9p 9pnet_virtio overlay loop isofs udf"
LIO_MODULES="configfs crct10dif_generic target_core_mod target_core_user tcm_loop
 target_core_file"

need_tool() {
	command -v "$1" >/dev/null 2>&1 ||
		fatal 125 "$1 is missing: install the Debian package $2 (tools/deps.sh test)"
}

# The static busybox: the host's when busybox-static is installed, else its .deb unpacked.
find_busybox() {
	if [ -n "${GUEST_BUSYBOX:-}" ]; then
		BUSYBOX=$GUEST_BUSYBOX
	elif dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep 'ok installed' >/dev/null; then
		BUSYBOX=/bin/busybox
	else
		BUSYBOX=$CACHE/busybox
		if [ ! -x "$BUSYBOX" ]; then
			local d
			d=$(mktemp -d "$CACHE/bb.XXXXXX") || fatal 125 "cannot write to $CACHE"
			(cd "$d" && apt-get download -q -o APT::Sandbox::User=root busybox-static) \
				>"$d/log" 2>&1 || fatal 125 "cannot get the package busybox-static: $(tail -2 "$d/log")"
			dpkg-deb -x "$d"/busybox-static_*.deb "$d/x" &&
				cp "$d/x/bin/busybox" "$BUSYBOX" || fatal 125 "cannot unpack busybox-static"
			rm -rf "$d"
		fi
	fi
	[ -x "$BUSYBOX" ] || fatal 125 "no static busybox at $BUSYBOX"
	# grep reads the whole list: with pipefail, grep -q could end busybox by SIGPIPE.
	"$BUSYBOX" --list | grep -x insmod >/dev/null || fatal 125 "$BUSYBOX has no insmod applet"
}

# The kernel: vmlinux (the uncompressed kernel, booted through PVH: about 3 s less of
# decompression under TCG) and the modules in load order.
build_kernel() {
	local kdir=$CACHE/kernel
	[ -s "$kdir/vmlinux" ] && [ -s "$kdir/modules.order" ] && [ -s "$kdir/modules-lio.order" ] &&
		return 0
	need_tool dpkg-deb dpkg
	need_tool xz xz-utils
	local deb=${GUEST_KERNEL_DEB:-} pkg=${GUEST_KERNEL_PKG:-} tmp
	tmp=$(mktemp -d "$CACHE/build.XXXXXX") || fatal 125 "cannot write to $CACHE"
	if [ -z "$deb" ]; then
		if [ -z "$pkg" ]; then
			pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
				awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
			[ -n "$pkg" ] || fatal 125 "the kernel package: apt-cache knows no" \
				"linux-image-amd64 (run apt-get update)"
		fi
		say "fetching the kernel package $pkg (apt-get download; it is unpacked, not installed)"
		if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg") \
			>"$tmp/apt.log" 2>&1; then
			fatal 125 "missing kernel package: apt-get download $pkg failed:" \
				"$(grep -E '^(E|W):' "$tmp/apt.log" | head -3 | tr '\n' ' ')"
		fi
		deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
	fi
	[ -f "$deb" ] || fatal 125 "missing kernel package: no such file: $deb"
	dpkg-deb -x "$deb" "$tmp/x" 2>"$tmp/dpkg.log" ||
		fatal 125 "cannot unpack the kernel package $deb: $(head -2 "$tmp/dpkg.log")"
	local vmlinuz
	vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$vmlinuz" ] || fatal 125 "the package $deb holds no /boot/vmlinuz-*: not a kernel package"
	# The bzImage carries the kernel as an XZ stream: find its magic FD 37 7A 58 5A 00.
	local off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)
	[ -n "$off" ] || fatal 125 "no XZ stream in $vmlinuz"
	mkdir -p "$tmp/k/modules"
	tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$tmp/k/vmlinux" 2>/dev/null
	[ "$(head -c 4 "$tmp/k/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		fatal 125 "the kernel in $vmlinuz did not decompress to an ELF file"
	# Modules: decompress what is wanted, then add dependencies until nothing is missing;
	# the load order puts each module after what it depends on.
	local kmods
	kmods=$(ls -d "$tmp"/x/lib/modules/*/kernel 2>/dev/null | head -1)
	[ -n "$kmods" ] || fatal 125 "the package $deb has no modules"
	local -A path=() deps=() seen=()
	local m f todo="$WANT_MODULES $LIO_MODULES" order=
	while read -r f; do
		m=$(basename "$f")
		m=${m%.ko*}
		path[${m//-/_}]=$f
	done < <(find "$kmods" -name '*.ko*')
	while [ -n "$todo" ]; do
		local next=
		for m in $todo; do
			m=${m//-/_}
			[ -n "${deps[$m]+x}" ] && continue
			f=${path[$m]:-}
			[ -n "$f" ] || fatal 125 "the kernel package has no module $m"
			case $f in
			*.xz) xz -dc "$f" >"$tmp/k/modules/$m.ko" ;;
			*) cp "$f" "$tmp/k/modules/$m.ko" ;;
			esac || fatal 125 "cannot decompress $f"
			# The .modinfo section's "depends=a,b" (busybox modinfo wants a modules.dep).
			deps[$m]=$(tr '\0' '\n' <"$tmp/k/modules/$m.ko" | grep -a -m1 '^depends=' |
				cut -d= -f2 | tr ',' ' ')
			next="$next ${deps[$m]}"
		done
		todo=$next
	done
	visit() {
		local m=$1 d
		[ -n "${seen[$m]+x}" ] && return
		seen[$m]=1
		for d in ${deps[$m]}; do visit "${d//-/_}"; done
		order="$order$m"$'\n'
	}
	# The boot's modules first; the LIO ones after, without those already loaded.
	for m in $WANT_MODULES; do visit "$m"; done
	printf '%s' "$order" >"$tmp/k/modules.order"
	order=
	for m in $LIO_MODULES; do visit "$m"; done
	printf '%s' "$order" >"$tmp/k/modules-lio.order"
	basename "$vmlinuz" >"$tmp/k/version"
	rm -rf "$kdir"
	mv "$tmp/k" "$kdir"
	rm -rf "$tmp"
	say "kernel cached in $kdir ($(cat "$kdir/version"), $(wc -l <"$kdir/modules.order") modules)"
}

# The initramfs: busybox, the modules, /init. Rebuilt when init.sh or busybox changed.
build_initramfs() {
	local key
	key=$(cat "$HERE/init.sh" "$BUSYBOX" "$CACHE/kernel/modules.order" \
		"$CACHE/kernel/modules-lio.order" | sha256sum | cut -c1-16)
	INITRD=$CACHE/initramfs-$key.cpio
	[ -s "$INITRD" ] && return 0
	local tmp
	tmp=$(mktemp -d "$CACHE/initrd.XXXXXX") || fatal 125 "cannot write to $CACHE"
	mkdir -p "$tmp/root/bin"
	cp "$BUSYBOX" "$tmp/root/bin/busybox"
	ln -s busybox "$tmp/root/bin/sh"
	cp -r "$CACHE/kernel/modules" "$tmp/root/modules"
	cp "$CACHE/kernel/modules.order" "$CACHE/kernel/modules-lio.order" "$tmp/root/"
	cp "$HERE/init.sh" "$tmp/root/init"
	chmod 755 "$tmp/root/init"
	(cd "$tmp/root" && find . | "$BUSYBOX" cpio -o -H newc >"$tmp/initrd.cpio" 2>/dev/null) ||
		fatal 125 "cannot pack the initramfs"
	rm -f "$CACHE"/initramfs-*.cpio
	mv "$tmp/initrd.cpio" "$INITRD"
	rm -rf "$tmp"
}

mkdir -p "$CACHE" || fatal 125 "cannot create the cache folder $CACHE"
exec 9>"$CACHE/.lock"
# Parallel tests share the cache: one builds it, the others wait.
flock -w 900 9 || fatal 125 "the cache $CACHE stayed locked for 15 minutes"
find_busybox
build_kernel
build_initramfs
flock -u 9
exec 9>&-
[ "$BUILD_ONLY" = 1 ] && { say "guest ready in $CACHE"; exit 0; }

need_tool qemu-system-x86_64 qemu-system-x86
WORK=$(mktemp -d /tmp/rg.XXXXXX) || fatal 125 "cannot create a temporary folder"
if [ -z "$OUT" ]; then
	OUT=$WORK/out
fi
mkdir -p "$OUT" || fatal 125 "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT/booted" "$OUT/rc" "$OUT/rc.tmp" "$OUT/log" "$OUT/script" "$OUT/env" "$OUT/ps" \
	"$OUT/ps.tmp" "$OUT/ps-request"
cp "$SCRIPT" "$OUT/script" && chmod 755 "$OUT/script" || fatal 125 "cannot copy $SCRIPT"
{
	for v in top_srcdir top_builddir MKIMAGE WRITEIMG; do
		[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
	for e in "${ENVS[@]+"${ENVS[@]}"}"; do
		printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"
	done
} >"$OUT/env"
[ -n "$PIDFILE" ] && : >"$PIDFILE"

# ---- drives served from user space (-E): what the guest's ./attach sets up ---------------
SHARES=()
if [ ${#EMUS[@]} -gt 0 ]; then
	EMU_TCMU=${EMU_TCMU:-${top_builddir:-}/tests/guest/emu_tcmu}
	[ -x "$EMU_TCMU" ] || fatal 2 "-E needs the handler tests/guest/emu_tcmu (make check" \
		"builds it; EMU_TCMU names it): not found at $EMU_TCMU"
	EMU_TCMU=$(realpath "$EMU_TCMU")
	rm -f "$OUT"/tcmu-*.log "$OUT"/tcmu-*.trace "$OUT/drives.env"
	: >"$OUT/drives"
	declare -A share_of=()
	for e in "${EMUS[@]}"; do
		prof=${e%%:*} file=${e#*:}
		[ "$prof" != "$e" ] && [ -n "$prof" ] && [ -n "$file" ] ||
			fatal 2 "-E $e: expected PROFILE:STATEFILE or disk:FILE"
		case $file in *[[:space:]]*) fatal 2 "-E $e: the path may not hold blanks" ;; esac
		case $prof in *[!a-z0-9+-]*) fatal 2 "-E $e: no such profile: $prof" ;; esac
		dir=$(dirname "$file")
		[ -d "$dir" ] && [ -w "$dir" ] || fatal 2 "-E $e: the folder $dir must exist and be writable"
		dir=$(realpath "$dir")
		file=$dir/$(basename "$file")
		if [ "$prof" = disk ]; then
			[ -f "$file" ] && [ -s "$file" ] || fatal 2 "-E $e: no such disk file (non-empty)"
			echo "disk $file" >>"$OUT/drives"
		else
			echo "recorder emu:$prof:$file" >>"$OUT/drives"
		fi
		if [ -z "${share_of[$dir]+x}" ]; then
			share_of[$dir]=rw${#share_of[@]}
			SHARES+=("$dir")
		fi
	done
	# Parents before their subfolders, so that each mount lands in the right place.
	for dir in $(printf '%s\n' "${SHARES[@]}" | awk '{ print length, $0 }' | sort -n | cut -d' ' -f2-); do
		echo "${share_of[$dir]} $dir"
	done >"$OUT/shares"
	cp "$HERE/attach-drives.sh" "$OUT/attach" && chmod 755 "$OUT/attach" ||
		fatal 125 "cannot copy attach-drives.sh"
	{
		printf 'export EMU_TCMU=%q GUEST_TGT_DRIVES=%d\n' "$EMU_TCMU" ${#DISCS[@]}
		[ -n "$TRACE" ] && echo 'export EMU_TRACE=1'
	} >>"$OUT/env"
else
	rm -f "$OUT/drives" "$OUT/shares" "$OUT/attach"
fi

# ---- tgtd, when drives are asked for (spec/drive-notes.md, "Starting tgtd") ------------
start_tgt() {
	need_tool tgtd tgt
	need_tool tgtadm tgt
	TGT_STATE=$(mktemp -d /tmp/rgt.XXXXXX) || fatal 125 "cannot create a tgt state folder"
	local try port up i
	for try in 1 2 3 4 5; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		TGT_C=$((1000 + RANDOM % 8000))
		rm -f "$TGT_STATE"/socket* "$TGT_STATE/tgtd.log"
		TGT_IPC_SOCKET=$TGT_STATE/socket setsid tgtd -f -C "$TGT_C" \
			--iscsi portal=127.0.0.1:$port </dev/null >"$TGT_STATE/tgtd.log" 2>&1 &
		TGT_PID=$!
		[ -n "$PIDFILE" ] && echo "tgtd $TGT_PID" >>"$PIDFILE"
		up=0
		for i in $(seq 1 100); do
			if tgt_adm --lld iscsi --mode sys --op show >/dev/null 2>&1; then up=1; break; fi
			kill -0 "$TGT_PID" 2>/dev/null || break
			sleep 0.05
		done
		# A failed bind does not stop tgtd: it falls back to the wildcard port.
		if [ $up = 1 ] && ! grep -q "failed to create/bind" "$TGT_STATE/tgtd.log"; then
			break
		fi
		stop_tgt
	done
	[ -n "$TGT_PID" ] || fatal 125 "tgtd did not start: $(tail -3 "$TGT_STATE/tgtd.log")"
	tgt_adm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2026-11.test:guest ||
		fatal 125 "tgtadm: cannot create the target"
	local n=0 f
	for f in "${DISCS[@]}"; do
		n=$((n + 1))
		[ -f "$f" ] || fatal 2 "no such disc backing file: $f"
		tgt_adm --lld iscsi --mode logicalunit --op new --tid 1 --lun "$n" \
			--backing-store "$f" --device-type cd || fatal 125 "tgtadm: cannot add $f as LUN $n"
	done
	tgt_adm --lld iscsi --mode target --op bind --tid 1 --initiator-address ALL ||
		fatal 125 "tgtadm: cannot bind the target"
	TGT_URL=iscsi://127.0.0.1:$port/iqn.2026-11.test:guest
}

QEMU=(qemu-system-x86_64 -accel tcg -nodefaults -no-user-config -display none -no-reboot
	-m "${GUEST_MEM:-2048}" -smp 1 -kernel "$CACHE/kernel/vmlinux" -initrd "$INITRD"
	-append "console=ttyS0 quiet panic=-1 rdinit=/init $APPEND"
	-chardev "file,id=con,path=$WORK/console.log" -serial chardev:con
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$OUT,mount_tag=guestio,security_model=none,multidevs=remap")
for dir in "${SHARES[@]+"${SHARES[@]}"}"; do
	QEMU+=(-virtfs "local,path=$dir,mount_tag=${share_of[$dir]},security_model=none,multidevs=remap")
done
if [ ${#DISCS[@]} -gt 0 ]; then
	need_tool qemu-img qemu-utils
	[ -n "$(find /usr/lib/x86_64-linux-gnu/qemu -name 'block-iscsi.so' 2>/dev/null)" ] ||
		fatal 125 "QEMU has no iSCSI driver: install the Debian package qemu-block-extra"
	start_tgt
	QEMU+=(-device virtio-scsi-pci,id=scsi0)
	for i in $(seq 1 ${#DISCS[@]}); do
		# scsi-generic: every CDB goes to tgt unchanged (scsi-cd would be QEMU's own CD).
		QEMU+=(-drive "if=none,id=cd$i,file=$TGT_URL/$i,format=raw"
			-device "scsi-generic,drive=cd$i,bus=scsi0.0,channel=0,scsi-id=$((i - 1)),lun=0")
	done
fi
if [ -n "$TRACE" ]; then
	QEMU+=(-trace scsi_req_parsed -trace scsi_generic_send_command
		-trace scsi_generic_command_complete_noio -D "$TRACE")
fi

if [ -n "$PRE" ]; then
	TGT_URL=${TGT_URL:-} GUEST_OUT=$OUT bash -c "$PRE" || fatal 125 "the host-side command failed: $PRE"
fi
QEMU+=(-msg timestamp=on)
START=$(date +%s.%N)
"${QEMU[@]}" </dev/null >"$WORK/qemu.log" 2>&1 &
QEMU_PID=$!
[ -n "$PIDFILE" ] && echo "qemu $QEMU_PID" >>"$PIDFILE"

elapsed() { awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
console_tail() {
	tail -n "${1:-15}" "$WORK/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/  console: /' >&2
	sed 's/^/  qemu: /' "$WORK/qemu.log" >&2
}
# What was running when a limit was hit: the guest's processes (its init answers a
# request in the share within a second or two when the guest still runs), the script's
# output, the console.
show_running() {
	: >"$OUT/ps-request"
	local i
	for i in $(seq 1 50); do
		[ -s "$OUT/ps" ] && break
		sleep 0.1
	done
	if [ -s "$OUT/ps" ]; then
		say "processes in the guest:"
		grep -v -e ' \[.*\]$' -e 'busybox sleep 1$' "$OUT/ps" | sed 's/^/  ps: /' >&2
	else
		say "the guest did not list its processes (its init no longer answers)"
	fi
	[ -s "$OUT/log" ] && { say "the script's output so far:"; tail -n 20 "$OUT/log" >&2; }
	console_tail
}
# Wait for the boot marker, then for the script's exit status, within the limits. The
# script's limit grows with the measured boot: a machine busy enough to slow the boot
# slows the script as much.
booted=0 SCRIPT_LIMIT=$LIMIT
while :; do
	if [ $booted = 0 ] && [ -e "$OUT/booted" ]; then
		booted=1
		BOOT_TIME=$(elapsed)
		SCRIPT_LIMIT=$(awk -v l="$LIMIT" -v b="$BOOT_TIME" -v q="$QUIET_BOOT" \
			'BEGIN { f = b / q; if (f < 1) f = 1; printf "%d", l * f + 0.5 }')
		DEADLINE=$(awk -v b="$BOOT_TIME" -v l="$SCRIPT_LIMIT" 'BEGIN { printf "%d", b + l }')
		say "guest booted in $BOOT_TIME s"
	fi
	[ -e "$OUT/rc" ] && break
	if ! kill -0 "$QEMU_PID" 2>/dev/null; then
		break
	fi
	now=$(elapsed)
	if [ $booted = 0 ] && [ "${now%.*}" -ge "$BOOT_LIMIT" ]; then
		say "the guest did not boot within $BOOT_LIMIT s; stopping it"
		console_tail
		exit 124
	fi
	if [ $booted = 1 ] && [ "${now%.*}" -ge "$DEADLINE" ]; then
		say "the script did not finish within the limit of $LIMIT s (scaled to" \
			"$SCRIPT_LIMIT s by a boot of $BOOT_TIME s; hung?): $SCRIPT; stopping the guest"
		show_running
		exit 124
	fi
	sleep 0.1
done
# The guest powers itself off after writing rc: give it a moment, then stop it anyway.
for i in $(seq 1 50); do
	kill -0 "$QEMU_PID" 2>/dev/null || break
	sleep 0.1
done
stop_qemu
if [ ! -e "$OUT/rc" ]; then
	if [ $booted = 0 ]; then
		say "the guest did not boot (it stopped after $(elapsed) s without reaching its init's" \
			"script stage)"
	else
		say "the guest stopped before the script finished (kernel panic or crash?)"
		[ -s "$OUT/log" ] && tail -n 20 "$OUT/log" >&2
	fi
	console_tail
	exit 126
fi
RC=$(cat "$OUT/rc")
cat "$OUT/log"
if [ -n "$TRACE" ] && [ ${#EMUS[@]} -gt 0 ]; then
	for i in $(seq 1 ${#EMUS[@]}); do
		[ -f "$OUT/tcmu-$i.trace" ] && cp "$OUT/tcmu-$i.trace" "$TRACE.e$i"
	done
fi
say "script exited with status $RC after $(elapsed) s (boot ${BOOT_TIME:-?} s)"
if [ -n "$POST" ]; then
	TGT_URL=${TGT_URL:-} GUEST_OUT=$OUT bash -c "$POST" || {
		say "the host-side command failed: $POST"
		[ "$RC" = 0 ] && RC=1
	}
fi
exit "$RC"
