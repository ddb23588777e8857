#!/usr/bin/python3
"""Extract one view of an ISO image with pycdlib (Debian's python3-pycdlib).

    pycdlib_extract.py --view rr|joliet|iso IMAGE DEST
    pycdlib_extract.py --view rr|joliet|iso --manifest OUT.json IMAGE
    pycdlib_extract.py --view rr|joliet|iso --cat PATH IMAGE > DATA
    pycdlib_extract.py --view rr|joliet|iso --extents PATH IMAGE
    pycdlib_extract.py --view rr --list-ce OUT IMAGE

The first form recreates the view under the directory DEST (which must not exist): for
Rock Ridge with the modes and file types (PX), owners, mtimes (TF), symlink targets (SL),
device numbers (PN) and hard links (files sharing a PX serial number) pycdlib exposes;
for Joliet and ISO 9660 with the identifiers as recorded (";1" included) and the record
dates as mtimes. The second form writes a manifest for compare_tree.py --manifest instead
(content as SHA-256, nothing written to disk: for multi-GiB files). --cat writes one
file's data to stdout, --extents prints how many directory records (extents) hold it
and their SIZE@BLOCK, and
--list-ce writes the paths (a JSON list) whose Rock Ridge entries are partly in
continuation areas (CE), which readers that ignore CE (7z) cannot see.

Rock Ridge directories relocated with CL/RE are shown at their real place. Besides
extracting, it checks what would make readers disagree (exit status 1, messages on
stderr): records without Rock Ridge entries, a relocated directory whose NM, PX or TF
differ between its placeholder (CL), its record in the relocation directory (RE) and its
own "." record, a wrong PL, hard links (same serial) with different data.
Run it with /usr/bin/python3: the pyenv python3 on PATH has no pycdlib.
"""

import argparse
import calendar
import hashlib
import json
import os
import stat
import sys

try:
    import pycdlib
    from pycdlib import inode as pycdlib_inode
except ImportError:
    sys.stderr.write('pycdlib_extract: cannot import pycdlib (install the Debian package '
                     'python3-pycdlib and run this with /usr/bin/python3)\n')
    sys.exit(2)

BLOCK = 8 << 20
problems = []


def problem(msg):
    problems.append(msg)
    sys.stderr.write('pycdlib_extract: %s\n' % msg)


def show(p):
    return repr(p)[2:-1] if p else '/'


def date_to_epoch(d):
    """A 7-byte (DirectoryRecordDate) or 17-byte (VolumeDescriptorDate) date, in seconds."""
    if d is None:
        return None
    if hasattr(d, 'years_since_1900'):
        t = (1900 + d.years_since_1900, d.month, d.day_of_month, d.hour, d.minute, d.second)
    else:
        t = (d.year, d.month, d.dayofmonth, d.hour, d.minute, d.second)
    if t[1] == 0:
        return None
    return calendar.timegm(t + (0, 0, 0)) - d.gmtoffset * 15 * 60


def rr_entry(rec, name):
    rr = rec.rock_ridge
    if rr is None:
        return None
    return getattr(rr.dr_entries, name) or getattr(rr.ce_entries, name)


def rr_attrs(rec):
    """(mode, nlink, uid, gid, serial, mtime, rdev) from PX, TF, PN."""
    px = rr_entry(rec, 'px_record')
    tf = rr_entry(rec, 'tf_record')
    pn = rr_entry(rec, 'pn_record')
    a = {}
    if px is not None:
        a['mode'] = px.posix_file_mode
        a['nlink'] = px.posix_file_links
        a['uid'] = px.posix_user_id
        a['gid'] = px.posix_group_id
        a['serial'] = px.posix_serial_number
    if tf is not None:
        # TF flag bit 1 is the modification time (RRIP 1.12 4.1.6). pycdlib 1.12 stores
        # the field of flag bit i under FIELDNAMES[i] but names bit 1 'access_time', so
        # go by the bit, not by pycdlib's name for it.
        field = getattr(tf, tf.FIELDNAMES[1], None)
        if tf.time_flags & 2 and field is not None:
            a['mtime'] = date_to_epoch(field)
    if pn is not None:
        # dev_t as high and low 32 bits (what libisofs and libarchive use)
        a['rdev'] = (pn.dev_t_high << 32) | pn.dev_t_low
    return a


