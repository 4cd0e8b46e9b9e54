# tests/udp-client.sh: "sockkit udp" as the client, against nc -u and
# socat servers over IPv4 and IPv6; late replies; ICMP errors; -z; sizes.
. "${srcdir:=$(cd "$(dirname "$0")" && pwd)}/udp-lib.sh"
need_cmd nc socat python3 ss

plan 33

# Each line is one datagram, and nc -u sees them all (IPv4, IPv6).
for fam in 4 6; do
	host=127.0.0.1; [ $fam = 6 ] && host=::1
	p=$(udp_free_port $fam)
	bg nc -$fam -u -l "$host" "$p" >"$TMP/nc$fam.out"; ncpid=$!
	wait_listening "$p" udp
	printf 'one\ntwo\n' | "$SOCKKIT" udp -w 0.5 "$host" "$p"
	is "$?" 0 "IPv$fam: exit 0 after -w with no reply"
	wait_for_line "$TMP/nc$fam.out" '^two$' 3
	is "$(cat "$TMP/nc$fam.out")" "one
two" "IPv$fam: nc -u -l got every line"
	kill "$ncpid" 2>/dev/null
done

# Boundaries: socat forks one child per datagram and counts its bytes.
for fam in 4 6; do
	host=127.0.0.1; [ $fam = 6 ] && host=[::1]; max=65507
	[ $fam = 6 ] && max=65527
	p=$(udp_free_port $fam)
	: >"$TMP/sizes$fam"
	bg socat -u -b 70000 UDP$([ $fam = 6 ] && echo 6)-RECVFROM:"$p",bind="$host",fork \
	    SYSTEM:"wc -c >> $TMP/sizes$fam"
	wait_listening "$p" udp
	{ printf 'a\n'; repeat b 1471; echo; repeat c $((max - 1)); echo; } |
	    "$SOCKKIT" udp -w 0.3 "$host" "$p"
	printf x | "$SOCKKIT" udp -w 0.3 "$host" "$p"
	head -c $max /dev/urandom >"$TMP/rand$fam"
	"$SOCKKIT" udp --chunk -w 0.3 "$host" "$p" <"$TMP/rand$fam"
	_i=0
	while [ "$(wc -l <"$TMP/sizes$fam")" -lt 5 ] && [ $_i -lt 60 ]; do
		sleep 0.05; _i=$((_i + 1)); done
	is "$(sort -n "$TMP/sizes$fam" | tr '\n' ' ')" "1 2 1472 $max $max " \
	    "IPv$fam: datagrams of 1, 2, 1472 and $max bytes kept whole"
done

# A reply sent 1 s after our stdin ended is still printed (default -w).
for fam in 4 6; do
	host=127.0.0.1; [ $fam = 6 ] && host=::1
	b=$host; [ $fam = 6 ] && b=[::1]
	p=$(udp_free_port $fam)
	bg socat -t 3 UDP$([ $fam = 6 ] && echo 6)-RECVFROM:"$p",bind="$b" \
	    SYSTEM:'read l; sleep 1; echo "late $l"'
	wait_listening "$p" udp
	out=$(printf 'q\n' | "$SOCKKIT" udp "$host" "$p")
	rc=$?
	is "$out" "late q" "IPv$fam: a reply 1 s after EOF is printed"
	is "$rc" 0 "IPv$fam: and the exit status is 0"
done

# ICMP port unreachable on the connected socket: the exact message.
p=$(udp_free_port 4)
err=$(printf 'hello\n' | "$SOCKKIT" udp 127.0.0.1 "$p" 2>&1)
is "$?" 1 "port unreachable: exit 1"
is "$err" "sockkit: udp 127.0.0.1 port $p: port unreachable (ICMP type 3 code 3 from 127.0.0.1)" \
    "port unreachable: ICMP type, code and sender"
p=$(udp_free_port 6)
err=$(printf 'hello\n' | "$SOCKKIT" udp ::1 "$p" 2>&1)
is "$err" "sockkit: udp ::1 port $p: port unreachable (ICMPv6 type 1 code 4 from ::1)" \
    "IPv6 port unreachable: ICMPv6 type, code and sender"

# -z: closed and open, with honest exit statuses.
p=$(udp_free_port 4)
out=$("$SOCKKIT" udp -z 127.0.0.1 "$p")
is "$?" 1 "-z closed port: exit 1"
is "$out" "udp 127.0.0.1 port $p: closed: port unreachable (ICMP type 3 code 3 from 127.0.0.1)" \
    "-z closed port: says closed and why"
p=$(udp_free_port 4)
bg socat -t 2 UDP-RECVFROM:"$p",bind=127.0.0.1 SYSTEM:'cat >/dev/null; echo pong'
wait_listening "$p" udp
out=$("$SOCKKIT" udp -z --data ping 127.0.0.1 "$p")
is "$?" 0 "-z answered port: exit 0"
like "$out" "^udp 127\.0\.0\.1 port $p: open: a reply of 5 bytes from 127\.0\.0\.1 port $p\$" \
    "-z answered port: says open"

