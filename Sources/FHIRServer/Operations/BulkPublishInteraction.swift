import Booking
import DocumentStore
import FHIRMapping
import FHIRModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// SMART Scheduling Links' `$bulk-publish`: a manifest (`GET /fhir/$bulk-publish`) naming one NDJSON file per
/// type — Schedule, Slot (free and busy, over the publication window) and Location — so that a regional portal
/// fetches the availability in bulk instead of searching schedule by schedule.
///
/// `_since` narrows Location to the ones changed since then. Schedules and slots are always published whole
/// (their availability is computed from rules, not stored row by row), which the specification allows: a
/// client must handle a superset.
public struct BulkPublishInteraction: Sendable {
    let services: GatewayServices
    let base: ServerBase
    /// Days of slots published from now.
    var windowDays = 28

    static let spec = OperationSpec(
        code: "bulk-publish", resources: [], system: true, type: false, affectsState: false,
        title: "Publish schedules, slots and locations in bulk (SMART Scheduling Links)",
        description: """
            Returns a JSON manifest whose `output` names one NDJSON file per type (Schedule, Slot, Location). Slots \
            cover the next 28 days, free and busy, with the SMART slot-capacity extension. `_since` narrows Location \
            to the ones changed since; Schedule and Slot files are always complete.
            """,
        parameters: [
            .init("_since", .in, type: "instant", "Only resources changed since (Location; see the description)"),
            .init("return", .out, min: 1, type: "Binary", "The manifest (application/json)"),
        ])

    static let types = ["Schedule", "Slot", "Location"]

    func register(on router: Router<BasicRequestContext>, catalog: RouteCatalog) {
        catalog.addSystem(operation: Self.spec)
        router.get("/fhir/$bulk-publish") { request, _ in try manifest(request) }
        router.get("/fhir/$bulk-publish/:file") { request, context in
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".ndjson"), let type = Self.types.first(where: { "\($0).ndjson" == file }) else {
                throw FHIRError(.notFound, code: "not-found", "no bulk file \(file)")
            }
            return try await ndjson(type, since: try since(request))
        }
    }

    func since(_ request: Request) throws(FHIRError) -> Date? {
        guard let raw = request.uri.queryParameters["_since"] else { return nil }
        guard let dt = FHIRDateTime(String(raw)), dt.precision >= .second else {
            throw FHIRError(.badRequest, code: "invalid", "_since is an instant")
        }
        return Date(timeIntervalSince1970: dt.epochSeconds)
    }

    func manifest(_ request: Request) throws -> Response {
        let since = try since(request)
        let query = since.map { "?_since=\(AppointmentMapping.instantText($0))" } ?? ""
        let now = AppointmentMapping.instantText(services.booking.clock.now())
        let outputs = Self.types.map { #"{"type":"\#($0)","url":"\#(base.url)/$bulk-publish/\#($0).ndjson\#(query)"}"# }
        let body = """
            {"transactionTime":"\(now)","request":"\(base.url)/$bulk-publish\(query)","output":[\(outputs.joined(separator: ","))],"error":[]}
            """
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func ndjson(_ type: String, since: Date?) async throws -> Response {
        var lines: [UInt8] = []
        func append(_ e: Element) {
            lines += services.responses.codec.write(e, format: .json)
            lines.append(UInt8(ascii: "\n"))
        }
        switch type {
        case "Schedule":
            let schedules = ScheduleInteractions(services: services, base: base)
            for s in try await services.store.schedules() where s.active {
                append(try await schedules.resource(s).element)
            }
        case "Slot":
            let now = services.booking.clock.now()
            var zones: [String: ZoneResolver] = [:]
            for s in try await services.store.schedules() where s.active {
                zones[s.id] = try ZoneResolver(identifier: s.timeZone)
            }
            let slots = try await services.booking.findSlots(
                SlotQuery(from: now, to: now.addingTimeInterval(Double(windowDays) * 86400), onlyFree: false))
            for slot in slots {
                guard let zone = zones[slot.scheduleID] else { continue }
                var e = SlotMapping.resource(slot, zone: zone).element
                e.children.append(
                    Element(
                        name: "extension", type: "Extension",
                        children: [
                            Element(name: "url", type: "uri", value: Self.smartSlotCapacityURL),
                            Element(name: "value", type: "integer", value: String(max(0, slot.capacity - slot.booked))),
                        ]))
                append(e)
            }
        default:
            let docs = try await services.documents.search(
                type: type, criteria: [], lastUpdated: since.map { $0...Date.distantFuture })
            for doc in docs { append(try services.responses.codec.read(doc.body, format: .json)) }
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+ndjson"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: lines)))
    }

    /// SMART Scheduling Links: places left in a slot.
    public static let smartSlotCapacityURL = "http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity"
}
