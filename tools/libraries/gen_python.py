"""Signs the scenarios of scenarios.json with the Python OAuth 1.0a clients, used the way
their READMEs show, and prints one JSON line per request as it would leave the machine.

The HTTP layer is replaced at its last step (a requests transport adapter, httplib2's
`Http.request`), so what is recorded is what the library hands to the socket. Each case
carries the faults a reader of the library expects (`expect_faults`) and where in the
library that behaviour lives (`source`); build.py checks them against the independent
reference, never against sigdoctor.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests
from requests.adapters import BaseAdapter

SC = json.loads((Path(__file__).parent / "scenarios.json").read_text())
TS = SC["timestamp"]


class Capture(BaseAdapter):
    """A transport that records the prepared request instead of sending it."""

    def __init__(self):
        super().__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        r = requests.Response()
        r.status_code, r.url, r.request, r._content = 401, request.url, request, b""
        return r

    def close(self):
        pass


def session():
    s, cap = requests.Session(), Capture()
    s.mount("https://", cap)
    s.mount("http://", cap)
    return s, cap


def record_prepared(p):
    body = p.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    headers = [[n, v if isinstance(v, str) else v.decode()] for n, v in p.headers.items()
               if n.lower() not in ("content-length", "host", "user-agent",
                                    "accept-encoding", "connection", "accept")]
    return {"method": p.method, "url": p.url, "headers": headers, "body": body or None}


def host_as_written(req, sc):
    """requests lower-cases the host on the wire; the user still has the URL as written
    in the code, which is what shows uri-host-case (faults.md: not visible on the wire)."""
    wire, written = req["url"], sc["url"]
    cut_w, cut_s = wire.index("/", 8), written.index("/", 8)
    if wire[:cut_w].lower() == written[:cut_s].lower() and wire[:cut_w] != written[:cut_s]:
        req["url"] = written[:cut_s] + wire[cut_w:]
        req["note"] = "host as written in the code; the HTTP stack sends it lower-cased"
    return req


def secrets_of(sc):
    real = SC["reserved_secret"] if sc.get("secret") == "reserved" else SC["consumer_secret"]
    return real, sc.get("secret_given", real)


def token_of(sc):
    return (SC["token"], SC["token_secret"]) if sc.get("use_token") else (None, None)


# ---------------------------------------------------------------- oauthlib


def oauthlib_sign(sc, nonce):
    """oauthlib's own Client.sign(uri, method, body, headers), its README's way: the caller
    puts the query on the URI and a form body as a string, and sends what sign() returns."""
    from urllib.parse import urlencode
    from oauthlib.oauth1 import Client
    _, given = secrets_of(sc)
    tok, tsec = token_of(sc)
    client = Client(SC["consumer_key"], client_secret=given, resource_owner_key=tok,
                    resource_owner_secret=tsec, nonce=nonce, timestamp=str(TS))
    url = sc["url"]
    if sc.get("params"):
        url += ("&" if "?" in url else "?") + urlencode([tuple(p) for p in sc["params"]])
    body, headers = None, {}
    if sc.get("data"):
        body = urlencode([tuple(p) for p in sc["data"]])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        uri, headers, body = client.sign(url, sc["method"], body, headers)
    except ValueError:
        return None  # oauthlib refuses a query with raw [ ]: the user gets an error, no request
    return {"method": sc["method"], "url": uri, "headers": [[n, v] for n, v in headers.items()],
            "body": body}


# ---------------------------------------------------------------- requests-oauthlib


def requests_oauthlib_sign(sc, nonce, signature_type="AUTH_HEADER"):
    from requests_oauthlib import OAuth1
    _, given = secrets_of(sc)
    tok, tsec = token_of(sc)
    auth = OAuth1(SC["consumer_key"], given, tok, tsec, nonce=nonce, timestamp=str(TS),
                  signature_type=signature_type)
    s, cap = session()
    s.request(sc["method"], sc["url"], params=sc.get("params"), data=sc.get("data"), auth=auth)
    return host_as_written(record_prepared(cap.sent[0]), sc)


# ---------------------------------------------------------------- authlib


def authlib_sign(sc, nonce):
    from authlib.integrations.requests_client import OAuth1Auth
    from authlib.oauth1.rfc5849 import client_auth
    client_auth.generate_nonce = lambda: nonce
    client_auth.generate_timestamp = lambda: str(TS)
    _, given = secrets_of(sc)
    tok, tsec = token_of(sc)
    auth = OAuth1Auth(SC["consumer_key"], given, token=tok, token_secret=tsec)
    s, cap = session()
    s.request(sc["method"], sc["url"], params=sc.get("params"), data=sc.get("data"), auth=auth)
    return host_as_written(record_prepared(cap.sent[0]), sc)


# ---------------------------------------------------------------- python-oauth2


def oauth2_sign(sc, nonce):
    import httplib2
    import oauth2
    from urllib.parse import urlencode
    oauth2.Request.make_nonce = classmethod(lambda cls: nonce)
    oauth2.Request.make_timestamp = classmethod(lambda cls: str(TS))
    sent = []

    def fake_request(self, uri, method="GET", body=None, headers=None, *a, **k):
        sent.append((uri, method, body, headers))
        return httplib2.Response({"status": "401"}), b""

    httplib2.Http.request = fake_request
    _, given = secrets_of(sc)
    tok, tsec = token_of(sc)
    consumer = oauth2.Consumer(SC["consumer_key"], given)
    client = oauth2.Client(consumer, oauth2.Token(tok, tsec) if tok else None)
    url = sc["url"]
    if sc.get("params"):  # the README's way: the query goes on the URL
        url += ("&" if "?" in url else "?") + urlencode([tuple(p) for p in sc["params"]])
    # bytes: on Python 3 a str body fails in sign_request (sha1 of a str) for a GET
    body = urlencode([tuple(p) for p in sc["data"]]) if sc.get("data") else b""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if sc.get("data") else None
    client.request(url, sc["method"], body=body, headers=headers)
    uri, method, body, headers = sent[0]
    hs = [[n, v] for n, v in (headers or {}).items() if n.lower() not in ("content-length",)]
    return {"method": method, "url": uri, "headers": hs, "body": body or None}


# ---------------------------------------------------------------- rauth


def rauth_sign(sc, nonce):
    import rauth.session as rs
    from rauth import OAuth1Session
    rs.time = lambda: TS
    rs.sha1 = lambda b: type("H", (), {"hexdigest": lambda self: nonce})()
    _, given = secrets_of(sc)
    tok, tsec = token_of(sc)
    s = OAuth1Session(SC["consumer_key"], given, access_token=tok, access_token_secret=tsec)
    cap = Capture()
    s.mount("https://", cap)
    s.mount("http://", cap)
    kw = {}
    if sc.get("params"):
        if len({n for n, _ in sc["params"]}) < len(sc["params"]):
            return None  # rauth takes params as a dict: a repeated name cannot be given
        kw["params"] = dict(sc["params"])
    if sc.get("data"):
        kw["data"] = dict(sc["data"])
    s.request(sc["method"], sc["url"], **kw)
    return host_as_written(record_prepared(cap.sent[0]), sc)


# ---------------------------------------------------------------- expectations

WS = ["key-secret-whitespace"]
OAUTHLIB_SRC = ("oauthlib/oauth1/rfc5849/signature.py: base_string_uri lower-cases the host "
                "and drops a default port; collect_parameters decodes the query with '+' as "
                "space; sign_hmac_sha1 escapes both secrets")
LIBS = {
    "oauthlib": {
        "sign": oauthlib_sign,
        "version": lambda: __import__("oauthlib").__version__,
        "source": OAUTHLIB_SRC,
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS, "field-combo": WS},
    },
    "requests-oauthlib": {
        "sign": requests_oauthlib_sign,
        "version": lambda: __import__("requests_oauthlib").__version__
        + " (oauthlib " + __import__("oauthlib").__version__ + ")",
        "source": OAUTHLIB_SRC,
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS, "field-combo": WS},
    },
    # the Alteryx sample client's way: OAuth1(..., signature_type="query")
    "requests-oauthlib-query": {
        "sign": lambda sc, nonce: requests_oauthlib_sign(sc, nonce, "QUERY"),
        "version": lambda: __import__("requests_oauthlib").__version__
        + " (oauthlib " + __import__("oauthlib").__version__ + ")",
        "source": OAUTHLIB_SRC,
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS, "field-combo": WS},
    },
    "authlib": {
        "sign": authlib_sign,
        "version": lambda: __import__("authlib").__version__,
        "source": ("authlib/oauth1/rfc5849/signature.py: normalize_base_string_uri lower-cases "
                   "scheme and host and drops default ports; hmac_sha1_signature escapes both "
                   "secrets"),
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS, "field-combo": WS},
    },
    "python-oauth2": {
        "sign": oauth2_sign,
        "version": lambda: str(__import__("oauth2").__version__),
        "source": ("oauth2/__init__.py: Request.url keeps the netloc's case (urlsplit, only "
                   ":80/:443 stripped); Request._split_url_string unquotes parse_qs's already "
                   "decoded values a second time; get_normalized_parameters sorts raw tuples"),
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS,
                   "upper-host": ["uri-host-case"],
                   "encoded-in-url": ["params-over-decoded"],
                   "repeated-non-ascii": ["params-sorted-raw"],
                   "repeated-non-ascii-rfc-order": ["params-sorted-raw"],
                   # normalized_url keeps the raw space; escape() then encodes it once
                   "space-in-path": ["uri-path-decoded"],
                   "field-combo": WS + ["uri-host-case"]},
        # Request.to_url rebuilds the query with parse_qs(query) (blank values dropped) while
        # get_normalized_parameters signs _split_url_string(query) (keep_blank_values=True):
        # `filter=` is signed but not sent. No fault of the catalogue says so.
        "unexpressible": {"empty-in-url": lambda req: dict(req, url=req["url"] + "&filter=")},
    },
    "rauth": {
        "sign": rauth_sign,
        "version": lambda: __import__("rauth").__version__,
        "source": ("rauth/oauth.py: SignatureMethod._remove_qs keeps scheme, host case and port "
                   "as written and drops the URL's query; _normalize_request_parameters signs "
                   "only the params/data keyword arguments"),
        "expect": {"secret-trailing-space": WS, "secret-trailing-newline": WS,
                   "port-443": ["uri-default-port-kept"],
                   "upper-host": ["uri-host-case"],
                   # _remove_qs keeps the raw space; requests sends %20
                   "space-in-path": ["uri-path-decoded"],
                   "field-combo": WS + ["uri-default-port-kept", "uri-host-case"]},
        # the URL's query is never signed: every scenario with one carries this fault
        "query_omitted": True,
    },
}


def main():
    only = set(sys.argv[1:])
    for name, lib in LIBS.items():
        if only and name not in only:
            continue
        version = lib["version"]()
        for i, sc in enumerate(SC["scenarios"]):
            nonce = f"py{name.replace('-', '')[:9]}{i:02d}n0nce"
            req = lib["sign"](sc, nonce)
            if req is None:
                continue
            real, given = secrets_of(sc)
            faults = lib["expect"].get(sc["case"], [])
            if lib.get("query_omitted") and "?" in sc["url"]:
                faults = faults + ["params-query-omitted"]
            row = {
                "id": f"python-{name}-{sc['case']}",
                "ecosystem": "python", "library": name, "version": version,
                "case": sc["case"], "misuse": sc["misuse"], "request": req,
                "consumer_secret": real,
                "token_secret": SC["token_secret"] if sc.get("use_token") else None,
                "expect_faults": sorted(faults),
                "variants": {"key-secret-whitespace": given} if given != real else {},
                "source": lib["source"],
            }
            signed_as = lib.get("unexpressible", {}).get(sc["case"])
            if signed_as:
                row["expect_verdict"] = "unexplained"
                row["signed_as"] = signed_as(req)
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
