import Foundation
import Model
import Synchronization
import Testing
@testable import Query

/// Counts storage calls, to hold the engine to one `select` per selector per query.
final class CountingQuerier: SeriesQuerier {
    let base: MemorySeriesStore
    let calls = Mutex<[ClosedRange<Timestamp>]>([])

    init(_ base: MemorySeriesStore) { self.base = base }

    func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        calls.withLock { $0.append(range) }
        return try base.select(matchers, in: range)
    }

    func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelNames(matching: matchers, in: range)
    }

    func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelValues(name, matching: matchers, in: range)
    }
}

@Suite struct EngineTests {
    static func store() throws -> MemorySeriesStore {
        let store = MemorySeriesStore()
        var batch: [LabeledSample] = []
        for i in 0..<121 {
            let t = Int64(i) * 15_000
            batch.append(LabeledSample(["__name__": "requests_total", "job": "a"], Sample(t, Double(i * 10))))
            batch.append(LabeledSample(["__name__": "requests_total", "job": "b"], Sample(t, Double(i * 20))))
            batch.append(LabeledSample(["__name__": "temp", "room": "x"], Sample(t, 20 + Double(i % 7))))
        }
        try store.append(batch)
        return store
    }

    @Test func rangeQuerySelectsOncePerSelector() throws {
        let querier = CountingQuerier(try Self.store())
        let engine = Engine(querier: querier)
        let result = try engine.range("sum(rate(requests_total[5m])) / sum(requests_total) + on() max_over_time(temp[1m:15s])",
                                      start: 300_000, end: 1_800_000, step: 15_000)
        guard case .matrix(let series) = result else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
        #expect(series[0].samples.count == 101)
        // Three selectors: the subquery's inner selector is fetched once for all its steps too.
        #expect(querier.calls.withLock { $0.count } == 3)
        #expect(querier.calls.withLock { $0[0] } == 0...1_800_000)
    }

    @Test func instantResultTypes() throws {
        let engine = Engine(querier: try Self.store())
        #expect(try engine.instant("1 + 1", at: 60_000) == .scalar(Sample(60_000, 2)))
        #expect(try engine.instant("\"hello\"", at: 60_000) == .string("hello", 60_000))
        guard case .vector(let vector) = try engine.instant("temp", at: 60_000) else { Issue.record("not a vector"); return }
        #expect(vector == [VectorElement(["__name__": "temp", "room": "x"], Sample(60_000, 24))])
        guard case .matrix(let matrix) = try engine.instant("temp[30s]", at: 60_000) else { Issue.record("not a matrix"); return }
        #expect(matrix[0].samples.map(\.timestamp) == [30_000, 45_000, 60_000])
    }

    @Test func rangeResultsAreSortedByLabels() throws {
        let engine = Engine(querier: try Self.store())
        guard case .matrix(let series) = try engine.range("requests_total{job=\"b\"} or requests_total{job=\"a\"}",
                                                          start: 0, end: 60_000, step: 30_000) else { return }
        #expect(series.map { $0.labels["job"] } == ["a", "b"])
    }

    @Test func errorsAreTyped() throws {
        let engine = Engine(querier: try Self.store())
        #expect(throws: QueryError(.parse, "1:5: parse error: unclosed left parenthesis")) { try engine.instant("sum(", at: 0) }
        #expect(throws: QueryError(.badQuery, "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")) {
            try engine.range("temp[1m]", start: 0, end: 60_000, step: 15_000)
        }
        #expect(throws: QueryError(.duplicateLabelset, "vector cannot contain metrics with the same labelset")) {
            try engine.instant("label_replace(requests_total, \"job\", \"same\", \"\", \"\")", at: 60_000)
        }
        let manyToMany = #expect(throws: QueryError.self) { try engine.instant("temp + on() requests_total", at: 60_000) }
        #expect(manyToMany?.kind == .manyToMany)
    }

    @Test func maxSamplesIsEnforced() throws {
        let engine = Engine(querier: try Self.store(), options: EngineOptions(maxSamples: 100))
        #expect(try engine.instant("temp", at: 60_000) != .vector([]))
        let error = #expect(throws: QueryError.self) { try engine.instant("sum_over_time(requests_total[30m])", at: 1_800_000) }
        #expect(error?.kind == .tooManySamples)
    }

    @Test func hopelessQueriesFailInsteadOfExhaustingMemory() throws {
        let engine = Engine(querier: try Self.store())
        let subquery = #expect(throws: QueryError.self) { try engine.instant("max_over_time(vector(1)[100y:1ms])", at: 0) }
        #expect(subquery?.kind == .tooManySamples)
        let steps = #expect(throws: QueryError.self) { try engine.range("temp", start: 0, end: 86_400_000, step: 1) }
        #expect(steps?.kind == .badQuery)
        #expect(throws: QueryError.self) { try engine.instant("temp @ 1e20", at: 0) }
        #expect(throws: QueryError.self) { try engine.instant("temp offset 1000y", at: 0) }
    }

    @Test func engineIsUsableConcurrently() async throws {
        let engine = Engine(querier: try Self.store())
        let results = try await withThrowingTaskGroup(of: QueryResult.self) { group in
            for _ in 0..<8 { group.addTask { try engine.instant("sum(rate(requests_total[5m]))", at: 1_800_000) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
        #expect(results.first == .vector([VectorElement(Labels(), Sample(1_800_000, 2))]))
    }
}
