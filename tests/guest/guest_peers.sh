#!/bin/bash
# Peer burners and writeimg on emulated recorders served to the guest's own kernel (issue
# 12 part 3): run-guest.sh -E attaches one recorder per job, each holding a fresh disc in
# a state file on the host, and the kernel's sr/sg drivers drive it as /dev/srN + /dev/sgN
# through LIO's user backstore (tests/guest/emu_tcmu.c). One boot runs every job; each
# result is then read by the guest's kernel (the tray opened and closed, the disc mounted
# with isofs or udf and compared with the source tree, /dev/srN compared with the image)
# and the disc left in the state file on the host is compared with the image.
# A disk-type unit (-E disk:FILE) proves that writeimg refuses a device that is not an
# optical drive before anything is written (exit 3, its bytes unchanged).
#
# PEER_JOBS (space-separated names from the JOB table below) overrides the list: the
# default holds the combinations that pass; tests/guest/README-peers.md has the others
# with their CDB traces (PEER_JOBS="$ALL_JOBS" would be ALL_JOBS below). PEER_KEEP=DIR
# keeps the outputs and the handlers' CDB traces (trace.eN, N the job's place) there.
. "$(dirname "$0")/guest_lib.sh"
it_init guest_peers
guest_require qemu-system-x86_64 wodim cdrskin growisofs xorriso cdrdao sg_start python3
: "${WRITEIMG:=$top_builddir/writeimg/writeimg}"
: "${EMU_TCMU:=$top_builddir/tests/guest/emu_tcmu}"
export WRITEIMG EMU_TCMU
[ -x "$WRITEIMG" ] || die "no writeimg at $WRITEIMG"
[ -x "$EMU_TCMU" ] || die "no handler at $EMU_TCMU (make check builds tests/guest/emu_tcmu)"

# JOB name -> medium, what the guest runs, how the result is read back:
#   iso: mount -t iso9660 + tree compare + cmp of /dev/srN and of the state file with IMG
#   udf: the same with IMG_UDF and -t udf;  tree: mount and compare the tree only (the peer
#   made its own image)
declare -A MEDIUM=() CHECK=()
job() { MEDIUM[$1]=$2; CHECK[$1]=$3; }
job wodim_tao_cdr cd-r iso
job wodim_sao_cdr cd-r iso
job wodim_blank_tao_cdrw cd-rw iso
job wodim_blank_sao_cdrw cd-rw iso
job cdrskin_tao_cdr cd-r iso
job cdrskin_sao_cdr cd-r iso
job cdrskin_blank_tao_cdrw cd-rw iso
job cdrskin_blank_sao_cdrw cd-rw iso
job growisofs_dvdpr dvd+r iso
job growisofs_dvdmr dvd-r iso
job growisofs_dvdprw dvd+rw iso
job growisofs_bdr bd-r iso
job growisofs_bdre bd-re iso
job growisofs_dvdrw dvd-rw iso
job growisofs_dvdprdl dvd+r-dl iso
job growisofs_dvdmrdl dvd-r-dl iso
job growisofs_dvdram dvd-ram iso
job cdrskin_dvdrw dvd-rw iso
job xorriso_cdr cd-r tree
job xorriso_dvdpr dvd+r tree
job xorriso_cdrw cd-rw tree
job cdrdao_cdr cd-r iso
job writeimg_cdr cd-r iso
job writeimg_dvdpr_udf dvd+r udf
job writeimg_dvdmr dvd-r iso
job writeimg_dvdprw dvd+rw iso
job writeimg_bdr bd-r udf
job writeimg_bdre bd-re iso
job writeimg_dvdrw dvd-rw iso
job writeimg_dvdprdl dvd+r-dl iso
job writeimg_dvdmrdl dvd-r-dl iso
job writeimg_dvdram dvd-ram iso
job writeimg_blank_cdrw cd-rw iso
job writeimg_format_dvdprw dvd+rw iso
job writeimg_sao_cdr cd-r iso
job writeimg_blank_dvdrw dvd-rw iso
job writeimg_check_read_dvdpr dvd+r iso
ALL_JOBS="wodim_tao_cdr wodim_sao_cdr wodim_blank_tao_cdrw wodim_blank_sao_cdrw cdrskin_tao_cdr
 cdrskin_sao_cdr cdrskin_blank_tao_cdrw cdrskin_blank_sao_cdrw growisofs_dvdpr growisofs_dvdmr
 growisofs_dvdprw growisofs_bdr growisofs_bdre growisofs_dvdrw growisofs_dvdprdl growisofs_dvdmrdl
 growisofs_dvdram cdrskin_dvdrw xorriso_cdr xorriso_dvdpr xorriso_cdrw cdrdao_cdr
 writeimg_cdr writeimg_dvdpr_udf writeimg_dvdmr writeimg_dvdprw writeimg_bdr writeimg_bdre
 writeimg_dvdrw writeimg_dvdprdl writeimg_dvdmrdl writeimg_dvdram writeimg_blank_cdrw
 writeimg_format_dvdprw writeimg_sao_cdr writeimg_blank_dvdrw writeimg_check_read_dvdpr"
