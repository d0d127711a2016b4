import Config
import Curl
import Logging
import Model
import Synchronization

/// Forwards the rules' alerts to every configured Alertmanager (`POST /api/v2/alerts`), as
/// Prometheus does for an HA cluster: each instance gets every alert and the cluster dedupes.
/// Alerts are written to a durable queue per instance before sending and deleted once that
/// instance accepted them, so a dead instance neither loses alerts nor holds the others back.
public final class AlertmanagerForwarder: Sendable {
    private struct Running: Sendable {
        let endpoint: AlertmanagerEndpoint
        let wake: AsyncStream<Void>.Continuation
        let task: Task<Void, Never>
    }

    let queue: AlertmanagerQueue
    private let loop: CurlLoop
    private let options: AlertmanagerOptions
    private let logger: Logger
    private let running = Mutex<[String: Running]>([:])
    private let counters = Mutex<[String: AlertmanagerCounters]>([:])

    /// Opens (or creates) the queue database at `databasePath`; sends nothing until `reload`.
    public init(databasePath: String, loop: CurlLoop, options: AlertmanagerOptions = AlertmanagerOptions(),
                logger: Logger = Logger(label: "lookout.alertmanager")) throws {
        queue = try AlertmanagerQueue(path: databasePath)
        self.loop = loop
        self.options = options
        self.logger = logger
    }

    /// Sets the instances to send to. New ones start by draining what is queued for them (from an
    /// earlier run too); removed ones stop and their queue is deleted.
    public func reload(_ configs: [AlertmanagerConfig]) {
        let endpoints = Dictionary(configs.map { (AlertmanagerEndpoint($0).label, AlertmanagerEndpoint($0)) }) { first, _ in first }
        let stopped: [Running] = running.withLock { current in
            var stopped: [Running] = []
            for (key, sender) in current where endpoints[key] == nil || endpoints[key]!.config.differs(from: sender.endpoint.config) {
                stopped.append(sender)
                current[key] = nil
            }
            for (key, endpoint) in endpoints where current[key] == nil {
                let (stream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                let task = Task { [weak self] in
                    guard let self else { return }
                    await self.deliver(endpoint, wake: stream)
                }
                current[key] = Running(endpoint: endpoint, wake: wake, task: task)
            }
            return stopped
        }
        for sender in stopped {
            sender.task.cancel()
            sender.wake.finish()
        }
        logger.info("forwarding alerts to Alertmanager", metadata: ["instances": "\(endpoints.keys.sorted().joined(separator: ", "))"])
        counters.withLock { all in
            for key in all.keys where endpoints[key] == nil { all[key] = nil }
            for key in endpoints.keys where all[key] == nil { all[key] = AlertmanagerCounters() }
        }
        do {
            let removed = try queue.retain(instances: Set(endpoints.keys))
            if removed > 0 { logger.warning("dropped the queue of an Alertmanager no longer configured", metadata: ["alerts": "\(removed)"]) }
        } catch {
            logger.error("cannot clean up the Alertmanager queue", metadata: ["error": "\(error)"])
        }
    }

    /// Queues `alerts` for every instance and wakes the senders. `validFor` gives, per alert, how
    /// long a firing alert stays valid (ms): `4 × max(resend delay, its group's interval)`.
    public func send(_ alerts: [Alert], validFor: (Alert) -> Int64) {
        guard !alerts.isEmpty else { return }
        let senders = running.withLock { Array($0.values) }
        guard !senders.isEmpty else { return }
        let now = options.now()
        let postable = alerts.map { PostableAlert(alert: $0, now: now, validFor: validFor($0)) }
        do {
            try queue.enqueue(postable, instances: senders.map(\.endpoint.label), at: now)
        } catch {
            logger.error("cannot queue alerts for Alertmanager", metadata: ["alerts": "\(alerts.count)", "error": "\(error)"])
            return
        }
        for sender in senders { sender.wake.yield() }
    }

    /// Stops every sender; queued alerts stay for the next start.
    public func stop() {
        let all = running.withLock { current in
            defer { current = [:] }
            return Array(current.values)
        }
        for sender in all {
            sender.task.cancel()
            sender.wake.finish()
        }
    }

    /// Counters and queue state per configured instance, by redacted URL.
    public func metrics() -> [AlertmanagerInstanceMetrics] {
        let stats = (try? queue.stats()) ?? [:]
        let now = options.now()
        return counters.withLock { $0 }.sorted { $0.key < $1.key }.map { url, c in
            let s = stats[url]
            return AlertmanagerInstanceMetrics(
                url: url, alertsSent: c.sent, errors: c.errors, dropped: c.dropped, queueLength: s?.count ?? 0,
                oldestQueuedSeconds: s.map { Double(max(0, now - $0.oldestQueuedAt)) / 1000 } ?? 0)
        }
    }

    func count(_ url: String, _ update: (inout AlertmanagerCounters) -> Void) {
        counters.withLock { all in
            guard var c = all[url] else { return }
            update(&c)
            all[url] = c
        }
    }

    private func deliver(_ endpoint: AlertmanagerEndpoint, wake: AsyncStream<Void>) async {
        var sender = InstanceDelivery(endpoint: endpoint, forwarder: self, loop: loop, options: options, logger: logger)
        await sender.run(wake: wake)
    }
}

/// Counters of one instance.
struct AlertmanagerCounters: Sendable {
    var sent = 0
    var errors = 0
    var dropped = 0
}

/// What `/metrics` shows for one Alertmanager instance.
public struct AlertmanagerInstanceMetrics: Sendable, Equatable {
    /// The instance's URL without credentials or query.
    public var url: String
    /// Alerts the instance accepted.
    public var alertsSent: Int
    /// Failed requests (any non-2xx answer, or none).
    public var errors: Int
    /// Alerts given up: rejected with a 4xx, or past the queue's age or length bound.
    public var dropped: Int
    /// Alerts waiting.
    public var queueLength: Int
    /// Age of the oldest waiting alert; 0 when none waits.
    public var oldestQueuedSeconds: Double
}

extension AlertmanagerConfig {
    /// Whether a sender built for `other` must be rebuilt to send as `self` asks.
    func differs(from other: AlertmanagerConfig) -> Bool {
        url != other.url || timeout != other.timeout || headers != other.headers || auth != other.auth
    }
}
