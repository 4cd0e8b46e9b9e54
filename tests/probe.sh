# probe.sh: "sockkit probe" on loopback: usage errors that name the bad
# part, output formats, exit statuses, options.  No root needed.
. "$srcdir/lib.sh"
need_cmd python3
plan 40

# usage_error ARGS... -- REGEX DESCRIPTION: exit 2, stderr matches.
usage_error() {
	_args=
	while [ "$1" != -- ]; do _args="$_args $1"; shift; done
	shift
	$SOCKKIT probe $_args >/dev/null 2>"$TMP/err"
	_rc=$?
	if [ $_rc = 2 ] && grep -Eq -- "$1" "$TMP/err"; then ok 0 "$2"; else
		ok 1 "$2"; echo "#   exit $_rc: $(cat "$TMP/err")"; fi
}
usage_error -p 0 127.0.0.1 -- "bad port '0'" "-p 0: usage error naming 0"
usage_error -p 22,70000 127.0.0.1 -- "bad port '70000'.*1-65535" \
    "-p 70000: usage error naming 70000"
usage_error -p 5-3 127.0.0.1 -- "bad port range '5-3'" "-p 5-3: usage error"
usage_error -p abc 127.0.0.1 -- "bad port 'abc'" "-p abc: usage error"
usage_error -p 1-x 127.0.0.1 -- "bad port 'x' in range '1-x'" \
    "-p 1-x: names the bad end"
usage_error -p 22,,80 127.0.0.1 -- "empty item" "-p 22,,80: usage error"
usage_error 'a!b' -- "bad target 'a!b'" "bad host name: usage error"
usage_error 1.2.3.4/33 -- "1.2.3.4/33" "bad prefix: usage error"
usage_error 10.0.0.0/8 -- "10.0.0.0/8' has 16,777,216 addresses.*--force" \
    "IPv4 block larger than /16 needs --force"
usage_error fd00::/100 -- "/112 need --force" \
    "IPv6 block larger than /112 needs --force"
usage_error 127.0.0.1:0 -- "bad port '0'" "HOST:0: usage error"
usage_error '[::1' -- "bad target" "unclosed bracket: usage error"
usage_error -- "at least one TARGET" "no target: usage error"
usage_error -4 ::1 -- "not IPv4" "-4 with an IPv6 target: usage error"
usage_error -a --open 127.0.0.1 -- "cannot go together" "-a with --open"
usage_error --json --grepable 127.0.0.1 -- "cannot go together" \
    "--json with --grepable"
usage_error --shard 4/3 127.0.0.1 -- "bad shard '4/3'" "--shard 4/3"
usage_error --retries -1 127.0.0.1 -- "--retries '-1'" "--retries -1"
usage_error -w 0 127.0.0.1 -- "-w '0'" "-w 0"
usage_error --exclude 1.2.3.4:80 127.0.0.1 -- "takes hosts" \
    "--exclude with a port"
usage_error --bogus 127.0.0.1 -- "unknown option '--bogus'" "unknown option"

help=$($SOCKKIT probe --help)
missing=
for o in -p -4 -6 -u --udp --exclude --force -a --all --open --json \
    --grepable --all-open -c -w --min-timeout --max-timeout --retries \
    --rate --delay --graceful --no-randomize --seed --shard --state --merge \
    --resume -v --help; do
	echo "$help" | grep -q -- " $o[ ,]" || missing="$missing $o"
done
is "$missing" "" "--help lists every option"

# A listener and a closed port on loopback.
bg $SOCKKIT listen -k --mode discard 127.0.0.1 0 </dev/null >/dev/null \
    2>"$TMP/l.err"
P=$(listen_port "$TMP/l.err")
Q=$(free_port)
out=$($SOCKKIT probe -p $P,$Q 127.0.0.1); rc=$?
is $rc 0 "exit 0 with an open port"
like "$out" "^$P/tcp +open +[^ ]+ +syn-ack +[0-9.]+ms$" \
    "PORT STATE SERVICE REASON RTT for the open port"
