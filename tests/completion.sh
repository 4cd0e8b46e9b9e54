#!/bin/bash
# tests/completion.sh: the bash completion offers every command, a
# command's options, option values, files for view and the demo's
# scenarios.
. "${srcdir:-tests}/lib.sh"
need_cmd bash

comp="$srcdir/../contrib/sockkit"
bindir=$(dirname "$SOCKKIT")
# complete WORDS...: what the completion offers for the last word.
complete_words() {
	PATH="$bindir:$PATH" bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_sockkit; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}

mapfile -t cmds < <("$SOCKKIT" --help | awk '/Commands:$/ { on = 1; next }
    on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
plan $(( ${#cmds[@]} + 19 ))
offered=$(complete_words sockkit "")
for c in "${cmds[@]}"; do
	printf '%s\n' "$offered" | grep -qx "$c"
	ok $? "sockkit <TAB> offers $c"
done
like "$(complete_words sockkit listen --mo)" '^--mode$' "listen --mo<TAB> is --mode"
like "$(complete_words sockkit listen --mode e)" '^echo$' "--mode e<TAB> is echo"
like "$(complete_words sockkit connect -)" '--no-shutdown' "connect -<TAB> offers --no-shutdown"
like "$(complete_words sockkit demo ref)" '^refused$' "demo ref<TAB> is refused"
is "$(complete_words sockkit raw "" | tr '\n' ' ')" "icmp tcp udp ip listen " \
    "raw <TAB> offers its subcommands"
like "$(complete_words sockkit raw tcp --fl)" '^--flags$' "raw tcp --fl<TAB> is --flags"
like "$(complete_words sockkit raw listen --proto ic)" '^icmp$' \
    "raw listen --proto ic<TAB> is icmp"
like "$(complete_words sockkit raw tcp -W 1 --no-d)" '^--no-drop$' \
    "raw tcp -W 1 --no-d<TAB> is --no-drop"
like "$(complete_words sockkit raw ic)" '^icmp$' "raw ic<TAB> is icmp"
like "$(complete_words sockkit raw icmp --trac)" '^--traceroute$' "raw icmp --trac<TAB> offers --traceroute"
like "$(complete_words sockkit view --color al)" '^always$' "view --color al<TAB> is always"
like "$(complete_words sockkit connect --color=n)" '^--color=never$' "connect --color=n<TAB> is --color=never"
like "$(complete_words sockkit udp --type r)" '^rdm$' "udp --type r<TAB> is rdm"
like "$(complete_words sockkit connect --proxy-type socks4)" 'socks4a' \
    "connect --proxy-type socks4<TAB> offers socks4 and socks4a"
like "$(complete_words sockkit connect --proxy-d)" '^--proxy-dns$' \
    "connect --proxy-d<TAB> is --proxy-dns"
like "$(complete_words sockkit raw icmp --user nob)" '^nobody$' "--user nob<TAB> is nobody"
like "$(complete_words sockkit probe -o)" '-oX' "probe -o<TAB> offers -oX"
like "$(cd "$srcdir/golden" && complete_words sockkit probe -oX refu)" \
    '^refused\.(pcap|summary)' "probe -oX <TAB> offers files"
like "$(cd "$srcdir/golden" && complete_words sockkit view refu)" '^refused\.(pcap|summary)' \
    "view <TAB> offers files"
done_testing
