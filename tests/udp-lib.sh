# tests/udp-lib.sh: helpers for the udp tests, on top of lib.sh.

. "$srcdir/lib.sh"

# udp_free_port [4|6]: a UDP port that nothing is bound to right now on
# 127.0.0.1 (or ::1); also a port that answers with ICMP port unreachable.
udp_free_port() {
	python3 - "${1:-4}" <<'EOF'
import socket, sys
v6 = sys.argv[1] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("::1" if v6 else "127.0.0.1", 0))
print(s.getsockname()[1])
EOF
}

# udp_server NAME ARGS...: start "sockkit udp -l ARGS" in the background
# with stdout in $TMP/NAME.out and stderr in $TMP/NAME.err; sets $port
# from its "Listening on" line and $spid.
udp_server() {
	_name=$1; shift
	bg "$SOCKKIT" udp -l "$@" >"$TMP/$_name.out" 2>"$TMP/$_name.err"
	spid=$!
	port=$(listen_port "$TMP/$_name.err")
}

# sizes FILE: the "N bytes" of each "datagram from" line, space-separated.
sizes() {
	sed -n 's/^sockkit: datagram from .*: \([0-9]*\) bytes$/\1/p' "$1" |
	    tr '\n' ' ' | sed 's/ $//'
}

# repeat CHAR N: N copies of CHAR (no newline).
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }
