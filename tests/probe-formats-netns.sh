#!/bin/bash
# tests/probe-formats-netns.sh: in a network namespace whose nftables
# rules say what each port is, -oX gives every port nmap's reason for it
# (syn-ack, conn-refused, no-response, admin-prohibited, host-unreach,
# with reason_ip the sender of the ICMP error),
# valid against nmap's DTD; and --json streams each port as it is settled:
# the open port is out while a dropped one still waits for its timeout,
# and --sorted holds them all, by port, until the end.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft

ns=skpf$$
rules_ns $ns <<'NFT'
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp dport 7002 drop
		tcp dport 7003 reject with icmp type admin-prohibited
		tcp dport 7004 reject with icmp type host-unreachable
	}
}
NFT
# 7001 open, 7002 dropped, 7003 and 7004 rejected with ICMP, 7005 closed.
listen_in $ns 127.0.0.1 7001 || skip_all "no listener in the namespace"
plan 11
cd "$TMP" || exit 1
probe_in $ns -a -w 1 --retries 0 -p 7001-7005 \
    -oX r.xml 127.0.0.1 >/dev/null
x=$(cat r.xml)
# reason PORT STATE REASON [IP]: the <port> of PORT says so (and that
# IP sent the ICMP error).
reason() {
	like "$x" "portid=\"$1\"><state state=\"$2\" reason=\"$3\" reason_ttl=\"0\"${4:+ reason_ip=\"$4\"}/>" \
	    "$1: $2, $3${4:+, from $4}"
}
reason 7001 open syn-ack
reason 7002 filtered no-response
reason 7003 filtered admin-prohibited 127.0.0.1
reason 7004 filtered host-unreach 127.0.0.1
reason 7005 closed conn-refused
if command -v xmllint >/dev/null && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd r.xml
	ok $? "valid against nmap.dtd"
else
	skip "xmllint or /usr/share/nmap/nmap.dtd (nmap's package) is missing"
fi

# Streaming: 7002 is dropped and waits 10 s; the open port's object is
# out long before, while the probe still runs.
probe_in $ns --json -w 10 --retries 0 -p 7001,7002 \
    127.0.0.1 >s.out 2>&1 &
pid=$!
wait_for_line s.out '"port":7001' 8
ok $? "--json: the open port is out as it is settled"
kill -0 $pid 2>/dev/null
ok $? "while the dropped port still waits"
kill $pid; wait $pid 2>/dev/null
probe_in $ns --json --open -w 10 --retries 0 \
    -p 7002,7001 127.0.0.1 >o.out 2>&1 &
pid=$!
wait_for_line o.out '"port":7001' 8
ok $? "--json --open: the same"
kill $pid; wait $pid 2>/dev/null
probe_in $ns --json --sorted -a -w 1 --retries 0 \
    -p 7001-7005 127.0.0.1 >so.out
is "$(grep -o '"port":[0-9]*' so.out | tr '\n' ' ')" \
    '"port":7001 "port":7002 "port":7003 "port":7004 "port":7005 ' \
    "--sorted: by port, at the end"
like "$(tail -1 so.out)" '^\{"type":"host"' "the host object last"
done_testing
