#!/bin/bash
# writeimg's part of multisession (issue 14) on the emulated recorder:
#   (a) growing a DVD+RW and a BD-RE twice (files added, replaced, removed with --remove),
#       as growisofs -M: each grown disc read back with writeimg --read and compared, as one
#       tree, through xorriso, bsdtar and 7z with the tree expected at that point;
#   (b) the address check: an image made for another address than the disc's next one is
#       refused with exit 3 and nothing written (the disc file unchanged);
#   (c) --close after a session and alone: --msinfo and --multisession then refused;
#   (d) an interrupted append (power loss) leaves the earlier sessions readable and says so;
#       an interrupted grow before the copy to LBA 16 leaves the old tree.
# tests/integration/multisession.sh covers mkimage's side and three sessions on CD-R, DVD+R
# and BD-R.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/msess_lib.sh"
it_init multisession_media
require_tools xorriso 7z bsdtar
WRITEIMG=${WRITEIMG:-$(dirname "$MKIMAGE")/../writeimg/writeimg}
[ -x "$WRITEIMG" ] || die "WRITEIMG=$WRITEIMG is not built"
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
X=$SCRATCH/x
mkdir -p "$X"

# session_extract DISC SBSECTOR DEST: xorriso reads the session whose descriptors are at
# SBSECTOR + 16 (Rock Ridge).
session_extract() {
	xorriso -abort_on FAILURE -return_with FAILURE 32 -read_fs any -hardlinks on \
		-osirrox on -load sbsector "$2" -indev "$1" -extract / "$3" >"$3.log" 2>&1 ||
		{ sed 's/^/    xorriso: /' "$3.log" | grep -v UPDATE | tail -n 20; return 1; }
}

# expect_rc WANT DESC CMD...: exit status WANT; the output in $X/out.
expect_rc() {
	local want=$1 desc=$2 rc
	shift 2
	"$@" >"$X/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		pass "$desc (exit $rc)"
	else
		fail "$desc: exit $rc, expected $want: $(tail -n 5 "$X/out")"
	fi
}
said() { check "$1" grep -Eq -- "$2" "$X/out"; }

# read_all VIEWNAME IMAGE EXPECTED: the disc as one tree through xorriso, bsdtar and 7z.
read_all() {
	local name=$1 img=$2 exp=$3
	expect_tree "$name via xorriso (Rock Ridge)" "$name: xorriso could not read it" \
		quiet xorriso_extract rr "$img" "$X/$name-xo" -- "$exp" "${XORRISO_RR[@]}"
	expect_tree "$name via bsdtar (Rock Ridge)" "$name: bsdtar failed" \
		bsdtar_extract rr "$img" "$X/$name-bt" -- "$exp" "${BSDTAR_RR[@]}"
	expect_listing "$name via 7z (Joliet)" "$name: 7z could not list it" \
		sevenzip_manifest "$img" "$X/$name-7z.json" -- "$exp" "${SEVENZIP_J[@]}"
}

# read_disc DRIVE IMAGE DEST: the disc read back with writeimg --read into IMAGE, its tree
# extracted by xorriso into DEST.
read_disc() {
	rm -f "$2"
	W -d "$1" --read "$2" 2>/dev/null
	quiet xorriso_extract rr "$2" "$3"
}

# two_sessions DRIVE ISO: session 1 (first.iso) written with --multisession, then session 2's
# image (A2) made from the drive into ISO ($med names the medium in the errors).
two_sessions() {
	W -d "$1" --multisession "$SCRATCH/first.iso" 2>/dev/null || die "$med: session 1"
	mkimg --previous "$1" -o "$2" "$A2" || die "$med: mkimage session 2"
}
# msinfo_next DRIVE: the next session's address, as writeimg --msinfo gives it.
msinfo_next() {
	local ms
	ms=$("$WRITEIMG" -d "$1" --msinfo)
	printf '%s\n' "${ms#*,}"
}

# The trees: session 1, session 2 adds d/new.txt and replaces a.txt, session 3 adds
# three.txt and removes big.bin (--remove).
make_small_trees
mkimg -o "$SCRATCH/first.iso" "$A1" || die "mkimage session 1"

