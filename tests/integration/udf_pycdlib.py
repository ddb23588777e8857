#!/usr/bin/python3
"""Walk the UDF side of an image with pycdlib (Debian's python3-pycdlib) and write a
manifest for compare_tree.py: paths, types, POSIX modes (UDF permissions and ICB flags),
owners, mtimes, sizes and the SHA-256 of each file's bytes, and hard links (files sharing
a file entry).

    udf_pycdlib.py IMAGE OUT.json

pycdlib 1.12 reads UDF only beside ISO 9660 (it needs the primary volume descriptor), only
file entries (not the extended ones of UDF 2.00 and later) and only type 1 partition maps:
the tests use it on bridge images of UDF 1.02 and 1.50. Symlink targets are not shown.
Run it with /usr/bin/python3: the pyenv python3 on PATH has no pycdlib.
"""
import calendar
import hashlib
import io
import json
import sys

import pycdlib


def mode_of(fe):
    p = fe.perms
    m = 0
    for cls in range(3):
        bits = (p >> (5 * cls)) & 0x1F
        m |= ((bits & 4 and 4) | (bits & 2 and 2) | (bits & 1 and 1)) << (3 * cls)
    flags = fe.icb_tag.flags
    if flags & (1 << 6):
        m |= 0o4000
    if flags & (1 << 7):
        m |= 0o2000
    if flags & (1 << 8):
        m |= 0o1000
    return m


def mtime_of(ts):
    return calendar.timegm((ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second))


def main():
    img, out = sys.argv[1], sys.argv[2]
    p = pycdlib.PyCdlib()
    p.open(img)
    if not p.has_udf():
        sys.stderr.write('udf_pycdlib: no UDF in %s\n' % img)
        return 1
    entries = []
    for root, dirs, files in p.walk(udf_path='/'):
        for name in dirs + files:
            path = root.rstrip('/') + '/' + name
            fe = p.get_record(udf_path=path)
            ft = fe.icb_tag.file_type
            e = {'path': path.lstrip('/'), 'uid': fe.uid, 'gid': fe.gid,
                 'mtime': mtime_of(fe.mod_time), 'mode': mode_of(fe)}
            if ft == 4:
                e['type'] = 'dir'
            elif ft == 12:
                e['type'] = 'symlink'
                e['target'] = None
            elif ft == 5:
                e['type'] = 'file'
                e['size'] = fe.get_data_length()
                e['nlink'] = fe.file_link_count
                e['ino'] = [0, fe.unique_id]
                b = io.BytesIO()
                p.get_file_from_iso_fp(b, udf_path=path)
                e['sha256'] = hashlib.sha256(b.getvalue()).hexdigest()
            else:
                e['type'] = {6: 'blk', 7: 'chr', 9: 'fifo', 10: 'sock'}.get(ft, 'other')
            entries.append(e)
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'reader': 'pycdlib-udf', 'entries': entries}, f, ensure_ascii=False)
    p.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
