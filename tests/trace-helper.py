#!/usr/bin/env python3
"""tests/trace-helper.py: small servers and comparisons for tests/trace.sh.

  server MODE PORTFILE [ADDR]  listen on ADDR port 0, write the port to
                               PORTFILE, serve one client: "normal" answers
                               pong and closes after EOF, "abort" resets
                               (SO_LINGER 0) after the first read, "hold"
                               keeps the connection open for 10 s.
  compare JSON TSHARK          the packets sockkit reported (JSON lines)
                               against tshark's fields; prints a diff.
"""
import json
import socket
import struct
import sys

FLAGS = {"FIN": 1, "SYN": 2, "RST": 4, "PSH": 8, "ACK": 16, "URG": 32,
         "ECE": 64, "CWR": 128}


def server(mode, portfile, addr="127.0.0.1"):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.bind((addr, 0))
    s.listen()
    s.settimeout(10)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(portfile + ".tmp", portfile)
    try:
        c, _ = s.accept()
    except socket.timeout:
        return
    c.settimeout(10)
    data = c.recv(100)
    if mode == "abort":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        c.close()
        return
    if mode == "hold":
        import time
        time.sleep(10)
        return
    c.sendall(b"pong:" + data)
    while c.recv(100):
        pass
    c.close()


def ours(path):
    rows = []
    for line in open(path):
        if not line.startswith("{"):
            continue
        ev = json.loads(line)
        if ev.get("type") != "packet" or ev.get("proto") != "tcp":
            continue
        bits = sum(FLAGS[f] for f in ev["flags"].split(",") if f in FLAGS)
        rows.append((ev["sport"], bits, ev["seq"],
                     ev["ack"] if bits & 16 else 0, ev["len"]))
    return rows


def theirs(path):
    rows = []
    for line in open(path):
        f = line.split()
        if len(f) != 5:
            continue
        bits = int(f[1], 16) & 0xff
        rows.append((int(f[0]), bits, int(f[2]),
                     int(f[3]) if bits & 16 else 0, int(f[4])))
    return rows


def crossing_swaps(x, y):
    """How many adjacent pairs of packets going opposite ways x and y see
    in opposite order, or -1 if x and y differ otherwise.  Two packets that
    cross on the wire are taken by two captures in either order (each CPU
    hands its packet to every capture socket); within one direction the
    order is the wire's and must be the same."""
    if len(x) != len(y):
        return -1
    i, swaps = 0, 0
    while i < len(x):
        if x[i] == y[i]:
            i += 1
        elif (i + 1 < len(x) and x[i] == y[i + 1] and x[i + 1] == y[i]
              and x[i][0] != x[i + 1][0]):
            swaps += 1
            i += 2
        else:
            return -1
    return swaps


def compare(a, b):
    x, y = ours(a), theirs(b)
    swaps = crossing_swaps(x, y) if x else -1
    if swaps == 0:
        print("same %d packets" % len(x))
        return 0
    if swaps > 0:
        print("same %d packets; %d crossing pair(s) in the other order"
              % (len(x), swaps))
        return 0
    print("sockkit %d packets, tshark %d" % (len(x), len(y)))
    for i in range(max(len(x), len(y))):
        p = x[i] if i < len(x) else None
        q = y[i] if i < len(y) else None
        print("%s %s %s" % ("  " if p == q else "!!", p, q))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(*sys.argv[2:])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
