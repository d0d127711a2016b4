import Collect
import Config
import Foundation
import Logging
import Model
import Notify
import Query
import Rules
import Server
import Storage

/// Adapts the running stages to the HTTP server's dependency closures.
enum ServerWiring {
    static func dependencies(runtime: Runtime) -> ServerDependencies {
        var deps = ServerDependencies(querier: runtime.tsdb)
        let config = runtime.config
        deps.queryThreads = QueryThreads(limit: config.global.maxConcurrentQueries)
        deps.useQueryEngine(Engine(querier: runtime.tsdb, options: EngineOptions(
            timeZone: config.global.timezone, defaultSubqueryStep: config.global.evaluationInterval)))
        deps.alerts = { runtime.currentRules?.alerts().filter { $0.resolvedAt == nil && $0.state != .inactive } ?? [] }
        deps.ruleGroups = { (runtime.currentRules?.status() ?? []).map(ruleGroup) }
        deps.targets = { targets(runtime: runtime) }
        let database = StorageDatabase.path(dataDir: config.global.dataDir)
        deps.silences = { try SilenceManager(databasePath: database).list() }
        deps.createSilence = { silence in try SilenceManager(databasePath: database).add(silence, now: Clock.now()).id }
        deps.expireSilence = { id in try SilenceManager(databasePath: database).expire(id: id, now: Clock.now()) }
        deps.status = { await StatusSnapshotBuilder.build(runtime: runtime, now: Clock.now()) }
        deps.metrics = { await SelfMetrics.render(runtime: runtime) }
        deps.reload = {
            let errors = await runtime.reload()
            ReloadLog.record(errors, logger: Logger(label: "lookout"))
            if !errors.isEmpty { throw ReloadRejected(errors: errors) }
        }
        return deps
    }

    static func ruleGroup(_ group: RuleGroupStatus) -> RuleGroupInfo {
        let rules = group.rules.map { status -> RuleInfo in
            let kind: RuleInfo.Kind
            switch status.rule.kind {
            case .alert: kind = .alerting(forMilliseconds: status.rule.forDuration,
                                          keepFiringForMilliseconds: status.rule.keepFiringFor, alerts: status.alerts)
            case .record: kind = .recording
            }
            return RuleInfo(name: status.rule.name, query: status.rule.expr, labels: Labels(status.rule.labels),
                            annotations: Labels(status.rule.annotations), kind: kind,
                            health: RuleHealth(rawValue: status.health.rawValue) ?? .unknown,
                            lastError: status.lastError ?? "", evaluationSeconds: status.evaluationSeconds,
                            lastEvaluation: status.lastEvaluation)
        }
        return RuleGroupInfo(name: group.spec.name, file: group.spec.file, intervalMilliseconds: group.spec.interval,
                             rules: rules, evaluationSeconds: group.metrics.lastDurationSeconds,
                             lastEvaluation: group.metrics.lastEvaluation)
    }

    static func targets(runtime: Runtime) -> [TargetInfo] {
        let statuses = Dictionary(runtime.collector.scrapeStatuses.all().map { ("\($0.job)|\($0.instance)", $0) },
                                  uniquingKeysWith: { a, _ in a })
        return CollectMapping.specs(runtime.config).scrapes.map { spec in
            let t = spec.target
            var labels = t.labels.setting("job", to: t.job).setting("instance", to: t.instance)
            labels = labels.removing([Labels.metricName])
            let status = statuses["\(t.job)|\(t.instance)"]
            let health: TargetInfo.Health = status == nil ? .unknown : (status?.lastError == nil ? .up : .down)
            return TargetInfo(labels: labels, scrapeURL: spec.url, health: health, lastError: status?.lastError ?? "",
                              lastScrape: status?.lastScrape, lastScrapeSeconds: status.map { PromDuration.seconds($0.duration) } ?? 0,
                              intervalMilliseconds: PromDuration.milliseconds(spec.interval),
                              timeoutMilliseconds: PromDuration.milliseconds(spec.timeout))
        }
    }
}

/// A reload through `POST /-/reload` that the new configuration's errors rejected.
struct ReloadRejected: Error, CustomStringConvertible {
    let errors: [String]
    var description: String { errors.joined(separator: "\n") }
}

/// Wall-clock milliseconds.
enum Clock {
    static func now() -> Timestamp { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }
}
