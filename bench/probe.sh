#!/bin/bash
# bench/probe.sh: "sockkit probe" side by side with "nmap -sT", in network
# namespaces this script creates and deletes.  Not a test: it prints
# medians and ratios.
#
#   1. all 65535 ports of 127.0.0.1 in a namespace with 5 listeners, against
#      nmap -sT -p- -n -Pn --min-rate 50000 and nmap's default timing, and
#      against the limit: bench/connect-loop.c, a minimal two-thread
#      non-blocking connect loop (pinned as sockkit is); and sockkit's --open
#      table streamed (each open port as it is settled) against the same
#      table printed at the end (--open --sorted: one host, done at the end);
#   2. ports 1-5000 over a 20 ms RTT link (a TUN delay line, bench/delayline.c,
#      since this kernel has no netem) where 1,000 ports are dropped, against
#      nmap -sT -T4, with the classifications compared port by port;
#   3. the same with 5% random loss (nftables numgen): no open port missed;
#   4. 256 hosts (10.99.0.0/24, every address of the far namespace) behind
#      the same 20 ms line, ports 1-1000 of each, 5 open and 100 dropped
#      (10%), against nmap -sT -T4, the classes compared host by host.
#
# Every figure in two placements, pinned with taskset: everything on CPU 0
# ("one CPU"), or the prober on CPU 0 and the listeners and the delay line
# on CPU 1 ("two CPUs").
#
# usage: sudo SOCKKIT=./sockkit bench/probe.sh [RUNS]   (default 3 runs)
#        CASES="1 2" limits the cases, PLACEMENTS="one" the placements.
# Build sockkit without --enable-debug for meaningful numbers.

