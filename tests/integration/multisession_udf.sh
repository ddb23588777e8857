#!/bin/bash
# Multisession with UDF (issue 14, "and UDF where present"): mkimage --previous imports a
# previous session that has UDF and writes the next one with the same file systems. For
# UDF 1.02, 2.01 and 2.60, bridged (ISO 9660 + Joliet + Rock Ridge + UDF: the ISO tree is
# imported) and pure (--fs udf: the UDF tree is imported), three sessions go into a disc file
# with dd (adding, replacing, --remove, hard links, symlinks), and each session is read by:
#   udfinfo --startblock=S          the session's UDF volume (revision, file and dir counts)
#   libudfread, libcdio's libudf    a grown copy: the session's descriptors copied to 16 and
#   (tests/udf*_list), 7z -tudf      its anchor to 256 (as growisofs -M does on DVD+RW)
#   xorriso -load sbsector, pycdlib the ISO side of a bridge
# and compared with the tree expected after that session; the same three sessions through
# the emulated recorder (writeimg --multisession, mkimage --previous emu:...), sessions of
# genisoimage -udf and mkudffs extended. Then a file of several UDF extents
# (more than 1 GiB, sparse source) is kept by reference, and damaged sessions are refused
# with a message naming the LBA and nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/msess_lib.sh"
it_init multisession_udf
require_tools udfinfo mkudffs 7z xorriso pycdlib genisoimage
UDFREAD=${top_builddir:-$IT_DIR/../..}/tests/udfread_list
[ -x "$UDFREAD" ] || die "tests/udfread_list is not built (make check builds it)"
UDFCDIO=${top_builddir:-$IT_DIR/../..}/tests/udfcdio_list
[ -x "$UDFCDIO" ] || die "tests/udfcdio_list is not built (make check builds it)"
export SOURCE_DATE_EPOCH=1750000000
X=$SCRATCH/x
mkdir -p "$X"

# grown DISC SBSECTOR OUT: a copy of DISC whose sectors 16..255 are the session's (the ISO
# descriptors of a bridge, the UDF recognition sequence, both descriptor sequences, the
# LVID) and whose anchor at 256 is the session's anchor, its tag location made 256.
grown() {
	"$IT_PY" - "$1" "$2" "$3" <<'EOF'
import shutil, sys
img, sb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
shutil.copyfile(img, out)
with open(img, 'rb') as f, open(out, 'r+b') as g:
    f.seek((sb + 16) * 2048)
    g.seek(16 * 2048)
    g.write(f.read(240 * 2048))
    f.seek((sb + 256) * 2048)
    a = bytearray(f.read(2048))
    assert a[0] == 2, "no anchor at %d" % (sb + 256)
    a[12:16] = (256).to_bytes(4, 'little')
    a[4] = sum(a[i] for i in range(16) if i != 4) & 0xff
    g.seek(256 * 2048)
    g.write(a)
EOF
}

# The trees: session 1 with hard links (one across directories) and symlinks; session 2
# adds a directory, replaces a file, adds to an old directory and removes one file; session
# 3 replaces again and removes the directory session 2 added.
S1=$SCRATCH/s1 T2=$SCRATCH/t2 T3=$SCRATCH/t3
mkdir -p "$S1/docs/sub" "$S1/links" "$T2/new dir" "$T2/docs" "$T3/more"
printf 'session 1 readme\n' >"$S1/README.txt"
gen_bytes one 150000 >"$S1/docs/one.bin"
gen_bytes two 4096 >"$S1/docs/sub/exact.bin"
: >"$S1/docs/empty.txt"
printf 'to be removed\n' >"$S1/docs/gone.txt"
ln "$S1/docs/one.bin" "$S1/docs/sub/one-link.bin"
ln "$S1/README.txt" "$S1/links/readme-hard.txt"
ln -s ../README.txt "$S1/links/rel"
ln -s /etc/hostname "$S1/links/abs"
printf 'replaced in session 2\n' >"$T2/README.txt"
gen_bytes three 70000 >"$T2/new dir/added.bin"
printf 'session 2 in an old directory\n' >"$T2/docs/s2.txt"
printf 'replaced again in session 3\n' >"$T3/README.txt"
printf 'session 3\n' >"$T3/more/s3.txt"
for t in "$S1" "$T2" "$T3"; do find "$t" -exec touch -h -d @1700000000 {} +; done
E1=$SCRATCH/e1 E2=$SCRATCH/e2 E3=$SCRATCH/e3
cp -a "$S1" "$E1"
overlay "$E1" "$T2" "$E2" docs/gone.txt
overlay "$E2" "$T3" "$E3" "new dir"
# Without symlinks (7z opens no UDF volume that holds one; libudfread and libcdio show
# them as files holding path components).
for k in 1 2 3; do
	cp -a "$SCRATCH/e$k" "$SCRATCH/p$k" && find "$SCRATCH/p$k" -type l -delete &&
		touch -h -r "$SCRATCH/e$k/links" "$SCRATCH/p$k/links" || die "plain copy"
