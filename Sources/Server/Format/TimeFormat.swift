import Model

/// Prometheus' unix-seconds notation for `Timestamp` (milliseconds); RFC 3339 is `Model.UTCTime`.
enum TimeFormat {
    /// Prometheus' JSON timestamp: unix seconds with up to three decimals (`MarshalTimestamp`).
    static func unixSeconds(_ ms: Timestamp) -> String {
        var out = ms < 0 ? "-" : ""
        let magnitude = ms.magnitude
        out += String(magnitude / 1000)
        let fraction = Int(magnitude % 1000)
        if fraction != 0 { out += "." + UTCTime.pad(fraction, 3) }
        return out
    }
}
