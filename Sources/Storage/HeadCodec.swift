import Model

/// One appended batch as a head row: series ids and raw value bits, with the timestamp stored
/// once when the whole batch shares it (the usual scrape).
///
/// Layout: mode byte (0 = one timestamp, 1 = a timestamp per entry), varint count,
/// varint zigzag(base timestamp), then per entry: varint series id, [varint zigzag(ts - base)],
/// 8 bytes little-endian value bits. Entries keep the batch's order, so a later duplicate wins.
enum HeadCodec {
    struct Summary {
        var minTimestamp: Timestamp
        var maxTimestamp: Timestamp
        var minSeries: UInt32
        var maxSeries: UInt32
    }

    static func encode(ids: [UInt32], samples: [Sample]) -> (bytes: [UInt8], summary: Summary) {
        var minT = Timestamp.max, maxT = Timestamp.min
        for s in samples {
            minT = min(minT, s.timestamp)
            maxT = max(maxT, s.timestamp)
        }
        var out: [UInt8] = []
        out.reserveCapacity(samples.count * 12 + 16)
        let single = minT == maxT
        out.append(single ? 0 : 1)
        Varint.append(UInt64(samples.count), to: &out)
        Varint.append(Varint.zigzag(minT), to: &out)
        for (id, item) in zip(ids, samples) {
            Varint.append(UInt64(id), to: &out)
            if !single { Varint.append(UInt64(bitPattern: item.timestamp &- minT), to: &out) }
            var bits = item.value.bitPattern
            for _ in 0..<8 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }
        let summary = Summary(minTimestamp: minT, maxTimestamp: maxT,
                              minSeries: ids.min() ?? 0, maxSeries: ids.max() ?? 0)
        return (out, summary)
    }

    /// The number of entries, from the header alone.
    static func count(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var offset = 1
        guard bytes.count >= 1, let n = Varint.read(bytes, &offset) else { throw CorruptData(what: "head row") }
        return Int(n)
    }

    /// Calls `visit(id, sample)` for each entry in batch order.
    static func decode(_ bytes: UnsafeRawBufferPointer, _ visit: (UInt32, Sample) -> Void) throws {
        guard bytes.count >= 1 else { throw CorruptData(what: "head row") }
        var offset = 1
        let single = bytes[0] == 0
        guard let n = Varint.read(bytes, &offset), let b = Varint.read(bytes, &offset) else { throw CorruptData(what: "head row") }
        let base = Varint.unzigzag(b)
        for _ in 0..<n {
            guard let id = Varint.read(bytes, &offset) else { throw CorruptData(what: "head row") }
            var ts = base
            if !single {
                guard let d = Varint.read(bytes, &offset) else { throw CorruptData(what: "head row") }
                ts = base &+ Int64(bitPattern: d)
            }
            guard offset + 8 <= bytes.count else { throw CorruptData(what: "head row") }
            let bits = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
            visit(UInt32(truncatingIfNeeded: id), Sample(ts, Double(bitPattern: UInt64(littleEndian: bits))))
        }
    }
}

/// Label sets as stored in the series table, and their stable hash.
enum LabelCodec {
    /// varint count, then per label: varint length + name bytes, varint length + value bytes.
    static func encode(_ labels: Labels) -> [UInt8] {
        labels.withBytes { view in
            var out: [UInt8] = []
            out.reserveCapacity(view.byteCount + 2 * view.count + 2)
            Varint.append(UInt64(view.count), to: &out)
            for index in 0..<view.count {
                let name = view.name(index), value = view.value(index)
                Varint.append(UInt64(name.count), to: &out)
                out.append(contentsOf: name)
                Varint.append(UInt64(value.count), to: &out)
                out.append(contentsOf: value)
            }
            return out
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Labels {
        var offset = 0
        guard let n = Varint.read(bytes, &offset) else { throw CorruptData(what: "series labels") }
        var labels: [Label] = []
        labels.reserveCapacity(Int(min(n, 64)))
        func string() throws -> String {
            guard let len = Varint.read(bytes, &offset), offset + Int(len) <= bytes.count else { throw CorruptData(what: "series labels") }
            let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(len))]), as: UTF8.self)
            offset += Int(len)
            return s
        }
        for _ in 0..<n {
            let name = try string()
            labels.append(Label(name, try string()))
        }
        return Labels(labels)
    }

    /// FNV-1a over the encoded bytes: stable across processes, unlike Swift's seeded `Hasher`.
    static func hash(_ encoded: [UInt8]) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in encoded {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }
}
