import Config
import Foundation
import Logging
import Model
import Query

/// One `tests[]` entry: loads its series, evaluates the rule groups every `evaluation_interval`
/// from 0 to the last `eval_time`, and checks firing alerts and PromQL results as promtool does.
struct UnitTestGroupRun {
    let group: UnitTestFile.TestGroup
    let evalInterval: Int64
    let timeZone: TimeZone

    init(group: UnitTestFile.TestGroup, evalInterval: Int64, timeZone: TimeZone) {
        self.group = group
        self.evalInterval = evalInterval
        self.timeZone = timeZone
    }

    var namePrefix: String { group.name.map { "    name: \($0),\n" } ?? "" }

    mutating func run(ruleFiles: [RuleFile], order: [String: Int]) -> [String] {
        // promtool 2.42 leaves an omitted `interval` at 0; later versions (and Lookout) use `evaluation_interval`.
        guard let interval = RuleTestRunner.duration(group.interval, default: evalInterval), interval > 0 else {
            return ["    invalid interval \(group.interval ?? "")"]
        }
        let store = MemorySeriesStore()
        do { try load(into: store, interval: interval) } catch { return ["    \(error)"] }
        let engine = Engine(querier: store, options: EngineOptions(timeZone: timeZone, defaultSubqueryStep: evalInterval))
        var environment = RuleEnvironment(query: RuleEnvironment.query(engine), appender: store, notify: { _ in },
                                          externalLabels: Labels(group.externalLabels ?? [:]), externalURL: group.externalURL ?? "")
        environment.logger = Logger(label: "lookout.rules.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let specs = ruleFiles.flatMap { file in file.groups.map { GroupSpec($0, file: file.path, defaultInterval: interval) } }
        let ordered = specs.enumerated().sorted { (order[$0.element.name] ?? 0, $0.offset) < (order[$1.element.name] ?? 0, $1.offset) }
        let evaluators = ordered.map { GroupEvaluator(spec: $0.element, environment: environment) }

        var errors: [String] = []
        let alertTests = group.alertRuleTest ?? []
        var byTime: [Int64: [UnitTestFile.AlertTestCase]] = [:]
        for test in alertTests {
            guard test.alertname != nil, !(test.alertname ?? "").isEmpty else { return ["    alertname is empty"] }
            guard let t = RuleTestRunner.duration(test.evalTime, default: 0) else { return ["    invalid eval_time \(test.evalTime ?? "")"] }
            byTime[t, default: []].append(test)
        }
        let alertTimes = byTime.keys.sorted()
        let exprTimes = (group.promqlExprTest ?? []).compactMap { RuleTestRunner.duration($0.evalTime, default: 0) }
        let maxTime = (alertTimes + exprTimes).max() ?? 0
        var current = 0
        var ts: Int64 = 0
        while ts <= maxTime {
            var evalErrors: [String] = []
            for evaluator in evaluators {
                evaluator.evaluate(at: ts)
                for rule in evaluator.status().rules where rule.health == .err {
                    evalErrors.append("    rule: \(rule.rule.name), time: \(GoDuration.format(ts)), err: \(rule.lastError ?? "")")
                }
            }
            errors += evalErrors
            if !evalErrors.isEmpty { return errors }
            while current < alertTimes.count, ts <= alertTimes[current], alertTimes[current] < ts + evalInterval {
                let t = alertTimes[current]
                for test in byTime[t]! { errors += checkAlerts(test, evaluators: evaluators) }
                current += 1
            }
            ts += evalInterval
        }
        for test in group.promqlExprTest ?? [] {
            errors += checkExpression(test, engine: engine)
        }
        return errors
    }

    private func load(into store: MemorySeriesStore, interval: Int64) throws {
        var batch: [LabeledSample] = []
        for input in group.inputSeries ?? [] {
            let labels = try SeriesNotation.metric(input.series)
            for (index, value) in try SeriesNotation.values(input.values).enumerated() {
                if let value { batch.append(LabeledSample(labels, Sample(Int64(index) * interval, value))) }
            }
        }
        try store.append(batch)
    }
}
