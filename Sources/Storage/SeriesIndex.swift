import Model

/// The in-memory view of the series table: id → labels and an inverted index for matchers.
/// Built from the table at open, extended as series are created and shrunk as they are pruned,
/// so matching never touches SQLite. About 0.3–0.5 kB per series. Ids are never reused; the
/// tables by id are paged (`PagedTable`), so the memory of pruned series is given back, but
/// `maxID` never goes down.
struct SeriesIndex {
    private var labelsByID = PagedTable<Labels>()
    /// name → value → ids (ascending, since ids are added in increasing order).
    private var postings: [String: [String: [UInt32]]] = [:]
    /// The ids ranked so far, in label order (ids pruned since are skipped at the next update).
    private var order: [UInt32] = []
    /// Position in `order` of each id ranked so far. Relative order is all that is read, so
    /// pruning an id just removes its rank.
    private var rankByID = PagedTable<UInt32>()
    /// Ids added since the ranks were last brought up to date.
    private var unranked: [UInt32] = []
    private var upkeep = LabelOrderUpkeep()
    /// The `series_prunes` count of the table this index reflects (see `TSDB.refreshIndex`).
    var pruneGeneration: Int64 = 0
    /// The highest id ever added (pruned or not).
    private(set) var maxID: UInt32 = 0

    /// Series known.
    var count: Int { labelsByID.count }

    /// Pages allocated by the tables by id (for tests and figures; see `PagedTable`).
    var allocatedPages: (labels: Int, ranks: Int) { (labelsByID.allocatedPages, rankByID.allocatedPages) }

    @inline(__always)
    func labels(_ id: UInt32) -> Labels? { labelsByID[id] }

    /// Calls `body` with each series, ids ascending.
    func forEach(_ body: (UInt32, Labels) throws -> Void) rethrows { try labelsByID.forEach(body) }

    /// Adds a series; ignores ids already known (a reader refresh may race the writer's publish).
    mutating func add(_ id: UInt32, _ labels: Labels) {
        maxID = max(maxID, id)
        guard labelsByID[id] == nil else { return }
        labelsByID[id] = labels
        unranked.append(id)
        for label in labels {
            postings[label.name, default: [:]][label.value, default: []].insertSorted(id)
        }
    }

    /// Forgets pruned series; ignores ids not known. Each posting list is rewritten once, so a
    /// prune of many series sharing a label (`__name__`) costs one pass over that list.
    mutating func remove(_ ids: some Sequence<UInt32>) {
        var gone: [String: [String: Set<UInt32>]] = [:]
        for id in ids {
            guard let labels = labelsByID.remove(id) else { continue }
            rankByID.remove(id)
            for label in labels { gone[label.name, default: [:]][label.value, default: []].insert(id) }
        }
        if gone.isEmpty { return }
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
        var gone: [UInt32] = []
        labelsByID.forEach { id, _ in if id <= through && !present.contains(id) { gone.append(id) } }
        remove(gone)
    }

    /// Ids of series matching every matcher, in label order (the order queries return): by rank
    /// (plain integers) once every id is ranked; see `LabelOrderUpkeep` for ids added since.
    /// Scrapes that create series between queries thus never cost a re-sort of every series.
    mutating func matchInLabelOrder(_ matchers: [Matcher]) -> [UInt32] {
        var ids = match(matchers)
        if ids.count < 2 { return ids }
        if !unranked.isEmpty {
            if upkeep.sortsDirectly(ids.count, of: count) {
                let table = labelsByID
                ids.sort { table[$0]! < table[$1]! }
                return ids
            }
            updateRanks()
        }
        // Rank in the high half, id in the low: one lookup per id, then a sort of plain integers.
        var keyed = ids.map { UInt64(rankByID[$0]!) << 32 | UInt64($0) }
        keyed.sort()
        return keyed.map { UInt32(truncatingIfNeeded: $0) }
    }

    /// Sorts the ids added since the last update by their labels and merges them into `order`
    /// without the pruned ids, then numbers the ranks again.
    private mutating func updateRanks() {
        let table = labelsByID
        var fresh = unranked.filter { table[$0] != nil && rankByID[$0] == nil }
        fresh.sort { table[$0]! < table[$1]! }
        order = LabelOrderUpkeep.merge(order.filter { table[$0] != nil }, fresh) { table[$0]! < table[$1]! }
        unranked.removeAll()
        upkeep.ranked()
        for (rank, id) in order.enumerated() { rankByID[id] = UInt32(rank) }
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
        let pool = candidates ?? labelsByID.ids
        let rest = matchers.filter { $0.matchesEmpty }
        if rest.isEmpty { return pool }
        return pool.filter { id in
            guard let labels = labels(id) else { return false }
            return rest.allSatisfy { $0.matches(labels) }
        }
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
