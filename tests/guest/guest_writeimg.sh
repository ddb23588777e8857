#!/bin/bash
# writeimg through a real kernel: four tgt DVD+R/DVD-ROM logical units passed through to a
# QEMU guest (run-guest.sh -d) as /dev/sr0../dev/sr3 and /dev/sg0../dev/sg3, one boot:
#   sr0/sg0  blank: --list, --info (against the iSCSI transport's answer, dvd+rw-mediainfo
#            and sg_get_config), refusals while another process holds it (O_EXCL), the
#            burn through /dev/sr0 with --verify, --info after, a second burn refused,
#            the burned disc mounted by the kernel and then refused as busy;
#   sr1/sg1  blank: an oversized sparse image refused, then the burn through /dev/sg1;
#   sr2      blank: growisofs burns the same image (the reference CDB sequence);
#   sr3      a finished disc (DVD-ROM): refused.
# Paths that are no MMC device (/dev/null, a regular file, /dev/loop0) are refused with
# their path named. QEMU's scsi trace gives the CDBs writeimg and growisofs sent
# (cdb_trace.py); no refused attempt may have written a byte (WRITE counts).
. "$(dirname "$0")/guest_lib.sh"
it_init guest_writeimg
guest_require qemu-system-x86_64 qemu-img tgtd tgtadm growisofs dvd+rw-mediainfo sg_get_config \
	sg_raw python3
: "${WRITEIMG:=$top_builddir/writeimg/writeimg}"
export WRITEIMG
[ -x "$WRITEIMG" ] || die "no writeimg at $WRITEIMG"

D=$SCRATCH/discs
mkdir -p "$D"
: >"$D/d0.img"
: >"$D/d1.img"
: >"$D/d2.img"
# A finished disc: tgt makes any non-empty backing file a DVD-ROM.
gen_bytes rom $((300 * 2048)) >"$D/d3.img"

# The image: mkimage's, of 1404 sectors or so (not a multiple of the 16-sector ECC
# block, so the burn pads).
T=$SCRATCH/tree
mkdir -p "$T/sub"
gen_bytes payload 2600000 >"$T/payload.bin"
printf 'hello from the disc\n' >"$T/sub/hello.txt"
IMG=$SCRATCH/img.iso
mkimg -o "$IMG" -V GUESTDISC "$T" || die "mkimage failed"
IMG_BLOCKS=$(($(stat -c %s "$IMG") / 2048))
truncate -s 5G "$SCRATCH/big.iso"
: >"$SCRATCH/regular.file"

# On the host, before and after the guest: the iSCSI transport's view of LUN 1 (sr0).
HOSTINFO="'$WRITEIMG' --no-inhibit -d \"\$TGT_URL/1\" --info --json"
PRE="$HOSTINFO >\"\$GUEST_OUT/iscsi-before.json\""
POST="$HOSTINFO >\"\$GUEST_OUT/iscsi-after.json\" && for n in 2 3 4; do '$WRITEIMG' --no-inhibit -d \"\$TGT_URL/\$n\" --info --json >\"\$GUEST_OUT/iscsi-lun\$n.json\"; done"

