#!/bin/bash
# tests/cli.sh: the command line: help, version, command lookup, usage
# errors (exit 2, naming what was wrong).
. "$srcdir/lib.sh"

# run ARGS...: run sockkit, leaving stdout in $out, stderr in $err, status in $rc.
run() {
	"$SOCKKIT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

run --help
is "$rc" 0 "--help exits 0"
like "$out" '^  connect +stream client' "--help lists connect with its line"
like "$out" '^  listen +stream server' "--help lists listen with its line"
is "$err" "" "--help writes nothing to stderr"

run connect --help
is "$rc" 0 "connect --help exits 0"
like "$out" 'usage: sockkit connect \[options\] HOST PORT' "connect --help shows usage"
like "$out" '^  -z ' "connect --help lists -z"
help_connect=$out
run help connect
is "$rc" 0 "help connect exits 0"
is "$out" "$help_connect" "help connect prints the same as connect --help"
run listen -h
like "$out" 'usage: sockkit listen \[options\] \[ADDRESS\] PORT' "listen -h shows usage"
like "$out" '--mode MODE' "listen -h lists --mode"
run help
is "$rc" 0 "help alone exits 0"
like "$out" '^  listen ' "help alone lists the commands"
run help bogus
is "$rc" 2 "help of an unknown command exits 2"
like "$err" "unknown command 'bogus'" "help of an unknown command says so"

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$srcdir/../configure.ac")
run --version
is "$rc" 0 "--version exits 0"
is "$out" "sockkit $version" "--version prints the version from configure"

run
is "$rc" 2 "no command exits 2"
like "$err" '^usage: sockkit COMMAND' "no command prints usage on stderr"

run conect 127.0.0.1 1
is "$rc" 2 "misspelt command exits 2"
is "$err" "sockkit: unknown command 'conect'; did you mean 'connect'? (see sockkit --help)" \
    "misspelt command suggests the nearest"
run lisen 0
like "$err" "did you mean 'listen'" "lisen suggests listen"
run xyzzy
is "$rc" 2 "unknown command exits 2"
like "$err" "unknown command 'xyzzy'" "unknown command names it"
run --frob
is "$rc" 2 "unknown global option exits 2"
like "$err" "unknown option '--frob'" "unknown global option names it"

run con --help
is "$rc" 0 "unique prefix 'con' works"
like "$out" 'usage: sockkit connect' "'con' is connect"
run l -h
like "$out" 'usage: sockkit listen' "'l' is listen"
# With only connect and listen, no prefix is ambiguous.
skip "ambiguous prefix: no two commands share a prefix yet"

# Bad options: exit 2, naming the option.
run connect --bogus 127.0.0.1 1
is "$rc" 2 "connect --bogus exits 2"
like "$err" "^sockkit: connect: unknown option '--bogus'" "connect --bogus named"
like "$err" ": try 'sockkit connect --help'\$" "unknown option points to --help"
run listen -Q 0
is "$rc" 2 "listen -Q exits 2"
like "$err" "unknown option '-Q'" "listen -Q named"
run listen --mode
is "$rc" 2 "listen --mode without a value exits 2"
like "$err" "option '--mode' needs a value" "missing value named"
run connect 127.0.0.1 1 -w
like "$err" "option '-w' needs a value" "missing -w value named"
run listen --mode bad 0
is "$rc" 2 "listen --mode bad exits 2"
like "$err" "--mode 'bad': expected relay, echo, time or discard" "bad mode named"
run connect -w 0 127.0.0.1 1
is "$rc" 2 "connect -w 0 exits 2"
like "$err" "-w '0': must be more than 0" "-w 0 explained"
run connect -w abc 127.0.0.1 1
like "$err" "-w 'abc': not a number of seconds" "-w abc named"
run connect -q -1 127.0.0.1 1
is "$rc" 2 "connect -q -1 exits 2"
run listen -b 0 0
like "$err" "-b '0': out of range" "-b 0 named"
run listen --max-conns 5 0
is "$rc" 2 "--max-conns without -k exits 2"
like "$err" "--max-conns needs -k" "--max-conns without -k explained"
run listen --deny 10.0.0.0/40 0
is "$rc" 2 "bad --deny block exits 2"
like "$err" "--deny: bad prefix length in '10.0.0.0/40'" "bad --deny block named"
run listen --allow nowhere 0
like "$err" "--allow: bad address block 'nowhere'" "bad --allow block named"
run connect 127.0.0.1
is "$rc" 2 "connect with one argument exits 2"
like "$err" "expected HOST PORT, got 1 argument" "missing PORT explained"
run connect -z -x 127.0.0.1 1
is "$rc" 2 "-z with -x exits 2"
like "$err" "-z sends no data" "-z with -x explained"
run listen -k -x 0
is "$rc" 2 "-k with -x exits 2"
run listen --mode echo -C 0
like "$err" "relay mode only, not --mode echo" "-C with echo explained"
run connect -U /tmp/x 127.0.0.1 1
like "$err" "-U PATH takes no HOST or PORT" "-U with HOST PORT refused"
run listen --unlink 0
like "$err" "--unlink and --seqpacket need -U PATH" "--unlink without -U refused"
run connect -p 70000 127.0.0.1 1
is "$rc" 2 "connect -p 70000 exits 2"
like "$err" "-p: bad port '70000'" "bad source port named"

done_testing
