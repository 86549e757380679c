import FHIRModel
import FHIRServer
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `$validate` and the validation of written resources over HTTP.
@Suite("$validate and write validation over HTTP")
struct ValidateHTTPTests {
    static let badAppointment = """
        {
          "resourceType": "Appointment",
          "status": "done",
          "participant": [
            {"actor": {"reference": "Patient/1"}, "status": "accepted"},
            {"actor": {"reference": "Observation/1"}, "status": "accepted"}
          ]
        }
        """

    static func outcome(_ r: TestResponse) throws -> [OperationOutcomeResource.Issue] {
        try #require(OperationOutcomeResource(try r.resource())).issues
    }

    @Test("type level: a valid resource gives no error; an invalid one each issue at its place, with 200")
    func typeLevel() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let ok = try await client.execute(
                uri: "/fhir/Patient/$validate", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient","name":[{"family":"Rossi"}],"gender":"female"}"#))
            #expect(ok.status == .ok)
            #expect(try Self.outcome(ok).allSatisfy { $0.severity != "error" })
            let bad = try await client.execute(
                uri: "/fhir/Appointment/$validate", method: .post, headers: jsonHeaders, body: json(Self.badAppointment)
            )
            #expect(bad.status == .ok)
            let errors = try Self.outcome(bad).filter { $0.severity == "error" }
            #expect(
                Set(errors.flatMap(\.expression)).isSuperset(of: [
                    "Appointment.status", "Appointment.participant[1].actor",
                ]))
            #expect(errors.contains { $0.detailsCoding.contains { $0.code == "app-3" } })
            let status = try #require(errors.first { $0.expression == ["Appointment.status"] })
            #expect(status.location == ["line 3, column 3"])
            // XML in, XML out.
            let xml = """
                <Patient xmlns="http://hl7.org/fhir"><gender value="sometimes"/></Patient>
                """
            let x = try await client.execute(
                uri: "/fhir/Patient/$validate", method: .post, headers: xmlHeaders, body: ByteBuffer(string: xml))
            #expect(x.status == .ok)
            #expect(x.text.contains("<OperationOutcome"))
            #expect(try Self.outcome(x).contains { $0.severity == "error" && $0.expression == ["Patient.gender"] })
            // A type the gateway does not serve is validated too.
            let observation = try await client.execute(
                uri: "/fhir/Observation/$validate", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Observation","status":"final"}"#))
            #expect(observation.status == .ok)
            #expect(
                try Self.outcome(observation).contains {
                    $0.severity == "error" && $0.detailsText?.contains("Observation.code") == true
                })
            // Syntax errors are issues too; a body that is not even JSON is a 200 with a structure error.
            let broken = try await client.execute(
                uri: "/fhir/Patient/$validate", method: .post, headers: jsonHeaders, body: json("{\"resourceType\":"))
            #expect(broken.status == .ok)
            #expect(try Self.outcome(broken).contains { $0.severity == "error" })
            let notAType = try await client.execute(
                uri: "/fhir/Nonsense/$validate", method: .post, headers: jsonHeaders, body: json("{}"))
            #expect(notAType.status == .notFound)
        }
    }

    @Test("Parameters with mode and profile; instance level; mode delete")
    func modes() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Patient/p1", method: .put, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient","id":"p1"}"#))
            #expect(created.status == .created)
            let wrongID =
                #"{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","id":"p2"}},{"name":"mode","valueCode":"update"}]}"#
            let update = try await client.execute(
                uri: "/fhir/Patient/p1/$validate", method: .post, headers: jsonHeaders, body: json(wrongID))
            #expect(try Self.outcome(update).contains { $0.severity == "error" && $0.expression == ["Patient.id"] })
            let unknownProfile =
                #"{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient"}},{"name":"profile","valueUri":"http://example.org/nope"}]}"#
            let profile = try await client.execute(
                uri: "/fhir/Patient/$validate", method: .post, headers: jsonHeaders, body: json(unknownProfile))
            #expect(try Self.outcome(profile).contains { $0.severity == "error" })
            let stored = try await client.execute(uri: "/fhir/Patient/p1/$validate", method: .get)
            #expect(try Self.outcome(stored).allSatisfy { $0.severity != "error" })
            let deletable = try await client.execute(
                uri: "/fhir/Patient/p1/$validate?mode=delete", method: .post, headers: jsonHeaders)
            #expect(try Self.outcome(deletable).allSatisfy { $0.severity != "error" })
            let missing = try await client.execute(
                uri: "/fhir/Patient/nobody/$validate?mode=delete", method: .post, headers: jsonHeaders)
            #expect(try Self.outcome(missing).contains { $0.code == "not-found" })
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(GatewayFixture.appointmentJSON(slot: GatewayFixture.slot("09:00"))))
            let id = try #require(try booked.resource().resourceID)
            // What the gateway serves conforms: the stored Appointment, and a Slot and Schedule it computes.
            for path in ["Appointment/\(id)", "Slot/\(GatewayFixture.slot("09:30"))", "Schedule/dr-rossi"] {
                let served = try await client.execute(uri: "/fhir/\(path)/$validate", method: .get)
                #expect(try Self.outcome(served).allSatisfy { $0.severity != "error" }, "\(path): \(served.text)")
            }
            let appointment = try await client.execute(
                uri: "/fhir/Appointment/\(id)/$validate?mode=delete", method: .post, headers: jsonHeaders)
            #expect(try Self.outcome(appointment).contains { $0.code == "business-rule" })
            let badMode = try await client.execute(
                uri: "/fhir/Patient/$validate?mode=later", method: .post, headers: jsonHeaders,
                body: json(#"{"resourceType":"Patient"}"#))
            #expect(badMode.status == .badRequest)
        }
    }

    @Test("writes: reject refuses a resource with an error (422) and stores nothing; warn lets it through")
    func writePolicy() async throws {
        let body = #"{"resourceType":"Patient","id":"p9","gender":"sometimes"}"#
        let strict = try await GatewayFixture()
        try await strict.app.test(.live) { client in
            let refused = try await client.execute(
                uri: "/fhir/Patient/p9", method: .put, headers: jsonHeaders, body: json(body))
            #expect(refused.status == .unprocessableContent)
            #expect(try Self.outcome(refused).contains { $0.expression == ["Patient.gender"] })
            #expect(try await client.execute(uri: "/fhir/Patient/p9", method: .get).status == .notFound)
            let transaction =
                #"{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:7f8a1c2e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","name":[{"family":"Ok"}]},"request":{"method":"POST","url":"Patient"}},{"resource":\#(body),"request":{"method":"PUT","url":"Patient/p9"}}]}"#
            let t = try await client.execute(uri: "/fhir", method: .post, headers: jsonHeaders, body: json(transaction))
            #expect(t.status == .unprocessableContent)
            let all = try await client.execute(uri: "/fhir/Patient", method: .get)
            #expect(BundleResource(try all.resource())?.total == 0)
            let invalidBooking = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(
                    #"{"resourceType":"Appointment","status":"booked","priority":-1,"slot":[{"reference":"Slot/\#(GatewayFixture.slot("09:00"))"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}"#
                ))
            #expect(invalidBooking.status == .badRequest || invalidBooking.status == .unprocessableContent)
            let slot = try await client.execute(uri: "/fhir/Slot/\(GatewayFixture.slot("09:00"))", method: .get)
            #expect(SlotResource(try slot.resource())?.status == .free)
        }
        let lenient = try await GatewayFixture(validation: .warn)
        try await lenient.app.test(.live) { client in
            var headers = jsonHeaders
            headers[.init("Prefer")!] = "return=OperationOutcome"
            let stored = try await client.execute(
                uri: "/fhir/Patient/p9", method: .put, headers: headers, body: json(body))
            #expect(stored.status == .created)
            // Under warn, the findings come back with the outcome the client asked for.
            #expect(try Self.outcome(stored).contains { $0.severity == "error" && $0.expression == ["Patient.gender"] })
        }
    }
}
