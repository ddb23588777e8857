#!/bin/bash
# The manifest corpus (tests/manifests): every valid-*.xml makes an image; every bad-*.xml
# is refused with exactly the messages in bad-*.err (@DIR@: the corpus directory), exit
# status 1, and nothing written. A bad-*.out names the output (relative to the corpus
# directory) for the cases about where the output goes; that directory must be left as it
# was (no image, no temporary file, every file intact). The corpus runs twice: against the
# schema built into mkimage (no DISCMASTER_SCHEMA: what an uninstalled build and an
# installed one both do) and against the source tree's spec/manifest.rng through
# DISCMASTER_SCHEMA; a DISCMASTER_SCHEMA naming no file is an error that names it.
. "$(dirname "$0")/lib.sh"
it_init manifest_corpus
: "${DISCMASTER_SCHEMA:=$top_srcdir/spec/manifest.rng}"
export DISCMASTER_SCHEMA
# A copy, so the relative sources and the symlink that escapes are where the corpus says.
C=$SCRATCH/corpus
cp -a "$top_srcdir/tests/manifests" "$C"
ln -sfn /etc "$C/data/etc-link"
ln -sfn tree "$C/data/tree-link"
tar -cf "$C/data/members.tar" -C "$C/data" hello.txt || die "cannot make data/members.tar"
# Archives with hostile member names: '..' and absolute paths, and one name twice.
"$IT_PY" - "$C/data" <<'PY' || die "cannot make the hostile archives"
import io, sys, tarfile
def tar(name, members):
    with tarfile.open(sys.argv[1] + "/" + name, "w", format=tarfile.GNU_FORMAT) as t:
        for m in members:
            ti = tarfile.TarInfo(m)
            ti.size = 4
            t.addfile(ti, io.BytesIO(b"data"))
tar("dotdot.tar", ["/etc/fine", "ok/../../../escape"])
tar("duplicate.tar", ["./x", "/x"])
PY
D=$(cd "$C" && pwd -P)
O=$SCRATCH/out
mkdir -p "$O"
cd "$C" || die "cd $C"
# What a directory holds: names (hidden temporary files too) and every file's content.
snapshot() { (cd "$1" && ls -A && find . -maxdepth 1 -type f -exec sha256sum {} + | sort); }
SCHEMA_FILE=$DISCMASTER_SCHEMA
for schema in built-in "$SCHEMA_FILE"; do
if [ "$schema" = built-in ]; then unset DISCMASTER_SCHEMA; else export DISCMASTER_SCHEMA=$schema; fi
it_log "# the corpus against the schema: $schema"
for f in valid-*.xml; do
	check "$f makes an image ($schema schema)" env SOURCE_DATE_EPOCH=1600000000 "$MKIMAGE" -m "$f" -o "$O/${f%.xml}.iso"
done
for f in bad-*.xml; do
	out=$O/bad.iso
	[ -f "${f%.xml}.out" ] && out=$(cat "${f%.xml}.out")
	before=$(snapshot "$(dirname "$out")")
	"$MKIMAGE" -m "$f" -o "$out" >"$SCRATCH/stdout" 2>"$SCRATCH/err"
	rc=$?
	sed "s|$D|@DIR@|g" "$SCRATCH/err" >"$SCRATCH/err.norm"
	if [ "$rc" -eq 1 ] && diff -u "${f%.xml}.err" "$SCRATCH/err.norm" >"$SCRATCH/diff"; then
		pass "$f refused with the expected messages ($schema schema)"
	else
		fail "$f: exit $rc, messages differ"
		sed 's/^/    /' "$SCRATCH/diff"
	fi
	if [ -e "$O/bad.iso" ] || ls -A "$O" | grep -q '^\.'; then
		fail "$f left an output behind"
		rm -f "$O/bad.iso" "$O"/.bad.iso.*
	fi
	if [ "$out" != "$O/bad.iso" ] && [ "$(snapshot "$(dirname "$out")")" != "$before" ]; then
		fail "$f changed $(dirname "$out")"
	fi
done
done
export DISCMASTER_SCHEMA=$SCHEMA_FILE
DISCMASTER_SCHEMA=$SCRATCH/no-such.rng "$MKIMAGE" -m valid-minimal.xml -o "$O/x.iso" 2>"$SCRATCH/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "cannot load the manifest schema $SCRATCH/no-such.rng" "$SCRATCH/err" &&
	grep -q DISCMASTER_SCHEMA "$SCRATCH/err" && [ ! -e "$O/x.iso" ]; then
	pass "a DISCMASTER_SCHEMA naming no file is an error naming it"
else
	fail "DISCMASTER_SCHEMA naming no file: exit $rc, $(cat "$SCRATCH/err")"
fi
# The output next to the manifest, outside every source it reads, is fine.
check "an output in the manifest's directory, outside its trees" \
	env SOURCE_DATE_EPOCH=1600000000 "$MKIMAGE" -m valid-everything.xml -o "$C/valid.iso"
rm -f "$C/valid.iso"
# The check is the command line's too (mkimage/main.c check_output_outside): a file grafted
# from the output's own path would be replaced by the image.
cp data/hello.txt "$O/graft.txt"
"$MKIMAGE" -o "$O/graft.txt" "x=$O/graft.txt" >"$SCRATCH/stdout" 2>"$SCRATCH/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "the output $O/graft.txt is the source $O/graft.txt" "$SCRATCH/err" &&
	cmp -s data/hello.txt "$O/graft.txt"; then
	pass "a graft source that is the output is refused and left intact"
else
	fail "a graft source that is the output: exit $rc, $(cat "$SCRATCH/err")"
fi
# The documentation names every element and attribute the schema has.
names=$(grep -o '<\(element\|attribute\) name="[a-z0-9.-]*"' "$top_srcdir/spec/manifest.rng" | sed 's/.*name="\(.*\)"/\1/' |
	grep -v '\.' | sort -u)
for doc in "$top_srcdir/spec/manifest.md" "$top_srcdir/mkimage/mkimage-manifest.5"; do
	missing=
	for n in $names; do
		sed 's/\\-/-/g' "$doc" | grep -q -- "$n" || missing="$missing $n"
	done
	if [ -z "$missing" ]; then pass "$(basename "$doc") names every element and attribute"; else
		fail "$(basename "$doc") does not name:$missing"; fi
done
it_finish
