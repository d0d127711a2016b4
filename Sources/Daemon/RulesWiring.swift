import Config
import Logging
import Model
import Notify
import Query
import Rules
import Storage

/// Builds the rule manager for one configuration: PromQL over the store, results appended to the
/// store, alerts handed to the notifier in order, state persisted in the database.
enum RulesWiring {
    static func manager(config: LookoutConfig, tsdb: TSDB, stateStore: AlertStateStore,
                        notify: @escaping NotifyFunc, appender: (any SeriesAppender)? = nil) throws -> RuleManager {
        let engine = Engine(querier: tsdb, options: EngineOptions(timeZone: config.global.timezone, defaultSubqueryStep: config.global.evaluationInterval))
        let environment = RuleEnvironment(
            query: RuleEnvironment.query(engine), appender: appender ?? tsdb, notify: notify, stateStore: stateStore,
            externalLabels: config.global.externalLabels, externalURL: NotifyMapping.externalURL(config),
            logger: Logger(label: "lookout.rules"))
        var groups = GroupSpec.all(from: config)
        if config.global.watchdogAlert {
            groups.append(watchdogGroup(interval: config.global.evaluationInterval))
        }
        return try RuleManager(groups: groups, environment: environment)
    }

    /// An always-firing alert: if receivers stop hearing it, the monitoring pipeline is broken.
    static func watchdogGroup(interval: Int64) -> GroupSpec {
        let rule = RuleSpec(
            kind: .alert("Watchdog"), expr: "vector(1)",
            labels: ["severity": "none"],
            annotations: ["summary": "Lookout is alive: this alert always fires so that its absence can be noticed."])
        return GroupSpec(name: "lookout-watchdog", interval: interval, rules: [rule])
    }
}

/// Hands alerts from the rule evaluators (synchronous `NotifyFunc`) to the notifier actor in the
/// order they were produced.
struct AlertForwarder: Sendable {
    private let continuation: AsyncStream<[Alert]>.Continuation
    private let stream: AsyncStream<[Alert]>

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: [Alert].self, bufferingPolicy: .unbounded)
    }

    var notify: NotifyFunc { { [continuation] alerts in continuation.yield(alerts) } }

    /// Delivers queued alert batches to `notifier` until cancelled.
    func pump(into notifier: Notifier) async {
        for await alerts in stream {
            await notifier.receive(alerts: alerts)
        }
    }

    func finish() { continuation.finish() }
}
