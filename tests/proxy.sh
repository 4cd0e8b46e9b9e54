#!/bin/bash
# tests/proxy.sh: connect --proxy through real proxies, each started here
# on 127.0.0.1 with its own configuration: microsocks (SOCKS5, with and
# without RFC 1929 auth), dante (SOCKS4, SOCKS4a, SOCKS5, a blocked
# destination), tinyproxy (HTTP CONNECT with Basic auth, a port it does
# not allow); a wrong password, a proxy that is down, a proxy of another
# kind; the negotiation named on the ladder; nc's -X/-x spelling.
. "$srcdir/lib.sh"
need_cmd socat python3

# The destination: one line back, then it closes (an HTTP proxy drops the
# tunnel at the client's FIN, so the clients send none: --no-shutdown).
bg socat -d -d TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr \
    SYSTEM:'head -n 1' 2>"$TMP/dest.err" >/dev/null
dest=$(socat_port "$TMP/dest.err")
# ... and on ::1 too, where there is IPv6: a proxy may resolve localhost
# to ::1 first (Debian's /etc/hosts names both).
bg socat TCP6-LISTEN:"$dest",bind=[::1],ipv6only=1,fork,reuseaddr \
    SYSTEM:'head -n 1' >/dev/null 2>&1
blocked=$(free_port)
bg socat TCP-LISTEN:"$blocked",bind=127.0.0.1,fork,reuseaddr SYSTEM:'head -n 1' \
    >/dev/null 2>&1
wait_listening "$blocked"

# via TAG ARGS...: a line through the proxy; its output in $got, the exit
# status in $rc, stderr in $TMP/TAG.err.
via() {
	_tag=$1; shift
	got=$(printf 'through %s\n' "$_tag" | timeout 10 "$SOCKKIT" connect \
	    --no-shutdown "$@" 2>"$TMP/$_tag.err")
	rc=$?
}

# Names need localhost in /etc/hosts, which a bare chroot may lack; the
# destination listens on 127.0.0.1 only.
getent ahostsv4 localhost | grep -q '^127\.0\.0\.1 ' && named=1 ||
    named="localhost does not resolve to 127.0.0.1 here (no /etc/hosts entry)"

# via_name TAG DESC ARGS...: via, then the check DESC, or a skip.
via_name() {
	_t=$1 _d=$2; shift 2
	[ "$named" = 1 ] || { skip "$_d: $named"; return; }
	via "$_t" "$@"
	is "$rc:$got" "0:through $_t" "$_d"
}

# --- microsocks: SOCKS5, no auth and RFC 1929 ---
if command -v microsocks >/dev/null; then
	ms=$(free_port)
	bg microsocks -i 127.0.0.1 -p "$ms" >"$TMP/ms.log" 2>&1
	msa=$(free_port)
	bg microsocks -i 127.0.0.1 -p "$msa" -u alice -P s3cret >/dev/null 2>&1
	wait_listening "$ms" && wait_listening "$msa"
	via ms --proxy 127.0.0.1:"$ms" 127.0.0.1 "$dest"
	is "$rc:$got" "0:through ms" "microsocks SOCKS5: the line comes back"
	via_name msname "microsocks SOCKS5: a name it resolves" \
	    --proxy 127.0.0.1:"$ms" --proxy-type socks5 localhost "$dest"
	via msauth --proxy 127.0.0.1:"$msa" --proxy-auth alice:s3cret \
	    127.0.0.1 "$dest"
	is "$rc:$got" "0:through msauth" "microsocks RFC 1929: user and password"
	via msbad --proxy 127.0.0.1:"$msa" --proxy-auth alice:wrong \
	    127.0.0.1 "$dest"
	is "$rc" 1 "microsocks, wrong password: exit 1"
	like "$(cat "$TMP/msbad.err")" "refused the user name or password \(RFC 1929 status [1-9]" \
	    "microsocks, wrong password: in words"
	via msnoauth --proxy 127.0.0.1:"$msa" 127.0.0.1 "$dest"
	is "$rc" 1 "microsocks wants a password, none given: exit 1"
	like "$(cat "$TMP/msnoauth.err")" "accepts none of the methods offered \(none\): does it want --proxy-auth" \
	    "no acceptable method: in words, with the option to give"
	via msclosed --proxy 127.0.0.1:"$ms" 127.0.0.1 "$(free_port)"
	is "$rc" 1 "microsocks, a closed destination: exit 1"
	like "$(cat "$TMP/msclosed.err")" "the SOCKS5 proxy refused: .* \(reply code [1-9]\)" \
	    "a closed destination: the reply code in words"
	got=$(printf 'nc way\n' | timeout 10 "$SOCKKIT" nc -X 5 -x 127.0.0.1:"$ms" \
	    127.0.0.1 "$dest")
	is "$?:$got" "0:nc way" "sockkit nc -X 5 -x HOST:PORT"
else
	skip_n 10 "microsocks is not installed"
fi

