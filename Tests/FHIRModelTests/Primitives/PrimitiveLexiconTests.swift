import FHIRModel
import Testing

@Suite("Primitive lexical rules")
struct PrimitiveLexiconTests {
    @Test(
        "valid values are accepted",
        arguments: [
            ("boolean", "true"), ("integer", "-2147483648"), ("integer", "0"), ("positiveInt", "+5"),
            ("positiveInt", "2147483647"), ("unsignedInt", "0"), ("decimal", "1.50"), ("decimal", "-0.0"),
            ("decimal", "1.0e-22"), ("date", "2024"), ("date", "2024-02"), ("date", "2024-02-29"),
            ("dateTime", "2024-03-31T02:30:00+02:00"), ("dateTime", "2024-03"), ("instant", "2024-01-01T00:00:00.123Z"),
            ("time", "23:59:60"), ("code", "entered-in-error"), ("code", "a b"), ("id", "a.b-C9"),
            ("uri", "urn:uuid:x"), ("oid", "urn:oid:2.16.840.1.113883"),
            ("uuid", "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162"), ("base64Binary", "aGVsbG8="),
            ("string", "ciao\nmondo"), ("dateTime", "2024-01-01T10:00:00+14:00"),
        ])
    func valid(type: String, value: String) {
        #expect(PrimitiveLexicon.problem(type: type, value: value) == nil, "\(type) \(value)")
    }

    @Test(
        "invalid values are refused",
        arguments: [
            ("boolean", "TRUE"), ("integer", "2147483648"), ("integer", "01"), ("integer", "1.0"),
            ("positiveInt", "0"), ("unsignedInt", "-1"), ("decimal", "1."), ("decimal", ".5"), ("decimal", "01.5"),
            ("date", "2023-02-29"), ("date", "2024-13"), ("date", "24-01-01"), ("date", "0000"),
            ("dateTime", "2024-01-01T10:00"), ("dateTime", "2024-01-01T10:00:00"), ("dateTime", "2024-01T10:00:00Z"),
            ("dateTime", "2024-01-01T24:00:00Z"), ("dateTime", "2024-01-01T10:00:00+15:00"),
            ("instant", "2024-01-01"), ("instant", "2024-01-01T10:00Z"), ("time", "25:00:00"), ("time", "10:00"),
            ("code", " lead"), ("code", "two  spaces"), ("id", "under_score"),
            ("id", String(repeating: "a", count: 65)), ("uri", "has space"), ("oid", "urn:oid:3.1"),
            ("uuid", "urn:uuid:A76D9BBF-F293-4FB7-AD4C-2851CAC77162"), ("base64Binary", "abc"),
            ("base64Binary", "ab$="), ("string", "bell\u{07}"), ("string", "   "),
        ])
    func invalid(type: String, value: String) {
        #expect(PrimitiveLexicon.problem(type: type, value: value) != nil, "\(type) \(value)")
    }

    @Test("decimal keeps its exact text and scale")
    func decimalText() throws {
        let d = try #require(FHIRDecimal("1.50"))
        #expect(d.text == "1.50")
        #expect(d.scale == 2)
        #expect(FHIRDecimal("100")?.scale == 0)
        #expect(FHIRDecimal("1.50") != FHIRDecimal("1.5"))
    }

    @Test("dateTime keeps precision and offset, and orders by instant")
    func dateTimePrecision() throws {
        let a = try #require(FHIRDateTime("2024-10-27T02:30:00+02:00"))
        let b = try #require(FHIRDateTime("2024-10-27T02:30:00+01:00"))
        #expect(a.precision == .second)
        #expect(a.offsetSeconds == 7200)
        #expect(b.epochSeconds - a.epochSeconds == 3600)
        #expect(FHIRDateTime("2024-10")?.precision == .month)
        #expect(FHIRDateTime("2024-10-27T02:30:00.250Z")?.fraction == "250")
        #expect(FHIRDateTime("1970-01-01T00:00:00Z")?.epochSeconds == 0)
        #expect(FHIRDate("2024-02-29")?.precision == .day)
        #expect(FHIRDate("2024-02")?.description == "2024-02")
    }
}