done

# udf_counts TREE SPECIAL: "numfiles=N numdirs=M" of the UDF volume made from TREE (hard
# links share a file entry; symlinks count when recorded).
udf_counts() {
	local t=$1 sp=$2 f d
	if [ "$sp" = yes ]; then
		f=$(find "$t" ! -type d -printf '%i\n' | sort -u | wc -l)
	else
		f=$(find "$t" -type f -printf '%i\n' | sort -u | wc -l)
	fi
	d=$(find "$t" -type d | wc -l)
	echo "$f $d"
}

for rev in 1.02 2.01 2.60; do
	for kind in bridge pure; do
		c="$kind $rev"
		DISC=$X/$kind-$rev.img
		# Symlinks are in every bridge's UDF; a pure volume keeps them with --udf-special
		# (1.02 here leaves them out, so that 7z reads a pure volume too).
		special=yes
		if [ $kind = bridge ]; then
			fsopt=(--fs iso9660,joliet,rockridge,udf)
		elif [ $rev = 1.02 ]; then
			fsopt=(--fs udf)
			special=no
		else
			fsopt=(--fs udf --udf-special)
		fi
		check "$c: session 1" mkimg "${fsopt[@]}" --udf-rev $rev -o "$DISC" "$S1" || continue
		N2=$(next_lba "$DISC")
		# No --fs: the next session has the previous one's file systems and revision.
		check "$c: session 2 (--previous FILE --session-start $N2)" \
			mkimg -v --previous "$DISC" --session-start "$N2" --remove /docs/gone.txt \
			-o "$X/s2.img" "$T2" || continue
		if [ $kind = pure ]; then
			check "$c: session 2 imported the UDF tree" grep -q "(UDF $rev)" "$SCRATCH/mkimage.err"
		else
			check "$c: session 2 imported the ISO tree of a bridge with UDF $rev" \
				grep -q "Rock Ridge, Joliet, UDF $rev" "$SCRATCH/mkimage.err"
		fi
		write_at "$DISC" "$X/s2.img" "$N2"
		check "$c: session 3 (finds session 2 itself)" \
			mkimg -v --previous "$DISC" --remove "/new dir" -o "$X/s3.img" "$T3" || continue
		N3=$(new_session_lba)
		check "$c: session 3 follows session 2 (LBA $N3 > $N2)" test "${N3:-0}" -gt "$N2"
		write_at "$DISC" "$X/s3.img" "$N3"
		check "$c: session 3's image holds only the new session" \
			test "$(stat -c %s "$X/s3.img")" -lt "$((N3 * 2048))"
		k=1
		for sb in 0 "$N2" "$N3"; do
			t="$c, session $k"
			exp=$SCRATCH/e$k plain=$SCRATCH/p$k
			[ $special = yes ] || exp=$plain
			read -r nf nd <<<"$(udf_counts "$exp" yes)"
			udfinfo --startblock="$sb" "$DISC" >"$X/udfinfo" 2>&1
			check "$t: udfinfo: UDF $rev, $nf files, $nd directories, closed" \
				sh -c "grep -qx numfiles=$nf '$X/udfinfo' && grep -qx numdirs=$nd '$X/udfinfo' && grep -qx integrity=closed '$X/udfinfo' && grep -qx 'udfwriterev=$rev' '$X/udfinfo'"
			img=$DISC
			if [ "$sb" != 0 ]; then
				grown "$DISC" "$sb" "$X/grown.img" || die "grown copy"
				img=$X/grown.img
			fi
			if check "$t: libudfread lists and reads every file" "$UDFREAD" "$img" "$X/udfread.json"; then
				check "$t: libudfread: the expected tree, byte for byte" \
					compare_manifest "$exp" "$X/udfread.json" --exclude links/rel --exclude links/abs \
					--no-mode --no-owner --no-mtime --hardlinks none
			fi
			if [ $rev = 1.02 ]; then
				check "$t: libcdio lists and reads every file" "$UDFCDIO" "$img" "$X/cdio.json" &&
					check "$t: libcdio: the expected tree" compare_manifest "$exp" "$X/cdio.json" \
						--exclude links/rel --exclude links/abs --no-mode --no-owner --no-mtime \
						--hardlinks none
			fi
			if [ $special = no ]; then
				rm -rf "$X/7z"
				if 7z x -tudf -y -o"$X/7z" "$img" >"$X/7z.log" 2>&1; then
					check "$t: 7z (UDF): the expected tree" compare "$plain" "$X/7z" --no-mode \
						--no-owner --hardlinks none
				else
					fail "$t: 7z cannot extract: $(grep -i error "$X/7z.log" | head -3)"
				fi
			fi
			if [ $kind = bridge ]; then
				rm -rf "$X/xo"
				if xorriso -abort_on FAILURE -read_fs any -hardlinks on -osirrox on -load sbsector "$sb" \
					-indev "$DISC" -extract / "$X/xo" >"$X/xo.log" 2>&1; then
					check "$t: xorriso (Rock Ridge): the expected tree" compare "$exp" "$X/xo" \
						--no-symlink-mtime --no-symlink-owner
				else
					fail "$t: xorriso cannot load it: $(tail -3 "$X/xo.log")"
				fi
			fi
			# pycdlib opens a bridge through its UDF side too, which it reads up to 1.50
			# (file entries, no metadata partition): the ISO side of a 1.02 bridge.
			if [ $kind = bridge ] && [ $rev = 1.02 ]; then
				rm -rf "$X/pyc"
				check "$t: pycdlib (Rock Ridge) reads the ISO side" \
					/usr/bin/python3 "$IT_DIR/pycdlib_extract.py" --view rr "$img" "$X/pyc" &&
					check "$t: pycdlib: the expected tree" compare "$exp" "$X/pyc" --hardlinks subset
			fi
			k=$((k + 1))
		done
		rm -f "$DISC" "$X/grown.img" "$X/s2.img" "$X/s3.img"
	done
