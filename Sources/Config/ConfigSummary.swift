import Model

/// The one-screen summary `lookout check` prints. Secrets are never printed: channel lines show
/// the kind and non-secret details only.
public enum ConfigSummary {
    /// - Parameter compiled: returns the expression a shorthand alert compiles to (Rules owns that),
    ///   or nil to leave it out.
    public static func render(_ config: LookoutConfig, compiled: (AlertConfig) -> String? = { _ in nil }) -> String {
        var out: [String] = ["config \(config.source)"]
        let global = config.global
        out.append("global: data_dir \(global.dataDir), retention \(days(global.retention)), "
            + "listen \(global.listen?.description ?? "disabled"), timezone \(global.timezone.identifier)")
        out.append(section("checks", config.checks.map { check in
            switch check.target {
            case .http(let url): return "\(check.name): http \(redactedURL(url)) every \(PromDuration.format(check.interval))"
            case .tcp(let address): return "\(check.name): tcp \(address) every \(PromDuration.format(check.interval))"
            }
        }))
        let targetCount = config.scrape.reduce(0) { $0 + $1.targets.count }
        out.append(section("scrape jobs", config.scrape.map { job in
            "\(job.job): \(job.targets.map(\.description).joined(separator: ", ")) every \(PromDuration.format(job.interval))"
        }, extra: "\(targetCount) targets"))
        out.append("host metrics: \(config.hostMetrics ? "on" : "off")")
        if !config.sql.isEmpty {
            out.append(section("sql sources", config.sql.map { "\($0.name): \($0.database) every \(PromDuration.format($0.interval))" }))
        }
        out.append(section("alerts", config.alerts.map { alert in
            let expression = compiled(alert).map { ": \($0)" } ?? ""
            return "\(alert.name)\(alert.severity.map { " (\($0))" } ?? "")\(expression)"
        }))
        let rules = config.ruleFiles.flatMap { $0.groups.flatMap(\.rules) }
        out.append(section("rule files", config.ruleFiles.map { file in
            "\(file.path): groups \(file.groups.count), rules \(file.groups.reduce(0) { $0 + $1.rules.count })"
        } + config.unmatchedRuleFileGlobs.map { "\($0): matches no file (ignored, as Prometheus does)" },
        extra: "\(rules.count) rules", count: config.ruleFiles.count))
        out.append(section("channels", config.notify.channels.map(channelLine)))
        var routeLines: [String] = []
        for route in config.notify.routes { appendRoute(route, depth: 0, inherited: [], to: &routeLines) }
        out.append(section("routes", routeLines, count: config.notify.routes.count))
        let defaults = config.notify.defaultChannels
        out.append("  default → " + (defaults.isEmpty ? "(none: unrouted alerts are only logged)" : defaults.joined(separator: ", ")))
        if !config.reports.isEmpty {
            out.append(section("reports", config.reports.map { report in
                let at = String(format2: report.hour) + ":" + String(format2: report.minute)
                return "\(report.name) at \(at) → \(report.channels.joined(separator: ", "))"
            }))
        }
        if !config.remoteWrite.isEmpty {
            out.append(section("remote write", config.remoteWrite.map { redactedURL($0.url) }))
        }
        if !config.alertmanagers.isEmpty {
            out.append(section("alertmanagers", config.alertmanagers.map { redactedURL($0.url) }))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Whole days as written (`30d`, not Prometheus' `4w2d`), anything else as Prometheus formats it.
    static func days(_ milliseconds: Int64) -> String {
        milliseconds > 0 && milliseconds % 86_400_000 == 0 ? "\(milliseconds / 86_400_000)d" : PromDuration.format(milliseconds)
    }

    /// One route as `{matchers} → channels (continue) [overrides]`, its nested routes indented below.
    private static func appendRoute(_ route: RouteConfig, depth: Int, inherited: [String], to lines: inout [String]) {
        let match = route.matchers.isEmpty ? "*" : route.matchers.map(\.description).joined(separator: ", ")
        let channels = route.channels.isEmpty ? inherited : route.channels
        var overrides: [String] = []
        if let by = route.groupBy { overrides.append("group_by [\(by.joined(separator: ", "))]") }
        if let wait = route.groupWait { overrides.append("group_wait \(PromDuration.format(wait))") }
        if let interval = route.groupInterval { overrides.append("group_interval \(PromDuration.format(interval))") }
        if let rep = route.repeatInterval { overrides.append("repeat_interval \(PromDuration.format(rep))") }
        if let resolved = route.sendResolved { overrides.append("send_resolved \(resolved)") }
        var line = String(repeating: "  ", count: depth) + "{\(match)} → \(channels.joined(separator: ", "))"
        if route.continueMatching { line += " (continue)" }
        if !overrides.isEmpty { line += " [\(overrides.joined(separator: ", "))]" }
        lines.append(line)
        for child in route.routes { appendRoute(child, depth: depth + 1, inherited: channels, to: &lines) }
    }

    /// `title (count):` and the lines; `count` defaults to the number of lines.
    private static func section(_ title: String, _ lines: [String], extra: String? = nil, count: Int? = nil) -> String {
        let number = count ?? lines.count
        let count = extra.map { "\(number), \($0)" } ?? "\(number)"
        return (["\(title) (\(count)):"] + lines.map { "  \($0)" }).joined(separator: "\n")
    }

    private static func channelLine(_ channel: ChannelConfig) -> String {
        let detail: String
        switch channel.kind {
        case .pagerduty(let pagerDuty): detail = "events API \(redactedURL(pagerDuty.url))"
        case .slack: detail = "incoming webhook"
        case .email(let email):
            detail = "\(redactedURL(email.smtpURL)) (\(email.tls.rawValue)) → \(email.to.joined(separator: ", "))"
        case .webhook: detail = "Alertmanager webhook v4"
        case .log: detail = "daemon log"
        }
        return "\(channel.name): \(channel.kindName), \(detail)"
    }

    /// Without user info and query: those are where URLs carry credentials.
    public static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "<url>" }
        var rest = url[schemeEnd.upperBound...]
        var suffix = ""
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query]
            suffix = "?…"
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return url[..<schemeEnd.upperBound] + rest + suffix
    }
}

private extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
