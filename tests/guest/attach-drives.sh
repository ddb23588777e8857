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
# Each unit is LUN 0 of a loopback target of its own (its own SCSI host): LUNs added to a
# shared target would raise "REPORTED LUNS DATA HAS CHANGED" on the others. The units are
# linked one by one, each after the previous one's devices appeared and after the
# $GUEST_TGT_DRIVES drives of run-guest.sh -d, so their numbers follow in that order.
# Their device nodes go to $GUESTIO/drives.env as EMU_SG_n and, for recorders, EMU_SR_n
# (n counts the -E units from 1). spec/test-guest.md has the measured facts
# this follows (configfs steps, the nexus before the LUN, teardown in reverse). Under TCG
# every program started costs 0.15 s or more: the loops below use the shell's builtins.
#
# Exit status: 0, or 125 when a unit could not be attached (what failed is printed, and
# whatever was attached is taken down again).
set -u
shopt -s nullglob
C=/sys/kernel/config/target
RUN=/run/attach-drives
IO=${GUESTIO:-/run/guestio}

say() { echo "attach-drives: $*" >&2; }
# A sleep without starting a program: a read that times out on a pipe nobody writes.
mkdir -p "$RUN" && { [ -p "$RUN/nap" ] || mkfifo "$RUN/nap"; } && exec {NAP}<>"$RUN/nap" ||
	{ say "cannot create $RUN/nap"; exit 125; }
nap() { read -r -t "$1" -u "$NAP" _ || :; }

# wait_until TENTHS CMD...: poll CMD every 0.1 s.
wait_until() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		nap 0.1
	done
	"$@"
}

