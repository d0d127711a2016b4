import Foundation
import Model

/// When a daily report is due: a pure function of the configured local time, the zone, the day
/// it was last sent and `now`, so tests drive it with any clock.
///
/// - A report is due once per local day, at `hour:minute` local time.
/// - Catch-up: when the daemon was down at that time and runs later the same local day, the report
///   is due at once; a day that passed entirely is not sent late.
/// - DST: a time the clocks skip (02:30 on a spring-forward night) fires at the next valid instant
///   (03:00); a time that occurs twice fires at the first occurrence. The last-sent day keeps it to
///   once a day either way.
public enum ReportSchedule {
    /// What to do now.
    public enum Decision: Sendable, Hashable {
        /// Send the report for local day `day` (`YYYY-MM-DD`).
        case send(day: String)
        /// Nothing to do before `until` (ms).
        case wait(until: Timestamp)
    }

    /// The decision for one report at `now` (ms).
    public static func decide(hour: Int, minute: Int, timeZone: TimeZone, lastSentDay: String?,
                              now: Timestamp) -> Decision {
        let calendar = calendar(timeZone)
        let today = calendar.startOfDay(for: date(now))
        let day = dayString(today, calendar)
        let due = instant(day: today, hour: hour, minute: minute, calendar: calendar)
        if now < due { return .wait(until: due) }
        guard let last = lastSentDay, last >= day else { return .send(day: day) }
        let tomorrow = calendar.startOfDay(for: calendar.date(byAdding: .day, value: 1, to: today) ?? today.addingTimeInterval(86_400))
        return .wait(until: instant(day: tomorrow, hour: hour, minute: minute, calendar: calendar))
    }

    /// The local day containing `time`, as `YYYY-MM-DD`.
    public static func day(of time: Timestamp, in timeZone: TimeZone) -> String {
        let calendar = calendar(timeZone)
        return dayString(calendar.startOfDay(for: date(time)), calendar)
    }

    /// Local midnight `daysBack` days before the day containing `time` (0: that day's midnight), ms.
    public static func midnight(of time: Timestamp, daysBack: Int, in timeZone: TimeZone) -> Timestamp {
        let calendar = calendar(timeZone)
        let today = calendar.startOfDay(for: date(time))
        let day = calendar.date(byAdding: .day, value: -daysBack, to: today).map(calendar.startOfDay) ?? today
        return ms(day)
    }

    /// The instant `hour:minute` local time happens on the day starting at `day`.
    static func instant(day: Date, hour: Int, minute: Int, calendar: Calendar) -> Timestamp {
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let wallDate = utc.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: hour, minute: minute)) ?? day
        // The wall-clock reading as if it were UTC; the real instant is that minus the zone's offset then.
        let wall = Int64(wallDate.timeIntervalSince1970)
        let zone = calendar.timeZone
        let offsets = Set([-86_400, 0, 86_400].map { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + Int64($0))))) })
        let valid = offsets.map { wall - $0 }.filter { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) == wall - $0 }
        if let first = valid.min() { return first * 1000 }
        // In a gap the clocks skipped: the first instant after it.
        let earliest = offsets.map { wall - $0 }.min() ?? wall
        let transition = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(earliest)))
        return transition.map(ms) ?? (offsets.map { wall - $0 }.max() ?? wall) * 1000
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func dayString(_ day: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    private static func date(_ ms: Timestamp) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    private static func ms(_ date: Date) -> Timestamp { Timestamp((date.timeIntervalSince1970 * 1000).rounded()) }
}
