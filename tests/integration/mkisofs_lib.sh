# Shared by tests/integration/mkisofs_*.sh (sourced after lib.sh and boot_lib.sh): booting
# images made by real callers of mkisofs (grub-mkrescue, a live-build call) to their boot
# loader's first words on COM1, and comparing what mkimage and xorriso make of one call.
# shellcheck shell=bash

# boot_to_mark bios|uefi cd|hd IMG MARK [SECONDS]: boot IMG under SeaBIOS or OVMF (TCG) and
# pass once a line holding MARK reaches COM1; the line is printed. The loaders end the VM
# themselves (GRUB writes isa-debug-exit) or wait at a prompt: QEMU is stopped once MARK is
# there. SECONDS (default 600) only catches a hang.
boot_to_mark() {
	local fw=$1 media=$2 img=$3 mark=$4 limit=${5:-600} log pid machine drive
	log=$SCRATCH/boot-$fw-$media-$(basename "$img").log
	mapfile -t drive < <(boot_drive "$media" "$img")
	rm -f "$log"
	if [ "$fw" = bios ]; then
		machine=(-machine pc,accel=tcg -m 256 -boot strict=on,reboot-timeout=0)
	else
		cp "$OVMF_VARS" "$log.vars" || die "cannot copy $OVMF_VARS"
		machine=(-machine q35,accel=tcg -m 512
			-drive if=pflash,format=raw,unit=0,readonly=on,file="$OVMF_CODE"
			-drive if=pflash,format=raw,unit=1,file="$log.vars")
	fi
	timeout "$limit" qemu-system-x86_64 "${machine[@]}" -display none -nodefaults -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-chardev file,id=com1,path="$log" -serial chardev:com1 "${drive[@]}" </dev/null >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		grep -aq "$mark" "$log" 2>/dev/null && break
		sleep 0.2
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	tr -d '\r\033' <"$log" 2>/dev/null | grep -a -o "$mark.*" | head -n 1
	grep -aq "$mark" "$log" 2>/dev/null || { tr -d '\r\033' <"$log" | tail -n 5; return 1; }
}

# catalog_entries IMG: xorriso's El Torito entries without their LBAs (the two writers place
# files differently): platform, bootable, emulation, load segment, type, load size, path.
catalog_entries() {
	xorriso -indev "$1" -report_el_torito plain 2>/dev/null |
		awk '/^El Torito boot img/ { print "entry", $6, $7, $8, $9, $10, $11, $12 }
		     /^El Torito img path/ { print "path", $6, $7 }
		     /^El Torito img opts/ { $1 = $2 = $3 = $4 = $5 = ""; print "opts", $0 }'
}

# same_catalog A B: both images have the same El Torito entries.
same_catalog() {
	catalog_entries "$1" >"$SCRATCH/cat-a.txt"
	catalog_entries "$2" >"$SCRATCH/cat-b.txt"
	cat "$SCRATCH/cat-a.txt"
	[ -s "$SCRATCH/cat-a.txt" ] && diff "$SCRATCH/cat-a.txt" "$SCRATCH/cat-b.txt"
}

# same_files A B [PATH...]: the Rock Ridge trees of both images, extracted by xorriso, hold
# the same names and contents; each PATH is a boot image the writers patch with its own
# LBAs: compared with bytes 8-63 (boot info table) and 2548-2555 (GRUB's field) masked; a
# PATH written -PATH (the boot catalog: its LBAs) is only required in both.
same_files() {
	local a=$1 b=$2 p
	shift 2
	chmod -R u+rwx "$SCRATCH/xa" "$SCRATCH/xb" 2>/dev/null
	rm -rf "$SCRATCH/xa" "$SCRATCH/xb"
	xorriso_extract rr "$a" "$SCRATCH/xa" >/dev/null && xorriso_extract rr "$b" "$SCRATCH/xb" >/dev/null ||
		return 1
	# mkisofs -r makes directories read-only; the patched boot images are set aside below.
	chmod -R u+rwx "$SCRATCH/xa" "$SCRATCH/xb"
	for p in "$@"; do
		case $p in -*)
			p=${p#-}
			[ -f "$SCRATCH/xa/$p" ] && [ -f "$SCRATCH/xb/$p" ] || { echo "$p is not in both"; return 1; }
			rm -f "$SCRATCH/xa/$p" "$SCRATCH/xb/$p"
			continue ;;
		esac
		"$IT_PY" - "$SCRATCH/xa/$p" "$SCRATCH/xb/$p" <<'PY' || return 1
import sys
def masked(path):
    b = bytearray(open(path, 'rb').read())
    for lo, hi in ((8, 64), (2548, 2556)):
        b[lo:min(hi, len(b))] = bytes(max(0, min(hi, len(b)) - lo))
    return bytes(b)
a, b = masked(sys.argv[1]), masked(sys.argv[2])
if a != b:
    sys.exit("%s differs outside its patched fields" % sys.argv[1])
PY
		rm -f "$SCRATCH/xa/$p" "$SCRATCH/xb/$p"
	done
	diff -r "$SCRATCH/xa" "$SCRATCH/xb" && echo "$(find "$SCRATCH/xa" -type f | wc -l) files agree"
}

# system_area IMG: xorriso's one-line summary of the system area
system_area() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null | sed -n 's/^System area summary: //p'
}

# same_system_area A B: xorriso sees the same kind of system area in both (but for the
# Apple Partition Map that xorriso adds for HFS+, which mkimage leaves out).
same_system_area() {
	local a b
	a=$(system_area "$1") b=$(system_area "$2")
	b=${b% APM}
	echo "$a / $b"
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# write_twin_wrapper FILE REF: a program for grub-mkrescue --xorriso=FILE that runs mkimage
# with the arguments it gets, then (for a real call, not a -help probe) xorriso with the
# same arguments but -o REF: both see the same temporary tree, so their images can agree.
write_twin_wrapper() {
	cat >"$1" <<WRAP || die "cannot write $1"
#!/bin/bash
"$MKIMAGE" "\$@" || exit
case " \$* " in *" -help "*|*" --help "*|*" -version "*|*" --version "*) exit 0 ;; esac
args=()
while [ \$# -gt 0 ]; do
	args+=("\$1")
	if [ "\$1" = -o ] || [ "\$1" = --output ] || [ "\$1" = -output ]; then shift; args+=("$2"); fi
	shift
done
exec xorriso "\${args[@]}" 2>/dev/null
WRAP
	chmod +x "$1"
}
