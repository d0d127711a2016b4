import Model

/// A damaged chunk or head row.
struct CorruptData: Error, CustomStringConvertible {
    let what: String
    var description: String { "corrupt \(what)" }
}

/// Compressed samples of one series: delta-of-delta timestamps, and values as constant,
/// Rice-coded integer deltas (counters, integer gauges), or Gorilla XOR (everything else).
/// Bit-exact for every Double, NaN payloads and stale markers included.
///
/// Layout: varint count, varint zigzag(first ts), value mode byte, mode header, then one
/// bit stream: [varint zigzag(first delta) in header when count > 1] timestamps' dod codes,
/// then the values.
enum ChunkCodec {
    enum Mode: UInt8 { case xor = 0, integer = 1, constant = 2 }

    static let riceEscape = 24

    /// Encodes samples sorted by timestamp with unique timestamps.
    static func encode(_ samples: ArraySlice<Sample>) -> [UInt8] {
        precondition(!samples.isEmpty)
        var header: [UInt8] = []
        header.reserveCapacity(16)
        Varint.append(UInt64(samples.count), to: &header)
        let first = samples.first!
        Varint.append(Varint.zigzag(first.timestamp), to: &header)
        let mode = chooseMode(samples)
        header.append(mode.rawValue)
        var integers: [Int64] = []
        var base: Int64 = 0
        var k = 0
        switch mode {
        case .constant:
            var bits = first.value.bitPattern
            for _ in 0..<8 { header.append(UInt8(truncatingIfNeeded: bits)); bits >>= 8 }
        case .integer:
            integers = samples.map { Int64($0.value) }
            (base, k) = riceParameters(integers)
            Varint.append(Varint.zigzag(integers[0]), to: &header)
            Varint.append(Varint.zigzag(base), to: &header)
            header.append(UInt8(k))
        case .xor:
            break
        }
        if samples.count > 1 {
            let second = samples[samples.startIndex + 1]
            Varint.append(Varint.zigzag(second.timestamp &- first.timestamp), to: &header)
        }
        var writer = BitWriter(header: header)
        writeTimestamps(samples, &writer)
        switch mode {
        case .constant: break
        case .integer: writeIntegers(integers, base: base, k: k, &writer)
        case .xor: writeXOR(samples, &writer)
        }
        return writer.finish()
    }

    static func chooseMode(_ samples: ArraySlice<Sample>) -> Mode {
        let firstBits = samples.first!.value.bitPattern
        if samples.allSatisfy({ $0.value.bitPattern == firstBits }) { return .constant }
        let limit = 9_007_199_254_740_992.0   // 2^53: every integer up to here is exact
        let integral = samples.allSatisfy { s in
            let v = s.value
            guard v.isFinite, abs(v) <= limit, v == v.rounded(.towardZero) else { return false }
            return Double(Int64(v)).bitPattern == v.bitPattern   // rules out -0.0
        }
        return integral ? .integer : .xor
    }

    // MARK: timestamps

    static func writeTimestamps(_ samples: ArraySlice<Sample>, _ w: inout BitWriter) {
        guard samples.count > 2 else { return }
        let start = samples.startIndex
        var previous = samples[start + 1].timestamp
        var delta = previous &- samples[start].timestamp
        for s in samples[(start + 2)...] {
            let d = s.timestamp &- previous
            let zz = Varint.zigzag(d &- delta)
            switch zz {
            case 0: w.write(0, bits: 1)
            case 1...64: w.write(0b10, bits: 2); w.write(zz - 1, bits: 6)
            case 65..<(1 << 14): w.write(0b110, bits: 3); w.write(zz, bits: 14)
            case (1 << 14)..<(1 << 24): w.write(0b1110, bits: 4); w.write(zz, bits: 24)
            default: w.write(0b1111, bits: 4); w.write(zz, bits: 64)
            }
            delta = d
            previous = s.timestamp
        }
    }

    @inline(__always)
    static func readTimestampDoD(_ r: inout BitReader) -> Int64 {
        if !r.readBit() { return 0 }
        if !r.readBit() { return Varint.unzigzag(r.read(bits: 6) + 1) }
        if !r.readBit() { return Varint.unzigzag(r.read(bits: 14)) }
        if !r.readBit() { return Varint.unzigzag(r.read(bits: 24)) }
        return Varint.unzigzag(r.read(bits: 64))
    }

