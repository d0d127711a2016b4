import Foundation
import Model

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
        let t = UTCTime(unixSeconds: seconds)
        var out = UTCTime.pad(t.year, 4) + "-" + UTCTime.pad(t.month, 2) + "-" + UTCTime.pad(t.day, 2) + " "
            + UTCTime.pad(t.hour, 2) + ":" + UTCTime.pad(t.minute, 2) + ":" + UTCTime.pad(t.second, 2)
        if nanos != 0 {
            var fraction = String(format: "%09lld", nanos)
            while fraction.last == "0" { fraction.removeLast() }
            out += "." + fraction
        }
        return out + " +0000 UTC"
    }

    /// `%.Ng` as Go formats it (identical to C for an explicit precision).
    static func g(_ v: Double, precision: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.\(precision)g", v)
    }
}
