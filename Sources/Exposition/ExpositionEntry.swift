import Model

/// The type a `# TYPE` line declares. The text format's `untyped` is `unknown`, as in OpenMetrics.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown

    /// The type named in a `# TYPE` line of `format`, or nil if the format does not know it.
    init?(typeName: String, format: ExpositionFormat) {
        switch (typeName, format) {
        case ("untyped", .prometheusText): self = .unknown
        case ("counter", _), ("gauge", _), ("histogram", _), ("summary", _): self.init(rawValue: typeName)
        case ("gaugehistogram", .openMetrics), ("info", .openMetrics), ("stateset", .openMetrics),
             ("unknown", .openMetrics):
            self.init(rawValue: typeName)
        default: return nil
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
