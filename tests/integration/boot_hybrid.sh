#!/bin/bash
# Hybrid images (spec/eltorito.md): `mkimage --hybrid-mbr` writes a partition table into
# the system area, so that one .iso boots as a CD and, copied byte for byte to a USB stick,
# as a hard disk. Proven here with the payloads of tests/boot/ (built from source) in QEMU
# (TCG, hard time limits):
#   - SeaBIOS boots the image as a HARD DISK: the MBR code (tests/boot/hybrid_mbr.asm) reads
#     the El Torito BIOS image at the LBA mkimage wrote at byte 432 and the PVD, and says so;
#   - the same image still boots as a CD under SeaBIOS and OVMF (El Torito);
#   - OVMF boots it as a hard disk through the partition table (HD(...) in the UEFI
#     payload's device path): the GPT image as made; the MBR image once its El Torito
#     identifier is changed, because OVMF (edk2) looks for El Torito before an MBR;
#   - our own reading of the MBR and GPT bytes, sfdisk, fdisk, xorriso's system area report
#     and dumpet agree with the layout meant (starts, sizes, types, the El Torito LBAs that
#     xorriso and isoinfo report), for both tables, a UDF bridge with the GPT, a BIOS-only
#     image and one without boot code;
#   - bad hybrid options fail with a message and nothing written; images are reproducible,
#     also through a pipe.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"
it_init boot_hybrid
require_tools nasm gcc ld objcopy mkfs.fat mmd mcopy qemu-system-x86_64 xorriso isoinfo dumpet \
	sfdisk fdisk udfinfo timeout cmp
UDFREAD=${top_builddir:-$IT_DIR/../..}/tests/udfread_list
[ -x "$UDFREAD" ] || die "tests/udfread_list is not built (make check builds it; needs libudfread-dev)"
boot_require_uefi
"$MKIMAGE" --help 2>&1 | grep -q -- '--hybrid-mbr' ||
	{ echo "FAIL: $MKIMAGE --help lists no --hybrid-mbr (hybrid images are not built in)"; exit 1; }

B=$SCRATCH/build
boot_build_uefi "$B"
ESP=$B/efiboot.img
boot_nasm bios_noemul "$B/bios.bin"
boot_nasm hybrid_mbr "$B/mbr.bin"
[ "$(stat -c %s "$B/mbr.bin")" = 432 ] || die "hybrid_mbr.asm did not give 432 bytes"
EFI_SECTORS=$((($(stat -c %s "$ESP") + 511) / 512))

SRC=$SCRATCH/src
boot_src_tree "$SRC" "$ESP" "$B/bios.bin"
export SOURCE_DATE_EPOCH=1700000000
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B

# The two images. MBR table: the boot images from disk (hidden in /boot.images); GPT table:
# the boot images are paths in the image.
M=$SCRATCH/mbr.iso
G=$SCRATCH/gpt.iso
MBR_ARGS=(--boot-bios "$B/bios.bin" --boot-info-table --boot-efi "$ESP" --hybrid-mbr "$B/mbr.bin"
	--hybrid-table mbr)
GPT_ARGS=(--boot-bios isolinux/isolinux.bin --boot-info-table --boot-efi EFI/efiboot.img
	--hybrid-mbr "$B/mbr.bin" --hybrid-table gpt)
check "mkimage --hybrid-mbr --hybrid-table mbr with BIOS and EFI entries" mkimg -o "$M" "${MBR_ARGS[@]}" "$SRC"
check "mkimage --hybrid-mbr --hybrid-table gpt with BIOS and EFI entries" mkimg -o "$G" "${GPT_ARGS[@]}" "$SRC"
if [ ! -s "$M" ] || [ ! -s "$G" ]; then it_finish; fi

# The El Torito layout as independent readers see it; everything below is checked against
# these numbers. et_lbas IMG: "BIOS-LBA EFI-LBA" from xorriso's report.
et_lbas() {
	eltorito_report "$1" | awk '/El Torito boot img/ && $7 == "BIOS" { b = $NF }
		/El Torito boot img/ && $7 == "UEFI" { e = $NF } END { print b, e }'
}

