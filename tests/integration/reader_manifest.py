#!/usr/bin/python3
"""Manifests of what the listing readers (isoinfo, 7z) show of an ISO image.

    reader_manifest.py isoinfo --view rr|joliet|iso IMAGE OUT.json
    reader_manifest.py 7z IMAGE OUT.json

Neither reader restores a tree faithfully by extracting (isoinfo only extracts single
files to stdout; 7z's extraction rewrites or drops symlinks and drops modes), so the test
reads what each one *shows*: its listing for names, types, modes, sizes, symlink targets,
link counts, and its extraction of file data for contents. The manifest is compared with
the source by compare_tree.py --manifest. What each listing lacks is left out of the
manifest; the tests relax compare_tree for it, saying why.

isoinfo (cdrkit 1.1.11, `isoinfo -l [-R|-J]`): fixed columns (diag/isoinfo.c dump_stat):
  type and rwx bits only (no set-id/sticky bits), link count (PX), uid and gid in octal
  in 4-digit fields that overflow into each other, the size of the directory record (32
  bits), the ISO 9660 record date to the day, the extent; then the name and "-> target"
  for symlinks. Joliet names are converted one byte per character through ISO-8859-1
  ('_' for the rest). Contents come from `isoinfo -x PATH` per file.
7z (p7zip 16.02, `7z l -slt -ba`): Path, Folder, Size, Modified (local time, whole
  seconds), Mode (ls -l string, set-id bits included), Symbolic Link. It shows the Joliet
  tree when there is one, else Rock Ridge names and attributes, else ISO 9660 names with
  ";1" dropped. Contents come from one `7z x` into a scratch directory.
"""

import calendar
import concurrent.futures
import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import time


def die(msg):
    sys.stderr.write('reader_manifest: %s\n' % msg)
    sys.exit(2)


def run(argv, **kw):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    except FileNotFoundError:
        die('%s not found' % argv[0])


TYPE_CHARS = {'-': 'file', 'd': 'dir', 'l': 'symlink', 'c': 'chr', 'b': 'blk', 'p': 'fifo',
              'f': 'fifo', 's': 'sock'}


def parse_ls_mode(s):
    """'-rwsr-x--T' -> (type, permission bits including set-id and sticky)."""
    t = TYPE_CHARS.get(s[0], 'unknown ' + s[0])
    m = 0
    for i, (bit, ch) in enumerate(zip((0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 4, 2, 1),
                                      s[1:10])):
        if ch not in '-ST':
            m |= bit
        if i == 2 and ch in 'sS':
            m |= 0o4000
        if i == 5 and ch in 'sS':
            m |= 0o2000
        if i == 8 and ch in 'tT':
            m |= 0o1000
    return t, m


def sha256_of(data_iter):
    h = hashlib.sha256()
    n = 0
    for b in data_iter:
        h.update(b)
        n += len(b)
    return h.hexdigest(), n


# ---------------------------------------------------------------------------------------

def isoinfo_manifest(view, image):
    flag = {'rr': ['-R'], 'joliet': ['-J'], 'iso': []}[view]
    p = run(['isoinfo'] + flag + ['-l', '-i', image])
    if p.returncode != 0:
        die('isoinfo -l failed (exit %d): %s' % (p.returncode, p.stderr.decode(errors='replace')))
    entries = []
    cur = None
    for line in p.stdout.split(b'\n'):
        if line.startswith(b'Directory listing of '):
            cur = line[len(b'Directory listing of '):]
            if not cur.startswith(b'/') or not cur.endswith(b'/'):
                die('unexpected header %r' % line)
            cur = cur[1:]
            continue
        if cur is None or len(line) < 68:
            continue
        outline, rest = line[:66], line[67:]
        t, mode = parse_ls_mode(outline[:10].decode('ascii'))
        target = None
        if t == 'symlink' and b' -> ' in rest:
            name, target = rest.split(b' -> ', 1)
        elif t == 'symlink' and rest.endswith(b' ->'):
            name, target = rest[:-3], b''
        else:
            if not rest.endswith(b' '):
                die('cannot parse isoinfo line %r' % line)
            name = rest[:-1]
        if name in (b'.', b'..'):
            continue
        e = {'path': os.fsdecode(cur + name), 'type': t}
        nlink = outline[11:15].strip()
        uid, gid = outline[15:20].strip(), outline[20:30].strip()
        size, extent = outline[30:40].strip(), outline[54:61].strip()
        if view == 'rr':
            e['mode'] = mode
            e['nlink'] = int(nlink)
            e['uid'], e['gid'] = int(uid, 8), int(gid, 8)
        if t == 'symlink':
            # isoinfo strips a trailing '/' from what it prints, so a target of just "/"
            # shows as nothing (an SL entry cannot hold an empty target).
            e['target'] = os.fsdecode(target or b'/')
        if t == 'file':
            e['size'] = int(size)
            e['extent'] = int(extent)
            if e['size'] > 0:
                # Files sharing an extent are one file (what libarchive goes by, too).
                e['ino'] = ['extent', e['extent']]
        entries.append(e)
    def extract(e):
        x = run(['isoinfo'] + flag + ['-i', image, '-x', b'/' + os.fsencode(e['path'])])
        if x.returncode != 0:
            e['error'] = 'isoinfo -x exit %d' % x.returncode
            return
        e['sha256'] = hashlib.sha256(x.stdout).hexdigest()
        if len(x.stdout) != e['size']:
            e['extracted_size'] = len(x.stdout)

    # one isoinfo per file; two at a time (the machine has two cores)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(extract, [e for e in entries if e['type'] == 'file']))
    return entries


