import FHIRModel
import FHIRServer
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// SMART Scheduling Links `$bulk-publish` over HTTP.
@Suite("$bulk-publish over HTTP")
struct BulkPublishHTTPTests {
    static func lines(_ r: TestResponse) throws -> [Element] {
        let codec = FHIRCodec(registry: Conformance.registry)
        return try r.text.split(separator: "\n").map { try codec.read(Array($0.utf8), format: .json) }
    }

    @Test("the manifest names Schedule, Slot and Location files; each line is one resource")
    func publish() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let location = try await client.execute(
                uri: "/fhir/Location/room-1", method: .put, headers: jsonHeaders,
                body: json(#"{"resourceType":"Location","id":"room-1","name":"Room 1"}"#))
            #expect(location.status == .created)
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            #expect(booked.status == .created)

            let manifest = try await client.execute(uri: "/fhir/$bulk-publish", method: .get)
            #expect(manifest.status == .ok)
            #expect(manifest.headers[.contentType] == "application/json")
            _ = try JSONParser().parse(Array(manifest.text.utf8))
            for type in ["Schedule", "Slot", "Location"] {
                #expect(
                    manifest.text.contains(
                        #"{"type":"\#(type)","url":"\#(GatewayFixture.base)/$bulk-publish/\#(type).ndjson"}"#))
            }
            #expect(manifest.text.contains("\"transactionTime\""))
            #expect(manifest.text.contains("\(GatewayFixture.base)/$bulk-publish/Slot.ndjson"))

            let schedules = try Self.lines(
                try await client.execute(uri: "/fhir/$bulk-publish/Schedule.ndjson", method: .get))
            #expect(Set(schedules.compactMap(\.resourceID)) == ["dr-rossi", "verdi"])
            let slotResponse = try await client.execute(uri: "/fhir/$bulk-publish/Slot.ndjson", method: .get)
            #expect(slotResponse.headers[.contentType] == "application/fhir+ndjson")
            let slots = try Self.lines(slotResponse)
            // 20 weekdays x 8 half-hour slots in the 28 days from Monday 2026-06-01 08:00.
            #expect(slots.count == 160)
            #expect(slots.allSatisfy { $0.type == "Slot" })
            let taken = try #require(slots.first { $0.resourceID == GatewayFixture.slot("09:00") })
            #expect(taken.string("status") == "busy")
            let capacity = taken.extensions(url: BulkPublishInteraction.smartSlotCapacityURL).first?.string("value")
            #expect(capacity == "0")
            #expect(slots[0].string("status") == "free")
            #expect(slots[0].extensions(url: BulkPublishInteraction.smartSlotCapacityURL).first?.string("value") == "1")

            let locations = try Self.lines(
                try await client.execute(uri: "/fhir/$bulk-publish/Location.ndjson", method: .get))
            #expect(locations.compactMap(\.resourceID) == ["room-1"])
            let later = try Self.lines(
                try await client.execute(
                    uri: "/fhir/$bulk-publish/Location.ndjson?_since=2099-01-01T00:00:00Z", method: .get))
            #expect(later.isEmpty)
            let bad = try await client.execute(uri: "/fhir/$bulk-publish?_since=yesterday", method: .get)
            #expect(bad.status == .badRequest)
            let unknown = try await client.execute(uri: "/fhir/$bulk-publish/Patient.ndjson", method: .get)
            #expect(unknown.status == .notFound)

            let definition = try await client.execute(uri: "/fhir/OperationDefinition/bulk-publish", method: .get)
            #expect(try definition.resource().string("system") == "true")
        }
    }
}
