#!/bin/bash
# tests/demo-course.sh: the course's scenarios of "sockkit demo" show what
# their titles say, read from the ladder they draw: zero-window (a window
# of 0, probes, the update), nagle (the held second write without
# TCP_NODELAY, none with it), loss (duplicate ACKs with SACK, then the
# fast retransmit; the lost tail resent), backlog (the third SYN dropped
# and retried), syn-cookies (a full SYN queue: the SYN dropped without
# cookies, answered with one with them, the kernel's counters saying so,
# the lost handshake ACK drawn back when the server resends its SYN,ACK),
# keepalive (probes at next - 1, then the RST), time-wait
# (the second connection's fate) and mss (the clamped MSS in the SYN,
# segments that fit).  Order, never timing.
. "$srcdir/lib.sh"
need_root
[ -x /usr/sbin/nft ] || [ -x /sbin/nft ] || skip_all "needs nft"

# run SCENARIO: its ladder in $out, its exit status in $rc.
run() {
	"$SOCKKIT" demo --ascii --color=never "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
	out=$(cat "$TMP/out")
}

# before A B: the first line matching A comes before one matching B.
before() {
	printf '%s\n' "$out" | awk -v a="$1" -v b="$2" '
	    !fa && $0 ~ a { fa = NR } fa && $0 ~ b { ok = 1 } END { exit !ok }'
}

# count RE: how many lines of $out match RE.
count() { printf '%s\n' "$out" | grep -Ec -- "$1"; }

plan 41

run zero-window
is "$rc" 0 "zero-window exits 0"
like "$out" "<-- ACK ack=[0-9]+ win=0 " "the server's window falls to 0"
like "$out" "! zero window: B cannot take more data" "and it is named"
n=$(count 'zero-window probe \(seq = next - 1\)')
like "$n" '^([2-9]|[1-9][0-9])$' "the client probes it, at least twice ($n)"
# The update: after the last probe, an ACK from B with an open window,
# then the data that waited.
printf '%s\n' "$out" | awk '/zero-window probe/ { p = NR }
    p && NR > p && /<-- ACK ack=[0-9]+ win=[1-9]/ && !u { u = NR }
    u && NR > u && /-- (PSH,)?ACK seq=[0-9]+:[0-9]+ len=/ { ok = 1 }
    END { exit !ok }'
ok $? "then the window update, and the data flows again"

run nagle
is "$rc" 0 "nagle exits 0"
# Without TCP_NODELAY: "GET ", then the server's (delayed) ACK, only then
# the second write.
printf '%s\n' "$out" | awk '/-- PSH,ACK .*"GET "/ { g = NR }
    g && !a && /<-- ACK ack=5 / { a = NR }
    /-- PSH,ACK .*"\/x\\n"/ && !x { x = NR }
    END { exit !(g && a && x && g < a && a < x) }'
ok $? "without TCP_NODELAY the second write waits for the first one's ACK"
like "$out" "delayed ACK, \+[0-9.]+ ms" "the ACK it waited for was delayed"
# With TCP_NODELAY: "PUT " and the second write back to back.
printf '%s\n' "$out" | awk '/-- PSH,ACK .*"PUT "/ { p = NR; next }
    p && /(--|<--) / { exit !(/-- PSH,ACK .*"\/x\\n"/) }
    END { if (!p) exit 1 }'
ok $? "with TCP_NODELAY the second write follows at once"

run loss
is "$rc" 0 "loss exits 0"
like "$out" "<-- ACK ack=3953 .*sack=4941:" "the server's ACKs carry SACK"
like "$out" "! duplicate ACK #3" "three duplicate ACKs"
before "duplicate ACK #3" "retransmission of 3953:4941"
ok $? "then the lost segment is retransmitted"
before "retransmission of 3953:4941" "<-- ACK ack=1[0-9][0-9][0-9][0-9] "
ok $? "and one ACK covers what the SACK blocks held"
like "$out" "retransmission of 23713:23813" "the lost tail is resent"
like "$out" "TCP_INFO says ESTABLISHED, mss 988, cwnd [0-9]+, 2 retransmits" \
    "TCP_INFO counts the two retransmissions"

run backlog
is "$rc" 0 "backlog exits 0"
is "$(count '^conversation [0-9]+: TCP')" 3 "three connections"
like "$(printf '%s\n' "$out" | sed -n '/^conversation 3:/,$p')" \
    "SYN retransmission #1" "the third one's SYN is retried"
before "SYN retransmission #1" "server: accept\(\)"
ok $? "while the queue is full, before the accept()"
before "server: accept\(\)" "connect\(\) returned: connected at the next SYN"
ok $? "after the accept() a retry gets through"

run syn-cookies
is "$rc" 0 "syn-cookies exits 0"
before "tcp_syncookies = 0" "no answer to the SYN from port [0-9]+: the SYN queue is full"
ok $? "without cookies: a SYN gets no answer"
like "$out" "kernel: TCPReqQFullDrop \+1: the SYN was dropped" \
    "the kernel counts it dropped"
before "TCPReqQFullDrop" "connected at the SYN retry"
ok $? "and the retry connects once the queue has room"
like "$out" "kernel: TCPReqQFullDoCookies \+1, SyncookiesSent \+1, SyncookiesRecv \+1" \
    "with cookies: the kernel sent one and took it back"
before "tcp_syncookies = 1" "accept\(\) returned port [0-9]+, the last client: the others are still half-open"
ok $? "and accept() returns the last client first"
like "$out" "SYN,ACK retransmission #1" "the server resends its SYN,ACK to a half-open client"
like "$out" "B had not got that ACK: it sends again" \
    "which draws the lost ACK undone"
is "$(count 'accept\(\) returned port [0-9]+, half-open until now')" \
    "$(count 'its ACK is lost')" "every half-open client is accepted in the end"

run keepalive
is "$rc" 0 "keepalive exits 0"
# "hello, server\n" is bytes 1:15, so next - 1 is 14.
like "$out" "-- ACK seq=14 ack=15 .*" "a probe at seq = next - 1"
is "$(count 'keepalive probe \(seq = next - 1\)')" 3 \
    "three probes: one answered, two not"
before "nft: every packet to port" "-- RST,ACK seq=15"
ok $? "with the server gone the client resets"
like "$out" "client: recv\(\) failed: ETIMEDOUT" "and its recv() says ETIMEDOUT"

run time-wait
is "$rc" 0 "time-wait exits 0"
like "$out" "bind\(\) to port [0-9]+ failed: EADDRINUSE" \
    "without SO_REUSEADDR bind() refuses the port in TIME_WAIT"
a=$(printf '%s\n' "$out" | sed -n 's/^conversation 1: TCP //p')
b=$(printf '%s\n' "$out" | sed -n 's/^conversation 2: TCP //p')
[ -n "$a" ] && [ "$a" = "$b" ]
ok $? "the second connection uses the same pair of ends ($b)"

run mss
is "$rc" 0 "mss exits 0"
like "$out" "SYN_SENT +-- SYN seq=0 .* mss=536 " "the client's SYN: MSS 536"
printf '%s\n' "$out" | awk '/-- (PSH,)?ACK seq=[0-9]+:[0-9]+ len=/ {
    n++; l = $0; sub(/.* len=/, "", l); sub(/ .*/, "", l)
    if (l + 0 > 524) bad = 1 } END { exit !(n >= 5 && !bad) }'
ok $? "every data segment fits (at most 536 - 12 bytes)"
done_testing
