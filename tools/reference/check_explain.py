#!/usr/bin/env python3
"""Run `sigdoctor explain` over fixtures/explain/* and compare the verdict and
the matched fault set with case.json (expect_faults or one of alternatives_ok).
The same check the Rust integration test makes, usable from a shell:

    python3 tools/reference/check_explain.py [--bin target/release/sigdoctor] [CASE...]

Ends with `N passed, M failed`; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(binary, case_dir):
    c = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    env = dict(os.environ)
    env.pop("SIGDOCTOR_TOKEN_SECRET", None)
    env["SIGDOCTOR_CONSUMER_SECRET"] = c["consumer_secret"]
    if c["token_secret"] is not None:
        env["SIGDOCTOR_TOKEN_SECRET"] = c["token_secret"]
    cmd = [binary, "explain", f"@{case_dir / 'request'}", "--format", "json"] + c["args"]
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=60)
    problems = []
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        return c, cmd, [f"exit {p.returncode}, stdout not JSON: "
                        f"{p.stderr.decode('utf-8', 'replace').strip()[:300]}"]
    want_exit = {"valid": 0, "explained": 1, "unexplained": 3}[c["expect_verdict"]]
    if out.get("verdict") != c["expect_verdict"]:
        problems.append(f"verdict {out.get('verdict')!r}, expected {c['expect_verdict']!r}")
    if p.returncode != want_exit:
        problems.append(f"exit {p.returncode}, expected {want_exit}")
    if c["expect_verdict"] == "explained":
        got = sorted((out.get("matched") or {}).get("faults") or [])
        ok = [c["expect_faults"]] + c["alternatives_ok"]
        if got not in ok:
            problems.append(f"faults {got}, expected {c['expect_faults']}"
                            + (f" or one of {c['alternatives_ok']}" if c["alternatives_ok"] else ""))
    return c, cmd, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "sigdoctor"))
    ap.add_argument("--fixtures", default=str(REPO / "fixtures" / "explain"))
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    root = Path(args.fixtures)
    dirs = [root / n for n in args.cases] if args.cases else \
        sorted(d for d in root.iterdir() if (d / "case.json").is_file())
    passed = failed = 0
    for d in dirs:
        c, cmd, problems = run(args.bin, d)
        if problems:
            failed += 1
            print(f"FAIL {d.name}: {'; '.join(problems)}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
