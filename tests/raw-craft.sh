# raw-craft.sh: "raw tcp", "raw udp" and "raw ip" between two network
# namespaces joined by a veth pair: a SYN to an open port (SYN,ACK, then
# this host's kernel's RST, annotated), to a closed port (RST,ACK), to a
# port nftables drops (nothing); FIN, NULL and XMAS to a closed port; a bad
# checksum the peer counts and ignores; UDP to a closed port (ICMP port
# unreachable) and to a server (the payload exactly); protocol 253 to a
# "raw listen" on the other side; --json and --write.
. "$srcdir/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft tcpdump nstat
probe_pair || skip_all "cannot create network namespaces"
plan 41

listen_in "$T" 0.0.0.0 1000
ip netns exec "$T" nft -f - <<NFT || skip_all "nftables unavailable"
table inet rawtest {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 1020 drop
	}
}
NFT

# raw_in ARGS...: sockkit raw in the client namespace; stdout in $out,
# stderr (the ladder) in $TMP/err, the exit status in $rc.
raw_in() {
	out=$(ip netns exec "$C" "$SOCKKIT" raw "$@" 2>"$TMP/err"); rc=$?
	err=$(cat "$TMP/err")
}

raw_in tcp --sport 41000 $T4 1000
like "$out" "^$T4 port 1000/tcp: open \(SYN,ACK in [0-9.]+ ms\)$" \
    "SYN to a listener: open, SYN,ACK"
is $rc 0 "open: exit 0"
like "$err" "SYN,ACK seq=0 ack=1" "the ladder draws the SYN,ACK"
like "$err" "RST sent by this host's kernel: no socket owns port 41000" \
    "the kernel's RST after the SYN,ACK is annotated"
like "$err" "crafted by sockkit \(IP_HDRINCL\)" "the probe itself is marked"
like "$(printf '%s\n' "$err" | grep -n 'SYN,ACK seq' | cut -d: -f1) \
$(printf '%s\n' "$err" | grep -n '── RST seq' | cut -d: -f1)" \
    '^[0-9]+ [0-9]+$' "the SYN,ACK and the RST each drawn once"

raw_in tcp $T4 1001
like "$out" "^$T4 port 1001/tcp: closed \(RST,ACK in [0-9.]+ ms\)$" \
    "SYN to a closed port: closed, RST,ACK"
is $rc 0 "closed: exit 0 (answered)"
like "$err" "refused: RST answering the SYN" "the ladder says refused"

raw_in tcp -W 0.5 $T4 1020
is "$out" "$T4 port 1020/tcp: filtered (no reply in 0.5 s)" \
    "SYN to a dropped port: filtered"
is $rc 1 "filtered: exit 1 (nothing answered)"

for f in F '' FPU; do
	raw_in tcp --flags "$f" $T4 1001
	like "$out" "^$T4 port 1001/tcp: closed \(RST,ACK in" \
	    "flags '$f' to a closed port: RST,ACK"
done
raw_in tcp --flags FPU -W 0.5 $T4 1000
is "$out" "$T4 port 1000/tcp: open|filtered (no reply in 0.5 s)" \
    "XMAS to an open port: no answer, open|filtered"
like "$err" "FIN,PSH,URG" "the ladder shows the XMAS flags"

# The peer's own counter of bad TCP checksums (/proc/net/snmp, Tcp row).
csum_errors() {
	ip netns exec "$T" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++)
	    if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' \
	    /proc/net/snmp
}
before=$(csum_errors)
raw_in tcp --badsum -W 0.5 $T4 1000
is "$out" "$T4 port 1000/tcp: filtered (no reply in 0.5 s)" \
    "--badsum SYN to an open port: no reply"
is "$(( $(csum_errors) - before ))" 1 \
    "the peer received it and counted a checksum error"
like "$err" "with a wrong checksum \(--badsum\)" "the ladder says so"

raw_in tcp -c 3 -i 0.2 --seq 1000 --sport 41001 $T4 1000
is "$(printf '%s\n' "$out" | grep -c 'open (SYN,ACK')" 3 "-c 3: three verdicts"
like "$out" "3 probes sent, 3 answered$" "-c 3: the summary line"

raw_in tcp --json $T4 1001
like "$out" "closed \(RST,ACK" "--json: the verdict on stdout as text"
printf '%s\n' "$err" | python3 -c 'import json, sys
[json.loads(l) for l in sys.stdin if l.strip()]' 2>/dev/null
is $? 0 "--json: every stderr line is a JSON object"
raw_in tcp --json --sport 41002 $T4 1000
like "$err" '"RST sent by this host.s kernel: no socket owns port 41002"' \
    "--json: the kernel's RST annotated in the notes"

raw_in tcp --write "$TMP/syn.pcap" --sport 41003 $T4 1000
is "$(tcpdump -nn -r "$TMP/syn.pcap" 2>/dev/null | sed -n \
    's/.* > .*Flags \[\([^]]*\)\].*/\1/p' | tr '\n' ' ')" "S S. R " \
    "--write: SYN, SYN,ACK and this host's RST in the pcap"

