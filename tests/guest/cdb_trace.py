#!/usr/bin/python3
"""The CDBs a program sent to a drive, from QEMU's scsi trace (run-guest.sh -T).

    cdb_trace.py TRACE TARGET MARK_FROM MARK_TO [--check [--sr]]

QEMU logs `scsi_req_parsed target T ...` for every command a guest sends and, for the
ones it passes through (scsi-generic), `scsi_generic_send_command Command: data= 0x..`
and `scsi_generic_command_complete_noio ... status=S`. A segment of one target's
commands is delimited by two marker INQUIRYs the guest script sends with sg_raw (an
allocation length of MARK_FROM and MARK_TO, which no program uses), so that what one
program sent can be told from what was sent before and after.

Prints the sequence, runs of the same opcode folded ("WRITE(10) x88"). With --check,
exits 1 unless every command got GOOD status or is RESERVE TRACK (tgt rejects it and
writeimg carries on by design, spec/drive-notes.md, tgt quirk 1), and no command is repeated needlessly: the
same CDB (same bytes) twice, except the data and polling commands that are repeated by
nature (WRITE/READ at other addresses differ anyway; READ BUFFER CAPACITY and TEST
UNIT READY are polls). --sr: the program opened the block device /dev/srN, so the
kernel's sr driver adds its own commands around it (GET EVENT STATUS NOTIFICATION on
open, which tgt rejects; TEST UNIT READY and PREVENT ALLOW MEDIUM REMOVAL on the last
close): those are not held against the program.
"""
import re
import sys

NAMES = {
    0x00: 'TEST UNIT READY', 0x03: 'REQUEST SENSE', 0x12: 'INQUIRY', 0x1b: 'START STOP UNIT',
    0x1e: 'PREVENT ALLOW', 0x23: 'READ FORMAT CAPACITIES', 0x25: 'READ CAPACITY',
    0x28: 'READ(10)', 0x2a: 'WRITE(10)', 0x35: 'SYNCHRONIZE CACHE', 0x43: 'READ TOC',
    0x46: 'GET CONFIGURATION', 0x4a: 'GET EVENT STATUS', 0x51: 'READ DISC INFO',
    0x52: 'READ TRACK INFO', 0x53: 'RESERVE TRACK', 0x55: 'MODE SELECT(10)',
    0x5a: 'MODE SENSE(10)', 0x5b: 'CLOSE TRACK/SESSION', 0x5c: 'READ BUFFER CAPACITY',
    0xa0: 'REPORT LUNS', 0xac: 'GET PERFORMANCE', 0xad: 'READ DVD STRUCTURE',
    0xb6: 'SET STREAMING', 0xbb: 'SET CD SPEED', 0xbd: 'MECHANISM STATUS',
}
REPEATABLE = {0x00, 0x28, 0x2a, 0x5c}
TOLERATED = {0x53: 'RESERVE TRACK (tgt: invalid opcode; writeimg carries on)'}


def parse(path, target):
    """[(cdb bytes, status)] of one target, in order; status None if not seen."""
    cmds = []
    cur = None
    pending = []
    for line in open(path, errors='replace'):
        m = re.search(r'scsi_req_parsed target (\d+) lun (\d+)', line)
        if m:
            cur = int(m.group(1))
            continue
        m = re.search(r'scsi_generic_send_command Command: data=((?: 0x[0-9a-f]{2})+)', line)
        if m:
            if cur == target:
                cdb = bytes(int(b, 16) for b in m.group(1).split())
                cmds.append([cdb, None])
                pending.append(cmds[-1])
            else:
                pending.append(None)
            continue
        m = re.search(r'scsi_generic_command_complete_noio .* status=(\d+)', line)
        if m and pending:
            c = pending.pop(0)
            if c is not None:
                c[1] = int(m.group(1))
    return cmds


def segment(cmds, mark_from, mark_to):
    def is_mark(c, n):
        return c[0][0] == 0x12 and len(c[0]) >= 5 and c[0][4] == n
    start = next((i for i, c in enumerate(cmds) if is_mark(c, mark_from)), None)
    if start is None:
        sys.exit('cdb_trace: marker %d not found' % mark_from)
    end = next((i for i in range(start + 1, len(cmds)) if is_mark(cmds[i], mark_to)), None)
    if end is None:
        sys.exit('cdb_trace: marker %d not found after %d' % (mark_to, mark_from))
    return cmds[start + 1:end]


