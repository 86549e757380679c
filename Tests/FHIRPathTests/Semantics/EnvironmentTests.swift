import FHIRModel
import FHIRPath
import Testing

/// %resource, %context, %rootResource, user variables, and the memberOf/conformsTo hooks.
@Suite struct EnvironmentTests {
    struct Terminology: FHIRPathTerminology {
        func memberOf(_ value: FHIRPathValue, valueSetURL: String) -> Bool? {
            guard valueSetURL == "http://hl7.org/fhir/ValueSet/administrative-gender" else { return nil }
            guard case .string(let code)? = value.systemValue else { return nil }
            return ["male", "female", "other", "unknown"].contains(code)
        }
    }

    struct Profiles: FHIRPathProfileChecker {
        func conformsTo(_ element: Element, profileURL: String) -> Bool? {
            profileURL == "http://example.org/StructureDefinition/active-patient"
                ? element.string("active") == "true" : nil
        }
    }

    @Test func focusInsideTheResource() throws {
        let name = try #require(Fixtures.patient.children(named: "name").first)
        let result = try Fixtures.engine.evaluate(
            "given.count() = 2 and %resource.id = 'p1' and %context.family = 'Chalmers' and %rootResource.active",
            focus: name, resource: Fixtures.patient)
        #expect(result.first?.systemValue == .boolean(true))
    }

    @Test func userVariablesAndConstants() throws {
        let result = try Fixtures.engine.evaluate(
            "name.given.where($this = %wanted).count() = 1 and %ucum = 'http://unitsofmeasure.org' "
                + "and %`vs-administrative-gender` = 'http://hl7.org/fhir/ValueSet/administrative-gender'",
            focus: Fixtures.patient, variables: ["wanted": [.string("Jim")]])
        #expect(result.first?.systemValue == .boolean(true))
    }

    @Test func memberOfUsesTheHook() throws {
        let withHook = FHIRPathEngine(structures: Fixtures.engine.structures, terminology: Terminology())
        let g = try Fixtures.resource(#"{"resourceType":"Patient","gender":"male"}"#)
        #expect(
            try withHook.evaluateBoolean(
                "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')", focus: g)
                == true)
        #expect(try withHook.evaluateBoolean("gender.memberOf('http://example.org/unknown')", focus: g) == nil)
        #expect(
            try Fixtures.engine.evaluateBoolean(
                "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')", focus: g) == nil)
    }

    @Test func conformsToUsesTheHookOrCoreTypes() throws {
        let withHook = FHIRPathEngine(structures: Fixtures.engine.structures, profiles: Profiles())
        let url = "http://example.org/StructureDefinition/active-patient"
        #expect(try withHook.evaluateBoolean("conformsTo('\(url)')", focus: Fixtures.patient) == true)
        #expect(
            try Fixtures.engine.evaluateBoolean(
                "conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", focus: Fixtures.patient) == true)
        #expect(
            try Fixtures.engine.evaluateBoolean(
                "conformsTo('http://hl7.org/fhir/StructureDefinition/Person')", focus: Fixtures.patient) == false)
    }

    @Test func htmlChecksTheNarrative() throws {
        #expect(try Fixtures.engine.evaluateBoolean("text.div.htmlChecks()", focus: Fixtures.patient) == true)
        let bad = Element(
            name: "div", type: "xhtml", value: "<div xmlns=\"http://www.w3.org/1999/xhtml\"><script/></div>")
        #expect(try Fixtures.engine.evaluateBoolean("htmlChecks()", focus: bad) == false)
    }

    @Test func compiledExpressionsAreSharedAcrossThreads() async throws {
        let engine = Fixtures.engine
        let patient = Fixtures.patient
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var n = 0
                    for _ in 0..<200 { n += try engine.evaluate("name.given.count()", focus: patient).count }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(counts == 1600)
        #expect(try engine.compile("name.given.count()").text == "name.given.count()")
    }

    @Test func jsonRenderingOfItems() throws {
        let registry = Fixtures.engine.structures
        let items = try Fixtures.engine.evaluate(
            "name.first() | birthDate | (2.50 * 2) | 3 'mg'", focus: Fixtures.patient)
        let rendered = items.map { String(decoding: $0.json(structures: registry).serialized(), as: UTF8.self) }
        #expect(
            rendered == [
                #"{"type":"HumanName","value":{"family":"Chalmers","given":["Peter","James"]}}"#,
                #"{"type":"date","value":"1974-12-25"}"#,
                #"{"type":"System.Decimal","value":5}"#,
                #"{"type":"System.Quantity","value":{"value":3,"unit":"mg"}}"#,
            ])
    }
}
