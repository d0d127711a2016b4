import Model

/// Writes JSON text directly, in a fixed key order, so responses match Prometheus' and
/// Alertmanager's byte for byte. Strings are escaped as Go's `encoding/json` does, including
/// `<`, `>` and `&`.
struct JSONWriter {
    private(set) var text: String
    /// Whether the next value in the current object or array needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 256) {
        text = ""
        text.reserveCapacity(capacity)
    }

    mutating func beginObject() { separator(); text += "{"; needsComma = false }
    mutating func endObject() { text += "}"; needsComma = true }
    mutating func beginArray() { separator(); text += "["; needsComma = false }
    mutating func endArray() { text += "]"; needsComma = true }

    /// Writes `"name":`; the value that follows must not add a comma.
    mutating func key(_ name: String) {
        separator()
        JSONWriter.appendQuoted(name, to: &text)
        text += ":"
        needsComma = false
    }

    mutating func string(_ value: String) { separator(); JSONWriter.appendQuoted(value, to: &text); needsComma = true }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    mutating func null() { raw("null") }
    mutating func int(_ value: Int64) { raw(String(value)) }
    /// A JSON number as Go's encoder writes a float64 ('f' or 'e' for very small or large values).
    mutating func number(_ value: Double) {
        guard value.isFinite else { null(); return }
        let magnitude = Swift.abs(value)
        raw(GoFloat.format(value, exponent: magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)))
    }
    /// A value already in JSON syntax.
    mutating func raw(_ json: String) { separator(); text += json; needsComma = true }

    mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    mutating func field(_ name: String, number value: Double) { key(name); number(value) }

    /// A label set as an object, in label-name order.
    mutating func labels(_ labels: Labels) {
        beginObject()
        for label in labels { field(label.name, label.value) }
        endObject()
    }

    /// A sample pair `[<unix seconds>, "<value>"]`.
    mutating func samplePair(_ sample: Sample) {
        beginArray()
        raw(TimeFormat.unixSeconds(sample.timestamp))
        string(GoFloat.sampleValue(sample.value))
        endArray()
    }

    private mutating func separator() {
        if needsComma { text += "," }
    }

    private static let hex: [Character] = Array("0123456789abcdef")

    static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        // Fast path: nothing to escape.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) {
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
                out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
        return out
    }
}