def sl_target(rec):
    """The symlink target from the SL entries' components, assembled like Linux's
    get_symlink_chunk() (pycdlib's symlink_path() turns a bare "/" into "")."""
    rr = rec.rock_ridge
    out = b''
    for r in rr.dr_entries.sl_records + rr.ce_entries.sl_records:
        for comp in r.symlink_components:
            kind = comp.flags & ~1
            if kind == 0:
                out += comp.data
            elif kind == 2:
                out += b'.'
            elif kind == 4:
                out += b'..'
            elif kind == 8:
                out += b'/'
                continue
            else:
                problem('SL component with flags %#x' % comp.flags)
            if not comp.flags & 1:
                out += b'/'
    if len(out) > 1 and out.endswith(b'/'):
        out = out[:-1]
    return out


def record_chain(rec):
    """The records holding a file's data, in order (several for a multi-extent file)."""
    out = [rec]
    while out[-1].data_continuation is not None:
        out.append(out[-1].data_continuation)
    return out


def stream_data(iso, rec, sink):
    """Feed the file's bytes to sink(bytes), following multi-extent continuations."""
    total = 0
    for r in record_chain(rec):
        if r.inode is None or r.get_data_length() == 0:
            continue
        with pycdlib_inode.InodeOpenData(r.inode, iso.logical_block_size) as (fp, length):
            left = length
            while left > 0:
                b = fp.read(min(BLOCK, left))
                if not b:
                    problem('short read in data of %r' % r.file_identifier())
                    return total
                sink(b)
                left -= len(b)
                total += len(b)
    return total


def children(dirrec):
    """A directory's records, without "." and "..", multi-extent continuations folded."""
    recs = [c for c in dirrec.children if not (c.is_dot() or c.is_dotdot())]
    conts = set(id(c.data_continuation) for c in recs if c.data_continuation is not None)
    return [c for c in recs if id(c) not in conts]


class Walker:
    def __init__(self, iso, view):
        self.iso, self.view = iso, view
        self.entries = []  # (relpath, info, record)
        self.placeholder = {}  # id(relocated record) -> its CL placeholder

    def name_of(self, rec):
        if self.view == 'rr':
            rr = rec.rock_ridge
            if rr is None:
                problem('record %r has no Rock Ridge entries' % rec.file_identifier())
                return rec.file_identifier()
            return rr.name()
        ident = rec.file_identifier()
        if self.view == 'joliet':
            return ident.decode('utf-16-be', 'surrogatepass').encode('utf-8', 'surrogateescape')
        return ident

    def walk(self, dirrec, rel):
        seen = {}
        for c in children(dirrec):
            if self.view == 'rr' and c.rock_ridge is not None and c.rock_ridge.relocated_record():
                continue  # shown at its real place through the CL placeholder
            name = self.name_of(c)
            if not name or b'/' in name or name in (b'.', b'..'):
                problem('%s: unusable name %r' % (show(rel), name))
                continue
            path = rel + b'/' + name if rel else name
            if name in seen:
                problem('%s: two records with this name (unfolded multi-extent records?)'
                        % show(path))
                continue
            seen[name] = c
            target = c
            if self.view == 'rr' and c.rock_ridge is not None and \
                    c.rock_ridge.child_link_record_exists():
                target = c.rock_ridge.cl_to_moved_dr
                if target is None:
                    problem('%s: CL placeholder whose directory pycdlib cannot find' % show(path))
                    continue
                self.check_relocated(path, c, target, dirrec)
                self.placeholder[id(target)] = c
            info = self.info(path, target)
            self.entries.append((path, info, target))
            if info['type'] == 'dir':
                self.walk(target, path)

    def check_relocated(self, path, placeholder, moved, parent):
        """Readers take a relocated directory's name and attributes from different records
        (Linux: its "." record; libarchive: the RE record; pycdlib path lookup: the
        placeholder), so they must agree."""
        def key(rec):
            a = rr_attrs(rec)
            return (stat.S_IMODE(a.get('mode', 0)), stat.S_IFMT(a.get('mode', 0)),
                    a.get('uid'), a.get('gid'), a.get('mtime'))
        if moved.rock_ridge is None or moved.rock_ridge.name() != placeholder.rock_ridge.name():
            problem('%s: relocated directory is named %r in the relocation directory' % (
                show(path), moved.rock_ridge.name() if moved.rock_ridge else None))
        dot = moved.children[0] if moved.children else None
        kp, km = key(placeholder), key(moved)
        if kp[0] != km[0] or kp[2:] != km[2:]:
            problem('%s: placeholder (CL) attributes %s differ from the relocated record %s'
                    % (show(path), kp, km))
        if dot is not None and dot.rock_ridge is not None:
            kd = key(dot)
            if kd != km:
                problem('%s: "." of the relocated directory has attributes %s, its RE record %s'
                        % (show(path), kd, km))
        dotdot = moved.children[1] if len(moved.children) > 1 else None
        if dotdot is None or dotdot.rock_ridge is None or \
                not dotdot.rock_ridge.parent_link_record_exists():
            problem('%s: relocated directory has no PL entry' % show(path))
        elif dotdot.rock_ridge.parent_link_extent() != parent.extent_location():
            problem('%s: PL points at block %d, the real parent is at %d' % (
                show(path), dotdot.rock_ridge.parent_link_extent(), parent.extent_location()))

    def info(self, path, rec):
        if self.view == 'rr':
            a = rr_attrs(rec)
            for k in ('mode', 'mtime'):
                if k not in a:
                    problem('%s: no Rock Ridge %s' % (show(path), 'PX' if k == 'mode' else 'TF'))
            mode = a.get('mode', 0)
            t = stat.S_IFMT(mode)
            if rec.rock_ridge is not None and rec.rock_ridge.is_symlink():
                if t != stat.S_IFLNK:
                    problem('%s: SL entry but PX mode %o' % (show(path), mode))
                t = stat.S_IFLNK
            if rec.is_dir() and t != stat.S_IFDIR:
                problem('%s: directory record with PX mode %o' % (show(path), mode))
            info = {'type': {stat.S_IFREG: 'file', stat.S_IFDIR: 'dir', stat.S_IFLNK: 'symlink',
                             stat.S_IFCHR: 'chr', stat.S_IFBLK: 'blk', stat.S_IFIFO: 'fifo',
                             stat.S_IFSOCK: 'sock'}.get(t, 'unknown %o' % t),
                    'mode': stat.S_IMODE(mode), 'uid': a.get('uid'), 'gid': a.get('gid'),
                    'mtime': a.get('mtime'), 'nlink': a.get('nlink'), 'serial': a.get('serial')}
            if info['type'] == 'symlink':
                info['target'] = sl_target(rec)
            if info['type'] in ('chr', 'blk'):
                if 'rdev' not in a:
                    problem('%s: device without PN' % show(path))
                info['rdev'] = a.get('rdev', 0)
        else:
            info = {'type': 'dir' if rec.is_dir() else 'file', 'mtime': date_to_epoch(rec.date)}
        if info['type'] == 'file':
            info['size'] = sum(r.get_data_length() for r in record_chain(rec))
        return info


