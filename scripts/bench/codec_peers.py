#!/usr/bin/env python3
"""Codec peers benchmark: time other FHIR codecs on the very bytes our codec reads.

    python codec_peers.py --files-from LIST --format json|xml [--rounds N]
                          [--min-seconds S] [--max-seconds S] [--stat best|median]
                          [--peers a,b] [--fhir-resources-release R4B|R5|STU3]

LIST holds one path per line (blank lines and lines starting with '#' are
skipped; relative paths are taken from the current directory). Every file is
read as raw bytes and handed to each peer as such: nothing goes through
Python's json first (that would turn 1.50 into 1.5 before a peer sees it).

Peers
  json: fhirkit-rs      fhirkit.parse(bytes).to_json()
        fhir.resources  fhir.resources.<release>.get_fhir_model_class(type)
                          .model_validate_json(bytes).model_dump_json()
        orjson          orjson.dumps(orjson.loads(bytes))  (generic JSON ceiling)
  xml:  fhirkit-rs      reported "unsupported" (0.1.0 reads JSON only)
        fhir.resources  ...model_validate_xml(bytes).model_dump_xml()
        lxml            etree.tostring(etree.fromstring(bytes))  (generic XML ceiling)

For each peer an untimed pass first runs every file once: it warms the peer up,
counts failures (exceptions, per file; one bad file never aborts the run) and
checks the round trip. Then timed rounds run parse+serialise over the files that
peer handled; rounds repeat until at least --rounds rounds and --min-seconds
have passed, or --max-seconds has (at least one round always runs). The cyclic
GC is off within a round. "seconds" is the best round (or the median with
--stat median); MB are 10^6 bytes; resources_per_s counts top-level resources
(one per file). Finding a file's resource type for fhir.resources's class
dispatch happens in the untimed pass.

"exact": the re-serialised output of every handled file equals its input as an
object model (JSON: key order ignored, numbers compared by their literal text;
XML: elements, attributes and whitespace-collapsed text, comments ignored), and
the peer keeps the decimals of a small built-in sample ("decimal_probe", e.g.
1.50). "inexact" counts the files that do not round-trip.

Prints exactly one JSON object on stdout, whatever happens; anything the peers
print goes to stderr. Exit status 0, or 2 for a usage error (the object then
has an "error" key).
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import sys
import time
from typing import Any, Callable, Optional

MB = 1_000_000
MAX_EXAMPLES = 3
SNIPPET = 160


# --------------------------------------------------------------------------
# Round-trip comparators


class Num:
    """A JSON number kept as its literal text, so that 1.50 != 1.5."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return type(other) is Num and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return self.text


def json_model(data: Any) -> Any:
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8-sig")
    return json.loads(data, parse_float=Num, parse_int=Num, parse_constant=Num)


def short(value: Any) -> str:
    text = value.text if isinstance(value, Num) else json.dumps(value, default=repr)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 3] + "..."


