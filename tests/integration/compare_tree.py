#!/usr/bin/python3
"""Compare what a reader shows of an ISO image with the source tree it was made from.

    compare_tree.py [options] SOURCE TARGET

SOURCE is the directory given to mkimage. TARGET is either a directory a reader extracted
the image into, or (with --manifest) a JSON manifest written by reader_manifest.py for
readers that only list (isoinfo, 7z). Names are compared as bytes.

--view says which hierarchy the reader showed:
  rr      Rock Ridge: source names, every file type, modes, owners, times, links.
  joliet  Joliet: files and directories only, names mapped to at most --joliet-max
          UCS-2 characters by mkimage's rules (mkimage/iso/iso_names.h, ported below).
  iso     plain ISO 9660: files and directories (plus, with --rr-present, symlinks and
          special files as empty files), names "NAME.EXT;1" mapped for --iso-level (Joliet
          file names carry no ";1").
--name-form says how the reader shows an identifier: raw (";1" included), or a
comma list of strip-version (drop ";1"), strip-dot (then drop one trailing '.'), latin1
(Joliet characters above U+00FF shown as '_', one byte each, as isoinfo does), nfc
(Joliet names shown in Unicode normalization form C, as libarchive converts them).

Everything is compared unless an option relaxes it; each relaxation used by a test must
carry a comment there saying why that reader cannot carry the attribute.
Exit status: 0 same, 1 differences (listed on stdout), 2 usage or internal error.
"""

import argparse
import hashlib
import json
import os
import stat
import sys
import unicodedata

# ---------------------------------------------------------------------------------------
# mkimage's identifier rules (mkimage/iso/iso_names.c), ported exactly. Keep in step with it.

INVALID = -1
L1_NAME, L1_EXT, L1_DIR = 8, 3, 8
L2_NAME_EXT, L2_EXT_KEEP, L2_DIR = 29, 8, 31
JOLIET_EXT_KEEP = 16


def utf8_codepoints(b):
    """dm_utf8_next: RFC 3629; an invalid or truncated sequence yields INVALID for one byte."""
    out = []
    i, n = 0, len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append(c)
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            k, cp, mn = 1, c & 0x1F, 0x80
        elif 0xE0 <= c <= 0xEF:
            k, cp, mn = 2, c & 0x0F, 0x800
        elif 0xF0 <= c <= 0xF4:
            k, cp, mn = 3, c & 0x07, 0x10000
        else:
            out.append(INVALID)
            i += 1
            continue
        if i + k >= n:
            out.append(INVALID)
            i += 1
            continue
        ok = True
        for j in range(1, k + 1):
            bb = b[i + j]
            if bb & 0xC0 != 0x80:
                ok = False
                break
            cp = (cp << 6) | (bb & 0x3F)
        if not ok or cp < mn or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            out.append(INVALID)
            i += 1
            continue
        out.append(cp)
        i += k + 1
    return out


def iso_dchar(cp):
    if ord('A') <= cp <= ord('Z') or ord('0') <= cp <= ord('9') or cp == ord('_'):
        return cp
    if ord('a') <= cp <= ord('z'):
        return cp - 32
    return ord('_')


def joliet_char(cp):
    if cp == INVALID or cp > 0xFFFF or cp < 0x20:
        return ord('_')
    if chr(cp) in '*/:;?\\':
        return ord('_')
    return cp


def last_dot(s):
    for i in range(len(s), 1, -1):
        if s[i - 1] == 0x2E:
            return i - 1
    return 0


class Shape:
    __slots__ = ('name', 'ext', 'dot', 'file')

    def __init__(self):
        self.name, self.ext, self.dot, self.file = [], [], False, False

    def copy(self):
        s = Shape()
        s.name, s.ext, s.dot, s.file = list(self.name), list(self.ext), self.dot, self.file
        return s


def split_and_map(src, is_dir, split, joliet):
    s = Shape()
    s.file = not is_dir
    dot = last_dot(src) if split else 0
    f = joliet_char if joliet else iso_dchar
    if dot:
        s.name = [f(c) for c in utf8_codepoints(src[:dot])]
        s.ext = [f(c) for c in utf8_codepoints(src[dot + 1:])]
        s.dot = True
    else:
        s.name = [f(c) for c in utf8_codepoints(src)]
    return s


