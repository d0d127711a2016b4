import Foundation
import Config
import Model

/// Compiles the shorthand alert kinds of `alerts:` into PromQL alerting rules; `lookout check`
/// prints `compile(alert).expr`.
public enum Shorthand {
    /// The group the shorthand alerts are evaluated in.
    public static let groupName = "lookout-alerts"

    /// The alerting rule for one shorthand alert: expression, `for`, labels (plus `severity`) and
    /// annotations (a default `summary` saying what crossed which threshold, unless one is given).
    public static func compile(_ alert: AlertConfig) -> RuleSpec {
        var labels = alert.labels
        if let severity = alert.severity { labels["severity"] = severity }
        var annotations = alert.annotations
        if annotations["summary"] == nil {
            annotations["summary"] = summary(alert)
        }
        return RuleSpec(kind: .alert(alert.name), expr: expression(alert.kind, alert.threshold),
                        forDuration: alert.forDuration, keepFiringFor: alert.keepFiringFor,
                        labels: labels, annotations: annotations)
    }

    /// The PromQL expression of a shorthand kind with its threshold.
    public static func expression(_ kind: AlertConfig.Kind, _ threshold: AlertConfig.Threshold?) -> String {
        let base: String
        switch kind {
        case .checkFailing(let check):
            return "probe_success{check=\"\(Labels.escape(check))\"} == 0"
        case .errorRate(let rate):
            let window = PromDuration.format(rate.window)
            let grouping = rate.by.isEmpty ? "" : " by (\(rate.by.joined(separator: ", ")))"
            let total = "sum\(grouping) (rate(\(rate.total)[\(window)]))"
            let ratio = "sum\(grouping) (rate(\(rate.errors)[\(window)])) / \(total)"
            // No traffic means no alert: without the guard 0/0 is NaN, which a `below` threshold could not tell apart.
            guard let threshold else { return "\(ratio) and \(total) > 0" }
            return "(\(ratio) \(comparison(threshold))) and \(total) > 0"
        case .latency(let latency):
            let window = PromDuration.format(latency.window)
            base = "histogram_quantile(\(number(latency.quantile)), sum by (le) (rate(\(bucketSelector(latency.histogram))[\(window)])))"
        case .dailyCost(.counter(let counter)):
            base = "sum(increase(\(counter)[today]))"
        case .dailyCost(.series(let series)):
            base = "sum(\(series))"
        case .expr(let expr):
            base = expr
        }
        guard let threshold else { return base }
        return "\(base) \(comparison(threshold))"
    }

    /// `http_request_duration_seconds{job="api"}` → `http_request_duration_seconds_bucket{job="api"}`.
    static func bucketSelector(_ histogram: String) -> String {
        let trimmed = histogram.trimmingTemplateSpace()
        guard let brace = trimmed.firstIndex(of: "{") else { return trimmed + "_bucket" }
        let name = String(trimmed[..<brace]).trimmingTemplateSpace()
        if name.isEmpty { return trimmed }
        return name + "_bucket" + String(trimmed[brace...])
    }

    static func comparison(_ threshold: AlertConfig.Threshold) -> String {
        switch threshold {
        case .above(let x): return "> \(number(x))"
        case .below(let x): return "< \(number(x))"
        }
    }

    /// A PromQL number literal: Go's shortest form (`0.1`, `50`, `1e+06`).
    static func number(_ x: Double) -> String { GoFormat.shortest(x) }

    static func summary(_ alert: AlertConfig) -> String {
        let forText = alert.forDuration > 0 ? " for \(PromDuration.format(alert.forDuration))" : ""
        switch alert.kind {
        case .checkFailing(let check):
            return "check \(check) failing\(forText)"
        case .errorRate(let rate):
            let subject = location(by: rate.by, selector: rate.total)
            return "error rate {{ $value | humanizePercentage }}\(thresholdText(alert.threshold, humanizePercentage))\(forText)\(subject)"
        case .latency(let latency):
            let q = "p" + GoFormat.shortest(latency.quantile * 100)
            let subject = location(by: [], selector: latency.histogram)
            return "\(q) latency {{ $value | humanizeDuration }}\(thresholdText(alert.threshold, Humanize.duration))\(forText)\(subject)"
        case .dailyCost(let cost):
            let source: String
            switch cost {
            case .counter(let c): source = c
            case .series(let s): source = s
            }
            return "daily cost {{ $value | printf \"%.2f\" }}\(thresholdText(alert.threshold, { String(format2($0)) }))\(forText) (\(source), since local midnight)"
        case .expr(let expr):
            return "\(alert.name): {{ $value | humanize }}\(forText) (\(expr))"
        }
    }

    private static func humanizePercentage(_ x: Double) -> String { GoFormat.g(x * 100, precision: 4) + "%" }

    private static func format2(_ x: Double) -> String { GoPrintf.format("%.2f", [.float(x)]) }

    private static func thresholdText(_ threshold: AlertConfig.Threshold?, _ format: (Double) -> String) -> String {
        switch threshold {
        case .above(let x): return " > \(format(x))"
        case .below(let x): return " < \(format(x))"
        case nil: return ""
        }
    }

    /// " on {{ $labels.job }}" for grouped rules, or " on api" when the selector pins `job`.
    private static func location(by: [String], selector: String) -> String {
        if !by.isEmpty { return " on " + by.map { "{{ $labels.\($0) }}" }.joined(separator: " ") }
        guard let range = selector.range(of: #"job\s*=\s*"([^"]*)""#, options: .regularExpression) else { return "" }
        let match = selector[range]
        guard let open = match.firstIndex(of: "\"") else { return "" }
        return " on " + match[match.index(after: open)...].dropLast()
    }
}
