#!/bin/bash
# bench/tls.sh: TLS 1.3 (AES-256-GCM) over loopback, sockkit beside
# socat's OPENSSL, ncat --ssl and a minimal client and server on the same
# OpenSSL (bench/tls-min.c: the limit).
#
#   bulk: SIZE MiB (default 200) from the client's stdin to the server,
#         which drops it: MB/s (targets: sockkit >= 1.3x socat and ncat,
#         >= 0.85x the limit);
#   trace: the same bulk with connect --trace, the ladder decrypting
#         the handshake, beside without (root only; target >= 0.8x);
#   hs:   full handshakes per second a server takes, from one client
#         doing them one after another (tls-min hs, no resumption):
#         sockkit listen -k --tls --mode discard beside tls-min's server
#         (target >= 0.9x).
# RUNS rounds (default 3) in both placements; medians and ratios.
#
#	bench/tls.sh [SIZE_MIB] [RUNS] [HANDSHAKES]
. "$(dirname "$0")/lib.sh"
need socat ncat taskset openssl cc python3 ss

SIZE=${1:-200}
RUNS=${2:-3}
HS=${3:-2000}
cc -O2 -o "$WORK/tls-min" "$BENCH_DIR/tls-min.c" -lssl -lcrypto || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 -subj /CN=localhost \
    2>/dev/null || exit 1
head -c $((SIZE * 1048576)) /dev/urandom >"$WORK/data"
C=$WORK/cert.pem K=$WORK/key.pem
# --trace captures: as root only.
TRACE= BULK="sockkit socat ncat limit"
[ "$(id -u)" = 0 ] && TRACE=1 BULK="sockkit sockkit-trace socat ncat limit"

# server NAME PORT: the bulk server NAME on PORT, output dropped.
server() {
	case $1 in
	sockkit*) "$SOCKKIT" listen --tls --cert "$C" --key "$K" 127.0.0.1 "$2" \
		    </dev/null ;;
	socat)	socat -u OPENSSL-LISTEN:"$2",bind=127.0.0.1,reuseaddr,cert="$C",key="$K",verify=0 \
		    OPEN:/dev/null ;;
	ncat)	ncat --ssl --ssl-cert "$C" --ssl-key "$K" --recv-only -l 127.0.0.1 "$2" ;;
	limit)	"$WORK/tls-min" server "$2" "$C" "$K" ;;
	esac >/dev/null 2>"$WORK/server.err"
}

# client NAME PORT: the bulk client, the data on stdin.
client() {
	case $1 in
	sockkit) "$SOCKKIT" connect --tls --insecure 127.0.0.1 "$2" 2>/dev/null ;;
	sockkit-trace) "$SOCKKIT" connect --tls --insecure --trace 127.0.0.1 \
		    "$2" 2>/dev/null ;;
	socat)	socat -u STDIN OPENSSL:127.0.0.1:"$2",verify=0 ;;
	ncat)	ncat --ssl --send-only 127.0.0.1 "$2" ;;
	limit)	"$WORK/tls-min" send "$2" ;;
	esac <"$WORK/data" >/dev/null
}

# bulk NAME PLACEMENT: MB/s of one transfer, start to the server's end
# (tls-min's server serves on: to the client's end).
bulk() {
	local port spid t0 t1
	port=$(free_port)
	taskset -c "$(cpu_server "$2")" bash -c "$(declare -f server); \
	    WORK=$WORK C=$C K=$K SOCKKIT=$SOCKKIT server $1 $port" &
	spid=$!
	wait_listening "$port" || return 1
	t0=$(now)
	taskset -c "$(cpu_client "$2")" bash -c "$(declare -f client); \
	    WORK=$WORK SOCKKIT=$SOCKKIT client $1 $port"
	[ "$1" = limit ] || wait_gone "$spid" >/dev/null
	t1=$(now)
	pkill -P "$spid" 2>/dev/null; kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
	awk -v s="$SIZE" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", s * 1.048576 / (b - a) }'
}

# hs NAME PLACEMENT: handshakes per second of server NAME.
hs() {
	local port spid t0 t1
	port=$(free_port)
	if [ "$1" = sockkit ]; then
		taskset -c "$(cpu_server "$2")" "$SOCKKIT" listen -k --tls \
		    --cert "$C" --key "$K" --mode discard --max-conns 1000 \
		    127.0.0.1 "$port" </dev/null 2>/dev/null &
	else
		taskset -c "$(cpu_server "$2")" "$WORK/tls-min" server "$port" \
		    "$C" "$K" >/dev/null &
	fi
	spid=$!
	wait_listening "$port" || return 1
	t0=$(now)
	taskset -c "$(cpu_client "$2")" "$WORK/tls-min" hs "$port" "$HS"
	t1=$(now)
	kill "$spid"; wait "$spid" 2>/dev/null
	awk -v n="$HS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}

for pl in $PLACEMENTS; do
	for r in $(seq "$RUNS"); do
		for t in $BULK; do
			echo "$(bulk $t "$pl")" >>"$WORK/bulk.$pl.$t"
		done
		for t in sockkit limit; do
			echo "$(hs $t "$pl")" >>"$WORK/hs.$pl.$t"
		done
	done
	for t in $BULK; do
		eval "b_${t/-/_}=\$(median <\"\$WORK/bulk.$pl.$t\")"
	done
	hs_sk=$(median <"$WORK/hs.$pl.sockkit")
	hs_lim=$(median <"$WORK/hs.$pl.limit")
	# Ratios round by round: "MEDIAN MIN-MAX" (lib.sh's record_rounds).
	B=$WORK/bulk.$pl
	r_socat=$(per_round "$B.sockkit" "$B.socat" |
	    record_rounds "tls bulk vs socat" "$pl" 1.3)
	r_ncat=$(per_round "$B.sockkit" "$B.ncat" |
	    record_rounds "tls bulk vs ncat" "$pl" 1.3)
	r_lim=$(per_round "$B.sockkit" "$B.limit" |
	    record_rounds "tls bulk vs limit" "$pl" 0.85)
	r_hs=$(per_round "$WORK/hs.$pl.sockkit" "$WORK/hs.$pl.limit" |
	    record_rounds "tls handshakes vs limit" "$pl" 0.9)
	echo "placement $pl: bulk MB/s sockkit $b_sockkit, socat $b_socat, ncat $b_ncat, limit $b_limit"
	echo "  sockkit/socat $r_socat (>= 1.3), sockkit/ncat $r_ncat (>= 1.3)," \
	    "sockkit/limit $r_lim (>= 0.85)"
	[ -n "$TRACE" ] && echo "  --trace: sockkit $b_sockkit_trace MB/s," \
	    "traced/untraced $(per_round "$B.sockkit-trace" "$B.sockkit" |
	    record_rounds "tls --trace vs without" "$pl" 0.8) (>= 0.8)"
	echo "  handshakes/s sockkit $hs_sk, limit $hs_lim: sockkit/limit $r_hs (>= 0.9)"
done
