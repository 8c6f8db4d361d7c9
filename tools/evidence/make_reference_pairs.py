#!/usr/bin/env python3
"""Generate fixtures/reference/<case>/{good,bad,case.json}: GOOD is a request a
server with a non-RFC Base Address accepts (signed by oauthlib over the base
string that server rebuilds), BAD the same call from a client with faults
(oauthref's transforms).  The expected server form, deployment faults and
BAD's client faults are worked out here, never by sigdoctor.

    python3 tools/evidence/make_reference_pairs.py
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools" / "reference"))

import oauthref as R  # noqa: E402
import reqformats as F  # noqa: E402

OUT = REPO / "fixtures" / "reference"
CS = "Zp4Lr8Tx2Vn6Bq0Ws3Ky7Hm1Jd5Fg9Ca2Ue6Io0Pb4Nt8Rl3Xs7Vw1Yz5Mk9Qh"
KEY = "a6e2c9d14f7b3e8a0c5d2f9b6e1a4c7d"
MADE_BY = f"tools/evidence/make_reference_pairs.py (oauthlib {R.OAUTHLIB_VERSION})"
URI_AXES = {"scheme", "port", "host", "path"}


def unsigned(url, ts, nonce):
    oauth = [("oauth_consumer_key", KEY), ("oauth_nonce", nonce),
             ("oauth_signature_method", "HMAC-SHA1"),
             ("oauth_timestamp", str(ts)), ("oauth_version", "1.0")]
    sep = "&" if "?" in url else "?"
    return url + sep + "&".join(f"{n}={R.pct(v)}" for n, v in oauth)


def server_uri(url, server):
    """The base string URI the server signs for a request to `url`:
    server = (scheme, host, port or None, path rule)."""
    _, _, _, path, _, _ = R.split_url(url)
    scheme, host, port, rule = server
    path = path or "/"
    if rule == "slash-toggled":
        path = path[:-1] if path.endswith("/") else path + "/"
    return f"{scheme}://{host}" + (f":{port}" if port else "") + path


def rfc_uri(url):
    scheme, host, port, path, _, _ = R.split_url(url)
    scheme, host = scheme.lower(), host.lower()
    keep = port and int(port) != R.DEFAULT_PORT[scheme]
    return f"{scheme}://{host}" + (f":{port}" if keep else "") + (path or "/")


def deployment_faults(rfc, server):
    a, b = R.split_url(rfc), R.split_url(server)
    out = []
    if a[0] != b[0]:
        out.append("base-address-scheme")
    if a[2] != b[2]:
        out.append("base-address-port")
    if a[1] != b[1]:
        out.append("base-address-host")
    if a[3] != b[3]:
        out.append("base-address-path")
    return out


def good_request(url, server):
    """GOOD: the URL as called, signed over the server's base string."""
    u = unsigned(url, 1764000100, "G00dN0nce1")
    req = R.Request("GET", u)
    rfc_bs = R.oauthlib_base_string(req)
    method, _, params = rfc_bs.split("&", 2)
    bs = f"{method}&{R.pct(server_uri(u, server))}&{params}"
    sig = R.oauthlib_sign(bs, "HMAC-SHA1", CS, "")
    return u + "&oauth_signature=" + R.pct(sig)


def bad_request(url, faults):
    u = unsigned(url, 1764000200, "BadN0nce22")
    p = R.Parsed(R.Request("GET", u))
    text, transport, bs = R.signature_for(p, R.Secrets(CS), faults)
    h, _, _ = R.hyp_from_faults(faults)
    return u + "&oauth_signature=" + R.wire_signature(text, transport), R.base_uri_for(p, h)


def write(name, good, bad, case, good_format="url"):
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    g = R.Request("GET", good)
    (d / "good").write_text(F.to_curl(g) if good_format == "curl" else F.to_url(g))
    (d / "bad").write_text(bad + "\n")
    (d / "case.json").write_text(json.dumps({"made_by": MADE_BY, "consumer_secret": CS, **case},
                                            indent=2) + "\n")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    called = "https://gallery.example.com/gallery/api/v1/workflows/subscription/?limit=20&search=my%20flow"
    cases = [
        # name, server form, BAD's faults, extra args
        ("scheme-host-alias", ("http", "gallery01", None, "as-sent"), ["key-missing-ampersand"],
         ["--host-alias", "gallery01"]),
        ("scheme-client-signs-http", ("http", "gallery.example.com", None, "as-sent"), ["uri-scheme"], []),
        ("literal-port", ("https", "gallery.example.com", 443, "as-sent"),
         ["params-unsorted", "uri-default-port-kept"], []),
        ("machine-name", ("http", "gallery", None, "as-sent"), ["params-plus-for-space"], []),
        ("path-slash", ("https", "gallery.example.com", None, "slash-toggled"), ["method-lowercase"], []),
        ("rfc-server", ("https", "gallery.example.com", None, "as-sent"), ["uri-default-port-kept"], []),
    ]
    for name, server, faults, args in cases:
        good = good_request(called, server)
        bad, bad_uri = bad_request(called, faults)
        srv_bad = server_uri(bad, server)
        # BAD's URI faults are no faults when BAD signs the server's very URI.
        kept = [f for f in faults
                if not (R.AXIS_OF[f] in URI_AXES and bad_uri == srv_bad)]
        write(name, good, bad, {
            "args": args,
            "expect_reference_verdict": "valid" if server_uri(good, server) == rfc_uri(good) else "server-form",
            "expect_server_base_uri": server_uri(good, server),
            "expect_reference_faults": deployment_faults(rfc_uri(good), server_uri(good, server)),
            "expect_verdict": "explained" if kept else "valid",
            "expect_faults": sorted(kept),
        }, good_format="curl" if name == "literal-port" else "url")

    # No secret: the two requests diffed as sent.
    good = good_request(called, ("https", "gallery.example.com", None, "as-sent"))
    bad_url = ("https://gallery.example.com:443/gallery/api/v1/workflows/subscription/"
               "?search=my+flow&offset=0")
    bad, _ = bad_request(bad_url, [])
    write("no-secret-diff", good, bad, {
        "args": [],
        "expect_reference_verdict": "unverifiable",
        "expect_differences": [
            ["port", False],
            ["param limit", True],
            ["param search encoding on the wire", False],
            ["param offset", True],
        ],
    })
    print(f"wrote {len(list(OUT.iterdir()))} cases under {OUT}")


if __name__ == "__main__":
    main()
