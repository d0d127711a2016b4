import Model

/// The type a `# TYPE` line declares. The text format's `untyped` is `unknown`, as in OpenMetrics.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown

    /// The type a `# TYPE` line of `format` names at `range`, or nil if the format does not know
    /// it. Read from the bytes, without making a `String`.
    init?(_ lexer: Lexer, _ range: Range<Int>, format: ExpositionFormat) {
        for type in MetricType.allCases where type.exists(in: format) && lexer.equals(range, type.typeName(format)) {
            self = type
            return
        }
        return nil
    }

    /// Whether the text format 0.0.4 has this type too (OpenMetrics has them all).
    private func exists(in format: ExpositionFormat) -> Bool {
        switch self {
        case .gaugehistogram, .info, .stateset: format == .openMetrics
        default: true
        }
    }

    /// How `format` spells this type in a `# TYPE` line.
    private func typeName(_ format: ExpositionFormat) -> StaticString {
        switch self {
        case .counter: "counter"
        case .gauge: "gauge"
        case .histogram: "histogram"
        case .gaugehistogram: "gaugehistogram"
        case .summary: "summary"
        case .info: "info"
        case .stateset: "stateset"
        case .unknown: format == .prometheusText ? "untyped" : "unknown"
        }
    }
}

/// One entry of a payload, in input order.
public enum ExpositionEntry: Sendable, Equatable {
    /// `# HELP name text`, with the text unescaped.
    case help(metric: String, text: String)
    /// `# TYPE name type`.
    case type(metric: String, type: MetricType)
    /// `# UNIT name unit` (OpenMetrics only).
    case unit(metric: String, unit: String)
    /// One sample: labels including `__name__`; the timestamp in milliseconds if the line had one.
    /// Exemplars are validated and dropped.
    case sample(labels: Labels, value: Double, timestamp: Timestamp?)
}

/// One sample, as `ExpositionParser.nextSample()` returns it.
public struct ExpositionSample: Sendable {
    /// The series, `__name__` included.
    public let labels: Labels
    /// The sample value.
    public let value: Double
    /// In milliseconds, if the line had a timestamp.
    public let timestamp: Timestamp?
}
