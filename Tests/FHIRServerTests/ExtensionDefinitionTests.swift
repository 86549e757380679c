import FHIRMapping
import FHIRModel
import FHIRTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The project's extensions: defined in profiles/booking-gateway, used by the mapping, visible on Schedule.
@Suite("Project extensions")
struct ExtensionDefinitionTests {
    @Test("profiles/booking-gateway holds exactly the catalogue's StructureDefinitions, and they read back")
    func committedDefinitions() throws {
        let dir = Conformance.repositoryRoot.appendingPathComponent("profiles/booking-gateway")
        let writer = FHIRJSONWriter(registry: Conformance.registry, pretty: true)
        let codec = FHIRCodec(registry: Conformance.registry)
        #expect(
            Set(Conformance.files(in: dir, extension: "json"))
                == Set(ExtensionCatalog.all.map { "StructureDefinition-\($0.id).json" }))
        for d in ExtensionCatalog.all {
            let file = Conformance.bytes(dir.appendingPathComponent("StructureDefinition-\(d.id).json"))
            #expect(
                file == writer.write(ExtensionCatalog.structureDefinition(d)),
                "\(d.id) is stale: run booking-gateway profiles extensions")
            let sd = try codec.read(file, format: .json)
            #expect(sd.string("url") == d.url)
            _ = try codec.read(codec.write(sd, format: .xml), format: .xml)
        }
        let urls = Set(ExtensionCatalog.all.map(\.url))
        for used in [
            ProjectExtension.slotCapacity, ProjectExtension.slotBooked, ProjectExtension.slotUnavailableReason,
            ProjectExtension.teleconsultation, ProjectExtension.needsReschedule, ProjectExtension.availabilityRule,
            ProjectExtension.availabilityException, ProjectExtension.holdExpiry,
        ] {
            #expect(urls.contains(used), "\(used) is not defined")
        }
    }

    @Test("a Schedule carries its availability rules and exceptions as extensions, in JSON and XML")
    func scheduleExtensions() async throws {
        let f = try await GatewayFixture()
        try await f.app.test(.live) { client in
            for format in ["json", "xml"] {
                let r = try await client.execute(uri: "/fhir/Schedule/dr-rossi?_format=\(format)", method: .get)
                let schedule = try r.resource()
                let rule = try #require(schedule.extensions(url: ProjectExtension.availabilityRule).first)
                #expect(rule.extensions(url: "id").first?.child("value")?.value == "rossi")
                #expect(rule.extensions(url: "opening").first?.child("value")?.value == "09:00-13:00")
                #expect(
                    rule.extensions(url: "dayOfWeek").compactMap { $0.child("value")?.value } == [
                        "mon", "tue", "wed", "thu", "fri",
                    ])
                #expect(rule.extensions(url: "slotMinutes").first?.child("value")?.value == "30")
            }
        }
    }
}
