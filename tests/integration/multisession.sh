#!/bin/bash
# Multisession end to end (issue 14): mkimage --previous imports the last session of a disc
# and writes only the next one; every session's view is read back by independent readers
# and compared with the tree expected at that point (files added, replaced and removed).
#   (a) a disc in a file: three sessions written into it with dd at --session-start; the rich
#       tree (every name kind, mode, owner, device, FIFO, deep relocated directories, long
#       symlinks in continuation areas, hard links) as session 1.
#       xorriso reads each session with -load sbsector; bsdtar, 7z and isoinfo read a grown
#       copy (the session's volume descriptors copied to LBA 16, as growisofs -M does).
#   (b) the emulated recorder: writeimg --multisession + --msinfo, mkimage --previous DRIVE,
#       three sessions on CD-R, DVD+R and BD-R.
#   (c) sessions made by xorriso -dev and by genisoimage -C/-M, imported and extended; a
#       session made by mkimage -as mkisofs -C/-M over genisoimage's first.
#   (d) refusals: damaged previous sessions, a file system change, a closed disc.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/msess_lib.sh"
it_init multisession
require_tools xorriso isoinfo 7z bsdtar genisoimage
WRITEIMG=${WRITEIMG:-$(dirname "$MKIMAGE")/../writeimg/writeimg}
[ -x "$WRITEIMG" ] || die "WRITEIMG=$WRITEIMG is not built"

X=$SCRATCH/x
mkdir -p "$X"

# session_extract VIEW DISC SBSECTOR DEST: xorriso reads the session whose volume descriptors
# are at SBSECTOR + 16 (the real multisession read, as a kernel mount -o sbsector does).
session_extract() {
	local view=$1 img=$2 sb=$3 dest=$4 load
	case $view in
	rr) load=(-read_fs any -hardlinks on) ;;
	joliet) load=(-read_fs norock -joliet_map unmapped) ;;
	esac
	xorriso -abort_on FAILURE -return_with FAILURE 32 -error_behavior image_loading best_effort \
		"${load[@]}" -osirrox on:device_files -load sbsector "$sb" -indev "$img" \
		-extract / "$dest" >"$dest.log" 2>&1 ||
		{ sed 's/^/    xorriso: /' "$dest.log" | grep -v UPDATE | tail -n 20; return 1; }
}

# grown DISC SBSECTOR OUT: a copy of DISC whose descriptors at 16 are the session's at
# SBSECTOR + 16 (up to its terminator): what every reader then mounts by default.
grown() {
	local img=$1 sb=$2 out=$3
	"$IT_PY" - "$img" "$sb" "$out" <<'EOF'
import shutil, sys
img, sb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
shutil.copyfile(img, out)
with open(img, 'rb') as f, open(out, 'r+b') as g:
    for i in range(64):
        f.seek((sb + 16 + i) * 2048)
        s = f.read(2048)
        g.seek((16 + i) * 2048)
        g.write(s)
        if s[0] == 255:
            break
EOF
}

# ===== (a) a disc in a file ===============================================================
S1=$SCRATCH/s1
make_rich_tree "$S1"
T2=$SCRATCH/t2
T3=$SCRATCH/t3
mkdir -p "$T2/new dir" "$T2/links" "$T3/deep"
gen_bytes two 70000 >"$T2/new dir/added.bin"
printf 'replaced in session 2\n' >"$T2/README.txt"
printf 'session 2 file in an old directory\n' >"$T2/links/s2.txt"
printf 'session 3\n' >"$T3/deep/s3.txt"
printf 'replaced again in session 3\n' >"$T3/README.txt"
set_time 1700000100 "$T2/new dir/added.bin" "$T2/README.txt" "$T2/links/s2.txt" "$T2/new dir" "$T2/links" "$T2"
set_time 1700000200 "$T3/deep/s3.txt" "$T3/README.txt" "$T3/deep" "$T3"
touch -h -r "$S1/links" "$T2/links"
touch -h -r "$S1/deep" "$T3/deep"

