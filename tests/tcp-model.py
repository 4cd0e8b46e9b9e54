#!/usr/bin/env python3
"""tests/tcp-model.py: an independent reference model of TCP states, to
check a ladder that sockkit drew.

It reads the JSON ladder (sockkit view --json, or the live --json of
connect/listen/demo: one object a line; other lines are ignored) and, per
TCP conversation, walks the packets in order with its own small account
of what each end has shown:
  - every state drawn for an end (with the path_a/path_b steps when an
    end passed several states on one packet) is a transition that RFC
    9293 allows (3.3.2 state diagram; a RST closes from any state);
  - no state is drawn without evidence at or before that packet: a SYN,
    SYN,ACK, FIN or RST the end sent, or a FIN of the other end that
    this end's own ACK number covers (a captured FIN is not a received
    one), or an ACK of the end's own SYN or FIN sent by the other end;
  - an end drawn closed does not send afterwards (except RST).
This is deliberately not the tracker's code: a table of allowed moves and
a few counters, written from the RFC.

Use: tcp-model.py [FILE ...]   (none or "-": standard input)
     import: check(lines) -> list of violations (strings).
Exit 0 when the ladder is consistent, 1 with one line per violation."""
import json
import sys

CLOSED_LIKE = {"CLOSED", "no listener"}

# RFC 9293 3.3.2 (Figure 6) and 3.10.7: state -> states it may enter.
ALLOWED = {
    "CLOSED": {"LISTEN", "SYN_SENT"},
    "LISTEN": {"SYN_RECEIVED", "SYN_SENT", "CLOSED"},
    "SYN_SENT": {"SYN_RECEIVED", "ESTABLISHED", "CLOSED"},
    "SYN_RECEIVED": {"ESTABLISHED", "FIN_WAIT_1", "CLOSE_WAIT", "LISTEN",
                     "CLOSED"},
    "ESTABLISHED": {"FIN_WAIT_1", "CLOSE_WAIT", "CLOSED"},
    "FIN_WAIT_1": {"FIN_WAIT_2", "CLOSING", "CLOSED"},
    "FIN_WAIT_2": {"TIME_WAIT", "CLOSED"},
    "CLOSE_WAIT": {"LAST_ACK", "CLOSED"},
    "CLOSING": {"TIME_WAIT", "CLOSED"},
    "LAST_ACK": {"CLOSED"},
    "TIME_WAIT": {"CLOSED"},
    "no listener": set(),
}


class End:
    """What one end has shown so far."""

    def __init__(self):
        self.state = "?"
        self.syn = self.synack = self.rst = False
        self.fin = None             # relative sequence number of its FIN
        self.acked_syn = False      # it acknowledged the other's SYN
        self.acked_fin = False      # it acknowledged the other's FIN
        self.fin_acked = False      # the other acknowledged its FIN
        self.syn_acked = False      # the other acknowledged its SYN


def see(pkt, s, r):
    """Update the evidence with packet pkt sent by s to r."""
    fl = set(pkt["flags"].split(","))
    if "SYN" in fl:
        if "ACK" in fl:
            s.synack = True
        else:
            s.syn = True
    if "RST" in fl:
        s.rst = True
        return
    if "FIN" in fl and s.fin is None:
        s.fin = pkt["seq"] + pkt["len"] + (1 if "SYN" in fl else 0)
    if "ACK" in fl:
        ack = pkt["ack"]
        if (r.syn or r.synack) and ack >= 1:
            s.acked_syn = True
            r.syn_acked = True
        if r.fin is not None and ack > r.fin:
            s.acked_fin = True
        if s is not r and r.fin is not None and ack > r.fin:
            r.fin_acked = True


def evidence(state, e, o, pkt, sender):
    """None if end e (o the other end) may be drawn in state on pkt (sent
    by end sender), else why not."""
    fl = set(pkt["flags"].split(","))
    mine = sender is e
    if state == "SYN_SENT":
        return None if e.syn else "it sent no SYN"
    if state == "SYN_RECEIVED":
        return None if e.synack else "it sent no SYN,ACK"
    if state == "ESTABLISHED":
        return None if (e.acked_syn and e.syn_acked) else \
            "no SYN of each end acknowledged by the other"
    if state in ("FIN_WAIT_1", "LAST_ACK"):
        return None if e.fin is not None else "it sent no FIN"
    if state == "CLOSE_WAIT":
        return None if e.acked_fin else \
            "it has not acknowledged the other end's FIN"
    if state == "CLOSING":
        return None if e.acked_fin and e.fin is not None else \
            "it has not acknowledged the other's FIN after sending its own"
    if state == "FIN_WAIT_2":
        return None if e.fin_acked else "its FIN is not acknowledged"
    if state == "TIME_WAIT":
        return None if e.acked_fin and e.fin_acked else \
            "both FINs are not acknowledged"
    if state == "CLOSED":
        if e.rst or o.rst or (e.fin_acked and e.acked_fin):
            return None
        return "no RST, and its close is not acknowledged"
    if state == "no listener":
        return None if mine and "RST" in fl and o.syn and not e.synack \
            else "no RST answering a SYN"
    if state == "LISTEN":
        return None if e.synack else "nothing shows it listened"
    return None


def check_move(prev, new):
    """None if prev -> new is a move RFC 9293 allows."""
    if prev == "?" or prev == new:
        return None
    if new == "CLOSED" and prev != "no listener":
        return None                 # a RST, or the end of LAST_ACK
    if new in ALLOWED.get(prev, set()):
        return None
    return "%s -> %s is not a transition of RFC 9293" % (prev, new)


def check(lines):
    """The violations in a JSON ladder given as lines."""
    convs = {}
    bad = []
    for line in lines:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("type") != "packet" or ev.get("proto") != "tcp":
            continue
        a, b = convs.setdefault(ev["conv"], (End(), End()))
        s, r = (a, b) if ev["dir"] == "A>B" else (b, a)
        where = "conv %s frame %s" % (ev["conv"], ev.get("frame", "?"))
        if s.state in CLOSED_LIKE | {"TIME_WAIT"} and \
                "RST" not in ev["flags"] and \
                not (s.state == "TIME_WAIT" and ev["flags"] == "ACK") and \
                not ("SYN" in ev["flags"] and "ACK" not in ev["flags"]):
            bad.append("%s: %s sends %s while drawn %s" % (
                where, "A" if s is a else "B", ev["flags"], s.state))
        see(ev, s, r)
        for name, e, o in (("a", a, b), ("b", b, a)):
            new = ev.get("state_" + name, "?")
            if new == e.state:
                continue
            path = ev.get("path_" + name, [e.state, new])
            for prev, nxt in zip(path, path[1:]):
                why = check_move(prev, nxt) or evidence(nxt, e, o, ev, s)
                if why:
                    bad.append("%s: %s %s: %s" % (where, name.upper(), nxt,
                                                   why))
            e.state = new
    return bad


def main(argv):
    names = argv[1:] or ["-"]
    lines = []
    for n in names:
        lines += (sys.stdin if n == "-" else open(n)).read().splitlines()
    bad = check(lines)
    for v in bad:
        print(v)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