# UDP: a closed port, a relay server (payload exact), an echo server.
raw_in udp $T4 5000
like "$out" "^$T4 port 5000/udp: closed \(ICMP port unreachable, type 3 code 3, from $T4 in" \
    "UDP to a closed port: ICMP port unreachable"
bg ip netns exec "$T" "$SOCKKIT" udp -l $T4 5001 >"$TMP/u.out" \
    2>"$TMP/u.err"
wait_for_line "$TMP/u.err" '^Listening on ' 5
raw_in udp --data-hex '00 01 0a ff 7f 41' -W 0.3 $T4 5001
is "$out" "$T4 port 5001/udp: open|filtered (no reply in 0.3 s)" \
    "UDP to a silent server: open|filtered"
wait_for_line "$TMP/u.out" 'A' 3
is "$(od -An -tx1 "$TMP/u.out" | tr -d ' \n')" "00010aff7f41" \
    "the server received the payload exactly"
bg ip netns exec "$T" "$SOCKKIT" udp -l --mode echo $T4 5002 \
    >/dev/null 2>"$TMP/e.err"
wait_for_line "$TMP/e.err" '^Listening on ' 5
raw_in udp --data hello $T4 5002
like "$out" "^$T4 port 5002/udp: open \(reply of 5 bytes in" \
    "UDP to an echo server: open, its reply"
like "$err" '"hello"' "the ladder shows the payload"

# Protocol 253 to a raw listener on the other side.
bg ip netns exec "$T" "$SOCKKIT" raw listen --proto 253 -c 1 \
    >"$TMP/l.out" 2>"$TMP/l.err"
lp=$!
wait_for_line "$TMP/l.err" '^Listening for ' 5
raw_in ip --proto 253 --data hello -W 0.3 $T4
is "$out" "$T4 protocol 253: no reply in 0.3 s" "raw ip 253: sent, no reply"
wait_pid $lp 5
is $? 0 "raw listen -c 1: exit 0 after one packet"
like "$(cat "$TMP/l.out")" \
    "^[0-9:.]+ 10\.99\.1\.1 > $T4: protocol 253, length 5, ttl 64$" \
    "raw listen: the packet from the other namespace"
is "$(tail -n 1 "$TMP/l.err")" "1 packet received" "raw listen: the count"
raw_in ip --proto 250 $T4
like "$out" "^$T4 protocol 250: protocol unsupported \(ICMP protocol unreachable, type 3 code 2" \
    "raw ip 250 with nobody for it: ICMP protocol unreachable"
raw_in ip --proto gre --ttl 1 --tos 16 --id 7 --df --data x $T4
like "$out" "^$T4 protocol 47: protocol unsupported" \
    "raw ip --proto gre: a name works"
raw_in ip --proto udp --data-hex '1234 03e9 000a 0000 6869' $T4
like "$out" "^$T4 protocol 17: closed \(ICMP port unreachable" \
    "raw ip --proto udp: our own UDP header in the payload, sent as is"
# Every header field as given, read back by tcpdump from --write.
raw_in tcp --flags SAEC --sport 41234 --seq 1000 --ack 2000 --win 512 \
    --tos 16 --id 4242 --df --ttl 9 --data hi --write "$TMP/f.pcap" \
    -W 0.3 $T4 1000
like "$(tcpdump -v -nn -r "$TMP/f.pcap" 2>/dev/null | head -n 2 | tr -d '\n')" \
    "^[0-9:.]+ IP \(tos 0x10, ttl 9, id 4242, offset 0, flags \[DF\], proto TCP \(6\), length 42\) +10\.99\.1\.1\.41234 > $T4\.1000: Flags \[S\.EW\], cksum 0x[0-9a-f]+ \(correct\), seq 1000:1002, ack 2000, win 512, length 2" \
    "raw tcp: tos, ttl, id, DF, flags S A E C, seq, ack, win, payload on the wire"
is "$out" "$T4 port 1000/tcp: unfiltered (RST in ${out##*RST in }" \
    "raw tcp SYN,ACK to a listener: RST, unfiltered"
# A UDP datagram with a wrong checksum: the peer counts it and drops it
# silently, where the same datagram with a good one draws port unreachable.
csum() { ip netns exec "$T" nstat -az UdpInCsumErrors | awk '$1 == "UdpInCsumErrors" { print $2 }'; }
before=$(csum)
raw_in udp --badsum --sport 41235 --data x -W 0.3 $T4 9
is "$out $(( $(csum) - before ))" "$T4 port 9/udp: open|filtered (no reply in 0.3 s) 1" \
    "raw udp --badsum: counted by the peer as a checksum error, not answered"
raw_in udp --sport 41235 --data x -W 0.3 $T4 9
like "$out" "^$T4 port 9/udp: closed \(ICMP port unreachable" \
    "raw udp, good checksum: the same datagram draws port unreachable"
done_testing
