import Foundation

/// The time source of the domain; tests replace it with a manual clock.
public protocol BookingClock: Sendable {
    func now() -> Date
}

/// Wall-clock time.
public struct SystemClock: BookingClock {
    public init() {}
    public func now() -> Date { Date() }
}
