#!/usr/bin/env python3
"""tests/tlsdecode-tshark.py: tshark's reading of a capture's TLS
(tshark -T json --no-duplicate-keys, on stdin) as the canonical lines
tests/tls-dump -c prints: one line a record ("FRAME rec TYPE LENGTH"),
one a handshake message read in clear ("FRAME hs TYPE"), the hellos with
their SNI, ALPN, cipher suite count, supported versions and key-share
groups (ClientHello) or chosen version and cipher (ServerHello)."""
import json
import sys


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def find_all(node, key, out):
    """Every value of key under node, in document order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                out.extend(as_list(v))
            else:
                find_all(v, key, out)
    elif isinstance(node, list):
        for v in node:
            find_all(v, key, out)
    return out


def first(node, key, default=""):
    v = find_all(node, key, [])
    return v[0] if v else default


def hello(hs):
    t = int(hs["tls.handshake.type"])
    if t == 1:
        suites = int(first(hs, "tls.handshake.cipher_suites_length", "0")) // 2
        versions = ",".join(find_all(hs, "tls.handshake.extensions.supported_version", []))
        groups = ",".join(find_all(hs, "tls.handshake.extensions_key_share_group", []))
        return " sni=%s alpn=%s suites=%d versions=%s groups=%s" % (
            first(hs, "tls.handshake.extensions_server_name"),
            ",".join(find_all(hs, "tls.handshake.extensions_alpn_str", [])),
            suites, versions, groups)
    version = first(hs, "tls.handshake.extensions.supported_version") or \
        hs.get("tls.handshake.version", "0x0000")
    return " version=0x%04x cipher=0x%04x" % (
        int(version, 16), int(first(hs, "tls.handshake.ciphersuite", "0x0"), 16))


def records(frame, tls):
    for layer in as_list(tls):
        if not isinstance(layer, dict):
            continue
        for rec in as_list(layer.get("tls.record")):
            if not isinstance(rec, dict):
                continue
            rtype = rec.get("tls.record.content_type") or rec.get("tls.record.opaque_type")
            if rtype is None:
                continue
            print("%s rec %s %s" % (frame, rtype, rec["tls.record.length"]))
            for hs in as_list(rec.get("tls.handshake")):
                if not isinstance(hs, dict) or "tls.handshake.type" not in hs:
                    continue
                t = int(hs["tls.handshake.type"])
                extra = hello(hs) if t in (1, 2) else ""
                print("%s hs %d%s" % (frame, t, extra))


def main():
    for pkt in json.load(sys.stdin):
        layers = pkt["_source"]["layers"]
        frame = as_list(layers["frame"])[0]["frame.number"]
        records(frame, layers.get("tls"))


main()
