/// One label of the sample being parsed, kept while its label set is scanned: plain values only
/// (no `String`, nothing to retain), so checking the order, sorting and finding repeated names
/// move and compare a few words, and the label's bytes are copied once, into the final `Labels`.
/// Kept after the sample in written order, so the next one can take over a shared first part.
struct PendingLabel {
    /// The first 8 bytes of the name, big-endian, zero-padded: integer order is byte order.
    let key: UInt64
    /// Where the name is in the payload (`__name__` for the metric name label, which is not there).
    let nameStart: Int
    let nameCount: Int32
    /// Whether this is the metric name label (whose name is `__name__`, not in the payload).
    let isMetricName: Bool
    /// Whether the value is empty (the label is then dropped from the set).
    let isEmpty: Bool
    /// Whether the value's decoded bytes are in the parser's `valueArena` rather than the payload.
    var valueInArena = false
    /// Where the decoded value is: in the payload, or in `valueArena`.
    var valueStart = 0
    var valueCount: Int32 = 0
    /// Where the value's closing quote ends, relative to the start of the series text; and the
    /// parser's state once this label was added: what a later series that starts with the same
    /// bytes up to here resumes from.
    var end: Int32 = 0
    var seriesHash: UInt64 = 0
    var inOrder = true
    var hasEmptyValue = false
    /// How many bytes of `valueArena` the sample's labels used, up to this one.
    var arenaCount = 0
    /// How many name and value bytes the non-empty labels take, up to this one.
    var byteCount = 0

    init(key: UInt64, nameStart: Int, nameCount: Int32, isMetricName: Bool, isEmpty: Bool) {
        self.key = key
        self.nameStart = nameStart
        self.nameCount = nameCount
        self.isMetricName = isMetricName
        self.isEmpty = isEmpty
    }

    /// `key` of `__name__` (`nameKey("__name__")`), which is exactly 8 bytes, so its bytes are never
    /// read past the key. A literal rather than a `static let`, which the per-sample path would pay
    /// a `swift_once` check for.
    static var metricNameKey: UInt64 { 0x5F5F_6E61_6D65_5F5F }

    /// The sort key of the name at `start` (`count` bytes).
    static func nameKey(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<min(count, 8) { key |= UInt64(start[offset]) << UInt64(56 - 8 * offset) }
        return key
    }

    /// The sort key of the name at `range` of `bytes`: one word load where 8 bytes are there to read.
    @inline(__always)
    static func nameKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        let base = bytes.baseAddress.unsafelyUnwrapped
        guard range.lowerBound + 8 <= bytes.count else { return nameKey(base + range.lowerBound, range.count) }
        let word = UInt64(bigEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self))
        return range.count >= 8 ? word : word & ~(UInt64.max >> UInt64(8 * range.count))
    }

    static func nameKey(_ name: StaticString) -> UInt64 {
        nameKey(name.utf8Start, name.utf8CodeUnitCount)
    }

    /// Whether this label's name sorts strictly before `other`'s (byte order, which is `String`
    /// order for the ASCII of label names). Names hold no NUL, so equal keys of names up to 8
    /// bytes long mean equal names.
    @inline(__always)
    func precedes(_ other: PendingLabel, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if key != other.key { return key < other.key }
        let common = Int(min(nameCount, other.nameCount))
        if common > 8, let base = bytes.baseAddress {
            for offset in 8..<common where base[nameStart + offset] != base[other.nameStart + offset] {
                return base[nameStart + offset] < base[other.nameStart + offset]
            }
        }
        return nameCount < other.nameCount
    }
}

/// The current sample's pending labels in written order, and room for their positions in name
/// order: two buffers the parser reuses for every sample, without an array's uniqueness and bounds checks. A parser that
/// was copied takes its own copy before writing (`isKnownUniquelyReferenced`).
final class PendingLabels {
    private var written: UnsafeMutablePointer<PendingLabel>
    private var order: UnsafeMutablePointer<Int32>
    /// The keys `order` was last computed for, all distinct; `sortedKeyCount` is -1 when `order`
    /// holds no reusable result. The samples of a family mostly repeat their label names.
    private var sortedKeys: UnsafeMutablePointer<UInt64>
    private var sortedKeyCount = -1
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = capacity
        written = .allocate(capacity: capacity)
        order = .allocate(capacity: capacity)
        order.initialize(repeating: 0, count: capacity)
        sortedKeys = .allocate(capacity: capacity)
        sortedKeys.initialize(repeating: 0, count: capacity)
    }

    deinit {
        written.deallocate()
        order.deallocate()
        sortedKeys.deallocate()
    }

    /// An independent copy.
    func copy() -> PendingLabels {
        let copy = PendingLabels(capacity: capacity)
        copy.written.initialize(from: written, count: count)
        copy.count = count
        return copy
    }

    @inline(__always)
    subscript(index: Int) -> PendingLabel {
        precondition(index >= 0 && index < count)
        return written[index]
    }

    var last: PendingLabel { self[count - 1] }

    @inline(__always)
    func append(_ label: PendingLabel) {
        if count == capacity { grow() }
        (written + count).initialize(to: label)
        count += 1
    }

    /// Keeps the first `count` labels.
    func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count)
        self.count = count
    }

    /// The labels in written order.
    var inWrittenOrder: UnsafeBufferPointer<PendingLabel> { UnsafeBufferPointer(start: written, count: count) }

    /// The positions of the labels in name order (byte order, stable), leaving the written order
    /// as it is. When the names' sort keys are distinct (the usual case) a label's place is the
    /// number of keys below its own, counted without data-dependent branches (which a sort
    /// mispredicts); otherwise an insertion sort of 4-byte positions, not of the labels themselves.
    /// `distinctKeys`: the keys were distinct, so the names are (no need to look for repeated ones).
    /// Inline where it is called: the check for the order of last time is all most samples need.
    @inline(__always)
    func sortedByName(_ bytes: UnsafeBufferPointer<UInt8>) -> (order: UnsafeBufferPointer<Int32>, distinctKeys: Bool) {
        if count == sortedKeyCount {
            // The same distinct keys in the same written order as last time: the same order.
            var same = true
            for index in 0..<count where written[index].key != sortedKeys[index] { same = false; break }
            if same { return (UnsafeBufferPointer(start: order, count: count), true) }
        }
        return sortByName(bytes)
    }

    /// `sortedByName` when the order of last time does not apply.
    private func sortByName(_ bytes: UnsafeBufferPointer<UInt8>) -> (order: UnsafeBufferPointer<Int32>, distinctKeys: Bool) {
        sortedKeyCount = -1
        if count <= 64 {
            // Keys are below 2^63 (a name starts with an ASCII byte), so the sign of their
            // difference says which is lower. Equal keys get the same place: a place is then missing.
            var places: UInt64 = 0
            for index in 0..<count {
                let key = written[index].key
                var rank = 0
                for other in 0..<count { rank &+= Int(truncatingIfNeeded: (written[other].key &- key) >> 63) }
                order[rank] = Int32(index)
                places |= 1 << UInt64(rank)
            }
            if places == UInt64.max >> UInt64(64 - count) {
                for index in 0..<count { sortedKeys[index] = written[index].key }
                sortedKeyCount = count
                return (UnsafeBufferPointer(start: order, count: count), true)
            }
        }
        for index in 0..<count {
            let moving = written[index]
            var position = index
            while position > 0, moving.precedes(written[Int(order[position - 1])], in: bytes) {
                order[position] = order[position - 1]
                position -= 1
            }
            order[position] = Int32(index)
        }
        return (UnsafeBufferPointer(start: order, count: count), false)
    }

    private func grow() {
        let larger = capacity * 2
        let newWritten = UnsafeMutablePointer<PendingLabel>.allocate(capacity: larger)
        newWritten.initialize(from: written, count: count)
        written.deallocate()
        order.deallocate()
        sortedKeys.deallocate()
        written = newWritten
        order = .allocate(capacity: larger)
        order.initialize(repeating: 0, count: larger)
        sortedKeys = .allocate(capacity: larger)
        sortedKeys.initialize(repeating: 0, count: larger)
        sortedKeyCount = -1
        capacity = larger
    }
}
