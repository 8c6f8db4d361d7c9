// Signs the scenarios of scenarios.json with Postman's own runtime (npm postman-runtime, the
// engine of the Postman app and newman) under the OAuth 1.0 option combinations of its
// Authorization tab, and prints one JSON line per request as it would leave the machine.
// Requests go to a capturing HTTP proxy on 127.0.0.1 (nothing leaves loopback), so the URLs
// are http: the scenarios' https URLs are played as http, `:443` as `:80`. Expected faults
// come from reading lib/authorizer/oauth1.js (`source`); build.py checks them against the
// independent reference.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const runtime = require('postman-runtime');
const sdk = require('postman-collection');

const SC = JSON.parse(fs.readFileSync(path.join(__dirname, 'scenarios.json'), 'utf8'));
const VERSION = require('postman-runtime/package.json').version;
const SOURCE = 'lib/authorizer/oauth1.js: addAuthDataToRequest keeps an empty oauth_token among '
  + 'the signed parameters when "Add empty parameters to signature" is on; node-oauth1 '
  + 'getAuthorizationHeader then skips every parameter with no value ("Skip adding params with '
  + 'no value"), so the header does not carry it; getOAuth1BaseUrl lower-cases the host and '
  + 'drops a default port';

// Postman's option combinations: where the oauth parameters go, and the empty-parameters switch.
const COMBOS = [
  { tag: 'header', addParamsToHeader: true, addEmptyParamsToSign: false },
  { tag: 'query', addParamsToHeader: false, addEmptyParamsToSign: false },
  { tag: 'header-empty-signed', addParamsToHeader: true, addEmptyParamsToSign: true },
  { tag: 'query-empty-signed', addParamsToHeader: false, addEmptyParamsToSign: true },
  // Advanced: a realm, header values not encoded, and HMAC-SHA256
  { tag: 'header-realm', addParamsToHeader: true, addEmptyParamsToSign: false, realm: 'Example' },
  { tag: 'header-unencoded', addParamsToHeader: true, addEmptyParamsToSign: false, disableHeaderEncoding: true },
  { tag: 'header-sha256', addParamsToHeader: true, addEmptyParamsToSign: false, signatureMethod: 'HMAC-SHA256' },
  // the optional Version field cleared, empty parameters signed: oauth_version= (empty) is
  // signed and left out of the header. No fault of the catalogue says so (an empty version,
  // not 1.0): the reference must reproduce it from `signed_as`, the header with the two
  // empty parameters it signed.
  { tag: 'header-empty-signed-no-version', addParamsToHeader: true, addEmptyParamsToSign: true,
    version: '', only: 'plain-query', signedAs: ',oauth_token="",oauth_version=""' },
];
// Faults per scenario and combination, from reading oauth1.js (see SOURCE).
const WS = ['key-secret-whitespace'];
const expectFor = (sc, combo) => {
  const f = [];
  if (sc.secret_given !== undefined) f.push(...WS);
  // an empty Access Token with "Add empty parameters to signature" on: oauth_token= is signed
  // but the header (getAuthorizationHeader) leaves it out; in the query it is sent as signed
  if (combo.addEmptyParamsToSign && combo.addParamsToHeader && !sc.use_token) {
    f.push('params-empty-token-signed');
  }
  return f.sort();
};

const httpUrl = (u) => u.replace(/^https:\/\//, 'http://').replace(/:443\//, ':80/');

async function main() {
  const captured = [];
  const proxy = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      captured.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  const port = proxy.address().port;
  const items = [];
  const meta = [];
  let i = 0;
  for (const combo of COMBOS) {
    for (const sc of SC.scenarios) {
      if (combo.only && combo.only !== sc.case) continue;
      const real = sc.secret === 'reserved' ? SC.reserved_secret : SC.consumer_secret;
      const given = sc.secret_given !== undefined ? sc.secret_given : real;
      let url = httpUrl(sc.url);
      if (sc.params) url += (url.includes('?') ? '&' : '?') + sc.params.map(([n, v]) => `${n}=${v}`).join('&');
      const oauth1 = {
        signatureMethod: combo.signatureMethod || 'HMAC-SHA1', consumerKey: SC.consumer_key, consumerSecret: given,
        token: sc.use_token ? SC.token : '', tokenSecret: sc.use_token ? SC.token_secret : '',
        timestamp: String(SC.timestamp), nonce: `pm${String(i).padStart(3, '0')}n0nce`,
        version: combo.version !== undefined ? combo.version : '1.0',
        realm: combo.realm || '', addParamsToHeader: combo.addParamsToHeader,
        addEmptyParamsToSign: combo.addEmptyParamsToSign, includeBodyHash: false,
        disableHeaderEncoding: Boolean(combo.disableHeaderEncoding),
      };
      const request = {
        url, method: sc.method,
        auth: { type: 'oauth1', oauth1: Object.entries(oauth1).map(([key, value]) => ({ key, value })) },
      };
      if (sc.data) request.body = { mode: 'urlencoded', urlencoded: sc.data.map(([key, value]) => ({ key, value })) };
      items.push({ name: String(i), request });
      meta.push({ sc, combo, real, given });
      i += 1;
    }
  }
  const collection = new sdk.Collection({ item: items });
  const proxies = new sdk.ProxyConfigList({}, [{ match: 'http://*/*', host: '127.0.0.1', port, tunnel: false }]);
  await new Promise((resolve, reject) => {
    new runtime.Runner().run(collection, { proxies, timeout: { request: 5000 } }, (err, run) => {
      if (err) return reject(err);
      run.start({ done: (e) => (e ? reject(e) : resolve()) });
      return undefined;
    });
  });
  proxy.close();
  if (captured.length !== meta.length) throw new Error(`captured ${captured.length} of ${meta.length} requests`);
  captured.forEach((c, k) => {
    const { sc, combo, real, given } = meta[k];
    const headers = [];
    if (c.headers.authorization) headers.push(['Authorization', c.headers.authorization]);
    if (c.headers['content-type']) headers.push(['Content-Type', c.headers['content-type']]);
    const row = {
      id: `node-postman-runtime-${combo.tag}-${sc.case}`, ecosystem: 'postman', library: 'postman-runtime',
      version: VERSION, case: `${combo.tag}-${sc.case}`,
      misuse: `${sc.misuse}; Postman: ${combo.addParamsToHeader ? 'parameters in the header' : 'parameters in the URL'}, `
        + `"Add empty parameters to signature" ${combo.addEmptyParamsToSign ? 'on' : 'off'}`
        + `${combo.realm ? `, realm ${combo.realm}` : ''}${combo.disableHeaderEncoding ? ', header values not encoded' : ''}`
        + `${combo.signatureMethod ? `, ${combo.signatureMethod}` : ''}`
        + `${combo.version === '' ? ', Version field cleared' : ''}`,
      request: { method: c.method, url: c.url, headers, body: c.body || null },
      consumer_secret: real, token_secret: sc.use_token ? SC.token_secret : null,
      expect_faults: expectFor(sc, combo),
      variants: given !== real ? { 'key-secret-whitespace': given } : {},
      source: SOURCE,
    };
    if (combo.signedAs) {
      row.expect_faults = [];
      row.expect_verdict = 'unexplained';
      row.signed_as = { ...row.request, headers: row.request.headers.map(([n, v]) => [n, n === 'Authorization' ? v + combo.signedAs : v]) };
    }
    console.log(JSON.stringify(row));
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
