import FHIRModel
import FHIRTestSupport
import Foundation
import Testing

/// profiles/r4/core is derived from the official definitions and must not drift from them.
@Suite("Structure data")
struct StructureDataTests {
    @Test("regenerating profiles/r4/core from the official StructureDefinitions gives the committed files")
    func regenerationMatches() throws {
        let generated = try ProfileImporter().importDirectory(Conformance.definitions)
        let committedDir = Conformance.structures.appendingPathComponent("core")
        let committed = Set(Conformance.files(in: committedDir, extension: "json"))
        #expect(Set(generated.map(\.name)) == committed)
        for file in generated {
            let onDisk = Conformance.bytes(committedDir.appendingPathComponent(file.name))
            #expect(onDisk == file.bytes, "\(file.name) differs: run booking-gateway profiles import")
        }
    }

    @Test("every R4 resource and datatype is known, with element order, cardinality and choices")
    func coverage() throws {
        let r = Conformance.registry
        #expect(r.resourceTypeNames.count == 146)
        let appointment = try #require(r.type(named: "Appointment"))
        let status = try #require(appointment.elementsByPath["Appointment.status"])
        #expect(status.min == 1 && status.max == 1)
        #expect(status.binding?.strength == "required")
        #expect(appointment.invariants["app-3"]?.expression != nil)
        let order = appointment.root.children.map(\.name)
        #expect(order.prefix(4) == ["id", "meta", "implicitRules", "language"])
        let obs = try #require(r.type(named: "Observation")?.elementsByPath["Observation.value[x]"])
        #expect(obs.isChoice && obs.types.count == 11)
        let ext = try #require(r.type(named: "Extension")?.root.childrenByWireName["valueDecimal"])
        #expect(ext.type == "decimal")
        #expect(r.type(named: "Extension")?.root.childrenByName["url"]?.isXMLAttribute == true)
        #expect(r.type(named: "dateTime")?.valueRegex != nil)
        let nested = try #require(r.type(named: "Questionnaire")?.elementsByPath["Questionnaire.item.item"])
        #expect(nested.childrenByName["linkId"] != nil)
    }

    @Test("the CapabilityStatements only published as R4 4.0.0 XML parse")
    func r400CapabilityStatements() throws {
        let dir = Conformance.directory.appendingPathComponent("r4/examples/xml-4.0.0")
        let names = Conformance.files(in: dir, extension: "xml")
        #expect(names.count == 6)
        let reader = FHIRXMLReader(registry: Conformance.registry)
        for name in names {
            let tree = try reader.readResource(Conformance.bytes(dir.appendingPathComponent(name)))
            #expect(tree.type == "CapabilityStatement")
        }
    }
}
