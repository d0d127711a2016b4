import Model

/// One element of an instant vector, as the rules need it from the query engine.
public struct QuerySample: Sendable, Hashable {
    /// The series labels (including `__name__` where the expression keeps it).
    public var labels: Labels
    /// The sample value.
    public var value: Double

    /// Creates an element.
    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// Evaluates a PromQL expression at an instant (milliseconds) and returns the result as a vector;
/// a scalar result is one element with empty labels. Throws on parse or evaluation errors.
/// The Daemon wires this to the Query engine, as Prometheus' rules manager takes its `QueryFunc`.
public typealias QueryFunc = @Sendable (_ expression: String, _ at: Timestamp) throws -> [QuerySample]

/// Receives alerts to send (firing, and resolved ones until their resolve has gone out).
/// Called synchronously from the evaluation; implementations must not block for long.
public typealias NotifyFunc = @Sendable ([Alert]) -> Void
