#!/bin/bash
# tests/nc.sh: the nc front end: run as "nc" through a link, nc -l 1234
# and nc -l -p 1234, -z port ranges in nc -vz's words and in sockkit's,
# the hint to probe past a handful of ports, -e and -c (when this sockkit
# has --exec), what a translated command says when a value is bad.
. "$srcdir/lib.sh"
need_cmd socat python3
mkdir -p "$TMP/bin"
ln -s "$SOCKKIT" "$TMP/bin/nc"

# Linked as nc: nc -l PORT, and nc -l -p PORT.
for form in "-l PORT" "-l -p PORT"; do
	p=$(free_port)
	bg "$TMP/bin/nc" ${form/PORT/$p} >"$TMP/l.out" 2>/dev/null
	l=$!
	wait_listening "$p"
	printf 'to nc\n' | timeout 10 socat -t 3 - TCP:127.0.0.1:"$p"
	wait_pid "$l" 10
	is "$?:$(cat "$TMP/l.out")" "0:to nc" "linked as nc: nc $form"
done

# -z over a range: one open port among closed ones.
bg socat -d -d TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr SYSTEM:'echo x' \
    2>"$TMP/open.err" >/dev/null
open=$(socat_port "$TMP/open.err")
lo=$((open - 1)) hi=$((open + 1))
"$SOCKKIT" nc -vz 127.0.0.1 "$lo-$hi" 2>"$TMP/z.err"
is "$?" 0 "nc -vz over a range with one open port: exit 0"
like "$(cat "$TMP/z.err")" "Connection to 127\.0\.0\.1 $open port \[tcp/[^]]*\] succeeded!" \
    "nc -vz: the open port in nc's words"
"$SOCKKIT" connect -vz 127.0.0.1 "$lo-$hi,$open" 2>"$TMP/c.err"
is "$?" 0 "connect -vz with a range and a list: exit 0"
like "$(cat "$TMP/c.err")" "sockkit: 127\.0\.0\.1 port $open[^:]*: open \(syn-ack\)" \
    "connect -vz: the open port in sockkit's words"
"$SOCKKIT" connect -z 127.0.0.1 "$open-$((open + 9))" 2>"$TMP/h.err"
like "$(cat "$TMP/h.err")" "10 ports, 1 open: .*sockkit probe -p $open-$((open + 9)) 127\.0\.0\.1" \
    "past a handful of ports: the message points to probe"
"$SOCKKIT" connect -z 127.0.0.1 "$open,$open" 2>"$TMP/one.err"
is "$?:$(cat "$TMP/one.err")" "0:" "connect -z with a list, quiet without -v"

# A bad value of a translated option: the command it became says so.
"$SOCKKIT" nc -w 0 127.0.0.1 80 2>"$TMP/w.err"
is "$?" 2 "nc -w 0: a usage error, exit 2"
like "$(cat "$TMP/w.err")" "^sockkit: connect: -w '0': must be more than 0$" \
    "nc -w 0: connect names the bad value"

# -e and -c: --exec and --sh-exec, when this sockkit has them.
if "$SOCKKIT" listen --help | grep -q -- '--exec'; then
	# As root, --exec wants --user or --no-drop: the nc spelling has
	# neither, so root is refused and the program runs as nobody here.
	as=
	if [ "$(id -u)" = 0 ]; then
		"$SOCKKIT" nc -l -e /bin/cat 1234 2>"$TMP/root.err"
		like "$?:$(cat "$TMP/root.err")" "^2:.*--user NAME" \
		    "nc -l -e as root: refused, naming --user"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		skip "nc -l -e as root (not root)"
	fi
	p=$(free_port)
	bg $as "$SOCKKIT" nc -l -e /bin/cat "$p" 2>/dev/null
	wait_listening "$p"
	got=$(printf 'echoed\n' | timeout 10 socat -t 3 - TCP:127.0.0.1:"$p")
	is "$got" echoed "nc -l -e /bin/cat: the program answers"
	p=$(free_port)
	bg $as "$SOCKKIT" nc -l -c 'tr a-z A-Z' "$p" 2>/dev/null
	wait_listening "$p"
	got=$(printf 'shout\n' | timeout 10 socat -t 3 - TCP:127.0.0.1:"$p")
	is "$got" SHOUT "nc -l -c 'tr a-z A-Z': the shell command answers"
else
	"$SOCKKIT" nc -l -e /bin/cat 1234 2>"$TMP/e.err"
	like "$? $(cat "$TMP/e.err")" "^2 sockkit: nc: --exec \(from nc's options\) is not in this sockkit's listen" \
	    "nc -e without --exec in this build: said, exit 2"
	skip "listen has no --exec in this build"
fi
done_testing
