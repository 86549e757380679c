import FHIRPath
import Testing

/// Three-valued logic: `{}` is unknown; and/or short-circuit on the deciding value.
@Suite struct LogicTests {
    static let t = "true"
    static let f = "false"
    static let e = "{}"

    /// (left, operator, right, expected: "true", "false" or "empty").
    static let table: [(String, String, String, String)] = [
        (t, "and", t, "true"), (t, "and", f, "false"), (t, "and", e, "empty"),
        (f, "and", e, "false"), (e, "and", f, "false"), (e, "and", e, "empty"),
        (t, "or", e, "true"), (e, "or", t, "true"), (f, "or", e, "empty"), (f, "or", f, "false"),
        (t, "xor", f, "true"), (t, "xor", t, "false"), (t, "xor", e, "empty"), (e, "xor", f, "empty"),
        (t, "implies", e, "empty"), (f, "implies", e, "true"), (e, "implies", t, "true"),
        (e, "implies", f, "empty"), (t, "implies", f, "false"), (e, "implies", e, "empty"),
    ]

    @Test(arguments: table)
    func truthTable(_ row: (String, String, String, String)) throws {
        let result = try Fixtures.values("(\(row.0)) \(row.1) (\(row.2))")
        let got = result.isEmpty ? "empty" : result == [.boolean(true)] ? "true" : "false"
        #expect(got == row.3, "\(row.0) \(row.1) \(row.2)")
    }

    @Test func notOfEmptyIsEmpty() throws {
        #expect(try Fixtures.values("{}.not()").isEmpty)
        #expect(try Fixtures.values("active.not()") == [.boolean(false)])
    }

    @Test func rightSideIsNotEvaluatedWhenLeftDecides() throws {
        // The right side would fail (single() on two names); and/or never evaluate it.
        #expect(try Fixtures.values("false and name.single().exists()") == [.boolean(false)])
        #expect(try Fixtures.values("true or name.single().exists()") == [.boolean(true)])
        #expect(throws: FHIRPathError.self) { try Fixtures.values("true and name.single().exists()") }
    }

    @Test func evaluateBooleanReadsSingletons() throws {
        let p = Fixtures.patient
        #expect(try Fixtures.engine.evaluateBoolean("active", focus: p) == true)
        #expect(try Fixtures.engine.evaluateBoolean("deceased", focus: p) == nil)
        #expect(try Fixtures.engine.evaluateBoolean("birthDate", focus: p) == true)
        #expect(throws: FHIRPathError.self) { try Fixtures.engine.evaluateBoolean("name.given", focus: p) }
    }
}
