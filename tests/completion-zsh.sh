#!/bin/bash
# tests/completion-zsh.sh: zsh loads contrib/_sockkit (compinit binds it to
# sockkit) and, run with the completion system's functions replaced by
# ones that print what they are given, it offers every command, a
# command's options, option values, files and the demo's scenarios.
. "${srcdir:-tests}/lib.sh"
need_cmd zsh

dir="$srcdir/../contrib"
bindir=$(dirname "$SOCKKIT")
# zcomp WORDS...: what the completion offers for the last word.
zcomp() {
	PATH="$bindir:$PATH" zsh -f -c '
		comp=$1; shift
		_call_program() { shift; eval "$*" }
		_describe() { print -rl -- ${(P)${@[-1]}} }
		compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
		_files() { print -- "<files>" }
		_hosts() { print -- "<hosts>" }
		words=("$@"); CURRENT=$#; PREFIX=${words[-1]}
		source $comp' _ "$dir/_sockkit" "$@" 2>&1
}

mapfile -t cmds < <("$SOCKKIT" --help | awk '/Commands:$/ { on = 1; next }
    on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
mapfile -t scen < <("$SOCKKIT" demo --list | awk '{ print $1 }')
plan $(( ${#cmds[@]} + ${#scen[@]} + 18 ))

zsh -n "$dir/_sockkit"
ok $? "zsh -n: the file parses"
out=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit
    compinit -u -D; print -r -- $_comps[sockkit]; autoload +X _sockkit' \
    _ "$dir" 2>&1)
is "$out" "_sockkit" "compinit binds _sockkit to sockkit, and it loads"

offered=$(zcomp sockkit "")
for c in "${cmds[@]}"; do
	printf '%s\n' "$offered" | grep -q "^$c:."
	ok $? "sockkit <TAB> offers $c, described"
done
printf '%s\n' "$offered" | grep -qx help
ok $? "sockkit <TAB> offers help"
like "$(zcomp sockkit --)" '--version' "sockkit --<TAB> offers --version"
opts=$(zcomp sockkit listen --mo)
like "$opts" '^--mode:relay' "listen --mo<TAB> offers --mode, described"
printf '%s\n' "$opts" | grep -q '^-k:keep accepting'
ok $? "listen -<TAB> offers -k, described"
printf '%s\n' "$opts" | grep -qx -- '--ascii'
ok $? "an option named in another's description is offered too"
like "$(zcomp sockkit connect --)" '--svg:draw the packets' \
    "connect --<TAB> offers --svg"
like "$(zcomp sockkit listen --mode e)" '^relay
echo' "--mode <TAB> offers the modes"
like "$(zcomp sockkit view --svg x)" '^<files>$' "--svg <TAB> completes files"
like "$(zcomp sockkit probe -oX x)" '^<files>$' "probe -oX <TAB> completes files"
like "$(zcomp sockkit probe -)" "^-oA:all three" "probe -<TAB> offers -oA, described"
like "$(zcomp sockkit demo --color a)" 'always' "--color <TAB>: the words"
offered=$(zcomp sockkit demo "")
for s in "${scen[@]}"; do
	printf '%s\n' "$offered" | grep -q "^$s:."
	ok $? "demo <TAB> offers the scenario $s, described"
done
like "$(zcomp sockkit help "")" '^connect:' "help <TAB> offers the commands"
is "$(zcomp sockkit raw "" | tr '\n' ' ')" "icmp tcp udp ip listen " \
    "raw <TAB> offers its subcommands"
like "$(zcomp sockkit raw listen --proto i)" '^icmp$' "raw listen --proto <TAB>: protocols"
like "$(zcomp sockkit raw icmp --tr)" '--traceroute' "raw icmp --tr<TAB> offers --traceroute"
like "$(zcomp sockkit raw icmp 1)" '^<hosts>$' "raw icmp <TAB> completes hosts"
done_testing
