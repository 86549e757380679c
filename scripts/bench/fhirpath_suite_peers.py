#!/usr/bin/env python3
"""Run the official FHIRPath R4 suite with the Python peers and print their pass counts.

    python fhirpath_suite_peers.py --suite DIR --convert BINARY [--peers fhirpathpy,fhirpathrs]

DIR is ../shared/conformance/fhirpath. The peers read JSON only, so every XML
input is converted to JSON by our own `BINARY convert` first (into a temporary
folder); observation-example.xml has an extension out of definition order,
which is moved after `text` before converting (the same repair our test makes).

A case passes when the peer's result matches the expected outputs: same count,
and per item the same value (booleans, numbers by value, strings exactly,
dates/times by their text without '@'/'T' prefixes, quantities by value and
unit); an `invalid` case passes when the peer raises; a `predicate` case
compares the result's existence. The comparison is ours and approximate (the
peers return plain Python values without FHIR types), so the type of an item is
not checked.

Prints one JSON object: {"cases": N, "peers": {name: {"passed": n, "version": v}}}.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from importlib import metadata

NS = "{http://hl7.org/fhir}"


def convert_inputs(suite_dir: str, binary: str, out_dir: str) -> dict:
    inputs = {}
    for name in sorted(os.listdir(suite_dir)):
        path = os.path.join(suite_dir, name)
        if name.endswith(".json"):
            with open(path) as f:
                inputs[name] = json.load(f)
        elif name.endswith(".xml") and name != "tests-fhir-r4.xml":
            tree = ET.parse(path)
            root = tree.getroot()
            extensions = [c for c in root if c.tag == NS + "extension"]
            if extensions:
                for e in extensions:
                    root.remove(e)
                kids = list(root)
                at = next((i + 1 for i, c in enumerate(kids) if c.tag == NS + "text"), 0)
                for k, e in enumerate(extensions):
                    root.insert(at + k, e)
            fixed = os.path.join(out_dir, name)
            ET.register_namespace("", "http://hl7.org/fhir")
            tree.write(fixed, encoding="utf-8", xml_declaration=True)
            target = os.path.join(out_dir, name[:-4] + ".json")
            r = subprocess.run([binary, "convert", fixed, target], capture_output=True, text=True)
            if r.returncode == 0:
                with open(target) as f:
                    inputs[name] = json.load(f)
            else:
                print(f"cannot convert {name}: {r.stderr.strip()}", file=sys.stderr)
    return inputs


def load_cases(suite_dir: str):
    root = ET.parse(os.path.join(suite_dir, "tests-fhir-r4.xml")).getroot()
    cases = []
    for group in root.iter("group"):
        for test in group.iter("test"):
            expr = test.find("expression")
            cases.append(
                {
                    "input": test.get("inputfile"),
                    "predicate": test.get("predicate"),
                    "expression": expr.text or "",
                    "invalid": expr.get("invalid"),
                    "outputs": [(o.get("type") or "", o.text or "") for o in test.findall("output")],
                }
            )
    return cases


def same(value, expected) -> bool:
    typ, text = expected
    if isinstance(value, bool) or typ == "boolean":
        return isinstance(value, bool) and str(value).lower() == text
    if typ in ("integer", "decimal") or isinstance(value, (int, float, Decimal)):
        try:
            return Decimal(str(value)) == Decimal(text)
        except (InvalidOperation, ValueError):
            return False
    s = str(value)
    if typ in ("date", "dateTime", "time", "instant") or text.startswith("@"):
        return s.lstrip("@").lstrip("T") == text.lstrip("@").lstrip("T")
    if typ == "Quantity":
        return s.replace("'", "").split() == text.replace("'", "").split()
    return s == text


def passes(case, run, inputs) -> bool:
    resource = inputs.get(case["input"], {}) if case["input"] else {}
    try:
        result = run(case["expression"], resource)
    except Exception:
        return case["invalid"] is not None
    if case["invalid"] is not None:
        return False
    if not isinstance(result, list):
        result = [result]
    if case["predicate"] is not None:
        result = [len(result) > 0]
    if len(result) != len(case["outputs"]):
        return False
    return all(same(v, e) for v, e in zip(result, case["outputs"]))


def make_runner(name):
    if name == "fhirpathpy":
        import fhirpathpy
        from fhirpathpy.models import models

        return (lambda expr, res: fhirpathpy.evaluate(res, expr, {}, models["r4"])), metadata.version(name)
    import fhirpathrs

    return (lambda expr, res: fhirpathrs.evaluate(expr, res)), metadata.version(name)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", required=True)
    ap.add_argument("--convert", required=True)
    ap.add_argument("--peers", default="fhirpathpy,fhirpathrs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = convert_inputs(args.suite, args.convert, tmp)
    cases = load_cases(args.suite)
    out = {"cases": len(cases), "peers": {}}
    for name in args.peers.split(","):
        with contextlib.redirect_stdout(sys.stderr):
            try:
                run, version = make_runner(name)
            except Exception as exc:
                out["peers"][name] = {"available": False, "error": str(exc)}
                continue
            passed = sum(1 for c in cases if passes(c, run, inputs))
        out["peers"][name] = {"available": True, "version": version, "passed": passed}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
