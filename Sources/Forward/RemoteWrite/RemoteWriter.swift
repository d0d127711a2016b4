import Config
import Foundation
import Curl
import Logging
import Model
import Synchronization

/// Prometheus remote write (protocol 1.0) to every `remote_write` endpoint, through a durable
/// SQLite backlog in the data directory (`remote-write.db`), so a receiver's outage loses no
/// sample younger than `max_backlog_age` (and within `max_backlog_bytes`).
///
/// `append(_:)` is the tee after the local store: it only copies array references under a lock,
/// so a slow or absent receiver never slows collection. Encoding, disk writes and sending happen
/// on the endpoint queues' own tasks; network I/O goes through the shared `CurlLoop`.
///
/// Lifecycle: `update(_:externalLabels:)` (at start and on every reload) rebuilds the queues,
/// keeping the backlog of endpoints that remain; `run()` returns once cancelled, after every
/// queue has written what it held in memory to the backlog. Thread-safe.
public final class RemoteWriter: Sendable {
    private let dataDirectory: String
    private let loop: CurlLoop
    private let userAgent: String
    private let logger: Logger
    private let options: EndpointQueue.Options
    private struct Running: Sendable {
        let queue: EndpointQueue
        let task: Task<Void, Never>?
    }
    private struct State: Sendable {
        var backlog: Backlog?
        var queues: [Running] = []
        var counters: [String: EndpointCounters] = [:]
        var stopped = false
    }
    private let state = Mutex(State())
    /// The last `update`, so updates run one after another (SIGHUP and `/-/reload` may race).
    private let lastUpdate = Mutex<Task<Void, any Error>?>(nil)

    /// A writer with no endpoints; the backlog file is opened by the first `update` that has some.
    /// `userAgent` is sent with every request (e.g. `Lookout/1.2.0`).
    public convenience init(dataDirectory: String, loop: CurlLoop, userAgent: String, logger: Logger) {
        self.init(dataDirectory: dataDirectory, loop: loop, userAgent: userAgent, logger: logger, options: .init())
    }

    init(dataDirectory: String, loop: CurlLoop, userAgent: String, logger: Logger, options: EndpointQueue.Options) {
        self.dataDirectory = dataDirectory
        self.loop = loop
        self.userAgent = userAgent
        self.logger = logger
        self.options = options
    }

    /// The backlog database's path in `dataDirectory`.
    public static func backlogPath(dataDirectory: String) -> String { "\(dataDirectory)/\(Backlog.fileName)" }

    /// Copies `batch` to every endpoint's queue. Call it after the local store accepted the batch.
    public func append(_ batch: [LabeledSample]) {
        guard !batch.isEmpty else { return }
        state.withLock { state in
            for running in state.queues { running.queue.enqueue(batch) }
        }
    }

    /// The same for a batch given as series and values; it is flattened only when some endpoint
    /// is configured.
    public func append(_ batch: SeriesBatch) {
        guard batch.count > 0, state.withLock({ !$0.queues.isEmpty }) else { return }
        append(batch.labeledSamples)
    }

    /// Replaces the endpoints with `configs`: queues of the old configuration write their
    /// in-memory samples to the backlog and stop, then the new ones start, so no series is sent
    /// out of order. Backlogs of endpoints no longer configured are deleted. Throws when the
    /// backlog database cannot be opened or a relabel regex does not compile.
    public func update(_ configs: [RemoteWriteConfig], externalLabels: Labels) async throws {
        let mine = lastUpdate.withLock { last -> Task<Void, any Error> in
            let previous = last
            let task = Task {
                _ = await previous?.result
                try await self.replaceQueues(configs, externalLabels: externalLabels)
            }
            last = task
            return task
        }
        try await mine.value
    }

    private func replaceQueues(_ configs: [RemoteWriteConfig], externalLabels: Labels) async throws {
        let backlog = try openBacklog(needed: !configs.isEmpty)
        guard let backlog else { return }
        let built = try build(configs, externalLabels: externalLabels, backlog: backlog)
        let old = state.withLock { state -> [Running] in
            let old = state.queues
            state.queues = built.map { Running(queue: $0, task: nil) }
            return old
        }
        for running in old { running.task?.cancel() }
        for running in old { await running.task?.value }
        let purged = try backlog.purge(keeping: Set(built.map(\.endpoint.key)))
        for (endpoint, samples) in purged {
            logger.warning("remote-write endpoint removed; its backlog deleted",
                           metadata: ["url": "\(Endpoint.redacted(endpoint))", "samples": "\(samples)"])
        }
        state.withLock { state in
            guard !state.stopped else { return }
            state.queues = state.queues.map { running in
                guard running.task == nil else { return running }
                let queue = running.queue
                return Running(queue: queue, task: Task { await queue.run() })
            }
        }
    }

    private func openBacklog(needed: Bool) throws -> Backlog? {
        try state.withLock { state -> Backlog? in
            if let backlog = state.backlog { return backlog }
            let path = Self.backlogPath(dataDirectory: dataDirectory)
            guard needed || FileManager.default.fileExists(atPath: path) else { return nil }
            let backlog = try Backlog(path: path)
            state.backlog = backlog
            return backlog
        }
    }

    private func build(_ configs: [RemoteWriteConfig], externalLabels: Labels, backlog: Backlog) throws -> [EndpointQueue] {
        var seen: [String: Int] = [:]
        return try configs.map { config in
            var endpoint = Endpoint(config, userAgent: userAgent)
            seen[endpoint.key, default: 0] += 1
            if let n = seen[endpoint.key], n > 1 { endpoint = endpoint.renamed(suffix: "#\(n)") }
            let counters = state.withLock { state in
                if let existing = state.counters[endpoint.key] { return existing }
                let fresh = EndpointCounters()
                state.counters[endpoint.key] = fresh
                return fresh
            }
            let relabeler = try WriteRelabeler(config.writeRelabelConfigs, externalLabels: externalLabels)
            return EndpointQueue(endpoint: endpoint, relabeler: relabeler, externalLabels: externalLabels, backlog: backlog,
                                 counters: counters, loop: loop, logger: logger, options: options)
        }
    }

    /// Runs until cancelled, then stops every queue once it has written its memory to the backlog.
    public func run() async {
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
        await stop()
    }

    /// Stops every queue, flushing memory to the backlog; later `append` calls are ignored.
    public func stop() async {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.stopped = true
            return state.queues.compactMap(\.task)
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        state.withLock { $0.queues = [] }
    }

    /// Figures per configured endpoint, in configuration order.
    public func status() -> [RemoteWriteStatus] {
        let (queues, backlog) = state.withLock { ($0.queues.map(\.queue), $0.backlog) }
        let now = options.clock()
        return queues.map { queue in
            let counters = queue.counters.current
            let key = queue.endpoint.key
            let totals = backlog?.totals(key) ?? Backlog.Totals()
            let oldest = (try? backlog?.oldest(key)) ?? nil
            var status = RemoteWriteStatus(url: queue.endpoint.label)
            status.samplesSent = counters.sent
            status.samplesFailed = counters.failed
            status.samplesDropped = counters.dropped
            status.bytesSent = counters.bytes
            status.samplesPending = totals.samples + queue.pendingInMemory
            status.backlogOldestSeconds = oldest.map { max(0, Double(now - $0) / 1000) } ?? 0
            status.shards = queue.endpoint.queue.shards
            return status
        }
    }
}
