// The page's glue: reads the form, calls sigdoctor's WebAssembly core, renders its JSON.
// Everything pasted is shown with textContent only (never innerHTML): a request is data.
// The secrets are read from the password fields at the moment of the call and kept nowhere
// else; the page makes no network request (CSP connect-src 'none').
/* global wasm_bindgen, SIGDOCTOR_WASM */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("data-")) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function showError(target, message) {
    clear(target);
    target.append(el("p", { class: "error", "data-error": "1" }, "Error: " + message));
    target.dataset.state = "error";
  }

  function unixNow() {
    return Math.floor(Date.now() / 1000);
  }

  function randomNonce() {
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => abc[b % abc.length]).join("");
  }

  // ---- tabs -------------------------------------------------------------------------------
  function selectTab(name) {
    for (const t of ["explain", "sign"]) {
      $(t).hidden = t !== name;
      $("tab-" + t).setAttribute("aria-selected", String(t === name));
    }
  }
  $("tab-explain").addEventListener("click", () => selectTab("explain"));
  $("tab-sign").addEventListener("click", () => selectTab("sign"));

  // ---- explain ----------------------------------------------------------------------------
  function explainOptions() {
    const o = { host_aliases: [], profile: $("profile").value };
    const nowText = $("now").value.trim();
    if (nowText === "") o.now = unixNow();
    else if (/^-?\d+$/.test(nowText)) o.now = parseInt(nowText, 10);
    else throw new Error("the clock must be Unix seconds, got `" + nowText + "`");
    o.host_aliases = $("host-aliases").value.split(",").map((s) => s.trim()).filter(Boolean);
    const ck = $("consumer-key").value.trim();
    if (ck) o.consumer_key = ck;
    const ts = $("token-secret").value;
    if (ts) o.token_secret = ts;
    const mf = parseInt($("max-faults").value, 10);
    if (mf > 0) o.max_faults = mf;
    for (const [id, key] of [["host", "host"], ["reference", "reference"],
      ["client-base-string", "client_base_string"], ["server-base-string", "server_base_string"],
      ["public-key", "public_key"]]) {
      const v = $(id).value;
      if (v.trim()) o[key] = v;
    }
    return JSON.stringify(o);
  }

  const HEADLINES = {
    valid: "The signature is correct (RFC 5849). If the server still rejects it, it knows " +
      "another secret or signs another URL (its base address).",
    explained: "Found the client mistake that reproduces this signature.",
    unexplained: "No combination of known client faults reproduces this signature: check the " +
      "secret (see its fingerprint) and the server's idea of the URL.",
    unverifiable: "No secret given: only the checks that need none ran.",
    ambiguous: "Several explanations fit equally well: the evidence below tells them apart.",
  };

  function renderEvidence(r) {
    const parts = [];
    if (r.placeholders && r.placeholders.length) {
      const ul = el("ul", { class: "placeholders" });
      for (const p of r.placeholders) {
        ul.append(el("li", { "data-placeholder": p.text }, el("code", {}, p.text), " in the " + p.where +
          (p.filled ? ": filled" : ": still needed; give " + p.fill)));
      }
      parts.push(el("h3", {}, "Placeholders in the paste"), ul);
    }
    if (r.reference) {
      const ref = r.reference;
      parts.push(el("h3", {}, "Against the accepted request"),
        el("p", { class: "reference", "data-reference-verdict": ref.verdict }, "It is " + ref.verdict +
          (ref.server_base_uri ? "; the server signs " : ""), ref.server_base_uri ? el("code", {}, ref.server_base_uri) : "",
          ref.faults.length ? " (" + ref.faults.join(", ") + ")" : ""));
      if (ref.differences.length) {
        const t = el("table", { class: "differences" }, el("tr", {}, el("th", {}, "what"),
          el("th", {}, "accepted"), el("th", {}, "rejected"), el("th", {}, "changes the signature")));
        for (const d of ref.differences) {
          t.append(el("tr", {}, el("td", {}, d.what), el("td", {}, el("code", {}, d.good)),
            el("td", {}, el("code", {}, d.bad)), el("td", {}, d.matters ? "yes" : "no")));
        }
        parts.push(t);
      }
    }
    for (const [key, title] of [["client", "The client's base string"], ["server", "The server's base string"]]) {
      const b = r[key];
      if (!b) continue;
      const faults = b.faults === null || b.faults === undefined ? "no known fault turns the RFC base string into it"
        : b.faults.length ? "faults: " + b.faults.join(", ") : "no fault";
      parts.push(el("h3", {}, title), el("p", { class: "base-evidence" }, el("code", {}, b.base_string)),
        el("p", {}, "Read as " + b.form + "; " + faults +
          (b.signs_captured === true ? "; it signs to the captured signature." :
            b.signs_captured === false ? "; it does not sign to the captured signature." : ".")));
    }
    return parts;
  }

  function segments(segs) {
    return segs.map((s) => (s.changed ? el("mark", {}, s.text) : document.createTextNode(s.text)));
  }

  function renderDiff(lines) {
    if (!lines.length) return null;
    const table = el("table", { class: "diff" },
      el("thead", {}, el("tr", {}, el("th", {}, "part"), el("th", {}, "server (RFC 5849)"),
        el("th", {}, "your client"))));
    const body = el("tbody");
    for (const l of lines) {
      let rfc, client;
      if (l.kind === "same") { rfc = [l.text]; client = [l.text]; }
      else if (l.kind === "only_rfc") { rfc = [el("mark", {}, l.text)]; client = ["(missing)"]; }
      else if (l.kind === "only_client") { rfc = ["(missing)"]; client = [el("mark", {}, l.text)]; }
      else { rfc = segments(l.rfc); client = segments(l.client); }
      body.append(el("tr", { class: "d-" + l.kind },
        el("td", {}, l.label), el("td", {}, el("code", {}, ...rfc)),
        el("td", {}, el("code", {}, ...client))));
    }
    table.append(body);
    return el("div", {}, el("h3", {}, "What differs in the base string"), table);
  }

  function renderFingerprint(fp) {
    if (!fp) return null;
    let text = fp.length + " characters, sha256 " + fp.sha256_prefix + "…";
    if (fp.starts_with) text += ", starts with " + fp.starts_with;
    if (fp.whitespace.length) text += "; " + fp.whitespace.join(", ");
    return el("p", { class: "fingerprint" }, "Consumer secret used: ", el("code", {}, text));
  }

  function renderReport(r, view, elapsedMs) {
    const box = el("article", { class: "report", "data-verdict": r.verdict });
    box.append(el("p", { class: "verdict v-" + r.verdict, "data-verdict": r.verdict },
      "Verdict: ", el("strong", {}, r.verdict)));
    box.append(el("p", {}, HEADLINES[r.verdict] || ""));
    box.append(el("p", { class: "request-line" }, el("code", {}, r.request.method + " " + r.request.url)));
    if (r.faults.length) {
      const ol = el("ol", { class: "faults" });
      for (const f of r.faults) {
        ol.append(el("li", { "data-fault-id": f.id },
          el("code", { class: "fault-id" }, f.id), " (" + f.category + ") ", f.message,
          el("p", { class: "fix" }, el("strong", {}, "What to change: "), f.fix)));
      }
      box.append(el("h3", {}, "Faults"), ol);
    }
    if (r.matched && r.matched.alternatives.length) {
      box.append(el("p", { class: "alternatives" }, "Equally good explanations: ",
        r.matched.alternatives.map((a) => a.join(" + ")).join("; ")));
    }
    box.append(renderDiff(view.diff) || "");
    box.append(...renderEvidence(r));
    if (r.lints.length) {
      const ul = el("ul", { class: "lints" });
      for (const l of r.lints) {
        ul.append(el("li", { "data-lint-id": l.id, class: "sev-" + l.severity },
          el("strong", {}, l.severity), " ", el("code", {}, l.id), ": ", l.message,
          el("p", { class: "fix" }, l.fix)));
      }
      box.append(el("h3", {}, "Checks"), ul);
    }
    if (r.expected) {
      box.append(el("h3", {}, "Correct signature"),
        el("p", {}, "Base string: ", el("code", { class: "base-string" }, r.expected.base_string)),
        el("p", {}, "Signature: ", el("code", {}, r.expected.signature)));
    }
    box.append(renderFingerprint(view.secret_fingerprint) || "");
    box.append(el("p", { class: "stats" }, r.search.hypotheses + " signatures tried in " +
      r.search.elapsed_ms.toFixed(1) + " ms (the whole explain: " + elapsedMs.toFixed(1) + " ms)."));
    return box;
  }

  function runExplain() {
    const out = $("report");
    let options;
    try {
      options = explainOptions();
    } catch (e) {
      showError(out, e.message);
      return;
    }
    const t0 = performance.now();
    const doc = JSON.parse(wasm_bindgen.explain_view($("request").value, $("secret").value, options));
    const elapsed = performance.now() - t0;
    if (doc.error) {
      showError(out, doc.error);
      return;
    }
    clear(out);
    doc.reports.forEach((r, i) => {
      if (doc.reports.length > 1) out.append(el("h2", {}, "Request " + (i + 1) + " of " + doc.reports.length));
      out.append(renderReport(r, doc.views[i], elapsed));
    });
    const json = doc.reports.length === 1 ? doc.reports[0] : doc.reports;
    out.append(el("details", {}, el("summary", {}, "JSON (as sigdoctor explain --format json)"),
      el("pre", {}, JSON.stringify(json, null, 2))));
    out.dataset.state = "done";
    out.dataset.elapsedMs = elapsed.toFixed(3);
  }

  // ---- signature calculator -------------------------------------------------------------
  function runSign() {
    const out = $("s-report");
    const o = {
      request: $("s-request").value.trim(),
      method: $("s-method").value.trim() || null,
      consumer_key: $("s-key").value,
      consumer_secret: $("s-secret").value,
      token: $("s-token").value || null,
      token_secret: $("s-token-secret").value || null,
      timestamp: $("s-timestamp").value.trim() || String(unixNow()),
      nonce: $("s-nonce").value.trim() || randomNonce(),
      signature_method: $("s-sigmethod").value,
    };
    if ($("s-data").value) o.data = $("s-data").value;
    if ($("s-placement").value) o.placement = $("s-placement").value;
    const doc = JSON.parse(wasm_bindgen.sign(JSON.stringify(o)));
    if (doc.error) {
      showError(out, doc.error);
      return;
    }
    clear(out);
    const params = el("table", { class: "params" });
    for (const [n, v] of doc.oauth_params) params.append(el("tr", {}, el("td", {}, el("code", {}, n)), el("td", {}, el("code", {}, v))));
    const fp = doc.key_fingerprint;
    const steps = el("ol", { class: "steps" },
      el("li", {}, "OAuth parameters added:", params),
      el("li", {}, "Signature base string (method & URL & sorted parameters, each percent-encoded): ",
        el("code", { class: "base-string" }, doc.base_string)),
      el("li", {}, "Key: percent-encoded consumer secret & token secret. Consumer secret: ",
        el("code", {}, fp.consumer_secret.length + " characters, sha256 " + fp.consumer_secret.sha256_prefix + "…"),
        fp.token_secret ? el("span", {}, "; token secret: ",
          el("code", {}, fp.token_secret.length + " characters, sha256 " + fp.token_secret.sha256_prefix + "…")) : ""),
      el("li", {}, doc.signature_method + " signature (base64): ", el("code", { class: "signature" }, doc.signature)),
      el("li", {}, "Send: ", el("code", {}, doc.method + " " + doc.signed_url),
        doc.authorization ? el("p", {}, el("code", {}, "Authorization: " + doc.authorization)) : "",
        doc.body ? el("p", {}, "Body: ", el("code", {}, doc.body)) : ""));
    out.append(steps, el("details", {}, el("summary", {}, "JSON (as sigdoctor sign --output json)"),
      el("pre", {}, JSON.stringify(doc, null, 2))));
    out.dataset.state = "done";
  }

  $("run").addEventListener("click", runExplain);
  $("s-run").addEventListener("click", runSign);

  // ---- start ------------------------------------------------------------------------------
  // The module is embedded (sigdoctor-wasm.js) rather than fetched: fetch is forbidden here
  // and refused from file://.
  const bytes = Uint8Array.from(atob(SIGDOCTOR_WASM), (c) => c.charCodeAt(0));
  wasm_bindgen({ module_or_path: bytes }).then(() => {
    $("version").textContent = "v" + wasm_bindgen.version();
    $("run").disabled = false;
    $("s-run").disabled = false;
    document.body.dataset.ready = "1";
  }, (e) => {
    showError($("report"), "the WebAssembly core did not load: " + e);
  });
})();
