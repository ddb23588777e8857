#!/bin/bash
# The cloud-init seed call (cloud-localds, virt-install): `genisoimage -output seed.iso
# -volid cidata -joliet -rock user-data meta-data` through a link named genisoimage to
# mkimage, read back by isoinfo, xorriso and 7z; the same call through the real
# genisoimage and through xorriso -as mkisofs must agree with ours on file contents, Joliet
# and Rock Ridge names, the volume id. Also: the xorrisofs and mkisofs links, -print-size,
# mkisofs's defaults (plain ISO 9660 level 1), -graft-points escapes, -m, -hide, -r, the
# messages for unknown and repeated options, and a second session with -C/-M.
. "$(dirname "$0")/lib.sh"
it_init mkisofs_seed
require_tools genisoimage isoinfo xorriso 7z cmp
BIN=$SCRATCH/bin
mkdir -p "$BIN" "$SCRATCH/seed" || die "mkdir"
for n in genisoimage xorrisofs mkisofs; do ln -s "$MKIMAGE" "$BIN/$n" || die "ln"; done
cd "$SCRATCH/seed" || die "cd"
printf '#cloud-config\npassword: passw0rd\nchpasswd: { expire: False }\nssh_pwauth: True\n' >user-data
printf 'instance-id: iid-local01\nlocal-hostname: cloudimg\n' >meta-data
export SOURCE_DATE_EPOCH=1700000000
SEED=(-volid cidata -joliet -rock user-data meta-data)

check "genisoimage (a link to mkimage) makes the seed" "$BIN/genisoimage" -output ../ours.iso "${SEED[@]}"
check "the real genisoimage makes it" genisoimage -quiet -output ../geniso.iso "${SEED[@]}"
check "xorriso -as mkisofs makes it" xorriso -as mkisofs -quiet -output ../xorr.iso "${SEED[@]}"
cd "$SCRATCH" || die "cd"

check "isoinfo: the volume id is cidata" bash -c 'isoinfo -d -i ours.iso | grep -qx "Volume id: cidata"'
for f in user-data meta-data; do
	# Joliet names carry no ";1", as genisoimage and xorriso write them: isoinfo -J -x
	# finds the plain name (it fails on a name written "user-data;1").
	check "isoinfo reads /$f through Joliet by its plain name" bash -c "isoinfo -J -x '/$f' -i ours.iso | cmp - seed/$f"
	check "isoinfo reads /$f through Rock Ridge" bash -c "isoinfo -R -x /$f -i ours.iso | cmp - seed/$f"
done
check "xorriso extracts the seed" xorriso_extract rr ours.iso "$SCRATCH/x-ours"
check "... with both files intact" bash -c 'cmp x-ours/user-data seed/user-data && cmp x-ours/meta-data seed/meta-data'
check "7z extracts the seed" bash -c 'mkdir -p 7z && cd 7z && 7z x -y ../ours.iso >/dev/null && cmp user-data ../seed/user-data && cmp meta-data ../seed/meta-data'

# names as each view lists them: Joliet and Rock Ridge agree with both references
names() { isoinfo "$1" -f -i "$2" | sed 's/;1$//' | sort; }
for ref in geniso.iso xorr.iso; do
	check "Joliet names agree with $ref" diff <(names -J ours.iso) <(names -J "$ref")
	check "Rock Ridge names agree with $ref" diff <(names -R ours.iso) <(names -R "$ref")
	check "the volume id agrees with $ref" \
		diff <(isoinfo -d -i ours.iso | grep '^Volume id') <(isoinfo -d -i "$ref" | grep '^Volume id')
done
# mkisofs's default is plain ISO 9660 level 1: 8.3 names, as genisoimage makes them.
check "level 1 names agree with genisoimage's" \
	diff <(isoinfo -f -i ours.iso | sort) <(isoinfo -f -i geniso.iso | sort)

check "the xorrisofs and mkisofs links and -as mkisofs make the same bytes" bash -c '
	cd seed && "$1/xorrisofs" -o ../a.iso "${@:2}" && "$1/mkisofs" -o ../b.iso "${@:2}" &&
	"$MKIMAGE" -as mkisofs -o ../c.iso "${@:2}" && cmp ../a.iso ../ours.iso && cmp ../b.iso ../ours.iso &&
	cmp ../c.iso ../ours.iso' _ "$BIN" "${SEED[@]}"
check "-print-size prints the size in sectors" bash -c '
	n=$(cd seed && "$1/genisoimage" -print-size "${@:2}") && echo "$n" &&
	[ "$n" -eq $(( $(stat -c %s ours.iso) / 2048 )) ]' _ "$BIN" "${SEED[@]}"
check "without -o the image goes to standard output" bash -c '
	cd seed && "$1/genisoimage" "${@:2}" | cmp - ../ours.iso' _ "$BIN" "${SEED[@]}"

# -graft-points with escapes, -m, -hide, -r
mkdir -p tree/sub && printf a >tree/keep.txt && printf b >tree/skip.o && printf c >tree/sub/secret &&
	printf d >"tree/sub/odd=name" && chmod 0640 tree/keep.txt || die "tree"
check "-graft-points, -m, -hide-joliet and -r" "$BIN/mkisofs" -o g.iso -R -J -r -m '*.o' -hide-joliet secret \
	-graft-points 'in/a\=b=tree/sub/odd=name' /data/=tree
check "... the graft with an escaped '=' is there" bash -c 'isoinfo -R -x "/in/a=b" -i g.iso | grep -qx d'
check "... the excluded file is not" bash -c '! isoinfo -R -f -i g.iso | grep -q skip.o'
check "... the hidden file is left out of Joliet only" \
	bash -c 'isoinfo -R -f -i g.iso | grep -q /data/sub/secret && ! isoinfo -J -f -i g.iso | grep -q secret'
