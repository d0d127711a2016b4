import CPrefetch
import Model

/// The series of one payload so far, for rejecting duplicates. Keyed by the 64-bit hash of the
/// series' canonical text, which the parser computes from the bytes it already scans (usually the
/// bytes as written), so no `Labels` is hashed or kept; one
/// flat open-addressing array makes an insert a single cache miss. Two distinct series share a
/// hash with probability about n²/2⁶⁵ (3·10⁻¹⁰ for 100k series); that would reject the payload
/// as a duplicate, which is the safe direction.
struct SeriesSet {
    enum Insertion: Equatable {
        case new
        /// Already present, with the timestamp it had (which is replaced by the new one).
        case existing(Timestamp?)
    }

    /// Hashes only (0: empty), 8 bytes a slot, so the table stays small enough for the cache.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)
    private(set) var count = 0
    /// Explicit timestamps are rare; they live on the side.
    private var timestamps: [UInt64: Timestamp] = [:]

    /// Sizes the set for about `expected` series, so a large payload does not regrow it repeatedly.
    mutating func reserve(_ expected: Int) {
        guard expected * 2 > slots.count, count == 0 else { return }
        var size = slots.count
        while size < expected * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
    }

    /// Starts fetching the slot where `insert` will start looking for `hash`, so that the memory
    /// access (a cache miss on a large payload) overlaps the work done before the insert. A hint,
    /// not a load: the work in between does not wait for it.
    @inline(__always)
    func prefetch(hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { lookout_prefetch_for_write(base + (Int(truncatingIfNeeded: hash) & (slots.count - 1))) }
        }
    }

    @inline(__always)   // once per sample; the growth stays out of line
    mutating func insert(hash rawHash: UInt64, timestamp: Timestamp?) -> Insertion {
        let hash = rawHash == 0 ? 1 : rawHash
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 {
            if slots[index] == hash {
                let previous = timestamps[hash]
                timestamps[hash] = timestamp
                return .existing(previous)
            }
            index = (index + 1) & mask
        }
        slots[index] = hash
        if let timestamp { timestamps[hash] = timestamp }
        count += 1
        if count * 2 > slots.count { grow() }
        return .new
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for hash in old where hash != 0 {
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = hash
        }
    }
}
