import Booking
import BookingTestSupport
import Foundation
import Testing

/// Slot expansion in the schedule's IANA zone, across both Europe/Rome DST changes.
@Suite("Slot expansion")
struct SlotExpansionTests {
    let schedule = Schedule(id: "dr-rossi", resourceIDs: ["rossi"], timeZone: "Europe/Rome")
    let rome = try! ZoneResolver(identifier: "Europe/Rome")

    func rule(
        _ recurrence: Recurrence, _ openings: [OpeningHours], length: SlotLength = .fixed(minutes: 30),
        id: String = "r1",
        from: LocalDate = LocalDate(2025, 1, 1)
    ) -> AvailabilityRule {
        AvailabilityRule(
            id: id, scheduleID: "dr-rossi", recurrence: recurrence, openings: openings, validFrom: from,
            slotLength: length)
    }

    func locals(_ slots: [Slot]) -> [String] { slots.map { rome.iso8601($0.start) } }

    @Test("09:00-13:00 stays 09:00-13:00 local on both DST Sundays of 2025")
    func dstSundays() throws {
        let r = rule(.weekly(weekdays: [.sunday], interval: 1), [OpeningHours(LocalTime(9), LocalTime(13))])
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        let spring = x.slots(from: instant("2025-03-30T00:00:00+01:00"), to: instant("2025-03-31T00:00:00+02:00"))
        #expect(
            locals(spring)
                == (0..<8).map { i in "2025-03-30T\(String(format: "%02d:%02d", 9 + i / 2, (i % 2) * 30)):00+02:00" })
        #expect(spring.first?.start == instant("2025-03-30T07:00:00Z"))
        let autumn = x.slots(from: instant("2025-10-26T00:00:00+02:00"), to: instant("2025-10-27T00:00:00+01:00"))
        #expect(
            locals(autumn)
                == (0..<8).map { i in "2025-10-26T\(String(format: "%02d:%02d", 9 + i / 2, (i % 2) * 30)):00+01:00" })
        #expect(autumn.first?.start == instant("2025-10-26T08:00:00Z"))
        // The Sundays before keep the other offset.
        let before = x.slots(from: instant("2025-03-23T00:00:00+01:00"), to: instant("2025-03-24T00:00:00+01:00"))
        #expect(before.first?.start == instant("2025-03-23T08:00:00Z"))
    }

    @Test("an opening across the spring-forward gap has the real hours only; across fall-back, the repeated hour too")
    func openingAcrossTheChange() throws {
        let r = rule(.daily(interval: 1), [OpeningHours(LocalTime(0), LocalTime(4))], length: .fixed(minutes: 60))
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        let spring = x.slots(from: instant("2025-03-30T00:00:00+01:00"), to: instant("2025-03-30T05:00:00+02:00"))
        #expect(
            locals(spring) == ["2025-03-30T00:00:00+01:00", "2025-03-30T01:00:00+01:00", "2025-03-30T03:00:00+02:00"])
        let autumn = x.slots(from: instant("2025-10-26T00:00:00+02:00"), to: instant("2025-10-26T05:00:00+01:00"))
        #expect(
            locals(autumn) == [
                "2025-10-26T00:00:00+02:00", "2025-10-26T01:00:00+02:00", "2025-10-26T02:00:00+02:00",
                "2025-10-26T02:00:00+01:00", "2025-10-26T03:00:00+01:00",
            ])
    }

    @Test("a non-existent local time moves forward by the gap; a repeated one takes its first occurrence")
    func gapAndRepeat() {
        #expect(rome.instant(LocalDate(2025, 3, 30), minuteOfDay: 150) == instant("2025-03-30T03:30:00+02:00"))
        #expect(rome.instant(LocalDate(2025, 10, 26), minuteOfDay: 150) == instant("2025-10-26T02:30:00+02:00"))
        #expect(rome.instant(LocalDate(2025, 7, 1), minuteOfDay: 600) == instant("2025-07-01T10:00:00+02:00"))
        #expect(rome.local(instant("2025-10-26T01:30:00Z")).minuteOfDay == 150)
    }

    @Test("a rule crossing midnight runs into the next day")
    func crossingMidnight() throws {
        let r = rule(
            .weekly(weekdays: [.friday], interval: 1), [OpeningHours(LocalTime(22), LocalTime(2))],
            length: .fixed(minutes: 60))
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        let slots = x.slots(from: instant("2025-06-06T00:00:00+02:00"), to: instant("2025-06-08T00:00:00+02:00"))
        #expect(
            locals(slots) == [
                "2025-06-06T22:00:00+02:00", "2025-06-06T23:00:00+02:00", "2025-06-07T00:00:00+02:00",
                "2025-06-07T01:00:00+02:00",
            ])
    }

    @Test("buffers, grid and flexible slots")
    func buffersGridFlexible() throws {
        var r = rule(.daily(interval: 1), [OpeningHours(LocalTime(9), LocalTime(10))], length: .fixed(minutes: 20))
        r.bufferBeforeMinutes = 5
        r.bufferAfterMinutes = 5
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        let day = (instant("2025-06-02T00:00:00+02:00"), instant("2025-06-03T00:00:00+02:00"))
        #expect(locals(x.slots(from: day.0, to: day.1)) == ["2025-06-02T09:05:00+02:00", "2025-06-02T09:35:00+02:00"])
        r.gridMinutes = 15
        r.bufferBeforeMinutes = 0
        r.bufferAfterMinutes = 0
        let g = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        #expect(g.slots(from: day.0, to: day.1).count == 3)  // 09:00, 09:15, 09:30 (09:45 would end at 10:05)
        let f = try SlotExpander(
            schedule: schedule,
            rules: [
                rule(
                    .daily(interval: 1), [OpeningHours(LocalTime(14), LocalTime(18))],
                    length: .flexible(minMinutes: 15, maxMinutes: 120))
            ], exceptions: [])
        let flex = f.slots(from: day.0, to: day.1)
        #expect(flex.count == 1)
        #expect(flex.first?.flexibleMinutes == 15...120)
        #expect(flex.first?.end == instant("2025-06-02T18:00:00+02:00"))
    }

    @Test("recurrences: every other week, monthly days, the last Friday")
    func recurrences() {
        let anchor = LocalDate(2025, 6, 2)  // a Monday
        let biweekly = Recurrence.weekly(weekdays: [.monday], interval: 2)
        #expect(biweekly.matches(LocalDate(2025, 6, 16), anchor: anchor))
        #expect(!biweekly.matches(LocalDate(2025, 6, 9), anchor: anchor))
        #expect(Recurrence.monthlyOnDays([1, 31]).matches(LocalDate(2025, 7, 31), anchor: anchor))
        #expect(!Recurrence.monthlyOnDays([31]).matches(LocalDate(2025, 6, 30), anchor: anchor))
        #expect(
            Recurrence.monthlyOnWeekday(ordinal: -1, weekday: .friday).matches(LocalDate(2025, 6, 27), anchor: anchor))
        #expect(
            !Recurrence.monthlyOnWeekday(ordinal: -1, weekday: .friday).matches(LocalDate(2025, 6, 20), anchor: anchor))
        #expect(
            Recurrence.monthlyOnWeekday(ordinal: 1, weekday: .monday).matches(LocalDate(2025, 6, 2), anchor: anchor))
        #expect(Recurrence.daily(interval: 3).matches(LocalDate(2025, 6, 8), anchor: anchor))
        #expect(!Recurrence.daily(interval: 3).matches(LocalDate(2025, 6, 1), anchor: anchor))
        #expect(LocalDate(2025, 3, 30).weekday == .sunday)
        #expect(LocalDate(daysSinceEpoch: LocalDate(2024, 2, 29).daysSinceEpoch) == LocalDate(2024, 2, 29))
    }

    @Test("yearly holidays close every year; one-off closures and extra openings; validity ends")
    func exceptions() throws {
        let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
        var r = rule(
            .weekly(weekdays: weekdays, interval: 1), [OpeningHours(LocalTime(9), LocalTime(12))],
            length: .fixed(minutes: 60))
        r.validUntil = LocalDate(2027, 12, 31)
        let christmas = AvailabilityException(
            id: "natale", scope: .schedule("dr-rossi"), effect: .closure(.holiday),
            span: .days(from: LocalDate(2020, 12, 25), through: LocalDate(2020, 12, 25)), yearly: true)
        let ferragosto = AvailabilityException(
            id: "ferragosto", scope: .resource("rossi"), effect: .closure(.holiday),
            span: .days(from: LocalDate(2020, 8, 15), through: LocalDate(2020, 8, 15)), yearly: true)
        var saturdayTemplate = r
        saturdayTemplate.id = "extra-sat"
        let saturday = AvailabilityException(
            id: "sabato", scope: .schedule("dr-rossi"), effect: .extraOpening(template: saturdayTemplate),
            span: .timeRange(on: LocalDate(2025, 12, 20), from: LocalTime(8), to: LocalTime(10)))
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [christmas, ferragosto, saturday])
        func day(_ d: String) -> [Slot] {
            let start = rome.instant(LocalDate(d)!, minuteOfDay: 0)
            return x.slots(from: start, to: start.addingTimeInterval(86400))
        }
        for year in [2025, 2026] {
            let xmas = day("\(year)-12-25")
            #expect(xmas.allSatisfy { $0.status == .busyUnavailable && $0.closedBy == "natale" })
        }
        #expect(day("2025-12-25").count == 3)
        #expect(day("2025-08-15").allSatisfy { $0.closedBy == "ferragosto" })
        #expect(day("2025-12-24").allSatisfy { $0.status == .free })
        #expect(locals(day("2025-12-20")) == ["2025-12-20T08:00:00+01:00", "2025-12-20T09:00:00+01:00"])
        #expect(day("2025-12-27").isEmpty)
        #expect(day("2028-01-03").isEmpty)
    }

    @Test("slot ids are stable and readable, and parse back")
    func slotIDs() throws {
        let id = SlotID(scheduleID: "dr.rossi", start: instant("2025-03-30T09:00:00+02:00"))
        #expect(id.description == "dr.rossi.20250330T0700Z")
        #expect(SlotID("dr.rossi.20250330T0700Z") == id)
        #expect(SlotID("dr-rossi.20251332T0700Z") == nil)
        #expect(SlotID("nodot") == nil)
        let r = rule(.daily(interval: 1), [OpeningHours(LocalTime(9), LocalTime(10))])
        let x = try SlotExpander(schedule: schedule, rules: [r], exceptions: [])
        let listed = x.slots(from: instant("2025-06-02T00:00:00Z"), to: instant("2025-06-03T00:00:00Z"))
        for s in listed { #expect(x.slot(s.id) == s) }
    }
}
