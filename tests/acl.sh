#!/bin/bash
# tests/acl.sh: --allow and --deny of listen and udp -l with IPv4 and IPv6
# blocks: prefixes that do not end on an octet, ::1/128 allowed against
# denied, several allows, a deny inside an allow in either order (a deny
# always wins), clients from 127.0.0.1, 127.0.0.2 and ::1 on a dual-stack
# listener; and a table of rule forms (IPv4, IPv4-mapped IPv6, ::/0,
# 0.0.0.0/0...) x listener kinds (-4, -6, dual stack, 127.0.0.1) x clients
# (127.0.0.1, ::1): a rule means the same whatever the listener.
. "$srcdir/lib.sh"
need_cmd python3
[ -e /proc/net/if_inet6 ] || skip_all "needs IPv6"

# tcp_case WANT SRC DST RULES...: a listen -k --mode echo with RULES; a
# client from SRC to DST is served (WANT yes) or refused with the rule
# named (WANT no, or the expected rule text).
tcp_case() {
	_want=$1 _src=$2 _dst=$3; shift 3
	bg "$SOCKKIT" listen -k --mode echo "$@" 0 2>"$TMP/t.err"
	_pid=$!
	_port=$(listen_port "$TMP/t.err")
	_got=$(printf hi | timeout 10 "$SOCKKIT" connect -s "$_src" "$_dst" \
	    "$_port" 2>/dev/null)
	if [ "$_want" = yes ]; then
		is "$_got" hi "listen $*: $_src served"
	else
		is "$_got" "" "listen $*: $_src refused"
		wait_for_line "$TMP/t.err" denied 5
		like "$(cat "$TMP/t.err")" \
		    "connection from ${_src//./\\.} port [0-9]+ denied \\($_want\\)$" \
		    "listen $*: $_src: the message names the rule"
	fi
	kill $_pid
	wait_pid $_pid 5
}

# udp_case WANT SRC DST RULES...: the same for udp -l --mode echo.
udp_case() {
	_want=$1 _src=$2 _dst=$3; shift 3
	bg "$SOCKKIT" udp -l -v --mode echo "$@" 0 2>"$TMP/u.err"
	_pid=$!
	_port=$(listen_port "$TMP/u.err")
	if [ "$_want" = yes ]; then
		"$SOCKKIT" udp -z -w 5 -s "$_src" "$_dst" "$_port" >/dev/null
		is $? 0 "udp -l $*: $_src answered"
	else
		"$SOCKKIT" udp -w 0.2 --data x -s "$_src" "$_dst" "$_port" \
		    >"$TMP/u.out" 2>/dev/null
		wait_for_line "$TMP/u.err" dropped 5
		like "$(cat "$TMP/u.err")" \
		    "datagram from ${_src//./\\.} port [0-9]+ dropped \\($_want\\)" \
		    "udp -l $*: $_src dropped, the rule named"
		is "$(cat "$TMP/u.out")" "" "udp -l $*: $_src got nothing"
	fi
	kill $_pid
	wait_pid $_pid 5
}

NOT="not in any --allow block"

# re TEXT: TEXT as an extended regex that matches only itself.
re() { printf '%s' "$1" | sed 's/[][\.*^$/+?(){}|]/\\&/g'; }

# table_cell LISTENER CLIENT WANT WHY RULE...: against the running
# listener ($port, stderr in $TMP/a.err), a client from CLIENT is served
# (WANT yes) or refused with WHY named in the server's message.
table_cell() {
	_l=$1 _c=$2 _want=$3 _why=$4; shift 4
	_got=$(printf hi | timeout 10 "$SOCKKIT" connect "$_c" "$port" \
	    2>/dev/null)
	if [ "$_want" = yes ]; then
		is "$_got" hi "listen $_l $*: $_c served"
		return
	fi
	_re="connection from $(re "$_c") port [0-9]+"
	_re="$_re denied \\($(re "$_why")\\)$"
	wait_for_line "$TMP/a.err" "$_re" 5
	_msg=$(grep denied "$TMP/a.err" | tail -n 1)
	if [ -z "$_got" ] && printf '%s\n' "$_msg" | grep -Eq -- "$_re"; then
		ok 0 "listen $_l $*: $_c refused ($_why)"
	else
		ok 1 "listen $_l $*: $_c refused ($_why)"
		echo "#   got: '$_got', server said: '$_msg'"
	fi
}

