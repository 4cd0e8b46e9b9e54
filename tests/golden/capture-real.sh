#!/bin/bash
# tests/golden/capture-real.sh: remake the golden pcaps taken from real
# traffic.  Needs root: each scenario runs in a network namespace of its
# own with tcpdump listening on its loopback, so nothing else is captured.
# The pcaps are committed; run this only to refresh them, then review the
# golden diffs (UPDATE=1 tests/golden/run.sh).
set -eu
out=$(cd "$(dirname "$0")" && pwd)
ns=skgold$$
trap 'kill ${tp:-} 2>/dev/null; ip netns del $ns 2>/dev/null || true' EXIT

# scenario NAME TCPDUMP-ARGS PYTHON: capture what PYTHON does into NAME.pcap.
scenario() {
	rm -f /tmp/$ns.err
	ip netns add $ns
	ip -n $ns link set lo up
	start_capture "$1" "$2"
	ip netns exec $ns timeout 30 python3 -c "$3"
	stop_capture "$1" "$2"
	ip netns del $ns
}

# start_capture NAME FILTER: tcpdump in $ns, and wait until it really sees
# packets (a UDP datagram to port 9, sent until one is captured).
start_capture() {
	ip netns exec $ns tcpdump --immediate-mode -i lo -nn -U -s "${SNAPLEN:-0}" -w /tmp/$ns.pcap \
	    "($2) or udp port 9" 2>/dev/null &
	tp=$!
	for _ in $(seq 100); do
		ip netns exec $ns python3 -c 'import socket; socket.socket(
		    socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x",
		    ("127.0.0.1", 9))'
		[ "$(stat -c %s /tmp/$ns.pcap 2>/dev/null || echo 0)" -gt 24 ] &&
		    break
		sleep 0.1
	done
}

# stop_capture NAME FILTER: stop tcpdump, keep only FILTER's packets.
stop_capture() {
	sleep 0.3
	kill -INT $tp; wait $tp || true
	tcpdump -r /tmp/$ns.pcap -w "$out/$1.pcap" "$2" 2>/dev/null
	rm -f /tmp/$ns.pcap
}

PRE='
import socket, struct, time
def server(fam=socket.AF_INET, addr="127.0.0.1"):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 5620)); s.listen(); return s
'
# The TCP evidence cases (loss, crossing FINs, TFO, probes) only, when
# asked: EVIDENCE_ONLY=1 capture-real.sh.
if [ -n "${EVIDENCE_ONLY:-}" ]; then
	. "$out/capture-evidence.sh"
	exit 0
fi

scenario close-client "tcp port 5620" "$PRE
s = server(); c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
c.send(b'ping\n'); a.recv(100); a.send(b'pong\n'); c.recv(100)
c.shutdown(socket.SHUT_WR); time.sleep(0.2); a.recv(10); a.close(); c.recv(10); c.close()"

scenario close-server "tcp port 5620" "$PRE
s = server(); c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
a.send(b'hello\r\n'); c.recv(100); a.close(); time.sleep(0.1); c.recv(10); c.close()"

scenario rst-abort "tcp port 5620" "$PRE
s = server(); c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
c.send(b'GET / HTTP/1.0\r\n\r\n'); a.recv(100); time.sleep(0.05)
a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); a.close()
time.sleep(0.05)
try: c.recv(10)
except ConnectionResetError: pass"

scenario refused "tcp port 5620" "$PRE
try: socket.create_connection(('127.0.0.1', 5620))
except ConnectionRefusedError: pass"

scenario delayed-ack "tcp port 5620" "$PRE
s = server(); c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
for i in range(3):
    c.send(b'request %d\n' % i); a.recv(100); time.sleep(0.12)
    a.send(b'reply %d\n' % i); c.recv(100); time.sleep(0.12)
c.close(); a.recv(10); a.close()"

