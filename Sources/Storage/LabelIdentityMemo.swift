import Model

/// Series ids by the identity of a `Labels`' storage buffer: the writer's fast path in front of
/// the `SeriesKey` dictionary. A scrape loop hands the same `Labels` instance for a series every
/// scrape, so the id is found from the buffer's address alone, without reading the labels (the
/// digest walks a dozen strings, and the dictionary compares label arrays: cache misses per sample).
///
/// Each entry keeps its `Labels` alive, so its address cannot be reused by another buffer while
/// the entry exists, and a shared buffer is never mutated in place. Writers that build fresh
/// `Labels` every time only add entries; the memo is emptied when it outgrows the series count.
struct LabelIdentityMemo {
    private var addresses: [UInt] = Array(repeating: 0, count: 1024)   // 0: empty slot
    private var ids: [UInt32] = Array(repeating: 0, count: 1024)
    private var held: [Labels] = []
    private(set) var count = 0

    private static func address(_ labels: Labels) -> UInt? {
        labels.bufferAddress
    }

    @inline(__always)
    private func slot(_ address: UInt) -> Int {
        Int(truncatingIfNeeded: ((UInt64(address) >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (addresses.count - 1)
    }

    func lookup(_ labels: Labels) -> UInt32? {
        guard let address = LabelIdentityMemo.address(labels) else { return nil }
        let mask = addresses.count - 1
        var index = slot(address)
        while addresses[index] != 0 {
            if addresses[index] == address { return ids[index] }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Remembers `id` for this `Labels` instance; empties the memo first once it holds more than
    /// `limit` entries (dead instances from writers that do not reuse their labels).
    mutating func insert(_ labels: Labels, _ id: UInt32, limit: Int) {
        guard let address = LabelIdentityMemo.address(labels) else { return }
        if count >= limit { self = LabelIdentityMemo() }
        if (count + 1) * 2 > addresses.count { grow() }
        place(address, id)
        held.append(labels)
        count += 1
    }

    private mutating func place(_ address: UInt, _ id: UInt32) {
        let mask = addresses.count - 1
        var index = slot(address)
        while addresses[index] != 0, addresses[index] != address { index = (index + 1) & mask }
        addresses[index] = address
        ids[index] = id
    }

    private mutating func grow() {
        let old = zip(addresses, ids).filter { $0.0 != 0 }
        addresses = Array(repeating: 0, count: addresses.count * 2)
        ids = Array(repeating: 0, count: addresses.count)
        for (address, id) in old { place(address, id) }
    }
}
