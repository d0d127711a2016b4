import Dispatch
import Model
import SQLite

extension TSDB {
    /// Moves head rows of complete blocks (ending at or before the block holding `now`) into
    /// per-series chunks, one block per transaction so appends interleave, then merges complete
    /// groups of blocks. Late samples for a block already compacted are merged into its chunks.
    /// Reading and encoding run on a reader connection; the writer is held only to write the
    /// result. Returns the number of chunks written.
    @discardableResult
    public func compact(now: Timestamp) throws -> Int {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        // The housekeeping lock keeps chunks unchanged between planning and writing: only
        // housekeeping writes them; appends add head rows, which a plan never includes twice.
        return try housekeeping.withLock { _ in
            let cutoff = block(of: now) * blockDuration
            var written = 0
            while let plan = try withReader({ try planOldestBlock($0, before: cutoff) }) {
                try writer.withLock { _, connection in try apply(plan, connection) }
                written += plan.chunks.count
            }
            let completeGroups = groupStart(block(of: now))
            while let plan = try withReader({ try planOldestGroup($0, before: completeGroups) }) {
                try writer.withLock { _, connection in try apply(plan, connection) }
                mergedUntil.withLock { $0 = plan.mergedUntil }
                written += plan.chunks.count
            }
            return written
        }
    }

    /// Chunks to write and what they replace.
    struct CompactionPlan {
        var chunks: [(key: Int64, data: [UInt8])] = []
        /// Head rows whose samples are all in `chunks`.
        var headRows: [Int64] = []
        /// Chunk keys replaced by `chunks` (a merged group).
        var replacing: Range<Int64>?
        /// The new `merged_until` setting, for a merged group.
        var mergedUntil: Int64?
        /// Change in the number of samples held in chunks.
        var sampleDelta: Int64 = 0
    }

    private func apply(_ plan: CompactionPlan, _ connection: Connection) throws {
        try connection.withTransaction(.immediate) {
            if let range = plan.replacing {
                try connection.execute("DELETE FROM chunks WHERE key >= ? AND key < ?", [.integer(range.lowerBound), .integer(range.upperBound)])
            }
            let insert = try connection.cached("INSERT OR REPLACE INTO chunks(key, data) VALUES(?, ?)")
            for chunk in plan.chunks {
                try insert.bind(chunk.key, at: 1)
                try insert.bind(blob: chunk.data, at: 2)
                try insert.step()
                insert.reset()
                // A merge only moves chunks to their group's (lower) key: nothing to record.
                if plan.replacing == nil {
                    try Schema.noteChunkBlock(connection, series: Schema.series(ofKey: chunk.key), block: Schema.block(ofKey: chunk.key))
                }
            }
            let delete = try connection.cached("DELETE FROM head WHERE id = ?")
            for id in plan.headRows {
                try delete.bind(id, at: 1)
                try delete.step()
                delete.reset()
            }
            if !plan.headRows.isEmpty { try HeadCache.noteDeletion(connection) }
            try ChunkCache.noteWrite(connection)
            if let merged = plan.mergedUntil { try Schema.storeSetting(connection, "merged_until", merged) }
            try Schema.addChunkSamples(connection, plan.sampleDelta)
        }
    }

    /// Plans the compaction of the head rows whose samples start in the oldest block; nil when
    /// nothing is left before `cutoff`.
    private func planOldestBlock(_ connection: Connection, before cutoff: Timestamp) throws -> CompactionPlan? {
        guard let oldest = try connection.scalar("SELECT min(min_ts) FROM head WHERE max_ts < ?", [.integer(cutoff)])?.int64 else {
            return nil
        }
        let blockEnd = (block(of: oldest) + 1) * blockDuration
        let merged = mergedUntil.withLock { $0 }
        var plan = CompactionPlan()
        var grouping = BlockGrouping()
        try connection.forEach("SELECT id, data FROM head WHERE max_ts < ? AND min_ts < ? ORDER BY id",
                               [.integer(cutoff), .integer(blockEnd)]) { row in
            plan.headRows.append(row.int64(at: 0))
            try row.withBlob(at: 1) { bytes in
                try HeadCodec.decode(bytes) { id, sample in
                    grouping.add(block: chunkBlock(of: sample.timestamp, merged: merged), series: id, sample)
                }
            }
        }
        let existing = try connection.cached("SELECT data FROM chunks WHERE key = ?")
        defer { existing.reset() }   // an active statement would pin this reader's snapshot
        for (key, fresh) in grouping.byKey() {
            var older: [Sample] = []
            try existing.bind(key, at: 1)
            if try existing.step() {
                try existing.withBlob(at: 0) { try ChunkCodec.decode($0, in: Timestamp.min...Timestamp.max, into: &older) }
            }
            existing.reset()
            let merged = SampleCollector.merge(older, fresh)
            plan.sampleDelta += Int64(merged.count - older.count)
            plan.chunks.append((key, ChunkCodec.encode(merged[...])))
        }
        return plan
    }

    /// The block a sample's chunk is keyed by: its own, or its group's first once the group is merged.
    func chunkBlock(of timestamp: Timestamp, merged: Int64?) -> Int64 {
        let b = block(of: timestamp)
        guard let merged, b < merged else { return b }
        return groupStart(b)
    }

