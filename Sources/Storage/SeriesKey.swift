import Model

/// A label set with a precomputed 64-bit digest, the writer's cache key. The digest reads the
/// packed labels' bytes eight at a time, faster than `Hasher`'s SipHash.
struct SeriesKey: Hashable {
    let labels: Labels
    let digest: UInt64

    init(_ labels: Labels) {
        self.labels = labels
        // The whole buffer (offset table and bytes): equal sets have equal buffers.
        digest = labels.withPackedBytes { Self.mix(0x243f_6a88_85a3_08d3, $0) }
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
