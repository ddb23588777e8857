#!/bin/bash
# writeimg's audio CD and cue/bin writing on the emulated CD recorder (issue 15): the bad
# inputs refused before anything is written, then - where the emulator takes audio -
# Track-At-Once from WAV, FLAC and raw, --gapless with CD-TEXT, a cue/bin with MODE1/2352
# and AUDIO tracks Disc-At-Once, a CD-Extra disc, each read back sample-exact
# (--read-audio, the PCM payloads compared with cmp) and checked (--check equal and
# different), and the track list of --info.
set -e
. "$top_srcdir/tests/integration/writeimg_lib.sh"
: "${MKSOUND:?MKSOUND must name tests/integration/mksound}"

T=$(mktemp -d /tmp/writeimg_audio.XXXXXX)
trap 'rm -rf "$T"' EXIT
W() { "$WRITEIMG" --no-inhibit -q "$@"; }
S() { "$MKSOUND" "$@"; }
# The disc file holds nothing but its state trailer: nothing was written.
untouched() {
	[ ! -e "$1" ] || [ "$(stat -c %b "$1")" -le 64 ] || fail "$1: a refused job wrote to the disc"
}
# pcm_of SRC OUT: SRC's PCM payload padded with silence to whole 2352-byte sectors (what
# the disc holds of it).
pcm_of() {
	case "$1" in
	*.raw) cp "$1" "$2" ;;
	*) S --pcm "$1" "$2" ;;
	esac
	local size pad
	size=$(stat -c %s "$2")
	pad=$(( (2352 - size % 2352) % 2352 ))
	head -c "$pad" /dev/zero >>"$2"
}
# rip_equal DIR N SRC: DIR/trackNN.wav holds SRC's samples exactly.
rip_equal() {
	local n
	n=$(printf '%02d' "$2")
	[ -f "$1/track$n.wav" ] || fail "no $1/track$n.wav"
	S --pcm "$1/track$n.wav" "$T/rip.pcm"
	pcm_of "$3" "$T/src.pcm"
	cmp "$T/rip.pcm" "$T/src.pcm" || fail "track $n read back differs from $3"
}