GS=$SCRATCH/guest.sh
cat >"$GS" <<EOF
#!/bin/bash
cd "\$GUESTIO"
W() { "$WRITEIMG" --no-inhibit "\$@"; }
# run NAME CMD...: output in NAME.out, status in NAME.rc
run() { local n=\$1; shift; "\$@" >\$n.out 2>&1; echo \$? >\$n.rc; }
# A marker in the CDB trace: INQUIRY with an allocation length no program uses.
mark() { sg_raw -r \$2 \$1 12 00 00 00 \$(printf %02x \$2) 00 >/dev/null 2>&1; }
for i in \$(seq 1 50); do [ -e /dev/sr3 ] && [ -e /dev/sg3 ] && break; sleep 0.1; done
ls -l /dev/sr* /dev/sg* >devices
echo 4096 >/proc/sys/dev/scsi/logging_level
run list W --list
run listjson W --list --json
run info0 W -d /dev/sr0 --info --json
run info0text W -d /dev/sr0 --info
run info0sg W -d /dev/sg0 --info --json
run mediainfo0 dvd+rw-mediainfo /dev/sr0
run getconfig0 sg_get_config -c /dev/sg0
run info3 W -d /dev/sr3 --info --json
run mediainfo3 dvd+rw-mediainfo /dev/sr3
run getconfig3 sg_get_config -c /dev/sg3
# Not MMC devices.
run devnull W -d /dev/null --info
run regular W -d "$SCRATCH/regular.file" --info
run loop0 W -d /dev/loop0 --info
run nodev W -d /dev/sr9 --info
# Held open exclusively by another process.
python3 -c 'import os, sys, time
# sg refuses O_EXCL without write access (EPERM): O_RDWR, as a burner opens it.
fds = [os.open(p, os.O_RDWR | os.O_EXCL | os.O_NONBLOCK) for p in sys.argv[1:]]
open("held", "w").close()
time.sleep(60)' /dev/sr0 /dev/sg0 &
HOLDER=\$!
for i in \$(seq 1 100); do [ -e held ] && break; sleep 0.1; done
# --info: if the hold failed, nothing is written (a burn would spoil the next steps).
run heldsr W -q -d /dev/sr0 --info
run heldsg W -q -d /dev/sg0 --info
kill \$HOLDER; wait \$HOLDER 2>/dev/null
# The burn through /dev/sr0.
mark /dev/sg0 65
run burn0 W -d /dev/sr0 --verify "$IMG"
mark /dev/sg0 66
run info0after W -d /dev/sr0 --info --json
run mediainfo0after dvd+rw-mediainfo /dev/sr0
run getconfig0after sg_get_config -c /dev/sg0
run second0 W -q -d /dev/sr0 "$IMG"
# The burned disc, read by the kernel's sr and isofs drivers, then busy.
mkdir -p /run/disc
run mount0 mount -t iso9660 -o ro /dev/sr0 /run/disc
cat /run/disc/sub/hello.txt >disc-hello 2>&1
cmp /run/disc/payload.bin "$T/payload.bin" >disc-cmp 2>&1; echo \$? >disc-cmp.rc
run mounted W -d /dev/sr0 --info
umount /run/disc
# sr1/sg1: an oversized image refused, then the burn through /dev/sg1.
run big1 W -q -d /dev/sg1 --raw "$SCRATCH/big.iso"
mark /dev/sg1 65
run burn1 W -d /dev/sg1 --verify "$IMG"
mark /dev/sg1 66
# sr2: growisofs, the reference.
mark /dev/sg2 65
run growisofs growisofs -dvd-compat -Z /dev/sr2="$IMG"
mark /dev/sg2 66
# sr3: a finished disc.
run rom3 W -q -d /dev/sr3 "$IMG"
dmesg >dmesg
exit 0
EOF

OUTD=$SCRATCH/out
TRACE=$SCRATCH/trace
if ! guest_run "$OUTD" "$GS" -t 150 -T "$TRACE" -d "$D/d0.img" -d "$D/d1.img" -d "$D/d2.img" \
	-d "$D/d3.img" -r "$PRE" -p "$POST"; then
	fail "the guest run failed"
	sed 's/^/    /' "$OUTD.runner" | tail -n 30
	it_finish
fi
O=$OUTD
rc() { cat "$O/$1.rc" 2>/dev/null || echo missing; }
# expect NAME RC REGEX DESCRIPTION: the guest command NAME exited RC and said REGEX.
expect() {
	local n=$1 want=$2 re=$3 desc=$4
	if [ "$(rc "$n")" = "$want" ] && grep -qE -- "$re" "$O/$n.out"; then
		pass "$desc"
	else
		fail "$desc (exit $(rc "$n"), want $want and /$re/)"
		head -n 15 "$O/$n.out" 2>/dev/null | sed 's/^/    /'
	fi
}
J() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d" + sys.argv[2]))' "$@"; }

# --list without udevd: sysfs through libudev.
expect list 0 '^/dev/sr0 /dev/sg0  IET VIRTUAL-CDROM 0001$' "--list finds /dev/sr0 (+ /dev/sg0) without udevd"
check "--list --json: four drives with their sr and sg nodes, vendor, product, revision" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["path"] for x in d] == ["/dev/sr%d" % i for i in range(4)], d
assert [x["generic_path"] for x in d] == ["/dev/sg%d" % i for i in range(4)], d
assert all((x["vendor"], x["product"], x["revision"]) == ("IET", "VIRTUAL-CDROM", "0001") for x in d), d
assert all(x["media"] is None for x in d), "media must be unknown without udevd"
' "$O/listjson.out"

