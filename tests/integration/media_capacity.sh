#!/bin/bash
# --media: an image that does not fit is refused before anything is written, saying by how
# many sectors it is over; one that fits is written. --dry-run prints the layout and
# writes nothing. <media> in a manifest does the same. Pure UDF and bridges too.
. "$(dirname "$0")/lib.sh"
it_init media_capacity
: "${DISCMASTER_SCHEMA:=$top_srcdir/spec/manifest.rng}"
export DISCMASTER_SCHEMA
export SOURCE_DATE_EPOCH=1600000000
SRC=$SCRATCH/src
mkdir -p "$SRC"
gen_bytes big 1000000 >"$SRC/big.bin"
O=$SCRATCH/out
mkdir -p "$O"
total=$("$MKIMAGE" --dry-run "$SRC" | awk '/^total:/ {print $2}')
check "--dry-run reports a total" test -n "$total"
check "--dry-run writes nothing" test -z "$(ls -A "$O")"
"$MKIMAGE" -o "$O/x.iso" "$SRC"
check "--dry-run's total is the image's size" test "$((total * 2048))" -eq "$(stat -c %s "$O/x.iso")"
rm -f "$O/x.iso"
"$MKIMAGE" --media $((total - 7)) -o "$O/small.iso" "$SRC" 2>"$O/err"
rc=$?
if [ $rc -eq 1 ] && grep -q ": 7 sectors (0.0 MiB) too many" "$O/err"; then pass "7 sectors over: refused, saying so"; else
	fail "over capacity: exit $rc: $(cat "$O/err")"; fi
check "and nothing written" test -z "$(ls -A "$O" | grep -v err)"
check "exactly the size fits" "$MKIMAGE" --media "$total" -o "$O/fit.iso" "$SRC"
check "cd74 fits" "$MKIMAGE" --media cd74 -o "$O/cd.iso" "$SRC"
check_fails "--media floppy is a usage error" "$MKIMAGE" --media floppy -o "$O/f.iso" "$SRC"
check "--dry-run --media cd74 shows the free sectors" sh -c '"$MKIMAGE" --dry-run --media cd74 "$1" | grep -q "^media: *333000 sectors, $((333000 - $2)) free"' sh "$SRC" "$total"
printf '<image version="1"><media>%s</media><root><tree src="%s"/></root></image>\n' $((total - 1)) "$SRC" >"$O/m.xml"
check_fails "<media> in a manifest: refused when over" "$MKIMAGE" -m "$O/m.xml" -o "$O/m.iso"
check "a command-line --media wins over the manifest's" "$MKIMAGE" -m "$O/m.xml" --media dvd -o "$O/m.iso"

# UDF, pure and bridged: the same refusal, counted from the UDF layout, before anything is
# written; exactly the size fits.
U=$SCRATCH/udf
mkdir -p "$U"
for fs in udf iso9660,joliet,rockridge,udf; do
	t=$("$MKIMAGE" --dry-run --fs $fs "$SRC" | awk '/^total:/ {print $2}')
	"$MKIMAGE" --fs $fs --media $((${t:-0} - 7)) -o "$U/small.img" "$SRC" 2>"$U/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "needs $t sectors but the media holds $((t - 7)): 7 sectors (0.0 MiB) too many" "$U/err"; then
		pass "--fs $fs: 7 sectors over: refused, saying so"
	else
		fail "--fs $fs: over capacity: exit $rc: $(cat "$U/err")"
	fi
	rm -f "$U/err"
	check "--fs $fs: nothing written" no_leftovers "$U"
	check "--fs $fs: exactly the size ($t sectors) fits" sh -c \
		'"$MKIMAGE" --fs "$1" --media "$2" -o "$3/fit.img" "$4" && [ "$(stat -c %s "$3/fit.img")" -eq $(($2 * 2048)) ]' \
		sh $fs "$t" "$U" "$SRC"
	rm -f "$U/fit.img"
done
# A tree larger than a CD (a sparse 800 MB file): refused against a named medium's size.
mkdir -p "$SCRATCH/cdplus"
truncate -s 800000000 "$SCRATCH/cdplus/big.bin"
for fs in udf iso9660,joliet,rockridge,udf; do
	t=$("$MKIMAGE" --dry-run --fs $fs "$SCRATCH/cdplus" | awk '/^total:/ {print $2}')
	check "--fs $fs --media cd74: 800 MB refused, $((${t:-0} - 333000)) sectors too many, nothing written" sh -c \
		'! "$MKIMAGE" --fs "$1" --media cd74 -o "$3/cd.img" "$4" 2>"$3/err" &&
		grep -q "needs $2 sectors but .* holds 333000: $(($2 - 333000)) sectors (.* MiB) too many" "$3/err" &&
		[ ! -e "$3/cd.img" ]' sh $fs "$t" "$U" "$SCRATCH/cdplus"
done
it_finish
