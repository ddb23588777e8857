#!/bin/bash
# A file over 4 GiB in UDF: a sparse 4.5 GiB file with marker blocks at its extent
# boundaries (UDF: 2^30 - 2048 bytes per extent, UDF 2.3.10; ISO 9660: 0xFFFFF800), 2 GiB - 1,
# 4 GiB, 4 GiB + 12345 and its last bytes, between small files, in
#   a pure UDF 2.01 image       (EFE, short_ads)
#   a bridge, UDF 1.02 default  (FE, short_ads; the ISO side multi-extent, data stored once)
#   a pure UDF 2.50 image       (metadata partition: long_ads from partition 1 to 0)
# read back by
#   udfinfo (udftools)          runs clean: revision, counts, closed integrity, block count
#   libudfread                  every file listed and read, size and SHA-256 of each the
#                               source's: tests/udfread_list (2.01), udfread.py below
#                               (bridge, 2.50, the control)
#   7z                          every size (l -slt); the big file's bytes (2.01, 2.50)
#   isoinfo, xorriso            (bridge) ISO 9660 and Joliet records: extents, total size
#   bsdtar                      (bridge) the big file's bytes through Rock Ridge
# and the raw bridge image: each marker at the big file's first LBA * 2048 + its offset
# (contiguous data, shared by both sides). Every read of the big file is compared by size
# and SHA-256 with the source. --media dvd refuses the tree before writing. Controls: a
# byte changed in the image past 4 GiB is noticed at its offset, and the comparison
# notices a wrong hash. Images are ~4.5 GB each (not sparse), at most two at a time,
# deleted as soon as read; file data is streamed, never extracted.
. "$(dirname "$0")/lib.sh"
it_init udf_large
require_tools udfinfo 7z isoinfo xorriso bsdtar
UDFREAD=${top_builddir:-$IT_DIR/../..}/tests/udfread_list
[ -x "$UDFREAD" ] || die "tests/udfread_list is not built (make check builds it; needs libudfread-dev)"
export SOURCE_DATE_EPOCH=1750000000

GIB=$((1024 * 1024 * 1024))
SIZE=$((4 * GIB + 512 * 1048576 + 12345))
UDF_EXT=$((GIB - 2048))                  # the longest UDF extent mkimage records
ISO_EXT=$((0xFFFFF800))                  # the longest ISO 9660 extent (whole sectors)
NEXT=$(((SIZE + ISO_EXT - 1) / ISO_EXT)) # ISO 9660 extents of the big file
MARK=512                                 # bytes per marker block
need_kib=$(((2 * SIZE + 256 * 1048576) / 1024))
free_kib=$(df -Pk "$SCRATCH" | awk 'NR == 2 { print $4 }')
[ "${free_kib:-0}" -ge "$need_kib" ] ||
	die "needs $((need_kib / 1024)) MiB free in ${TMPDIR:-/tmp} for two images at a time, has $((free_kib / 1024)) MiB"

# ---- the source: small files before and after the big one in data order --------------
SRC=$SCRATCH/src
BIG=$SRC/big.bin
mkdir -p "$SRC/sub" "$SRC/zdir"
printf 'before\n' >"$SRC/a_before.txt" # tiny: inside its file entry in pure UDF
: >"$SRC/empty.dat"
gen_bytes mid 5000 >"$SRC/sub/mid.bin"
gen_bytes after 70001 >"$SRC/zdir/z_after.bin"
truncate -s "$SIZE" "$BIG" || die "cannot make a sparse file of $SIZE bytes"
# Distinct pseudo-random blocks: every extent starts and ends with bytes of its own, so
# an extent read from the wrong place, in the wrong order or cut short changes the hash.
MARKS="0 $((2 * GIB - 1)) $((4 * GIB)) $((4 * GIB + 12345)) $((SIZE - MARK)) $((ISO_EXT - MARK / 2))"
for k in 1 2 3 4; do MARKS="$MARKS $((k * UDF_EXT - MARK / 2))"; done
for off in $MARKS; do
	gen_bytes "mark$off" "$MARK" | dd of="$BIG" bs="$MARK" seek="$off" oflag=seek_bytes \
		conv=notrunc status=none || die "cannot write a marker at $off"
