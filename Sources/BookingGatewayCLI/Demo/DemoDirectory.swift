import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import FHIRServer
import Foundation

/// The demo clinic's directory resources (Practitioner, Location, Device, HealthcareService and two patients),
/// stored as FHIR documents with the ids of their bookable resources.
enum DemoDirectory {
    static func load(_ clinic: DemoClinic, into documents: any DocumentStore, codec: FHIRCodec) async throws {
        var writes: [DocumentWrite] = []
        let now = Date()
        func add(_ type: String, _ id: String, _ json: String) throws {
            let element = try codec.read(Array(json.utf8), format: .json)
            var stamped = element
            stamped.updateChild("meta", type: "Meta") {
                $0.setPrimitive("versionId", type: "id", "1")
                $0.setPrimitive("lastUpdated", type: "instant", AppointmentMapping.instantText(now))
            }
            writes.append(
                DocumentWrite(
                    type: type, id: id,
                    kind: .put(
                        body: codec.write(stamped, format: .json), index: DirectoryIndex.entries(stamped),
                        expectedVersion: nil, mustNotExist: true),
                    at: now))
        }
        for r in clinic.resources {
            let identifiers = r.identifiers.map { #"{"system":"\#($0.system)","value":"\#($0.value)"}"# }.joined(
                separator: ",")
            let ids = identifiers.isEmpty ? "" : #","identifier":[\#(identifiers)]"#
            switch r.kind {
            case .practitioner:
                try add(
                    "Practitioner", r.id,
                    #"{"resourceType":"Practitioner","id":"\#(r.id)"\#(ids),"active":true,"name":[{"text":"\#(r.name)"}]}"#
                )
            case .location:
                try add(
                    "Location", r.id,
                    #"{"resourceType":"Location","id":"\#(r.id)"\#(ids),"status":"active","name":"\#(r.name)"}"#)
            case .device:
                try add(
                    "Device", r.id,
                    #"{"resourceType":"Device","id":"\#(r.id)"\#(ids),"status":"active","deviceName":[{"name":"\#(r.name)","type":"user-friendly-name"}]}"#
                )
            case .healthcareService:
                try add(
                    "HealthcareService", r.id,
                    #"{"resourceType":"HealthcareService","id":"\#(r.id)"\#(ids),"active":true,"name":"\#(r.name)"}"#)
            }
        }
        try add(
            "Patient", "mario-bianco",
            #"{"resourceType":"Patient","id":"mario-bianco","identifier":[{"system":"http://hl7.it/sid/codiceFiscale","value":"BNCMRA80A01H501U"}],"name":[{"family":"Bianco","given":["Mario"]}],"gender":"male","birthDate":"1980-01-01"}"#
        )
        try add(
            "Patient", "giulia-neri",
            #"{"resourceType":"Patient","id":"giulia-neri","name":[{"family":"Neri","given":["Giulia"]}],"gender":"female","birthDate":"1992-05-17"}"#
        )
        _ = try await documents.write(writes)
    }
}
