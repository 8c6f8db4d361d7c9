#!/usr/bin/env python3
"""A read-only endpoint guarded by oauthlib's stock endpoints, as a Flask app would run it.

oauthlib's SignatureOnlyEndpoint (2-legged) or ResourceEndpoint (3-legged, when
VERIFIER_TOKEN is set) verifies the URL Werkzeug rebuilds from the request: wsgi.url_scheme
and the Host header, behind Werkzeug's ProxyFix (x_proto=1, x_host=1), the middleware Flask's
documentation prescribes behind a reverse proxy. The RequestValidator overrides only lookups:
oauthlib's own nonce, key-length, character-set and timestamp checks stay as shipped.

Usage: oauthlib_app.py PORT  (credentials in VERIFIER_CONSUMER_KEY, VERIFIER_CONSUMER_SECRET,
VERIFIER_TOKEN, VERIFIER_TOKEN_SECRET; never on the command line).
"""
import logging
import os
import sys
import threading

from oauthlib.oauth1 import RequestValidator, ResourceEndpoint, SignatureOnlyEndpoint
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

KEY = os.environ.get("VERIFIER_CONSUMER_KEY", "")
SECRET = os.environ.get("VERIFIER_CONSUMER_SECRET", "")
TOKEN = os.environ.get("VERIFIER_TOKEN", "")
TOKEN_SECRET = os.environ.get("VERIFIER_TOKEN_SECRET", "")


class Validator(RequestValidator):
    """Lookups only. enforce_ssl is off because some test backends are plain http on
    loopback (the transport policy, not the verification, is what that flag decides)."""

    enforce_ssl = False

    def __init__(self):
        super().__init__()
        self._nonces = set()
        self._lock = threading.Lock()

    @property
    def dummy_client(self):
        return "dummyclientkeyvalue0000"

    @property
    def dummy_access_token(self):
        return "dummyaccesstokenvalue00"

    def validate_client_key(self, client_key, request):
        return client_key == KEY

    def get_client_secret(self, client_key, request):
        return SECRET if client_key == KEY else "dummy"

    def validate_access_token(self, client_key, token, request):
        return bool(TOKEN) and token == TOKEN

    def get_access_token_secret(self, client_key, token, request):
        return TOKEN_SECRET if token == TOKEN else "dummy"

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        with self._lock:
            seen = (client_key, timestamp, nonce, access_token)
            if seen in self._nonces:
                return False
            self._nonces.add(seen)
            return True


class Collect(logging.Handler):
    """oauthlib says why it refused only in its log: keep this thread's lines for the 401.

    Its debug line echoing the expected base string is left out: a production 401 would not
    carry it, and the probe must work without it (PECL's debug_sbs covers that case)."""

    local = threading.local()

    def emit(self, record):
        lines = getattr(self.local, "lines", None)
        message = record.getMessage()
        if lines is not None and "base string" not in message:
            lines.append(message)


LOG = logging.getLogger("oauthlib")
LOG.setLevel(logging.DEBUG)
LOG.addHandler(Collect())
LOG.propagate = False
VALIDATOR = Validator()
ENDPOINT = ResourceEndpoint(VALIDATOR) if TOKEN else SignatureOnlyEndpoint(VALIDATOR)


@Request.application
def app(request):
    Collect.local.lines = []
    headers = {k: v for k, v in request.headers.items()}
    body = request.get_data(as_text=True) or None
    if TOKEN:
        ok, _ = ENDPOINT.validate_protected_resource_request(
            request.url, request.method, body, headers)
    else:
        ok, _ = ENDPOINT.validate_request(request.url, request.method, body, headers)
    lines, Collect.local.lines = Collect.local.lines, None
    if ok:
        return Response('{"ok": true, "verifier": "oauthlib"}\n', 200,
                        content_type="application/json")
    text = "; ".join(lines) or "Unauthorized"
    return Response(text + "\n", 401, {"WWW-Authenticate": 'OAuth realm="oauthlib"'},
                    content_type="text/plain")


if __name__ == "__main__":
    port = int(sys.argv[1])
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    run_simple("127.0.0.1", port, ProxyFix(app, x_proto=1, x_host=1), threaded=True)