# --unconnected hears the reply and -v names its sender.
p=$(udp_free_port 4)
bg socat -t 2 UDP-RECVFROM:"$p",bind=127.0.0.1 SYSTEM:'read l; echo "re $l"'
wait_listening "$p" udp
out=$(printf 'u\n' | "$SOCKKIT" udp -v --unconnected -w 1 127.0.0.1 "$p" 2>"$TMP/unc.err")
is "$out" "re u" "--unconnected: the reply is printed"
like "$(cat "$TMP/unc.err")" "^sockkit: 5 bytes from 127\.0\.0\.1 port $p\$" \
    "--unconnected -v: the reply's sender"

# Too large: a clear EMSGSIZE error and nothing sent.
udp_server big -v 127.0.0.1 0
{ printf 'first\n'; repeat x 65507; echo; printf 'never\n'; } |
    "$SOCKKIT" udp 127.0.0.1 "$port" 2>"$TMP/bigc.err"
is "$?" 1 "a 65508-byte line: exit 1"
is "$(cat "$TMP/bigc.err")" "sockkit: udp 127.0.0.1 port $port: a line of more than 65507 bytes not sent: Message too long (a datagram holds at most 65507 bytes over IPv4)" \
    "a 65508-byte line: EMSGSIZE named with the limit"
err=$("$SOCKKIT" udp --data "$(repeat y 65528)" ::1 9 2>&1)
is "$err" "sockkit: udp ::1 port 9: datagram of 65528 bytes not sent: Message too long (a datagram holds at most 65527 bytes over IPv6)" \
    "--data of 65528 bytes over IPv6: EMSGSIZE"
"$SOCKKIT" udp -w 0.2 --data end 127.0.0.1 "$port"
wait_for_line "$TMP/big.out" '^end$' 3
is "$(sizes "$TMP/big.err")" "6 3" "the server saw 'first' and 'end' only"

# -s and -p choose where datagrams come from.
udp_server src -v 127.0.0.1 0
sp=$(udp_free_port 4)
"$SOCKKIT" udp -w 0 -s 127.0.0.2 -p "$sp" --data 'src
' 127.0.0.1 "$port"
wait_for_line "$TMP/src.err" 'datagram from' 3
like "$(cat "$TMP/src.err")" "datagram from 127\.0\.0\.2 port $sp: 4 bytes" \
    "-s and -p: the source address and port"
kill "$spid"

# -q bounds the wait even when -w would go on.
p=$(udp_free_port 4)
bg socat -t 5 UDP-RECVFROM:"$p",bind=127.0.0.1 SYSTEM:'while echo tick 2>/dev/null; do sleep 0.1; done'
wait_listening "$p" udp
printf 'go\n' | "$SOCKKIT" udp -q 1 -w 10 127.0.0.1 "$p" >"$TMP/q.out"
is "$?" 0 "-q ends a client that still gets replies, exit 0"

# Socket types the system does not have.
err=$("$SOCKKIT" udp --type rdm 127.0.0.1 9 </dev/null 2>&1)
is "$?" 1 "--type rdm: exit 1"
like "$err" "^sockkit: udp 127\.0\.0\.1 port 9: SOCK_RDM sockets: Socket type not supported" \
    "--type rdm: a clear message"

# Usage errors: exit 2, naming the bad part.
err=$("$SOCKKIT" udp 127.0.0.1 2>&1); rc=$?
is "$rc:$(echo "$err" | head -n 1)" "2:sockkit: udp: expected HOST PORT, got 1 argument" \
    "one argument: usage error"
err=$("$SOCKKIT" udp 127.0.0.1 70000 2>&1); rc=$?
like "$rc:$err" "^2:sockkit: udp: bad port '70000'" "bad port: usage error naming it"
err=$("$SOCKKIT" udp -w soon 127.0.0.1 9 2>&1); rc=$?
like "$rc:$err" "^2:sockkit: udp: -w 'soon': " "bad -w: usage error naming it"
err=$("$SOCKKIT" udp -z --chunk 127.0.0.1 9 2>&1); rc=$?
like "$rc:$err" "^2:sockkit: udp: -z sends one datagram" "-z with --chunk: usage error"

# --help names every option.
help=$("$SOCKKIT" udp --help)
missing=
for o in -4 -6 '-U PATH' ' -l ' '-s ADDR' '-p PORT' '-w SECS' '-q SECS' ' -z ' \
    '--data STRING' --chunk --unconnected '--mode MODE' --to-all \
    '--allow CIDR' '--deny CIDR' --unlink '--type TYPE' ' -v ' --help; do
	case $help in *"$o"*) ;; *) missing="$missing $o" ;; esac
done
is "$missing" "" "--help lists every option"

# stdout closed where the replies must go: exit 1 with a message (they
# vanished into /dev/null); with no reply to write, exit 0.
bg "$SOCKKIT" udp -l --mode echo 127.0.0.1 0 2>"$TMP/so.err"
sopid=$!
soport=$(listen_port "$TMP/so.err")
printf 'hi\n' | timeout 10 "$SOCKKIT" udp -w 2 127.0.0.1 "$soport" >&- \
    2>"$TMP/soc.err"
is "$?:$(cat "$TMP/soc.err")" "1:sockkit: udp 127.0.0.1 port $soport: write to stdout: Bad file descriptor" \
    "stdout closed, a reply to write: exit 1, says so"
kill "$sopid" 2>/dev/null

done_testing