done

# ===== the emulated recorder: writeimg --multisession, mkimage --previous DRIVE =============
# The drive says where the last session starts and where the next one goes (--msinfo);
# three sessions on a DVD+R (pure UDF 2.01) and a BD-R (bridge, UDF 2.60).
WRITEIMG=${WRITEIMG:-$(dirname "$MKIMAGE")/../writeimg/writeimg}
if [ -x "$WRITEIMG" ]; then
	for spec in "dvd+r pure 2.01" "bd-r bridge 2.60"; do
		read -r medium kind rev <<<"$spec"
		EMU=$X/$medium.emu
		DRIVE=emu:$medium:$EMU
		rm -f "$EMU"
		if [ $kind = pure ]; then fsopt=(--fs udf --udf-special); else fsopt=(--fs iso9660,joliet,rockridge,udf); fi
		c="$medium ($kind UDF $rev)"
		mkimg "${fsopt[@]}" --udf-rev $rev -o "$X/e1.img" "$S1" &&
			check "$c: session 1 written" "$WRITEIMG" -q -d "$DRIVE" --multisession "$X/e1.img" || continue
		ok=1
		for k in 2 3; do
			if [ $k = 2 ]; then args=(--remove /docs/gone.txt "$T2"); else args=(--remove "/new dir" "$T3"); fi
			check "$c: session $k made from the drive" mkimg --previous "$DRIVE" -o "$X/e$k.img" "${args[@]}" &&
				check "$c: session $k written" "$WRITEIMG" -q -d "$DRIVE" --multisession "$X/e$k.img" || { ok=0; break; }
		done
		[ $ok = 1 ] || continue
		ms=$("$WRITEIMG" -d "$DRIVE" --msinfo)
		last=${ms%,*} next=${ms#*,}
		head -c $((next * 2048)) "$EMU" >"$X/emu-disc.img"
		rm -f "$EMU"
		udfinfo --startblock="$last" "$X/emu-disc.img" >"$X/udfinfo" 2>&1
		read -r nf nd <<<"$(udf_counts "$E3" yes)"
		check "$c: udfinfo reads session 3 at $last: $nf files, $nd directories" \
			sh -c 'grep -qx "numfiles=$2" "$1" && grep -qx "numdirs=$3" "$1"' sh "$X/udfinfo" "$nf" "$nd"
		grown "$X/emu-disc.img" "$last" "$X/grown.img"
		check "$c: libudfread reads session 3" "$UDFREAD" "$X/grown.img" "$X/emu.json" &&
			check "$c: session 3 is the expected tree" compare_manifest "$E3" "$X/emu.json" \
				--exclude links/rel --exclude links/abs --no-mode --no-owner --no-mtime --hardlinks none
		rm -f "$X/emu-disc.img" "$X/grown.img" "$X"/e?.img
	done
else
	fail "WRITEIMG=$WRITEIMG is not built"
fi

# ===== a file of several UDF extents, kept by reference ====================================
# 1 GiB + 1 MiB of a sparse source: two extents (UDF 2.3.10: at most 2^30 - 2048 bytes each).
BIG=$SCRATCH/big
mkdir -p "$BIG/t1" "$BIG/t2"
truncate -s $((1024 * 1024 * 1024 + 1024 * 1024)) "$BIG/t1/huge.bin"
printf 'tail bytes' | dd of="$BIG/t1/huge.bin" bs=1 seek=$((1024 * 1024 * 1024 + 1000)) conv=notrunc status=none
printf 'small\n' >"$BIG/t2/small.txt"
if check "multi-extent: pure UDF 2.01 session 1 with a 1 GiB + 1 MiB file" \
	mkimg --fs udf --udf-rev 2.01 -o "$BIG/disc.img" "$BIG/t1"; then
	N2=$(next_lba "$BIG/disc.img")
	check "multi-extent: session 2 keeps it by reference" \
		mkimg -v --previous "$BIG/disc.img" -o "$BIG/s2.img" "$BIG/t2"
	check "multi-extent: session 2 is small (no copy of the old file)" \
		test "$(stat -c %s "$BIG/s2.img")" -lt $((N2 * 2048 + 4 * 1024 * 1024))
	write_at "$BIG/disc.img" "$BIG/s2.img" "$N2"
	grown "$BIG/disc.img" "$N2" "$BIG/grown.img"
	cp -a "$BIG/t1/." "$BIG/t2/"
	check "multi-extent: libudfread reads session 2" "$UDFREAD" "$BIG/grown.img" "$X/big.json" &&
		check "multi-extent: the expected tree, byte for byte" compare_manifest "$BIG/t2" "$X/big.json" \
			--no-mode --no-owner --no-mtime --hardlinks none
fi
rm -rf "$BIG"

# ===== a bridge made by genisoimage -udf (UDF 1.02), extended ==============================
G=$SCRATCH/geniso
mkdir -p "$G"
if genisoimage -quiet -udf -R -J -o "$G/disc.img" "$S1" >"$G/log" 2>&1; then
	N2=$(next_lba "$G/disc.img")
	check "genisoimage -udf bridge: mkimage --previous extends it" \
		mkimg -v --previous "$G/disc.img" --remove /docs/gone.txt -o "$G/s2.img" "$T2"
	check "genisoimage -udf bridge: read as a bridge with UDF 1.02" \
		grep -q "Rock Ridge, Joliet, UDF 1.02" "$SCRATCH/mkimage.err"
	write_at "$G/disc.img" "$G/s2.img" "$N2"
	udfinfo --startblock="$N2" "$G/disc.img" >"$X/udfinfo" 2>&1
	check "genisoimage -udf bridge: udfinfo reads session 2 (UDF 1.02)" grep -qx udfwriterev=1.02 "$X/udfinfo"
	grown "$G/disc.img" "$N2" "$G/grown.img"
	check "genisoimage -udf bridge: libudfread reads session 2" "$UDFREAD" "$G/grown.img" "$X/g.json" &&
		check "genisoimage -udf bridge: the expected tree" compare_manifest "$E2" "$X/g.json" \
			--exclude links/rel --exclude links/abs --no-mode --no-owner --no-mtime --hardlinks none
	rm -rf "$X/xo"
	xorriso -abort_on FAILURE -read_fs any -hardlinks on -osirrox on -load sbsector "$N2" \
		-indev "$G/disc.img" -extract / "$X/xo" >"$X/xo.log" 2>&1
	check "genisoimage -udf bridge: xorriso (Rock Ridge) shows the expected tree" \
		compare "$E2" "$X/xo" --no-symlink-mtime --no-symlink-owner
	# mkisofs mode: -udf -R -J -M as genisoimage was given; without -udf it is a change.
	check "genisoimage -udf bridge: mkimage -as mkisofs -udf -R -J -M adds session 3" \
		mkimg -as mkisofs -udf -R -J -M "$G/disc.img" -o "$G/s3.img" "$T3"
	check_fails "genisoimage -udf bridge: -R -J -M without -udf is refused" \
		"$MKIMAGE" -as mkisofs -R -J -M "$G/disc.img" -o "$G/s3x.img" "$T3"
else
	fail "genisoimage -udf failed: $(tail -3 "$G/log")"
fi
rm -rf "$G"

# ===== a volume made by mkudffs (udftools), extended =======================================
# An empty 2.01 volume of 4000 sectors whose last anchors are the file's last sector and
# 256 before it (mkudffs' layout, not mkimage's): the next session starts after them.
MK=$SCRATCH/mkudffs
mkdir -p "$MK"
if mkudffs -b 2048 --media-type=hd --udfrev=2.01 --label=MKUDFFS "$MK/disc.img" 4000 >"$MK/log" 2>&1; then
	check "mkudffs volume: mkimage --previous imports it" \
		mkimg -v --previous "$MK/disc.img" -o "$MK/s2.img" "$T2"
	check "mkudffs volume: the new session starts after its last anchor (4000)" \
		grep -q "(UDF 2.01).*the new session starts at LBA 4000" "$SCRATCH/mkimage.err"
	write_at "$MK/disc.img" "$MK/s2.img" 4000
	grown "$MK/disc.img" 4000 "$MK/grown.img"
	check "mkudffs volume: libudfread reads session 2" "$UDFREAD" "$MK/grown.img" "$X/mk.json" &&
		check "mkudffs volume: session 2 holds what was added, its label kept" \
			sh -c 'grep -q "\"volume_id\": \"MKUDFFS\"" "$1" && "$2" "$3" --manifest "$4" "$1" --no-mode --no-owner --no-mtime' \
			sh "$X/mk.json" "$IT_PY" "$IT_DIR/compare_tree.py" "$T2"
else
	fail "mkudffs could not make a volume: $(tail -3 "$MK/log")"
fi
rm -rf "$MK"

# ===== refusals: damaged sessions, a file system change ===================================
R=$SCRATCH/r
mkdir -p "$R"
mkimg --fs udf --udf-rev 2.01 --udf-special -o "$R/good.img" "$S1" || die "the disc for the refusals"
# udf_edit IMG WHAT: damage one structure of the pure UDF volume of IMG in place; prints
# its LBA. WHAT: anchors (all three), anchor256, fe-crc (README.txt's file entry body),
# loop (docs' FID points at the root), extent (one.bin's extent past the disc).
udf_edit() {
	"$IT_PY" - "$1" "$2" <<'EOF'
import struct, sys
img, what = sys.argv[1], sys.argv[2]
f = open(img, 'r+b')
def rd(lba):
    f.seek(lba * 2048); return bytearray(f.read(2048))
def wr(lba, b):
    f.seek(lba * 2048); f.write(b)
def crc(b):
    c = 0
    for x in b:
        c ^= x << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) & 0xffff if c & 0x8000 else (c << 1) & 0xffff
    return c
def retag(b, off=0):
    n = struct.unpack_from('<H', b, off + 10)[0]
    struct.pack_into('<H', b, off + 8, crc(b[off + 16:off + 16 + n]))
    b[off + 4] = sum(b[off + i] for i in range(16) if i != 4) & 0xff
end = (f.seek(0, 2)) // 2048
if what == 'anchors':
    for a in (256, end - 257, end - 1):
        b = rd(a); b[5] ^= 0xff; wr(a, b)
    print(256); sys.exit()
if what == 'anchor256':
    b = rd(256); b[5] ^= 0xff; wr(256, b); print(256); sys.exit()
a = rd(256)
vds = struct.unpack_from('<I', a, 20)[0]
pstart = fsd = None
for i in range(16):
    d = rd(vds + i)
    t = struct.unpack_from('<H', d, 0)[0]
    if t == 5: pstart = struct.unpack_from('<I', d, 188)[0]
    if t == 6: fsd = struct.unpack_from('<I', d, 252)[0]
    if t == 8: break
root = struct.unpack_from('<I', rd(pstart + fsd), 404)[0]
def fe_ad(lbn):
    b = rd(pstart + lbn)
    hdr = 176 if struct.unpack_from('<H', b, 0)[0] == 261 else 216
    lea, lad = struct.unpack_from('<II', b, hdr - 8)
    return b, hdr + lea
def fids(lbn):
    b, ad = fe_ad(lbn)
    ln, pos = struct.unpack_from('<II', b, ad)
    data = rd(pstart + pos)
    out, p = [], 0
    while p < ln:
        lfi, = struct.unpack_from('<B', data, p + 19)
        liu, = struct.unpack_from('<H', data, p + 36)
        name = bytes(data[p + 38 + liu + 1:p + 38 + liu + lfi]).decode('latin-1')
        out.append((name, p, struct.unpack_from('<I', data, p + 24)[0]))
        p += (38 + liu + lfi + 3) & ~3
    return pstart + pos, data, out
dlba, data, ents = fids(root)
icb = {n: l for n, p, l in ents}
if what == 'fe-crc':
    b = rd(pstart + icb['README.txt']); b[100] ^= 0x55; wr(pstart + icb['README.txt'], b)
    print(pstart + icb['README.txt'])
elif what == 'loop':
    for n, p, l in ents:
        if n == 'docs':
            struct.pack_into('<I', data, p + 24, root); retag(data, p)
    wr(dlba, data); print(dlba)
elif what == 'extent':
    _, _, sub = fids(icb['docs'])
    l = dict((n, x) for n, _, x in sub)['one.bin']
    b, ad = fe_ad(l)
    struct.pack_into('<I', b, ad + 4, 0x7000000); retag(b); wr(pstart + l, b)
    print(pstart + 0x7000000)
EOF
}
# refused WHAT REGEX [ARGS...]: a copy of the good disc damaged by udf_edit WHAT (or not:
# "none") is refused with REGEX in the message ({LBA} stands for what udf_edit printed),
# and nothing is left at -o.
refused() {
	local what=$1 re=$2 lba=""
	shift 2
	cp "$R/good.img" "$R/bad.img"
	[ "$what" = none ] || lba=$(udf_edit "$R/bad.img" "$what") || die "udf_edit $what"
	re=${re//\{LBA\}/$lba}
	rm -f "$R/out.img"
	if "$MKIMAGE" --previous "$R/bad.img" "$@" -o "$R/out.img" "$T2" 2>"$R/err"; then
		fail "$what: mkimage succeeded"
	elif ! grep -Eq -- "$re" "$R/err"; then
		fail "$what: the message lacks /$re/: $(cat "$R/err")"
	elif [ -e "$R/out.img" ]; then
		fail "$what: something was left at -o"
	else
		pass "$what: refused ($(head -c 200 "$R/err"))"
	fi
}
refused anchors "damaged: /: the UDF anchor volume descriptor pointer with a bad descriptor tag checksum \(LBA 256\)"
refused fe-crc "damaged: /README.txt: a file entry with a bad descriptor CRC \(LBA {LBA}\)"
refused loop "damaged: /docs: a directory loop \(a directory reached twice\)"
refused extent "damaged: /docs/one.bin: its extent at LBA {LBA} .* lies past the end of its partition or the disc"
refused none "--fs iso9660,udf differs from the previous session's file systems \(udf\).*pure UDF stays pure UDF" \
	--fs iso9660,udf
refused none "--udf-rev 2.60 differs from the previous session's UDF revision 2.01" --udf-rev 2.60
# One damaged anchor is no loss: the anchors at the end describe the same volume.
cp "$R/good.img" "$R/bad.img"
udf_edit "$R/bad.img" anchor256 >/dev/null
check "a damaged anchor at 256 alone: the last anchors serve" \
	mkimg --previous "$R/bad.img" -o "$R/out.img" "$T2"
# Adding UDF to an ISO 9660 disc is a file system change.
mkimg -o "$R/iso.img" "$S1" || die "ISO disc"
rm -f "$R/out.img"
check_fails "UDF on top of an ISO 9660 session is refused" \
	sh -c '"$1" --previous "$2" --fs iso9660,joliet,rockridge,udf -o "$3" "$4" 2>"$5"' sh "$MKIMAGE" \
	"$R/iso.img" "$R/out.img" "$T2" "$R/err"
check "... with the file system change message, nothing written" \
	sh -c 'grep -q "UDF is in every session" "$1" && test ! -e "$2"' sh "$R/err" "$R/out.img"
it_finish