# What passes today (the rest fail on commands the emulator answers differently from a
# drive, or on writeimg features still to come: README-peers.md; PEER_JOBS="$ALL_JOBS"
# runs them all).
PASSING="wodim_tao_cdr wodim_blank_tao_cdrw cdrskin_tao_cdr cdrskin_blank_tao_cdrw
 growisofs_dvdmr growisofs_dvdprw growisofs_dvdrw growisofs_dvdprdl growisofs_dvdram growisofs_bdr
 growisofs_bdre cdrskin_dvdrw xorriso_dvdpr writeimg_cdr writeimg_dvdpr_udf writeimg_dvdmr
 writeimg_dvdprw writeimg_dvdrw writeimg_dvdprdl writeimg_dvdmrdl writeimg_dvdram writeimg_bdr"
# writeimg's --blank, --format, --mode, --check and --read (issue 12 part 2) join as soon
# as its --help offers them; with --format comes formatting a blank BD-RE before writing
# (the emulator wants it).
HELP=$("$WRITEIMG" --help 2>&1)
grep -q -- '--blank' <<<"$HELP" && PASSING="$PASSING writeimg_blank_cdrw"
grep -q -- '--format' <<<"$HELP" && PASSING="$PASSING writeimg_format_dvdprw writeimg_bdre"
grep -q -- '--mode' <<<"$HELP" && PASSING="$PASSING writeimg_sao_cdr"
grep -q -- '--blank' <<<"$HELP" && PASSING="$PASSING writeimg_blank_dvdrw"
grep -q -- '--read' <<<"$HELP" && PASSING="$PASSING writeimg_check_read_dvdpr"
JOBS=${PEER_JOBS:-$PASSING}
for j in $JOBS; do [ -n "${MEDIUM[$j]:-}" ] || die "PEER_JOBS: no such job: $j"; done

# The source tree and its images (ISO 9660 + Joliet + Rock Ridge; pure UDF).
T=$SCRATCH/tree
mkdir -p "$T/sub/deeper"
gen_bytes payload 2600000 >"$T/payload.bin"
gen_bytes small 5000 >"$T/sub/deeper/small.bin"
printf 'hello from the disc\n' >"$T/sub/hello.txt"
IMG=$SCRATCH/img.iso IMG_UDF=$SCRATCH/img-udf.iso IMG_OLD=$SCRATCH/old.iso
mkimg -o "$IMG" -V PEERDISC "$T" || die "mkimage failed"
mkimg -o "$IMG_UDF" --fs udf -V PEERUDF "$T" || die "mkimage --fs udf failed"
mkdir -p "$SCRATCH/oldtree"
gen_bytes old 700000 >"$SCRATCH/oldtree/old.bin"
mkimg -o "$IMG_OLD" -V OLDDISC "$SCRATCH/oldtree" || die "mkimage failed"
# The disk a writeimg run must leave alone.
DISK=$SCRATCH/discs/disk.img
mkdir -p "$SCRATCH/discs"
gen_bytes disk $((4 << 20)) >"$DISK"
cp "$DISK" "$SCRATCH/disk.orig"

