#!/bin/bash
# tests/badargs.sh: every bad invocation of tests/badargs.txt exits 2,
# prints nothing on stdout and one line on stderr, "sockkit: COMMAND: ...",
# that matches the line's regex (which names the bad part).
. "$srcdir/lib.sh"

mapfile -t lines < <(grep -v -e '^#' -e '^[[:space:]]*$' "$srcdir/badargs.txt")
plan ${#lines[@]}
cd "$srcdir" || exit 1
# A build without OpenSSL refuses every TLS option before reading its value.
notls=
"$SOCKKIT" connect --tls --help >/dev/null 2>&1 || notls=1
tlsopt='--(tls|tls-min|tls-max|ca-file|insecure|sni|no-sni|alpn|cert|key|keylog|verify-client)([ =]|$)'
for line in "${lines[@]}"; do
	args=${line%% => *}
	re=${line#* => }
	eval "set -- $args"
	cmd=${1:-}
	[ -n "$notls" ] && [[ $cmd = connect || $cmd = listen ]] &&
	    printf '%s\n' "$args" | grep -Eq -- "$tlsopt" &&
	    re='built without OpenSSL'
	timeout 10 "$SOCKKIT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	err=$(cat "$TMP/err")
	why=
	[ "$rc" = 2 ] || why="exit $rc, not 2"
	[ -s "$TMP/out" ] && why="${why:+$why; }output on stdout"
	[ "$(wc -l <"$TMP/err")" = 1 ] ||
	    why="${why:+$why; }$(wc -l <"$TMP/err") lines on stderr, not 1"
	printf '%s\n' "$err" | grep -q "^sockkit: $cmd: " ||
	    why="${why:+$why; }not 'sockkit: $cmd: ...'"
	printf '%s\n' "$err" | grep -Eq -- "$re" ||
	    why="${why:+$why; }does not match /$re/"
	if [ -z "$why" ]; then
		ok 0 "$args"
	else
		ok 1 "$args"
		echo "#   $why"
		sed 's/^/#   stderr: /' "$TMP/err" | head -5
		head -c 300 "$TMP/out" | sed 's/^/#   stdout: /'
	fi
done
done_testing
