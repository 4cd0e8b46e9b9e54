# raw-usage.sh: bad input to "raw tcp|udp|ip|listen" is a usage error
# (exit 2) whose message names the bad part, found before any socket is
# opened, so this runs without privileges.
. "${srcdir:-tests}/lib.sh"

big=$(head -c 65508 /dev/zero | tr '\0' a)
bighex=$(head -c 65508 /dev/zero | od -An -v -tx1 | tr -d ' \n')
# Each row: the message expected after "sockkit: raw: ", then the args.
cases=(
"tcp: --flags SX: unknown TCP flag letter 'X' (use S A F R P U E C)|tcp --flags SX 127.0.0.1 1"
"tcp: --flags s-: unknown TCP flag letter '-' (use S A F R P U E C)|tcp --flags s- 127.0.0.1 1"
"udp: --data-hex: odd number of hex digits (3)|udp --data-hex abc 127.0.0.1 1"
"udp: --data-hex: 'z' at offset 2 is not a hex digit|udp --data-hex 00z1 127.0.0.1 1"
"udp: payload of 65508 bytes is too big: one IPv4 packet carries at most 65507|udp --data $big 127.0.0.1 1"
"udp: payload of 65508 bytes is too big: one IPv4 packet carries at most 65507|udp --data-hex $bighex 127.0.0.1 1"
"tcp: payload of 65508 bytes is too big: one IPv4 packet carries at most 65495|tcp --data $big 127.0.0.1 1"
"tcp: --ttl 0: out of range 1-255|tcp --ttl 0 127.0.0.1 1"
"udp: --ttl 256: out of range 1-255|udp --ttl 256 127.0.0.1 1"
"tcp: --tos 300: out of range 0-255|tcp --tos 300 127.0.0.1 1"
"tcp: --win 65536: out of range 0-65535|tcp --win 65536 127.0.0.1 1"
"tcp: --seq -1: out of range 0-4294967295|tcp --seq -1 127.0.0.1 1"
"tcp: --sport 0: out of range 1-65535|tcp --sport 0 127.0.0.1 1"
"tcp: bad port '70000': out of range 0-65535|tcp 127.0.0.1 70000"
"udp: bad port 'x1': not a number or a known udp service name|udp 127.0.0.1 x1"
"ip: --proto foo: unknown protocol (give a number 0-255 or a name such as icmp, tcp, udp, gre)|ip --proto foo 127.0.0.1"
"ip: --proto 256: out of range 0-255|ip --proto 256 127.0.0.1"
"ip: missing --proto N (a number 0-255 or a name such as gre)|ip 127.0.0.1"
"listen: --proto nope: unknown protocol (give a number 0-255 or a name such as icmp, tcp, udp, gre)|listen --proto nope"
"listen: missing --proto (icmp, tcp, udp or a protocol number)|listen"
"listen: --proto 255: a raw socket cannot receive it|listen --proto 255"
"udp: --flags applies to raw tcp only|udp --flags S 127.0.0.1 1"
"ip: --badsum applies to raw tcp and raw udp only|ip --proto 253 --badsum 127.0.0.1"
"tcp: --proto applies to raw ip only|tcp --proto 6 127.0.0.1 1"
"tcp: ::1 is an IPv6 address: crafted packets are IPv4 only (IP_HDRINCL); give an IPv4 HOST|tcp ::1 22"
"tcp: -6: crafted packets are IPv4 only (IP_HDRINCL); give an IPv4 HOST|tcp -6 127.0.0.1 22"
"tcp: missing PORT|tcp 127.0.0.1"
"udp: unexpected argument 'x'|udp 127.0.0.1 1 x"
"tcp: -W abc: not a number of seconds from 0 to 3600 (such as 2 or 0.5)|tcp -W abc 127.0.0.1 1"
)
plan $(( ${#cases[@]} * 2 + 2 ))
for row in "${cases[@]}"; do
	want=${row%%|*}
	args=${row#*|}
	# shellcheck disable=SC2086
	msg=$("$SOCKKIT" raw $args 2>&1 >/dev/null | head -n 1)
	"$SOCKKIT" raw $args >/dev/null 2>&1
	is $? 2 "exit 2: raw ${args:0:40}"
	is "$msg" "sockkit: raw: $want" "message: ${want:0:60}"
done
"$SOCKKIT" raw tcp --help >"$TMP/help"
is $? 0 "raw tcp --help: exit 0"
like "$(cat "$TMP/help")" '--flags LETTERS' "raw tcp --help shows the options"
done_testing
