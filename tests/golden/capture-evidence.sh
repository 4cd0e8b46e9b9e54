# tests/golden/capture-evidence.sh: the real captures where TCP gets
# interesting (issue 15): lost and crossing FINs, a lost final ACK, SYN
# retries, loss with SACK, TCP Fast Open, a short snaplen, a capture that
# starts mid-stream, keepalive and zero-window probes, a half-close.
# Sourced by capture-real.sh (its scenario and capture helpers); nft in
# each scenario's namespace drops what the scenario says, after tcpdump
# has seen it, so the pcap holds packets that were never delivered.

EV='
import socket, struct, subprocess, threading, time
def nft(*a): subprocess.run(["nft"] + list(a), check=True)
nft("add table inet t")
def drop(name, rule):
    nft("add chain inet t %s { type filter hook input priority 0; }" % name)
    nft("add rule inet t %s %s drop" % (name, rule))
def undrop(name): nft("flush chain inet t %s" % name)
def server(rcvbuf=0):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("127.0.0.1", 5620)); s.listen(); return s
def pair(mss=0, rcvbuf=0):
    s = server(rcvbuf); c = socket.socket()
    if mss: c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    c.connect(("127.0.0.1", 5620)); a, _ = s.accept(); return c, a
def drain(x):
    while x.recv(65536): pass
'
# want NAME: whether to capture NAME (all of them unless ONLY lists some).
want() {
	[ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]
}

FINS='meta l4proto tcp tcp flags & fin == fin'

# Both FINs dropped; the retransmissions, sent in the same jiffy by one
# CPU, cross: both ends go FIN_WAIT_1 -> CLOSING -> TIME_WAIT.
want fins-lost && scenario fins-lost "tcp port 5620" "$EV
c, a = pair(); c.send(b'bye\n'); a.recv(10)
drop('f', '$FINS')
c.shutdown(socket.SHUT_WR); a.shutdown(socket.SHUT_WR)
time.sleep(0.1); undrop('f'); time.sleep(0.6); c.close(); a.close()"

# Both FINs dropped, B's for longer: A's FIN arrives alone, B acknowledges
# it (CLOSING), A goes FIN_WAIT_2, then B's FIN arrives (TIME_WAIT).
want fins-apart && scenario fins-apart "tcp port 5620" "$EV
c, a = pair(); c.send(b'bye\n'); a.recv(10)
drop('fa', 'tcp dport 5620 tcp flags & fin == fin')
drop('fb', 'tcp sport 5620 tcp flags & fin == fin')
c.shutdown(socket.SHUT_WR); a.shutdown(socket.SHUT_WR)
time.sleep(0.1); undrop('fa'); time.sleep(0.4); undrop('fb')
time.sleep(1.0); c.close(); a.close()"

# A closes first; its ACK of B's FIN is dropped for a second: B stays
# LAST_ACK and sends its FIN again, A (TIME_WAIT) answers each.
want lost-final-ack && scenario lost-final-ack "tcp port 5620" "$EV
c, a = pair(); c.send(b'ping\n'); a.recv(10)
c.shutdown(socket.SHUT_WR); a.recv(10); time.sleep(0.05)
drop('k', 'tcp dport 5620 tcp flags == ack')
a.close(); time.sleep(1.0); undrop('k'); time.sleep(1.0); c.close()"

# The first two SYNs are dropped; the third is answered.
want syn-retry && scenario syn-retry "tcp port 5620" "$EV
drop('s', 'tcp dport 5620 tcp flags == syn')
s = server()
def later(): time.sleep(1.5); undrop('s')
threading.Thread(target=later).start()
c = socket.create_connection(('127.0.0.1', 5620)); a, _ = s.accept()
c.send(b'at last\n'); a.recv(10); c.close(); a.recv(10); a.close()"

# 20% of the data segments lost (seeded in the kernel, so the pcap is
# what counts): retransmissions, duplicate ACKs with SACK blocks.
want loss-sack && scenario loss-sack "tcp port 5620" "$EV
c, a = pair(mss=1000)
drop('l', 'tcp dport 5620 tcp flags & (syn|fin) == 0 meta length > 100 numgen random mod 5 == 0')
t = threading.Thread(target=drain, args=(a,)); t.start()
c.sendall(bytes(range(256)) * 80); time.sleep(1.5); undrop('l')
c.close(); t.join(); a.close()"

