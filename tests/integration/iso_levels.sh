#!/bin/bash
# ISO 9660 interchange levels 1, 2 and 3, and Joliet's 64 and 103 characters: the
# identifiers every reader sees are the ones mkimage/iso/iso_names.h defines (compare_tree.py
# ports those rules), they are well formed for the level (checked here independently of
# that port, on isoinfo's raw listing), and Rock Ridge and Joliet names do not depend on
# the level.
. "$(dirname "$0")/lib.sh"
it_init iso_levels
require_tools xorriso isoinfo 7z bsdtar pycdlib

SRC=$SCRATCH/src
mkdir -p "$SRC"
(
	set -e
	cd "$SRC"
	for n in README.txt readme.txt a.tar.gz .bashrc ..foo Makefile x.y.z 12345678.123 \
		123456789.1234 verylongfilename.text verylongfilename.texts name.extension_long \
		'UPPER lower.Mixed' 'spaces in name.doc' 'ümlaut.txt' '日本.txt' "$(printf 'bad\377.bin')" \
		abcdefghijklmnopqrstuvw.xyz123 abcdefghijklmnopqrstuvwx.xyz123 \
		"$(printf 'e%.0s' $(seq 40)).$(printf 'x%.0s' $(seq 40))" same trailing. '-dash' \
		"$(printf 'j%.0s' $(seq 60)).txt" "$(printf 'k%.0s' $(seq 70)).txt" \
		"$(printf 'm%.0s' $(seq 99)).txt" "$(printf 'n%.0s' $(seq 110)).txt" \
		"$(printf 'p%.0s' $(seq 110))" "$(printf 'q%.0s' $(seq 50)).$(printf 'r%.0s' $(seq 20))"; do
		printf '%s\n' "$n" >"./$n"
	done
	for i in $(seq 1 15); do printf '%d\n' "$i" >"longname_$i.txt"; done
	mkdir my.dir verylongdirectoryname_over_31_characters_x dir8char dir9chars \
		directory_a directory_b SAME "$(printf 'D%.0s' $(seq 70))"
	for d in my.dir verylongdirectoryname_over_31_characters_x dir8char dir9chars \
		directory_a directory_b SAME; do
		printf '%s\n' "$d" >"$d/inside.txt"
	done
	printf 'deep\n' >"$(printf 'D%.0s' $(seq 70))/f"
	find . -mindepth 1 -exec touch -h -d @1300000000 {} +
	touch -d @1300000001 .
)
[ $? -eq 0 ] || die "cannot build the source tree"

X=$SCRATCH/x
mkdir -p "$X"

