import Model

/// The series of one payload so far, for rejecting duplicates. Keyed by an order-independent hash
/// the parser computes from the bytes it already scans (so `Labels` is never hashed with SipHash);
/// equal hashes are confirmed by comparing the label sets, so a collision never rejects a payload.
struct SeriesSet {
    enum Insertion: Equatable {
        case new
        /// Already present, with the timestamp it had (which is replaced by the new one).
        case existing(Timestamp?)
    }

    private var hashes: [UInt64] = []
    private var series: [Labels] = []
    private var timestamps: [Timestamp?] = []
    private var table: [Int32] = Array(repeating: -1, count: 1024)
    private var mask = 1023

    /// Sizes the set for about `count` series, so a large payload does not regrow it repeatedly.
    mutating func reserve(_ count: Int) {
        guard count * 2 > table.count else { return }
        hashes.reserveCapacity(count)
        series.reserveCapacity(count)
        timestamps.reserveCapacity(count)
        var size = table.count
        while size < count * 2 { size *= 2 }
        table = Array(repeating: -1, count: size)
        mask = size - 1
    }

    mutating func insert(_ labels: Labels, hash: UInt64, timestamp: Timestamp?) -> Insertion {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(table[slot])
            if index < 0 { break }
            if hashes[index] == hash, series[index] == labels {
                let previous = timestamps[index]
                timestamps[index] = timestamp
                return .existing(previous)
            }
            slot = (slot + 1) & mask
        }
        table[slot] = Int32(truncatingIfNeeded: series.count)
        hashes.append(hash)
        series.append(labels)
        timestamps.append(timestamp)
        if series.count * 2 > table.count { grow() }
        return .new
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: index)
        }
    }

    /// The contribution of one label to a series hash; summed, so label order does not matter.
    static func term(nameHash: UInt64, valueHash: UInt64) -> UInt64 {
        StringInterner.mix(nameHash ^ (valueHash &* 0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }
}