def iso_shape(src, is_dir, level):
    s = split_and_map(src, is_dir, not is_dir, False)
    if is_dir:
        s.name = s.name[:L1_DIR if level == 1 else L2_DIR]
        return s
    s.dot = True
    if level == 1:
        s.name, s.ext = s.name[:L1_NAME], s.ext[:L1_EXT]
    elif len(s.name) + len(s.ext) > L2_NAME_EXT:
        nl = len(s.name)
        left = L2_NAME_EXT - nl if nl < L2_NAME_EXT - L2_EXT_KEEP else L2_EXT_KEEP
        s.ext = s.ext[:left]
        s.name = s.name[:L2_NAME_EXT - len(s.ext)]
    return s


def merge_ext(s, mx):
    if s.dot and len(s.name) < mx:
        s.name = s.name + [0x2E] + s.ext[:mx - len(s.name) - 1]
    s.name = s.name[:mx]
    s.ext, s.dot = [], False


def joliet_shape(src, is_dir, mx):
    s = split_and_map(src, is_dir, True, True)
    total = len(s.name) + (1 + len(s.ext) if s.dot else 0)
    if total <= mx:
        return s
    if s.dot and len(s.ext) <= JOLIET_EXT_KEEP and len(s.ext) + 1 <= mx // 2:
        s.name = s.name[:mx - 1 - len(s.ext)]
    else:
        merge_ext(s, mx)
    return s


def stem_shape(joliet, level, mx, plain, nd):
    """The plain shape with the end of its name part replaced by nd placeholder units (0)
    where the counter's digits go; None when they do not fit beside one character."""
    s = plain.copy()
    if joliet:
        if s.dot and mx < len(s.ext) + 1 + nd + 1:
            merge_ext(s, mx)
        room = mx - 1 - len(s.ext) if s.dot else mx
    elif not s.file:
        room = L1_DIR if level == 1 else L2_DIR
    elif level == 1:
        room = L1_NAME
    else:
        if len(s.ext) + nd + 1 > L2_NAME_EXT:
            s.ext = s.ext[:L2_NAME_EXT - nd - 1]
        room = L2_NAME_EXT - len(s.ext)
    if room < nd + 1:
        return None
    s.name = s.name[:min(len(s.name), room - nd)] + [0] * nd
    return s


def put_counter(stem, nd, c):
    s = stem.copy()
    for i in range(nd):
        s.name[len(s.name) - 1 - i] = ord('0') + c % 10
        c //= 10
    return s


def encode(s, joliet):
    units = list(s.name)
    if s.dot:
        units += [0x2E] + s.ext
    if s.file and not joliet:  # Joliet file names carry no ";1" (iso_names.h)
        units += [0x3B, 0x31]
    return tuple(units)


def key_of(units, joliet):
    u = list(units)
    if len(u) >= 2 and u[-2:] == [0x3B, 0x31]:
        u = u[:-2]
    if not joliet and u and u[-1] == 0x2E:
        u = u[:-1]
    return tuple(u)


def assign_ids(entries, joliet, level=3, mx=64):
    """entries: list of (src_name_bytes, is_dir) of one directory.
    Returns {src_name: identifier as a tuple of units}, as iso_names_assign() or
    joliet_names_assign() would."""
    def plain_shape(src, is_dir):
        return joliet_shape(src, is_dir, mx) if joliet else iso_shape(src, is_dir, level)

    ids = {e: encode(plain_shape(*e), joliet) for e in entries}
    order = sorted(entries, key=lambda e: (e[0], e[1]))
    owner = {}
    for e in order:  # pass 1: plain identifiers, first source (bytewise) keeps it
        owner.setdefault(key_of(ids[e], joliet), e)
    stems = {}
    for e in order:  # pass 2: the others take counter names
        if owner[key_of(ids[e], joliet)] == e:
            continue
        plain = plain_shape(*e)
        done = False
        for nd in range(1, 10):
            stem = stem_shape(joliet, level, mx, plain, nd)
            if stem is None:
                break
            skey = key_of(encode(stem, joliet), joliet)
            nxt = stems.get(skey, 1 if nd == 1 else 10 ** (nd - 1))
            while nxt < 10 ** nd:
                cid = encode(put_counter(stem, nd, nxt), joliet)
                nxt += 1
                ck = key_of(cid, joliet)
                if ck in owner:
                    continue
                owner[ck] = e
                ids[e] = cid
                done = True
                break
            stems[skey] = nxt
            if done:
                break
        if not done:
            raise ValueError('no unique name for %r' % (e[0],))
    return {e[0]: ids[e] for e in entries}


