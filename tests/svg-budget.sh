#!/bin/bash
# tests/svg-budget.sh: a picture's memory is bounded whatever the input
# (issue 16).  view --svg --html over 100k conversations, and --html over
# 10^6 and 10^7 records of no bytes: the peak resident memory stays within
# BOUND of the same view without pictures and does not grow with the
# count, the files stay small, and what the budget left out is said in the
# picture and on stderr.  The captures are generated into a pipe, never
# stored; bench/memory.sh runs the 10^8 case.
. "$srcdir/lib.sh"
need_cmd python3 xmllint
plan 15
H="python3 $srcdir/svg-helper.py"
# ASan keeps up to 256 MiB of freed memory in quarantine to catch uses
# after free: not sockkit's memory, and it would hide what is measured.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
BOUND=$((32 * 1024))	# KiB that pictures may add to view's own peak
GROW=$((8 * 1024))	# KiB the peak may differ by from 10^6 to 10^7
mkdir "$TMP/tmp" && export TMPDIR="$TMP/tmp"	# the transcripts' files

# peak KIND N ARGS...: the peak KiB of "sockkit view ARGS -" reading a
# generated capture (svg-helper.py KIND N) from a pipe.
peak() {
	local kind=$1 n=$2
	shift 2
	$H "$kind" "$n" | $H peak "$SOCKKIT" view "$@" - 2>>"$TMP/err"
}

# below A B UNIT WHAT: ok when A <= B.
below() {
	ok "$([ "$1" -le "$2" ]; echo $?)" "$4 ($1 $3, bound $2 $3)"
}

# 100k conversations of one datagram each.
base=$(peak udp 100000 --summary)
pics=$(peak udp 100000 --summary --svg "$TMP/c.svg" --html "$TMP/c.html")
below "$pics" $((base + BOUND)) KiB \
    "100k conversations: --svg --html add at most 32 MiB to view's peak"
is "$(grep -c 'class="conv"' "$TMP/c.svg")" 1000 \
    "100k conversations: the first 1000 drawn"
grep -q '>99000 conversations and 99000 packets not drawn: the picture&#39;s budget is 1000 conversations and 20000 packets and calls' \
    "$TMP/c.svg"
ok $? "100k conversations: the picture says what it left out"
like "$(grep -- '--svg' "$TMP/err")" \
    "^sockkit: view: --svg $TMP/c.svg: 99000 conversations and 99000 packets not drawn: the picture's budget is 1000 conversations and 20000 packets and calls" \
    "100k conversations: and so does stderr"
like "$(grep -- '--html' "$TMP/err")" \
    "the transcript stops at its budget of 16777216 bytes, before [0-9]+ packets\$" \
    "100k conversations: stderr says where the transcript stopped"
xmllint --huge --noout "$TMP/c.svg" "$TMP/c.html"
ok $? "100k conversations: the SVG and the page are well-formed"
below "$(stat -c %s "$TMP/c.html")" $((24 * 1024 * 1024)) bytes \
    "100k conversations: the page is at most 24 MiB"

# Records of no bytes: the transcript's budget (each is a ladder line).
: >"$TMP/err"
base=$(peak empty 1000000 --summary)
e6=$(peak empty 1000000 --summary --html "$TMP/e6.html")
e7=$(peak empty 10000000 --summary --html "$TMP/e7.html")
below "$e6" $((base + BOUND)) KiB \
    "10^6 empty records: --html adds at most 32 MiB to view's peak"
below "$e7" $((e6 + GROW)) KiB "10^7 empty records: the same peak as 10^6"
below "$(stat -c %s "$TMP/e7.html")" $((17 * 1024 * 1024)) bytes \
    "10^7 empty records: the page is at most 17 MiB (16 MiB of transcript)"
grep -q 'The transcript stops here: its budget of 16777216 bytes is spent; the 9[0-9]* packets after are not in it' \
    "$TMP/e7.html"
ok $? "10^7 empty records: the page says where its transcript stopped"
xmllint --huge --noout "$TMP/e7.html"
ok $? "10^7 empty records: the page is well-formed"
tail -n 1 "$TMP/e7.html" | grep -q '^</html>$'
ok $? "10^7 empty records: the page is whole"
# The last line but one: the last says that no empty record could be
# drawn (view's exit status 3).
like "$(tail -n 2 "$TMP/err")" \
    "^sockkit: view: --html $TMP/e7.html: the transcript stops at its budget of 16777216 bytes, before [0-9]+ packets\$" \
    "10^7 empty records: stderr says where the transcript stopped"
is "$(find "$TMP/tmp" -type f | wc -l)" 0 \
    "the transcript's temporary files were unlinked"
done_testing
