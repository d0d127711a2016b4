#if canImport(Glibc)
import Glibc
#endif
import Model
import SQLite

extension TSDB {
    /// A snapshot of the store's size and health, cheap enough for every `/metrics` scrape.
    public struct Stats: Sendable {
        /// Bytes of the database file plus its WAL (`lookout_storage_bytes`).
        public var bytes: Int64
        /// Bytes of the WAL alone.
        public var walBytes: Int64
        /// Bytes in free pages, reused before the file grows.
        public var freeBytes: Int64
        /// Series known.
        public var series: Int
        /// Samples stored (chunks and head; kept as a running count, so cheap).
        public var samples: Int64
        /// Head rows (appended batches) not yet compacted.
        public var headRows: Int
        /// Samples held in memory because the database could not be written.
        public var heldSamples: Int
        /// Samples dropped because the memory bound was reached while the database could not be written.
        public var droppedSamples: Int
        /// Samples appended since open.
        public var appendedSamples: Int
        /// Series deleted since open because retention left them without samples
        /// (`lookout_storage_series_pruned_total`).
        public var prunedSeries: Int
        /// The last write or housekeeping error, if any.
        public var lastError: String?
        /// Whether writes are currently failing (samples are being held in memory).
        public var degraded: Bool
    }

    /// Current figures. Throws when the database cannot be read.
    public func stats() throws -> Stats {
        let (pages, free, pageSize, headRows, samples) = try withReader { connection in
            try connection.withTransaction(.deferred) {
                let head = try connection.cached("SELECT count(*), coalesce(sum(samples), 0) FROM head")
                defer { head.reset() }
                _ = try head.step()
                let chunkSamples = try Schema.storedSetting(connection, "chunk_samples") ?? 0
                return (try connection.pragmaInt("page_count"), try connection.pragmaInt("freelist_count"),
                        try connection.pragmaInt("page_size"), Int(head.int64(at: 0)), chunkSamples + head.int64(at: 1))
            }
        }
        let wal = Self.fileSize(path + "-wal")
        let counters = status.withLock { $0 }
        return Stats(bytes: max(Self.fileSize(path), pages * pageSize) + wal, walBytes: wal, freeBytes: free * pageSize,
                     series: index.withLock { $0.count }, samples: samples, headRows: headRows,
                     heldSamples: held.withLock { $0.samples }, droppedSamples: counters.droppedSamples,
                     appendedSamples: counters.appendedSamples, prunedSeries: counters.prunedSeries, lastError: counters.lastError,
                     degraded: counters.degradedSince != nil)
    }

    /// Samples stored in chunks and head; reads every chunk header, so meant for tools and benchmarks.
    public func storedSamples() throws -> (chunks: Int, head: Int, chunkRows: Int, chunkBytes: Int) {
        try withReader { connection in
            var chunkSamples = 0, rows = 0, bytes = 0
            try connection.forEach("SELECT substr(data, 1, 10), length(data) FROM chunks") { row in
                rows += 1
                bytes += Int(row.int64(at: 1))
                row.withBlob(at: 0) { header in
                    var offset = 0
                    chunkSamples += Int(Varint.read(header, &offset) ?? 0)
                }
            }
            var headSamples = 0
            try connection.forEach("SELECT data FROM head") { row in
                try row.withBlob(at: 0) { bytes in try HeadCodec.decode(bytes) { _, _ in headSamples += 1 } }
            }
            return (chunkSamples, headSamples, rows, bytes)
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}

extension TSDB {
    /// Runs `body` on the writer connection under the writer lock (tests, maintenance).
    func withWriterConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        return try writer.withLock { _, connection in try body(connection) }
    }

    /// Checkpoints the WAL into the main file and truncates it.
    func writerCheckpoint() throws {
        try withWriterConnection { try $0.checkpoint(.truncate) }
    }
}
