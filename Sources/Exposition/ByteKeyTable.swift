/// A hash map from byte strings to values, for decoding each distinct name, value or label of a
/// payload once. Open addressing over a power-of-two table; keys live in one byte arena, so a
/// lookup is a hash (computed by the caller) and a `memcmp`.
struct ByteKeyTable<Value> {
    /// Stop growing past this many keys; later values are simply made each time.
    static var capacityLimit: Int { 1 << 16 }
    private var arena: [UInt8] = []
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var values: [Value] = []
    private var table: [Int32] = Array(repeating: -1, count: 256)

    /// The value stored for `key`.
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Value? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(table[slot])
            if index < 0 { return nil }
            if hashes[index] == hash, matches(index, key) { return values[index] }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `value` for `key`, which must not be present yet.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, _ value: Value) {
        guard values.count < ByteKeyTable.capacityLimit else { return }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        table[slot] = Int32(values.count)
        hashes.append(hash)
        offsets.append(arena.count)
        values.append(value)
        arena.append(contentsOf: key)
        if values.count * 2 > table.count { grow() }
    }

    private func matches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[index]
        let end = index + 1 < offsets.count ? offsets[index + 1] : arena.count
        guard end - start == key.count else { return false }
        guard key.count > 0, let keyBase = key.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { arena in memcmpBytes(arena.baseAddress! + start, keyBase, key.count) }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        let mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }
}
