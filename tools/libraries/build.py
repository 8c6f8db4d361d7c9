"""Builds the real-library corpus tests/data/libraries/<ecosystem>.jsonl.

Runs each generator (gen_python.py, gen_node.js, gen_postman.js, gen_ruby.rb, gen_perl.pl,
gen_php.php, gen_r.R), which sign requests with real client libraries and state the faults
a reader of each library expects. Every case is then checked against the independent
reference (tools/reference/oauthref.py, on oauthlib), never against sigdoctor:

1. the reference, with exactly the expected faults switched on, reproduces the library's
   signature byte for byte;
2. a search of the reference over every fault set up to that size (at most 3) finds no
   smaller set, and the expected set is among the matches (the others become
   `alternatives_ok`);
3. a behaviour the catalogue cannot express (`signed_as`, `expect_verdict: unexplained`)
   is reproduced from the request the library really signed, and no set of up to 2 faults
   reproduces it from the request as sent.

A case whose check fails, or names a fault the reference has no transform for, is left out
and fails the build (exit 1); with --keep-failing it is written with its `reference`
status, for a developer to look at. Each written line also carries the request in every
input format (url, curl, raw, har).

    python3 tools/libraries/build.py                    # regenerate the committed corpus
    python3 tools/libraries/build.py --out DIR --compare tests/data/libraries   # CI
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools" / "reference"))

import oauthref  # noqa: E402
import reqformats  # noqa: E402

GENERATORS = {
    "python": [sys.executable, "gen_python.py"],
    "node": ["node", "gen_node.js"],
    "postman": ["node", "gen_postman.js"],
    "ruby": ["ruby", "gen_ruby.rb"],
    "perl": ["perl", "gen_perl.pl"],
    "php": ["php", "gen_php.php"],
    "r": ["Rscript", "gen_r.R"],
}


def run_generator(eco):
    cmd = GENERATORS[eco]
    if not (HERE / cmd[1]).exists():
        return []
    if shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
        raise SystemExit(f"build.py: {cmd[0]} is not installed (needed for {eco})")
    out = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"build.py: {' '.join(cmd)} failed:\n{out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def on_the_wire(row):
    """A raw space cannot stand in a request line: HTTP clients send it as %20 (or refuse).
    Libraries that hand back a URL with a raw space get it encoded here, with a note."""
    r = row["request"]
    if " " in r["url"]:
        r["url"] = r["url"].replace(" ", "%20")
        r["note"] = "the raw space of the URL the library returned is sent as %20"


def request_of(row, key="request"):
    r = row[key]
    return oauthref.Request(r["method"], r["url"], [tuple(h) for h in r["headers"]], r["body"])


def check(row, max_search=3):
    """(status, alternatives): status "checked", "pending: ids" or "FAILED: why".
    oauthlib refuses a query with raw characters it deems unencoded (`[`, `]`); such a case
    runs the reference's hand-written RFC path (FORCE_CUSTOM, which make_fixtures.py
    cross-checks against oauthlib on every fixture) instead."""
    try:
        oauthref.FORCE_CUSTOM = False
        return check_once(row, max_search)
    except ValueError as e:
        if "non urlencoded" not in str(e):
            raise
        oauthref.FORCE_CUSTOM = True
        status, alts = check_once(row, max_search)
        return status + " (hand-written RFC path: oauthlib refuses the raw query)", alts
    finally:
        oauthref.FORCE_CUSTOM = False


def check_once(row, max_search):
    p = oauthref.Parsed(request_of(row))
    secrets = oauthref.Secrets(row["consumer_secret"], row.get("token_secret"))
    faults = row["expect_faults"]
    unknown = [f for f in faults if f not in oauthref.AXIS_OF]
    if unknown:
        return "pending: the reference has no transform for " + ", ".join(unknown), []
    if p.captured is None:
        return "FAILED: no oauth_signature in the request", []
    # A behaviour the catalogue cannot express: `signed_as` is the request the library
    # really signed; the reference must reproduce the signature from it, and find no
    # fault set (up to 2) that reproduces it from the request as sent.
    signed = oauthref.Parsed(request_of(row, "signed_as")) if "signed_as" in row else p
    try:
        text, tr, _ = oauthref.signature_for(signed, secrets, faults, row.get("variants") or {})
    except KeyError as e:
        return f"FAILED: the reference cannot apply {faults}: {e}", []
    got = oauthref.transports(text, p.sig_location).get(tr)
    if got != p.captured:
        return (f"FAILED: the reference with {faults or 'no fault'} signs {got!r}, "
                f"the library sent {p.captured!r}"), []
    if "signed_as" in row:
        size, best, _ = oauthref.search(p, secrets, max_faults=2)
        if size is not None:
            return f"FAILED: the catalogue does express it: {best}", []
        return "checked (unexpressible: signed_as reproduces, no set of <= 2 faults does)", []
    if len(faults) > max_search:
        # minimal without a search at its own size: nothing smaller than max_search+1 matches
        size, best, _ = oauthref.search(p, secrets, max_faults=max_search)
        if size is not None:
            return f"FAILED: not minimal: the reference search finds {best} (size {size})", []
        return f"checked (no set of <= {max_search} faults matches; size {len(faults)} "  \
            "not searched)", []
    size, best, _ = oauthref.search(p, secrets, max_faults=len(faults))
    want = tuple(sorted(faults))
    if size != len(faults) or want not in best:
        return f"FAILED: not minimal: the reference search finds {best} (size {size})", []
    return "checked", [list(b) for b in best if b != want]


def formats(row):
    req = request_of(row)
    out = {}
    try:
        out["url"] = reqformats.to_url(req)
    except ValueError:
        pass
    out["curl"] = reqformats.to_curl(req)
    https = req.url.lower().startswith("https://")
    out["raw"] = reqformats.to_raw(req, absolute_form=not https)
    # compact: a HAR's layout carries no evidence, and the corpus stays small
    out["har"] = json.dumps(json.loads(reqformats.to_har(req)), ensure_ascii=False) + "\n"
    for name, text in out.items():
        back = reqformats.from_text(text)
        if (back.method, back.url, back.body) != (req.method, req.url, req.body):
            raise SystemExit(f"build.py: {row['id']}: the {name} form does not read back")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "tests" / "data" / "libraries"))
    ap.add_argument("--only", default=",".join(GENERATORS), help="ecosystems, comma-separated")
    ap.add_argument("--keep-failing", action="store_true")
    ap.add_argument("--compare", metavar="DIR",
                    help="after building, compare with the corpus in DIR (the committed one): "
                         "a case whose verdict or faults changed, or that vanished, fails; a "
                         "request that changed bytes is reported")
    args = ap.parse_args()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    passed = failed = pending = 0
    for eco in args.only.split(","):
        rows = run_generator(eco)
        if not rows:
            continue
        lines = []
        for row in sorted(rows, key=lambda r: r["id"]):
            on_the_wire(row)
            status, alts = check(row)
            row["reference"] = status
            row["alternatives_ok"] = alts
            if row.get("expect_verdict") != "unexplained":
                row["expect_verdict"] = "explained" if row["expect_faults"] else "valid"
            row["now"] = int(oauthref.Parsed(request_of(row)).oauth.get(
                "oauth_timestamp", "0") or 0)
            row["formats"] = formats(row)
            if status.startswith("FAILED"):
                failed += 1
                print(f"{row['id']}: {status}", file=sys.stderr)
                if not args.keep_failing:
                    continue
            elif status.startswith("pending"):
                pending += 1
                print(f"{row['id']}: {status}", file=sys.stderr)
                if not args.keep_failing:
                    continue
            else:
                passed += 1
            lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
        (out_dir / f"{eco}.jsonl").write_text("\n".join(lines) + "\n")
    print(f"reference: {passed} passed, {failed} failed, {pending} skipped")
    drift = compare(out_dir, Path(args.compare), args.only.split(",")) if args.compare else 0
    sys.exit(1 if failed or pending or drift else 0)


def compare(fresh_dir, old_dir, ecosystems):
    """Number of committed cases whose expectation the fresh signing no longer matches."""
    bad = changed = same = 0
    for eco in ecosystems:
        old_path, new_path = old_dir / f"{eco}.jsonl", fresh_dir / f"{eco}.jsonl"
        if not old_path.exists() or not new_path.exists():
            continue
        load = lambda p: {r["id"]: r for r in map(json.loads, p.read_text().splitlines())}  # noqa: E731
        old, new = load(old_path), load(new_path)
        for cid, o in old.items():
            n = new.get(cid)
            if n is None or (n["expect_verdict"], n["expect_faults"]) != (
                    o["expect_verdict"], o["expect_faults"]):
                bad += 1
                print(f"{cid}: the committed expectation no longer holds", file=sys.stderr)
            elif n["request"] != o["request"]:
                changed += 1
                print(f"{cid}: the library now sends other bytes (same faults)", file=sys.stderr)
            else:
                same += 1
    print(f"compare: {same} byte-identical, {changed} changed bytes, {bad} changed expectation")
    return bad


if __name__ == "__main__":
    main()
