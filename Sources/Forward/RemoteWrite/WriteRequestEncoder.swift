import Model

/// Encodes Prometheus remote-write 1.0 `WriteRequest` messages straight into a reused byte buffer.
///
/// Hand-encoded rather than generated with swift-protobuf because:
/// - the wire format is frozen (remote write 1.0, `prompb/types.proto` and `remote.proto`): four
///   messages, six fields, no `oneof`, no maps, so the encoder is a page of code that cannot drift;
/// - generated code would need a `protoc` plugin in the build, a new package dependency, and an
///   intermediate message object per series and per sample, all allocated and then thrown away on
///   every send — the hot path of remote write;
/// - encoding from `LabeledSample` directly lets external labels be merged in while writing,
///   with no `Labels` copy per sample.
///
/// Messages written (field numbers from `prompb`):
/// `WriteRequest{repeated TimeSeries timeseries = 1}`, `TimeSeries{repeated Label labels = 1;
/// repeated Sample samples = 2}`, `Label{string name = 1; string value = 2}`,
/// `Sample{double value = 1; int64 timestamp = 2}`. As proto3 encoders do, fields holding their
/// default value (0, +0.0, "") are left out. One `TimeSeries` per sample, as Prometheus sends
/// them; labels sorted by name (Prometheus requires it), which `Labels` already guarantees.
struct WriteRequestEncoder {
    /// The encoded message of the last `encode` call; reused between calls.
    private(set) var bytes: [UInt8] = []
    /// Labels added to every series that lacks a label of the same name (`global.external_labels`).
    let externalLabels: Labels

    init(externalLabels: Labels = Labels()) {
        self.externalLabels = externalLabels
        bytes.reserveCapacity(64 << 10)
    }

    /// Encodes `samples` (each its own `TimeSeries`) into `bytes`, replacing what was there.
    /// Two passes: sizes first (protobuf prefixes every message with its length), then the bytes,
    /// written through a pointer into a buffer of exactly the right size.
    mutating func encode<C: Collection>(_ samples: C) where C.Element == LabeledSample {
        labelSizes.removeAll(keepingCapacity: true)
        var total = 0
        for sample in samples {
            let labels = labelsSize(sample.labels)
            labelSizes.append(labels)
            let seriesSize = Self.seriesSize(labels: labels, sample: sample.sample)
            total += 1 + Self.varintSize(UInt64(seriesSize)) + seriesSize
        }
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: total))
        let sizes = labelSizes
        let external = externalLabels
        bytes.withUnsafeMutableBufferPointer { buffer in
            var out = ProtobufWriter(base: buffer.baseAddress!)
            for (sample, labels) in zip(samples, sizes) {
                let sampleSize = Self.sampleSize(sample.sample)
                out.byte(0x0A)  // WriteRequest.timeseries, length-delimited
                out.varint(UInt64(Self.seriesSize(labels: labels, sample: sample.sample)))
                Self.forEachMerged(sample.labels, external) { out.label(name: $0, value: $1) }
                out.byte(0x12)  // TimeSeries.samples, length-delimited
                out.varint(UInt64(sampleSize))
                out.sample(sample.sample)
            }
            precondition(out.offset == total, "protobuf size mismatch")
        }
    }

    private var labelSizes: [Int] = []

    private static func seriesSize(labels: Int, sample: Sample) -> Int {
        let size = sampleSize(sample)
        return labels + 1 + varintSize(UInt64(size)) + size
    }

    // MARK: Sizes

    static func varintSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; a zero still takes one byte.
        let bits = 64 - value.leadingZeroBitCount
        return bits == 0 ? 1 : (bits + 6) / 7
    }

    static func stringFieldSize(_ count: Int) -> Int {
        count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
    }

    private static func labelSize(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Int {
        let inner = stringFieldSize(name.count) + stringFieldSize(value.count)
        return 1 + varintSize(UInt64(inner)) + inner
    }

    static func sampleSize(_ sample: Sample) -> Int {
        (sample.value.bitPattern == 0 ? 0 : 9)
            + (sample.timestamp == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: sample.timestamp)))
    }

    private func labelsSize(_ labels: Labels) -> Int {
        var size = 0
        Self.forEachMerged(labels, externalLabels) { size += Self.labelSize($0, $1) }
        return size
    }

    // MARK: Writing

    /// Calls `body` with the series' labels and the external labels it lacks, sorted by name:
    /// their name and value bytes, read from the packed sets without making strings.
    @inline(__always)
    private static func forEachMerged(_ own: Labels, _ external: Labels,
                                      _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        own.withBytes { own in
            external.withBytes { external in
                var i = 0, j = 0
                while i < own.count || j < external.count {
                    if j == external.count || (i < own.count && !LabelBytes.precede(external.name(j), own.name(i))) {
                        if j < external.count && LabelBytes.equal(own.name(i), external.name(j)) { j += 1 }
                        body(own.name(i), own.value(i))
                        i += 1
                    } else {
                        body(external.name(j), external.value(j))
                        j += 1
                    }
                }
            }
        }
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// Writes protobuf fields through a pointer into a buffer already sized for them.
private struct ProtobufWriter {
    let base: UnsafeMutablePointer<UInt8>
    var offset = 0

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[offset] = value
        offset += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    mutating func string(tag: UInt8, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard utf8.count > 0 else { return }
            byte(tag)
            varint(UInt64(utf8.count))
            (base + offset).update(from: utf8.baseAddress!, count: utf8.count)
            offset += utf8.count
        }
    }

    mutating func label(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let inner = WriteRequestEncoder.stringFieldSize(name.count) + WriteRequestEncoder.stringFieldSize(value.count)
        byte(0x0A)  // TimeSeries.labels
        varint(UInt64(inner))
        bytes(tag: 0x0A, name)   // Label.name
        bytes(tag: 0x12, value)  // Label.value
    }

    mutating func bytes(tag: UInt8, _ utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count > 0 else { return }
        byte(tag)
        varint(UInt64(utf8.count))
        (base + offset).update(from: utf8.baseAddress!, count: utf8.count)
        offset += utf8.count
    }

    mutating func sample(_ sample: Sample) {
        let bits = sample.value.bitPattern
        if bits != 0 {
            byte(0x09)  // Sample.value, 64-bit little-endian
            withUnsafeBytes(of: bits.littleEndian) { raw in
                for b in raw { byte(b) }
            }
        }
        if sample.timestamp != 0 {
            byte(0x10)  // Sample.timestamp, varint (two's complement for negatives)
            varint(UInt64(bitPattern: sample.timestamp))
        }
    }
}
