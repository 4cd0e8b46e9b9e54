#!/bin/bash
# tests/nc-compat.sh: a table of nc command lines, each run with OpenBSD
# nc and with sockkit's nc (as "sockkit nc", and as a link named nc)
# against the same peers: the bytes each received (its stdout, and what
# its peer got back) and its exit status must be the same.  A row marked
# "differs" is a difference sockkit makes on purpose; the row checks that
# it still is that one.
. "$srcdir/lib.sh"
need_cmd socat python3
command -v nc >/dev/null && nc -h 2>&1 | grep -q OpenBSD ||
    skip_all "nc is not OpenBSD's netcat (Debian: netcat-openbsd)"
NC=$(command -v nc)
mkdir -p "$TMP/bin"
ln -s "$SOCKKIT" "$TMP/bin/nc"

# The inputs.
: >"$TMP/in.none"
printf abc >"$TMP/in.abc"
printf 'one\ntwo\n' >"$TMP/in.lines"
printf 'reply\n' >"$TMP/in.reply"
head -c 102400 /dev/urandom >"$TMP/in.big"

# The peers, forking servers that outlive the rows.
# peer NAME ADDRESS: a socat server on a port of its own ($NAME).
peer() {
	_p=$(free_port)
	bg socat TCP-LISTEN:"$_p",bind=127.0.0.1,fork,reuseaddr "$2" \
	    >/dev/null 2>&1
	wait_listening "$_p"
	eval "$1=$_p"
}
peer BANNER SYSTEM:'echo hello'
peer WC SYSTEM:'wc -c'
peer ECHO EXEC:cat
peer HEAD SYSTEM:'head -n 1'
B6=$(free_port)
bg socat TCP6-LISTEN:"$B6",bind='[::1]',fork,reuseaddr SYSTEM:'echo hello6' \
    >/dev/null 2>&1
wait_listening "$B6"
bg socat UNIX-LISTEN:"$TMP/banner.sock",fork SYSTEM:'echo unix' >/dev/null 2>&1
bg socat UNIX-LISTEN:"$TMP/wc.sock",fork SYSTEM:'wc -c' >/dev/null 2>&1
U=$(free_port)
# -T 3: a child per sender, which UDP never closes, ends when idle (else
# it would hold the test's stdout open after the test).
bg socat -T 3 UDP-LISTEN:"$U",bind=127.0.0.1,fork,reuseaddr EXEC:cat \
    >/dev/null 2>&1
wait_listening "$U" udp
wait_until 5 test -S "$TMP/wc.sock"
CLOSED=$(free_port)
MS=
if command -v microsocks >/dev/null; then
	MS=$(free_port)
	bg microsocks -i 127.0.0.1 -p "$MS" >/dev/null 2>&1
	wait_listening "$MS"
fi

# summary FILE RC: what a run received and how it ended, in one line.
summary() {
	printf 'rc=%s bytes=%s %s' "$2" "$(wc -c <"$1")" \
	    "$(head -c 40 "$1" | od -An -c | tr -s ' \n' ' ')"
}

# The client rows: INPUT|ARGS (variables expanded at run time; $SP is a
# fresh source port each run)|differs (optional).
clients=(
	'none|127.0.0.1 $BANNER'
	'none|-v 127.0.0.1 $BANNER'
	'none|-n 127.0.0.1 $BANNER'
	'none|-4 localhost $BANNER'
	'none|-N 127.0.0.1 $BANNER'
	'none|-q 5 127.0.0.1 $BANNER'
	'none|-w 5 127.0.0.1 $BANNER'
	'none|-d 127.0.0.1 $BANNER'
	'none|-s 127.0.0.1 127.0.0.1 $BANNER'
	'none|-p $SP 127.0.0.1 $BANNER'
	'none|-vn -w 3 127.0.0.1 $BANNER'
	'abc|-N 127.0.0.1 $WC'
	'big|-N 127.0.0.1 $WC'
	'lines|-N -C 127.0.0.1 $WC'
	'lines|-N -q 5 127.0.0.1 $WC'
	'lines|127.0.0.1 $HEAD'
	'lines|-N 127.0.0.1 $HEAD'
	'lines|-C 127.0.0.1 $HEAD'
	'lines|-N 127.0.0.1 $ECHO'
	'big|-N 127.0.0.1 $ECHO'
	'none|127.0.0.1 $CLOSED'
	'none|-v 127.0.0.1 $CLOSED'
	'none|-w 2 127.0.0.1 $CLOSED'
	'none|-z 127.0.0.1 $BANNER'
	'none|-zv 127.0.0.1 $BANNER'
	'none|-z 127.0.0.1 $CLOSED'
	'none|-zv 127.0.0.1 $CLOSED'
	'none|-z -w 2 127.0.0.1 $BANNER'
	'none|-zn 127.0.0.1 $BANNER-$((BANNER + 1))'
	'none|-zv 127.0.0.1 $CLOSED-$((CLOSED + 1))'
	'none|-n -z localhost $BANNER'
	'none|-6 ::1 $B6'
	'none|-6 -N ::1 $B6'
	'none|-U $TMP/banner.sock'
	'abc|-N -U $TMP/wc.sock'
	'lines|-u -w 1 127.0.0.1 $U'
	'lines|-u -w 1 -n 127.0.0.1 $U'
)
if [ -n "$MS" ]; then
	clients+=(
	'none|-X 5 -x 127.0.0.1:$MS 127.0.0.1 $BANNER'
	'none|-x 127.0.0.1:$MS 127.0.0.1 $BANNER'
	'abc|-N -X 5 -x 127.0.0.1:$MS 127.0.0.1 $WC'
	'lines|-x 127.0.0.1:$MS 127.0.0.1 $HEAD'
	)
