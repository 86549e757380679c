import Booking
import BookingSQLite
import BookingTestSupport
import DocumentStore
import FHIRModel
import FHIRServer
import FHIRTestSupport
import FHIRValidation
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A gateway on a fresh SQLite store with a manual clock at 2026-06-01 08:00 Rome and a small clinic: Dr Rossi
/// (weekdays 09–13, 30-minute slots), and nurse Verdi in appointments mode.
struct GatewayFixture {
    let service: BookingService
    let clock: ManualClock
    let app: Application<RouterResponder<BasicRequestContext>>
    static let base = "http://localhost/fhir"

    /// The validator every fixture shares (loading the definitions is the slow part); invariants by FHIRPath.
    static let validator: Validator = {
        do {
            return try Validator.withFHIRPath(registry: Conformance.registry, structures: Conformance.structures)
        } catch {
            fatalError("cannot load the validator: \(error)")
        }
    }()

    /// - Parameter validation: the write policy; reject by default, as `serve` runs.
    init(validation: ValidationPolicy = .reject) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteBookingStore(path: dir.appendingPathComponent("g.sqlite").path)
        clock = ManualClock(instant("2026-06-01T08:00:00+02:00"))
        service = BookingService(store: store, clock: clock)
        let visit = Code(system: "urn:test", code: "visit")
        try await service.saveResource(
            BookableResource(id: "rossi", kind: .practitioner, name: "Dr Rossi", timeZone: "Europe/Rome"))
        try await service.saveResource(
            BookableResource(id: "verdi", kind: .practitioner, name: "Nurse Verdi", timeZone: "Europe/Rome"))
        try await service.saveSchedule(
            Schedule(id: "dr-rossi", resourceIDs: ["rossi"], timeZone: "Europe/Rome", serviceTypes: [visit]))
        try await service.saveSchedule(
            Schedule(id: "verdi", resourceIDs: ["verdi"], mode: .appointments, timeZone: "Europe/Rome"))
        try await service.saveRule(
            AvailabilityRule(
                id: "rossi", scheduleID: "dr-rossi",
                recurrence: .weekly(weekdays: [.monday, .tuesday, .wednesday, .thursday, .friday], interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(13))], validFrom: LocalDate(2026, 1, 1),
                slotLength: .fixed(minutes: 30), serviceTypes: [visit]))
        let documents = try SQLiteDocumentStore(path: dir.appendingPathComponent("g.sqlite").path)
        let services = GatewayServices(
            booking: service, documents: documents, codec: FHIRCodec(registry: Conformance.registry),
            validation: WriteValidation(validator: Self.validator, policy: validation))
        app = Application(router: buildRouter(services: services, base: ServerBase(Self.base)))
    }

    /// `Slot/dr-rossi.…` for a Rome local time on 2026-06-02 (a Tuesday).
    static func slot(_ hhmm: String) -> String {
        SlotID(scheduleID: "dr-rossi", start: instant("2026-06-02T\(hhmm):00+02:00")).description
    }

    static func appointmentJSON(slot: String, patient: String = "p1", identifier: String? = nil) -> String {
        let id = identifier.map { #","identifier":[{"system":"urn:cup","value":"\#($0)"}]"# } ?? ""
        return
            #"{"resourceType":"Appointment","status":"booked"\#(id),"slot":[{"reference":"Slot/\#(slot)"}],"participant":[{"actor":{"reference":"Patient/\#(patient)"},"status":"accepted"}]}"#
    }
}

extension TestResponse {
    /// The body as a resource (JSON or XML by Content-Type).
    func resource() throws -> Element {
        let format: FHIRFormat = headers[.contentType]?.contains("xml") == true ? .xml : .json
        return try FHIRCodec(registry: Conformance.registry).read(Array(body.readableBytesView), format: format)
    }

    var text: String { String(buffer: body) }
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

let jsonHeaders: HTTPFields = [.contentType: "application/fhir+json", .accept: "application/fhir+json"]
let xmlHeaders: HTTPFields = [.contentType: "application/fhir+xml", .accept: "application/fhir+xml"]

/// A one-day closure of Dr Rossi's schedule.
func oneDayClosure(id: String, day: String) -> AvailabilityException {
    AvailabilityException(
        id: id, scope: .schedule("dr-rossi"), effect: .closure(.holiday),
        span: .days(from: LocalDate(day)!, through: LocalDate(day)!))
}

/// The slot id of Dr Rossi's slot at `local`.
func rossiSlot(_ local: String) -> String {
    SlotID(scheduleID: "dr-rossi", start: instant(local)).description
}
