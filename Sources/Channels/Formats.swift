import Foundation
import Model

/// Text formats the channels share: JSON with stable key order, RFC 3339 and RFC 5322 dates.
enum Formats {
    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `Mon, 23 Nov 2026 16:50:18 +0000` (RFC 5322 §3.3).
    static func rfc5322(_ ms: Timestamp) -> String {
        let t = UTCTime(ms)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[t.weekday]), \(UTCTime.pad(t.day, 2)) \(months[t.month - 1]) \(t.year) "
            + "\(UTCTime.pad(t.hour, 2)):\(UTCTime.pad(t.minute, 2)):\(UTCTime.pad(t.second, 2)) +0000"
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