# eltorito_agree IMG BIOS-PATH EFI-PATH: xorriso's entries (platform, no emulation, 4 and
# EFI_SECTORS sectors), dumpet's catalog (platform 0 then a section for 0xEF, the same load
# RBAs and counts) and isoinfo's extents of the two boot files all give the same LBAs.
eltorito_agree() {
	local img=$1 bpath=$2 epath=$3 b e
	read -r b e < <(et_lbas "$img")
	echo "xorriso: BIOS image at $b, EFI image at $e"
	has_report "$img" "^El Torito boot img : +1 +BIOS +y +none +0x0000 +0x00 +4 +$b\$" \
		"^El Torito boot img : +2 +UEFI +y +none +0x0000 +0x00 +$EFI_SECTORS +$e\$" \
		"^El Torito img path : +1 +$bpath\$" "^El Torito img path : +2 +$epath\$" || return 1
	dumpet -i "$img" >"$SCRATCH/dumpet.txt" 2>&1 || { cat "$SCRATCH/dumpet.txt"; return 1; }
	"$IT_PY" - "$SCRATCH/dumpet.txt" "$b" "$e" "$EFI_SECTORS" <<'EOF' || return 1
import re, sys
text = open(sys.argv[1]).read()
bios, efi, count = (int(x) for x in sys.argv[2:5])
# dumpet prints the catalog's entries in order, each a block of tab-indented fields
blocks = re.split(r'\n(?=\S)', text.strip())
names = [b.split('\n', 1)[0].rstrip(':') for b in blocks]
want = ['Validation Entry', 'Boot Catalog Default Entry', 'Section Header Entry',
        'Boot Catalog Section Entry']
assert names == want, f'dumpet entries {names}, want {want}'
field = lambda b, k: re.search(r'\t' + k + r': (\S+)', blocks[b]).group(1)
checks = [(field(0, 'PlatformId'), '0x00'), (field(1, 'Boot Media emulation type'), 'no'),
          (field(1, 'Load Sectors'), '4'), (field(1, 'Load LBA'), str(bios)),
          (field(2, 'PlatformId'), '0xef'), (field(2, 'Section Entries'), '1'),
          (field(3, 'Load Sectors'), str(count)), (field(3, 'Load LBA'), str(efi))]
for got, exp in checks:
    assert got == exp, f'dumpet says {got}, want {exp}'
print(f'dumpet: platform 0x00 default entry at {bios}, section 0xef entry at {efi} ({count} sectors)')
EOF
	isoinfo -l -i "$img" >"$SCRATCH/isoinfo.txt" 2>&1 || { cat "$SCRATCH/isoinfo.txt"; return 1; }
	"$IT_PY" - "$SCRATCH/isoinfo.txt" "$bpath" "$b" "$epath" "$e" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
extent, cwd = {}, None
for line in text.splitlines():
    m = re.match(r'Directory listing of (\S+)', line)
    if m:
        cwd = m.group(1)
        continue
    m = re.search(r'\[ *(\d+) +\d+\]  (.*?) *$', line)
    if m and cwd:
        extent[(cwd + m.group(2)).split(';')[0].upper()] = int(m.group(1))
for path, lba in ((sys.argv[2], sys.argv[3]), (sys.argv[4], sys.argv[5])):
    iso = path.upper().replace('.IMAGES/', '_IMAGES/')
    assert extent.get(iso) == int(lba), f'isoinfo: {iso} at {extent.get(iso)}, xorriso: {lba}'
    print(f'isoinfo: {iso} at {lba}')
EOF
}
check "MBR image: xorriso, dumpet and isoinfo agree on the El Torito entries" \
	eltorito_agree "$M" /boot.images/bios.img /boot.images/efi.img
check "GPT image: xorriso, dumpet and isoinfo agree on the El Torito entries" \
	eltorito_agree "$G" /isolinux/isolinux.bin /EFI/efiboot.img

