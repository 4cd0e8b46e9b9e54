#!/usr/bin/env python3
"""tests/golden/gen.py: write the synthetic golden pcaps.

Real traffic cannot be made to show every case on demand (a 3-segment
close, FINs that cross, a lost segment, a header cut in the middle), so
these captures are built packet by packet with fixed timestamps.  The
output is deterministic; the files are committed.  Run it from anywhere:
    python3 tests/golden/gen.py
"""
import os
import struct

OUT = os.path.dirname(os.path.abspath(__file__))
T0 = 1763769600  # 2025-11-22 00:00:00 UTC

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

LINK_ETH, LINK_NULL, LINK_RAW, LINK_LOOP = 1, 0, 101, 108
LINK_SLL, LINK_SLL2 = 113, 276


def pcap(name, link, frames, snap=262144):
    """frames: (usec offset, bytes[, wirelen])."""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snap, link))
        for fr in frames:
            t, data = fr[0], fr[1]
            wire = fr[2] if len(fr) > 2 else len(data)
            f.write(struct.pack("<IIII", T0 + t // 1000000, t % 1000000,
                                len(data), wire))
            f.write(data)


def v4(a):
    return bytes(int(x) for x in a.split("."))


def v6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def tcp(sp, dp, seq, ack, flags, win=512, opts=b"", data=b""):
    while len(opts) % 4:
        opts += b"\x01"
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, off << 4, flags, win,
                       0, 0) + opts + data


def udp(sp, dp, data):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data


def ip4(src, dst, proto, payload, tot=None):
    tot = 20 + len(payload) if tot is None else tot
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 1, 0x4000, 64, proto,
                       0, v4(src), v4(dst)) + payload


def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64,
                       v6(src), v6(dst)) + payload


def eth(pkt, etype=0x0800):
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01" + \
        struct.pack("!H", etype) + pkt


SYNOPT = b"\x02\x04\x05\xb4\x04\x02\x01\x03\x03\x07"  # mss 1460, sack, ws 7


class Conv:
    """A TCP conversation between A (client) and B (server) over IPv4."""

    def __init__(self, a="10.0.0.1", ap=40000, b="10.0.0.2", bp=80,
                 isn_a=1000, isn_b=5000):
        self.a, self.ap, self.b, self.bp = a, ap, b, bp
        self.seq = {"A": isn_a, "B": isn_b}
        self.frames = []

    def send(self, t, who, flags, data=b"", ack=None, seq=None, win=512,
             opts=b""):
        other = "B" if who == "A" else "A"
        s = self.seq[who] if seq is None else seq
        a = self.seq[other] if ack is None else ack
        src, sp, dst, dp = ((self.a, self.ap, self.b, self.bp) if who == "A"
                            else (self.b, self.bp, self.a, self.ap))
        seg = tcp(sp, dp, s, a if flags & ACK else 0, flags, win, opts, data)
        self.frames.append((t, eth(ip4(src, dst, 6, seg))))
        if seq is None:
            self.seq[who] += len(data) + (1 if flags & (SYN | FIN) else 0)

    def handshake(self, t=0):
        self.send(t, "A", SYN, opts=SYNOPT)
        self.send(t + 300, "B", SYN | ACK, opts=SYNOPT)
        self.send(t + 600, "A", ACK)


def three_segment_close():
    c = Conv()
    c.handshake()
    c.send(1000, "A", PSH | ACK, b"GET / HTTP/1.0\r\n\r\n")
    c.send(1300, "B", PSH | ACK, b"HTTP/1.0 200 OK\r\n\r\nhi\n")
    c.send(1600, "A", FIN | ACK)
    c.send(1900, "B", FIN | ACK)
    c.send(2200, "A", ACK)
    pcap("three-seg-close.pcap", LINK_ETH, c.frames)


def simultaneous_close():
    c = Conv()
    c.handshake()
    c.send(1000, "A", PSH | ACK, b"bye\n")
    c.send(1300, "B", ACK)
    fa = c.seq["A"]
    c.send(2000, "A", FIN | ACK)
    c.send(2010, "B", FIN | ACK, ack=fa)   # sent before A's FIN arrived
    c.send(2300, "A", ACK)
    c.send(2310, "B", ACK)
    pcap("simultaneous-close.pcap", LINK_ETH, c.frames)


