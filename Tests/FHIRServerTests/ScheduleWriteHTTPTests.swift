import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Writing availability through FHIR: a Schedule PUT with rule and exception extensions.
@Suite("Schedule availability over HTTP")
struct ScheduleWriteHTTPTests {
    @Test(
        "shortening a rule and adding a closure flag the appointments they leave out; the Schedule reads back the same")
    func rewriteAvailability() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let late = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("12:00"))))
            let lateID = try #require(try late.resource().resourceID)
            var schedule = try await client.execute(uri: "/fhir/Schedule/dr-rossi", method: .get).resource()
            // Unchanged round trip first.
            let same = FHIRJSONWriter(registry: Conformance.registry).string(schedule)
            let unchanged = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: json(same))
            #expect(unchanged.status == .ok)
            #expect(
                try unchanged.resource().extensions(url: ProjectExtension.availabilityRule)
                    == schedule.extensions(url: ProjectExtension.availabilityRule))
            // 09:00-13:00 becomes 09:00-11:00, and 2026-06-03 closes.
            let i = try #require(schedule.children.firstIndex { $0.string("url") == ProjectExtension.availabilityRule })
            let j = try #require(schedule.children[i].children.firstIndex { $0.string("url") == "opening" })
            schedule.children[i].children[j].children[1].value = "09:00-11:00"
            schedule.children.append(
                AvailabilityMapping.extensionElement(
                    oneDayClosure(id: "chiuso", day: "2026-06-03")))
            let body = FHIRJSONWriter(registry: Conformance.registry).string(schedule)
            let r = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: json(body))
            #expect(r.status == .ok, "\(r.text)")
            let flagged = try await client.execute(uri: "/fhir/Appointment/\(lateID)", method: .get).resource()
            #expect(!flagged.extensions(url: ProjectExtension.needsReschedule).isEmpty)
            let closed = try await client.execute(
                uri: "/fhir/Slot/\(rossiSlot("2026-06-03T09:00:00+02:00"))", method: .get)
            #expect(SlotResource(try closed.resource())?.status == .busyUnavailable)
            let gone = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("11:30"))", method: .get)
            #expect(gone.status == .notFound)
            let bad = body.replacingOccurrences(of: "09:00-11:00", with: "9 to 11")
            let refused = try await client.execute(
                uri: "/fhir/Schedule/dr-rossi", method: .put, headers: jsonHeaders, body: json(bad))
            #expect(refused.status == .unprocessableContent)
        }
    }
}