def open_iso(path):
    iso = pycdlib.PyCdlib()
    try:
        iso.open(path)
    except pycdlib.pycdlibexception.PyCdlibException as e:
        sys.stderr.write('pycdlib_extract: pycdlib cannot open %s: %s\n' % (path, e))
        sys.exit(1)
    return iso


def check_lookup(iso, view, path, rec):
    """Exercise pycdlib's own path lookup where the path is valid UTF-8."""
    try:
        p = '/' + path.decode('utf-8')
    except UnicodeDecodeError:
        return
    kw = {'rr': 'rr_path', 'joliet': 'joliet_path', 'iso': 'iso_path'}[view]
    try:
        found = iso.get_record(**{kw: p})
    except Exception as e:  # pycdlib raises its own exception types
        problem('%s: pycdlib %s lookup failed: %s' % (show(path), kw, e))
        return
    if found is not rec:
        problem('%s: pycdlib %s lookup found another record' % (show(path), kw))


def link_key(info, rec):
    """Files that are one inode: the same PX serial (RRIP 1.12) in the Rock Ridge view."""
    if info.get('serial'):
        return ('serial', info['serial'])
    return None


def extract(iso, w, dest):
    os.mkdir(dest)
    dest = os.fsencode(dest)
    first_of = {}
    dirs = []
    for path, info, rec in w.entries:
        full = dest + b'/' + path
        t = info['type']
        if w.view == 'rr' and len(path) < 4000:
            check_lookup(iso, w.view, path, rec)
        if t == 'dir':
            os.mkdir(full)
            dirs.append((full, info))
            continue
        if t == 'file':
            key = link_key(info, rec) if w.view == 'rr' else None
            if key is not None and key in first_of:
                other, orec = first_of[key]
                if orec.extent_location() != rec.extent_location() and info['size'] > 0:
                    problem('%s: same serial as %s but other data' % (show(path), show(other)))
                os.link(dest + b'/' + other, full)
                continue
            with open(full, 'wb') as f:
                n = stream_data(iso, rec, f.write)
            if n != info['size']:
                problem('%s: read %d bytes of %d' % (show(path), n, info['size']))
            if key is not None:
                first_of[key] = (path, rec)
        elif t == 'symlink':
            os.symlink(info['target'], full)
        elif t in ('chr', 'blk', 'fifo', 'sock'):
            kind = {'chr': stat.S_IFCHR, 'blk': stat.S_IFBLK, 'fifo': stat.S_IFIFO,
                    'sock': stat.S_IFSOCK}[t]
            try:
                os.mknod(full, kind | 0o600, info.get('rdev', 0))
            except OSError as e:
                problem('%s: cannot create the %s %s: %s' % (show(path), t, info.get('rdev'), e))
                continue
        else:
            problem('%s: cannot extract type %s' % (show(path), t))
            continue
        set_attrs(full, info, w.view)
    for full, info in reversed(dirs):
        set_attrs(full, info, w.view)


