#!/usr/bin/python3
"""Make a seed for tests/fuzz/fuzz_import.c from a disc image (sector n at byte n * 2048).

    make_import_seed.py IMAGE SEED

Only the sectors the importer reads are kept: volume descriptors, directories (a sector
that starts with a "." record) and System Use continuation areas (a sector holding SUSP
entries); for UDF the recognition sequence and every sector that starts with a descriptor
tag (anchors, volume descriptors, FSD, file entries, FIDs); file data and gaps become
zeros, which the seed format skips for free. Images larger than the target's 2048 sectors
are refused.
"""
import struct
import sys

SEC = 2048


def udf_tag(s):
    ident, = struct.unpack_from('<H', s, 0)
    if not (1 <= ident <= 9 or 256 <= ident <= 266):
        return False
    return s[4] == sum(s[i] for i in range(16) if i != 4) & 0xff


def is_meta(s):
    if s[1:6] == b'CD001':
        return True
    if s[1:6] in (b'BEA01', b'NSR02', b'NSR03', b'TEA01') or udf_tag(s):
        return True
    if s[0] >= 34 and s[32] == 1 and s[33] == 0 and s[25] & 2:
        return True
    # a continuation area: SUSP entries (two capitals, a length, version 1) somewhere
    for i in range(0, SEC - 4, 2):
        if 65 <= s[i] <= 90 and 65 <= s[i + 1] <= 90 and s[i + 2] >= 4 and s[i + 3] == 1:
            if bytes(s[i:i + 2]) in (b'NM', b'SL', b'PX', b'TF', b'CE', b'PN', b'ER', b'ST'):
                return True
    return False


def main():
    img, out = sys.argv[1], sys.argv[2]
    data = open(img, 'rb').read()
    n = len(data) // SEC
    if n > 2048:
        sys.exit('%s: %d sectors, more than the 2048 the target takes' % (img, n))
    enc = bytearray(struct.pack('<H', n - 17))
    skip = 0
    for lba in range(16, n):
        s = data[lba * SEC:(lba + 1) * SEC]
        if not any(s) or not is_meta(s):
            if skip == 255:  # 255 skipped, this one written as zeros
                enc += bytes([255]) + bytes(SEC)
                skip = 0
            else:
                skip += 1
            continue
        enc += bytes([skip]) + s
        skip = 0
    open(out, 'wb').write(enc)


main()
