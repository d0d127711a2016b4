#if canImport(Glibc)
import Glibc
#endif
import Model
import SQLite

extension TSDB {
    /// Stores one batch in one transaction. While the database cannot be written (disk full,
    /// read-only file, I/O error) batches are kept in memory, still visible to queries, and written
    /// in order once it recovers; beyond `maxPendingSamples` the oldest are dropped (`stats()` counts
    /// them). Throws only when the store was opened read-only.
    public func append(_ batch: [LabeledSample]) throws {
        try append(SeriesBatch(batch))
    }

    /// The same for a batch given as series and values; a series list seen before (the same
    /// array) has its ids found by identity.
    public func append(_ batch: SeriesBatch) throws {
        guard let writer else { throw SQLiteError(code: 8, message: "\(path) is open read-only") }
        guard batch.count > 0 else { return }
        let failure: SQLiteError? = writer.withLock { state, connection in
            do {
                if held.withLock({ !$0.batches.isEmpty }), let error = flushPending(&state, connection) { throw error }
                try write(batch, &state, connection)
                return nil
            } catch {
                hold(batch.labeledSamples)
                return error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)")
            }
        }
        if let failure { noteFailure(failure) } else { noteSuccess(batch.count) }
    }

    /// Writes one batch: new series rows, then the head row, in one IMMEDIATE transaction.
    func write(_ batch: SeriesBatch, _ state: inout WriterState, _ connection: Connection) throws {
        var created: [(UInt32, Labels)] = []
        let memoLimit = 2 * state.ids.count + 4096
        let known = state.lists.lookup(batch.series)
        // A list is remembered whole; its series are not also remembered one by one.
        var ids = known ?? resolve(batch.series, &state, &created, memoLimit: nil)
        if !batch.extra.isEmpty {
            ids += resolve(batch.extra.lazy.map(\.labels), &state, &created, memoLimit: memoLimit)
        }
        var samples = batch.values
        samples.reserveCapacity(batch.count)
        for item in batch.extra { samples.append(item.sample) }
        let complete = !state.idsExhausted || !ids.contains(0)
        if !complete {
            // New series past the id space: their samples are dropped, the rest stored.
            let kept = zip(ids, samples).filter { $0.0 != 0 }
            status.withLock { $0.droppedSamples += ids.count - kept.count }
            ids = kept.map(\.0)
            samples = kept.map(\.1)
            if ids.isEmpty { return }
        }
        let (bytes, summary) = HeadCodec.encode(ids: ids, samples: samples)
        do {
            try connection.withTransaction(.immediate) {
                for (id, labels) in created {
                    let encoded = LabelCodec.encode(labels)
                    let insert = try connection.cached("INSERT INTO series(id, hash, labels) VALUES(?, ?, ?)")
                    try insert.bind(Int64(id), at: 1)
                    try insert.bind(LabelCodec.hash(encoded), at: 2)
                    try insert.bind(blob: encoded, at: 3)
                    try insert.step()
                    try Schema.insertLabelIndex(connection, id: Int64(id), labels: labels)
                }
                let insert = try connection.cached(
                    "INSERT INTO head(min_ts, max_ts, min_series, max_series, data, samples) VALUES(?, ?, ?, ?, ?, ?)")
                try insert.bind(summary.minTimestamp, at: 1)
                try insert.bind(summary.maxTimestamp, at: 2)
                try insert.bind(Int64(summary.minSeries), at: 3)
                try insert.bind(Int64(summary.maxSeries), at: 4)
                try insert.bind(blob: bytes, at: 5)
                try insert.bind(Int64(batch.count), at: 6)
                try insert.step()
            }
        } catch {
            for (_, labels) in created { state.ids[SeriesKey(labels)] = nil }
            // Both memos may hold ids of the series just rolled back.
            state.memo = LabelIdentityMemo()
            state.lists = SeriesListMemo()
            state.nextID -= UInt32(created.count)
            throw error
        }
        if known == nil, complete, !batch.series.isEmpty {
            state.lists.insert(batch.series, Array(ids[..<batch.series.count]), limit: memoLimit)
        }
        if !created.isEmpty {
            index.withLock { index in
                for (id, labels) in created { index.add(id, labels) }
            }
        }
    }

    /// The id of each series in `labels`, creating (in `state`, recorded in `created`) the new
    /// ones; each `Labels` is remembered by identity unless `memoLimit` is nil.
    private func resolve(_ labels: some Collection<Labels>, _ state: inout WriterState,
                         _ created: inout [(UInt32, Labels)], memoLimit: Int?) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(labels.count)
        for item in labels {
            if let id = state.memo.lookup(item) {
                ids.append(id)
                continue
            }
            let key = SeriesKey(item)
            let id: UInt32
            if let known = state.ids[key] {
                id = known
            } else if state.nextID >= options.seriesIDLimit {
                // Ids are never reused: past the last one, new series get none and are not
                // stored (the caller drops their samples), rather than the process trapping.
                if !state.idsExhausted {
                    state.idsExhausted = true
                    options.log("storage: series ids used up (\(options.seriesIDLimit - 1) series created in this file, ids are never reused); samples of new series are dropped, existing series are still stored")
                }
                ids.append(0)
                continue
            } else {
                id = state.nextID
                state.nextID += 1
                state.ids[key] = id
                created.append((id, item))
            }
            ids.append(id)
            if let memoLimit { state.memo.insert(item, id, limit: memoLimit) }
        }
        return ids
    }

    /// Keeps a batch in memory, dropping the oldest beyond the bound.
    func hold(_ batch: [LabeledSample]) {
        let limit = options.maxPendingSamples
        let dropped = held.withLock { held in
            held.batches.append(batch)
            held.samples += batch.count
            var dropped = 0
            while held.samples > limit, held.batches.count > 1 {
                let oldest = held.batches.removeFirst()
                held.samples -= oldest.count
                dropped += oldest.count
            }
            return dropped
        }
        if dropped > 0 {
            status.withLock { $0.droppedSamples += dropped }
            options.log("storage: dropped \(dropped) samples held in memory (limit \(limit))")
        }
    }

    /// Writes held batches in order (the caller holds the writer lock); returns the error that stopped it.
    func flushPending(_ state: inout WriterState, _ connection: Connection) -> SQLiteError? {
        while let batch = held.withLock({ $0.batches.first }) {
            do {
                try write(SeriesBatch(batch), &state, connection)
            } catch {
                return error as? SQLiteError ?? SQLiteError(code: 1, message: "\(error)")
            }
            held.withLock { held in
                held.batches.removeFirst()
                held.samples -= batch.count
            }
        }
        return nil
    }

    func noteFailure(_ error: SQLiteError) {
        let first = status.withLock { status in
            status.lastError = error.description
            if status.degradedSince == nil {
                status.degradedSince = Self.wallClock()
                return true
            }
            return false
        }
        if first { options.log("storage: cannot write \(path), keeping samples in memory: \(error)") }
    }

    func noteSuccess(_ samples: Int) {
        let recovered = status.withLock { status in
            status.appendedSamples += samples
            if samples > 0 { status.appendedBatches += 1 }
            defer { status.degradedSince = nil }
            return status.degradedSince != nil
        }
        if recovered { options.log("storage: writing to \(path) again; samples held in memory were written") }
    }

    static func wallClock() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