def json_diff(a: Any, b: Any, path: str = "$") -> Optional[dict]:
    """First difference between two JSON models, or None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                return {"path": f"{path}.{key}", "input": short(a[key]), "output": "<missing>"}
            d = json_diff(a[key], b[key], f"{path}.{key}")
            if d:
                return d
        for key in b:
            if key not in a:
                return {"path": f"{path}.{key}", "input": "<missing>", "output": short(b[key])}
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = json_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return {"path": path, "input": f"{len(a)} items", "output": f"{len(b)} items"}
        return None
    if type(a) is type(b) and a == b:
        return None
    return {"path": path, "input": short(a), "output": short(b)}


def compare_json(original: bytes, output: Any) -> Optional[dict]:
    try:
        a = json_model(original)
    except ValueError as e:
        return {"path": "$", "input": f"<not JSON: {e}>", "output": ""}
    try:
        b = json_model(output)
    except ValueError as e:
        return {"path": "$", "input": "", "output": f"<not JSON: {e}>"}
    return json_diff(a, b)


def make_xml_comparator() -> Optional[Callable[[bytes, Any], Optional[dict]]]:
    try:
        from lxml import etree
    except ImportError:
        return None
    parser = etree.XMLParser(remove_comments=True, remove_pis=True, resolve_entities=False)

    def norm(text: Optional[str]) -> str:
        return " ".join(text.split()) if text else ""

    def diff(a, b, path: str) -> Optional[dict]:
        if a.tag != b.tag:
            return {"path": path, "input": a.tag, "output": b.tag}
        if dict(a.attrib) != dict(b.attrib):
            return {"path": path, "input": short(dict(a.attrib)), "output": short(dict(b.attrib))}
        if norm(a.text) != norm(b.text):
            return {"path": path + "/text()", "input": short(norm(a.text)), "output": short(norm(b.text))}
        ka = [c for c in a if isinstance(c.tag, str)]
        kb = [c for c in b if isinstance(c.tag, str)]
        for i, (x, y) in enumerate(zip(ka, kb)):
            sub = f"{path}/{etree.QName(x).localname}[{i}]"
            d = diff(x, y, sub)
            if d:
                return d
            if norm(x.tail) != norm(y.tail):
                return {"path": sub + "/tail()", "input": short(norm(x.tail)), "output": short(norm(y.tail))}
        if len(ka) != len(kb):
            return {"path": path, "input": f"{len(ka)} children", "output": f"{len(kb)} children"}
        return None

    def compare(original: bytes, output: Any) -> Optional[dict]:
        if isinstance(output, str):
            output = output.encode("utf-8")
        try:
            a = etree.fromstring(original, parser)
        except etree.XMLSyntaxError as e:
            return {"path": "/", "input": f"<not XML: {e}>", "output": ""}
        try:
            b = etree.fromstring(output, parser)
        except etree.XMLSyntaxError as e:
            return {"path": "/", "input": "", "output": f"<not XML: {e}>"}
        return diff(a, b, "/" + etree.QName(a).localname)

    return compare


# Decimal probes: small resources whose decimals a lossy codec rewrites.
DECIMAL_PROBE_JSON = (
    b'{"resourceType":"Observation","status":"final","code":{"text":"probe"},'
    b'"valueQuantity":{"value":1.50,"unit":"mmol/L"},'
    b'"referenceRange":[{"low":{"value":0.0010},"high":{"value":100.0}}]}'
)
DECIMAL_PROBE_XML = (
    b'<Observation xmlns="http://hl7.org/fhir"><status value="final"/>'
    b'<code><text value="probe"/></code>'
    b'<valueQuantity><value value="1.50"/><unit value="mmol/L"/></valueQuantity>'
    b'<referenceRange><low><value value="0.0010"/></low><high><value value="100.0"/></high>'
    b"</referenceRange></Observation>"
)


# --------------------------------------------------------------------------
# Peers
#
# A peer's load(fmt, opts) returns a dict:
#   version, api, note      strings
#   unsupported             reason string, when the peer cannot do this format
#   prepare(data) -> item   untimed per-file preparation (dispatch); may raise
#   run(item) -> output     the timed parse+serialise; may raise


class Unavailable(Exception):
    pass


def dist_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def load_fhirkit(fmt: str, opts: argparse.Namespace) -> dict:
    try:
        import fhirkit
    except ImportError as e:
        raise Unavailable(f"not installed: {e} (run scripts/bench/setup-peers.sh)")
    if not hasattr(fhirkit, "parse") or not hasattr(fhirkit, "Resource"):
        # PyPI 'fhirkit' is an unrelated project with the same import name.
        raise Unavailable(f"module 'fhirkit' at {fhirkit.__file__} is not fhirkit-rs")
    version = getattr(fhirkit, "__version__", dist_version("fhirkit-rs"))
    parse = fhirkit.parse
    peer = {
        "version": version,
        "api": "fhirkit.parse(bytes).to_json()",
        "note": f"FHIR {getattr(fhirkit, 'FHIR_VERSION', '?')}; non-strict parse "
        "(validation issues are collected, not raised)",
        "prepare": lambda data: data,
        "run": lambda data: parse(data).to_json(),
        "issues": lambda data: sum(1 for i in parse(data).issues if i.severity == "error"),
    }
    if fmt == "xml":
        readers = [n for n in ("parse_xml", "from_xml", "loads_xml") if hasattr(fhirkit, n)]
        if not readers:
            try:
                parse(DECIMAL_PROBE_XML)
                why = "parse() accepted XML but it has no XML writer"
            except Exception as e:  # noqa: BLE001 - report whatever it raised
                why = f"parse(<xml bytes>) raises {type(e).__name__}: {e}"
            peer["unsupported"] = f"fhirkit-rs {version} reads and writes JSON only; {why}"
        else:
            raise Unavailable(f"fhirkit-rs {version} has XML readers {readers} this script does not know")
    return peer


def load_fhir_resources(fmt: str, opts: argparse.Namespace) -> dict:
    release = opts.fhir_resources_release
    try:
        import importlib

        top = importlib.import_module("fhir.resources")
        mod = top if release == "R5" else importlib.import_module(f"fhir.resources.{release}")
    except ImportError as e:
        raise Unavailable(f"not installed: {e} (run scripts/bench/setup-peers.sh)")
    version = getattr(top, "__version__", dist_version("fhir.resources"))
    fhir_version = getattr(mod, "__fhir_version__", "?")
    get_class = mod.get_fhir_model_class
    modname = mod.__name__
    note = (
        f"{modname} is FHIR {fhir_version} (pydantic {dist_version('pydantic')}); "
        "class dispatch on resourceType is done untimed"
    )
    if fmt == "json":

        def prepare(data: bytes):
            rtype = json.loads(data)["resourceType"]  # dispatch only; the peer gets the bytes
            return get_class(rtype), data

        def run(item):
            cls, data = item
            return cls.model_validate_json(data).model_dump_json()

        api = f"{modname}.get_fhir_model_class(resourceType).model_validate_json(bytes).model_dump_json()"
    else:
        try:
            from lxml import etree
        except ImportError:
            return {
                "version": version,
                "api": "model_validate_xml / model_dump_xml",
                "note": note,
                "unsupported": "fhir.resources needs lxml for XML, and lxml is not installed",
            }

        def prepare(data: bytes):
            root = etree.fromstring(data)  # dispatch only; the peer gets the bytes
            return get_class(etree.QName(root).localname), data

        def run(item):
            cls, data = item
            return cls.model_dump_xml(cls.model_validate_xml(data))

        api = f"{modname}.get_fhir_model_class(rootElement).model_validate_xml(bytes).model_dump_xml()"
    return {"version": version, "api": api, "note": note, "prepare": prepare, "run": run}


def load_orjson(fmt: str, opts: argparse.Namespace) -> dict:
    try:
        import orjson
    except ImportError as e:
        raise Unavailable(f"not installed: {e} (run scripts/bench/setup-peers.sh)")
    loads, dumps = orjson.loads, orjson.dumps
    return {
        "version": getattr(orjson, "__version__", dist_version("orjson")),
        "api": "orjson.dumps(orjson.loads(bytes))",
        "note": "generic JSON ceiling, no FHIR semantics; decimals become binary floats",
        "prepare": lambda data: data,
        "run": lambda data: dumps(loads(data)),
    }


def load_lxml(fmt: str, opts: argparse.Namespace) -> dict:
    try:
        from lxml import etree
    except ImportError as e:
        raise Unavailable(f"not installed: {e} (run scripts/bench/setup-peers.sh)")
    fromstring, tostring = etree.fromstring, etree.tostring
    return {
        "version": ".".join(str(p) for p in etree.LXML_VERSION[:3]),
        "api": "lxml.etree.tostring(lxml.etree.fromstring(bytes))",
        "note": f"generic XML ceiling (libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}), no FHIR semantics",
        "prepare": lambda data: data,
        "run": lambda data: tostring(fromstring(data)),
    }


PEERS = {
    "json": [("fhirkit-rs", load_fhirkit), ("fhir.resources", load_fhir_resources), ("orjson", load_orjson)],
    "xml": [("fhirkit-rs", load_fhirkit), ("fhir.resources", load_fhir_resources), ("lxml", load_lxml)],
}


# --------------------------------------------------------------------------
# Measuring


def empty_result(status: str, note: str) -> dict:
    return {
        "status": status,
        "version": None,
        "api": None,
        "seconds": None,
        "best_seconds": None,
        "median_seconds": None,
        "rounds": 0,
        "mb_per_s": None,
        "resources_per_s": None,
        "files_timed": 0,
        "bytes_timed": 0,
        "failures": None,
        "failure_examples": [],
        "exact": None,
        "inexact": None,
        "inexact_examples": [],
        "decimal_probe": None,
        "note": note,
    }


def error_text(e: BaseException) -> str:
    text = f"{type(e).__name__}: {e}".replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "..."


def time_rounds(run: Callable, items: list, opts: argparse.Namespace) -> tuple[list[float], int]:
    times: list[float] = []
    errors = 0
    gc_was_enabled = gc.isenabled()
    clock = time.perf_counter
    start = clock()
    try:
        while True:
            gc.collect()
            gc.disable()
            t0 = clock()
            for item in items:
                try:
                    run(item)
                except Exception:  # noqa: BLE001 - a flaky peer must not abort the bench
                    errors += 1
            times.append(clock() - t0)
            if gc_was_enabled:
                gc.enable()
            elapsed = clock() - start
            if len(times) >= opts.rounds and elapsed >= opts.min_seconds:
                break
            if elapsed >= opts.max_seconds:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return times, errors


def measure_peer(name: str, loader: Callable, files: list, fmt: str, opts: argparse.Namespace) -> dict:
    try:
        peer = loader(fmt, opts)
    except Unavailable as e:
        return empty_result("unavailable", str(e))
    except Exception as e:  # noqa: BLE001
        return empty_result("unavailable", f"failed to load: {error_text(e)}")

    result = empty_result("ok", peer.get("note", ""))
    result["version"] = peer["version"]
    result["api"] = peer["api"]
    if "unsupported" in peer:
        result["status"] = "unsupported"
        result["note"] = peer["unsupported"]
        return result

    compare = compare_json if fmt == "json" else make_xml_comparator()
    prepare, run = peer["prepare"], peer["run"]

    # Decimal probe: does the peer keep 1.50, 0.0010 and 100.0 as written?
    probe = DECIMAL_PROBE_JSON if fmt == "json" else DECIMAL_PROBE_XML
    try:
        out = run(prepare(probe))
        d = compare(probe, out) if compare else None
        result["decimal_probe"] = {"exact": d is None, **({"diff": d} if d else {})}
    except Exception as e:  # noqa: BLE001
        result["decimal_probe"] = {"exact": None, "error": error_text(e)}

    # Untimed pass: warm-up, failures, round-trip check.
    items, timed_bytes = [], 0
    failures, inexact, with_errors = 0, 0, 0
    for path, data in files:
        try:
            item = prepare(data)
            out = run(item)
        except Exception as e:  # noqa: BLE001 - count, report, go on
            failures += 1
            if len(result["failure_examples"]) < MAX_EXAMPLES:
                result["failure_examples"].append({"file": path, "error": error_text(e)})
            continue
        items.append(item)
        timed_bytes += len(data)
        if compare is not None:
            d = compare(data, out)
            if d is not None:
                inexact += 1
                if len(result["inexact_examples"]) < MAX_EXAMPLES:
                    result["inexact_examples"].append({"file": path, **d})
        if "issues" in peer:
            try:
                with_errors += 1 if peer["issues"](data) else 0
            except Exception:  # noqa: BLE001
                pass

    result["failures"] = failures
    if compare is not None:
        result["inexact"] = inexact
        probe_ok = (result["decimal_probe"] or {}).get("exact")
        result["exact"] = inexact == 0 and probe_ok is not False and bool(items)
    if "issues" in peer:
        result["note"] += f"; {with_errors} file(s) have error-level validation issues"
    if failures:
        result["note"] += f"; timed over the {len(items)} file(s) it handled"

    if not items:
        result["status"] = "failed"
        result["note"] += "; every file failed, nothing timed"
        return result

    times, timed_errors = time_rounds(run, items, opts)
    best, median = min(times), statistics.median(times)
    secs = best if opts.stat == "best" else median
    result.update(
        seconds=round(secs, 6),
        best_seconds=round(best, 6),
        median_seconds=round(median, 6),
        rounds=len(times),
        mb_per_s=round(timed_bytes / MB / secs, 3) if secs > 0 else None,
        resources_per_s=round(len(items) / secs, 1) if secs > 0 else None,
        files_timed=len(items),
        bytes_timed=timed_bytes,
    )
    if timed_errors:
        result["note"] += f"; {timed_errors} error(s) during timed rounds"
    return result


# --------------------------------------------------------------------------


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files-from", required=True, metavar="LIST", help="file with one path per line")
    ap.add_argument("--format", required=True, choices=("json", "xml"))
    ap.add_argument("--rounds", type=int, default=3, help="at least this many timed rounds (default 3)")
    ap.add_argument("--min-seconds", type=float, default=1.0, help="keep timing a peer at least this long (default 1.0)")
    ap.add_argument("--max-seconds", type=float, default=30.0,
                    help="stop a peer's rounds after this long, even before --rounds (default 30)")
    ap.add_argument("--stat", choices=("best", "median"), default="best", help="which round goes into seconds")
    ap.add_argument("--peers", default="", help="comma-separated subset of peer names")
    ap.add_argument("--fhir-resources-release", default="R4B", choices=("R4B", "R5", "STU3"),
                    help="fhir.resources model package (default R4B, nearest to R4)")
    opts = ap.parse_args(argv)
    opts.rounds = max(1, opts.rounds)

    def fail(msg: str) -> int:
        print(f"codec_peers: {msg}", file=sys.stderr)
        print(json.dumps({"format": opts.format, "error": msg}))
        return 2

    try:
        with open(opts.files_from, encoding="utf-8") as f:
            paths = [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    except OSError as e:
        return fail(f"cannot read file list: {e}")
    files = []
    for p in paths:
        try:
            with open(p, "rb") as f:
                files.append((p, f.read()))
        except OSError as e:
            return fail(f"cannot read {p}: {e}")
    if not files:
        return fail(f"no files listed in {opts.files_from}")

    wanted = {n.strip() for n in opts.peers.split(",") if n.strip()}
    known = {name for name, _ in PEERS[opts.format]}
    if wanted - known:
        return fail(f"unknown peer(s) for {opts.format}: {sorted(wanted - known)}; known: {sorted(known)}")

    peers = {}
    # Whatever the peers print must not corrupt the one JSON object on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        for name, loader in PEERS[opts.format]:
            if wanted and name not in wanted:
                continue
            peers[name] = measure_peer(name, loader, files, opts.format, opts)

    report = {
        "format": opts.format,
        "files": len(files),
        "bytes": sum(len(d) for _, d in files),
        "resources": len(files),
        "stat": opts.stat,
        "rounds": opts.rounds,
        "min_seconds": opts.min_seconds,
        "max_seconds": opts.max_seconds,
        "python": platform.python_version(),
        "peers": peers,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
