#!/bin/sh
# /init of the guest's initramfs (busybox sh, run-guest.sh packs it). It loads the modules
# run-guest.sh listed in /modules.order, mounts the host's / read-only over 9p under a
# tmpfs overlay, chroots into it and runs the script the host left in the read-write 9p
# share "guestio": its output goes to guestio/log, its exit status to guestio/rc, and
# the guest powers itself off. Markers on the serial console tell the host how far the
# boot got (run-guest.sh reads them to say what failed).
export PATH=/bin
busybox mkdir -p /proc /sys /dev /hostroot /ovl /newroot
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev
echo "guest-init: started"
stop() {
	busybox sync
	busybox poweroff -f
}
while read -r m; do
	busybox insmod "/modules/$m.ko" || { echo "guest-init: insmod $m failed"; stop; }
done </modules.order
P9="trans=virtio,version=9p2000.L,msize=262144"
busybox mount -t 9p -o "$P9,cache=mmap,ro" hostroot /hostroot ||
	{ echo "guest-init: cannot mount the host's root over 9p"; stop; }
busybox mount -t tmpfs -o size=512m ovl /ovl
busybox mkdir -p /ovl/upper /ovl/work
busybox mount -t overlay -o lowerdir=/hostroot,upperdir=/ovl/upper,workdir=/ovl/work overlay \
	/newroot || { echo "guest-init: cannot mount the overlay"; stop; }
# The guest's own /proc, /sys, /dev and an empty /run (no trace of the host's udev
# database or sockets: the guest runs without udevd, as a minimal container would).
busybox mount -t proc proc /newroot/proc
busybox mount -t sysfs sys /newroot/sys
busybox mount -t devtmpfs dev /newroot/dev
busybox mount -t tmpfs run /newroot/run
busybox mkdir -p /newroot/run/guestio /newroot/dev/pts /newroot/dev/shm
busybox mount -t devpts devpts /newroot/dev/pts
busybox mount -t tmpfs shm /newroot/dev/shm
busybox mount -t 9p -o "$P9" guestio /newroot/run/guestio ||
	{ echo "guest-init: cannot mount the guestio share"; stop; }
G=/newroot/run/guestio
# Drives served from user space (run-guest.sh -E): LIO's modules, and the folders of
# their disc files shared read-write at the same paths as on the host.
if [ -s $G/drives ]; then
	while read -r m; do
		busybox insmod "/modules/$m.ko" || echo "guest-init: insmod $m failed"
	done </modules-lio.order
	while read -r tag dir; do
		busybox mkdir -p "/newroot$dir" &&
			busybox mount -t 9p -o "$P9" "$tag" "/newroot$dir" ||
			echo "guest-init: cannot mount the share $tag at $dir"
	done <$G/shares
fi
# What runs, for the host when a limit is hit: it asks by creating guestio/ps-request.
(
	while :; do
		if [ -e $G/ps-request ]; then
			busybox ps -o pid,ppid,stat,args >$G/ps.tmp 2>&1
			busybox mv $G/ps.tmp $G/ps
			busybox rm -f $G/ps-request
		fi
		busybox sleep 1
	done
) &
: >/newroot/run/guestio/booted
echo "guest-init: booted"
# The host's environment is not ours: a clean one, plus what run-guest.sh passed in.
# With drives to attach, ./attach sets them up before the script (their device names in
# drives.env) and takes them down after it, so that their handlers save the discs.
busybox chroot /newroot /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	TMPDIR=/tmp LC_ALL=C.UTF-8 TZ=UTC GUEST=1 GUESTIO=/run/guestio \
	/bin/sh -c 'cd /run/guestio && . ./env && : >log || exit 125
		if [ -s drives ]; then ./attach up >>log 2>&1 || exit $?; . ./drives.env; fi
		./script </dev/null >>log 2>&1
		rc=$?
		[ ! -s drives ] || ./attach down >>log 2>&1
		exit $rc'
echo $? >/newroot/run/guestio/rc.tmp
busybox mv /newroot/run/guestio/rc.tmp /newroot/run/guestio/rc
echo "guest-init: script exited"
busybox umount /newroot/run/guestio
stop
