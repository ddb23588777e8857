#!/bin/bash
# Peer burners and writeimg on emulated recorders served to the guest's own kernel (issue
# 12 part 3): run-guest.sh -E attaches one recorder per job, each holding a fresh disc in
# a state file on the host, and the kernel's sr/sg drivers drive it as /dev/srN + /dev/sgN
# through LIO's user backstore (tests/guest/emu_tcmu.c). One boot runs every job; each
# result is then read by the guest's kernel (the tray opened and closed, the disc mounted
# with isofs or udf and compared with the source tree, /dev/srN compared with the image)
# and the disc left in the state file on the host is compared with the image.
# A disk-type unit (-E disk:FILE) proves that writeimg refuses a device that is not an
# optical drive before anything is written (exit 3, its bytes unchanged).
#
# PEER_JOBS (space-separated names from the JOB table below) overrides the list: the
# default holds the combinations that pass (all of them now; tests/guest/README-peers.md
# has the results and the CDB traces of the ones that failed before). PEER_KEEP=DIR
# keeps the outputs and the handlers' CDB traces (trace.eN, N the job's place) there.
. "$(dirname "$0")/guest_lib.sh"
it_init guest_peers
guest_require qemu-system-x86_64 wodim cdrskin growisofs xorriso cdrdao sg_start python3 cdparanoia
: "${WRITEIMG:=$top_builddir/writeimg/writeimg}"
: "${EMU_TCMU:=$top_builddir/tests/guest/emu_tcmu}"
export WRITEIMG EMU_TCMU
[ -x "$WRITEIMG" ] || die "no writeimg at $WRITEIMG"
[ -x "$EMU_TCMU" ] || die "no handler at $EMU_TCMU (make check builds tests/guest/emu_tcmu)"

# JOB name -> medium, what the guest runs, how the result is read back:
#   iso: mount -t iso9660 + tree compare + cmp of /dev/srN and of the state file with IMG
#   udf: the same with IMG_UDF and -t udf;  tree: mount and compare the tree only (the peer
#   made its own image);  refused: the peer must stop with REFUSAL[job] in its output before
#   writing anything, as it does with a drive (the disc in the state file stays blank)
declare -A MEDIUM=() CHECK=() REFUSAL=()
job() { MEDIUM[$1]=$2; CHECK[$1]=$3; }
job wodim_tao_cdr cd-r iso
job wodim_sao_cdr cd-r iso
job wodim_blank_tao_cdrw cd-rw iso
job wodim_blank_sao_cdrw cd-rw iso
job cdrskin_tao_cdr cd-r iso
job cdrskin_sao_cdr cd-r iso
job cdrskin_blank_tao_cdrw cd-rw iso
job cdrskin_blank_sao_cdrw cd-rw iso
job growisofs_dvdpr dvd+r iso
job growisofs_dvdmr dvd-r iso
job growisofs_dvdprw dvd+rw iso
job growisofs_bdr bd-r iso
job growisofs_bdre bd-re iso
job growisofs_dvdrw dvd-rw iso
job growisofs_dvdprdl dvd+r-dl iso
job growisofs_dvdmrdl dvd-r-dl refused
# growisofs reads layer 0's end from READ DVD STRUCTURE 10h and will not put an image that
# fits in layer 0 on a DVD-R DL (growisofs_mmc.cpp, poor_mans_setup): the answer to 10h
# is right when it stops with this and nothing was written.
REFUSAL[growisofs_dvdmrdl]=':-( more than 50% of space will be *wasted*!'
job growisofs_dvdram dvd-ram iso
job cdrskin_dvdrw dvd-rw iso
job xorriso_cdr cd-r tree
job xorriso_dvdpr dvd+r tree
job xorriso_cdrw cd-rw tree
job cdrdao_cdr cd-r iso
job writeimg_cdr cd-r iso
job writeimg_dvdpr_udf dvd+r udf
job writeimg_dvdmr dvd-r iso
job writeimg_dvdprw dvd+rw iso
job writeimg_bdr bd-r udf
job writeimg_bdre bd-re iso
job writeimg_dvdrw dvd-rw iso
job writeimg_dvdprdl dvd+r-dl iso
job writeimg_dvdmrdl dvd-r-dl iso
job writeimg_dvdram dvd-ram iso
job writeimg_blank_cdrw cd-rw iso
job writeimg_format_dvdprw dvd+rw iso
job writeimg_sao_cdr cd-r iso
job writeimg_blank_dvdrw dvd-rw iso
job writeimg_check_read_dvdpr dvd+r iso
# CD-DA (issue 15): burned by the peers from a cue/BIN or WAV files, then the TOC as cdrdao
# (disk-info, read-toc) and wodim -toc read it, and every track ripped by cdparanoia and
# compared with the source PCM on the host (audio: the checks of audio_checks below).
job cdrdao_audio_cdr cd-r audio
job cdrdao_mixed_cdr cd-r audio
job wodim_dao_audio_cdr cd-r audio
job wodim_dao_text_cdr cd-r audio
# wodim -tao -audio: the drive writes the 2-second pause before tracks 2 and 3 (page 05h
# Audio Pause Length) and records page 05h's MCN and ISRC.
job wodim_tao_audio_cdr cd-r audio
# ... and by writeimg (issue 15 parts 1-2, when its --help offers --audio): TAO from the
# WAVs with its 2-second pre-gaps, and the cdrdao job's cue/BIN Disc-At-Once.
job writeimg_audio_cdr cd-r audio
job writeimg_cue_cdr cd-r audio
ALL_JOBS="wodim_tao_cdr wodim_sao_cdr wodim_blank_tao_cdrw wodim_blank_sao_cdrw cdrskin_tao_cdr
 cdrskin_sao_cdr cdrskin_blank_tao_cdrw cdrskin_blank_sao_cdrw growisofs_dvdpr growisofs_dvdmr
 growisofs_dvdprw growisofs_bdr growisofs_bdre growisofs_dvdrw growisofs_dvdprdl growisofs_dvdmrdl
 growisofs_dvdram cdrskin_dvdrw xorriso_cdr xorriso_dvdpr xorriso_cdrw cdrdao_cdr
 writeimg_cdr writeimg_dvdpr_udf writeimg_dvdmr writeimg_dvdprw writeimg_bdr writeimg_bdre
 writeimg_dvdrw writeimg_dvdprdl writeimg_dvdmrdl writeimg_dvdram writeimg_blank_cdrw
 writeimg_format_dvdprw writeimg_sao_cdr writeimg_blank_dvdrw writeimg_check_read_dvdpr
 cdrdao_audio_cdr cdrdao_mixed_cdr wodim_dao_audio_cdr wodim_dao_text_cdr writeimg_audio_cdr
 writeimg_cue_cdr wodim_tao_audio_cdr"
