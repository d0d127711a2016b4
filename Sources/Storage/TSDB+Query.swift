import Model
import SQLite

extension TSDB {
    /// Every series matching all `matchers` with its samples in `range`, sorted by labels.
    /// Reads one consistent snapshot of chunks and head; held batches (disk failure) are included.
    public func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        let heldBatches = held.withLock { $0.batches }   // before the snapshot: a flush then shows up twice, never zero times
        var result = try withReader { connection in
            try connection.withTransaction(.deferred) {
                try refreshIndex(connection)
                let ids = index.withLock { $0.matchInLabelOrder(matchers) }
                guard !ids.isEmpty else { return [Series]() }
                var collector = SampleCollector(ids: ids)
                try readChunks(connection, &collector, range)
                try readHead(connection, &collector, range)
                let labels = index.withLock { index in ids.map { index.labels($0)! } }
                return collector.finish(labels)
            }
        }
        if !heldBatches.isEmpty {
            result = SampleCollector.merge(result, held: heldBatches, matchers, range).sorted { $0.labels < $1.labels }
        }
        return result
    }

    /// Label names of matching series with samples in `range`, sorted.
    public func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        var names = Set<String>()
        for labels in try labelSetsWithData(matchers, range) { for label in labels { names.insert(label.name) } }
        return names.sorted()
    }

    /// Values of label `name` over matching series with samples in `range`, sorted.
    public func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        var values = Set<String>()
        for labels in try labelSetsWithData(matchers, range) { if let value = labels[name] { values.insert(value) } }
        return values.sorted()
    }

    /// Label sets of matching series with a sample in `range`; decodes only chunks at the range's edges.
    func labelSetsWithData(_ matchers: [Matcher], _ range: ClosedRange<Timestamp>) throws -> [Labels] {
        let heldBatches = held.withLock { $0.batches }
        var out = try withReader { connection in
            try connection.withTransaction(.deferred) { () throws -> [Labels] in
                try refreshIndex(connection)
                let ids = index.withLock { $0.match(matchers) }
                guard !ids.isEmpty else { return [] }
                var collector = SampleCollector(ids: ids)
                try readChunks(connection, &collector, range, existenceOnly: true)
                try readHead(connection, &collector, range)
                return index.withLock { index in
                    collector.slotsWithData().map { index.labels(ids[$0])! }
                }
            }
        }
        for batch in heldBatches {
            for item in batch where range.contains(item.sample.timestamp) && matchers.allSatisfy({ $0.matches(item.labels) }) {
                out.append(item.labels)
            }
        }
        return out
    }

    /// Decodes the chunks of the wanted series in the blocks overlapping `range`. With
    /// `existenceOnly`, a chunk in a block wholly inside the range counts without decoding.
    func readChunks(_ connection: Connection, _ collector: inout SampleCollector, _ range: ClosedRange<Timestamp>,
                    existenceOnly: Bool = false) throws {
        // Two statements: SQLite answers a lone min() or max() from the b-tree's edge, but scans for both.
        guard let lowest = try connection.scalar("SELECT min(key) FROM chunks")?.int64,
              let highest = try connection.scalar("SELECT max(key) FROM chunks")?.int64 else { return }
        // A merged chunk is keyed by its group's first block, so look back up to a group.
        let first = max(block(of: range.lowerBound) - (span - 1), Schema.block(ofKey: lowest))
        let last = min(block(of: range.upperBound), Schema.block(ofKey: highest))
        guard first <= last, !collector.ids.isEmpty else { return }
        let low = collector.lowest, high = collector.highest
        let select = try connection.cached("SELECT key, data FROM chunks WHERE key BETWEEN ? AND ?")
        for b in first...last {
            let inside = range.lowerBound <= b * blockDuration && (b + span) * blockDuration - 1 <= range.upperBound
            try select.bind(Schema.chunkKey(block: b, series: low), at: 1)
            try select.bind(Schema.chunkKey(block: b, series: high), at: 2)
            while try select.step() {
                guard let slot = collector.slot(of: Schema.series(ofKey: select.int64(at: 0))) else { continue }
                if existenceOnly && inside {
                    collector.markData(slot)
                    continue
                }
                do {
                    try select.withBlob(at: 1) { try ChunkCodec.decode($0, in: range, into: &collector.chunkSamples[slot]) }
                } catch {
                    throw SQLiteError(code: 11, message: "\(path): chunk \(select.int64(at: 0)) is damaged")
                }
            }
            select.reset()
        }
    }

    /// Decodes head rows that may hold wanted samples, in write order.
    func readHead(_ connection: Connection, _ collector: inout SampleCollector, _ range: ClosedRange<Timestamp>) throws {
        guard !collector.ids.isEmpty else { return }
        let low = collector.lowest, high = collector.highest
        let select = try connection.cached("""
            SELECT data FROM head WHERE max_ts >= ? AND min_ts <= ? AND max_series >= ? AND min_series <= ? ORDER BY id
            """)
        try select.forEach([.integer(range.lowerBound), .integer(range.upperBound), .integer(Int64(low)), .integer(Int64(high))]) { row in
            do {
                try row.withBlob(at: 0) { bytes in
                    try HeadCodec.decode(bytes) { id, sample in
                        if range.contains(sample.timestamp), let slot = collector.slot(of: id) {
                            collector.headSamples[slot].append(sample)
                        }
                    }
                }
            } catch {
                throw SQLiteError(code: 11, message: "\(path): a head row is damaged")
            }
        }
    }
}
