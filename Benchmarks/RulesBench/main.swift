// RulesBench: 1,000 rules (recording and alerting, with templated labels and annotations) in 20
// groups over 20,000 series (1 h at 15 s) in a MemorySeriesStore, evaluated by the real engine.
// Prints the time of one evaluation round of all groups, split into query time and rule overhead.
// Run: swift run -c release RulesBench
import Foundation
import Logging
import Model
import Query
import Rules
import Synchronization

let step: Int64 = 15_000
let points = 240
let end = Int64(points - 1) * step

func buildStore() throws -> MemorySeriesStore {
    let store = MemorySeriesStore()
    var rng = SystemRandomNumberGenerator()
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
            func labels(_ name: String, _ extra: [String: String] = [:]) -> Labels {
                Labels(["__name__": name, "job": "job\(j)", "instance": "host\(i):9100"].merging(extra) { a, _ in a })
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

/// 50 rules for one job: 10 shapes, 5 thresholds each; recording rules come first so alerts use them.
func rules(job j: Int) -> [RuleSpec] {
    let s = "job=\"job\(j)\""
    var out: [RuleSpec] = [
        RuleSpec(kind: .record("instance:http_requests:rate5m"), expr: "sum by (job, instance) (rate(http_requests_total{\(s)}[5m]))"),
        RuleSpec(kind: .record("instance:http_errors:rate5m"), expr: "sum by (job, instance) (rate(http_requests_total{\(s),code=~\"5..\"}[5m]))"),
        RuleSpec(kind: .record("job:latency:p99"), expr: "histogram_quantile(0.99, sum by (job, le) (rate(request_duration_seconds_bucket{\(s)}[5m])))"),
        RuleSpec(kind: .record("instance:cpu:busy"), expr: "avg by (job, instance) (rate(node_cpu_seconds_total{\(s),mode!=\"idle\"}[5m]))"),
        RuleSpec(kind: .record("instance:memory:gb"), expr: "memory_bytes{\(s)} / 1e9"),
    ]
    let annotations = ["summary": "{{ $labels.instance }} of {{ $labels.job }} at {{ $value | humanize }}",
                       "description": "{{ if gt $value 1.0 }}high{{ else }}low{{ end }} ({{ $value | printf \"%.2f\" }})"]
    for k in 0..<5 {
        let t = Double(k + 1)
        out += [
            RuleSpec(kind: .alert("ErrorRatio\(k)"), expr: "instance:http_errors:rate5m{\(s)} / instance:http_requests:rate5m{\(s)} > \(0.4 + 0.02 * t)",
                     forDuration: 60_000, labels: ["severity": "warning"], annotations: annotations),
            RuleSpec(kind: .alert("Latency\(k)"), expr: "job:latency:p99{\(s)} > \(t)", forDuration: 300_000, annotations: annotations),
            RuleSpec(kind: .alert("CpuBusy\(k)"), expr: "instance:cpu:busy{\(s)} > \(0.1 * t)", annotations: annotations),
            RuleSpec(kind: .alert("Memory\(k)"), expr: "instance:memory:gb{\(s)} > \(0.05 * t)", labels: ["team": "{{ $labels.job }}"], annotations: annotations),
            RuleSpec(kind: .alert("Down\(k)"), expr: "up{\(s)} < \(0.1 * t)", annotations: annotations),
            RuleSpec(kind: .alert("DiskFilling\(k)"), expr: "predict_linear(disk_free_bytes{\(s)}[1h], \(k + 1) * 3600) < 0", annotations: annotations),
            RuleSpec(kind: .alert("Absent\(k)"), expr: "absent(up{\(s),instance=\"host\(k):9100\"})", annotations: annotations),
            RuleSpec(kind: .alert("Errors500_\(k)"), expr: "increase(http_requests_total{\(s),code=\"500\"}[10m]) > \(100 * t)", annotations: annotations),
            RuleSpec(kind: .alert("TopCpu\(k)"), expr: "topk(\(k + 1), rate(node_cpu_seconds_total{\(s),mode=\"user\"}[5m])) > 7", annotations: annotations),
        ]
    }
    return Array(out.prefix(50))
}

let store = try buildStore()
let engine = Engine(querier: store)
let queryNanos = Atomic<UInt64>(0)
let base = RuleEnvironment.query(engine)
let timed: QueryFunc = { expr, ts in
    let start = DispatchTime.now().uptimeNanoseconds
    defer { queryNanos.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed) }
    return try base(expr, ts)
}
let notified = Atomic<Int>(0)
let environment = RuleEnvironment(query: timed, appender: store, notify: { notified.add($0.count, ordering: .relaxed) },
                                  logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
let groups = (0..<20).map { GroupEvaluator(spec: GroupSpec(name: "job\($0)", interval: step, rules: rules(job: $0)), environment: environment) }
let ruleCount = groups.reduce(0) { $0 + $1.spec.rules.count }
print("series: 20000, samples per series: \(points), rules: \(ruleCount) in \(groups.count) groups")

/// CPU seconds of this process (user + system): the machine may be shared, wall time alone misleads.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

var times: [Double] = []
for round in 0...3 {
    queryNanos.store(0, ordering: .relaxed)
    let at = end - Int64(3 - round) * step
    let cpuStart = cpuSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    for group in groups { group.evaluate(at: at) }
    let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    let query = Double(queryNanos.load(ordering: .relaxed)) / 1e6
    let active = groups.reduce(0) { $0 + $1.status().rules.reduce(0) { $0 + $1.alerts.count } }
    let failures = groups.reduce(0) { $0 + $1.status().metrics.failures }
    print(String(format: "round %d%@: %.1f ms wall, %.1f ms CPU (queries %.1f ms, rules %.1f ms), active alerts %d, failures %d",
                 round, round == 0 ? " (warm-up)" : "", total, (cpuSeconds() - cpuStart) * 1000, query, total - query, active, failures))
    if round > 0 { times.append(total) }
}
times.sort()
print(String(format: "median round: %.1f ms for %d rules (%.1f µs per rule); alerts notified: %d",
             times[times.count / 2], ruleCount, times[times.count / 2] * 1000 / Double(ruleCount), notified.load(ordering: .relaxed)))
