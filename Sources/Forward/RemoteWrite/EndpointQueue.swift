import Config
import Curl
import Logging
import Model
import Synchronization

/// The remote-write queue of one endpoint: a batcher that moves pending samples into the
/// durable backlog once a second (or as soon as a full batch is waiting), and one sender per
/// shard that posts its batches in order, retrying until the receiver answers or the batch ages out.
///
/// Built per configuration; `run()` once. Cancelling `run()` flushes what is in memory to the
/// backlog and leaves unsent batches there for the next run.
final class EndpointQueue: Sendable {
    let endpoint: Endpoint
    let counters: EndpointCounters
    let backlog: Backlog
    let loop: CurlLoop
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    let retry: RetryPolicy
    private let flushInterval: Duration
    private let relabeler: WriteRelabeler
    private let externalLabels: Labels
    private let pending: Mutex<PendingSamples>
    private let batcherWake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private let shardWake: [(stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)]

    struct Options: Sendable {
        var flushInterval: Duration = .seconds(1)
        var retry = RetryPolicy()
        var requestTimeout: Duration = .seconds(30)
        var clock: @Sendable () -> Timestamp = { RemoteWriteClock.now() }
    }
    let requestTimeout: Duration

    init(endpoint: Endpoint, relabeler: WriteRelabeler, externalLabels: Labels, backlog: Backlog,
         counters: EndpointCounters, loop: CurlLoop, logger: Logger, options: Options = Options()) {
        self.endpoint = endpoint
        self.relabeler = relabeler
        self.externalLabels = externalLabels
        self.backlog = backlog
        self.counters = counters
        self.loop = loop
        var logger = logger
        logger[metadataKey: "url"] = "\(endpoint.label)"
        self.logger = logger
        clock = options.clock
        retry = options.retry
        flushInterval = options.flushInterval
        requestTimeout = options.requestTimeout
        let queue = endpoint.queue
        pending = Mutex(PendingSamples(limit: max(200_000, queue.maxSamplesPerSend * queue.shards * 20)))
        batcherWake = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        shardWake = (0..<max(queue.shards, 1)).map { _ in
            AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }
    }

    /// Hands over a batch; never blocks on the network or the disk.
    func enqueue(_ batch: [LabeledSample]) {
        guard !batch.isEmpty else { return }
        let (dropped, full) = pending.withLock { pending in
            (pending.append(batch), pending.count >= endpoint.queue.maxSamplesPerSend)
        }
        if dropped > 0 { counters.add(dropped: dropped) }
        if full { batcherWake.continuation.yield() }
    }

    /// Samples in memory, not yet in the backlog.
    var pendingInMemory: Int { pending.withLock { $0.count } }

    /// Runs the batcher and the senders until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runBatcher() }
            group.addTask { await self.runTicker() }
            group.addTask { await self.runSenders() }
        }
    }

    // MARK: Batcher

    private func runTicker() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: flushInterval)
            batcherWake.continuation.yield()
        }
    }

    private func runBatcher() async {
        var encoder = BatchEncoder(shards: endpoint.queue.shards, maxSamplesPerSend: endpoint.queue.maxSamplesPerSend,
                                   relabeler: relabeler, externalLabels: externalLabels)
        for await _ in batcherWake.stream {
            flush(&encoder)
        }
        flush(&encoder)   // cancelled: keep what is in memory for the next run
    }

    /// Encodes everything pending into the backlog and applies the backlog limits.
    func flush(_ encoder: inout BatchEncoder) {
        let taken = pending.withLock { $0.takeAll() }
        if !taken.isEmpty {
            let batches = encoder.encode(taken)
            do {
                try backlog.insert(endpoint.key, shards: encoder.shards, batches)
            } catch {
                let lost = batches.reduce(0) { $0 + $1.samples }
                counters.add(dropped: lost)
                logger.error("cannot write the remote-write backlog; samples dropped",
                             metadata: ["samples": "\(lost)", "error": "\(error)"])
            }
            for shard in Set(batches.map(\.shard)) { shardWake[shard].continuation.yield() }
        }
        trim()
    }

    private func trim() {
        do {
            let trimmed = try backlog.trim(endpoint.key, expiredBefore: clock() - endpoint.queue.maxBacklogAge,
                                           maxBytes: endpoint.queue.maxBacklogBytes)
            guard trimmed.samples > 0 else { return }
            counters.add(dropped: trimmed.samples)
            logger.warning("remote-write backlog over its limits; oldest samples dropped", metadata: [
                "samples": "\(trimmed.samples)", "older_than_max_backlog_age": "\(trimmed.expired)",
                "beyond_max_backlog_bytes": "\(trimmed.overflow)",
            ])
        } catch {
            logger.error("cannot trim the remote-write backlog", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Senders

    private func runSenders() async {
        // Batches queued under another shard count go first, one at a time, so no series overtakes itself.
        while !Task.isCancelled, let row = claim(shard: nil) {
            guard await send(row) else { return }
        }
        await withTaskGroup(of: Void.self) { group in
            for shard in shardWake.indices {
                group.addTask { await self.runShard(shard) }
            }
        }
    }

    private func runShard(_ shard: Int) async {
        var wake = shardWake[shard].stream.makeAsyncIterator()
        while !Task.isCancelled {
            if let row = claim(shard: shard) {
                guard await send(row) else { return }
            } else if await wake.next() == nil {
                return
            }
        }
    }

    private func claim(shard: Int?) -> BacklogRow? {
        do {
            return try backlog.claim(endpoint.key, shards: endpoint.queue.shards, shard: shard)
        } catch {
            logger.error("cannot read the remote-write backlog", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
