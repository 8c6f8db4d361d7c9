#!/usr/bin/env python3
"""Generate fixtures/explain/<case>/{request,case.json} with an implementation
independent of sigdoctor: oauthlib's RFC 5849 primitives plus the client-fault
transforms of faults.md written by hand in oauthref.py.

Each case is a request as a faulty client sends it.  Before a case is written
it is checked here:
  * the request file reads back to the request that was signed;
  * with no fault, the hand-written pipeline and oauthlib alone give the same
    base string (cross-check of oauthref against oauthlib);
  * a search over every combination of faults (one per axis) up to the size of
    the injected set finds no smaller set, and the injected set matches; every
    other matching set of that size is listed in alternatives_ok.

Deterministic: fixed timestamps, secrets, and nonces drawn from a seeded RNG.

    python3 tools/reference/make_fixtures.py [--out fixtures/explain] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import string
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import oauthref as R  # noqa: E402
import reqformats as F  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MADE_BY = f"tools/reference/make_fixtures.py (oauthlib {R.OAUTHLIB_VERSION})"
SEED = 5849
TS0 = 1764000000
PLACEHOLDER = "SIGPLACEHOLDER"

# ------------------------------------------------------------ credentials
# (consumer_key, consumer_secret, token, token_secret)
ALX_SUB = ("3f1c8e7a2b9d4c6e8a1f0b2d3c4e5f6a",
           "Q7mZ2kP9vX4rT1sW8yB3nC6fH5jL0dG2aE9uK4iO7pR1tV3xY6zM8qN5bS2wD0",
           None, None)
ALX_ADMIN = ("a6e2c9d14f7b3e8a0c5d2f9b6e1a4c7d",
             "Zp4Lr8Tx2Vn6Bq0Ws3Ky7Hm1Jd5Fg9Ca2Ue6Io0Pb4Nt8Rl3Xs7Vw1Yz5Mk9Qh",
             None, None)
WOO = ("ck_4f8a2c6e9b1d3f5a7c9e0b2d4f6a8c0e1b3d5f7a",
       "cs_9e7c5a3b1d0f8e6c4a2b0d9f7e5c3a1b8d6f4e2c", None, None)
TWITTER = ("GDdmIQH6jhtmLUypg82g", "MCD8BKwGdgPHvAuvgvz4EQpqDAtx89grbuNMRd7Eh98",
           "819797-Jxq8aYUDRmykzVKrgoLhXSq67TEa5ruc4GJC2rWimw",
           "J6zix3FfA9LofH0awS24M3HcBYXO5nI1iYe8EfBA")
RESERVED = ("dpf43f3p2l4k3l03", "kd94hf93+k423/kf44=", None, None)
NETSUITE = ("0f3c9a1e7b5d2c8e4a6f0b9d3c7e1a5f9b2d6c0e4a8f3b7d1c5e9a2f6b0d4c8e",
            "7d2a9f4c1e8b5a3d0f6c2e9b7a4d1f8c5e2b9a6d3f0c7e4b1a8d5f2c9e6b3a0d",
            "c4e8a2f6b0d3c7e1a5f9b3d7c0e4a8f2b6d9c3e7a1f5b8d2c6e0a4f7b1d5c9e3",
            "1b5d9f3c7e0a4b8d2f6c9e3a7b1d5f8c2e6a0b4d7f1c5e9a3b6d0f4c8e2a5b9d")
LTI = ("course-101-key", "lti-shared-secret-9f2c", None, None)
GENERIC = ("api-key-7c1d", "s3cr3t-9a8b7c6d5e4f", None, None)
CREDS_WITH_RESERVED = {
    ALX_SUB: ALX_SUB[:1] + ("Q7mZ2kP9vX4rT1sW8yB3nC6f+H5jL0dG2aE9uK/4iO7pR1tV3xY6z==",) + ALX_SUB[2:],
}

ALTERYX_HOST = "gallery.example.com"
GALLERY = f"https://{ALTERYX_HOST}/gallery"
APP_ID = "5e3c2a1f9b8d7c6e5f4a3b2c"
JOB_JSON = '{"questions":[{"name":"Region","value":"EMEA"}],"priority":"Default"}'

ALTERYX_ORDER = ["oauth_consumer_key", "oauth_signature_method", "oauth_timestamp",
                 "oauth_nonce", "oauth_version", "oauth_token", "oauth_signature"]
LIB_ORDER = ["oauth_nonce", "oauth_timestamp", "oauth_version",
             "oauth_signature_method", "oauth_consumer_key", "oauth_token",
             "oauth_signature"]


# ------------------------------------------------------------ building


def nonce_for(name, attempt, length=None):
    rng = random.Random(f"{SEED}/{name}/{attempt}")
    n = length or rng.choice([11, 16, 24, 32])
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def oauth_pairs(spec, nonce):
    ck, cs, token, ts = spec["creds"]
    have = {
        "oauth_consumer_key": ck,
        "oauth_signature_method": spec.get("sig_method", "HMAC-SHA1"),
        "oauth_timestamp": str(spec["ts"]),
        "oauth_nonce": nonce,
        "oauth_signature": PLACEHOLDER,
    }
    if spec.get("version", True):
        have["oauth_version"] = "1.0"
    if token and spec.get("send_token", True):
        have["oauth_token"] = token
    order = spec.get("oauth_order", ALTERYX_ORDER)
    return [(n, have[n]) for n in order if n in have]


def assemble(spec, nonce):
    """The request with PLACEHOLDER as the signature."""
    pairs = oauth_pairs(spec, nonce)
    url, body = spec["url"], spec.get("body")
    headers = list(spec.get("headers", []))
    placement = spec.get("placement", "query")
    wire = "&".join(f"{R.pct(n)}={R.pct(v)}" if v != PLACEHOLDER else f"{n}={v}"
                    for n, v in pairs)
    if placement == "query":
        url = url + ("&" if "?" in url else "?") + wire
    elif placement == "body":
        body = (body + "&" if body else "") + wire
        if not any(n.lower() == "content-type" for n, _ in headers):
            headers.append(("Content-Type", R.FORM))
    elif placement == "header":
        items = ([f'realm="{spec["realm"]}"'] if spec.get("realm") is not None else [])
        items += [f'{n}="{R.pct(v) if v != PLACEHOLDER else v}"' for n, v in pairs]
        headers.insert(0, ("Authorization", "OAuth " + ", ".join(items)))
    else:
        raise ValueError(placement)
    return R.Request(spec["method"], url, headers, body)


def fill(req, wire):
    return R.Request(req.method, req.url.replace(PLACEHOLDER, wire),
                     [(n, v.replace(PLACEHOLDER, wire)) for n, v in req.headers],
                     req.body.replace(PLACEHOLDER, wire) if req.body else req.body)


def secrets_of(spec):
    ck, cs, token, ts = spec["creds"]
    return R.Secrets(cs, ts)


def render(spec, req):
    fmt, opts = spec["format"]
    if fmt == "url":
        return F.to_url(req)
    if fmt == "curl":
        return F.to_curl(req, **opts)
    if fmt == "raw":
        return F.to_raw(req, **opts)
    if fmt == "har":
        return F.to_har(req, **opts)
    raise ValueError(fmt)


def describe_variant(fault, v, secrets):
    if fault != "key-secret-whitespace":
        return v
    cs = secrets.cs
    if v == cs.strip():
        return "client used the given secret without its surrounding whitespace"
    if v.startswith(cs):
        return f"client's secret had {v[len(cs):]!r} appended"
    return f"client's secret had {v[:len(v) - len(cs)]!r} prepended"


def build(spec, max_attempts=400):
    """Sign spec's request the faulty way, check it, and return the case (or
    None when no nonce makes the fault set minimal)."""
    faults = sorted(spec.get("faults", []))
    expect = spec["expect"]
    secrets = secrets_of(spec)
    aliases = spec.get("aliases", [])
    for attempt in range(max_attempts):
        nonce = nonce_for(spec["name"], attempt)
        req0 = assemble(spec, nonce)
        p0 = R.Parsed(req0)
        client = spec.get("client_secrets")  # the unexplained cases
        text, tr, bs = R.signature_for(p0, client or secrets, faults,
                                       spec.get("variants"))
        req = fill(req0, R.wire_signature(text, tr))
        # the file reads back to the same request
        rendered = render(spec, req)
        back = F.from_text(rendered)
        assert (back.method, back.url, back.headers, back.body) == \
               (req.method, req.url, req.headers, req.body), (spec["name"], back, req)
        p = R.Parsed(req)
        # oauthref's hand-written RFC pipeline == oauthlib alone
        R.FORCE_CUSTOM = True
        mine = R.base_string_for(p, {})
        R.FORCE_CUSTOM = False
        assert mine == R.oauthlib_base_string(req), spec["name"]
        if expect == "unexplained":
            size, best, n = R.search(p, secrets, aliases, max_faults=spec.get("verify", 3))
            if size is not None:
                continue
            alternatives = []
        else:
            size, best, n = R.search(p, secrets, aliases, max_faults=len(faults))
            if size != len(faults) or tuple(faults) not in best:
                continue
            alternatives = [list(b) for b in best if list(b) != faults]
        # oauthlib's own verifier (endpoint parsing + verify_*) agrees
        assert R.oauthlib_verify(req, secrets) == (expect == "valid"), spec["name"]
        case = {
            "description": spec["description"],
            "made_by": MADE_BY,
            "format": spec["format"][0],
            "consumer_secret": secrets.cs,
            "token_secret": secrets.ts,
            "args": list(spec.get("args", [])) + ["--now", str(spec["ts"])],
            "expect_verdict": expect,
            "expect_faults": faults,
            "alternatives_ok": alternatives,
        }
        if spec.get("variants"):
            case["fault_detail"] = {k: describe_variant(k, v, secrets)
                                    for k, v in spec["variants"].items()}
        case["rfc_base_string"] = R.oauthlib_base_string(req)
        if expect == "explained":
            case["client_base_string"] = bs
        return spec["name"], rendered, case
    return None


# ------------------------------------------------------------ templates


def url_of(scheme="https", host=ALTERYX_HOST, port=None, path="/", query=None):
    u = f"{scheme}://{host}" + (f":{port}" if port else "") + path
    return u + (f"?{query}" if query else "")


def alteryx_sub(query="limit=20&offset=0", **kw):
    return dict(method="GET", creds=ALX_SUB,
                url=url_of(path="/gallery/api/v1/workflows/subscription/",
                           query=query, **kw))


def alteryx_admin(query="page=1&pageSize=50", **kw):
    return dict(method="GET", creds=ALX_ADMIN,
                url=url_of(path="/gallery/api/admin/v1/workflows/", query=query, **kw))


def alteryx_questions(**kw):
    return dict(method="GET", creds=ALX_SUB,
                url=url_of(path=f"/gallery/api/v1/workflows/{APP_ID}/questions/", **kw))


def alteryx_jobs(**kw):
    return dict(method="POST", creds=ALX_SUB,
                url=url_of(path=f"/gallery/api/v1/workflows/{APP_ID}/jobs/", **kw),
                headers=[("Content-Type", "application/json")], body=JOB_JSON)


def woo(query="per_page=20&status=publish", **kw):
    kw.setdefault("host", "shop.example.com")
    return dict(method="GET", creds=WOO,
                url=url_of(path="/wp-json/wc/v3/products", query=query, **kw))


def twitter_post(body="status=Hello%20from%20sigdoctor", query="include_entities=true", **kw):
    kw.setdefault("host", "api.example.com")
    return dict(method="POST", creds=TWITTER,
                url=url_of(path="/1.1/statuses/update.json", query=query, **kw),
                headers=[("Content-Type", R.FORM)], body=body,
                placement="header", oauth_order=LIB_ORDER)


def twitter_get(query="screen_name=sigdoctor&count=5", **kw):
    kw.setdefault("host", "api.example.com")
    return dict(method="GET", creds=TWITTER,
                url=url_of(path="/1.1/statuses/user_timeline.json", query=query, **kw),
                placement="header", oauth_order=LIB_ORDER)


def generic(method="GET", path="/v1/search", query=None, host="api.example.com", **kw):
    return dict(method=method, creds=GENERIC,
                url=url_of(host=host, path=path, query=query, **kw),
                placement="header", oauth_order=LIB_ORDER)


def case(name, description, base, faults=(), expect="explained", fmt=("url", {}),
         **extra):
    spec = dict(base)
    spec.update(extra)
    spec.update(name=name, description=description, faults=list(faults),
                expect=expect, format=fmt)
    return spec


CURL = ("curl", {})
CURL_ML = ("curl", {"multiline": True})
CURL_IMPLICIT = ("curl", {"multiline": True, "implicit_form": True})
RAW = ("raw", {})
RAW_ABS = ("raw", {"absolute_form": True})
RAW_CRLF = ("raw", {"crlf": True, "extra_headers": [("User-Agent", "python-requests/2.31.0"),
                                                     ("Accept", "application/json")]})
HAR = ("har", {})
HAR2 = ("har", {"extra_entry": True})
URL = ("url", {})


# ------------------------------------------------------------ the cases


def single_fault_cases():
    S = []
    add = S.append
    add(case("fault-uri-default-port-kept",
             "Client signed https://gallery.example.com:443/... although the URL it sent has no port",
             alteryx_sub(), ["uri-default-port-kept"], fmt=URL))
    add(case("fault-uri-port-dropped",
             "Gallery on :8443; the client dropped the non-default port from the signed URI",
             alteryx_sub(port="8443"), ["uri-port-dropped"], fmt=CURL))
    add(case("fault-uri-scheme",
             "Client signed http:// while calling https:// (behind a TLS-terminating load balancer)",
             alteryx_admin(), ["uri-scheme"], fmt=HAR))
    add(case("fault-uri-host",
             "Client signed with the machine name gallery01 (given with --host-alias) instead of the DNS name",
             alteryx_sub(), ["uri-host"], fmt=URL, variants={"uri-host": "gallery01"},
             aliases=["gallery01"], args=["--host-alias", "gallery01"]))
    add(case("fault-uri-host-case",
             "Host written Gallery.Example.com and signed without lower-casing it",
             alteryx_questions(host="Gallery.Example.com"), ["uri-host-case"], fmt=RAW))
    add(case("fault-uri-trailing-slash",
             "Client signed .../workflows/subscription without the trailing slash the request has",
             alteryx_sub(), ["uri-trailing-slash"], fmt=CURL))
    add(case("fault-uri-path-prefix",
             "Client signed the Gallery root https://gallery.example.com/gallery/ instead of the jobs endpoint",
             alteryx_jobs(), ["uri-path-prefix"], fmt=CURL_ML, placement="header",
             variants={"uri-path-prefix": "/gallery/"}))
    add(case("fault-uri-path-lowercase",
             "Client lower-cased the whole URL, so /Gallery/ was signed as /gallery/",
             dict(alteryx_sub(), url=url_of(path="/Gallery/api/v1/workflows/subscription/",
                                            query="limit=20")),
             ["uri-path-lowercase"], fmt=URL))
    add(case("fault-uri-path-decoded",
             "Client percent-decoded the path (%20 -> space) before signing",
             generic(path="/api/v2/files/Q3%20Sales%20Report.csv"),
             ["uri-path-decoded"], fmt=CURL))
    add(case("fault-uri-query-included",
             "Client (Insomnia-style) kept ?per_page=...&status=... in the base string URI",
             dict(woo(), placement="header", oauth_order=LIB_ORDER),
             ["uri-query-included"], fmt=CURL))
    add(case("fault-uri-not-encoded",
             "Hand-built base string: the URI was not percent-encoded",
             alteryx_sub(), ["uri-not-encoded"], fmt=URL))
    add(case("fault-params-query-omitted",
             "Client signed only the oauth_* parameters, leaving out limit/offset/search",
             alteryx_sub(query="limit=20&offset=0&search=sales"), ["params-query-omitted"], fmt=URL))
    add(case("fault-params-body-omitted",
             "Form body parameter status left out of the signature",
             twitter_post(), ["params-body-omitted"], fmt=RAW))
    add(case("fault-params-empty-dropped",
             "Empty parameter search= dropped from the signature (Postman: empty parameters off)",
             alteryx_sub(query="search=&limit=20"), ["params-empty-dropped"], fmt=URL))
    add(case("fault-params-signature-included",
             "An empty oauth_signature was included in the signed parameters",
             alteryx_admin(), ["params-signature-included"], fmt=HAR))
    add(case("fault-params-realm-included",
             "NetSuite-style Authorization header: realm included in the signed parameters",
             dict(creds=NETSUITE, method="POST",
                  url=url_of(host="1234567.restlets.api.netsuite.com",
                             path="/app/site/hosting/restlet.nl", query="script=123&deploy=1"),
                  headers=[("Content-Type", "application/json")],
                  body='{"recordtype":"customer","id":"42"}'),
             ["params-realm-included"], fmt=CURL_ML, placement="header", realm="1234567",
             sig_method="HMAC-SHA256", oauth_order=LIB_ORDER))
    add(case("fault-params-duplicates-collapsed",
             "tag=red&tag=blue: only the first value was signed",
             generic(query="q=shoes&tag=red&tag=blue"), ["params-duplicates-collapsed"], fmt=RAW))
    add(case("fault-params-version-mismatch",
             "oauth_version=1.0 signed but not sent",
             alteryx_sub(), ["params-version-mismatch"], fmt=URL, version=False))
    add(case("fault-params-plus-for-space",
             "search=sales%20report sent, but the client signed it form-encoded (sales+report)",
             alteryx_sub(query="search=sales%20report&limit=20"), ["params-plus-for-space"], fmt=URL))
    add(case("fault-params-plus-literal",
             "search=sales+report (a space) signed as a literal plus",
             alteryx_sub(query="search=sales+report&owner=Jane%20Doe&limit=20"), ["params-plus-literal"],
             fmt=CURL, placement="header"))
    add(case("fault-params-lowercase-hex",
             ".NET HttpUtility.UrlEncode: lower-case hex in the parameter encoding (%2c)",
             alteryx_sub(query="fields=id%2Cname%2CmetaInfo&limit=20"), ["params-lowercase-hex"],
             fmt=RAW_CRLF))
    add(case("fault-params-reserved-unencoded",
             "encodeURIComponent: ! * ' ( ) left unencoded in parameter values",
             alteryx_sub(query="search=Q3%20%28EMEA%29%21&limit=20"), ["params-reserved-unencoded"],
             fmt=HAR))
    add(case("fault-params-not-encoded",
             "Parameter names and values joined without percent-encoding",
             alteryx_sub(query="search=sales%20report%2FQ3&limit=20"), ["params-not-encoded"], fmt=URL))
    add(case("fault-params-double-encoded",
             "Postman-style double encoding: %20 signed as %2520",
             alteryx_sub(query="search=sales%20report&limit=20"), ["params-double-encoded"], fmt=CURL))
    add(case("fault-params-over-decoded",
             "LTI launch: a value holding %3F was percent-decoded twice",
             dict(creds=LTI, method="POST",
                  url=url_of(host="tool.example.com", path="/lti/launch"),
                  headers=[("Content-Type", R.FORM)],
                  body="lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0"
                       "&resource_link_id=rl-42&custom_return=%2Fcourse%253Fid%253D7"),
             ["params-over-decoded"], fmt=RAW, placement="body", oauth_order=LIB_ORDER))
    add(case("fault-params-unsorted",
             "Parameters signed in dict order (page, pageSize, oauth_*) instead of sorted",
             alteryx_admin(), ["params-unsorted"], fmt=URL))
    add(case("fault-params-sorted-raw",
             "Duplicate tag values sorted by decoded value (zebra < \u00e9t\u00e9) instead of encoded",
             generic(query="tag=zebra&tag=%C3%A9t%C3%A9"), ["params-sorted-raw"], fmt=CURL))
    add(case("fault-params-sorted-as-strings",
             "Whole name=value strings sorted: org-country=... before org=...",
             generic(query="org=acme&org-country=CH"), ["params-sorted-as-strings"], fmt=RAW))
    add(case("fault-params-sorted-case-insensitive",
             "Names compared ignoring case: SortOrder sorted after page",
             generic(query="SortOrder=desc&page=2"), ["params-sorted-case-insensitive"],
             fmt=URL, placement="query", oauth_order=ALTERYX_ORDER))
    add(case("fault-params-string-not-encoded",
             "Hand-built base string: the parameter string was not percent-encoded",
             alteryx_sub(), ["params-string-not-encoded"], fmt=URL))
    add(case("fault-method-missing",
             "Base string built without the leading GET&",
             alteryx_sub(), ["method-missing"], fmt=URL))
    add(case("fault-method-lowercase",
             "Method signed as post",
             alteryx_jobs(), ["method-lowercase"], fmt=CURL))
    add(case("fault-method-mismatch",
             "Signed as GET, sent as POST",
             alteryx_jobs(), ["method-mismatch"], fmt=HAR, variants={"method-mismatch": "GET"}))
    add(case("fault-key-missing-ampersand",
             "Key = the consumer secret without the trailing &",
             alteryx_sub(), ["key-missing-ampersand"], fmt=URL))
    add(case("fault-key-secret-whitespace",
             "Secret read from a file with its trailing newline",
             alteryx_questions(), ["key-secret-whitespace"], fmt=RAW,
             variants={"key-secret-whitespace": ALX_SUB[1] + "\n"}))
    add(case("fault-key-swapped",
             "Consumer key used as the HMAC secret",
             alteryx_sub(), ["key-swapped"], fmt=URL))
    add(case("fault-key-not-encoded",
             "Secret with + / = used in the key without percent-encoding",
             dict(generic(), creds=RESERVED), ["key-not-encoded"], fmt=CURL))
    add(case("fault-key-token-secret-included",
             "1-legged Gallery request, but the client put a token secret in the key",
             alteryx_sub(), ["key-token-secret-included"], fmt=URL,
             creds=ALX_SUB[:2] + ("unused-token", "leftover-token-secret-3c9d"), send_token=False))
    add(case("fault-key-token-secret-missing",
             "3-legged request (oauth_token sent) signed without the token secret",
             twitter_get(), ["key-token-secret-missing"], fmt=CURL))
    add(case("fault-sig-method-mismatch",
             "Declared HMAC-SHA1, signed with HMAC-SHA256",
             alteryx_sub(), ["sig-method-mismatch"], fmt=URL,
             variants={"sig-method-mismatch": "HMAC-SHA256"}))
    add(case("fault-sig-urlsafe-base64",
             "Signature base64-encoded with the URL-safe alphabet",
             alteryx_sub(), ["sig-urlsafe-base64"], fmt=URL))
    add(case("fault-sig-hex",
             "Hex digest sent instead of base64",
             alteryx_questions(), ["sig-hex"], fmt=RAW))
    add(case("fault-sig-base64-of-hex",
             "base64 of the 40-character hex digest",
             alteryx_admin(), ["sig-base64-of-hex"], fmt=HAR2))
    add(case("fault-sig-not-percent-encoded",
             "Signature with '+' put raw into the query; the server reads a space",
             alteryx_sub(), ["sig-not-percent-encoded"], fmt=URL))
    add(case("fault-sig-double-percent-encoded",
             "Signature percent-encoded twice in the Authorization header",
             woo(), ["sig-double-percent-encoded"], fmt=CURL, placement="header",
             oauth_order=LIB_ORDER))
    # second forms of faults that have two directions
    add(case("fault-params-version-mismatch-sent-not-signed",
             "oauth_version=1.0 sent but left out of the signature",
             alteryx_questions(), ["params-version-mismatch"], fmt=URL))
    add(case("fault-sig-method-mismatch-sha1-for-sha256",
             "Declared HMAC-SHA256 (NetSuite), signed with HMAC-SHA1",
             dict(creds=NETSUITE, method="GET",
                  url=url_of(host="1234567.restlets.api.netsuite.com",
                             path="/app/site/hosting/restlet.nl", query="script=123&deploy=1")),
             ["sig-method-mismatch"], fmt=CURL, placement="header", realm="1234567",
             sig_method="HMAC-SHA256", oauth_order=LIB_ORDER,
             variants={"sig-method-mismatch": "HMAC-SHA1"}))
    add(case("fault-key-secret-whitespace-given-secret",
             "The secret given to sigdoctor has a trailing space the client's secret lacks",
             alteryx_sub(), ["key-secret-whitespace"], fmt=URL,
             creds=(ALX_SUB[0], ALX_SUB[1] + " ", None, None),
             variants={"key-secret-whitespace": ALX_SUB[1]}))
    add(case("fault-uri-scheme-http-signed-https",
             "Plain-http Gallery, client signed https://",
             alteryx_sub(scheme="http"), ["uri-scheme"], fmt=RAW_ABS))
    return S


def field_cases():
    S = []
    add = S.append
    add(case("field-a-admin-api-python-port-unsorted-urlsafe",
             "Alteryx admin API from Python: :443 kept in the URL, parameters in dict order "
             "(page, pageSize, oauth_*), base64.urlsafe_b64encode",
             alteryx_admin(port="443"),
             ["params-unsorted", "sig-urlsafe-base64", "uri-default-port-kept"], fmt=URL,
             need_urlsafe_chars=True))
    add(case("field-b-r-httr-api-root",
             "R httr oauth_signature(url = Baseurl): signed https://host/gallery/api/ "
             "instead of the endpoint",
             alteryx_sub(query="limit=10"), ["uri-path-prefix"], fmt=URL,
             variants={"uri-path-prefix": "/gallery/api/"}))
    add(case("field-c-python-urlencode-plus",
             "Python 3 urllib.parse.urlencode: search=sales+report on the wire, "
             "signed as sales+report instead of sales%20report",
             alteryx_sub(query="search=sales+report&limit=20&offset=0"),
             ["params-plus-for-space"], fmt=CURL))
    add(case("field-d-secret-trailing-space",
             "A trailing space pasted after the secret in the client",
             alteryx_sub(), ["key-secret-whitespace"], fmt=URL,
             variants={"key-secret-whitespace": ALX_SUB[1] + " "}))
    add(case("field-e-plus-in-signature-unencoded",
             "The signature's '+' sent unencoded in the query and decoded to a space",
             alteryx_questions(), ["sig-not-percent-encoded"], fmt=RAW))
    return S


def valid_cases():
    S = []
    add = S.append
    add(case("valid-url-alteryx-subscription", "Correctly signed Gallery request (bare URL)",
             alteryx_sub(query="search=sales%20report&limit=20"), expect="valid", fmt=URL))
    add(case("valid-curl-alteryx-jobs", "Correctly signed POST .../jobs/ with a JSON body (curl)",
             alteryx_jobs(), expect="valid", fmt=CURL_ML))
    add(case("valid-raw-twitter-form", "Correctly signed 3-legged POST with a form body (raw HTTP)",
             twitter_post(body="status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"),
             expect="valid", fmt=RAW))
    add(case("valid-raw-absolute-port", "Correctly signed request to :8443 (raw HTTP, absolute-form)",
             alteryx_admin(port="8443"), expect="valid", fmt=RAW_ABS))
    add(case("valid-har-alteryx-admin", "Correctly signed admin request (HAR)",
             alteryx_admin(), expect="valid", fmt=HAR2))
    add(case("valid-curl-hmac-sha256-netsuite", "Correctly signed HMAC-SHA256 request with realm",
             dict(creds=NETSUITE, method="GET",
                  url=url_of(host="1234567.restlets.api.netsuite.com",
                             path="/app/site/hosting/restlet.nl", query="script=123&deploy=1")),
             expect="valid", fmt=CURL, placement="header", realm="1234567",
             sig_method="HMAC-SHA256", oauth_order=LIB_ORDER))
    add(case("valid-curl-plaintext", "Correct PLAINTEXT signature (header)",
             woo(), expect="valid", fmt=CURL, placement="header", sig_method="PLAINTEXT",
             oauth_order=LIB_ORDER))
    add(case("valid-curl-form-body-oauth", "Correctly signed LTI launch, OAuth parameters in the form body",
             dict(creds=LTI, method="POST", url=url_of(host="tool.example.com", path="/lti/launch"),
                  headers=[("Content-Type", R.FORM)],
                  body="lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0"
                       "&resource_link_id=rl-42&lis_person_name_full=Ada%20Lovelace"),
             expect="valid", fmt=CURL_IMPLICIT, placement="body", oauth_order=LIB_ORDER))
    return S


def unexplained_cases():
    S = []
    S.append(case("unexplained-wrong-secret",
                  "Signed with a different consumer secret (nothing to explain)",
                  alteryx_sub(), expect="unexplained", fmt=URL,
                  client_secrets=R.Secrets("Xk3n9Qp2Lr7Ts1Vw5Yz8Bc4Df6Gh0Jm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij")))
    S.append(case("unexplained-subscription-vs-admin-keys",
                  "Admin endpoint signed with the admin secret; sigdoctor was given the subscription secret",
                  dict(alteryx_admin(), creds=(ALX_ADMIN[0], ALX_SUB[1], None, None)),
                  expect="unexplained", fmt=CURL,
                  client_secrets=R.Secrets(ALX_ADMIN[1])))
    return S


def v2_cases():
    """Catalogue v2 (issue 10): each new fault alone, in pairs with the old ones as the
    libraries behind them make them, the seed thread's client, and valid requests
    that hold what the new parsers trip on.  Appended after the v1 cases so that
    those keep their timestamps and bytes."""
    S = []
    add = S.append
    dup_q = "tag=red&tag=blue&q=shoes"
    add(case("fault-params-semicolon-split",
             "Ruby oauth gem (CGI.parse): fields=id;name signed as fields=id and name=",
             generic(query="fields=id;name&limit=5"), ["params-semicolon-split"], fmt=CURL))
    add(case("fault-params-value-cut-at-equals",
             "ddo/oauth-1.0a's query parser: cursor=c2lk= signed as cursor=c2lk",
             generic(query="cursor=c2lk=&limit=5"), ["params-value-cut-at-equals"], fmt=RAW))
    add(case("fault-params-duplicates-last",
             "PHP PECL oauth: tag=red&tag=blue, only the last value (blue) signed",
             generic(query=dup_q), ["params-duplicates-last"], fmt=RAW_ABS))
    add(case("fault-params-duplicates-indexed",
             "node oauth (ciaranj): tag=red&tag=blue signed as tag[0]=red&tag[1]=blue",
             generic(query=dup_q), ["params-duplicates-indexed"], fmt=HAR))
    add(case("fault-params-empty-token-signed",
             "Postman 1-legged Gallery call: empty Access Token, 'Add empty parameters to "
             "signature' on, so oauth_token= was signed but not sent",
             alteryx_sub(), ["params-empty-token-signed"], fmt=URL))
    add(case("fault-params-utf8-double-encoded",
             "Perl Net::OAuth: city=Zürich signed as Z%C3%83%C2%BCrich",
             generic(query="city=Z%C3%BCrich&q=caf%C3%A9"), ["params-utf8-double-encoded"],
             fmt=CURL))
    add(case("fault-params-sorted-by-name-only",
             "R httr order(names): tag=zebra&tag=apple kept in wire order under one name",
             alteryx_sub(query="tag=zebra&tag=apple&limit=20"), ["params-sorted-by-name-only"],
             fmt=URL))
    # the seed thread's client: a pasted trailing space, the key joined raw with `&`
    add(case("field-f-seed-secret-space-raw-key",
             "The seed thread's client: a trailing space pasted after the secret, and the key "
             "built as secret + '&' without percent-encoding",
             alteryx_sub(), ["key-not-encoded", "key-secret-whitespace"], fmt=URL,
             variants={"key-secret-whitespace": ALX_SUB[1] + " "}))
    add(case("field-g-seed-secret-space-raw-key-curl",
             "The seed client again, 3-legged: trailing space in the consumer secret, key "
             "joined raw, token secret present",
             twitter_get(), ["key-not-encoded", "key-secret-whitespace"], fmt=CURL,
             variants={"key-secret-whitespace": TWITTER[1] + " "}))
    # pairs: each new fault with an old one, as one library makes them together
    add(case("pair-params-duplicates-last+uri-default-port-kept",
             "PHP PECL oauth on https://host:443/: last value of tag signed, :443 kept",
             generic(query=dup_q), ["params-duplicates-last", "uri-default-port-kept"],
             fmt=CURL))
    add(case("pair-key-secret-whitespace+params-semicolon-split",
             "Ruby oauth gem with the secret read from a file (trailing newline), "
             "fields=id;name split on ;",
             generic(query="fields=id;name&limit=5"),
             ["key-secret-whitespace", "params-semicolon-split"], fmt=RAW,
             variants={"key-secret-whitespace": GENERIC[1] + "\n"}))
    add(case("pair-params-plus-literal+params-value-cut-at-equals",
             "ddo/oauth-1.0a: search=sales+report kept as a plus, cursor=c2lk= cut at =",
             generic(query="cursor=c2lk=&search=sales+report"),
             ["params-plus-literal", "params-value-cut-at-equals"], fmt=CURL_ML))
    add(case("pair-params-double-encoded+params-empty-token-signed",
             "Postman: empty Access Token signed and the encoded query encoded again",
             alteryx_sub(query="search=sales%20report&limit=20"),
             ["params-double-encoded", "params-empty-token-signed"], fmt=CURL))
    add(case("pair-params-duplicates-indexed+params-reserved-unencoded",
             "node oauth: tag[0]/tag[1] and encodeURIComponent leaving ( ) ! raw",
             generic(query="tag=red&tag=blue&search=Q3%20%28EMEA%29%21"),
             ["params-duplicates-indexed", "params-reserved-unencoded"], fmt=HAR))
    add(case("pair-key-not-encoded+params-utf8-double-encoded",
             "Perl Net::OAuth: a secret with + / = joined raw, Zürich encoded twice",
             dict(generic(query="city=Z%C3%BCrich"), creds=RESERVED),
             ["key-not-encoded", "params-utf8-double-encoded"], fmt=CURL))
    add(case("pair-params-sorted-by-name-only+uri-path-prefix",
             "R httr oauth_signature(url = Baseurl): the API root signed, tag values in "
             "wire order",
             alteryx_sub(query="tag=zebra&tag=apple&limit=20"),
             ["params-sorted-by-name-only", "uri-path-prefix"], fmt=URL,
             variants={"uri-path-prefix": "/gallery/api/"}))
    add(case("pair-params-empty-token-signed+sig-not-percent-encoded",
             "Postman 1-legged with the signature pasted raw into the query",
             alteryx_sub(), ["params-empty-token-signed", "sig-not-percent-encoded"],
             fmt=URL, need_urlsafe_chars=True))
    # tie-break: `+` on the wire and no escape: params-plus-literal first
    add(case("tie-plus-literal-before-double-encoded",
             "search=sales+report and no % escape: plus-literal and double-encoded give "
             "the same bytes; faults.md ranks plus-literal first",
             alteryx_sub(query="search=sales+report&limit=20"), ["params-plus-literal"],
             fmt=URL))
    # valid requests holding what the v2 parsers trip on
    add(case("valid-v2-semicolon-equals-duplicates-utf8",
             "Correctly signed: ; and = inside values, a repeated name, non-ASCII text",
             generic(query="fields=id;name&cursor=c2lk=&tag=b&tag=a&city=Z%C3%BCrich"),
             expect="valid", fmt=CURL))
    add(case("valid-v2-empty-token-3-legged",
             "Correctly signed 3-legged request (oauth_token sent)",
             twitter_get(query="screen_name=sigdoctor&tag=x&tag=x"), expect="valid", fmt=RAW))
    return S


# ------------------------------------------------------------ random combos

NEEDS_HEADER = {"uri-query-included", "params-realm-included"}
NEEDS_QUERY_OR_BODY = {"sig-not-percent-encoded"}


def combo_spec(idx, faults, rng):
    F_ = set(faults)
    if NEEDS_HEADER & F_ and NEEDS_QUERY_OR_BODY & F_:
        return None
    form = "params-body-omitted" in F_ or rng.random() < 0.15
    tmpl = rng.choice(["twitter", "lti"]) if form else rng.choice(
        ["sub", "admin", "jobs", "questions", "woo", "generic", "twget"])
    if "uri-path-decoded" in F_:
        tmpl = "files" if not form else tmpl
    q, b = [], []  # decoded pairs
    scheme, port, creds, method = "https", None, ALX_SUB, "GET"
    headers, json_body, placement, order = [], None, "query", ALTERYX_ORDER
    host, path = ALTERYX_HOST, "/"
    if tmpl == "sub":
        path, q = "/gallery/api/v1/workflows/subscription/", [("limit", "20")]
    elif tmpl == "admin":
        path, q, creds = "/gallery/api/admin/v1/workflows/", [("page", "1"), ("pageSize", "50")], ALX_ADMIN
    elif tmpl == "questions":
        path = f"/gallery/api/v1/workflows/{APP_ID}/questions/"
    elif tmpl == "jobs":
        path, method, json_body = f"/gallery/api/v1/workflows/{APP_ID}/jobs/", "POST", JOB_JSON
    elif tmpl == "woo":
        host, path, creds = "shop.example.com", "/wp-json/wc/v3/products", WOO
        q = [("per_page", "20"), ("status", "publish")]
    elif tmpl == "generic":
        host, path, creds, placement, order = "api.example.com", "/v1/search", GENERIC, "header", LIB_ORDER
        q = [("q", "shoes")]
    elif tmpl == "twget":
        host, path, creds, placement, order = "api.example.com", "/1.1/statuses/user_timeline.json", TWITTER, "header", LIB_ORDER
        q = [("screen_name", "sigdoctor"), ("count", "5")]
    elif tmpl == "files":
        host, path, creds, placement, order = "files.example.com", "/api/v2/files/Q3%20Sales%20Report.csv", GENERIC, "header", LIB_ORDER
    elif tmpl == "twitter":
        host, path, creds, method, placement, order = "api.example.com", "/1.1/statuses/update.json", TWITTER, "POST", "header", LIB_ORDER
        q, b = [("include_entities", "true")], [("status", "Hello from sigdoctor")]
    elif tmpl == "lti":
        host, path, creds, method, order = "tool.example.com", "/lti/launch", LTI, "POST", LIB_ORDER
        placement = "body"
        b = [("lti_message_type", "basic-lti-launch-request"), ("lti_version", "LTI-1p0"),
             ("resource_link_id", "rl-42")]
    target = b if (b and not q) else q
    wire_plus = False
    # features the faults need
    if "uri-port-dropped" in F_:
        port = rng.choice(["8443", "9443"])
    elif "uri-default-port-kept" in F_ and rng.random() < 0.4:
        port = "443"
    if "uri-host-case" in F_:
        host = "".join(c.upper() if rng.random() < 0.5 else c for c in host)
        if host == host.lower():
            host = host[0].upper() + host[1:]
    if "uri-path-lowercase" in F_ and path == path.lower():
        path = path.replace("/gallery/", "/Gallery/") if "/gallery/" in path else path.replace("/v", "/V", 1)
        if path == path.lower():
            path = "/Api" + path
    if "uri-trailing-slash" in F_ or "uri-path-prefix" in F_:
        if path.count("/") < 2:
            path = "/api" + path
    if {"params-query-omitted", "uri-query-included"} & F_ and not q:
        q = [("search", "sales")]
        target = q
    if "params-body-omitted" in F_ and not b:
        return None
    if "params-empty-dropped" in F_:
        target.append(("filter", ""))
    if "params-duplicates-collapsed" in F_:
        target += [("tag", "red"), ("tag", "blue")]
    if {"params-plus-for-space", "params-not-encoded", "params-double-encoded"} & F_:
        target.append(("search", "sales report"))
    if "params-plus-literal" in F_:
        target.append(("search", "sales report"))
        wire_plus = True
    if "params-lowercase-hex" in F_:
        target.append(("fields", "id,name"))
    if "params-reserved-unencoded" in F_:
        target.append(("search", "Q3 (EMEA)!"))
    if "params-over-decoded" in F_:
        target.append(("return", "/home%3Fid%3D7"))
    if "params-unsorted" in F_:
        target.insert(0, ("page", "2"))
    if "params-sorted-raw" in F_:
        target += [("tag", "zebra"), ("tag", "\u00e9t\u00e9")]
    if "params-sorted-as-strings" in F_:
        target += [("org", "acme"), ("org-country", "CH")]
    if "params-sorted-case-insensitive" in F_:
        target.insert(0, ("SortOrder", "desc"))
    if "params-realm-included" in F_ or "uri-query-included" in F_:
        placement, order = "header", LIB_ORDER
    if "sig-not-percent-encoded" in F_ and placement == "header":
        placement = "body" if (method == "POST" and json_body is None) else "query"
    if rng.random() < 0.2 and not (NEEDS_HEADER & F_) and "sig-not-percent-encoded" not in F_:
        placement = "header"
        order = LIB_ORDER
    token = creds[2]
    ts_secret = creds[3]
    send_token = True
    if "key-token-secret-missing" in F_ and not token:
        token, ts_secret = "tok-" + "".join(rng.choice(string.hexdigits[:16]) for _ in range(24)), "tsec-7b2e9c"
    if "key-token-secret-included" in F_:
        send_token = False
        token = token or "unused"
        ts_secret = ts_secret or "leftover-token-secret-3c9d"
    cs = creds[1]
    if "key-not-encoded" in F_:
        cs = "kd94hf93+k423/kf44=" + cs[:12]
    creds = (creds[0], cs, token, ts_secret)

    def enc(pairs, plus):
        out = []
        for n, v in pairs:
            ev = R.pct(v)
            if plus:
                ev = ev.replace("%20", "+")
            out.append(f"{R.pct(n)}={ev}")
        return "&".join(out)
    query = enc(q, wire_plus) if q else None
    body = None
    if b:
        body = enc(b, wire_plus and target is b)
        headers.append(("Content-Type", R.FORM))
    elif json_body:
        body = json_body
        headers.append(("Content-Type", "application/json"))
    if b and placement == "query" and tmpl == "lti":
        placement = "body"
    spec = dict(method=method, creds=creds, url=url_of(scheme, host, port, path, query),
                headers=headers, body=body, placement=placement, oauth_order=order,
                send_token=send_token)
    if placement == "header" and ("params-realm-included" in F_ or rng.random() < 0.3):
        spec["realm"] = rng.choice(["Example", "1234567", "gallery", ""]) \
            if "params-realm-included" not in F_ else rng.choice(["Example", "1234567"])
    if "sig-method-mismatch" in F_ or rng.random() < 0.15:
        spec["sig_method"] = rng.choice(["HMAC-SHA1", "HMAC-SHA256"])
    variants = {}
    args = []
    aliases = []
    if "uri-host" in F_:
        alias = rng.choice(["gallery01", "srv-alteryx-02", "10.0.4.17"]) if host.lower() == ALTERYX_HOST \
            else rng.choice(["web01", "localhost", "127.0.0.1"])
        variants["uri-host"] = alias
        if alias not in ("localhost", "127.0.0.1"):
            aliases.append(alias)
            args += ["--host-alias", alias]
    if "uri-path-prefix" in F_:
        eff = path
        prefixes = [eff[: i + 1] for i, c in enumerate(eff) if c == "/" and i + 1 < len(eff)]
        variants["uri-path-prefix"] = rng.choice(prefixes)
    if "method-mismatch" in F_:
        variants["method-mismatch"] = {"GET": "POST", "POST": "GET"}[method]
    if "key-secret-whitespace" in F_:
        w = rng.choice(R.WHITESPACE)
        variants["key-secret-whitespace"] = rng.choice([cs + w, w + cs])
    if "sig-method-mismatch" in F_:
        declared = spec.get("sig_method", "HMAC-SHA1")
        variants["sig-method-mismatch"] = rng.choice([h for h in R.HASHES if h != declared])
    # a format the request can take
    fmts = [CURL, CURL_ML, RAW, HAR]
    if method == "GET" and placement == "query" and not headers and body is None:
        fmts += [URL, URL]
    if scheme == "https" and not port:
        fmts.append(RAW_CRLF)
    fmts.append(RAW_ABS)
    fmt = rng.choice(fmts)
    name = f"combo-{idx:02d}-" + "+".join(sorted(faults))
    desc = "Random combination from different axes: " + ", ".join(sorted(faults))
    return case(name, desc, spec, sorted(faults), fmt=fmt, variants=variants or None,
                aliases=aliases, args=args, ts=TS0 + 1000 + idx * 37)


# The axes as catalogue v1 had them: the random combinations are drawn from these
# so that they stay the same cases (the v2 faults have their own cases above).
V1_AXES = {
    "method": ["method-missing", "method-lowercase", "method-mismatch"],
    "scheme": ["uri-scheme"],
    "port": ["uri-default-port-kept", "uri-port-dropped"],
    "host": ["uri-host", "uri-host-case"],
    "path": ["uri-trailing-slash", "uri-path-prefix", "uri-path-lowercase",
             "uri-path-decoded"],
    "query": ["uri-query-included"],
    "uri-encoding": ["uri-not-encoded"],
    "params-query-omitted": ["params-query-omitted"],
    "params-body-omitted": ["params-body-omitted"],
    "params-empty-dropped": ["params-empty-dropped"],
    "params-signature-included": ["params-signature-included"],
    "params-realm-included": ["params-realm-included"],
    "params-duplicates-collapsed": ["params-duplicates-collapsed"],
    "params-version-mismatch": ["params-version-mismatch"],
    "param-encoding": ["params-plus-for-space", "params-plus-literal",
                       "params-lowercase-hex", "params-reserved-unencoded",
                       "params-not-encoded", "params-double-encoded",
                       "params-over-decoded"],
    "param-order": ["params-unsorted", "params-sorted-raw",
                    "params-sorted-as-strings", "params-sorted-case-insensitive"],
    "param-string": ["params-string-not-encoded"],
    "key": ["key-missing-ampersand", "key-secret-whitespace", "key-swapped",
            "key-not-encoded", "key-token-secret-included",
            "key-token-secret-missing"],
    "hash": ["sig-method-mismatch"],
    "signature-output": ["sig-urlsafe-base64", "sig-hex", "sig-base64-of-hex"],
    "signature-transport": ["sig-not-percent-encoded", "sig-double-percent-encoded"],
}


FAMILIES = {  # sampling groups, so that the switch axes do not crowd out the rest
    "method": ["method"],
    "uri": ["scheme", "port", "host", "path", "query", "uri-encoding"],
    "param-set": [a for a in V1_AXES if a.startswith("params-")],
    "param-encoding": ["param-encoding"],
    "param-order": ["param-order"],
    "param-string": ["param-string"],
    "key": ["key"],
    "hash": ["hash"],
    "signature-output": ["signature-output"],
    "signature-transport": ["signature-transport"],
}


def combo_candidates(n_wanted=30):
    """Candidate fault sets: 2 or 3 faults from different families (so from
    different axes), one request shaped for them each."""
    rng = random.Random(SEED)
    faults_of = V1_AXES
    fams = sorted(FAMILIES)
    seen, out = set(), []
    tries = 0
    while len(out) < n_wanted * 3 and tries < 5000:
        tries += 1
        k = 2 if rng.random() < 0.5 else 3
        chosen = rng.sample(fams, k)
        faults = tuple(sorted(rng.choice(faults_of[rng.choice(FAMILIES[f])])
                              for f in chosen))
        if faults in seen:
            continue
        seen.add(faults)
        spec = combo_spec(len(out) + 1, faults, random.Random(f"{SEED}/{faults}"))
        if spec is None:
            continue
        out.append(spec)
    return out


# What each v2 fault needs on the wire (raw query text), and v1 faults to pair
# them with at random, with what those need.
V2_QUERY = {
    "params-semicolon-split": "fields=id;name",
    "params-value-cut-at-equals": "cursor=c2lk=",
    "params-duplicates-last": "tag=red&tag=blue",
    "params-duplicates-indexed": "tag=red&tag=blue",
    "params-empty-token-signed": "",
    "params-utf8-double-encoded": "city=Z%C3%BCrich",
    "params-sorted-by-name-only": "tag=zebra&tag=apple",
}
V1_PARTNERS = {
    "uri-default-port-kept": "", "uri-trailing-slash": "", "uri-scheme": "",
    "method-missing": "", "uri-not-encoded": "", "params-string-not-encoded": "",
    "params-unsorted": "page=2", "params-plus-for-space": "search=sales%20report",
    "params-double-encoded": "search=sales%20report", "params-empty-dropped": "filter=",
    "params-query-omitted": "limit=5", "params-lowercase-hex": "fields=a%2Cb",
    "key-secret-whitespace": "", "key-missing-ampersand": "", "key-not-encoded": "",
    "sig-urlsafe-base64": "", "sig-hex": "", "sig-method-mismatch": "",
    "sig-double-percent-encoded": "",
}


def combo2_candidates(n_wanted=16):
    """Random sets of one or two v2 faults and one v1 fault, on a Gallery (query)
    or generic (header) request shaped for them."""
    rng = random.Random(f"{SEED}/v2")
    out, seen = [], set()
    v2, v1 = sorted(V2_QUERY), sorted(V1_PARTNERS)
    while len(out) < n_wanted * 2 and len(seen) < 400:
        news = rng.sample(v2, 2 if rng.random() < 0.3 else 1)
        if set(news) >= {"params-duplicates-last", "params-duplicates-indexed"}:
            continue
        faults = tuple(sorted(news + [rng.choice(v1)]))
        if faults in seen:
            continue
        seen.add(faults)
        parts = []
        for f in faults:
            q = V2_QUERY.get(f, V1_PARTNERS.get(f, ""))
            if q and q not in parts:
                parts.append(q)
        query = "&".join(parts) or None
        base = rng.choice([alteryx_sub, generic])
        spec = base(query=query) if base is generic else alteryx_sub(query=query)
        if "key-not-encoded" in faults:
            spec["creds"] = RESERVED
        variants = {}
        if "key-secret-whitespace" in faults:
            cs = spec["creds"][1]
            w = rng.choice(R.WHITESPACE)
            variants["key-secret-whitespace"] = rng.choice([cs + w, w + cs])
        if "sig-method-mismatch" in faults:
            variants["sig-method-mismatch"] = rng.choice(["HMAC-SHA256", "HMAC-SHA512"])
        fmts = [CURL, CURL_ML, RAW, HAR, RAW_ABS]
        if spec.get("placement", "query") == "query":
            fmts += [URL, URL]
        name = f"combo2-{len(out) + 1:02d}-" + "+".join(faults)
        out.append(case(name, "Random v2 combination: " + ", ".join(faults), spec,
                        list(faults), fmt=rng.choice(fmts), variants=variants or None,
                        ts=TS0 + 5000 + len(out) * 37))
    return out


# ------------------------------------------------------------ main


def _build(spec):
    try:
        return spec["name"], build(spec, max_attempts=spec.pop("_attempts", 400))
    except Exception as e:  # report which case broke
        raise RuntimeError(f"{spec['name']}: {e!r}") from e


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(REPO / "fixtures" / "explain"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--combos", type=int, default=30)
    ap.add_argument("--combos2", type=int, default=16)
    args = ap.parse_args()

    specs = []
    for i, s in enumerate(single_fault_cases() + field_cases() + valid_cases()
                          + unexplained_cases() + v2_cases()):
        s.setdefault("ts", TS0 + i * 37)
        specs.append(s)
    for s in specs:
        if s.get("need_urlsafe_chars"):
            s["_attempts"] = 400
    combos = combo_candidates(args.combos)
    for c in combos:
        c["_attempts"] = 12  # a combo that no nonce makes minimal is dropped
    combos2 = combo2_candidates(args.combos2)
    for c in combos2:
        c["_attempts"] = 12

    out = Path(args.out)
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        fixed = list(ex.map(_build, specs))
        built_combos = list(ex.map(_build, combos))
        built_combos2 = list(ex.map(_build, combos2))
    failures = [n for n, r in fixed if r is None]
    if failures:
        sys.exit(f"could not build: {failures}")
    results = [r for _, r in fixed]
    kept = []
    for n, r in built_combos:
        if r is not None and len(kept) < args.combos:
            # renumber densely
            name, text, c = r
            faults = c["expect_faults"]
            name = f"combo-{len(kept) + 1:02d}-" + "+".join(faults)
            kept.append((name, text, c))
    if len(kept) < args.combos:
        print(f"warning: only {len(kept)} combos", file=sys.stderr)
    kept2 = []
    for n, r in built_combos2:
        if r is not None and len(kept2) < args.combos2:
            name, text, c = r
            name = f"combo2-{len(kept2) + 1:02d}-" + "+".join(c["expect_faults"])
            kept2.append((name, text, c))
    if len(kept2) < args.combos2:
        print(f"warning: only {len(kept2)} v2 combos", file=sys.stderr)
    kept += kept2
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    counts = {}
    for name, text, c in results + kept:
        d = out / name
        d.mkdir()
        (d / "request").write_text(text, encoding="utf-8", newline="")
        (d / "case.json").write_text(json.dumps(c, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
        kind = name.split("-")[0]
        counts[kind] = counts.get(kind, 0) + 1
    print(f"wrote {sum(counts.values())} cases to {out}: {counts}")


if __name__ == "__main__":
    main()
