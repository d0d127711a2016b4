import Foundation
import Model

extension Labels {
    /// The set without `__name__` (itself when there is no name).
    var withoutName: Labels { droppingMetricName }

    /// Only the labels named in `names`.
    func keeping(only names: [String]) -> Labels { filtering(names: names, keep: true) }

    /// All labels except those named in `names`.
    func removing(all names: [String]) -> Labels { filtering(names: names, keep: false) }
}

/// One element of an instant vector during evaluation.
struct Element {
    var labels: Labels
    var value: Double
}

/// An evaluated argument at one step.
enum StepArg {
    case vector([Element])
    case scalar(Double)
    case string(String)

    var vector: [Element] {
        if case .vector(let elements) = self { return elements }
        return []
    }

    var scalar: Double {
        if case .scalar(let value) = self { return value }
        return .nan
    }
}

/// The value of a node over all steps: a matrix (scalars are a single label-less series) or a string.
enum EvalValue {
    case matrix([Series])
    case string(String)
}

/// Evaluates one query over `start...end` every `interval` ms, node by node, each node over the
/// whole range at once (as Prometheus' evaluator does), so selectors hit storage once.
struct Evaluator {
    let querier: any SeriesQuerier
    let options: EngineOptions
    let start: Timestamp
    let end: Timestamp
    let interval: Int64
    /// The outer query's range, which `@ start()` and `@ end()` refer to inside subqueries too.
    let queryStart: Timestamp
    let queryEnd: Timestamp
    var samplesInMemory = 0

    init(querier: any SeriesQuerier, options: EngineOptions, start: Timestamp, end: Timestamp, interval: Int64,
         queryStart: Timestamp, queryEnd: Timestamp) {
        self.querier = querier
        self.options = options
        self.start = start
        self.end = end
        self.interval = interval
        self.queryStart = queryStart
        self.queryEnd = queryEnd
    }

    var stepCount: Int { Int((end - start) / interval) + 1 }

    func steps() -> StrideThrough<Timestamp> { stride(from: start, through: end, by: Timestamp.Stride(interval)) }

    func resolve(_ at: AtModifier?) -> Timestamp? {
        switch at {
        case .timestamp(let ms): return ms
        case .start: return queryStart
        case .end: return queryEnd
        case nil: return nil
        }
    }

    mutating func evaluate(_ node: Node) throws -> EvalValue {
        switch node {
        case .number(let value):
            try account(stepCount)
            return .matrix([Series(Labels(), steps().map { Sample($0, value) })])
        case .string(let text):
            return .string(text)
        case .paren(let inner), .unaryPlus(let inner):
            return try evaluate(inner)
        case .vectorSelector(let selector):
            return .matrix(try evalVectorSelector(selector))
        case .matrixSelector(let selector, let range):
            return .matrix(try evalMatrixSelector(selector, range))
        case .subquery(let sub):
            return .matrix(try evalSubquery(sub).series)
        case .unaryMinus(let inner):
            var series = try evaluateMatrix(inner)
            for i in series.indices {
                series[i].labels = series[i].labels.withoutName
                for j in series[i].samples.indices { series[i].samples[j].value = -series[i].samples[j].value }
            }
            try Self.checkUnique(series.map(\.labels))
            return .matrix(series)
        case .binary(let binary):
            return .matrix(try evalBinary(binary))
        case .aggregate(let aggregate):
            return .matrix(try evalAggregate(aggregate))
        case .call(let call):
            return .matrix(try evalCall(call))
        }
    }

    mutating func evaluateMatrix(_ node: Node) throws -> [Series] {
        if case .matrix(let series) = try evaluate(node) { return series }
        return []
    }