# ---------------------------------------------------------------------------------------

def sevenzip_manifest(image):
    p = run(['7z', 'l', '-slt', '-ba', image])
    if p.returncode != 0:
        die('7z l failed (exit %d): %s' % (p.returncode, (p.stdout + p.stderr).decode(
            errors='replace')[-2000:]))
    entries = []
    for block in p.stdout.split(b'\n\n'):
        kv = {}
        for line in block.split(b'\n'):
            if b' = ' in line:
                k, v = line.split(b' = ', 1)
                kv[k.decode()] = v
            elif line.endswith(b' ='):
                kv[line[:-2].decode()] = b''
        if b'' == kv.get('Path', b''):
            continue
        mode = kv.get('Mode', b'').decode()
        if mode:
            t, m = parse_ls_mode(mode)
        else:
            t, m = ('dir' if kv.get('Folder') == b'+' else 'file'), None
        e = {'path': os.fsdecode(kv['Path']), 'type': t}
        if m is not None:
            e['mode'] = m
        mt = kv.get('Modified', b'').decode()
        if mt:
            e['mtime'] = calendar.timegm(time.strptime(mt[:19], '%Y-%m-%d %H:%M:%S'))
        if t == 'file':
            e['size'] = int(kv['Size'] or 0)
        if t == 'symlink':
            tg = kv.get('Symbolic Link', b'')
            # 7z ends the "." and ".." components it decodes with '/' ("./", "../"); a
            # Rock Ridge target cannot end with '/', so drop it.
            if len(tg) > 1 and tg.endswith(b'/'):
                tg = tg[:-1]
            e['target'] = os.fsdecode(tg)
        entries.append(e)
    with tempfile.TemporaryDirectory(prefix='7zx.', dir=os.environ.get('TMPDIR')) as tmp:
        # Extraction errors (symlinks 7z deems unsafe, names like "..") are expected: the
        # contents that did come out are hashed, the rest is reported as missing content.
        x = run(['7z', 'x', '-y', '-snl', '-o' + tmp, image])
        root = os.fsencode(tmp)
        for e in entries:
            if e['type'] != 'file':
                continue
            full = root + b'/' + os.fsencode(e['path'])
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            with open(full, 'rb') as f:
                e['sha256'], n = sha256_of(iter(lambda: f.read(1 << 20), b''))
        if x.returncode not in (0, 1, 2):
            die('7z x failed (exit %d)' % x.returncode)
    return entries


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ('isoinfo', '7z'):
        die('usage: reader_manifest.py isoinfo --view rr|joliet|iso IMAGE OUT.json | '
            '7z IMAGE OUT.json')
    if sys.argv[1] == 'isoinfo':
        if len(sys.argv) != 6 or sys.argv[2] != '--view':
            die('usage: reader_manifest.py isoinfo --view rr|joliet|iso IMAGE OUT.json')
        view, image, out = sys.argv[3], sys.argv[4], sys.argv[5]
        entries = isoinfo_manifest(view, image)
    else:
        if len(sys.argv) != 4:
            die('usage: reader_manifest.py 7z IMAGE OUT.json')
        image, out = sys.argv[2], sys.argv[3]
        entries = sevenzip_manifest(image)
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'reader': sys.argv[1], 'entries': entries}, f)
    return 0


if __name__ == '__main__':
    sys.exit(main())