def id_to_bytes(units, joliet, forms):
    """The identifier as the reader shows it (bytes)."""
    u = list(units)
    if 'strip-version' in forms and len(u) >= 2 and u[-2:] == [0x3B, 0x31]:
        u = u[:-2]
    if 'strip-dot' in forms and len(u) > 1 and u[-1] == 0x2E:
        u = u[:-1]
    if not joliet:
        return bytes(u)
    if 'latin1' in forms:
        return bytes(c if c <= 0xFF else 0x5F for c in u)
    s = ''.join(chr(c) for c in u)
    if 'nfc' in forms:
        s = unicodedata.normalize('NFC', s)
    return s.encode('utf-8')


# ---------------------------------------------------------------------------------------
# Trees as dictionaries: relative path (bytes, '/'-separated, b'' for the root) -> entry.

TYPES = {stat.S_IFREG: 'file', stat.S_IFDIR: 'dir', stat.S_IFLNK: 'symlink',
         stat.S_IFCHR: 'chr', stat.S_IFBLK: 'blk', stat.S_IFIFO: 'fifo',
         stat.S_IFSOCK: 'sock'}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def scan_dir(root):
    """Entries of a real directory tree (source or an extraction)."""
    tree = {}
    root = os.fsencode(root)

    def visit(rel, full):
        st = os.lstat(full)
        t = TYPES.get(stat.S_IFMT(st.st_mode), 'other')
        e = {'type': t, 'mode': stat.S_IMODE(st.st_mode), 'uid': st.st_uid, 'gid': st.st_gid,
             'mtime': int(st.st_mtime), 'nlink': st.st_nlink, 'ino': [st.st_dev, st.st_ino]}
        if t == 'file':
            e['size'] = st.st_size
            e['sha256'] = sha256_file(full)
        elif t == 'symlink':
            e['target'] = os.readlink(full)
        elif t in ('chr', 'blk'):
            e['rdev'] = [os.major(st.st_rdev), os.minor(st.st_rdev)]
        tree[rel] = e
        if t == 'dir':
            e['children'] = sorted(os.listdir(full))
            for n in e['children']:
                visit(rel + b'/' + n if rel else n, full + b'/' + n)

    visit(b'', root)
    return tree


def load_manifest(path):
    """A manifest: {"reader": ..., "entries": [{"path": str (surrogateescape), ...}]}."""
    with open(path, 'r', encoding='utf-8') as f:
        data = json.load(f)
    tree = {b'': {'type': 'dir', 'children': []}}
    for e in data['entries']:
        p = os.fsencode(e.pop('path'))
        if 'target' in e and e['target'] is not None:
            e['target'] = os.fsencode(e['target'])
        old = tree.get(p)
        if old is not None and 'children' in old:
            e['children'] = old['children']
        tree[p] = e
        if e.get('type') == 'dir':
            e.setdefault('children', [])
    # Link children to parents (creating directories a lister did not list itself).
    for p in sorted(list(tree.keys())):
        if p == b'':
            continue
        parent, _, name = p.rpartition(b'/')
        pe = tree.get(parent)
        if pe is None:
            pe = tree[parent] = {'type': 'dir', 'children': [], 'implied': True}
        pe.setdefault('children', []).append(name)
    for e in tree.values():
        if 'children' in e:
            e['children'] = sorted(set(e['children']))
    return tree


# ---------------------------------------------------------------------------------------

def show(p):
    return repr(p)[2:-1] if p else '/'