GS=$SCRATCH/guest.sh
cat >"$GS" <<'EOF'
#!/bin/bash
# In the guest: $JOBS, one per -E unit in order (EMU_SR_n, EMU_SG_n), then the disk.
cd "$GUESTIO"
# The guest's own tmpfs: its /tmp is the host's, shared with whoever else uses it.
P=/run/peers
mkdir -p $P/home
export HOME=$P/home
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
burn_old() { wodim -v dev=$1 -tao "$IMG_OLD"; }
j_wodim_tao_cdr() { wodim -v dev=$1 -tao "$IMG"; }
j_wodim_sao_cdr() { wodim -v dev=$1 -sao "$IMG"; }
j_wodim_blank_tao_cdrw() { burn_old $1 && wodim -v dev=$1 blank=fast && wodim -v dev=$1 -tao "$IMG"; }
j_wodim_blank_sao_cdrw() { burn_old $1 && wodim -v dev=$1 blank=fast && wodim -v dev=$1 -sao "$IMG"; }
j_cdrskin_tao_cdr() { cdrskin -v dev=$1 -tao "$IMG"; }
j_cdrskin_sao_cdr() { cdrskin -v dev=$1 -sao "$IMG"; }
j_cdrskin_blank_tao_cdrw() { cdrskin -v dev=$1 -tao "$IMG_OLD" && cdrskin -v dev=$1 blank=fast &&
	cdrskin -v dev=$1 -tao "$IMG"; }
j_cdrskin_blank_sao_cdrw() { cdrskin -v dev=$1 -tao "$IMG_OLD" && cdrskin -v dev=$1 blank=fast &&
	cdrskin -v dev=$1 -sao "$IMG"; }
j_growisofs_dvdpr() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdmr() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdprw() { growisofs -Z $1="$IMG"; }
j_growisofs_bdr() { growisofs -Z $1="$IMG"; }
j_growisofs_bdre() { growisofs -Z $1="$IMG"; }
j_growisofs_dvdrw() { growisofs -Z $1="$IMG"; }
j_growisofs_dvdprdl() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdmrdl() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdram() { growisofs -Z $1="$IMG"; }
j_cdrskin_dvdrw() { cdrskin -v dev=$1 "$IMG"; }
j_xorriso() { xorriso -abort_on FAILURE -dev $1 -blank as_needed -map "$TREE" / -commit; }
j_xorriso_cdr() { j_xorriso $1; }
j_xorriso_dvdpr() { j_xorriso $1; }
j_xorriso_cdrw() { burn_old $1 && j_xorriso $1; }
j_cdrdao_cdr() {
	printf 'CD_ROM\nTRACK MODE1\nDATAFILE "%s"\n' "$IMG" >$P/data.toc
	cdrdao write --device $2 -n $P/data.toc
}
j_writeimg_cdr() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdpr_udf() { W -d $1 --verify "$IMG_UDF"; }
j_writeimg_dvdmr() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdprw() { W -d $1 --verify "$IMG"; }
j_writeimg_bdr() { W -d $1 --verify "$IMG_UDF"; }
j_writeimg_bdre() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdrw() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdprdl() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdmrdl() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdram() { W -d $1 --verify "$IMG"; }
# A written CD-RW blanked and written again in one call; a written DVD+RW formatted anew.
j_writeimg_blank_cdrw() { W -d $1 "$IMG_OLD" && W -d $1 --blank=fast --verify "$IMG"; }
j_writeimg_sao_cdr() { W -d $1 --mode=sao --verify "$IMG"; }
j_writeimg_blank_dvdrw() { W -d $1 "$IMG_OLD" && W -d $1 --blank=fast --verify "$IMG"; }
# A disc written, then checked against the image and copied back to a file, through sr.
j_writeimg_check_read_dvdpr() { W -d $1 "$IMG" && W -d $1 --check "$IMG" &&
	W -d $1 --read $P/read.iso && cmp $P/read.iso "$IMG"; }
j_writeimg_format_dvdprw() { W -d $1 "$IMG_OLD" && W -d $1 --format=quick &&
	W -d $1 --verify "$IMG"; }
