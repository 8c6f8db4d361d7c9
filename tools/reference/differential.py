#!/usr/bin/env python3
"""Live differential check of `sigdoctor sign` against oauthlib.

Generates fresh random requests (the generator of gen_differential.py; the seed
is printed, --seed replays it), signs each with oauthlib, runs

    sigdoctor sign URL --consumer-key K --consumer-secret env:SIGDOCTOR_CONSUMER_SECRET
        [--token T --token-secret env:SIGDOCTOR_TOKEN_SECRET] -X METHOD [-d BODY]
        --timestamp TS --nonce N --signature-method M --output json

and compares the JSON fields "base_string" and "signature" (not
percent-encoded) byte for byte.  Prints the first mismatches in detail and
ends with the line `N passed, M failed`; exits 1 on any failure.

    python3 tools/reference/differential.py [--bin target/release/sigdoctor] [-n 500]
        [--seed S] [--corpus tests/data/differential/oauthlib.jsonl] [--jobs 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_differential as G  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def opt(flag, value):
    """`--flag value`, or `--flag=value` when the value starts with '-' (so it
    is not taken for an option)."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def command(binary, case):
    cmd = [binary, "sign", case["url"]]
    cmd += opt("--consumer-key", case["consumer_key"])
    cmd += ["--consumer-secret", "env:SIGDOCTOR_CONSUMER_SECRET"]
    if case["token"] is not None:
        cmd += opt("--token", case["token"])
        cmd += ["--token-secret", "env:SIGDOCTOR_TOKEN_SECRET"]
    cmd += ["-X", case["method"]]
    if case["body"] is not None:
        cmd += [f"--data={case['body']}"] if case["body"].startswith("-") else ["-d", case["body"]]
    cmd += ["--timestamp", case["timestamp"], "--nonce", case["nonce"],
            "--signature-method", case["signature_method"], "--output", "json"]
    if case["signature_method"] == "PLAINTEXT":
        cmd += ["--allow-plaintext-over-http"]  # the corpus has http:// URLs; warned, not refused
    return cmd


def run_one(binary, case, timeout):
    env = dict(os.environ)
    env["SIGDOCTOR_CONSUMER_SECRET"] = case["consumer_secret"]
    env.pop("SIGDOCTOR_TOKEN_SECRET", None)
    if case["token"] is not None:
        env["SIGDOCTOR_TOKEN_SECRET"] = case["token_secret"] or ""
    cmd = command(binary, case)
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return cmd, {"error": repr(e)}
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        return cmd, {"error": f"exit {p.returncode}",
                     "stderr": p.stderr.decode("utf-8", "replace").strip()[:2000],
                     "stdout": out.strip()[:2000]}
    try:
        return cmd, json.loads(out)
    except json.JSONDecodeError as e:
        return cmd, {"error": f"stdout is not JSON ({e})", "stdout": out[:2000]}


def compare(case, got):
    """List of problems (empty when the CLI agrees)."""
    if "error" in got and "signature" not in got:
        return [got["error"]]
    problems = []
    gb = got.get("base_string")
    if gb != case["base_string"]:
        if not (case["signature_method"] == "PLAINTEXT" and gb is None):
            problems.append("base_string")
    if got.get("signature") != case["signature"]:
        problems.append("signature")
    return problems


def first_diff(a, b):
    if a is None or b is None:
        return 0
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def show(i, case, cmd, got, problems, out):
    w = out.write
    w(f"--- case {i}: {', '.join(problems)}\n")
    w(f"  command : {' '.join(shlex.quote(c) for c in cmd)}\n")
    w(f"  secrets : consumer {case['consumer_secret']!r}, token {case['token_secret']!r}\n")
    if "error" in got and "signature" not in got:
        for k in ("stderr", "stdout"):
            if got.get(k):
                w(f"  {k:8}: {got[k]}\n")
        return
    for field in ("base_string", "signature"):
        exp, act = case[field], got.get(field)
        if exp == act:
            continue
        at = first_diff(exp, act)
        w(f"  {field} differs at byte {at}:\n")
        w(f"    oauthlib : {exp}\n")
        w(f"    sigdoctor: {act}\n")
        if isinstance(act, str):
            lo = max(0, at - 30)
            w(f"    context  : oauthlib ...{exp[lo:at + 30]!r}... vs "
              f"sigdoctor ...{act[lo:at + 30]!r}...\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "sigdoctor"))
    ap.add_argument("-n", type=int, default=500, help="number of fresh random cases")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--corpus", help="replay a JSONL corpus instead of fresh cases")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--show", type=int, default=5, help="mismatches shown in detail")
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args()

    if args.corpus:
        cases = [json.loads(line) for line in Path(args.corpus).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        print(f"corpus {args.corpus}: {len(cases)} cases")
    else:
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
        print(f"seed {seed} (replay with --seed {seed})")
        cases = [c for c, _ in G.generate(args.n, seed)]

    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        print(f"error: {args.bin} is not an executable (build it: cargo build --release)",
              file=sys.stderr)
        print(f"0 passed, {len(cases)} failed")
        return 1

    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        results = list(ex.map(lambda c: run_one(args.bin, c, args.timeout), cases))

    passed = failed = 0
    for i, (case, (cmd, got)) in enumerate(zip(cases, results)):
        problems = compare(case, got)
        if problems:
            failed += 1
            if failed <= args.show:
                show(i, case, cmd, got, problems, sys.stdout)
        else:
            passed += 1
    if failed > args.show:
        print(f"... and {failed - args.show} more mismatches")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
