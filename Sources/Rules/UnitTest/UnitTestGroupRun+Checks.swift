import Foundation
import Model
import Query

extension UnitTestGroupRun {
    /// One alert (labels and annotations) as promtool compares and prints them.
    struct LabelsAndAnnotations: Comparable {
        var labels: Labels
        var annotations: Labels

        static func < (a: Self, b: Self) -> Bool {
            a.labels != b.labels ? a.labels < b.labels : a.annotations < b.annotations
        }
    }

    func checkAlerts(_ test: UnitTestFile.AlertTestCase, evaluators: [GroupEvaluator]) -> [String] {
        let name = test.alertname ?? ""
        var got: [LabelsAndAnnotations] = []
        for evaluator in evaluators {
            for rule in evaluator.status().rules where rule.rule.isAlerting && rule.rule.name == name {
                for alert in rule.alerts where alert.state == .firing {
                    got.append(LabelsAndAnnotations(labels: alert.labels, annotations: alert.annotations))
                }
            }
        }
        var expected: [LabelsAndAnnotations] = []
        for alert in test.expAlerts ?? [] {
            let labels = Labels(alert.expLabels ?? [:]).setting("alertname", to: name)
            expected.append(LabelsAndAnnotations(labels: labels, annotations: Labels(alert.expAnnotations ?? [:])))
        }
        got.sort()
        expected.sort()
        guard got != expected else { return [] }
        let time = PromDuration.format(RuleTestRunner.duration(test.evalTime, default: 0) ?? 0)
        let exp = Self.indent(Self.describe(expected), "            ")
        let gotText = Self.indent(Self.describe(got), "            ")
        return ["\(namePrefix)    alertname: \(name), time: \(time), \n        exp:\(exp), \n        got:\(gotText)"]
    }

    func checkExpression(_ test: UnitTestFile.ExprTestCase, engine: Engine) -> [String] {
        let at = RuleTestRunner.duration(test.evalTime, default: 0) ?? 0
        let time = PromDuration.format(at)
        let head = "    expr: \(goQuoted(test.expr)), time: \(time)"
        let got: [QuerySample]
        do {
            got = try RuleEnvironment.query(engine)(test.expr, at)
        } catch {
            return ["\(head), err: \(error)"]
        }
        var expected: [QuerySample] = []
        for sample in test.expSamples ?? [] {
            let text = sample.labels ?? ""
            do {
                expected.append(QuerySample(labels: try SeriesNotation.metric(text), value: sample.value))
            } catch {
                return ["\(head), err: labels \(goQuoted(text)): \(error)"]
            }
        }
        let sortedGot = got.sorted { $0.labels < $1.labels }
        let sortedExpected = expected.sorted { $0.labels < $1.labels }
        let equal = sortedGot.count == sortedExpected.count
            && zip(sortedGot, sortedExpected).allSatisfy { $0.labels == $1.labels && Self.close($0.value, $1.value) }
        guard !equal else { return [] }
        return ["\(head),\n        exp: \(Self.samples(sortedExpected))\n        got: \(Self.samples(sortedGot))"]
    }

    /// Equal within a relative tolerance of 1e-9; NaN equals NaN.
    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    static func describe(_ alerts: [LabelsAndAnnotations]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        var s = "["
        for (i, alert) in alerts.enumerated() {
            s += (i == 0 ? "\n" : ",\n") + "\(i):" + indent("\nLabels:\(goLabels(alert.labels))\nAnnotations:\(goLabels(alert.annotations))", "  ")
        }
        return s + "\n]"
    }

    /// Go's `labels.Labels.String()`: `{a="1", b="2"}` with the name inside the braces.
    static func goLabels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\(goQuoted($0.value))" }.joined(separator: ", ") + "}"
    }

    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : prefix + $0.element }.joined(separator: "\n")
    }

    static func samples(_ samples: [QuerySample]) -> String {
        guard !samples.isEmpty else { return "nil" }
        return samples.map { "\(goLabels($0.labels)) \(GoFormat.exponent($0.value))" }.joined(separator: ", ")
    }
}

/// Go's `time.Duration.String()` for millisecond durations: `0s`, `500ms`, `5m0s`, `1h0m30s`.
enum GoDuration {
    static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        let sign = ms < 0 ? "-" : ""
        let value = abs(ms)
        if value < 1000 { return "\(sign)\(value)ms" }
        let hours = value / 3_600_000, minutes = value / 60_000 % 60, millis = value % 60_000
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        var fraction = millis % 1000 == 0 ? "" : "." + String(format: "%03lld", millis % 1000)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return out + "\(millis / 1000)\(fraction)s"
    }
}
