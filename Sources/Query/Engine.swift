import Foundation
import Model

/// Settings of the query engine.
public struct EngineOptions: Sendable {
    /// How far back an instant selector looks for the latest sample (Prometheus: 5m), in ms.
    public var lookbackDelta: Int64
    /// The zone that defines local midnight for the `[today]` range extension.
    public var timeZone: TimeZone
    /// Upper bound on samples held in memory by one query (Prometheus' `--query.max-samples`).
    public var maxSamples: Int
    /// Step of subqueries written without one (`x[1h:]`): the global evaluation interval, in ms.
    public var defaultSubqueryStep: Int64

    /// Prometheus' defaults; `timeZone` defaults to the system zone.
    public init(lookbackDelta: Int64 = 300_000, timeZone: TimeZone = .current, maxSamples: Int = 50_000_000,
                defaultSubqueryStep: Int64 = 60_000) {
        self.lookbackDelta = lookbackDelta
        self.timeZone = timeZone
        self.maxSamples = maxSamples
        self.defaultSubqueryStep = defaultSubqueryStep
    }
}

/// One element of an instant vector.
public struct VectorElement: Sendable, Hashable {
    /// The series' labels (without `__name__` when an operation dropped it).
    public var labels: Labels
    /// The value, stamped with the evaluation time.
    public var sample: Sample

    /// Wraps a label set and a sample.
    public init(_ labels: Labels, _ sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}

/// The value of a query. Range queries always give `.matrix` (series sorted by labels);
/// instant queries give the expression's own type, vectors in evaluation order.
public enum QueryResult: Sendable, Hashable {
    case scalar(Sample)
    case string(String, Timestamp)
    case vector([VectorElement])
    case matrix([Series])
}

/// Evaluates PromQL over any `SeriesQuerier`. Each selector costs one `select` call per query,
/// whatever the number of steps. Thread-safe: holds no mutable state. Evaluation is synchronous
/// but checks for cancellation of the current task as it goes, throwing `.canceled`.
public struct Engine: Sendable {
    /// Where selectors read series from.
    public let querier: any SeriesQuerier
    /// Lookback, time zone and limits.
    public let options: EngineOptions

    /// An engine over `querier`; cheap to create, holds no state between queries.
    public init(querier: any SeriesQuerier, options: EngineOptions = EngineOptions()) {
        self.querier = querier
        self.options = options
    }

    /// The evaluation times accepted, in ms: Prometheus' API range (about ±292 million years),
    /// kept 1000× inside Int64 so that offsets, ranges and lookback cannot overflow time arithmetic.
    public static let timeBounds: ClosedRange<Timestamp> = -(Int64.max / 1000)...(Int64.max / 1000)

    /// Evaluates `expr` at one instant (ms). Throws `QueryError`.
    public func instant(_ expr: Expr, at time: Timestamp) throws -> QueryResult {
        guard Self.timeBounds.contains(time) else { throw QueryError(.badQuery, "evaluation time \(time) ms is out of range") }
        var evaluator = Evaluator(querier: querier, options: options, start: time, end: time, interval: 1,
                                  queryStart: time, queryEnd: time)
        let value = try evaluator.evaluate(expr.node)
        switch (expr.node.type, value) {
        case (.string, .string(let text)):
            return .string(text, time)
        case (.scalar, .matrix(let series)):
            return .scalar(Sample(time, series.first?.samples.first?.value ?? .nan))
        case (.vector, .matrix(let series)):
            return .vector(series.compactMap { s in s.samples.first.map { VectorElement(s.labels, Sample(time, $0.value)) } })
        case (_, .matrix(let series)):
            return .matrix(series)
        case (_, .string(let text)):
            return .string(text, time)
        }
    }

    /// Parses and evaluates `text` at one instant; parse failures throw `QueryError` of kind `.parse`.
    public func instant(_ text: String, at time: Timestamp) throws -> QueryResult {
        try instant(Self.parse(text), at: time)
    }

    /// Evaluates `expr` at every `step` from `start` to `end` inclusive (ms).
    public func range(_ expr: Expr, start: Timestamp, end: Timestamp, step: Int64) throws -> QueryResult {
        guard step > 0 else { throw QueryError(.badQuery, "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw QueryError(.badQuery, "end timestamp must not be before start time") }
        guard Self.timeBounds.contains(start), Self.timeBounds.contains(end) else {
            throw QueryError(.badQuery, "query time range \(start)...\(end) ms is out of range")
        }
        // Prometheus' HTTP API limit, kept here so every caller gets it.
        guard (end - start) / step <= 11_000 else {
            throw QueryError(.badQuery, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let type = expr.node.type
        guard type == .scalar || type == .vector else {
            throw QueryError(.badQuery, "invalid expression type \(goQuoted(type.documented)) for range query, must be Scalar or instant Vector")
        }
        var evaluator = Evaluator(querier: querier, options: options, start: start, end: end, interval: step,
                                  queryStart: start, queryEnd: end)
        guard case .matrix(let series) = try evaluator.evaluate(expr.node) else { return .matrix([]) }
        return .matrix(series.filter { !$0.samples.isEmpty }.sorted { $0.labels < $1.labels })
    }

    /// Parses and evaluates `text` over a range.
    public func range(_ text: String, start: Timestamp, end: Timestamp, step: Int64) throws -> QueryResult {
        try range(Self.parse(text), start: start, end: end, step: step)
    }

    private static func parse(_ text: String) throws -> Expr {
        do {
            return try PromQL.parse(text)
        } catch {
            throw QueryError(.parse, error.description)
        }
    }
}

/// Why a query failed, with Prometheus' message.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Classes of failure callers may react to.
    public enum Kind: Sendable, Hashable {
        /// The text is not valid PromQL.
        case parse
        /// Two elements of one vector ended up with the same label set.
        case duplicateLabelset
        /// Vector matching found several series for one match group.
        case manyToMany
        /// An argument is out of range (bad regex, label name, factor, `k`).
        case badArgument
        /// The query would hold more than `maxSamples` samples.
        case tooManySamples
        /// The query itself is not acceptable (range query over a range vector, bad step).
        case badQuery
        /// The storage failed.
        case storage
        /// The task evaluating the query was cancelled (its caller gave up, e.g. on a timeout).
        case canceled
    }

    /// The class of failure.
    public let kind: Kind
    /// Prometheus' wording, e.g. `vector cannot contain metrics with the same labelset`.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, as Prometheus prints it.
    public var description: String { message }
}
