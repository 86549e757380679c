import FHIRModel
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// Every official R4 example of the booking and directory types validates with no error.
@Suite("Official examples")
struct OfficialExampleTests {
    static let types = [
        "Schedule", "Slot", "Appointment", "AppointmentResponse", "Patient", "Practitioner", "PractitionerRole",
        "Location", "HealthcareService", "Device",
    ]

    static var names: [String] {
        Conformance.files(in: Conformance.examplesJSON, extension: "json").filter { name in
            types.contains { name.hasPrefix($0 + "-") }
        }
    }

    @Test("the examples are there")
    func present() {
        #expect(Self.names.count >= 50)
    }

    @Test("validates with no error", arguments: names)
    func noError(name: String) throws {
        let resource = try ValidatorFixture.example(name)
        let issues = ValidatorFixture.validator.validate(resource)
        #expect(ValidatorFixture.errors(issues).isEmpty, "\(ValidatorFixture.errors(issues))")
        // With FHIRPath invariants and the terminology and profile hooks (memberOf, conformsTo), still no error.
        let full = ValidatorFixture.fhirPathValidator.validate(resource)
        #expect(ValidatorFixture.errors(full).isEmpty, "\(ValidatorFixture.errors(full))")
        #expect(!full.contains { $0.code == .notSupported && $0.message.contains("invariant") })
        // The invariants are evaluated (FHIRPath), none is reported as skipped.
        let skipped = issues.filter { $0.code == .notSupported && $0.message.contains("invariant") }.count
        #expect(skipped == 0)
    }
}