# What passes today: every job once writeimg has the options below (README-peers.md has
# the results and the emulator answers corrected for SAO on CD, page 05h on DVD+R and
# DVD STRUCTURE 10h on DVD-R DL; a job that fails again goes out of this list, into the
# README with its CDB trace).
PASSING="wodim_tao_cdr wodim_sao_cdr wodim_blank_tao_cdrw wodim_blank_sao_cdrw cdrskin_tao_cdr
 cdrskin_sao_cdr cdrskin_blank_tao_cdrw cdrskin_blank_sao_cdrw xorriso_cdr xorriso_cdrw cdrdao_cdr
 growisofs_dvdpr growisofs_dvdmrdl growisofs_dvdmr growisofs_dvdprw growisofs_dvdrw growisofs_dvdprdl growisofs_dvdram growisofs_bdr
 growisofs_bdre cdrskin_dvdrw xorriso_dvdpr writeimg_cdr writeimg_dvdpr_udf writeimg_dvdmr
 writeimg_dvdprw writeimg_dvdrw writeimg_dvdprdl writeimg_dvdmrdl writeimg_dvdram writeimg_bdr
 cdrdao_audio_cdr cdrdao_mixed_cdr wodim_dao_audio_cdr wodim_dao_text_cdr wodim_tao_audio_cdr"
# writeimg's --blank, --format, --mode, --check and --read (issue 12 part 2) join as soon
# as its --help offers them; with --format comes formatting a blank BD-RE before writing
# (the emulator wants it).
HELP=$("$WRITEIMG" --help 2>&1)
grep -q -- '--blank' <<<"$HELP" && PASSING="$PASSING writeimg_blank_cdrw"
grep -q -- '--format' <<<"$HELP" && PASSING="$PASSING writeimg_format_dvdprw writeimg_bdre"
grep -q -- '--mode' <<<"$HELP" && PASSING="$PASSING writeimg_sao_cdr"
grep -q -- '--blank' <<<"$HELP" && PASSING="$PASSING writeimg_blank_dvdrw"
grep -q -- '--read' <<<"$HELP" && PASSING="$PASSING writeimg_check_read_dvdpr"
grep -q -- '--audio' <<<"$HELP" && PASSING="$PASSING writeimg_audio_cdr writeimg_cue_cdr"
# ... writeimg's other CD-DA jobs: the MODE1/2352 + AUDIO sheet, gapless with --cd-text,
# and a CD-Extra (audio session, then a data session the kernel's isofs mounts).
job writeimg_mixed_cdr cd-r audio
job writeimg_text_cdr cd-r audio
job writeimg_cdextra_cdr cd-r audio
ALL_JOBS="$ALL_JOBS writeimg_mixed_cdr writeimg_text_cdr writeimg_cdextra_cdr"
grep -q -- '--audio' <<<"$HELP" &&
	PASSING="$PASSING writeimg_mixed_cdr writeimg_text_cdr writeimg_cdextra_cdr"