# --info: the same answer through sr, sg and iSCSI (the path aside).
same_info() {
	python3 - "$@" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    d["drive"].pop("path", None)
if a != b:
    for k in ("drive", "media"):
        for f in sorted(set(a[k]) | set(b[k])):
            if a[k].get(f) != b[k].get(f):
                print("%s.%s: %r vs %r" % (k, f, a[k].get(f), b[k].get(f)))
    sys.exit(1)
PY
}
check "--info on /dev/sr0 equals the iSCSI transport's (blank)" same_info "$O/info0.out" "$O/iscsi-before.json"
check "--info on /dev/sg0 equals /dev/sr0's" same_info "$O/info0sg.out" "$O/info0.out"
check "--info after the burn equals the iSCSI transport's (complete)" \
	same_info "$O/info0after.out" "$O/iscsi-after.json"
check "--info on the DVD-ROM /dev/sr3 equals the iSCSI transport's" same_info "$O/info3.out" "$O/iscsi-lun4.json"
# ... and agrees with dvd+rw-mediainfo and sg_get_config.
agree() {
	local info=$1 mi=$2 gc=$3
	python3 - "$info" "$mi" "$gc" <<'PY'
import json, re, sys
info = json.load(open(sys.argv[1]))
mi = open(sys.argv[2]).read()
gc = open(sys.argv[3]).read()
m = info["media"]
errs = []
def want(cond, what):
    if not cond:
        errs.append(what)
prof = re.search(r"Mounted Media:\s+([0-9A-F]+)h, (\S+)", mi)
want(prof and int(prof.group(1), 16) == m["profile"], "profile %s vs %s" % (prof and prof.group(0), m["profile"]))
cur = re.search(r"Current profile: (\S+)", gc)
want(cur and cur.group(1) == m["type"], "sg_get_config current %s vs %s" % (cur and cur.group(1), m["type"]))
if "DVD-ROM media detected" in mi:
    # dvd+rw-mediainfo stops at a DVD-ROM: only the profile and the lead-out are there.
    want(m["status"] == "complete" and m["type"] == "DVD-ROM", "DVD-ROM but %s %s" % (m["type"], m["status"]))
else:
    st = re.search(r"Disc status:\s+(\w+)", mi)
    want(st and st.group(1) == m["status"], "status %s vs %s" % (st and st.group(1), m["status"]))
    ses = re.search(r"Number of Sessions:\s+(\d+)", mi)
    want(ses and int(ses.group(1)) == m["sessions"], "sessions")
if m["status"] == "blank":
    fb = re.search(r"Free Blocks:\s+(\d+)\*2KB", mi)
    want(fb and int(fb.group(1)) == m["free_sectors"], "free %s vs %s" % (fb and fb.group(1), m["free_sectors"]))
    nwa = re.search(r"Next Writable Address:\s+(\d+)\*2KB", mi)
    want(nwa and int(nwa.group(1)) == m["next_writable_address"], "nwa")
for e in errs:
    print(e)
sys.exit(1 if errs else 0)
PY
}
check "--info agrees with dvd+rw-mediainfo and sg_get_config (blank DVD+R)" \
	agree "$O/info0.out" "$O/mediainfo0.out" "$O/getconfig0.out"
check "--info agrees with dvd+rw-mediainfo and sg_get_config (after the burn)" \
	agree "$O/info0after.out" "$O/mediainfo0after.out" "$O/getconfig0after.out"
check "--info agrees with dvd+rw-mediainfo and sg_get_config (DVD-ROM)" \
	agree "$O/info3.out" "$O/mediainfo3.out" "$O/getconfig3.out"

