#!/usr/bin/python3
"""Give back to a reader's copy of a tree the source names the reader cannot show.

    fix_names.py SOURCE COPY [--latin1] [--prefix]

A few names come out of the Linux kernel's file system drivers in a predictable other
form. Renaming them back lets compare_tree.py check everything else about those entries
(bytes, mode, owner, times) instead of leaving them out:
  --latin1  a source name that is not UTF-8, shown as its Latin-1 reading in UTF-8
            (UDF names are Unicode: mkimage records such a name as Latin-1);
  --prefix  a long source name shown cut short (a proper prefix of it): Linux isofs
            stops at the Rock Ridge NM entry that would reach 254 bytes; the udf driver
            cuts it and appends "#" and a 4-digit CRC of the name (fs/udf/unicode.c,
            udf_translate_to_linux), e.g. "ééé…é#BBE6".
Each rename is printed. The directory's times are kept. Exit status 0.
"""
import os
import re
import sys


def utf8(b):
    try:
        b.decode('utf-8')
        return True
    except UnicodeDecodeError:
        return False


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = (os.fsencode(a) for a in args)
    latin1, prefix = '--latin1' in sys.argv, '--prefix' in sys.argv
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        droot = dst if rel == b'.' else os.path.join(dst, rel)
        if not os.path.isdir(droot) or os.path.islink(droot):
            continue
        have = set(os.listdir(droot))
        st = os.stat(droot)
        changed = False
        for name in sorted(dirs + files):
            if name in have:
                continue
            found = None
            if latin1 and not utf8(name):
                alt = name.decode('latin-1').encode('utf-8')
                if alt in have:
                    found = alt
            if found is None and prefix:
                cut = [t for t in have if t not in set(dirs + files) and
                       (len(t) < len(name) and name.startswith(t) or
                        re.fullmatch(rb'(.+)#[0-9A-F]{4}', t) and
                        name.startswith(re.fullmatch(rb'(.+)#[0-9A-F]{4}', t).group(1)))]
                if len(cut) == 1:
                    found = cut[0]
            if found is None:
                continue
            os.rename(os.path.join(droot, found), os.path.join(droot, name))
            have.discard(found)
            have.add(name)
            changed = True
            print('renamed %r -> %r in %s' % (found, name, os.fsdecode(rel)))
        if changed:
            os.utime(droot, ns=(st.st_atime_ns, st.st_mtime_ns))
    return 0


if __name__ == '__main__':
    sys.exit(main())
