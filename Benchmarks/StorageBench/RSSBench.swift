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
