/// Formats sample values and timestamps as Prometheus' HTTP API does.
public enum ValueFormat {
    /// A value as Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip,
    /// never an exponent; `NaN`, `+Inf`, `-Inf` for the specials.
    public static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        let text = "\(v)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        // Expand `d.ddde±x` into plain decimal notation.
        let mantissa = text[..<e]
        let exponent = Int(text[text.index(after: e)...])!
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa[...]
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var point = intPart.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var whole = String(digits.prefix(point))
        var fraction = String(digits.dropFirst(point))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        while whole.count > 1 && whole.hasPrefix("0") { whole.removeFirst() }
        let body = fraction.isEmpty ? whole : "\(whole).\(fraction)"
        return negative ? "-" + body : body
    }

    /// A millisecond timestamp as unix seconds with up to three decimals (`1700000000.5`).
    public static func seconds(_ ms: Timestamp) -> String {
        let whole = ms / 1000
        let rest = abs(ms % 1000)
        if rest == 0 { return "\(whole)" }
        var fraction = String(rest)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = (ms < 0 && whole == 0) ? "-" : ""
        return "\(sign)\(whole).\(fraction)"
    }
}
