#!/usr/bin/env python3
"""tests/graph-panel.py SVG [LADDER WHO]: check the TCP_INFO panel of a
--graph picture.  Prints one line per check, "ok WHAT" or "not ok WHAT".

The panel (<g class="tcpinfo" data-samples="N">) holds N samples: its
<desc class="samples"> lists them (t cwnd ssthresh srtt_us rto_us), in
time order; the cwnd, srtt and rto lines each go through N points whose
x never decreases.  With LADDER (the demo's --ascii output) and WHO
(client or server), every "WHO: TCP_INFO says ..., cwnd C" line of the
ladder is a sample of the panel: the same cwnd at the same time, counted
from the conversation's SYN."""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def say(cond, what):
    print(("ok " if cond else "not ok ") + what)
    return cond


def panel(path):
    root = ET.parse(path).getroot()
    for g in root.iter(NS + "g"):
        if g.get("class") == "tcpinfo":
            return g
    return None


def samples(g):
    desc = g.find(NS + "desc")
    rows = desc.text.strip().split("\n")[1:] if desc is not None else []
    return [tuple(float(x) for x in r.split()) for r in rows]


def lines(g):
    out = {}
    for pl in g.iter(NS + "polyline"):
        pts = [tuple(map(float, p.split(",")))
               for p in pl.get("points", "").split()]
        out[pl.get("class")] = (int(pl.get("data-n")), pts)
    return out


def ladder_infos(path, who):
    """(ms from the SYN, cwnd) of each TCP_INFO line of who with a cwnd."""
    syn, got = None, []
    for ln in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*([0-9.]+)\s+SYN_SENT\s+-- SYN ", ln)
        if m and syn is None:
            syn = float(m.group(1))
        m = re.match(r"\s*([0-9.]+)  this host: " + who +
                     r": TCP_INFO says [A-Z_0-9]+, mss \d+, cwnd (\d+)", ln)
        if m and syn is not None:
            got.append((float(m.group(1)) - syn, int(m.group(2))))
    return got


def main():
    g = panel(sys.argv[1])
    if not say(g is not None, "the graph has a TCP_INFO panel"):
        return
    n = int(g.get("data-samples"))
    smp = samples(g)
    say(n >= 2 and len(smp) == n, "the panel lists its %d samples" % n)
    ts = [s[0] for s in smp]
    say(ts == sorted(ts), "in time order")
    ls = lines(g)
    for k in ("cwnd", "srtt", "rto"):
        cnt, pts = ls.get(k, (-1, []))
        xs = [p[0] for p in pts]
        say(cnt == n and len(pts) == n and xs == sorted(xs),
            "the %s line goes through the %d samples, left to right" % (k, n))
    if len(sys.argv) < 4:
        return
    infos = ladder_infos(sys.argv[2], sys.argv[3])
    miss = [(t, c) for t, c in infos
            if not any(abs(s[0] * 1000 - t) < 0.02 and s[1] == c
                       for s in smp)]
    say(infos and not miss, "each of the %d TCP_INFO lines of the %s is a "
        "sample of the panel%s" % (len(infos), sys.argv[3],
                                   " (missing %s)" % miss if miss else ""))


main()