# Identifiers well formed for the level, unique in their directory (isoinfo -f shows them
# as recorded, ";1" included).
check_identifiers() {
	local level=$1 img=$2
	isoinfo -f -i "$img" >"$X/ids-$level.txt" || return 1
	"$IT_PY" - "$level" "$X/ids-$level.txt" <<'EOF'
import re, sys
level, path = int(sys.argv[1]), sys.argv[2]
bad, seen = [], set()
for line in open(path, 'rb').read().split(b'\n'):
    if not line:
        continue
    if line in seen:
        bad.append('duplicate %r' % line)
    seen.add(line)
    ident = line.rsplit(b'/', 1)[1]
    if b';' in ident:                       # a file: NAME.EXT;1
        m = re.fullmatch(rb'([A-Z0-9_]*)\.([A-Z0-9_]*);1', ident)
        if not m or not m.group(1) and not m.group(2):
            bad.append('malformed file identifier %r' % line)
            continue
        name, ext = m.groups()
        if level == 1 and (len(name) > 8 or len(ext) > 3):
            bad.append('not 8.3: %r' % line)
        if level > 1 and len(name) + 1 + len(ext) > 30:
            bad.append('longer than 30: %r' % line)
    else:                                   # a directory
        if not re.fullmatch(rb'[A-Z0-9_]+', ident):
            bad.append('malformed directory identifier %r' % line)
        elif len(ident) > (8 if level == 1 else 31):
            bad.append('directory identifier too long: %r' % line)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

for level in 1 2 3; do
	img=$SCRATCH/iso$level.iso
	ISOV=(--view iso --iso-level "$level" --no-mode --no-owner)
	check "level $level: mkimage --fs iso9660 --iso-level $level" \
		mkimg -o "$img" --fs iso9660 --iso-level "$level" "$SRC" || continue
	check "level $level: identifiers well formed and unique (isoinfo -f)" \
		check_identifiers "$level" "$img"
	check "level $level: pycdlib" pycdlib_extract iso "$img" "$X/pycdlib-$level" &&
		check "level $level: pycdlib shows mkimage's identifiers and the data" \
			compare "$SRC" "$X/pycdlib-$level" "${ISOV[@]}"
	if xorriso_extract iso "$img" "$X/xorriso-$level"; then
		check "level $level: xorriso shows mkimage's identifiers and the data" \
			compare "$SRC" "$X/xorriso-$level" "${ISOV[@]}"
	else
		fail "level $level: xorriso extraction failed"
	fi
	if bsdtar_extract iso "$img" "$X/bsdtar-$level" 2>"$X/bsdtar-$level.err"; then
		# libarchive drops ";1" and then a trailing '.'
		check "level $level: bsdtar shows mkimage's identifiers and the data" \
			compare "$SRC" "$X/bsdtar-$level" "${ISOV[@]}" --name-form strip-version,strip-dot
	else
		fail "level $level: bsdtar extraction failed: $(head -c 1000 "$X/bsdtar-$level.err")"
	fi
	if check "level $level: isoinfo lists the image" isoinfo_manifest iso "$img" "$X/isoinfo-$level.json"; then
		# isoinfo shows only the day of the record date
		check "level $level: isoinfo shows mkimage's identifiers and the data" \
			compare_manifest "$SRC" "$X/isoinfo-$level.json" "${ISOV[@]}" --no-mtime
	fi
	if check "level $level: 7z lists the image" sevenzip_manifest "$img" "$X/7z-$level.json"; then
		# 7z drops ";1" and then a trailing '.'
		check "level $level: 7z shows mkimage's identifiers and the data" \
			compare_manifest "$SRC" "$X/7z-$level.json" "${ISOV[@]}" \
			--name-form strip-version,strip-dot
	fi

	# Rock Ridge and Joliet names do not depend on the level.
	all=$SCRATCH/all$level.iso
	if check "level $level: mkimage with all three filesystems" \
		mkimg -o "$all" --iso-level "$level" "$SRC"; then
		bsdtar_extract rr "$all" "$X/bsdtar-rr-$level" &&
			check "level $level: Rock Ridge names and attributes (bsdtar)" \
				compare "$SRC" "$X/bsdtar-rr-$level"
		pycdlib_extract joliet "$all" "$X/pycdlib-joliet-$level" &&
			check "level $level: Joliet names (pycdlib)" \
				compare "$SRC" "$X/pycdlib-joliet-$level" --view joliet --no-mode --no-owner
		pycdlib_extract iso "$all" "$X/pycdlib-isorr-$level" &&
			check "level $level: ISO 9660 identifiers with Rock Ridge (pycdlib)" \
				compare "$SRC" "$X/pycdlib-isorr-$level" --view iso --iso-level "$level" \
				--rr-present --no-mode --no-owner
	fi
done

# Joliet: 64 characters by default, 103 with --joliet-long.
LONG=$SCRATCH/joliet-long.iso
if check "mkimage --joliet-long" mkimg -o "$LONG" --joliet-long "$SRC"; then
	J103=(--view joliet --joliet-max 103 --no-mode --no-owner)
	pycdlib_extract joliet "$LONG" "$X/pycdlib-j103" &&
		check "--joliet-long: 103-character names (pycdlib)" compare "$SRC" "$X/pycdlib-j103" "${J103[@]}"
	bsdtar_extract joliet "$LONG" "$X/bsdtar-j103" &&
		check "--joliet-long: 103-character names (bsdtar)" compare "$SRC" "$X/bsdtar-j103" \
			"${J103[@]}" --name-form strip-version
	xorriso_extract joliet "$LONG" "$X/xorriso-j103" &&
		check "--joliet-long: 103-character names (xorriso)" compare "$SRC" "$X/xorriso-j103" "${J103[@]}"
	# the names really are longer than 64 there
	check "--joliet-long: a name of more than 64 characters is in the image" \
		test -e "$X/pycdlib-j103/$(printf 'm%.0s' $(seq 99)).txt"
	# and not in the default image
	check_fails "default Joliet: no name longer than 64 characters" \
		test -e "$X/pycdlib-joliet-3/$(printf 'm%.0s' $(seq 99)).txt"
fi

it_finish
