import Model

/// Builds the Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, then samples, with
/// label values and help text escaped and values formatted as the Go client formats them.
///
/// Families are written in the order they are added; add each family once.
public struct MetricsText: Sendable {
    /// The metric types of the text format.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram, summary, untyped
    }

    /// The text built so far.
    public private(set) var text = ""

    /// Creates an empty exposition.
    public init() {}

    /// Starts a family: writes its HELP and TYPE lines.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(MetricsText.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// Writes one sample line; `name` includes any suffix (`_bucket`, `_sum`, `_count`).
    public mutating func sample(_ name: String, _ labels: Labels = Labels(), _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            var first = true
            for label in labels {
                if !first { text += "," }
                first = false
                text += label.name + "=\"" + Labels.escape(label.value) + "\""
            }
            text += "}"
        }
        text += " " + MetricsText.formatValue(value) + "\n"
    }

    /// A family with one unlabelled sample.
    public mutating func single(_ name: String, _ type: MetricType, help: String, _ value: Double) {
        family(name, type, help: help)
        sample(name, Labels(), value)
    }

    /// Appends text that is already in the exposition format.
    public mutating func append(_ other: MetricsText) { text += other.text }

    static func formatValue(_ value: Double) -> String {
        if value == 1 { return "1" }
        if value == 0 { return "0" }
        if value == -1 { return "-1" }
        return GoFloat.general(value)
    }

    static func escapeHelp(_ help: String) -> String {
        guard help.contains(where: { $0 == "\\" || $0 == "\n" }) else { return help }
        return help.replacingBackslashesAndNewlines()
    }
}

extension String {
    fileprivate func replacingBackslashesAndNewlines() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
