#!/usr/bin/env python3
"""Find, with oauthref alone, a cut signature too short to decide: a 4-digit
hex prefix that two hypotheses of the smallest matching size share, while no
smaller hypothesis fits it in any reading.  Writes fixtures/ambiguous/case.json.

    python3 tools/evidence/make_ambiguous_prefix.py
"""

from __future__ import annotations

import base64
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools" / "reference"))
import oauthref as R  # noqa: E402

URL = ("http://photos.example.net/photos?file=vacation.jpg&size=original"
       "&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk"
       "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096"
       "&oauth_nonce=kllo9940pd9333jh&oauth_version=1.0&oauth_signature=")
CS, TS = "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"
K = 3  # base faults of the colliding hypotheses (plus sig-hex: 4, the default budget)


def hypotheses(p, secrets, k):
    var = {f: v for f in R.BASE_FAULTS if (v := R.fault_variants(f, p, secrets))}
    axes = [(a, [f for f in fs if f in var]) for a, fs in R.BASE_AXES]
    axes = [(a, fs) for a, fs in axes if fs]
    for combo in itertools.combinations(axes, k):
        for faults in itertools.product(*[fs for _, fs in combo]):
            for vs in itertools.product(*[var[f] for f in faults]):
                h = {R.AXIS_OF[f]: (f, v) for f, v in zip(faults, vs)}
                try:
                    _, _, _, d, _ = R.compute(p, secrets, h)
                except (ValueError, KeyError, UnicodeError):
                    continue
                if d is not None:
                    yield tuple(sorted(faults)), d


def main():
    p = R.Parsed(R.Request("GET", URL + "x"))
    secrets = R.Secrets(CS, TS)
    small = []  # every reading of every hypothesis of fewer base faults
    small_digests = set()
    for k in range(K):
        for faults, d in hypotheses(p, secrets, k):
            small_digests.add(d)
            small += [base64.b64encode(d).decode(), d.hex(),
                      base64.b64encode(d.hex().encode()).decode()]
    # prefix -> digest -> fault sets (oauthref keeps faults that change no byte, so one
    # digest may come with several sets; sigdoctor reports one of them)
    by_prefix = defaultdict(lambda: defaultdict(set))
    for faults, d in hypotheses(p, secrets, K):
        if d not in small_digests:
            by_prefix[d.hex()[:4]][d].add(faults + ("sig-hex",))
    for prefix, digests in sorted(by_prefix.items()):
        if len(digests) >= 2 and not any(s.startswith(prefix) for s in small):
            sets = [sorted(sorted(x) for x in v) for v in digests.values()]
            case = {
                "made_by": f"tools/evidence/make_ambiguous_prefix.py (oauthlib {R.OAUTHLIB_VERSION})",
                "request": URL + prefix + "...",
                "consumer_secret": CS, "token_secret": TS, "now": 1191242096,
                "expect_verdict": "ambiguous",
                # one list per distinct signature: any of its sets may be reported
                "expect_fault_sets": sorted(sets),
            }
            out = REPO / "fixtures" / "ambiguous" / "case.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(case, indent=2) + "\n")
            print(f"{prefix}: {sets}")
            return
    raise SystemExit("no ambiguous 4-digit prefix")


if __name__ == "__main__":
    main()
