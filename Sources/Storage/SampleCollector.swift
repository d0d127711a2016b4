import Model

/// Gathers one query's samples per wanted series from chunks and head, then merges them:
/// time order, and for equal timestamps the later write wins (head over chunks, later head rows
/// over earlier ones, held batches over both).
struct SampleCollector {
    let ids: [UInt32]
    /// Position of each wanted id in `ids`; paged, so its size follows the wanted ids rather
    /// than the highest id ever created.
    private var slots = PagedTable<Int32>()
    var chunkSamples: [[Sample]]
    var headSamples: [[Sample]]
    private var hasData: [Bool]

    /// The wanted ids in any order; results come back in that order.
    let lowest: UInt32
    let highest: UInt32

    init(ids: [UInt32]) {
        self.ids = ids
        lowest = ids.min() ?? 0
        highest = ids.max() ?? 0
        for (slot, id) in ids.enumerated() { slots[id] = Int32(slot) }
        chunkSamples = Array(repeating: [], count: ids.count)
        headSamples = Array(repeating: [], count: ids.count)
        hasData = Array(repeating: false, count: ids.count)
    }

    @inline(__always)
    func slot(of id: UInt32) -> Int? {
        slots[id].map { Int($0) }
    }

    mutating func markData(_ slot: Int) { hasData[slot] = true }

    func slotsWithData() -> [Int] {
        ids.indices.filter { hasData[$0] || !chunkSamples[$0].isEmpty || !headSamples[$0].isEmpty }
    }

    /// Adds the samples of a decoded (time-sorted) chunk in `range` to series `slot`. With
    /// `points`, the series keeps only those the points take of what it has so far: the sample
    /// a point takes from the union of two sets is the one it takes from one of them, so the
    /// cut never loses it, and equal timestamps still resolve to the later write.
    mutating func addChunk(_ decoded: [Sample], in range: ClosedRange<Timestamp>, to slot: Int, picking points: LookbackPoints?) {
        ChunkCache.append(decoded, in: range, to: &chunkSamples[slot])
        guard let points, !chunkSamples[slot].isEmpty else { return }
        chunkSamples[slot] = points.picked(from: Self.merge([], chunkSamples[slot]))
    }

    /// Series with at least one sample, in `ids` order; with `points`, only the samples they take.
    func finish(_ labels: [Labels], picking points: LookbackPoints? = nil) -> [Series] {
        var out: [Series] = []
        for slot in ids.indices {
            var merged = Self.merge(chunkSamples[slot], headSamples[slot])
            if let points, !merged.isEmpty { merged = points.picked(from: merged) }
            if !merged.isEmpty { out.append(Series(labels[slot], merged)) }
        }
        return out
    }

    /// `older` is normally sorted with unique timestamps (chunks never overlap); `newer` is in
    /// write order. Both are checked, so overlapping input still yields a correct series.
    static func merge(_ older: [Sample], _ newer: [Sample]) -> [Sample] {
        if newer.isEmpty {
            if isStrictlyIncreasing(older) { return older }
            return merge([], older)
        }
        if older.isEmpty, isStrictlyIncreasing(newer) { return newer }
        if isStrictlyIncreasing(newer), isStrictlyIncreasing(older),
           older.last.map({ $0.timestamp < newer[0].timestamp }) ?? true {
            return older + newer
        }
        var tagged: [(sample: Sample, order: Int)] = []
        tagged.reserveCapacity(older.count + newer.count)
        for (i, s) in older.enumerated() { tagged.append((s, i)) }
        for (i, s) in newer.enumerated() { tagged.append((s, older.count + i)) }
        tagged.sort { $0.sample.timestamp != $1.sample.timestamp ? $0.sample.timestamp < $1.sample.timestamp : $0.order < $1.order }
        var out: [Sample] = []
        out.reserveCapacity(tagged.count)
        for item in tagged {
            if let last = out.last, last.timestamp == item.sample.timestamp { out[out.count - 1] = item.sample } else { out.append(item.sample) }
        }
        return out
    }

    static func isStrictlyIncreasing(_ samples: [Sample]) -> Bool {
        var i = 1
        while i < samples.count {
            if samples[i].timestamp <= samples[i - 1].timestamp { return false }
            i += 1
        }
        return true
    }

    /// Adds samples of batches held in memory to a query result.
    static func merge(_ series: [Series], held: [[LabeledSample]], _ matchers: [Matcher], _ range: ClosedRange<Timestamp>) -> [Series] {
        var extra: [Labels: [Sample]] = [:]
        for batch in held {
            for item in batch where range.contains(item.sample.timestamp) && matchers.allSatisfy({ $0.matches(item.labels) }) {
                extra[item.labels, default: []].append(item.sample)
            }
        }
        guard !extra.isEmpty else { return series }
        var out: [Series] = []
        for s in series {
            if let more = extra.removeValue(forKey: s.labels) { out.append(Series(s.labels, merge(s.samples, more))) } else { out.append(s) }
        }
        for (labels, samples) in extra { out.append(Series(labels, merge([], samples))) }
        return out
    }
}
