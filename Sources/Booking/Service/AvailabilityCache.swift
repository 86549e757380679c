import Synchronization

/// Expanders by schedule, valid for one availability version: a booking reads one version number instead of
/// every rule and exception of the schedule. A stale entry is never used, because every change to a schedule,
/// its rules or its exceptions bumps the version in the same transaction.
final class AvailabilityCache: Sendable {
    private struct Entry {
        var version: Int
        var expander: SlotExpander
    }

    private let entries = Mutex<[String: Entry]>([:])

    func expander(scheduleID: String, version: Int) -> SlotExpander? {
        entries.withLock { e in
            guard let entry = e[scheduleID], entry.version == version else { return nil }
            return entry.expander
        }
    }

    func store(_ expander: SlotExpander, version: Int) {
        entries.withLock { e in
            if let existing = e[expander.schedule.id], existing.version > version { return }
            e[expander.schedule.id] = Entry(version: version, expander: expander)
        }
    }
}
