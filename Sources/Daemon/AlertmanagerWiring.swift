import Config
import Curl
import Forward
import Logging
import Model
import Rules
import Server
import Synchronization

/// Forwarding of the rules' alerts to `alertmanagers:`, next to Lookout's own notifier. The rules
/// already decide when an alert is due (Prometheus' `needsSending`: firing ones every resend delay,
/// resolved ones at once and then every resend delay while retained), so every batch they hand
/// out goes to every instance as it is.
final class AlertmanagerWiring: Sendable {
    private let dataDir: String
    private let curl: CurlLoop
    private let forwarder = Mutex<AlertmanagerForwarder?>(nil)
    private let validity = Mutex(AlertValidity(groups: [], fallback: 60_000))
    private let configured = Mutex(0)

    init(dataDir: String, curl: CurlLoop) {
        self.dataDir = dataDir
        self.curl = curl
    }

    static func databasePath(dataDir: String) -> String {
        dataDir.hasSuffix("/") ? dataDir + "alertmanager.db" : dataDir + "/alertmanager.db"
    }

    /// Rebuilds the instance list (opening the queue the first time one is configured).
    func apply(_ config: LookoutConfig, groups: [GroupSpec]) throws {
        validity.withLock { $0 = AlertValidity(groups: groups, fallback: config.global.evaluationInterval) }
        configured.withLock { $0 = config.alertmanagers.count }
        let existing = forwarder.withLock { $0 }
        if existing == nil && config.alertmanagers.isEmpty { return }
        let active: AlertmanagerForwarder
        if let existing {
            active = existing
        } else {
            do {
                active = try AlertmanagerForwarder(databasePath: Self.databasePath(dataDir: dataDir), loop: curl)
            } catch {
                throw StartupError("cannot open the Alertmanager queue in \(dataDir): \(error)")
            }
            forwarder.withLock { $0 = active }
        }
        active.reload(config.alertmanagers)
    }

    /// `notify` plus forwarding to the Alertmanagers.
    func fanOut(_ notify: @escaping NotifyFunc) -> NotifyFunc {
        { [self] alerts in
            notify(alerts)
            send(alerts)
        }
    }

    func send(_ alerts: [Alert]) {
        guard let active = forwarder.withLock({ $0 }) else { return }
        let table = validity.withLock { $0 }
        active.send(alerts, validFor: table.validFor)
    }

    func stop() {
        forwarder.withLock { $0 }?.stop()
    }

    func render(into m: inout MetricsText) {
        let instances = forwarder.withLock { $0 }?.metrics() ?? []
        m.single("lookout_alertmanagers_discovered", .gauge, help: "Alertmanager instances alerts are sent to.",
                 Double(configured.withLock { $0 }))
        func perInstance(_ name: String, _ type: MetricsText.MetricType, _ help: String,
                         _ value: (AlertmanagerInstanceMetrics) -> Double) {
            m.family(name, type, help: help)
            for instance in instances { m.sample(name, ["url": instance.url], value(instance)) }
        }
        perInstance("lookout_alertmanager_alerts_sent_total", .counter, "Alerts an Alertmanager accepted.") { Double($0.alertsSent) }
        perInstance("lookout_alertmanager_errors_total", .counter, "Failed requests to an Alertmanager.") { Double($0.errors) }
        perInstance("lookout_alertmanager_alerts_dropped_total", .counter,
                    "Alerts given up: rejected with a 4xx, or past the queue's age or length bound.") { Double($0.dropped) }
        perInstance("lookout_alertmanager_queue_length", .gauge, "Alerts waiting to be sent to an Alertmanager.") { Double($0.queueLength) }
        perInstance("lookout_alertmanager_queue_oldest_seconds", .gauge,
                    "Age of the oldest alert waiting for an Alertmanager.") { $0.oldestQueuedSeconds }
    }
}

/// How long a firing alert stays valid in Alertmanager (its `endsAt` ahead of the send), as
/// Prometheus' `sendAlerts`: `4 × max(resend delay, evaluation interval)`, room for two missed
/// evaluations or failed sends. The interval is that of the alert's group, looked up by alert
/// name (the longest if several groups define it); the global one when the name is unknown.
struct AlertValidity: Sendable {
    /// Prometheus' `--rules.alert.resend-delay`, which the rule evaluator uses too.
    static let resendDelay: Int64 = 60_000

    private var intervals: [String: Int64] = [:]
    private let fallback: Int64

    init(groups: [GroupSpec], fallback: Int64) {
        self.fallback = fallback
        for group in groups {
            for rule in group.rules {
                if case .alert(let name) = rule.kind { intervals[name] = max(intervals[name] ?? 0, group.interval) }
            }
        }
    }

    func validFor(_ alert: Alert) -> Int64 {
        4 * max(Self.resendDelay, intervals[alert.name] ?? fallback)
    }
}
