// QueryBench: 300 typical alert expressions against 20,000 series (1 h at 15 s), first in a
// MemorySeriesStore, then in the daemon's SQLite TSDB (written one scrape per target and batch,
// complete blocks compacted into chunks, the current block in the head). Each round first appends
// one more scrape of every target, 15 s later, and evaluates at that time, as the rule loop does;
// it prints the time of the round's evaluation, split into storage and engine time.
// Run: swift run -c release QueryBench   (QUERYBENCH_STORE=memory|tsdb picks one store)
import Foundation
import Model
import Query
import Storage
import Synchronization
import TestSupport

/// Wraps a querier and adds up the time spent in `select`.
final class TimingQuerier: SeriesQuerier {
    let base: any SeriesQuerier
    let nanoseconds = Atomic<UInt64>(0)
    let calls = Atomic<Int>(0)

    init(_ base: any SeriesQuerier) { self.base = base }

    func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            nanoseconds.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed)
            calls.add(1, ordering: .relaxed)
        }
        return try base.select(matchers, in: range)
    }

    func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            nanoseconds.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed)
            calls.add(1, ordering: .relaxed)
        }
        return try base.selectLatest(matchers, at: points)
    }

    func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelNames(matching: matchers, in: range)
    }

    func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelValues(name, matching: matchers, in: range)
    }
}

/// Remembers select results, so later rounds measure the engine alone (QUERYBENCH_CACHE=1).
final class CachingQuerier: SeriesQuerier {
    let base: any SeriesQuerier
    let cache = Mutex<[String: [Series]]>([:])

    init(_ base: any SeriesQuerier) { self.base = base }

    func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series] {
        let key = "\(matchers)\(range)"
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let result = try base.select(matchers, in: range)
        cache.withLock { $0[key] = result }
        return result
    }

    func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series] {
        let key = "latest\(matchers)\(points)"
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let result = try base.selectLatest(matchers, at: points)
        cache.withLock { $0[key] = result }
        return result
    }

    func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelNames(matching: matchers, in: range)
    }

    func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelValues(name, matching: matchers, in: range)
    }
}


let step: Int64 = 15_000
let points = 240
/// Data starts 15 min into a 30-min block, so the TSDB's head holds the last quarter hour.
let origin: Int64 = 900_000
let end = origin + Int64(points - 1) * step

/// One scrape target's series and their values at every step (and for later rounds).
struct Target {
    var series: [Labels] = []
    var values: [[Double]] = []
}

func buildTargets(extraSteps: Int) -> [Target] {
    var rng = SplitMix(state: 7)
    var targets: [Target] = []
    for j in 0..<20 {
        for i in 0..<50 {
            var target = Target()
            func add(_ name: String, _ extra: [String: String] = [:], counter: Bool, scale: Double) {
                let base: [String: String] = ["job": "job\(j)", "instance": "host\(i):9100", "__name__": name]
                target.series.append(Labels(base.merging(extra) { a, _ in a }))
                var value = Double.random(in: 0..<scale, using: &rng)
                var values: [Double] = []
                for _ in 0..<(points + extraSteps) {
                    values.append(value)
                    value = counter ? value + Double.random(in: 0..<scale, using: &rng) : abs(value + Double.random(in: -scale..<scale, using: &rng))
                }
                target.values.append(values)
            }
            for code in ["200", "404", "500", "503"] { add("http_requests_total", ["code": code], counter: true, scale: 10) }
            for le in ["0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"] {
                add("request_duration_seconds_bucket", ["le": le], counter: true, scale: 5)
            }
            for mode in ["idle", "user", "system", "iowait"] { add("node_cpu_seconds_total", ["mode": mode], counter: true, scale: 15) }
            add("up", counter: false, scale: 1)
            add("memory_bytes", counter: false, scale: 1e8)
            for device in ["sda", "sdb"] { add("disk_free_bytes", ["device": device], counter: false, scale: 1e9) }
            targets.append(target)
        }
    }
    return targets
}

/// One scrape of `target` at step `index` (0 is `origin`).
func scrape(_ target: Target, _ index: Int) -> [LabeledSample] {
    let ts = origin + Int64(index) * step
    return zip(target.series, target.values).map { LabeledSample($0, Sample(ts, $1[index])) }
}

func expressions() -> [String] {
    (0..<20).flatMap { j -> [String] in
        let s = "job=\"job\(j)\""
        return [
            "sum by (instance) (rate(http_requests_total{\(s)}[5m]))",
            "sum(rate(http_requests_total{\(s),code=~\"5..\"}[5m])) / sum(rate(http_requests_total{\(s)}[5m])) > 0.05",
            "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket{\(s)}[5m]))) > 0.5",
            "up{\(s)} == 0",
            "avg by (instance) (rate(node_cpu_seconds_total{\(s),mode!=\"idle\"}[5m])) > 0.8",
            "memory_bytes{\(s)} / 1e9 > 4",
            "predict_linear(disk_free_bytes{\(s)}[1h], 4 * 3600) < 0",
            "increase(http_requests_total{\(s),code=\"500\"}[10m]) > 10",
            "absent(up{\(s)})",
            "count by (job) (up{\(s)} > 0.5) < 40",
            "rate(http_requests_total{\(s)}[1m]) > 100",
            "max_over_time(memory_bytes{\(s)}[10m]) - min_over_time(memory_bytes{\(s)}[10m]) > 1e8",
            "sum by (instance) (rate(http_requests_total{\(s),code!=\"200\"}[5m])) / sum by (instance) (rate(http_requests_total{\(s)}[5m])) > 0.1",
            "histogram_quantile(0.9, rate(request_duration_seconds_bucket{\(s)}[5m])) > 1",
            "topk(5, rate(node_cpu_seconds_total{\(s),mode=\"user\"}[5m]))",
        ]
    }
}

