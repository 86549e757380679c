import FHIRPath
import Testing

/// Dates and times keep their precision; comparing different precisions can be unknown (empty).
@Suite struct TemporalTests {
    /// (expression, expected: "true", "false" or "empty").
    static let cases: [(String, String)] = [
        ("@2012-04-15 = @2012-04-15", "true"),
        ("@2012-04 = @2012-04-15", "empty"),
        ("@2012-04 < @2012-05-01", "true"),
        ("@2012-04 < @2012-04-15", "empty"),
        ("@2012 ~ @2012-01", "false"),
        ("@T10:30 = @T10:30:00", "empty"),
        ("@2012-04-15T10:00:00Z = @2012-04-15T12:00:00+02:00", "true"),
        ("@2012-04-15T10:00:00 = @2012-04-15T10:00:00.000", "true"),
        ("@2012-04-15T10:00:00Z = @2012-04-15T10:00:00", "empty"),
        ("birthDate = @1974-12-25", "true"),
        ("birthDate < @1974-12-25T10:00", "empty"),
        ("birthDate > @1974", "empty"),
        ("birthDate >= @1974-12", "empty"),
        ("birthDate > @1973", "true"),
        ("@2012-01-31 + 1 month = @2012-02-29", "true"),
        ("@2012-01-01T10:00:00Z - 90 minutes = @2012-01-01T08:30:00Z", "true"),
    ]

    @Test(arguments: cases)
    func precisionAwareComparison(_ c: (String, String)) throws {
        let result = try Fixtures.values(c.0)
        let got = result.isEmpty ? "empty" : result == [.boolean(true)] ? "true" : "false"
        #expect(got == c.1, "\(c.0)")
    }

    @Test func partialDateKeepsItsText() throws {
        let result = try Fixtures.values("@2015-02.toString() + ' ' + @2015-02-04T14:34:28.1+09:00.toString()")
        #expect(result == [.string("2015-02 2015-02-04T14:34:28.100+09:00")])
    }

    @Test func nowIsOneInstantPerEvaluation() throws {
        let same = try Fixtures.values(
            "(1 | 2 | 3 | 4 | 5 | 6 | 7 | 8).select(now()).distinct().count() = 1 and now() = now() "
                + "and today() = now().toDate()")
        #expect(same == [.boolean(true)])
        #expect(try Fixtures.values("today() > @2026-01-01 and now() > @2026-01-01T00:00:00Z") == [.boolean(true)])
    }
}
