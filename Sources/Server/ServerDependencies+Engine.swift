import Model
import Query

extension ServerDependencies {
    /// Answers `/api/v1/query` and `/api/v1/query_range` with `engine`, mapping its errors to
    /// Prometheus' error types: parse and query-shape errors are `bad_data` (400), storage
    /// failures `internal` (500), everything else `execution` (422).
    ///
    /// The engine evaluates synchronously: when a query's `timeout` passes, the client gets
    /// Prometheus' `timeout` error (503) and the evaluation's task is cancelled, which the
    /// engine notices between steps and series (a single regex match cannot be interrupted).
    public mutating func useQueryEngine(_ engine: Engine) {
        instantQuery = { expression, time, _ in
            try ServerDependencies.mapQueryErrors { APIQueryResult(try engine.instant(expression, at: time)) }
        }
        rangeQuery = { expression, start, end, step, _ in
            try ServerDependencies.mapQueryErrors { APIQueryResult(try engine.range(expression, start: start, end: end, step: step)) }
        }
    }

    static func mapQueryErrors(_ body: () throws -> APIQueryResult) throws -> APIQueryResult {
        do {
            return try body()
        } catch let error as QueryError {
            switch error.kind {
            case .parse, .badQuery: throw APIError.invalidParameter("query", error.message)
            case .storage: throw APIError(.internal, error.message)
            case .canceled: throw APIError(.canceled, error.message)
            default: throw APIError(.execution, error.message)
            }
        }
    }
}

extension APIQueryResult {
    /// The API form of an engine result.
    init(_ result: QueryResult) {
        switch result {
        case .scalar(let sample): self = .scalar(sample)
        case .string(let text, let time): self = .string(time, text)
        case .vector(let elements): self = .vector(elements.map { LabeledSample($0.labels, $0.sample) })
        case .matrix(let series): self = .matrix(series)
        }
    }
}
