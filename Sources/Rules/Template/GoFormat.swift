import Foundation

/// Go's `fmt` formatting for the values templates print: `%v` of a float64, `time.Time.String`,
/// and `Sprintf` with the verbs templates use.
enum GoFormat {
    /// `fmt.Sprint(float64)` (`%v`): the shortest digits that round-trip, in `%e` form when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `123456`), as Go's strconv does.
    static func shortest(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let (negative, digits, pointPosition) = decimalDigits(v)
        let exponent = pointPosition - 1
        var out = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            out += String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            out += exponentSuffix(exponent)
            return out
        }
        if pointPosition <= 0 {
            out += "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            out += digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            out += digits[..<index] + "." + digits[index...]
        }
        return out
    }

    /// `strconv.FormatFloat(v, 'E', -1, 64)`: shortest digits as `d.dddE±dd`.
    static func exponent(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0E+00" : "0E+00" }
        let (negative, digits, pointPosition) = decimalDigits(v)
        var out = negative ? "-" : ""
        out += String(digits.first!)
        if digits.count > 1 { out += "." + digits.dropFirst() }
        return out + exponentSuffix(pointPosition - 1).uppercased()
    }

    private static func exponentSuffix(_ exponent: Int) -> String {
        let magnitude = abs(exponent)
        return "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }

    /// The shortest round-trip digits of |v| (no leading or trailing zeros) and where the decimal
    /// point goes relative to the first digit. Swift's `description` is already shortest round-trip.
    private static func decimalDigits(_ v: Double) -> (Bool, String, Int) {
        var text = Substring(v.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts[0]
        let fracPart = parts.count > 1 ? parts[1] : ""
        var digits = String(intPart) + fracPart
        var point = intPart.count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (v.sign == .minus, digits, point)
    }

    /// `time.Time.String()` of a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`.
    static func time(seconds: Int64, nanos: Int64) -> String {
        let days = Int64((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        var out = String(format: "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", y, m, d,
                         secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        if nanos != 0 {
            var fraction = String(format: "%09lld", nanos)
            while fraction.last == "0" { fraction.removeLast() }
            out += "." + fraction
        }
        return out + " +0000 UTC"
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `%.Ng` as Go formats it (identical to C for an explicit precision).
    static func g(_ v: Double, precision: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.\(precision)g", v)
    }
}
