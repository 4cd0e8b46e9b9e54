# probe-scale.sh: all 65535 ports under RLIMIT_NOFILE 256 without EMFILE;
# with the ephemeral port range shrunk to four ports, probing exactly those
# ports on loopback never counts a self-connection as open.
. "$srcdir/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft
S=skps$$
make_netns "$S" || skip_all "cannot create network namespaces"
plan 9

for p in 1111 2222 33333 44444 55555; do listen_in "$S" 127.0.0.1 $p; done
ip netns exec "$S" nft -f - <<NFT
table inet truth {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp flags & (syn | ack) == syn tcp dport 60000-60499 drop
	}
}
NFT
ip netns exec "$S" bash -c 'ulimit -n 256 && ulimit -Hn 256 &&
    exec "$0" probe -v --grepable -p - 127.0.0.1' "$SOCKKIT" \
    >"$TMP/out" 2>"$TMP/err"
is $? 0 "RLIMIT_NOFILE 256: exit 0"
is "$(cat "$TMP/out")" "Host: 127.0.0.1	Ports: 1111/open/tcp/-/syn-ack, \
2222/open/tcp/$(getent services 2222/tcp | awk '{print $1}' | grep . ||
echo -)/syn-ack, 33333/open/tcp/-/syn-ack, 44444/open/tcp/-/syn-ack, \
55555/open/tcp/-/syn-ack	Open: 5	Closed: 65030	Filtered: 500" \
    "RLIMIT_NOFILE 256: 65535 ports, exactly 5 open and 500 filtered"
ok "$(grep -c 'Too many open files' "$TMP/err")" "no EMFILE"
like "$(cat "$TMP/err")" "cap 19[0-9]\)" "the cap follows the fd limit"

# Four ephemeral ports, and exactly those four probed: the kernel often
# picks the target port as the source port, and the SYN meets its own
# socket.  Such a connection must never count.
P=skpr$$
make_netns "$P" || skip_all "cannot create network namespaces"
ip netns exec "$P" sysctl -qw net.ipv4.ip_local_port_range="40000 40003"
opened=0 self=0 closed=0
for i in $(seq 1 25); do
	for a in 127.0.0.1 ::1; do
		out=$(probe_in "$P" -v -a -p 40000-40003 $a 2>&1)
		opened=$((opened + $(echo "$out" | grep -c ' open ')))
		closed=$((closed + $(echo "$out" | grep -c ' closed ')))
		n=$(echo "$out" | sed -n 's/.* \([0-9]*\) self-connections.*/\1/p')
		self=$((self + ${n:-0}))
	done
done
echo "# $self self-connections seen and not counted in 50 runs"
is $opened 0 "shrunk port range: no port reported open"
is $closed 200 "shrunk port range: all 200 verdicts closed"
probe_in "$P" -p 40000-40003 127.0.0.1 >/dev/null
is $? 1 "shrunk port range: exit 1 (nothing open)"
listen_in "$P" 127.0.0.1 40001
out=$(probe_in "$P" --open --grepable -p 40000-40003 127.0.0.1)
is "$out" "Host: 127.0.0.1	Ports: 40001/open/tcp/-/syn-ack	Open: 1	Closed: 3" \
    "shrunk port range: a real listener in the range is open"
probe_in "$P" --graceful -p 40001 127.0.0.1 >/dev/null
is $? 0 "--graceful: exit 0 on the open port"
done_testing
