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
        JSONText.appendQuoted(name, to: &text)
        text += ":"
        needsComma = false
    }

    mutating func string(_ value: String) { separator(); JSONText.appendQuoted(value, to: &text); needsComma = true }
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
}