set -u
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
SOCKKIT=${SOCKKIT:-$HERE/../sockkit}
# SOCKKIT and BENCH_RECORD given relative to where this started must hold
# after a cd: made absolute (a bare command name stays a PATH lookup).
case $SOCKKIT in /*) ;; */*) SOCKKIT=$(pwd)/$SOCKKIT ;; esac
case ${BENCH_RECORD:-/} in /*) ;; *) BENCH_RECORD=$(pwd)/$BENCH_RECORD ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockkit-bench.XXXXXX")
NS="skb$$"
PIDS=
OPEN1="22 80 443 8080 40000"
OPEN2="22 80 443 3306 4999"
OPEN4="21 25 110 631 900"	# none of OPEN2, whose listeners link() starts
HOSTS4=${HOSTS4:-256}

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for n in l c t; do ip netns del "$NS$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "bench/probe.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for c in ip nft nmap taskset cc python3; do
	command -v $c >/dev/null || die "needs $c"
done
[ -x "$SOCKKIT" ] || die "no sockkit at $SOCKKIT (set SOCKKIT=)"
cc -O2 -o "$TMP/delayline" "$HERE/delayline.c" || die "cannot build delayline"
cc -O2 -pthread -o "$TMP/connect-loop" "$HERE/connect-loop.c" ||
    die "cannot build connect-loop"

# listen NS CPU ADDR PORTS...: sockkit listeners pinned to CPU.
listen() {
	_ns=$1 _cpu=$2 _addr=$3; shift 3
	for p in "$@"; do
		ip netns exec "$_ns" taskset -c "$_cpu" "$SOCKKIT" listen -k \
		    --mode discard "$_addr" "$p" </dev/null >/dev/null \
		    2>"$TMP/l.$p" &
		PIDS="$PIDS $!"
	done
	sleep 0.5
}

# stop: end the listeners and the delay line of the last case.
stop() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=
}

# timed OUTFILE CMD...: run CMD, stdout to OUTFILE; prints seconds.
timed() {
	_out=$1; shift
	_t0=$EPOCHREALTIME
	"$@" >"$_out" 2>/dev/null
	_t1=$EPOCHREALTIME
	python3 -c "print('%.3f' % ($_t1 - $_t0))"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {
	print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# record WHAT PLACEMENT RATIO TARGET [MIN-MAX]: a line for
# bench/run-all.sh.
record() {
	[ -n "${BENCH_RECORD:-}" ] || return 0
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "${5:-}" \
	    >>"$BENCH_RECORD"
}

# rounds "A1 A2..." "B1 B2...": A over B round by round, "MEDIAN MIN-MAX".
rounds() {
	paste -d' ' <(tr ' ' '\n' <<<"$1" | grep .) \
	    <(tr ' ' '\n' <<<"$2" | grep .) |
	    awk '$1 > 0 && $2 > 0 { print $1 / $2 }' | sort -g |
	    awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a n/a"; exit }
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.2f %.2f-%.2f\n", m, a[1], a[NR] }'
}

# record_r WHAT PLACEMENT "MEDIAN MIN-MAX" TARGET: record rounds' figure.
record_r() { record "$1" "$2" "${3%% *}" "$4" "${3#* }"; }

# states FILE: "PORT STATE" lines from sockkit --json or nmap -oX output,
# one per port in 1..MAX (nmap's unlisted ports take its extraports state).
states() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
top = int(sys.argv[2])
st = {}
if text.lstrip().startswith("<"):
    for state, body in re.findall(
            r'<extraports state="([^"]+)"[^>]*>(.*?)</extraports>', text,
            re.S):
        for ports in re.findall(r'ports="([^"]+)"', body):
            for r in ports.split(","):
                a, _, b = r.partition("-")
                for p in range(int(a), int(b or a) + 1):
                    st[p] = state
    for p, s in re.findall(r'portid="(\d+)"><state state="([^"]+)"', text):
        st[int(p)] = s
else:
    for line in text.splitlines():
        o = json.loads(line)
        if o["type"] == "port":
            st[o["port"]] = o["state"]
for p in range(1, top + 1):
    print(p, st.get(p, "closed"))
PY
}

# hoststates FILE: "HOST PORT STATE" lines from sockkit --json -a or nmap
# -oX output over several hosts, sorted (nmap's unlisted ports take the
# state of the extraports whose ports= names them).
hoststates() {
	python3 - "$1" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
st = {}
if text.lstrip().startswith("<"):
    for host in re.findall(r"<host\b.*?</host>", text, re.S):
        a = re.search(r'<address addr="([^"]+)" addrtype="ipv4"', host)
        if not a:
            continue
        for state, body in re.findall(
                r'<extraports state="([^"]+)"[^>]*>(.*?)</extraports>',
                host, re.S):
            for ports in re.findall(r'ports="([^"]+)"', body):
                for r in ports.split(","):
                    lo, _, hi = r.partition("-")
                    for p in range(int(lo), int(hi or lo) + 1):
                        st[a.group(1), p] = state
        for p, s in re.findall(r'portid="(\d+)"><state state="([^"]+)"',
                               host):
            st[a.group(1), int(p)] = s
else:
    for line in text.splitlines():
        o = json.loads(line)
        if o["type"] == "port":
            st[o["host"], o["port"]] = o["state"]
for (h, p), s in sorted(st.items(),
                        key=lambda k: (tuple(map(int, k[0][0].split("."))), k[0][1])):
    print(h, p, s)
PY
}

# openset FILE MAX: the open ports, space-separated.
openset() { states "$1" "$2" | awk '$2 == "open" { printf "%s ", $1 }' |
    sed 's/ $//'; }

# case1 CPU: 65535 ports of loopback, 5 listeners on CPU.
case1() {
	ip netns add "${NS}l" && ip -n "${NS}l" link set lo up
	listen "${NS}l" "$1" 127.0.0.1 $OPEN1
	s= n= d= z= lim= st= en= exact=0 nexact=0 zexact=0 lexact=0
	for i in $(seq 1 "$RUNS"); do
		lim="$lim $(timed "$TMP/l1" ip netns exec "${NS}l" taskset -c 0 \
		    "$TMP/connect-loop")"
		[ "$(tr '\n' ' ' <"$TMP/l1" | sed 's/ $//')" = "$OPEN1" ] &&
		    lexact=$((lexact + 1))
		st="$st $(timed "$TMP/o1" ip netns exec "${NS}l" taskset -c 0 \
		    "$SOCKKIT" probe -p - --open 127.0.0.1)"
		en="$en $(timed "$TMP/o2" ip netns exec "${NS}l" taskset -c 0 \
		    "$SOCKKIT" probe -p - --open --sorted 127.0.0.1)"
		s="$s $(timed "$TMP/s1" ip netns exec "${NS}l" taskset -c 0 \
		    "$SOCKKIT" probe -p - --json 127.0.0.1)"
		[ "$(openset "$TMP/s1" 65535)" = "$OPEN1" ] && exact=$((exact + 1))
		n="$n $(timed "$TMP/n1" ip netns exec "${NS}l" taskset -c 0 \
		    nmap -sT -p- -n -Pn --min-rate 50000 -oX - 127.0.0.1)"
		[ "$(openset "$TMP/n1" 65535)" = "$OPEN1" ] && nexact=$((nexact + 1))
		d="$d $(timed "$TMP/d1" ip netns exec "${NS}l" taskset -c 0 \
		    nmap -sT -p- -n -Pn -oX - 127.0.0.1)"
		# nc -z reports on stderr: one "succeeded!" line per open port.
		z="$z $(timed "$TMP/z1" ip netns exec "${NS}l" taskset -c 0 \
		    sh -c 'nc -z -n -v -w1 127.0.0.1 1-65535 2>&1')"
		[ "$(grep -c succeeded "$TMP/z1")" = 5 ] &&
		    zexact=$((zexact + 1))
	done
	r_n=$(rounds "$n" "$s") r_z=$(rounds "$z" "$s")
	r_l=$(rounds "$s" "$lim") r_st=$(rounds "$st" "$en")
	s=$(echo $s | median) n=$(echo $n | median) d=$(echo $d | median)
	z=$(echo $z | median) lim=$(echo $lim | median)
	st=$(echo $st | median) en=$(echo $en | median)
	printf '  1. 65535 ports of 127.0.0.1: sockkit %ss, nmap --min-rate 50000 %ss (%sx), nmap default %ss (%sx), nc -z %ss (%sx); exact runs: sockkit %d/%d, nmap %d/%d, nc -z %d/%d\n' \
	    "$s" "$n" "$(ratio "$n" "$s")" "$d" "$(ratio "$d" "$s")" \
	    "$z" "$(ratio "$z" "$s")" $exact "$RUNS" $nexact "$RUNS" \
	    $zexact "$RUNS"
	record_r "probe 65535 ports: nmap --min-rate 50000 time / sockkit" \
	    "$PLACE" "$r_n" 2
	record_r "probe 65535 ports: nc -z time / sockkit" "$PLACE" "$r_z" ""
	printf '     the limit, connect-loop (2 threads): %ss, sockkit / limit %sx (target <= 1.3), exact %d/%d; --open streamed %ss vs at the end %ss (%sx, target within 5%%)\n' \
	    "$lim" "$(ratio "$s" "$lim")" $lexact "$RUNS" "$st" "$en" \
	    "$(ratio "$st" "$en")"
	record_r "probe 65535 ports: sockkit time / connect-loop" "$PLACE" \
	    "$r_l" "<=1.3"
	record_r "probe 65535 ports: --open streamed / at the end" "$PLACE" \
	    "$r_st" "<=1.05"
	stop
	ip netns del "${NS}l"
}

# link CPU: namespaces c and t joined by the delay line (10 ms each way,
# pinned to CPU), 5 listeners in t, SYNs to 1001-2000 dropped.
link() {
	ip netns add "${NS}c" && ip netns add "${NS}t" || return 1
	ip -n "${NS}c" link set lo up
	ip -n "${NS}t" link set lo up
	taskset -c "$1" "$TMP/delayline" "${NS}c" dlc "${NS}t" dlt 10 \
	    >"$TMP/dl.out" 2>"$TMP/dl.err" &
	PIDS="$PIDS $!"
	sleep 0.5
	ip -n "${NS}c" addr add 10.98.1.1 peer 10.98.1.2 dev dlc
	ip -n "${NS}t" addr add 10.98.1.2 peer 10.98.1.1 dev dlt
	ip -n "${NS}c" link set dlc up
	ip -n "${NS}t" link set dlt up
	ip netns exec "${NS}t" nft -f - <<NFT
table inet truth {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp flags & (syn | ack) == syn tcp dport 1001-2000 drop
	}
}
NFT
	listen "${NS}t" "$1" 10.98.1.2 $OPEN2
}

# truth: the expected "PORT STATE" lines for case 2.
truth() {
	for p in $(seq 1 5000); do
		case " $OPEN2 " in *" $p "*) echo "$p open"; continue ;; esac
		if [ $p -ge 1001 ] && [ $p -le 2000 ]; then echo "$p filtered"
		else echo "$p closed"; fi
	done
}

# case23 CPU LOSS: ports 1-5000 over the delay line, LOSS% random loss.
case23() {
	link "$1" || return
	if [ "$2" != 0 ]; then
		ip netns exec "${NS}t" nft -f - <<NFT
table inet loss {
	chain in {
		type filter hook input priority -10; policy accept;
		numgen random mod 100 < $2 drop
	}
}
NFT
	fi
	truth >"$TMP/truth"
	: >"$TMP/why"
	s= n= same=0 sexact=0 nexact=0 smiss=0 nmiss=0
	for i in $(seq 1 "$RUNS"); do
		s="$s $(timed "$TMP/s2" ip netns exec "${NS}c" taskset -c 0 \
		    "$SOCKKIT" probe -p 1-5000 -a --json 10.98.1.2)"
		n="$n $(timed "$TMP/n2" ip netns exec "${NS}c" taskset -c 0 \
		    nmap -sT -T4 -p 1-5000 -n -Pn -oX - 10.98.1.2)"
		states "$TMP/s2" 5000 >"$TMP/s2.st"
		states "$TMP/n2" 5000 >"$TMP/n2.st"
		cmp -s "$TMP/s2.st" "$TMP/n2.st" && same=$((same + 1))
		if cmp -s "$TMP/s2.st" "$TMP/truth"; then sexact=$((sexact + 1))
		else diff "$TMP/truth" "$TMP/s2.st" | grep '^>' | head -n 5 |
		    sed "s/^>/     run $i: sockkit said/" >>"$TMP/why"; fi
		cmp -s "$TMP/n2.st" "$TMP/truth" && nexact=$((nexact + 1))
		[ "$(openset "$TMP/s2" 5000)" = "$OPEN2" ] || smiss=$((smiss + 1))
		[ "$(openset "$TMP/n2" 5000)" = "$OPEN2" ] || nmiss=$((nmiss + 1))
	done
	r_n=$(rounds "$n" "$s")
	s=$(echo $s | median) n=$(echo $n | median)
	if [ "$2" = 0 ]; then
		printf '  2. 5000 ports, 20 ms RTT, 1000 dropped: sockkit %ss, nmap -T4 %ss (%sx); identical classification %d/%d runs, exact vs rules: sockkit %d/%d, nmap %d/%d\n' \
		    "$s" "$n" "$(ratio "$n" "$s")" $same "$RUNS" $sexact "$RUNS" \
		    $nexact "$RUNS"
		record_r "probe 20 ms RTT: nmap -T4 time / sockkit" "$PLACE" \
		    "$r_n" 3
	else
		printf '  3. the same with %s%% random loss: sockkit %ss, nmap -T4 %ss (%sx); runs with an open port missed: sockkit %d/%d, nmap %d/%d; fully exact: sockkit %d/%d, nmap %d/%d\n' \
		    "$2" "$s" "$n" "$(ratio "$n" "$s")" $smiss "$RUNS" $nmiss \
		    "$RUNS" $sexact "$RUNS" $nexact "$RUNS"
		record_r "probe 20 ms RTT, $2% loss: nmap -T4 time / sockkit" \
		    "$PLACE" "$r_n" ""
	fi
	stop
	cat "$TMP/why"
	sed 's/^/     /' "$TMP/dl.err"
	ip netns del "${NS}c"
	ip netns del "${NS}t"
}

# case4 CPU: HOSTS4 hosts (a power of 2, default 256) x ports 1-1000
# over the delay line.
case4() {
	link "$1" || return
	ip -n "${NS}c" route add 10.99.0.0/24 dev dlc
	for i in $(seq 0 $((HOSTS4 - 1))); do
		echo "address add 10.99.0.$i/32 dev lo"
	done | ip -n "${NS}t" -batch - || return
	ip netns exec "${NS}t" nft -f - <<NFT
table inet truth4 {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp flags & (syn | ack) == syn tcp dport 901-1000 drop
	}
}
NFT
	listen "${NS}t" "$1" 0.0.0.0 $OPEN4
	for i in $(seq 0 $((HOSTS4 - 1))); do
		for p in $(seq 1 1000); do
			case " $OPEN4 " in *" $p "*) echo "10.99.0.$i $p open"
			    continue ;; esac
			[ $p -ge 901 ] && echo "10.99.0.$i $p filtered" ||
			    echo "10.99.0.$i $p closed"
		done
	done >"$TMP/truth4"
	: >"$TMP/why"
	s= n= same=0 sexact=0 nexact=0
	# The block of HOSTS4 (a power of 2) addresses, in both tools' words.
	bits=0
	while [ $((1 << bits)) -lt "$HOSTS4" ]; do bits=$((bits + 1)); done
	block=10.99.0.0/$((32 - bits))
	for i in $(seq 1 "$RUNS"); do
		s="$s $(timed "$TMP/s4" ip netns exec "${NS}c" taskset -c 0 \
		    "$SOCKKIT" probe -p 1-1000 -a --json "$block")"
		n="$n $(timed "$TMP/n4" ip netns exec "${NS}c" taskset -c 0 \
		    nmap -sT -T4 -p 1-1000 -n -Pn -oX - "$block")"
		hoststates "$TMP/s4" >"$TMP/s4.st"
		hoststates "$TMP/n4" >"$TMP/n4.st"
		cmp -s "$TMP/s4.st" "$TMP/n4.st" && same=$((same + 1))
		if cmp -s "$TMP/s4.st" "$TMP/truth4"; then sexact=$((sexact + 1))
		else diff "$TMP/truth4" "$TMP/s4.st" | grep '^[<>]' | head -n 5 |
		    sed "s/^/     run $i: sockkit /" >>"$TMP/why"; fi
		cmp -s "$TMP/n4.st" "$TMP/truth4" && nexact=$((nexact + 1))
	done
	r_n=$(rounds "$n" "$s")
	s=$(echo $s | median) n=$(echo $n | median)
	printf '  4. %d hosts x 1000 ports, 20 ms RTT, 10%% dropped: sockkit %ss, nmap -T4 %ss (%sx); identical classification %d/%d runs, exact vs rules: sockkit %d/%d, nmap %d/%d\n' \
	    "$HOSTS4" "$s" "$n" "$(ratio "$n" "$s")" $same "$RUNS" $sexact \
	    "$RUNS" $nexact "$RUNS"
	record_r "probe $HOSTS4 hosts x 1000 ports, 20 ms RTT: nmap -T4 time / sockkit" \
	    "$PLACE" "$r_n" 3
	stop
	cat "$TMP/why"
	sed 's/^/     /' "$TMP/dl.err"
	ip netns del "${NS}c"
	ip netns del "${NS}t"
}

echo "sockkit probe vs nmap -sT, medians of $RUNS runs ($("$SOCKKIT" --version), $(nmap --version | head -n 1))"
for placement in "one CPU:0" "two CPUs:1"; do
	cpu=${placement#*:}
	[ "$cpu" = 0 ] && PLACE=same || PLACE=split
	case "${PLACEMENTS:-one two}" in *"${placement%% *}"*) ;; *) continue ;; esac
	echo "${placement%:*} (prober on CPU 0, listeners and delay line on CPU $cpu):"
	case " ${CASES:-1 2 3 4} " in *" 1 "*) case1 "$cpu" ;; esac
	case " ${CASES:-1 2 3 4} " in *" 2 "*) case23 "$cpu" 0 ;; esac
	case " ${CASES:-1 2 3 4} " in *" 3 "*) case23 "$cpu" 5 ;; esac
	case " ${CASES:-1 2 3 4} " in *" 4 "*) case4 "$cpu" ;; esac
done