# layout IMG TABLE CODE: our own reading of the system area (and, for GPT, of the backup at
# the end) against what is meant, from the El Torito LBAs and the ISO's size. CODE is the
# --hybrid-mbr file or "-" for none; TABLE is mbr, mbr-noefi or gpt. Prints the identifiers
# (disk signature, GUIDs) as shell assignments to $SCRATCH/ids.sh for the later checks.
layout() {
	local img=$1 table=$2 code=$3 b e
	read -r b e < <(et_lbas "$img")
	"$IT_PY" - "$img" "$table" "$code" "$b" "${e:-0}" "$EFI_SECTORS" "$SCRATCH/ids.sh" <<'EOF'
import struct, sys, uuid, zlib
img, table, code = sys.argv[1:4]
bios, efi, efi_sectors = (int(x) for x in sys.argv[4:7])
f = open(img, 'rb').read()
bad = []
def want(ok, msg):
    if not ok:
        bad.append(msg)
vss = struct.unpack_from('<I', f, 16 * 2048 + 80)[0]    # ECMA-119 8.4.8, volume space size
iso512 = vss * 4
total = len(f) // 512
# GPT: nothing after the ISO volume but the backup entries and header (33 sectors), and
# padding to a whole 2048-byte sector; they may also be inside the volume (grow 0)
grow = range(0, 37) if table == 'gpt' else range(0, 1)
want(len(f) % 512 == 0 and total - iso512 in grow,
     f'image is {len(f)} bytes, want the ISO ({iso512} sectors of 512) + {grow.start} to {grow.stop - 1} sectors')
m = f[:512]
mbr_code = open(code, 'rb').read()[:432] if code != '-' else bytes(432)
want(m[:432] == mbr_code, 'bytes 0-431 are not ' + (code if code != '-' else 'zeros'))
want(struct.unpack_from('<Q', m, 432)[0] == bios * 4,
     f'bytes 432-439 hold {struct.unpack_from("<Q", m, 432)[0]}, want the BIOS image LBA {bios} * 4')
sig = struct.unpack_from('<I', m, 440)[0]
want(m[444:446] == b'\0\0', 'bytes 444-445 are not zero')
want(m[510:512] == b'\x55\xaa', 'no 55 AA at 510')
parts = []
for i in range(4):
    e = m[446 + 16 * i:462 + 16 * i]
    parts.append((e[0], e[4], *struct.unpack_from('<II', e, 8)))
    print(f'MBR entry {i + 1}: status {e[0]:#04x} type {e[4]:#04x} start {parts[-1][2]} size '
          f'{parts[-1][3]} CHS {e[1:4].hex()}-{e[5:8].hex()}')
flag = 0x80 if code != '-' else 0
if table == 'mbr':
    meant = [(flag, 0x00, 0, total), (0, 0xEF, efi * 4, efi_sectors), (0, 0, 0, 0), (0, 0, 0, 0)]
elif table == 'mbr-noefi':
    meant = [(flag, 0x17, 0, total), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)]
else:   # UEFI 2.x 5.2.3: protective MBR, boot indicator 0, from LBA 1 over the disk
    meant = [(0, 0xEE, 1, min(total - 1, 0xFFFFFFFF)), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)]
for i in range(4):
    want(parts[i] == meant[i], f'MBR entry {i + 1} is (status, type, start, size) = '
         f'{tuple(hex(x) if j < 2 else x for j, x in enumerate(parts[i]))}, want '
         f'{tuple(hex(x) if j < 2 else x for j, x in enumerate(meant[i]))}')
# CHS of the MBR's own entries, for BIOSes that still use them: the LBAs in one geometry,
# isohybrid's 64 heads x 32 sectors or 255 x 63 (cylinders beyond 1023: the largest value)
def chs(lba, heads, secs):
    c, h, s = lba // (heads * secs), lba // secs % heads, lba % secs + 1
    if c > 1023:
        c, h, s = 1023, heads - 1, secs
    return bytes([h, s | (c >> 2 & 0xC0), c & 0xFF])
if table != 'gpt':
    used = [i for i in range(4) if parts[i][3]]
    fits = lambda g: all(m[446 + 16 * i + 1:446 + 16 * i + 4] == chs(parts[i][2], *g) and
                         m[446 + 16 * i + 5:446 + 16 * i + 8] == chs(parts[i][2] + parts[i][3] - 1, *g)
                         for i in used)
    want(fits((64, 32)) or fits((255, 63)), 'the CHS addresses do not match the LBAs (64 x 32 or 255 x 63)')
ids = [f'DISK_SIG=0x{sig:08x}', f'BOOTABLE={1 if flag else 0}']
if table != 'gpt':
    want(f[512:32768] == bytes(32768 - 512), 'the system area after the MBR is not zero')