# Tracks: 5 s and a partial sector (WAV), 6 s with tags (FLAC), 4.5 s raw.
S "$T/a.wav" $((44100 * 5 + 100)) 1
S "$T/b.flac" $((44100 * 6)) 2 --title "Second Song" --artist "The Band" --album "Album"
S "$T/c.raw" $((588 * 338)) 3
# --- bad input: refused before anything is written, the file (and cue line) named ---
D="emu:cd-r:$T/bad.img"
head -c -10000 "$T/a.wav" >"$T/trunc.wav"
expect_rc 1 W -d "$D" --audio "$T/a.wav" "$T/trunc.wav"
expect_out "trunc.wav"
expect_out "nothing was written"
size=$(stat -c %s "$T/b.flac")
head -c $((size / 2)) "$T/b.flac" >"$T/trunc.flac"
expect_rc 1 W -d "$D" --audio "$T/trunc.flac"
expect_out "trunc.flac"
S "$T/r48.wav" 240000 4 --rate 48000
expect_rc 1 W -d "$D" --audio "$T/a.wav" "$T/r48.wav"
expect_out "r48.wav.*48000 Hz"
S "$T/mono.flac" 240000 5 --channels 1
expect_rc 1 W -d "$D" --audio "$T/mono.flac"
expect_out "mono.flac.*1 channel"
S "$T/p24.wav" 240000 6 --pcm24
expect_rc 1 W -d "$D" --audio "$T/p24.wav"
expect_out "p24.wav.*24 bit"
S "$T/short.wav" $((44100 * 3)) 7
expect_rc 1 W -d "$D" --audio "$T/a.wav" "$T/short.wav"
expect_out "short.wav lasts .*4 seconds"
set -- ; for i in $(seq 100); do set -- "$@" "$T/c.raw"; done
expect_rc 1 W -d "$D" --audio "$@"
expect_out "at most 99"
printf 'FILE "missing.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$T/missing.cue"
expect_rc 1 W -d "$D" "$T/missing.cue"
expect_out "missing.cue: line 1"
head -c $((2352 * 100)) /dev/zero >"$T/short.bin"
printf 'FILE "short.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:10:00\n' >"$T/short.cue"
expect_rc 1 W -d "$D" "$T/short.cue"
expect_out "short.cue: line"
# CD-TEXT in Track-At-Once: refused as a usage error, as wodim's -text without -sao.
expect_rc 2 W -d "$D" --text --audio "$T/b.flac"
expect_out "Session-At-Once"
untouched "$T/bad.img"
# A disc too small for the tracks with their pregaps (a 1000-sector CD-R).
expect_rc 3 W -d "emu:cd-r:$T/small.img?capacity=1000" --audio "$T/a.wav" "$T/b.flac" "$T/c.raw"
expect_out "need 1614 sectors"
expect_out "nothing was written"
untouched "$T/small.img"
# Not a CD.
expect_rc 3 W -d "emu:dvd+rw:$T/dvd.img" --audio "$T/a.wav"
expect_out "CD-R or CD-RW"
printf 'FILE "c.raw" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$T/ok.cue"
expect_rc 3 W -d "emu:bd-r:$T/bd.img" "$T/ok.cue"
expect_out "the disc is a BD-R.*: audio tracks and cue sheets are written on a CD-R or CD-RW"
untouched "$T/dvd.img"
untouched "$T/bd.img"
# A cue sheet's strictness: the line of an unknown keyword.
printf 'FILE "c.raw" BINARY\n  TRACK 01 AUDIO\n    INDX 01 00:00:00\n' >"$T/typo.cue"
expect_rc 1 W -d "$D" "$T/typo.cue"
expect_out "typo.cue: line 3"
untouched "$T/bad.img"
note "bad input: 15 refusals, nothing written"

# --- does the emulator take audio yet (the emuaudio work)? ---
set +e
OUT=$(W -d "emu:cd-r:$T/probe.img" --audio "$T/c.raw" 2>&1)
rc=$?
set -e
if [ $rc != 0 ]; then
	if printf '%s' "$OUT" | grep -qE "5/26/00|5/64/00|5/24/00|5/20/00"; then
		printf '%s\n' "$OUT"
		echo "SKIP: the emulator refuses audio writing (above): the writing, reading back and" \
		     "--check parts of this test need the emulator's audio support (emuaudio)"
		exit 77
	fi
	printf '%s\n' "$OUT" >&2
	fail "audio write on the emulator failed (exit $rc)"
fi

