"""tests/golden-tshark.py JSON TSHARK: compare sockkit view --json with
tshark's fields (frame, sport, dport, flags, seq, ack, len, window), one TCP frame
a line.  A frame sockkit shows as truncated or invalid (tshark reads what
it can of a broken header) counts as accounted for, not as drawn.  Prints what differs (nothing when all agree) and exits 1 on a
difference.  Used by tests/golden-tshark.sh."""
import json
import sys

NAMES = {0x01: "FIN", 0x02: "SYN", 0x04: "RST", 0x08: "PSH", 0x10: "ACK",
         0x20: "URG", 0x40: "ECE", 0x80: "CWR"}


def flags(hexstr):
    """tshark's 0x0012 as a set of names."""
    v = int(hexstr, 16)
    return {n for b, n in NAMES.items() if v & b}


def main():
    drawn = {}
    refused = set()     # frames sockkit says it could not decode, and why
    for line in open(sys.argv[1]):
        ev = json.loads(line)
        if ev.get("type") == "packet" and ev.get("proto") == "tcp":
            drawn[ev["frame"]] = ev
        elif ev.get("type") == "bad" and ev["result"] != "unsupported":
            refused.add(ev["frame"])
    bad = []
    seen = 0
    for line in open(sys.argv[2]):
        f = line.split()
        if len(f) < 8:
            continue        # tshark could not read the TCP header
        frame, sport, dport, fl, seq, ack, length, win = f[:8]
        frame = int(frame)
        seen += 1
        ev = drawn.pop(frame, None)
        if ev is None and frame in refused:
            continue        # shown as truncated or invalid, with the reason
        if ev is None:
            bad.append("frame %d: tshark reads it, sockkit did not draw it"
                       % frame)
            continue
        got = set(ev["flags"].split(",")) - {"none"}
        want = flags(fl)
        if got != want:
            bad.append("frame %d: flags %s, tshark %s" % (frame, got, want))
        if (ev["sport"], ev["dport"]) != (int(sport), int(dport)):
            bad.append("frame %d: direction" % frame)
        if ev["seq"] != int(seq):
            bad.append("frame %d: seq %d, tshark %s" % (frame, ev["seq"], seq))
        if "ACK" in want and ev["ack"] != int(ack):
            bad.append("frame %d: ack %d, tshark %s" % (frame, ev["ack"], ack))
        # The window as tshark reads it: scaled once both SYNs said so,
        # else the field as sent ("scale unknown" mid-stream).
        if ev.get("win") != int(win):
            bad.append("frame %d: win %s, tshark %s" % (frame, ev.get("win"),
                                                        win))
        if ev["len"] != int(length):
            bad.append("frame %d: len %d, tshark %s" % (frame, ev["len"],
                                                        length))
    for frame in sorted(drawn):
        bad.append("frame %d: drawn, but tshark sees no TCP there" % frame)
    if bad:
        print("; ".join(bad[:5]) + (" (+%d more)" % (len(bad) - 5)
                                    if len(bad) > 5 else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
