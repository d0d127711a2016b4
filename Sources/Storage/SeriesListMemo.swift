import Model

/// Series ids of whole series lists (`SeriesBatch.series`) by the identity of the list's storage
/// buffer: a scrape target whose series stay the same hands storage the very same array every
/// scrape, so its thousand ids come back in one dictionary lookup, without reading one label.
///
/// Each entry keeps its list alive, so the buffer's address cannot be reused by another list
/// while the entry exists, and a shared buffer is never mutated in place (copy-on-write), so the
/// same address means the same series. The memo is emptied once the series it holds outnumber
/// `limit`, which bounds what lists of sources that change every batch can pin.
struct SeriesListMemo {
    private var entries: [UInt: (list: [Labels], ids: [UInt32])] = [:]
    private var heldSeries = 0

    private static func address(_ list: [Labels]) -> UInt? {
        list.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    /// The ids recorded for this very list, index for index.
    func lookup(_ list: [Labels]) -> [UInt32]? {
        guard let address = SeriesListMemo.address(list), let entry = entries[address],
              entry.list.count == list.count else { return nil }
        return entry.ids
    }

    /// Remembers `ids` for `list` (same count).
    mutating func insert(_ list: [Labels], _ ids: [UInt32], limit: Int) {
        guard let address = SeriesListMemo.address(list) else { return }
        if heldSeries + list.count > limit {
            entries = [:]
            heldSeries = 0
        }
        if let old = entries.updateValue((list, ids), forKey: address) { heldSeries -= old.list.count }
        heldSeries += list.count
    }
}
