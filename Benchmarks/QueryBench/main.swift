// QueryBench: 300 typical alert expressions against 20,000 series (1 h at 15 s) held in a
// MemorySeriesStore; prints the time of one round, split into storage and engine time.
// Run: swift run -c release QueryBench
import Foundation
import Model
import Query
import Synchronization

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

    func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelNames(matching: matchers, in: range)
    }

    func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String] {
        try base.labelValues(name, matching: matchers, in: range)
    }
}

/// Deterministic data, so every run measures the same work.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let step: Int64 = 15_000
let points = 240
let end = Int64(points - 1) * step

func buildStore() throws -> MemorySeriesStore {
    let store = MemorySeriesStore()
    var rng = SplitMix(state: 7)
    var batch: [LabeledSample] = []
    func add(_ labels: Labels, counter: Bool, scale: Double) {
        var value = Double.random(in: 0..<scale, using: &rng)
        for i in 0..<points {
            batch.append(LabeledSample(labels, Sample(Int64(i) * step, value)))
            value = counter ? value + Double.random(in: 0..<scale, using: &rng) : abs(value + Double.random(in: -scale..<scale, using: &rng))
        }
    }
    for j in 0..<20 {
        for i in 0..<50 {
            let base: [String: String] = ["job": "job\(j)", "instance": "host\(i):9100"]
            func labels(_ name: String, _ extra: [String: String] = [:]) -> Labels {
                Labels(base.merging(extra) { a, _ in a }.merging(["__name__": name]) { a, _ in a })
            }
            for code in ["200", "404", "500", "503"] { add(labels("http_requests_total", ["code": code]), counter: true, scale: 10) }
            for le in ["0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"] {
                add(labels("request_duration_seconds_bucket", ["le": le]), counter: true, scale: 5)
            }
            for mode in ["idle", "user", "system", "iowait"] { add(labels("node_cpu_seconds_total", ["mode": mode]), counter: true, scale: 15) }
            add(labels("up"), counter: false, scale: 1)
            add(labels("memory_bytes"), counter: false, scale: 1e8)
            for device in ["sda", "sdb"] { add(labels("disk_free_bytes", ["device": device]), counter: false, scale: 1e9) }
        }
        try store.append(batch)
        batch.removeAll(keepingCapacity: true)
    }
    return store
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

let store = try buildStore()
let cached = ProcessInfo.processInfo.environment["QUERYBENCH_CACHE"] == "1"
let querier = TimingQuerier(cached ? CachingQuerier(store) : store)
if cached { print("select results cached after round 1: later rounds time the engine alone") }
let engine = Engine(querier: querier)
let parsed = try expressions().map { try PromQL.parse($0) }
print("series: 20000, samples per series: \(points), expressions: \(parsed.count)")

/// CPU time of this process: the machine may be shared, wall time alone overstates.
func cpuMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
}

var best = Double.infinity
let rounds = Int(ProcessInfo.processInfo.environment["QUERYBENCH_ROUNDS"] ?? "") ?? 5
for round in 1...rounds {
    querier.nanoseconds.store(0, ordering: .relaxed)
    querier.calls.store(0, ordering: .relaxed)
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuMilliseconds()
    var elements = 0
    for expr in parsed {
        if case .vector(let vector) = try engine.instant(expr, at: end) { elements += vector.count }
    }
    let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    let storage = Double(querier.nanoseconds.load(ordering: .relaxed)) / 1e6
    best = min(best, total)
    let cpu = cpuMilliseconds() - cpuStart
    print(String(format: "round %d: %.1f ms wall, %.1f ms CPU (storage select %.1f ms wall in %d calls, engine %.1f ms wall), %d result elements",
                 round, total, cpu, storage, querier.calls.load(ordering: .relaxed), total - storage, elements))
}
let parseStart = DispatchTime.now().uptimeNanoseconds
for text in expressions() { _ = try PromQL.parse(text) }
print(String(format: "parse 300 expressions: %.2f ms", Double(DispatchTime.now().uptimeNanoseconds - parseStart) / 1e6))
print(String(format: "best round: %.1f ms (goal < 100 ms)", best))
