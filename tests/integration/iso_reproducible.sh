#!/bin/bash
# SOURCE_DATE_EPOCH: the same tree and options give the same bytes, whatever the run, the
# path of the tree, its inode numbers and directory order, the time zone, or whether the
# image goes to a file or a pipe; file times later than the epoch are written as the epoch
# (so touching a file into the future changes nothing); earlier ones are kept; the volume
# dates are the epoch.
. "$(dirname "$0")/lib.sh"
it_init iso_reproducible
require_tools xorriso isoinfo pycdlib

EPOCH=1600000000   # 2020-09-13 12:26:40 UTC: the rich tree has times on both sides of it
SRC=$SCRATCH/src
make_rich_tree "$SRC"
O=$SCRATCH/out
mkdir -p "$O"

build() { # build OUT [mkimage args]: with the epoch
	local out=$1
	shift
	SOURCE_DATE_EPOCH=$EPOCH mkimg -o "$out" "$@"
}

check "first build" build "$O/a.iso" "$SRC" || it_finish
check "second build" build "$O/b.iso" "$SRC"
check "two runs give identical bytes" cmp "$O/a.iso" "$O/b.iso"

# -o - to a pipe
SOURCE_DATE_EPOCH=$EPOCH "$MKIMAGE" -o - "$SRC" 2>"$SCRATCH/stdout.err" | cat >"$O/pipe.iso"
rc=("${PIPESTATUS[@]}")
if [ "${rc[0]}" -eq 0 ]; then pass "-o - to a pipe succeeds"; else
	fail "-o - to a pipe: exit ${rc[0]}: $(head -c 500 "$SCRATCH/stdout.err")"; fi
check "-o - to a pipe gives the same bytes as -o FILE" cmp "$O/a.iso" "$O/pipe.iso"
# and to a regular file as standard output
SOURCE_DATE_EPOCH=$EPOCH "$MKIMAGE" -o - "$SRC" >"$O/stdout-file.iso" 2>"$SCRATCH/stdout.err"
check "-o - into a file gives the same bytes" cmp "$O/a.iso" "$O/stdout-file.iso"

# --progress and --verbose print to stderr only, and change nothing in the image
SOURCE_DATE_EPOCH=$EPOCH "$MKIMAGE" -o - --progress --verbose "$SRC" >"$O/progress.iso" 2>"$SCRATCH/progress.err"
check "--progress --verbose with -o -: same bytes" cmp "$O/a.iso" "$O/progress.iso"
check "--progress --verbose: they do print (on stderr)" test -s "$SCRATCH/progress.err"

# Another copy of the tree: other path, other inode numbers, other directory order.
COPY=$SCRATCH/elsewhere/copy-of-src
mkdir -p "$(dirname "$COPY")"
cp -a "$SRC" "$COPY"
check "a copy of the tree elsewhere gives the same bytes" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp "$4" "$2"' sh "$EPOCH" "$O/copy.iso" "$COPY" "$O/a.iso"
check "another time zone and umask give the same bytes" sh -c '
	umask 077; TZ=Asia/Kolkata SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp "$4" "$2"' \
	sh "$EPOCH" "$O/tz.iso" "$SRC" "$O/a.iso"
# Without Rock Ridge (and at level 1) too; those images need a tree without the deep chain.
make_rich_tree "$SCRATCH/flat" --no-deep
cp -a "$SCRATCH/flat" "$SCRATCH/flat2"
check "ISO 9660 + Joliet at level 1: two trees, same bytes" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2.1" --fs iso9660,joliet --iso-level 1 "$3" &&
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2.2" --fs iso9660,joliet --iso-level 1 "$4" &&
	cmp "$2.1" "$2.2"' sh "$EPOCH" "$O/nr" "$SCRATCH/flat" "$SCRATCH/flat2"

