// Signs the scenarios of scenarios.json with the npm OAuth 1.0a clients (oauth-1.0a by ddo,
// oauth by ciaranj, oauth-signature), used the way their READMEs show, and prints one JSON
// line per request as it would leave the machine. Expected faults come from reading each
// library (`source`); build.py checks them against the independent reference.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const SC = JSON.parse(fs.readFileSync(path.join(__dirname, 'scenarios.json'), 'utf8'));
const TS = SC.timestamp;
const version = (name) => require(`${name}/package.json`).version;

const secretsOf = (sc) => {
  const real = sc.secret === 'reserved' ? SC.reserved_secret : SC.consumer_secret;
  return [real, sc.secret_given !== undefined ? sc.secret_given : real];
};
const tokenOf = (sc) => (sc.use_token ? [SC.token, SC.token_secret] : [null, null]);
// How users put extra parameters on a URL in node: URLSearchParams (spaces as '+').
const withQuery = (url, params) => {
  if (!params || !params.length) return url;
  const q = new URLSearchParams(params).toString();
  return url + (url.includes('?') ? '&' : '?') + q;
};
const form = (pairs) => new URLSearchParams(pairs).toString();
const toObject = (pairs) => {
  const o = {};
  for (const [n, v] of pairs || []) {
    if (n in o) o[n] = [].concat(o[n], v);
    else o[n] = v;
  }
  return o;
};

// ------------------------------------------------------------------ ddo/oauth-1.0a
function ddoSign(sc, nonce, opts = {}) {
  const OAuth = require('oauth-1.0a');
  const [, given] = secretsOf(sc);
  const [tok, tsec] = tokenOf(sc);
  const oauth = OAuth({
    consumer: { key: SC.consumer_key, secret: given },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
    ...opts,
  });
  oauth.getNonce = () => nonce;
  oauth.getTimeStamp = () => TS;
  // README: request_data = { url, method, data }; data holds the parameters sent apart.
  const data = sc.params || sc.data;
  const requestData = { url: sc.url, method: sc.method, data: toObject(data) };
  const token = tok ? { key: tok, secret: tsec } : undefined;
  const auth = oauth.toHeader(oauth.authorize(requestData, token));
  const headers = [['Authorization', auth.Authorization]];
  let url = sc.url;
  let body = null;
  if (sc.data) {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = form(sc.data);
  } else {
    url = withQuery(url, sc.params);
  }
  return { method: sc.method, url, headers, body };
}

// ------------------------------------------------------------------ ciaranj/node-oauth
function nodeOauthSign(sc, nonce) {
  const { OAuth } = require('oauth');
  const [, given] = secretsOf(sc);
  const [tok, tsec] = tokenOf(sc);
  const oa = new OAuth(null, null, SC.consumer_key, given, '1.0', null, 'HMAC-SHA1');
  oa._getNonce = () => nonce;
  oa._getTimestamp = () => TS;
  let sent = null;
  oa._createClient = (port, hostname, method, p, headers, ssl) => {
    const chunks = [];
    sent = { method, port, hostname, path: p, headers, ssl, chunks };
    return { on() {}, write(c) { chunks.push(String(c)); }, end(c) { if (c) chunks.push(String(c)); } };
  };
  const url = withQuery(sc.url, sc.params);
  if (sc.method === 'POST') {
    oa.post(url, tok, tsec, toObject(sc.data), null, () => {});
  } else {
    oa.get(url, tok, tsec, () => {});
  }
  const h = sent.headers;
  const headers = [['Authorization', h.Authorization]];
  const body = sent.chunks.join('') || null;
  if (body !== null) headers.push(['Content-Type', h['Content-Type']]);
  return { method: sent.method, url: `${sent.ssl ? 'https' : 'http'}://${h.Host}${sent.path}`, headers, body };
}

// ------------------------------------------------------------------ oauth-signature
function oauthSignatureSign(sc, nonce, opts = {}) {
  const oauthSignature = require('oauth-signature');
  const [, given] = secretsOf(sc);
  const [tok, tsec] = tokenOf(sc);
  const [base, query] = sc.url.split('?');
  const oauth = {
    oauth_consumer_key: SC.consumer_key, oauth_nonce: nonce,
    oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: String(TS), oauth_version: '1.0',
  };
  if (tok) oauth.oauth_token = tok;
  // README: the parameters object holds every parameter; the URL is given without query.
  const pairs = [...new URLSearchParams(query || '')].concat(sc.params || [], sc.data || []);
  const params = opts.queryLeftInUrl ? { ...oauth } : { ...toObject(pairs), ...oauth };
  const signed = opts.queryLeftInUrl ? sc.url : base;
  const sig = oauthSignature.generate(sc.method, signed, params, given, tsec || undefined,
    { encodeSignature: false });
  const all = Object.entries(oauth).concat([['oauth_signature', sig]]);
  let url = withQuery(sc.url, sc.params);
  let body = null;
  const headers = [];
  if (sc.data) {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = form(sc.data.concat(all));
  } else {
    url = withQuery(url, all);
  }
  return { method: sc.method, url, headers, body };
}

