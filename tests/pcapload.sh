#!/bin/bash
# tests/pcapload.sh: libpcap is loaded only when a capture or a pcap file
# is asked for (src/pcapload.c).  connect and listen without capture never
# map it; when it cannot be loaded, the capture options and view say so in
# one line and exit 1, and the rest of sockkit still works.
. "$srcdir/lib.sh"

soname=$(sed -n 's/^#define PCAP_SONAME "\(.*\)"$/\1/p' \
    "$(dirname "$SOCKKIT")/config.h" 2>/dev/null)
[ -n "$soname" ] || skip_all "sockkit links libpcap (configure found no soname)"
need_cmd readelf
pcap=$srcdir/golden/ping.pcap

# mapped PID: whether PID has libpcap mapped now (the soname is a link:
# the maps name the file, libpcap.so.1.10.3 for libpcap.so.0.8).
mapped() { grep -q "/${soname%%.so*}\.so" "/proc/$1/maps"; }

readelf -d "$SOCKKIT" | grep NEEDED >"$TMP/needed"
! grep -q 'libpcap' "$TMP/needed"
ok $? "sockkit does not link libpcap (its NEEDED: $(sed 's/.*\[\(.*\)\]/\1/' "$TMP/needed" | tr '\n' ' '))"

# A connection without capture: neither end maps libpcap.
mkfifo "$TMP/in"
exec 3<>"$TMP/in"
bg "$SOCKKIT" listen -v 127.0.0.1 0 <&3 >"$TMP/l.out" 2>"$TMP/l.err"
lpid=$!
port=$(listen_port "$TMP/l.err")
bg "$SOCKKIT" connect 127.0.0.1 "$port" <&3 >"$TMP/c.out" 2>"$TMP/c.err"
cpid=$!
wait_for_line "$TMP/l.err" 'connection from ' 5
ok $? "connect reached listen"
! mapped "$lpid" && ! mapped "$cpid"
ok $? "connected, neither listen nor connect has libpcap mapped"
kill "$cpid" "$lpid"

LD_DEBUG=libs "$SOCKKIT" connect -z -w 1 127.0.0.1 "$(free_port)" \
    >/dev/null 2>"$TMP/ld.err"
grep -q 'calling init: .*libc\.so' "$TMP/ld.err"
ok $? "LD_DEBUG=libs shows what connect -z loads"
! grep -q "$soname" "$TMP/ld.err"
ok $? "connect -z to a closed port does not load $soname"

# The control: reading a capture (from a fifo that stays open) maps it.
mkfifo "$TMP/pcap"
exec 4<>"$TMP/pcap"
bg "$SOCKKIT" view - <&4 >/dev/null 2>&1
vpid=$!
wait_until 5 mapped "$vpid"
ok $? "view - maps $soname"
kill "$vpid"
exec 4>&-

# An unloadable library: a file of that name that is not a library, first
# in the loader's path.
mkdir "$TMP/lib"
: >"$TMP/lib/$soname"
broken() {
	LD_LIBRARY_PATH=$TMP/lib "$SOCKKIT" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	err=$(cat "$TMP/err")
}
cant="cannot load $soname: [^;]+; install [^ ]+"

broken connect --trace 127.0.0.1 "$(free_port)"
is "$rc" 1 "connect --trace without a loadable libpcap exits 1"
like "$err" "^sockkit: connect: capture: $cant\$" "connect --trace says which library and what to install"
is "$(wc -l <"$TMP/err")" 1 "connect --trace says it in one line"

broken view "$pcap"
is "$rc" 1 "view without a loadable libpcap exits 1"
like "$err" "^sockkit: view .*ping\\.pcap: $cant\$" "view says which library and what to install"

broken udp --trace 127.0.0.1 "$(free_port)"
is "$rc" 1 "udp --trace without a loadable libpcap exits 1"
like "$err" "^sockkit: udp: .*$cant\$" "udp --trace says why"

bg "$SOCKKIT" listen -v 127.0.0.1 0 >"$TMP/l2.out" 2>"$TMP/l2.err"
port=$(listen_port "$TMP/l2.err")
broken connect -z -w 2 127.0.0.1 "$port"
is "$rc" 0 "connect -z still works without a loadable libpcap"
broken --version
is "$rc" 0 "--version still works without a loadable libpcap"

# raw listen feeds its capture by hand (pcap_open_dead): the same message.
if [ "$(id -u)" = 0 ]; then
	broken raw listen --proto icmp --trace -c 1
	is "$rc" 1 "raw listen --trace without a loadable libpcap exits 1"
	like "$err" "^sockkit: raw: listen: capture: $cant\$" "raw listen --trace says why"
else
	skip "raw listen --trace needs root"
	skip "raw listen --trace needs root"
fi

done_testing
