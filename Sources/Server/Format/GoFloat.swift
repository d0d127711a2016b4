/// Float formatting as Prometheus writes it, which is Go's `strconv.FormatFloat`.
///
/// Swift's `description` already yields the shortest digits that round-trip; only the layout
/// differs from Go's, so the digits are taken from it and laid out again.
enum GoFloat {
    /// Sample values in query results (`jsonutil.MarshalValue`): `'f'`, switching to `'e'`
    /// below 1e-6 and from 1e21, `+Inf`, `-Inf`, `NaN`.
    static func sampleValue(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        if magnitude != 0, magnitude.isFinite, magnitude < 1e-6 || magnitude >= 1e21 {
            return format(value, exponent: true)
        }
        return format(value, exponent: false)
    }

    /// `strconv.FormatFloat(value, 'f' or 'e', -1, 64)`.
    static func format(_ value: Double, exponent: Bool) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 {
            let sign = value.sign == .minus ? "-" : ""
            return sign + (exponent ? "0e+00" : "0")
        }
        let (negative, digits, point) = decimalDigits(value)
        var out = negative ? "-" : ""
        if exponent {
            out.append(digits.first!)
            if digits.count > 1 {
                out.append(".")
                out.append(contentsOf: digits.dropFirst())
            }
            let exp = point - 1
            out += exp < 0 ? "e-" : "e+"
            let magnitude = Swift.abs(exp)
            if magnitude < 10 { out += "0" }
            out += String(magnitude)
            return out
        }
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out += digits + String(repeating: "0", count: point - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: point)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// The shortest round-trip digits (no leading or trailing zeros) and the position of the
    /// decimal point: value = 0.DIGITS × 10^point.
    static func decimalDigits(_ value: Double) -> (negative: Bool, digits: String, point: Int) {
        let text = Swift.abs(value).description
        var mantissa = Substring(text)
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exp = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var point = 0
        var seenPoint = false
        for ch in mantissa {
            if ch == "." { seenPoint = true; continue }
            if !seenPoint { point += 1 }
            digits.append(ch)
        }
        // Strip leading zeros (each moves the point left) and trailing zeros.
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (value < 0, digits, point + exp)
    }
}

extension GoFloat {
    /// `strconv.FormatFloat(value, 'g', -1, 64)`, which the Go client uses in the text format.
    /// For the shortest form Go switches to the exponent form when the decimal exponent is below
    /// -4 or at least 6, so 1234567 is `1.234567e+06` and 0.00001 is `1e-05`.
    static func general(_ value: Double) -> String {
        if !value.isFinite || value == 0 { return format(value, exponent: false) }
        let exp = decimalDigits(value).point - 1
        return format(value, exponent: exp < -4 || exp >= 6)
    }
}
