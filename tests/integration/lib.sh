# Shared helpers for the mkimage integration tests (sourced by tests/integration/*.sh).
#
# Each test: `. lib.sh; it_init NAME; require_tools ...; ...checks...; it_finish`.
# Exit codes follow the automake test harness: 0 pass, 1 fail, 99 hard error. A test never
# skips (77) for a missing reader: readers are installed by the project's setup, so a missing
# one is a FAIL naming the Debian package to install.
#
# Environment: MKIMAGE (the program under test), top_srcdir, top_builddir (set by `make check`);
# KEEP_SCRATCH=1 keeps the scratch directory for debugging; IT_VERBOSE=1 shows passing checks'
# output too.
# shellcheck shell=bash

set -u
umask 022
export LC_ALL=C.UTF-8
export TZ=UTC
# the helpers import each other: no __pycache__ in the source tree
export PYTHONDONTWRITEBYTECODE=1
# Each test sets SOURCE_DATE_EPOCH itself where it wants it: one inherited from the caller
# would clamp the rich tree's future mtimes and change what the tests expect.
unset SOURCE_DATE_EPOCH

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# pycdlib is packaged for Debian's python only; a pyenv `python3` on PATH lacks it.
IT_PY=/usr/bin/python3
IT_FAILS=0
IT_PASSES=0
IT_NAME=
SCRATCH=

it_log() { printf '%s\n' "$*"; }
# Hard error in the test itself (not in mkimage): harness code 99.
die() { printf '%s: ERROR: %s\n' "${IT_NAME:-test}" "$*" >&2; exit 99; }
# IT_TIMING=1 prefixes each result with the seconds since the test started.
it_stamp() {
	[ "${IT_TIMING:-0}" = 1 ] || return 0
	local ds=$(((${EPOCHREALTIME/./} - ${IT_T0/./}) / 100000))
	printf '[%4d.%d s] ' $((ds / 10)) $((ds % 10))
}
pass() { IT_PASSES=$((IT_PASSES + 1)); printf '%sPASS: %s\n' "$(it_stamp)" "$*"; }
fail() { IT_FAILS=$((IT_FAILS + 1)); printf '%sFAIL: %s\n' "$(it_stamp)" "$*"; }

# check DESCRIPTION COMMAND...: run COMMAND, PASS if it exits 0, else FAIL showing its output.
check() {
	local desc=$1 rc
	shift
	"$@" >"$SCRATCH/check.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "$desc"
		if [ "${IT_VERBOSE:-0}" = 1 ]; then tr -d '\000' <"$SCRATCH/check.out" | sed 's/^/    /'; fi
	else
		fail "$desc (exit $rc)"
		tr -d '\000' <"$SCRATCH/check.out" | head -n 60 | sed 's/^/    /'
	fi
	return "$rc"
}

# check_fails DESCRIPTION COMMAND...: the opposite; used to prove a check can fail.
check_fails() {
	local desc=$1 rc
	shift
	"$@" >"$SCRATCH/check.out" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		pass "$desc"
	else
		fail "$desc (command succeeded but should have failed)"
		tr -d '\000' <"$SCRATCH/check.out" | head -n 20 | sed 's/^/    /'
	fi
}

it_cleanup() {
	local rc=$? p
	for p in "${BG_PID[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	if [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ]; then
		# Unmount anything a test mounted below the scratch dir (bad-input's tiny tmpfs).
		if [ -r /proc/mounts ]; then
			awk -v p="$SCRATCH/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
				while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
		fi
		if [ "${KEEP_SCRATCH:-0}" = 1 ]; then
			printf 'scratch kept: %s\n' "$SCRATCH" >&2
		else
			chmod -R u+rwx "$SCRATCH" 2>/dev/null
			rm -rf "$SCRATCH"
		fi
	fi
	exit "$rc"
}

