import Testing
import Model
import TestSupport
@testable import Storage

/// `selectLatest` against the whole window: every store must hand the engine, for every point,
/// the very sample (timestamp, value, staleness) a plain `select` of the window would make it take.
@Suite struct SelectLatestTests {
    static let lookback: Int64 = 300_000

    /// The sample the engine takes at `point` from `samples`: the newest at or before it, if no
    /// older than `point - lookback` (Evaluator.evalVectorSelector).
    static func taken(_ samples: [Sample], at point: Timestamp, lookback: Int64 = lookback) -> Sample? {
        guard let newest = samples.last(where: { $0.timestamp <= point }), newest.timestamp >= point - lookback else { return nil }
        return newest
    }

    /// What the store's `selectLatest` gives for one point, by series labels.
    static func latest(_ h: StoreHarness, _ name: String, at point: Timestamp) throws -> [Labels: [Sample]] {
        let series = try h.store.selectLatest([m("__name__", .equal, name)], at: LookbackPoints(at: point, lookback: lookback))
        return Dictionary(series.map { ($0.labels, $0.samples) }, uniquingKeysWith: { a, _ in a })
    }

    /// Checks `selectLatest` for `points` against a full `select` of their range, point by point,
    /// and that it returns only samples some point takes, in the order `select` gives.
    static func check(_ h: StoreHarness, _ matchers: [Matcher], _ points: LookbackPoints,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let full = try h.store.select(matchers, in: points.range)
        let latest = try h.store.selectLatest(matchers, at: points)
        let expected = full.compactMap { series -> Series? in
            let picked = points.picked(from: series.samples)
            return picked.isEmpty ? nil : Series(series.labels, picked)
        }
        #expect(latest.map(\.labels) == expected.map(\.labels), sourceLocation: sourceLocation)
        let byLabels = Dictionary(latest.map { ($0.labels, $0.samples) }, uniquingKeysWith: { a, _ in a })
        for series in full {
            let got = byLabels[series.labels] ?? []
            var point = points.first
            for _ in 0..<10_000 {
                let want = taken(series.samples, at: point, lookback: points.lookback)
                let have = taken(got, at: point, lookback: points.lookback)
                #expect(want?.timestamp == have?.timestamp && want?.value.bitPattern == have?.value.bitPattern,
                        "\(series.labels) at \(point): \(String(describing: want)) from the window, \(String(describing: have)) from selectLatest",
                        sourceLocation: sourceLocation)
                guard point <= points.last - points.interval else { break }
                point += points.interval
            }
            #expect(got.allSatisfy { sample in series.samples.contains { $0.timestamp == sample.timestamp } }, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func staleMarkerAsNewestSampleIsReturned(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let s = ls("up")
        try h.append([LabeledSample(s, Sample(10_000, 1))])
        try h.append([LabeledSample(s, Sample(20_000, 1))])
        try h.settle()
        try h.append([LabeledSample(s, Sample(30_000, StaleMarker.value))])
        let got = try Self.latest(h, "up", at: 35_000)[s] ?? []
        #expect(got.count == 1)
        #expect(got.first?.timestamp == 30_000 && got.first?.isStale == true)   // the engine then shows no value
        #expect(try Self.latest(h, "up", at: 25_000)[s] == [Sample(20_000, 1)])
        try h.settle()
        #expect(try Self.latest(h, "up", at: 35_000)[s]?.first?.isStale == true)
        try Self.check(h, [m("__name__", .equal, "up")], LookbackPoints(first: 0, last: 400_000, interval: 5_000, lookback: Self.lookback))
    }

    @Test(arguments: StoreKind.allCases)
    func lookbackBoundaryIsInclusiveAsTheEngine(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let s = ls("g")
        try h.append([LabeledSample(s, Sample(100_000, 7))])
        try h.settle()
        // Exactly `lookback` old: still taken (the engine's window is [t - lookback, t], as Prometheus 2.x).
        #expect(try Self.latest(h, "g", at: 100_000 + Self.lookback)[s] == [Sample(100_000, 7)])
        // One millisecond older: gone.
        #expect(try Self.latest(h, "g", at: 100_001 + Self.lookback).isEmpty)
        // Before the sample: nothing.
        #expect(try Self.latest(h, "g", at: 99_999).isEmpty)
        try Self.check(h, [m("__name__", .equal, "g")], LookbackPoints(first: 99_000, last: 500_000, interval: 1_000, lookback: Self.lookback))
    }

    @Test(arguments: StoreKind.allCases)
    func lateSamplesInHeadAgainstChunks(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let s = ls("g")
        try h.append([LabeledSample(s, Sample(1_000, 1)), LabeledSample(s, Sample(3_000, 3))])
        try h.settle()
        // Late, into a compacted block: the head's only sample is older than the chunk's newest.
        try h.append([LabeledSample(s, Sample(2_000, 2))])
        #expect(try Self.latest(h, "g", at: 4_000)[s] == [Sample(3_000, 3)])
        #expect(try Self.latest(h, "g", at: 2_500)[s] == [Sample(2_000, 2)])
        // A duplicate timestamp: the later write wins over the chunk.
        try h.append([LabeledSample(s, Sample(3_000, 33))])
        #expect(try Self.latest(h, "g", at: 4_000)[s] == [Sample(3_000, 33)])
        // Out of order within the head, with a duplicate.
        try h.append([LabeledSample(s, Sample(5_000, 5)), LabeledSample(s, Sample(4_000, 4)), LabeledSample(s, Sample(5_000, 55))])
        #expect(try Self.latest(h, "g", at: 4_500)[s] == [Sample(4_000, 4)])
        #expect(try Self.latest(h, "g", at: 9_000)[s] == [Sample(5_000, 55)])
        try Self.check(h, [m("__name__", .equal, "g")], LookbackPoints(first: 0, last: 10_000, interval: 500, lookback: 1_500))
        try h.settle()
        try h.append([LabeledSample(s, Sample(5_000, 555))])
        #expect(try Self.latest(h, "g", at: 9_000)[s] == [Sample(5_000, 555)])
        try Self.check(h, [m("__name__", .equal, "g")], LookbackPoints(first: 0, last: 10_000, interval: 700, lookback: 2_000))
    }