# Not MMC devices, missing devices, a held drive: clear errors naming the path.
expect devnull 1 '/dev/null is not a SCSI device' "/dev/null is refused, by name"
expect regular 1 "regular.file is not a SCSI device" "a regular file is refused, by name"
expect loop0 1 '/dev/loop0 is not a SCSI device' "/dev/loop0 is refused, by name"
expect nodev 1 'cannot open /dev/sr9: no such device' "a missing /dev/sr9 is refused, by name"
expect heldsr 1 'cannot open /dev/sr0: the drive is in use' "/dev/sr0 held (O_EXCL) by another process: refused"
expect heldsg 1 'cannot open /dev/sg0: the drive is in use' "/dev/sg0 held (O_EXCL) by another process: refused"

# The burns.
expect burn0 0 'verified: SHA-256' "burn through /dev/sr0 with --verify"
expect burn1 0 'verified: SHA-256' "burn through /dev/sg1 with --verify"
expect growisofs 0 '' "growisofs burns the same image (the reference)"
for n in 0 1 2; do
	check "disc $n: the backing file equals the image, zero padding allowed" \
		cmp -n "$(stat -c %s "$IMG")" "$D/d$n.img" "$IMG"
	check "disc $n: the padding is zeros" sh -c "tail -c +$(($(stat -c %s "$IMG") + 1)) '$D/d$n.img' | cmp -s - /dev/zero; [ \$? = 0 ] || [ -z \"\$(tail -c +$(($(stat -c %s "$IMG") + 1)) '$D/d$n.img' | tr -d '\\0')\" ]"
done
check "--info after the burn: complete" test "$(J "$O/info0after.out" '["media"]["status"]')" = complete
check "the burned disc mounts (sr + isofs) and reads back" grep -qx 'hello from the disc' "$O/disc-hello"
check "the burned disc's payload equals the source" test "$(cat "$O/disc-cmp.rc")" = 0
expect mounted 1 'cannot open /dev/sr0: the drive is in use .*mounted' "the mounted disc: refused, by name"

# Refusals before any byte is written.
# tgt turns a closed DVD+R into a DVD-ROM (spec/drive-notes.md, tgt quirk 2); a real drive says complete.
expect second0 3 'DVD-ROM|complete' "a second burn on the finished disc is refused"
expect big1 3 'sectors .* too big' "an oversized sparse image is refused"
expect rom3 3 'DVD-ROM' "a finished disc (DVD-ROM) is refused"
check "the DVD-ROM's backing file is unchanged" cmp "$D/d3.img" <(gen_bytes rom $((300 * 2048)))

# The CDB sequences, from QEMU's trace: writeimg's through sr0 and sg1, growisofs's on sr2.
CT=$GUEST_DIR/cdb_trace.py
for t in 0 1 2; do
	python3 "$CT" "$TRACE" "$t" 65 66 >"$SCRATCH/seq$t" 2>&1 || true
done
paste -d'|' <(sed 's/^/writeimg sg1: /' "$SCRATCH/seq1") <(sed 's/^/growisofs sr2: /' "$SCRATCH/seq2") |
	awk -F'|' '{ printf "# %-52s %s\n", $1, $2 }'
check "writeimg's CDBs through /dev/sr0: accepted by tgt (RESERVE TRACK aside), none repeated needlessly" \
	python3 "$CT" "$TRACE" 0 65 66 --check --sr
check "writeimg's CDBs through /dev/sg1: accepted by tgt (RESERVE TRACK aside), none repeated needlessly" \
	python3 "$CT" "$TRACE" 1 65 66 --check
# Every WRITE(10) a target saw: exactly one burn's (the refused attempts wrote nothing).
writes() { python3 -c '
import sys; sys.path.insert(0, sys.argv[1]); import cdb_trace
print(sum(1 for c, s in cdb_trace.parse(sys.argv[2], int(sys.argv[3])) if c[0] == 0x2a))' \
	"$GUEST_DIR" "$TRACE" "$1"; }
PADDED=$(((IMG_BLOCKS + 15) / 16 * 16))
check "target 0 saw one burn's WRITE(10)s (the second burn wrote nothing)" test "$(writes 0)" = $((PADDED / 16))
check "target 1 saw one burn's WRITE(10)s (the oversized image wrote nothing)" test "$(writes 1)" = $((PADDED / 16))
check "target 3 (DVD-ROM) saw no WRITE(10)" test "$(writes 3)" = 0
it_finish