JOBS=${PEER_JOBS:-$PASSING}
for j in $JOBS; do [ -n "${MEDIUM[$j]:-}" ] || die "PEER_JOBS: no such job: $j"; done

# The source tree and its images (ISO 9660 + Joliet + Rock Ridge; pure UDF).
T=$SCRATCH/tree
mkdir -p "$T/sub/deeper"
gen_bytes payload 2600000 >"$T/payload.bin"
gen_bytes small 5000 >"$T/sub/deeper/small.bin"
printf 'hello from the disc\n' >"$T/sub/hello.txt"
IMG=$SCRATCH/img.iso IMG_UDF=$SCRATCH/img-udf.iso IMG_OLD=$SCRATCH/old.iso
mkimg -o "$IMG" -V PEERDISC "$T" || die "mkimage failed"
mkimg -o "$IMG_UDF" --fs udf -V PEERUDF "$T" || die "mkimage --fs udf failed"
mkdir -p "$SCRATCH/oldtree"
gen_bytes old 700000 >"$SCRATCH/oldtree/old.bin"
mkimg -o "$IMG_OLD" -V OLDDISC "$SCRATCH/oldtree" || die "mkimage failed"
# Audio sources (short tracks: 4-6 s of noise-like PCM, 44.1 kHz 16-bit stereo, little-
# endian as in WAV and cue BINARY files). audio.bin: track 1 (4 s), track 2's pre-gap
# (2 s, INDEX 00 sent from the BIN), track 2 (5 s), track 3 (4 s); its cue sheet has a
# CATALOG and an ISRC. mixed: a MODE1/2352 track (the raw sectors of IMG_OLD, encoded by
# tests/unit/cd_sector_vector.py) and an audio track after a PREGAP. WAVs for wodim.
AUD=$SCRATCH/audio
mkdir -p "$AUD"
gen_bytes a1 $((300 * 2352)) >"$AUD/a1.pcm"
gen_bytes gap $((150 * 2352)) >"$AUD/gap.pcm"
gen_bytes a2 $((375 * 2352)) >"$AUD/a2.pcm"
gen_bytes a3 $((300 * 2352)) >"$AUD/a3.pcm"
cat "$AUD/a1.pcm" "$AUD/gap.pcm" "$AUD/a2.pcm" "$AUD/a3.pcm" >"$AUD/audio.bin"
cat >"$AUD/audio.cue" <<EOC
CATALOG 0123456789012
FILE "audio.bin" BINARY
  TRACK 01 AUDIO
    ISRC USDM12600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 00:04:00
    INDEX 01 00:06:00
  TRACK 03 AUDIO
    INDEX 01 00:11:00
EOC
"$IT_PY" "${top_srcdir:-$(dirname "$0")/../..}/tests/unit/cd_sector_vector.py" --raw-mode1 "$IMG_OLD" "$AUD/data.bin" ||
	die "raw Mode 1 encoding failed"
DATA_SECTORS=$(( $(stat -c %s "$AUD/data.bin") / 2352 ))
cat >"$AUD/mixed.cue" <<EOC
FILE "data.bin" BINARY
  TRACK 01 MODE1/2352
    INDEX 01 00:00:00
FILE "a2.pcm" BINARY
  TRACK 02 AUDIO
    PREGAP 00:02:00
    INDEX 01 00:00:00
EOC
"$IT_PY" - "$AUD" <<'EOP' || die "WAV files"
import sys, wave
d = sys.argv[1]
for n in ("a1", "a2", "a3"):
    with open(f"{d}/{n}.pcm", "rb") as f:
        pcm = f.read()
    with wave.open(f"{d}/{n}.wav", "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(pcm)
# CD-TEXT for wodim textfile=: a 4-byte header (length of the rest + 2, big-endian, two
# zero bytes) and packs of 18 bytes: titles (80h) of the album and the three tracks, the
# performer (81h) of the album; CRC-16 CCITT inverted over bytes 0-15 (MMC-6 annex J).
def crc(b):
    c = 0
    for x in b:
        c ^= x << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) if c & 0x8000 else c << 1
            c &= 0xFFFF
    return c ^ 0xFFFF
def packs(kind, texts, seq):
    data = b"".join(t.encode() + b"\0" for t in texts)
    out, track, pos = [], 0, 0
    for i in range(0, len(data), 12):
        chunk = data[i:i + 12].ljust(12, b"\0")
        # the track of the chunk's first byte and the characters of its string before it
        before = data[:i]
        track = before.count(b"\0")
        charpos = min(15, len(before) - (before.rfind(b"\0") + 1))
        p = bytes([kind, track, seq + len(out), charpos]) + chunk
        out.append(p + crc(p).to_bytes(2, "big"))
    return out
