import Booking
import FHIRMapping
import FHIRModel
import Foundation
import Hummingbird

/// The scheduling operations of IHE ITI Scheduling (the R4 successor of Argonaut Scheduling): `Appointment/$find`
/// (GET or POST with Parameters) proposes free slots as `proposed` Appointments, `$hold` holds a proposal for a
/// limited time (a `pending` Appointment with the hold's expiry and token), `$book` books a held or free proposal.
struct SchedulingOperations {
    let services: GatewayServices
    let base: ServerBase
    var baseURL: String { base.url }

    static let holdSystem = "urn:booking-gateway:hold"

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.add("Appointment", operation: .find)
        catalog.add("Appointment", operation: .hold)
        catalog.add("Appointment", operation: .book)
        router.get("/fhir/Appointment/$find") { request, _ in try await find(request, query: request.uri.query) }
        router.post("/fhir/Appointment/$find") { request, _ in
            let parameters = try await parametersBody(request)
            let query = parameters.parameters.compactMap { p -> String? in
                guard let v = p.value?.value ?? p.value?.string("reference") else { return nil }
                return "\(p.name)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? v)"
            }.joined(separator: "&")
            return try await find(request, query: query)
        }
        router.post("/fhir/Appointment/$hold") { request, _ in try await hold(request) }
        router.post("/fhir/Appointment/$book") { request, _ in try await book(request) }
    }

    func parametersBody(_ request: Request) async throws -> ParametersResource {
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        guard let p = ParametersResource(element) else {
            throw FHIRError(.badRequest, code: "invalid", "the operation takes a Parameters resource")
        }
        return p
    }

    /// The Appointment given as the `appointment` parameter (or as the body itself).
    func appointmentArgument(_ request: Request) async throws -> AppointmentResource {
        let element = try await services.responses.readBody(request, maxBytes: services.maxBodyBytes)
        if let a = AppointmentResource(element) { return a }
        if let p = ParametersResource(element), let r = p.parameters(named: "appointment").first?.resource,
            let a = AppointmentResource(r)
        {
            return a
        }
        throw FHIRError(.badRequest, code: "required", "an 'appointment' parameter with an Appointment is required")
    }

    // MARK: $find

    func find(_ request: Request, query: String?) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        let search = try SearchRequest(query: query, strict: request.prefersStrictHandling)
        let known: Set<String> = [
            "start", "end", "service-type", "specialty", "visit-type", "appointment-type", "practitioner", "location",
            "actor", "patient", "teleconsultation", "priority", "instrumental", "_count",
        ]
        var warnings = try search.unsupported(known)
        let now = services.booking.clock.now()
        func date(_ name: String) throws(FHIRError) -> Date? {
            guard let v = search.values(name).first?.values.first else { return nil }
            guard let dt = FHIRDateTime(v) else {
                throw FHIRError(.badRequest, code: "invalid", "\(name) is a date or dateTime")
            }
            return Date(timeIntervalSince1970: dt.epochSeconds)
        }
        let from = max(try date("start") ?? now, now)
        var to = try date("end") ?? from.addingTimeInterval(14 * 86400)
        var priority: PriorityClass?
        var deadline: Date?
        if let p = search.values("priority").first?.values.first {
            guard let cls = PriorityClass(rawValue: p.uppercased()) else {
                throw FHIRError(.badRequest, code: "code-invalid", "priority is a class: U, B, D or P")
            }
            let limit = cls.deadline(
                from: now, instrumental: search.values("instrumental").first?.values.first == "true")
            guard from < limit else {
                throw FHIRError(
                    .unprocessableContent, code: "business-rule",
                    "start is after the class \(cls.rawValue) deadline (\(AppointmentMapping.instantText(limit)))")
            }
            to = search.values("end").isEmpty ? min(limit, from.addingTimeInterval(92 * 86400)) : min(to, limit)
            (priority, deadline) = (cls, limit)
        }
        guard to > from, to.timeIntervalSince(from) <= 92 * 86400 else {
            throw FHIRError(.badRequest, code: "too-costly", "$find covers at most 92 days, start before end")
        }
        func code(_ names: [String]) -> Code? {
            names.lazy.compactMap { search.values($0).first?.values.first }.first.map(ScheduleInteractions.code)
        }
        // Every actor asked for must be free at the same start: one schedule set per actor.
        var actorGroups: [[String]] = []
        let schedules = try await services.store.schedules()
        for name in ["practitioner", "location", "actor"] {
            for v in search.values(name).flatMap(\.values) {
                let id = String(v.split(separator: "/").last ?? "")
                let ids = schedules.filter { $0.resourceIDs.contains(id) }.map(\.id)
                guard !ids.isEmpty else {
                    throw FHIRError(.unprocessableContent, code: "not-found", "no schedule for \(v)")
                }
                actorGroups.append(ids)
            }
        }
        let tele = search.values("teleconsultation").first?.values.first.map { $0 == "true" }
        let slotQuery = SlotQuery(
            from: from, to: to, scheduleIDs: actorGroups.isEmpty ? nil : Array(Set(actorGroups.flatMap { $0 })),
            serviceType: code(["service-type"]), specialty: code(["specialty"]),
            appointmentType: code(["visit-type", "appointment-type"]),
            teleconsultation: tele, onlyFree: true)
        let free = try await services.booking.findSlots(slotQuery)
        var proposals: [[Slot]] = []
        if actorGroups.count <= 1 {
            proposals = free.map { [$0] }
        } else {
            let byStart = Dictionary(grouping: free, by: \.start)
            for start in byStart.keys.sorted() {
                var combination: [Slot] = []
                for group in actorGroups {
                    guard
                        let s = byStart[start]!.first(where: {
                            group.contains($0.scheduleID) && !combination.contains($0)
                        })
                    else { break }
                    combination.append(s)
                }
                if combination.count == actorGroups.count { proposals.append(combination) }
            }
        }
        let patient = search.values("patient").first?.values.first
        let resources = try await services.store.resources()
        let scheduleByID = Dictionary(uniqueKeysWithValues: schedules.map { ($0.id, $0) })
        let resourceByID = Dictionary(uniqueKeysWithValues: resources.map { ($0.id, $0) })
        let appointments = proposals.map {
            var a = proposal(slots: $0, patient: patient, schedules: scheduleByID, resources: resourceByID).element
            a.children += ReferralMapping.elements(priority.map { Referral(priorityClass: $0) })
            return a
        }
        if let priority, let deadline, appointments.isEmpty {
            var later = slotQuery
            (later.from, later.to, later.limit) = (deadline, deadline.addingTimeInterval(92 * 86400), 1)
            let next = try await services.booking.findSlots(later).first
            warnings.append(
                .init(
                    severity: "warning", code: "not-found",
                    diagnostics: "no free slot within the class \(priority.rawValue) deadline "
                        + "(\(AppointmentMapping.instantText(deadline)))"
                        + (next.map { "; the first free one after it is Slot/\($0.id)" }
                            ?? "; none in the 92 days after it")))
        }
        let bundle = try await SearchsetBuilder(
            baseURL: baseURL, type: "Appointment/$find", request: request, query: query
        )
        .bundle(
            matches: appointments, count: search.count, offset: try SearchsetBuilder.offset(request),
            warnings: warnings)
        return services.responses.resource(bundle.element, negotiation: negotiation)
    }

    func proposal(
        slots: [Slot], patient: String?, schedules: [String: Schedule], resources: [String: BookableResource]
    ) -> AppointmentResource {
        var a = AppointmentResource()
        a.status = .proposed
        a.element.children += (slots.first?.serviceTypes ?? []).map {
            Coding(system: $0.system, code: $0.code, display: $0.display).codeableConcept(named: "serviceType")
        }
        a.start = FHIRDateTime(AppointmentMapping.instantText(slots.map(\.start).min()!))
        a.end = FHIRDateTime(AppointmentMapping.instantText(slots.map(\.end).max()!))
        a.slots = slots.map { Reference("Slot/\($0.id)") }
        var participants: [AppointmentResource.Participant] = []
        if let patient {
            participants.append(
                .init(actor: Reference(patient.contains("/") ? patient : "Patient/\(patient)"), status: .needsAction))
        }
        for s in slots {
            for id in schedules[s.scheduleID]?.resourceIDs ?? [] {
                guard let r = resources[id] else { continue }
                participants.append(
                    .init(actor: Reference(ReferenceMapping.reference(for: r), display: r.name), status: .needsAction))
            }
        }
        a.participants = participants
        return a
    }

    // MARK: $hold and $book

    func hold(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        var appointment = try await appointmentArgument(request)
        appointment.status = .booked
        let booking = try AppointmentMapping.bookingRequest(appointment)
        guard !booking.slotIDs.isEmpty else {
            throw FHIRError(
                .unprocessableContent, code: "required", "a hold needs the proposal's slots",
                expression: ["Appointment.slot"])
        }
        let key = appointment.identifiers.first.flatMap { i in i.value.map { "\(i.system ?? "")|\($0)" } }
        let hold: Hold
        do {
            hold = try await services.booking.hold(booking, requestKey: key)
        } catch let e as BookingError where e.isConflict {
            throw try await conflictWithAlternatives(e, slots: booking.slotIDs)
        }
        var out = appointment
        out.status = .pending
        out.identifiers =
            appointment.identifiers.filter { $0.system != Self.holdSystem } + [
                Identifier(system: Self.holdSystem, value: hold.id)
            ]
        out.element.children.append(
            Element(
                name: "extension", type: "Extension",
                children: [
                    Element(name: "url", type: "uri", value: ProjectExtension.holdExpiry),
                    Element(name: "value", type: "instant", value: AppointmentMapping.instantText(hold.expiresAt)),
                ]))
        return services.responses.resource(out.element, negotiation: negotiation)
    }

    func book(_ request: Request) async throws -> Response {
        let negotiation = try Negotiation.response(for: request)
        var appointment = try await appointmentArgument(request)
        let holdID = appointment.identifiers.first { $0.system == Self.holdSystem }?.value
        appointment.identifiers = appointment.identifiers.filter { $0.system != Self.holdSystem }
        appointment.status = .booked
        var booking = try AppointmentMapping.bookingRequest(appointment)
        booking.holdID = holdID
        let result: (appointment: Appointment, created: Bool)
        do {
            result = try await services.booking.book(booking)
        } catch let e as BookingError where e.isConflict {
            throw try await conflictWithAlternatives(e, slots: booking.slotIDs)
        }
        return services.responses.resource(
            AppointmentMapping.resource(result.appointment).element, status: result.created ? .created : .ok,
            negotiation: negotiation,
            location: "\(baseURL)/Appointment/\(result.appointment.id)/_history/\(result.appointment.version)")
    }

    /// A 409 whose OperationOutcome names the next free proposals of the same schedules.
    func conflictWithAlternatives(_ error: BookingError, slots: [SlotID]) async throws -> FHIRError {
        let now = services.booking.clock.now()
        let from = max(now, slots.map(\.start).min() ?? now)
        let free = try await services.booking.findSlots(
            SlotQuery(
                from: from, to: from.addingTimeInterval(14 * 86400), scheduleIDs: Array(Set(slots.map(\.scheduleID))),
                limit: 5))
        var e = FHIRError.from(booking: error)
        e.issues.append(
            .init(
                severity: "information", code: "informational",
                diagnostics: "next free slots: "
                    + (free.isEmpty ? "none in 14 days" : free.map { "Slot/\($0.id)" }.joined(separator: ", "))))
        return e
    }
}
