import Curl
import Logging
import Model

/// The send loop of one instance: takes batches off its queue in order, deletes them once the
/// instance accepted them, backs off with jitter on 5xx/429/no answer, gives up a batch on other
/// 4xx (logging the instance's reason), and enforces the queue's age and length bounds.
struct InstanceDelivery {
    let endpoint: AlertmanagerEndpoint
    let forwarder: AlertmanagerForwarder
    let loop: CurlLoop
    let options: AlertmanagerOptions
    let logger: Logger
    private var failures = 0

    init(endpoint: AlertmanagerEndpoint, forwarder: AlertmanagerForwarder, loop: CurlLoop,
         options: AlertmanagerOptions, logger: Logger) {
        self.endpoint = endpoint
        self.forwarder = forwarder
        self.loop = loop
        self.options = options
        var logger = logger
        logger[metadataKey: "alertmanager"] = "\(endpoint.label)"
        self.logger = logger
    }

    mutating func run(wake: AsyncStream<Void>) async {
        var wakeups = wake.makeAsyncIterator()
        while !Task.isCancelled {
            trim()
            let batch: [QueuedAlert]
            do {
                batch = try forwarder.queue.batch(instance: endpoint.label, limit: options.maxBatch)
            } catch {
                logger.error("cannot read the Alertmanager queue", metadata: ["error": "\(error)"])
                guard (try? await Task.sleep(for: .milliseconds(options.maxBackoff))) != nil else { return }
                continue
            }
            if batch.isEmpty {
                guard await wakeups.next() != nil else { return }
                continue
            }
            let outcome = await endpoint.send(AlertmanagerJSON.array(batch.map(\.json)), loop: loop)
            guard !Task.isCancelled else { return }
            guard let delay = handle(outcome, batch) else { continue }
            guard (try? await Task.sleep(for: .milliseconds(delay))) != nil else { return }
        }
    }

    /// Records the outcome; returns how long to wait before the next attempt, if at all.
    private mutating func handle(_ outcome: DeliveryOutcome, _ batch: [QueuedAlert]) -> Int64? {
        let label = endpoint.label
        switch outcome {
        case .accepted:
            remove(batch)
            forwarder.count(label) { $0.sent += batch.count }
            if failures > 0 { logger.info("Alertmanager accepts alerts again", metadata: ["failed_attempts": "\(failures)"]) }
            failures = 0
            return nil
        case .rejected(let status, let body):
            remove(batch)
            forwarder.count(label) { $0.errors += 1; $0.dropped += batch.count }
            logger.error("Alertmanager rejected alerts; not retrying", metadata: [
                "status": "\(status)", "alerts": "\(batch.count)", "response": "\(body)",
            ])
            failures = 0
            return nil
        case .retry(let reason, let retryAfter):
            failures += 1
            forwarder.count(label) { $0.errors += 1 }
            let delay = options.backoff(attempt: failures, retryAfter: retryAfter, random: Double.random(in: 0..<1))
            // First failure and then every tenth: a long outage must not flood the journal.
            if failures == 1 || failures % 10 == 0 {
                logger.warning("cannot send alerts to Alertmanager; will retry", metadata: [
                    "reason": "\(reason)", "attempt": "\(failures)", "batch": "\(batch.count)", "retry_in_ms": "\(delay)",
                ])
            }
            return delay
        }
    }

    private func remove(_ batch: [QueuedAlert]) {
        do {
            try forwarder.queue.remove(batch.map(\.seq))
        } catch {
            logger.error("cannot remove sent alerts from the Alertmanager queue", metadata: ["error": "\(error)"])
        }
    }

    private func trim() {
        do {
            let dropped = try forwarder.queue.trim(instance: endpoint.label, maxAge: options.maxQueueAge,
                                                   maxLength: options.maxQueueLength, now: options.now())
            guard dropped > 0 else { return }
            forwarder.count(endpoint.label) { $0.dropped += dropped }
            logger.error("dropped queued alerts past the Alertmanager queue's bounds", metadata: [
                "alerts": "\(dropped)", "max_age_ms": "\(options.maxQueueAge)", "max_length": "\(options.maxQueueLength)",
            ])
        } catch {
            logger.error("cannot trim the Alertmanager queue", metadata: ["error": "\(error)"])
        }
    }
}