check "... -r made it readable by all, owned by 0" \
	bash -c 'isoinfo -R -l -i g.iso | grep "keep.txt" | grep -q "^-r--r--r--   1    0    0 "'

# Several El Torito entries of one platform: a second --boot-bios, or -eltorito-alt-boot.
head -c 2048 /dev/zero >tree/b1.img && head -c 4096 /dev/zero >tree/b2.img || die "boot images"
bios_entries() { xorriso -indev "$1" -report_el_torito plain 2>/dev/null | grep -c '^El Torito boot img .* BIOS '; }
check "two --boot-bios make two BIOS entries" bash -c '
	"$MKIMAGE" -o e1.iso --boot-bios /b1.img --boot-bios /b2.img --boot-load-size 8 tree &&
	xorriso -indev e1.iso -report_el_torito plain 2>/dev/null | grep "^El Torito boot img" | tee /dev/stderr |
	awk "\$7 == \"BIOS\" { n++; if (n == 2) size = \$12 } END { exit !(n == 2 && size == 8) }"'
check "-eltorito-alt-boot makes a second BIOS entry" bash -c '
	"$1/mkisofs" -o e2.iso -b b1.img -no-emul-boot -eltorito-alt-boot -b b2.img -no-emul-boot tree &&
	[ "$(xorriso -indev e2.iso -report_el_torito plain 2>/dev/null | grep -c "^El Torito boot img .* BIOS ")" = 2 ]' _ "$BIN"

expect_usage() {
	local want=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF -- "$want"
}
check "an unknown option is named" expect_usage "unknown option -bogus" "$BIN/genisoimage" -o u.iso -bogus seed
check "a repeated value option is an error" \
	expect_usage "-volid: given twice (it cannot repeat)" "$BIN/genisoimage" -o u.iso -V a -volid b seed
check "nothing is left after a refused call" test ! -e u.iso

# Multisession: -C LAST,NEXT -M DISC adds a session to the seed (--previous and
# --session-start underneath). Written at NEXT, it reads as the real genisoimage's session
# does: the old files (by reference) and the new one, under both views.
mkdir -p extra && printf 'version: 2\nethernets: {}\n' >extra/network-config || die "extra"
NEXT=$(( ($(stat -c %s ours.iso) / 2048 + 15) / 16 * 16 ))
cp ours.iso disc-o.img && cp ours.iso disc-g.img || die "cp"
check "genisoimage -C 0,NEXT -M DISC (the link) makes the next session" \
	"$BIN/genisoimage" -R -J -C "0,$NEXT" -M disc-o.img -o s2-o.iso extra
check "the real genisoimage makes it" genisoimage -quiet -R -J -C "0,$NEXT" -M disc-g.img -o s2-g.iso extra
dd if=s2-o.iso of=disc-o.img bs=2048 seek="$NEXT" conv=notrunc status=none
dd if=s2-g.iso of=disc-g.img bs=2048 seek="$NEXT" conv=notrunc status=none
snames() { isoinfo "$1" -f -T "$NEXT" -i "$2" | sed 's/;1$//' | sort; }
for v in -R -J; do
	check "session 2: $v names agree with genisoimage's" diff <(snames $v disc-o.img) <(snames $v disc-g.img)
done
check "session 2: three files, the new one among them" bash -c '[ "$(isoinfo -R -f -T "$1" -i disc-o.img | wc -l)" = 3 ] &&
	isoinfo -R -f -T "$1" -i disc-o.img | grep -qx /network-config' _ "$NEXT"
check "session 2 via xorriso -load sbsector: old and new files intact" bash -c '
	xorriso -abort_on FAILURE -load sbsector "$1" -indev disc-o.img -osirrox on -extract / x-s2 >/dev/null 2>&1 &&
	cmp x-s2/user-data seed/user-data && cmp x-s2/meta-data seed/meta-data &&
	cmp x-s2/network-config extra/network-config' _ "$NEXT"
check "session 1 is untouched on the disc" bash -c 'cmp -n "$(stat -c %s ours.iso)" disc-o.img ours.iso'
check "the volume id stays the previous session's (as xorriso -as mkisofs keeps it)" \
	bash -c 'isoinfo -d -T "$1" -i disc-o.img | grep -qx "Volume id: cidata"' _ "$NEXT"
check "-print-size after -C prints the session's size" bash -c '
	n=$("$1/genisoimage" -print-size -R -J -C "0,$2" -M ours.iso extra) && echo "$n" &&
	[ "$n" -eq $(( $(stat -c %s s2-o.iso) / 2048 )) ]' _ "$BIN" "$NEXT"
check "-C without -M is a usage error" expect_usage "-C LAST,NEXT goes with -M" "$BIN/genisoimage" -o u.iso -C 0,1 seed
check "-C with a bad address is a usage error" expect_usage "-C: 'x' is not a sector number" \
	"$BIN/genisoimage" -o u.iso -M ours.iso -C 0,x seed
check "a session dropping Joliet (-R alone over -R -J) is refused, saying why" bash -c '
	! "$1/genisoimage" -R -C "0,$2" -M ours.iso -o u.iso extra 2>drop.err &&
	grep -q "differ from the previous session" drop.err' _ "$BIN" "$NEXT"
check "-o onto the -M disc is refused, the disc kept" bash -c '
	sz=$(stat -c %s disc-o.img) && ! "$1/genisoimage" -R -J -C "0,$2" -M disc-o.img -o disc-o.img extra 2>err.txt &&
	grep -q "is the previous session" err.txt && [ "$(stat -c %s disc-o.img)" = "$sz" ]' _ "$BIN" "$NEXT"
check "nothing is left after the refused calls" test ! -e u.iso
it_finish
