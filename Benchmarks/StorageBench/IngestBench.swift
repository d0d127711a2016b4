import Foundation
import Model
import SQLite
import Storage

enum IngestBench {
    static func run(_ history: History, dir: String) throws {
        let path = dir + "/lookout.db"
        let db = try TSDB.open(path: path)
        let steps = history.steps
        let block: Int64 = 1_800_000
        var appendTime = 0.0, compactTime = 0.0, appendCPU = 0.0, compactCPU = 0.0
        var batch: [LabeledSample] = []
        batch.reserveCapacity(history.labels.count)
        var currentBlock = Int64.min
        let wall = now()
        for k in 0..<steps {
            batch.removeAll(keepingCapacity: true)
            for (i, samples) in history.samples.enumerated() where k < samples.count {
                batch.append(LabeledSample(history.labels[i], samples[k]))
            }
            let ts = batch[0].sample.timestamp
            if ts / block != currentBlock {   // the daemon compacts once a block is complete
                currentBlock = ts / block
                let (_, wall, cpu) = try timed { try db.compact(now: ts) }
                compactTime += wall
                compactCPU += cpu
            }
            let (_, wall, cpu) = try timed { try db.append(batch) }
            appendTime += wall
            appendCPU += cpu
        }
        let total = Double(history.total)
        let (_, finalWall, finalCPU) = try timed { try db.compact(now: Int64.max / 2) }
        compactTime += finalWall
        compactCPU += finalCPU
        print("== ingest (one append per scrape of \(history.labels.count) samples, one transaction each; CPU = this thread's CPU time)")
        print("append only:        \(fmt(total / appendCPU / 1e6, 3)) M samples/s by CPU (\(fmt(appendCPU / total * 1e9, 0)) ns/sample); by wall \(fmt(total / appendTime / 1e6, 3)) M/s")
        print("with compaction:    \(fmt(total / (appendCPU + compactCPU) / 1e6, 3)) M samples/s by CPU (compaction \(fmt(compactCPU, 2)) s CPU, \(fmt(compactTime, 2)) s wall); whole loop wall \(fmt(now() - wall, 2)) s")
        let stored = try db.storedSamples()
        db.close()

        let c = try Connection(path: path)
        try c.checkpoint(.truncate)
        let pageSize = try c.pragmaInt("page_size")
        let pages = try c.pragmaInt("page_count")
        let free = try c.pragmaInt("freelist_count")
        c.close()
        let file = fileSize(path)
        print("== size after compaction (\(stored.chunks) samples in \(stored.chunkRows) chunks, \(stored.head) in head)")
        print("file:               \(file) B = \(fmt(Double(file) / total, 3)) B/sample (Prometheus 2.08 with index)")
        print("used pages:         \((pages - free) * pageSize) B = \(fmt(Double((pages - free) * pageSize) / total, 3)) B/sample (\(free) free pages)")
        print("chunk payload:      \(stored.chunkBytes) B = \(fmt(Double(stored.chunkBytes) / total, 3)) B/sample (Prometheus chunks 1.95)")

        try queries(history, path: path)
    }

    static func queries(_ history: History, path: String) throws {
        let db = try TSDB.open(path: path)
        defer { db.close() }
        let first = history.samples.map { $0.first?.timestamp ?? 0 }.min()!
        let last = history.samples.map { $0.last?.timestamp ?? 0 }.max()!
        var rng = SystemRandomNumberGenerator()
        var single: [Double] = [], singleCPU: [Double] = []
        var checked = 0
        for _ in 0..<300 {
            let i = Int.random(in: 0..<history.labels.count, using: &rng)
            let matchers = history.labels[i].map { try! Matcher($0.name, .equal, $0.value) }
            let (result, wall, cpu) = try timed { try db.select(matchers, in: first...last) }
            single.append(wall)
            singleCPU.append(cpu)
            if result.count == 1, result[0].samples == history.samples[i] { checked += 1 }
        }
        print("== queries")
        print("1 series, 24 h:     CPU median \(fmt(percentile(singleCPU, 0.5) * 1000, 3)) ms, p99 \(fmt(percentile(singleCPU, 0.99) * 1000, 3)) ms; wall median \(fmt(percentile(single, 0.5) * 1000, 3)) ms, p99 \(fmt(percentile(single, 0.99) * 1000, 3)) ms (goal < 2 ms); \(checked)/300 equal the input")
        var wide: [Double] = [], wideCPU: [Double] = []
        var count = 0, samples = 0
        for _ in 0..<20 {
            let (result, wall, cpu) = try timed { try db.select([try Matcher("job", .equal, "app")], in: (last - 3_600_000)...last) }
            wide.append(wall)
            wideCPU.append(cpu)
            count = result.count
            samples = result.reduce(0) { $0 + $1.samples.count }
        }
        print("\(count) series, 1 h:  CPU median \(fmt(percentile(wideCPU, 0.5) * 1000, 2)) ms, p99 \(fmt(percentile(wideCPU, 0.99) * 1000, 2)) ms; wall median \(fmt(percentile(wide, 0.5) * 1000, 2)) ms (goal < 50 ms for 1,000; \(samples) samples)")
        let (names, lwall, lcpu) = try timed { try db.labelValues("__name__", matching: [], in: first...last) }
        print("label values, 24 h: CPU \(fmt(lcpu * 1000, 2)) ms, wall \(fmt(lwall * 1000, 2)) ms (\(names.count) metric names)")
    }
}
