import Model
import Testing
@testable import Query

/// Minimised inputs that crashed (or could crash) the engine: each must now give a result or a
/// `QueryError` with a message.
@Suite("PromQL fuzz regressions")
struct FuzzRegressionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let query: String
        /// nil: an instant query at `start`.
        var range: (end: Timestamp, step: Int64)?
        var start: Timestamp = 1_800_000
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "100k nested parentheses overflowed the parser's stack",
             query: String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)),
        Case(name: "100k unary minus overflowed the parser's stack", query: String(repeating: "-", count: 100_000) + "1"),
        Case(name: "100k-term sum overflowed evaluation (and freeing the AST)",
             query: "up" + String(repeating: " + up", count: 100_000)),
        Case(name: "100k-term scalar sum type-checked in quadratic time", query: "1" + String(repeating: "+1", count: 100_000)),
        Case(name: "10k nested calls", query: String(repeating: "abs(", count: 10_000) + "up" + String(repeating: ")", count: 10_000)),
        Case(name: "10k nested aggregations", query: String(repeating: "sum(", count: 10_000) + "up" + String(repeating: ")", count: 10_000)),
        Case(name: "10k nested subqueries",
             query: String(repeating: "max_over_time((", count: 10_000) + "up" + String(repeating: ")[1m:])", count: 10_000)),
        Case(name: "instant query at Int64.min overflowed the lookback window", query: "up", start: .min),
        Case(name: "instant query at Int64.max overflowed a negative offset", query: "rate(up[5m] offset -1h)", start: .max),
        Case(name: "range over all of Int64 overflowed end - start", query: "up", range: (.max, .max), start: .min),
        Case(name: "range query ending at Int64.max", query: "time()", range: (.max, 1), start: .max - 10),
        Case(name: "[today] at the API's MinTime put local midnight after the window's end",
             query: "temp[today]", start: -9_223_309_901_257_974),
        Case(name: "increase over [today] at the API's MaxTime", query: "increase(temp[today])", start: 9_223_309_901_257_974),
        Case(name: "@ on many steps built every series before counting their samples",
             query: "max_over_time((latency_bucket @ 100)[1m:1ms])"),
        Case(name: "range function output was never counted against the limit",
             query: "max_over_time(rate(latency_bucket[5m])[1m:1ms])"),
    ]

    static func engine() throws -> Engine {
        Engine(querier: try FuzzTests.store(), options: EngineOptions(timeZone: .gmt, maxSamples: 200_000))
    }

    @Test(arguments: cases)
    func survives(_ testCase: Case) throws {
        let engine = try Self.engine()
        let problem = FuzzTests.problem {
            if let range = testCase.range {
                try engine.range(testCase.query, start: testCase.start, end: range.end, step: range.step)
            } else {
                try engine.instant(testCase.query, at: testCase.start)
            }
        }
        #expect(problem == nil)
    }

    @Test("escapes take exactly their digits, without a sign")
    func strictEscapes() throws {
        for text in ["\"\\x+1\"", "\"\\u+041\"", "\"\\U+0001F60\"", "\"\\u-001\"", "\"\\1+1\""] {
            #expect(throws: ParseError.self, "\(text)") { try PromQL.parse(text) }
        }
        #expect(try PromQL.parse("\"\\x41\\u00e9\\101\"").node == .string("AéA"))
    }

    @Test("a range function under @ gives the same window at every step")
    func atWindowReused() throws {
        let engine = try Self.engine()
        guard case .matrix(let series) = try engine.range("count_over_time(requests_total{job=\"a\"}[5m] @ 600)",
                                                         start: 0, end: 1_800_000, step: 15_000) else {
            Issue.record("not a matrix"); return
        }
        #expect(series.count == 1)
        #expect(series.first?.samples.count == 121)
        #expect(series.first?.samples.allSatisfy { $0.value == 21 } == true)
    }

    @Test("expressions just inside the depth limit still evaluate")
    func depthLimit() throws {
        let engine = try Self.engine()
        let nested = String(repeating: "(", count: 200) + "up" + String(repeating: ")", count: 200)
        _ = try engine.instant(nested, at: 1_800_000)
        let chain = "up" + String(repeating: " or up", count: Parser.maxDepth - 1)
        _ = try engine.range(chain, start: 0, end: 600_000, step: 60_000)
        let tooDeep = "up" + String(repeating: " or up", count: Parser.maxDepth)
        #expect(throws: QueryError.self) { try engine.instant(tooDeep, at: 0) }
    }
}