def retransmission():
    c = Conv()
    c.handshake()
    s = c.seq["A"]
    c.send(1000, "A", PSH | ACK, b"A" * 100)
    c.send(1100, "A", PSH | ACK, b"B" * 100)   # seq s+100
    c.send(1200, "A", PSH | ACK, b"C" * 100)   # seq s+200
    c.send(1500, "B", ACK, ack=s + 100)
    c.send(1600, "B", ACK, ack=s + 100)        # duplicate ACKs
    c.send(1700, "B", ACK, ack=s + 100)
    c.send(201500, "A", PSH | ACK, b"B" * 100, seq=s + 100)  # retransmitted
    c.send(201800, "B", ACK, ack=s + 300)
    c.send(202000, "A", FIN | ACK)
    c.send(202300, "B", FIN | ACK)
    c.send(202600, "A", ACK)
    pcap("retransmission.pcap", LINK_ETH, c.frames)


def out_of_order_zero_window():
    c = Conv()
    c.handshake()
    s = c.seq["A"]
    c.send(1000, "A", PSH | ACK, b"1" * 50)
    c.send(1100, "A", PSH | ACK, b"3" * 50, seq=s + 100)   # overtakes
    c.send(1150, "A", PSH | ACK, b"2" * 50, seq=s + 50)    # arrives late
    c.seq["A"] = s + 150
    c.send(1400, "B", ACK, ack=s + 150, win=0)             # zero window
    c.send(9000, "B", ACK, ack=s + 150, win=512)           # window update
    c.send(9300, "B", RST | ACK)
    pcap("ooo-zero-window.pcap", LINK_ETH, c.frames)


def mid_stream():
    c = Conv(isn_a=777000, isn_b=888000)
    c.send(0, "A", PSH | ACK, b"middle of it\n")
    c.send(200, "B", ACK)
    c.send(400, "B", PSH | ACK, b"and more\n")
    c.send(600, "A", ACK)
    c.send(900, "B", FIN | ACK)
    c.send(1200, "A", ACK)
    c.send(1500, "A", FIN | ACK)
    c.send(1800, "B", ACK)
    pcap("mid-stream.pcap", LINK_ETH, c.frames)


def long_data():
    """A data phase long enough to fold, with a short one after it."""
    c = Conv()
    c.handshake()
    t = 1000
    for i in range(40):
        c.send(t, "A", ACK, bytes([65 + i % 26]) * 1000)
        t += 100
        if i % 2:
            c.send(t, "B", ACK)
            t += 100
    c.send(t + 50000, "B", PSH | ACK, b"got it\n")
    c.send(t + 50300, "A", FIN | ACK)
    c.send(t + 50600, "B", FIN | ACK)
    c.send(t + 50900, "A", ACK)
    pcap("fold.pcap", LINK_ETH, c.frames)


def relink(src_name, dst_name, link, head):
    """Rewrite an Ethernet pcap with another link header (head(etype))."""
    with open(os.path.join(OUT, src_name), "rb") as f:
        raw = f.read()
    magic = struct.unpack("<I", raw[:4])[0]
    ns = magic == 0xa1b23c4d
    off, frames = 24, []
    while off + 16 <= len(raw):
        sec, frac, cap, wire = struct.unpack("<IIII", raw[off:off + 16])
        data = raw[off + 16:off + 16 + cap]
        off += 16 + cap
        etype = struct.unpack("!H", data[12:14])[0]
        frames.append((sec, frac // 1000 if ns else frac,
                       head(etype) + data[14:]))
    with open(os.path.join(OUT, dst_name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, link))
        for sec, usec, data in frames:
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
            f.write(data)


def sll2(etype):
    return struct.pack("!HHIHBB8s", etype, 0, 1, 772, 4, 6, b"\0" * 8)


def sll(etype):
    return struct.pack("!HHH8sH", 4, 772, 6, b"\0" * 8, etype)


def null(etype):
    return struct.pack("<I", 2 if etype == 0x0800 else 10)


def loop(etype):
    return struct.pack("!I", 2 if etype == 0x0800 else 24)


def links():
    relink("close-client.pcap", "cooked-v2.pcap", LINK_SLL2, sll2)
    relink("close-server.pcap", "cooked-v1.pcap", LINK_SLL, sll)
    relink("rst-abort.pcap", "bsd-null.pcap", LINK_NULL, null)
    relink("ipv6.pcap", "bsd-loop.pcap", LINK_LOOP, loop)
    relink("refused.pcap", "raw-ip.pcap", LINK_RAW, lambda e: b"")


def ipv6_ext_vlan():
    """IPv6 with hop-by-hop and destination options, inside a VLAN tag."""
    hbh = bytes([60, 0, 5, 2, 0, 0, 1, 0])       # router alert, then DST
    dst = bytes([6, 0, 1, 4, 0, 0, 0, 0])        # PadN, then TCP
    frames = []
    a, b = "2001:db8::1", "2001:db8::2"
    for i, (sp, dp, seq, ack, fl) in enumerate([
            (40000, 443, 100, 0, SYN), (443, 40000, 900, 101, SYN | ACK),
            (40000, 443, 101, 901, ACK), (40000, 443, 101, 901, RST)]):
        src, dstaddr = (a, b) if sp == 40000 else (b, a)
        seg = tcp(sp, dp, seq, ack, fl, opts=SYNOPT if fl & SYN else b"")
        pkt = ip6(src, dstaddr, 0, hbh + dst + seg)
        frames.append((i * 250, b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01" +
                       b"\x81\x00\x00\x07\x86\xdd" + pkt))
    pcap("ipv6-ext-vlan.pcap", LINK_ETH, frames)