# --- Track-At-Once: WAV, FLAC, raw; 2-second gaps; the disc closed ---
D="emu:cd-r:$T/tao.img"
expect_rc 0 W -d "$D" --audio "$T/a.wav" "$T/b.flac" "$T/c.raw"
expect_out "wrote 3 tracks"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["status"]' complete "TAO: disc not closed"
expect_json '["media"]["tracks"].__len__()' 3 "TAO: 3 tracks"
expect_json '["media"]["tracks"][1]["type"]' audio "TAO: audio"
# 5 s + 100 frames = 376 sectors; 6 s = 450; 338.
expect_json '["media"]["tracks"][0]["sectors"]' 376 "TAO: track 1 length"
expect_json '["media"]["tracks"][1]["sectors"]' 450 "TAO: track 2 length"
expect_json '["media"]["tracks"][2]["sectors"]' 338 "TAO: track 3 length"
# Track-At-Once: the drive writes a 2-second pause (page 05h's Audio Pause Length, 150)
# before each track after the first, as wodim -tao -audio gives: track 2 at 376 + 150,
# track 3 at 526 + 450 + 150.
expect_json '["media"]["tracks"][1]["start"]' 526 "TAO: track 2 start"
expect_json '["media"]["tracks"][2]["start"]' 1126 "TAO: track 3 start"
# The disc file records it (track=START,SIZE,...,PREGAP: track 1 runs to track 2's index
# 01, the pause inside it) and the pause is digital silence in the raw region.
trailer=$(tail -c 262144 "$T/tao.img" | tr -c '[:print:]\n' '\n')
printf '%s\n' "$trailer" | grep -qx 'track=0,526,0,1,1,0,1,0,1,150' || fail "TAO: track 1 in the disc file"
printf '%s\n' "$trailer" | grep -qx 'track=526,600,0,1,1,0,1,0,1,150' || fail "TAO: track 2's pregap in the disc file"
area=$(printf '%s\n' "$trailer" | sed -n 's/^area=//p' | head -n 1)
[ -n "$area" ] || fail "TAO: no area= in the disc file"
[ "$(tail -c +$((area * 2048 + 376 * 2352 + 1)) "$T/tao.img" | head -c $((150 * 2352)) |
	tr -d '\000' | wc -c)" = 0 ] ||
	fail "TAO: the pause before track 2 is not silence"
expect_rc 0 W -d "$D" --info
expect_out "02  audio +session 1"
expect_rc 0 W -d "$D" --read-audio "$T/rip-tao"
expect_out "saved 3 audio tracks"
rip_equal "$T/rip-tao" 1 "$T/a.wav"
rip_equal "$T/rip-tao" 2 "$T/b.flac"
rip_equal "$T/rip-tao" 3 "$T/c.raw"
expect_rc 0 W -d "$D" --audio --check "$T/a.wav" "$T/b.flac" "$T/c.raw"
expect_out "equal their sources sample by sample"
# --read and --check of an image on an audio-only CD point to --read-audio.
expect_rc 3 W -d "$D" --read "$T/x.iso"
expect_out "3 audio tracks and no data track"
# One sample changed in track 3 (frame 12345, right channel): exit 5 naming it.
cp "$T/c.raw" "$T/c2.raw"
printf '\x55' | dd of="$T/c2.raw" bs=1 seek=$((12345 * 4 + 2)) conv=notrunc status=none
expect_rc 5 W -d "$D" --audio --check "$T/a.wav" "$T/b.flac" "$T/c2.raw"
expect_out "track 03 differs from its source at sample 12345"
# Another track 2 altogether.
S "$T/other.flac" $((44100 * 6)) 9
expect_rc 5 W -d "$D" --audio --check "$T/a.wav" "$T/other.flac" "$T/c.raw"
expect_out "track 02 differs .* at sample 0 "
note "TAO: written, listed, ripped sample-exact, checked equal and different"

# A write error in track 2 (Track-At-Once; LBA 600 inside its body, after its pregap at
# 376-525): exit 4, the tracks written closed so the disc stays readable, and what it now
# is told.
D="emu:cd-r:$T/err.img?write_error_lba=600"
expect_rc 4 W -d "$D" --audio "$T/a.wav" "$T/b.flac" "$T/c.raw"
expect_out "Write error"
expect_out "of 1164 sectors were written; the disc is now an appendable CD-R"
expect_rc 0 W -d "emu:cd-r:$T/err.img" --info --json
expect_json '["media"]["tracks"][0]["sectors"]' 376 "after the error: track 1"
expect_rc 0 W -d "emu:cd-r:$T/err.img" --read-audio "$T/rip-err"
rip_equal "$T/rip-err" 1 "$T/a.wav"
# ... and in Session-At-Once: exit 4 too.
expect_rc 4 W -d "emu:cd-r:$T/err2.img?write_error_lba=100" --gapless --audio "$T/a.wav" "$T/b.flac"
expect_out "of 826 sectors were written"
note "write errors: exit 4, the disc's state told, what was written readable"

