import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// AppointmentResponse over HTTP: stored as a versioned resource, and each answer recorded on its Appointment.
@Suite("AppointmentResponse over HTTP")
struct AppointmentResponseHTTPTests {
    /// A pending appointment on Dr Rossi's 09:00 slot whose patient and practitioner must still answer.
    static func pendingAppointment(slot: String) -> String {
        #"{"resourceType":"Appointment","status":"pending","slot":[{"reference":"Slot/\#(slot)"}],"participant":[{"actor":{"reference":"Patient/p1"},"status":"needs-action"},{"actor":{"reference":"Practitioner/rossi"},"status":"needs-action"}]}"#
    }

    static func response(_ appointment: String, actor: String, status: String) -> String {
        #"{"resourceType":"AppointmentResponse","appointment":{"reference":"Appointment/\#(appointment)"},"actor":{"reference":"\#(actor)"},"participantStatus":"\#(status)"}"#
    }

    @Test("answers are recorded on the Appointment; when every required participant accepted it is booked")
    func acceptanceBooks() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(Self.pendingAppointment(slot: GatewayFixture.slot("09:00"))))
            #expect(created.status == .created)
            let id = try #require(try created.resource().resourceID)
            let patient = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders,
                body: json(Self.response(id, actor: "Patient/p1", status: "accepted")))
            #expect(patient.status == .created)
            #expect(patient.headers[.eTag] == "W/\"1\"")
            var appointment = try #require(
                AppointmentResource(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()))
            #expect(appointment.status == .pending)
            #expect(appointment.participants.map { $0.status?.rawValue } == ["accepted", "needs-action"])
            // The practitioner answers in XML.
            let xml = """
                <AppointmentResponse xmlns="http://hl7.org/fhir"><appointment><reference value="Appointment/\(id)"/></appointment>\
                <actor><reference value="Practitioner/rossi"/></actor><participantStatus value="accepted"/></AppointmentResponse>
                """
            let practitioner = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: xmlHeaders, body: ByteBuffer(string: xml))
            #expect(practitioner.status == .created)
            #expect(practitioner.text.contains("<participantStatus value=\"accepted\"/>"))
            appointment = try #require(
                AppointmentResource(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()))
            #expect(appointment.status == .booked)
            // Read back and search.
            let responseID = try #require(try patient.resource().resourceID)
            let read = try await client.execute(uri: "/fhir/AppointmentResponse/\(responseID)", method: .get)
            #expect(read.status == .ok)
            #expect(try read.resource().string("participantStatus") == "accepted")
            for (query, count) in [
                ("appointment=Appointment/\(id)", 2), ("appointment=\(id)", 2), ("appointment=Appointment/none", 0),
                ("actor=Practitioner/rossi", 1), ("actor=Practitioner/bianchi", 0), ("patient=p1", 1),
                ("patient=Patient/p2", 0), ("practitioner=rossi", 1), ("location=Location/room-1", 0),
                ("part-status=accepted", 2), ("part-status=declined", 0), ("part-status:not=accepted", 0),
                ("_id=\(responseID)", 1), ("_id=nope", 0), ("actor:Patient=p1", 1),
            ] {
                let r = try await client.execute(uri: "/fhir/AppointmentResponse?\(query)", method: .get)
                #expect(BundleResource(try r.resource())?.total == count, "\(query)")
            }
        }
    }

    @Test("a decline is recorded on the participant and leaves the appointment's status to the requester")
    func decline() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(Self.pendingAppointment(slot: GatewayFixture.slot("09:30"))))
            let id = try #require(try created.resource().resourceID)
            let declined = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders,
                body: json(Self.response(id, actor: "Practitioner/rossi", status: "declined")))
            #expect(declined.status == .created)
            let appointment = try #require(
                AppointmentResource(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()))
            #expect(appointment.status == .pending)
            #expect(appointment.participants.last?.status?.rawValue == "declined")
            // Changing the answer is an update of the response: version 2, the appointment follows.
            var response = try declined.resource()
            response.setPrimitive("participantStatus", type: "code", "accepted")
            let body = FHIRJSONWriter(registry: Conformance.registry).string(response)
            let updated = try await client.execute(
                uri: "/fhir/AppointmentResponse/\(response.resourceID!)", method: .put, headers: jsonHeaders,
                body: json(body))
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "W/\"2\"")
            let after = try #require(
                AppointmentResource(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()))
            #expect(after.participants.last?.status?.rawValue == "accepted")
        }
    }

    @Test("answers the domain refuses are not stored: unknown appointment, non-participant, bad status, no actor")
    func refused() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            let created = try await client.execute(
                uri: "/fhir/Appointment", method: .post, headers: jsonHeaders,
                body: json(Self.pendingAppointment(slot: GatewayFixture.slot("10:00"))))
            let id = try #require(try created.resource().resourceID)
            let cases: [(String, HTTPResponse.Status, String)] = [
                (
                    Self.response("missing", actor: "Patient/p1", status: "accepted"), .unprocessableContent,
                    "AppointmentResponse.appointment"
                ),
                (
                    Self.response(id, actor: "Patient/p2", status: "accepted"), .unprocessableContent,
                    "AppointmentResponse.actor"
                ),
                (
                    Self.response(id, actor: "Patient/p1", status: "maybe"), .unprocessableContent,
                    "AppointmentResponse.participantStatus"
                ),
                (
                    #"{"resourceType":"AppointmentResponse","appointment":{"reference":"Appointment/\#(id)"},"participantType":[{"text":"patient"}],"participantStatus":"accepted"}"#,
                    .unprocessableContent, "AppointmentResponse.actor"
                ),
            ]
            for (body, status, expression) in cases {
                let r = try await client.execute(
                    uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders, body: json(body))
                #expect(r.status == status, "\(body)")
                let outcome = try #require(OperationOutcomeResource(try r.resource()))
                #expect(outcome.issues.first?.expression == [expression])
            }
            let all = try await client.execute(uri: "/fhir/AppointmentResponse", method: .get)
            #expect(BundleResource(try all.resource())?.total == 0)
            let appointment = try #require(
                AppointmentResource(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .get).resource()))
            #expect(appointment.participants.map { $0.status?.rawValue } == ["needs-action", "needs-action"])

            // A deleted appointment takes no answers, not even one that repeats a participant's status.
            #expect(try await client.execute(uri: "/fhir/Appointment/\(id)", method: .delete).status == .noContent)
            let late = try await client.execute(
                uri: "/fhir/AppointmentResponse", method: .post, headers: jsonHeaders,
                body: json(Self.response(id, actor: "Patient/p1", status: "needs-action")))
            #expect(late.status == .unprocessableContent, "\(late.text)")
            let after = try await client.execute(uri: "/fhir/AppointmentResponse", method: .get)
            #expect(BundleResource(try after.resource())?.total == 0)
        }
    }
}
