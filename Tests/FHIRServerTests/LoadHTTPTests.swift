import Booking
import BookingTestSupport
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Many concurrent CUP clients on two popular slots over loopback: whatever the interleaving, no slot is
/// over capacity, every 2xx booking exists exactly once, and no hold outlives its expiry.
@Suite("Concurrent $find/$hold/$book clients over HTTP")
struct LoadHTTPTests {
    @Test("24 clients, 6 rounds each, on two slots of one place")
    func contention() async throws {
        let f = try await GatewayFixture()
        let slots = [GatewayFixture.slot("09:00"), GatewayFixture.slot("09:30")]
        @Sendable func parameters(_ appointment: Element) -> ByteBuffer {
            let resource = FHIRJSONWriter(registry: Conformance.registry).string(appointment)
            return json(#"{"resourceType":"Parameters","parameter":[{"name":"appointment","resource":\#(resource)}]}"#)
        }
        let (keys, unexpected) = try await f.app.test(.live) { client in
            try await withThrowingTaskGroup(of: ([String], [String]).self) { group in
                for c in 0..<24 {
                    group.addTask {
                        var booked: [String] = []
                        var unexpected: [String] = []
                        for i in 0..<6 {
                            let key = "c\(c)-\(i)"
                            let slot = slots[(c + i) % 2]
                            let proposal = try FHIRCodec(registry: Conformance.registry).read(
                                Array(
                                    #"{"resourceType":"Appointment","status":"proposed","identifier":[{"system":"urn:cup","value":"\#(key)"}],"slot":[{"reference":"Slot/\#(slot)"}],"participant":[{"actor":{"reference":"Patient/\#(key)"},"status":"accepted"}]}"#
                                        .utf8), format: .json)
                            var toBook = proposal
                            if (c + i) % 3 != 0 {
                                let held = try await client.execute(
                                    uri: "/fhir/Appointment/$hold", method: .post, headers: jsonHeaders,
                                    body: parameters(proposal))
                                if held.status == .conflict { continue }
                                guard held.status == .ok else {
                                    unexpected.append("hold \(key): \(held.status)")
                                    continue
                                }
                                if (c + i) % 5 == 0 { continue }  // abandoned: must expire by itself
                                toBook = try held.resource()
                            }
                            let r = try await client.execute(
                                uri: "/fhir/Appointment/$book", method: .post, headers: jsonHeaders,
                                body: parameters(toBook))
                            switch r.status {
                            case .created: booked.append(key)
                            case .conflict: break
                            default: unexpected.append("book \(key): \(r.status)")
                            }
                        }
                        return (booked, unexpected)
                    }
                }
                return try await group.reduce(into: ([String](), [String]())) {
                    $0.0 += $1.0
                    $0.1 += $1.1
                }
            }
        }
        #expect(unexpected.isEmpty)
        #expect(keys.count <= 2)
        for key in keys {
            let found = try await f.service.store.appointments(
                AppointmentQuery(identifier: BusinessIdentifier(system: "urn:cup", value: key)))
            #expect(found.count == 1, "\(key)")
        }
        let appointments = try await f.service.store.appointments(AppointmentQuery(scheduleIDs: ["dr-rossi"]))
        #expect(appointments.count == keys.count)
        for id in slots {
            let slot = try #require(try await f.service.slot(SlotID(id)!))
            #expect(slot.booked <= slot.capacity)
        }
        // Once the hold time has passed, only bookings keep places.
        f.clock.advance(minutes: 6)
        for id in slots {
            let slot = try #require(try await f.service.slot(SlotID(id)!))
            let kept = appointments.filter { $0.slotIDs.contains(SlotID(id)!) }.count
            #expect(slot.booked == kept, "\(id)")
        }
    }
}
