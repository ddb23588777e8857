#!/bin/bash
# attach-drives.sh up|down: inside the guest (run-guest.sh -E copies it to $GUESTIO/attach
# and init.sh runs it around the script), attach the drives listed in $GUESTIO/drives as
# SCSI logical units of LIO's loopback fabric, and take them down again.
#
# $GUESTIO/drives, one line per unit, in order:
#   recorder emu:MEDIUM:FILE   the emulated recorder, served by $EMU_TCMU (tests/guest/
#                              emu_tcmu.c) through the user backstore: /dev/srN + /dev/sgN
#   disk FILE                  a disk (peripheral device type 0) backed by FILE through
#                              the kernel's file backstore: /dev/sgN only (no sd driver)
# The units are linked one by one, each after the previous one's devices appeared and after
# the $GUEST_TGT_DRIVES drives of run-guest.sh -d, so their numbers follow in that order.
# Their device nodes go to $GUESTIO/drives.env as EMU_SG_n and, for recorders, EMU_SR_n
# (n counts the -E units from 1). ../../shared/notes/lio-tcmu.md has the measured facts
# this follows (configfs steps, the nexus before the LUN, teardown in reverse).
#
# Exit status: 0, or 125 when a unit could not be attached (what failed is printed, and
# whatever was attached is taken down again).
set -u
C=/sys/kernel/config/target
WWN=naa.5001405dc0000001
NEXUS=naa.5001405dc0000002
TPG=$C/loopback/$WWN/tpgt_1
RUN=/run/attach-drives
IO=${GUESTIO:-/run/guestio}

say() { echo "attach-drives: $*" >&2; }

# wait_until TENTHS CMD...: poll CMD every 0.1 s.
wait_until() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

scsi_devices() { ls /sys/bus/scsi/devices 2>/dev/null | grep -E '^[0-9]+:[0-9]+:[0-9]+:[0-9]+$'; }
# A process that still runs (an orphan that exited stays a zombie until init reaps it).
alive() { [ -e "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
count_sg() { [ "$(ls /sys/class/scsi_generic 2>/dev/null | wc -l)" -ge "$1" ]; }
has_child() { ls "$1/$2" 2>/dev/null | grep -q .; }

up() {
	mkdir -p "$RUN"
	: >"$IO/drives.env"
	grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config ||
		{ say "cannot mount configfs"; return 1; }
	[ -d "$C/core" ] || { say "no $C: target_core_mod is not loaded"; return 1; }
	[ -x "${EMU_TCMU:-}" ] || { say "no handler (EMU_TCMU=${EMU_TCMU:-})"; return 1; }
	# The -d drives were found at boot; let their scan finish so that numbers stay in order.
	wait_until 300 count_sg "${GUEST_TGT_DRIVES:-0}" ||
		{ say "the ${GUEST_TGT_DRIVES:-0} -d drives did not all appear"; return 1; }
	# The nexus before any LUN (lio-tcmu.md: linked first, the scan fails).
	mkdir -p "$TPG" && echo -n "$NEXUS" >"$TPG/nexus" ||
		{ say "cannot create the loopback target $WWN"; return 1; }
	local kind spec i=0 r=0 dir name lun before dev sg sr
	while read -r kind spec; do
		[ -n "$kind" ] || continue
		i=$((i + 1))
		lun=$((i - 1))
		case $kind in
		recorder)
			name=emu$i
			dir=$C/core/user_1/$name
			mkdir -p "$dir" || { say "cannot create $dir"; return 1; }
			# Three separate writes: one key each (lio-tcmu.md).
			echo -n "dev_config=discmaster/$name" >"$dir/control" &&
				echo -n "dev_size=$((1 << 30))" >"$dir/control" &&
				echo -n "hw_block_size=2048" >"$dir/control" &&
				echo -n 1 >"$dir/enable" || { say "cannot enable $dir"; return 1; }
			local u uio=
			for u in /sys/class/uio/uio*; do
				[ "$(cat "$u/name" 2>/dev/null)" = "tcm-user/1/$name/discmaster/$name" ] &&
					uio=${u##*/}
			done
			[ -n "$uio" ] || { say "no uio device for $name"; return 1; }
			local trace=
			[ -n "${EMU_TRACE:-}" ] && trace=$IO/tcmu-$i.trace
			DM_TCMU_TRACE=$trace setsid "$EMU_TCMU" "/dev/$uio" "$spec" \
				</dev/null >>"$IO/tcmu-$i.log" 2>&1 &
			echo $! >"$RUN/pid.$i"
			# Linking the LUN waits for the handler's answers: make sure it runs.
			ready() { grep -q "^emu_tcmu: serving" "$IO/tcmu-$i.log" 2>/dev/null || ! alive "$1"; }
			wait_until 300 ready "$(cat "$RUN/pid.$i")"
			alive "$(cat "$RUN/pid.$i")" ||
				{ say "the handler of $spec stopped: $(tail -3 "$IO/tcmu-$i.log")"; return 1; }
			;;
		disk)
			name=disk$i
			dir=$C/core/fileio_1/$name
			[ -f "$spec" ] || { say "no such disk file: $spec"; return 1; }
			mkdir -p "$dir" &&
				echo -n "fd_dev_name=$spec,fd_dev_size=$(stat -c %s "$spec")" >"$dir/control" &&
				echo -n 1 >"$dir/enable" || { say "cannot enable $dir"; return 1; }
			;;
		*)
			say "unknown unit kind: $kind"
			return 1
			;;
		esac
		before=$(scsi_devices)
		mkdir "$TPG/lun/lun_$lun" && ln -s "$dir" "$TPG/lun/lun_$lun/$name" ||
			{ say "cannot link $name as LUN $lun"; return 1; }
		new_device() { dev=$(scsi_devices | grep -vxF "$before" | grep ":$lun\$" | head -1); [ -n "$dev" ]; }
		wait_until 300 new_device || { say "$name: no SCSI device appeared"; return 1; }
		local p=/sys/bus/scsi/devices/$dev
		wait_until 300 has_child "$p" scsi_generic || { say "$name ($dev): no sg device"; return 1; }
		sg=$(ls "$p/scsi_generic" | head -1)
		echo "export EMU_SG_$i=/dev/$sg" >>"$IO/drives.env"
		if [ "$kind" = recorder ]; then
			wait_until 300 has_child "$p" block || { say "$name ($dev): no sr device"; return 1; }
			sr=$(ls "$p/block" | head -1)
			echo "export EMU_SR_$i=/dev/$sr" >>"$IO/drives.env"
			wait_until 100 test -b "/dev/$sr" || { say "no /dev/$sr"; return 1; }
			r=$((r + 1))
		fi
		wait_until 100 test -c "/dev/$sg" || { say "no /dev/$sg"; return 1; }
		echo "$dir" >>"$RUN/units"
	done <"$IO/drives"
	return 0
}