    // MARK: integer values

    /// The mean delta as base and the Rice parameter with the fewest bits (searched near the
    /// width of the mean residue, where the optimum lies).
    static func riceParameters(_ values: [Int64]) -> (base: Int64, k: Int) {
        guard values.count > 1 else { return (0, 0) }
        var sum = 0.0
        for i in 1..<values.count { sum += Double(values[i] &- values[i - 1]) }
        let mean = sum / Double(values.count - 1)
        let base = mean.isFinite && abs(mean) < 1e18 ? Int64(mean.rounded()) : 0
        var residueSum: UInt64 = 0
        for i in 1..<values.count {
            let u = Varint.zigzag((values[i] &- values[i - 1]) &- base)
            residueSum = residueSum &+ min(u, 1 << 40)
        }
        let width = 64 - (residueSum / UInt64(values.count - 1)).leadingZeroBitCount
        var best = (k: 0, cost: Int.max)
        for k in max(0, width - 3)...min(63, width + 1) {
            var cost = 0
            for i in 1..<values.count {
                let q = Varint.zigzag((values[i] &- values[i - 1]) &- base) >> UInt64(k)
                cost += q >= UInt64(riceEscape) ? riceEscape + 64 : Int(q) + 1 + k
            }
            if cost < best.cost { best = (k, cost) }
        }
        return (base, best.k)
    }

    static func writeIntegers(_ values: [Int64], base: Int64, k: Int, _ w: inout BitWriter) {
        for i in values.indices.dropFirst() {
            let u = Varint.zigzag((values[i] &- values[i - 1]) &- base)
            let q = u >> UInt64(k)
            if q >= UInt64(riceEscape) {
                w.writeOnes(riceEscape)
                w.write(u, bits: 64)
            } else {
                w.writeUnary(Int(q))
                w.write(u, bits: k)
            }
        }
    }

    // MARK: XOR values

    static func writeXOR(_ samples: ArraySlice<Sample>, _ w: inout BitWriter) {
        var previous = samples.first!.value.bitPattern
        w.write(previous, bits: 64)
        var leading = -1, trailing = 0
        for s in samples.dropFirst() {
            let bits = s.value.bitPattern
            let x = bits ^ previous
            previous = bits
            if x == 0 { w.write(0, bits: 1); continue }
            let lead = min(x.leadingZeroBitCount, 31)
            let trail = x.trailingZeroBitCount
            if leading >= 0, lead >= leading, trail >= trailing {
                w.write(0b10, bits: 2)
                w.write(x >> UInt64(trailing), bits: 64 - leading - trailing)
            } else {
                leading = lead
                trailing = trail
                let significant = 64 - lead - trail
                w.write(0b11, bits: 2)
                w.write(UInt64(lead), bits: 5)
                w.write(UInt64(significant & 63), bits: 6)
                w.write(x >> UInt64(trail), bits: significant)
            }
        }
    }

    // MARK: decoding

    /// Decodes a chunk, appending samples within `range` to `out`.
    static func decode(_ bytes: [UInt8], in range: ClosedRange<Timestamp>, into out: inout [Sample]) throws {
        try bytes.withUnsafeBytes { try decode($0, in: range, into: &out) }
    }

