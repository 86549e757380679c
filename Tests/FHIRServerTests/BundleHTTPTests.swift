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
            // Updates of appointments stay out of transactions (400, nothing done).
            let update =
                #"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Appointment","id":"x","status":"cancelled"},"request":{"method":"PUT","url":"Appointment/x"}}]}"#
            let refused = try await client.execute(
                uri: "/fhir", method: .post, headers: jsonHeaders, body: json(update))
            #expect(refused.status == .badRequest)
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