# Clamping: a file and a directory whose times are after the epoch, moved to other times
# after it, change nothing...
touch -d @1700000000 "$SRC/times/t_2147483647" "$SRC/bigdir"
check "a file and a directory already after the epoch, touched to other later times: same bytes" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp "$4" "$2"' sh "$EPOCH" "$O/later.iso" "$SRC" "$O/a.iso"
touch -d @2147483647 "$SRC/times/t_2147483647"
touch -d @1800000000 "$SRC/bigdir"
# ...while a change before the epoch does show (the times really are recorded)
touch -d @1500000000 "$SRC/README.txt"
check_fails "a file touched to another time before the epoch: different bytes" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp -s "$4" "$2"' sh "$EPOCH" "$O/earlier.iso" "$SRC" "$O/a.iso"
touch -d @1000000000 "$SRC/README.txt"
# (and so does a file moved from before the epoch to after it: it becomes the epoch)
touch -d @1700000000 "$SRC/README.txt"
check_fails "a file moved from before the epoch to after it: different bytes" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp -s "$4" "$2"' sh "$EPOCH" "$O/moved.iso" "$SRC" "$O/a.iso"
touch -d @1000000000 "$SRC/README.txt"
check "the tree restored: same bytes again" sh -c '
	SOURCE_DATE_EPOCH=$1 "$MKIMAGE" -o "$2" "$3" && cmp "$4" "$2"' sh "$EPOCH" "$O/restored.iso" "$SRC" "$O/a.iso"

# What the readers see: times after the epoch are the epoch, earlier ones kept.
X=$SCRATCH/x
mkdir -p "$X"
# (xorriso: what it cannot carry, lib.sh XORRISO_RR)
xorriso_extract rr "$O/a.iso" "$X/xorriso" &&
	check "Rock Ridge mtimes clamped to the epoch (xorriso)" compare "$SRC" "$X/xorriso" \
		--allow-extra-empty .rr_moved --clamp "$EPOCH" "${XORRISO_RR[@]}"
pycdlib_extract rr "$O/a.iso" "$X/pycdlib" &&
	check "Rock Ridge mtimes clamped to the epoch (pycdlib)" compare "$SRC" "$X/pycdlib" \
		--allow-extra-empty .rr_moved --clamp "$EPOCH"
pycdlib_extract joliet "$O/a.iso" "$X/joliet" &&
	check "Joliet record dates clamped to the epoch (pycdlib)" compare "$SRC" "$X/joliet" \
		--view joliet --no-mode --no-owner --clamp "$EPOCH"

# Access and attribute-change times are the (clamped) modification time, and the volume
# dates are the epoch.
check "TF access and change times equal the clamped mtime; volume dates are the epoch (pycdlib)" \
	"$IT_PY" - "$O/a.iso" "$EPOCH" "$IT_DIR" <<'EOF'
import sys
sys.path.insert(0, sys.argv[3])
import pycdlib
from pycdlib_extract import date_to_epoch, children
iso = pycdlib.PyCdlib()
iso.open(sys.argv[1])
epoch = int(sys.argv[2])
bad = []
def walk(d, path):
    for c in children(d):
        rr = c.rock_ridge
        if rr is None:
            continue
        tf = rr.dr_entries.tf_record or rr.ce_entries.tf_record
        if tf is None:
            bad.append('%s: no TF' % path)
            continue
        times = {}
        for bit in range(4):
            if tf.time_flags & (1 << bit):
                times[bit] = date_to_epoch(getattr(tf, tf.FIELDNAMES[bit]))
        m = times.get(1)
        if m is None or m > epoch:
            bad.append('%s: mtime %s' % (path, m))
        for bit, what in ((2, 'access'), (3, 'change')):
            if bit in times and times[bit] != m:
                bad.append('%s/%s: %s time %s, mtime %s' % (path, rr.name(), what, times[bit], m))
        if c.is_dir() and not rr.relocated_record():
            walk(c, path + '/' + rr.name().decode('utf-8', 'replace'))
walk(iso.pvd.root_directory_record(), '')
for vd, what in ((iso.pvd, 'primary'), (iso.joliet_vd, 'Joliet')):
    if vd is None:
        continue
    for name in ('volume_creation_date', 'volume_modification_date'):
        t = date_to_epoch(getattr(vd, name))
        if t != epoch:
            bad.append('%s %s: %s' % (what, name, t))
print('\n'.join(bad[:30]))
sys.exit(1 if bad else 0)
EOF
check "isoinfo shows the epoch as the volume creation date" sh -c '
	isoinfo -d -debug -i "$1" | grep "^Creation Date:" | tee /dev/stderr | grep -q "2020 09 13 12:26:40"' sh "$O/a.iso"

it_finish