titles = packs(0x80, ["Emulated", "One", "Two", "Three"], 0)
perf = packs(0x81, ["Discmaster", "", "", ""], len(titles))
body = titles + perf
# size information (8Fh): three packs, block 0, English, ISO 8859-1
n80, n81 = len(titles), len(perf)
info = bytes([0, 1, 3, 0]) + bytes([n80, n81] + [0] * 13 + [3]) + \
    bytes([0, 0, 0, 0]) + bytes([len(body) + 2, 0, 0, 0, 0, 0, 0, 0]) + bytes([9] + [0] * 7)
seq = len(body)
for k in range(3):
    p = bytes([0x8F, k, seq + k, 0]) + info[12 * k:12 * k + 12]
    body.append(p + crc(p).to_bytes(2, "big"))
blob = b"".join(body)
with open(f"{d}/text.cdt", "wb") as f:
    f.write((len(blob) + 2).to_bytes(2, "big") + b"\0\0" + blob)
with open(f"{d}/text.packs", "wb") as f:
    f.write(blob)
EOP

# The disk a writeimg run must leave alone.
DISK=$SCRATCH/discs/disk.img
mkdir -p "$SCRATCH/discs"
gen_bytes disk $((4 << 20)) >"$DISK"
cp "$DISK" "$SCRATCH/disk.orig"

GS=$SCRATCH/guest.sh
cat >"$GS" <<'EOF'
#!/bin/bash
# In the guest: $JOBS, one per -E unit in order (EMU_SR_n, EMU_SG_n), then the disk.
cd "$GUESTIO"
# The guest's own tmpfs: its /tmp is the host's, shared with whoever else uses it.
P=/run/peers
mkdir -p $P/home
export HOME=$P/home
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
burn_old() { wodim -v dev=$1 -tao "$IMG_OLD"; }
j_wodim_tao_cdr() { wodim -v dev=$1 -tao "$IMG"; }
j_wodim_sao_cdr() { wodim -v dev=$1 -sao "$IMG"; }
j_wodim_blank_tao_cdrw() { burn_old $1 && wodim -v dev=$1 blank=fast && wodim -v dev=$1 -tao "$IMG"; }
j_wodim_blank_sao_cdrw() { burn_old $1 && wodim -v dev=$1 blank=fast && wodim -v dev=$1 -sao "$IMG"; }
j_cdrskin_tao_cdr() { cdrskin -v dev=$1 -tao "$IMG"; }
j_cdrskin_sao_cdr() { cdrskin -v dev=$1 -sao "$IMG"; }
j_cdrskin_blank_tao_cdrw() { cdrskin -v dev=$1 -tao "$IMG_OLD" && cdrskin -v dev=$1 blank=fast &&
	cdrskin -v dev=$1 -tao "$IMG"; }
j_cdrskin_blank_sao_cdrw() { cdrskin -v dev=$1 -tao "$IMG_OLD" && cdrskin -v dev=$1 blank=fast &&
	cdrskin -v dev=$1 -sao "$IMG"; }
j_growisofs_dvdpr() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdmr() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdprw() { growisofs -Z $1="$IMG"; }
j_growisofs_bdr() { growisofs -Z $1="$IMG"; }
j_growisofs_bdre() { growisofs -Z $1="$IMG"; }
j_growisofs_dvdrw() { growisofs -Z $1="$IMG"; }
j_growisofs_dvdprdl() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdmrdl() { growisofs -dvd-compat -Z $1="$IMG"; }
j_growisofs_dvdram() { growisofs -Z $1="$IMG"; }
j_cdrskin_dvdrw() { cdrskin -v dev=$1 "$IMG"; }
j_xorriso() { xorriso -abort_on FAILURE -dev $1 -blank as_needed -map "$TREE" / -commit; }
j_xorriso_cdr() { j_xorriso $1; }
j_xorriso_dvdpr() { j_xorriso $1; }
j_xorriso_cdrw() { burn_old $1 && j_xorriso $1; }
j_cdrdao_cdr() {
	printf 'CD_ROM\nTRACK MODE1\nDATAFILE "%s"\n' "$IMG" >$P/data.toc
	cdrdao write --device $2 -n $P/data.toc
}
j_writeimg_cdr() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdpr_udf() { W -d $1 --verify "$IMG_UDF"; }
j_writeimg_dvdmr() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdprw() { W -d $1 --verify "$IMG"; }
j_writeimg_bdr() { W -d $1 --verify "$IMG_UDF"; }
j_writeimg_bdre() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdrw() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdprdl() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdmrdl() { W -d $1 --verify "$IMG"; }
j_writeimg_dvdram() { W -d $1 --verify "$IMG"; }
# A written CD-RW blanked and written again in one call; a written DVD+RW formatted anew.
j_writeimg_blank_cdrw() { W -d $1 "$IMG_OLD" && W -d $1 --blank=fast --verify "$IMG"; }
j_writeimg_sao_cdr() { W -d $1 --mode=sao --verify "$IMG"; }
j_writeimg_blank_dvdrw() { W -d $1 "$IMG_OLD" && W -d $1 --blank=fast --verify "$IMG"; }
# A disc written, then checked against the image and copied back to a file, through sr.
j_writeimg_check_read_dvdpr() { W -d $1 "$IMG" && W -d $1 --check "$IMG" &&
	W -d $1 --read $P/read.iso && cmp $P/read.iso "$IMG"; }
