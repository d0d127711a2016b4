import Model
import SQLite

extension TSDB {
    /// Every series matching all `matchers` with its samples in `range`, sorted by labels.
    /// Reads one consistent snapshot of chunks and head; held batches (disk failure) are included.
    public func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        try select(matchers, in: range, picking: nil)
    }

    /// As `select` over `points.range`, but each series' head, chunk and held samples are cut
    /// down to those the points take as they are read, so an instant selector over many series
    /// holds one sample per series and step rather than its whole lookback window.
    public func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series] {
        try select(matchers, in: points.range, picking: points)
    }

    /// Series matching `matchers` with their samples in `range`, reduced to those `points` take if given.
    func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>, picking points: LookbackPoints?) throws -> [Series] {
        let heldBatches = held.withLock { $0.batches }   // before the snapshot: a flush then shows up twice, never zero times
        var result = try withReader { connection in
            try connection.withTransaction(.deferred) {
                let (ids, labels, headSamples) = try withHead(connection, range, picking: points) { $0.matchInLabelOrder(matchers) }
                guard !ids.isEmpty else { return [Series]() }
                guard let blocks = try chunkBlocks(connection, range) else {
                    // Recent data only: the head answers alone.
                    return zip(labels, headSamples).compactMap { labels, samples in
                        let merged = SampleCollector.merge([], samples)
                        return merged.isEmpty ? nil : Series(labels, merged)
                    }
                }
                var collector = SampleCollector(ids: ids)
                collector.headSamples = headSamples
                try readChunks(connection, &collector, range, blocks: blocks, picking: points)
                return collector.finish(labels, picking: points)
            }
        }
        if !heldBatches.isEmpty {
            result = SampleCollector.merge(result, held: heldBatches, matchers, range).sorted { $0.labels < $1.labels }
            if let points { result = points.picked(from: result) }
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
                let (ids, labels, headSamples) = try withHead(connection, range) { $0.match(matchers) }
                guard !ids.isEmpty else { return [] }
                var collector = SampleCollector(ids: ids)
                collector.headSamples = headSamples
                if let blocks = try chunkBlocks(connection, range) {
                    try readChunks(connection, &collector, range, blocks: blocks, existenceOnly: true)
                }
                return collector.slotsWithData().map { labels[$0] }
            }
        }
        for batch in heldBatches {
            for item in batch where range.contains(item.sample.timestamp) && matchers.allSatisfy({ $0.matches(item.labels) }) {
                out.append(item.labels)
            }
        }
        return out
    }

    /// The blocks whose chunks may hold samples in `range`, or nil when no chunk can.
    func chunkBlocks(_ connection: Connection, _ range: ClosedRange<Timestamp>) throws -> ClosedRange<Int64>? {
        // Two statements: SQLite answers a lone min() or max() from the b-tree's edge, but scans for both.
        guard let highest = try connection.scalar("SELECT max(key) FROM chunks")?.int64 else { return nil }
        let last = min(block(of: range.upperBound), Schema.block(ofKey: highest))
        // Blocks before `merged_until` sit in chunks keyed by their group's first block; later ones by their own.
        let lowBlock = block(of: range.lowerBound)
        guard lowBlock - (span - 1) <= last else { return nil }   // not even a merged group reaches back here
        guard let lowest = try connection.scalar("SELECT min(key) FROM chunks")?.int64 else { return nil }
        let merged = try Schema.storedSetting(connection, "merged_until")
        let from = merged.map { lowBlock < $0 ? groupStart(lowBlock) : lowBlock } ?? lowBlock
        let first = max(from, Schema.block(ofKey: lowest))
        return first <= last ? first...last : nil
    }

    /// Decodes the chunks of the wanted series in `blocks` (see `chunkBlocks`) overlapping `range`.
    /// With `existenceOnly`, a chunk in a block wholly inside the range counts without decoding.
    /// With `points`, each series keeps only the samples they take (see `SampleCollector.add`).
    func readChunks(_ connection: Connection, _ collector: inout SampleCollector, _ range: ClosedRange<Timestamp>,
                    blocks: ClosedRange<Int64>, existenceOnly: Bool = false, picking points: LookbackPoints? = nil) throws {
        guard !collector.ids.isEmpty else { return }
        let low = collector.lowest, high = collector.highest
        // Few wanted ids spread over a wide id range: look each up rather than scan the range.
        let sparse = collector.ids.count * 4 < Int(high - low) + 1
        let select = try connection.cached(sparse ? "SELECT key, data FROM chunks WHERE key = ?"
                                                  : "SELECT key, data FROM chunks WHERE key BETWEEN ? AND ?")
        // An active statement pins the connection's snapshot; never leave one behind on an error.
        defer { select.reset() }
        let generation = try ChunkCache.generation(connection)
        for b in blocks {
            let inside = range.lowerBound <= b * blockDuration && (b + span) * blockDuration - 1 <= range.upperBound
            for id in sparse ? collector.ids : [low] {
                let key = Schema.chunkKey(block: b, series: id)
                if sparse, !existenceOnly, let cached = chunkCache.withLock({ $0.lookup(key, generation: generation) }) {
                    if let slot = collector.slot(of: id) { collector.addChunk(cached, in: range, to: slot, picking: points) }
                    continue
                }
                try select.bind(key, at: 1)
                if !sparse { try select.bind(Schema.chunkKey(block: b, series: high), at: 2) }
                var found = false
                while try select.step() {
                    found = true
                    let rowKey = select.int64(at: 0)
                    guard let slot = collector.slot(of: Schema.series(ofKey: rowKey)) else { continue }
                    if existenceOnly && inside {
                        collector.markData(slot)
                        continue
                    }
                    if !existenceOnly, let cached = chunkCache.withLock({ $0.lookup(rowKey, generation: generation) }) {
                        collector.addChunk(cached, in: range, to: slot, picking: points)
                        continue
                    }
                    var decoded: [Sample] = []
                    do {
                        try select.withBlob(at: 1) { try ChunkCodec.decode($0, in: Timestamp.min...Timestamp.max, into: &decoded) }
                    } catch {
                        throw SQLiteError(code: 11, message: "\(path): chunk \(rowKey) is damaged")
                    }
                    if !existenceOnly { chunkCache.withLock { $0.store(rowKey, decoded, generation: generation) } }
                    collector.addChunk(decoded, in: range, to: slot, picking: points)
                }
                if sparse, !found, !existenceOnly { chunkCache.withLock { $0.store(key, [], generation: generation) } }
                select.reset()
            }
        }
    }

    /// Starts the caller's read snapshot (its first reads happen here), brings the head cache to
    /// it, and returns the ids `match` picks with their labels (taken together: a prune may forget
    /// an id right after) and head samples in `range`. The cache lock is taken before the snapshot
    /// starts, so the cache only ever moves forward between snapshots. With `points`, each series'
    /// head samples are only those the points take.
    func withHead(_ connection: Connection, _ range: ClosedRange<Timestamp>, picking points: LookbackPoints? = nil,
                  _ match: (inout SeriesIndex) -> [UInt32]) throws -> ([UInt32], [Labels], [[Sample]]) {
        try headCache.withLock { cache in
            try refreshIndex(connection)
            do {
                try cache.sync(connection)
            } catch is CorruptData {
                throw SQLiteError(code: 11, message: "\(path): a head row is damaged")
            }
            let (ids, labels) = index.withLock { index in
                let ids = match(&index)
                return (ids, ids.map { index.labels($0)! })
            }
            if let points { return (ids, labels, ids.map { cache.samples(of: $0, picking: points) }) }
            return (ids, labels, ids.map { cache.samples(of: $0, in: range) })
        }
    }
}
