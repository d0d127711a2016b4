/// One shorthand alert (`alerts[]`); Rules compiles it to an expression.
public struct AlertConfig: Sendable {
    public enum Kind: Sendable, Hashable {
        /// `probe_success{check="C"} == 0`.
        case checkFailing(check: String)
        case errorRate(ErrorRate)
        case latency(Latency)
        case dailyCost(DailyCost)
        case expr(String)
    }

    public struct ErrorRate: Sendable, Hashable {
        /// PromQL selectors.
        public var total: String
        public var errors: String
        /// ms, default 5m.
        public var window: Int64
        public var by: [String]

        /// Memberwise initialiser, for building configs in code.
        public init(total: String, errors: String, window: Int64, by: [String]) {
            self.total = total
            self.errors = errors
            self.window = window
            self.by = by
        }
    }

    public struct Latency: Sendable, Hashable {
        /// Selector of the histogram without `_bucket`.
        public var histogram: String
        /// In [0, 1].
        public var quantile: Double
        /// ms, default 5m.
        public var window: Int64

        /// Memberwise initialiser, for building configs in code.
        public init(histogram: String, quantile: Double, window: Int64) {
            self.histogram = histogram
            self.quantile = quantile
            self.window = window
        }
    }

    public enum DailyCost: Sendable, Hashable {
        /// A counter selector: its increase since local midnight, summed.
        case counter(String)
        /// A gauge series already holding today's total (e.g. an `sql` source), summed.
        case series(String)
    }

    public enum Threshold: Sendable, Hashable {
        case above(Double)
        case below(Double)
    }

    public var name: String
    public var kind: Kind
    /// Required for error_rate, latency and daily_cost; not allowed otherwise. Durations are seconds.
    public var threshold: Threshold?
    /// ms, default 0.
    public var forDuration: Int64
    /// ms, default 0.
    public var keepFiringFor: Int64
    /// Becomes the `severity` label when set.
    public var severity: String?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        name: String, kind: Kind, threshold: Threshold? = nil, forDuration: Int64, keepFiringFor: Int64,
        severity: String? = nil, labels: [String: String], annotations: [String: String],
        position: SourcePosition
    ) {
        self.name = name
        self.kind = kind
        self.threshold = threshold
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.position = position
    }
}
