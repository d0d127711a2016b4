import Model

/// The in-memory view of the series table: id → labels and an inverted index for matchers.
/// Built from the table at open, extended as series are created and shrunk as they are pruned,
/// so matching never touches SQLite. About 0.3–0.5 kB per series. Ids are never reused, so a
/// pruned id's slot stays empty (`maxID` never goes down).
struct SeriesIndex {
    private(set) var labelsByID: [Labels?] = [nil]   // ids start at 1
    /// name → value → ids (ascending, since ids are added in increasing order).
    private var postings: [String: [String: [UInt32]]] = [:]
    private(set) var count = 0
    /// Position of each id in label order; rebuilt after series are added.
    private var rankByID: [UInt32]?
    /// The `series_prunes` count of the table this index reflects (see `TSDB.refreshIndex`).
    var pruneGeneration: Int64 = 0

    var maxID: UInt32 { UInt32(labelsByID.count - 1) }

    func labels(_ id: UInt32) -> Labels? {
        Int(id) < labelsByID.count ? labelsByID[Int(id)] : nil
    }

    /// Adds a series; ignores ids already known (a reader refresh may race the writer's publish).
    mutating func add(_ id: UInt32, _ labels: Labels) {
        let slot = Int(id)
        while labelsByID.count <= slot { labelsByID.append(nil) }
        guard labelsByID[slot] == nil else { return }
        labelsByID[slot] = labels
        count += 1
        rankByID = nil
        for label in labels {
            postings[label.name, default: [:]][label.value, default: []].insertSorted(id)
        }
    }

    /// Forgets pruned series; ignores ids not known. Each posting list is rewritten once, so a
    /// prune of many series sharing a label (`__name__`) costs one pass over that list.
    mutating func remove(_ ids: some Sequence<UInt32>) {
        var gone: [String: [String: Set<UInt32>]] = [:]
        for id in ids {
            guard let labels = labels(id) else { continue }
            labelsByID[Int(id)] = nil
            count -= 1
            for label in labels { gone[label.name, default: [:]][label.value, default: []].insert(id) }
        }
        if gone.isEmpty { return }
        rankByID = nil
        for (name, values) in gone {
            for (value, removed) in values {
                postings[name]?[value]?.removeAll { removed.contains($0) }
                if postings[name]?[value]?.isEmpty == true { postings[name]![value] = nil }
            }
            if postings[name]?.isEmpty == true { postings[name] = nil }
        }
    }

    /// Forgets the series up to `through` missing from `present` (pruned by another process).
    mutating func retain(_ present: Set<UInt32>, through: UInt32) {
        let last = min(through, maxID)
        guard last >= 1 else { return }
        remove((1...last).filter { labels($0) != nil && !present.contains($0) })
    }

    /// Ids of series matching every matcher, in label order (the order queries return).
    mutating func matchInLabelOrder(_ matchers: [Matcher]) -> [UInt32] {
        let ids = match(matchers)
        if ids.count < 2 { return ids }
        if rankByID == nil {
            var order = allIDs()
            order.sort { labelsByID[Int($0)]! < labelsByID[Int($1)]! }
            var ranks = [UInt32](repeating: 0, count: labelsByID.count)
            for (rank, id) in order.enumerated() { ranks[Int(id)] = UInt32(rank) }
            rankByID = ranks
        }
        let ranks = rankByID!
        return ids.sorted { ranks[Int($0)] < ranks[Int($1)] }
    }

    /// Ids of series matching every matcher, ascending.
    func match(_ matchers: [Matcher]) -> [UInt32] {
        var candidates: [UInt32]? = nil
        // Narrow with each matcher that cannot match the empty string: it needs the label present.
        for m in matchers where !m.matchesEmpty {
            guard let values = postings[m.name] else { return [] }
            var ids: [UInt32] = []
            if m.kind == .equal {
                ids = values[m.value] ?? []
            } else {
                for (value, list) in values where m.matches(value) { ids.append(contentsOf: list) }
                ids.sort()
            }
            candidates = candidates.map { intersect($0, ids) } ?? ids
            if candidates!.isEmpty { return [] }
        }
        let pool = candidates ?? allIDs()
        let rest = matchers.filter { $0.matchesEmpty }
        if rest.isEmpty { return pool }
        return pool.filter { id in
            guard let labels = labels(id) else { return false }
            return rest.allSatisfy { $0.matches(labels) }
        }
    }

    private func allIDs() -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        for (i, labels) in labelsByID.enumerated() where labels != nil { out.append(UInt32(i)) }
        return out
    }

    private func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }
}

extension Array where Element == UInt32 {
    /// Appends, or inserts in order in the rare case ids arrive out of order.
    mutating func insertSorted(_ id: UInt32) {
        if let last, last > id {
            let index = firstIndex { $0 > id } ?? endIndex
            insert(id, at: index)
        } else {
            append(id)
        }
    }
}
