#!/bin/bash
# tests/demo-model.sh: every scenario of "sockkit demo", live, through the
# reference model of RFC 9293 (tests/tcp-model.py, written apart from the
# tracker): each state drawn, on a packet or on the call that moved it,
# is a transition the RFC allows, has its evidence, and is the state the
# evidence shows, state for state.
. "$srcdir/lib.sh"
need_root
need_cmd python3
[ -x /usr/sbin/nft ] || [ -x /sbin/nft ] || skip_all "needs nft"

scenarios=$("$SOCKKIT" demo --list | awk '{ print $1 }')
set -- $scenarios
plan $(($# * 2))
for s in $scenarios; do
	"$SOCKKIT" demo --json "$s" </dev/null >/dev/null 2>"$TMP/$s.json"
	is "$?" 0 "$s: exit 0"
	python3 "$srcdir/tcp-model.py" "$TMP/$s.json" >"$TMP/why"
	r=$?
	[ "$(grep -c '"type":"packet"' "$TMP/$s.json")" -gt 0 ] || r=1
	ok $r "$s: the states drawn pass the reference model"
	sed 's/^/# /' "$TMP/why" | head -5
done
done_testing