else:
    ESP = uuid.UUID('C12A7328-F81F-11D2-BA4B-00A0C93EC93B')
    def header(lba, alt, entries_lba, what, last_usable):
        h = f[lba * 512:lba * 512 + 512]
        want(h[:8] == b'EFI PART', f'{what} GPT header: no EFI PART at LBA {lba}')
        rev, size, crc, res, my, other, first, last = struct.unpack_from('<IIIIQQQQ', h, 8)
        disk = uuid.UUID(bytes_le=h[56:72])
        ent_lba, n, esize, ecrc = struct.unpack_from('<QIII', h, 72)
        want(rev == 0x00010000 and size == 92 and res == 0, f'{what} GPT header: revision {rev:#x} size {size}')
        want(zlib.crc32(h[:16] + b'\0\0\0\0' + h[20:92]) == crc, f'{what} GPT header: bad CRC32')
        want(h[92:] == bytes(420), f'{what} GPT header: bytes 92-511 not zero')
        want((my, other, first) == (lba, alt, 34),
             f'{what} GPT header: my/alternate/first usable LBA {(my, other, first)}, want {(lba, alt, 34)}')
        # the last usable LBA: at most the one before the backup array, the same in both
        want(last <= total - 34 and (last_usable is None or last == last_usable),
             f'{what} GPT header: last usable LBA {last}, want at most {total - 34} (and the same in both)')
        want((ent_lba, n, esize) == (entries_lba, 128, 128),
             f'{what} GPT header: entries at {ent_lba}, {n} of {esize} bytes; want {entries_lba}, 128 of 128')
        arr = f[ent_lba * 512:ent_lba * 512 + 128 * 128]      # where it says (checked above)
        want(zlib.crc32(arr) == ecrc, f'{what} GPT: the entry array does not match its CRC32')
        return disk, arr, last, ent_lba
    disk, arr, last, _ = header(1, total - 1, 2, 'primary', None)
    # the backup array right before the backup header, as gdisk, libfdisk and libisofs
    # write it (and libisofs expects: "Implausible array LBA" otherwise)
    disk2, arr2, _, arr2_lba = header(total - 1, 1, total - 33, 'backup', last)
    if iso512 < total - 33:
        tail = bytearray(f[iso512 * 512:(total - 1) * 512])
        if iso512 <= arr2_lba <= total - 33:
            tail[(arr2_lba - iso512) * 512:(arr2_lba - iso512 + 32) * 512] = bytes(32 * 512)
        want(tail == bytes(len(tail)), 'between the ISO and the backup header: more than the backup array')
    want(disk == disk2 and arr == arr2, 'the backup GPT differs from the primary')
    want(disk.int != 0, 'the disk GUID is zero')
    ptype, pguid = uuid.UUID(bytes_le=arr[:16]), uuid.UUID(bytes_le=arr[16:32])
    start, end, attrs = struct.unpack_from('<QQQ', arr, 32)
    name = arr[56:128].decode('utf-16-le').rstrip('\0')
    print(f'GPT disk {disk}, entry 1: type {ptype} guid {pguid} {start}-{end} attrs {attrs:#x} name {name!r}')
    want(ptype == ESP, f'GPT entry 1 type {ptype}, want the EFI System Partition {ESP}')
    want(pguid.int != 0 and pguid != disk, 'GPT entry 1: zero GUID or the disk GUID')
    want((start, end) == (efi * 4, efi * 4 + efi_sectors - 1),
         f'GPT entry 1 covers {start}-{end}, want the EFI image {efi * 4}-{efi * 4 + efi_sectors - 1}')
    want(34 <= start and end <= last, f'GPT entry 1 ({start}-{end}) is not within the usable LBAs 34-{last}')
    want(arr[128:] == bytes(127 * 128), 'GPT entries 2-128 are not empty')
    want(f[34 * 512:32768] == bytes(32768 - 34 * 512), 'the system area after the GPT is not zero')
    ids += [f'DISK_GUID={disk}', f'PART_GUID={pguid}', f'LAST_USABLE={last}']
print(f'MBR disk signature {sig:#010x}; {total} sectors of 512')
open(sys.argv[7], 'w').write('\n'.join(ids) + '\n')
for b in bad:
    print('WRONG:', b)
sys.exit(1 if bad else 0)
EOF
}

