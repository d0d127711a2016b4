import Model

/// Decoded series remembered from one parse to the next of the same target, keyed by their exact
/// bytes (`name{labels}` as written). Exporters repeat the same series text every scrape, so a warm
/// cache turns label decoding into a hash and a `memcmp`, as Prometheus' scrape cache does.
///
/// A value type: the scrape loop keeps one per target, hands it to `ExpositionParser`, and takes it
/// back from `ExpositionParser.cache` when the parse is over. Entries not seen in a complete
/// parse are dropped, so the cache holds about one payload's series.
public struct SeriesCache: Sendable {
    struct Entry: Sendable {
        var raw: [UInt8]
        var rawHash: UInt64
        var labels: Labels
        var name: String
        var seriesHash: UInt64
        var generation: UInt32
    }

    private var entries: [Entry] = []
    private var table: [Int32] = Array(repeating: -1, count: 256)
    private var generation: UInt32 = 0
    private var format: ExpositionFormat?
    /// Stop remembering beyond this many series (a target exposing more gains little from it).
    static let capacityLimit = 1 << 20

    /// An empty cache.
    public init() {}

    /// How many series the cache holds.
    public var count: Int { entries.count }

    /// Empties the cache if it was filled from a payload of another format.
    mutating func use(for format: ExpositionFormat) {
        if self.format != format, !entries.isEmpty { self = SeriesCache() }
        self.format = format
    }

    /// The entry for these series bytes, marked as seen in this parse.
    mutating func lookup(_ raw: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Entry? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let index = Int(table[slot])
            if entries[index].rawHash == hash, entries[index].raw.count == raw.count,
               entries[index].raw.withUnsafeBufferPointer({ memcmpBytes($0.baseAddress!, raw.baseAddress!, raw.count) }) {
                entries[index].generation = generation
                return entries[index]
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    mutating func insert(_ raw: UnsafeBufferPointer<UInt8>, hash: UInt64, labels: Labels, name: String, seriesHash: UInt64) {
        guard entries.count < SeriesCache.capacityLimit, !raw.isEmpty else { return }
        entries.append(Entry(raw: Array(raw), rawHash: hash, labels: labels, name: name,
                             seriesHash: seriesHash, generation: generation))
        if entries.count * 2 > table.count { rebuild(size: table.count * 2) } else { place(entries.count - 1) }
    }

    /// A parse reached the end of its payload: forget series it did not contain.
    mutating func finishPayload() {
        let before = entries.count
        entries.removeAll { $0.generation != generation }
        generation &+= 1
        if entries.count != before { rebuild(size: table.count) }
    }

    private mutating func place(_ index: Int) {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: entries[index].rawHash) & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        table[slot] = Int32(index)
    }

    private mutating func rebuild(size: Int) {
        table = Array(repeating: -1, count: size)
        for index in entries.indices { place(index) }
    }
}
