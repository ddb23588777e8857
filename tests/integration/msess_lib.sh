# Shared by the multisession integration tests (multisession.sh, multisession_media.sh,
# multisession_udf.sh), sourced after lib.sh: the expected trees after each session, disc
# file plumbing, and "this reader shows exactly this tree".
# shellcheck shell=bash

# write_at DISC IMAGE LBA: the session image into the disc file at its address.
write_at() { dd if="$2" of="$1" bs=2048 seek="$3" conv=notrunc status=none; }

# next_lba DISC: the disc file's size in sectors rounded up to 16 (where the next session
# goes when nothing says otherwise).
next_lba() { "$IT_PY" -c 'import os,sys; n=os.path.getsize(sys.argv[1])//2048; print((n+15)//16*16)' "$1"; }

# new_session_lba: the LBA of the new session, as mkimage -v said it in $SCRATCH/mkimage.err.
new_session_lba() { sed -n 's/.*the new session starts at LBA \([0-9]*\).*/\1/p' "$SCRATCH/mkimage.err"; }

# overlay EXP_PREV TREE EXP_NEW [REMOVED...]: the tree expected after a session that adds
# TREE to EXP_PREV and removes REMOVED: files TREE names replace the old ones (a new inode:
# a hard link of the old file keeps the old bytes); directories merge, TREE's attributes win.
overlay() {
	local prev=$1 tree=$2 new=$3 p
	shift 3
	cp -a "$prev" "$new" || die "cp $prev"
	for p in "$@"; do rm -rf "${new:?}/$p"; done
	(cd "$tree" && find . -mindepth 1 ! -type d -print0) | while IFS= read -r -d '' p; do
		rm -rf "${new:?}/$p"
	done
	cp -a "$tree/." "$new/" || die "cp $tree"
	# Directories only the old session had keep their times (removing changed them here).
	(cd "$prev" && find . -type d -print0) | while IFS= read -r -d '' p; do
		[ -e "$tree/$p" ] || touch -h -r "$prev/$p" "$new/$p" 2>/dev/null
	done
}

# make_small_trees [BIG-SIZE]: the three small sessions $SCRATCH/a1..a3 (A1..A3) and the
# trees expected after each, $SCRATCH/f1..f3 (F1..F3): session 1 (big.bin of BIG-SIZE bytes,
# 100000 unless told); session 2 adds d/new.txt and replaces a.txt; session 3 adds three.txt
# and removes big.bin (--remove /big.bin).
make_small_trees() {
	local big=${1:-100000}
	A1=$SCRATCH/a1 A2=$SCRATCH/a2 A3=$SCRATCH/a3
	mkdir -p "$A1/d/e" "$A2/d" "$A3"
	printf 'hello\n' >"$A1/a.txt"
	printf 'keep\n' >"$A1/d/e/k.txt"
	gen_bytes big "$big" >"$A1/big.bin"
	ln -s a.txt "$A1/link"
	printf 'new\n' >"$A2/d/new.txt"
	printf 'replaced\n' >"$A2/a.txt"
	printf 'three\n' >"$A3/three.txt"
	set_time 1600000000 "$A1/a.txt" "$A1/d/e/k.txt" "$A1/big.bin" "$A1/d/e" "$A1/d" "$A1"
	set_time 1600000100 "$A2/d/new.txt" "$A2/a.txt" "$A2/d" "$A2"
	set_time 1600000200 "$A3/three.txt" "$A3"
	touch -h -d @1600000000 "$A1/link"
	F1=$SCRATCH/f1 F2=$SCRATCH/f2 F3=$SCRATCH/f3
	cp -a "$A1" "$F1" || die "cp $A1"
	overlay "$F1" "$A2" "$F2"
	overlay "$F2" "$A3" "$F3" big.bin
}

# 7z lists the Joliet tree: no modes, no owners, names without ";1" and trailing dots.
# shellcheck disable=SC2034,SC2054  # used by the sourcing tests; one option value
SEVENZIP_J=(--view joliet --no-mode --no-owner --name-form strip-version,strip-dot)

# quiet COMMAND...: COMMAND with its standard output dropped.
quiet() { "$@" >/dev/null; }

# expect_tree DESC FAIL EXTRACT... -- EXPECTED [COMPARE-OPTIONS...]: EXTRACT (a reader's
# extraction whose last argument is the directory it fills) then compare EXPECTED with that
# directory: one check DESC. An extraction that fails is the FAIL line FAIL, followed by what
# the reader said on its standard error (kept in DIR.err).
expect_tree() { expect_read compare "$@"; }
# expect_listing DESC FAIL LIST... -- EXPECTED [COMPARE-OPTIONS...]: the same for a reader's
# manifest (LIST's last argument is the JSON file it writes), compared by compare_manifest.
expect_listing() { expect_read compare_manifest "$@"; }
expect_read() {
	local cmp=$1 desc=$2 failed=$3 cmd=() out
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do cmd+=("$1"); shift; done
	if [ $# -lt 2 ] || [ ${#cmd[@]} -eq 0 ]; then die "$cmp $desc: READER... -- EXPECTED"; fi
	shift
	out=${cmd[-1]}
	if "${cmd[@]}" 2>"$out.err"; then
		check "$desc" "$cmp" "$1" "$out" "${@:2}"
	elif [ -s "$out.err" ]; then
		fail "$failed: $(head -c 2000 "$out.err")"
	else
		fail "$failed"
	fi
}