# A process that still runs (an orphan that exited stays a zombie until init reaps it).
alive() {
	local st
	[ -r "/proc/$1/status" ] && st=$(<"/proc/$1/status") 2>/dev/null || return 1
	[[ $st != *$'\nState:\tZ'* ]]
}
gone() { ! alive "$1"; }
count_sg() { local a=(/sys/class/scsi_generic/*); [ ${#a[@]} -ge "$1" ]; }
has_child() { local a=("$1"/*); [ ${#a[@]} -gt 0 ]; }
handler_ready() {
	local log=
	[ -r "$IO/tcmu-$1.log" ] && log=$(<"$IO/tcmu-$1.log")
	[[ $log == *"emu_tcmu: serving"* ]] || gone "$2"
}
# One loopback target per unit: naa.5001405dc0 + 6 hex digits.
wwn() { printf 'naa.5001405dc0%06x' "$1"; }

up() {
	mkdir -p "$RUN"
	: >"$IO/drives.env"
	local mounts
	mounts=$(</proc/mounts)
	[[ $mounts == *" /sys/kernel/config configfs "* ]] ||
		mount -t configfs none /sys/kernel/config || { say "cannot mount configfs"; return 1; }
	[ -d "$C/core" ] || { say "no $C: target_core_mod is not loaded"; return 1; }
	[ -x "${EMU_TCMU:-}" ] || { say "no handler (EMU_TCMU=${EMU_TCMU:-})"; return 1; }
	local kinds=() specs=() dirs=() names=() pids=() kind spec i dir name
	while read -r kind spec; do
		[ -n "$kind" ] && kinds+=("$kind") && specs+=("$spec")
	done <"$IO/drives"
	# First every backstore and handler (the handlers start while the others are set up).
	for ((i = 1; i <= ${#kinds[@]}; i++)); do
		kind=${kinds[i - 1]} spec=${specs[i - 1]}
		case $kind in
		recorder)
			name=emu$i
			dir=$C/core/user_1/$name
			mkdir -p "$dir" || { say "cannot create $dir"; return 1; }
			# Three separate writes: one key each (spec/test-guest.md).
			echo -n "dev_config=discmaster/$name" >"$dir/control" &&
				echo -n "dev_size=$((1 << 30))" >"$dir/control" &&
				echo -n "hw_block_size=2048" >"$dir/control" &&
				echo -n 1 >"$dir/enable" || { say "cannot enable $dir"; return 1; }
			local u uio=
			for u in /sys/class/uio/uio*; do
				[ "$(<"$u/name")" = "tcm-user/1/$name/discmaster/$name" ] && uio=${u##*/}
			done
			[ -n "$uio" ] || { say "no uio device for $name"; return 1; }
			local trace=
			[ -n "${EMU_TRACE:-}" ] && trace=$IO/tcmu-$i.trace
			DM_TCMU_TRACE=$trace setsid "$EMU_TCMU" "/dev/$uio" "$spec" \
				</dev/null >>"$IO/tcmu-$i.log" 2>&1 &
			pids[i]=$!
			echo "${pids[i]}" >"$RUN/pid.$i"
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
		dirs[i]=$dir names[i]=$name
	done
	# The -d drives were found at boot; let their scan finish so that numbers stay in order.
	wait_until 300 count_sg "${GUEST_TGT_DRIVES:-0}" ||
		{ say "the ${GUEST_TGT_DRIVES:-0} -d drives did not all appear"; return 1; }
	local tpg addr p sg sr devs
	for ((i = 1; i <= ${#kinds[@]}; i++)); do
		kind=${kinds[i - 1]} spec=${specs[i - 1]} dir=${dirs[i]} name=${names[i]}
		if [ "$kind" = recorder ]; then
			# Linking the LUN waits for the handler's answers: make sure it runs.
			wait_until 300 handler_ready "$i" "${pids[i]}"
			alive "${pids[i]}" ||
				{ say "the handler of $spec stopped: $(<"$IO/tcmu-$i.log")"; return 1; }
		fi
		# The nexus before the LUN (spec/test-guest.md: linked first, the scan fails).
		tpg=$C/loopback/$(wwn "$i")/tpgt_1
		mkdir -p "$tpg/lun/lun_0" && echo -n "$(wwn $((i + 0x800000)))" >"$tpg/nexus" ||
			{ say "cannot create the loopback target for $name"; return 1; }
		ln -s "$dir" "$tpg/lun/lun_0/$name" || { say "cannot link $name"; return 1; }
		addr=$(<"$tpg/address")
		p=/sys/bus/scsi/devices/$addr:0
		wait_until 300 has_child "$p/scsi_generic" || { say "$name ($addr:0): no sg device"; return 1; }
		devs=("$p"/scsi_generic/*)
		sg=${devs[0]##*/}
		echo "export EMU_SG_$i=/dev/$sg" >>"$IO/drives.env"
		wait_until 100 test -c "/dev/$sg" || { say "no /dev/$sg"; return 1; }
		if [ "$kind" = recorder ]; then
			wait_until 300 has_child "$p/block" || { say "$name ($addr:0): no sr device"; return 1; }
			devs=("$p"/block/*)
			sr=${devs[0]##*/}
			echo "export EMU_SR_$i=/dev/$sr" >>"$IO/drives.env"
			wait_until 100 test -b "/dev/$sr" || { say "no /dev/$sr"; return 1; }
		fi
	done
	return 0
}

down() {
	local rc=0 f pid i dev mounts links=() luns=() tpgs=() stores=()
	# A disc left mounted would keep its unit busy.
	mounts=$(</proc/mounts)
	while read -r f; do
		dev=${f#*=}
		[[ $f == export\ EMU_SR_* && $mounts == *"$dev "* ]] && umount "$dev"
	done <"$IO/drives.env"
	# Few programs, many arguments (rm and rmdir act on them in order).
	for f in "$C"/loopback/naa.*/tpgt_1/lun/lun_0/*; do [ -L "$f" ] && links+=("$f"); done
	for f in "$C"/loopback/naa.*/tpgt_1/lun/lun_0; do luns+=("$f"); done
	[ ${#links[@]} = 0 ] || rm -f "${links[@]}" || rc=1
	[ ${#luns[@]} = 0 ] || rmdir "${luns[@]}" || rc=1
	for f in "$C"/loopback/naa.*/tpgt_1; do
		echo -n NULL >"$f/nexus" 2>/dev/null
		tpgs+=("$f" "${f%/tpgt_1}")
	done
	[ ${#tpgs[@]} = 0 ] || rmdir "${tpgs[@]}" || rc=1
	for f in "$C"/core/user_1/emu* "$C"/core/fileio_1/disk*; do stores+=("$f"); done
	[ ${#stores[@]} = 0 ] || rmdir "${stores[@]}" || rc=1
	rmdir "$C/core/user_1" "$C/core/fileio_1" 2>/dev/null
	# The handlers see their unit go (read() fails) and exit, saving their discs.
	for f in "$RUN"/pid.*; do
		pid=$(<"$f")
		i=${f##*.}
		if ! wait_until 100 gone "$pid"; then
			say "the handler of unit $i (pid $pid) did not exit; stopping it"
			kill -TERM "$pid"
			rc=1
		fi
	done
	rm -f "$RUN"/pid.*
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