    /// Decodes a chunk from bytes valid for the duration of the call.
    static func decode(_ bytes: UnsafeRawBufferPointer, in range: ClosedRange<Timestamp>, into out: inout [Sample]) throws {
        var offset = 0
        var header = Header()
        try header.parse(bytes, &offset)
        let count = header.count
        let start = out.count
        // Decode the whole chunk in place at the end of `out`, then trim to the range: one growth,
        // no per-sample append checks.
        out.append(contentsOf: repeatElement(Sample(0, 0), count: count))
        let overrun = out.withUnsafeMutableBufferPointer { all in
            let dst = UnsafeMutableBufferPointer(rebasing: all[start...])
            var reader = BitReader(bytes, offset: offset)
            decodeTimestamps(header, &reader, dst)
            switch header.mode {
            case .constant:
                let v = Double(bitPattern: header.constantBits)
                for i in 0..<count { dst[i].value = v }
            case .integer: decodeIntegers(header, &reader, dst)
            case .xor: decodeXOR(&reader, dst)
            }
            return reader.overrun
        }
        if overrun {
            out.removeSubrange(start...)
            throw CorruptData(what: "chunk")
        }
        if out[out.count - 1].timestamp > range.upperBound {
            let end = out[start...].firstIndex { $0.timestamp > range.upperBound }!
            out.removeSubrange(end...)
        }
        if start < out.count, out[start].timestamp < range.lowerBound {
            let first = out[start...].firstIndex { $0.timestamp >= range.lowerBound } ?? out.count
            out.removeSubrange(start..<first)
        }
    }

    private static func decodeTimestamps(_ header: Header, _ reader: inout BitReader, _ dst: UnsafeMutableBufferPointer<Sample>) {
        dst[0].timestamp = header.firstTimestamp
        guard dst.count > 1 else { return }
        var delta = header.firstDelta
        var t = header.firstTimestamp &+ delta
        dst[1].timestamp = t
        for i in 2..<dst.count {
            delta = delta &+ readTimestampDoD(&reader)
            t = t &+ delta
            dst[i].timestamp = t
        }
    }

    private static func decodeIntegers(_ header: Header, _ reader: inout BitReader, _ dst: UnsafeMutableBufferPointer<Sample>) {
        var value = header.firstInteger
        dst[0].value = Double(value)
        let k = header.k, base = header.base
        for i in 1..<dst.count {
            let q = reader.readUnary(limit: riceEscape)
            let u = q == riceEscape ? reader.read(bits: 64) : UInt64(q) << UInt64(k) | reader.read(bits: k)
            value = value &+ (Varint.unzigzag(u) &+ base)
            dst[i].value = Double(value)
        }
    }

    private static func decodeXOR(_ reader: inout BitReader, _ dst: UnsafeMutableBufferPointer<Sample>) {
        var bits = reader.read(bits: 64)
        dst[0].value = Double(bitPattern: bits)
        var leading = 0, trailing = 0
        for i in 1..<dst.count {
            if reader.readBit() {
                if reader.readBit() {
                    leading = Int(reader.read(bits: 5))
                    var significant = Int(reader.read(bits: 6))
                    if significant == 0 { significant = 64 }
                    trailing = 64 - leading - significant
                }
                bits ^= reader.read(bits: 64 - leading - trailing) << UInt64(trailing)
            }
            dst[i].value = Double(bitPattern: bits)
        }
    }

    /// The parsed fixed part of a chunk.
    struct Header {
        var count = 0
        var firstTimestamp: Timestamp = 0
        var firstDelta: Int64 = 0
        var mode = Mode.xor
        var constantBits: UInt64 = 0
        var firstInteger: Int64 = 0
        var base: Int64 = 0
        var k = 0

        mutating func parse(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) throws {
            guard let n = Varint.read(bytes, &offset), n > 0, n < 1 << 24,
                  let t0 = Varint.read(bytes, &offset), offset < bytes.count,
                  let m = Mode(rawValue: bytes[offset]) else { throw CorruptData(what: "chunk header") }
            offset += 1
            count = Int(n)
            firstTimestamp = Varint.unzigzag(t0)
            mode = m
            switch m {
            case .constant:
                guard offset + 8 <= bytes.count else { throw CorruptData(what: "chunk header") }
                for i in 0..<8 { constantBits |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
                offset += 8
            case .integer:
                guard let v0 = Varint.read(bytes, &offset), let b = Varint.read(bytes, &offset), offset < bytes.count,
                      bytes[offset] < 64 else { throw CorruptData(what: "chunk header") }
                firstInteger = Varint.unzigzag(v0)
                base = Varint.unzigzag(b)
                k = Int(bytes[offset])
                offset += 1
            case .xor:
                break
            }
            if count > 1 {
                guard let d = Varint.read(bytes, &offset) else { throw CorruptData(what: "chunk header") }
                firstDelta = Varint.unzigzag(d)
            }
        }
    }
}