j_writeimg_format_dvdprw() { W -d $1 "$IMG_OLD" && W -d $1 --format=quick &&
	W -d $1 --verify "$IMG"; }
# Audio jobs: what the peers read back, for the host to compare (J is the job).
after_audio() { # SR SG FIRST LAST
	sg_start --eject $2 >/dev/null 2>&1
	sg_start --load $2 >/dev/null 2>&1
	cdrdao disk-info --device $2 >$J.disk-info 2>&1 || return 1
	rm -f $P/$J.toc
	cdrdao read-toc --device $2 $P/$J.toc >$J.read-toc.log 2>&1 && cp $P/$J.toc $J.read-toc ||
		return 1
	wodim dev=$1 -toc >$J.wodim-toc 2>&1 || return 1
	for t in $(seq $3 $4); do
		cdparanoia -d $1 -Z -w $t $J.t$t.wav >$J.cdp$t.log 2>&1 || return 1
	done
}
# cdrdao opens a cue's FILEs from the working directory and takes their samples as
# big-endian: --swap for a little-endian BIN (as every other cue/BIN tool writes them).
j_cdrdao_audio_cdr() { (cd "$AUD" && cdrdao write --device $2 -n --swap audio.cue) && after_audio $1 $2 1 3; }
j_cdrdao_mixed_cdr() {
	(cd "$AUD" && cdrdao write --device $2 -n --swap mixed.cue) && after_audio $1 $2 2 2 || return 1
	mkdir -p $P/mixed && mount -t iso9660 -o ro $1 $P/mixed && diff -r "$OLDTREE" $P/mixed &&
		umount $P/mixed && echo ok >$J.data-track
}
j_wodim_dao_audio_cdr() {
	wodim -v dev=$1 -dao -audio "$AUD/a1.wav" "$AUD/a2.wav" "$AUD/a3.wav" && after_audio $1 $2 1 3
}
j_wodim_dao_text_cdr() {
	wodim -v dev=$1 -dao -text textfile="$AUD/text.cdt" -audio "$AUD/a1.wav" "$AUD/a2.wav" \
		"$AUD/a3.wav" && after_audio $1 $2 1 3
}
j_wodim_tao_audio_cdr() {
	wodim -v dev=$1 -tao mcn=0123456789012 -audio isrc=USDM12600001 "$AUD/a1.wav" \
		"$AUD/a2.wav" "$AUD/a3.wav" && after_audio $1 $2 1 3
}
j_writeimg_audio_cdr() {
	W -d $1 --mcn 0123456789012 --isrc 1:USDM12600001 --audio "$AUD/a1.wav" "$AUD/a2.wav" \
		"$AUD/a3.wav" && after_audio $1 $2 1 3
}
# writeimg's CD-DA jobs: the cue sheets as they are (BINARY is little-endian for writeimg:
# no --swap), the WAVs; each disc also checked by writeimg itself against its sources.
j_writeimg_cue_cdr() {
	(cd "$AUD" && W -d $1 audio.cue && W -d $1 --check audio.cue) && after_audio $1 $2 1 3
}
j_writeimg_mixed_cdr() {
	(cd "$AUD" && W -d $1 mixed.cue && W -d $1 --check mixed.cue) && after_audio $1 $2 2 2 ||
		return 1
	mkdir -p $P/wmixed && mount -t iso9660 -o ro $1 $P/wmixed && diff -r "$OLDTREE" $P/wmixed &&
		umount $P/wmixed && echo ok >$J.data-track
}
j_writeimg_text_cdr() {
	printf 'album.title = Emulated\nalbum.performer = Discmaster\ntrack.1.title = One\ntrack.2.title = Two\ntrack.3.title = Three\n' \
		>$P/wtext.txt
	W -d $1 --gapless --cd-text $P/wtext.txt --audio "$AUD/a1.wav" "$AUD/a2.wav" "$AUD/a3.wav" &&
		after_audio $1 $2 1 3
}
# CD-Extra: the audio session left open, then a data session for the address --msinfo
# gives (mkimage --session-start NEXT: nothing to import, the audio session has no file
# system), which the kernel's isofs mounts (the sr driver finds
# the last session with READ TOC format 1 asked in the control byte). The timeouts keep a
# reader that hangs from costing the job's 300 s.
j_writeimg_cdextra_cdr() {
	local ms
	W -d $1 --multisession --audio "$AUD/a1.wav" "$AUD/a2.wav" && ms=$(W -d $1 --msinfo) &&
		"$MKIMAGE" --fs iso9660,rockridge --session-start "$ms" -o $P/extra.iso "$OLDTREE" &&
		W -d $1 --multisession $P/extra.iso &&
		W -d $1 --audio --check "$AUD/a1.wav" "$AUD/a2.wav" || return 1
	sg_start --eject $2 >/dev/null 2>&1
	sg_start --load $2 >/dev/null 2>&1
	timeout 60 wodim dev=$1 -toc >$J.wodim-toc 2>&1
	for t in 1 2; do
		timeout 60 cdparanoia -d $1 -Z -w $t $J.t$t.wav >$J.cdp$t.log 2>&1
	done
	mkdir -p $P/wextra && timeout 60 mount -t iso9660 -o ro $1 $P/wextra &&
		diff -r "$OLDTREE" $P/wextra && umount $P/wextra && echo ok >$J.data-track
	return 0
}
export -f W burn_old j_xorriso after_audio $(compgen -A function j_)
n=0
for j in $JOBS; do
	n=$((n + 1))
	eval "sr=\$EMU_SR_$n sg=\$EMU_SG_$n"
	echo "$j $sr $sg" >>devices
	t0=$(date +%s.%N)
	J=$j timeout 300 bash -c '"j_$0" "$@"' $j $sr $sg </dev/null >$j.out 2>&1
	echo $? >$j.rc
	echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }' >$j.seconds
	# The tray out and in: the sr driver reads the written disc's size anew.
	sg_start --eject $sg >/dev/null 2>&1
	sg_start --load $sg >/dev/null 2>&1
	mkdir -p $P/m/$j
	case $j in *_udf|writeimg_bdr) fs=udf img=$IMG_UDF ;; *) fs=iso9660 img=$IMG ;; esac
	mount -t $fs -o ro $sr $P/m/$j >$j.mount 2>&1
	echo $? >$j.mount.rc
	diff -r "$TREE" $P/m/$j >$j.diff 2>&1
	echo $? >$j.diff.rc
	umount $P/m/$j 2>/dev/null
	cmp -n $(stat -c %s "$img") $sr "$img" >$j.cmp 2>&1
	echo $? >$j.cmp.rc
