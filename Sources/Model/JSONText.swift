/// JSON string literals as Go's `encoding/json` writes them, which is what Prometheus' API,
/// Alertmanager's and Prometheus' alert payloads use: `"`, `\` and control characters escaped,
/// and `<`, `>`, `&`, U+2028 and U+2029 written as `\u` escapes (safe inside HTML and JavaScript).
public enum JSONText {
    private static let hex: [Character] = Array("0123456789abcdef")

    /// Appends `value` to `out` as a JSON string literal, quotes included. With `htmlSafe` false
    /// (for text people read, such as log lines) `<`, `>`, `&`, U+2028 and U+2029 stay as they are.
    public static func appendQuoted(_ value: String, to out: inout String, htmlSafe: Bool = true) {
        out += "\""
        // Fast path: nothing to escape (0xE2 leads U+2028 and U+2029 in UTF-8).
        if !value.utf8.contains(where: {
            $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (htmlSafe && ($0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2))
        }) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                if htmlSafe { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    /// `value` as a JSON string literal, quotes included (see `appendQuoted`).
    public static func quoted(_ value: String, htmlSafe: Bool = true) -> String {
        var out = ""
        appendQuoted(value, to: &out, htmlSafe: htmlSafe)
        return out
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
        return out
    }
}
