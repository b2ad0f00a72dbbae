#!/usr/bin/env python3
"""Derives test captures from a real one (for frames this kernel cannot put on a wire).

  vlan IN OUT TPID:VID:PCP [...]   insert 802.1Q/802.1ad tags after the Ethernet addresses
  null IN OUT                      Ethernet -> DLT_NULL (4-byte host-order AF_INET/AF_INET6 24)
  loop IN OUT                      Ethernet -> DLT_LOOP (4-byte network-order family)
  swap IN OUT                      the same file in the other byte order
  unknown-ethertype IN OUT TYPE    rewrite every ethertype to TYPE
"""
import struct
import sys


def read(path):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    le = magic in (0xa1b2c3d4, 0xa1b23c4d)
    e = '<' if le else '>'
    hdr = data[:24]
    recs = []
    p = 24
    while p + 16 <= len(data):
        sec, frac, cap, wire = struct.unpack(e + 'IIII', data[p:p + 16])
        recs.append([sec, frac, wire, data[p + 16:p + 16 + cap]])
        p += 16 + cap
    return e, hdr, recs


def write(path, e, hdr, recs, linktype=None, order=None):
    o = order or e
    magic, vmaj, vmin, zone, sig, snap, lt = struct.unpack(e + 'IHHiIII', hdr)
    if linktype is not None:
        lt = linktype
    out = [struct.pack(o + 'IHHiIII', magic, vmaj, vmin, zone, sig, snap, lt)]
    for sec, frac, wire, pkt in recs:
        out.append(struct.pack(o + 'IIII', sec, frac, len(pkt), wire))
        out.append(pkt)
    open(path, 'wb').write(b''.join(out))


cmd, src, dst = sys.argv[1:4]
e, hdr, recs = read(src)
if cmd == 'vlan':
    tags = b''
    for spec in sys.argv[4:]:
        tpid, vid, pcp = (int(x, 0) for x in spec.split(':'))
        tags += struct.pack('>HH', tpid, (pcp << 13) | vid)
    for r in recs:
        r[3] = r[3][:12] + tags + r[3][12:]
        r[2] += len(tags)
    write(dst, e, hdr, recs)
elif cmd in ('null', 'loop'):
    for r in recs:
        etype = struct.unpack('>H', r[3][12:14])[0]
        fam = 2 if etype == 0x0800 else 24
        r[3] = (struct.pack('<I', fam) if cmd == 'null' else struct.pack('>I', fam)) + r[3][14:]
        r[2] -= 10
    write(dst, e, hdr, recs, 0 if cmd == 'null' else 108)
elif cmd == 'swap':
    write(dst, e, hdr, recs, None, '>' if e == '<' else '<')
elif cmd == 'unknown-ethertype':
    t = int(sys.argv[4], 0)
    for r in recs:
        r[3] = r[3][:12] + struct.pack('>H', t) + r[3][14:]
    write(dst, e, hdr, recs)
else:
    sys.exit('unknown command ' + cmd)
