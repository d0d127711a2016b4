/// Label sets by dense id with an inverted index (label name → value → ids), so a selector
/// intersects short id lists instead of testing every series of a metric name.
struct SeriesPostings {
    /// Label sets by id.
    private(set) var labels: [Labels] = []
    /// name → value → ids, ascending (ids are handed out in increasing order).
    private var postings: [String: [String: [Int32]]] = [:]
    /// The ids `rankByID` covers, in label order.
    private var order: [Int32] = []
    /// Position of each id in label order, for the ids below `order.count`; brought up to date
    /// lazily after series are added (see `match`).
    private var rankByID: [Int32] = []
    private var upkeep = LabelOrderUpkeep()

    /// Adds a new label set and returns its id.
    mutating func add(_ set: Labels) -> Int32 {
        let id = Int32(labels.count)
        labels.append(set)
        for label in set { postings[label.name, default: [:]][label.value, default: []].append(id) }
        return id
    }

    /// Ids of the series matching every matcher, sorted by their label sets: by rank (integer
    /// compares) once every id is ranked; see `LabelOrderUpkeep` for ids added since.
    mutating func match(_ matchers: [Matcher]) -> [Int32] {
        var ids = candidates(matchers)
        if ids.count < 2 { return ids }
        if order.count != labels.count {
            if upkeep.sortsDirectly(ids.count, of: labels.count) {
                labels.withUnsafeBufferPointer { sets in ids.sort { sets[Int($0)] < sets[Int($1)] } }
                return ids
            }
            updateRanks()
        }
        ids.withUnsafeMutableBufferPointer { buffer in
            rankByID.withUnsafeBufferPointer { ranks in buffer.sort { ranks[Int($0)] < ranks[Int($1)] } }
        }
        return ids
    }

    /// Ids matching every matcher, ascending. `=` matchers intersect postings; the others filter
    /// what is left, or (with nothing to filter yet and a label they require) union postings.
    private func candidates(_ matchers: [Matcher]) -> [Int32] {
        var pool: [Int32]? = nil
        for m in matchers where m.kind == .equal && !m.value.isEmpty {
            guard let ids = postings[m.name]?[m.value] else { return [] }
            pool = pool.map { Self.intersect($0, ids) } ?? ids
            if pool!.isEmpty { return [] }
        }
        var rest = matchers.filter { !($0.kind == .equal && !$0.value.isEmpty) }
        if pool == nil, let first = rest.firstIndex(where: { !$0.matchesEmpty }) {
            let m = rest.remove(at: first)
            var ids: [Int32] = []
            for (value, list) in postings[m.name] ?? [:] where m.matches(value) { ids.append(contentsOf: list) }
            ids.sort()
            pool = ids
        }
        let all = pool ?? Array(0..<Int32(labels.count))
        if rest.isEmpty { return all }
        return all.filter { id in
            let set = labels[Int(id)]
            return rest.allSatisfy { $0.matches(set) }
        }
    }

    /// Sorts the ids added since the last update and merges them into `order`, then renumbers
    /// every rank.
    private mutating func updateRanks() {
        var fresh = Array(Int32(order.count)..<Int32(labels.count))
        labels.withUnsafeBufferPointer { sets in
            fresh.sort { sets[Int($0)] < sets[Int($1)] }
            order = LabelOrderUpkeep.merge(order, fresh) { sets[Int($0)] < sets[Int($1)] }
        }
        rankByID = [Int32](repeating: 0, count: labels.count)
        for (rank, id) in order.enumerated() { rankByID[Int(id)] = Int32(rank) }
        upkeep.ranked()
    }

    private static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }
}
