#!/usr/bin/env python3
"""tests/graph-gen.py N: a pcap on stdout of one TCP conversation of N
packets after its handshake: data segments of 100 bytes from 127.0.0.1
to 127.0.0.2 each answered by an ACK, one in every 1000 a retransmission
of the segment before, one every 10 us (tests/graph-budget.sh)."""
import struct
import sys

HDR = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
A, B = bytes((127, 0, 0, 1)), bytes((127, 0, 0, 2))


def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, sport, dport, flags, plen):
    """A template frame; seq and ack patched in at offsets 38 and 42."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 0, 0, 5 << 4, flags,
                      65535, 0, 0) + b"x" * plen
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6,
                     0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return bytearray(b"\2\0\0\0\0\2\2\0\0\0\0\1\x08\0" + ip + tcp)


def main():
    n = int(sys.argv[1])
    out = sys.stdout.buffer
    out.write(HDR)
    syn = frame(A, B, 40000, 80, 0x02, 0)
    synack = frame(B, A, 80, 40000, 0x12, 0)
    data = frame(A, B, 40000, 80, 0x18, 100)
    ack = frame(B, A, 80, 40000, 0x10, 0)
    buf = []
    seq = 1001
    for i in range(n + 2):
        if i < 2:
            fr = syn if i == 0 else synack
            struct.pack_into("!II", fr, 38, 1000 if i == 0 else 5000,
                             0 if i == 0 else 1001)
        elif i % 2 == 0:
            fr = data
            resend = i % 2000 == 0
            struct.pack_into("!II", fr, 38,
                             (seq - 100 if resend else seq) & 0xffffffff,
                             5001)
            if not resend:
                seq += 100
        else:
            fr = ack
            struct.pack_into("!II", fr, 38, 5001, seq & 0xffffffff)
        t = i * 10
        buf.append(struct.pack("<IIII", 1700000000 + t // 1000000,
                               t % 1000000, len(fr), len(fr)) + bytes(fr))
        if len(buf) == 8192:
            out.write(b"".join(buf))
            buf = []
    out.write(b"".join(buf))
    out.flush()


main()