# SIGTERM during track 2: exit 6, track 1 whole and readable.
"$WRITEIMG" --no-inhibit -q -d "emu:cd-r:$T/int.img?write_delay_ms=100" --audio "$T/a.wav" \
	"$T/b.flac" "$T/c.raw" >"$T/int.log" 2>&1 &
pid=$!
for i in $(seq 600); do
	grep -q "track 02:" "$T/int.log" && break
	sleep 0.1
done
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 6 ] || { cat "$T/int.log" >&2; fail "SIGTERM: exit $rc, not 6"; }
grep -q "interrupted while writing" "$T/int.log" || fail "SIGTERM: not reported"
expect_rc 0 W -d "emu:cd-r:$T/int.img" --read-audio "$T/rip-int"
rip_equal "$T/rip-int" 1 "$T/a.wav"
note "SIGTERM: exit 6, the first track readable"

# --- --gapless: Session-At-Once, CD-TEXT from a file and the tags, MCN and ISRC ---
cat >"$T/text.txt" <<'TXT'
album.title = Café Songs
album.performer = The Band
track.1.title = One
TXT
# --verify after a Track-At-Once write compares the tracks sample by sample; --blank
# first on a used CD-RW.
D="emu:cd-rw:$T/sao.img"
expect_rc 0 W -d "$D" --verify --audio "$T/c.raw" "$T/a.wav"
expect_out "verified: 2 audio tracks"
expect_rc 3 W -d "$D" --audio "$T/c.raw"
expect_out "complete"
expect_rc 0 W -d "$D" --blank --gapless --text --cd-text "$T/text.txt" --mcn 0123456789012 \
	--isrc 2:US-RC1-76-07839 --audio "$T/a.wav" "$T/b.flac"
expect_out "wrote 2 tracks"
expect_rc 0 W -d "$D" --info --json
# No gap: track 2 starts right after track 1's 376 sectors.
expect_json '["media"]["tracks"][1]["start"]' 376 "gapless: track 2 start"
# The lead-in's CD-TEXT (READ TOC format 5), the MCN and ISRC (READ SUB-CHANNEL) read back:
# the file's album and track 1 title, track 2's title and performer from its tags.
expect_json '["media"]["cd_text_title"]' "Café Songs" "CD-TEXT album title"
expect_json '["media"]["cd_text_performer"]' "The Band" "CD-TEXT album performer"
expect_json '["media"]["tracks"][0]["title"]' "One" "CD-TEXT track 1"
expect_json '["media"]["tracks"][1]["title"]' "Second Song" "CD-TEXT track 2 title"
expect_json '["media"]["tracks"][1]["performer"]' "The Band" "CD-TEXT track 2 performer"
expect_json '["media"]["mcn"]' 0123456789012 "MCN"
expect_json '["media"]["tracks"][1]["isrc"]' USRC17607839 "ISRC"
expect_json '["media"]["tracks"][0]["isrc"]' '' "track 1 has no ISRC"
expect_rc 0 W -d "$D" --info
expect_out "CD-TEXT: +Café Songs / The Band"
expect_out "02  audio .*ISRC USRC17607839  \"Second Song\" The Band"
expect_rc 0 W -d "$D" --read-audio "$T/rip-sao"
rip_equal "$T/rip-sao" 1 "$T/a.wav"
rip_equal "$T/rip-sao" 2 "$T/b.flac"
expect_rc 0 W -d "$D" --audio --check "$T/a.wav" "$T/b.flac"
note "gapless SAO with CD-TEXT, MCN, ISRC: written and read back"

# --mode=sao: Session-At-Once with the 2-second gaps the drive generates (data form 01h):
# track 2 at 376 + 150, track 1 read back without the gap.
D="emu:cd-r:$T/msao.img"
expect_rc 0 W -d "$D" --mode=sao --audio "$T/a.wav" "$T/c.raw"
expect_out "(sao)"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["tracks"][1]["start"]' 526 "--mode=sao: track 2 start"
expect_json '["media"]["tracks"][0]["sectors"]' 376 "--mode=sao: track 1 length"
expect_rc 0 W -d "$D" --read-audio "$T/rip-msao"
rip_equal "$T/rip-msao" 1 "$T/a.wav"
rip_equal "$T/rip-msao" 2 "$T/c.raw"

