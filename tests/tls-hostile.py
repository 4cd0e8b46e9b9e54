#!/usr/bin/env python3
"""tests/tls-hostile.py: captures of TLS gone wrong, for tests/tls-hostile.sh.

  tls-hostile.py OUTDIR

Each NAME.pcap (Ethernet, IPv4, 127.0.0.1:40000 -> 127.0.0.2:443) holds
a TCP handshake, the client's bytes cut into segments as named, the
client's FIN and the server's FIN,ACK:
  split      a ClientHello record cut into 3-byte segments
  past       a record header saying 16000 bytes, 200 sent, then FIN
  garbage    a ClientHello, then "GET / HTTP/1.1" after it
  big        a 16 KiB ClientHello over two records, 1448-byte segments
  oversize   a record header saying 20000 bytes (past 2^14+2048)
  gap        a ClientHello in 4 segments, the third lost
  snap       a ClientHello whose segment the capture kept 100 bytes of
"""
import os
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def packet(src, dst, sport, dport, seq, ack, flags, data=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + data
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\0\0\0\0\0\2" + b"\0\0\0\0\0\1" + b"\x08\x00" + ip + tcp


def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body


def client_hello(sni, pad=0):
    name = sni.encode()
    exts = ext(0, struct.pack("!HBH", len(name) + 3, 0, len(name)) + name)
    exts += ext(43, b"\x02\x03\x04")
    exts += ext(51, struct.pack("!HHH", 36, 0x001d, 32) + b"\x11" * 32)
    if pad:
        exts += ext(21, b"\0" * pad)
    body = b"\x03\x03" + b"\x42" * 32 + b"\x20" + b"\x33" * 32
    body += struct.pack("!H", 4) + b"\x13\x01\x13\x02" + b"\x01\x00"
    body += struct.pack("!H", len(exts)) + exts
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def records(msg, size=16384):
    out = b""
    for i in range(0, len(msg), size):
        part = msg[i:i + size]
        out += b"\x16\x03\x01" + struct.pack("!H", len(part)) + part
    return out


def cut(data, n):
    return [data[i:i + n] for i in range(0, len(data), n)]


def write(path, segments, lost=(), snap=0):
    a, b = bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2])
    isn_a, isn_b = 1000, 5000
    pkts = [packet(a, b, 40000, 443, isn_a, 0, 0x02),
            packet(b, a, 443, 40000, isn_b, isn_a + 1, 0x12),
            packet(a, b, 40000, 443, isn_a + 1, isn_b + 1, 0x10)]
    seq = isn_a + 1
    for i, seg in enumerate(segments):
        if i not in lost:
            pkts.append(packet(a, b, 40000, 443, seq, isn_b + 1, 0x18, seg))
        seq += len(seg)
    pkts.append(packet(a, b, 40000, 443, seq, isn_b + 1, 0x11))
    pkts.append(packet(b, a, 443, 40000, isn_b + 1, seq + 1, 0x11))
    pkts.append(packet(a, b, 40000, 443, seq + 1, isn_b + 2, 0x10))
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            keep = len(p) if not snap else min(len(p), snap)
            f.write(struct.pack("<IIII", 1700000000, i * 1000, keep, len(p)))
            f.write(p[:keep])


def main():
    out = sys.argv[1]
    hello = records(client_hello("split.example"))
    write(os.path.join(out, "split.pcap"), cut(hello, 3))
    write(os.path.join(out, "past.pcap"),
          [b"\x16\x03\x01" + struct.pack("!H", 16000) + b"\x01" * 195])
    write(os.path.join(out, "garbage.pcap"),
          [records(client_hello("garbage.example")),
           b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"])
    big = records(client_hello("big.example", 16384))
    write(os.path.join(out, "big.pcap"), cut(big, 1448))
    write(os.path.join(out, "oversize.pcap"),
          [b"\x16\x03\x01" + struct.pack("!H", 20000) + b"\x01" * 100])
    write(os.path.join(out, "gap.pcap"),
          cut(records(client_hello("gap.example")), 40), lost=(2,))
    write(os.path.join(out, "snap.pcap"),
          [records(client_hello("snap.example")), b"\x17\x03\x03\x00\x01x"],
          snap=14 + 20 + 20 + 100)


main()
