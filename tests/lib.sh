# tests/lib.sh: shared helpers for the shell tests, which speak TAP.
#
# Source it, call plan N, then ok/is/like for each check.  Every wait is
# bounded; every background process and namespace is removed on exit.

: "${SOCKKIT:=$(pwd)/sockkit}"
: "${srcdir:=$(cd "$(dirname "$0")" && pwd)}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockkit-test.XXXXXX")
_n=0
_failed=0
_pids=
_netns=

cleanup() {
	for p in $_pids; do kill "$p" 2>/dev/null; done
	# Bounded: whatever ignores SIGTERM for 5 s gets SIGKILL.
	wait_until 5 _ended $_pids
	for p in $_pids; do kill -9 "$p" 2>/dev/null; done
	for p in $_pids; do wait "$p" 2>/dev/null; done
	for ns in $_netns; do
		# Whatever still runs inside (a child of a killed subshell).
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"
		rmdir /etc/netns 2>/dev/null	# only if nothing else is there
	done
	[ -n "${KEEP_TMP:-}" ] && { echo "# kept $TMP" >&2; return; }
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

_planned=
plan() { echo "1..$1"; _planned=1; }

# skip_all REASON: the whole file cannot run here (exit 77 = skipped; tests/run.sh tells the TAP driver).
skip_all() { echo "1..0 # SKIP $1"; exit 77; }

need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
need_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "needs $c"
	done
}

ok() {	# ok COND-STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}
# is and like return 1 when the check failed, for "is ... || diag ...".
is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"
		return 1; fi
}
like() {	# like TEXT EXTENDED-REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want /$2/"
		return 1; fi
}
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }	# diag TEXT: a TAP comment
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }

# bg CMD...: run in the background, remember it for cleanup; sets $!.
# Its stdin is bg's own ("bg cmd <file" works; without "<&0" bash would
# give a background command /dev/null), and the tests' stdin is /dev/null.
bg() { "$@" <&0 & _pids="$_pids $!"; }
exec </dev/null

# wait_until SECONDS CMD...: run CMD every 0.05 s until it succeeds, for
# at most SECONDS (a whole number); returns 0 when it did, 1 when it still
# failed at the end.  The one poll loop of the tests: each wait_* below is
# a condition for it.
wait_until() {
	_wu_n=$(( $1 * 20 )); shift
	until "$@"; do
		[ "$_wu_n" -gt 0 ] || return 1
		sleep 0.05; _wu_n=$((_wu_n - 1))
	done
	return 0
}

# _ended PID...: whether none of the PIDs runs any more.
_ended() {
	for _e_p in "$@"; do kill -0 "$_e_p" 2>/dev/null && return 1; done
	return 0
}

# wait_for_line FILE REGEX [SECONDS]: until FILE holds a matching line
# (5 s unless told).
wait_for_line() { wait_until "${3:-5}" grep -Eq -- "$2" "$1" 2>/dev/null; }

# _has_lines FILE REGEX N: whether FILE holds N or more matching lines.
_has_lines() {
	_hl_n=$(grep -Ec -- "$2" "$1" 2>/dev/null)
	[ "${_hl_n:-0}" -ge "$3" ]
}

# wait_count FILE REGEX N [SECONDS]: until FILE holds N lines matching
# REGEX (10 s unless told).
wait_count() { wait_until "${4:-10}" _has_lines "$1" "$2" "$3"; }

# _established PORT N: whether N or more TCP connections to PORT are
# established (counted on the clients' side, dport).
_established() {
	[ "$(ss -Htn state established "dport = :$1" 2>/dev/null | wc -l)" \
	    -ge "$2" ]
}

# wait_established PORT N [SECONDS]: until N clients are connected to
# PORT (10 s unless told).
wait_established() { wait_until "${3:-10}" _established "$1" "$2"; }

# listen_port ERRFILE: the port from "Listening on ADDR PORT" in ERRFILE.
listen_port() {
	wait_for_line "$1" '^Listening on ' 5 || return 1
	sed -n 's/^Listening on .* \([0-9][0-9]*\)\( (.*)\)\{0,1\}$/\1/p' "$1" |
	    head -n 1
}

# serve NAME CMD...: start CMD, a server that says "Listening on ADDR PORT"
# on stderr, in the background (bg: its stdin is serve's own), stdout in
# $TMP/NAME.out and stderr in $TMP/NAME.err; sets $pid to its process and
# $port to the port it says (empty when it says none within 5 s).  Returns
# listen_port's status.
serve() {
	_sv_name=$1; shift
	bg "$@" >"$TMP/$_sv_name.out" 2>"$TMP/$_sv_name.err"
	pid=$!
	port=$(listen_port "$TMP/$_sv_name.err")
}

