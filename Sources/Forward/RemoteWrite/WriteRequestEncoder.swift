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
    mutating func encode<C: Collection>(_ samples: C) where C.Element == LabeledSample {
        bytes.removeAll(keepingCapacity: true)
        for sample in samples {
            let labelsSize = labelsSize(sample.labels)
            let sampleSize = Self.sampleSize(sample.sample)
            let seriesSize = labelsSize + 1 + Self.varintSize(UInt64(sampleSize)) + sampleSize
            bytes.append(0x0A)  // WriteRequest.timeseries, length-delimited
            appendVarint(UInt64(seriesSize))
            writeLabels(sample.labels)
            bytes.append(0x12)  // TimeSeries.samples, length-delimited
            appendVarint(UInt64(sampleSize))
            writeSample(sample.sample)
        }
    }

    // MARK: Sizes

    static func varintSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; a zero still takes one byte.
        let bits = 64 - value.leadingZeroBitCount
        return bits == 0 ? 1 : (bits + 6) / 7
    }

    private static func stringFieldSize(_ count: Int) -> Int {
        count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
    }

    private static func labelSize(_ label: Label) -> Int {
        let inner = stringFieldSize(label.name.utf8.count) + stringFieldSize(label.value.utf8.count)
        return 1 + varintSize(UInt64(inner)) + inner
    }

    private static func sampleSize(_ sample: Sample) -> Int {
        (sample.value.bitPattern == 0 ? 0 : 9)
            + (sample.timestamp == 0 ? 0 : 1 + varintSize(UInt64(bitPattern: sample.timestamp)))
    }

    private func labelsSize(_ labels: Labels) -> Int {
        var size = 0
        forEachMerged(labels) { size += Self.labelSize($0) }
        return size
    }

    // MARK: Writing

    /// Calls `body` with the series' labels and the external labels it lacks, sorted by name.
    @inline(__always)
    private func forEachMerged(_ labels: Labels, _ body: (Label) -> Void) {
        // The arrays, not the `Labels` collection: its conformance lives in another module and
        // is not specialised here, which costs a witness call per index step.
        let own = labels.storage, external = externalLabels.storage
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

    private mutating func writeLabels(_ labels: Labels) {
        var out = bytes
        bytes = []
        forEachMerged(labels) { label in
            let nameCount = label.name.utf8.count, valueCount = label.value.utf8.count
            let inner = Self.stringFieldSize(nameCount) + Self.stringFieldSize(valueCount)
            out.append(0x0A)  // TimeSeries.labels
            Self.appendVarint(UInt64(inner), to: &out)
            if nameCount > 0 {
                out.append(0x0A)  // Label.name
                Self.appendVarint(UInt64(nameCount), to: &out)
                out.append(contentsOf: label.name.utf8)
            }
            if valueCount > 0 {
                out.append(0x12)  // Label.value
                Self.appendVarint(UInt64(valueCount), to: &out)
                out.append(contentsOf: label.value.utf8)
            }
        }
        bytes = out
    }

    private mutating func writeSample(_ sample: Sample) {
        let bits = sample.value.bitPattern
        if bits != 0 {
            bytes.append(0x09)  // Sample.value, 64-bit little-endian
            withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
        }
        if sample.timestamp != 0 {
            bytes.append(0x10)  // Sample.timestamp, varint (two's complement for negatives)
            appendVarint(UInt64(bitPattern: sample.timestamp))
        }
    }

    private mutating func appendVarint(_ value: UInt64) {
        Self.appendVarint(value, to: &bytes)
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
