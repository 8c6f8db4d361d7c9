#!/usr/bin/env python3
"""Generate fixtures/base_strings/<case>/{request,body,case.json}: a request as a
client sent it and the body (or log line) a server of one kind answered, with
the base string that server expected.

Ground truth never comes from sigdoctor's explain:
  * the requests are signed by oauthlib (tools/reference/oauthref.py);
  * `server_base_string` is what oauthlib computes for the request as the
    server sees it (its own scheme, host, port, path and parameters);
  * the bodies are real bytes where a real server is at hand: PECL
    OAuthProvider (php -S on loopback), oauthlib's own log line
    (signature.verify_hmac_sha1 with logging on), sigdoctor serve's
    --log-base-strings line; the others (Flickr, net.oauth/Jira, AWeber,
    Khan Academy, Yelp, Postman Echo) follow the bytes those services publish
    in their 401 answers, written around the oauthlib base string.

    python3 tools/evidence/make_base_strings.py [--sigdoctor target/debug/sigdoctor]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools" / "reference"))

import oauthref as R  # noqa: E402
from oauthlib.common import Request as OLRequest  # noqa: E402
from oauthlib.oauth1.rfc5849 import signature as oasig  # noqa: E402

OUT = REPO / "fixtures" / "base_strings"
CS, TS = "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"
MADE_BY = f"tools/evidence/make_base_strings.py (oauthlib {R.OAUTHLIB_VERSION})"


def signed_url(url, key="dpf43f3p2l4k3l03", token=None, ts=1764000000,
               nonce="kllo9940pd9333jh", faults=(), variants=None):
    """The URL with oauth_* query parameters, signed by oauthlib (with the
    client faults of oauthref applied)."""
    sep = "&" if "?" in url else "?"
    oauth = [("oauth_consumer_key", key), ("oauth_nonce", nonce),
             ("oauth_signature_method", "HMAC-SHA1"),
             ("oauth_timestamp", str(ts)), ("oauth_version", "1.0")]
    if token:
        oauth.append(("oauth_token", token))
    unsigned = url + sep + "&".join(f"{n}={R.pct(v)}" for n, v in oauth)
    p = R.Parsed(R.Request("GET", unsigned))
    text, transport, bs = R.signature_for(p, R.Secrets(CS, TS), faults, variants)
    return unsigned + "&oauth_signature=" + R.wire_signature(text, transport), bs


def server_view(url, scheme=None, netloc=None, path=None, drop=()):
    """The request URL as the server rebuilds it, and oauthlib's base string
    for that URL (parameters in `drop` left out)."""
    s, host, port, p, query, _ = R.split_url(url)
    netloc = netloc or (host + (f":{port}" if port else ""))
    pairs = [seg for seg in (query or "").split("&")
             if seg and seg.split("=", 1)[0] not in drop]
    seen = f"{scheme or s}://{netloc}{path or p}?" + "&".join(pairs)
    return seen, R.oauthlib_base_string(R.Request("GET", seen))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def fetch(port, url, host):
    """GET the path and query of `url` on loopback with a Host header."""
    _, _, _, path, query, _ = R.split_url(url)
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}?{query}",
                                 headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        return e.read()


PECL = r"""<?php
try {
    $p = new OAuthProvider();
    $p->consumerHandler(function($p) { $p->consumer_secret = '%s'; return OAUTH_OK; });
    $p->timestampNonceHandler(function($p) { return OAUTH_OK; });
    $p->tokenHandler(function($p) { $p->token_secret = '%s'; return OAUTH_OK; });
    $p->isRequestTokenEndpoint(false);
    $p->is2LeggedEndpoint(true);
    $p->checkOAuthRequest();
    echo "ok";
} catch (OAuthException $e) {
    http_response_code(401);
    echo OAuthProvider::reportProblem($e, true);
}
"""


def pecl_body(client_url, host):
    """Real bytes: PECL OAuthProvider::reportProblem behind a TLS-terminating
    proxy (the server sees http and the Host header)."""
    d = tempfile.mkdtemp()
    Path(d, "index.php").write_text(PECL % (CS, TS))
    port = free_port()
    proc = subprocess.Popen(["php", "-S", f"127.0.0.1:{port}", "index.php"],
                            cwd=d, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        return fetch(port, client_url, host)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(d)


def oauthlib_log(seen_url):
    """Real bytes: oauthlib's debug line when its HMAC check fails."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(logging.Formatter(logging.BASIC_FORMAT).format(record))

    log = logging.getLogger("oauthlib")
    log.setLevel(logging.DEBUG)
    h = Keep()
    log.addHandler(h)
    try:
        r = OLRequest(seen_url, "GET")
        r.params = [(k, v) for k, v in r.uri_query_params]
        r.signature = dict(r.params)["oauth_signature"]
        r.params = [(k, v) for k, v in r.params if k != "oauth_signature"]
        assert not oasig.verify_hmac_sha1(r, CS, None)
    finally:
        log.removeHandler(h)
    line = [x for x in records if "signature base string" in x]
    return (line[0] + "\n").encode()


