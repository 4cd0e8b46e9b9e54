#!/bin/bash
# tests/tls/capture.sh: how the TLS captures beside this script were made
# (run by hand, not by make check; needs root, openssl, tcpdump).
#
#   tests/tls/capture.sh OUTDIR [NAME...]
#
# With NAMEs, only those captures are made.  The *-keylog ones also keep
# the client's NSS key log beside them (NAME.keys), for view --keylog and
# tshark -o tls.keylog_file:, and end with a KeyUpdate ("K" to s_client).
#
# Each capture is one openssl s_client talking to openssl s_server -rev
# over the loopback interface of a network namespace made for it (MTU
# 1500, so the server's flight spans segments), then closing.  The
# certificate is a throwaway self-signed RSA 4096 one made here.
set -eu
out=${1:?usage: capture.sh OUTDIR [NAME...]}
shift
only="$*"
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
ns=sktls$$
cleanup() {
	for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
	sleep 0.2
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo mtu 1500 gso_max_segs 1 up

openssl req -x509 -newkey rsa:4096 -nodes -days 3650 -subj /CN=example.com \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

# until CMD...: wait, at most 10 s, for CMD to succeed.
until_ok() {
	for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
	echo "capture.sh: timed out waiting for: $*" >&2
	return 1
}

listening() { [ -n "$(ip netns exec "$ns" ss -Hltn 'sport = :4433')" ]; }

# client 'CLIENT OPTIONS' [K]: one s_client run, two lines sent (and
# with K a KeyUpdate asked for and a third line), then EOF.
client() {
	{ echo "hello, server"; sleep 0.5; echo "second line"; sleep 0.5
	  if [ -n "${2:-}" ]; then echo K; sleep 0.5; echo "after the update"
	  sleep 0.5; fi; } |
	    timeout 10 ip netns exec "$ns" openssl s_client -quiet -no_ign_eof \
	    -connect 127.0.0.1:4433 $1 >/dev/null 2>&1 || true
}

# capture NAME 'SERVER OPTIONS' 'CLIENT OPTIONS' [resume|keylog]: with
# resume, two connections, the second resuming the first one's session;
# with keylog, the key log kept and a KeyUpdate.
capture() {
	[ -z "$only" ] || [[ " $only " == *" $1 "* ]] || return 0
	ip netns exec "$ns" tcpdump -i lo -U -s 0 -w "$out/$1.pcap" \
	    tcp port 4433 2>"$tmp/dump.err" &
	dump=$!
	until_ok grep -q "listening on" "$tmp/dump.err"
	ip netns exec "$ns" openssl s_server -accept 127.0.0.1:4433 \
	    -naccept "$([ "${4:-}" = resume ] && echo 2 || echo 1)" \
	    -rev -quiet -cert "$tmp/cert.pem" -key "$tmp/key.pem" $2 \
	    >/dev/null 2>&1 &
	srv=$!
	until_ok listening
	if [ "${4:-}" = resume ]; then
		client "$3 -sess_out $tmp/sess"
		client "$3 -sess_in $tmp/sess"
	elif [ "${4:-}" = keylog ]; then
		rm -f "$out/$1.keys"
		client "$3 -keylogfile $out/$1.keys" K
	else
		client "$3"
	fi
	sleep 0.5
	kill "$srv" 2>/dev/null || true
	wait "$srv" 2>/dev/null || true
	sleep 0.2
	kill "$dump"
	wait "$dump" 2>/dev/null || true
}

capture tls13 '-tls1_3 -alpn h2,http/1.1' \
    '-tls1_3 -servername example.com -alpn h2,http/1.1'
capture tls12 '-tls1_2 -alpn http/1.1 -cipher ECDHE-RSA-AES128-GCM-SHA256' \
    '-tls1_2 -servername example.com -alpn h2,http/1.1 -cipher ECDHE-RSA-AES128-GCM-SHA256'
capture tls13-hrr '-tls1_3 -groups X25519' \
    '-tls1_3 -servername hrr.example -groups P-256:X25519'
capture tls12-rsa '-tls1_2 -cipher AES256-SHA256' \
    '-tls1_2 -noservername -cipher AES256-SHA256:AES128-SHA'
capture tls13-resume '-tls1_3' '-tls1_3 -servername example.com' resume
capture tls12-resume '-tls1_2 -no_ticket' '-tls1_2 -servername example.com' resume
capture tls13-keylog '-tls1_3 -alpn h2,http/1.1' \
    '-tls1_3 -servername example.com -alpn h2,http/1.1' keylog
capture tls13-chacha-keylog '-tls1_3 -groups X25519 -ciphersuites TLS_CHACHA20_POLY1305_SHA256' \
    '-tls1_3 -servername hrr.example -groups P-256:X25519 -ciphersuites TLS_CHACHA20_POLY1305_SHA256' keylog
capture tls13-aes128-keylog '-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256' \
    '-tls1_3 -servername example.com -ciphersuites TLS_AES_128_GCM_SHA256' keylog
