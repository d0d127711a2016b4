/// A read-only view of a `Labels`' packed buffer, valid only inside `Labels.withBytes`: names and
/// values as UTF-8 byte buffers, without making `String`s.
///
/// Layout of the buffer (all integers `UInt32`, native byte order, read unaligned):
/// `count`, then for each label the end of its name and the end of its value (offsets into the
/// data), then the data: each label's name bytes followed by its value bytes, in name order.
/// An empty set has an empty buffer.
public struct LabelBytes {
    @usableFromInline let base: UnsafeRawPointer?
    /// Where the data starts (after the offset table).
    @usableFromInline let dataStart: Int
    /// How many labels.
    public let count: Int
    /// How many bytes all names and values take together.
    public let byteCount: Int

    @inlinable
    init(_ raw: UnsafeRawBufferPointer) {
        base = raw.baseAddress
        guard let base = raw.baseAddress, !raw.isEmpty else {
            count = 0; dataStart = 0; byteCount = 0
            return
        }
        count = Int(base.loadUnaligned(as: UInt32.self))
        dataStart = LabelBytes.headerSize(count)
        byteCount = raw.count - dataStart
    }

    /// The size of the count and offset table for `count` labels.
    @inlinable
    static func headerSize(_ count: Int) -> Int { 4 + 8 * count }

    @inlinable
    func end(_ slot: Int) -> Int {
        Int(base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: 4 + 4 * slot, as: UInt32.self))
    }

    @inlinable
    func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: (base.unsafelyUnwrapped + dataStart + start).assumingMemoryBound(to: UInt8.self), count: end - start)
    }

    /// The UTF-8 bytes of label `index`'s name.
    @inlinable
    public func name(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "label index out of range")
        return bytes(index == 0 ? 0 : end(2 * index - 1), end(2 * index))
    }

    /// The UTF-8 bytes of label `index`'s value.
    @inlinable
    public func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "label index out of range")
        return bytes(end(2 * index), end(2 * index + 1))
    }

    /// All names and values, back to back (what a digest of the set reads).
    @inlinable
    public var data: UnsafeBufferPointer<UInt8> { count == 0 ? UnsafeBufferPointer(start: nil, count: 0) : bytes(0, byteCount) }

    /// The position of the label named `name` (UTF-8), or nil.
    @inlinable
    public func index(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = 0
        for index in 0..<count {
            let nameEnd = end(2 * index)
            if nameEnd - start == name.count, LabelBytes.equal(bytes(start, nameEnd), name) { return index }
            start = end(2 * index + 1)
        }
        return nil
    }

    /// `__name__` as bytes.
    public static var metricNameBytes: UnsafeBufferPointer<UInt8> {
        let name: StaticString = "__name__"
        return UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    }

    /// Whether two byte strings are equal.
    @inlinable
    public static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        equal(UnsafeRawBufferPointer(lhs), UnsafeRawBufferPointer(rhs))
    }

    /// Whether two byte strings are equal (a word at a time).
    @inlinable
    public static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        return equal(left, right, count: lhs.count)
    }

    /// Whether `count` bytes at `left` and at `right` are equal: a word at a time, the last word
    /// (or, below 8 bytes, the last 4) overlapping the previous ones rather than compared byte by
    /// byte.
    @inlinable @inline(__always)
    public static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
                index &+= 8
            }
            return left.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == right.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var index = 0
        while index < count {
            if left.load(fromByteOffset: index, as: UInt8.self) != right.load(fromByteOffset: index, as: UInt8.self) { return false }
            index &+= 1
        }
        return true
    }

    /// Whether `lhs` sorts strictly before `rhs` in byte order.
    @inlinable
    public static func precede(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<min(lhs.count, rhs.count) where lhs[index] != rhs[index] { return lhs[index] < rhs[index] }
        return lhs.count < rhs.count
    }
}

/// Fills a new `Labels`' buffer, label by label, in name order. See `Labels.init(unsafeCount:byteCount:_:)`.
public struct LabelsWriter {
    /// The offset table (just after the count).
    @usableFromInline let table: UnsafeMutableRawPointer
    /// Where the names' and values' bytes go (after the table).
    @usableFromInline let data: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int
    @usableFromInline let count: Int
    @usableFromInline var index = 0
    @usableFromInline var offset = 0