# sfdisk_agrees IMG TABLE: sfdisk --json lists exactly the partitions meant, and neither
# sfdisk nor fdisk -l warns (a bad CRC, a protective MBR of the wrong size...); fdisk's
# device lines say the same. Needs $SCRATCH/ids.sh from layout.
sfdisk_agrees() {
	local img=$1 table=$2 b e
	read -r b e < <(et_lbas "$img")
	sfdisk --json "$img" >"$SCRATCH/sfdisk.json" 2>"$SCRATCH/sfdisk.err" || { cat "$SCRATCH/sfdisk.err"; return 1; }
	fdisk -l "$img" >"$SCRATCH/fdisk.txt" 2>&1 || { cat "$SCRATCH/fdisk.txt"; return 1; }
	cat "$SCRATCH/sfdisk.json" "$SCRATCH/sfdisk.err" "$SCRATCH/fdisk.txt"
	[ ! -s "$SCRATCH/sfdisk.err" ] || { echo "sfdisk warned"; return 1; }
	! grep -Eiq 'corrupt|mismatch|invalid|not start|overlap' "$SCRATCH/fdisk.txt" || { echo "fdisk warned"; return 1; }
	# shellcheck disable=SC1091
	. "$SCRATCH/ids.sh"
	"$IT_PY" - "$SCRATCH/sfdisk.json" "$SCRATCH/fdisk.txt" "$img" "$table" "$b" "${e:-0}" "$EFI_SECTORS" \
		"$(($(stat -c %s "$img") / 512))" "$DISK_SIG" "${DISK_GUID:-}" "${PART_GUID:-}" "$ESP_TYPE" \
		"$BOOTABLE" "${LAST_USABLE:-0}" <<'EOF'
import json, re, sys
js, fd, img, table = sys.argv[1:5]
bios, efi, n, total = (int(x) for x in sys.argv[5:9])
sig, disk, part, esp = sys.argv[9:13]
active = sys.argv[13] == '1'
last_usable = int(sys.argv[14])
star = r' +\*' if active else ''
boot = {'bootable': True} if active else {}
t = json.load(open(js))['partitiontable']
got = [{k: p[k] for k in ('start', 'size', 'type', 'bootable', 'uuid') if k in p} for p in t['partitions']]
if table == 'mbr':
    label, ident = 'dos', sig
    meant = [{'start': 0, 'size': total, 'type': '0', **boot},
             {'start': efi * 4, 'size': n, 'type': 'ef'}]
    fdisk = [(r'1%s +0 +%d +%d +\S+ +0 +Empty' % (star, total - 1, total)),
             (r'2 +%d +%d +%d +\S+ +ef +EFI \(FAT-12/16/32\)' % (efi * 4, efi * 4 + n - 1, n))]
elif table == 'mbr-noefi':
    label, ident = 'dos', sig
    meant = [{'start': 0, 'size': total, 'type': '17', **boot}]
    fdisk = [r'1%s +0 +%d +%d +\S+ +17 +Hidden HPFS/NTFS' % (star, total - 1, total)]
else:
    label, ident = 'gpt', disk.upper()
    meant = [{'start': efi * 4, 'size': n, 'type': esp, 'uuid': part.upper()}]
    fdisk = [r'1 +%d +%d +%d +\S+ +EFI System' % (efi * 4, efi * 4 + n - 1, n)]
    assert (t['firstlba'], t['lastlba']) == (34, last_usable), (t['firstlba'], t['lastlba'])
assert t['label'] == label and t['id'].lower() == ident.lower(), (t['label'], t['id'], label, ident)
assert t['sectorsize'] == 512, t['sectorsize']
assert got == meant, f'sfdisk: {got}\nmeant:  {meant}'
lines = [l for l in open(fd).read().splitlines() if l.startswith(img)]
assert len(lines) == len(fdisk), f'fdisk lists {len(lines)} partitions, want {len(fdisk)}'
for line, pat in zip(lines, fdisk):
    assert re.fullmatch(re.escape(img) + pat, line.rstrip()), f'fdisk: {line!r} does not match {pat!r}'
ident_line = 'Disk identifier: ' + ident
assert ident_line.lower() in open(fd).read().lower(), f'fdisk has no {ident_line!r}'
print('sfdisk and fdisk: the partitions meant')
EOF
}

