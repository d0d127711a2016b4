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
        let external = externalLabels.storage
        bytes.withUnsafeMutableBufferPointer { buffer in
            var out = ProtobufWriter(base: buffer.baseAddress!)
            for (sample, labels) in zip(samples, sizes) {
                let sampleSize = Self.sampleSize(sample.sample)
                out.byte(0x0A)  // WriteRequest.timeseries, length-delimited
                out.varint(UInt64(Self.seriesSize(labels: labels, sample: sample.sample)))
                Self.forEachMerged(sample.labels.storage, external) { out.label($0) }
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

    private static func labelSize(_ label: Label) -> Int {
        let inner = stringFieldSize(label.name.utf8.count) + stringFieldSize(label.value.utf8.count)
        return 1 + varintSize(UInt64(inner)) + inner
    }

    static func sampleSize(_ sample: Sample) -> Int {
        (sample.value.bitPattern == 0 ? 0 : 9)
            + (sample.timestamp == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: sample.timestamp)))
    }

    private func labelsSize(_ labels: Labels) -> Int {
        var size = 0
        Self.forEachMerged(labels.storage, externalLabels.storage) { size += Self.labelSize($0) }
        return size
    }

    // MARK: Writing

    /// Calls `body` with the series' labels and the external labels it lacks, sorted by name.
    /// Works on the arrays, not the `Labels` collection: its conformance lives in another module
    /// and is not specialised here, which would cost a witness call per index step.
    @inline(__always)
    private static func forEachMerged(_ own: [Label], _ external: [Label], _ body: (Label) -> Void) {
        if external.isEmpty {
            for label in own { body(label) }
            return
        }
        var i = 0, j = 0
        while i < own.count || j < external.count {
            if j == external.count || (i < own.count && own[i].name <= external[j].name) {
                if j < external.count && own[i].name == external[j].name { j += 1 }
                body(own[i])
                i += 1
            } else {
                body(external[j])
                j += 1
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

    mutating func label(_ label: Label) {
        let inner = WriteRequestEncoder.stringFieldSize(label.name.utf8.count)
            + WriteRequestEncoder.stringFieldSize(label.value.utf8.count)
        byte(0x0A)  // TimeSeries.labels
        varint(UInt64(inner))
        string(tag: 0x0A, label.name)   // Label.name
        string(tag: 0x12, label.value)  // Label.value
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