# --- dante: SOCKS4, 4a, 5, a destination its rules block ---
if command -v danted >/dev/null; then
	dp=$(free_port)
	cat >"$TMP/danted.conf" <<-CONF
	logoutput: $TMP/danted.log
	internal: 127.0.0.1 port = $dp
	external: 127.0.0.1
	clientmethod: none
	socksmethod: none
	user.privileged: root
	user.unprivileged: nobody
	client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
	socks block { from: 0.0.0.0/0 to: 127.0.0.1/32 port = $blocked }
	socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 protocol: tcp }
	CONF
	bg danted -f "$TMP/danted.conf" -p "$TMP/danted.pid"
	wait_listening "$dp"
	for t in socks4 socks4a socks5; do
		via "d$t" --proxy 127.0.0.1:"$dp" --proxy-type "$t" 127.0.0.1 "$dest"
		is "$rc:$got" "0:through d$t" "dante $t: the line comes back"
	done
	via_name dname "dante socks4: a name resolved here" \
	    --proxy 127.0.0.1:"$dp" --proxy-type socks4 \
	    --proxy-dns local localhost "$dest"
	via dblock --proxy 127.0.0.1:"$dp" 127.0.0.1 "$blocked"
	is "$rc" 1 "dante blocks the destination: exit 1"
	like "$(cat "$TMP/dblock.err")" "SOCKS5 proxy refused: connection not allowed by ruleset \(reply code 2\)" \
	    "dante's block: RFC 1928 reply 2 in words"
	via dblock4 --proxy 127.0.0.1:"$dp" --proxy-type socks4 127.0.0.1 "$blocked"
	like "$rc $(cat "$TMP/dblock4.err")" "^1 .*SOCKS4 proxy refused: request rejected or failed \(code 91\)" \
	    "dante's block over SOCKS4: code 91 in words, exit 1"
	via dhttp --proxy 127.0.0.1:"$dp" --proxy-type http 127.0.0.1 "$dest"
	like "$rc $(cat "$TMP/dhttp.err")" "^1 .*proxy 127.0.0.1 port $dp: " \
	    "HTTP CONNECT to a SOCKS proxy: exit 1, said"
else
	skip_n 7 "dante-server (danted) is not installed"
fi

# --- tinyproxy: HTTP CONNECT with Basic auth, one port allowed ---
if command -v tinyproxy >/dev/null; then
	tp=$(free_port)
	cat >"$TMP/tinyproxy.conf" <<-CONF
	Port $tp
	Listen 127.0.0.1
	Timeout 30
	MaxClients 20
	ConnectPort $dest
	BasicAuth alice s3cret
	LogLevel Info
	CONF
	bg tinyproxy -d -c "$TMP/tinyproxy.conf" >"$TMP/tinyproxy.log" 2>&1
	wait_listening "$tp"
	via http --proxy 127.0.0.1:"$tp" --proxy-type http \
	    --proxy-auth alice:s3cret 127.0.0.1 "$dest"
	is "$rc:$got" "0:through http" "tinyproxy CONNECT with Basic auth"
	via_name httpname "tinyproxy CONNECT to a name" \
	    --proxy 127.0.0.1:"$tp" --proxy-type http \
	    --proxy-auth alice:s3cret localhost "$dest"
	via httpbad --proxy 127.0.0.1:"$tp" --proxy-type http \
	    --proxy-auth alice:wrong 127.0.0.1 "$dest"
	like "$rc $(cat "$TMP/httpbad.err")" "^1 .*the HTTP proxy refused: HTTP/1\.[01] 40[17] " \
	    "tinyproxy, wrong password: the status line, exit 1"
	via httpport --proxy 127.0.0.1:"$tp" --proxy-type http \
	    --proxy-auth alice:s3cret 127.0.0.1 "$blocked"
	like "$rc $(cat "$TMP/httpport.err")" "^1 .*the HTTP proxy refused: HTTP/1\.[01] 403 " \
	    "tinyproxy, a port it does not allow: 403, exit 1"
	got=$(printf 'nc http\n' | timeout 10 "$SOCKKIT" nc -X connect \
	    -x 127.0.0.1:"$tp" 127.0.0.1 "$dest" 2>"$TMP/nchttp.err")
	like "$? $(cat "$TMP/nchttp.err")" "^1 .*HTTP/1\.[01] 40[17] " \
	    "sockkit nc -X connect: no credentials, refused in words"
else
	skip_n 5 "tinyproxy is not installed"
fi

# --- a proxy that is down; a proxy that never answers (-w) ---
down=$(free_port)
via down --proxy 127.0.0.1:"$down" 127.0.0.1 "$dest"
like "$rc $(cat "$TMP/down.err")" "^1 .*connect proxy 127.0.0.1 port $down: Connection refused" \
    "the proxy is down: exit 1, the proxy named"
mute=$(free_port)
bg socat TCP-LISTEN:"$mute",bind=127.0.0.1,reuseaddr SYSTEM:'sleep 30' \
    >/dev/null 2>&1
wait_listening "$mute"
via mute -w 1 --proxy 127.0.0.1:"$mute" 127.0.0.1 "$dest"
like "$rc $(cat "$TMP/mute.err")" "^1 .*no answer from the proxy in 1 s \(-w\)" \
    "a proxy that never answers: -w gives up, in words"

# --- the negotiation on the ladder ---
if [ "$(id -u)" != 0 ]; then
	skip_n 3 "the ladder's capture needs root"
elif ! command -v microsocks >/dev/null; then
	skip_n 3 "microsocks is not installed"
else
	via trace --trace --ascii --proxy 127.0.0.1:"$msa" \
	    --proxy-auth alice:s3cret 127.0.0.1 "$dest"
	is "$rc:$got" "0:through trace" "--trace through SOCKS5: the line back"
	tr=$(cat "$TMP/trace.err")
	like "$(printf '%s\n' "$tr" | tr '\n' ' ')" "SOCKS5 greeting: methods none, username/password .*SOCKS5 method chosen: username/password .*SOCKS5 username/password for alice \(RFC 1929\) .*SOCKS5 authentication: success .*SOCKS5 CONNECT 127.0.0.1 port $dest .*SOCKS5 reply: succeeded .*relayed through the proxy" \
	    "the ladder names each message, in order, then the relayed data"
	printf '%s\n' "$tr" | grep -qE 'len=4 .*"\\x05\\x02\\x00\\x02"'
	ok $? "the greeting, 05 02 00 02, is its own segment"
fi
done_testing
