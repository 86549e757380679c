import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What the server answers is itself valid FHIR R4: every kind of response body passes the validator (core
/// definitions and invariants) with no error.
@Suite("Responses are valid FHIR")
struct ResponseConformanceTests {
    @Test("reads, searches, histories, Bundle responses, operation results and errors validate with no error")
    func responsesValidate() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let booked = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: ByteBuffer(
                    string: AppointmentWrittenFormHTTPTests.reasoned.replacingOccurrences(
                        of: "SLOT", with: GatewayFixture.slot("09:00"))))
            #expect(booked.status == .created)
            let id = try #require(try booked.resource().resourceID)
            let transaction = #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:44444444-4444-4444-8444-444444444444",
                   "resource":{"resourceType":"Patient","name":[{"family":"Cinque"}]},"request":{"method":"POST","url":"Patient"}},
                  {"resource":{"resourceType":"Appointment","status":"booked","slot":[{"reference":"Slot/\#(GatewayFixture.slot("10:00"))"}],
                     "participant":[{"actor":{"reference":"urn:uuid:44444444-4444-4444-8444-444444444444"},"status":"accepted"}]},
                   "request":{"method":"POST","url":"Appointment"}}]}
                """#
            var responses: [(String, TestResponse)] = [
                ("create", booked),
                (
                    "transaction",
                    try await client.execute(
                        uri: "/fhir", method: .post, headers: jsonHeaders, body: ByteBuffer(string: transaction))
                ),
            ]
            for uri in [
                "/fhir/metadata", "/fhir/Appointment/\(id)", "/fhir/Appointment/\(id)/_history",
                "/fhir/Appointment?patient=Patient/p1&_include=Appointment:slot",
                "/fhir/Slot/\(GatewayFixture.slot("11:00"))",
                "/fhir/Slot?schedule=dr-rossi&start=ge2026-06-02&start=lt2026-06-03&_count=3",
                "/fhir/Schedule/dr-rossi", "/fhir/Schedule?_revinclude=Appointment:actor", "/fhir/_history",
                "/fhir/Appointment/$find?start=2026-06-02T00:00:00Z&end=2026-06-03T00:00:00Z&_count=2",
                "/fhir/OperationDefinition/Appointment-find", "/fhir/Appointment/nope", "/fhir/Slot?colour=blue",
                "/fhir/Patient?_summary=count",
            ] {
                responses.append((uri, try await client.execute(uri: uri, method: .get)))
            }
            for (what, r) in responses {
                let body = try r.resource()
                let issues = GatewayFixture.validator.validate(body).filter { $0.severity <= .error }
                #expect(issues.isEmpty, "\(what) (\(body.type)): \(issues)")
            }
        }
    }
}