def set_attrs(full, info, view):
    link = info['type'] == 'symlink'
    if view == 'rr':
        if info.get('uid') is not None:
            os.lchown(full, info['uid'], info['gid'])
        if not link and info.get('mode') is not None:
            os.chmod(full, info['mode'])
    if info.get('mtime') is not None:
        os.utime(full, (info['mtime'], info['mtime']), follow_symlinks=False)


def manifest(iso, w, out):
    entries = []
    for path, info, rec in w.entries:
        e = dict(info)
        e['path'] = os.fsdecode(path)
        if 'target' in e:
            e['target'] = os.fsdecode(e['target'])
        if 'rdev' in e:
            e['rdev'] = [os.major(e['rdev']), os.minor(e['rdev'])]
        serial = e.pop('serial', None)
        if e['type'] == 'file':
            h = hashlib.sha256()
            n = stream_data(iso, rec, h.update)
            if n != info['size']:
                problem('%s: read %d bytes of %d' % (show(path), n, info['size']))
            e['sha256'] = h.hexdigest()
            if w.view == 'rr' and serial:
                e['ino'] = ['serial', serial]
        entries.append(e)
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'reader': 'pycdlib', 'view': w.view, 'entries': entries}, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--view', choices=('rr', 'joliet', 'iso'), required=True)
    ap.add_argument('--manifest', metavar='OUT.json')
    ap.add_argument('--cat', metavar='PATH')
    ap.add_argument('--extents', metavar='PATH')
    ap.add_argument('--list-ce', metavar='OUT')
    ap.add_argument('image')
    ap.add_argument('dest', nargs='?')
    args = ap.parse_args()
    modes = [x for x in (args.dest, args.manifest, args.cat, args.extents, args.list_ce)
             if x is not None]
    if len(modes) != 1:
        ap.error('give one of DEST, --manifest, --cat, --extents, --list-ce')
    iso = open_iso(args.image)
    if args.view == 'rr':
        if not iso.has_rock_ridge():
            problem('the image has no Rock Ridge')
            return 1
        root = iso.pvd.root_directory_record()
    elif args.view == 'joliet':
        if not iso.has_joliet():
            problem('the image has no Joliet')
            return 1
        root = iso.joliet_vd.root_directory_record()
    else:
        root = iso.pvd.root_directory_record()
    w = Walker(iso, args.view)
    w.walk(root, b'')
    if args.manifest:
        manifest(iso, w, args.manifest)
    elif args.cat or args.extents:
        want = os.fsencode((args.cat or args.extents).strip('/'))
        found = [rec for path, info, rec in w.entries if path == want]
        if not found:
            problem('%s: not in the %s view' % (show(want), args.view))
            return 1
        if args.cat:
            out = sys.stdout.buffer
            stream_data(iso, found[0], out.write)
            out.flush()
        else:
            chain = record_chain(found[0])
            print(len(chain), ' '.join('%d@%d' % (r.get_data_length(), r.extent_location())
                                       for r in chain))
    elif args.list_ce:
        ce = []
        for path, info, rec in w.entries:
            for r in (rec, w.placeholder.get(id(rec))):
                if r is not None and r.rock_ridge is not None and \
                        r.rock_ridge.dr_entries.ce_record is not None:
                    ce.append(os.fsdecode(path))
                    break
        with open(args.list_ce, 'w', encoding='utf-8') as f:
            json.dump(ce, f)
    else:
        extract(iso, w, args.dest)
    iso.close()
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
