#!/bin/bash
# tests/probe-capture-drain.sh: probe --write at full speed keeps every
# packet: 20000 closed ports of 127.0.0.1 in a namespace of its own make
# 40000 packets (a SYN and an RST each) in a burst; the capture is
# drained whenever it is readable, not only at the 250 ms tick, so the
# kernel drops none (sockkit says so when it does) and the file holds
# them all.
. "${srcdir:-tests}/lib.sh"
need_root
need_cmd ip tcpdump

ns=skpd$$
can_netns || skip_all "$netns_why"
make_netns $ns || skip_all "cannot make a network namespace"
plan 4
cd "$TMP" || exit 1
ip netns exec $ns "$SOCKKIT" probe -p 20001-40000 --write w.pcap \
    127.0.0.1 >out 2>err
is $? 1 "exit 1: nothing is open"
like "$(cat out)" "^127\.0\.0\.1: 20000 ports: 0 open, 20000 closed$" \
    "every port closed"
is "$(grep -c 'dropped' err)" 0 "no packet dropped by the kernel"
n=$(tcpdump -nr w.pcap 2>/dev/null | wc -l)
ok $((n < 40000)) "the file holds every packet: $n of at least 40000"
done_testing
