# tests/demo-tcpinfo.awk: read "sockkit demo --ascii" output and check
# that every TCP_INFO sample agrees with the state the ladder drew for
# that end at the same instant (the lines are in time order).  Prints one
# line per sample: "agree WHO STATE" or "DISAGREE WHO: TCP_INFO says X,
# drawn Y (line N)".
function rfc(s) {
	if (s == "SYN_RECV") return "SYN_RECEIVED"
	if (s == "FIN_WAIT1") return "FIN_WAIT_1"
	if (s == "FIN_WAIT2") return "FIN_WAIT_2"
	if (s == "CLOSE") return "CLOSED"
	return s
}
# The last state name in a token ("ESTABLISHED", "FIN_WAIT_1>CLOSING").
function state_in(tok,    n, parts, i) {
	n = split(tok, parts, /[^A-Z_0-9]+/)
	for (i = n; i >= 1; i--)
		if (parts[i] in names)
			return parts[i]
	return ""
}
BEGIN {
	split("CLOSED LISTEN SYN_SENT SYN_RECEIVED ESTABLISHED FIN_WAIT_1 " \
	    "FIN_WAIT_2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT", l, " ")
	for (i in l)
		names[l[i]] = 1
}
/client: connect\(\) to .* from port [0-9]+/ {
	cport = $0; sub(/.* from port /, "", cport); sub(/[^0-9].*/, "", cport)
}
/^conversation [0-9]+: TCP A / {
	aport = $5; sub(/.*:/, "", aport)
	client = aport == cport ? "A" : "B"
	st["A"] = st["B"] = "?"; header = 1; next
}
header && /^ +t\(ms\)/ { next }
header && /^ +[A-Z0-9_?]+ +[A-Z0-9_?]+ *$/ {
	st["A"] = $1; st["B"] = $NF; header = 0; next
}
/^ *[0-9]+\.[0-9]+  this host: / {
	# "; A: X -> Y -> Z": the call moved A through Y to Z.
	if (match($0, /; [AB]: [A-Z0-9_?]+( -> [A-Z0-9_?]+)+/)) {
		n = split(substr($0, RSTART + 2, RLENGTH - 2), m, " ")
		st[substr(m[1], 1, 1)] = m[n]
	}
	if ($0 ~ /TCP_INFO says /) {
		who = $0 ~ /this host: client:/ ? "client" : "server"
		end = who == "client" ? client : (client == "A" ? "B" : "A")
		said = $0; sub(/.*TCP_INFO says /, "", said); sub(/,.*/, "", said)
		if (rfc(said) == st[end])
			print "agree " who " " st[end]
		else
			print "DISAGREE " who ": TCP_INFO says " said ", drawn " \
			    end " " st[end] " (line " NR ")"
	}
	next
}
/^ *[0-9]+\.[0-9]+  / {
	a = state_in($2); if (a != "") st["A"] = a
	b = state_in($NF); if (b != "" && NF > 2) st["B"] = b
}
