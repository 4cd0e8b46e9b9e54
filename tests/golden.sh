#!/bin/bash
# tests/golden.sh: run "sockkit view" on every pcap of tests/golden/TESTLIST
# and compare with the expected output.  UPDATE=1 rewrites the expected
# files instead; review them with git diff before committing.
# SOCKKIT_WRAPPER (e.g. "valgrind ...") is put before the binary.
. "$srcdir/lib.sh"

dir="$srcdir/golden"
export TZ=UTC LC_ALL=C
mapfile -t lines < <(grep -v -e '^#' -e '^[[:space:]]*$' "$dir/TESTLIST")
plan ${#lines[@]}
for line in "${lines[@]}"; do
	read -r name pcap expected opts <<<"$line"
	# shellcheck disable=SC2086
	# From the pcaps' directory, so messages name them the same anywhere.
	(cd "$dir" && ${SOCKKIT_WRAPPER:-} "$SOCKKIT" view --color=never $opts "$pcap") \
	    >"$TMP/out" 2>&1
	echo "exit $?" >>"$TMP/out"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$TMP/out" "$dir/expected/$expected"
		ok 0 "$name (updated)"
	elif cmp -s "$TMP/out" "$dir/expected/$expected"; then
		ok 0 "$name"
	else
		ok 1 "$name"
		diff -u "$dir/expected/$expected" "$TMP/out" | head -40 |
		    sed 's/^/# /'
	fi
done
done_testing
