import Foundation
import Model
@testable import Forward

/// A strict protobuf reader for `WriteRequest`, independent of the encoder: the tests decode
/// what was sent (to the loopback receiver or into the backlog) and compare with what went in.
struct DecodedSeries: Equatable {
    var labels: [Label]
    var samples: [Sample]
}

struct DecodeError: Error {}

enum WriteRequestDecoder {
    /// Decompresses (snappy) and decodes a request body.
    static func decode(compressed: [UInt8]) throws -> [DecodedSeries] {
        guard let raw = SnappyCompressor.decompress(compressed) else { throw DecodeError() }
        return try decode(raw)
    }

    static func decode(_ bytes: [UInt8]) throws -> [DecodedSeries] {
        var reader = Reader(bytes: bytes[...])
        var series: [DecodedSeries] = []
        while !reader.atEnd {
            guard try reader.key() == (1, 2) else { throw DecodeError() }
            series.append(try timeSeries(reader.field()))
        }
        return series
    }

    private static func timeSeries(_ bytes: ArraySlice<UInt8>) throws -> DecodedSeries {
        var reader = Reader(bytes: bytes)
        var out = DecodedSeries(labels: [], samples: [])
        while !reader.atEnd {
            switch try reader.key() {
            case (1, 2): out.labels.append(try label(reader.field()))
            case (2, 2): out.samples.append(try sample(reader.field()))
            default: throw DecodeError()
            }
        }
        return out
    }

    private static func label(_ bytes: ArraySlice<UInt8>) throws -> Label {
        var reader = Reader(bytes: bytes)
        var label = Label("", "")
        while !reader.atEnd {
            switch try reader.key() {
            case (1, 2): label.name = String(decoding: try reader.field(), as: UTF8.self)
            case (2, 2): label.value = String(decoding: try reader.field(), as: UTF8.self)
            default: throw DecodeError()
            }
        }
        return label
    }

    private static func sample(_ bytes: ArraySlice<UInt8>) throws -> Sample {
        var reader = Reader(bytes: bytes)
        var sample = Sample(0, 0)
        while !reader.atEnd {
            switch try reader.key() {
            case (1, 1): sample.value = Double(bitPattern: try reader.fixed64())
            case (2, 0): sample.timestamp = Int64(bitPattern: try reader.varint())
            default: throw DecodeError()
            }
        }
        return sample
    }

    private struct Reader {
        var bytes: ArraySlice<UInt8>
        var atEnd: Bool { bytes.isEmpty }

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while let byte = bytes.popFirst() {
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
                guard shift < 64 else { throw DecodeError() }
            }
            throw DecodeError()
        }

        mutating func key() throws -> (Int, Int) {
            let key = try varint()
            return (Int(key >> 3), Int(key & 7))
        }

        mutating func field() throws -> ArraySlice<UInt8> {
            let count = Int(try varint())
            guard count <= bytes.count else { throw DecodeError() }
            defer { bytes = bytes.dropFirst(count) }
            return bytes.prefix(count)
        }

        mutating func fixed64() throws -> UInt64 {
            guard bytes.count >= 8 else { throw DecodeError() }
            var value: UInt64 = 0
            for (i, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
            bytes = bytes.dropFirst(8)
            return value
        }
    }
}
