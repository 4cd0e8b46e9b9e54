#!/bin/bash
# tests/manpage.sh: the man page documents every command and every option
# that a command's --help names, and mandoc and groff find nothing wrong.
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
plan $(( ${#cmds[@]} + ${#pairs[@]} + 3 ))
ok $([ ${#cmds[@]} -ge 2 ]; echo $?) "sockkit --help lists the commands"

# The man page source writes "-" as "\-" and changes fonts with "\fB".
plain=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man")
for c in "${cmds[@]}"; do
	grep -q "^\.SS $c\$" "$man"
	ok $? "sockkit(1) has a section for $c"
done
for p in "${pairs[@]}"; do
	set -- $p
	printf '%s\n' "$plain" |
	    grep -qE -- "(^|[^-a-zA-Z0-9])$2([^-a-zA-Z0-9]|\$)"
	ok $? "sockkit(1) documents $1 $2"
done
if command -v mandoc >/dev/null; then
	is "$(mandoc -Tlint "$man" 2>&1)" "" "mandoc -Tlint is clean"
else
	skip "mandoc is not installed"
fi
is "$(groff -ww -man -z "$man" 2>&1)" "" "groff -ww is clean"
done_testing
