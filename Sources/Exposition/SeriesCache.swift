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
        /// Where the series bytes are in `arena`.
        var rawOffset: Int
        var rawCount: Int
        var rawHash: UInt64
        var labels: Labels
        var name: String
        var seriesHash: UInt64
        /// The parse that last used this entry; older ones are dropped when a parse completes.
        var generation: UInt32
        /// The first entry with the same `seriesHash` (the same labels written differently, or
        /// itself): occurrences are counted there, so duplicates are found whatever their spelling.
        var canonical: Int32 = 0
        /// The parse in which the series last occurred, and the timestamp it had then.
        var seen: UInt32 = 0
        var seenTimestamp: Timestamp?
    }

    private var entries: [Entry] = []
    /// The series bytes of all entries, back to back: one buffer instead of one array per entry.
    private var arena: [UInt8] = []
    private var table: [Int32] = Array(repeating: -1, count: 256)
    private var bySeriesHash: [UInt64: Int32] = [:]
    private var generation: UInt32 = 0
    /// Where the next lookup looks first: just after the previous hit.
    private var cursor = 0
    private var format: ExpositionFormat?
    /// A cache grown beyond this many series is dropped when the next parse starts.
    static let capacityLimit = 1 << 20

    /// An empty cache.
    public init() {}

    /// How many series the cache holds.
    public var count: Int { entries.count }

    /// Starts a parse: a new generation; empties the cache if it was filled from a payload of
    /// another format or has grown too large.
    mutating func startPayload(format: ExpositionFormat) {
        if (self.format != format || entries.count > SeriesCache.capacityLimit), !entries.isEmpty { self = SeriesCache() }
        self.format = format
        generation &+= 1
        cursor = 0
    }

    /// The entry for these series bytes, marked as seen in this parse. Exporters write their series
    /// in the same order every time, so the entry after the previous hit is tried first: a steady
    /// scrape walks the entries in order instead of probing the table at random.
    mutating func lookup(_ raw: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Hit? {
        if cursor < entries.count, matches(cursor, raw, hash) { return hit(cursor) }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let index = Int(table[slot])
            if matches(index, raw, hash) { return hit(index) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The steady-state case: the line at `start` begins with exactly the series bytes of the entry
    /// after the previous hit, followed by a blank. Recognised with one `memcmp`, before any scanning
    /// or hashing. Series text is self-delimiting (a name, or a name and a `{...}` label set), so a
    /// line that starts with an entry's bytes and a blank holds that series, with one exception the
    /// text format allows: `name {labels}` (blanks before the brace), checked here.
    mutating func lookupNext(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, lineEnd: Int, lenientBlanks: Bool) -> Hit? {
        guard cursor < entries.count else { return nil }
        let count = entries[cursor].rawCount, offset = entries[cursor].rawOffset
        let after = start + count
        guard after < lineEnd, bytes[after] == .space || bytes[after] == .tab else { return nil }
        let same = arena.withUnsafeBufferPointer { arena in
            guard lenientBlanks, arena[offset + count - 1] != .closeBrace else {
                return memcmpBytes(arena.baseAddress! + offset, bytes.baseAddress! + start, count)
            }
            var index = after
            while index < lineEnd, bytes[index] == .space || bytes[index] == .tab { index += 1 }
            return (index == lineEnd || bytes[index] != .openBrace)
                && memcmpBytes(arena.baseAddress! + offset, bytes.baseAddress! + start, count)
        }
        return same ? hit(cursor) : nil
    }

    private func matches(_ index: Int, _ raw: UnsafeBufferPointer<UInt8>, _ hash: UInt64) -> Bool {
        guard entries[index].rawHash == hash, entries[index].rawCount == raw.count else { return false }
        let offset = entries[index].rawOffset
        return arena.withUnsafeBufferPointer { memcmpBytes($0.baseAddress! + offset, raw.baseAddress!, raw.count) }
    }

    private mutating func hit(_ index: Int) -> Hit {
        entries[index].generation = generation
        cursor = index + 1
        return Hit(index: index, rawCount: entries[index].rawCount, seriesHash: entries[index].seriesHash)
    }

    /// A cache entry found for a sample's series.
    struct Hit {
        let index: Int
        /// How many bytes of the line its series text takes.
        let rawCount: Int
        let seriesHash: UInt64
    }

    /// The metric name of entry `index`.
    func name(at index: Int) -> String { entries[index].name }

    /// The decoded labels of entry `index`; decoded again from its bytes when the entry was
    /// added without them (see `ExpositionParser.deferCachedLabels`).
    func labels(at index: Int) -> Labels {
        if !entries[index].labels.isEmpty { return entries[index].labels }
        let entry = entries[index]
        // The bytes parsed once already, as this cache's format: a series always has a name.
        var line = Array(arena[entry.rawOffset..<entry.rawOffset + entry.rawCount])
        line += Array(" 0\n".utf8)
        var parser = ExpositionParser(line, format: format ?? .prometheusText)
        if case .sample(let labels, _, _)? = try? parser.next() { return labels }
        return Labels([Label(Labels.metricName, entry.name)])
    }

    /// Records an occurrence of entry `index`'s series in this parse. Returns nil the first time;
    /// after that, the timestamp of the previous occurrence (so the caller can judge a repeat).
    mutating func occur(_ index: Int, timestamp: Timestamp?) -> Timestamp?? {
        mark(Int(entries[index].canonical), timestamp)
    }

    /// The same for a series decoded outside the cache, found by its series hash; nil as well if
    /// the cache does not know the series (the caller then tracks it itself).
    mutating func occur(seriesHash: UInt64, timestamp: Timestamp?) -> (known: Bool, previous: Timestamp??) {
        guard let canonical = bySeriesHash[seriesHash] else { return (false, nil) }
        return (true, mark(Int(canonical), timestamp))
    }

    private mutating func mark(_ canonical: Int, _ timestamp: Timestamp?) -> Timestamp?? {
        defer {
            entries[canonical].seen = generation
            entries[canonical].seenTimestamp = timestamp
        }
        return entries[canonical].seen == generation ? .some(entries[canonical].seenTimestamp) : .none
    }

    /// Remembers a decoded series; returns its index.
    mutating func insert(_ raw: UnsafeBufferPointer<UInt8>, hash: UInt64, labels: Labels, name: String, seriesHash: UInt64) -> Int {
        let index = entries.count
        entries.append(Entry(rawOffset: arena.count, rawCount: raw.count, rawHash: hash, labels: labels, name: name,
                             seriesHash: seriesHash, generation: generation))
        arena.append(contentsOf: raw)
        link(index)
        cursor = entries.count
        if entries.count * 2 > table.count { rebuild(size: table.count * 2) } else { place(index) }
        return index
    }

    /// A parse reached the end of its payload: forget series it did not contain.
    mutating func finishPayload() {
        let before = entries.count
        entries.removeAll { $0.generation != generation }
        if entries.count != before {
            var compacted: [UInt8] = []
            compacted.reserveCapacity(arena.count)
            for index in entries.indices {
                let start = entries[index].rawOffset
                entries[index].rawOffset = compacted.count
                compacted.append(contentsOf: arena[start..<start + entries[index].rawCount])
            }
            arena = compacted
            bySeriesHash.removeAll(keepingCapacity: true)
            for index in entries.indices { link(index) }
            rebuild(size: table.count)
        }
    }

    private mutating func link(_ index: Int) {
        if let canonical = bySeriesHash[entries[index].seriesHash] {
            entries[index].canonical = canonical
        } else {
            entries[index].canonical = Int32(index)
            bySeriesHash[entries[index].seriesHash] = Int32(index)
        }
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
