#!/bin/bash
# tests/demo-tcpinfo.sh: in every "sockkit demo" scenario, each TCP_INFO
# sample the demo prints agrees with the state the ladder drew for that
# end at the same instant: the kernel's word against the picture (issue
# 15: sockkit's own calls move its states, as RFC 9293 3.10.4 says).
. "$srcdir/lib.sh"
need_root
[ -x /usr/sbin/nft ] || [ -x /sbin/nft ] || skip_all "needs nft"

scenarios=$("$SOCKKIT" demo --list | awk '{ print $1 }')
total=0
for s in $scenarios; do
	"$SOCKKIT" demo --ascii --color=never "$s" >"$TMP/$s" 2>&1 </dev/null
	is "$?" 0 "$s: exit 0"
	awk -f "$srcdir/demo-tcpinfo.awk" "$TMP/$s" >"$TMP/$s.check"
	n=$(grep -c . "$TMP/$s.check")
	total=$((total + n))
	bad=$(grep DISAGREE "$TMP/$s.check")
	if [ -z "$bad" ]; then
		ok 0 "$s: $n TCP_INFO sample(s) agree with the drawn states"
	else
		ok 1 "$s: TCP_INFO against the drawn states"
		printf '%s\n' "$bad" | sed 's/^/#   /'
		sed 's/^/#   | /' "$TMP/$s"
	fi
done
like "$total" '^([8-9]|[1-9][0-9]+)$' "at least 8 TCP_INFO samples checked ($total)"
done_testing
