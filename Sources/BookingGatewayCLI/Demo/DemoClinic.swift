import Booking
import Foundation

/// The demo clinic: a small outpatient clinic in Europe/Rome, kept in fixtures/demo/clinic.json (written by
/// `booking-gateway demo export`, read by `serve --demo`).
struct DemoClinic: Codable {
    var resources: [BookableResource]
    var schedules: [Schedule]
    var rules: [AvailabilityRule]
    var exceptions: [AvailabilityException]

    static let zone = "Europe/Rome"

    static func make() -> DemoClinic {
        let gp = Code(system: "http://snomed.info/sct", code: "394814009", display: "General practice")
        let cardiology = Code(system: "http://snomed.info/sct", code: "394579002", display: "Cardiology")
        let visit = Code(
            system: "http://terminology.hl7.org/CodeSystem/service-type", code: "124", display: "General Practice")
        let ultrasound = Code(system: "urn:booking-gateway:demo:service", code: "ecografia", display: "Ecografia")
        let vaccination = Code(
            system: "urn:booking-gateway:demo:service", code: "vaccinazione", display: "Vaccinazione")
        let ecg = Code(
            system: "urn:booking-gateway:demo:service", code: "visita-cardiologica", display: "Visita cardiologica")
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        let from = LocalDate(2026, 1, 1)
        let resources = [
            BookableResource(
                id: "rossi", kind: .practitioner, name: "Dott.ssa Maria Rossi",
                identifiers: [BusinessIdentifier(system: "urn:booking-gateway:demo:practitioner", value: "RSSMRA")],
                timeZone: zone),
            BookableResource(id: "bianchi", kind: .practitioner, name: "Dott. Luca Bianchi", timeZone: zone),
            BookableResource(id: "verdi", kind: .practitioner, name: "Inf. Anna Verdi", timeZone: zone),
            BookableResource(id: "ambulatorio-1", kind: .location, name: "Ambulatorio 1", timeZone: zone),
            BookableResource(id: "sala-eco", kind: .location, name: "Sala Ecografia", timeZone: zone),
            BookableResource(id: "ecografo", kind: .device, name: "Ecografo", timeZone: zone),
            BookableResource(id: "vaccinazioni", kind: .healthcareService, name: "Centro vaccinale", timeZone: zone),
        ]
        let schedules = [
            Schedule(
                id: "dr-rossi", resourceIDs: ["rossi"], timeZone: zone, serviceTypes: [visit], specialties: [gp],
                comment: "Medicina generale"),
            Schedule(
                id: "dr-bianchi", resourceIDs: ["bianchi"], timeZone: zone, serviceTypes: [ecg],
                specialties: [cardiology]),
            Schedule(
                id: "sala-eco", resourceIDs: ["sala-eco", "ecografo"], timeZone: zone, serviceTypes: [ultrasound]),
            Schedule(id: "vaccini", resourceIDs: ["vaccinazioni"], timeZone: zone, serviceTypes: [vaccination]),
            Schedule(
                id: "inf-verdi", resourceIDs: ["verdi"], mode: .appointments, timeZone: zone,
                comment: "Prelievi e medicazioni"),
        ]
        let rules = [
            AvailabilityRule(
                id: "rossi-mattina", scheduleID: "dr-rossi", recurrence: .weekly(weekdays: weekdays, interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(13))], validFrom: from, slotLength: .fixed(minutes: 20),
                serviceTypes: [visit], specialties: [gp], minimumNoticeMinutes: 60, horizonDays: 60,
                teleconsultation: .allowed),
            AvailabilityRule(
                id: "bianchi-pomeriggio", scheduleID: "dr-bianchi",
                recurrence: .weekly(weekdays: [.tuesday, .thursday], interval: 1),
                openings: [OpeningHours(LocalTime(14), LocalTime(18))], validFrom: from,
                slotLength: .fixed(minutes: 30),
                bufferAfterMinutes: 0, serviceTypes: [ecg], specialties: [cardiology], minimumNoticeMinutes: 24 * 60,
                horizonDays: 90),
            AvailabilityRule(
                id: "eco-mattina", scheduleID: "sala-eco", recurrence: .weekly(weekdays: weekdays, interval: 1),
                openings: [OpeningHours(LocalTime(8, 30), LocalTime(12, 30))], validFrom: from,
                slotLength: .fixed(minutes: 30),
                maxBookingsPerDay: 6, serviceTypes: [ultrasound], horizonDays: 90),
            AvailabilityRule(
                id: "vaccini-mercoledi", scheduleID: "vaccini",
                recurrence: .weekly(weekdays: [.wednesday], interval: 1),
                openings: [OpeningHours(LocalTime(9), LocalTime(12))], validFrom: from, slotLength: .fixed(minutes: 15),
                capacity: 3,
                serviceTypes: [vaccination], horizonDays: 120),
        ]
        let holidays: [(Int, Int, String)] = [
            (1, 1, "capodanno"), (1, 6, "epifania"), (4, 25, "liberazione"), (5, 1, "lavoro"), (6, 2, "repubblica"),
            (8, 15, "ferragosto"), (11, 1, "ognissanti"), (12, 8, "immacolata"), (12, 25, "natale"),
            (12, 26, "santo-stefano"),
        ]
        var exceptions = holidays.map { (m, d, id) in
            AvailabilityException(
                id: "festa-\(id)", scope: .schedule("*"), effect: .closure(.holiday),
                span: .days(from: LocalDate(2026, m, d), through: LocalDate(2026, m, d)), yearly: true,
                comment: "Festività nazionale")
        }
        exceptions = schedules.flatMap { s in
            exceptions.map { e in
                var e = e
                e.id = "\(e.id)-\(s.id)"
                e.scope = .schedule(s.id)
                return e
            }
        }
        for (date, name) in [(LocalDate(2026, 4, 6), "pasquetta-2026"), (LocalDate(2027, 3, 29), "pasquetta-2027")] {
            for s in schedules {
                exceptions.append(
                    AvailabilityException(
                        id: "\(name)-\(s.id)", scope: .schedule(s.id), effect: .closure(.holiday),
                        span: .days(from: date, through: date), comment: "Lunedì dell'Angelo"))
            }
        }
        exceptions.append(
            AvailabilityException(
                id: "malattia-bianchi", scope: .resource("bianchi"), effect: .closure(.sickLeave),
                span: .days(from: LocalDate(2027, 1, 11), through: LocalDate(2027, 1, 15)), comment: "Malattia"))
        var saturday = rules[0]
        saturday.id = "rossi-sabato-straordinario"
        exceptions.append(
            AvailabilityException(
                id: "rossi-sabato", scope: .schedule("dr-rossi"), effect: .extraOpening(template: saturday),
                span: .timeRange(on: LocalDate(2026, 12, 19), from: LocalTime(9), to: LocalTime(12)),
                comment: "Ambulatorio straordinario"))
        return DemoClinic(resources: resources, schedules: schedules, rules: rules, exceptions: exceptions)
    }

    /// Loads the clinic through the domain (so every rule and exception is validated).
    func load(into service: BookingService) async throws {
        for r in resources { try await service.saveResource(r) }
        for s in schedules { try await service.saveSchedule(s) }
        for r in rules { try await service.saveRule(r) }
        for e in exceptions { try await service.saveException(e) }
    }

    static func read(_ url: URL) throws -> DemoClinic {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try d.decode(DemoClinic.self, from: Data(contentsOf: url))
    }

    func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return try e.encode(self)
    }
}
