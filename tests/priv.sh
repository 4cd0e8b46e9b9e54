#!/bin/bash
# tests/priv.sh: as root, commands that capture drop to nobody (or --user)
# once the capture is open: /proc/PID/status of a running sockkit shows
# no root, no capabilities and no_new_privs; --no-drop keeps root; an
# unknown --user stops with exit 1; the relay and --write still work; an
# explicit --user drops without a capture too; probe --trace's capture
# file has no name.
. "$srcdir/lib.sh"
need_root
need_cmd tcpdump python3 ip nft
plan 73

nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)

# check_dropped PID WHAT: the five checks of a process that gave up root.
check_dropped() {
	# The drop comes after the capture opens, which a loaded machine
	# may delay.
	wait_uid "$1" "$nobody_uid"
	is "$(status_field "$1" Uid)" \
	    "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" \
	    "$2: every uid is nobody's"
	is "$(status_field "$1" Gid)" \
	    "$nobody_gid $nobody_gid $nobody_gid $nobody_gid" \
	    "$2: every gid is nobody's"
	is "$(status_field "$1" Groups)" "" "$2: no supplementary groups"
	is "$(status_field "$1" CapEff)/$(status_field "$1" CapPrm)" \
	    "0000000000000000/0000000000000000" \
	    "$2: no effective or permitted capability"
	is "$(status_field "$1" NoNewPrivs)" 1 "$2: no_new_privs is set"
}

# listen --trace -k: dropped before "Listening on" is printed.
bg "$SOCKKIT" listen -k --mode echo --trace --color=never 127.0.0.1 0 \
    2>"$TMP/l.err"
lpid=$!
lport=$(listen_port "$TMP/l.err")
like "$lport" '^[0-9]+$' "listen --trace -k starts"
check_dropped $lpid "listen --trace"
is "$(printf 'ping\n' | "$SOCKKIT" connect -q 1 127.0.0.1 "$lport" \
    2>/dev/null)" ping "the echo server still answers as nobody"

# connect --trace: dropped before the SYN; sync on the bytes it relays.
bg "$SOCKKIT" listen 127.0.0.1 0 >"$TMP/s.out" 2>"$TMP/s.err"
sport=$(listen_port "$TMP/s.err")
mkfifo "$TMP/in"
exec 7<>"$TMP/in"	# read-write: the open does not wait for a reader
bg "$SOCKKIT" connect --trace --color=never 127.0.0.1 "$sport" \
    <"$TMP/in" 2>"$TMP/c.err" 7>&-
cpid=$!
echo hello >&7
wait_for_line "$TMP/s.out" hello 10
check_dropped $cpid "connect --trace"
exec 7>&-
wait_pid $cpid 10
is $? 0 "connect --trace ends well after the drop"

# probe --trace, in a namespace where the port's SYNs are dropped, so
# that it waits long enough to be looked at.
if can_netns; then
	ns=sk-priv-$$
	make_netns $ns
	ip netns exec $ns nft add table inet skp
	ip netns exec $ns nft add chain inet skp in \
	    '{ type filter hook input priority 0; }'
	ip netns exec $ns nft add rule inet skp in tcp dport 9 drop
	mkdir "$TMP/ptmp"
	chmod 1777 "$TMP/ptmp"
	chmod 711 "$TMP"
	TMPDIR=$TMP/ptmp bg ip netns exec $ns "$SOCKKIT" probe --trace -p 9 -w 3 --retries 0 \
	    127.0.0.1 >"$TMP/p.out" 2>"$TMP/p.err"
	ppid=$!
	check_dropped $ppid "probe --trace"
	is "$(ls "$TMP/ptmp")" "" \
	    "probe --trace: its capture file has no name anyone could swap"
	wait_pid $ppid 20
	is $? 1 "probe --trace: exit 1, nothing open"
	like "$(cat "$TMP/p.out")" '1 port: 0 open, 1 filtered' \
	    "probe --trace: the port is filtered"
	like "$(cat "$TMP/p.out")" 'evidence: ' \
	    "probe --trace: the evidence is read back as nobody"
	is "$(ls "$TMP/ptmp")" "" \
	    "probe --trace: its temporary capture file is removed"
