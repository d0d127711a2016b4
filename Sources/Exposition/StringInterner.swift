/// Maps byte strings to `String`s so a name or value that repeats in a payload (metric names,
/// label names, common label values) is decoded and allocated once. Open addressing over a
/// power-of-two table; keys live in one byte arena so lookups are a hash and a `memcmp`.
struct StringInterner {
    /// Stop growing past this many strings; later strings are simply decoded each time.
    private let capacityLimit: Int
    private var arena: [UInt8] = []
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var strings: [String] = []
    private var table: [Int32]
    private var mask: Int

    init(capacityLimit: Int = 1 << 16) {
        self.capacityLimit = capacityLimit
        table = Array(repeating: -1, count: 256)
        mask = 255
    }

    /// The string for `bytes[range]`, which must be valid UTF-8.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        intern(bytes, range, hash: StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[range])))
    }

    /// The same, with the bytes' `hash` already computed by the caller.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> String {
        let key = UnsafeBufferPointer(rebasing: bytes[range])
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(table[slot])
            if index < 0 { break }
            if hashes[index] == hash, matches(index, key) { return strings[index] }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: key, as: UTF8.self)
        guard strings.count < capacityLimit else { return string }
        table[slot] = Int32(strings.count)
        hashes.append(hash)
        offsets.append(arena.count)
        strings.append(string)
        arena.append(contentsOf: key)
        if strings.count * 2 > table.count { grow() }
        return string
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
        mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }

    /// A fast word-at-a-time hash; quality only needs to be good enough for a hash table.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= key.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < key.count {
            tail |= UInt64(base[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(hash ^ tail)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        return x &* 0x94D0_49BB_1331_11EB
    }
}

/// Byte comparison without importing Foundation or Glibc into the target.
@inline(__always)
func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var index = 0
    let left = UnsafeRawPointer(lhs), right = UnsafeRawPointer(rhs)
    while index + 8 <= count {
        if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
        index += 8
    }
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
