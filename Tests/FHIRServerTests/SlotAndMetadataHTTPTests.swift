import Booking
import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Slot, Schedule and CapabilityStatement over real HTTP.
@Suite("Slot, Schedule and metadata over HTTP")
struct SlotAndMetadataHTTPTests {
    @Test(
        "slot search parameters: positive and negative",
        arguments: [
            ("schedule=Schedule/dr-rossi", 8), ("schedule=nope", 0), ("status=free", 8), ("status=busy", 0),
            ("service-type=urn:test%7Cvisit", 8), ("service-type=urn:test%7Cother", 0),
            ("service-type=other,visit", 8), ("service-type=other&service-type=visit", 0),
            ("service-type=%7Cvisit", 0), ("service-type=urn:test%7C", 8), ("service-type:not=visit", 0),
            ("service-type:not=other", 8), ("service-type:missing=false", 8), ("service-type:missing=true", 0),
            ("end=le2026-06-02T10:00:00%2B02:00", 2), ("end=gt2026-06-02T13:00:00%2B02:00", 0),
            ("_id=\(GatewayFixture.slot("09:30"))", 1), ("_id=dr-rossi.20260602T0000Z", 0),
        ])
    func slotSearch(query: String, expected: Int) async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(
                uri: "/fhir/Slot?start=ge2026-06-02&start=lt2026-06-03&\(query)", method: .get)
            #expect(r.status == .ok)
            #expect(BundleResource(try r.resource())?.total == expected, "\(query)")
        }
    }

    @Test("slot read in JSON and XML keeps the schedule's local time; an unknown slot is 404")
    func slotRead() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let id = GatewayFixture.slot("09:00")
            for headers: HTTPFields in [[.accept: "application/fhir+json"], [.accept: "application/fhir+xml"]] {
                let r = try await client.execute(uri: "/fhir/Slot/\(id)", method: .get, headers: headers)
                let slot = try #require(SlotResource(try r.resource()))
                #expect(slot.start?.text == "2026-06-02T09:00:00+02:00")
                #expect(slot.schedule?.reference == "Schedule/dr-rossi")
            }
            let missing = try await client.execute(uri: "/fhir/Slot/dr-rossi.20260602T0001Z", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("paging: _count limits the page and next links follow")
    func paging() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let first = try await client.execute(
                uri: "/fhir/Slot?start=ge2026-06-02&start=lt2026-06-03&_count=3", method: .get)
            let bundle = try #require(BundleResource(try first.resource()))
            #expect(bundle.entries.count == 3 && bundle.total == 8)
            let next = try #require(bundle.links.first { $0.relation == "next" }?.url)
            let path = String(next.dropFirst("http://localhost".count))
            let second = try #require(BundleResource(try await client.execute(uri: path, method: .get).resource()))
            #expect(second.entries.count == 3)
            #expect(second.entries.first?.resource?.resourceID != bundle.entries.first?.resource?.resourceID)
        }
    }

    @Test("paging links keep their place while resources are added and deleted before it")
    func stablePaging() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            func put(_ id: String) async throws {
                let r = try await client.execute(
                    uri: "/fhir/Patient/\(id)", method: .put, headers: jsonHeaders,
                    body: json(#"{"resourceType":"Patient","id":"\#(id)"}"#))
                #expect(r.status == .created)
            }
            for i in 1...7 { try await put("p0\(i)") }
            func page(_ uri: String) async throws -> (ids: [String], next: String?, previous: String?) {
                let b = try #require(BundleResource(try await client.execute(uri: uri, method: .get).resource()))
                func path(_ rel: String) -> String? {
                    b.links.first { $0.relation == rel }.map { String($0.url.dropFirst("http://localhost".count)) }
                }
                return (b.entries.compactMap { $0.resource?.resourceID }, path("next"), path("previous"))
            }
            let first = try await page("/fhir/Patient?_count=3")
            #expect(first.ids == ["p01", "p02", "p03"])
            #expect(first.previous == nil)
            // Meanwhile p02 is deleted and p00 added: an offset would skip p04; the cursor does not.
            let deleted = try await client.execute(uri: "/fhir/Patient/p02", method: .delete)
            #expect(deleted.status == .noContent)
            try await put("p00")
            let second = try await page(try #require(first.next))
            #expect(second.ids == ["p04", "p05", "p06"])
            let back = try await page(try #require(second.previous))
            #expect(back.ids == ["p00", "p01", "p03"])
            let last = try await page(try #require(second.next))
            #expect(last.ids == ["p07"])
            #expect(last.next == nil)
            // Descending order pages the same way.
            let desc = try await page("/fhir/Patient?_sort=-_id&_count=4")
            #expect(desc.ids == ["p07", "p06", "p05", "p04"])
            #expect(try await page(try #require(desc.next)).ids == ["p03", "p01", "p00"])
            let forged = try await client.execute(uri: "/fhir/Patient?_count=3&_after=a.b.c", method: .get)
            #expect(forged.status == .badRequest)
        }
    }

    @Test("schedule read and search by actor")
    func schedule() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get)
            #expect(ScheduleResource(try r.resource())?.actors.first?.reference == "Practitioner/rossi")
            let found = try await client.execute(uri: "/fhir/Schedule?actor=Practitioner/rossi", method: .get)
            #expect(BundleResource(try found.resource())?.total == 1)
            let none = try await client.execute(uri: "/fhir/Schedule?actor=Practitioner/nobody", method: .get)
            #expect(BundleResource(try none.resource())?.total == 0)
        }
    }

    @Test("the CapabilityStatement lists what is routed, in JSON and XML")
    func metadata() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            for format in ["json", "xml"] {
                let r = try await client.execute(uri: "/fhir/metadata?_format=\(format)", method: .get)
                let cs = try #require(CapabilityStatementResource(try r.resource()))
                #expect(cs.fhirVersion == "4.0.1")
                // Valid against the core definition and its invariants (cpb-14 wants implementation for kind instance).
                let issues = GatewayFixture.validator.validate(try r.resource())
                #expect(issues.filter { $0.severity <= .error }.isEmpty, "\(issues)")
                #expect(try r.resource().descendant("implementation", "url")?.value == GatewayFixture.base)
                #expect(Set(cs.formats) == ["application/fhir+json", "application/fhir+xml"])
                #expect(cs.interactions["Appointment"]?.contains("create") == true)
                #expect(
                    Set(cs.interactions["Slot"] ?? [])
                        == [
                            "read", "vread", "search-type", "create", "update", "delete", "history-instance",
                            "history-type",
                        ])
                #expect(Set(cs.interactions["Schedule"] ?? []).isSuperset(of: ["create", "update", "delete", "vread"]))
                #expect(cs.interactions["Appointment"]?.contains("patch") == true)
            }
            let notAcceptable = try await client.execute(
                uri: "/fhir/metadata", method: .get, headers: [.accept: "text/html"])
            #expect(notAcceptable.status == .notAcceptable)
        }
    }
}