else
	skip_n 10 "$netns_why"
fi

# udp -l --trace: dropped before "Listening on"; then the client,
# dropped before its first datagram, kept alive by an open stdin.
bg "$SOCKKIT" udp -l --mode echo --trace --color=never 127.0.0.1 0 \
    2>"$TMP/ul.err"
ulpid=$!
ulport=$(listen_port "$TMP/ul.err")
is "$(status_field $ulpid Uid | cut -d' ' -f1)" "$nobody_uid" \
    "udp -l --trace: already nobody when it says Listening"
check_dropped $ulpid "udp -l --trace"
mkfifo "$TMP/uin"
exec 8<>"$TMP/uin"
bg "$SOCKKIT" udp --trace --color=never 127.0.0.1 "$ulport" <"$TMP/uin" \
    >"$TMP/uc.out" 2>"$TMP/uc.err" 8>&-
ucpid=$!
echo ping >&8
wait_for_line "$TMP/uc.out" ping 10
check_dropped $ucpid "udp --trace"
exec 8>&-
kill $ucpid 2>/dev/null

# demo: the capture and the namespace made as root, the demo run as
# nobody (the scenario with the longest wait, to be looked at).
bg "$SOCKKIT" demo dropped >"$TMP/d.out" 2>&1
dpid=$!
wait_for_line "$TMP/d.out" 'connect()' 10
check_dropped $dpid "demo"
wait_pid $dpid 20
is $? 0 "demo dropped ends well as nobody"

# --no-drop: root stays root with its capabilities.
bg "$SOCKKIT" listen -k --mode echo --trace --no-drop 127.0.0.1 0 \
    2>"$TMP/n.err"
npid=$!
listen_port "$TMP/n.err" >/dev/null
is "$(status_field $npid Uid | cut -d' ' -f1)" 0 "--no-drop: still root"
isnt_zero=$(status_field $npid CapEff)
ok $([ "$isnt_zero" != 0000000000000000 ]; echo $?) \
    "--no-drop: capabilities kept"

# --user NAME: that user, that user's group.
bg "$SOCKKIT" listen -k --mode echo --trace --user daemon 127.0.0.1 0 \
    2>"$TMP/u.err"
upid=$!
listen_port "$TMP/u.err" >/dev/null
is "$(status_field $upid Uid | cut -d' ' -f1)/$(status_field $upid Gid |
    cut -d' ' -f1)" "$(id -u daemon)/$(id -g daemon)" "--user daemon"

# --user without a capture: dropped all the same once the port is bound,
# as tcpdump -Z does (it stayed root without a word).
bg "$SOCKKIT" listen -k --mode echo --user nobody 127.0.0.1 0 \
    2>"$TMP/pu.err"
pupid=$!
puport=$(listen_port "$TMP/pu.err")
is "$(status_field $pupid Uid | cut -d' ' -f1)" "$nobody_uid" \
    "listen --user nobody, no capture: nobody when it says Listening"
check_dropped $pupid "listen --user nobody, no capture"
is "$(printf 'ping\n' | "$SOCKKIT" connect -q 1 127.0.0.1 "$puport" \
    2>/dev/null)" ping "listen --user nobody, no capture: still answers"
mkfifo "$TMP/cuin"
exec 9<>"$TMP/cuin"
bg "$SOCKKIT" connect --user nobody 127.0.0.1 "$puport" <"$TMP/cuin" \
    >"$TMP/cu.out" 2>/dev/null 9>&-
