import Foundation
import Model
import Synchronization
import Testing
import TestSupport
@testable import Query

/// Random and mutated PromQL, evaluated as instant and range queries at ordinary and extreme
/// times: the engine must never trap, only return a result or throw a `QueryError` with a message.
/// `LOOKOUT_PROMQL_FUZZ=N` runs N iterations per test instead of the defaults (1,500 generated,
/// 2,500 mutated: a few seconds in a debug build) for long local runs;
/// `LOOKOUT_PROMQL_FUZZ_SEED=K` varies the inputs;
/// `LOOKOUT_PROMQL_FUZZ_TRACE=1` prints each query to stderr first, so a crash names its input.
@Suite("PromQL fuzzing")
struct FuzzTests {
    static let override = ProcessInfo.processInfo.environment["LOOKOUT_PROMQL_FUZZ"].flatMap(Int.init)
    static let trace = ProcessInfo.processInfo.environment["LOOKOUT_PROMQL_FUZZ_TRACE"] != nil
    /// Added to the fixed seeds (`LOOKOUT_PROMQL_FUZZ_SEED`), so long runs can explore new inputs.
    static let seedOffset = ProcessInfo.processInfo.environment["LOOKOUT_PROMQL_FUZZ_SEED"].flatMap(UInt64.init) ?? 0

    /// Counters with a reset, gauges with NaN and infinities, classic histogram buckets (with a
    /// bad and a duplicate `le`), a stale marker, and label values that need escaping.
    static func store() throws -> MemorySeriesStore {
        let store = MemorySeriesStore()
        var batch: [LabeledSample] = []
        let specials: [Double] = [.nan, .infinity, -.infinity, 1e308, -0.0, .leastNonzeroMagnitude]
        for i in 0...120 {
            let t = Int64(i) * 15_000
            batch.append(LabeledSample(["__name__": "requests_total", "job": "a"], Sample(t, Double(i % 50 * 10))))
            batch.append(LabeledSample(["__name__": "requests_total", "job": "b", "code": "500"], Sample(t, Double(i * 20))))
            batch.append(LabeledSample(["__name__": "temp", "room": "x"], Sample(t, i % 9 == 0 ? specials[i / 9 % 6] : 20 + Double(i % 7))))
            batch.append(LabeledSample(["__name__": "up", "job": "a"], Sample(t, Double(i % 2))))
            for (j, le) in ["0.1", "0.5", "1", "1.0", "+Inf", "NaN", "bad"].enumerated() {
                batch.append(LabeledSample(["__name__": "latency_bucket", "job": "a", "le": le], Sample(t, Double(i * (j + 1)))))
            }
            if i % 4 == 0 {
                let value = i == 60 ? StaleMarker.value : Double(i) * -3.5
                batch.append(LabeledSample(["__name__": "weird", "job": "x\"y\n", "code": "é😀"], Sample(t + 7, value)))
            }
        }
        try store.append(batch)
        return store
    }

    /// A small sample limit keeps each iteration cheap; the limit must stop every big query.
    static func engine() throws -> Engine {
        Engine(querier: try store(), options: EngineOptions(timeZone: .gmt, maxSamples: 100_000))
    }

    /// Runs one query; returns a problem description if it failed other than with a `QueryError`.
    static func problem(_ body: () throws -> QueryResult) -> String? {
        do {
            switch try body() {
            case .vector(let elements) where elements.isEmpty: tally("ok, empty")
            case .matrix(let series) where series.isEmpty: tally("ok, empty")
            default: tally("ok")
            }
            return nil
        } catch let error as QueryError {
            tally(String(error.message.prefix(50)))
            return error.message.isEmpty ? "empty message (\(error.kind))" : nil
        } catch {
            return "not a QueryError: \(error)"
        }
    }

    /// Outcome counts, kept only when tracing (to see what the generator reaches).
    static let outcomes = Mutex<[String: Int]>([:])

    static func tally(_ outcome: String) {
        guard trace else { return }
        outcomes.withLock { $0[outcome, default: 0] += 1 }
    }

    static func printOutcomes() {
        guard trace else { return }
        let top = outcomes.withLock { $0.sorted { $0.value > $1.value }.prefix(25) }
        log(top.map { "\($0.value)\t\($0.key)" }.joined(separator: "\n"))
    }

    static func log(_ text: @autoclosure () -> String) {
        guard trace else { return }
        FileHandle.standardError.write(Data((text() + "\n").utf8))
    }

    /// Evaluates `query` as an instant query and as a range query; returns the problems and
    /// whether it parsed.
    static func exercise(_ engine: Engine, _ query: String, _ gen: inout QueryGenerator) -> (problems: [String], parsed: Bool) {
        var problems: [String] = []
        let parsed = (try? PromQL.parse(query)) != nil
        let time = gen.time()
        log("instant \(query.debugDescription) @ \(time)")
        if let p = problem({ try engine.instant(query, at: time) }) { problems.append("\(query.debugDescription) @ \(time): \(p)") }
        guard parsed else { return (problems, parsed) }
        let start = gen.time()
        let end = gen.chance(0.85) ? start &+ Int64(gen.int(0...3_600_000)) : gen.time()
        let step = gen.step()
        log("range \(query.debugDescription) \(start)...\(end) step \(step)")
        if let p = problem({ try engine.range(query, start: start, end: end, step: step) }) {
            problems.append("\(query.debugDescription) \(start)...\(end)/\(step): \(p)")
        }
        return (problems, parsed)
    }

    @Test("generated queries evaluate or fail with a QueryError")
    func generated() async throws {
        let engine = try Self.engine()
        var gen = QueryGenerator(seed: 0x9E0_5EED &+ Self.seedOffset)
        var problems: [String] = []
        var parsed = 0
        let iterations = Self.override ?? 1500
        for iteration in 0..<iterations {
            if iteration % 16 == 15 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let outcome = Self.exercise(engine, gen.expr(.vector), &gen)
            problems += outcome.problems
            if outcome.parsed { parsed += 1 }
        }
        Self.printOutcomes()
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // The generator must mostly produce valid PromQL, or evaluation goes untested.
        #expect(parsed > iterations / 3, "only \(parsed) of \(iterations) parsed")
    }

    @Test("mutated queries parse or fail with a message")
    func mutated() async throws {
        let engine = try Self.engine()
        var gen = QueryGenerator(seed: 0x3D_5EED &+ Self.seedOffset)
        var problems: [String] = []
        var parsed = 0
        let iterations = Self.override ?? 2500
        for iteration in 0..<iterations {
            if iteration % 16 == 15 { await Task.yield() }  // lets tests waiting on the cooperative pool run
            let query = gen.mutate(gen.expr())
            let outcome = Self.exercise(engine, query, &gen)
            problems += outcome.problems
            if outcome.parsed { parsed += 1 }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(parsed > iterations / 20, "only \(parsed) of \(iterations) parsed")
    }
}
