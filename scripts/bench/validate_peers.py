#!/usr/bin/env python3
"""Validation peer for `booking-gateway bench validate`: pyfhircheck on the same resources, same run.

Prints one JSON object: {"pyfhircheck": {"version": V, "load_seconds": S, "files": {PATH: {"seconds": best
seconds per validation, "errors": N}}}} or {"pyfhircheck": {"error": "..."}} when the peer is unavailable.
"""
import argparse
import contextlib
import io
import json
import sys
import time


def best(fn, rounds, min_seconds):
    result = float("inf")
    for _ in range(max(1, rounds)):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        result = min(result, elapsed / calls)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--definitions", required=True, help="folder of the R4 core definitions")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--min-seconds", type=float, default=0.5)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    out = {}
    # The peer's FHIRPath engine prints trace() output on stdout: keep stdout for the result alone.
    with contextlib.redirect_stdout(io.StringIO()):
        run(args, out)
    json.dump(out, sys.stdout)
    print()


def run(args, out):
    try:
        import pyfhircheck
        from pyfhircheck.config import ValidatorConfig

        start = time.perf_counter()
        validator = pyfhircheck.Validator(ValidatorConfig(local_package_paths=[args.definitions]))
        load = time.perf_counter() - start
        files = {}
        for path in args.files:
            with open(path, encoding="utf-8") as f:
                resource = json.load(f)
            report = validator.validate_resource(resource)
            errors = sum(1 for i in report.issues if str(getattr(i.severity, "value", i.severity)).lower() in ("error", "fatal"))
            seconds = best(lambda: validator.validate_resource(resource), args.rounds, args.min_seconds)
            files[path] = {"seconds": seconds, "errors": errors}
        out["pyfhircheck"] = {"version": pyfhircheck.__version__, "load_seconds": load, "files": files}
    except Exception as e:  # the peer is optional: report, do not fail the bench
        out["pyfhircheck"] = {"error": f"{type(e).__name__}: {e}"}


if __name__ == "__main__":
    main()
