/// Prometheus' `humanize*` functions, digit for digit (`%.4g` plus a unit prefix).
enum Humanize {
    static func humanize(_ value: Double) -> String {
        var v = value
        if v == 0 || !v.isFinite { return GoFormat.g(v, precision: 4) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
            return GoFormat.g(v, precision: 4) + prefix
        }
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.g(v, precision: 4) + prefix
    }

    static func humanize1024(_ value: Double) -> String {
        var v = value
        if abs(v) <= 1 || !v.isFinite { return GoFormat.g(v, precision: 4) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFormat.g(v, precision: 4) + prefix
    }

    static func duration(_ value: Double) -> String {
        var v = value
        if !v.isFinite { return GoFormat.g(v, precision: 4) }
        if v == 0 { return GoFormat.g(v, precision: 4) + "s" }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 { sign = "-"; v = -v }
            let total = goInt64(v)
            let seconds = total % 60, minutes = (total / 60) % 60, hours = (total / 3600) % 24, days = total / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.g(v, precision: 4) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.g(v, precision: 4) + prefix + "s"
    }
}

/// Go's `int64(f)` on amd64: out-of-range values become the minimum integer instead of trapping.
func goInt64(_ v: Double) -> Int64 {
    guard v.isFinite, v > -9.223372036854775808e18, v < 9.223372036854775807e18 else { return Int64.min }
    return Int64(v)
}