done
# The disk: writeimg refuses it before any command that could write.
n=$((n + 1))
eval "sg=\$EMU_SG_$n"
echo "disk - $sg" >>devices
W -d $sg "$IMG" >disk.out 2>&1
echo $? >disk.rc
sg_inq $sg >disk.inq 2>&1
dmesg >dmesg
exit 0
EOF

ARGS=()
n=0
for j in $JOBS; do
	n=$((n + 1))
	ARGS+=(-E "${MEDIUM[$j]}:$SCRATCH/discs/$n-$j.img")
done
ARGS+=(-E "disk:$DISK")
OUTD=${PEER_KEEP:-$SCRATCH/out}
TRACE=$SCRATCH/trace
[ -n "${PEER_KEEP:-}" ] && TRACE=$PEER_KEEP/trace
# One recorder server per job runs in the guest (47 of them, sanitizer builds included):
# 1 GiB was seen to run out (the OOM killer took growisofs).
export GUEST_MEM=${GUEST_MEM:-4096}
if ! guest_run "$OUTD" "$GS" -t 300 -T "$TRACE" "${ARGS[@]}" -e "JOBS=$(echo $JOBS)" \
	-e "IMG=$IMG" -e "IMG_UDF=$IMG_UDF" -e "IMG_OLD=$IMG_OLD" -e "TREE=$T" \
	-e "WRITEIMG=$WRITEIMG" -e "MKIMAGE=$MKIMAGE" -e "AUD=$AUD" -e "OLDTREE=$SCRATCH/oldtree"; then
	fail "the guest run failed"
	sed 's/^/    /' "$OUTD.runner" | tail -n 40
	it_finish
fi
O=$OUTD
val() { cat "$O/$1" 2>/dev/null || echo missing; }

