#!/bin/bash
# tests/probe-stream-netns.sh: the table streams.  In a namespace where
# 127.0.0.1 answers (7001 open, 7002 closed) and 127.0.0.2 drops
# everything, --open prints the open port when it is settled and a host's
# table is printed when that host is done, both while the dropped host
# still waits for its timeout; --sorted prints the hosts in the order
# given, each by port; an interrupted run prints what it has.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft

ns=skps$$
rules_ns $ns <<'NFT'
table ip t {
	chain in {
		type filter hook input priority 0;
		ip daddr 127.0.0.2 drop
	}
}
NFT
listen_in $ns 127.0.0.1 7001 || skip_all "no listener in the namespace"
plan 11
cd "$TMP" || exit 1

# --open: the open port while 127.0.0.2 waits 20 s.
# Not probe_in: a function in the background is a subshell, and the
# signal must reach sockkit itself.
ip netns exec $ns "$SOCKKIT" probe --open -w 20 --retries 0 -p 7001,7002 127.0.0.2 127.0.0.1 \
    >o.out 2>&1 &
pid=$!
wait_for_line o.out '^7001/tcp +open +.* syn-ack' 10
ok $? "--open: the open port is printed when it is settled"
kill -0 $pid 2>/dev/null
ok $? "while the dropped host still waits"
like "$(head -2 o.out)" "^127\.0\.0\.1
PORT +STATE +SERVICE +REASON +RTT$" "under its host and the column names"
kill -INT $pid; wait $pid 2>/dev/null

# The table: 127.0.0.1's whole table (with its summary) while 127.0.0.2
# waits.
ip netns exec $ns "$SOCKKIT" probe -a -w 20 --retries 0 -p 7001,7002 127.0.0.2 127.0.0.1 \
    >t.out 2>&1 &
pid=$!
wait_for_line t.out '^127\.0\.0\.1: 2 ports: 1 open, 1 closed$' 10
ok $? "a host's table is printed when the host is done"
kill -0 $pid 2>/dev/null
ok $? "while another host still waits"
like "$(cat t.out)" "^127\.0\.0\.1
PORT .*
7001/tcp +open .*
7002/tcp +closed .*
127\.0\.0\.1: 2 ports" "by port, as at the end"
kill -INT $pid; wait $pid 2>/dev/null
is "$(grep -c '^127\.0\.0\.2' t.out)" 0 \
    "interrupted: no table for a host without a verdict"

# Finished: without --sorted the host done first comes first; with
# --sorted the hosts come in the order given.
out=$(probe_in $ns -w 2 --retries 0 -p 7001,7002 127.0.0.2 127.0.0.1 |
    grep ': 2 ports:' | cut -d: -f1 | tr '\n' ' ')
is "$out" "127.0.0.1 127.0.0.2 " "unsorted: each host as it is done"
out=$(probe_in $ns --sorted -w 2 --retries 0 -p 7001,7002 127.0.0.2 \
    127.0.0.1 | grep ': 2 ports:' | cut -d: -f1 | tr '\n' ' ')
is "$out" "127.0.0.2 127.0.0.1 " "--sorted: in the order given"
out=$(probe_in $ns --sorted -a -p 7001-7004 --no-randomize 127.0.0.1 |
    grep -o '^700[0-9]' | tr '\n' ' ')
is "$out" "7001 7002 7003 7004 " "--sorted: by port within a host"

# The same table as -oN writes at the end, for one host.
probe_in $ns -a -p 7000-7010 -oN n.nmap 127.0.0.1 >n.out
grep -v '^#' n.nmap >n.body
cmp -s n.out n.body
ok $? "streamed table = -oN's"
done_testing