scenario ipv6 "tcp port 5620" "$PRE
s = server(socket.AF_INET6, '::1'); c = socket.create_connection(('::1', 5620)); a, _ = s.accept()
c.send(b'ping6\n'); a.recv(100); a.send(b'pong6\n'); c.recv(100)
c.close(); a.recv(10); a.close()"

scenario bulk "tcp port 5620" "$PRE
s = server(); c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
data = bytes(range(256)) * 256
c.sendall(data); n = 0
while n < len(data): n += len(a.recv(65536))
c.close(); a.recv(10); a.close()"

scenario self-ports "tcp port 5620 or tcp port 5621" "$PRE
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); c.bind(('127.0.0.1', 5621))
s = server(); c.connect(('127.0.0.1', 5620)); a, _ = s.accept()
a.send(b'from 5620\n'); c.recv(100); c.send(b'from 5621\n'); a.recv(100)
a.close(); c.recv(10); c.close()"

scenario udp-icmp "udp or icmp" "$PRE
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.bind(('127.0.0.1', 5620)); u.sendto(b'hello udp', ('127.0.0.1', 5620)); d, a = v.recvfrom(100)
v.sendto(b'hi back', a); u.recvfrom(100); v.close(); time.sleep(0.05)
u.sendto(b'anyone?', ('127.0.0.1', 5620)); time.sleep(0.05)"

# A port that drops SYNs: the client retries with back-off, then gives up.
ip netns add $ns
ip -n $ns link set lo up
ip netns exec $ns sysctl -q net.ipv4.tcp_syn_retries=2
ip netns exec $ns nft add table inet t
ip netns exec $ns nft add chain inet t in '{ type filter hook input priority 0; }'
ip netns exec $ns nft add rule inet t in tcp dport 5620 drop
start_capture syn-dropped "tcp port 5620"
ip netns exec $ns timeout 30 python3 -c "
import socket
try: socket.create_connection(('127.0.0.1', 5620))
except OSError: pass" || true
stop_capture syn-dropped "tcp port 5620"

# A port rejected with ICMP host unreachable: drawn back to the sender.
ip netns del $ns 2>/dev/null || true
ip netns add $ns
ip -n $ns link set lo up
ip netns exec $ns nft add table inet t
ip netns exec $ns nft add chain inet t in '{ type filter hook input priority 0; }'
ip netns exec $ns nft add rule inet t in tcp dport 5620 reject with icmp type host-unreachable
start_capture icmp-unreach "tcp port 5620 or icmp"
ip netns exec $ns timeout 30 python3 -c "
import socket
try: socket.create_connection(('127.0.0.1', 5620))
except OSError: pass" || true
stop_capture icmp-unreach "tcp port 5620 or (icmp and icmp[30:2] = 5620)"

# ping over IPv4 and IPv6: ICMP echo conversations keyed by identifier.
ip netns del $ns 2>/dev/null || true
ip netns add $ns
ip -n $ns link set lo up
start_capture ping "icmp[0] = 0 or icmp[0] = 8 or icmp6"
ip netns exec $ns python3 -c "
import socket, struct, time
def ping(fam, proto, addr, req):
    s = socket.socket(fam, socket.SOCK_RAW, proto)
    for seq in (1, 2):
        body = struct.pack('!BBHHH', req, 0, 0, 0x5a5a, seq) + b'sockkit ping'
        if fam == socket.AF_INET:
            c = sum(struct.unpack('!%dH' % (len(body) // 2), body))
            c = (c >> 16) + (c & 0xffff); c = ~(c + (c >> 16)) & 0xffff
            body = body[:2] + struct.pack('!H', c) + body[4:]
        s.sendto(body, (addr, 0)); time.sleep(0.2)
ping(socket.AF_INET, socket.IPPROTO_ICMP, '127.0.0.1', 8)
ping(socket.AF_INET6, socket.IPPROTO_ICMPV6, '::1', 128)"
stop_capture ping "icmp[0] = 0 or icmp[0] = 8 or icmp6"
ip netns del $ns

. "$out/capture-evidence.sh"
