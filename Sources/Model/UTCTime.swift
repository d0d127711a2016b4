/// A moment's calendar fields in UTC, in the proleptic Gregorian calendar (Howard Hinnant's
/// days-from-civil algorithms), without Foundation: what the API, the notification formats,
/// PromQL's `year()` family and the templates print. Also the RFC 3339 spellings they share.
public struct UTCTime: Hashable, Sendable {
    public let year: Int
    /// 1 (January) through 12.
    public let month: Int
    /// 1 through 31.
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// 0 through 999.
    public let millisecond: Int
    /// The day of the week, 0 for Sunday (Go's `time.Weekday`).
    public let weekday: Int
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int64

    /// The fields of `timestamp` (milliseconds since the epoch).
    public init(_ timestamp: Timestamp) {
        let seconds = UTCTime.floorDiv(timestamp, 1000)
        self.init(unixSeconds: seconds, millisecond: Int(timestamp - seconds * 1000))
    }

    /// The fields of a whole number of seconds since the epoch.
    public init(unixSeconds: Int64) {
        self.init(unixSeconds: unixSeconds, millisecond: 0)
    }

    private init(unixSeconds seconds: Int64, millisecond: Int) {
        let days = UTCTime.floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = Int(doy - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        self.millisecond = millisecond
        weekday = Int(((days % 7) + 11) % 7)   // 1970-01-01 was a Thursday (4).
        daysSinceEpoch = days
    }

    /// Days since 1970-01-01 of a date (`month` 1...12).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Go's `time.RFC3339Nano` at millisecond precision: `2026-11-23T16:38:15.12Z`, the
    /// fraction only when non-zero and without trailing zeros (Prometheus' API and webhooks).
    public var rfc3339: String {
        var out = dateAndTime
        if millisecond != 0 {
            var fraction = UTCTime.pad(millisecond, 3)
            while fraction.last == "0" { fraction.removeLast() }
            out += "." + fraction
        }
        return out + "Z"
    }

    /// RFC 3339 with exactly three fraction digits, `2026-11-23T19:31:33.120Z`, as go-openapi's
    /// `strfmt.DateTime` (Alertmanager's API) writes it.
    public var rfc3339Milliseconds: String {
        dateAndTime + "." + UTCTime.pad(millisecond, 3) + "Z"
    }

    /// Go's zero time in RFC 3339: what Prometheus and Alertmanager write for "never" (a rule not
    /// evaluated yet, a firing alert's `endsAt`).
    public static let goZeroTime = "0001-01-01T00:00:00Z"

    /// `2026-11-23T16:38:15`.
    private var dateAndTime: String {
        UTCTime.pad(year, 4) + "-" + UTCTime.pad(month, 2) + "-" + UTCTime.pad(day, 2) + "T"
            + UTCTime.pad(hour, 2) + ":" + UTCTime.pad(minute, 2) + ":" + UTCTime.pad(second, 2)
    }

    /// `value` in decimal, zero-padded on the left to `width` digits.
    public static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
