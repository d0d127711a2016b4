import Model
import SQLite

extension TSDB {
    /// Series deleted per transaction: bounds how long an append waits behind a prune.
    static let pruneBatch = 1000

    /// Deletes the series that have no sample left anywhere (no chunk, no sample in a head row)
    /// with their `label_index` rows, at most `pruneBatch` per transaction so appends interleave.
    /// A series appended to meanwhile is kept. Pruned ids are never handed out again: a label set
    /// that comes back gets a new id. `applyRetention` calls this after deleting data; returns
    /// the number of series deleted.
    @discardableResult
    public func pruneSeries() throws -> Int {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        return try housekeeping.withLock { _ in try prune(writer) }
    }

    /// The series to prune as seen in one snapshot, and how far the head was read.
    struct PrunePlan {
        var candidates: [UInt32] = []
        /// The highest head row id read; later rows are checked under the writer lock.
        var headThrough: Int64 = 0
        /// Series found in head rows appended after the snapshot: no longer candidates.
        var appended = Set<UInt32>()
    }

    /// The caller holds the housekeeping lock, so no chunk is written and no head row deleted
    /// meanwhile: a series without a sample in the snapshot only gains one through an append,
    /// which adds a head row after `headThrough`.
    func prune(_ writer: WriterSlot) throws -> Int {
        try backfillLastChunks(writer)
        guard var plan = try planPrune() else { return 0 }
        return try executePrune(&plan, writer)
    }

    /// The series without samples in a fresh reader snapshot; nil when there are none.
    func planPrune() throws -> PrunePlan? {
        try withReader { connection in try connection.withTransaction(.deferred) { try planPrune(connection) } }
    }

    /// Deletes the planned series in bounded transactions, except those appended to meanwhile.
    func executePrune(_ plan: inout PrunePlan, _ writer: WriterSlot) throws -> Int {
        var pruned = 0
        var start = 0
        while start < plan.candidates.count {
            let batch = plan.candidates[start..<min(start + Self.pruneBatch, plan.candidates.count)]
            start += batch.count
            let deleted = try writer.withLock { state, connection in try deleteSeries(batch, &plan, &state, connection) }
            status.withLock { $0.prunedSeries += deleted }
            pruned += deleted
        }
        return pruned
    }

    /// Fills `series_last_chunk` for a file whose chunks predate it (schema migration 5 leaves
    /// that to here, off the start-up path): reads every chunk key on a reader, then writes the
    /// records `pruneBatch * 10` per transaction. A run cut short starts over; the records only
    /// ever keep the highest block, so writing one twice is harmless. The caller holds the
    /// housekeeping lock, so no chunk changes meanwhile.
    func backfillLastChunks(_ writer: WriterSlot) throws {
        guard let last = try withReader({ connection in
            try connection.withTransaction(.deferred) { () throws -> [(UInt32, Int64)]? in
                guard try Schema.storedSetting(connection, "series_last_chunk_pending") != nil else { return nil }
                var last: [UInt32: Int64] = [:]
                // Keys ascend by block, so the last key seen for a series is its highest block.
                try connection.forEach("SELECT key FROM chunks ORDER BY key") { row in
                    let key = row.int64(at: 0)
                    last[Schema.series(ofKey: key)] = Schema.block(ofKey: key)
                }
                return last.sorted { $0.key < $1.key }
            }
        }) else { return }
        var start = 0
        repeat {
            let batch = last[start..<min(start + Self.pruneBatch * 10, last.count)]
            start += batch.count
            try writer.withLock { _, connection in
                try connection.withTransaction(.immediate) {
                    for (id, block) in batch { try Schema.noteChunkBlock(connection, series: id, block: block) }
                    if start == last.count { try connection.execute("DELETE FROM tsdb_settings WHERE name = 'series_last_chunk_pending'") }
                }
            }
        } while start < last.count
    }

    /// Series with no chunk and no head sample in the caller's snapshot, ascending.
    private func planPrune(_ connection: Connection) throws -> PrunePlan? {
        // Every chunk of a series is keyed by a block at most the one `series_last_chunk` records
        // for it: a series recorded below the lowest block left in the table has no chunk.
        let lowest = try connection.scalar("SELECT min(key) FROM chunks")?.int64.map(Schema.block(ofKey:)) ?? Int64.max
        var candidates = Set<UInt32>()
        try connection.forEach("""
            SELECT s.id FROM series s LEFT JOIN series_last_chunk c ON c.id = s.id
            WHERE c.block IS NULL OR c.block < ?
            """, [.integer(lowest)]) { row in
            candidates.insert(UInt32(truncatingIfNeeded: row.int64(at: 0)))
        }
        if candidates.isEmpty { return nil }
        var plan = PrunePlan()
        try connection.forEach("SELECT id, data FROM head ORDER BY id") { row in
            plan.headThrough = row.int64(at: 0)
            try row.withBlob(at: 1) { try HeadCodec.decode($0) { id, _ in _ = candidates.remove(id) } }
        }
        if candidates.isEmpty { return nil }
        plan.candidates = candidates.sorted()
        return plan
    }

    /// Deletes `batch` (less what was appended since the plan) in one transaction, then forgets
    /// the deleted series in memory; the caller holds the writer lock, so no append resolves an
    /// id in between.
    private func deleteSeries(_ batch: ArraySlice<UInt32>, _ plan: inout PrunePlan, _ state: inout WriterState,
                              _ connection: Connection) throws -> Int {
        var deleted: [(UInt32, Labels)] = []
        var generation: Int64 = 0
        var through = plan.headThrough
        var appended = plan.appended
        try connection.withTransaction(.immediate) {
            try connection.forEach("SELECT id, data FROM head WHERE id > ? ORDER BY id", [.integer(through)]) { row in
                through = row.int64(at: 0)
                try row.withBlob(at: 1) { try HeadCodec.decode($0) { id, _ in appended.insert(id) } }
            }
            let select = try connection.cached("SELECT labels FROM series WHERE id = ?")
            defer { select.reset() }
            for id in batch where !appended.contains(id) {
                try select.bind(Int64(id), at: 1)
                guard try select.step() else {
                    select.reset()
                    continue
                }
                let labels = try select.withBlob(at: 0) { try LabelCodec.decode($0) }
                select.reset()
                try Schema.deleteSeries(connection, id: Int64(id), labels: labels)
                deleted.append((id, labels))
            }
            if !deleted.isEmpty {
                let stored = try Schema.storedSetting(connection, "series_high_water") ?? 0
                try Schema.storeSetting(connection, "series_high_water", max(stored, Int64(state.nextID) - 1))
                generation = (try Schema.storedSetting(connection, "series_prunes") ?? 0) + 1
                try Schema.storeSetting(connection, "series_prunes", generation)
            }
        }
        plan.headThrough = through
        plan.appended = appended
        if deleted.isEmpty { return 0 }
        for (id, labels) in deleted {
            let key = SeriesKey(labels)
            if state.ids[key] == id { state.ids[key] = nil }
        }
        // Both memos may hold deleted ids (a scrape target's list, unchanged while it was down).
        state.memo = LabelIdentityMemo()
        state.lists = SeriesListMemo()
        index.withLock { index in
            index.remove(deleted.lazy.map(\.0))
            index.pruneGeneration = max(index.pruneGeneration, generation)
        }
        return deleted.count
    }
}