# system_area_report IMG TABLE EFI-PATH: xorriso -report_system_area (libisofs' own reading,
# which drops a GPT whose CRCs are wrong) shows the same partitions, and finds the EFI boot
# image's file behind the EFI partition.
system_area_report() {
	local img=$1 table=$2 epath=$3 b e total n re
	read -r b e < <(et_lbas "$img")
	total=$(($(stat -c %s "$img") / 512))
	xorriso -indev "$img" -report_system_area plain 2>/dev/null >"$SCRATCH/sysarea.txt"
	cat "$SCRATCH/sysarea.txt"
	# shellcheck disable=SC1091
	. "$SCRATCH/ids.sh"
	case $table in
	mbr) set -- '^System area summary: MBR( |$)' \
		"^MBR partition +: +1 +0x80 +0x00 +0 +$total\$" \
		"^MBR partition +: +2 +0x00 +0xef +$((e * 4)) +$EFI_SECTORS\$" \
		"^MBR partition path +: +2 +$epath\$"
		n=2 ;;
	gpt) set -- '^System area summary: MBR protective-msdos-label .*GPT' \
		"^MBR partition +: +1 +0x00 +0xee +1 +$((total - 1))\$" \
		"^GPT disk GUID +: +$(guid_hex "$DISK_GUID")\$" \
		"^GPT entry array +: +2 +128 +separated\$" \
		"^GPT lba range +: +34 +$LAST_USABLE +$((total - 1))\$" \
		"^GPT partition GUID +: +1 +$(guid_hex "$PART_GUID")\$" \
		"^GPT type GUID +: +1 +$(guid_hex "$ESP_TYPE")\$" \
		"^GPT start and size +: +1 +$((e * 4)) +$EFI_SECTORS\$" \
		"^GPT partition path +: +1 +$epath\$"
		n=1 ;;
	*) die "system_area_report: table $table" ;;
	esac
	for re in "$@" "^ISO image size/512 +: +$(($(isoinfo -d -i "$img" | awk '/^Volume size is:/ { print $4 }') * 4))\$"; do
		grep -Eq -- "$re" "$SCRATCH/sysarea.txt" || { echo "no line matches: $re"; return 1; }
	done
	# nothing more: no further MBR entry, no GPT entry 2, no GPT at all in an MBR image; no
	# complaint about the GPT ("GPT backup problems: ...")
	! grep -Eq "^MBR partition +: +$((n + 1)) |^GPT partition GUID +: +2 " "$SCRATCH/sysarea.txt" ||
		{ echo "more partitions than meant"; return 1; }
	! grep -Eq "problem" "$SCRATCH/sysarea.txt" || { echo "xorriso found problems"; return 1; }
	[ "$table" = gpt ] || ! grep -q '^GPT' "$SCRATCH/sysarea.txt" || { echo "a GPT in an MBR image"; return 1; }
}
# guid_hex GUID: its 16 bytes as stored on disk (mixed endian), as xorriso prints them
guid_hex() { "$IT_PY" -c 'import sys, uuid; print(uuid.UUID(sys.argv[1]).bytes_le.hex())' "$1"; }

check "MBR image: the MBR (code, boot image LBA, table) and the rest of the system area" layout "$M" mbr "$B/mbr.bin"
check "MBR image: sfdisk --json and fdisk -l show exactly the partitions meant" sfdisk_agrees "$M" mbr
check "MBR image: xorriso -report_system_area agrees" system_area_report "$M" mbr /boot.images/efi.img
MBR_SIG=$DISK_SIG
check "GPT image: protective MBR, primary and backup GPT (CRCs, LBAs, the ESP entry)" layout "$G" gpt "$B/mbr.bin"
check "GPT image: sfdisk --json and fdisk -l show exactly the partitions meant" sfdisk_agrees "$G" gpt
check "GPT image: xorriso -report_system_area agrees" system_area_report "$G" gpt /EFI/efiboot.img
GPT_PART=$PART_GUID

# A UDF bridge with the GPT: the same layout (the backup GPT after the volume), and both
# file systems still read (udfinfo's volume structures, libudfread's listing).
U=$SCRATCH/bridge.iso
check "mkimage --fs iso9660,joliet,rockridge,udf --hybrid-mbr --hybrid-table gpt" mkimg -o "$U" \
	--fs iso9660,joliet,rockridge,udf "${GPT_ARGS[@]}" "$SRC"
check "bridge: protective MBR, primary and backup GPT" layout "$U" gpt "$B/mbr.bin"
check "bridge: sfdisk --json and fdisk -l show exactly the partitions meant" sfdisk_agrees "$U" gpt
check "bridge: xorriso -report_system_area agrees" system_area_report "$U" gpt /EFI/efiboot.img
BRIDGE_PART=$PART_GUID
check "bridge: udfinfo reads the UDF volume (closed)" sh -c 'udfinfo "$0" >"$1" 2>&1; rc=$?; cat "$1"
	[ $rc = 0 ] && grep -qx integrity=closed "$1"' "$U" "$SCRATCH/udfinfo.txt"
check "bridge: libudfread lists and reads the files" sh -c '"$0" "$1" "$2" && cat "$2" &&
	grep -q "\"path\": \"hello.txt\", \"type\": \"file\", \"size\": 6" "$2"' "$UDFREAD" "$U" "$SCRATCH/udfread.json"

