#!/bin/bash
# tests/probe-reach-netns.sh: what probe reaches.  A name that resolves to
# both 127.0.0.1 and ::1 (a hosts file of the namespace's own, which
# "ip netns exec" mounts over /etc/hosts) is probed at both addresses,
# each its own host in the table, --json, -oX and -oG, unless -4/-6; a
# zoned link-local target (fe80::...%IFACE, over a veth pair between two
# namespaces, with a listener bound to the link-local address) is probed
# over its link and printed with its zone everywhere, --trace included.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip python3

can_netns || skip_all "$netns_why"
ns=skpr$$
make_netns $ns || skip_all "cannot make a network namespace"
mkdir -p "/etc/netns/$ns" || skip_all "cannot make /etc/netns/$ns"
printf '127.0.0.1 localhost\n127.0.0.1 skdual\n::1 skdual\n' \
    >"/etc/netns/$ns/hosts"
[ "$(ip netns exec $ns getent ahosts skdual | awk '{ print $1 }' |
    sort -u | tr '\n' ' ')" = "127.0.0.1 ::1 " ] ||
    skip_all "a namespace's /etc/netns hosts file is not used here"
# 7001 listens on 127.0.0.1 only, 7002 on ::1 only: each address answers
# for its own port.
listen_in $ns 127.0.0.1 7001 && listen_in $ns ::1 7002 ||
    skip_all "no listener in the namespace"
plan 23
cd "$TMP" || exit 1

out=$(probe_in $ns -a -p 7001,7002 skdual); rc=$?
is "$rc" 0 "a name: exit 0"
like "$out" "^127\.0\.0\.1 \(skdual\): 2 ports: 1 open, 1 closed$" \
    "the name's IPv4 address is a host of its own"
like "$out" "^::1 \(skdual\): 2 ports: 1 open, 1 closed$" \
    "and its IPv6 address another"
is "$(probe_in $ns --json --sorted -p 7001,7002 skdual |
    python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["type"], o["host"], o["name"], o.get("port", "-"))
' | sort | tr '\n' ';')" \
    "host 127.0.0.1 skdual -;host ::1 skdual -;port 127.0.0.1 skdual 7001;port ::1 skdual 7002;" \
    "--json: each address its objects, each open at its own port"
probe_in $ns -p 7001,7002 -oX r.xml -oG r.gnmap skdual >/dev/null
is "$(grep -c '^<host>' r.xml)" 2 "-oX: two <host> elements"
like "$(cat r.xml)" '<address addr="::1" addrtype="ipv6"/>
<hostnames>
<hostname name="skdual" type="user"/>' "-oX: ::1 with the name"
like "$(cat r.xml)" '<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
<hostname name="skdual" type="user"/>' "-oX: 127.0.0.1 with the name"
if command -v xmllint >/dev/null && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd r.xml
	ok $? "-oX: valid against nmap.dtd"
else
	skip "xmllint or /usr/share/nmap/nmap.dtd (nmap's package) is missing"
fi
is "$(grep -c '^Host: .* (skdual)	Ports: ' r.gnmap)" 2 \
    "-oG: a Ports line for each address"
out=$(probe_in $ns -4 -a -p 7001,7002 skdual)
like "$out" "^127\.0\.0\.1 \(skdual\): " "-4: the IPv4 address"
is "$(echo "$out" | grep -c '::1')" 0 "-4: not the IPv6 one"
out=$(probe_in $ns -6 --resolve-all -a -p 7001,7002 skdual)
like "$out" "^::1 \(skdual\): 2 ports: 1 open, 1 closed$" \
    "-6 (with --resolve-all, nmap's spelling of the default): ::1"
is "$(echo "$out" | grep -c '127\.0\.0\.1')" 0 "-6: not 127.0.0.1"

# A zoned link-local target over a veth pair; the listener is bound to
# the target's link-local address, on that link.
if ! probe_pair; then
	skip_n 10 "cannot create a veth pair between network namespaces"
	exit 0
fi
ip -n "$C" addr add fe80::99:1/64 dev "vc$$" nodad
ip -n "$T" addr add fe80::99:2/64 dev "vt$$" nodad
listen_in "$T" "fe80::99:2%vt$$" 7100 ||
    { skip_n 10 "no listener on a link-local address"; exit 0; }
z="fe80::99:2%vc$$"
out=$(probe_in "$C" -a -p 7100,7101 "$z"); rc=$?
is "$rc" 0 "zoned: exit 0"
like "$out" "^7100/tcp +open +[^ ]+ +syn-ack" "zoned: the listener is open"
like "$out" "^$z: 2 ports: 1 open, 1 closed$" "zoned: the zone in the table"
out=$(probe_in "$C" -a -p 7100 "[$z]:7101")
like "$out" "^7101/tcp +closed " "zoned [ADDR%ZONE]:PORT: that port only"
idx=$(ip -n "$C" -o link show "vc$$" | cut -d: -f1)
out=$(probe_in "$C" -a -p 7100 "fe80::99:2%$idx")
like "$out" "^$z: 1 port: 1 open$" "zoned by index: printed with its name"
is "$(probe_in "$C" --json -p 7100 "$z" | python3 -c '
import json, sys
print(" ".join(sorted(set(json.loads(l)["host"] for l in sys.stdin))))')" \
    "$z" "zoned: --json's host keeps the zone"
probe_in "$C" -p 7100 -oX z.xml -oG z.gnmap "$z" >/dev/null
like "$(cat z.xml)" "<address addr=\"$z\" addrtype=\"ipv6\"/>" \
    "zoned: -oX's address keeps the zone"
like "$(cat z.gnmap)" "^Host: $z \(\)	Ports: 7100/open/tcp" \
    "zoned: -oG's host keeps the zone"
if ip netns exec "$C" "$SOCKKIT" probe --trace -p 7100 "$z" >tr.out 2>&1
then
	like "$(cat tr.out)" "conversation 1: TCP A \[fe80::99:1\]:[0-9]+ <-> B \[fe80::99:2\]:7100" \
	    "zoned --trace: the conversation drawn"
	like "$(cat tr.out)" "◀── SYN,ACK" "zoned --trace: the SYN,ACK in it"
else
	skip_n 2 "--trace cannot capture here: $(head -1 tr.out)"
fi
done_testing