def broken():
    """Frames cut inside every header, and headers that lie."""
    seg = tcp(40000, 80, 1, 1, PSH | ACK, opts=b"\x08\x0a" + b"\0" * 8,
              data=b"hello")
    good = eth(ip4("10.0.0.1", "10.0.0.2", 6, seg))
    good6 = eth(ip6("2001:db8::1", "2001:db8::2", 6, seg), 0x86dd)
    dgram = eth(ip4("10.0.0.1", "10.0.0.2", 17, udp(5353, 53, b"query")))
    frames, t = [], 0
    # Truncated: captured length cut inside each header, wire length full.
    for data, cuts in ((good, (10, 20, 30, 45, 60, 70)),
                       (good6, (20, 40, 60, 70)), (dgram, (40,))):
        for cut in cuts:
            frames.append((t, data[:cut], len(data)))
            t += 100
    # Invalid: headers that contradict themselves.
    bad = bytearray(good)
    bad[14] = 0x43                                  # IHL 3
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[16:18] = struct.pack("!H", 10)              # total length < IHL
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[16:18] = struct.pack("!H", 2000)            # beyond the frame
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[34 + 12] = 0x40                             # TCP data offset 4
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[34 + 21] = 1                                # option length 1
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[34 + 21] = 40                               # option runs past
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(dgram)
    bad[34 + 4:34 + 6] = struct.pack("!H", 4)       # UDP length 4
    frames.append((t, bytes(bad))); t += 100
    bad = bytearray(good)
    bad[14] = 0x65                                  # version 6 in v4
    frames.append((t, bytes(bad))); t += 100
    # Unsupported: ARP and a later fragment.
    frames.append((t, eth(b"\0" * 28, 0x0806))); t += 100
    frag = bytearray(good)
    frag[20:22] = struct.pack("!H", 0x0010)
    frames.append((t, bytes(frag))); t += 100
    # Ethernet padding after a short segment: not payload.
    frames.append((t, eth(ip4("10.0.0.1", "10.0.0.2", 6,
                              tcp(40000, 80, 1, 1, ACK))) + b"\0" * 6))
    t += 100
    # ip_len 0, as segmentation offload leaves it.
    frames.append((t, eth(ip4("10.0.0.1", "10.0.0.2", 6, seg, tot=0))))
    pcap("broken.pcap", LINK_ETH, frames)


def icmp_router():
    """A SYN answered by a router: ICMP time exceeded, then net unreachable."""
    syn = tcp(40000, 443, 1000, 0, SYN, opts=SYNOPT)
    dgram = ip4("10.0.0.1", "192.0.2.7", 6, syn)
    frames = [(0, eth(dgram))]
    for t, ty, code in ((900, 11, 0), (1000900, 3, 0)):
        icmp = struct.pack("!BBHI", ty, code, 0, 0) + dgram[:28]
        frames.append((t, eth(ip4("10.0.0.254", "10.0.0.1", 1, icmp))))
    frames.insert(2, (1000000, eth(dgram)))
    pcap("icmp-router.pcap", LINK_ETH, frames)


def port_reuse():
    """The same ports twice: a refused attempt, then a connection."""
    c = Conv(isn_a=100, isn_b=0)
    c.send(0, "A", SYN, opts=SYNOPT)
    c.send(100, "B", RST | ACK, seq=0)
    c.seq["A"], c.seq["B"] = 7000, 9000
    c.handshake(t=500000)
    c.send(501000, "A", FIN | ACK)
    c.send(501300, "B", FIN | ACK)
    c.send(501600, "A", ACK)
    pcap("port-reuse.pcap", LINK_ETH, c.frames)


def lone_datagram():
    """One UDP datagram that nothing answers: a conversation of one packet."""
    dgram = ip4("10.0.0.1", "10.0.0.2", 17, udp(40001, 9, b"x"))
    pcap("lone-udp.pcap", LINK_ETH, [(0, eth(dgram))])


def main():
    three_segment_close()
    simultaneous_close()
    retransmission()
    out_of_order_zero_window()
    mid_stream()
    long_data()
    links()
    ipv6_ext_vlan()
    broken()
    icmp_router()
    port_reuse()
    lone_datagram()


if __name__ == "__main__":
    main()
