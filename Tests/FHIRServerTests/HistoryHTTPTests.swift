import BookingTestSupport
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Type history of Appointment and system history over HTTP.
@Suite("Type and system history over HTTP")
struct HistoryHTTPTests {
    @Test("newest first, across appointments and stored documents; _since and _count")
    func history() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let patient = try await client.execute(
                uri: "/fhir/Patient/p1", method: .put, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient","id":"p1","name":[{"family":"Rossini"}]}"#))
            #expect(patient.status == .created)
            f.clock.advance(minutes: 1)
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            var appointment = try booked.resource()
            let id = try #require(appointment.resourceID)
            f.clock.advance(minutes: 1)
            appointment.setPrimitive("status", type: "code", "cancelled")
            let cancelled = try await client.execute(
                uri: "/fhir/Appointment/\(id)", method: .put, headers: jsonHeaders,
                body: json(FHIRJSONWriter(registry: Conformance.registry).string(appointment)))
            #expect(cancelled.status == .ok)

            func entries(_ uri: String) async throws -> [String] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .ok, "\(uri)")
                let bundle = try #require(BundleResource(try r.resource()))
                #expect(bundle.type == "history")
                return bundle.entries.map { "\($0.request?.method ?? "") \($0.resource?.type ?? "")" }
            }
            #expect(try await entries("/fhir/Appointment/_history") == ["PUT Appointment", "POST Appointment"])
            #expect(try await entries("/fhir/_history") == ["PUT Appointment", "POST Appointment", "POST Patient"])
            #expect(try await entries("/fhir/_history?_since=2026-06-01T06:01:30Z") == ["PUT Appointment"])
            #expect(try await entries("/fhir/_history?_count=1") == ["PUT Appointment"])
            let xml = try await client.execute(uri: "/fhir/_history?_format=xml", method: .get)
            #expect(xml.text.contains("<type value=\"history\"/>"))
            let bad = try await client.execute(uri: "/fhir/_history?_since=yesterday", method: .get)
            #expect(bad.status == .badRequest)
            let unknown = try await client.execute(uri: "/fhir/Appointment/_history?status=booked", method: .get)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test("history pages by next links that neither repeat nor skip versions while new ones are written")
    func paging() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            // Five patients written in the same second (equal timestamps exercise the cursor's tie-break).
            for i in 1...5 {
                let r = try await client.execute(
                    uri: "/fhir/Patient/p\(i)", method: .put, headers: jsonHeaders,
                    body: json(#"{"resourceType":"Patient","id":"p\#(i)","name":[{"family":"N\#(i)"}]}"#))
                #expect(r.status == .created)
            }
            func page(_ uri: String) async throws -> (ids: [String], next: String?) {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .ok, "\(uri): \(r.text)")
                let b = try #require(BundleResource(try r.resource()))
                let next = b.links.first { $0.relation == "next" }?.url
                return (b.entries.compactMap { $0.resource?.resourceID }, next)
            }
            for base in ["/fhir/_history", "/fhir/Patient/_history"] {
                var seen: [String] = []
                var uri: String? = "\(base)?_count=2"
                var pages = 0
                while let u = uri, pages < 10 {
                    let (ids, next) = try await page(u.replacingOccurrences(of: GatewayFixture.base, with: "/fhir"))
                    seen += ids
                    uri = next
                    pages += 1
                    if pages == 1 {
                        // A write between pages comes before the first page; the next pages do not shift.
                        f.clock.advance(minutes: 1)
                        _ = try await client.execute(
                            uri: "/fhir/Patient/p9", method: .put, headers: jsonHeaders,
                            body: json(#"{"resourceType":"Patient","id":"p9","name":[{"family":"Nove"}]}"#))
                    }
                }
                // The second walk starts after the first walk's p9 was written: it is the newest then.
                let expected =
                    base == "/fhir/_history" ? ["p5", "p4", "p3", "p2", "p1"] : ["p9", "p5", "p4", "p3", "p2", "p1"]
                #expect(seen == expected, "\(base)")
                #expect(pages == 3, "\(base)")
            }
        }
    }
}
