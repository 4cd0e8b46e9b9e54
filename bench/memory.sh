#!/bin/bash
# bench/memory.sh: peak memory (maximum resident set, /usr/bin/time %M) of
# the receiving end of a loopback transfer, sockkit beside nc, ncat and
# socat.  Prints KiB and sockkit's ratios (below 1: sockkit uses less).
#
#	bench/memory.sh [SIZE_MIB]
. "$(dirname "$0")/lib.sh"
need nc ncat socat taskset ss python3 /usr/bin/time

MIB=${1:-1024}

# peak NAME SERVER CLIENT: the server's peak KiB for one transfer of MIB.
peak() {
	local port pid
	port=$(free_port)
	/usr/bin/time -f %M -o "$WORK/$1.kib" bash -c "exec ${2//PORT/$port}" \
	    >/dev/null 2>/dev/null &
	pid=$!
	wait_listening "$port" || return 1
	head -c "$((MIB * 1024 * 1024))" /dev/zero |
	    bash -c "exec ${3//PORT/$port}" >/dev/null 2>&1
	wait_gone "$pid" >/dev/null
	tail -n 1 "$WORK/$1.kib"
}

TOOLS=(
"sockkit|$SOCKKIT listen 127.0.0.1 PORT|$SOCKKIT connect 127.0.0.1 PORT"
"nc|nc -l 127.0.0.1 PORT|nc -N 127.0.0.1 PORT"
"ncat|ncat -l 127.0.0.1 PORT|ncat --send-only 127.0.0.1 PORT"
"socat|socat -u TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr STDOUT|socat -u STDIN TCP:127.0.0.1:PORT"
)

describe_machine
echo "# peak resident memory of the receiver, $MIB MiB over loopback, KiB"
declare -A kib
for t in "${TOOLS[@]}"; do
	IFS='|' read -r name server client <<<"$t"
	kib[$name]=$(peak "$name" "$server" "$client")
	printf '%-8s %8s KiB\n' "$name" "${kib[$name]}"
done
for p in nc ncat socat; do
	v=$(ratio "${kib[sockkit]}" "${kib[$p]}")
	printf 'sockkit / %-6s %s\n' "$p" "$v"
	record "peak memory, relay receiver: sockkit / $p" - "$v" ""
done