# Track-At-Once with --mcn and --isrc: page 05h carries them per track (MCVAL, TCVAL),
# the drive records them; READ SUB-CHANNEL 02h/03h give them back as for a cue sheet.
D="emu:cd-r:$T/tcodes.img"
expect_rc 0 W -d "$D" --mcn 0123456789012 --isrc 2:US-RC1-76-07839 --audio "$T/a.wav" "$T/c.raw"
expect_out "(tao)"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["mcn"]' 0123456789012 "TAO: MCN"
expect_json '["media"]["tracks"][1]["isrc"]' USRC17607839 "TAO: ISRC"
expect_json '["media"]["tracks"][0]["isrc"]' '' "TAO: track 1 has no ISRC"
expect_json '["media"]["tracks"][1]["start"]' 526 "TAO codes: track 2 start"
expect_rc 0 W -d "$D" --info
expect_out "02  audio .*ISRC USRC17607839"
expect_rc 0 W -d "$D" --audio --check "$T/a.wav" "$T/c.raw"
note "TAO with MCN and ISRC: recorded and read back"

# --pregap, --copy, --preemp, --big-endian (a raw track in wodim's byte order).
dd if="$T/c.raw" of="$T/c-be.raw" conv=swab status=none
D="emu:cd-r:$T/opts.img"
expect_rc 0 W -d "$D" --pregap 75 --copy --preemp --big-endian --audio "$T/a.wav" "$T/c-be.raw"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["tracks"][1]["start"]' 451 "--pregap 75"
expect_json '["media"]["tracks"][0]["control"]' 3 "--copy --preemp"
expect_rc 0 W -d "$D" --audio --check "$T/a.wav" "$T/c.raw"
expect_rc 5 W -d "$D" --audio --check "$T/a.wav" "$T/c-be.raw"
note "--pregap, --copy, --preemp, --big-endian"

# --- a cue sheet: MODE1/2352 data, then audio with a pregap from the file ---
make_image "$T/data.iso" $((2048 * 400))
S --mode1 "$T/data.iso" "$T/data.raw" 0
S "$T/song.raw" $((588 * 400)) 11
{ cat "$T/data.raw"; head -c $((2352 * 150)) /dev/zero; cat "$T/song.raw"; } >"$T/mixed.bin"
cat >"$T/mixed.cue" <<'CUE'
CATALOG 0123456789012
FILE "mixed.bin" BINARY
  TRACK 01 MODE1/2352
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    FLAGS DCP
    ISRC USRC17607839
    INDEX 00 00:05:25
    INDEX 01 00:07:25
CUE
D="emu:cd-r:$T/cue.img"
expect_rc 0 W -d "$D" "$T/mixed.cue"
expect_out "wrote 2 tracks"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["tracks"][0]["type"]' "mode 1" "cue: data track"
expect_json '["media"]["tracks"][1]["start"]' 550 "cue: track 2 start"
expect_json '["media"]["tracks"][1]["sectors"]' 400 "cue: track 2 length"
expect_json '["media"]["mcn"]' 0123456789012 "cue: CATALOG"
expect_json '["media"]["tracks"][1]["isrc"]' USRC17607839 "cue: ISRC"
expect_json '["media"]["tracks"][1]["control"]' 2 "cue: FLAGS DCP"
expect_json '["media"]["cd_text_title"]' "" "cue: no CD-TEXT asked"
# The data track reads back as the image's 2048-byte sectors.
expect_rc 0 W -d "$D" --read "$T/back.iso"
cmp -n $((2048 * 400)) "$T/back.iso" "$T/data.iso" || fail "cue: the data track differs"
expect_rc 0 W -d "$D" --read-audio "$T/rip-cue"
expect_out "saved 1 audio track"
rip_equal "$T/rip-cue" 2 "$T/song.raw"
expect_rc 0 W -d "$D" --check "$T/mixed.cue"
expect_out "data tracks not compared"
note "cue/bin MODE1/2352 + AUDIO: written Disc-At-Once, read back"