done
[ "$(stat -c %s "$BIG")" -eq "$SIZE" ] || die "the markers changed the size"
find "$SRC" -mindepth 1 -exec touch -d @1600000000 {} +
nfiles=$(find "$SRC" -type f | wc -l)
ndirs=$(find "$SRC" -type d | wc -l)

# path -> type, size, SHA-256 of the source, computed once, in the background (~3 s)
"$IT_PY" - "$SRC" >"$SCRATCH/src.json" <<'EOF' &
import hashlib, json, os, sys
root, out = sys.argv[1], {}
for d, dirs, files in os.walk(root):
    for n in dirs:
        out[os.path.relpath(os.path.join(d, n), root)] = {"type": "dir"}
    for n in files:
        h, size = hashlib.sha256(), 0
        with open(os.path.join(d, n), "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    break
                h.update(b)
                size += len(b)
        out[os.path.relpath(os.path.join(d, n), root)] = {"type": "file", "size": size,
                                                          "sha256": h.hexdigest()}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
EOF
BG_PID[srchash]=$!

# udfread.py IMAGE OUT.json | --cat PATH: libudfread through ctypes. Like
# tests/udfread_list, it lists and reads every file into a manifest (path, type, size,
# SHA-256), but hashes with OpenSSL's SHA-256 (hashlib): tests/udfread_list takes ~35 s
# over 4.5 GiB in a sanitizer build, so it reads one image (in the background), this the
# others. --cat writes one file's bytes to stdout.
cat >"$SCRATCH/udfread.py" <<'EOF'
import ctypes, hashlib, json, sys
lib = ctypes.CDLL("libudfread.so.0")
vp, cp = ctypes.c_void_p, ctypes.c_char_p
class Dirent(ctypes.Structure):
    _fields_ = [("d_type", ctypes.c_uint), ("d_name", cp)]
for name, res, args in [("udfread_init", vp, []), ("udfread_open", ctypes.c_int, [vp, cp]),
                        ("udfread_opendir", vp, [vp, cp]), ("udfread_opendir_at", vp, [vp, cp]),
                        ("udfread_readdir", vp, [vp, ctypes.POINTER(Dirent)]),
                        ("udfread_closedir", None, [vp]), ("udfread_file_open", vp, [vp, cp]),
                        ("udfread_file_openat", vp, [vp, cp]), ("udfread_file_close", None, [vp]),
                        ("udfread_file_size", ctypes.c_int64, [vp]),
                        ("udfread_file_read", ctypes.c_ssize_t, [vp, vp, ctypes.c_size_t])]:
    getattr(lib, name).restype = res
    getattr(lib, name).argtypes = args
DT_DIR, DT_REG = 1, 2
buf = ctypes.create_string_buffer(1 << 20)

def read(f, path, sink):
    """All of f's bytes to sink; the count must be udfread_file_size."""
    if not f:
        sys.exit("libudfread cannot open " + path)
    size, n = lib.udfread_file_size(f), 0
    while True:
        r = lib.udfread_file_read(f, buf, len(buf))
        if r < 0:
            sys.exit("libudfread: %s: read error at byte %d" % (path, n))
        if r == 0:
            break
        sink(buf.raw[:r])
        n += r
    lib.udfread_file_close(f)
    if n != size:
        sys.exit("libudfread: %s: read %d bytes of %d" % (path, n, size))
    return n

def walk(d, prefix, out):
    ent = Dirent()
    while lib.udfread_readdir(d, ctypes.byref(ent)):
        name = ent.d_name.decode()
        if name in (".", ".."):
            continue
        path = prefix + name
        if ent.d_type == DT_DIR:
            out.append({"path": path, "type": "dir"})
            sub = lib.udfread_opendir_at(d, ent.d_name)
            if not sub:
                sys.exit("libudfread cannot open directory " + path)
            walk(sub, path + "/", out)
            lib.udfread_closedir(sub)
        elif ent.d_type == DT_REG:
            h = hashlib.sha256()
            n = read(lib.udfread_file_openat(d, ent.d_name), path, h.update)
            out.append({"path": path, "type": "file", "size": n, "sha256": h.hexdigest()})
        else:
            out.append({"path": path, "type": "other"})

udf = lib.udfread_init()
if not udf or lib.udfread_open(udf, sys.argv[1].encode()) < 0:
    sys.exit("libudfread cannot open %s as UDF" % sys.argv[1])
if sys.argv[2] == "--cat":
    read(lib.udfread_file_open(udf, sys.argv[3].encode()), sys.argv[3], sys.stdout.buffer.write)
else:
    root, entries = lib.udfread_opendir(udf, b"/"), []
    if not root:
        sys.exit("libudfread cannot open the root directory")
    walk(root, "", entries)
    json.dump({"reader": "libudfread (ctypes)", "entries": entries}, open(sys.argv[2], "w"), indent=1)
EOF

# same_files udfread|7z FILE: FILE (udfread_list's JSON, or 7z's l -slt listing) holds
# exactly the source's files and directories, with the same sizes (and for udfread the
# same SHA-256).
same_files() {
	"$IT_PY" - "$SCRATCH/src.json" "$@" <<'EOF'
import json, sys
src = json.load(open(sys.argv[1]))
kind, path = sys.argv[2], sys.argv[3]
got = {}
if kind == "udfread":
    for e in json.load(open(path))["entries"]:
        got[e["path"]] = e
else:  # 7z -slt: "Path = ...", "Folder = +|-", "Size = N" blocks after the "----------" line
    text = open(path, encoding="utf-8", errors="replace").read()
    if "\n----------\n" not in text:
        sys.exit("no listing: " + text[-300:])
    for block in text.split("\n----------\n", 1)[1].split("\n\n"):
        kv = dict(l.split(" = ", 1) for l in block.splitlines() if " = " in l)
        if "Path" in kv:
            e = {"type": "dir" if kv.get("Folder") == "+" else "file"}
            if e["type"] == "file":
                e["size"] = int(kv["Size"])
            got[kv["Path"]] = e
bad = []
for p in sorted(set(src) | set(got)):
    s, g = src.get(p), got.get(p)
    if s is None or g is None:
        bad.append("%s: %s" % (p, "not in the source" if s is None else "missing"))
        continue
    for k in ("type", "size", "sha256"):
        if k in s and (kind == "udfread" or k != "sha256") and s[k] != g.get(k):
            bad.append("%s: %s %s, source %s" % (p, k, g.get(k), s[k]))
print("\n".join(bad) if bad else "%d entries, the same" % len(got))
sys.exit(1 if bad else 0)
EOF
}

# stream_hash DESC COMMAND...: COMMAND writes the big file's bytes to stdout; their size
# and SHA-256 must be the source's.
stream_hash() {
	local desc=$1 got rc t0=$SECONDS
	shift
	got=$({ "$@" 2>"$SCRATCH/stream.err"; echo $? >"$SCRATCH/stream.rc"; } | "$IT_PY" -c '
import hashlib, sys
h, n, f = hashlib.sha256(), 0, sys.stdin.buffer
while True:
    b = f.read(1 << 20)
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest())')
	rc=$(cat "$SCRATCH/stream.rc")
	if [ "$rc" = 0 ] && [ "$got" = "$BIG_SUM" ]; then
		pass "$desc: $SIZE bytes, the source's SHA-256 ($((SECONDS - t0)) s)"
	else
		fail "$desc: reader exit $rc, got '$got', want '$BIG_SUM': $(tail -c 400 "$SCRATCH/stream.err")"
	fi
}

# udf_checks LABEL IMG REV: udfinfo and 7z's listing.
udf_checks() {
	local t=$1 img=$2 rev=$3 info=$SCRATCH/$1.udfinfo blocks
	blocks=$(($(stat -c %s "$img") / 2048))
	if udfinfo "$img" >"$info" 2>"$info.err"; then
		check "$t: udfinfo runs clean (nothing on stderr)" test ! -s "$info.err"
		check "$t: udfinfo: udfrev=$rev, $nfiles files, $ndirs directories, closed, $blocks blocks" \
			sh -c 'grep -qx "udfrev=$2" "$1" && grep -qx "udfwriterev=$2" "$1" &&
				grep -qx "numfiles=$3" "$1" && grep -qx "numdirs=$4" "$1" &&
				grep -qx integrity=closed "$1" && grep -qx "blocks=$5" "$1"' \
			sh "$info" "$rev" "$nfiles" "$ndirs" "$blocks"
	else
		fail "$t: udfinfo cannot read the image: $(tail -n 3 "$info.err")"
	fi
	7z l -slt -tudf "$img" >"$SCRATCH/$t.7z" 2>&1
	check "$t: 7z lists every file with its size" same_files 7z "$SCRATCH/$t.7z"
}
# udfread_py LABEL IMG: udfread.py lists and reads every file; the same as the source.
udfread_py() {
	check "$1: libudfread lists and reads every file" \
		"$IT_PY" "$SCRATCH/udfread.py" "$2" "$SCRATCH/$1.udfread.json" &&
		check "$1: libudfread: every file's size and SHA-256 are the source's" \
			same_files udfread "$SCRATCH/$1.udfread.json"
}
# markers_at IMG LBA: each marker block is at LBA * 2048 + its offset in the image.
markers_at() {
	local off
	for off in $MARKS; do
		cmp -n "$MARK" -i "$((off + $2 * 2048)):$off" "$1" "$BIG" || return 1
	done
}
# mkimage_sized LABEL IMG ARGS...: make IMG; its size is --dry-run's total.
mkimage_sized() {
	local t=$1 img=$2 total t0=$SECONDS
	shift 2
	total=$("$MKIMAGE" --dry-run "$@" "$SRC" | awk '/^total:/ { print $2 }')
	check "$t: mkimage $*" mkimg -o "$img" "$@" "$SRC" || return 1
	check "$t: the image is --dry-run's ${total:-?} sectors (mkimage: $((SECONDS - t0)) s)" \
		test "$(stat -c %s "$img")" -eq "$((${total:-0} * 2048))"
}

# ---- --media: 4.5 GiB does not fit a DVD; nothing is written -------------------------
OUT=$SCRATCH/out
mkdir -p "$OUT"
total=$("$MKIMAGE" --dry-run --fs udf "$SRC" | awk '/^total:/ { print $2 }')
check "--fs udf --media dvd: refused, $((total - 2295104)) sectors too many" sh -c '
	! "$MKIMAGE" --fs udf --media dvd -o "$1/x.udf" "$2" 2>"$1/err" &&
	grep -q "needs $3 sectors but .* holds 2295104: $(($3 - 2295104)) sectors (.*) too many" "$1/err"' \
	sh "$OUT" "$SRC" "$total"
rm -f "$OUT/err"
check "--media dvd: nothing written" no_leftovers "$OUT"
check "--fs iso9660,joliet,rockridge,udf --dry-run --media dvd-dl: fits" \
	"$MKIMAGE" --dry-run --fs iso9660,joliet,rockridge,udf --media dvd-dl "$SRC"

# ---- (a) pure UDF 2.01: tests/udfread_list reads it in the background throughout ------
PURE=$SCRATCH/pure-2.01.udf
BRIDGE=$SCRATCH/bridge.iso
PURE250=$SCRATCH/pure-2.50.udf
wait "${BG_PID[srchash]}" || die "hashing the source failed"
unset 'BG_PID[srchash]'
BIG_SUM=$("$IT_PY" -c 'import json, sys; e = json.load(open(sys.argv[1]))["big.bin"]; print(e["size"], e["sha256"])' "$SCRATCH/src.json") ||
	die "no hash of big.bin"
if mkimage_sized pure-2.01 "$PURE" --fs udf --udf-rev 2.01; then
	bg_run pure-2.01 "$UDFREAD" "$PURE" "$SCRATCH/pure-2.01.udfread.json"
	udf_checks pure-2.01 "$PURE" 2.01
	stream_hash "pure-2.01: 7z reads big.bin" 7z e -so -tudf "$PURE" big.bin
fi

# ---- (b) the bridge, UDF 1.02 ---------------------------------------------------------
if mkimage_sized bridge "$BRIDGE" --fs iso9660,joliet,rockridge,udf; then
	udf_checks bridge "$BRIDGE" 1.02
	udfread_py bridge "$BRIDGE"
	# The ISO side: big.bin in NEXT records of at most 0xFFFFF800 bytes, in the ISO 9660
	# and the Joliet directory alike.
	for v in iso joliet; do
		if [ $v = iso ]; then name='BIG.BIN;1' opt=; else name='big.bin' opt=-J; fi # Joliet: no ";1"
		check "bridge: isoinfo $opt -l: $name in $NEXT records of at most $ISO_EXT bytes, $SIZE in all" \
			sh -c 'isoinfo $3 -l -i "$1" | awk -v want="$2" -v name="$4" -v max="$5" -v nx="$6" "
				\$NF == name { n++; sum += \$5; if (\$5 > max + 0) big = 1 }
				END { print n \" records, \" sum \" bytes\"; exit !(n == nx + 0 && sum == want + 0 && !big) }"' \
			sh "$BRIDGE" "$SIZE" "$opt" "$name" "$ISO_EXT" "$NEXT"
	done
	xorriso -indev "$BRIDGE" -lsl /big.bin -- -find /big.bin -exec report_sections -- \
		>"$SCRATCH/xorriso.out" 2>&1
	check "bridge: xorriso: big.bin is $SIZE bytes in $NEXT sections" sh -c '
		grep -q "^-rw-r--r-- .* $2 .* '\''/big.bin'\''\$" "$1" &&
		[ "$(grep -c "^File data lba: .*/big.bin" "$1")" -eq "$3" ]' sh "$SCRATCH/xorriso.out" "$SIZE" "$NEXT"
	lba=$(awk -F' *, *' '/^File data lba: *0 ,/ { print $2; exit }' "$SCRATCH/xorriso.out")
	check "bridge: every marker is at big.bin's first LBA (${lba:-?}) * 2048 + its offset" \
		markers_at "$BRIDGE" "${lba:-0}"
	check "bridge: big.bin is stored once (image: $(stat -c %s "$BRIDGE") bytes)" \
		test "$(stat -c %s "$BRIDGE")" -lt $((SIZE + 16 * 1048576))
	stream_hash "bridge: bsdtar reads big.bin (Rock Ridge)" bsdtar -x -O -f "$BRIDGE" big.bin
	7z l -slt -tiso "$BRIDGE" >"$SCRATCH/bridge-iso.7z" 2>&1
	check "bridge: 7z -tiso (Joliet) lists every file with its size" same_files 7z "$SCRATCH/bridge-iso.7z"
	# control: a byte changed past 4 GiB is noticed through UDF, at its offset
	if [ -n "$lba" ]; then
		at=$((4 * GIB + 12345 + 5))
		"$IT_PY" - "$BRIDGE" $((lba * 2048 + at)) <<'EOF' || die "cannot change the image"
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xFF]))
EOF
		"$IT_PY" "$SCRATCH/udfread.py" "$BRIDGE" --cat /big.bin 2>/dev/null | cmp - "$BIG" >"$SCRATCH/cmp.out" 2>&1
		check "control: a byte changed at offset $at of big.bin is noticed there (libudfread: $(cat "$SCRATCH/cmp.out"))" \
			grep -q "byte $((at + 1))," "$SCRATCH/cmp.out"
	fi
fi
rm -f "$BRIDGE"

# ---- (c) pure UDF 2.50: FEs in the metadata partition, data in the physical one ------
if mkimage_sized pure-2.50 "$PURE250" --fs udf --udf-rev 2.50; then
	udf_checks pure-2.50 "$PURE250" 2.50
	udfread_py pure-2.50 "$PURE250"
	stream_hash "pure-2.50: 7z reads big.bin" 7z e -so -tudf "$PURE250" big.bin
fi
rm -f "$PURE250"

if [ -n "${BG_PID[pure-2.01]:-}" ] &&
	bg_check pure-2.01 "pure-2.01: tests/udfread_list (libudfread) lists and reads every file" &&
	check "pure-2.01: tests/udfread_list: every file's size and SHA-256 are the source's" \
		same_files udfread "$SCRATCH/pure-2.01.udfread.json"; then
	sed 's/"sha256": "\(.\)/"sha256": "x\1/' "$SCRATCH/pure-2.01.udfread.json" >"$SCRATCH/bad.json"
	check_fails "control: a wrong SHA-256 in libudfread's listing is noticed" \
		same_files udfread "$SCRATCH/bad.json"
fi
rm -f "$PURE"

it_finish
