#!/bin/bash
# tests/modes.sh: listen --mode echo, time and discard, byte-exact, with
# and without -k.
. "$srcdir/lib.sh"
need_cmd python3

python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 64)' >"$TMP/bytes"
head -c 4194304 /dev/urandom >"$TMP/4m"

# echo: every byte back, all 256 values, and 4 MiB (more than the
# server buffers before it stops reading).
for k in "(no -k)" -k; do
	serve echo "$SOCKKIT" listen ${k#(no -k)} --mode echo 127.0.0.1 0
	timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/bytes" >"$TMP/got"
	is "$?" 0 "echo $k: client exit 0"
	cmp -s "$TMP/got" "$TMP/bytes"
	ok $? "echo $k: all 256 byte values back, byte-exact"
	timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >"$TMP/got" 2>/dev/null
	rc=$?
	if [ "$k" != -k ]; then
		is "$rc" 1 "echo: a second client is refused (no -k)"
		serve echo "$SOCKKIT" listen --mode echo 127.0.0.1 0
		timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >"$TMP/got"
	fi
	is "$(digest "$TMP/got")" "$(digest "$TMP/4m")" "echo $k: 4 MiB back, byte-exact"
	wait_pid "$pid" 1 >/dev/null
done

# time: each line back after "[ctime] ", UTF-8 untouched, a last line
# without a newline answered at EOF, CRLF and empty lines kept.
printf 'hello\nw\303\266rld \342\234\223 \360\237\231\202\n\na\r\nlast' >"$TMP/lines"
check_time() {	# check_time OUTPUT INPUT WHAT: the prefix format and the text
	python3 - "$1" "$2" "$3" <<'PY'
import re, sys, time
out = open(sys.argv[1], "rb").read()
inp = open(sys.argv[2], "rb").read()
what = sys.argv[3]
pre = re.compile(rb"\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|"
                 rb"Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] "
                 rb"[0-9]{4}\] ")
lines = out.split(b"\n")
bad = [l for l in lines if l and not pre.match(l)]
print(("ok" if not bad else "not ok") + " - %s: every line starts with [ctime]" % what)
for l in bad[:3]:
    print("#   bad line: %r" % l)
stamps = [time.mktime(time.strptime(m.group(0)[1:-2].decode(), "%a %b %d %H:%M:%S %Y"))
          for m in pre.finditer(out)]
near = stamps and all(abs(s - time.time()) < 600 for s in stamps)
print(("ok" if near else "not ok") + " - %s: the stamps are local time now" % what)
got = pre.sub(b"", out)
print(("ok" if got == inp else "not ok") + " - %s: the text after the stamps is byte-exact" % what)
if got != inp:
    print("#   got:  %r\n#   want: %r" % (got[:200], inp[:200]))
PY
}
tcount() {	# tcount FILE: the number of stamps in FILE
	grep -aoE '\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ 123][0-9] [0-9:]{8} [0-9]{4}\] ' "$1" | wc -l
}
# run_checks: turn check_time's lines into our TAP numbering (feed it with
# < <(...): in a pipeline it would count in a subshell).
run_checks() {
	while IFS= read -r l; do
		case $l in
		"ok - "*) ok 0 "${l#ok - }" ;;
		"not ok - "*) ok 1 "${l#not ok - }" ;;
		*) echo "$l" ;;
		esac
	done
}
for k in "(no -k)" -k; do
	serve time "$SOCKKIT" listen ${k#(no -k)} --mode time 127.0.0.1 0
	timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/lines" >"$TMP/got"
	is "$?" 0 "time $k: client exit 0"
	run_checks < <(check_time "$TMP/got" "$TMP/lines" "time $k")
	is "$(tcount "$TMP/got")" 5 "time $k: five lines, five stamps"
	is "$(tail -c 5 "$TMP/got")" " last" "time $k: the last line has no newline added"
	wait_pid "$pid" 1 >/dev/null
done
like "$(head -n 1 "$TMP/got")" '^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}\] hello$' \
    "time: the ctime form '[Sat Nov 21 23:59:01 2026] hello'"

# The stamp is local time: the same moment in two time zones differs by
# their offset (Etc/GMT-14 is UTC+14, so the day or hour must differ).
TZ=Etc/GMT-14 bg "$SOCKKIT" listen --mode time 127.0.0.1 0 >/dev/null 2>"$TMP/tz.err"
port=$(listen_port "$TMP/tz.err")
a=$(printf 'x\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
TZ=UTC bg "$SOCKKIT" listen --mode time 127.0.0.1 0 >/dev/null 2>"$TMP/tz.err"
port=$(listen_port "$TMP/tz.err")
b=$(printf 'x\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
[ "$a" != "$b" ]
ok $? "time: the stamp follows TZ (UTC+14 '$a' vs UTC '$b')"

# A line that arrives in pieces gets one stamp; a line longer than 64 KiB
# is answered in pieces, nothing lost.
serve time "$SOCKKIT" listen --mode time 127.0.0.1 0
{ printf 'par'; sleep 0.3; printf 'tial\n'; } | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >"$TMP/got"
like "$(cat "$TMP/got")" '^\[[^]]+\] partial$' "time: a line in two reads gets one stamp"
python3 -c 'import sys; sys.stdout.write("y" * 100000 + "\nshort\n")' >"$TMP/long"
serve time "$SOCKKIT" listen --mode time 127.0.0.1 0
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/long" >"$TMP/got"
run_checks < <(check_time "$TMP/got" "$TMP/long" "time, 100000-byte line")
is "$(tcount "$TMP/got")" 3 "time: the long line in two pieces, then the short one"

# discard: nothing comes back; -v counts what was dropped.
for k in "(no -k)" -k; do
	serve disc "$SOCKKIT" listen ${k#(no -k)} -v --mode discard 127.0.0.1 0
	timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >"$TMP/got"
	is "$?" 0 "discard $k: client exit 0"
	is "$(wc -c <"$TMP/got")" 0 "discard $k: nothing comes back"
	wait_for_line "$TMP/disc.err" 'discarded' 5
	like "$(cat "$TMP/disc.err")" "^sockkit: connection from 127\.0\.0\.1 port [0-9]+ closed: discarded 4,194,304 bytes$" \
	    "discard $k -v: counts 4,194,304 bytes"
	wait_pid "$pid" 1 >/dev/null
done

done_testing