down() {
	local rc=0 l f pid i dev
	# A disc left mounted would keep its unit busy.
	for dev in $(grep -o '^EMU_SR_[0-9]*=[^ ]*' "$IO/drives.env" 2>/dev/null | cut -d= -f2); do
		grep -q "^$dev " /proc/mounts && umount "$dev"
	done
	for l in "$TPG"/lun/lun_*; do
		[ -d "$l" ] || continue
		for f in "$l"/*; do [ -L "$f" ] && rm -f "$f"; done
		rmdir "$l" || rc=1
	done
	if [ -d "$TPG" ]; then
		echo -n NULL >"$TPG/nexus" 2>/dev/null
		rmdir "$TPG" "$C/loopback/$WWN" || rc=1
	fi
	for f in "$C"/core/user_1/emu* "$C"/core/fileio_1/disk*; do
		[ -d "$f" ] && { rmdir "$f" || rc=1; }
	done
	rmdir "$C/core/user_1" "$C/core/fileio_1" 2>/dev/null
	# The handlers see the unit go (read() fails) and exit, saving their discs.
	for f in "$RUN"/pid.*; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		i=${f##*.}
		gone() { ! alive "$1"; }
		if ! wait_until 100 gone "$pid"; then
			say "the handler of unit $i (pid $pid) did not exit; stopping it"
			kill -TERM "$pid"
			rc=1
		fi
		rm -f "$f"
	done
	[ $rc = 0 ] || say "teardown incomplete"
	return $rc
}

case ${1:-} in
up)
	up && exit 0
	say "attaching the drives failed; taking down what was attached"
	for f in "$IO"/tcmu-*.log; do [ -s "$f" ] && sed "s|^|  ${f##*/}: |" "$f" >&2; done
	down
	exit 125
	;;
down) down ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
