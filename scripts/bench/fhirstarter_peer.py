#!/usr/bin/env python3
"""HTTP peer for `booking-gateway bench http`: fhirstarter 4.2.0 under uvicorn, serving the gateway's bytes.

    fhirstarter_peer.py --read SLOT.json --search BUNDLE.json --port P [--host H] [--workers N]

A real fhirstarter provider with a Slot read handler and a Slot search-type handler (schedule, status), in the
style of fhirstarter's own example: the "database" holds JSON text, and each request validates it into the
fhir.resources model that the handler returns; fhirstarter's route serializes it (model_dump, empty elements
pruned, orjson). Read answers GET /Slot/{id} for the id in SLOT.json; search answers GET /Slot?schedule=&status=
with the searchset Bundle captured from the gateway (no filtering or paging of its own: less work than the
gateway does). fhirstarter has no R4 sequence; R4B's Slot and Bundle have the same elements as R4's, so the
bench checks that each answer is the same JSON as the gateway's.

uvicorn picks uvloop and httptools when they are installed (setup-peers.sh installs them), asyncio and h11
otherwise. Runs until terminated. Exits non-zero, with the reason on stderr, when fhirstarter or uvicorn is missing.
The files and sequence are passed to uvicorn's workers through environment variables.
"""
import argparse
import os
import signal
import sys

# fhirstarter reads the sequence when it is imported.
os.environ.setdefault("FHIR_SEQUENCE", "R4B")
# uvicorn imports this module by name (and so do its workers): leave no __pycache__ in scripts/bench.
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"

try:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.slot import Slot

    from fhirstarter import FHIRProvider, FHIRStarter, InteractionContext
    from fhirstarter.exceptions import FHIRResourceNotFoundError
except ImportError as error:  # reported by the bench, which then skips the peer
    print(f"fhirstarter_peer: cannot import the peer: {error}", file=sys.stderr)
    sys.exit(3)


def _read(name):
    path = os.environ.get(name)
    if not path:
        return b""
    with open(path, "rb") as f:
        return f.read()


READ_BYTES = _read("FHIRSTARTER_PEER_READ")
SEARCH_BYTES = _read("FHIRSTARTER_PEER_SEARCH")
# The "database": Slot id -> JSON text, and the stored searchset for schedule/status.
DATABASE = {Slot.model_validate_json(READ_BYTES).id: READ_BYTES} if READ_BYTES else {}

app = FHIRStarter(title="booking-gateway bench: fhirstarter peer")
provider = FHIRProvider()


@provider.read(Slot)
async def slot_read(context: InteractionContext, id_: str) -> Slot:
    stored = DATABASE.get(id_)
    if stored is None:
        raise FHIRResourceNotFoundError
    return Slot.model_validate_json(stored)


@provider.search_type(Slot)
async def slot_search_type(context: InteractionContext, schedule: str | None, status: str | None) -> Bundle:
    if schedule and status:
        return Bundle.model_validate_json(SEARCH_BYTES)
    return Bundle(type="searchset", total=0)


app.add_providers(provider)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--read", required=True, help="Slot JSON served by read")
    ap.add_argument("--search", required=True, help="searchset Bundle JSON served by search")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    # A child of a Swift program inherits the signal mask of the dispatch thread that spawned it, with SIGTERM
    # and SIGINT blocked: unblock them, or uvicorn never sees the bench's SIGTERM (and neither do its workers).
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    try:
        import uvicorn
    except ImportError as error:
        print(f"fhirstarter_peer: cannot import uvicorn: {error}", file=sys.stderr)
        sys.exit(3)
    os.environ["FHIRSTARTER_PEER_READ"] = os.path.abspath(args.read)
    os.environ["FHIRSTARTER_PEER_SEARCH"] = os.path.abspath(args.search)
    # An import string, so that --workers > 1 works; each worker imports this module and reads the files.
    uvicorn.run(
        "fhirstarter_peer:app",
        app_dir=os.path.dirname(os.path.abspath(__file__)),
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
