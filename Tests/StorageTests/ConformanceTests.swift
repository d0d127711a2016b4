import Testing
import Model
@testable import Storage

/// The same behaviour from every store: the in-memory reference and the TSDB in its states.
@Suite struct ConformanceTests {
    static let http = [
        ls("http_requests_total", ["code": "200", "job": "api"]),
        ls("http_requests_total", ["code": "500", "job": "api"]),
        ls("http_requests_total", ["code": "503", "job": "web"]),
        ls("http_requests_total", ["code": "1500", "job": "web"]),
        ls("up", ["job": "api"]),
        ls("up", ["job": "web", "env": "prod"]),
    ]

    func loaded(_ kind: StoreKind) throws -> StoreHarness {
        let h = try StoreHarness(kind)
        for step in 0..<40 {
            let t = Int64(step) * 15_000
            try h.append(Self.http.enumerated().map { i, labels in LabeledSample(labels, Sample(t, Double(i * 100 + step))) })
            if step == 19 { try h.settle() }
        }
        try h.settle()
        return h
    }

    @Test(arguments: StoreKind.allCases)
    func matchers(_ kind: StoreKind) throws {
        let h = try loaded(kind)
        func names(_ ms: [Matcher]) throws -> [String] {
            try h.select(ms).map { "\($0.labels)" }
        }
        #expect(try names([m("code", .regexMatch, "5..")]) == [
            #"http_requests_total{code="500", job="api"}"#, #"http_requests_total{code="503", job="web"}"#,
        ])
        #expect(try names([m("__name__", .equal, "up"), m("env", .equal, "")]) == [#"up{job="api"}"#])
        #expect(try names([m("__name__", .equal, "up"), m("env", .notEqual, "")]) == [#"up{env="prod", job="web"}"#])
        #expect(try names([m("__name__", .equal, "http_requests_total"), m("job", .regexNoMatch, "a.*")]).count == 2)
        #expect(try names([m("code", .notEqual, "200"), m("__name__", .regexMatch, "http_.*")]).count == 3)
        #expect(try names([m("job", .equal, "nope")]).isEmpty)
        #expect(try names([m("__name__", .regexMatch, ".+")]).count == 6)
        #expect(try names([m("code", .regexMatch, "1500|200")]).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func rangesAreInclusive(_ kind: StoreKind) throws {
        let h = try loaded(kind)
        let series = try h.select([m("__name__", .equal, "up"), m("job", .equal, "api")], 15_000...45_000)
        #expect(series.count == 1)
        #expect(series.first?.samples.map(\.timestamp) == [15_000, 30_000, 45_000])
        #expect(series.first?.samples.map(\.value) == [401, 402, 403])
        #expect(try h.select([m("job", .equal, "api")], 1_000_000...2_000_000).isEmpty)
        #expect(try h.select([m("job", .equal, "api")], 585_000...585_000).count == 3)
        let all = try h.select([m("job", .equal, "web")])
        #expect(all.allSatisfy { $0.samples.count == 40 })
    }

    @Test(arguments: StoreKind.allCases)
    func labelNamesAndValues(_ kind: StoreKind) throws {
        let h = try loaded(kind)
        try h.append([LabeledSample(ls("late", ["zone": "eu"]), Sample(10_000_000, 1))])
        let q = h.store
        #expect(try q.labelNames(matching: [], in: 0...600_000) == ["__name__", "code", "env", "job"])
        #expect(try q.labelNames(matching: [], in: 0...20_000_000) == ["__name__", "code", "env", "job", "zone"])
        #expect(try q.labelNames(matching: [m("__name__", .equal, "up")], in: 0...600_000) == ["__name__", "env", "job"])
        #expect(try q.labelValues("code", matching: [], in: 0...600_000) == ["1500", "200", "500", "503"])
        #expect(try q.labelValues("job", matching: [m("code", .regexMatch, "5..")], in: 0...600_000) == ["api", "web"])
        #expect(try q.labelValues("zone", matching: [], in: 0...600_000) == [])
        #expect(try q.labelValues("zone", matching: [], in: 9_999_999...10_000_000) == ["eu"])
        #expect(try q.labelValues("__name__", matching: [], in: 600_000...700_000).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func specialValuesRoundTripBitExactly(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let values: [Double] = [
            StaleMarker.value, .nan, -.nan, Double(bitPattern: 0x7ff8_dead_beef_0001), .infinity, -.infinity,
            -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-300, 0.1, 42, -7,
        ]
        let labels = ls("weird")
        for (i, v) in values.enumerated() {
            try h.append([LabeledSample(labels, Sample(Int64(i) * 1000, v))])
            if i == 6 { try h.settle() }
        }
        // A series whose only non-integer value is a stale marker at its end, as the scrape loop writes it.
        let counter = ls("c")
        for i in 0..<10 { try h.append([LabeledSample(counter, Sample(Int64(i) * 1000, Double(i * 3)))]) }
        try h.append([LabeledSample(counter, Sample(10_000, StaleMarker.value))])
        try h.settle()
        let got = try h.select([m("__name__", .equal, "weird")]).first?.samples ?? []
        #expect(got.map(\.value.bitPattern) == values.map(\.bitPattern))
        let c = try h.select([m("__name__", .equal, "c")]).first?.samples ?? []
        #expect(c.count == 11)
        #expect(c.last?.isStale == true)
        #expect(c.dropLast().map(\.value) == (0..<10).map { Double($0 * 3) })
    }

    @Test(arguments: StoreKind.allCases)
    func counterResetsArePreserved(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let values: [Double] = [10, 20, 30, 2, 5, 5, 1e15, 0, 3]
        for (i, v) in values.enumerated() { try h.append([LabeledSample(ls("reqs_total"), Sample(Int64(i) * 15_000, v))]) }
        try h.settle()
        #expect(try h.select([m("__name__", .equal, "reqs_total")]).first?.samples.map(\.value) == values)
    }

    @Test(arguments: StoreKind.allCases)
    func outOfOrderAndDuplicateTimestamps(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let s = ls("g")
        try h.append([LabeledSample(s, Sample(1_000, 1)), LabeledSample(s, Sample(3_000, 3))])
        try h.settle()
        try h.append([LabeledSample(s, Sample(2_000, 2))])              // late, into a compacted block
        try h.append([LabeledSample(s, Sample(3_000, 33))])             // duplicate: the later write wins
        try h.append([LabeledSample(s, Sample(5_000, 5)), LabeledSample(s, Sample(4_000, 4)), LabeledSample(s, Sample(5_000, 55))])
        var got = try h.select([m("__name__", .equal, "g")]).first?.samples ?? []
        #expect(got == [Sample(1_000, 1), Sample(2_000, 2), Sample(3_000, 33), Sample(4_000, 4), Sample(5_000, 55)])
        try h.settle()
        try h.append([LabeledSample(s, Sample(1_000, 11))])
        try h.settle()
        got = try h.select([m("__name__", .equal, "g")]).first?.samples ?? []
        #expect(got.map(\.value) == [11, 2, 33, 4, 55])
    }

    @Test(arguments: StoreKind.allCases)
    func headAndChunksMergeAcrossBlocks(_ kind: StoreKind) throws {
        let h = try StoreHarness(kind)
        let hour: Int64 = 3_600_000
        var expected: [Labels: [Sample]] = [:]
        for step in 0..<(3 * 240) {   // 3 h at 15 s: six 30-minute blocks
            let t = Int64(step) * 15_000 + (step % 50 == 7 ? 3 : 0)
            var batch: [LabeledSample] = []
            for i in 0..<5 {
                let labels = ls("m", ["i": "\(i)"])
                let v = i == 0 ? Double(step) * 0.37 : Double(step * i)
                batch.append(LabeledSample(labels, Sample(t, v)))
                expected[labels, default: []].append(Sample(t, v))
            }
            try h.append(batch)
            if step == 300, let tsdb = h.tsdb { try tsdb.compact(now: t) }  // blocks before the current one
        }
        let got = try h.select([m("__name__", .equal, "m")], hour / 2...(2 * hour + 1))
        #expect(got.count == 5)
        for series in got {
            #expect(series.samples == expected[series.labels]!.filter { (hour / 2...(2 * hour + 1)).contains($0.timestamp) })
        }
        try h.settle()
        let all = try h.select([m("i", .equal, "0")])
        #expect(all.first?.samples == expected[ls("m", ["i": "0"])])
    }
}
