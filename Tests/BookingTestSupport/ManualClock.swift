import Booking
import Foundation
import Synchronization

/// A clock tests move by hand.
public final class ManualClock: BookingClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(minutes: Double) {
        current.withLock { $0 = $0.addingTimeInterval(minutes * 60) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

/// `2025-03-30T09:00:00+02:00`-style text to Date (tests only).
public func instant(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: text) else { fatalError("bad instant \(text)") }
    return d
}