def describe(seg):
    out = []
    for cdb, st in seg:
        name = NAMES.get(cdb[0], 'opcode %02Xh' % cdb[0])
        detail = ''
        if cdb[0] in (0x46, 0x5a, 0x52, 0x5b, 0xac, 0x35):
            detail = ' ' + ' '.join('%02x' % b for b in cdb[:10])
        key = (name, detail, st)
        if out and out[-1][0] == key:
            out[-1][1] += 1
        else:
            out.append([key, 1])
    lines = []
    for (name, detail, st), n in out:
        s = '%s%s' % (name, detail if n == 1 else '')
        if n > 1:
            s += ' x%d' % n
        if st not in (0, None):
            s += '  -> status %d' % st
        lines.append(s)
    return lines


def kernel_reload(seg):
    """Drop what the kernel sends while writeimg has the tray open after a burn: writeimg
    ejects (START STOP UNIT, LoEj), opens and closes the block device so that the sr
    driver sees no medium (its GET EVENT STATUS, TEST UNIT READY -> 2/3A/00, PREVENT
    ALLOW on close), and loads the disc again (the next START STOP UNIT)."""
    out, inside = [], False
    for c in seg:
        cdb = c[0]
        if cdb[0] == 0x1b:
            inside = (cdb[4] & 3) == 2  # LoEj, Start=0: eject
            out.append(c)
        elif inside and cdb[0] in (0x00, 0x1e, 0x4a):
            continue
        else:
            out.append(c)
    return out


def drop_retried(seg):
    """A command that failed and was sent again, the same, and then succeeded, is a retry
    by design (a drive busy while the kernel probes a reloaded tray), not a repeat."""
    out = []
    for i, (cdb, st) in enumerate(seg):
        if st != 0 and any(c == cdb and s == 0 for c, s in seg[i + 1:]):
            continue
        out.append((cdb, st))
    return out


def check(seg, sr=False):
    bad = []
    seg = drop_retried(kernel_reload(seg))
    if sr:
        # The sr driver's: every GET EVENT STATUS, and what follows the last one.
        last = max((i for i, c in enumerate(seg) if c[0][0] == 0x4a), default=None)
        if last is not None and all(c[0][0] in (0x00, 0x1e) for c in seg[last + 1:]):
            seg = seg[:last]
        seg = [c for c in seg if c[0][0] != 0x4a]
    # From the eject on, the kernel probes the empty tray and may close it itself (sr's
    # autoclose on open) while writeimg reloads it: who of the two a refused START STOP
    # or PREVENT came from cannot be told apart in the trace, and writeimg treats a failed
    # reload as a warning by design (the disc is written and verified by then).
    eject = next((i for i, (c, _) in enumerate(seg) if c[0] == 0x1b and (c[4] & 3) == 2),
                 len(seg))
    for i, (cdb, st) in enumerate(seg):
        if i > eject:
            continue
        if st != 0 and cdb[0] not in TOLERATED:
            bad.append('%s (%s) got status %s' % (NAMES.get(cdb[0], '%02Xh' % cdb[0]),
                                                cdb.hex(' '), st))
    seen = {}
    for cdb, _ in seg:
        if cdb[0] in REPEATABLE:
            continue
        seen[cdb] = seen.get(cdb, 0) + 1
    for cdb, n in seen.items():
        if n > 1:
            bad.append('%s (%s) sent %d times' % (NAMES.get(cdb[0], '%02Xh' % cdb[0]),
                                                 cdb.hex(' '), n))
    return bad


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 4:
        sys.exit(__doc__)
    trace, target, mfrom, mto = args[0], int(args[1]), int(args[2], 0), int(args[3], 0)
    seg = segment(parse(trace, target), mfrom, mto)
    for line in describe(seg):
        print(line)
    if '--check' in sys.argv:
        bad = check(seg, '--sr' in sys.argv)
        for b in bad:
            print('BAD: ' + b)
        sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
