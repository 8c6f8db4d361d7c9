// Drives web/dist in Debian's chromium (headless) as a person would: paste each explain
// fixture and its secret, click Explain, read the verdict and the fault ids from the DOM, and
// compare them with what the fixture's reference (oauthlib) expects and with the JSON of the
// native CLI. Also: the page from file://, the signature calculator against `sigdoctor sign`,
// and that the page made no request beyond its own files (the server's log, the browser's
// request log, and a fetch the CSP must refuse). Keeps screenshots in target/web-e2e/.
//
// Usage: node tools/web/e2e.mjs [--bin target/debug/sigdoctor]; last line `N passed, M failed`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.join(root, "web/dist");
const binArg = process.argv.indexOf("--bin");
const bin = binArg > 0 ? path.resolve(process.argv[binArg + 1]) : path.join(root, "target/debug/sigdoctor");
const shots = path.join(root, "target/web-e2e");
const fixturesDir = path.join(root, "fixtures/explain");

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

if (!fs.existsSync(path.join(dist, "index.html"))) {
  console.log("web/dist/index.html is missing: run web/build.sh first");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// ---- a loopback static server for web/dist, logging every request ----------------------
const served = new Set(fs.readdirSync(dist));
const log = [];
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
const server = http.createServer((req, res) => {
  log.push(req.url);
  const name = req.url === "/" ? "index.html" : decodeURIComponent(req.url.split("?")[0].slice(1));
  if (!served.has(name)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": types[path.extname(name)] || "application/octet-stream" });
  res.end(fs.readFileSync(path.join(dist, name)));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sigdoctor-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1100, height: 900 },
});
const browserRequests = [];
const consoleLines = [];
context.on("request", (r) => browserRequests.push(r.url()));

async function open(url) {
  const page = await context.newPage();
  page.on("console", (m) => consoleLines.push(m.text()));
  page.on("pageerror", (e) => consoleLines.push("pageerror: " + e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === "1", null, { timeout: 60000 });
  await page.evaluate(() => { document.getElementById("explain-options").open = true; });
  return page;
}

/** Pastes one fixture into the page and runs it; returns what the DOM shows. */
async function explainIn(page, c) {
  await page.fill("#request", c.request);
  await page.fill("#secret", c.secret);
  await page.fill("#token-secret", c.tokenSecret || "");
  await page.fill("#now", c.now);
  await page.fill("#host-aliases", c.aliases.join(","));
  await page.evaluate(() => { delete document.getElementById("report").dataset.state; });
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("report").dataset.state, null, { timeout: 120000 });
  return page.evaluate(() => {
    const report = document.getElementById("report");
    const first = report.querySelector(".report");
    const pre = report.querySelector("details pre");
    return {
      state: report.dataset.state,
      error: report.querySelector(".error")?.textContent,
      verdict: first?.querySelector(".verdict")?.dataset.verdict,
      faults: first ? Array.from(first.querySelectorAll("[data-fault-id]"), (e) => e.dataset.faultId) : [],
      marks: first ? first.querySelectorAll(".diff mark").length : 0,
      changedRows: first ? first.querySelectorAll(".diff tr.d-changed, .diff tr.d-only_rfc, .diff tr.d-only_client").length : 0,
      json: pre ? JSON.parse(pre.textContent) : null,
      elapsedMs: parseFloat(report.dataset.elapsedMs),
    };
  });
}

function loadCase(dir) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8"));
  const args = c.args || [];
  const flag = (f) => args.flatMap((a, i) => (a === f ? [args[i + 1]] : []));
  return {
    name: path.basename(dir),
    dir,
    args,
    request: fs.readFileSync(path.join(dir, "request"), "utf8"),
    secret: c.consumer_secret || "",
    tokenSecret: c.token_secret,
    now: flag("--now")[0] || String(Math.floor(Date.now() / 1000)),
    aliases: flag("--host-alias"),
    verdict: c.expect_verdict,
    faultSets: [c.expect_faults || [], ...(c.alternatives_ok || [])].map((s) => [...s].sort().join(",")),
  };
}