    @inlinable
    init(base: UnsafeMutableRawPointer, count: Int, byteCount: Int) {
        table = base + 4
        data = base + LabelBytes.headerSize(count)
        capacity = byteCount
        self.count = count
    }

    /// Appends a label: its name and value bytes (valid UTF-8, value not empty), sorting after the
    /// previous label's name. Traps if this exceeds the count or bytes announced.
    @inlinable @inline(__always)
    public mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        // Wrapping arithmetic: the counts are those of buffers in memory and `offset` stays within
        // `capacity` (below 2^32), so none of these sums can overflow.
        let nameEnd = offset &+ name.count, valueEnd = nameEnd &+ value.count
        precondition(valueEnd <= capacity && index < count, "more labels than announced")
        LabelsWriter.copy(data + offset, name)
        LabelsWriter.copy(data + nameEnd, value)
        table.storeBytes(of: UInt32(truncatingIfNeeded: nameEnd), toByteOffset: index &<< 3, as: UInt32.self)
        table.storeBytes(of: UInt32(truncatingIfNeeded: valueEnd), toByteOffset: (index &<< 3) &+ 4, as: UInt32.self)
        offset = valueEnd
        index &+= 1
    }

    /// Copies a short string with a few loads and stores that may overlap (as `memcpy` does for
    /// small sizes), inline rather than through a call; reads and writes stay inside both buffers.
    @inlinable @inline(__always)
    static func copy(_ target: UnsafeMutableRawPointer, _ source: UnsafeBufferPointer<UInt8>) {
        guard let from = source.baseAddress.map(UnsafeRawPointer.init) else { return }
        let count = source.count
        if count >= 8 {
            // Both ends of the string, overlapping in the middle: no loop, whatever the length.
            @inline(__always) func move(_ offset: Int) {
                target.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            }
            if count <= 16 {   // most names and values
                move(0); move(count &- 8)
            } else if count <= 32 {
                move(0); move(8); move(count &- 16); move(count &- 8)
            } else if count <= 64 {
                move(0); move(8); move(16); move(24)
                move(count &- 32); move(count &- 24); move(count &- 16); move(count &- 8)
            } else {
                target.copyMemory(from: from, byteCount: count)
            }
        } else if count >= 4 {
            target.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self), toByteOffset: count &- 4, as: UInt32.self)
        } else if count >= 2 {
            target.storeBytes(of: from.loadUnaligned(as: UInt16.self), as: UInt16.self)
            target.storeBytes(of: from.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self), toByteOffset: count &- 2, as: UInt16.self)
        } else if count == 1 {
            target.storeBytes(of: from.load(as: UInt8.self), as: UInt8.self)
        }
    }
}

/// The heap buffer of a non-empty `Labels`: the packed bytes (see `LabelBytes`) after a header
/// holding their size. Allocated once, filled by `LabelsWriter`, never changed afterwards.
@usableFromInline
final class LabelsBuffer: ManagedBuffer<Int, UInt8> {}

extension Labels {
    /// Builds a set from its packed form, written by `fill`: exactly `count` labels whose names and
    /// values take `byteCount` bytes in all, appended sorted by name (byte order), with unique
    /// names, non-empty values and valid UTF-8 (the writer checks only the counts). One allocation.
    @inlinable
    public init(unsafeCount count: Int, byteCount: Int, _ fill: (inout LabelsWriter) -> Void) {
        guard count > 0 else {
            self.init()
            return
        }
        precondition(byteCount < Int(UInt32.max) - LabelBytes.headerSize(count), "label set too large")
        let size = LabelBytes.headerSize(count) + byteCount
        let buffer = unsafeDowncast(LabelsBuffer.create(minimumCapacity: size) { _ in size }, to: LabelsBuffer.self)
        buffer.withUnsafeMutablePointerToElements { elements in
            let base = UnsafeMutableRawPointer(elements)
            base.storeBytes(of: UInt32(truncatingIfNeeded: count), as: UInt32.self)
            var writer = LabelsWriter(base: base, count: count, byteCount: byteCount)
            fill(&writer)
            precondition(writer.index == count && writer.offset == byteCount, "fewer labels than announced")
        }
        self.init(buffer: buffer)
    }
}