E1=$SCRATCH/e1 E2=$SCRATCH/e2 E3=$SCRATCH/e3
cp -a "$S1" "$E1"
overlay "$E1" "$T2" "$E2"
REMOVE3=$(cd "$S1" && find . -maxdepth 1 -type f ! -name 'README.txt' ! -name readme.txt | head -n 1)
REMOVE3=${REMOVE3#./}
[ -n "$REMOVE3" ] || die "no file to remove in the rich tree"
overlay "$E2" "$T3" "$E3" "$REMOVE3" "new dir"

DISC=$SCRATCH/disc.img
# --rr-relocate: session 1 holds relocated directories (CL/PL/RE) for the importer to follow
# (mkimage keeps deep directories in place by default); later sessions write them in place.
check "session 1: mkimage makes the rich tree" mkimg -o "$DISC" --rr-relocate "$S1" || it_finish
N2=$(next_lba "$DISC")
check "session 2: mkimage --previous FILE --session-start $N2" \
	mkimg --previous "$DISC" --session-start "$N2" -o "$SCRATCH/s2.iso" "$T2"
write_at "$DISC" "$SCRATCH/s2.iso" "$N2"
# Default address: the end of the last session (found by its descriptors) rounded to 16.
check "session 3: mkimage --previous FILE finds session 2 and removes two entries" \
	mkimg -v --previous "$DISC" --remove "/$REMOVE3" --remove "/new dir" -o "$SCRATCH/s3.iso" "$T3"
N3=$(new_session_lba)
check "session 3 was found after session 2 (LBA $N3 > $N2)" test "${N3:-0}" -gt "$N2"
write_at "$DISC" "$SCRATCH/s3.iso" "$N3"
check "session 2's image holds only the new session (smaller than session 1)" \
	test "$(stat -c %s "$SCRATCH/s2.iso")" -lt "$((N2 * 2048))"

RELOC=(--allow-extra-empty .rr_moved)
k=1
for sb in 0 "$N2" "$N3"; do
	exp=$SCRATCH/e$k
	expect_tree "session $k (sbsector $sb), Rock Ridge via xorriso" "session $k: xorriso could not load it" \
		session_extract rr "$DISC" "$sb" "$X/xo-rr-$k" -- "$exp" "${RELOC[@]}" "${XORRISO_RR[@]}"
	expect_tree "session $k, Joliet via xorriso" "session $k: xorriso could not load its Joliet tree" \
		session_extract joliet "$DISC" "$sb" "$X/xo-j-$k" -- "$exp" --view joliet --no-mode --no-owner
	# bsdtar reads session 1 only here: libarchive refuses a regular file whose Rock Ridge
	# continuation area lies after its data (register_CE in its ISO 9660 reader), and in a
	# later session every old file with a long name is such a file. The small disc below
	# (no continuation areas) is read by bsdtar in every session.
	if [ "$k" = 1 ]; then
		grown "$DISC" "$sb" "$X/grown-$k.img"
		expect_tree "session $k, Rock Ridge via bsdtar" "session $k: bsdtar failed" \
			bsdtar_extract rr "$X/grown-$k.img" "$X/bt-$k" -- "$exp" "${RELOC[@]}" "${BSDTAR_RR[@]}"
	fi
	k=$((k + 1))
done
# The kernel's default and every reader's: the first session, unless told otherwise.
expect_tree "the disc file read without sbsector still shows session 1 intact" \
	"the disc file without sbsector: xorriso could not load it" \
	session_extract rr "$DISC" 0 "$X/xo-default" -- "$E1" "${RELOC[@]}" "${XORRISO_RR[@]}"

# Small trees through the listing readers (isoinfo extracts one file per run).
make_small_trees
SMALL=$SCRATCH/small.img
check "small disc: session 1" mkimg -o "$SMALL" "$A1"
check "small disc: session 2" mkimg --previous "$SMALL" --session-start 1000 -o "$SCRATCH/a2.iso" "$A2"
write_at "$SMALL" "$SCRATCH/a2.iso" 1000
check "small disc: session 3 (START,NEXT as writeimg --msinfo prints them)" \
	mkimg --previous "$SMALL" --session-start 1000,2000 --remove /big.bin -o "$SCRATCH/a3.iso" "$A3"
write_at "$SMALL" "$SCRATCH/a3.iso" 2000
k=1
for sb in 0 1000 2000; do
	exp=$SCRATCH/f$k
	grown "$SMALL" "$sb" "$X/sg-$k.img"
	check "small disc session $k: isoinfo -T $sb lists it (Rock Ridge)" \
		sh -c 'isoinfo -T "$1" -R -l -i "$2" >"$3"' sh "$sb" "$SMALL" "$X/isoinfo-T-$k.txt"
	check "small disc session $k: isoinfo -T shows every file of the session" sh -c '
		for f in $(cd "$1" && find . -type f | sed "s,.*/,,"); do grep -q " $f *\$" "$2" || { echo "missing $f"; exit 1; }; done' \
		sh "$exp" "$X/isoinfo-T-$k.txt"
	# isoinfo prints dates to the day only
	expect_listing "small disc session $k, Rock Ridge via isoinfo" \
		"small disc session $k: isoinfo could not list it" \
		isoinfo_manifest rr "$X/sg-$k.img" "$X/ii-$k.json" -- "$exp" --no-mtime
	expect_tree "small disc session $k, Rock Ridge via bsdtar" "small disc session $k: bsdtar failed" \
		bsdtar_extract rr "$X/sg-$k.img" "$X/sbt-$k" -- "$exp" "${BSDTAR_RR[@]}"
	expect_listing "small disc session $k, Joliet via 7z" "small disc session $k: 7z could not list it" \
		sevenzip_manifest "$X/sg-$k.img" "$X/7z-$k.json" -- "$exp" "${SEVENZIP_J[@]}"
	k=$((k + 1))
done
check_fails "negative control: session 3's view is not session 2's tree" \
	compare_manifest "$F2" "$X/ii-3.json" --no-mtime

# The same third session from a manifest: <previous> with <remove>, <root> adding A3.
MF=$SCRATCH/mf
mkdir -p "$MF"
cp "$SMALL" "$MF/disc.img"
cp -a "$A3" "$MF/a3"
cat >"$MF/m.xml" <<EOF
<?xml version="1.0"?>
<image version="1">
  <previous src="disc.img" session-start="2000" last-session="1000">
    <remove path="/big.bin"/>
  </previous>
  <root><tree src="a3"/></root>
</image>
EOF
check "small disc: session 3 from a manifest's <previous>" \
	env DISCMASTER_SCHEMA="$top_srcdir/spec/manifest.rng" "$MKIMAGE" -m "$MF/m.xml" -o "$MF/s3.iso"
write_at "$MF/disc.img" "$MF/s3.iso" 2000
expect_tree "the manifest's session 3 via xorriso" "the manifest's session 3 does not load" \
	session_extract rr "$MF/disc.img" 2000 "$X/mf3" -- "$F3" "${XORRISO_RR[@]}"

# ===== (b) the emulated recorder =========================================================
for med in cd-r dvd+r bd-r; do
	EMU=$SCRATCH/$med.emu
	DRV=emu:$med:$EMU
	check "$med: writeimg --msinfo refuses a blank disc (exit 3)" \
		sh -c '"$1" -d "$2" --msinfo; test $? -eq 3' sh "$WRITEIMG" "$DRV"
	check "$med: session 1 made" mkimg -o "$SCRATCH/$med-1.iso" "$A1" &&
		check "$med: session 1 written with --multisession" \
			"$WRITEIMG" -q --no-inhibit -d "$DRV" --multisession "$SCRATCH/$med-1.iso"
	starts=(0)
	for k in 2 3; do
		tree=$SCRATCH/a$k
		ms=$("$WRITEIMG" -d "$DRV" --msinfo 2>"$X/msinfo.err")
		check "$med: writeimg --msinfo before session $k prints START,NEXT ($ms)" \
			sh -c 'printf "%s" "$1" | grep -Eq "^[0-9]+,[0-9]+$"' sh "$ms"
		next=${ms#*,}
		json=$("$WRITEIMG" -d "$DRV" --info --json)
		check "$med: --info --json carries the same addresses" \
			sh -c 'printf "%s" "$1" | grep -q "\"last_session_start\":$2,\"next_session_address\":$3"' \
			sh "$json" "${ms%,*}" "$next"
		rm_opt=()
		[ "$k" = 3 ] && rm_opt=(--remove /big.bin)
		check "$med: mkimage --previous $DRV for session $k" \
			mkimg --previous "$DRV" "${rm_opt[@]}" -o "$SCRATCH/$med-$k.iso" "$tree"
		check "$med: session $k written at $next" \
			"$WRITEIMG" -q --no-inhibit -d "$DRV" --multisession "$SCRATCH/$med-$k.iso"
		starts+=("$next")
	done
	k=1
	for sb in "${starts[@]}"; do
		expect_tree "$med session $k (LBA $sb) via xorriso" "$med session $k: xorriso could not load it" \
			session_extract rr "$EMU" "$sb" "$X/$med-$k" -- "$SCRATCH/f$k" "${XORRISO_RR[@]}"
		k=$((k + 1))
	done
	grown "$EMU" "${starts[2]}" "$X/$med-grown.img"
	expect_tree "$med session 3 via bsdtar" "$med session 3: bsdtar failed" \
		bsdtar_extract rr "$X/$med-grown.img" "$X/$med-bt" -- "$F3" "${BSDTAR_RR[@]}"
	expect_listing "$med session 3 via 7z (Joliet)" "$med session 3: 7z could not list it" \
		sevenzip_manifest "$X/$med-grown.img" "$X/$med-7z.json" -- "$F3" "${SEVENZIP_J[@]}"
done

# Overwritable media: --msinfo gives 0 and the volume's end rounded to 16 sectors, as
# growisofs -M; mkimage makes the session there (growing the disc with it, read back by
# every reader: multisession_media.sh).
for med in dvd+rw bd-re; do
	DRV=emu:$med:$SCRATCH/$med.emu
	# A BD-RE takes writes once formatted (spec/emulator.md): this one was bought so.
	[ $med = bd-re ] && DRV="$DRV?formatted=1"
	check "$med: writeimg --msinfo refuses a blank disc (exit 3)" \
		sh -c '"$1" -d "$2" --msinfo; test $? -eq 3' sh "$WRITEIMG" "$DRV"
	"$WRITEIMG" -q --no-inhibit -d "$DRV" "$SCRATCH/cd-r-1.iso" 2>/dev/null
	want=$(( ($(stat -c %s "$SCRATCH/cd-r-1.iso") / 2048 + 15) / 16 * 16 ))
	check "$med: writeimg --msinfo prints 0,$want" \
		sh -c 'test "$("$1" -d "$2" --msinfo)" = "0,$3"' sh "$WRITEIMG" "$DRV" "$want"
	check "$med: mkimage --previous makes the next session at $want" \
		sh -c '"$1" -v --previous "$2" -o "$3" "$4" 2>&1 | grep -q "the new session starts at LBA $5\$"' \
		sh "$MKIMAGE" "$DRV" "$SCRATCH/$med-2.iso" "$A2" "$want"
done

# A session too large for what is left of the disc: refused before anything is written.
mkdir -p "$SCRATCH/huge"
truncate -s 800M "$SCRATCH/huge/sparse.raw"
check_fails "cd-r: a session past the end of the disc is refused" \
	mkimg --previous "emu:cd-r:$SCRATCH/cd-r.emu" -o "$SCRATCH/huge.iso" "$SCRATCH/huge"
check "the refusal says by how much" grep -q "sectors past the end of the disc .*does not fit" \
	"$SCRATCH/mkimage.err"
check "nothing is left at OUT (huge)" test ! -e "$SCRATCH/huge.iso"
rm -f "$SCRATCH/huge/sparse.raw"

# A closed disc: no session can be added, and mkimage says why.
mkimg -o "$SCRATCH/closed.iso" "$A1"
"$WRITEIMG" -q --no-inhibit -d "emu:cd-r:$SCRATCH/closed.emu" "$SCRATCH/closed.iso" 2>/dev/null
check "a closed CD-R: writeimg --msinfo exits 3" \
	sh -c '"$1" -d "$2" --msinfo 2>"$3"; test $? -eq 3 && grep -q "closed" "$3"' sh "$WRITEIMG" \
	"emu:cd-r:$SCRATCH/closed.emu" "$X/closed.err"
check_fails "a closed CD-R: mkimage --previous refuses it" \
	mkimg --previous "emu:cd-r:$SCRATCH/closed.emu" -o "$SCRATCH/never.iso" "$A2"
check "the refusal says the disc is closed" grep -q "is closed" "$SCRATCH/mkimage.err"
check "nothing is left at OUT" test ! -e "$SCRATCH/never.iso"

# ===== (c) sessions made by xorriso and genisoimage ======================================
# third_session DISC TAG DESC WHO [FOUND-DESC LBA]: mkimage -v --previous DISC makes session 3
# (A3 added, big.bin removed) where it finds the next address (FOUND-DESC: having found the
# last session at LBA); written there, session 3 reads as F3 through xorriso. The other
# tools' session 2 merged A2 into A1, whose directories keep A1's times there.
third_session() {
	local disc=$1 tag=$2 desc=$3 who=$4 n
	check "$desc" mkimg -v --previous "$disc" --remove /big.bin -o "$SCRATCH/${tag}3.iso" "$A3"
	[ $# -lt 6 ] || check "$5" grep -q "previous session at LBA $6 " "$SCRATCH/mkimage.err"
	n=$(new_session_lba)
	write_at "$disc" "$SCRATCH/${tag}3.iso" "$n"
	expect_tree "$who, session 3 via xorriso" "$who: session 3 does not load" \
		session_extract rr "$disc" "$n" "$X/${tag}3" -- "$F3" "${XORRISO_RR[@]}" --no-dir-mtime
}
XO=$SCRATCH/xorriso.img
xorriso -dev "$XO" -map "$A1" / -commit -map "$A2" / -commit >"$X/xo.log" 2>&1 ||
	die "xorriso could not make two sessions: $(tail -n 5 "$X/xo.log")"
third_session "$XO" xo "xorriso's two sessions: mkimage --previous imports the last and adds a third" \
	"xorriso's disc"

GI=$SCRATCH/geniso.img
genisoimage -quiet -R -J -o "$GI" "$A1" || die "genisoimage session 1"
cp "$GI" "$SCRATCH/gm.img" || die "cp"
NG=$(( ($(stat -c %s "$GI") / 2048 + 15) / 16 * 16 ))
genisoimage -quiet -R -J -C "0,$NG" -M "$GI" -o "$SCRATCH/g2.iso" "$A2" || die "genisoimage -C/-M"
write_at "$GI" "$SCRATCH/g2.iso" "$NG"
third_session "$GI" gi "genisoimage's -C/-M session: mkimage --previous finds and extends it" \
	"genisoimage's disc" "genisoimage's session was found at LBA $NG" "$NG"

# The same session 2 through mkimage's mkisofs front end: -C 0,NEXT -M DISC as genisoimage
# takes them (--session-start and --previous underneath).
GM=$SCRATCH/gm.img
check "mkimage -as mkisofs -R -J -C 0,$NG -M over genisoimage's session 1" \
	"$MKIMAGE" -as mkisofs -quiet -R -J -C "0,$NG" -M "$GM" -o "$SCRATCH/gm2.iso" "$A2"
write_at "$GM" "$SCRATCH/gm2.iso" "$NG"
if session_extract rr "$GM" "$NG" "$X/gm2" && session_extract rr "$GI" "$NG" "$X/gi2"; then
	check "mkisofs mode's session 2 via xorriso" compare "$F2" "$X/gm2" "${XORRISO_RR[@]}" --no-dir-mtime
	check "genisoimage's own session 2 reads the same" compare "$F2" "$X/gi2" "${XORRISO_RR[@]}" --no-dir-mtime
else
	fail "mkisofs mode's or genisoimage's session 2 does not load"
fi
expect_tree "mkisofs mode's session 2, Joliet via xorriso" "mkisofs mode's session 2: no Joliet tree" \
	session_extract joliet "$GM" "$NG" "$X/gm2j" -- "$F2" --view joliet --no-mode --no-owner

# xorriso's mkisofs emulation: -C START,NEXT -M DISC, the session written at NEXT by hand.
XM=$SCRATCH/xorriso-mkisofs.img
xorriso -as mkisofs -R -J -o "$XM" "$A1" >"$X/xm.log" 2>&1 || die "xorriso -as mkisofs: $(tail -n 3 "$X/xm.log")"
NXM=$(( ($(stat -c %s "$XM") / 2048 + 15) / 16 * 16 ))
xorriso -as mkisofs -R -J -C "0,$NXM" -M "$XM" -o "$SCRATCH/xm2.iso" "$A2" >"$X/xm.log" 2>&1 ||
	die "xorriso -as mkisofs -C/-M: $(tail -n 3 "$X/xm.log")"
write_at "$XM" "$SCRATCH/xm2.iso" "$NXM"
third_session "$XM" xm "xorriso -as mkisofs -C/-M session: mkimage --previous finds and extends it" \
	"xorriso -as mkisofs disc" "xorriso's -C/-M session was found at LBA $NXM" "$NXM"

# ===== (d) refusals =======================================================================
# expect_refusal DESC MESSAGE-REGEX MKIMAGE-ARGS...: exit 1, the message, nothing at -o.
expect_refusal() {
	local desc=$1 re=$2
	shift 2
	rm -f "$SCRATCH/bad.iso"
	if "$MKIMAGE" "$@" -o "$SCRATCH/bad.iso" "$A3" 2>"$X/refusal.err"; then
		fail "$desc: mkimage succeeded"
	elif ! grep -Eq -- "$re" "$X/refusal.err"; then
		fail "$desc: message lacks /$re/: $(cat "$X/refusal.err")"
	elif [ -e "$SCRATCH/bad.iso" ]; then
		fail "$desc: something was left at -o"
	else
		pass "$desc"
	fi
}
expect_refusal "a file system change (Joliet dropped)" "differs from the previous session's file systems" \
	--previous "$SMALL" --fs iso9660,rockridge
expect_refusal "UDF on top of an ISO 9660 session" "UDF" --previous "$SMALL" --fs iso9660,udf
expect_refusal "a session start inside the previous session" "lies inside the previous session" \
	--previous "$SMALL" --session-start 10
expect_refusal "a wrong START (no descriptors there)" "no volume descriptor at LBA 516" \
	--previous "$SMALL" --session-start 500,3000
expect_refusal "--remove of a path the session lacks" "--remove /nope: not in the previous session" \
	--previous "$SMALL" --remove /nope
BAD=$SCRATCH/damaged.img
mkimg -o "$X/one.iso" "$A1" || die "mkimage $A1"
# A subdirectory whose extent is the root's: a loop.
cp "$X/one.iso" "$BAD"
"$IT_PY" - "$BAD" <<'EOF' || die "cannot damage the image"
import struct, sys
f = open(sys.argv[1], 'r+b')
f.seek(16 * 2048 + 156 + 2)
root = struct.unpack('<I', f.read(4))[0]
f.seek(root * 2048)
d = bytearray(f.read(2048))
pos = 0
for i in range(3):              # ".", "..", then the first entry
    if i == 2:
        break
    pos += d[pos]
while not d[pos + 25] & 2:      # the first subdirectory record
    pos += d[pos]
struct.pack_into('<I', d, pos + 2, root)
struct.pack_into('>I', d, pos + 6, root)
f.seek(root * 2048)
f.write(d)
EOF
expect_refusal "a directory loop" "damaged: /d: a directory loop" --previous "$BAD"
# A truncated disc: file extents past its end.
head -c $((60 * 2048)) "$X/one.iso" >"$BAD"
expect_refusal "extents past the end of the disc" "damaged: .*lies past" --previous "$BAD"
head -c $((17 * 2048)) /dev/zero >"$BAD"
expect_refusal "no ISO 9660 volume at all" "holds no ISO 9660 volume" --previous "$BAD"

it_finish
