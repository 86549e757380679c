import FHIRPath
import Testing

/// Errors are typed by stage, with a position for syntax errors.
@Suite struct ErrorTests {
    @Test func syntaxErrorsCarryThePosition() {
        #expect(throws: FHIRPathError.syntax(message: "unexpected end of expression", position: 7)) {
            try Fixtures.engine.compile("name = ")
        }
        #expect(throws: FHIRPathError.self) { try Fixtures.engine.compile("'unterminated") }
        #expect(throws: FHIRPathError.self) { try Fixtures.engine.compile("name.") }
        #expect(throws: FHIRPathError.self) { try Fixtures.engine.compile("@2015-13-01") }
    }

    @Test func unknownFunctionsAndArityAreSemantic() {
        #expect(throws: FHIRPathError.semantic(message: "unknown function 'frobnicate'")) {
            try Fixtures.engine.compile("name.frobnicate()")
        }
        #expect(throws: FHIRPathError.semantic(message: "wrong number of arguments for substring(): 0")) {
            try Fixtures.engine.compile("'abc'.substring()")
        }
    }

    @Test func unknownElementsAreSemantic() {
        do {
            _ = try Fixtures.engine.evaluate("name.given1", focus: Fixtures.patient)
            Issue.record("no error")
        } catch {
            guard case .semantic(let message) = error else {
                Issue.record("wrong stage: \(error)")
                return
            }
            #expect(message.contains("given1"))
        }
    }

    @Test func singletonViolationsAreExecutionErrors() {
        #expect(throws: FHIRPathError.execution(message: "single() expects a single item, got 2")) {
            try Fixtures.engine.evaluate("name.single()", focus: Fixtures.patient)
        }
        #expect(throws: FHIRPathError.self) {
            try Fixtures.engine.evaluate("name.given + 'x'", focus: Fixtures.patient)
        }
        #expect(throws: FHIRPathError.self) { try Fixtures.engine.evaluate("%undefined", focus: Fixtures.patient) }
    }

    @Test func descriptionNamesTheStage() {
        #expect(FHIRPathError.syntax(message: "m", position: 3).description == "FHIRPath syntax error at offset 3: m")
        #expect(FHIRPathError.execution(message: "m").message == "m")
    }

    @Test func anotherResourceTypeIsAnErrorExceptInAUnion() throws {
        #expect(throws: FHIRPathError.self) {
            try Fixtures.engine.evaluate("Practitioner.name", focus: Fixtures.patient)
        }
        // Multi-resource search parameter expressions evaluate on either type.
        let given = try Fixtures.values("Patient.name.given | Practitioner.name.given")
        #expect(given == [.string("Peter"), .string("James"), .string("Jim")])
        #expect(try Fixtures.values("(Practitioner.name | Patient.name).count()") == [.integer(2)])
    }
}
