import FHIRModel
import FHIRPath
import Testing

/// resolve() finds entries of the enclosing Bundle (by fullUrl, or by type and id) and contained resources.
@Suite struct ResolveTests {
    static let bundle: Element = {
        do {
            return try Fixtures.resource(
                #"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
                   "resource":{"resourceType":"Patient","id":"temp","active":true},
                   "request":{"method":"POST","url":"Patient"}},
                  {"fullUrl":"http://example.org/fhir/Practitioner/dr1",
                   "resource":{"resourceType":"Practitioner","id":"dr1"},
                   "request":{"method":"PUT","url":"Practitioner/dr1"}},
                  {"fullUrl":"urn:uuid:0b4b1c1e-0000-4000-8000-000000000001",
                   "resource":{"resourceType":"Appointment","status":"booked",
                     "contained":[{"resourceType":"Location","id":"room","name":"Room 1"}],
                     "participant":[
                       {"actor":{"reference":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"},"status":"accepted"},
                       {"actor":{"reference":"Practitioner/dr1"},"status":"accepted"},
                       {"actor":{"reference":"#room"},"status":"accepted"},
                       {"actor":{"reference":"Patient/missing"},"status":"accepted"}]},
                   "request":{"method":"POST","url":"Appointment"}}]}
                """#)
        } catch {
            fatalError("fixture: \(error)")
        }
    }()

    @Test func resolvesWithinTheBundle() throws {
        let result = try Fixtures.engine.evaluate(
            "entry.resource.ofType(Appointment).participant.actor.resolve()", focus: Self.bundle)
        #expect(result.map { $0.element?.type } == ["Patient", "Practitioner"])
        let ids = try Fixtures.values(
            "entry.resource.ofType(Appointment).participant.actor.resolve().id", on: Self.bundle)
        #expect(ids == [.string("temp"), .string("dr1")])
    }

    @Test func resolvesContainedWhenTheAppointmentIsTheResource() throws {
        let appointment = try #require(Self.bundle.children(named: "entry")[2].child("resource"))
        let names = try Fixtures.engine.evaluate(
            "participant.actor.resolve().ofType(Location).name", focus: appointment, rootResource: Self.bundle
        ).compactMap { $0.element?.value }
        #expect(names == ["Room 1"])
        // The Bundle as %rootResource also resolves its entries from a focus inside it.
        let types = try Fixtures.engine.evaluate(
            "participant.actor.resolve()", focus: appointment, rootResource: Self.bundle
        ).compactMap { $0.element?.type }
        #expect(types == ["Patient", "Practitioner", "Location"])
    }

    @Test func withoutABundleOnlyContainedResolve() throws {
        let appointment = try #require(Self.bundle.children(named: "entry")[2].child("resource"))
        let types = try Fixtures.engine.evaluate("participant.actor.resolve()", focus: appointment)
            .compactMap { $0.element?.type }
        #expect(types == ["Location"])
    }
}