like "$out" "^127.0.0.1: 2 ports: 1 open, 1 closed$" "summary line"
is "$(echo "$out" | grep -c "^$Q/tcp")" 0 "closed port not listed by default"
out=$($SOCKKIT probe -a -p $P,$Q 127.0.0.1)
like "$out" "^$Q/tcp +closed +[^ ]+ +rst " "-a lists the closed port"
out=$($SOCKKIT probe --open -p $P,$Q 127.0.0.1)
is "$(echo "$out" | grep -c 'ports:')" 0 "--open: no summary"
# Names need localhost in /etc/hosts, which a bare chroot may lack.
getent ahostsv4 localhost >/dev/null && named=1 ||
    named="localhost does not resolve here (no /etc/hosts entry)"
if [ "$named" = 1 ]; then
	out=$($SOCKKIT probe "127.0.0.1:$P" "localhost:$Q" -4)
	like "$out" "$P/tcp +open" "HOST:PORT targets"
else
	skip "$named"
fi
out=$($SOCKKIT probe --json --sorted -a -p $P,$Q 127.0.0.1 | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["type"], o.get("port", ""), o.get("state", o.get("ports")),
        sorted(o.keys()) == sorted(["type", "host", "name", "port", "proto",
        "state", "service", "reason", "rtt_ms", "tries"]) or
        sorted(o.keys()) == sorted(["type", "host", "name", "proto", "ports",
        "open", "closed", "filtered", "open_filtered"]))
')
is "$out" "$(printf 'port %s open True\nport %s closed True\nhost  2 True' \
    $P $Q | sort -n -k2 | sed '/^host/d'; echo "host  2 True")" \
    "--json: one object per port and per host, all fields"
$SOCKKIT probe --all-open -p $P,$Q 127.0.0.1 >/dev/null
is $? 1 "--all-open: 1 when a port is closed"
$SOCKKIT probe --all-open -p $P 127.0.0.1 >/dev/null
is $? 0 "--all-open: 0 when every port is open"
$SOCKKIT probe -p $Q 127.0.0.1 >/dev/null
is $? 1 "exit 1 when nothing is open"
if [ "$named" = 1 ]; then
	$SOCKKIT probe -p $P --exclude localhost 127.0.0.1 >/dev/null \
	    2>"$TMP/err"
	like "$(cat "$TMP/err")" "every target is excluded" "--exclude by name"
else
	skip "$named"
fi

# Pacing and timeouts change speed, never verdicts.
out=$($SOCKKIT probe --rate 500 --delay 0.001 -w 1 --retries 0 -c 4 \
    --no-randomize --grepable -p 1-50,$P 127.0.0.1)
like "$out" "Ports: $P/open/tcp" "--rate, --delay, -w, -c: same verdicts"
a=$($SOCKKIT probe --seed 3 -a --json -p 1-100 127.0.0.1 ::1 | sort)
b=$($SOCKKIT probe --seed 4 --min-timeout 0.2 --max-timeout 2 -a --json \
    -p 1-100 127.0.0.1 ::1 | sort)
is "$(echo "$a" | sed 's/"rtt_ms":[^,]*,//')" \
    "$(echo "$b" | sed 's/"rtt_ms":[^,]*,//')" "other seed, same verdicts"

# No progress line in a pipe; on a terminal after a second.
$SOCKKIT probe --rate 1000 -p 1-1500 127.0.0.1 >/dev/null 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "no progress line when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	script -qec "$SOCKKIT probe --rate 1000 -p 1-1500 127.0.0.1 \
	    >/dev/null" /dev/null >"$TMP/tty" 2>&1
	like "$(tr '\r' '\n' <"$TMP/tty")" "probe: [0-9,]+/1,500 done, .* ETA" \
	    "progress line on a terminal"
else
	skip "needs script(1)"
fi

# UDP on loopback: a closed port answers with ICMP port unreachable.
out=$($SOCKKIT probe -u -a -p $Q 127.0.0.1)
like "$out" "^$Q/udp +closed +[^ ]+ +icmp port-unreach" \
    "UDP: closed by ICMP port unreachable"
# --write FILE is one of the shared capture options: taken, not a usage
# error (what it writes is the render sink's).
$SOCKKIT probe --write "$TMP/probe.pcap" -p $Q 127.0.0.1 >/dev/null \
    2>"$TMP/write.err"
rc=$?
is "$rc/$(grep -c 'usage\|option' "$TMP/write.err")" "1/0" \
    "--write FILE is taken (exit 1: the port is closed)"
done_testing