const WS = ['key-secret-whitespace'];
const LIBS = [
  {
    name: 'oauth-1.0a', sign: ddoSign, version: version('oauth-1.0a'),
    source: 'oauth-1.0a.js: getBaseUrl is url.split("?")[0] (port and host case kept); '
      + 'deParam splits each pair on every "=" and keeps item[1], then decodeURIComponent '
      + '(a "+" stays a plus); getSigningKey percent-encodes both secrets',
    expect: {
      'secret-trailing-space': WS, 'secret-trailing-newline': WS,
      'port-443': ['uri-default-port-kept'], 'upper-host': ['uri-host-case'],
      'plus-in-url': ['params-plus-literal'], 'equals-in-url': ['params-value-cut-at-equals'],
      // deParam decodes values but not names: filter%5Bstatus%5D is encoded a second time
      'brackets-encoded-in-url': ['params-double-encoded'],
      // the raw space is encoded once in the base string; the client sends %20
      'space-in-path': ['uri-path-decoded'],
      'field-combo': [...WS, 'uri-default-port-kept', 'uri-host-case'],
    },
    extra: [
      { case: 'plain-query', variant: 'no-last-ampersand', opts: { last_ampersand: false },
        misuse: 'the option last_ampersand: false (a 1-legged key without the trailing &)',
        faults: ['key-missing-ampersand'] },
    ],
  },
  {
    name: 'oauth', sign: nodeOauthSign, version: version('oauth'),
    source: 'lib/oauth.js: _normalizeUrl lower-cases the host (url.parse) and drops a default '
      + 'port; _prepareParameters signs a repeated query name n as n[0], n[1] '
      + '(querystring.parse gives an array); the constructor percent-encodes the secret',
    expect: {
      'secret-trailing-space': WS, 'secret-trailing-newline': WS, 'field-combo': WS,
      'repeated-apart': ['params-duplicates-indexed'],
      'repeated-in-url': ['params-duplicates-indexed'],
      'repeated-non-ascii': ['params-duplicates-indexed'],
      'repeated-non-ascii-rfc-order': ['params-duplicates-indexed'],
    },
  },
  {
    name: 'oauth-signature', sign: oauthSignatureSign, version: version('oauth-signature'),
    source: 'src/app/oauth-signature.js: UrlElement lower-cases the authority, drops a default '
      + 'port and the query; ParametersElement sorts encoded keys, then each key\'s raw values; '
      + 'HmacSha1Signature encodes both secrets',
    expect: {
      'secret-trailing-space': WS, 'secret-trailing-newline': WS, 'field-combo': WS,
      'repeated-non-ascii': ['params-sorted-raw'],
      'repeated-non-ascii-rfc-order': ['params-sorted-raw'],
    },
    extra: [
      { case: 'plain-query', variant: 'query-left-in-url', opts: { queryLeftInUrl: true },
        misuse: 'the URL passed with its query and only the oauth_* parameters',
        faults: ['params-query-omitted'] },
    ],
  },
];

for (const lib of LIBS) {
  const cases = SC.scenarios.map((sc) => ({ sc }));
  for (const x of lib.extra || []) {
    const sc = SC.scenarios.find((s) => s.case === x.case);
    cases.push({ sc: { ...sc, case: `${x.case}-${x.variant}`, misuse: x.misuse }, opts: x.opts, faults: x.faults });
  }
  cases.forEach(({ sc, opts, faults }, i) => {
    const nonce = `js${lib.name.replace(/[^a-z]/g, '').slice(0, 6)}${String(i).padStart(2, '0')}n0nce`;
    const request = lib.sign(sc, nonce, opts);
    const [real, given] = secretsOf(sc);
    const f = faults || lib.expect[sc.case] || [];
    console.log(JSON.stringify({
      id: `node-${lib.name}-${sc.case}`, ecosystem: 'node', library: lib.name,
      version: lib.version, case: sc.case, misuse: sc.misuse, request,
      consumer_secret: real, token_secret: sc.use_token ? SC.token_secret : null,
      expect_faults: [...f].sort(), variants: given !== real ? { 'key-secret-whitespace': given } : {},
      source: lib.source,
    }));
  });
}
