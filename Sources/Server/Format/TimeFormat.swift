import Model

/// RFC 3339 and unix-seconds conversions for `Timestamp` (milliseconds), without Foundation.
enum TimeFormat {
    /// Go's `time.RFC3339Nano` in UTC (`2026-11-23T16:38:15.12Z`): fraction without trailing zeros.
    static func rfc3339(_ ms: Timestamp) -> String { UTCTime(ms).rfc3339 }

    /// Prometheus' JSON timestamp: unix seconds with up to three decimals (`MarshalTimestamp`).
    static func unixSeconds(_ ms: Timestamp) -> String {
        var out = ms < 0 ? "-" : ""
        let magnitude = ms.magnitude
        out += String(magnitude / 1000)
        let fraction = Int(magnitude % 1000)
        if fraction != 0 { out += "." + UTCTime.pad(fraction, 3) }
        return out
    }

    /// Parses RFC 3339 (`2026-11-23T16:38:15.123+01:00`, `Z`, any fraction); nil when malformed.
    static func parseRFC3339(_ text: String) -> Timestamp? { UTCTime.parseRFC3339(text) }
}
