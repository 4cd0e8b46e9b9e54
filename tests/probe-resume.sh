#!/bin/bash
# tests/probe-resume.sh: probe --state FILE and --resume FILE.  A run
# interrupted while ports still wait for their timeout writes where it
# was; the resumed run probes only what was left (the ports in flight
# again) and ends with the reports of a run never interrupted.  A state
# file that cannot be used is refused, saying why.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/probe-env.sh"
cd "$TMP" || exit 1

# Refusals: no namespace needed.
"$SOCKKIT" probe --resume nosuch >e.out 2>&1
is $? 1 "--resume of a missing file: exit 1"
like "$(cat e.out)" "^sockkit: probe: --resume nosuch: No such file or directory$" \
    "says which file and why"
printf 'hello\n' >bad.state
"$SOCKKIT" probe --resume bad.state >e.out 2>&1
is $? 1 "--resume of a file that is no state: exit 1"
like "$(cat e.out)" "not a probe state file" "says it is not one"
: >empty.state
"$SOCKKIT" probe --resume empty.state >e.out 2>&1
like "$(cat e.out)" "empty: the run it was written for finished" \
    "an empty state: the run had finished"
"$SOCKKIT" probe -p 1 --resume empty.state 127.0.0.1 >e.out 2>&1
is $? 2 "--resume with other words: usage error"
like "$(cat e.out)" "give it alone" "says --resume stands alone"
printf 'sockkit probe state 1\narg probe\narg 127.0.0.1\nseed 1\nhost 0 127.0.0.9 1 0 0 0\nend\n' \
    >moved.state
"$SOCKKIT" probe --resume moved.state >e.out 2>&1
is $? 1 "--resume where the targets changed: exit 1"
like "$(cat e.out)" "the targets are not what they were: host 0 was 127\.0\.0\.9, now 127\.0\.0\.1" \
    "names the host that differs"
printf 'sockkit probe state 1\narg probe\nport 0 1 0\n' >cut.state
"$SOCKKIT" probe --resume cut.state >e.out 2>&1
like "$(cat e.out)" "line 3 is not a state record" "a malformed record: its line"

"$SOCKKIT" probe --state /nonexistent/s -p 1 127.0.0.1 >e.out 2>&1
is $? 1 "--state FILE that cannot be made: exit 1 before any probe"
like "$(cat e.out)" "^sockkit: probe: --state /nonexistent/s: No such file or directory$" \
    "says which file and why"

if [ "$(id -u)" != 0 ] || ! can_netns || ! command -v nft >/dev/null; then
	skip_n 12 "needs root, nft and a network namespace"
	done_testing
	exit
fi

# 127.0.0.1 in a namespace: 7001 open, 2000-2099 dropped (filtered after
# -w 3), the rest closed.
ns=skpr$$
rules_ns $ns <<'NFT'
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp dport 2000-2099 counter drop
	}
}
NFT
listen_in $ns 127.0.0.1 7001 || skip_all "no listener in the namespace"
args="-p 1-3000,7001 -w 3 --retries 0 --rate 1500 --seed 5 -v"

ip netns exec $ns "$SOCKKIT" probe $args --state s1 -oX part.xml 127.0.0.1 \
    >part.out 2>part.err &
pid=$!
# Until a third of the dropped ports wait for their timeout.
wait_until 10 sh -c "ip netns exec $ns nft list table inet t |
    grep -Eq 'packets ([3-9][0-9]|1[0-9][0-9])'"
kill -INT $pid
wait_pid $pid 10
is $? 130 "interrupted: dies by SIGINT"
like "$(cat part.err)" "the state is in s1: go on with sockkit probe --resume s1" \
    "says where the state is"
pending=$(grep -c '^pending ' s1)
ok $([ "$pending" -gt 0 ]; echo $?) "the ports still waiting are kept to probe again ($pending)"
given=$(sed -n 's/^given //p' s1)
ok $([ "$given" -gt 0 ] && [ "$given" -lt 3001 ]; echo $?) \
    "it had handed out part of the ports ($given of 3001)"

# The same run, never interrupted (after: the drop counter above starts
# from 0).
probe_in $ns $args -oX whole.xml 127.0.0.1 >whole.out 2>whole.err
is $? 0 "the run never interrupted: an open port"
cp s1 s1.kept
ip netns exec $ns "$SOCKKIT" probe --resume s1 >rest.out 2>rest.err
is $? 0 "resumed: ends with an open port, as the whole run" ||
	diag "state: $(grep -E '^(given|host|tally|port|pending 0 7001)' s1.kept)" \
	    "resumed: $(cat rest.err)" \
	    "listener: $(cat "$TMP"/listen.$ns.*)" \
	    "listening now: $(ip netns exec $ns ss -Htln)"
is "$(tail -1 rest.out)" "$(tail -1 whole.out)" \
    "the summary of the whole run"
like "$(tail -1 rest.out)" "3001 ports: 1 open, 2900 closed, 100 filtered" \
    "and it is the truth"
ports() { grep -E '<(port|extraports|extrareasons) ' "$1"; }
is "$(ports part.xml)" "$(ports whole.xml)" \
    "the -oX the resumed run wrote is the whole run's"
attempts() { sed -n 's/.*probe: \([0-9,]*\) attempts in .*/\1/p' "$1" | tr -d ,; }
n1=$(attempts part.err); n2=$(attempts rest.err)
ok $([ $((n1 + n2)) -le $((3001 + pending + 8)) ]; echo $?) \
    "nothing settled is probed again ($n1 + $n2 attempts for 3001 ports, $pending in flight)"
is "$(grep -c '^7001/tcp' rest.out)" 1 "the open port found before is listed once"
ok $([ ! -e s1 ]; echo $?) "a run that finished leaves no state file"
done_testing