# it_init NAME: scratch dir, cleanup trap, the program under test.
it_init() {
	IT_NAME=$1
	IT_T0=$EPOCHREALTIME
	SECONDS=0
	SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/discmaster-$IT_NAME.XXXXXX") || die "mktemp -d failed"
	trap it_cleanup EXIT
	# the readers' own temporary files go there too
	export TMPDIR=$SCRATCH
	trap 'exit 99' HUP INT TERM
	if [ -z "${MKIMAGE:-}" ]; then
		for c in "${top_builddir:-}/mkimage/mkimage" "$IT_DIR/../../mkimage/mkimage" \
			"$IT_DIR/../../build/mkimage/mkimage"; do
			if [ -x "$c" ]; then MKIMAGE=$c; break; fi
		done
	fi
	[ -n "${MKIMAGE:-}" ] || die "MKIMAGE is not set and no built mkimage was found (set MKIMAGE=/path/to/mkimage)"
	[ -x "$MKIMAGE" ] || die "MKIMAGE=$MKIMAGE is not an executable file (build it first: make)"
	case $MKIMAGE in /*) ;; *) MKIMAGE=$(cd "$(dirname "$MKIMAGE")" && pwd)/$(basename "$MKIMAGE") ;; esac
	export MKIMAGE
	it_log "== $IT_NAME: MKIMAGE=$MKIMAGE scratch=$SCRATCH"
}

# it_finish: summary line and exit status (1 if any check failed).
it_finish() {
	printf '%s: %d passed, %d failed (%d s)\n' "$IT_NAME" "$IT_PASSES" "$IT_FAILS" "$SECONDS"
	[ "$IT_FAILS" -eq 0 ] || exit 1
	exit 0
}

# Debian package providing each tool, for the failure message.
it_tool_package() {
	case $1 in
	xorriso) echo xorriso ;;
	isoinfo) echo genisoimage ;;
	7z) echo p7zip-full ;;
	bsdtar) echo libarchive-tools ;;
	cmp | truncate | stat | mknod | mkfifo | sha256sum | timeout) echo coreutils ;;
	setpriv | mount) echo util-linux ;;
	udfinfo | mkudffs) echo udftools ;;
	nasm) echo nasm ;;
	mkfs.fat) echo dosfstools ;;
	mmd | mcopy) echo mtools ;;
	gcc) echo gcc ;;
	ld | objcopy) echo binutils ;;
	qemu-system-x86_64) echo qemu-system-x86 ;;
	sfdisk | fdisk) echo fdisk ;;
	dumpet) echo dumpet ;;
	groff) echo groff-base ;;
	*) echo "the package providing $1" ;;
	esac
}

# require_tools TOOL...: a missing reader is a test FAILURE (exit 1), never a skip.
require_tools() {
	local t missing=0
	for t in "$@"; do
		if [ "$t" = pycdlib ]; then
			if ! "$IT_PY" -c 'import pycdlib' >/dev/null 2>&1; then
				printf 'FAIL: missing reader: pycdlib is not importable by %s (install the Debian package python3-pycdlib)\n' "$IT_PY"
				missing=1
			fi
		elif ! command -v "$t" >/dev/null 2>&1; then
			printf 'FAIL: missing reader: %s not found on PATH (install the Debian package %s)\n' "$t" "$(it_tool_package "$t")"
			missing=1
		fi
	done
	if [ "$missing" -ne 0 ]; then
		printf '%s: readers are installed by the setup; a missing one fails the test\n' "$IT_NAME"
		exit 1
	fi
}

# mkimg ARGS...: run mkimage, keeping its stderr in $SCRATCH/mkimage.err; echoes nothing.
mkimg() {
	"$MKIMAGE" "$@" 2>"$SCRATCH/mkimage.err"
	local rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'mkimage %s: exit %d\n' "$*" "$rc" >&2
		sed 's/^/    /' "$SCRATCH/mkimage.err" >&2
	fi
	return "$rc"
}

# Deterministic pseudo-random bytes: gen_bytes SEED SIZE > FILE
gen_bytes() {
	"$IT_PY" - "$1" "$2" <<'EOF'
import hashlib, sys
seed, size = sys.argv[1].encode(), int(sys.argv[2])
out = sys.stdout.buffer
i = 0
left = size
while left > 0:
    block = b''.join(hashlib.sha256(seed + b'%d:%d' % (i, j)).digest() for j in range(128))
    out.write(block[:left])
    left -= min(left, len(block))
    i += 1
EOF
}

# name_bytes PRINTF-FORMAT: a file name given with printf escapes (for non-UTF-8 bytes).
name_bytes() { printf "$1"; }

# set_time EPOCH PATH...: whole-second mtime (and atime), not following symlinks.
set_time() {
	local t=$1
	shift
	touch -h -d "@$t" -- "$@"
}

# The deep chain in the rich tree: deep/l01/.../l14, a file at each level. With the root at
# ECMA-119 level 1, deep is level 2 and l07 is level 9: relocated under Rock Ridge.
# deep/l01..l12: the deepest directory is level 14, relocated once (l07 moves to .rr_moved,
# where l12 ends up at level 8). Nested relocation is iso_deep.sh's subject.
RICH_DEEP_LEVELS=12

# make_rich_tree DIR [--no-deep] [--no-special] [--no-symlinks] [--no-bigdir]
# Builds the same tree (names, bytes, modes, owners, mtimes, links) every time. Options drop
# parts that a given image kind cannot hold (e.g. --fs iso9660,joliet refuses deep trees).
# Its longest symlink target is 1203 bytes (one continuation area); add_huge_symlinks adds
# longer ones.
make_rich_tree() {
	local d=$1 deep=1 special=1 symlinks=1 bigdir=1 i n p
	shift
	for o in "$@"; do
		case $o in
		--no-deep) deep=0 ;;
		--no-special) special=0 ;;
		--no-symlinks) symlinks=0 ;;
		--no-bigdir) bigdir=0 ;;
		*) die "make_rich_tree: unknown option $o" ;;
		esac
	done
	mkdir -p "$d" || die "make_rich_tree: cannot create $d"
	(
		set -e
		cd "$d"
		# --- plain files at the root: contents and sizes around sector boundaries
		printf 'discmaster rich tree\nline 2\n' >README.txt
		printf 'lower-case readme: collides with README.txt in ISO 9660 names\n' >readme.txt
		: >empty.dat
		gen_bytes sector 2048 >one_sector.bin
		gen_bytes sectorplus 2049 >sector_plus_one.bin
		gen_bytes big 1000003 >big.bin
		"$IT_PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 3)' >allbytes.bin
		printf 'no extension\n' >no_extension
		printf 'hidden\n' >.hidden
		printf 'dots\n' >archive.tar.gz.part
		printf 'quotes\n' >"with space 'quote' \"dq\".txt"
		printf 'dash\n' >-leading-dash.txt
		printf 'long ext\n' >file.verylongextension
		set_time 1000000000 README.txt readme.txt empty.dat one_sector.bin sector_plus_one.bin \
			big.bin allbytes.bin no_extension .hidden archive.tar.gz.part \
			"with space 'quote' \"dq\".txt" ./-leading-dash.txt file.verylongextension

		# --- names: special characters, UTF-8, long, invalid UTF-8, collisions
		mkdir names
		(
			cd names
			for n in 'semi;colon.txt' 'star*.txt' 'colon:name.txt' 'question?.txt' \
				'back\slash.txt' 'pipe|lt<gt>.txt' "$(printf 'tab\there.txt')" \
				'café.txt' '日本語のファイル名.txt' 'emoji_😀.txt' 'Ωmega_Σ.dat' \
				"$(printf 'e\314\201_nfd.txt')" "$(printf '\303\251_nfc.txt')" \
				'collide-a.txt' 'collide_a.txt' 'COLLIDE+A.TXT' '...' 'x' 'UPPER.TXT' \
				'a.b.c.d.e' 'trailingdot.' 'multi  space.txt'; do
				printf '%s\n' "$n" >"$n"
			done
			# 255 bytes: the longest name a Linux file system (and Rock Ridge NM) holds
			n=$(printf 'L%.0s' $(seq 251)).txt
			printf 'L255\n' >"$n"
			n=$(printf 'é%.0s' $(seq 127))x
			printf 'E255\n' >"$n"
			# Joliet: 64 characters is the limit, 65 is truncated; 103 with --joliet-long
			n=$(printf 'j%.0s' $(seq 60)).txt
			printf 'J64\n' >"$n"
			n=$(printf 'k%.0s' $(seq 61)).txt
			printf 'J65\n' >"$n"
			n=$(printf 'm%.0s' $(seq 99)).txt
			printf 'J103\n' >"$n"
			n=$(printf 'n%.0s' $(seq 100)).txt
			printf 'J104\n' >"$n"
			# two names equal in their first 80 characters: collide once truncated
			n=$(printf 'c%.0s' $(seq 80))
			printf 'C1\n' >"${n}_one.txt"
			printf 'C2\n' >"${n}_two.txt"
			printf 'D\n' >"$(printf 'd%.0s' $(seq 70)).tar.gz"
			# names that are not UTF-8
			printf 'bad\n' >"$(printf 'bad_\377\376.txt')"
			printf 'latin1\n' >"$(printf 'latin1_caf\351.txt')"
			printf 'trunc\n' >"$(printf 'trunc_\346\227.txt')"
			mkdir 'dir with space' 'répertoire' "$(printf 'dir_\377')" "$(printf 'D%.0s' $(seq 90))"
			printf 'in dir\n' >'dir with space/inner.txt'
			printf 'in dir\n' >'répertoire/fichier.txt'
			printf 'in dir\n' >"$(printf 'dir_\377')/inner"
			printf 'in dir\n' >"$(printf 'D%.0s' $(seq 90))/inner.txt"
			find . -mindepth 1 -exec touch -h -d @1234567890 {} +
		)

		# --- permission bits (file type + all 12 permission bits)
		mkdir perms
		(
			cd perms
			for m in 0600 0755 0444 0000 0640 4755 2755 1755 6711 0777; do
				printf 'mode %s\n' "$m" >"m$m"
				chmod "$m" "m$m"
			done
			mkdir dir0700 dir0555 sticky1777 setgid2775 dir0711
			printf 'x\n' >dir0700/f
			printf 'x\n' >dir0555/f
			printf 'x\n' >sticky1777/f
			printf 'x\n' >dir0711/f
			find . -mindepth 1 -exec touch -h -d @1300000000 {} +
			chmod 0700 dir0700
			chmod 0555 dir0555
			chmod 1777 sticky1777
			chmod 2775 setgid2775
			chmod 0711 dir0711
		)

		# --- owners
		mkdir owners
		(
			cd owners
			for o in 1234:5678 0:0 65534:65534 100000:200000 4000000000:3999999999 0:4321; do
				f="u${o%%:*}_g${o##*:}"
				printf '%s\n' "$o" >"$f"
				chown "$o" "$f"
			done
			mkdir dir_u4321
			printf 'x\n' >dir_u4321/f
			chown 4321:1234 dir_u4321 dir_u4321/f
			find . -mindepth 1 -exec touch -h -d @1400000000 {} +
		)

		# --- times (UTC): before 1970, the DOS epoch, leap day, past 2^31, far future
		mkdir times
		(
			cd times
			for t in -14182940 315532800 951868799 1583020800 2147483647 2147483648 4102444799 1; do
				printf '%s\n' "$t" >"t_$t"
				set_time "$t" "t_$t"
			done
			mkdir dir_2001
			printf 'x\n' >dir_2001/f
			set_time 980000000 dir_2001/f
			set_time 1000000001 dir_2001
		)

		# --- symbolic links
		if [ "$symlinks" = 1 ]; then
			mkdir links
			(
				cd links
				ln -s ../README.txt rel
				ln -s /etc/passwd abs
				ln -s does/not/exist dangling
				ln -s ../perms to_dir
				ln -s . dot
				ln -s .. dotdot
				ln -s / root
				ln -s ../../../../../x updots
				ln -s a/./b/../c mid_dots
				ln -s rel chain
				ln -s 'café/日本/😀' utf8
				ln -s "$(printf 'bad_\377/target')" invalid_utf8
				ln -s "$(printf 'c%.0s' $(seq 255))/tail" comp255
				# 601 one-byte components, 1203 bytes
				p=
				for i in $(seq 600); do p="${p}x/"; done
				ln -s "${p}end" many
				ln -s '/abs/with/../dots/./x' abs_dots
				chown -h 1234:5678 rel
				find . -mindepth 1 -exec touch -h -d @1500000000 {} +
				set_time 1500000099 many
			)
		fi

		# --- hard links (one group across directories, a pair, a pair of empty files)
		mkdir -p hardlinks/sub
		(
			cd hardlinks
			printf 'hard link group of three\n' >a.txt
			ln a.txt b.txt
			ln a.txt sub/c.txt
			gen_bytes pair 5000 >x.bin
			ln x.bin y.bin
			: >e1
			ln e1 e2
			printf 'single\n' >single.txt
			chmod 0640 a.txt
			find . -mindepth 1 -exec touch -h -d @1600000000 {} +
		)

		# --- empty directories
		mkdir -p empty_dir nested_empty/a/b/c
		touch -d @1700000000 empty_dir nested_empty/a/b/c nested_empty/a/b nested_empty/a nested_empty

		# --- device nodes and FIFOs (devices need root)
		if [ "$special" = 1 ]; then
			mkdir special
			mkfifo special/fifo
			chmod 0620 special/fifo
			"$IT_PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' special/socket
			chmod 0640 special/socket
			if [ "$(id -u)" = 0 ]; then
				mknod special/char_null c 1 3
				mknod special/block_loop b 7 0
				mknod special/char_big c 259 1048575
				mknod special/block_big b 4095 65536
				chmod 0600 special/block_loop
				chown 1234:5678 special/char_big
			fi
			find special -mindepth 1 -exec touch -h -d @1650000000 {} +
		fi

		# --- a directory spanning many sectors (~100 in each hierarchy), whose ISO 9660
		# names collide in groups of hundreds once cut to 30 characters
		if [ "$bigdir" = 1 ]; then
			mkdir bigdir
			(
				cd bigdir
				for i in $(seq -w 0 1199); do
					printf 'entry %s\n' "$i" >"entry_with_a_longer_name_$i.txt"
				done
				touch -d @1100000000 ./*
			)
		fi

		# --- a deep chain: relocated by Rock Ridge, real place everywhere else
		if [ "$deep" = 1 ]; then
			p=deep
			mkdir deep
			printf 'level 0\n' >deep/f0.txt
			for i in $(seq -w 1 "$RICH_DEEP_LEVELS"); do
				p="$p/l$i"
				mkdir "$p"
				printf 'level %s\n' "$i" >"$p/f$i.txt"
			done
			mkdir deep/l01/l02/l03/l04/l05/l06/l07/side
			if [ "$symlinks" = 1 ]; then ln -s ../../f08.txt deep/l01/l02/l03/l04/l05/l06/l07/l08/l09/up; fi
			find deep -mindepth 1 -exec touch -h -d @1750000000 {} +
		fi

		# --- directory mtimes last, deepest first (creating entries changed them)
		find . -mindepth 1 -depth -type d -exec touch -d @1800000000 {} +
		touch -d @1234500000 names perms owners
		if [ -d links ]; then touch -d @1500000000 links; fi
		touch -d @1000000001 times/dir_2001
		touch -d @1800000000 .
		chmod 0555 perms/dir0555
	)
	# (not `( ... ) || die`: that would switch off set -e inside the subshell)
	[ $? -eq 0 ] || die "make_rich_tree $d failed"
}

# add_huge_symlinks DIR: links/huge (3753 bytes in 251 components) and links/huge255 (3844
# bytes in components of 255 bytes, absolute), which need several chained continuation
# areas, into a rich tree.
add_huge_symlinks() {
	local p c i
	p=
	for i in $(seq 250); do p="${p}component_$(printf %04d "$i")/"; done
	ln -s "${p}end" "$1/links/huge" || die "cannot make links/huge"
	p=/
	for c in a b c d e f g h i j k l m n o; do p="$p$(printf "$c%.0s" $(seq 255))/"; done
	ln -s "${p}end" "$1/links/huge255" || die "cannot make links/huge255"
	touch -h -d @1500000077 "$1/links/huge" "$1/links/huge255"
	touch -d @1500000000 "$1/links"
}

# copy_tree SRC DEST: a copy keeping everything (hard links, devices, owners, times)
copy_tree() { cp -a "$1" "$2" || die "cannot copy $1"; }

# Background jobs (the machine has two cores): bg_run NAME COMMAND... starts it, bg_check
# NAME DESCRIPTION waits for it and reports like check.
declare -A BG_PID
bg_run() {
	local n=$1
	shift
	("$@") >"$SCRATCH/bg.$n.log" 2>&1 &
	BG_PID[$n]=$!
}
bg_check() {
	local n=$1 desc=$2 rc
	wait "${BG_PID[$n]}"
	rc=$?
	unset "BG_PID[$n]"
	if [ "$rc" -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc (exit $rc)"
		head -n 60 "$SCRATCH/bg.$n.log" | sed 's/^/    /'
	fi
	return "$rc"
}

# A shim usable as MKIMAGE while mkimage is not built: maps the contract onto genisoimage
# (for developing the tests only; genisoimage differs from mkimage in several ways).
write_genisoimage_shim() {
	cat >"$1" <<'EOF'
#!/bin/bash
# mkimage -o OUT [options] SOURCE... -> genisoimage (test development only)
out= fs=iso9660,joliet,rockridge args=() srcs=() level=3
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift ;;
	--fs) fs=$2; shift ;;
	-V|--volume-id) args+=(-V "$2"); shift ;;
	--iso-level) level=$2; shift ;;
	--publisher) args+=(-publisher "$2"); shift ;;
	--preparer) args+=(-p "$2"); shift ;;
	--application) args+=(-A "$2"); shift ;;
	--system-id) args+=(-sysid "$2"); shift ;;
	--volset-id) args+=(-volset "$2"); shift ;;
	--joliet-long) args+=(-joliet-long) ;;
	--follow-links) args+=(-f) ;;
	--progress) ;;
	*=*) args+=(-graft-points); srcs+=("$1") ;;
	*) srcs+=("$1") ;;
	esac
	shift
done
case ,$fs, in *,rockridge,*) args+=(-R) ;; esac
case ,$fs, in *,joliet,*) args+=(-J) ;; esac
args+=(-iso-level "$level")
[ "$out" = - ] || args+=(-o "$out")
exec genisoimage -quiet "${args[@]}" "${srcs[@]}"
EOF
	chmod +x "$1"
}

# ---------------------------------------------------------------------------------------
# Readers. Each extracts (or lists) one view of an image; what each can and cannot show is
# written where the tests relax compare_tree.py for it.

# compare SOURCE TARGET [compare_tree options]: an extracted directory
compare() { "$IT_PY" "$IT_DIR/compare_tree.py" "$@"; }
# compare_manifest SOURCE MANIFEST [options]
compare_manifest() { "$IT_PY" "$IT_DIR/compare_tree.py" --manifest "$@"; }

# xorriso_extract VIEW IMAGE DEST: libisofs' reader. rr: Rock Ridge with hard links and
# device files; joliet/iso: identifiers as recorded (";1" kept).
xorriso_extract() {
	local view=$1 img=$2 dest=$3 load
	case $view in
	rr) load=(-read_fs any -hardlinks on) ;;
	joliet) load=(-read_fs norock -joliet_map unmapped) ;;
	iso) load=(-read_fs ecma119 -ecma119_map unmapped) ;;
	*) die "xorriso_extract: view $view" ;;
	esac
	# best_effort: load the rest of the tree past entries libisofs refuses (it refuses
	# symlink targets of 1024 bytes and more, "Rock Ridge path too long"); what is not
	# loaded is missing from the extraction and the comparison says so.
	xorriso -abort_on FAILURE -return_with FAILURE 32 -error_behavior image_loading best_effort \
		"${load[@]}" -osirrox on:device_files -indev "$img" -extract / "$dest" >"$dest.log" 2>&1 ||
		{ sed 's/^/    xorriso: /' "$dest.log" | grep -v UPDATE | tail -n 20; return 1; }
	grep -E 'SORRY|WARNING' "$dest.log" | sed 's/^/    xorriso said: /' | head -n 10
}

# bsdtar_extract VIEW IMAGE DEST: libarchive's reader; it prefers Rock Ridge, then Joliet.
bsdtar_extract() {
	local view=$1 img=$2 dest=$3 opts
	case $view in
	rr) opts=() ;;
	joliet) opts=(--options 'iso9660:!rockridge') ;;
	iso) opts=(--options 'iso9660:!rockridge,iso9660:!joliet') ;;
	*) die "bsdtar_extract: view $view" ;;
	esac
	mkdir -p "$dest" && bsdtar -x -p --numeric-owner "${opts[@]}" -f "$img" -C "$dest"
}

# What xorriso and bsdtar cannot carry in the Rock Ridge view (every use says so):
# libisofs refuses to load symlink targets of 1024 bytes or more ("Rock Ridge path too
# long"); xorriso restores no symlink owner or mtime on extraction and creates no sockets.
XORRISO_RR=(--max-symlink-len 1023 --no-symlink-mtime --no-symlink-owner --no-sockets)
# libarchive finds hard links by data location and leaves empty files out of that (their
# location means nothing), so links between empty files come out as separate files; it
# extracts a socket as an empty regular file.
BSDTAR_RR=(--no-empty-hardlinks --no-sockets)

# pycdlib_extract VIEW IMAGE DEST
pycdlib_extract() { "$IT_PY" "$IT_DIR/pycdlib_extract.py" --view "$1" "$2" "$3"; }

# isoinfo_manifest VIEW IMAGE OUT.json / sevenzip_manifest IMAGE OUT.json
isoinfo_manifest() { "$IT_PY" "$IT_DIR/reader_manifest.py" isoinfo --view "$1" "$2" "$3"; }
sevenzip_manifest() { "$IT_PY" "$IT_DIR/reader_manifest.py" 7z "$1" "$2"; }

# no_leftovers DIR EXPECTED...: DIR holds exactly the EXPECTED names (no OUT, no temp file)
no_leftovers() {
	local dir=$1 got want
	shift
	got=$(cd "$dir" && ls -A | LC_ALL=C sort)
	want=$(for n in "$@"; do printf '%s\n' "$n"; done | LC_ALL=C sort)
	if [ "$got" != "$want" ]; then
		printf 'left in %s: %s\n' "$dir" "$(printf '%s' "$got" | tr '\n' ' ')"
		return 1
	fi
}
