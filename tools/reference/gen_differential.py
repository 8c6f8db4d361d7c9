#!/usr/bin/env python3
"""Generate tests/data/differential/oauthlib.jsonl: random OAuth 1.0a requests
signed by oauthlib's Client (and, for HMAC-SHA1, by the npm package
oauth-signature 1.5.0 through sign_js.js), for `sigdoctor sign` to reproduce.

Each line: {method, url (as the client passes it: may carry a query and an
explicit port), body (form text or null), consumer_key, consumer_secret,
token, token_secret, timestamp, nonce, signature_method, signature_type
(where oauthlib put the oauth parameters; does not change the signature),
base_string, signature (not percent-encoded), oauth_signature_js (string or
null), js_agrees (bool or null), js_base_string (only when it disagrees)}.

    python3 tools/reference/gen_differential.py [-n 400] [--seed 5849] [--out PATH] [--no-js]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oauthlib.oauth1 import Client  # noqa: E402
from oauthlib.oauth1.rfc5849 import signature as oasig  # noqa: E402

import oauthref as R  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# characters a query or form body may carry raw (oauthlib accepts them unencoded)
RAW_OK = ":/@!*'(),;$?~"
# characters of decoded values, beyond letters and digits
SPICE = [" ", " ", "+", "&", "=", "%", "/", "?", "#", "!", "*", "'", "(", ")", "~",
         "-", "_", ".", ",", ";", ":", "@", "$", "[", "]", '"', "<", ">", "\\",
         "\u00e9", "\u00fc", "\u00df", "\u4e2d", "\u6587", "\u0416", "\U0001F600",
         "\u2603", "\t", "\n"]
NAMES = ["q", "search", "limit", "offset", "page", "pageSize", "sortField", "SortOrder",
         "tag", "filter", "fields", "status", "org", "org-country", "a", "a2", "b5",
         "c@", "c2", "x y", "\u00e9t\u00e9", "name[]", "expand", "oauth_callback",
         "include_entities", "count", "z", "Z", "_"]
HOSTS = ["gallery.example.com", "Gallery.Example.COM", "api.example.com",
         "shop.example.com", "127.0.0.1", "localhost", "photos.example.net",
         "1234567.restlets.api.netsuite.com", "EXAMPLE.com"]
SEGMENTS = ["gallery", "api", "v1", "workflows", "subscription", "admin", "jobs",
            "wp-json", "wc", "v3", "products", "1.1", "statuses", "update.json",
            "Files", "My%20Docs", "caf%C3%A9", "a%2Fb", "~user", "r%C3%A9sum%C3%A9",
            "x;y=1", "5e3c2a1f9b8d7c6e5f4a3b2c", "UPPER", "a+b", "%7Euser"]


def rand_str(rng, n_min=0, n_max=12, spice=0.3):
    n = rng.randint(n_min, n_max)
    return "".join(rng.choice(SPICE) if rng.random() < spice else rng.choice(ALNUM)
                   for _ in range(n))


def wire(rng, s, form_ok=True):
    """Encode a decoded name or value the way some client would put it on the wire."""
    mode = rng.random()
    out = []
    for ch in s:
        if ch in ALNUM or ch in "-._~":
            out.append(ch)
        elif ch == " " and form_ok and mode < 0.35:
            out.append("+")
        elif ch in RAW_OK and ch not in "+&=%#" and mode > 0.7:
            out.append(ch)  # left raw: legal in a query
        else:
            enc = R.pct(ch)
            if mode > 0.9 and ch != "%":
                enc = enc.lower()
            out.append(enc)
    return "".join(out)


def rand_pairs(rng, k_max):
    pairs = []
    for _ in range(rng.randint(0, k_max)):
        if pairs and rng.random() < 0.15:
            name = rng.choice(pairs)[0]  # a duplicate name
        elif rng.random() < 0.75:
            name = rng.choice(NAMES)
        else:
            name = rand_str(rng, 1, 8, 0.2)
        r = rng.random()
        if r < 0.12:
            value = ""
        elif r < 0.2:
            value = None  # name without '='
        else:
            value = rand_str(rng, 1, 14)
        if name.startswith("oauth_") and value:
            # oauthlib percent-decodes oauth_* values a second time (not RFC):
            # keep '%' out of them so oauthlib stays a faithful reference
            value = value.replace("%", "pct")
        pairs.append((name, value))
    return pairs


def encode_pairs(rng, pairs):
    parts = []
    for n, v in pairs:
        if v is None:
            parts.append(wire(rng, n))
        else:
            parts.append(wire(rng, n) + "=" + wire(rng, v))
    return "&".join(parts)


def rand_secret(rng):
    r = rng.random()
    if r < 0.5:
        return "".join(rng.choice(ALNUM) for _ in range(rng.randint(8, 64)))
    if r < 0.8:  # base64-looking
        return "".join(rng.choice(ALNUM + "+/") for _ in range(rng.randint(16, 43))) + "="
    return rand_str(rng, 4, 24, 0.35).strip() or "s"


def rand_key(rng):
    k = "".join(rng.choice(ALNUM + "-_.") for _ in range(rng.randint(8, 40)))
    if rng.random() < 0.1:
        k += rng.choice(["+", "=", "%", " ", "\u00e9", "&"]) + "x"
    return k.lstrip("-") or "k"


def random_case(rng):
    method = rng.choice(["GET", "GET", "POST", "POST", "PUT", "DELETE"])
    scheme = rng.choice(["https", "https", "http"])
    host = rng.choice(HOSTS)
    r = rng.random()
    if r < 0.55:
        port = None
    elif r < 0.75:
        port = "443" if scheme == "https" else "80"          # explicit default
    elif r < 0.82:
        port = "80" if scheme == "https" else "443"          # the other default: not default
    else:
        port = rng.choice(["8080", "8443", "3000", "9443"])
    r = rng.random()
    if r < 0.07:
        path = ""
    elif r < 0.14:
        path = "/"
    else:
        path = "/" + "/".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.5:
            path += "/"
    query = encode_pairs(rng, rand_pairs(rng, 5))
    url = f"{scheme}://{host}" + (f":{port}" if port else "") + path
    if query:
        url += "?" + query
    elif rng.random() < 0.05:
        url += "?"
    body = None
    if method in ("POST", "PUT") and rng.random() < 0.6:
        body = encode_pairs(rng, rand_pairs(rng, 5)) or None
    token = rand_key(rng) if rng.random() < 0.5 else None
    case = {
        "method": method,
        "url": url,
        "body": body,
        "consumer_key": rand_key(rng),
        "consumer_secret": rand_secret(rng),
        "token": token,
        "token_secret": rand_secret(rng) if token else None,
        "timestamp": str(rng.randint(1_000_000_000, 1_999_999_999)),
        "nonce": "".join(rng.choice(ALNUM) for _ in range(rng.randint(6, 32))),
        "signature_method": rng.choice(["HMAC-SHA1", "HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]),
        "signature_type": rng.choice(["QUERY", "AUTH_HEADER"]),
    }
    return case


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.base = None

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("Signing: signature base string: "):
            self.base = msg[len("Signing: signature base string: "):]


_cap = _Capture()
_log = logging.getLogger("oauthlib.oauth1.rfc5849")
_log.setLevel(logging.DEBUG)
_log.addHandler(_cap)
_log.propagate = False


def sign_oauthlib(case):
    """Sign with oauthlib's Client; returns (base_string, signature, signed Request)
    or None when oauthlib refuses the request."""
    client = Client(case["consumer_key"], client_secret=case["consumer_secret"],
                    resource_owner_key=case["token"],
                    resource_owner_secret=case["token_secret"],
                    signature_method=case["signature_method"],
                    signature_type=case["signature_type"],
                    timestamp=case["timestamp"], nonce=case["nonce"])
    headers = {"Content-Type": R.FORM} if case["body"] is not None else {}
    _cap.base = None
    try:
        uri, hdrs, body = client.sign(case["url"], http_method=case["method"],
                                      body=case["body"], headers=headers)
    except ValueError:
        return None
    # the signature oauthlib produced, read back from where it put it
    if case["signature_type"] == "AUTH_HEADER":
        m = re.search(r'oauth_signature="([^"]*)"', hdrs["Authorization"])
        sig = unquote(m.group(1))
    else:
        q = uri.split("?", 1)[1]
        sig = [unquote(v.replace("+", " ")) for n, _, v in
               (s.partition("=") for s in q.split("&")) if n == "oauth_signature"][0]
    # an independent base string over the request as the client passes it plus
    # the oauth parameters oauthlib chose (oauthref, via oauthlib primitives)
    oauth = [("oauth_nonce", case["nonce"]), ("oauth_timestamp", case["timestamp"]),
             ("oauth_version", "1.0"), ("oauth_signature_method", case["signature_method"]),
             ("oauth_consumer_key", case["consumer_key"])]
    if case["token"]:
        oauth.append(("oauth_token", case["token"]))
    auth = "OAuth " + ", ".join(f'{n}="{R.pct(v)}"' for n, v in oauth)
    hdr = [("Authorization", auth)]
    if case["body"] is not None:
        hdr.append(("Content-Type", R.FORM))
    req = R.Request(case["method"], case["url"], hdr, case["body"])
    base = R.oauthlib_base_string(req)
    R.FORCE_CUSTOM = True
    mine = R.base_string_for(R.Parsed(req), {})
    R.FORCE_CUSTOM = False
    if mine != base:
        raise AssertionError(f"oauthref and oauthlib disagree on {case}")
    if case["signature_method"] != "PLAINTEXT":
        if _cap.base != base:
            raise AssertionError(f"oauthlib Client base string differs: {_cap.base!r} vs {base!r}")
        if R.oauthlib_sign(base, case["signature_method"], case["consumer_secret"],
                           case["token_secret"]) != sig:
            raise AssertionError("signature does not recompute")
    else:
        if sig != R.pct(case["consumer_secret"]) + "&" + R.pct(case["token_secret"] or ""):
            raise AssertionError("PLAINTEXT signature")
    return base, sig, req


def js_inputs(case, req):
    params = oasig.collect_parameters(
        uri_query=R.split_url(case["url"])[4] or "",
        body=case["body"] if case["body"] is not None else None,
        headers={"Authorization": req.header("Authorization")})
    url = case["url"].split("?", 1)[0]
    return {"method": case["method"], "url": url, "params": params,
            "consumer_secret": case["consumer_secret"],
            "token_secret": case["token_secret"] or ""}


def sign_js(inputs):
    if not inputs:
        return []
    node = subprocess.run(["node", str(HERE / "sign_js.js")],
                          input="".join(json.dumps(i) + "\n" for i in inputs),
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in node.stdout.splitlines() if line.strip()]


def generate(n, seed):
    """n signed cases (oauthlib), deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        case = random_case(rng)
        signed = sign_oauthlib(case)
        if signed is None:
            continue
        base, sig, req = signed
        case["base_string"] = base
        case["signature"] = sig
        out.append((case, req))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=5849)
    ap.add_argument("--out", default=str(REPO / "tests" / "data" / "differential" / "oauthlib.jsonl"))
    ap.add_argument("--no-js", action="store_true", help="skip the oauth-signature cross-check")
    args = ap.parse_args()

    cases = generate(args.n, args.seed)
    js_idx = [i for i, (c, _) in enumerate(cases) if c["signature_method"] == "HMAC-SHA1"]
    js = [] if args.no_js else sign_js([js_inputs(*cases[i]) for i in js_idx])
    js_by = dict(zip(js_idx, js))
    agree = disagree = 0
    reasons = {}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for i, (c, _) in enumerate(cases):
            rec = {k: c[k] for k in ("method", "url", "body", "consumer_key", "consumer_secret",
                                     "token", "token_secret", "timestamp", "nonce",
                                     "signature_method", "signature_type", "base_string",
                                     "signature")}
            j = js_by.get(i)
            rec["oauth_signature_js"] = j["signature"] if j else None
            rec["js_agrees"] = (j["signature"] == c["signature"]) if j else None
            if j and not rec["js_agrees"]:
                rec["js_base_string"] = j["base_string"]
                disagree += 1
                uri_js = j["base_string"].split("&")[1]
                uri_ok = c["base_string"].split("&")[1]
                why = "base string URI" if uri_js != uri_ok else "parameters"
                reasons[why] = reasons.get(why, 0) + 1
            elif j:
                agree += 1
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    size = out.stat().st_size
    print(f"wrote {len(cases)} cases ({size // 1024} KiB) to {out}; "
          f"oauth-signature agrees on {agree}/{agree + disagree} HMAC-SHA1 cases"
          + (f", differs on {disagree}: {reasons}" if disagree else ""))


if __name__ == "__main__":
    main()