# Each line: allow|deny RULE, then whether 127.0.0.1 and ::1 are served.
# ::/0 is every address, IPv4 ones included (a dual-stack socket sees them
# as ::ffff:0:0/96); 0.0.0.0/0 is every IPv4 address and no IPv6 one.
while read -r kind rule v4 v6; do
	[ "$kind" = deny ] && why="--deny $rule" || why=$NOT
	for l in -4 -6 dual 127.0.0.1; do
		case $l in
		-4) largs="-4 0" clients=127.0.0.1 ;;
		-6) largs="-6 0" clients=::1 ;;
		dual) largs=0 clients="127.0.0.1 ::1" ;;
		*) largs="$l 0" clients=127.0.0.1 ;;
		esac
		# shellcheck disable=SC2086
		bg "$SOCKKIT" listen -k --mode echo --"$kind" "$rule" $largs \
		    2>"$TMP/a.err"
		pid=$!
		port=$(listen_port "$TMP/a.err")
		for c in $clients; do
			[ "$c" = ::1 ] && want=$v6 || want=$v4
			table_cell "$l" "$c" "$want" "$why" "--$kind" "$rule"
		done
		kill $pid
		wait_pid $pid 5
	done
done <<'EOF'
deny ::ffff:127.0.0.1 no yes
deny ::ffff:127.0.0.0/104 no yes
deny ::ffff:0:0/96 no yes
deny 127.0.0.0/8 no yes
deny 0.0.0.0/0 no yes
deny ::/0 no no
deny ::/80 no no
deny ::/96 yes no
deny ::1 yes no
allow ::ffff:127.0.0.0/104 yes no
allow 0.0.0.0/0 yes no
allow ::/0 yes yes
allow ::1/128 no yes
EOF

# ::1/128: allowed, then denied; IPv4 clients the other way round.
tcp_case yes ::1 ::1 --allow ::1/128
tcp_case "$NOT" 127.0.0.1 127.0.0.1 --allow ::1/128
tcp_case "--deny ::1/128" ::1 ::1 --deny ::1/128
tcp_case yes 127.0.0.1 127.0.0.1 --deny ::1/128
# IPv6 and IPv4 prefixes that do not end on an octet.
tcp_case yes ::1 ::1 --allow ::/127
tcp_case "$NOT" ::1 ::1 --allow ::2/127
tcp_case yes 127.0.0.1 127.0.0.1 --allow 127.0.0.0/31
tcp_case "$NOT" 127.0.0.2 127.0.0.1 --allow 127.0.0.0/31
# Several allows; a deny inside an allow wins, in either order.
tcp_case yes 127.0.0.2 127.0.0.1 --allow ::1 --allow 127.0.0.2/32
tcp_case "--deny 127.0.0.2/32" 127.0.0.2 127.0.0.1 \
    --allow 127.0.0.0/8 --deny 127.0.0.2/32
tcp_case "--deny 127.0.0.2/32" 127.0.0.2 127.0.0.1 \
    --deny 127.0.0.2/32 --allow 127.0.0.0/8
tcp_case yes 127.0.0.1 127.0.0.1 --deny 127.0.0.2/32 --allow 127.0.0.0/8
tcp_case "--deny ::1" ::1 ::1 --deny ::1 --allow ::/64

udp_case yes ::1 ::1 --allow ::1/128
udp_case "$NOT" 127.0.0.1 127.0.0.1 --allow ::1/128
udp_case "--deny ::1/128" ::1 ::1 --deny ::1/128
udp_case yes 127.0.0.1 127.0.0.1 --deny ::1/128
udp_case yes ::1 ::1 --allow ::/127
udp_case "$NOT" 127.0.0.2 127.0.0.1 --allow 127.0.0.0/31
udp_case "--deny 127.0.0.2/32" 127.0.0.2 127.0.0.1 \
    --deny 127.0.0.2/32 --allow 127.0.0.0/8
udp_case yes 127.0.0.1 127.0.0.1 --allow 127.0.0.0/8 --deny 127.0.0.2/32
udp_case "--deny ::1" ::1 ::1 --allow ::/64 --deny ::1
done_testing