    static func checkUnique(_ labels: [Labels]) throws {
        guard labels.count > 1 else { return }
        // Selector-fed results usually come in label order: then adjacent comparisons prove
        // uniqueness without hashing every label set.
        if zip(labels, labels.dropFirst()).allSatisfy({ $0 < $1 }) { return }
        var seen = Set<Labels>(minimumCapacity: labels.count)
        for label in labels where !seen.insert(label).inserted {
            throw QueryError(.duplicateLabelset, "vector cannot contain metrics with the same labelset")
        }
    }

    /// Throws once the task running the query is cancelled, so a query its caller gave up on
    /// (a timed-out API request) stops instead of holding a thread for minutes.
    func checkCancellation() throws {
        if Task.isCancelled { throw QueryError(.canceled, "query was canceled") }
    }

    mutating func account(_ count: Int) throws {
        samplesInMemory += count
        if samplesInMemory > options.maxSamples {
            throw QueryError(.tooManySamples, "query processing would load too many samples into memory in query execution")
        }
    }

    func select(_ matchers: [Matcher], from: Timestamp, through: Timestamp) throws -> [Series] {
        guard from <= through else { return [] }
        try checkCancellation()   // before the storage read: a query cancelled while it waited does no work
        do {
            return try querier.select(matchers, in: from...through)
        } catch {
            throw QueryError(.storage, "\(error)")
        }
    }

    /// `querier.selectLatest`, or nothing when the window is empty (`from` is its lower end).
    func selectLatest(_ matchers: [Matcher], at points: LookbackPoints, from: Timestamp) throws -> [Series] {
        guard from <= points.last else { return [] }
        try checkCancellation()   // as in `select`
        do {
            return try querier.selectLatest(matchers, at: points)
        } catch {
            throw QueryError(.storage, "\(error)")
        }
    }

    /// Calls `body` once per step with the arguments' values at that step and assembles the
    /// output series, as Prometheus' `rangeEval` does (including the duplicate-labelset check).
    mutating func rangeEval(_ args: [Node?], checkDuplicates: Bool = true,
                            _ body: (inout Evaluator, [StepArg], Timestamp) throws -> [Element]) throws -> [Series] {
        var matrices: [[Series]?] = []
        var strings: [String?] = []
        var scalars: [Bool] = []
        for arg in args {
            guard let arg else { matrices.append(nil); strings.append(nil); scalars.append(false); continue }
            switch try evaluate(arg) {
            case .string(let text): matrices.append(nil); strings.append(text)
            case .matrix(let series): matrices.append(series); strings.append(nil)
            }
            scalars.append(arg.type == .scalar)
        }
        var cursors = matrices.map { [Int](repeating: 0, count: $0?.count ?? 0) }
        var output: [Series] = []
        var outputIndex: [Labels: Int] = [:]
        let single = start == end
        for ts in steps() {
            try checkCancellation()
            var stepArgs: [StepArg] = []
            for (i, matrix) in matrices.enumerated() {
                guard let matrix else { stepArgs.append(.string(strings[i] ?? "")); continue }
                var vector: [Element] = []
                for (s, series) in matrix.enumerated() {
                    var c = cursors[i][s]
                    while c < series.samples.count && series.samples[c].timestamp < ts { c += 1 }
                    cursors[i][s] = c
                    if c < series.samples.count && series.samples[c].timestamp == ts {
                        vector.append(Element(labels: series.labels, value: series.samples[c].value))
                    }
                }
                stepArgs.append(scalars[i] ? .scalar(vector.first?.value ?? .nan) : .vector(vector))
            }
            let result = try body(&self, stepArgs, ts)
            try account(result.count)
            if checkDuplicates { try Self.checkUnique(result.map(\.labels)) }
            if single {
                return result.map { Series($0.labels, [Sample(ts, $0.value)]) }
            }
            for element in result {
                if let index = outputIndex[element.labels] {
                    output[index].samples.append(Sample(ts, element.value))
                } else {
                    outputIndex[element.labels] = output.count
                    output.append(Series(element.labels, [Sample(ts, element.value)]))
                }
            }
        }
        return output
    }
}
