import Testing
import Model
@testable import Storage

@Suite struct ChunkCodecTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    func roundTrip(_ samples: [Sample]) throws -> [Sample] {
        let bytes = ChunkCodec.encode(samples[...])
        var out: [Sample] = []
        try ChunkCodec.decode(bytes, in: Timestamp.min...Timestamp.max, into: &out)
        return out
    }

    @Test func everyModeRoundTrips() throws {
        var rng = Rng(state: 7)
        for round in 0..<300 {
            let n = 1 + rng.int(300)
            var t = Int64(rng.int(2_000_000_000)) - 1_000_000_000
            var v = Double(rng.int(1000))
            var samples: [Sample] = []
            for _ in 0..<n {
                switch round % 6 {
                case 0: v += Double(rng.int(100))                                   // counter
                case 1: v = Double(bitPattern: rng.next() << 11 | rng.next() & 0x7ff)  // any bits
                case 2: v += Double(rng.int(3)) - 1                                 // integer gauge
                case 3: v = 5                                                       // constant
                case 4: v += Double(rng.int(1 << 20)) * 1e9 * (rng.int(2) == 0 ? 1 : -1)   // huge jumps (escapes)
                default: v = Double(rng.int(1000)) / 7                              // floats
                }
                samples.append(Sample(t, v))
                let jitter = rng.int(20) == 0 ? Int64(rng.int(20)) - 10 : 0
                t += rng.int(10) == 0 ? Int64(rng.int(100_000_000)) + 1 : 15_000 + jitter
            }
            let got = try roundTrip(samples)
            #expect(got == samples, "round \(round) mode \(round % 6) n \(n)")
        }
    }

    @Test func rangeDecodingAndSize() throws {
        let samples = (0..<480).map { Sample(Int64($0) * 15_000, Double($0 * 70 + $0 % 5)) }
        let bytes = ChunkCodec.encode(samples[...])
        #expect(Double(bytes.count) / 480 < 1.0, "a regular counter costs under a byte per sample, got \(bytes.count)")
        var part: [Sample] = []
        try ChunkCodec.decode(bytes, in: 30_000...60_000, into: &part)
        #expect(part == Array(samples[2...4]))
        let constant = ChunkCodec.encode((0..<120).map { Sample(Int64($0) * 15_000, 1) }[...])
        #expect(constant.count < 40)
    }

    @Test func truncatedChunkIsAnError() throws {
        let samples = (0..<100).map { Sample(Int64($0) * 15_000, Double($0) * 0.3) }
        let bytes = ChunkCodec.encode(samples[...])
        var out: [Sample] = []
        #expect(throws: CorruptData.self) { try ChunkCodec.decode(Array(bytes.prefix(bytes.count / 2)), in: Timestamp.min...Timestamp.max, into: &out) }
        #expect(throws: CorruptData.self) { try ChunkCodec.decode([], in: Timestamp.min...Timestamp.max, into: &out) }
    }

    @Test func headRowRoundTrips() throws {
        let batch = [LabeledSample(ls("a"), Sample(5, 1)), LabeledSample(ls("b"), Sample(7, StaleMarker.value)), LabeledSample(ls("a"), Sample(-3, .nan))]
        let (bytes, summary) = HeadCodec.encode(ids: [1, 300_000, 1], samples: batch.map(\.sample))
        #expect(summary.minTimestamp == -3 && summary.maxTimestamp == 7 && summary.minSeries == 1 && summary.maxSeries == 300_000)
        var got: [(UInt32, Sample)] = []
        try bytes.withUnsafeBytes { try HeadCodec.decode($0) { got.append(($0, $1)) } }
        #expect(got.map(\.0) == [1, 300_000, 1])
        #expect(got.map(\.1) == batch.map(\.sample))
    }
}

@Suite struct MergeTests {
    @Test func laterWritesWinAndOrderIsRestored() {
        let older = [Sample(1, 1), Sample(3, 3)]
        #expect(SampleCollector.merge(older, [Sample(4, 4)]) == [Sample(1, 1), Sample(3, 3), Sample(4, 4)])
        #expect(SampleCollector.merge(older, [Sample(3, 30), Sample(2, 2), Sample(3, 31)]) == [Sample(1, 1), Sample(2, 2), Sample(3, 31)])
        // Overlapping "older" input (never produced by the store) is still sorted, later winning.
        #expect(SampleCollector.merge([Sample(5, 5), Sample(1, 1), Sample(5, 50)], []) == [Sample(1, 1), Sample(5, 50)])
    }
}
