#!/bin/bash
# The manifest corpus (tests/manifests): every valid-*.xml makes an image; every bad-*.xml
# is refused with exactly the messages in bad-*.err (@DIR@: the corpus directory), exit
# status 1, and nothing written.
. "$(dirname "$0")/lib.sh"
it_init manifest_corpus
: "${DISCMASTER_SCHEMA:=$top_srcdir/spec/manifest.rng}"
export DISCMASTER_SCHEMA
# A copy, so the relative sources and the symlink that escapes are where the corpus says.
C=$SCRATCH/corpus
cp -a "$top_srcdir/tests/manifests" "$C"
ln -sfn /etc "$C/data/etc-link"
D=$(cd "$C" && pwd -P)
O=$SCRATCH/out
mkdir -p "$O"
cd "$C" || die "cd $C"
for f in valid-*.xml; do
	check "$f makes an image" env SOURCE_DATE_EPOCH=1600000000 "$MKIMAGE" -m "$f" -o "$O/${f%.xml}.iso"
done
for f in bad-*.xml; do
	"$MKIMAGE" -m "$f" -o "$O/bad.iso" >"$SCRATCH/stdout" 2>"$SCRATCH/err"
	rc=$?
	sed "s|$D|@DIR@|g" "$SCRATCH/err" >"$SCRATCH/err.norm"
	if [ "$rc" -eq 1 ] && diff -u "${f%.xml}.err" "$SCRATCH/err.norm" >"$SCRATCH/diff"; then
		pass "$f refused with the expected messages"
	else
		fail "$f: exit $rc, messages differ"
		sed 's/^/    /' "$SCRATCH/diff"
	fi
	if [ -e "$O/bad.iso" ] || ls -A "$O" | grep -q '^\.'; then
		fail "$f left an output behind"
		rm -f "$O/bad.iso" "$O"/.bad.iso.*
	fi
done
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