/// At most this many rounds; the data does not depend on how many run.
let maxRounds = 20
let rounds = min(maxRounds, Int(ProcessInfo.processInfo.environment["QUERYBENCH_ROUNDS"] ?? "") ?? 5)
let targets = buildTargets(extraSteps: maxRounds)
let which = ProcessInfo.processInfo.environment["QUERYBENCH_STORE"] ?? "both"
let cached = ProcessInfo.processInfo.environment["QUERYBENCH_CACHE"] == "1"
let parsed = try expressions().map { try PromQL.parse($0) }
print("series: 20000 in 1000 targets, samples per series: \(points) (+1 per round), expressions: \(parsed.count)")
if cached { print("select results cached after round 1: later rounds time the engine alone") }

/// CPU time of this process: the machine may be shared, wall time alone overstates.
func cpuMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
}

/// Runs the rounds against `store`; returns the best round's CPU and wall milliseconds.
func bench(_ label: String, _ store: any SeriesAppender & SeriesQuerier) throws -> (cpu: Double, wall: Double) {
    let querier = TimingQuerier(cached ? CachingQuerier(store) : store)
    let engine = Engine(querier: querier)
    var best = (cpu: Double.infinity, wall: Double.infinity)
    for round in 1...rounds {
        for target in targets { try store.append(scrape(target, points - 1 + round)) }
        let time = end + Int64(round) * step
        querier.nanoseconds.store(0, ordering: .relaxed)
        querier.calls.store(0, ordering: .relaxed)
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuMilliseconds()
        var elements = 0
        for expr in parsed {
            if case .vector(let vector) = try engine.instant(expr, at: time) { elements += vector.count }
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let storage = Double(querier.nanoseconds.load(ordering: .relaxed)) / 1e6
        let cpu = cpuMilliseconds() - cpuStart
        best = (min(best.cpu, cpu), min(best.wall, total))
        print(String(format: "%@ round %d: %.1f ms wall, %.1f ms CPU (storage select %.1f ms wall in %d calls, engine %.1f ms wall), %d result elements",
                     label, round, total, cpu, storage, querier.calls.load(ordering: .relaxed), total - storage, elements))
    }
    return best
}

var results: [(String, (cpu: Double, wall: Double))] = []
if which != "tsdb" {
    let store = MemorySeriesStore()
    for index in 0..<points { for target in targets { try store.append(scrape(target, index)) } }
    results.append(("memory", try bench("memory", store)))
    try benchSelectors("memory", store, at: end + Int64(rounds) * step, rounds: rounds)
}
if which != "memory" {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("querybench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tsdb = try TSDB.open(dataDir: dir)
    defer { tsdb.close() }
    let loadStart = DispatchTime.now().uptimeNanoseconds
    for index in 0..<points { for target in targets { try tsdb.append(scrape(target, index)) } }
    let chunks = try tsdb.compact(now: end)
    print(String(format: "tsdb: %d scrapes appended, %d chunks compacted in %.1f s; head holds %@ onwards",
                 points * targets.count, chunks, Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9,
                 "\((end / 1_800_000) * 30) min"))
    results.append(("tsdb", try bench("tsdb", tsdb)))
    try benchSelectors("tsdb", tsdb, at: end + Int64(rounds) * step, rounds: rounds)
    if ProcessInfo.processInfo.environment["QUERYBENCH_PROBE"] == "1" {
        for (label, matchers) in [("empty", [try Matcher("__name__", .equal, "nope")]),
                                  ("up{job}", [try Matcher("__name__", .equal, "up"), try Matcher("job", .equal, "job3")]),
                                  ("http{job}", [try Matcher("__name__", .equal, "http_requests_total"), try Matcher("job", .equal, "job3")]),
                                  ("disk{job}", [try Matcher("__name__", .equal, "disk_free_bytes"), try Matcher("job", .equal, "job3")])] {
            for window in [300_000, 3_600_000] as [Int64] {
                let t0 = cpuMilliseconds()
                for _ in 0..<1000 { _ = try tsdb.select(matchers, in: (end - window)...end) }
                print(String(format: "probe %@[%dm]: %.1f us CPU per select", label, Int(window / 60_000), cpuMilliseconds() - t0))
            }
        }
    }
}
let parseStart = DispatchTime.now().uptimeNanoseconds
for text in expressions() { _ = try PromQL.parse(text) }
print(String(format: "parse 300 expressions: %.2f ms", Double(DispatchTime.now().uptimeNanoseconds - parseStart) / 1e6))
for (label, best) in results {
    print(String(format: "%@ best round: %.1f ms CPU, %.1f ms wall (goal < 100 ms)", label, best.cpu, best.wall))
}
