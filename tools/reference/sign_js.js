#!/usr/bin/env node
// Second, independent HMAC-SHA1 signer: the npm package oauth-signature 1.5.0
// (the library Alteryx's sample client ships with).
// stdin: one JSON object per line
//   {"method", "url" (no query), "params": [[name, value], ...] (decoded,
//    oauth_* included, oauth_signature excluded), "consumer_secret", "token_secret"}
// stdout: one JSON object per line {"signature": base64 (not percent-encoded),
//   "base_string": the base string oauth-signature built}
'use strict';
const path = require('path');
const readline = require('readline');
const oauthSignature = require(path.join(__dirname, 'node_modules', 'oauth-signature'));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const c = JSON.parse(line);
  const params = {};
  for (const [n, v] of c.params) {
    if (!Object.prototype.hasOwnProperty.call(params, n)) params[n] = [];
    params[n].push(v);
  }
  const sbs = new oauthSignature.SignatureBaseString(c.method, c.url, params).generate();
  const sig = oauthSignature.generate(c.method, c.url, params, c.consumer_secret,
    c.token_secret || '', { encodeSignature: false });
  process.stdout.write(JSON.stringify({ signature: sig, base_string: sbs }) + '\n');
});
