import ArgumentParser
import Booking
import BookingSQLite
import Foundation

/// `booking-gateway race`: many concurrent bookings of one slot against a store, for the concurrency proofs
/// (run from several processes on the same SQLite file). Prints `{"booked": n, "conflicts": n, "errors": n}`.
struct RaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "race",
        abstract: "Book one slot from many concurrent tasks (concurrency proof; the store must be seeded).",
        shouldDisplay: false
    )

    @Option(help: "SQLite database file.") var database: String
    @Option(help: "The slot id to book.") var slot: String
    @Option(help: "Booking attempts.") var attempts = 100
    @Option(help: "Patient id prefix (unique per process).") var patientPrefix = "p"

    func run() async throws {
        guard let slotID = SlotID(slot) else { throw ValidationError("not a slot id: \(slot)") }
        let store = try SQLiteBookingStore(path: database)
        let service = BookingService(store: store)
        var booked = 0
        var conflicts = 0
        var errors: [String] = []
        await withTaskGroup(of: Result<Bool, any Error>.self) { group in
            for i in 0..<attempts {
                group.addTask {
                    do {
                        let request = BookingRequest(
                            slotIDs: [slotID],
                            participants: [Participant(actor: ParticipantActor(.patient, "\(patientPrefix)\(i)"))])
                        return .success(try await service.book(request).created)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for await result in group {
                switch result {
                case .success: booked += 1
                case .failure(let e as BookingError) where e.isConflict: conflicts += 1
                case .failure(let e): errors.append(String(describing: e))
                }
            }
        }
        print("{\"booked\": \(booked), \"conflicts\": \(conflicts), \"errors\": \(errors.count)}")
        for e in errors.prefix(5) { printError(e) }
    }
}
