# udp-mcast-netns.sh: broadcast and multicast over a bridge joining four
# network namespaces (a sender, two receivers that join, one that does
# not): IPv4 any-source and source-specific groups, the subnet's broadcast
# address, IPv6 ff02:: and ff15:: groups, --ttl and --hops as a receiver
# sees them, --multicast-loop, and socat as a peer on both sides.
. "$srcdir/lib.sh"
need_root
need_cmd ip python3
can_netns || skip_all "$netns_why"
plan 26

p=mc$$
BR=${p}br; A=${p}a; B=${p}b; C=${p}c; D=${p}d
make_netns "$BR" || skip_all "cannot create network namespaces"
ip -n "$BR" link add br0 type bridge mcast_snooping 0
ip -n "$BR" link set br0 up
n=1
for ns in $A $B $C $D; do
	make_netns "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0
	ip link add eth0 netns "$ns" type veth peer name "port$n" netns "$BR"
	ip -n "$BR" link set "port$n" master br0 up
	ip -n "$ns" addr add "10.77.0.$n/24" broadcast 10.77.0.255 dev eth0
	ip -n "$ns" addr add "fd77::$n/64" dev eth0 nodad
	ip -n "$ns" link set eth0 up
	ip -n "$ns" route add 224.0.0.0/4 dev eth0
	n=$((n + 1))
done

# run NS ARGS...: sockkit in namespace NS.
run() { _ns=$1; shift; ip netns exec "$_ns" "$SOCKKIT" "$@"; }

# recv NAME NS ARGS...: "udp -l ARGS" in NS, output in $TMP/NAME.out.
recv() {
	_name=$1; _ns=$2; shift 2
	serve "$_name" ip netns exec "$_ns" "$SOCKKIT" udp -l "$@"
	[ -n "$port" ] || echo "# $_name: no Listening line: $(cat "$TMP/$_name.err")"
}

# got NAME TEXT: whether NAME's output holds the line TEXT (within 5 s).
got() { wait_for_line "$TMP/$1.out" "^$2\$" 5; }

# marker NAME NS PORT: a unicast datagram to NAME's receiver, and wait
# for it: whatever was sent before it has had the time to arrive.
marker() {
	printf 'marker\n' | run "$A" udp -w 0.1 "$3" "$4" >/dev/null 2>&1
	got "$1" marker
}

# IPv4 any-source: two members, one listener that did not join.
recv b4 "$B" --join 239.1.2.3 5300
recv c4 "$C" --join 239.1.2.3 --iface eth0 5300
recv d4 "$D" 5300
out=$(printf 'to the group\n' | run "$A" udp -w 0.2 239.1.2.3 5300 2>&1)
ok $? "send to 239.1.2.3: exit 0 ($out)"
got b4 "to the group"; ok $? "--join: the first member gets the datagram"
got c4 "to the group"; ok $? "--join --iface: the second member gets it"
marker d4 "$D" 10.77.0.4 5300
ok $? "the listener that did not join takes unicast"
grep -q "to the group" "$TMP/d4.out"
ok $((!$?)) "the listener that did not join gets nothing of the group"

# Source-specific: the right source and a wrong one.
recv b5 "$B" --join 232.1.1.1 --source 10.77.0.1 5301
recv c5 "$C" --join 232.1.1.1 --source 10.77.0.99 5301
printf 'from a\n' | run "$A" udp -w 0.2 232.1.1.1 5301 >/dev/null 2>&1
got b5 "from a"; ok $? "--source of the sender: the datagram comes"
marker c5 "$C" 10.77.0.3 5301
grep -q "from a" "$TMP/c5.out"
ok $((!$?)) "--source of another host: the sender's datagram is filtered"

# IPv6 source-specific: the right source and a wrong one.
recv b10 "$B" --join ff3e::8000:1 --source fd77::1 --iface eth0 5310
recv c10 "$C" --join ff3e::8000:1 --source fd77::99 --iface eth0 5310
printf 'ssm6\n' | run "$A" udp --iface eth0 -w 0.2 ff3e::8000:1 5310 \
    >/dev/null 2>&1
got b10 ssm6; ok $? "IPv6 --source of the sender: the datagram comes"
marker c10 "$C" fd77::3 5310
grep -q ssm6 "$TMP/c10.out"
ok $((!$?)) "IPv6 --source of another host: filtered"

# Broadcast: refused without --broadcast, with the option to use.
out=$(printf 'all\n' | run "$A" udp -w 0.2 10.77.0.255 5302 2>&1); rc=$?
is $rc 1 "broadcast without --broadcast: exit 1"
like "$out" "Permission denied.*needs --broadcast" \
    "broadcast without --broadcast: the error names the option"
recv b6 "$B" 5302
recv d6 "$D" 5302
printf 'all\n' | run "$A" udp --broadcast -w 0.2 10.77.0.255 5302 >/dev/null 2>&1
ok $? "--broadcast to 10.77.0.255: exit 0"
got b6 all; ok $? "broadcast reaches one host of the subnet"
got d6 all; ok $? "and another"