    /// Plans merging the chunks of the oldest complete group not yet merged into one chunk per
    /// series; nil when every group before `limit` (a group's first block) is merged.
    private func planOldestGroup(_ connection: Connection, before limit: Int64) throws -> CompactionPlan? {
        let merged = mergedUntil.withLock { $0 }
        let from = merged.map { Schema.chunkKey(block: $0, series: 0) } ?? Int64.min
        // Skip empty stretches: start at the group of the next chunk that exists.
        guard let next = try connection.scalar("SELECT min(key) FROM chunks WHERE key >= ?", [.integer(from)])?.int64 else { return nil }
        let group = groupStart(Schema.block(ofKey: next))
        guard group + span <= limit else { return nil }
        var samples: [UInt32: [Sample]] = [:]
        let low = Schema.chunkKey(block: group, series: 0), high = Schema.chunkKey(block: group + span, series: 0)
        try connection.forEach("SELECT key, data FROM chunks WHERE key >= ? AND key < ? ORDER BY key", [.integer(low), .integer(high)]) { row in
            let id = Schema.series(ofKey: row.int64(at: 0))
            try row.withBlob(at: 1) { try ChunkCodec.decode($0, in: Timestamp.min...Timestamp.max, into: &samples[id, default: []]) }
        }
        var plan = CompactionPlan(replacing: low..<high, mergedUntil: group + span)
        for id in samples.keys.sorted() {
            // Blocks were read in order and never overlap, so each series' samples are sorted already.
            plan.chunks.append((Schema.chunkKey(block: group, series: id), ChunkCodec.encode(samples[id]![...])))
        }
        return plan
    }

    /// Deletes chunks whose blocks all ended before `now - retention` and head rows older than that,
    /// at most 1,000 rows per transaction, then the series left without any sample (see
    /// `pruneSeries()`; also on the first pass after open); then returns free pages to the file
    /// system when more than a quarter of the file is free (the rest is reused by new chunks).
    /// Returns the chunk and head rows deleted.
    @discardableResult
    public func applyRetention(now: Timestamp) throws -> Int {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        return try housekeeping.withLock { _ in
            let firstKept = block(of: now - options.retention)
            // A merged chunk keyed by block g holds blocks g ..< g + span: delete it once all are old.
            let chunkLimit = Schema.chunkKey(block: firstKept - span + 1, series: 0)
            let headLimit = firstKept * blockDuration
            var deleted = 0
            for sql in ["DELETE FROM chunks WHERE key IN (SELECT key FROM chunks WHERE key < ? ORDER BY key LIMIT 1000)",
                        "DELETE FROM head WHERE id IN (SELECT id FROM head WHERE max_ts < ? LIMIT 1000)"] {
                while true {
                    let limit: SQLValue = sql.hasPrefix("DELETE FROM chunks") ? .integer(chunkLimit) : .integer(headLimit)
                    let changed = try writer.withLock { _, connection in
                        try connection.withTransaction(.immediate) {
                            if sql.hasPrefix("DELETE FROM chunks") {
                                var removed: Int64 = 0
                                try connection.forEach("SELECT substr(data, 1, 10) FROM chunks WHERE key < ? ORDER BY key LIMIT 1000", [limit]) { row in
                                    removed += row.withBlob(at: 0) { ChunkCodec.count($0) }
                                }
                                try Schema.addChunkSamples(connection, -removed)
                            }
                            try connection.execute(sql, [limit])
                            let changed = connection.changes
                            if changed > 0, sql.hasPrefix("DELETE FROM head") { try HeadCache.noteDeletion(connection) }
                            if changed > 0, sql.hasPrefix("DELETE FROM chunks") { try ChunkCache.noteWrite(connection) }
                            return changed
                        }
                    }
                    deleted += changed
                    if changed == 0 { break }
                }
            }
            // Series left without samples go too; also on the first pass and after a failed prune,
            // which find those left by earlier passes.
            var pruned = 0
            if deleted > 0 || pruneDue.withLock({ $0 }) {
                pruneDue.withLock { $0 = true }
                pruned = try prune(writer)
                pruneDue.withLock { $0 = false }
                if pruned > 0 { options.info("storage: pruned \(pruned) series with no samples left after retention") }
            }
            // Only after deleting: free pages left by compacting the head are reused by the next head rows.
            if deleted > 0 || pruned > 0 { try writer.withLock { _, connection in try releaseFreePages(connection) } }
            return deleted
        }
    }

    private func releaseFreePages(_ connection: Connection) throws {
        let free = try connection.pragmaInt("freelist_count")
        let total = try connection.pragmaInt("page_count")
        guard free >= 32, free * 4 > total else { return }
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
            // Compaction blocks for a while: keep it off the cooperative pool (one thread per core).
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global(qos: .utility).async {
                    self.housekeepingRound(now: Self.wallClock())
                    done.resume()
                }
            }
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

/// Groups decoded head samples by (block, series) with per-series tables by id: a dictionary
/// lookup per sample would cost more than decoding it. Paged (`PagedTable`), so their size
/// follows the ids in the head rather than the highest id ever created.
struct BlockGrouping {
    private var blocks: [Int64] = []
    private var series: [PagedTable<[Sample]>] = []
    private var last = -1

    mutating func add(block: Int64, series id: UInt32, _ sample: Sample) {
        if last < 0 || blocks[last] != block {
            if let found = blocks.firstIndex(of: block) {
                last = found
            } else {
                blocks.append(block)
                series.append(PagedTable())
                last = blocks.count - 1
            }
        }
        series[last].update(id, default: []) { $0.append(sample) }
    }

    /// (chunk key, samples in write order), ascending by key.
    func byKey() -> [(Int64, [Sample])] {
        var out: [(Int64, [Sample])] = []
        for (index, block) in blocks.enumerated() {
            series[index].forEach { id, samples in out.append((Schema.chunkKey(block: block, series: id), samples)) }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
