import Config
import Model

/// `write_relabel_configs` reduced to what Lookout supports: keep or drop a sample when its
/// joined source label values match a fully anchored regex. Rules apply in order; the first
/// that drops a sample ends it. Labels are looked up on the series with external labels merged
/// in, as Prometheus applies external labels before write relabelling.
struct WriteRelabeler: Sendable {
    private struct Rule: Sendable {
        let sources: [String]
        let separator: String
        let matcher: Matcher
        let keep: Bool
    }

    private let rules: [Rule]
    private let externalLabels: Labels

    /// Compiles `rules`; throws `MatcherError` for a regex that does not compile (the config
    /// validator has already rejected those, so this only fires for configs built in code).
    init(_ rules: [RelabelRule], externalLabels: Labels = Labels()) throws {
        self.rules = try rules.map { rule in
            Rule(sources: rule.sourceLabels, separator: rule.separator,
                 matcher: try Matcher("", .regexMatch, rule.regex), keep: rule.action == .keep)
        }
        self.externalLabels = externalLabels
    }

    /// True when no rule is configured, so callers can skip the per-sample call.
    var isEmpty: Bool { rules.isEmpty }

    /// Whether the series passes every rule.
    func keeps(_ labels: Labels) -> Bool {
        for rule in rules where rule.matcher.matches(joined(rule, labels)) != rule.keep {
            return false
        }
        return true
    }

    private func joined(_ rule: Rule, _ labels: Labels) -> String {
        if rule.sources.count == 1 { return value(rule.sources[0], labels) }
        return rule.sources.map { value($0, labels) }.joined(separator: rule.separator)
    }

    private func value(_ name: String, _ labels: Labels) -> String {
        labels[name] ?? externalLabels[name] ?? ""
    }
}