fi

# The listening rows: INPUT|ARGS ($LP a fresh port, $LS a fresh socket
# path)|the client: tcp, tcp2 (two in turn), tcp6, unix, udp|wait for
# the listener's end, or kill it once the client is done (no status).
listeners=(
	'none|-l $LP|tcp|wait'
	'none|-l -p $LP|tcp|wait'
	'none|-l 127.0.0.1 $LP|tcp|wait'
	'none|-l -s 127.0.0.1 -p $LP|tcp|wait'
	'reply|-l -N $LP|tcp|wait'
	'none|-lv $LP|tcp|wait'
	'none|-l -4 $LP|tcp|wait'
	'none|-l -6 ::1 $LP|tcp6|wait'
	'none|-lU $LS|unix|wait'
	'none|-lu 127.0.0.1 $LP|udp|kill'
	'lines|-l -N -C $LP|tcp|wait'
	'none|-lk $LP|tcp2|kill'
	'none|-l -d $LP|tcp|wait'
	'none|-l -n 127.0.0.1 $LP|tcp|wait'
	'none|-l -vn $LP|tcp|wait'
)

plan $(( ${#clients[@]} + ${#listeners[@]} ))

# client_run OUT IMPL... (INPUT and ARGS set): run, stdout to OUT; the
# summary in $sum.
client_run() {
	_out=$1; shift
	case $args in *'$SP'*) SP=$(free_port) ;; esac
	eval "set -- \"\$@\" $args"
	timeout 10 "$@" <"$TMP/in.$input" >"$_out" 2>/dev/null
	sum=$(summary "$_out" $?)
}

for row in "${clients[@]}"; do
	IFS='|' read -r input args differs <<<"$row"
	client_run "$TMP/nc.out" "$NC"
	want=$sum
	client_run "$TMP/sk.out" "$SOCKKIT" nc
	is "$sum" "$want" "nc $(eval "echo $args") <$input"
done

# talk KIND PORT-OR-PATH: the client of a listening row; what it got
# back in $TMP/client.out.
talk() {
	case $1 in
	tcp|tcp2) _a=TCP:127.0.0.1:$2 ;;
	tcp6) _a=TCP6:[::1]:$2 ;;
	unix) _a=UNIX-CONNECT:$2 ;;
	udp) printf 'dgram\n' | socat -u - UDP:127.0.0.1:"$2"; return ;;
	esac
	printf 'hi\n' | timeout 10 socat -t 3 - "$_a" >"$TMP/client.out" 2>/dev/null
	if [ "$1" = tcp2 ]; then
		wait_listening "$2"
		printf 'again\n' | timeout 10 socat -t 3 - "$_a" >>"$TMP/client.out" 2>/dev/null
	fi
}

# listener_run IMPL...: one listening row; the summary in $sum.
listener_run() {
	LP=$(free_port)
	LS=$TMP/l.$RANDOM.sock
	eval "set -- \"\$@\" $args"
	: >"$TMP/client.out"
	bg "$@" <"$TMP/in.$input" >"$TMP/l.out" 2>/dev/null
	_l=$!
	case $kind in
	unix) wait_until 5 test -S "$LS"; _to=$LS ;;
	udp) wait_listening "$LP" udp; _to=$LP ;;
	*) wait_listening "$LP"; _to=$LP ;;
	esac
	talk "$kind" "$_to"
	if [ "$end" = kill ]; then
		wait_for_line "$TMP/l.out" "${kind/tcp2/again}" 5
		[ "$kind" = tcp2 ] && wait_for_line "$TMP/l.out" again 5
		kill "$_l" 2>/dev/null
		wait "$_l" 2>/dev/null
		_rc=-
	else
		wait_pid "$_l" 10
		_rc=$?
	fi
	sum="$(summary "$TMP/l.out" "$_rc") / client: $(summary "$TMP/client.out" -)"
}

for row in "${listeners[@]}"; do
	IFS='|' read -r input args kind end <<<"$row"
	listener_run "$NC"
	want=$sum
	listener_run "$TMP/bin/nc"
	is "$sum" "$want" "nc $args <$input ($kind client)"
done
done_testing