# wodim -toc's track lines as "TRACK LBA CONTROL" (lout for the lead-out).
wodim_toc() {
	sed -n 's/^track: *\([0-9a-z]*\) lba: *\([0-9]*\) .*control: *\([0-9]*\).*/\1 \2 \3/p' "$O/$1.wodim-toc"
}
# A ripped track (cdparanoia's WAV: 44-byte header) against its source bytes.
rip_equals() { # JOB TRACK FILE [OFFSET LENGTH]
	if [ $# = 3 ]; then
		tail -c +45 "$O/$1.t$2.wav" | cmp - "$3"
	else
		tail -c +45 "$O/$1.t$2.wav" | cmp - <(tail -c +$(($4 + 1)) "$3" | head -c $5)
	fi
}
# The rip starts with the source and ends with nothing but silence (a pre-gap of the next
# track the burner generated).
rip_starts_with() { # JOB TRACK FILE
	local n
	n=$(stat -c %s "$3")
	tail -c +45 "$O/$1.t$2.wav" | head -c $n | cmp - "$3" &&
		[ -z "$(tail -c +$((45 + n)) "$O/$1.t$2.wav" | tr -d '\0' | head -c 1)" ]
}
audio_checks() {
	local j=$1 S=2352
	case $j in
	cdrdao_audio_cdr | writeimg_cue_cdr)
		# The sheet: tracks at 0, 450 (INDEX 01 06:00), 825 (11:00), lead-out 1125.
		check "$j: wodim -toc gives the sheet's TOC" test "$(wodim_toc $j | tr '\n' ' ')" = \
			"1 0 0 2 450 0 3 825 0 lout 1125 0 "
		check "$j: cdrdao read-toc: three audio tracks" test "$(grep -c '^TRACK AUDIO' "$O/$j.read-toc")" = 3
		check "$j: cdrdao read-toc: track 2's pre-gap of 2 s" grep -q '^START 00:02:00' "$O/$j.read-toc"
		check "$j: cdrdao read-toc: the catalogue number" grep -q 'CATALOG "0123456789012"' "$O/$j.read-toc"
		check "$j: cdrdao read-toc: track 1's ISRC" grep -q 'ISRC "USDM12600001"' "$O/$j.read-toc"
		check "$j: cdrdao disk-info: a closed CD-R" grep -qi 'CD-R *: *yes\|CD-R medium' "$O/$j.disk-info"
		check "$j: cdparanoia rips track 1 (with track 2's pre-gap) sample-exact" \
			rip_equals $j 1 "$AUD/audio.bin" 0 $((450 * S))
		check "$j: cdparanoia rips track 2 sample-exact" rip_equals $j 2 "$AUD/a2.pcm"
		check "$j: cdparanoia rips track 3 sample-exact" rip_equals $j 3 "$AUD/a3.pcm"
		;;
	cdrdao_mixed_cdr)
		local a=$((DATA_SECTORS + 150))
		check "$j: wodim -toc: data track at 0, audio after its pre-gap" \
			test "$(wodim_toc $j | tr '\n' ' ')" = "1 0 4 2 $a 0 lout $((a + 375)) 0 "
		check "$j: cdrdao read-toc: a Mode 1 and an audio track" \
			sh -c "grep -q '^TRACK MODE1' '$O/$j.read-toc' && grep -q '^TRACK AUDIO' '$O/$j.read-toc'"
		check "$j: cdparanoia rips the audio track sample-exact" rip_equals $j 2 "$AUD/a2.pcm"
		check "$j: the guest's kernel mounts the data track (isofs), its tree equals the source" \
			test "$(val $j.data-track)" = ok
		;;
	writeimg_audio_cdr | wodim_tao_audio_cdr)
		# Track-At-Once: the drive's 2-second pause before tracks 2 and 3, so tracks
		# at 0, 300 + 150 and 450 + 375 + 150, lead-out 975 + 300, all audio.
		check "$j: wodim -toc: the TAO pauses of 2 s" test "$(wodim_toc $j | tr '\n' ' ')" = \
			"1 0 0 2 450 0 3 975 0 lout 1275 0 "
		check "$j: cdrdao read-toc: pre-gaps of 2 s on tracks 2 and 3" \
			test "$(grep -c '^START 00:02:00' "$O/$j.read-toc")" = 2
		check "$j: cdrdao read-toc: the catalogue number (page 05h MCN)" \
			grep -q 'CATALOG "0123456789012"' "$O/$j.read-toc"
		check "$j: cdrdao read-toc: track 1's ISRC (page 05h)" \
			grep -q 'ISRC "USDM12600001"' "$O/$j.read-toc"
		check "$j: cdparanoia rips track 1 (then the pause's silence) sample-exact" \
			rip_starts_with $j 1 "$AUD/a1.pcm"
		check "$j: cdparanoia rips track 2 (then the pause's silence) sample-exact" \
			rip_starts_with $j 2 "$AUD/a2.pcm"
		check "$j: cdparanoia rips track 3 sample-exact" rip_equals $j 3 "$AUD/a3.pcm"
		;;
	wodim_dao_audio_cdr | wodim_dao_text_cdr)
		# wodim's sheet: 2-second pre-gaps taken from the end of the previous track, so
		# tracks at 0, 300 and 300 + 375, lead-out 975, all audio.
		check "$j: wodim -toc gives wodim's sheet" test "$(wodim_toc $j | tr '\n' ' ')" = \
			"1 0 0 2 300 0 3 675 0 lout 975 0 "
		check "$j: cdrdao read-toc: pre-gaps of 2 s on tracks 2 and 3" \
			test "$(grep -c '^START 00:02:00' "$O/$j.read-toc")" = 2
		check "$j: cdparanoia rips track 1 sample-exact" rip_starts_with $j 1 "$AUD/a1.pcm"
		check "$j: cdparanoia rips track 2 sample-exact" rip_starts_with $j 2 "$AUD/a2.pcm"
		check "$j: cdparanoia rips track 3 sample-exact" rip_equals $j 3 "$AUD/a3.pcm"
		if [ $j = wodim_dao_text_cdr ]; then
			check "$j: READ TOC format 5 gives the packs (cdrdao read-toc shows the titles)" \
				sh -c "grep -q 'TITLE \"Emulated\"' '$O/$j.read-toc' && grep -q 'TITLE \"Three\"' '$O/$j.read-toc'"
		fi
		;;
	writeimg_mixed_cdr)
		local w=$((DATA_SECTORS + 150))
		check "$j: wodim -toc: data track at 0, audio after its pre-gap" \
			test "$(wodim_toc $j | tr '\n' ' ')" = "1 0 4 2 $w 0 lout $((w + 375)) 0 "
		check "$j: cdparanoia rips the audio track sample-exact" rip_equals $j 2 "$AUD/a2.pcm"
		check "$j: the guest's kernel mounts the data track (isofs), its tree equals the source" \
			test "$(val $j.data-track)" = ok
		;;
	writeimg_cdextra_cdr)
		check "$j: wodim -toc: two audio tracks and a data track" \
			test "$(wodim_toc $j | awk '{ printf "%s", $3 }')" = "0044"
		check "$j: cdparanoia rips track 1 sample-exact" rip_starts_with $j 1 "$AUD/a1.pcm"
		check "$j: cdparanoia rips track 2 sample-exact" rip_starts_with $j 2 "$AUD/a2.pcm"
		check "$j: the guest's kernel mounts the data session (isofs), its tree equals the source" \
			test "$(val $j.data-track)" = ok
		;;
	writeimg_text_cdr)
		check "$j: wodim -toc: three audio tracks" test "$(wodim_toc $j | grep -c ' 0$')" = 4
		check "$j: cdparanoia rips track 1 sample-exact" rip_starts_with $j 1 "$AUD/a1.pcm"
		check "$j: cdparanoia rips track 2 sample-exact" rip_starts_with $j 2 "$AUD/a2.pcm"
		check "$j: cdparanoia rips track 3 sample-exact" rip_equals $j 3 "$AUD/a3.pcm"
		if [ $j = writeimg_text_cdr ]; then
			check "$j: cdrdao read-toc shows writeimg's CD-TEXT titles" \
				sh -c "grep -q 'TITLE \"Emulated\"' '$O/$j.read-toc' && grep -q 'TITLE \"Three\"' '$O/$j.read-toc'"
		fi
		;;
	esac
}

