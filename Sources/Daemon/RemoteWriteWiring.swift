import Config
import Curl
import Forward
import Logging
import Model
import Server

/// Remote write in the daemon: the writer outlives reloads (its backlog and counters stay), every
/// batch the local store accepted is teed into it, and its figures go to `/metrics`.
enum RemoteWriteWiring {
    static func writer(config: LookoutConfig, curl: CurlLoop) -> RemoteWriter {
        RemoteWriter(dataDirectory: config.global.dataDir, loop: curl, userAgent: "Lookout/\(BuildInfo.version)",
                     logger: Logger(label: "lookout.remote-write"))
    }

    /// Rebuilds the endpoint queues for `config`; throws when the backlog cannot be opened.
    static func apply(_ config: LookoutConfig, to writer: RemoteWriter) async throws {
        do {
            try await writer.update(config.remoteWrite, externalLabels: config.global.externalLabels)
        } catch {
            throw StartupError("cannot start remote write: \(error)")
        }
    }

    static func render(_ writer: RemoteWriter, into m: inout MetricsText) {
        let endpoints = writer.status()
        guard !endpoints.isEmpty else { return }
        m.family("lookout_remote_write_samples_total", .counter,
                 help: "Samples per remote-write endpoint: sent (accepted), failed (refused by the receiver), dropped (backlog limits).")
        for e in endpoints {
            m.sample("lookout_remote_write_samples_total", ["url": e.url, "result": "sent"], Double(e.samplesSent))
            m.sample("lookout_remote_write_samples_total", ["url": e.url, "result": "failed"], Double(e.samplesFailed))
            m.sample("lookout_remote_write_samples_total", ["url": e.url, "result": "dropped"], Double(e.samplesDropped))
        }
        m.family("lookout_remote_write_samples_pending", .gauge, help: "Samples waiting to be sent, in memory and in the backlog.")
        for e in endpoints { m.sample("lookout_remote_write_samples_pending", ["url": e.url], Double(e.samplesPending)) }
        m.family("lookout_remote_write_backlog_oldest_seconds", .gauge, help: "Age of the oldest sample in the backlog, 0 when empty.")
        for e in endpoints { m.sample("lookout_remote_write_backlog_oldest_seconds", ["url": e.url], e.backlogOldestSeconds) }
        m.family("lookout_remote_write_shards", .gauge, help: "Concurrent senders per endpoint.")
        for e in endpoints { m.sample("lookout_remote_write_shards", ["url": e.url], Double(e.shards)) }
        m.family("lookout_remote_write_bytes_total", .counter, help: "Compressed request bytes sent, retries included.")
        for e in endpoints { m.sample("lookout_remote_write_bytes_total", ["url": e.url], Double(e.bytesSent)) }
    }
}

/// Appends to the local store, then — once it has accepted the batch — hands the batch to remote
/// write, which only queues it in memory.
struct TeeAppender: SeriesAppender {
    let store: any SeriesAppender
    let writer: RemoteWriter

    init(_ store: any SeriesAppender, _ writer: RemoteWriter) {
        self.store = store
        self.writer = writer
    }

    func append(_ batch: [LabeledSample]) throws {
        try store.append(batch)
        writer.append(batch)
    }

    func append(_ batch: SeriesBatch) throws {
        try store.append(batch)
        writer.append(batch)
    }
}