# IPv6: a link-local and a site-local (transient) group.
recv b7 "$B" --join ff02::4242 --iface eth0 5303
recv c7 "$C" --join ff15::4242 --iface eth0 5303
printf 'six\n' | run "$A" udp --iface eth0 -w 0.2 ff02::4242 5303 >/dev/null 2>&1
got b7 six; ok $? "IPv6 ff02::4242 with --iface: the member gets it"
printf 'fifteen\n' | run "$A" udp --iface eth0 -w 0.2 ff15::4242 5303 >/dev/null 2>&1
got c7 fifteen; ok $? "IPv6 ff15::4242: the member gets it"
marker b7 "$B" fd77::2 5303
grep -q fifteen "$TMP/b7.out"
ok $((!$?)) "IPv6: a member of ff02::4242 gets nothing of ff15::4242"

# --ttl and --hops, as the receiver's kernel reports them.
ttlrecv() {
	ip netns exec "$1" python3 - "$2" "$3" <<'EOF'
import socket, struct, sys
g, port = sys.argv[1], int(sys.argv[2])
six = ":" in g
s = socket.socket(socket.AF_INET6 if six else socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", port))
if six:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                 socket.inet_pton(socket.AF_INET6, g) + struct.pack("@I", socket.if_nametoindex("eth0")))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
else:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(g) + socket.inet_aton("0.0.0.0"))
    s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
print("ready", flush=True)
s.settimeout(5)
data, anc, _, _ = s.recvmsg(100, 100)
print(struct.unpack("@i", anc[0][2][:4])[0] if anc else "none", flush=True)
EOF
}
ttlrecv "$D" 239.1.2.9 5304 >"$TMP/ttl4.out" & _pids="$_pids $!"
wait_for_line "$TMP/ttl4.out" ready
printf 'x\n' | run "$A" udp --ttl 7 -w 0.1 239.1.2.9 5304 >/dev/null 2>&1
wait_for_line "$TMP/ttl4.out" '^[0-9]+$'
is "$(sed -n 2p "$TMP/ttl4.out")" 7 "--ttl 7: the datagram comes with TTL 7"
ttlrecv "$D" ff15::99 5305 >"$TMP/ttl6.out" & _pids="$_pids $!"
wait_for_line "$TMP/ttl6.out" ready
printf 'x\n' | run "$A" udp --hops 9 --iface eth0 -w 0.1 ff15::99 5305 >/dev/null 2>&1
wait_for_line "$TMP/ttl6.out" '^[0-9]+$'
is "$(sed -n 2p "$TMP/ttl6.out")" 9 "--hops 9: the datagram comes with hop limit 9"

# --multicast-loop: a member on the sender's own host hears it only then.
recv b8 "$B" --join 239.1.2.8 5306
printf 'quiet\n' | run "$B" udp -w 0.1 239.1.2.8 5306 >/dev/null 2>&1
printf 'looped\n' | run "$B" udp --multicast-loop -w 0.1 239.1.2.8 5306 \
    >/dev/null 2>&1
got b8 looped; ok $? "--multicast-loop: a member on the sending host hears it"
grep -q quiet "$TMP/b8.out"
ok $((!$?)) "without --multicast-loop: it does not"

# socat as the member and as the sender.
if command -v socat >/dev/null 2>&1; then
	ip netns exec "$C" socat -u \
	    UDP4-RECV:5307,ip-add-membership=239.1.2.7:eth0 \
	    STDOUT >"$TMP/socat.out" 2>&1 & _pids="$_pids $!"
	wait_until 5 sh -c "ip netns exec $C ss -Hlun 'sport = :5307' | grep -q ."
	printf 'to socat\n' | run "$A" udp -w 0.1 239.1.2.7 5307 >/dev/null 2>&1
	got socat "to socat"; ok $? "socat ip-add-membership gets sockkit's datagram"
	recv c9 "$C" --join 239.1.2.6 5308
	printf 'from socat\n' | ip netns exec "$A" socat -u STDIN \
	    UDP4-DATAGRAM:239.1.2.6:5308,ip-multicast-if=10.77.0.1
	got c9 "from socat"; ok $? "sockkit --join gets socat's datagram"
else
	skip "needs socat"; skip "needs socat"
fi

# Errors: an unknown interface; a host with no route for the group.
like "$(run "$D" udp -l --join 239.1.2.3 --iface nope 5309 2>&1)" \
    "--iface 'nope': no such interface" "an unknown interface is named"
out=$(run "$BR" udp -l --join 239.1.2.3 5309 2>&1); rc=$?
like "$rc $out" "^1 .*join 239.1.2.3: No such device.*--iface" \
    "no route for the group: exit 1, the error points to --iface"
out=$(printf 'x\n' | run "$BR" udp -w 0.1 239.1.2.3 5309 2>&1); rc=$?
like "$rc $out" "^1 .*Network is unreachable.*--iface" \
    "sending with no route for the group: the error points to --iface"
done_testing
