"""Write a Request in the formats users paste (bare URL, curl, raw HTTP/1.1,
HAR) and read them back, so make_fixtures.py can check every fixture file
round-trips to the request it signed.  The readers only handle what the
writers produce; they are a self-check, not a model of sigdoctor's parsers."""

from __future__ import annotations

import json
import shlex

from oauthref import FORM, Request, split_url

ALTERYX_401 = ('{"data":null,"exceptionName":"UnauthorizedException",'
               '"innerExceptionMessage":"","message":"The provided '
               'signature(oauth_signature) is invalid."}')


def _q(s):
    """Single-quote for a POSIX shell."""
    return "'" + s.replace("'", "'\\''") + "'"


def to_url(req: Request):
    if req.method != "GET" or req.headers or req.body is not None:
        raise ValueError("a bare URL carries only a GET without headers or body")
    return req.url + "\n"


def to_curl(req: Request, multiline=False, explicit_method=True,
            implicit_form=False):
    """curl command line.  implicit_form: leave out the Content-Type header of a
    form body (curl -d sends application/x-www-form-urlencoded by itself)."""
    parts = ["curl"]
    if explicit_method and (req.method != "GET" or req.body is not None):
        parts.append(f"-X {req.method}")
    elif req.method not in ("GET", "POST"):
        parts.append(f"-X {req.method}")
    elif req.method == "POST" and req.body is None:
        parts.append("-X POST")
    parts.append(_q(req.url))
    for n, v in req.headers:
        if implicit_form and n.lower() == "content-type" and v == FORM:
            continue
        parts.append(f"-H {_q(n + ': ' + v)}")
    if req.body is not None:
        if req.body.startswith("@"):
            raise ValueError("a curl -d body may not start with @")
        parts.append(f"-d {_q(req.body)}")
    sep = " \\\n  " if multiline else " "
    return sep.join(parts) + "\n"


def to_raw(req: Request, absolute_form=False, crlf=False,
           extra_headers=()):
    scheme, host, port, path, query, frag = split_url(req.url)
    target = req.url if absolute_form else (path or "/") + (
        "?" + query if query is not None else "")
    if not absolute_form and scheme.lower() != "https":
        raise ValueError("origin-form raw requests are written for https only")
    lines = [f"{req.method} {target} HTTP/1.1",
             "Host: " + host + (f":{port}" if port else "")]
    lines += [f"{n}: {v}" for n, v in extra_headers]
    lines += [f"{n}: {v}" for n, v in req.headers]
    if req.body is not None:
        lines.append(f"Content-Length: {len(req.body.encode('utf-8'))}")
    nl = "\r\n" if crlf else "\n"
    text = nl.join(lines) + nl + nl
    if req.body is not None:
        text += req.body
    return text


def to_har(req: Request, extra_entry=False, status=401):
    scheme, host, port, path, query, frag = split_url(req.url)
    qs = []
    for seg in (query or "").split("&"):
        if seg:
            n, _, v = seg.partition("=")
            qs.append({"name": n, "value": v})
    headers = [{"name": "Host", "value": host + (f":{port}" if port else "")}]
    headers += [{"name": n, "value": v} for n, v in req.headers]
    headers.append({"name": "Accept", "value": "application/json"})
    request = {
        "method": req.method,
        "url": req.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers,
        "queryString": qs,
        "headersSize": -1,
        "bodySize": len(req.body.encode("utf-8")) if req.body is not None else 0,
    }
    if req.body is not None:
        request["postData"] = {"mimeType": req.content_type or "", "text": req.body}
    entry = {
        "startedDateTime": "2025-11-24T16:00:00.000Z",
        "time": 84.2,
        "request": request,
        "response": {
            "status": status,
            "statusText": "Unauthorized" if status == 401 else "OK",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": "Content-Type",
                         "value": "application/json; charset=utf-8"}],
            "content": {"size": len(ALTERYX_401), "mimeType": "application/json",
                        "text": ALTERYX_401 if status == 401 else "[]"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(ALTERYX_401),
        },
        "cache": {},
        "timings": {"send": 0.1, "wait": 80.0, "receive": 4.1},
    }
    entries = [entry]
    if extra_entry:  # an entry without OAuth parameters, loaded first
        entries.insert(0, {
            "startedDateTime": "2025-11-24T15:59:59.000Z",
            "time": 12.0,
            "request": {"method": "GET",
                        "url": f"{scheme}://{host}/gallery/favicon.ico",
                        "httpVersion": "HTTP/1.1", "cookies": [],
                        "headers": [{"name": "Host", "value": host}],
                        "queryString": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK",
                         "httpVersion": "HTTP/1.1", "cookies": [],
                         "headers": [], "content": {"size": 0,
                                                    "mimeType": "image/x-icon"},
                         "redirectURL": "", "headersSize": -1, "bodySize": 0},
            "cache": {}, "timings": {"send": 0.1, "wait": 10.0, "receive": 1.9},
        })
    har = {"log": {"version": "1.2",
                   "creator": {"name": "WebInspector", "version": "537.36"},
                   "pages": [], "entries": entries}}
    return json.dumps(har, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------ read back


def from_text(text):
    t = text.lstrip()
    if t.startswith("{"):
        return _from_har(t)
    if t.startswith("curl"):
        return _from_curl(t)
    if t.startswith(("http://", "https://")):
        return Request("GET", t.strip())
    return _from_raw(text)


def _from_curl(text):
    words = shlex.split(text.replace("\\\n", " "))
    assert words[0] == "curl"
    method, url, headers, body = None, None, [], None
    i = 1
    while i < len(words):
        w = words[i]
        if w == "-X":
            method = words[i + 1]
            i += 2
        elif w == "-H":
            n, _, v = words[i + 1].partition(": ")
            headers.append((n, v))
            i += 2
        elif w == "-d":
            body = words[i + 1]
            i += 2
        else:
            url = w
            i += 1
    if body is not None and not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", FORM))
    return Request(method or ("POST" if body is not None else "GET"), url,
                   headers, body)


def _from_raw(text):
    nl = "\r\n" if "\r\n" in text else "\n"
    head, _, body = text.partition(nl + nl)
    lines = head.split(nl)
    method, target, _ = lines[0].split(" ")
    headers, host = [], None
    for line in lines[1:]:
        n, _, v = line.partition(": ")
        if n.lower() == "host":
            host = v
        elif n.lower() in ("content-length", "accept", "user-agent"):
            continue
        else:
            headers.append((n, v))
    url = target if "://" in target else f"https://{host}{target}"
    return Request(method, url, headers, body if body != "" else None)


def _from_har(text):
    har = json.loads(text)
    for e in har["log"]["entries"]:
        r = e["request"]
        if "oauth_" not in json.dumps(r):
            continue
        headers = [(h["name"], h["value"]) for h in r["headers"]
                   if h["name"].lower() not in ("host", "accept")]
        body = r.get("postData", {}).get("text")
        return Request(r["method"], r["url"], headers, body)
    raise ValueError("no OAuth entry")
