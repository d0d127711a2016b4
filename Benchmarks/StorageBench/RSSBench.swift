import Foundation
import Model
import Storage

/// RSS growth per series: the slope between 10,000 and 50,000 active series, each appended twice.
enum RSSBench {
    static func labels(_ i: Int) -> Labels {
        Labels([
            Label("__name__", "http_request_duration_seconds_bucket"), Label("job", "app"),
            Label("instance", "10.0.\(i / 10_000).\(i % 250):9100"), Label("method", i % 3 == 0 ? "POST" : "GET"),
            Label("endpoint", "/api/v\(i % 7)/resource\(i / 12)"), Label("le", "\(i % 12)"),
        ])
    }

    static func run(dir: String) throws {
        var options = TSDB.Options()
        options.cacheSizeKiB = 2048
        let db = try TSDB.open(path: dir + "/rss.db", options: options)
        var all: [Labels] = []
        var step: Int64 = 0
        func grow(to count: Int) throws {
            while all.count < count { all.append(labels(all.count)) }
            for _ in 0..<2 {
                step += 1
                for start in stride(from: 0, to: all.count, by: 10_000) {
                    let slice = all[start..<min(all.count, start + 10_000)]
                    try db.append(slice.map { LabeledSample($0, Sample(step * 15_000, Double(step))) })
                }
            }
        }
        try grow(to: 10_000)
        let before = residentBytes()
        try grow(to: 50_000)
        let after = residentBytes()
        let perSeries = Double(after - before) / 40_000
        print("RSS \(before / 1_048_576) MiB at 10k series → \(after / 1_048_576) MiB at 50k series: \(fmt(perSeries, 0)) B per active series (goal ≤ 1,000; Prometheus ≈ 2,300)")
        db.close()
    }
}

/// RSS of the decoded head: 5,000 series × 1,200 samples (a 30-minute block at 1.5 s) in the
/// head, then one query, which brings the head cache up to date, as rules do. A quarter each:
/// counters, integer gauges, gauges with 3 decimals, and full-precision floats (which no codec
/// compresses much).
enum HeadCacheRSSBench {
    static func run(dir: String) throws {
        var options = TSDB.Options()
        options.cacheSizeKiB = 2048
        let db = try TSDB.open(path: dir + "/headcache.db", options: options)
        let seriesCount = 5_000, steps = 1_200
        let series = (0..<seriesCount).map { i in
            Labels([Label("__name__", "head_bench"), Label("i", "\(i)"), Label("job", "app")])
        }
        let base: Int64 = 1_800_000_000_000   // a block boundary: everything stays in the head
        for step in 0..<steps {
            let t = base + Int64(step) * 1_500
            try db.append(series.enumerated().map { i, labels in
                let wave = sin(Double(step + i) / 50)
                let value: Double
                switch i % 4 {
                case 0: value = Double(step * (i % 13 + 1))
                case 1: value = (wave * 40).rounded()
                case 2: value = (wave * 1e6).rounded() / 1000
                default: value = wave * 1000
                }
                return LabeledSample(labels, Sample(t, value))
            })
        }
        let matcher = try Matcher("__name__", .equal, "head_bench")
        let before = residentBytes()
        // The newest minute only: the query brings the whole cache up to date but holds little.
        var started = ContinuousClock.now
        _ = try db.select([matcher], in: (base + 1_740_000)...(base + 1_800_000))
        let first = ContinuousClock.now - started
        let after = residentBytes()
        started = ContinuousClock.now
        let recent = try db.select([matcher], in: (base + 1_500_000)...(base + 1_800_000))
        let fiveMinutes = ContinuousClock.now - started
        started = ContinuousClock.now
        let all = try db.select([matcher], in: base...(base + 1_800_000))
        let whole = ContinuousClock.now - started
        let samples = seriesCount * steps
        print("head cache: \(samples) samples in the head; RSS +\((after - before) / 1_048_576) MiB "
              + "(\(fmt(Double(after - before) / Double(samples), 1)) B/sample) after the first query (\(first)); "
              + "then last 5 min: \(fiveMinutes) (\(recent.count) series), all 30 min: \(whole) (\(all.reduce(0) { $0 + $1.samples.count }) samples)")
        db.close()
    }
}
