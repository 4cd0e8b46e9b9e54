# raw-priv.sh: what "raw" does with privileges.  As root it opens its raw
# socket and capture, then runs as nobody with no capability (or keeps
# root with --no-drop); as an unprivileged user every raw command fails
# before sending anything, naming CAP_NET_RAW.  Also: "raw listen --proto
# icmp" sees the echo requests iputils ping sends, with their ids.
. "$srcdir/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip setpriv ping tcpdump
probe_pair || skip_all "cannot create network namespaces"
plan 29

# status_of PID FIELD: the first word of a field of /proc/PID/status
# ("Uid": the real uid; "CapEff").
status_of() { status_field "$1" "$2" | cut -d' ' -f1; }

bg ip netns exec "$T" "$SOCKKIT" raw listen --proto icmp >/dev/null \
    2>"$TMP/drop.err"
pid=$!
wait_for_line "$TMP/drop.err" '^Listening for ' 5
is "$(status_of $pid Uid)" "$(id -u nobody)" \
    "raw listen as root: runs as nobody once listening"
is "$(status_of $pid CapEff)" 0000000000000000 "... with no capability"
is "$(status_of $pid NoNewPrivs)" 1 "... and no_new_privs"
kill -INT $pid
wait_pid $pid 5
is $? 130 "SIGINT: ends by the signal, as every command does"
is "$(tail -n 1 "$TMP/drop.err")" "0 packets received" "SIGINT: the count"

bg ip netns exec "$T" "$SOCKKIT" raw listen --proto icmp --no-drop \
    >/dev/null 2>"$TMP/keep.err"
pid=$!
wait_for_line "$TMP/keep.err" '^Listening for ' 5
is "$(status_of $pid Uid)" 0 "--no-drop: still root"
kill $pid
bg ip netns exec "$T" "$SOCKKIT" raw listen --proto icmp --user daemon \
    >/dev/null 2>"$TMP/user.err"
pid=$!
wait_for_line "$TMP/user.err" '^Listening for ' 5
is "$(status_of $pid Uid)" "$(id -u daemon)" "--user daemon: runs as daemon"
kill $pid

# The crafted-packet commands drop too, after opening socket and capture
# (two probes 5 s apart keep it alive while we look).
for sub in "tcp $T4 1001" "udp $T4 5000" "ip --proto 253 $T4"; do
	bg ip netns exec "$C" "$SOCKKIT" raw $sub -c 2 -i 5 >/dev/null 2>&1
	pid=$!
	wait_uid $pid "$(id -u nobody)" 5
	is "$(status_of $pid Uid) $(status_of $pid CapEff) $(status_of $pid CapPrm) $(status_of $pid NoNewPrivs)" \
	    "$(id -u nobody) 0000000000000000 0000000000000000 1" \
	    "raw ${sub%% *}: nobody, no capability, no_new_privs"
	kill $pid
done

# Unprivileged: the message, exit 1, and nothing on the wire.  A listener
# per protocol takes one packet: it must be the root run's that follows.
for p in tcp udp 253; do
	bg ip netns exec "$T" "$SOCKKIT" raw listen --proto $p -c 1 \
	    >"$TMP/wire.$p.out" 2>"$TMP/wire.$p.err"
	eval "lp_$p=\$!"
	wait_for_line "$TMP/wire.$p.err" '^Listening for ' 5
done
asuser() {
	ip netns exec "$C" setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups --inh-caps=-all "$SOCKKIT" "$@"
}
for sub in "tcp --sport 42001 $T4 1000" "udp --sport 42001 $T4 5000" \
    "ip --proto 253 $T4" "listen --proto icmp"; do
	msg=$(asuser raw $sub 2>&1 >/dev/null); rc=$?
	is $rc 1 "unprivileged raw ${sub%% *}: exit 1"
	like "$msg" "^sockkit: raw: ${sub%% *}: a raw socket needs CAP_NET_RAW, which this process lacks: run as root, or grant it with 'setcap cap_net_raw\+ep .*sockkit'$" \
	    "unprivileged raw ${sub%% *}: the message names CAP_NET_RAW"
done
for sub in "tcp --sport 42002 $T4 1001" "udp --sport 42002 $T4 5000" \
    "ip --proto 253 --data root $T4"; do
	ip netns exec "$C" "$SOCKKIT" raw $sub -W 0.3 >/dev/null 2>&1