    @Test(arguments: StoreKind.allCases)
    func seriesInChunksOnlyHeadOnlyAndBoth(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let chunksOnly = ls("m", ["where": "chunks"]), headOnly = ls("m", ["where": "head"]), both = ls("m", ["where": "both"])
        for step in 0..<10 {
            let t = Int64(step) * 15_000
            try h.append([LabeledSample(chunksOnly, Sample(t, Double(step))), LabeledSample(both, Sample(t, Double(100 + step)))])
        }
        try h.settle()
        for step in 10..<20 {
            let t = Int64(step) * 15_000
            try h.append([LabeledSample(headOnly, Sample(t, Double(200 + step))), LabeledSample(both, Sample(t, Double(100 + step)))])
        }
        let at = Int64(19) * 15_000
        let got = try Self.latest(h, "m", at: at)
        #expect(got[chunksOnly] == [Sample(135_000, 9)])
        #expect(got[headOnly] == [Sample(at, 219)])
        #expect(got[both] == [Sample(at, 119)])
        // Between the two: "both" takes its chunk sample, "head" has none yet.
        let earlier = try Self.latest(h, "m", at: 140_000)
        #expect(earlier[both] == [Sample(135_000, 109)])
        #expect(earlier[headOnly] == nil)
        let matchers = [m("__name__", .equal, "m")]
        for points in [LookbackPoints(at: at, lookback: Self.lookback),
                       LookbackPoints(first: 0, last: 600_000, interval: 15_000, lookback: Self.lookback),
                       LookbackPoints(first: 1, last: 700_000, interval: 7_000, lookback: 10_000),
                       LookbackPoints(first: -50_000, last: 900_000, interval: 400_000, lookback: Self.lookback)] {
            try Self.check(h, matchers, points)
        }
    }

    /// A long in-order series, so the head cache holds most of it in compressed segments: every
    /// point, including those between two segments, finds its sample.
    @Test(arguments: StoreKind.allCases)
    func longInOrderSeriesAcrossHeadSegments(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let s = ls("long")
        var rng = SplitMix(state: 7)
        var t: Int64 = 0
        for i in 0..<300 {
            t += Int64.random(in: 1...6, using: &rng) * 1_000
            try h.append([LabeledSample(s, Sample(t, i % 41 == 40 ? StaleMarker.value : Double(i)))])
        }
        let matchers = [m("__name__", .equal, "long")]
        for point in stride(from: Int64(-1_000), through: t + 5_000, by: 700) {
            try Self.check(h, matchers, LookbackPoints(at: point, lookback: 2_500))
        }
        try Self.check(h, matchers, LookbackPoints(first: 0, last: t, interval: 1_300, lookback: 4_000))
        try h.settle()
        for point in stride(from: Int64(0), through: t, by: 1_100) {
            try Self.check(h, matchers, LookbackPoints(at: point, lookback: 3_000))
        }
    }

    /// Random series written in random order with late writes and duplicates, compacted part way
    /// (several blocks, some merged), checked at many points and step patterns.
    @Test(arguments: StoreKind.allCases)
    func randomHistoriesAgreeWithTheWindow(_ kind: StoreKind) throws {
        var options = TSDB.Options()
        options.blockDuration = 60_000
        options.blocksPerChunk = 2
        let h = try StoreHarness(kind, options: options)
        var rng = SplitMix(state: 42)
        let series = (0..<6).map { ls("r", ["i": "\($0)"]) }
        var t: Int64 = 0
        for round in 0..<120 {
            t += Int64.random(in: 1_000...9_000, using: &rng)
            var batch: [LabeledSample] = []
            for (i, labels) in series.enumerated() where Int.random(in: 0..<4, using: &rng) != 0 {
                // Now and then a late sample, a duplicate timestamp or a stale marker.
                let late = Int.random(in: 0..<8, using: &rng) == 0 ? Int64.random(in: 0...t, using: &rng) : t
                let value = Int.random(in: 0..<10, using: &rng) == 0 ? StaleMarker.value : Double(round * 10 + i)
                batch.append(LabeledSample(labels, Sample(late, value)))
            }
            if !batch.isEmpty { try h.append(batch) }
            if round % 37 == 36, let tsdb = h.tsdb { try tsdb.compact(now: t) }
        }
        let matchers = [m("__name__", .equal, "r")]
        for _ in 0..<30 {
            let first = Int64.random(in: -20_000...(t + 20_000), using: &rng)
            let lookback = Int64.random(in: 0...40_000, using: &rng)
            try Self.check(h, matchers, LookbackPoints(at: first, lookback: lookback))
            let interval = Int64.random(in: 1...30_000, using: &rng)
            try Self.check(h, matchers, LookbackPoints(first: first, last: first + Int64.random(in: 0...200_000, using: &rng),
                                                       interval: interval, lookback: lookback))
        }
        try h.settle()
        for point in stride(from: Int64(0), through: t, by: 3_333) {
            try Self.check(h, matchers, LookbackPoints(at: point, lookback: 20_000))
        }
    }
}
