"""Independent reference model of OAuth 1.0a signing and of the client faults of
faults.md, for sigdoctor's tests.

The RFC 5849 steps are oauthlib's (oauthlib.oauth1.rfc5849.signature and utils);
every client fault is a transform of one stage, implemented here by hand,
following /work/shared/faults.md (interpretations in tools/reference/README.md).
Nothing here calls sigdoctor.

A request is modelled as it is sent on the wire: method, the URL exactly as
written (query included), the headers, the body.  `Parsed` splits it once;
`compute()` runs the (possibly faulty) procedure for one hypothesis; `search()`
enumerates hypotheses the way `sigdoctor explain` does and returns the
smallest matching fault sets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus

import oauthlib
from oauthlib.oauth1.rfc5849 import signature as oasig
from oauthlib.oauth1.rfc5849 import utils as oautils

OAUTHLIB_VERSION = oauthlib.__version__

pct = oautils.escape  # RFC 5849 section 3.6, upper-case hex, keeps A-Za-z0-9-._~

FORM = "application/x-www-form-urlencoded"
DEFAULT_PORT = {"http": 80, "https": 443}
HASHES = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256,
          "HMAC-SHA512": hashlib.sha512}
WHITESPACE = [" ", "\t", "\n", "\r\n"]

# ---------------------------------------------------------------- catalogue

# Base-level axes: each choice changes the base string, key or hash (a new HMAC).
# Within a row the alternatives are listed as faults.md lists them (most frequent
# first); rows named after a single fault are independent switches.
BASE_AXES = [
    ("method", ["method-missing", "method-lowercase", "method-mismatch"]),
    ("scheme", ["uri-scheme"]),
    ("port", ["uri-default-port-kept", "uri-port-dropped"]),
    ("host", ["uri-host", "uri-host-case"]),
    ("path", ["uri-trailing-slash", "uri-path-prefix", "uri-path-lowercase",
              "uri-path-decoded"]),
    ("query", ["uri-query-included"]),
    ("uri-encoding", ["uri-not-encoded"]),
    ("params-semicolon-split", ["params-semicolon-split"]),
    ("params-value-cut-at-equals", ["params-value-cut-at-equals"]),
    ("params-query-omitted", ["params-query-omitted"]),
    ("params-body-omitted", ["params-body-omitted"]),
    ("params-empty-dropped", ["params-empty-dropped"]),
    ("params-signature-included", ["params-signature-included"]),
    ("params-realm-included", ["params-realm-included"]),
    ("params-version-mismatch", ["params-version-mismatch"]),
    ("params-empty-token-signed", ["params-empty-token-signed"]),
    ("repeated-names", ["params-duplicates-collapsed", "params-duplicates-last",
                        "params-duplicates-indexed"]),
    ("param-encoding", ["params-plus-for-space", "params-plus-literal",
                        "params-lowercase-hex", "params-reserved-unencoded",
                        "params-not-encoded", "params-double-encoded",
                        "params-over-decoded"]),
    ("text-encoding", ["params-utf8-double-encoded"]),
    ("param-order", ["params-unsorted", "params-sorted-raw",
                     "params-sorted-as-strings",
                     "params-sorted-case-insensitive",
                     "params-sorted-by-name-only"]),
    ("param-string", ["params-string-not-encoded"]),
    ("secret-text", ["key-secret-whitespace", "key-swapped"]),
    ("key-encoding", ["key-not-encoded"]),
    ("key-assembly", ["key-missing-ampersand", "key-token-secret-included",
                      "key-token-secret-missing"]),
    ("hash", ["sig-method-mismatch"]),
]
# Output-level axes: only the text made from the digest changes (no new HMAC).
OUT_AXES = [
    ("signature-output", ["sig-urlsafe-base64", "sig-hex", "sig-base64-of-hex"]),
    ("signature-transport", ["sig-not-percent-encoded",
                             "sig-double-percent-encoded"]),
]
ALL_AXES = BASE_AXES + OUT_AXES
AXIS_OF = {f: a for a, fs in ALL_AXES for f in fs}
ALL_FAULTS = [f for _, fs in ALL_AXES for f in fs]
BASE_FAULTS = [f for _, fs in BASE_AXES for f in fs]

# ---------------------------------------------------------------- requests


@dataclass
class Request:
    """A request as sent.  `url` is exactly as written (query included)."""
    method: str
    url: str
    headers: list = field(default_factory=list)  # [(name, value)], no Host
    body: str | None = None

    def header(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    @property
    def content_type(self):
        return self.header("Content-Type")


URL_RE = re.compile(
    r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$")


def split_url(url):
    m = URL_RE.match(url)
    if not m:
        raise ValueError(f"not an absolute URL: {url!r}")
    scheme, authority, path, query, frag = m.groups()
    host, port = authority, None
    if ":" in authority:
        host, port = authority.rsplit(":", 1)
    return scheme, host, port, path, query, frag


def split_form(text):
    """Split a query or form body into raw (wire) pairs; a name without '='
    has value ''.  Empty segments are skipped."""
    pairs = []
    if not text:
        return pairs
    for seg in text.split("&"):
        if seg == "":
            continue
        if "=" in seg:
            n, v = seg.split("=", 1)
        else:
            n, v = seg, ""
        pairs.append((n, v))
    return pairs


AUTH_PARAM_RE = re.compile(r'\s*([^\s=,]+)\s*=\s*"([^"]*)"\s*,?')


def split_auth_header(value):
    if value is None or not value[:6].lower() == "oauth ":
        return []
    return [(m.group(1), m.group(2)) for m in AUTH_PARAM_RE.finditer(value[6:])]


def is_form(req):
    ct = req.content_type
    return bool(ct) and ct.split(";")[0].strip().lower() == FORM


class Parsed:
    """The request split once: URL parts and raw parameter pairs by source."""

    def __init__(self, req: Request):
        self.req = req
        (self.scheme, self.host, self.port, self.path, self.query,
         self.fragment) = split_url(req.url)
        self.qpairs = split_form(self.query)
        self.hpairs = split_auth_header(req.header("Authorization"))
        self.bpairs = split_form(req.body) if (req.body and is_form(req)) else []
        # RFC-decoded oauth parameters, first occurrence wins
        self.oauth = {}
        self.sig_location = None
        for src, pairs, dec in (("query", self.qpairs, unquote_plus),
                                ("header", self.hpairs, unquote),
                                ("body", self.bpairs, unquote_plus)):
            for n, v in pairs:
                dn = dec(n)
                if dn.startswith("oauth_") and dn not in self.oauth:
                    self.oauth[dn] = dec(v)
                    if dn == "oauth_signature":
                        self.sig_location = src
        self.captured = self.oauth.get("oauth_signature")
        self.declared = self.oauth.get("oauth_signature_method", "HMAC-SHA1")
        self.consumer_key = self.oauth.get("oauth_consumer_key", "")
        self.token = self.oauth.get("oauth_token") or None

    @property
    def effective_port(self):
        return int(self.port) if self.port else DEFAULT_PORT[self.scheme.lower()]


# ---------------------------------------------------------------- oauthlib


def oauthlib_base_string(req: Request):
    """The RFC 5849 base string of the request as sent, computed by oauthlib
    alone (collect_parameters, normalize_parameters, base_string_uri,
    signature_base_string)."""
    p = Parsed(req)
    headers = {}
    if req.header("Authorization"):
        headers["Authorization"] = req.header("Authorization")
    body = req.body if (req.body and is_form(req)) else None
    params = oasig.collect_parameters(uri_query=p.query or "", body=body,
                                      headers=headers)
    norm = oasig.normalize_parameters(params)
    uri = oasig.base_string_uri(req.url.split("?", 1)[0].split("#", 1)[0])
    return oasig.signature_base_string(req.method, uri, norm)


def oauthlib_sign(base_string, method, cs, ts):
    if method == "HMAC-SHA1":
        return oasig.sign_hmac_sha1(base_string, cs, ts)
    if method == "HMAC-SHA256":
        return oasig.sign_hmac_sha256(base_string, cs, ts)
    if method == "HMAC-SHA512":
        return oasig._sign_hmac("SHA-512", base_string, cs, ts)
    if method == "PLAINTEXT":
        return oasig.sign_plaintext(cs, ts)
    raise ValueError(method)


def oauthlib_verify(req: Request, secrets):
    """oauthlib's server side (endpoint request parsing + verify_*): does the
    request as sent carry a valid RFC 5849 signature?"""
    from oauthlib.oauth1.rfc5849.endpoints.base import BaseEndpoint
    headers = {n: v for n, v in req.headers}
    r = BaseEndpoint(None)._create_request(req.url, req.method, req.body or "", headers)
    ts = secrets.ts if r.resource_owner_key else None
    m = r.signature_method
    if m == "HMAC-SHA1":
        return oasig.verify_hmac_sha1(r, secrets.cs, ts)
    if m == "HMAC-SHA256":
        return oasig.verify_hmac_sha256(r, secrets.cs, ts)
    if m == "HMAC-SHA512":
        return oasig.verify_hmac_sha512(r, secrets.cs, ts)
    if m == "PLAINTEXT":
        return oasig.verify_plaintext(r, secrets.cs, ts)
    raise ValueError(m)


# ---------------------------------------------------------------- faults


class Secrets:
    def __init__(self, consumer_secret, token_secret=None):
        self.cs = consumer_secret
        self.ts = token_secret


def fault_variants(fid, p: Parsed, secrets: Secrets, aliases=()):
    """The concrete variants of one fault on this request ([] = not applicable,
    [None] = a single variant)."""
    scheme = p.scheme.lower()
    path = p.path
    if fid == "method-mismatch":
        m = p.req.method.upper()
        return {"GET": ["POST"], "POST": ["GET"]}.get(m, ["GET", "POST"])
    if fid == "uri-host":
        hosts = []
        for a in list(aliases) + ["localhost", "127.0.0.1"]:
            if a.lower() != p.host.lower() and a.lower() not in hosts:
                hosts.append(a.lower())
        return hosts
    if fid == "uri-path-prefix":
        eff = path or "/"
        return [eff[: i + 1] for i, c in enumerate(eff)
                if c == "/" and i + 1 < len(eff)]
    if fid == "key-secret-whitespace":
        v = []
        for w in WHITESPACE:
            v.append(secrets.cs + w)
            v.append(w + secrets.cs)
        if secrets.cs.strip() != secrets.cs:
            v.append(secrets.cs.strip())
        return v
    if fid == "key-token-secret-included":
        return [None] if (p.token is None and secrets.ts) else []
    if fid == "key-token-secret-missing":
        return [None] if (p.token is not None and secrets.ts) else []
    if fid == "sig-method-mismatch":
        if p.declared not in HASHES:
            return []
        return [h for h in HASHES if h != p.declared]
    if fid == "sig-not-percent-encoded":
        return [None] if p.sig_location in ("query", "body") else []
    if fid in ("uri-scheme",):
        return [None] if scheme in DEFAULT_PORT else []
    # Exact preconditions: where they fail, the transform is the identity whatever
    # else the client did, so leaving the fault out only saves time.
    if fid == "params-semicolon-split":
        return [None] if ";" in (p.query or "") else []
    if fid == "params-value-cut-at-equals":
        segs = re.split(r"[&;]", p.query or "")
        return [None] if any(seg.count("=") >= 2 for seg in segs) else []
    if fid == "params-empty-token-signed":
        return [] if "oauth_token" in p.oauth else [None]
    if fid in ("params-duplicates-collapsed", "params-duplicates-last",
               "params-duplicates-indexed"):
        names = [unquote_plus(n) for n, _ in split_query(p.query, semicolons=True)]
        names += [unquote(n) for n, _ in p.hpairs] + [unquote_plus(n) for n, _ in p.bpairs]
        return [None] if len(set(names)) < len(names) else []
    if fid == "params-utf8-double-encoded":
        texts = [x for pairs in (p.qpairs, p.hpairs, p.bpairs) for pair in pairs for x in pair]
        texts.append(p.req.header("Authorization") or "")
        return [None] if any(not unquote(unquote(t)).isascii() for t in texts) else []
    return [None]


def _lower_hex(s):
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), s)


def _reserved_unencoded(s):
    for ch in "!*'()":
        s = s.replace(pct(ch), ch)
    return s


URI_AXES = ("scheme", "port", "host", "path", "query")
PARAM_AXES = ("params-semicolon-split", "params-value-cut-at-equals",
              "params-query-omitted", "params-body-omitted",
              "params-empty-dropped", "params-signature-included",
              "params-realm-included", "params-version-mismatch",
              "params-empty-token-signed", "repeated-names", "param-encoding",
              "text-encoding", "param-order")
# When True, the RFC choices also run through the hand-written code below
# instead of oauthlib (used to cross-check the two).
FORCE_CUSTOM = False


def base_uri_for(p: Parsed, h: dict):
    """Base string URI under hypothesis h ({axis: (fault, variant)})."""
    if not FORCE_CUSTOM and not any(a in h for a in URI_AXES):
        return oasig.base_string_uri(f"{p.scheme}://{p.host}"
                                     + (f":{p.port}" if p.port else "") + p.path)
    scheme = p.scheme.lower()
    if "scheme" in h:
        scheme = {"http": "https", "https": "http"}[scheme]
    # effective port; a sent default port follows the scheme when it is swapped
    sent_default = p.port is None or int(p.port) == DEFAULT_PORT[p.scheme.lower()]
    port = p.effective_port
    if "scheme" in h and sent_default:
        port = DEFAULT_PORT[scheme]
    host = p.host.lower()
    hf = h.get("host")
    if hf:
        host = p.host if hf[0] == "uri-host-case" else hf[1]
    pf = h.get("port")
    default = port == DEFAULT_PORT[scheme]
    if pf is None:
        show_port = not default
    elif pf[0] == "uri-default-port-kept":
        show_port = True
    else:  # uri-port-dropped
        show_port = False
    path = p.path
    pa = h.get("path")
    if pa is None:
        path = path or "/"
        path = path.replace(" ", "%20")
    elif pa[0] == "uri-trailing-slash":
        if path in ("", "/"):
            path = ""
        elif path.endswith("/"):
            path = path[:-1]
        else:
            path = path + "/"
    elif pa[0] == "uri-path-prefix":
        path = pa[1]
    elif pa[0] == "uri-path-lowercase":
        path = (path or "/").lower()
    elif pa[0] == "uri-path-decoded":
        path = unquote(path or "/")
    uri = f"{scheme}://{host}" + (f":{port}" if show_port else "") + path
    if "query" in h:
        kept = [seg for seg in (p.query or "").split("&")
                if seg and not unquote_plus(seg.split("=", 1)[0]).startswith("oauth_")]
        if kept:
            uri += "?" + "&".join(kept)
        if p.fragment is not None:
            uri += "#" + p.fragment
    return uri


def split_query(query, semicolons=False, cut_at_equals=False):
    """The query's raw pairs as a client's parser sees them: split on `&` (and
    `;` for Ruby's CGI.parse), each pair at its first `=`; with cut_at_equals
    the value also ends at its next raw `=` (ddo/oauth-1.0a's deParam takes
    `pair.split('=')[1]`)."""
    pairs = []
    for seg in re.split(r"[&;]" if semicolons else "&", query or ""):
        if seg == "":
            continue
        n, v = seg.split("=", 1) if "=" in seg else (seg, "")
        if cut_at_equals:
            v = v.split("=", 1)[0]
        pairs.append((n, v))
    return pairs


def _latin1_utf8(s):
    """Each UTF-8 byte of s taken as a Latin-1 character (Net::OAuth's double
    UTF-8 encoding): 'é' -> 'Ã©', whose UTF-8 is C3 83 C2 A9."""
    return s.encode("utf-8", "surrogateescape").decode("latin-1")


def params_for(p: Parsed, h: dict):
    """The parameter list [(name, value, wire_name, wire_value, src)] under h,
    in wire order (query, Authorization header, form body)."""
    enc = h.get("param-encoding", (None,))[0]
    dup = h.get("repeated-names", (None,))[0]
    qpairs = p.qpairs
    if "params-semicolon-split" in h or "params-value-cut-at-equals" in h:
        qpairs = split_query(p.query, "params-semicolon-split" in h,
                             "params-value-cut-at-equals" in h)
    if dup == "params-duplicates-indexed":
        # node `oauth`: querystring.parse gives an array for a repeated name,
        # whose k-th value is then signed as name[k]
        count = {}
        for wn, _ in qpairs:
            count[unquote_plus(wn)] = count.get(unquote_plus(wn), 0) + 1
        seen, renamed = {}, []
        for wn, wv in qpairs:
            n = unquote_plus(wn)
            if count[n] > 1:
                k = seen.get(n, 0)
                seen[n] = k + 1
                wn = f"{wn}[{k}]"
            renamed.append((wn, wv))
        qpairs = renamed
    recs = []
    for src, pairs in (("query", qpairs), ("header", p.hpairs),
                       ("body", p.bpairs)):
        for wn, wv in pairs:
            if src == "header":
                n, v = unquote(wn), unquote(wv)
                if n == "realm" and "params-realm-included" not in h:
                    continue
            elif enc == "params-plus-literal":
                n, v = unquote(wn), unquote(wv)
            else:
                n, v = unquote_plus(wn), unquote_plus(wv)
            if enc == "params-over-decoded":
                v = unquote(v)
            if "text-encoding" in h:
                n, v, wn, wv = map(_latin1_utf8, (n, v, wn, wv))
            recs.append((n, v, wn, wv, src))
    out, seen_sig = [], False
    for r in recs:
        if r[0] == "oauth_signature":
            if "params-signature-included" in h and not seen_sig:
                out.append(("oauth_signature", "", "", "", r[4]))
            seen_sig = True
            continue
        out.append(r)
    recs = out
    if "params-query-omitted" in h:
        recs = [r for r in recs if not (r[4] == "query" and not r[0].startswith("oauth_"))]
    if "params-body-omitted" in h:
        recs = [r for r in recs if not (r[4] == "body" and not r[0].startswith("oauth_"))]
    if "params-version-mismatch" in h:
        if any(r[0] == "oauth_version" for r in recs):
            recs = [r for r in recs if r[0] != "oauth_version"]
        else:
            recs.append(("oauth_version", "1.0", "oauth_version", "1.0", "added"))
    if "params-empty-token-signed" in h and not any(r[0] == "oauth_token" for r in recs):
        # Postman, 1-legged with an empty Access Token and "Add empty parameters
        # to signature" on: oauth_token= is signed but never sent
        recs.append(("oauth_token", "", "oauth_token", "", "added"))
    if "params-empty-dropped" in h:
        recs = [r for r in recs if r[1] != ""]
    if dup in ("params-duplicates-collapsed", "params-duplicates-last"):
        # first (collapsed) or last (PHP arrays) value of each name, at the
        # position of the name's first occurrence
        pick = {}
        for r in recs:
            if dup == "params-duplicates-last" or r[0] not in pick:
                pick[r[0]] = r
        seen, out = set(), []
        for r in recs:
            if r[0] in seen:
                continue
            seen.add(r[0])
            out.append(pick[r[0]])
        recs = out
    return recs


def normalized_for(p: Parsed, h: dict):
    if not FORCE_CUSTOM and not any(a in h for a in PARAM_AXES):
        headers = {}
        if p.req.header("Authorization"):
            headers["Authorization"] = p.req.header("Authorization")
        body = p.req.body if p.bpairs else None
        return oasig.normalize_parameters(oasig.collect_parameters(
            uri_query=p.query or "", body=body, headers=headers))
    recs = params_for(p, h)
    enc = h.get("param-encoding", (None,))[0]
    pairs = []
    for n, v, wn, wv, src in recs:
        if enc == "params-plus-for-space":
            en, ev = pct(n).replace("%20", "+"), pct(v).replace("%20", "+")
        elif enc == "params-lowercase-hex":
            en, ev = _lower_hex(pct(n)), _lower_hex(pct(v))
        elif enc == "params-reserved-unencoded":
            en, ev = _reserved_unencoded(pct(n)), _reserved_unencoded(pct(v))
        elif enc == "params-not-encoded":
            en, ev = n, v
        elif enc == "params-double-encoded":
            if src in ("added",) or (n == "oauth_signature" and wv == ""):
                wn, wv = pct(n), pct(v)
            en, ev = pct(wn), pct(wv)
        else:
            en, ev = pct(n), pct(v)
        pairs.append((en, ev, n, v))
    order = h.get("param-order", (None,))[0]
    b = lambda s: s.encode("utf-8")  # noqa: E731  byte order
    if order is None:
        pairs.sort(key=lambda t: (b(t[0]), b(t[1])))
    elif order == "params-sorted-raw":
        pairs.sort(key=lambda t: (b(t[2]), b(t[3])))
    elif order == "params-sorted-as-strings":
        pairs.sort(key=lambda t: b(t[0] + "=" + t[1]))
    elif order == "params-sorted-case-insensitive":
        pairs.sort(key=lambda t: (b(t[0].lower()), b(t[1])))
    elif order == "params-sorted-by-name-only":
        pairs.sort(key=lambda t: b(t[0]))  # stable: values stay in wire order
    # params-unsorted: wire order
    return "&".join(f"{en}={ev}" for en, ev, _, _ in pairs)


def base_string_for(p: Parsed, h: dict):
    method = p.req.method.upper()
    mf = h.get("method")
    if mf and mf[0] == "method-lowercase":
        method = p.req.method.lower()
    elif mf and mf[0] == "method-mismatch":
        method = mf[1]
    uri = base_uri_for(p, h)
    norm = normalized_for(p, h)
    if not FORCE_CUSTOM and not any(a in h for a in ("method", "uri-encoding",
                                                     "param-string")):
        # RFC layout: oauthlib's own assembly
        return oasig.signature_base_string(method, uri, norm)
    s = "" if (mf and mf[0] == "method-missing") else pct(method) + "&"
    s += (uri if "uri-encoding" in h else pct(uri)) + "&"
    s += norm if "param-string" in h else pct(norm)
    return s


def key_for(p: Parsed, secrets: Secrets, h: dict):
    """key = enc(secret text) sep enc(token secret): the three key axes each
    change one part, so they combine (a pasted `secret ` joined raw with `&`
    is key-secret-whitespace + key-not-encoded)."""
    cs = secrets.cs
    ts = (secrets.ts or "") if p.token is not None else ""
    text = h.get("secret-text")
    if text and text[0] == "key-secret-whitespace":
        cs = text[1]
    elif text and text[0] == "key-swapped":
        cs = p.consumer_key
    elif text:
        raise ValueError(text[0])
    sep = "&"
    asm = h.get("key-assembly")
    if asm and asm[0] == "key-missing-ampersand":
        sep = ""
    elif asm and asm[0] == "key-token-secret-included":
        ts = secrets.ts
    elif asm and asm[0] == "key-token-secret-missing":
        ts = ""
    elif asm:
        raise ValueError(asm[0])
    enc = (lambda x: x) if "key-encoding" in h else pct
    return enc(cs) + sep + enc(ts)


def compute(p: Parsed, secrets: Secrets, h: dict):
    """(base_string, key, method, digest-or-None, standard-output-text)."""
    bs = base_string_for(p, h)
    key = key_for(p, secrets, h)
    method = h["hash"][1] if "hash" in h else p.declared
    if method == "PLAINTEXT":
        return bs, key, method, None, key
    if method not in HASHES:
        raise ValueError(f"unsupported signature method {method}")
    d = hmac.new(key.encode("utf-8"), bs.encode("utf-8"), HASHES[method]).digest()
    return bs, key, method, d, base64.b64encode(d).decode()


def outputs(digest, plaintext=None):
    """{output fault or None: text} for one digest."""
    if digest is None:
        return {None: plaintext}
    return {
        None: base64.b64encode(digest).decode(),
        "sig-urlsafe-base64": base64.urlsafe_b64encode(digest).decode(),
        "sig-hex": digest.hex(),
        "sig-base64-of-hex": base64.b64encode(digest.hex().encode()).decode(),
    }


def transports(text, location):
    """{transport fault or None: the value sigdoctor reads back (decoded once)}."""
    t = {None: text, "sig-double-percent-encoded": pct(text)}
    if location in ("query", "body"):
        t["sig-not-percent-encoded"] = text.replace("+", " ")
    return t


def wire_signature(text, transport):
    """How the client puts the signature text on the wire."""
    if transport is None:
        return pct(text)
    if transport == "sig-not-percent-encoded":
        return text
    if transport == "sig-double-percent-encoded":
        return pct(pct(text))
    raise ValueError(transport)


def hyp_from_faults(faults, variants=None):
    """faults: iterable of ids; variants: {id: variant}.  -> (base h, out, transport)."""
    variants = variants or {}
    h, out, tr = {}, None, None
    for f in faults:
        a = AXIS_OF[f]
        if a == "signature-output":
            out = f
        elif a == "signature-transport":
            tr = f
        else:
            if a in h:
                raise ValueError(f"two faults on axis {a}")
            h[a] = (f, variants.get(f))
    return h, out, tr


def signature_for(p, secrets, faults, variants=None):
    """The signature text the faulty client produced (before transport), and
    the transport fault."""
    h, out, tr = hyp_from_faults(faults, variants)
    bs, key, method, d, std = compute(p, secrets, h)
    return outputs(d, std)[out], tr, bs


# ---------------------------------------------------------------- search


def search(p: Parsed, secrets: Secrets, aliases=(), max_faults=3):
    """All fault sets of the smallest size (<= max_faults) that reproduce the
    captured signature.  Returns (size or None, [sorted fault-id tuples],
    hypotheses counted)."""
    captured = p.captured
    if captured is None:
        raise ValueError("no oauth_signature")
    # applicable base faults and their variants
    var = {}
    for f in BASE_FAULTS:
        v = fault_variants(f, p, secrets, aliases)
        if v:
            var[f] = v
    axes = [(a, [f for f in fs if f in var]) for a, fs in BASE_AXES]
    axes = [(a, fs) for a, fs in axes if fs]
    out_ok = {f for f in ("sig-not-percent-encoded",)
              if fault_variants(f, p, secrets, aliases)}
    matches = []
    count = 0
    for k in range(0, max_faults + 1):
        for axes_combo in itertools.combinations(axes, k):
            for faults in itertools.product(*[fs for _, fs in axes_combo]):
                for vs in itertools.product(*[var[f] for f in faults]):
                    h = {AXIS_OF[f]: (f, v) for f, v in zip(faults, vs)}
                    try:
                        bs, key, method, d, std = compute(p, secrets, h)
                    except (ValueError, KeyError, UnicodeError):
                        continue
                    count += 1
                    for of, text in outputs(d, std).items():
                        for tf, got in transports(text, p.sig_location).items():
                            if tf == "sig-not-percent-encoded" and tf not in out_ok:
                                continue
                            if got == captured:
                                fs = set(faults) | ({of} - {None}) | ({tf} - {None})
                                if len(fs) <= max_faults:
                                    matches.append(tuple(sorted(fs)))
        # a match of size s can only be found at k <= s; sets found so far of
        # size <= k are final once k reaches their size
        if matches:
            smallest = min(len(m) for m in matches)
            if smallest <= k:
                best = sorted({m for m in matches if len(m) == smallest},
                              key=lambda m: tie_break_key(p, m))
                return smallest, best, count
    return None, [], count


ROW_POS = {f: i for _, fs in ALL_AXES for i, f in enumerate(fs)}


def plus_is_wire_evidence(p: Parsed):
    """faults.md tie-break (1): a `+` in a non-oauth query value and no `%`
    escape in any non-oauth query value."""
    vals = [v for n, v in p.qpairs if not unquote_plus(n).startswith("oauth_")]
    return any("+" in v for v in vals) and not any("%" in v for v in vals)


def tie_break_key(p: Parsed, faults):
    """Order of equally small fault sets (faults.md): (1) params-plus-literal
    before params-double-encoded when the wire shows a `+` and no escape;
    (2) faults listed earlier in their axis row first."""
    rule1 = 0
    if plus_is_wire_evidence(p) and "params-double-encoded" in faults:
        rule1 = 1
    return (rule1, sorted(ROW_POS[f] for f in faults), faults)