# ===== (a) growing overwritable discs ======================================================
for med in dvd+rw bd-re; do
	EMU=$SCRATCH/$med.emu
	DRV=emu:$med:$EMU
	ecc=16
	[ $med = bd-re ] && ecc=32
	# A blank DVD+RW or BD-RE is formatted first; --multisession on an empty disc writes
	# the first session from LBA 0.
	expect_rc 0 "$med: session 1 with --multisession on a blank disc" \
		W -d "$DRV" --multisession --verify "$SCRATCH/first.iso"
	k=1
	for tree in "$A2" "$A3"; do
		k=$((k + 1))
		ms=$("$WRITEIMG" -d "$DRV" --msinfo 2>"$X/msinfo.err")
		next=${ms#*,}
		check "$med: --msinfo before session $k is 0,NEXT on a $ecc-sector boundary ($ms)" \
			sh -c 'case $1 in 0,*) test $(( ${1#0,} % $2 )) -eq 0 && test "${1#0,}" -gt 0;; *) false;; esac' \
			sh "$ms" "$ecc"
		rm_opt=()
		[ $k = 3 ] && rm_opt=(--remove /big.bin)
		check "$med: mkimage --previous $DRV for session $k" \
			mkimg --previous "$DRV" "${rm_opt[@]}" -o "$SCRATCH/$med-$k.iso" "$tree"
		expect_rc 0 "$med: grow $((k - 1)): writeimg --multisession --verify" \
			"$WRITEIMG" --no-inhibit -d "$DRV" --multisession --verify "$SCRATCH/$med-$k.iso"
		said "$med: grow $((k - 1)) is written at LBA $next and said so" \
			"grows it from LBA $next .*growisofs"
		said "$med: the descriptors are copied to LBA 16 after the data" \
			"copying the [0-9]+ new volume descriptors to LBA 16"
		said "$med: the written range and the copied descriptors are verified" "verified: SHA-256"
		said "$med: the disc is said to be grown" "the disc is grown from [0-9]+ to [0-9]+ sectors"
		rm -f "$X/$med-$k.img"
		expect_rc 0 "$med: writeimg --read after grow $((k - 1))" W -d "$DRV" --read "$X/$med-$k.img"
		want=$(( next + $(stat -c %s "$SCRATCH/$med-$k.iso") / 2048 ))
		check "$med: the read-back volume ends where the new session does ($want sectors)" \
			test "$(( $(stat -c %s "$X/$med-$k.img") / 2048 ))" -eq "$want"
		read_all "$med after grow $((k - 1))" "$X/$med-$k.img" "$SCRATCH/f$k"
		if [ $med = dvd+rw ] && [ $k = 2 ]; then
			# The grown disc read back into a file is one session at 0 (the copy of its
			# descriptors at NEXT + 16 lies inside the volume): mkimage finds NEXT as the
			# drive does.
			n16=$(( (want + 15) / 16 * 16 ))
			check "$med: mkimage --previous on the read-back file" \
				mkimg -v --previous "$X/$med-$k.img" -o "$X/$med-file.iso" "$A3"
			check "... takes the grown volume at 0 and the next session at $n16" \
				grep -q "previous session at LBA 0 .*the new session starts at LBA $n16\$" \
				"$SCRATCH/mkimage.err"
		fi
	done
	check_fails "negative control: $med's last tree is not the one before it" \
		compare "$F2" "$X/$med after grow 2-xo" "${XORRISO_RR[@]}"
done

# DVD-RAM and a DVD-RW formatted to restricted overwrite grow the same way (once here).
for med in dvd-ram dvd-rw; do
	EMU=$SCRATCH/once-$med.emu
	DRV=emu:$med:$EMU
	[ $med = dvd-rw ] && { W -d "$DRV" --format 2>/dev/null || die "dvd-rw --format"; }
	two_sessions "$DRV" "$SCRATCH/once-$med.iso"
	expect_rc 0 "$med: grown with --multisession --verify" \
		"$WRITEIMG" --no-inhibit -d "$DRV" --multisession --verify "$SCRATCH/once-$med.iso"
	said "$med: said to be grown" "the disc is grown from"
	expect_tree "$med: the grown disc via xorriso" "$med: the grown disc does not read" \
		read_disc "$DRV" "$X/once-$med.img" "$X/once-$med" -- "$F2" "${XORRISO_RR[@]}"
done

# ===== (b) the address check ===============================================================
# disc_sum DISC: a digest of the disc file's data extents and where they lie (the file is
# sparse, gigabytes of holes: SEEK_DATA / SEEK_HOLE find what was ever written, the
# trailer with the disc's state included).
disc_sum() {
	"$IT_PY" - "$1" <<'PYEOF'
import hashlib, os, sys
h = hashlib.sha256()
fd = os.open(sys.argv[1], os.O_RDONLY)
end = os.fstat(fd).st_size
pos = 0
while pos < end:
    try:
        pos = os.lseek(fd, pos, os.SEEK_DATA)
    except OSError:
        break
    stop = os.lseek(fd, pos, os.SEEK_HOLE)
    h.update(b'%d:' % pos)
    while pos < stop:
        b = os.pread(fd, min(1 << 20, stop - pos), pos)
        h.update(b)
        pos += len(b)
print(h.hexdigest())
PYEOF
}
# before DISC / unchanged DISC DESC: the disc file is what it was.
before() { disc_sum "$1" >"$X/before"; }
unchanged() { check "$2: nothing written (the disc file is unchanged)" test "$(disc_sum "$1")" = "$(cat "$X/before")"; }
CD=$SCRATCH/cdr.emu
expect_rc 0 "cd-r: session 1 (--multisession)" W -d "emu:cd-r:$CD" --multisession "$SCRATCH/first.iso"
ms=$("$WRITEIMG" -d "emu:cd-r:$CD" --msinfo)
before "$CD"
expect_rc 3 "cd-r: a first session's image at NEXT ${ms#*,} is refused" \
	W -d "emu:cd-r:$CD" --multisession "$SCRATCH/first.iso"
said "the refusal names both addresses" "made for a first session \\(LBA 0.*next session starts at LBA ${ms#*,}"
said "the refusal gives the mkimage command" "mkimage --previous emu:cd-r:$CD"
said "the refusal says nothing was written" "nothing was written"
unchanged "$CD" "cd-r, wrong address"
mkimg --previous "emu:cd-r:$CD" -o "$SCRATCH/cd-2.iso" "$A2" || die "mkimage cd-r session 2"
# The same session image on a blank disc: made for NEXT, not for LBA 0.
expect_rc 3 "a session made for LBA ${ms#*,} is refused on a blank DVD+R" \
	W -d "emu:dvd+r:$SCRATCH/blank.emu" --multisession "$SCRATCH/cd-2.iso"
said "the refusal says the disc is blank" "made for a session starting at LBA ${ms#*,}.*is blank"
check "a blank disc stays blank" sh -c '"$1" -d "$2" --info --json | grep -q "\"status\":\"blank\""' \
	sh "$WRITEIMG" "emu:dvd+r:$SCRATCH/blank.emu"
# An image made for another disc's next address (a DVD+R's 32 on this CD-R).
DP=$SCRATCH/dvdr.emu
W -d "emu:dvd+r:$DP" --multisession "$SCRATCH/first.iso" 2>/dev/null || die "dvd+r session 1"
mkimg --previous "emu:dvd+r:$DP" -o "$SCRATCH/dvdr-2.iso" "$A2" || die "mkimage dvd+r session 2"
expect_rc 3 "an image made for another disc's address is refused" \
	W -d "emu:cd-r:$CD" --multisession "$SCRATCH/dvdr-2.iso"
said "that refusal names both addresses" "made for a session starting at LBA [0-9]+ .*next session starts at LBA ${ms#*,}"
unchanged "$CD" "cd-r, another disc's image"
# On a grown DVD+RW: a stale image (made before the last grow) is refused.
before "$SCRATCH/dvd+rw.emu"
expect_rc 3 "dvd+rw: the image of grow 1, again after grow 2, is refused" \
	W -d "emu:dvd+rw:$SCRATCH/dvd+rw.emu" --multisession "$SCRATCH/dvd+rw-2.iso"
said "it says the disc changed since" "the disc changed since"
unchanged "$SCRATCH/dvd+rw.emu" "dvd+rw, stale image"
# Raw data tells no address: written as it is, with a warning.
head -c 40960 /dev/urandom >"$X/raw.bin"
expect_rc 0 "raw data at NEXT with --raw: written" W -d "emu:cd-r:$CD" --multisession --raw "$X/raw.bin"
said "with a warning that the address is not known" "does not tell the address it was made for"

# ===== (c) --close ==========================================================================
for med in dvd+r bd-r cd-r; do
	EMU=$SCRATCH/close-$med.emu
	DRV=emu:$med:$EMU
	two_sessions "$DRV" "$SCRATCH/close-$med-2.iso"
	s2=$(msinfo_next "$DRV")
	if [ $med = cd-r ]; then
		# the last session written and the disc closed in one call
		expect_rc 0 "$med: session 2 with --multisession --close" \
			"$WRITEIMG" --no-inhibit -d "$DRV" --multisession --close "$SCRATCH/close-$med-2.iso"
		said "$med: the disc is said to be closed" "complete \\(closed: no session can follow\\)"
	else
		W -d "$DRV" --multisession "$SCRATCH/close-$med-2.iso" 2>/dev/null || die "$med: session 2"
		expect_rc 0 "$med: --close alone closes the appendable disc" "$WRITEIMG" -d "$DRV" --close
		said "$med: it says the disc is closed" "the disc is closed: it is now a complete"
	fi
	expect_rc 3 "$med: --msinfo refuses the closed disc" "$WRITEIMG" -d "$DRV" --msinfo
	said "$med: --msinfo says it is closed" "closed"
	before "$EMU"
	expect_rc 3 "$med: --multisession is refused on the closed disc" \
		W -d "$DRV" --multisession "$SCRATCH/close-$med-2.iso"
	said "$med: the refusal names the closed disc" "the (DVD\\+R|BD-R|CD-R)[ (a-z)]* is complete \\(closed\\)"
	unchanged "$EMU" "$med, closed"
	expect_rc 3 "$med: --close again is refused" "$WRITEIMG" -d "$DRV" --close
	said "$med: it says it is closed already" "closed already"
	expect_tree "$med: the last session reads after closing" "$med: the last session does not load after closing" \
		session_extract "$EMU" "$s2" "$X/close-$med" -- "$F2" "${XORRISO_RR[@]}"
done
expect_rc 3 "--close on a blank disc is refused" "$WRITEIMG" -d "emu:dvd+r:$SCRATCH/blank.emu" --close
said "it says there is nothing to close" "blank: there is no session to close"
expect_rc 3 "--close on a DVD+RW is refused" "$WRITEIMG" -d "emu:dvd+rw:$SCRATCH/dvd+rw.emu" --close
said "it says a DVD+RW stays writable" "stays writable"

# ===== (d) interrupted appends ==============================================================
for med in dvd+r cd-r; do
	EMU=$SCRATCH/cut-$med.emu
	DRV=emu:$med:$EMU
	two_sessions "$DRV" "$SCRATCH/cut-$med-2.iso"
	s2=$(msinfo_next "$DRV")
	W -d "$DRV" --multisession "$SCRATCH/cut-$med-2.iso" 2>/dev/null || die "$med: session 2"
	gen_bytes cut 400000 >"$A3/cut.bin"
	mkimg --previous "$DRV" -o "$SCRATCH/cut-$med-3.iso" "$A3" || die "$med: mkimage session 3"
	rm -f "$A3/cut.bin"
	expect_rc 4 "$med: session 3 interrupted by a power loss after 3 writes" \
		env DM_EMU_FAULTS=power_loss_after_writes=3 "$WRITEIMG" --no-inhibit -q -d "$DRV" \
		--multisession "$SCRATCH/cut-$med-3.iso"
	said "$med: it says the earlier sessions stay readable" \
		"earlier sessions \\(before LBA [0-9]+\\) were not touched and stay readable"
	for sb in 0 "$s2"; do
		n=1
		[ "$sb" = 0 ] || n=2
		expect_tree "$med: session $n reads after the interrupted append" \
			"$med: session $n does not load after the interrupted append" \
			session_extract "$EMU" "$sb" "$X/cut-$med-$n" -- "$SCRATCH/f$n" "${XORRISO_RR[@]}"
	done
done

# A grow cut before the new session's data is all written, and one cut at the copy of its
# descriptors to LBA 16 (the emulator drops the WRITE that gets no answer): the disc shows
# its old tree, writeimg says so, and the same image written again completes the grow.
for med in dvd+rw bd-re; do
	chunk=16
	[ $med = bd-re ] && chunk=32
	for cut in data copy; do
		EMU=$SCRATCH/cut-$med-$cut.emu
		DRV=emu:$med:$EMU
		two_sessions "$DRV" "$SCRATCH/cut-$med.iso"
		writes=$(( ($(stat -c %s "$SCRATCH/cut-$med.iso") / 2048 + chunk - 1) / chunk ))
		if [ $cut = data ]; then
			n=$((writes - 1))
			msg="volume descriptors at LBA 16 were not changed: the disc still holds its old tree"
		else
			n=$writes
			msg="copying its volume descriptors to LBA 16 failed: the disc shows its old tree .* or the new one"
		fi
		expect_rc 4 "$med: a grow cut at the $cut (power loss after $n of $writes data writes)" \
			env DM_EMU_FAULTS=power_loss_after_writes=$n "$WRITEIMG" --no-inhibit -q \
			-d "$DRV" --multisession "$SCRATCH/cut-$med.iso"
		said "$med, cut at the $cut: it says what the disc shows" "$msg"
		expect_tree "$med, cut at the $cut: the disc still shows the old tree" \
			"$med, cut at the $cut: the disc does not read" \
			read_disc "$DRV" "$X/cut.img" "$X/cut-$med-$cut-old" -- "$F1" "${XORRISO_RR[@]}"
		expect_rc 0 "$med, cut at the $cut: the same image written again completes the grow" \
			W -d "$DRV" --multisession --verify "$SCRATCH/cut-$med.iso"
		expect_tree "$med, cut at the $cut: then the disc shows the new tree" \
			"$med, cut at the $cut: the disc does not read after the repeated grow" \
			read_disc "$DRV" "$X/cut.img" "$X/cut-$med-$cut-new" -- "$F2" "${XORRISO_RR[@]}"
	done
done

it_finish