export -f W burn_old j_xorriso $(compgen -A function j_)
n=0
for j in $JOBS; do
	n=$((n + 1))
	eval "sr=\$EMU_SR_$n sg=\$EMU_SG_$n"
	echo "$j $sr $sg" >>devices
	t0=$(date +%s.%N)
	timeout 300 bash -c '"j_$0" "$@"' $j $sr $sg </dev/null >$j.out 2>&1
	echo $? >$j.rc
	echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }' >$j.seconds
	# The tray out and in: the sr driver reads the written disc's size anew.
	sg_start --eject $sg >/dev/null 2>&1
	sg_start --load $sg >/dev/null 2>&1
	mkdir -p $P/m/$j
	case $j in *_udf|writeimg_bdr) fs=udf img=$IMG_UDF ;; *) fs=iso9660 img=$IMG ;; esac
	mount -t $fs -o ro $sr $P/m/$j >$j.mount 2>&1
	echo $? >$j.mount.rc
	diff -r "$TREE" $P/m/$j >$j.diff 2>&1
	echo $? >$j.diff.rc
	umount $P/m/$j 2>/dev/null
	cmp -n $(stat -c %s "$img") $sr "$img" >$j.cmp 2>&1
	echo $? >$j.cmp.rc
done
# The disk: writeimg refuses it before any command that could write.
n=$((n + 1))
eval "sg=\$EMU_SG_$n"
echo "disk - $sg" >>devices
W -d $sg "$IMG" >disk.out 2>&1
echo $? >disk.rc
sg_inq $sg >disk.inq 2>&1
dmesg >dmesg
exit 0
EOF

ARGS=()
n=0
for j in $JOBS; do
	n=$((n + 1))
	ARGS+=(-E "${MEDIUM[$j]}:$SCRATCH/discs/$n-$j.img")
done
ARGS+=(-E "disk:$DISK")
OUTD=${PEER_KEEP:-$SCRATCH/out}
TRACE=$SCRATCH/trace
[ -n "${PEER_KEEP:-}" ] && TRACE=$PEER_KEEP/trace
if ! guest_run "$OUTD" "$GS" -t 300 -T "$TRACE" "${ARGS[@]}" -e "JOBS=$(echo $JOBS)" \
	-e "IMG=$IMG" -e "IMG_UDF=$IMG_UDF" -e "IMG_OLD=$IMG_OLD" -e "TREE=$T" \
	-e "WRITEIMG=$WRITEIMG"; then
	fail "the guest run failed"
	sed 's/^/    /' "$OUTD.runner" | tail -n 40
	it_finish
fi
O=$OUTD
val() { cat "$O/$1" 2>/dev/null || echo missing; }

# Per job: the program succeeded, the kernel mounts the disc and reads the tree back, the
# disc equals the image through /dev/srN and in the state file on the host.
n=0
for j in $JOBS; do
	n=$((n + 1))
	state=$SCRATCH/discs/$n-$j.img
	img=$IMG
	[ "${CHECK[$j]}" = udf ] && img=$IMG_UDF
	it_log "# $j on ${MEDIUM[$j]}: $(val $j.seconds) s"
	if [ "$(val $j.rc)" = 0 ]; then
		pass "$j: succeeds on the emulated ${MEDIUM[$j]}"
	else
		fail "$j: exit $(val $j.rc) on the emulated ${MEDIUM[$j]}"
		tail -n 8 "$O/$j.out" 2>/dev/null | sed 's/^/    /'
		continue
	fi
	check "$j: the guest's kernel mounts the disc" test "$(val $j.mount.rc)" = 0
	check "$j: the mounted tree equals the source" test "$(val $j.diff.rc)" = 0
	if [ "${CHECK[$j]}" != tree ]; then
		check "$j: /dev/srN reads back the image" test "$(val $j.cmp.rc)" = 0
		check "$j: the disc in the state file on the host equals the image" \
			cmp -n "$(stat -c %s "$img")" "$state" "$img"
	fi
done

check "disk: writeimg refuses a disk with exit 3" test "$(val disk.rc)" = 3
check "disk: the refusal names the device and its type" \
	grep -q "is not an optical drive: SCSI peripheral device type 00h" "$O/disk.out"
check "disk: the kernel saw a type-0 unit" grep -q "PDT=0 " "$O/disk.inq"
check "disk: its bytes are unchanged" cmp "$DISK" "$SCRATCH/disk.orig"
it_log "# guest run: $GUEST_SECONDS s for $(echo $JOBS | wc -w) jobs"
it_finish
