#!/usr/bin/env python3
"""tests/tls-truth.py: the TLS handshake messages and alerts of a capture
as canonical lines, "FRAME hs TYPE,TYPE..." and "FRAME alert DESC,...",
one line a frame that carries any, in frame order.

  tls-truth.py sockkit   < sockkit view --json --keylog K P
  tls-truth.py tshark    < tshark -T fields (frame, types, alerts)
"""
import json
import sys


def ours(lines):
    hs, alerts = {}, {}
    for line in lines:
        ev = json.loads(line)
        if ev.get("type") != "tls" or ev.get("result") != "ok":
            continue
        if ev["event"] == "message":
            hs.setdefault(ev["frame"], []).append(str(ev["hs_type"]))
        elif ev["event"] == "record" and ev["name"] == "Alert":
            # "warning close_notify": the description's number is in
            # the name table; keep the words, tshark's side says them too.
            alerts.setdefault(ev["frame"], []).append(ev["detail"].split()[-1])
    return hs, alerts


ALERTS = {"0": "close_notify", "10": "unexpected_message", "40":
          "handshake_failure", "42": "bad_certificate", "48": "unknown_ca",
          "80": "internal_error", "90": "user_canceled"}


def theirs(lines):
    hs, alerts = {}, {}
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) < 3 or not f[0].isdigit():
            continue
        frame = int(f[0])
        if f[1]:
            hs[frame] = f[1].split(",")
        if f[2]:
            alerts[frame] = [ALERTS.get(a, a) for a in f[2].split(",")]
    return hs, alerts


def main():
    hs, alerts = (ours if sys.argv[1] == "sockkit" else theirs)(sys.stdin)
    for frame in sorted(set(hs) | set(alerts)):
        if frame in hs:
            print("%d hs %s" % (frame, ",".join(hs[frame])))
        if frame in alerts:
            print("%d alert %s" % (frame, ",".join(alerts[frame])))


main()