def serve_log(sigdoctor, client_url, base_address):
    """Real bytes: sigdoctor serve --log-base-strings's stderr line."""
    port = free_port()
    env = dict(os.environ, SIGDOCTOR_CONSUMER_SECRET=CS)
    proc = subprocess.Popen(
        [sigdoctor, "serve", "--listen", f"127.0.0.1:{port}", "--base-address",
         base_address, "--consumer-key", "dpf43f3p2l4k3l03", "--log-base-strings",
         "--timestamp-window", str(10 ** 9)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port)
        fetch(port, client_url, R.split_url(client_url)[1])
    finally:
        proc.terminate()
        err = proc.communicate(timeout=5)[1].decode()
    return ("\n".join(l for l in err.splitlines() if "expected base string" in l) + "\n").encode()


def write(name, request_url, body, case):
    real = case.get("server_base_string") or case.get("client_base_string")
    if real not in body.decode() and R.pct(real) not in body.decode() \
            and real.replace("&", "\\u0026") not in body.decode():
        raise SystemExit(f"{name}: the body does not hold the base string")
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "request").write_text(request_url + "\n")
    (d / "body").write_bytes(body)
    case = {"made_by": MADE_BY, "consumer_secret": CS, **case}
    (d / "case.json").write_text(json.dumps(case, indent=2) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sigdoctor", default=str(REPO / "target/debug/sigdoctor"))
    args = ap.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)

    # PECL OAuthProvider behind a TLS-terminating proxy: http, not https.
    url, _ = signed_url("https://api.example.com/photos?file=vacation.jpg&size=original")
    _, sbs = server_view(url, scheme="http")
    write("pecl-oauthprovider-scheme", url, pecl_body(url, "api.example.com"), {
        "bytes_from": "php-oauth OAuthProvider::reportProblem via php -S (real)",
        "form": "debug_sbs", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-scheme"],
        "expect_params_added": [], "expect_params_dropped": []})

    # Flickr: same debug_sbs form, the API host answering for another name.
    url, _ = signed_url("https://api.flickr.com/services/rest?method=flickr.test.login&format=json")
    _, sbs = server_view(url, netloc="www.flickr.com")
    write("flickr-host", url, f"oauth_problem=signature_invalid&debug_sbs={sbs}".encode(), {
        "bytes_from": "Flickr's published 401 body form (oauth_problem=...&debug_sbs=...)",
        "form": "debug_sbs", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-host"],
        "expect_params_added": [], "expect_params_dropped": []})

    # net.oauth (Jira, Blackboard): form-encoded body, the backend port kept.
    url, _ = signed_url("https://jira.example.com/rest/api/2/myself")
    _, sbs = server_view(url, scheme="http", netloc="jira.example.com:8080")
    sig = R.Parsed(R.Request("GET", url)).captured
    body = ("oauth_problem=signature_invalid&oauth_signature=" + R.pct(sig)
            + "&oauth_signature_base_string=" + R.pct(sbs)
            + "&oauth_signature_method=HMAC-SHA1")
    write("netoauth-jira-port", url, body.encode(), {
        "bytes_from": "net.oauth OAuthServlet.handleException body (OAuth.formEncode of the problem parameters)",
        "form": "oauth_signature_base_string", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-scheme", "base-address-port"],
        "expect_params_added": [], "expect_params_dropped": []})

    # AWeber: JSON with \u0026; the server drops a parameter it does not sign.
    url, _ = signed_url("https://api.aweber.com/1.0/accounts?ws.op=find&ws.size=10")
    _, sbs = server_view(url, drop=("ws.size",))
    msg = "Invalid signature. Expected signature base string: " + sbs
    body = json.dumps({"error": {"status": 401, "message": msg,
                                 "type": "UnauthorizedError",
                                 "documentation_url": "https://labs.aweber.com/docs/troubleshooting#unauthorized"}})
    body = body.replace("&", "\\u0026")
    write("aweber-param-dropped", url, body.encode(), {
        "bytes_from": "AWeber's published 401 JSON (message with \\u0026 escapes)",
        "form": "expected-signature-base-string", "server_base_string": sbs,
        "expect_deployment_faults": [],
        "expect_params_added": [], "expect_params_dropped": ["ws.size=10"]})

    # Khan Academy: plain text, a mount prefix the proxy strips.
    url, _ = signed_url("https://www.khanacademy.org/api/v1/user?casing=camel")
    _, sbs = server_view(url, path="/v1/user")
    write("khan-path", url, f"OAuth error. Invalid signature. Expected signature base string: {sbs}".encode(), {
        "bytes_from": "Khan Academy's published 401 text",
        "form": "expected-signature-base-string", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-path"],
        "expect_params_added": [], "expect_params_dropped": []})

    # Yelp v2: JSON, server and client agree on the URI.
    url, _ = signed_url("https://api.yelp.com/v2/search?term=food&location=San%20Francisco")
    _, sbs = server_view(url)
    body = json.dumps({"error": {"id": "INVALID_SIGNATURE", "text": "Signature was invalid",
                                 "description": "Invalid signature. Expected signature base string: " + sbs}})
    write("yelp-rfc", url, body.replace("&", "\\u0026").encode(), {
        "bytes_from": "Yelp v2's published 401 JSON",
        "form": "expected-signature-base-string", "server_base_string": sbs,
        "expect_deployment_faults": [],
        "expect_params_added": [], "expect_params_dropped": []})

    # Postman Echo: base_string next to the signing key (which holds the secret).
    url, _ = signed_url("https://postman-echo.com/oauth1?code=xWnkliVQJURqB2x1")
    _, sbs = server_view(url)
    body = json.dumps({"status": "fail", "message": "HMAC-SHA1 verification failed",
                       "base_uri": "https://postman-echo.com/oauth1",
                       "normalized_param_string": sbs.split("&", 2)[2],
                       "base_string": sbs, "signing_key": R.pct(CS) + "&"},
                      separators=(",", ":"))
    write("postman-echo", url, body.encode(), {
        "bytes_from": "Postman Echo /oauth1 401 JSON",
        "form": "postman-echo", "server_base_string": sbs,
        "expect_deployment_faults": [],
        "expect_params_added": [], "expect_params_dropped": []})

    # oauthlib behind a proxy on loopback: its own debug line.
    url, _ = signed_url("https://api.example.com/v1/items?page=2")
    seen, sbs = server_view(url, scheme="http", netloc="127.0.0.1:8000")
    write("oauthlib-log", url, oauthlib_log(seen), {
        "bytes_from": "oauthlib signature.verify_hmac_sha1 debug log line (real)",
        "form": "oauthlib-log", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-scheme", "base-address-port", "base-address-host"],
        "expect_params_added": [], "expect_params_dropped": []})

    # sigdoctor serve with the Alteryx default Base Address.
    url, _ = signed_url("https://gallery.example.com/gallery/api/v1/workflows/subscription/?limit=1")
    _, sbs = server_view(url, scheme="http", netloc="localhost")
    write("sigdoctor-serve-log", url, serve_log(args.sigdoctor, url, "http://localhost/gallery/"), {
        "bytes_from": "sigdoctor serve --log-base-strings stderr line (real)",
        "form": "sigdoctor-serve-log", "server_base_string": sbs,
        "expect_deployment_faults": ["base-address-scheme", "base-address-host"],
        "expect_params_added": [], "expect_params_dropped": []})

    # Client base strings: what a faulty client printed (oauthref transforms).
    for name, faults in [("client-port-kept", ["uri-default-port-kept"]),
                         ("client-plus-unsorted", ["params-plus-for-space", "params-unsorted"]),
                         ("client-scheme-method", ["uri-scheme", "method-lowercase"])]:
        base = "https://gallery.example.com/gallery/api/v1/workflows/subscription/?search=my%20flow&limit=5"
        url, client_bs = signed_url(base, faults=faults)
        write(name, url, f"Signature base string: {client_bs}\n".encode(), {
            "bytes_from": "a client's debug print (base string by oauthref's fault transforms)",
            "form": "signature-base-string", "client_base_string": client_bs,
            "rfc_base_string": R.oauthlib_base_string(R.Request("GET", url)),
            "expect_faults": sorted(faults)})
    print(f"wrote {len(list(OUT.iterdir()))} cases under {OUT}")


if __name__ == "__main__":
    main()
