/// What an index of series does to return ids in label order while series keep being added:
/// rank every id once, then, for ids added since, either sort a result by its label sets directly
/// or merge the new ids into the ranked order (about one comparison per series, not a re-sort of
/// all). Shared by `MemorySeriesStore` and the TSDB's series index.
public struct LabelOrderUpkeep: Sendable {
    /// Label comparisons spent on direct sorts since the ranks were last brought up to date.
    private var directWork = 0

    public init() {}

    /// Whether a result of `resultCount` ids, among `total` series some of which are unranked,
    /// is to be sorted by its label sets directly (true) or after the ranks are brought up to date
    /// (false). True until the direct sorts add up to about what a merge costs: a run of small
    /// queries then never pays for a merge, and a query over most series pays one.
    public mutating func sortsDirectly(_ resultCount: Int, of total: Int) -> Bool {
        let work = resultCount * (Int.bitWidth - resultCount.leadingZeroBitCount)
        guard directWork + work < total else { return false }
        directWork += work
        return true
    }

    /// The ranks were brought up to date.
    public mutating func ranked() { directWork = 0 }

    /// `order` and `fresh`, each in increasing order by `precedes`, merged into one (an element of
    /// `order` goes first among equals).
    public static func merge<ID>(_ order: [ID], _ fresh: [ID], by precedes: (ID, ID) -> Bool) -> [ID] {
        var merged: [ID] = []
        merged.reserveCapacity(order.count + fresh.count)
        var i = 0, j = 0
        while i < order.count, j < fresh.count {
            if precedes(fresh[j], order[i]) {
                merged.append(fresh[j])
                j += 1
            } else {
                merged.append(order[i])
                i += 1
            }
        }
        merged.append(contentsOf: order[i...])
        merged.append(contentsOf: fresh[j...])
        return merged
    }
}
