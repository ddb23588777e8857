#!/bin/bash
# Multisession through a real kernel (issue 14): in one guest boot, writeimg writes three
# sessions to an emulated DVD+R and CD-R and grows an emulated DVD+RW twice, all through
# the sr driver (run-guest.sh -E: the emulated recorder served by LIO's user backstore),
# each next session made by mkimage --previous /dev/srN in the guest. The guest's kernel
# then mounts each disc (isofs: by default the last session, found through the drive's
# table of contents; the grown DVD+RW: its one volume at LBA 16) and the mounted tree is
# compared with the expected one (tests/integration/compare_tree.py); on the DVD+R
# session 2 is mounted too (-o sbsector).
# UDF: the same three sessions in pure UDF 2.01 on a DVD+R and in an ISO/UDF 2.60 bridge on
# a BD-R, and grown twice on a DVD+RW, written on the host (writeimg on the emulator, mkimage
# --previous emu:...), are mounted with -t udf: the udf driver asks the sr driver for the
# last session (CDROMMULTISESSION: READ TOC format 1) and reads its anchor at start + 256.
. "$(dirname "$0")/guest_lib.sh"
. "$GUEST_DIR/../integration/msess_lib.sh"
it_init guest_multisession
guest_require qemu-system-x86_64 sg_start python3
: "${WRITEIMG:=$top_builddir/writeimg/writeimg}"
: "${MKIMAGE:=$top_builddir/mkimage/mkimage}"
export WRITEIMG MKIMAGE
[ -x "$WRITEIMG" ] || die "no writeimg at $WRITEIMG"

# The trees (tests/integration/msess_lib.sh): session 1; session 2 adds d/new.txt and
# replaces a.txt; session 3 adds three.txt and removes big.bin. The expected trees F2 and F3
# are made on the host.
make_small_trees 300000
mkimg -o "$SCRATCH/s1.iso" "$A1" || die "mkimage session 1"
mkdir -p "$SCRATCH/discs"

# udf_disc UNIT MEDIUM MKIMAGE-OPTIONS...: the three sessions on an emulated disc, kept in
# $SCRATCH/discs/UNIT.img for the guest (the -E state file).
udf_disc() {
	local f=$SCRATCH/discs/$1.img m=$2 k
	shift 2
	local d=emu:$m:$f
	rm -f "$f"
	mkimg "$@" -o "$SCRATCH/u1.img" "$A1" &&
		"$WRITEIMG" -q -d "$d" --multisession "$SCRATCH/u1.img" || return 1
	for k in 2 3; do
		if [ $k = 2 ]; then set -- "$A2"; else set -- --remove /big.bin "$A3"; fi
		mkimg --previous "$d" -o "$SCRATCH/u$k.img" "$@" &&
			"$WRITEIMG" -q -d "$d" --multisession "$SCRATCH/u$k.img" || return 1
	done
	"$WRITEIMG" -d "$d" --msinfo >"$SCRATCH/discs/$1.msinfo" && rm -f "$SCRATCH"/u?.img &&
		it_log "# $1: --msinfo $(cat "$SCRATCH/discs/$1.msinfo")"
}
check "UDF 2.01 DVD+R: three sessions written on the host" \
	udf_disc 4-udfdvdpr dvd+r --fs udf --udf-special --udf-rev 2.01
check "ISO/UDF 2.60 BD-R: three sessions written on the host" \
	udf_disc 5-udfbdr bd-r --fs iso9660,joliet,rockridge,udf --udf-rev 2.60
check "UDF 2.01 DVD+RW: grown twice on the host" \
	udf_disc 6-udfdvdprw dvd+rw --fs udf --udf-special --udf-rev 2.01

GS=$SCRATCH/guest.sh
cat >"$GS" <<'EOF2'
#!/bin/bash
# In the guest: one job per -E unit (EMU_SR_n, EMU_SG_n): dvdpr, cdr, dvdprw.
cd "$GUESTIO"
# The guest's own tmpfs for images and mount points (its /tmp is the host's).
P=/run/ms
mkdir -p $P
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
session() { # DEV K TREE [MKIMAGE OPTIONS]: session K made over the disc and written
	local dev=$1 k=$2 tree=$3
	shift 3
	"$WRITEIMG" -d $dev --msinfo >msinfo-$J-$k 2>&1 &&
	"$MKIMAGE" --previous $dev "$@" -o $P/$J-$k.iso "$tree" &&
	W -d $dev --multisession --verify $P/$J-$k.iso
}
n=0
for J in dvdpr cdr dvdprw; do
	n=$((n + 1))
	eval "sr=\$EMU_SR_$n sg=\$EMU_SG_$n"
	echo "$J $sr $sg" >>devices
	t0=$(date +%s.%N)
	{ W -d $sr --multisession --verify "$S1" && session $sr 2 "$A2" &&
	  session $sr 3 "$A3" --remove /big.bin; } >$J.out 2>&1
	echo $? >$J.rc
	echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }' >$J.seconds
	# The tray out and in: the sr driver reads the disc's sessions anew.
	sg_start --eject $sg >/dev/null 2>&1
	sg_start --load $sg >/dev/null 2>&1
	mkdir -p $P/m/$J
	mount -t iso9660 -o ro $sr $P/m/$J >$J.mount 2>&1
	echo $? >$J.mount.rc
	python3 "$COMPARE" "$F3" $P/m/$J >$J.diff 2>&1
	echo $? >$J.diff.rc
	umount $P/m/$J 2>/dev/null
	if [ $J = dvdpr ]; then
		s2=$(cut -d, -f2 msinfo-$J-2)
		mount -t iso9660 -o ro,sbsector=$s2 $sr $P/m/$J >$J.s2.mount 2>&1
		echo $? >$J.s2.mount.rc
		python3 "$COMPARE" "$F2" $P/m/$J >$J.s2.diff 2>&1
		echo $? >$J.s2.diff.rc
		umount $P/m/$J 2>/dev/null
	fi
