#!/bin/bash
# tests/manpage.sh: the man page documents every command and, in that
# command's section (or a shared one whose title names the command), every
# option that its --help names; mandoc and groff find nothing wrong.
. "${srcdir:-tests}/lib.sh"

man="$srcdir/../doc/sockkit.1"
mapfile -t cmds < <("$SOCKKIT" --help | awk '/Commands:$/ { on = 1; next }
    on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
pairs=()
for c in "${cmds[@]}"; do
	for opt in $("$SOCKKIT" "$c" --help |
	    grep -oE -- '(^|[ ,[])--?[a-zA-Z0-9][-a-zA-Z0-9]*' |
	    sed 's/^[ ,[]//' | sort -u); do
		pairs+=("$c $opt")
	done
done
nhelp=$(printf '%s\n' "${pairs[@]}" | grep -cE ' (-h|--help)$')
plan $(( ${#cmds[@]} + ${#pairs[@]} - nhelp + 3 ))
ok $([ ${#cmds[@]} -ge 2 ]; echo $?) "sockkit --help lists the commands"

# The man page source writes "-" as "\-" and changes fonts with "\fB".
plain=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man")
for c in "${cmds[@]}"; do
	grep -q "^\.SS $c\$" "$man"
	ok $? "sockkit(1) has a section for $c"
done
# section CMD: the text of CMD's own section and of the shared sections
# whose title names it, "Capture options (connect, listen, udp)".
section() {
	printf '%s\n' "$plain" | awk -v c="$1" '
	/^\.S[HS] / {
		t = $0; sub(/^\.S[HS] +/, "", t); gsub(/"/, "", t)
		on = t == c || (t ~ /\(/ && t ~ ("[(, ]" c "[,)]"))
	}
	on'
}
for p in "${pairs[@]}"; do
	set -- $p
	case $2 in -h|--help) continue ;; esac	# every command has them
	section "$1" | grep -qE -- "(^|[^-a-zA-Z0-9])$2([^-a-zA-Z0-9]|\$)"
	ok $? "sockkit(1) documents $1 $2 in the section on $1"
done
if command -v mandoc >/dev/null; then
	is "$(mandoc -Tlint "$man" 2>&1)" "" "mandoc -Tlint is clean"
else
	skip "mandoc is not installed"
fi
if command -v groff >/dev/null; then
	is "$(groff -ww -man -z "$man" 2>&1)" "" "groff -ww is clean"
else
	skip "groff is not installed"
fi
done_testing
