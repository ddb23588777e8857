# Shared by the writeimg_*.sh tests (sourced, not run). Starts and stops a private tgtd
# as spec/drive-notes.md ("Starting tgtd") describes: its own state folder and short socket path, a
# loopback portal on a free port (a failed bind is detected in the log and retried on
# another port), stopped with tgtadm and a kill of only the PID it started.

: "${WRITEIMG:?WRITEIMG must name the writeimg binary}"

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# expect_rc WANT CMD...: run CMD, require exit status WANT; output in $OUT.
expect_rc() {
	local want=$1; shift
	set +e
	OUT=$("$@" 2>&1)
	local rc=$?
	set -e
	if [ "$rc" != "$want" ]; then
		printf '%s\n' "$OUT" >&2
		fail "expected exit $want, got $rc: $*"
	fi
}

expect_out() {
	printf '%s\n' "$OUT" | grep -qE -- "$1" || { printf '%s\n' "$OUT" >&2; fail "output lacks /$1/"; }
}

# json_get PATH: the value at PATH (Python subscripts, e.g. '["media"]["tracks"][0]') of
# the JSON on standard input (writeimg --json).
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# expect_json PATH WANT WHAT: the value at PATH of $OUT (writeimg --json) is WANT.
expect_json() {
	local got
	got=$(printf '%s' "$OUT" | json_get "$1") || fail "$3: no $1 in the JSON"
	[ "$got" = "$2" ] || fail "$3 (got '$got', want '$2')"
}

# Random printable data of N bytes, reproducible from a seed.
# make_image FILE BYTES [VOLID [START]]: random data carrying an ISO 9660 primary volume
# descriptor (ECMA-119 8.4: type 1, "CD001", volume id at 40, volume space size at 80) and a
# terminator at sectors 16-17, so writeimg identifies it as an image; START: made for a
# session at that LBA (the volume space size counts from 0). make_raw: no descriptors
# (writeimg needs --raw).
make_image() {
	python3 - "$1" "$2" "${3:-WRITEIMG_TEST}" "${4:-0}" <<'PYEOF'
import os, struct, sys
path, size, volid, start = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
data = bytearray(os.urandom(size))
pvd = bytearray(2048)
pvd[0:6] = b"\x01CD001"; pvd[6] = 1
pvd[40:72] = volid.encode().ljust(32)
blocks = (size + 2047) // 2048 + start
pvd[80:88] = struct.pack("<I", blocks) + struct.pack(">I", blocks)
term = bytearray(2048); term[0:7] = b"\xffCD001\x01"
data[16 * 2048:17 * 2048] = pvd
data[17 * 2048:18 * 2048] = term
open(path, "wb").write(data)
PYEOF
}
make_raw() { head -c "$2" /dev/urandom >"$1"; }

TGT_PID=
TGT_STATE=
TGT_C=

tgt_stop() {
	[ -n "$TGT_PID" ] || return 0
	TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" --lld iscsi --mode target --op delete \
		--force --tid 1 >/dev/null 2>&1 || true
	TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" --mode sys --op delete \
		>/dev/null 2>&1 || true
	local i
	for i in $(seq 1 50); do
		kill -0 "$TGT_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$TGT_PID" 2>/dev/null; then
		kill -9 "$TGT_PID" 2>/dev/null || true
	fi
	wait "$TGT_PID" 2>/dev/null || true
	TGT_PID=
}

# tgt_start BACKING_FILE [TYPE]: a DVD+R (empty file) or DVD-ROM LUN, or with TYPE disk a
# hard disk LUN; sets TGT_URL.
tgt_start() {
	local backing=$1 type=${2:-cd} try port
	command -v tgtd >/dev/null || fail "tgtd not found: install the Debian package tgt"
	[ -n "$TGT_STATE" ] || TGT_STATE=$(mktemp -d /tmp/wt.XXXXXX)
	for try in 1 2 3 4 5; do
		port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
		TGT_C=$(( 1 + RANDOM % 999 ))
		rm -f "$TGT_STATE"/socket* "$TGT_STATE/tgtd.log"
		TGT_IPC_SOCKET=$TGT_STATE/socket setsid tgtd -f -C "$TGT_C" \
			--iscsi portal=127.0.0.1:$port </dev/null >"$TGT_STATE/tgtd.log" 2>&1 &
		TGT_PID=$!
		local up=0 i
		for i in $(seq 1 100); do
			if TGT_IPC_SOCKET=$TGT_STATE/socket tgtadm -C "$TGT_C" --lld iscsi --mode sys \
				--op show >/dev/null 2>&1; then up=1; break; fi
			kill -0 "$TGT_PID" 2>/dev/null || break
			sleep 0.05
		done
		if [ $up = 1 ] && ! grep -q "failed to create/bind" "$TGT_STATE/tgtd.log"; then
			break
		fi
		note "tgtd could not use port $port (try $try): $(tail -3 "$TGT_STATE/tgtd.log" | tr '\n' ' ')"
		tgt_stop
	done
	[ -n "$TGT_PID" ] || fail "tgtd did not start"
	local adm="tgtadm -C $TGT_C --lld iscsi"
	TGT_IPC_SOCKET=$TGT_STATE/socket $adm --mode target --op new --tid 1 \
		--targetname iqn.2026-11.test:dvdr || fail "tgtadm target new"
	TGT_IPC_SOCKET=$TGT_STATE/socket $adm --mode logicalunit --op new --tid 1 --lun 1 \
		--backing-store "$backing" --device-type "$type" || fail "tgtadm logicalunit new"
	TGT_IPC_SOCKET=$TGT_STATE/socket $adm --mode target --op bind --tid 1 \
		--initiator-address ALL || fail "tgtadm bind"
	TGT_URL=iscsi://127.0.0.1:$port/iqn.2026-11.test:dvdr/1
	note "tgtd $TGT_PID on 127.0.0.1:$port, state $TGT_STATE"
}
