#!/usr/bin/env python3
"""FHIRPath peers benchmark: time other FHIRPath engines on our expressions and resources.

    python fhirpath_peers.py --files-from LIST --expressions EXPR.json [--rounds N]
                             [--min-seconds S] [--peers fhirpathpy,fhirpathrs]

LIST holds one JSON resource path per line. EXPR.json is a JSON array of
{"key": ..., "expression": ...}. Every expression is evaluated on every
resource (the resource is the focus and %resource).

Peers
  fhirpathpy  fhirpathpy.compile(expr, models["r4"]) once per expression, then
              f(resource) per evaluation
  fhirpathrs  fhirpathrs.evaluate(expr, resource) per evaluation (its only API)

An untimed pass first evaluates every pair once: it warms the peer up, counts
failures (exceptions) per pair and records a short outcome per pair ("true",
"false", "empty", "many", "other" or "error") so the caller can compare
answers. Timed rounds then repeat all pairs that did not fail, until at least
--rounds rounds and --min-seconds have passed; "seconds" is the best round and
evals_per_s = evaluated pairs / best round. The cyclic GC is off within a round.

Prints exactly one JSON object on stdout; peers' own output goes to stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import time
from importlib import metadata


def outcome(result) -> str:
    if not isinstance(result, list):
        result = [result]
    if len(result) == 0:
        return "empty"
    if len(result) > 1:
        return "many"
    v = result[0]
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "other"


def make_fhirpathpy(expressions):
    import fhirpathpy
    from fhirpathpy.models import models

    compiled = []
    for e in expressions:
        try:
            compiled.append(fhirpathpy.compile(e, models["r4"]))
        except Exception as exc:  # compile failure: every evaluation of it fails
            print(f"fhirpathpy: cannot compile {e!r}: {exc}", file=sys.stderr)
            compiled.append(None)

    def run(i, resource):
        f = compiled[i]
        if f is None:
            raise RuntimeError("not compiled")
        return f(resource)

    return run, metadata.version("fhirpathpy")


def make_fhirpathrs(expressions):
    import fhirpathrs

    def run(i, resource):
        return fhirpathrs.evaluate(expressions[i], resource)

    return run, metadata.version("fhirpathrs")


PEERS = {"fhirpathpy": make_fhirpathpy, "fhirpathrs": make_fhirpathrs}


def bench(name, factory, resources, expressions, rounds, min_seconds):
    with contextlib.redirect_stdout(sys.stderr):
        try:
            run, version = factory([e["expression"] for e in expressions])
        except Exception as exc:
            return {"available": False, "error": str(exc)}
        outcomes = []
        pairs = []
        failures = 0
        for r_index, resource in enumerate(resources):
            row = []
            for e_index in range(len(expressions)):
                try:
                    row.append(outcome(run(e_index, resource)))
                    pairs.append((e_index, resource))
                except Exception:
                    failures += 1
                    row.append("error")
            outcomes.append(row)
        best = float("inf")
        done = 0
        start = time.perf_counter()
        while pairs and (done < rounds or time.perf_counter() - start < min_seconds):
            gc.disable()
            t0 = time.perf_counter()
            for e_index, resource in pairs:
                try:
                    run(e_index, resource)
                except Exception:
                    pass
            elapsed = time.perf_counter() - t0
            gc.enable()
            best = min(best, elapsed)
            done += 1
    return {
        "available": True,
        "version": version,
        "evaluations": len(pairs),
        "failures": failures,
        "seconds": best if pairs else None,
        "evals_per_s": len(pairs) / best if pairs else 0,
        "outcomes": outcomes,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files-from", required=True)
    ap.add_argument("--expressions", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--min-seconds", type=float, default=0.5)
    ap.add_argument("--peers", default=",".join(PEERS))
    args = ap.parse_args()
    with open(args.files_from) as f:
        paths = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    resources = []
    for p in paths:
        with open(p, "rb") as f:
            resources.append(json.loads(f.read()))
    with open(args.expressions) as f:
        expressions = json.load(f)
    out = {"python": sys.version.split()[0], "peers": {}}
    for name in args.peers.split(","):
        if name in PEERS:
            out["peers"][name] = bench(name, PEERS[name], resources, expressions, args.rounds, args.min_seconds)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