# --- a cue sheet with MODE1/2048 (the drive makes EDC/ECC), POSTGAP, PREGAP, WAVE files,
# an INDEX 00 from the file and an INDEX 02 ---
make_image "$T/d2048.iso" $((2048 * 350))
cat >"$T/m2.cue" <<'CUE'
FILE "d2048.iso" BINARY
  TRACK 01 MODE1/2048
    INDEX 01 00:00:00
    POSTGAP 00:02:00
FILE "a.wav" WAVE
  TRACK 02 AUDIO
    PREGAP 00:02:00
    INDEX 01 00:00:00
FILE "b.flac" WAVE
  TRACK 03 AUDIO
    INDEX 00 00:00:00
    INDEX 01 00:01:00
    INDEX 02 00:03:00
CUE
D="emu:cd-r:$T/m2.img"
expect_rc 0 W -d "$D" "$T/m2.cue"
expect_out "wrote 3 tracks"
expect_rc 0 W -d "$D" --info --json
# 350 data sectors and a 150-sector postgap; track 2 after its generated 2-second pregap;
# track 3 after track 2's 376 sectors and its 75-sector INDEX 00 from b.flac.
expect_json '["media"]["tracks"][0]["sectors"]' 500 "m2: track 1 length"
expect_json '["media"]["tracks"][1]["start"]' 650 "m2: track 2 start"
expect_json '["media"]["tracks"][2]["start"]' 1101 "m2: track 3 start"
expect_json '["media"]["tracks"][2]["sectors"]' 375 "m2: track 3 length"
expect_rc 0 W -d "$D" --read "$T/m2.iso"
cmp -n $((2048 * 350)) "$T/m2.iso" "$T/d2048.iso" || fail "m2: the data track differs"
expect_rc 0 W -d "$D" --check "$T/m2.cue"
expect_out "2 tracks .* equal their sources"
expect_rc 0 W -d "$D" --read-audio "$T/rip-m2"
rip_equal "$T/rip-m2" 2 "$T/a.wav"
# Track 3 from its index 1: b.flac less its first second (the pregap from the file).
S --pcm "$T/b.flac" "$T/b.pcm"
S --pcm "$T/rip-m2/track03.wav" "$T/rip3.pcm"
tail -c +$((2352 * 75 + 1)) "$T/b.pcm" | cmp - "$T/rip3.pcm" || fail "m2: track 3 read back differs"
note "cue/bin MODE1/2048 + POSTGAP + PREGAP + WAVE + INDEX 02: written, read back"

