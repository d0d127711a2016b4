import Foundation
import Model
import Testing
@testable import Forward

/// One case of `testdata/write_request_vectors.json`, made by `make_write_request_vectors.py`
/// with Google's protobuf runtime.
private struct Vector: Decodable {
    struct Entry: Decodable {
        var labels: [String: String]
        var timestamp: Int64
        var value_bits: String
    }

    var name: String
    var external: [String: String]
    var samples: [Entry]
    var hex: String

    var labeledSamples: [LabeledSample] {
        samples.map { LabeledSample(Labels($0.labels), Sample($0.timestamp, Double(bitPattern: UInt64($0.value_bits, radix: 16)!))) }
    }

    var expected: [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    static func all() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("testdata/write_request_vectors.json")
        return try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
    }
}

@Suite struct RemoteWriteEncodingTests {
    @Test func matchesProtobufReferenceByteForByte() throws {
        let vectors = try Vector.all()
        #expect(vectors.count == 2)
        for vector in vectors {
            var encoder = WriteRequestEncoder(externalLabels: Labels(vector.external))
            encoder.encode(vector.labeledSamples)
            #expect(encoder.bytes == vector.expected, "case \(vector.name)")
        }
    }

    @Test func decodesBackToTheSamplesWithExternalLabelsMerged() throws {
        for vector in try Vector.all() {
            var encoder = WriteRequestEncoder(externalLabels: Labels(vector.external))
            encoder.encode(vector.labeledSamples)
            let decoded = try WriteRequestDecoder.decode(encoder.bytes)
            #expect(decoded.count == vector.samples.count)
            for (series, sample) in zip(decoded, vector.labeledSamples) {
                var merged = Labels(vector.external).dictionary
                merged.merge(sample.labels.dictionary) { _, own in own }
                #expect(series.labels == Array(Labels(merged)), "labels sorted by name, series' own win")
                #expect(series.samples.count == 1)
                #expect(series.samples.first?.timestamp == sample.sample.timestamp)
                #expect(series.samples.first?.value.bitPattern == sample.sample.value.bitPattern, "NaN payloads (stale markers) survive")
            }
        }
    }

    @Test func reusedBufferHoldsOnlyTheLastRequest() throws {
        var encoder = WriteRequestEncoder()
        encoder.encode([LabeledSample(["__name__": "a", "x": String(repeating: "y", count: 500)], Sample(1, 1))])
        encoder.encode([LabeledSample(["__name__": "b"], Sample(2, 2))])
        #expect(try WriteRequestDecoder.decode(encoder.bytes) == [DecodedSeries(labels: [Label("__name__", "b")], samples: [Sample(2, 2)])])
        encoder.encode([])
        #expect(encoder.bytes.isEmpty)
    }

    @Test(arguments: [(UInt64(0), 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3), (UInt64.max, 10)])
    func varintSizes(value: UInt64, size: Int) {
        var out: [UInt8] = []
        WriteRequestEncoder.appendVarint(value, to: &out)
        #expect(out.count == size)
        #expect(WriteRequestEncoder.varintSize(value) == size)
    }

    @Test func snappyRoundTripsAndCompressesRepetition() throws {
        var encoder = WriteRequestEncoder()
        let samples = (0..<2000).map { i in
            LabeledSample(["__name__": "http_requests_total", "instance": "10.0.0.1:9100", "job": "api", "code": "\(200 + i % 5)"],
                          Sample(1_700_000_000_000 + Int64(i) * 15_000, Double(i)))
        }
        encoder.encode(samples)
        var snappy = SnappyCompressor()
        let compressed = Array(snappy.compress(encoder.bytes))
        #expect(SnappyCompressor.decompress(compressed) == encoder.bytes)
        #expect(compressed.count * 4 < encoder.bytes.count, "\(compressed.count) of \(encoder.bytes.count) bytes")
        #expect(SnappyCompressor.decompress([0xFF, 0xFF, 0xFF]) == nil)
    }
}
