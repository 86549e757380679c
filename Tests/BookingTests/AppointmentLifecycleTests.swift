import Booking
import Testing

/// Every transition, allowed and forbidden, against the documented table.
@Suite("Appointment lifecycle")
struct AppointmentLifecycleTests {
    static let allowed: [AppointmentStatus: Set<AppointmentStatus>] = [
        .proposed: [.pending, .booked, .waitlist, .cancelled, .enteredInError],
        .waitlist: [.proposed, .pending, .booked, .cancelled, .enteredInError],
        .pending: [.proposed, .booked, .cancelled, .enteredInError],
        .booked: [.checkedIn, .arrived, .cancelled, .noshow, .enteredInError],
        .checkedIn: [.arrived, .fulfilled, .cancelled, .enteredInError],
        .arrived: [.fulfilled, .enteredInError],
        .fulfilled: [.enteredInError], .cancelled: [.enteredInError], .noshow: [.enteredInError],
        .enteredInError: [],
    ]

    static let pairs: [(AppointmentStatus, AppointmentStatus)] = AppointmentStatus.allCases.flatMap { f in
        AppointmentStatus.allCases.map { (f, $0) }
    }

    @Test("each of the 100 (from, to) pairs is allowed exactly when the table says so", arguments: pairs)
    func transition(from: AppointmentStatus, to: AppointmentStatus) {
        let expected = Self.allowed[from]!.contains(to)
        #expect(AppointmentLifecycle.canTransition(from: from, to: to) == expected)
        do {
            let action = try AppointmentLifecycle.transition(from: from, to: to)
            #expect(expected)
            switch (from.holdsCapacity, to.holdsCapacity) {
            case (false, true): #expect(action == .claim)
            case (true, false): #expect(action == .release)
            default: #expect(action == .none)
            }
        } catch {
            #expect(!expected)
            #expect(error == .invalidTransition(from: from, to: to))
        }
    }

    @Test("cancelled and noshow free capacity; booked, arrived, checked-in and fulfilled hold it")
    func capacity() throws {
        #expect(try AppointmentLifecycle.transition(from: .booked, to: .cancelled) == .release)
        #expect(try AppointmentLifecycle.transition(from: .booked, to: .noshow) == .release)
        #expect(try AppointmentLifecycle.transition(from: .waitlist, to: .booked) == .claim)
        #expect(try AppointmentLifecycle.transition(from: .booked, to: .arrived) == .none)
        #expect(
            AppointmentStatus.allCases.filter(\.holdsCapacity) == [.pending, .booked, .arrived, .fulfilled, .checkedIn])
    }
}
