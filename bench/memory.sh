#!/bin/bash
# bench/memory.sh: peak memory (maximum resident set, /usr/bin/time %M) of
# the receiving end of a loopback transfer, sockkit beside nc, ncat and
# socat.  Prints KiB and sockkit's ratios (below 1: sockkit uses less).
# Then the pictures' budget: view --summary --html over 10^6 up to RECORDS
# (10^8: 1.6 GB of record headers, streamed from a generator, never
# stored) empty records, and --svg --html over 100k conversations; the
# peak must not grow with the count.
#
#	bench/memory.sh [SIZE_MIB [RECORDS]]	(SIZE_MIB 0: the pictures only)
. "$(dirname "$0")/lib.sh"
need python3 /usr/bin/time

MIB=${1:-1024}
RECORDS=${2:-100000000}
GEN="python3 $BENCH_DIR/../tests/svg-helper.py"

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

# relay: the receivers' peaks and sockkit's ratios.
relay() {
	local t name server client p v
	declare -A kib
	need nc ncat socat taskset ss
	echo "# peak resident memory of the receiver, $MIB MiB over loopback, KiB"
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
}

describe_machine
[ "$MIB" -gt 0 ] && relay

# view_peak KIND N ARGS...: the peak KiB of sockkit view ARGS over a
# generated capture read from a pipe.  (Empty records are packets view
# cannot draw: it says so and exits 1, which is no failure here; only a
# run that gives no peak is.)
view_peak() {
	local kind=$1 n=$2 kib
	shift 2
	$GEN "$kind" "$n" | /usr/bin/time -f %M -o "$WORK/view.kib" \
	    "$SOCKKIT" view "$@" - >/dev/null 2>"$WORK/view.err"
	kib=$(tail -n 1 "$WORK/view.kib")
	case $kib in
	''|*[!0-9]*) cat "$WORK/view.err" >&2; exit 1 ;;
	esac
	echo "$kib"
}

echo "# the pictures' budget: peak resident memory of sockkit view, KiB"
base=$(view_peak empty 1000000 --summary)
printf '%-44s %8s KiB\n' "10^6 empty records, --summary" "$base"
n=1000000
while [ "$n" -le "$RECORDS" ]; do
	t0=$SECONDS
	kib=$(view_peak empty "$n" --summary --html "$WORK/e.html")
	printf '%-44s %8s KiB  (page %s bytes, %s s)\n' \
	    "$n empty records, --summary --html" "$kib" \
	    "$(stat -c %s "$WORK/e.html")" "$((SECONDS - t0))"
	[ "$n" = 1000000 ] && first=$kib
	last=$kib
	n=$((n * 10))
done
# Bounded memory: the peak at 10^6 records over the peak at the most
# (higher is better, as every row of the table; 1 is flat).
v=$(ratio "$first" "$last")
printf 'peak at 10^6 records / at %s: %s\n' "$RECORDS" "$v"
record "peak memory, view --html: 10^6 / $RECORDS empty records" - "$v" \
    "0.9"
kib=$(view_peak udp 100000 --summary --svg "$WORK/c.svg" --html \
    "$WORK/c.html")
base=$(view_peak udp 100000 --summary)
printf '%-44s %8s KiB (without pictures %s KiB)\n' \
    "100k conversations, --svg --html" "$kib" "$base"
v=$(ratio "$kib" "$base")
record "peak memory, view 100k conversations: --svg --html / none" - \
    "$v" ""
