#!/usr/bin/env python3
"""Signs requests with oauthlib, the independent implementation tests/provider_serve.rs and
tests/provider_explain.rs check `serve --profile P` and `explain` against.

stdin: a JSON list of {"consumer_key", "secret" | "rsa_key_file", "signature_method",
"placement": header|query|body, "method", "url", "body" (form, optional), "realm",
"timestamp", "nonce"}; stdout: a JSON list of {"url", "headers", "body"} as oauthlib signed
them. RSA needs the `cryptography` and `pyjwt` packages (.ci/run installs them, pinned).
"""
import json
import sys

from oauthlib.oauth1 import (
    SIGNATURE_TYPE_AUTH_HEADER,
    SIGNATURE_TYPE_BODY,
    SIGNATURE_TYPE_QUERY,
    Client,
)

PLACEMENT = {
    "header": SIGNATURE_TYPE_AUTH_HEADER,
    "query": SIGNATURE_TYPE_QUERY,
    "body": SIGNATURE_TYPE_BODY,
}


def sign(case):
    rsa_key = None
    if case.get("rsa_key_file"):
        with open(case["rsa_key_file"], encoding="ascii") as f:
            rsa_key = f.read()
    client = Client(
        case["consumer_key"],
        client_secret=case.get("secret"),
        rsa_key=rsa_key,
        signature_method=case["signature_method"],
        signature_type=PLACEMENT[case["placement"]],
        realm=case.get("realm"),
        timestamp=case.get("timestamp"),
        nonce=case.get("nonce"),
    )
    body = case.get("body")
    headers = {}
    if body is not None or case["placement"] == "body":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = body or ""
    url, headers, body = client.sign(
        case["url"], http_method=case.get("method", "GET"), body=body, headers=headers
    )
    return {"url": url, "headers": headers, "body": body}


if __name__ == "__main__":
    print(json.dumps([sign(c) for c in json.load(sys.stdin)]))