cupid=$!
echo hello >&9
wait_for_line "$TMP/cu.out" hello 10
check_dropped $cupid "connect --user nobody, no capture"
exec 9>&-
wait_pid $cupid 10
is $? 0 "connect --user nobody, no capture: ends well"
bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >/dev/null 2>"$TMP/pr.err"
prpid=$!
listen_port "$TMP/pr.err" >/dev/null
is "$(status_field $prpid Uid | cut -d' ' -f1)" 0 \
    "listen without --user or a capture: the invoking user, as nc"
kill $prpid 2>/dev/null

# An unknown user: exit 1 and one line, for each command.
for cmd in "listen --trace 127.0.0.1 0" "connect --trace 127.0.0.1 $sport" \
    "udp -l --trace 127.0.0.1 0" "demo handshake"; do
	"$SOCKKIT" $cmd --user no-such-user-$$ </dev/null >/dev/null \
	    2>"$TMP/e.err"
	rc=$?
	is "$rc/$(grep -c '^sockkit: ' "$TMP/e.err")" "1/1" \
	    "${cmd%% *} --user unknown: exit 1, one error line"
done
like "$(cat "$TMP/e.err")" "^sockkit: demo: unknown user no-such-user-$$" \
    "the message names the user"

# The relay after the drop, with --write: every byte, and a whole pcap
# (both SYNs, both FINs) that nobody could have opened.
head -c 300000 /dev/urandom >"$TMP/data"
bg "$SOCKKIT" listen --trace --write "$TMP/w.pcap" --color=never \
    127.0.0.1 0 >"$TMP/w.out" 2>"$TMP/w.err"
wpid=$!
wport=$(listen_port "$TMP/w.err")
"$SOCKKIT" connect 127.0.0.1 "$wport" <"$TMP/data" >/dev/null 2>&1
wait_pid $wpid 10
is $? 0 "listen --trace --write as nobody: exit 0"
is "$(digest "$TMP/w.out")" "$(digest "$TMP/data")" \
    "listen --trace as nobody: every byte relayed"
tcpdump -r "$TMP/w.pcap" -nn 2>"$TMP/td.err" >"$TMP/td.out"
is $? 0 "tcpdump reads the --write file"
is "$(grep -c 'Flags \[S' "$TMP/td.out")/$(grep -c 'Flags \[F' \
    "$TMP/td.out")" "2/2" "the pcap holds both SYNs and both FINs"
is "$(stat -c %U "$TMP/w.pcap")" root \
    "--write's file was made before the drop (root's)"

# Ports below 1024 are bound before the drop: listen on one, connect
# from one, both with --trace.
low=$(comm -23 <(seq 900 999) <(ss -Htan | awk '{ print $4 }' |
    sed 's/.*://' | sort -u) | head -n 1)
bg "$SOCKKIT" listen -k --mode echo --trace --color=never 127.0.0.1 "$low" \
    2>"$TMP/low.err"
lowpid=$!
is "$(listen_port "$TMP/low.err")" "$low" "listen --trace on port $low as root"
check_uid=$(status_field $lowpid Uid | cut -d' ' -f1)
is "$check_uid" "$nobody_uid" "listen on port $low: then nobody"
is "$(printf low | timeout 10 "$SOCKKIT" connect --trace --color=never \
    -p $((low + 1)) 127.0.0.1 "$low" 2>"$TMP/lowc.err")" low \
    "connect --trace -p $((low + 1)): bound before the drop, echoed"
like "$(cat "$TMP/lowc.err")" "from port $((low + 1))$" \
    "connect --trace -p: the ladder shows the low source port"

# demo: the nft scenario works through its root helper (in a namespace
# of its own, which a container may not allow).
if can_netns; then
	timeout 30 "$SOCKKIT" demo --ascii --color=never simultaneous-close \
	    >"$TMP/d.out" 2>&1
	is $? 0 "demo simultaneous-close after the drop: exit 0"
	like "$(cat "$TMP/d.out")" 'simultaneous close' \
	    "demo simultaneous-close: the verdict"
else
	skip_n 2 "$netns_why"
fi
done_testing