# TCP Fast Open: the first connection asks for a cookie, the second
# carries 10 bytes in its SYN.
want tfo && scenario tfo "tcp port 5620" "$EV
subprocess.run(['sysctl', '-q', 'net.ipv4.tcp_fastopen=3'], check=True)
s = server(); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5)
for i in range(2):
    c = socket.socket()
    c.sendto(b'tfo data\r\n', socket.MSG_FASTOPEN, ('127.0.0.1', 5620))
    a, _ = s.accept(); a.recv(100); a.send(b'ok\n'); c.recv(10)
    c.close(); a.recv(10); a.close(); time.sleep(0.1)"

# A conversation captured with tcpdump -s 60: headers whole, options cut.
want snaplen60 && SNAPLEN=60 scenario snaplen60 "tcp port 5620" "$EV
c, a = pair(); c.send(b'hello, cut\n'); a.recv(100); a.send(b'ok\n')
c.recv(10); c.close(); a.recv(10); a.close()"

# Keepalive: one second idle, probes one second apart, each answered.
want keepalive && scenario keepalive "tcp port 5620" "$EV
c, a = pair()
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
c.send(b'x'); a.recv(1); time.sleep(2.6); c.close(); a.recv(10); a.close()"

# A receiver that stops reading: zero window, the sender's probes, then
# the window opens again.
want zero-window && scenario zero-window "tcp port 5620" "$EV
c, a = pair(mss=1000, rcvbuf=2048); c.setblocking(False)
sent = 0
for _ in range(200):
    try: sent += c.send(b'z' * 1000)
    except BlockingIOError: break
time.sleep(1.6); c.setblocking(True); c.shutdown(socket.SHUT_WR)
drain(a); a.close(); c.close()"

# Half-close: the client sends its request and FIN; the server's answer
# keeps flowing in three parts before its own FIN.
want half-close-data && scenario half-close-data "tcp port 5620" "$EV
c, a = pair(); c.send(b'request\n'); c.shutdown(socket.SHUT_WR)
a.recv(100); a.recv(100)
for i in range(3): a.send(b'part %d\n' % i); time.sleep(0.05)
a.close(); drain(c); c.close()"

# A handshake's ACK dropped while another connection goes on: the first
# client is ESTABLISHED, the server still SYN_RECEIVED (its SYN queue,
# backlog 1, is full: the second client is answered with a SYN cookie);
# a second later the server sends its SYN,ACK again, the one evidence
# that the ACK never came, with the other connection's packets between.
want ack-lost-between && scenario ack-lost-between "tcp port 5620" "$EV
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 5620)); s.listen(1)
drop('a', 'tcp sport 41001 tcp flags & (syn|ack|fin|rst|psh) == ack')
def client(port):
    c = socket.socket(); c.bind(('127.0.0.1', port)); c.setblocking(False)
    try: c.connect(('127.0.0.1', 5620))
    except BlockingIOError: pass
    return c
c1 = client(41001); time.sleep(0.2); c2 = client(41002); time.sleep(0.3)
undrop('a'); s.settimeout(5)
a2, _ = s.accept(); a1, _ = s.accept()
a2.close(); time.sleep(0.1); c2.close(); a1.close(); time.sleep(0.1); c1.close()"

# A capture that starts after the handshake (and the window scale).
want mid-stream-real || return 0
ip netns add $ns
ip -n $ns link set lo up
ip netns exec $ns timeout 30 python3 -c "$EV
c, a = pair(); c.send(b'before the capture\n'); a.recv(100)
time.sleep(4.0)
for i in range(2): c.send(b'seen %d\n' % i); a.recv(100); a.send(b'ack\n'); c.recv(10)
c.close(); a.recv(10); a.close()" &
py=$!
sleep 2
start_capture mid-stream-real "tcp port 5620"
wait $py
stop_capture mid-stream-real "tcp port 5620"
ip netns del $ns
