import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Batch and transaction Bundles over HTTP.
@Suite("Batch and transaction over HTTP")
struct BundleHTTPTests {
    static let transaction = #"""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111",
           "resource":{"resourceType":"PractitionerRole","practitioner":{"reference":"urn:uuid:22222222-2222-4222-8222-222222222222"}},
           "request":{"method":"POST","url":"PractitionerRole"}},
          {"fullUrl":"urn:uuid:22222222-2222-4222-8222-222222222222",
           "resource":{"resourceType":"Practitioner","name":[{"family":"Gialli"}]},
           "request":{"method":"POST","url":"Practitioner"}},
          {"resource":{"resourceType":"Location","id":"sala-2","status":"active","name":"Sala 2"},
           "request":{"method":"PUT","url":"Location/sala-2"}}
        ]}
        """#

    @Test("a transaction resolves urn:uuid references and answers each entry with status, location and etag")
    func transactionWrites() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(
                uri: "/fhir", method: .post, headers: jsonHeaders, body: json(Self.transaction))
            #expect(r.status == .ok, "\(r.text)")
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.type == "transaction-response")
            #expect(bundle.entries.map { $0.response?.status } == ["201 Created", "201 Created", "201 Created"])
            let practitionerLocation = try #require(bundle.entries[1].response?.location)
            let practitionerRef = practitionerLocation.components(separatedBy: "/_history").first!
            let role = try #require(bundle.entries[0].resource)
            #expect(role.descendant("practitioner", "reference")?.value == practitionerRef)
            let read = try await client.execute(uri: "/fhir/\(practitionerRef)", method: .get)
            #expect(read.status == .ok)
            #expect(bundle.entries.allSatisfy { $0.response?.etag == "W/\"1\"" })
        }
    }

    @Test("a transaction failing halfway leaves nothing behind")
    func transactionAllOrNothing() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            _ = try await client.execute(
                uri: "/fhir/Location/sala-3", method: .put, headers: jsonHeaders,
                body: json(#"{"resourceType":"Location","id":"sala-3","status":"active","name":"Sala 3"}"#))
            let failing = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Patient","name":[{"family":"Uno"}]},"request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Location","id":"sala-3","status":"inactive","name":"Sala 3"},
                   "request":{"method":"PUT","url":"Location/sala-3","ifMatch":"W/\"9\""}}
                ]}
                """#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(failing))
            #expect(r.status == .preconditionFailed)
            #expect(OperationOutcomeResource(try r.resource()) != nil)
            let patients = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(patients.total == 0)
            let location = try await client.execute(uri: "/fhir/Location/sala-3", method: .get)
            #expect(try location.resource().string("status") == "active")
            #expect(try location.resource().descendant("meta", "versionId")?.value == "1")
        }
    }

    @Test("a transaction creates a Patient and books an Appointment for it in one store transaction")
    func transactionBooks() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("09:00")
        try await f.app.test(.live) { client in
            let tx = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:33333333-3333-4333-8333-333333333333",
                   "resource":{"resourceType":"Patient","name":[{"family":"Tre"}]},"request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Appointment","status":"booked","reasonCode":[{"text":"controllo"}],
                     "slot":[{"reference":"Slot/\#(slot)"}],
                     "participant":[{"actor":{"reference":"urn:uuid:33333333-3333-4333-8333-333333333333"},"status":"accepted"}]},
                   "request":{"method":"POST","url":"Appointment"}}
                ]}
                """#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(tx))
            #expect(r.status == .ok, "\(r.text)")
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.entries.map { $0.response?.status } == ["201 Created", "201 Created"])
            let patient = try #require(bundle.entries[0].response?.location?.components(separatedBy: "/_history").first)
            let appointment = try #require(
                bundle.entries[1].response?.location?.components(separatedBy: "/_history").first)
            let read = try await client.execute(uri: "/fhir/\(appointment)", method: .get).resource()
            #expect(read.descendant("participant", "actor", "reference")?.value == patient)
            #expect(read.descendant("reasonCode", "text")?.value == "controllo")
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "busy")
        }
    }

    @Test("a transaction whose booking fails leaves nothing behind: no patient, no appointment, the slot free")
    func transactionBookingFails() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("10:00")
        let appointment = GatewayFixture.appointmentJSON(slot: slot)
        try await f.app.test(.live) { client in
            let tx = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Patient","name":[{"family":"Quattro"}]},"request":{"method":"POST","url":"Patient"}},
                  {"resource":\#(appointment),"request":{"method":"POST","url":"Appointment"}},
                  {"resource":\#(appointment.replacingOccurrences(of: "p1", with: "p2")),"request":{"method":"POST","url":"Appointment"}}
                ]}
                """#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(tx))
            #expect(r.status == .conflict, "\(r.text)")
            #expect(OperationOutcomeResource(try r.resource()) != nil)
            let patients = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Patient", method: .get).resource()))
            #expect(patients.total == 0)
            let appointments = try #require(
                BundleResource(try await client.execute(uri: "/fhir/Appointment", method: .get).resource()))
            #expect(appointments.total == 0)
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "free")
            // A conditional write of appointments stays out of transactions (400, nothing done).
            let update =
                #"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Appointment","status":"cancelled"},"request":{"method":"PUT","url":"Appointment?identifier=urn:x%7C1"}}]}"#
            let refused = try await client.execute(
                uri: "/fhir", method: .post, headers: jsonHeaders, body: json(update))
            #expect(refused.status == .badRequest)
        }
    }

    @Test("a transaction deletes one appointment and books its slot for another; a failing one changes nothing")
    func transactionChangesAppointments() async throws {
        let f = try await GatewayFixture()
        let slot = GatewayFixture.slot("11:00")
        try await f.app.test(.live) { client in
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: slot)))
            let id = try #require(try booked.resource().resourceID)
            let other = GatewayFixture.appointmentJSON(slot: slot, patient: "p2")
            // Delete and book the freed place in one transaction (DELETE is processed before POST).
            let swap = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":\#(other),"request":{"method":"POST","url":"Appointment"}},
                  {"request":{"method":"DELETE","url":"Appointment/\#(id)"}}
                ]}
                """#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(swap))
            #expect(r.status == .ok, "\(r.text)")
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.entries.map { $0.response?.status } == ["201 Created", "204 No Content"])
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).status == .gone)
            let newID = try #require(
                bundle.entries[0].response?.location?.split(separator: "/").dropFirst().first.map(String.init))

            // Cancel it and book a full slot in one transaction: the booking fails, so the cancellation does too.
            var cancelled = try await client.execute(uri: "/fhir/Appointment/\(newID)", method: .get).resource()
            cancelled.setPrimitive("status", type: "code", "cancelled")
            let cancelledJSON = FHIRJSONWriter(registry: Conformance.registry).string(cancelled)
            let third = GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("12:00"), patient: "p3")
            _ = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders, body: json(third))
            let failing = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":\#(cancelledJSON),"request":{"method":"PUT","url":"Appointment/\#(newID)"}},
                  {"resource":\#(third.replacingOccurrences(of: "p3", with: "p4")),"request":{"method":"POST","url":"Appointment"}}
                ]}
                """#
            let refused = try await client.execute(
                uri: "/fhir", method: .post, headers: jsonHeaders, body: json(failing))
            #expect(refused.status == .conflict, "\(refused.text)")
            let still = try await client.execute(uri: "/fhir/Appointment/\(newID)", method: .get).resource()
            #expect(still.string("status") == "booked")
            #expect(still.descendant("meta", "versionId")?.value == "1")
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "busy")

            // The same cancellation alone commits, in one version.
            let alone =
                #"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":\#(cancelledJSON),"request":{"method":"PUT","url":"Appointment/\#(newID)"}}]}"#
            let ok = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(alone))
            #expect(ok.status == .ok, "\(ok.text)")
            let after = try await client.execute(uri: "/fhir/Appointment/\(newID)", method: .get).resource()
            #expect(after.string("status") == "cancelled")
            #expect(after.descendant("meta", "versionId")?.value == "2")
            #expect(
                try await client.execute(uri: "/fhir/Slot/\(slot)", method: .get).resource().string("status") == "free")
        }
    }

    @Test("a batch books appointments and answers per entry")
    func batchAndAppointments() async throws {
        let f = try await GatewayFixture()
        let appointment = GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))
        try await f.app.test(.live) { client in
            let batch = #"""
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"resource":\#(appointment),"request":{"method":"POST","url":"Appointment"}},
                  {"resource":\#(appointment.replacingOccurrences(of: "p1", with: "p2")),"request":{"method":"POST","url":"Appointment"}},
                  {"request":{"method":"GET","url":"Patient/missing"}},
                  {"resource":{"resourceType":"Patient","name":[{"family":"Due"}]},"request":{"method":"POST","url":"Patient"}}
                ]}
                """#
            let r = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(batch))
            let bundle = try #require(BundleResource(try r.resource()))
            #expect(bundle.type == "batch-response")
            #expect(
                bundle.entries.map { $0.response?.status } == [
                    "201 Created", "409 Conflict", "404 Not Found", "201 Created",
                ])
            #expect(bundle.entries[1].response?.outcome?.type == "OperationOutcome")
        }
    }

    @Test("a Bundle that is not a batch or transaction is a 400")
    func notABatch() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let r = try await client.execute(
                uri: "/fhir", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Bundle","type":"collection"}"#))
            #expect(r.status == .badRequest)
        }
    }
}
