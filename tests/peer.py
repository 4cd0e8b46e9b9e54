#!/usr/bin/env python3
"""tests/peer.py: small TCP peers that the shell tests need and that nc,
ncat and socat cannot play.  Servers listen on 127.0.0.1 port 0 and say
"Listening on 127.0.0.1 PORT" on stderr, as sockkit does.

  peer.py eofreply          read until EOF, then answer "got N bytes\\n"
  peer.py hold              accept and read, never answer; close only
                            20 seconds after EOF
  peer.py rst               send "hello\\n", wait for a line, then reset
  peer.py rst-client PORT [N]
                            connect, send 64 KiB, then reset; N clients,
                            20 at a time
  peer.py halfclose PORT    connect, send "x", shut down writing, copy
                            everything received to stdout
Every peer gives up after 20 seconds so that no test can hang on it.
"""
import socket
import struct
import sys
import time


def server():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    sys.stderr.write("Listening on 127.0.0.1 %d\n" % s.getsockname()[1])
    sys.stderr.flush()
    s.settimeout(20)
    c, _ = s.accept()
    c.settimeout(20)
    return c


def reset(c):
    # SO_LINGER with a zero timeout: close() sends RST, not FIN.
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def read_all(c):
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            return n
        n += len(b)


def main():
    socket.setdefaulttimeout(20)
    mode = sys.argv[1]
    if mode == "eofreply":
        c = server()
        n = read_all(c)
        c.sendall(b"got %d bytes\n" % n)
        c.close()
    elif mode == "hold":
        c = server()
        read_all(c)
        time.sleep(20)
    elif mode == "rst":
        c = server()
        c.sendall(b"hello\n")
        buf = b""
        while b"\n" not in buf:
            b = c.recv(4096)
            if not b:
                break
            buf += b
        reset(c)
    elif mode == "rst-client":
        port, n = int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1
        for _ in range(0, n, 20):
            batch = [socket.create_connection(("127.0.0.1", port))
                     for _ in range(min(20, n))]
            for c in batch:
                c.sendall(b"r" * 65536)
            for c in batch:
                reset(c)
            n -= len(batch)
    elif mode == "halfclose":
        c = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
        c.sendall(b"x")
        c.shutdown(socket.SHUT_WR)
        out = sys.stdout.buffer
        while True:
            b = c.recv(65536)
            if not b:
                break
            out.write(b)
        out.flush()
    else:
        sys.exit("peer.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
