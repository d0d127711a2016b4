/// Appends bits most-significant first; the chunk codec's output.
struct BitWriter {
    private(set) var bytes: [UInt8]
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init(header: [UInt8] = []) { bytes = header }

    /// Writes the low `count` bits of `value` (count in 0...64).
    @inline(__always)
    mutating func write(_ value: UInt64, bits count: Int) {
        if count > 32 {
            writeWide(value, count)
            return
        }
        guard count > 0 else { return }
        let masked = count == 64 ? value : value & ((1 << UInt64(count)) &- 1)
        pending = (pending << UInt64(count)) | masked
        pendingCount += count
        while pendingCount >= 8 {
            pendingCount -= 8
            bytes.append(UInt8(truncatingIfNeeded: pending >> UInt64(pendingCount)))
        }
        pending &= (1 << UInt64(pendingCount)) &- 1
    }

    @inline(never)
    private mutating func writeWide(_ value: UInt64, _ count: Int) {
        write(value >> 32, bits: count - 32)
        write(value & 0xffff_ffff, bits: 32)
    }

    mutating func writeBit(_ bit: Bool) { write(bit ? 1 : 0, bits: 1) }

    /// Writes `count` one-bits.
    mutating func writeOnes(_ count: Int) {
        var left = count
        while left > 0 {
            let n = min(left, 32)
            write((1 << UInt64(n)) &- 1, bits: n)
            left -= n
        }
    }

    /// Writes `q` one-bits followed by a zero (a unary number).
    mutating func writeUnary(_ q: Int) {
        writeOnes(q)
        write(0, bits: 1)
    }

    /// The bytes with the last partial byte padded with zeros.
    mutating func finish() -> [UInt8] {
        if pendingCount > 0 { write(0, bits: 8 - pendingCount) }
        return bytes
    }
}

/// Reads what `BitWriter` wrote. Reading past the end yields zeros and sets `overrun`.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private var position: Int
    private var buffer: UInt64 = 0   // left-aligned
    private var available = 0
    /// Whether more bits were consumed than the bytes hold (a truncated or damaged stream).
    var overrun: Bool { position * 8 - available > bytes.count * 8 }

    /// Reads from `bytes`, which must stay valid while the reader is used.
    init(_ bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.position = offset
    }

    @inline(__always)
    private mutating func refill() {
        while available <= 56 {
            var byte: UInt8 = 0
            if position < bytes.count { byte = bytes[position] }
            position += 1
            buffer |= UInt64(byte) << UInt64(56 - available)
            available += 8
        }
    }

    /// Reads `count` bits (0...64).
    @inline(__always)
    mutating func read(bits count: Int) -> UInt64 {
        if count > 56 { return readWide(count) }
        guard count > 0 else { return 0 }
        if available < count { refill() }
        let value = buffer &>> UInt64(64 - count)
        buffer = buffer &<< UInt64(count)
        available -= count
        return value
    }

    @inline(never)
    private mutating func readWide(_ count: Int) -> UInt64 {
        let high = read(bits: count - 32)
        return high << 32 | read(bits: 32)
    }

    @inline(__always)
    mutating func readBit() -> Bool {
        if available == 0 { refill() }
        let bit = buffer >> 63 == 1
        buffer <<= 1
        available -= 1
        return bit
    }

    /// Counts one-bits up to the next zero, which is consumed; stops without consuming at `limit` ones.
    @inline(__always)
    mutating func readUnary(limit: Int) -> Int {
        var q = 0
        while true {
            if available == 0 { refill() }
            let ones = min((~buffer).leadingZeroBitCount, available)
            let take = min(ones, limit - q)
            q += take
            buffer = take == 64 ? 0 : buffer << UInt64(take)
            available -= take
            if q == limit { return q }
            if available > 0 {
                buffer <<= 1
                available -= 1
                return q
            }
        }
    }
}

/// LEB128 varints and zig-zag, for headers and head rows.
enum Varint {
    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads a varint at `offset`, advancing it; nil when the bytes end first.
    static func read(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}
