import Foundation
import Model
import Testing
import TestSupport
@testable import Query

/// Our engine against real Prometheus 2.42: every expression of `testdata/differential/expressions.promql`
/// is evaluated by us at a few instants; the results become the `exp_samples` of a promtool
/// rule-test file. promtool compares bit-exactly, so each failure it reports is re-checked here
/// with a relative tolerance of 1e-9 (and NaN equal to NaN), label sets compared exactly.
@Suite struct DifferentialTests {
    static let promtool: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"])
            .map { $0 + "/promtool" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let evalTimes: [Int64] = [300_000, 630_000, 1_020_000]

    @Test(.enabled(if: promtool != nil, "promtool is not installed: differential test against Prometheus skipped"))
    func agreesWithPrometheus() async throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("testdata/differential")
        let expressions = try String(contentsOf: directory.appendingPathComponent("expressions.promql"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let data = DifferentialData.series()
        let store = try Self.load(data)
        let engine = Engine(querier: store, options: EngineOptions(timeZone: TimeZone(identifier: "UTC")!, defaultSubqueryStep: 60_000))

        var yaml = Self.header(data)
        var evaluated = Set<String>()
        var cases = 0
        for expr in expressions {
            for time in Self.evalTimes {
                guard let samples = try? Self.samples(engine.instant(expr, at: time)) else { continue }
                evaluated.insert(expr)
                cases += 1
                yaml += Self.testCase(expr, time: time, samples)
            }
        }
        #expect(evaluated.count >= 150, "only \(evaluated.count) expressions evaluated")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-differential-\(getpid()).yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try await runTool(Self.promtool!, ["test", "rules", file.path])
        let failures = PromtoolReport.failures(output)
        if status != 0 {
            #expect(!failures.isEmpty, "promtool failed without a comparison report:\n\(output)")
        }
        var mismatches: [String] = []
        for failure in failures {
            if let problem = failure.mismatch(tolerance: 1e-9) { mismatches.append(problem) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases) cases differ from Prometheus:\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    /// A range query equals the instant queries at each of its steps, for every expression.
    @Test func rangeQueriesMatchInstantQueries() throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("testdata/differential")
        let expressions = try String(contentsOf: directory.appendingPathComponent("expressions.promql"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let store = try Self.load(DifferentialData.series())
        let engine = Engine(querier: store, options: EngineOptions(timeZone: TimeZone(identifier: "UTC")!, defaultSubqueryStep: 60_000))
        let steps = Array(stride(from: Int64(300_000), through: 1_020_000, by: 90_000))
        var compared = 0
        for expr in expressions {
            guard let parsed = try? PromQL.parse(expr), parsed.valueType == .vector || parsed.valueType == .scalar,
                  case .matrix(let series)? = try? engine.range(parsed, start: steps[0], end: steps.last!, step: 90_000) else { continue }
            var fromRange: [Timestamp: [Labels: Double]] = [:]
            for s in series { for sample in s.samples { fromRange[sample.timestamp, default: [:]][s.labels] = sample.value } }
            for t in steps {
                guard let instant = try? Self.samples(engine.instant(parsed, at: t)) else { continue }
                let expected = Dictionary(instant.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
                let actual = fromRange[t] ?? [:]
                let same = expected.count == actual.count && expected.allSatisfy { key, value in
                    actual[key].map { PromtoolReport.close($0, value, 0) } ?? false
                }
                #expect(same, "\(expr) at \(t): range \(actual), instant \(expected)")
            }
            compared += 1
        }
        #expect(compared >= 150)
    }

    /// Our parse errors (testdata/parser/errors.txt) are the ones `promtool check rules` reports.
    @Test(.enabled(if: promtool != nil, "promtool is not installed: parse-error comparison skipped"))
    func parseErrorsAgreeWithPromtool() async throws {
        let cases = ParserTests.cases("errors.txt").filter { !$0.0.contains("today") }
        var yaml = "groups:\n  - name: errors\n    rules:\n"
        for (i, (query, _)) in cases.enumerated() {
            let escaped = query.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            yaml += "      - record: r\(i)\n        expr: \"\(escaped)\"\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-parse-\(getpid()).yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (_, output) = try await runTool(Self.promtool!, ["check", "rules", file.path])
        for (i, (query, expected)) in cases.enumerated() {
            let line = output.split(separator: "\n").first { $0.contains("\"r\(i)\": could not parse expression: ") }
            let message = line.map { String($0[$0.range(of: "could not parse expression: ")!.upperBound...]) }
            #expect(message == expected, "\(query)")
        }
    }

    static func load(_ data: [(Labels, [String])]) throws -> MemorySeriesStore {
        let store = MemorySeriesStore()
        var batch: [LabeledSample] = []
        for (labels, values) in data {
            for (i, text) in values.enumerated() {
                let t = Int64(i) * DifferentialData.interval
                switch text {
                case "_": continue
                case "stale": batch.append(LabeledSample(labels, Sample(t, StaleMarker.value)))
                default: batch.append(LabeledSample(labels, Sample(t, Double(text)!)))
                }
            }
        }
        try store.append(batch)
        return store
    }

    static func samples(_ result: QueryResult) -> [(Labels, Double)]? {
        switch result {
        case .scalar(let sample): return [(Labels(), sample.value)]
        case .vector(let elements): return elements.map { ($0.labels, $0.sample.value) }
        default: return nil
        }
    }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    static func header(_ data: [(Labels, [String])]) -> String {
        var out = "evaluation_interval: 1m\ntests:\n  - interval: \(DifferentialData.interval / 1000)s\n    input_series:\n"
        for (labels, values) in data {
            out += "      - series: \(quoted(labels.description))\n        values: \(quoted(values.joined(separator: " ")))\n"
        }
        return out + "    promql_expr_test:\n"
    }

    static func testCase(_ expr: String, time: Int64, _ samples: [(Labels, Double)]) -> String {
        var out = "      - expr: \(quoted(expr))\n        eval_time: \(time / 1000)s\n"
        if samples.isEmpty { return out + "        exp_samples: []\n" }
        out += "        exp_samples:\n"
        for (labels, value) in samples {
            let text = labels.isEmpty ? "{}" : labels.description
            out += "          - labels: \(quoted(text))\n            value: \(yamlFloat(value))\n"
        }
        return out
    }

    /// YAML 1.1 needs `.nan`/`.inf` and a decimal point before an exponent.
    static func yamlFloat(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value > 0 ? ".inf" : "-.inf" }
        var text = "\(value)"
        if text.contains("e"), !text.contains(".") { text = text.replacingOccurrences(of: "e", with: ".0e") }
        return text
    }
}