# Per job: the program succeeded, the kernel mounts the disc and reads the tree back, the
# disc equals the image through /dev/srN and in the state file on the host.
n=0
for j in $JOBS; do
	n=$((n + 1))
	state=$SCRATCH/discs/$n-$j.img
	img=$IMG
	[ "${CHECK[$j]}" = udf ] && img=$IMG_UDF
	it_log "# $j on ${MEDIUM[$j]}: $(val $j.seconds) s"
	if [ "${CHECK[$j]}" = refused ]; then
		check "$j: refused on the emulated ${MEDIUM[$j]} (exit $(val $j.rc))" \
			test "$(val $j.rc)" != 0 -a "$(val $j.rc)" != missing
		check "$j: the refusal says why" grep -qF -- "${REFUSAL[$j]}" "$O/$j.out"
		check "$j: nothing was written" cmp -n 1048576 "$state" /dev/zero
		continue
	fi
	if [ "$(val $j.rc)" = 0 ]; then
		pass "$j: succeeds on the emulated ${MEDIUM[$j]}"
	else
		fail "$j: exit $(val $j.rc) on the emulated ${MEDIUM[$j]}"
		tail -n 8 "$O/$j.out" 2>/dev/null | sed 's/^/    /'
		continue
	fi
	if [ "${CHECK[$j]}" = audio ]; then
		audio_checks $j
		continue
	fi
	check "$j: the guest's kernel mounts the disc" test "$(val $j.mount.rc)" = 0
	check "$j: the mounted tree equals the source" test "$(val $j.diff.rc)" = 0
	if [ "${CHECK[$j]}" != tree ]; then
		check "$j: /dev/srN reads back the image" test "$(val $j.cmp.rc)" = 0
		check "$j: the disc in the state file on the host equals the image" \
			cmp -n "$(stat -c %s "$img")" "$state" "$img"
	fi
done

check "disk: writeimg refuses a disk with exit 3" test "$(val disk.rc)" = 3
check "disk: the refusal names the device and its type" \
	grep -q "is not an optical drive: SCSI peripheral device type 00h" "$O/disk.out"
check "disk: the kernel saw a type-0 unit" grep -q "PDT=0 " "$O/disk.inq"
check "disk: its bytes are unchanged" cmp "$DISK" "$SCRATCH/disk.orig"
it_log "# guest run: $GUEST_SECONDS s for $(echo $JOBS | wc -w) jobs"
it_finish
