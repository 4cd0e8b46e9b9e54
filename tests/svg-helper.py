#!/usr/bin/env python3
"""tests/svg-helper.py: checks for tests/svg.sh and tests/svg-render.sh.

  arrows SVG JSON    compare the arrows of an SVG (class "pkt", data-conv,
                     data-dir) with the packets of "sockkit view --json";
                     prints "same N" or what differs
  hostile PCAP       write a TCP conversation whose payload and whose
                     segments carry markup, quotes and control bytes
  many PCAP N        write N TCP data segments of one conversation
  empty N            write to stdout a pcap of N records of 0 bytes
  udp N              write to stdout a pcap of N UDP conversations of one
                     datagram each (tests/svg-budget.sh, bench/memory.sh)
  clients PORT N     N clients to 127.0.0.1 PORT, one after another, each
                     sending a byte and closing (tests/svg-live.sh)
  peak CMD...        run CMD (stdout to /dev/null) and print its peak
                     resident memory in KiB; exits with CMD's status
  png PNG            decode a PNG (zlib only) and print
                     "WIDTH HEIGHT COLOURS NONWHITE"
"""
import collections
import json
import resource
import socket
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

SVG_NS = "{http://www.w3.org/2000/svg}"


def geometry(g, last_y):
    """What is wrong with the line of arrow g (None if nothing): it must
    point the way data-dir says, fall as it goes, and start no higher than
    the arrow before it in the same conversation."""
    line = g.find(SVG_NS + "line")
    x1, y1, x2, y2 = (float(line.get(k)) for k in ("x1", "y1", "x2", "y2"))
    if (x1 < x2) != (g.get("data-dir") == "a2b"):
        return "frame %s points the wrong way" % g.get("data-frame")
    if y2 <= y1:
        return "frame %s does not fall" % g.get("data-frame")
    if y1 < last_y.get(g.get("data-conv"), 0):
        return "frame %s is above an earlier packet" % g.get("data-frame")
    last_y[g.get("data-conv")] = y1
    return None


def arrows(svg_path, json_path):
    got = collections.Counter()
    last_y = {}
    for g in ET.parse(svg_path).iter(SVG_NS + "g"):
        if "pkt" in g.get("class", "").split():
            got[(int(g.get("data-conv")), g.get("data-dir"))] += 1
            bad = geometry(g, last_y)
            if bad:
                print("geometry:", bad)
                return
    want = collections.Counter()
    with open(json_path) as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("type") == "packet":
                d = "a2b" if ev["dir"] == "A>B" else "b2a"
                want[(ev["conv"], d)] += 1
    if got == want:
        print("same", sum(got.values()))
    else:
        print("differ: svg", sorted(got.items()), "json",
              sorted(want.items()))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_frame(src, dst, proto, l4):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto,
                     0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + l4


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + payload
    return ip_frame(src, dst, 6, tcp)


PCAP_HEADER = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def empty(n):
    """N records of no bytes (16 bytes each), streamed to stdout."""
    out = sys.stdout.buffer
    out.write(PCAP_HEADER)
    block = struct.pack("<IIII", 1700000000, 0, 0, 0) * 65536
    while n > 0:
        k = min(n, 65536)
        out.write(block[:16 * k])
        n -= k
    out.flush()


def udp(n):
    """N UDP conversations of one datagram, one every 10 us, to stdout."""
    out = sys.stdout.buffer
    out.write(PCAP_HEADER)
    a, b = (127, 0, 0, 1), (127, 0, 0, 2)
    buf = []
    for i in range(n):
        fr = ip_frame(a, b, 17, struct.pack("!HHHH", 1024 + i % 60000,
                                            1 + i // 60000, 9, 0) + b"x")
        buf.append(struct.pack("<IIII", 1700000000 + i // 100000,
                               i % 100000 * 10, len(fr), len(fr)) + fr)
        if len(buf) == 4096:
            out.write(b"".join(buf))
            buf = []
    out.write(b"".join(buf))
    out.flush()


def clients(port, n):
    # One at a time: each waits for the server's close, so the server
    # never holds a backlog of clients (their buffers would make its peak
    # depend on how far behind a loaded machine lets it fall).
    for _ in range(n):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"x")
            s.shutdown(socket.SHUT_WR)
            s.recv(1)


def peak(cmd):
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.exit(rc)


def hostile(path):
    a, b = (127, 0, 0, 1), (127, 0, 0, 2)
    evil = b'<script>alert("x&y")</script>\'\x00\x01\x1b[31m\xff\xfe]]>'
    pkts = [
        (a, b, 40000, 80, 1000, 0, 0x02, b""),
        (b, a, 80, 40000, 5000, 1001, 0x12, b""),
        (a, b, 40000, 80, 1001, 5001, 0x10, b""),
        (a, b, 40000, 80, 1001, 5001, 0x18, evil),
        (b, a, 80, 40000, 5001, 1001 + len(evil), 0x18, evil[::-1]),
        (a, b, 40000, 80, 1001 + len(evil), 5001, 0x04, b""),
    ]
    write_pcap(path, pkts)


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(PCAP_HEADER)
        for i, p in enumerate(pkts):
            fr = tcp_frame(*p)
            f.write(struct.pack("<IIII", 1700000000 + i // 1000000,
                                i % 1000000, len(fr), len(fr)))
            f.write(fr)


def many(path, n):
    a, b = (127, 0, 0, 1), (127, 0, 0, 2)
    write_pcap(path, [(a, b, 40000, 80, 1000 + 10 * i, 0, 0x18, b"x" * 10)
                      for i in range(n)])


def png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack("!I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack("!IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and interlace == 0, "unexpected PNG format"
    bpp = {2: 3, 6: 4, 0: 1, 4: 2}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours, nonwhite, pos = set(), 0, 0
    for _ in range(h):
        ft, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, ul = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + left) & 255
            elif ft == 2:
                line[i] = (line[i] + up) & 255
            elif ft == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif ft == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                pr = left if pa <= pb and pa <= pc else up if pb <= pc else ul
                line[i] = (line[i] + pr) & 255
        for i in range(0, stride, bpp):
            px = bytes(line[i:i + min(bpp, 3)])
            colours.add(px)
            if min(px) < 200:
                nonwhite += 1
        prev = line
    print(w, h, len(colours), nonwhite)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "arrows":
        arrows(sys.argv[2], sys.argv[3])
    elif cmd == "hostile":
        hostile(sys.argv[2])
    elif cmd == "many":
        many(sys.argv[2], int(sys.argv[3]))
    elif cmd == "png":
        png(sys.argv[2])
    elif cmd == "empty":
        empty(int(sys.argv[2]))
    elif cmd == "udp":
        udp(int(sys.argv[2]))
    elif cmd == "clients":
        clients(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "peak":
        peak(sys.argv[2:])
    else:
        sys.exit("usage: svg-helper.py arrows|hostile|many|png|empty|udp|"
                 "clients|peak ...")