function cli(c) {
  const env = { ...process.env, SIGDOCTOR_CONSUMER_SECRET: c.secret };
  delete env.SIGDOCTOR_TOKEN_SECRET;
  if (c.tokenSecret) env.SIGDOCTOR_TOKEN_SECRET = c.tokenSecret;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ["explain", "@" + path.join(c.dir, "request"), "--format", "json", "--color", "never", ...c.args], { env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { json: JSON.parse(r.stdout.toString()), ms };
}

function withoutTiming(v) {
  v = structuredClone(v);
  const strip = (r) => { if (r && r.search) delete r.search.elapsed_ms; return r; };
  return Array.isArray(v) ? v.map(strip) : strip(v);
}

const cases = fs.readdirSync(fixturesDir).sort()
  .map((d) => path.join(fixturesDir, d))
  .filter((d) => fs.existsSync(path.join(d, "case.json")))
  .map(loadCase);
fs.mkdirSync(shots, { recursive: true });

// ---- every fixture, over http from the loopback server ----------------------------------
const page = await open(origin + "/");
let browserMs = 0;
let cliSearchMs = 0;
let typical = null;
let markedRows = 0;
for (const c of cases) {
  const got = await explainIn(page, c);
  const want = cli(c);
  const name = c.name;
  if (got.state !== "done") {
    check(name, false, `page shows an error: ${got.error}`);
    continue;
  }
  check(`${name} verdict`, got.verdict === c.verdict, `DOM verdict ${got.verdict}, expected ${c.verdict}`);
  if (c.verdict === "explained") {
    const ids = [...got.faults].sort().join(",");
    check(`${name} faults`, c.faultSets.includes(ids), `DOM faults ${ids}, expected one of ${c.faultSets.join(" | ")}`);
    // Components that differ (the human report's diff) must show marked characters; faults
    // in the key or the signature's transport leave the components alike.
    check(`${name} diff`, got.changedRows === 0 || got.marks >= got.changedRows,
      `${got.changedRows} differing components but ${got.marks} marks`);
  }
  const a = JSON.stringify(withoutTiming(got.json));
  const b = JSON.stringify(withoutTiming(want.json));
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  check(`${name} same JSON as the CLI`, a === b,
    `the page's JSON differs from sigdoctor explain --format json at ${at}: page …${a.slice(at, at + 80)} CLI …${b.slice(at, at + 80)}`);
  markedRows += got.changedRows;
  browserMs += got.elapsedMs;
  const reports = Array.isArray(want.json) ? want.json : [want.json];
  cliSearchMs += reports.reduce((s, r) => s + r.search.elapsed_ms, 0);
  if (name === "fault-uri-default-port-kept") {
    typical = { name, browserMs: got.elapsedMs, cliMs: want.ms, cliSearchMs: reports[0].search.elapsed_ms };
    await page.screenshot({ path: path.join(shots, "explain.png"), fullPage: true });
  }
}

// The evidence fields: a request the server accepted, as `--reference`.
{
  const bad = cases.find((c) => c.name.startsWith("combo-01-"));
  const good = cases.find((c) => c.name === "valid-url-alteryx-subscription");
  if (bad && good) {
    await page.fill("#reference", good.request.trim());
    const got = await explainIn(page, bad);
    const want = cli({ ...bad, args: [...bad.args, "--reference", good.request.trim()] });
    const a = JSON.stringify(withoutTiming(got.json));
    const b = JSON.stringify(withoutTiming(want.json));
    check("reference: same JSON as the CLI", a === b, "differs");
    const shown = await page.evaluate(() => !!document.querySelector("#report .reference"));
    check("reference: shown on the page", shown && got.json.reference, "no reference section");
    await page.fill("#reference", "");
  } else {
    check("reference fixtures present", false, "combo-01 or valid-url-alteryx-subscription missing");
  }
}

check("some fixture shows a component diff", markedRows > 0, "no differing component anywhere");

// ---- the signature calculator against `sigdoctor sign --output json` --------------------
await page.click("#tab-sign");
const signCase = { url: "https://api.example.com/1/items?b=2&a=1", key: "ck", secret: "cs&+ /", token: "tok", tokenSecret: "ts", ts: "1700000000", nonce: "n0nce" };
await page.fill("#s-request", signCase.url);
await page.fill("#s-key", signCase.key);
await page.fill("#s-secret", signCase.secret);
await page.fill("#s-token", signCase.token);
await page.fill("#s-token-secret", signCase.tokenSecret);
await page.fill("#s-timestamp", signCase.ts);
await page.fill("#s-nonce", signCase.nonce);
await page.selectOption("#s-placement", "header");
await page.click("#s-run");
await page.waitForFunction(() => document.getElementById("s-report").dataset.state);
const pageSigned = await page.evaluate(() => {
  const pre = document.querySelector("#s-report details pre");
  return pre ? JSON.parse(pre.textContent) : document.getElementById("s-report").textContent;
});
const cliSigned = JSON.parse(spawnSync(bin, ["sign", signCase.url, "--consumer-key", signCase.key,
  "--consumer-secret", "env:S", "--token", signCase.token, "--token-secret", "env:T", "--timestamp", signCase.ts,
  "--nonce", signCase.nonce, "--placement", "header", "--output", "json"],
{ env: { ...process.env, S: signCase.secret, T: signCase.tokenSecret } }).stdout.toString());
check("calculator signs as the CLI", JSON.stringify(pageSigned) === JSON.stringify(cliSigned),
  `page ${JSON.stringify(pageSigned)} vs CLI ${JSON.stringify(cliSigned)}`);
await page.screenshot({ path: path.join(shots, "calculator.png"), fullPage: true });

// Published vectors (tests/data/vectors.json: the OAuth wiki test cases, oauthlib's suite...)
// through the calculator: the page's base string and signature must be theirs.
const vectors = JSON.parse(fs.readFileSync(path.join(root, "tests/data/vectors.json"), "utf8")).requests
  .filter((v) => v.signature_method.startsWith("HMAC-") && !v.body && !v.realm && v.oauth_version_sent);
for (const v of vectors) {
  await page.fill("#s-request", v.url);
  await page.fill("#s-method", v.method);
  await page.fill("#s-data", "");
  await page.fill("#s-key", v.consumer_key);
  await page.fill("#s-secret", v.consumer_secret);
  await page.fill("#s-token", v.token || "");
  await page.fill("#s-token-secret", v.token_secret || "");
  await page.fill("#s-timestamp", v.timestamp);
  await page.fill("#s-nonce", v.nonce);
  await page.selectOption("#s-sigmethod", v.signature_method);
  await page.selectOption("#s-placement", "header");
  await page.evaluate(() => { delete document.getElementById("s-report").dataset.state; });
  await page.click("#s-run");
  await page.waitForFunction(() => document.getElementById("s-report").dataset.state);
  const shown = await page.evaluate(() => ({
    base: document.querySelector("#s-report .base-string")?.textContent,
    sig: document.querySelector("#s-report .signature")?.textContent,
    text: document.getElementById("s-report").textContent,
  }));
  check(`vector ${v.name} in the calculator`, shown.base === v.expected_base_string && shown.sig === v.expected_signature,
    `page shows ${shown.sig} / ${shown.base || shown.text}, published ${v.expected_signature}`);
}
check("published vectors tried", vectors.length >= 3, `only ${vectors.length} HMAC vectors`);
const secretShown = await page.evaluate((s) => document.body.innerText.includes(s), signCase.secret);
check("calculator never shows the secret", !secretShown, "the consumer secret is in the page text");

// ---- nothing leaves the page ------------------------------------------------------------
const fetchResult = await page.evaluate(async () => {
  try { await fetch("/index.html?probe"); return "fetched"; } catch { return "blocked"; }
});
check("CSP refuses fetch", fetchResult === "blocked", `fetch was ${fetchResult}`);
check("server saw no fetch", !log.some((u) => u.includes("probe")), `server log: ${log.join(" ")}`);
const foreign = browserRequests.filter((u) => {
  if (u.startsWith("file://") || u.startsWith("data:")) return false;
  if (!u.startsWith(origin + "/")) return true;
  const name = new URL(u).pathname.slice(1) || "index.html";
  return !served.has(name);
});
check("no request beyond the page's own files", foreign.length === 0, foreign.join(" "));
check("server served only its files", log.every((u) => u === "/" || served.has(u.slice(1).split("?")[0]) || u.includes("probe")), log.join(" "));
check("the CSP shows up in the browser log", consoleLines.some((l) => /Content Security Policy/i.test(l)), "no CSP message logged for the refused fetch");

// ---- the same page from file:// ---------------------------------------------------------
const local = await open("file://" + path.join(dist, "index.html"));
const fc = cases.find((c) => c.name === "fault-uri-default-port-kept") || cases[0];
const fromFile = await explainIn(local, fc);
check("file:// page explains", fromFile.verdict === fc.verdict && fromFile.state === "done",
  `verdict ${fromFile.verdict} (${fromFile.error || ""})`);

const errors = consoleLines.filter((l) => l.startsWith("pageerror"));
check("no script error", errors.length === 0, errors.join("; "));

await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });

const wasm = path.join(dist, "sigdoctor_bg.wasm");
const raw = fs.statSync(wasm).size;
const gz = spawnSync("gzip", ["-9", "-c", wasm], { maxBuffer: 64 << 20 }).stdout.length;
console.log(`web e2e: ${cases.length} fixtures in chromium; screenshots in ${path.relative(root, shots)}/`);
console.log(`wasm: ${raw} bytes, ${gz} gzipped (gzip -9)`);
console.log(`explain, all fixtures: browser ${browserMs.toFixed(1)} ms (whole call) vs CLI search ${cliSearchMs.toFixed(1)} ms (${path.relative(root, bin)})`);
if (typical) {
  console.log(`explain, ${typical.name}: browser ${typical.browserMs.toFixed(1)} ms vs CLI search ${typical.cliSearchMs.toFixed(1)} ms, CLI process ${typical.cliMs.toFixed(1)} ms`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