# Booting. bios_hd_boots IMG: SeaBIOS runs the MBR code from IMG as a hard disk; it finds the
# BIOS image at the LBA xorriso reports (times 4) and the PVD.
bios_hd_boots() {
	local log=$SCRATCH/hd.log b e want rc
	read -r b e < <(et_lbas "$1")
	qemu_bios hd "$1" "$log"
	rc=$?
	cat "$log"
	[ "$rc" = 33 ] || { echo "qemu exit status $rc, want 33"; return 1; }
	want=$(printf 'hybrid mbr: boot image at 512-LBA 0x%08X ok, PVD ok' $((b * 4)))
	tr -d '\r' <"$log" | grep -qx "$want" || { echo "want: $want"; return 1; }
}
# bios_hd_fails IMG REASON: the MBR code runs and finds what is wrong.
bios_hd_fails() {
	local log=$SCRATCH/hd.log rc
	qemu_bios hd "$1" "$log"
	rc=$?
	cat "$log"
	[ "$rc" = 35 ] && grep -q "FAIL: $2" "$log"
}
check "SeaBIOS boots the MBR image as a hard disk; the MBR code finds the boot image and PVD" bios_hd_boots "$M"
check "SeaBIOS boots the GPT image as a hard disk; the MBR code finds the boot image and PVD" bios_hd_boots "$G"
check "SeaBIOS boots the MBR image as a CD (El Torito; the BIOS payload's checks pass)" bios_cd_boots "$M"
check "SeaBIOS boots the GPT image as a CD (El Torito; the BIOS payload's checks pass)" bios_cd_boots "$G"
# A negative control: the LBA at byte 432 four sectors off.
cp "$M" "$SCRATCH/off.iso"
read -r BL _ < <(et_lbas "$M")
"$IT_PY" -c 'import struct, sys
f = open(sys.argv[1], "r+b"); f.seek(432); f.write(struct.pack("<Q", int(sys.argv[2]) * 4 + 4))' \
	"$SCRATCH/off.iso" "$BL"
check "the MBR code notices a wrong boot image LBA at byte 432" bios_hd_fails "$SCRATCH/off.iso" "no signature"
check_fails "our reading of the MBR notices it too" layout "$SCRATCH/off.iso" mbr "$B/mbr.bin"

# OVMF: four boots of about 4 s each, two at a time. The MBR image as a hard disk: edk2's
# partition driver tries El Torito before the MBR, so it boots through the catalog
# (CDROM(...) on the disk); a copy whose boot record identifier is changed ("EL TORITO
# SPECIFICATION" at LBA 17, byte 7) leaves only the MBR: HD(2,MBR,<disk signature>).
cp "$M" "$SCRATCH/mbr-noet.iso"
printf 'X' | dd of="$SCRATCH/mbr-noet.iso" bs=1 seek=$((17 * 2048 + 7)) conv=notrunc status=none
bg_run uefi_gpt_hd uefi_boots hd "$G" "/Sata\\([^)]*\\)/HD\\(1,GPT,$GPT_PART\\)"
bg_run uefi_mbr_hd uefi_boots hd "$SCRATCH/mbr-noet.iso" "/Sata\\([^)]*\\)/HD\\(2,MBR,$MBR_SIG\\)"
bg_check uefi_gpt_hd "OVMF boots the GPT image as a hard disk through the GPT: HD(1,GPT,<its GUID>)"
bg_check uefi_mbr_hd "OVMF boots the MBR image (El Torito hidden) as a hard disk through the MBR: HD(2,MBR,<signature>)"
bg_run uefi_gpt_cd uefi_boots cd "$G"
bg_run uefi_mbr_cd uefi_boots cd "$M"
bg_check uefi_gpt_cd "OVMF boots the GPT image as a CD (CDROM(...))"
bg_check uefi_mbr_cd "OVMF boots the MBR image as a CD (CDROM(...))"
bg_run uefi_mbr_made uefi_boots hd "$M" '/Sata\([^)]*\)/(CDROM\([^)]*\)|HD\(2,MBR,'"$MBR_SIG"'\))'
bg_run uefi_bridge_hd uefi_boots hd "$U" "/Sata\\([^)]*\\)/HD\\(1,GPT,$BRIDGE_PART\\)"
bg_check uefi_mbr_made "OVMF boots the MBR image as made from a hard disk (El Torito first: CDROM(...))"
bg_check uefi_bridge_hd "OVMF boots the UDF bridge as a hard disk through the GPT"
check "SeaBIOS boots the UDF bridge as a hard disk; the MBR code finds the boot image and PVD" bios_hd_boots "$U"

# Without an EFI entry: one partition over the image, type 17h (isohybrid's), active only
# with boot code; without --hybrid-mbr the code bytes stay zero.
N1=$SCRATCH/noefi.iso
check "mkimage --hybrid-mbr with a BIOS entry only" mkimg -o "$N1" --boot-bios "$B/bios.bin" \
	--boot-info-table --hybrid-mbr "$B/mbr.bin" "$SRC"
