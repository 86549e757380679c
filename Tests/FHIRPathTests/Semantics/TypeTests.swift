import FHIRModel
import FHIRPath
import Foundation
import Testing

/// FHIR types versus System types, inheritance from the structure data, choice elements.
@Suite struct TypeTests {
    static let observation: Element = {
        do {
            return try Fixtures.resource(
                #"""
                {"resourceType":"Observation","status":"final","code":{"text":"age"},
                 "valueQuantity":{"value":41.50,"unit":"years","system":"http://unitsofmeasure.org","code":"a"},
                 "component":[{"code":{"text":"weight"},
                   "valueQuantity":{"value":1.5,"system":"http://unitsofmeasure.org","code":"kg"}}]}
                """#)
        } catch {
            fatalError("fixture: \(error)")
        }
    }()

    @Test(arguments: [
        ("active is boolean", true), ("active is FHIR.boolean", true), ("active is System.Boolean", false),
        ("active.not() is System.Boolean", true), ("(1 + 1) is Integer", true), ("'a' is FHIR.string", false),
        ("Patient is DomainResource", true), ("Patient is Resource", true), ("Patient is Observation", false),
        ("name.first() is HumanName", true), ("name.first() is Element", true),
    ])
    func isOperator(_ c: (String, Bool)) throws {
        #expect(try Fixtures.values(c.0) == [.boolean(c.1)], "\(c.0)")
    }

    @Test func choiceElementsByBaseNameAndType() throws {
        let o = Self.observation
        #expect(
            try Fixtures.values("value.ofType(Quantity).value", on: o) == [
                .decimal(Decimal(string: "41.50")!, scale: 2)
            ])
        #expect(try Fixtures.values("value is Quantity", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("(value as Period).start", on: o).isEmpty)
        #expect(try Fixtures.values("value.as(Quantity).code", on: o) == [.string("a")])
        #expect(try Fixtures.values("component.value.ofType(Quantity).exists()", on: o) == [.boolean(true)])
    }

    @Test func quantitiesCompareAcrossUnits() throws {
        let o = Self.observation
        #expect(try Fixtures.values("component.value > 1400 'g'", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("component.value = 1500 'g'", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("1 'wk' = 7 'd'", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("1 week = 7 days", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("1 year = 1 'a'", on: o).isEmpty)
        #expect(try Fixtures.values("1 year ~ 1 'a'", on: o) == [.boolean(true)])
        #expect(try Fixtures.values("(0 'kg' + 500 'g') = 0.5 'kg'", on: o) == [.boolean(true)])
        #expect(
            try Fixtures.values("(1 'kg' - 250 'g').value", on: o) == [.decimal(Decimal(string: "0.75")!, scale: 2)])
    }

    @Test func decimalsAreExactAndKeepTheirScale() throws {
        #expect(try Fixtures.values("0.1 + 0.2 = 0.3") == [.boolean(true)])
        #expect(try Fixtures.values("(1.50 + 2).toString()") == [.string("3.50")])
        #expect(try Fixtures.values("7 div 2 = 3 and 7 mod 2 = 1 and -7 div 2 = -3") == [.boolean(true)])
        #expect(try Fixtures.values("1.0 ~ 1.04 and 1.0 != 1.04") == [.boolean(true)])
        #expect(try Fixtures.values("'a' & {} & 'b'") == [.string("ab")])
        #expect(try Fixtures.values("5 / 0").isEmpty)
    }
}
