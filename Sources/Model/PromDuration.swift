/// Prometheus-style durations: `500ms`, `15s`, `5m`, `2h`, `1d`, `1w`, `1y` and combinations in
/// descending unit order such as `1h30m`. Values are milliseconds.
public enum PromDuration {
    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// The longest duration: Prometheus keeps durations as Go `time.Duration` nanoseconds and
    /// rejects longer ones as "duration out of range" (about 292 years). The cap also leaves
    /// headroom for the arithmetic done on configured durations (`2 * repeat_interval`, `now + for`).
    public static let maxMilliseconds: Int64 = Int64.max / 1_000_000

    /// Why a text is not a duration.
    public enum Failure: Error, Sendable, Equatable {
        /// Empty, no unit, an unknown unit or units out of order.
        case syntax
        /// Well formed but longer than `maxMilliseconds`.
        case outOfRange
    }

    /// Parses a duration; returns nil for anything else (empty, no unit, units out of order, out of range).
    public static func parse(_ text: String) -> Int64? { try? parseChecked(text).get() }

    /// Parses a duration, saying why the text is not one.
    public static func parseChecked(_ text: String) -> Result<Int64, Failure> {
        if text == "0" { return .success(0) }
        var total: Int64 = 0
        var rest = Substring(text)
        var lastUnitIndex = -1
        var outOfRange = false
        guard !rest.isEmpty else { return .failure(.syntax) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return .failure(.syntax) }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix { $0.isASCII && $0.isLetter }
            // "ms" must win over "m" followed by "s".
            let unit: String
            if unitText.hasPrefix("ms") { unit = "ms" } else if let first = unitText.first { unit = String(first) } else { return .failure(.syntax) }
            guard let index = units.firstIndex(where: { $0.0 == unit }), index > lastUnitIndex else { return .failure(.syntax) }
            lastUnitIndex = index
            rest = rest.dropFirst(unit.count)
            guard !outOfRange, let number = Int64(digits) else {
                outOfRange = true
                continue
            }
            let (product, overflow1) = number.multipliedReportingOverflow(by: units[index].1)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow1 || overflow2 || sum > maxMilliseconds { outOfRange = true }
            total = sum
        }
        return outOfRange ? .failure(.outOfRange) : .success(total)
    }

    /// `duration` in fractional seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A `Duration` in whole milliseconds (truncated), the unit configs and samples use.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Formats milliseconds the way Prometheus prints durations (`1h30m`, `500ms`, `0s`).
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        // The magnitude, so Int64.min formats instead of trapping in abs().
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for (name, size) in units where rest >= UInt64(size) {
            out += "\(rest / UInt64(size))\(name)"
            rest %= UInt64(size)
        }
        return out
    }
}
