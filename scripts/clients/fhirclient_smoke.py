#!/usr/bin/env python3
"""A stock FHIR client (SMART on FHIR `fhirclient`) against a running gateway.

Usage: fhirclient_smoke.py BASE_URL
Reads the CapabilityStatement, searches free slots, books one by creating an Appointment, reads it back, and
pages through a search. Prints one line per step; exits non-zero on the first failure.
"""
import sys

from fhirclient import client
from fhirclient.models.appointment import Appointment
from fhirclient.models.bundle import Bundle
from fhirclient.models.slot import Slot


def main(base):
    smart = client.FHIRClient(settings={"app_id": "booking-gateway-smoke", "api_base": base})
    smart.prepare()
    cs = smart.server.capabilityStatement
    assert cs is not None and cs.fhirVersion == "4.0.1", "CapabilityStatement"
    types = {r.type for rest in cs.rest for r in rest.resource}
    assert {"Slot", "Appointment", "Schedule"} <= types, types
    print("capability statement: ok,", len(types), "resource types")

    slots = Slot.where(struct={"schedule": "dr-rossi", "status": "free", "_count": "5"}).perform_resources(smart.server)
    assert slots, "no free slots"
    print("free slots:", len(slots), "first", slots[0].id, slots[0].start.isostring)

    appointment = Appointment({
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": "Slot/" + slots[0].id}],
        "participant": [{"actor": {"reference": "Patient/mario-bianco"}, "status": "accepted"}],
    })
    created = appointment.create(smart.server)
    new_id = created.get("id") if isinstance(created, dict) else None
    assert new_id, "create returned no id: %r" % (created,)
    back = Appointment.read(new_id, smart.server)
    assert back.status == "booked" and back.slot[0].reference == "Slot/" + slots[0].id, "read back"
    print("appointment created and read back:", new_id)

    bundle = Slot.where(struct={"schedule": "dr-rossi", "_count": "2"}).perform(smart.server)
    pages = 1
    seen = [e.resource.id for e in bundle.entry]
    while pages < 3:
        nxt = [l.url for l in (bundle.link or []) if l.relation == "next"]
        if not nxt:
            break
        bundle = Bundle(smart.server.request_json(nxt[0]))
        seen += [e.resource.id for e in bundle.entry]
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 6, (pages, seen)
    print("paged through", pages, "pages:", len(seen), "distinct slots")


if __name__ == "__main__":
    main(sys.argv[1])