class Comparer:
    def __init__(self, args, src, dst):
        self.a, self.src, self.dst = args, src, dst
        self.problems = []
        self.notes = []
        self.checked = 0
        self.pairs = {}   # source path -> target path (regular files, for hard links)
        self.forms = set(f for f in args.name_form.split(',') if f and f != 'raw')
        self.excludes = set(os.fsencode(x).strip(b'/') for x in args.exclude)
        self.ce = set()
        if args.ce_unsupported:
            with open(args.ce_unsupported, encoding='utf-8') as f:
                self.ce = set(os.fsencode(x) for x in json.load(f))
            self.excludes |= self.ce

    def problem(self, path, msg):
        self.problems.append('%s: %s' % (show(path), msg))

    def visible(self, e):
        t = e['type']
        if self.a.view == 'rr':
            if t in ('chr', 'blk', 'fifo', 'sock') and self.a.no_special:
                return False
            return True
        if t in ('file', 'dir'):
            return True
        # Joliet never has symlinks or special files; ISO 9660 has their records (as
        # empty files) only when Rock Ridge rides on the same records.
        return self.a.view == 'iso' and self.a.rr_present

    def expected_names(self, spath, names):
        """({target name: source name}, {target names to ignore}) for the visible
        children of source directory spath."""
        kids, excluded = [], set()
        for n in names:
            sp = spath + b'/' + n if spath else n
            se = self.src[sp]
            if self.visible(se):
                kids.append((n, se['type'] == 'dir'))
                if sp in self.excludes:
                    excluded.add(n)
                elif se['type'] == 'sock' and self.a.no_sockets:
                    excluded.add(n)  # the reader makes no socket (or a plain file instead)
                elif se['type'] == 'symlink' and self.a.max_symlink_len is not None and \
                        len(se['target']) > self.a.max_symlink_len:
                    excluded.add(n)  # the reader cannot hold it (see the caller)
        out = {}
        if self.a.view == 'rr':
            for n, _ in kids:
                t = n
                if 'strip-dot' in self.forms and len(t) > 1 and t.endswith(b'.'):
                    t = t[:-1]
                out.setdefault(t, []).append(n)
        else:
            joliet = self.a.view == 'joliet'
            ids = assign_ids(kids, joliet, self.a.iso_level, self.a.joliet_max)
            for n, _ in kids:
                out.setdefault(id_to_bytes(ids[n], joliet, self.forms), []).append(n)
        result, ignore = {}, set()
        for t, ns in out.items():
            if len(ns) > 1:
                self.notes.append('%s: %d source names look alike to this reader (%s); '
                                  'not compared' % (show(spath), len(ns),
                                                    ', '.join(show(n) for n in ns)))
                ignore.add(t)
            elif ns[0] in excluded:
                ignore.add(t)
            else:
                result[t] = ns[0]
        return result, ignore

    def run(self):
        self.compare(b'', b'')
        self.check_hardlinks()

    def compare(self, spath, tpath):
        s, t = self.src[spath], self.dst.get(tpath)
        if t is None:
            self.problem(tpath, 'missing')
            return
        self.checked += 1
        if spath or self.a.root_attrs:
            self.compare_attrs(spath, tpath, s, t)
        if s['type'] != 'dir' or t.get('type') != 'dir':
            return
        want, ignore = self.expected_names(spath, s['children'])
        have = set(t.get('children', []))
        for tn in sorted(have - set(want)):
            tp = tpath + b'/' + tn if tpath else tn
            if tn in ignore or self.ce_truncated(spath, s['children'], tn):
                continue
            if not tpath and self.allowed_extra(tn, tp):
                continue
            te = self.dst[tp]
            self.problem(tp, 'unexpected %s in the image' % te.get('type'))
        for tn in sorted(want):
            sn = want[tn]
            sp = spath + b'/' + sn if spath else sn
            tp = tpath + b'/' + tn if tpath else tn
            if tn not in have:
                self.problem(tp, 'missing (source %s, %s)' % (show(sp), self.src[sp]['type']))
                continue
            self.compare(sp, tp)

    def ce_truncated(self, spath, names, tn):
        """A reader that ignores continuation areas shows a name continued there cut short."""
        for n in names:
            sp = spath + b'/' + n if spath else n
            if sp in self.ce and n.startswith(tn):
                return True
        return False

    def allowed_extra(self, name, tp):
        e = self.dst[tp]
        if e.get('type') != 'dir':
            return False
        if name in [os.fsencode(x) for x in self.a.allow_extra]:
            self.notes.append('extra root directory %s allowed' % show(name))
            return True
        if name in [os.fsencode(x) for x in self.a.allow_extra_empty]:
            if e.get('children'):
                self.problem(tp, 'relocation directory is not empty: %s' %
                             ', '.join(show(c) for c in e['children'][:5]))
            else:
                self.notes.append('empty root directory %s (Rock Ridge relocation) allowed'
                                  % show(name))
            return True
        return False

    def compare_attrs(self, sp, tp, s, t):
        a = self.a
        st, tt = s['type'], t.get('type')
        if a.view == 'iso' and a.rr_present and st not in ('file', 'dir'):
            # the ISO 9660 record that carries a symlink's or device's Rock Ridge entries
            if tt != 'file' or t.get('size') not in (0, None):
                self.problem(tp, '%s should be an empty file in the ISO 9660 view, is %s '
                             'of size %s' % (st, tt, t.get('size')))
            return
        if st != tt:
            self.problem(tp, 'type %s, source has %s' % (tt, st))
            return
        if st == 'file':
            if t.get('size') != s['size']:
                self.problem(tp, 'size %s, source %d' % (t.get('size'), s['size']))
            if t.get('error'):
                self.problem(tp, 'reader failed: %s' % t['error'])
            if t.get('extracted_size') is not None:
                self.problem(tp, 'reader extracted %d bytes' % t['extracted_size'])
            if t.get('sha256') is None:
                if tp not in [os.fsencode(x) for x in a.no_content_for]:
                    self.problem(tp, 'reader gave no content')
            elif t['sha256'] != s['sha256']:
                self.problem(tp, 'content differs')
            self.pairs[sp] = tp
        if st == 'symlink':
            tg = t.get('target')
            if tg != s['target']:
                self.problem(tp, 'symlink target %r, source %r' % (tg, s['target']))
        if st in ('chr', 'blk') and not a.no_rdev:
            if t.get('rdev') != s['rdev']:
                self.problem(tp, 'device %s, source %s' % (t.get('rdev'), s['rdev']))
        if not a.no_mode and st != 'symlink':
            if t.get('mode') is None:
                self.problem(tp, 'reader gave no mode')
            elif t['mode'] & a.mode_mask != s['mode'] & a.mode_mask:
                self.problem(tp, 'mode %04o, source %04o' % (t['mode'], s['mode']))
        if not a.no_owner and not (st == 'symlink' and a.no_symlink_owner):
            for k in ('uid', 'gid'):
                lim = a.uid_max if k == 'uid' else a.gid_max
                if lim is not None and s[k] >= lim:
                    continue
                if t.get(k) != s[k]:
                    self.problem(tp, '%s %s, source %d' % (k, t.get(k), s[k]))
        if not a.no_mtime:
            skip = (st == 'dir' and a.no_dir_mtime) or (st == 'symlink' and a.no_symlink_mtime)
            if not skip:
                want = s['mtime']
                if a.clamp is not None:
                    want = min(want, a.clamp)
                if t.get('mtime') != want:
                    self.problem(tp, 'mtime %s, source %d%s' % (
                        t.get('mtime'), want, ' (clamped)' if want != s['mtime'] else ''))
        if a.nlink and st == 'file':
            if t.get('nlink') != s['nlink']:
                self.problem(tp, 'link count %s, source %d' % (t.get('nlink'), s['nlink']))

    def check_hardlinks(self):
        mode = self.a.hardlinks
        if mode == 'none':
            return
        sgroups, tgroups = {}, {}
        for sp, tp in self.pairs.items():
            s, t = self.src[sp], self.dst[tp]
            if mode == 'exact' and self.a.no_empty_hardlinks and s['size'] == 0:
                continue
            sgroups.setdefault(tuple(s['ino']), set()).add(tp)
            if t.get('ino') is not None:
                tgroups.setdefault(tuple(t['ino']), set()).add(tp)
        spart = {tp: frozenset(g) for g in sgroups.values() for tp in g}
        tpart = {tp: frozenset(g) for g in tgroups.values() for tp in g}
        for tp in sorted(spart):
            sg, tg = spart[tp], tpart.get(tp, frozenset([tp]))
            if mode == 'exact' and sg != tg:
                self.problem(tp, 'hard links: linked with {%s}, source links {%s}' % (
                    ', '.join(show(x) for x in sorted(tg - {tp})),
                    ', '.join(show(x) for x in sorted(sg - {tp}))))
            elif mode == 'subset' and not tg <= sg:
                self.problem(tp, 'hard-linked with {%s} which are not links in the source'
                             % ', '.join(show(x) for x in sorted(tg - sg)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('source')
    ap.add_argument('target')
    ap.add_argument('--manifest', action='store_true', help='TARGET is a JSON manifest')
    ap.add_argument('--view', choices=('rr', 'joliet', 'iso'), default='rr')
    ap.add_argument('--iso-level', type=int, default=3, choices=(1, 2, 3))
    ap.add_argument('--joliet-max', type=int, default=64)
    ap.add_argument('--name-form', default='raw')
    ap.add_argument('--rr-present', action='store_true',
                    help='iso view of an image with Rock Ridge')
    ap.add_argument('--no-owner', action='store_true')
    ap.add_argument('--mode-mask', type=lambda v: int(v, 8), default=0o7777,
                    help='permission bits the reader shows (octal)')
    ap.add_argument('--no-mode', action='store_true')
    ap.add_argument('--no-mtime', action='store_true')
    ap.add_argument('--no-dir-mtime', action='store_true')
    ap.add_argument('--no-symlink-mtime', action='store_true')
    ap.add_argument('--no-symlink-owner', action='store_true')
    ap.add_argument('--no-special', action='store_true',
                    help='device nodes and FIFOs are not expected')
    ap.add_argument('--no-rdev', action='store_true')
    ap.add_argument('--no-sockets', action='store_true',
                    help='sockets are not compared (the reader does not create them, or '
                    'creates something else)')
    ap.add_argument('--nlink', action='store_true', help='compare link counts of files')
    ap.add_argument('--hardlinks', choices=('exact', 'subset', 'none'), default=None)
    ap.add_argument('--no-empty-hardlinks', action='store_true',
                    help='links between empty files are not expected to survive')
    ap.add_argument('--max-symlink-len', type=int, default=None,
                    help='symlinks with longer targets are not compared (and may be absent)')
    ap.add_argument('--uid-max', type=int, default=None)
    ap.add_argument('--gid-max', type=int, default=None)
    ap.add_argument('--clamp', type=int, default=None,
                    help='SOURCE_DATE_EPOCH: expected times are min(mtime, CLAMP)')
    ap.add_argument('--exclude', action='append', default=[],
                    help='source path (relative) left out of the comparison')
    ap.add_argument('--allow-extra', action='append', default=[],
                    help='root directory the image may have in addition (any content)')
    ap.add_argument('--allow-extra-empty', action='append', default=[],
                    help='root directory the image may have in addition if empty')
    ap.add_argument('--ce-unsupported', metavar='FILE',
                    help='JSON list of paths whose Rock Ridge entries are partly in '
                    'continuation areas, which the reader ignores: not compared')
    ap.add_argument('--no-content-for', action='append', default=[],
                    help='target path whose content the reader cannot give')
    ap.add_argument('--root-attrs', action='store_true')
    ap.add_argument('--quiet', '-q', action='store_true')
    args = ap.parse_args()
    if args.hardlinks is None:
        args.hardlinks = 'exact' if args.view == 'rr' else 'subset'

    src = scan_dir(args.source)
    if args.manifest:
        dst = load_manifest(args.target)
    else:
        if not os.path.lexists(args.target):
            print('compare_tree: %s does not exist' % args.target)
            return 2
        dst = scan_dir(args.target)
    c = Comparer(args, src, dst)
    c.run()
    if not args.quiet:
        for n in c.notes:
            print('note: ' + n)
    if c.problems:
        for p in c.problems[:200]:
            print(p)
        if len(c.problems) > 200:
            print('... %d more' % (len(c.problems) - 200))
        print('compare_tree: %d differences (%s view, %d entries checked)' % (
            len(c.problems), args.view, c.checked))
        return 1
    print('compare_tree: same (%s view, %d entries checked)' % (args.view, c.checked))
    return 0


if __name__ == '__main__':
    sys.exit(main())
