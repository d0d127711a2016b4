import Model

/// Maps byte strings to `String`s so a name or value that repeats in a payload (metric names,
/// label names, common label values) is decoded and allocated once.
struct StringInterner {
    private var table = ByteKeyTable<String>()

    /// The string for `bytes[range]`, which must be valid UTF-8.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        intern(bytes, range, hash: StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[range])))
    }

    /// The same, with the bytes' `hash` already computed by the caller.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> String {
        let key = UnsafeBufferPointer(rebasing: bytes[range])
        if let string = table.lookup(key, hash: hash) { return string }
        let string = String(decoding: key, as: UTF8.self)
        table.insert(key, hash: hash, string)
        return string
    }

    /// A fast word-at-a-time hash (one multiply and rotate per 8 bytes, a full mix at the end).
    /// It stands in for the bytes in hash tables and in the series hash that detects duplicates,
    /// so it must behave like a random 64-bit function; it need not resist an adversary.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        let count = key.count
        if count < 8 {
            var tail: UInt64 = 0
            for offset in 0..<count { tail |= UInt64(base[offset]) << UInt64(offset &* 8) }
            return mix(hash ^ tail)
        }
        var offset = 0
        while offset &+ 8 < count {
            hash = step(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        // The last word overlaps the previous one rather than being assembled byte by byte.
        hash = step(hash, raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        return mix(hash)
    }

    @inline(__always)
    private static func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0x9FB2_1C65_1E98_DF25
        return (product << 29) | (product >> 35)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 31
        return x &* 0x94D0_49BB_1331_11EB
    }
}

/// Whether `count` bytes at `lhs` and `rhs` are equal (`LabelBytes.equal`, a word at a time).
@inline(__always)
func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    LabelBytes.equal(UnsafeRawPointer(lhs), UnsafeRawPointer(rhs), count: count)
}
