#!/usr/bin/env python3
"""Independent OAuth 1.0a signer for sigdoctor's serve tests and load scripts.

Signs with oauthlib (oauthlib.oauth1.Client), never with sigdoctor, so a test that
sends what this prints to `sigdoctor serve` checks sigdoctor's verifier against another
implementation.  The secret comes from an environment variable, never argv.

One request, printed as JSON {"method", "url", "headers", "body"}:

    SECRET=s python3 sign_request.py --url http://localhost/gallery/api/v1/workflows/subscription/ \
        --consumer-key K --secret-env SECRET --placement query|header|body [--data 'a=1']

Many requests for a load test, one signed path?query per line (query placement, unique
nonces, one timestamp):

    SECRET=s python3 sign_request.py --url ... --consumer-key K --secret-env SECRET \
        --count 1000000 --out /tmp/paths.txt

--keep-default-port signs the URL with its port as written (`https://h:443/...`), which
oauthlib itself never does: the base string is assembled from oauthlib's primitives
(collect_parameters, normalize_parameters, signature_base_string, sign_hmac_sha1) with
that one change.  Query placement only.
"""

import argparse
import json
import os
import sys
import time
from urllib.parse import urlsplit

try:
    from oauthlib.oauth1 import (SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256,
                                 SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_AUTH_HEADER,
                                 SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY, Client)
    from oauthlib.oauth1.rfc5849 import signature as oasig
    from oauthlib.oauth1.rfc5849 import utils as oautils
except ImportError:
    sys.exit("sign_request.py: oauthlib is missing: pip install oauthlib")

FORM = "application/x-www-form-urlencoded"
PLACEMENTS = {"query": SIGNATURE_TYPE_QUERY, "header": SIGNATURE_TYPE_AUTH_HEADER,
              "body": SIGNATURE_TYPE_BODY}
METHODS = {"HMAC-SHA1": SIGNATURE_HMAC_SHA1, "HMAC-SHA256": SIGNATURE_HMAC_SHA256,
           "PLAINTEXT": SIGNATURE_PLAINTEXT}


def sign(args, secret, nonce, timestamp):
    client = Client(args.consumer_key, client_secret=secret,
                    signature_method=METHODS[args.signature_method],
                    signature_type=PLACEMENTS[args.placement],
                    nonce=nonce, timestamp=timestamp)
    headers = {"Content-Type": FORM} if args.data is not None else {}
    uri, headers, body = client.sign(args.url, http_method=args.method, body=args.data,
                                     headers=headers)
    if args.keep_default_port:
        uri = resign_keeping_port(args, secret, uri)
    return uri, headers, body


def resign_keeping_port(args, secret, uri):
    """Replaces oauthlib's signature by one over the URL with its port as written."""
    if args.placement != "query" or args.signature_method != "HMAC-SHA1":
        sys.exit("sign_request.py: --keep-default-port needs --placement query, HMAC-SHA1")
    parts = urlsplit(uri)
    query = "&".join(p for p in parts.query.split("&")
                     if not p.startswith("oauth_signature="))
    params = oasig.collect_parameters(uri_query=query, body=args.data or "",
                                      headers={"Content-Type": FORM} if args.data else {},
                                      exclude_oauth_signature=True)
    written = urlsplit(args.url)
    base_uri = f"{written.scheme.lower()}://{written.netloc.lower()}{written.path or '/'}"
    base = oasig.signature_base_string(args.method.upper(), base_uri,
                                       oasig.normalize_parameters(params))
    sig = oasig.sign_hmac_sha1(base, secret, "")
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}&oauth_signature={oautils.escape(sig)}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--method", default="GET")
    p.add_argument("--consumer-key", required=True)
    p.add_argument("--secret-env", required=True, help="environment variable holding the secret")
    p.add_argument("--placement", choices=sorted(PLACEMENTS), default="query")
    p.add_argument("--signature-method", choices=sorted(METHODS), default="HMAC-SHA1")
    p.add_argument("--data", help="form body (application/x-www-form-urlencoded)")
    p.add_argument("--nonce")
    p.add_argument("--timestamp")
    p.add_argument("--keep-default-port", action="store_true")
    p.add_argument("--count", type=int, help="write this many signed path?query lines")
    p.add_argument("--out", help="file for --count (default stdout)")
    args = p.parse_args()
    secret = os.environ.get(args.secret_env)
    if secret is None:
        sys.exit(f"sign_request.py: environment variable {args.secret_env} is not set")
    timestamp = args.timestamp or str(int(time.time()))

    if args.count is not None:
        out = open(args.out, "w") if args.out else sys.stdout
        prefix = args.nonce or f"n{os.getpid()}x{timestamp}x"
        for i in range(args.count):
            uri, _, _ = sign(args, secret, f"{prefix}{i}", timestamp)
            parts = urlsplit(uri)
            out.write(f"{parts.path}?{parts.query}\n")
        out.close()
        return

    uri, headers, body = sign(args, secret, args.nonce or None, timestamp)
    json.dump({"method": args.method, "url": uri, "headers": headers, "body": body},
              sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
