#!/usr/bin/env python3
"""An independent Mode 1 / Mode 2 form 1 sector encoder (ECMA-130 annex A), written apart
from common/dm_cd_sector.c to give test_cd_sector its expected values: the EDC by
polynomial long division over the bit stream (least significant bit of each byte first),
the P and Q parity by solving the two check equations with log/antilog tables.
Run: python3 tests/unit/cd_sector_vector.py  (prints the values test_cd_sector.c holds);
python3 tests/unit/cd_sector_vector.py --raw-mode1 IN OUT turns an image of 2,048-byte
sectors into raw Mode 1 sectors from LBA 0 (the MODE1/2352 BIN of tests/guest/guest_peers.sh)."""
import hashlib

POLY = (1 << 32) | (1 << 31) | (1 << 16) | (1 << 15) | (1 << 4) | (1 << 3) | (1 << 1) | 1


def edc(data):
    # The message bits in transmission order (LSB first), times x^32, modulo POLY; the
    # remainder's coefficient of x^(31-i) is bit i of the stored value.
    bits = []
    for b in data:
        bits.extend((b >> i) & 1 for i in range(8))
    rem = 0
    for bit in bits + [0] * 32:
        rem = (rem << 1) | bit
        if rem >> 32:
            rem ^= POLY
    out = 0
    for i in range(32):
        if (rem >> (31 - i)) & 1:
            out |= 1 << i
    return out


EXP, LOG = [0] * 510, [0] * 256
x = 1
for i in range(255):
    EXP[i] = x
    LOG[x] = i
    x <<= 1
    if x & 0x100:
        x ^= 0x11D
for i in range(255, 510):
    EXP[i] = EXP[i - 255]


def mul(a, b):
    return 0 if a == 0 or b == 0 else EXP[LOG[a] + LOG[b]]


def div(a, b):
    return 0 if a == 0 else EXP[(LOG[a] - LOG[b]) % 255]


def parity(vals):
    # p0 (weight alpha) and p1 (weight 1): p0 + p1 = s0, alpha p0 + p1 = s1
    n = len(vals)
    s0 = s1 = 0
    for k, v in enumerate(vals):
        s0 ^= v
        s1 ^= mul(v, EXP[n + 1 - k])
    p0 = div(s0 ^ s1, EXP[1] ^ 1)
    return p0, s0 ^ p0


def ecc(sec):
    b = 12
    for plane in range(2):
        for c in range(43):
            vals = [sec[b + 2 * (43 * m + c) + plane] for m in range(24)]
            p0, p1 = parity(vals)
            sec[b + 2 * (1032 + c) + plane] = p0
            sec[b + 2 * (1075 + c) + plane] = p1
    for plane in range(2):
        for d in range(26):
            vals = [sec[b + 2 * ((44 * m + 43 * d) % 1118) + plane] for m in range(43)]
            p0, p1 = parity(vals)
            sec[b + 2 * (1118 + d) + plane] = p0
            sec[b + 2 * (1144 + d) + plane] = p1


def bcd(v):
    return (v // 10) << 4 | v % 10


def header(lba, mode):
    f = lba + 150
    return bytes([0] + [0xFF] * 10 + [0, bcd(f // 4500), bcd(f // 75 % 60), bcd(f % 75), mode])


def user_pattern():
    return bytes((i * 7 + 3) & 0xFF for i in range(2048))


def mode1(lba, user=None):
    sec = bytearray(header(lba, 1) + (user if user is not None else user_pattern()) +
                    bytes(2352 - 2064))
    sec[2064:2068] = edc(sec[0:2064]).to_bytes(4, "little")
    ecc(sec)
    return bytes(sec)


def mode2_form1(lba):
    sub = bytes([0, 0, 0x08, 0])
    sec = bytearray(header(lba, 2) + sub + sub + user_pattern() + bytes(2352 - 2072))
    sec[2072:2076] = edc(sec[16:2072]).to_bytes(4, "little")
    hdr = sec[12:16]
    sec[12:16] = bytes(4)
    ecc(sec)
    sec[12:16] = hdr
    return bytes(sec)


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 4 and sys.argv[1] == "--raw-mode1":
        with open(sys.argv[2], "rb") as f, open(sys.argv[3], "wb") as out:
            lba = 0
            while True:
                user = f.read(2048)
                if not user:
                    break
                out.write(mode1(lba, user.ljust(2048, b"\0")))
                lba += 1
        sys.exit(0)
    for name, sec in (("mode1 lba 16", mode1(16)), ("mode2 form1 lba 4500", mode2_form1(4500))):
        print(name, "edc", sec[2064:2068].hex() if sec[15] == 1 else sec[2072:2076].hex(),
              "p0", sec[2076:2080].hex(), "q0", sec[2248:2252].hex(),
              "sha256", hashlib.sha256(sec).hexdigest())