check "BIOS only: the MBR and system area" layout "$N1" mbr-noefi "$B/mbr.bin"
check "BIOS only: sfdisk and fdisk" sfdisk_agrees "$N1" mbr-noefi
check "BIOS only: SeaBIOS boots it as a hard disk" bios_hd_boots "$N1"
N2=$SCRATCH/nocode.iso
check "mkimage --hybrid (no boot code) with BIOS and EFI entries" mkimg -o "$N2" --boot-bios "$B/bios.bin" \
	--boot-info-table --boot-efi "$ESP" --hybrid --hybrid-table mbr "$SRC"
check "--hybrid alone: zero code, entry 1 not active, the EFI partition" layout "$N2" mbr -

# Reproducible: the same bytes again, and through a pipe.
check "mkimage again (MBR table)" mkimg -o "$SCRATCH/mbr2.iso" "${MBR_ARGS[@]}" "$SRC"
check "the MBR image is byte-identical when built twice" cmp "$M" "$SCRATCH/mbr2.iso"
check "mkimage again (GPT table)" mkimg -o "$SCRATCH/gpt2.iso" "${GPT_ARGS[@]}" "$SRC"
check "the GPT image is byte-identical when built twice" cmp "$G" "$SCRATCH/gpt2.iso"
# With an EFI entry the table is GPT unless --hybrid-table says otherwise (mkimage --help:
# UEFI firmware boots a disk through a GPT); the BIOS-only image above took MBR.
check "mkimage --hybrid-mbr with BIOS and EFI entries, no --hybrid-table" mkimg -o "$SCRATCH/default.iso" \
	"${GPT_ARGS[@]:0:${#GPT_ARGS[@]}-2}" "$SRC"
check "the default table with an EFI entry is GPT (the same bytes)" cmp "$G" "$SCRATCH/default.iso"
check "mkimage -o - | cat (GPT table)" bash -c 'set -o pipefail; "$MKIMAGE" -o - "$@" | cat >"$0"' "$SCRATCH/gpt3.iso" \
	"${GPT_ARGS[@]}" "$SRC"
check "the GPT image written to a pipe is the same bytes" cmp "$G" "$SCRATCH/gpt3.iso"

# Bad input: exit status not 0, a message naming the problem, nothing at OUT.
OUTD=$SCRATCH/out
mkdir -p "$OUTD"
refused() {
	local re=$1 rc
	shift
	"$MKIMAGE" -o "$OUTD/x.iso" "$@" "$SRC" >/dev/null 2>"$SCRATCH/err.txt"
	rc=$?
	cat "$SCRATCH/err.txt"
	[ "$rc" != 0 ] || { echo "exit status 0"; return 1; }
	grep -Eiq -- "$re" "$SCRATCH/err.txt" || { echo "no message matching: $re"; return 1; }
	[ -z "$(ls -A "$OUTD")" ] || { echo "left: $(ls -A "$OUTD")"; return 1; }
}
head -c 513 /dev/zero >"$SCRATCH/big.bin"
head -c 431 /dev/zero >"$SCRATCH/small.bin"
head -c 1474560 /dev/zero >"$SCRATCH/fd.img"
check "--hybrid-mbr with a file of 513 bytes" refused 'hybrid-mbr .*big\.bin.*(432|512)' \
	--boot-bios "$B/bios.bin" --hybrid-mbr "$SCRATCH/big.bin"
check "--hybrid-mbr with a file of 431 bytes" refused 'hybrid-mbr .*small\.bin.*(432|512)' \
	--boot-bios "$B/bios.bin" --hybrid-mbr "$SCRATCH/small.bin"
check "--hybrid-mbr with a missing file" refused 'hybrid-mbr.*no/such.bin|no/such.bin.*(no such|not found)' \
	--boot-bios "$B/bios.bin" --hybrid-mbr "$SCRATCH/no/such.bin"
check "--hybrid-mbr without --boot-bios" refused 'hybrid-mbr.*boot-bios' \
	--boot-efi "$ESP" --hybrid-mbr "$B/mbr.bin"
check "--hybrid-mbr with floppy emulation" refused 'hybrid.*(emul|no emulation)|(emul|no emulation).*hybrid' \
	--boot-bios "$SCRATCH/fd.img" --boot-emul floppy --hybrid-mbr "$B/mbr.bin"
check "--hybrid-table gpt without --boot-efi" refused 'gpt.*boot-efi|boot-efi.*gpt' \
	--boot-bios "$B/bios.bin" --hybrid-mbr "$B/mbr.bin" --hybrid-table gpt
check "--hybrid-table with an unknown table" refused "hybrid-table.*apm" \
	--boot-bios "$B/bios.bin" --boot-efi "$ESP" --hybrid-table apm
check "--hybrid without a boot image" refused "hybrid.*boot-bios|boot-bios.*hybrid" --hybrid
it_finish