# wait_pid PID [SECONDS]: wait for PID to end, kill it after SECONDS
# (SIGTERM, then SIGKILL 2 s later); returns its exit status, or 124 when
# it had to be killed.
wait_pid() {
	if ! wait_until "${2:-10}" _ended "$1"; then
		kill "$1" 2>/dev/null
		wait_until 2 _ended "$1"
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}

# status_field PID NAME: a field of /proc/PID/status, tabs as spaces
# ("0 0 0 0" for Uid); empty when PID has ended.
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null |
	    tr -s '\t' ' '
}

# _uid_or_ended PID UID: whether PID's real uid is UID, or PID has ended.
_uid_or_ended() {
	[ "$(status_field "$1" Uid | cut -d' ' -f1)" = "$2" ] || _ended "$1"
}

# wait_uid PID UID [SECONDS]: until PID's real uid is UID (10 s unless
# told), as when it drops root; returns 1 when it is not by then or PID
# ended first.
wait_uid() {
	wait_until "${3:-10}" _uid_or_ended "$1" "$2" &&
	    [ "$(status_field "$1" Uid | cut -d' ' -f1)" = "$2" ]
}

# free_port: a TCP port that nothing listens on right now.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
		return
	fi
	# Without python3 (the tarball's bare check): a port sockkit itself
	# was given by the kernel, closed again.
	"$SOCKKIT" listen 127.0.0.1 0 </dev/null >/dev/null 2>"$TMP/fp.err" &
	_fp=$!
	listen_port "$TMP/fp.err"
	kill "$_fp" 2>/dev/null; wait "$_fp" 2>/dev/null
}

# make_netns NAME: a network namespace with loopback up, removed at exit
# (with /etc/netns/NAME, where a test may give it its own hosts file).
make_netns() {
	ip netns add "$1" || return 1
	_netns="$_netns $1"
	ip -n "$1" link set lo up
}

# can_netns: whether a network namespace can be made here; where it cannot
# (a chroot without a mount point at /, a container without
# CAP_SYS_ADMIN), returns 1 with the reason in $netns_why.
can_netns() {
	netns_why=
	command -v ip >/dev/null 2>&1 || { netns_why="needs ip"; return 1; }
	_e=$(ip netns add "skchk$$" 2>&1) &&
	    { ip netns del "skchk$$"; return 0; }
	netns_why="cannot make a network namespace here: ${_e:-ip netns add failed}"
	return 1
}

# can_mountns: whether a private mount namespace with a tmpfs of its own
# can be made here; when not, returns 1 with the reason in $mountns_why.
can_mountns() {
	mountns_why=
	mkdir -p "$TMP/mnt-check"
	_e=$(unshare -m sh -c 'mount -t tmpfs -o size=4k tmpfs "$1"' sh \
	    "$TMP/mnt-check" 2>&1) && return 0
	mountns_why="cannot mount a tmpfs in a mount namespace here: ${_e:-unshare -m failed}"
	return 1
}

# skip_n N REASON: N checks that cannot run here.
skip_n() {
	for _ in $(seq "$1"); do skip "$2"; done
}

# done_testing: print the plan if plan was not called; fail if any check did.
done_testing() {
	[ -n "$_planned" ] || echo "1..$_n"
	[ $_failed = 0 ]
}

# The Python peers of tests/peer.py (a half-closing server, a resetter...),
# run by the interpreter itself: version-manager shims cost ~0.3 s a call.
PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PYTHON=python3
PEER="$PYTHON $srcdir/peer.py"

# socat_port ERRFILE: the port from socat -d -d's "listening on AF=2 A:PORT".
socat_port() {
	wait_for_line "$1" 'listening on ' 5 || return 1
	sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" | head -n 1
}

# digest FILE: the SHA-256 of FILE (or stdin).
digest() { sha256sum "$@" | cut -c1-64; }

# _listening PORT t|u [NETNS]: whether a TCP socket listens on PORT (t),
# or a UDP socket is bound to it (u), here or in network namespace NETNS.
_listening() {
	if [ -n "${3:-}" ]; then
		ip netns exec "$3" ss -Hln"$2" "sport = :$1"
	else
		ss -Hln"$2" "sport = :$1"
	fi 2>/dev/null | grep -q .
}

# wait_listening PORT [tcp|udp [NETNS]]: until something accepts on TCP
# PORT, or is bound to UDP PORT, here or in NETNS (at most 5 s); for
# servers that cannot report a port-0 listener's port (ncat, nc -u, a
# Python peer), so tests give them a known one.
wait_listening() {
	_wl_proto=t
	[ "${2:-}" = udp ] && _wl_proto=u
	wait_until 5 _listening "$1" "$_wl_proto" "${3:-}"
}

# golden_pcaps: the pcaps that tests/golden/TESTLIST names, each once.
golden_pcaps() {
	awk '!/^#/ && NF >= 3 { print $2 }' "$srcdir/golden/TESTLIST" | sort -u
}

