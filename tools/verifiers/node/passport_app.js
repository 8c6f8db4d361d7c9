// A read-only endpoint guarded by passport-http-oauth (npm) in an Express app: its
// ConsumerStrategy (2-legged) or TokenStrategy (3-legged, when VERIFIER_TOKEN is set). The
// strategy verifies the URL it rebuilds itself (utils.originalURL: https when the socket is
// TLS or X-Forwarded-Proto says https, the Host header, req.url). Failures are the
// strategy's own 401 challenge (`WWW-Authenticate: OAuth realm=..., oauth_problem=...`).
// The app supplies lookups and the timestamp/nonce callback only.
//
// Usage: node passport_app.js PORT  (credentials in VERIFIER_CONSUMER_KEY,
// VERIFIER_CONSUMER_SECRET, VERIFIER_TOKEN, VERIFIER_TOKEN_SECRET).
'use strict';
const express = require('express');
const passport = require('passport');
const { ConsumerStrategy, TokenStrategy } = require('passport-http-oauth');

const KEY = process.env.VERIFIER_CONSUMER_KEY || '';
const SECRET = process.env.VERIFIER_CONSUMER_SECRET || '';
const TOKEN = process.env.VERIFIER_TOKEN || '';
const TOKEN_SECRET = process.env.VERIFIER_TOKEN_SECRET || '';
const WINDOW = Number(process.env.VERIFIER_TIMESTAMP_WINDOW || 600);
const seen = new Set();

function consumer(key, done) {
  return key === KEY ? done(null, { key }, SECRET) : done(null, false);
}

function validate(timestamp, nonce, done) {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WINDOW) return done(null, false);
  if (seen.has(nonce)) return done(null, false);
  seen.add(nonce);
  return done(null, true);
}

const strategy = TOKEN
  ? new TokenStrategy(consumer,
      (token, done) => (token === TOKEN ? done(null, { token }, TOKEN_SECRET) : done(null, false)),
      validate)
  : new ConsumerStrategy(consumer, (requestToken, done) => done(null, false), validate);
passport.use('verifier', strategy);

const app = express();
app.use(passport.initialize());
app.use(express.urlencoded({ extended: false }));
app.all('*', passport.authenticate('verifier', { session: false }),
  (req, res) => res.json({ ok: true, verifier: 'passport-http-oauth' }));
app.listen(Number(process.argv[2]), '127.0.0.1');
