import Model

/// A label set with a precomputed 64-bit digest, the writer's cache key. Hashing a `Labels`
/// through `Hasher` costs about 2 µs for a typical series (a dozen strings); the digest reads the
/// UTF-8 bytes eight at a time, so the per-sample id lookup stays far below a microsecond.
struct SeriesKey: Hashable {
    let labels: Labels
    let digest: UInt64

    init(_ labels: Labels) {
        self.labels = labels
        var h: UInt64 = 0x243f_6a88_85a3_08d3
        // The stored array, not the Collection conformance: its accessors are not inlinable across modules.
        for label in labels.storage {
            h = Self.mix(h, label.name)
            h = Self.mix(h, label.value)
        }
        digest = h
    }

    @inline(__always)
    private static func mix(_ seed: UInt64, _ string: String) -> UInt64 {
        if let h = string.utf8.withContiguousStorageIfAvailable({ mix(seed, UnsafeRawBufferPointer($0)) }) { return h }
        return Array(string.utf8).withUnsafeBytes { mix(seed, $0) }   // bridged or small strings
    }

    @inline(__always)
    private static func mix(_ seed: UInt64, _ raw: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ UInt64(raw.count)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9e37_79b9_7f4a_7c15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0xff
        while i < raw.count {
            tail = tail << 8 | UInt64(raw[i])
            i += 1
        }
        h = (h ^ tail) &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 31)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    static func == (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.digest == rhs.digest && lhs.labels == rhs.labels
    }
}