# --- cue/bin MODE2/2352: CD-ROM XA form 1 sectors (sync, header, sub-header, EDC/ECC made
# by the test's own encoder, tests/unit/cd_sector_vector.py), read back as the ISO inside ---
: "${MKIMAGE:?MKIMAGE must name the mkimage binary}"
mkdir -p "$T/xatree"
head -c 1048576 /dev/urandom >"$T/xatree/pad.bin"
echo "mode two" >"$T/xatree/hello.txt"
"$MKIMAGE" -o "$T/xa.iso" "$T/xatree" 2>/dev/null || fail "mkimage for the MODE2 track"
python3 - "$top_srcdir/tests/unit" "$T/xa.iso" "$T/xa.bin" <<'EOP' || fail "MODE2/2352 sectors"
import sys
sys.path.insert(0, sys.argv[1])
import cd_sector_vector as v
data = open(sys.argv[2], "rb").read()
sub = bytes([0, 0, 8, 0])
with open(sys.argv[3], "wb") as out:
    for lba in range(len(data) // 2048):
        sec = bytearray(v.header(lba, 2) + sub + sub + data[lba * 2048:(lba + 1) * 2048] + bytes(280))
        sec[2072:2076] = v.edc(sec[16:2072]).to_bytes(4, "little")
        hdr = sec[12:16]
        sec[12:16] = bytes(4)  # form 1 ECC is computed over a zero header (ECMA-130 14.5)
        v.ecc(sec)
        sec[12:16] = hdr
        out.write(bytes(sec))
EOP
printf 'FILE "xa.bin" BINARY\n  TRACK 01 MODE2/2352\n    INDEX 01 00:00:00\n' >"$T/xa.cue"
D="emu:cd-r:$T/xa.img"
expect_rc 0 W -d "$D" "$T/xa.cue"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["tracks"][0]["type"]' "mode 2" "xa: track 1 is not Mode 2"
expect_rc 0 W -d "$D" --read "$T/xa-back.iso"
cmp "$T/xa.iso" "$T/xa-back.iso" || fail "xa: the data track read back differs from the ISO inside the BIN"
expect_rc 0 W -d "$D" --check "$T/xa.iso"
note "cue/bin MODE2/2352 (XA form 1): written, its data read back byte-exact"

# --- CD-Extra: an audio session left open, then a data session ---
D="emu:cd-r:$T/extra.img"
expect_rc 0 W -d "$D" --multisession --audio "$T/a.wav" "$T/c.raw"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["status"]' appendable "CD-Extra: audio session not open"
mkdir -p "$T/tree"
echo "liner notes" >"$T/tree/notes.txt"
expect_rc 0 W -d "$D" --msinfo
msinfo=$OUT
# The data session for the address --msinfo gives, with no previous session to import
# (the audio session has no file system): mkimage --session-start NEXT alone.
: "${MKIMAGE:?MKIMAGE must name the mkimage binary}"
"$MKIMAGE" --fs iso9660,rockridge --session-start "${msinfo#*,}" -o "$T/extra.iso" "$T/tree" ||
	fail "mkimage --session-start ${msinfo#*,}"
# The same through the mkisofs front end, as CD-Extra recipes call it (-C 0,NEXT, no -M).
"$MKIMAGE" -as mkisofs -quiet -R -C "$msinfo" -o "$T/extra-m.iso" "$T/tree" || fail "mkimage -as mkisofs -C $msinfo"
# Made for NEXT: the root directory lies at NEXT or after, as read from the session alone.
command -v isoinfo >/dev/null || fail "isoinfo not found: install the Debian package genisoimage"
for i in extra extra-m; do
	isoinfo -i "$T/$i.iso" -N "${msinfo#*,}" -R -x /notes.txt | grep -qx 'liner notes' ||
		fail "CD-Extra: $i.iso read as a session at ${msinfo#*,} lacks notes.txt"
done
expect_rc 0 W -d "$D" --multisession "$T/extra.iso"
expect_rc 0 W -d "$D" --info --json
expect_json '["media"]["tracks"].__len__()' 3 "CD-Extra: 3 tracks"
expect_json '["media"]["tracks"][2]["session"]' 2 "CD-Extra: session 2"
expect_json '["media"]["tracks"][2]["type"]' "mode 1" "CD-Extra: data track"
expect_json '["media"]["tracks"][2]["start"]' "${msinfo#*,}" "CD-Extra: data at NEXT"
expect_rc 0 W -d "$D" --check "$T/extra.iso"
expect_rc 0 W -d "$D" --read-audio "$T/rip-extra"
rip_equal "$T/rip-extra" 1 "$T/a.wav"
rip_equal "$T/rip-extra" 2 "$T/c.raw"
note "CD-Extra: audio session, data session, audio read back"
echo "PASS: writeimg_audio"
