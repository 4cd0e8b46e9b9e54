#!/bin/bash
# tests/svg-render.sh: a browser draws the SVG: headless Chromium renders
# one picture to PNG, and the PNG (decoded with zlib alone) is not blank.
. "$srcdir/lib.sh"
need_cmd chromium python3
plan 5
H="python3 $srcdir/svg-helper.py"

"$SOCKKIT" view --svg "$TMP/pic.svg" "$srcdir/golden/retransmission.pcap" \
    >/dev/null
ok $? "view --svg writes the picture"
h=$(grep -o '<svg [^>]*' "$TMP/pic.svg" | grep -o 'height="[0-9]*"' |
    head -n 1 | tr -dc 0-9)
w=$(grep -o '<svg [^>]*' "$TMP/pic.svg" | grep -o 'width="[0-9]*"' |
    head -n 1 | tr -dc 0-9)
# Its own profile, so that no other browser and no leftover lock matter.
timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --user-data-dir="$TMP/profile" --hide-scrollbars \
    --screenshot="$TMP/pic.png" --window-size="${w:-1280},${h:-800}" \
    "file://$TMP/pic.svg" >"$TMP/chromium.log" 2>&1
ok $([ -s "$TMP/pic.png" ]; echo $?) "chromium renders it to PNG"
set -- $($H png "$TMP/pic.png" 2>&1)
is "$1x$2" "${w:-1280}x${h:-800}" "the PNG has the picture's size"
ok $([ "${3:-0}" -ge 3 ]; echo $?) "more than two colours ($3)"
ok $([ "${4:-0}" -ge 2000 ]; echo $?) "lanes, arrows and text drawn ($4 dark pixels)"
done_testing
