import Model
import SQLite

extension TSDB {
    /// Moves head rows of complete blocks (ending at or before the block holding `now`) into
    /// per-series chunks, one block per transaction so appends interleave. Late samples for a block
    /// already compacted are merged into its chunks. Returns the number of chunks written.
    @discardableResult
    public func compact(now: Timestamp) throws -> Int {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        return try housekeeping.withLock { _ in
            let cutoff = block(of: now) * blockDuration
            var written = 0
            while true {
                let chunks = try writer.withLock { _, connection in try compactOldestBlock(connection, before: cutoff) }
                guard let chunks else { break }
                written += chunks
            }
            return written
        }
    }

    /// Compacts the head rows whose samples start in the oldest block; nil when nothing is left before `cutoff`.
    private func compactOldestBlock(_ connection: Connection, before cutoff: Timestamp) throws -> Int? {
        guard let oldest = try connection.scalar("SELECT min(min_ts) FROM head WHERE max_ts < ?", [.integer(cutoff)])?.int64 else {
            return nil
        }
        let blockEnd = (block(of: oldest) + 1) * blockDuration
        var rowIDs: [Int64] = []
        var samples: [Int64: [Sample]] = [:]
        try connection.forEach("SELECT id, data FROM head WHERE max_ts < ? AND min_ts < ? ORDER BY id",
                               [.integer(cutoff), .integer(blockEnd)]) { row in
            rowIDs.append(row.int64(at: 0))
            try row.withBlob(at: 1) { bytes in
                try HeadCodec.decode(bytes) { id, sample in
                    samples[Schema.chunkKey(block: block(of: sample.timestamp), series: id), default: []].append(sample)
                }
            }
        }
        try connection.withTransaction(.immediate) {
            let existing = try connection.cached("SELECT data FROM chunks WHERE key = ?")
            let insert = try connection.cached("INSERT OR REPLACE INTO chunks(key, data) VALUES(?, ?)")
            for key in samples.keys.sorted() {
                var older: [Sample] = []
                existing.reset()
                try existing.bind(key, at: 1)
                if try existing.step() {
                    try ChunkCodec.decode(existing.blob(at: 0), in: Timestamp.min...Timestamp.max, into: &older)
                }
                existing.reset()
                let merged = SampleCollector.merge(older, samples[key]!)
                try insert.bind(key, at: 1)
                try insert.bind(blob: ChunkCodec.encode(merged[...]), at: 2)
                try insert.step()
                insert.reset()
            }
            let delete = try connection.cached("DELETE FROM head WHERE id = ?")
            for id in rowIDs {
                try delete.bind(id, at: 1)
                try delete.step()
                delete.reset()
            }
        }
        return samples.count
    }

    /// Deletes chunks of blocks that ended before `now - retention` and head rows older than that,
    /// at most 1,000 rows per transaction; then returns free pages to the file system when more than
    /// a quarter of the file is free (the rest is reused by new chunks). Returns the rows deleted.
    @discardableResult
    public func applyRetention(now: Timestamp) throws -> Int {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        return try housekeeping.withLock { _ in
            let firstKept = block(of: now - options.retention)
            let chunkLimit = Schema.chunkKey(block: firstKept, series: 0)
            let headLimit = firstKept * blockDuration
            var deleted = 0
            for sql in ["DELETE FROM chunks WHERE key IN (SELECT key FROM chunks WHERE key < ? ORDER BY key LIMIT 1000)",
                        "DELETE FROM head WHERE id IN (SELECT id FROM head WHERE max_ts < ? LIMIT 1000)"] {
                while true {
                    let limit: SQLValue = sql.hasPrefix("DELETE FROM chunks") ? .integer(chunkLimit) : .integer(headLimit)
                    let changed = try writer.withLock { _, connection in
                        try connection.withTransaction(.immediate) {
                            try connection.execute(sql, [limit])
                            return connection.changes
                        }
                    }
                    deleted += changed
                    if changed == 0 { break }
                }
            }
            try writer.withLock { _, connection in try releaseFreePages(connection) }
            return deleted
        }
    }

    private func releaseFreePages(_ connection: Connection) throws {
        let free = try connection.pragmaInt("freelist_count")
        let total = try connection.pragmaInt("page_count")
        guard free > 256, free * 4 > total else { return }
        try connection.execute("PRAGMA incremental_vacuum(\(free - total / 10))")
    }

    /// Housekeeping loop for the daemon: every `housekeepingInterval`, writes batches held in memory,
    /// compacts and applies retention; errors are logged and retried next round. Returns when the
    /// task is cancelled. Blocks a cooperative thread for the duration of each round.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: options.housekeepingInterval)
            } catch {
                return
            }
            housekeepingRound(now: Self.wallClock())
        }
    }

    /// One round of `run()`, for callers with their own scheduling.
    public func housekeepingRound(now: Timestamp) {
        guard let writer else { return }
        if held.withLock({ !$0.batches.isEmpty }) {
            if let error = writer.withLock({ flushPending(&$0, $1) }) { noteFailure(error); return }
            noteSuccess(0)
        }
        do {
            try compact(now: now)
            try applyRetention(now: now)
        } catch {
            let failure = error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)")
            status.withLock { $0.lastError = failure.description }
            options.log("storage: housekeeping of \(path) failed: \(failure)")
        }
    }
}