done
# UDF discs written on the host: the kernel mounts the last session (-t udf; the bridge
# with -t iso9660 too).
for J in udfdvdpr:udf udfbdr:udf udfbdr:iso9660 udfdvdprw:udf; do
	t=${J#*:} J=${J%:*}
	case $J in udfdvdpr) n=4 ;; udfbdr) n=5 ;; *) n=6 ;; esac
	eval "sr=\$EMU_SR_$n"
	mkdir -p $P/m/$J
	mount -t $t -o ro $sr $P/m/$J >$J.$t.mount 2>&1
	echo $? >$J.$t.mount.rc
	python3 "$COMPARE" "$F3" $P/m/$J >$J.$t.diff 2>&1
	echo $? >$J.$t.diff.rc
	umount $P/m/$J 2>/dev/null
done
dmesg >dmesg
dmesg -l emerg,alert,crit,err,warn >dmesg.warn
exit 0
EOF2

ARGS=(-E "dvd+r:$SCRATCH/discs/1-dvdpr.img" -E "cd-r:$SCRATCH/discs/2-cdr.img"
	-E "dvd+rw:$SCRATCH/discs/3-dvdprw.img" -E "dvd+r:$SCRATCH/discs/4-udfdvdpr.img"
	-E "bd-r:$SCRATCH/discs/5-udfbdr.img" -E "dvd+rw:$SCRATCH/discs/6-udfdvdprw.img")
O=$SCRATCH/out
if ! guest_run "$O" "$GS" -t 240 "${ARGS[@]}" -e "WRITEIMG=$WRITEIMG" -e "MKIMAGE=$MKIMAGE" \
	-e "S1=$SCRATCH/s1.iso" -e "A2=$A2" -e "A3=$A3" -e "F2=$F2" -e "F3=$F3" \
	-e "COMPARE=$IT_DIR/compare_tree.py"; then
	fail "the guest run failed"
	sed 's/^/    /' "$O.runner" | tail -n 40
	it_finish
fi
val() { cat "$O/$1" 2>/dev/null || echo missing; }
for j in dvdpr:DVD+R cdr:CD-R dvdprw:DVD+RW; do
	J=${j%%:*} m=${j#*:}
	it_log "# $J: $(val $J.seconds) s"
	if [ "$(val $J.rc)" = 0 ]; then
		pass "$m: three sessions written by writeimg through the guest's sr driver"
	else
		fail "$m: exit $(val $J.rc)"
		tail -n 8 "$O/$J.out" 2>/dev/null | sed 's/^/    /'
		continue
	fi
	check "$m: the guest's kernel mounts the disc" test "$(val $J.mount.rc)" = 0
	check "$m: the mounted tree is session 3's" test "$(val $J.diff.rc)" = 0 ||
		sed 's/^/    /' "$O/$J.diff" | head -n 20
done
check "DVD+RW: it was grown (not appended)" grep -q "the disc is grown from" "$O/dvdprw.out"
check "DVD+RW: --msinfo gave 0,NEXT" grep -Eq '^0,[1-9][0-9]*$' "$O/msinfo-dvdprw-3"
check "DVD+R: --msinfo gave session 2's start" grep -Eq '^0,[1-9][0-9]*$' "$O/msinfo-dvdpr-2"
check "DVD+R: the kernel mounts session 2 (-o sbsector)" test "$(val dvdpr.s2.mount.rc)" = 0
check "DVD+R: session 2's tree" test "$(val dvdpr.s2.diff.rc)" = 0 ||
	sed 's/^/    /' "$O/dvdpr.s2.diff" | head -n 20
for j in udfdvdpr:udf:"UDF 2.01 DVD+R" udfbdr:udf:"ISO/UDF 2.60 BD-R" \
	udfbdr:iso9660:"ISO/UDF 2.60 BD-R" udfdvdprw:udf:"UDF 2.01 DVD+RW"; do
	IFS=: read -r J t m <<<"$j"
	check "$m: the kernel mounts it with -t $t" test "$(val $J.$t.mount.rc)" = 0 ||
		sed 's/^/    /' "$O/$J.$t.mount"
	check "$m: -t $t shows session 3's tree" test "$(val $J.$t.diff.rc)" = 0 ||
		sed 's/^/    /' "$O/$J.$t.diff" | head -n 20
done
# The kernel log: nothing from isofs or udf.
bad=$(grep -iE 'isofs|iso9660|udf|rock ?ridge|joliet' "$O/dmesg.warn" 2>/dev/null || true)
check "no isofs/udf warning in the kernel log" test -f "$O/dmesg.warn" -a -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | head -20 | sed 's/^/    /'
check_fails "negative control: session 3's tree is not session 2's" \
	compare "$F2" "$F3"
it_finish
