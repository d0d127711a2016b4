import Foundation
import Model

/// Text formats the channels share: JSON with stable key order, RFC 3339 and RFC 5322 dates.
enum Formats {
    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `2026-11-23T16:50:18.123Z` (fraction only when non-zero), as Go's RFC3339Nano prints it.
    static func rfc3339(_ ms: Timestamp) -> String {
        let c = civil(ms)
        var out = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        let fraction = Int(((ms % 1000) + 1000) % 1000)
        if fraction != 0 {
            var digits = pad(fraction, 3)
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out + "Z"
    }

    /// `Mon, 23 Nov 2026 16:50:18 +0000` (RFC 5322 §3.3).
    static func rfc5322(_ ms: Timestamp) -> String {
        let c = civil(ms)
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dayNumber = Int((ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000)) / 86_400_000)
        let weekday = days[((dayNumber % 7) + 7) % 7]
        return "\(weekday), \(pad(c.day, 2)) \(months[c.month - 1]) \(c.year) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) +0000"
    }

    /// Go's zero time, which Alertmanager sends as `endsAt` of firing alerts.
    static let zeroTime = "0001-01-01T00:00:00Z"

    private struct Civil { var year, month, day, hour, minute, second: Int }

    // Howard Hinnant's days-to-civil algorithm, valid for the proleptic Gregorian calendar.
    private static func civil(_ ms: Timestamp) -> Civil {
        let seconds = Int(floorDiv(ms, 1000))
        let days = floorDiv(Int64(seconds), 86_400)
        let secondOfDay = seconds - Int(days) * 86_400
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(year: year, month: month, day: day, hour: secondOfDay / 3600,
                     minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Formats an alert value the way people read it: integers plainly, others with up to 4 decimals.
    static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let s = String(format: "%.4f", v)
        var trimmed = Substring(s)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// Cuts text to at most `limit` characters, marking the cut with `…`.
    static func truncate(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}

/// Hides the secret parts of URLs (path, query, user info) for logs and errors.
public enum Redact {
    /// `https://hooks.slack.com/services/T0/B0/XXX` → `https://hooks.slack.com/<redacted>`.
    public static func url(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "<redacted>" }
        let rest = url[schemeEnd.upperBound...]
        var host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        return url[..<schemeEnd.upperBound] + host + "/<redacted>"
    }
}
