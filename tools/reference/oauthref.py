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
BASE_AXES = [
    ("method", ["method-missing", "method-lowercase", "method-mismatch"]),
    ("scheme", ["uri-scheme"]),
    ("port", ["uri-default-port-kept", "uri-port-dropped"]),
    ("host", ["uri-host", "uri-host-case"]),
    ("path", ["uri-trailing-slash", "uri-path-prefix", "uri-path-lowercase",
              "uri-path-decoded"]),
    ("query", ["uri-query-included"]),
    ("uri-encoding", ["uri-not-encoded"]),
    ("params-query-omitted", ["params-query-omitted"]),
    ("params-body-omitted", ["params-body-omitted"]),
    ("params-empty-dropped", ["params-empty-dropped"]),
    ("params-signature-included", ["params-signature-included"]),
    ("params-realm-included", ["params-realm-included"]),
    ("params-duplicates-collapsed", ["params-duplicates-collapsed"]),
    ("params-version-mismatch", ["params-version-mismatch"]),
    ("param-encoding", ["params-plus-for-space", "params-plus-literal",
                        "params-lowercase-hex", "params-reserved-unencoded",
                        "params-not-encoded", "params-double-encoded",
                        "params-over-decoded"]),
    ("param-order", ["params-unsorted", "params-sorted-raw",
                     "params-sorted-as-strings",
                     "params-sorted-case-insensitive"]),
    ("param-string", ["params-string-not-encoded"]),
    ("key", ["key-missing-ampersand", "key-secret-whitespace", "key-swapped",
             "key-not-encoded", "key-token-secret-included",
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
    return [None]


def _lower_hex(s):
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), s)


def _reserved_unencoded(s):
    for ch in "!*'()":
        s = s.replace(pct(ch), ch)
    return s


URI_AXES = ("scheme", "port", "host", "path", "query")
PARAM_AXES = ("params-query-omitted", "params-body-omitted",
              "params-empty-dropped", "params-signature-included",
              "params-realm-included", "params-duplicates-collapsed",
              "params-version-mismatch", "param-encoding", "param-order")
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


def params_for(p: Parsed, h: dict):
    """The parameter list [(name, value, wire_name, wire_value, src)] under h,
    in wire order (query, Authorization header, form body)."""
    enc = h.get("param-encoding", (None,))[0]
    recs = []
    for src, pairs in (("query", p.qpairs), ("header", p.hpairs),
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
    if "params-empty-dropped" in h:
        recs = [r for r in recs if r[1] != ""]
    if "params-duplicates-collapsed" in h:
        seen, out = set(), []
        for r in recs:
            if r[0] in seen:
                continue
            seen.add(r[0])
            out.append(r)
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
    cs = secrets.cs
    ts = (secrets.ts or "") if p.token is not None else ""
    kf = h.get("key")
    if kf is None:
        return pct(cs) + "&" + pct(ts)
    f, v = kf
    if f == "key-missing-ampersand":
        return pct(cs) + pct(ts)
    if f == "key-secret-whitespace":
        return pct(v) + "&" + pct(ts)
    if f == "key-swapped":
        return pct(p.consumer_key) + "&" + pct(ts)
    if f == "key-not-encoded":
        return cs + "&" + ts
    if f == "key-token-secret-included":
        return pct(cs) + "&" + pct(secrets.ts)
    if f == "key-token-secret-missing":
        return pct(cs) + "&"
    raise ValueError(f)


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
                best = sorted({m for m in matches if len(m) == smallest})
                return smallest, best, count
    return None, [], count
