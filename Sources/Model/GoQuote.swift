/// Go's `strconv.Quote`, which Prometheus uses for the `%q` in its error messages and templates:
/// a double-quoted literal with `"` and `\` escaped, the C escapes (`\a \b \f \n \r \t \v`) for
/// those control characters, `\xNN` for the other ASCII controls and DEL, and `\uNNNN` for the
/// C1 controls and the line and paragraph separators. Other characters are kept as they are.
public func goQuoted(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            switch scalar.value {
            case 0..<0x20, 0x7F: out += "\\x" + hexDigits(scalar.value, count: 2)
            case 0x80..<0xA0, 0x2028, 0x2029: out += "\\u" + hexDigits(scalar.value, count: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

private func hexDigits(_ value: UInt32, count: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, count - digits.count)) + digits
}
