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
    one), or an ACK of the end's own SYN or FIN sent by the other end,
    or a call sockkit drew for that end: close or shutdown for
    FIN_WAIT_1 and LAST_ACK (RFC 9293 3.10.4: the CLOSE call enters the
    state, and the FIN may leave after segments already queued), recv()
    returning 0 for the other end's FIN and what came with it, an abort
    (a close() that resets) or a close() in SYN_SENT for CLOSED;
  - an end drawn closed does not send afterwards (except RST);
  - state for state: the model derives each end's states from the same
    evidence on its own (derive() below) and the states drawn for that
    end, in order, are the model's (when on the same packet or not).
This is deliberately not the tracker's code: a table of allowed moves and
a few counters, written from the RFC.

Use: tcp-model.py [FILE ...]   (none or "-": standard input)
     import: check(lines) -> list of violations (strings).
Exit 0 when the ladder is consistent, 1 with one line per violation."""
import json
import re
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
        self.closing = False        # a call drew it closing
        self.before_rst = None      # its state before a RST presumed got
        self.fin_ackno = None       # the ACK field its FIN carried


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
        s.fin_ackno = pkt["ack"] if "ACK" in fl else None
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
    fl = set(pkt.get("flags", "").split(","))
    mine = sender is e
    if state == "SYN_SENT":
        return None if e.syn else "it sent no SYN"
    if state == "SYN_RECEIVED":
        return None if e.synack else "it sent no SYN,ACK"
    if state == "ESTABLISHED":
        return None if (e.acked_syn and e.syn_acked) else \
            "no SYN of each end acknowledged by the other"
    if state in ("FIN_WAIT_1", "LAST_ACK"):
        return None if e.fin is not None or e.closing else \
            "it sent no FIN, and no call closed it"
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


def retracted(ev, name):
    """Whether ev says the tracker's presumption about end name was
    wrong (it had not got a RST or an ACK: it sends again), drawing the
    way back from that state."""
    return any(n.startswith("%s had not got that " % name.upper())
               for n in ev.get("notes", []))


def call_paths(text):
    """The states a call line drew ("...; A: FIN_WAIT_1 -> FIN_WAIT_2
    -> TIME_WAIT"), as [(end name, path)].  The call's "conv" says which
    conversation it moved (without one: that of the packet before)."""
    return [(who.lower(), path.split(" -> ")) for who, path in
            re.findall(r"\b([AB]): ([A-Z_0-9]+(?: -> [A-Z_0-9]+)+)", text)]


def called(text, new, e, o):
    """What the call text, drawn as moving end e, shows of it."""
    if new in ("FIN_WAIT_1", "LAST_ACK"):
        e.closing = True
    if new == "CLOSED":
        e.rst = True                # 3.10.5 ABORT, or 3.10.4 in SYN_SENT
    if re.search(r"recv\(\) = 0|then 0: EOF", text):
        # It received o's FIN, and the ACK field that FIN carried.
        e.acked_fin = True
        if e.fin is not None and o.fin_ackno is not None and \
                o.fin_ackno > e.fin:
            e.fin_acked = True


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
    pkts = {}
    bad = []
    last = None
    for line in lines:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("type") == "call":
            conv = ev.get("conv", last)
            if conv not in convs:
                continue
            for name, path in call_paths(ev.get("call", "")):
                ev["path_" + name] = path
                ev["state_" + name] = path[-1]
                a, b = convs[conv]
                e, o = (a, b) if name == "a" else (b, a)
                called(ev["call"], path[-1], e, o)
                moves(ev, name, e, o, None, "conv %s call %r" % (
                    conv, ev["call"]), bad)
            pkts[conv].append(ev)
            continue
        if ev.get("type") != "packet" or ev.get("proto") != "tcp":
            continue
        last = ev["conv"]
        pkts.setdefault(ev["conv"], []).append(ev)
        a, b = convs.setdefault(ev["conv"], (End(), End()))
        s, r = (a, b) if ev["dir"] == "A>B" else (b, a)
        where = "conv %s frame %s" % (ev["conv"], ev.get("frame", "?"))
        for name, e in (("a", a), ("b", b)):
            if retracted(ev, name) and e.before_rst is not None:
                e.state, e.before_rst = e.before_rst, None
        if s.state in CLOSED_LIKE | {"TIME_WAIT"} and \
                "RST" not in ev["flags"] and \
                not (s.state == "TIME_WAIT" and ev["flags"] == "ACK") and \
                not ("SYN" in ev["flags"] and "ACK" not in ev["flags"]):
            bad.append("%s: %s sends %s while drawn %s" % (
                where, "A" if s is a else "B", ev["flags"], s.state))
        if "RST" in ev["flags"] and r.state not in CLOSED_LIKE:
            r.before_rst = r.state  # presumed received: until r sends
        see(ev, s, r)
        for name, e, o in (("a", a, b), ("b", b, a)):
            moves(ev, name, e, o, s, where, bad)
    return bad + state_for_state(pkts)


def moves(ev, name, e, o, sender, where, bad):
    """Check the states ev draws for end e (named name, o the other
    end, sender the end that sent the packet ev, None for a call)."""
    new = ev.get("state_" + name, "?")
    if new == e.state:
        return
    path = ev.get("path_" + name, [e.state, new])
    if retracted(ev, name):
        path = [e.state] + path[1:]
    for prev, nxt in zip(path, path[1:]):
        why = check_move(prev, nxt) or evidence(nxt, e, o, ev, sender)
        if why:
            bad.append("%s: %s %s: %s" % (where, name.upper(), nxt, why))
    e.state = new


class Proof:
    """What one end is known to have sent and received, for derive()."""

    def __init__(self):
        self.syn = self.synack = self.got_syn = self.syn_acked = False
        self.fin = None             # relative sequence number of its FIN
        self.active = self.got_fin = self.fin_acked = False
        self.rst = self.refused = False
        self.closing = False        # its close() or shutdown() was drawn
        self.fin_ackno = None       # the ACK field its FIN carried
        self.states = []            # the states it passed, in order


def state_of(e):
    """The RFC 9293 state an end with this proof is in (3.3.2)."""
    if e.refused:
        return "no listener"
    if e.rst:
        return e.rst
    if e.fin is not None or e.closing:
        if e.got_fin:
            if e.fin_acked:
                return "TIME_WAIT" if e.active else "CLOSED"
            return "CLOSING" if e.active else "LAST_ACK"
        return "FIN_WAIT_2" if e.fin_acked else "FIN_WAIT_1"
    if e.got_fin:
        return "CLOSE_WAIT"
    if (e.syn or e.synack) and e.got_syn and e.syn_acked:
        return "ESTABLISHED"
    if e.synack:
        return "SYN_RECEIVED"
    if e.syn:
        return "SYN_SENT"
    return "?"


def note(e):
    """Record e's state when it changed."""
    st = state_of(e)
    if st != "?" and (not e.states or e.states[-1] != st):
        e.states.append(st)


def learn(e, o, ack):
    """End e learns the ACK field ack of end o (3.10.7.4: the ACK field)."""
    if (e.syn or e.synack) and ack >= 1:
        e.syn_acked = True
        note(e)
    if e.fin is not None and ack > e.fin:
        e.fin_acked = True
        note(e)


def resent_later(pkts, i, sender, ack):
    """Whether sender later sends again a SYN or FIN that ack covers: the
    ACK pkts[i] carried did not arrive (3.10.7.4: a resent FIN)."""
    for p in pkts[i + 1:]:
        if p.get("type") == "call":
            continue
        fl = p["flags"].split(",")
        if p["dir"] == sender and ("SYN" in fl or "FIN" in fl) and \
                p["seq"] < ack:
            return True
    return False


def sends_later(pkts, i, sender):
    """Whether sender sends anything but a RST after pkts[i]: a RST
    pkts[i] carried to it did not arrive (it would have closed)."""
    return any(p.get("dir") == sender and "RST" not in p["flags"]
               for p in pkts[i + 1:] if p.get("type") != "call")


def acked_later(pkts, i, end):
    """Whether the copy of the segment ending at end that pkts[i]'s sender
    sent before pkts[i] is the one its receiver acknowledges later: no
    copy sent again before that ACK."""
    for p in pkts[i + 1:]:
        if p.get("type") == "call":
            continue
        fl = p["flags"].split(",")
        used = p["len"] + ("SYN" in fl) + ("FIN" in fl)
        if p["dir"] == pkts[i]["dir"] and used and p["seq"] + used == end:
            return False
        if p["dir"] != pkts[i]["dir"] and "ACK" in fl and \
                "RST" not in fl and p["ack"] >= end:
            return True
    return False


def deliver(e, o, seg, waiting):
    """End e receives o's segment seg (its end, its ACK field, FIN)."""
    waiting.remove(seg)
    learn(e, o, seg[1])
    if seg[2] and not e.got_fin:
        e.got_fin = True
        note(e)


def by_call(e, o, text, new, theirs):
    """End e (o the other) made the call text, drawn as entering new;
    theirs: o's segments waiting for e.  What the call proves: close() or
    shutdown() enters FIN_WAIT_1 or LAST_ACK (3.10.4); close() in
    SYN_SENT, or one that aborts, CLOSED (3.10.4, 3.10.5); recv() = 0
    that o's FIN and all before it arrived."""
    if new == "CLOSED":
        e.rst = "CLOSED"
    elif new in ("FIN_WAIT_1", "LAST_ACK") and not e.closing:
        e.closing = True
        e.active = not e.got_fin
    elif re.search(r"recv\(\) = 0|then 0: EOF", text) and o.fin is not None:
        for seg in [w for w in theirs if w[0] <= o.fin + 1]:
            deliver(e, o, seg, theirs)
        if e.fin is not None and o.fin_ackno is not None and \
                o.fin_ackno > e.fin:
            e.fin_acked = True
        e.got_fin = True
    note(e)


def derive(pkts):
    """The states each end of one conversation passed, (A's, B's), from
    evidence alone: a segment that uses sequence space is received when
    the receiver's ACK covers it (its own ACK field with it); a bare ACK
    or a RST is presumed received unless the receiver later resends what
    the ACK covers."""
    a, b = Proof(), Proof()
    waiting = ([], [])      # (end of segment, its ACK field) sent by A, B
    for i, p in enumerate(pkts):
        if p.get("type") == "call":
            for d, name in ((0, "a"), (1, "b")):
                if p.get("path_" + name):
                    by_call(*((a, b) if d == 0 else (b, a)), p["call"],
                            p["path_" + name][-1], waiting[1 - d])
            continue
        d = 0 if p["dir"] == "A>B" else 1
        s, r = (a, b) if d == 0 else (b, a)
        fl = set(p["flags"].split(","))
        if (s.rst or s.refused) and "RST" not in fl:
            continue                # (a RST is what an abort sends)
        if "ACK" in fl and "RST" not in fl:
            ack = p["ack"]
            if r.syn or r.synack:
                s.got_syn = s.got_syn or ack >= 1
                note(s)
            for seg in [w for w in waiting[1 - d] if w[0] <= ack]:
                deliver(s, r, seg, waiting[1 - d])
            if r.fin is not None and ack > r.fin and not s.got_fin:
                s.got_fin = True
                note(s)
        if "RST" in fl:
            if "SYN" in r.states[-1:] or (r.syn and not s.synack and
                                          not s.got_syn and r.states ==
                                          ["SYN_SENT"]):
                s.refused = True
            else:
                s.rst = "CLOSED"
            note(s)
            if not sends_later(pkts, i, p["dir"][::-1]):
                r.rst = "LISTEN" if r.states[-1:] == ["SYN_RECEIVED"] \
                    and not r.syn else "CLOSED"
                note(r)
            continue
        if "SYN" in fl:
            if "ACK" in fl:
                s.synack = True
            else:
                s.syn = True
            note(s)
        if "FIN" in fl and s.fin is None:
            s.fin = p["seq"] + p["len"] + (1 if "SYN" in fl else 0)
            s.fin_ackno = p["ack"] if "ACK" in fl else None
            if not s.closing:
                s.active = not s.got_fin
            note(s)
        used = p["len"] + ("SYN" in fl) + ("FIN" in fl)
        if "ACK" in fl and used:
            waiting[d].append((p["seq"] + used, p["ack"], "FIN" in fl))
        elif "ACK" in fl and not resent_later(pkts, i, p["dir"][::-1],
                                              p["ack"]):
            # One path, in order: what s sent before this ACK and r
            # acknowledges later arrived before it.
            for seg in [w for w in waiting[d] if acked_later(pkts, i,
                                                             w[0])]:
                deliver(r, s, seg, waiting[d])
            learn(r, s, p["ack"])
    return a.states, b.states


def drawn(pkts, name):
    """The states drawn for end name ("a", "b"), in order, once each."""
    out = []
    for p in pkts:
        path = p.get("path_" + name, [p.get("state_" + name, "?")])
        if retracted(p, name) and out:
            out.pop()               # drawn on a presumption, taken back
            path = path[1:]
        for st in path:
            if st != "?" and (not out or out[-1] != st):
                out.append(st)
    return out


def state_for_state(convs):
    """The conversations whose drawn states are not the model's."""
    bad = []
    for conv, pkts in sorted(convs.items()):
        for name, want in zip(("a", "b"), derive(pkts)):
            got = drawn(pkts, name)
            if got != want:
                bad.append("conv %s %s: drawn %s, the model %s" % (
                    conv, name.upper(), " -> ".join(got) or "?",
                    " -> ".join(want) or "?"))
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