done
wait_pid $lp_tcp 5; wait_pid $lp_udp 5; wait_pid $lp_253 5
like "$(cat "$TMP/wire.tcp.out")" "^[0-9:.]+ 10\.99\.1\.1\.42002 > " \
    "nothing sent by unprivileged raw tcp: the first packet is root's"
like "$(cat "$TMP/wire.udp.out")" "^[0-9:.]+ 10\.99\.1\.1\.42002 > " \
    "nothing sent by unprivileged raw udp: the first packet is root's"
like "$(cat "$TMP/wire.253.out")" "protocol 253, length 4, ttl 64$" \
    "nothing sent by unprivileged raw ip: the first packet is root's"

# raw listen --proto icmp against iputils ping -c 3.
bg ip netns exec "$T" "$SOCKKIT" raw listen --proto icmp -c 3 --json \
    >"$TMP/ping.out" 2>"$TMP/ping.err"
lp=$!
wait_for_line "$TMP/ping.err" '^Listening for ' 5
ip netns exec "$C" ping -n -c 3 -i 0.2 $T4 >"$TMP/ping.txt" 2>&1
wait_pid $lp 5
is "$(python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), sorted({r["type"] for r in rows}), len({r["id"] for r in rows}),
      [r["seq"] for r in rows], rows[0]["src"])' "$TMP/ping.out")" \
    "3 [8] 1 [1, 2, 3] 10.99.1.1" \
    "raw listen sees ping's 3 echo requests: one id, seq 1-3"
like "$(cat "$TMP/ping.txt")" "3 packets transmitted, 3 received" \
    "ping got its replies (the listener takes copies only)"

# --write and --trace: the same packets into a pcap and a ladder, as
# tcpdump would read them; the file survives SIGINT.
bg ip netns exec "$T" "$SOCKKIT" raw listen --proto icmp --write \
    "$TMP/l.pcap" --trace --color=never >"$TMP/lw.out" 2>"$TMP/lw.err"
lp=$!
wait_for_line "$TMP/lw.err" '^Listening for ' 5
is "$(status_of $lp Uid)" "$(id -u nobody)" "raw listen --write: runs as nobody"
ip netns exec "$C" ping -n -c 2 -i 0.2 $T4 >/dev/null 2>&1
wait_for_line "$TMP/lw.out" 'seq 2,' 5
kill -INT $lp
wait_pid $lp 5
is "$(tcpdump -nn -r "$TMP/l.pcap" 2>/dev/null | sed 's/^[0-9:.]* //')" \
"IP 10.99.1.1 > $T4: ICMP echo request, id $(sed -n 's/.*id \([0-9]*\),.*/\1/p' "$TMP/lw.out" | head -n 1), seq 1, length 64
IP 10.99.1.1 > $T4: ICMP echo request, id $(sed -n 's/.*id \([0-9]*\),.*/\1/p' "$TMP/lw.out" | head -n 1), seq 2, length 64" \
    "raw listen --write: tcpdump reads both echo requests after SIGINT"
is "$(grep -c '── ICMP echo request' "$TMP/lw.err")" 2 \
    "raw listen --trace: both drawn on the ladder"
like "$(cat "$TMP/lw.err")" "verdict: " "raw listen --trace: the verdict at SIGINT"

bg ip netns exec "$T" "$SOCKKIT" raw listen -6 --proto icmp \
    >"$TMP/ping6.out" 2>"$TMP/ping6.err"
lp=$!
wait_for_line "$TMP/ping6.err" '^Listening for ICMPv6 .* raw IPv6 socket$' 5
ip netns exec "$C" ping -6 -n -c 1 $T6 >/dev/null 2>&1
wait_for_line "$TMP/ping6.out" 'echo request' 5
kill -INT $lp
wait_pid $lp 5
like "$(tail -n 1 "$TMP/ping6.err")" '^[1-9][0-9]* packets? received$' \
    "raw listen -6: the count at SIGINT"
like "$(grep 'echo request' "$TMP/ping6.out")" \
    "^[0-9:.]+ fd99::1 > $T6: ICMPv6 echo request, id [0-9]+, seq 1, length 64, ttl 64$" \
    "raw listen -6 --proto icmp: ping -6's echo request, header rebuilt"
done_testing
